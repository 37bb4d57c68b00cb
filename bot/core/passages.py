"""What retrieval hands to the rest of the bot: a passage of a source document with its citation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.core.knowledge.timewords import TimeFrame

HEADING_SEPARATOR = " › "


@dataclass(frozen=True)
class Passage:
    """A retrieved piece of a document (at most 600 characters of its text)."""

    text: str
    title: str
    heading: str  # heading path inside the document, e.g. "一、… › （二）…" ("" at top level)
    source: str  # path relative to the knowledge dir, or "uploaded/<name>"
    kind: str  # report | guidance | law | uploaded
    score: float
    year: int | None = None  # year the document reports on / was issued
    issuer: str | None = None  # issuing body, e.g. 鲁山县仓头乡人民政府
    chunk_id: str = ""

    @property
    def citation(self) -> str:
        """Human-readable reference: 《title》 · heading path."""
        return f"《{self.title}》 · {self.heading}" if self.heading else f"《{self.title}》"


class Searcher(Protocol):
    """Anything that can search the knowledge base (the real one is retrieval.KnowledgeBase)."""

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: str | Sequence[str] | None = None,
        year: int | None = None,
        issuer: str | None = None,
        when: TimeFrame | None = None,
        by_heading: bool = True,
    ) -> list[Passage]:
        """`when` reads relative time words (明年、今年…) against the asker's report year.
        `by_heading`: a section also ranks by how closely its question-like heading reads to the
        query; off for a caller that weighs the heading match itself (`headings`)."""
        ...

    def section(self, passage: Passage) -> list[Passage]:
        """The passages of the section `passage` belongs to, in document order (at least it)."""
        ...

    def headings(
        self, query: str, k: int = 5, *, kind: str | Sequence[str] | None = None
    ) -> list[Passage]:
        """Sections whose headings read closest to the query, each as its first passage, best
        first (none when the searcher has no model to read them)."""
        ...

    def word_share(self, word: str) -> float:
        """Share of the searchable passages that hold `word` (0.0 to 1.0): how little a word
        that most passages hold says about which one answers."""
        ...
