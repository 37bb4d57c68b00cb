"""The on-disk state of the knowledge index: chunks, sources and the BM25 files.

Each change is written as a new generation directory and then made current by atomically
replacing the CURRENT pointer, so a crash mid-ingest leaves the previous generation in use.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from bot.core.errors import KnowledgeError
from bot.core.knowledge.chunking import chunk_text
from bot.core.knowledge.documents import Document
from bot.core.knowledge.lexical import BM25Index
from bot.core.knowledge.timewords import passage_time_terms
from bot.core.passages import HEADING_SEPARATOR, Passage

logger = logging.getLogger(__name__)

_POINTER = "CURRENT"
_FORMAT = 1


@dataclass(frozen=True)
class ChunkRecord:
    id: str
    text: str
    title: str
    heading: tuple[str, ...]
    source: str
    kind: str
    year: int | None
    issuer: str | None

    @property
    def lexical_text(self) -> str:
        """What BM25 sees: the passage plus its headings (a heading names what a passage is
        about) and the time term its headings imply (「2025年重点工作」 in a 2024 report →
        下一年度)."""
        return "\n".join((*self.heading, *passage_time_terms(self.heading, self.year), self.text))

    def passage(self, score: float) -> Passage:
        """The chunk as a search result with `score`."""
        return Passage(
            text=self.text,
            title=self.title,
            heading=HEADING_SEPARATOR.join(self.heading),
            source=self.source,
            kind=self.kind,
            score=round(score, 4),
            year=self.year,
            issuer=self.issuer,
            chunk_id=self.id,
        )


@dataclass(frozen=True)
class SourceRecord:
    source: str
    root: str  # which collection of files it belongs to: "knowledge", "uploads", a path
    path: str  # where the file was read from
    sha256: str
    title: str
    kind: str
    year: int | None
    issuer: str | None
    chunk_ids: tuple[str, ...]
    chunker: int = 0  # CHUNKER_VERSION that produced chunk_ids


@dataclass
class Generation:
    """One consistent snapshot: what is indexed, and the BM25 index over it."""

    embedder: str
    sources: dict[str, SourceRecord] = field(default_factory=dict)
    chunks: list[ChunkRecord] = field(default_factory=list)
    bm25: BM25Index = field(default_factory=lambda: BM25Index(None, 0))
    excluded: frozenset[str] = frozenset()  # bundled sources an admin removed
    number: int = 0

    def __post_init__(self) -> None:
        self.position = {chunk.id: i for i, chunk in enumerate(self.chunks)}
        self.kinds = np.array([c.kind for c in self.chunks], dtype=object)
        self.years = np.array([c.year or 0 for c in self.chunks], dtype=np.int32)
        self.issuers = np.array([c.issuer or "" for c in self.chunks], dtype=object)

    def mask(self, kinds: Sequence[str], year: int | None, issuers: Sequence[str]) -> np.ndarray:
        """Which chunks pass the filters: one of `kinds`, `year`, one of `issuers` (each only
        when given)."""
        mask = np.ones(len(self.chunks), dtype=bool)
        if kinds:
            mask &= np.isin(self.kinds, kinds)
        if year is not None:
            mask &= self.years == year
        if issuers:
            mask &= np.isin(self.issuers, issuers)
        return mask

    def issuers_matching(self, part: str) -> list[str]:
        """Issuing bodies whose name contains `part` (「仓头乡」 → 鲁山县仓头乡人民政府)."""
        return sorted({s.issuer for s in self.sources.values() if s.issuer and part in s.issuer})


def current_marker(index_dir: Path) -> int:
    """Changes whenever another generation becomes current (0 before the first ingest)."""
    try:
        return (index_dir / _POINTER).stat().st_mtime_ns
    except FileNotFoundError:
        return 0


def load_current(index_dir: Path) -> Generation | None:
    """The current generation, or None when nothing has been ingested yet."""
    pointer = index_dir / _POINTER
    if not pointer.exists():
        return None
    directory = index_dir / pointer.read_text(encoding="utf-8").strip()
    try:
        meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        with (directory / "chunks.jsonl").open(encoding="utf-8") as lines:
            chunks = [_chunk_from_json(json.loads(line)) for line in lines if line.strip()]
        sources = {
            item["source"]: SourceRecord(**{**item, "chunk_ids": tuple(item["chunk_ids"])})
            for item in json.loads((directory / "sources.json").read_text(encoding="utf-8"))
        }
        bm25 = BM25Index.load(directory / "bm25", len(chunks))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise KnowledgeError(
            f"知识库索引已损坏（{directory.name}），请重新运行 lawbot ingest --rebuild。"
        ) from error
    if meta.get("format") != _FORMAT:
        raise KnowledgeError("知识库索引格式已更新，请运行 lawbot ingest --rebuild。")
    return Generation(
        embedder=meta["embedder"],
        sources=sources,
        chunks=chunks,
        bm25=bm25,
        excluded=frozenset(meta.get("excluded", [])),
        number=int(meta["number"]),
    )


def write_generation(
    index_dir: Path,
    *,
    embedder: str,
    sources: dict[str, SourceRecord],
    chunks: Iterable[ChunkRecord],
    excluded: frozenset[str],
    previous: int,
) -> Generation:
    """Write a complete new generation, then make it current (atomic pointer swap)."""
    chunk_list = list(chunks)
    number = previous + 1
    directory = index_dir / f"gen-{number:06d}"
    if directory.exists():
        shutil.rmtree(directory)  # left over from a crash
    directory.mkdir(parents=True)
    bm25 = BM25Index.build([chunk.lexical_text for chunk in chunk_list])
    bm25.save(directory / "bm25")
    with (directory / "chunks.jsonl").open("w", encoding="utf-8") as out:
        for chunk in chunk_list:
            out.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
    (directory / "sources.json").write_text(
        json.dumps([asdict(s) for s in sources.values()], ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    meta = {
        "format": _FORMAT,
        "embedder": embedder,
        "number": number,
        "excluded": sorted(excluded),
    }
    (directory / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    _fsync_tree(directory)
    tmp = index_dir / f"{_POINTER}.tmp"
    tmp.write_text(directory.name, encoding="utf-8")
    os.replace(tmp, index_dir / _POINTER)
    _remove_old_generations(index_dir, keep=directory.name)
    return Generation(
        embedder=embedder,
        sources=sources,
        chunks=chunk_list,
        bm25=bm25,
        excluded=excluded,
        number=number,
    )


def _chunk_from_json(item: dict[str, object]) -> ChunkRecord:
    heading = item.pop("heading")
    return ChunkRecord(heading=tuple(heading), **item)  # type: ignore[arg-type]


def _fsync_tree(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def _remove_old_generations(index_dir: Path, keep: str) -> None:
    for old in index_dir.glob("gen-*"):
        if old.name != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


def chunk_records(document: Document) -> list[ChunkRecord]:
    """The document's chunks, with ids that depend only on source, headings and text."""
    records = []
    for chunk in chunk_text(document.text, title=document.title):
        key = f"{document.source}\n{HEADING_SEPARATOR.join(chunk.heading)}\n{chunk.text}"
        records.append(
            ChunkRecord(
                id=hashlib.sha1(key.encode("utf-8")).hexdigest(),
                text=chunk.text,
                title=document.title,
                heading=chunk.heading,
                source=document.source,
                kind=document.kind,
                year=document.year,
                issuer=document.issuer,
            )
        )
    return list({record.id: record for record in records}.values())  # drop exact repeats
