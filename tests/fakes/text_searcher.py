"""A plain substring-scoring Searcher over the knowledge/ files, for writing tests and the bench.

A real class implementing the Searcher protocol (no index, no embeddings): documents are chunked
with the project's chunker, and a chunk scores by how many query words (jieba) it contains.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import jieba

from bot.core.knowledge.chunking import chunk_text
from bot.core.passages import HEADING_SEPARATOR, Passage

KIND_BY_FOLDER = {"reports": "report", "guidance": "guidance", "laws": "law"}


class TextSearcher:
    """Searches the Markdown/text files under a knowledge directory by word overlap."""

    def __init__(self, knowledge_dir: Path) -> None:
        self.passages: list[Passage] = []
        for folder, kind in KIND_BY_FOLDER.items():
            for path in sorted((knowledge_dir / folder).glob("*.*")):
                if path.suffix not in (".md", ".txt"):
                    continue
                text = path.read_text(encoding="utf-8")
                title = text.strip().splitlines()[0].lstrip("# ").strip() if text.strip() else ""
                for number, chunk in enumerate(chunk_text(text, title=title)):
                    self.passages.append(
                        Passage(
                            text=chunk.text,
                            title=title,
                            heading=HEADING_SEPARATOR.join(chunk.heading),
                            source=f"{folder}/{path.name}",
                            kind=kind,
                            score=0.0,
                            chunk_id=f"{folder}/{path.name}#{number}",
                        )
                    )

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        kind: str | Sequence[str] | None = None,
        year: int | None = None,
        issuer: str | None = None,
        when: object = None,
        by_heading: bool = True,
    ) -> list[Passage]:
        kinds = {kind} if isinstance(kind, str) else set(kind or ())
        words = {w for w in jieba.cut_for_search(query) if len(w) >= 2}
        scored = []
        for passage in self.passages:
            if kinds and passage.kind not in kinds:
                continue
            haystack = passage.heading + passage.text
            score = sum(word in haystack for word in words) / max(len(words), 1)
            if score > 0:
                scored.append((score, passage))
        scored.sort(key=lambda item: -item[0])
        return [Passage(**{**p.__dict__, "score": round(score, 4)}) for score, p in scored[:k]]

    def section(self, passage: Passage) -> list[Passage]:
        """The passages under the same top-level heading of the same file, in order."""
        if not passage.heading or passage.kind == "law":
            return [passage]
        top = passage.heading.split(HEADING_SEPARATOR)[0]
        found = [
            p
            for p in self.passages
            if p.source == passage.source and p.heading.split(HEADING_SEPARATOR)[0] == top
        ]
        return found or [passage]

    def headings(self, query: str, k: int = 5, **filters: object) -> list[Passage]:
        """None: reading headings takes an embedding model, which this searcher has not."""
        return []

    def word_share(self, word: str) -> float:
        """Share of the passages whose heading or text holds the word."""
        held = sum(word in p.heading + p.text for p in self.passages)
        return held / len(self.passages) if self.passages else 0.0
