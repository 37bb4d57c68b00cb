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
from typing import NamedTuple

import numpy as np

from bot.core.knowledge.index_store import Generation

# An article is its own unit (KnowledgeBase.section): a law's chapter headings name no question.
_WITHOUT_SECTIONS = frozenset({"law"})
# Kinds whose top-level headings are written as the question the section answers (the guidance:
# 「年度报告什么时候报送（截止时间是3月1日吗）？」); a report's headings name its parts instead.
QUESTION_HEADED_KINDS = frozenset({"guidance"})
# A heading's score in a search is its similarity scaled between this many places down the
# ranking of those headings (0) and the best (1): only the closest few lift their passages.
_HEADING_FLOOR_RANK = 10


class _Sections(NamedTuple):
    """A snapshot's section starts, their heading vectors, for each chunk the row of the
    question-like heading it sits under (-1: none), and those rows."""

    firsts: np.ndarray
    matrix: np.ndarray
    rows: np.ndarray
    asked: np.ndarray


class HeadingMatcher:
    """The top-level headings of a snapshot's documents, with their vectors."""

    def __init__(self, embed: Callable[[str], Sequence[float]]) -> None:
        """`embed` gives a heading's vector as the model reads a question: heading and question
        are both questions, and query-side vectors matched them better than passage-side ones."""
        self._embed = embed
        self._vectors: dict[str, np.ndarray] = {}  # by heading text, kept across snapshots
        self._lock = threading.Lock()
        self._state: Generation | None = None
        none = np.zeros(0, dtype=np.int64)
        self._sections = _Sections(none, np.zeros((0, 0), dtype=np.float32), none, none)

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

    def scores(self, state: Generation, query: np.ndarray) -> np.ndarray:
        """For each chunk, how closely the question-like heading it sits under reads to the
        query vector (QUESTION_HEADED_KINDS), scaled: 1 for the closest heading, 0 from the
        _HEADING_FLOOR_RANK-th down and for chunks under no such heading."""
        firsts, matrix, rows, asked = self._prepared(state)
        if not len(asked):
            return np.zeros(len(state.chunks), dtype=np.float32)
        similarity = matrix[asked] @ np.asarray(query, dtype=np.float32)
        ordered = np.sort(similarity)[::-1]
        floor, best = ordered[min(_HEADING_FLOOR_RANK, len(ordered)) - 1], ordered[0]
        scaled = np.zeros(len(firsts), dtype=np.float32)
        scaled[asked] = np.clip((similarity - floor) / max(best - floor, 1e-9), 0.0, 1.0)
        return np.where(rows >= 0, scaled[np.maximum(rows, 0)], 0.0)

    def prepare(self, state: Generation) -> tuple[np.ndarray, np.ndarray]:
        """The snapshot's section starts and heading vectors, embedded on first use."""
        sections = self._prepared(state)
        return sections.firsts, sections.matrix

    def _prepared(self, state: Generation) -> _Sections:
        with self._lock:
            if self._state is not state:
                firsts = _section_starts(state)
                for index in firsts:
                    heading = state.chunks[index].heading[0]
                    if heading not in self._vectors:
                        self._vectors[heading] = np.asarray(self._embed(heading), np.float32)
                vectors = [self._vectors[state.chunks[i].heading[0]] for i in firsts]
                rows = _question_rows(state, firsts)
                self._sections = _Sections(
                    np.asarray(firsts, dtype=np.int64),
                    np.stack(vectors) if vectors else np.zeros((0, 0), np.float32),
                    rows,
                    np.unique(rows[rows >= 0]),
                )
                self._state = state
            return self._sections


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


def _question_rows(state: Generation, firsts: Sequence[int]) -> np.ndarray:
    """For each chunk, the row (in `firsts`) of the question-like heading it sits under."""
    row_of = {
        (state.chunks[index].source, state.chunks[index].heading[0]): row
        for row, index in enumerate(firsts)
        if state.chunks[index].kind in QUESTION_HEADED_KINDS
    }
    return np.asarray(
        [row_of.get((c.source, c.heading[0]), -1) if c.heading else -1 for c in state.chunks],
        dtype=np.int64,
    )
