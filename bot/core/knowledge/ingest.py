"""What an ingest changes, and the vectors it adds (the writing side of retrieval.KnowledgeBase).

`plan_changes` compares the files wanted under one root with the current snapshot: unchanged
files are skipped, changed ones are read and chunked again, files no longer there are dropped.
`embed_missing` gives vectors to the passages Chroma does not hold yet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.core.errors import DocumentError
from bot.core.knowledge.catalog import FileSpec
from bot.core.knowledge.chunking import CHUNKER_VERSION
from bot.core.knowledge.documents import file_digest, load_document
from bot.core.knowledge.embeddings import Embedder
from bot.core.knowledge.index_store import ChunkRecord, Generation, SourceRecord, chunk_records
from bot.core.knowledge.vector_store import VectorCollection, chunk_metadata

Progress = Callable[[int, int, str], None]  # (done, total, what)

_EMBED_BATCH = 64
_CHROMA_BATCH = 1000


@dataclass
class IngestReport:
    """What an ingest did; `errors` maps a file to its Chinese error message."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    embedded: int = 0  # passages given vectors (all of them after a change of model)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


def plan_changes(
    state: Generation,
    specs: Sequence[FileSpec],
    *,
    root: str,
    rebuild: bool,
    progress: Progress | None = None,
) -> tuple[dict[str, SourceRecord], dict[str, ChunkRecord], IngestReport]:
    """The sources the index should hold once the files of `root` match `specs`, the chunks
    of the files read again, and what changed. A file is read again when its contents or the
    chunker changed (or on `rebuild`); one an admin removed (`state.excluded`) stays out."""
    report = IngestReport()
    sources = dict(state.sources)
    new_chunks: dict[str, ChunkRecord] = {}
    wanted = {spec.source for spec in specs if spec.source not in state.excluded}
    for done, spec in enumerate(specs, start=1):
        if progress:
            progress(done, len(specs), spec.source)
        if spec.source in state.excluded:
            continue
        old = sources.get(spec.source)
        try:
            digest = file_digest(spec.path)
            current = old is not None and (old.sha256, old.chunker) == (digest, CHUNKER_VERSION)
            if current and not rebuild:
                report.unchanged += 1
                continue
            document = load_document(spec.path, source=spec.source, meta=spec.meta)
        except (DocumentError, OSError) as error:
            report.errors[spec.source] = str(error)
            continue
        records = chunk_records(document)
        new_chunks.update((record.id, record) for record in records)
        sources[spec.source] = SourceRecord(
            source=spec.source,
            root=root,
            path=str(spec.path),
            sha256=document.sha256,
            title=document.title,
            kind=document.kind,
            year=document.year,
            issuer=document.issuer,
            chunk_ids=tuple(record.id for record in records),
            chunker=CHUNKER_VERSION,
        )
        (report.updated if old is not None else report.added).append(spec.source)
    for source, record in list(sources.items()):
        if record.root == root and source not in wanted:
            del sources[source]
            report.removed.append(source)
    return sources, new_chunks, report


def embed_missing(
    collection: VectorCollection,
    embedder: Embedder,
    todo: Sequence[ChunkRecord],
    *,
    check: bool,
    progress: Progress | None = None,
) -> int:
    """Embed and upsert the chunks of `todo` (with `check`, only those the collection does
    not hold yet: an interrupted ingest left some there); how many were embedded."""
    if todo and check:
        present: set[str] = set()
        for start in range(0, len(todo), _CHROMA_BATCH):
            ids = [chunk.id for chunk in todo[start : start + _CHROMA_BATCH]]
            present.update(collection.get(ids=ids, include=[])["ids"])
        todo = [chunk for chunk in todo if chunk.id not in present]
    # Similar lengths in one batch: both bundled models pad a batch to its longest text.
    todo = sorted(todo, key=lambda chunk: len(chunk.text))
    for start in range(0, len(todo), _EMBED_BATCH):
        batch = todo[start : start + _EMBED_BATCH]
        vectors = embedder.embed_passages([chunk.text for chunk in batch])
        collection.upsert(
            ids=[chunk.id for chunk in batch],
            embeddings=vectors.tolist(),
            documents=[chunk.text for chunk in batch],
            metadatas=[chunk_metadata(chunk) for chunk in batch],
        )
        if progress:
            progress(min(start + _EMBED_BATCH, len(todo)), len(todo), "向量化")
    return len(todo)
