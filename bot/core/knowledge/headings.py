"""Which sections a question is about, read from their headings.

The guidance is written as short sections under question-like headings (「年度报告要写哪几部分
（五项必备内容）？」), so the embedding model, reading a staff question against the headings,
finds the section it asks about even when the two share no word (「年报第三部分写啥」). The search
ranks passages by their text; this ranks sections by their heading; the answer weighs both
(writing/answers.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence

import numpy as np

from bot.core.knowledge.index_store import Generation

# An article is its own unit (KnowledgeBase.section): a law's chapter headings name no question.
_WITHOUT_SECTIONS = frozenset({"law"})


class HeadingMatcher:
    """The top-level headings of a snapshot's documents, with their vectors."""

    def __init__(self, embed: Callable[[str], Sequence[float]]) -> None:
        """`embed` gives a heading's vector as the model reads a question: heading and question
        are both questions, and query-side vectors matched them better than passage-side ones."""
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}  # by heading text, kept across snapshots
        self._lock = threading.Lock()
        self._state: Generation | None = None
        self._firsts: np.ndarray = np.zeros(0, dtype=np.int64)
        self._matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)

    def rank(
        self, state: Generation, query: np.ndarray, kinds: Collection[str], k: int
    ) -> list[tuple[int, float]]:
        """(index of the section's first chunk, cosine) for the `k` headings closest to the
        query vector, best first, among the sections of documents of `kinds` (all if empty)."""
        firsts, matrix = self.prepare(state)
        if not len(firsts):
            return []
        similarity = matrix @ np.asarray(query, dtype=np.float32)
        if kinds:
            similarity = np.where(np.isin(state.kinds[firsts], list(kinds)), similarity, -np.inf)
        order = np.argsort(-similarity)[:k]
        return [(int(firsts[i]), float(similarity[i])) for i in order if similarity[i] > -np.inf]

    def prepare(self, state: Generation) -> tuple[np.ndarray, np.ndarray]:
        """The snapshot's section starts and heading vectors, embedded on first use."""
        with self._lock:
            if self._state is not state:
                firsts = _section_starts(state)
                for index in firsts:
                    heading = state.chunks[index].heading[0]
                    if heading not in self._vectors:
                        self._vectors[heading] = np.asarray(self._embed(heading), np.float32)
                vectors = [self._vectors[state.chunks[i].heading[0]] for i in firsts]
                self._firsts = np.asarray(firsts, dtype=np.int64)
                self._matrix = np.stack(vectors) if vectors else np.zeros((0, 0), np.float32)
                self._state = state
            return self._firsts, self._matrix


def _section_starts(state: Generation) -> list[int]:
    """Index of the first chunk of each top-level section (document order within a source)."""
    seen: set[tuple[str, str]] = set()
    starts = []
    for index, chunk in enumerate(state.chunks):
        if not chunk.heading or chunk.kind in _WITHOUT_SECTIONS:
            continue
        key = (chunk.source, chunk.heading[0])
        if key not in seen:
            seen.add(key)
            starts.append(index)
    return starts
