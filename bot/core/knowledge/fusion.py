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
# Feedback from the first results: the words that mark the FEEDBACK_PASSAGES best passages
# (lexical.BM25Index.feedback_scores) search again beside the query's own, at FEEDBACK_WEIGHT
# of its best keyword score. Other townships' passages on the same work share the official
# words of the first ones found, not the asker's. The first FEEDBACK_KEEP results stay:
# feedback finds more, it does not reorder the best (0.1–0.4, 2–5 passages, 5–20 words and
# keeping 0–2 measured with bench/retrieval.py; README).
FEEDBACK_PASSAGES = 3
FEEDBACK_WEIGHT = 0.3
# A first result holding less than this share of the query's words (one the dense side brought
# on its own reading) gives no feedback: its words would pull the search off the question.
FEEDBACK_MIN_MATCH = 0.3
FEEDBACK_KEEP = 2
# A guidance passage also scores by how closely its section's question-like heading reads to the
# query (headings.HeadingMatcher.scores, 0–1), added at this weight: the heading says which
# question the section answers in the words staff ask it (0.1–0.3 measured; README).
HEADING_WEIGHT = 0.15


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


def feedback_texts(passages: Sequence[tuple[str, str]], tokens: Sequence[str]) -> list[str]:
    """The texts of the first results that may give feedback: of (text, what BM25 sees) pairs,
    those whose keyword side holds at least FEEDBACK_MIN_MATCH of the query's `tokens`."""
    wanted = set(tokens)
    return [
        text
        for text, lexical_text in passages
        if len(wanted & set(bigram_tokens(lexical_text))) >= FEEDBACK_MIN_MATCH * len(wanted)
    ]


def kind_prior(query: str) -> Callable[[bool], float]:
    """Factor for a passage's score by whether it is a rule text, from what an unfiltered query
    asks: how others wrote something (examples first) or what is required (rules first)."""
    if wants_examples(query):
        return lambda rule: OTHER_KINDS_FOR_EXAMPLES if rule else 1.0
    if wants_rules(query):
        return lambda rule: 1.0 if rule else EXAMPLES_FOR_RULES
    return lambda rule: 1.0


def diversified(
    scores: dict[int, float],
    source_of: Callable[[int], str],
    k: int,
    chosen: Sequence[tuple[int, float]] = (),
) -> list[tuple[int, float]]:
    """Greedy top k where each repeat of a source is discounted by SAME_SOURCE_DECAY, after
    the passages already `chosen` (kept first, their sources counted).

    A lazy heap: an entry scored before its source gained a passage is rescored when it comes
    up (discounts only lower scores, so the first up-to-date entry popped is the best)."""
    kept = {index for index, _ in chosen}
    heap = [
        (-score, order, index, 0)
        for order, (index, score) in enumerate(scores.items())
        if index not in kept
    ]
    heapq.heapify(heap)
    taken: dict[str, int] = {}
    for index, _ in chosen:
        taken[source_of(index)] = taken.get(source_of(index), 0) + 1
    picked = list(chosen)
    while heap and len(picked) < k:
        negative, order, index, repeats = heapq.heappop(heap)
        source = source_of(index)
        now = taken.get(source, 0)
        if now != repeats:
            heapq.heappush(heap, (-scores[index] * SAME_SOURCE_DECAY**now, order, index, now))
            continue
        picked.append((index, -negative))
        taken[source] = now + 1
    return picked


def mixed(
    lexical: np.ndarray,
    dense: Sequence[tuple[int, float]],
    weight: float,
    factor: Callable[[int], float] | None = None,
    headings: np.ndarray | None = None,
) -> dict[int, float]:
    """The keyword side's CANDIDATES best, min–max scaled, mixed with the (scaled) `dense`
    pairs at `weight`, the dense share; plus HEADING_WEIGHT of each passage's heading score
    (`headings`, by chunk index); each passage times its `factor` (a kind prior)."""
    fused: dict[int, float] = {}
    top = top_positive(lexical, CANDIDATES)
    for index, value in scaled([(int(i), float(lexical[i])) for i in top]):
        fused[index] = (1 - weight) * value
    for index, value in dense:
        fused[index] = fused.get(index, 0.0) + weight * value
    if headings is not None:
        for index in fused:
            fused[index] += HEADING_WEIGHT * float(headings[index])
    if factor is not None:
        for index in fused:
            fused[index] *= factor(index)
    return fused


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
