"""How the keyword and dense result lists become one ranking: scaling, mixing, priors, diversity.

The priors were chosen with bench/retrieval.py (README for the figures); the dense side's
weight belongs to each embedding backend (bot/core/knowledge/embeddings.py).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

import numpy as np

from bot.core.knowledge.lexical import bigram_tokens, wants_examples, wants_rules

# A query asking how others wrote something prefers report passages: the fused scores of rule
# texts are multiplied by this (a prior, not a filter: a strong guidance match still shows).
# Uploaded files get no prior either way: they are often other townships' reports.
OTHER_KINDS_FOR_EXAMPLES = 0.4
# The converse, for a query asking what is required: example passages are multiplied by this.
EXAMPLES_FOR_RULES = 0.6
# Each further passage from a document already in the results is scored down by this factor,
# so the top k shows how several townships wrote something rather than one report twice.
SAME_SOURCE_DECAY = 0.8
CANDIDATES = 50  # how many results each side contributes before fusion
# The dense share grows by up to this much as the best keyword match misses the query's words.
DENSE_SHARE_FOR_MISSING_WORDS = 0.2


def dense_share(
    base: float, own_tokens: Sequence[str], tokens: Sequence[str], best_text: str | None
) -> float:
    """The dense share for one query: `base`, plus up to DENSE_SHARE_FOR_MISSING_WORDS as the
    best keyword match (`best_text`, as BM25 sees it) holds fewer of the query's words
    (`own_tokens`) or their official terms (`tokens`: both). A query in the documents' words
    keeps `base`; one in other words leans on the model's reading (0.1–0.6 tried on the four
    query sets; README)."""
    if base <= 0:
        return 0.0
    own = len(set(own_tokens))
    missing = 1.0
    if own and best_text is not None:
        found = set(tokens) & set(bigram_tokens(best_text))
        missing = max(0.0, 1 - len(found) / own)
    return min(1.0, base + DENSE_SHARE_FOR_MISSING_WORDS * missing)


def kind_prior(query: str) -> Callable[[bool], float]:
    """Factor for a passage's score by whether it is a rule text, from what an unfiltered query
    asks: how others wrote something (examples first) or what is required (rules first)."""
    if wants_examples(query):
        return lambda rule: OTHER_KINDS_FOR_EXAMPLES if rule else 1.0
    if wants_rules(query):
        return lambda rule: 1.0 if rule else EXAMPLES_FOR_RULES
    return lambda rule: 1.0


def diversified(
    scores: dict[int, float], source_of: Callable[[int], str], k: int
) -> list[tuple[int, float]]:
    """Greedy top k where each repeat of a source is discounted by SAME_SOURCE_DECAY.

    A lazy heap: an entry scored before its source gained a passage is rescored when it comes
    up (discounts only lower scores, so the first up-to-date entry popped is the best)."""
    heap = [(-score, order, index, 0) for order, (index, score) in enumerate(scores.items())]
    heapq.heapify(heap)
    taken: dict[str, int] = {}
    chosen: list[tuple[int, float]] = []
    while heap and len(chosen) < k:
        negative, order, index, repeats = heapq.heappop(heap)
        source = source_of(index)
        now = taken.get(source, 0)
        if now != repeats:
            heapq.heappush(heap, (-scores[index] * SAME_SOURCE_DECAY**now, order, index, now))
            continue
        chosen.append((index, -negative))
        taken[source] = now + 1
    return chosen


def scaled(pairs: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Min–max scale scores to [0, 1] within one result list."""
    if not pairs:
        return []
    values = [value for _, value in pairs]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        return [(index, 1.0) for index, _ in pairs]
    return [(index, (value - low) / (high - low)) for index, value in pairs]


def top_positive(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n best positive scores, best first (a partition, not a full sort)."""
    candidates = np.argpartition(-scores, n)[:n] if len(scores) > n else np.arange(len(scores))
    candidates = candidates[scores[candidates] > 0]
    return candidates[np.argsort(-scores[candidates])]
