"""The knowledge base: Chroma (dense vectors) + in-process BM25, with hybrid search and ingest.

Chroma holds the vectors (embedded PersistentClient or a `chroma run` server); the chunk texts,
sources and BM25 index live in the index directory (see index_store). Ingest is incremental:
unchanged files are skipped, changed files replace their chunks, removed files disappear.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.knowledge.catalog import RULE_TEXT_KINDS, FileSpec
from bot.core.knowledge.documents import SUPPORTED_SUFFIXES
from bot.core.knowledge.embeddings import Embedder
from bot.core.knowledge.fusion import (
    CANDIDATES,
    FEEDBACK_KEEP,
    FEEDBACK_PASSAGES,
    FEEDBACK_WEIGHT,
    dense_share,
    diversified,
    feedback_texts,
    kind_prior,
    mixed,
    scaled,
    top_positive,
)
from bot.core.knowledge.headings import HeadingMatcher
from bot.core.knowledge.index_store import (
    ChunkRecord,
    Generation,
    SourceRecord,
    current_marker,
    load_current,
    write_generation,
)
from bot.core.knowledge.ingest import IngestReport, Progress, embed_missing, plan_changes
from bot.core.knowledge.lexical import (
    SynonymTable,
    bigram_tokens,
    expansion_tokens,
    query_text,
    query_tokens,
)
from bot.core.knowledge.timewords import TimeFrame, read_time_words
from bot.core.knowledge.vector_store import VectorCollection, where_clause
from bot.core.normalization import spoken_forms
from bot.core.passages import HEADING_SEPARATOR, Passage

logger = logging.getLogger(__name__)

_CHROMA_BATCH = 1000


@dataclass(frozen=True)
class SourceInfo:
    source: str
    title: str
    kind: str
    chunks: int
    year: int | None = None
    issuer: str | None = None


class KnowledgeBase:
    """Hybrid Chinese search over everything ingested, and the ingest that keeps it current."""

    def __init__(
        self,
        *,
        index_dir: Path,
        chroma: Any,
        embedder: Embedder,
        synonyms: SynonymTable | None = None,
        uploads_dir: Path | None = None,
        dense_weight: float | None = None,
        keyword_only_kinds: Sequence[str] = (),
    ) -> None:
        """`chroma` is a Chroma client, or a function that opens one: a server that is down
        at start-up is then tried again on first use (search without it raises
        KnowledgeUnavailable; everything that needs no vectors keeps working).

        Passages of `keyword_only_kinds` are not embedded and rank by their keyword score:
        laws are looked up by their own words, and a law-sized folder would take the bundled
        e5 model more than half an hour to embed on two cores (README, Scale)."""
        self.index_dir = index_dir
        self.uploads_dir = uploads_dir or index_dir.parent / "uploads"
        self.embedder = embedder
        self.synonyms = synonyms or SynonymTable()
        self.dense_weight = embedder.dense_weight if dense_weight is None else dense_weight
        self.keyword_only_kinds = frozenset(keyword_only_kinds)
        # What the stored vectors stand for: a change re-checks which passages need vectors.
        self._space = embedder.name + "".join(f"|-{kind}" for kind in sorted(keyword_only_kinds))
        self._chroma = chroma
        self._write_lock = threading.RLock()
        # Staff ask the same questions again (deadlines, required contents); the query vector
        # is the largest per-search cost, so recent ones are kept.
        self._query_vector = functools.lru_cache(maxsize=1024)(self._embed_query)
        self._headings = HeadingMatcher(lambda text: embedder.embed_query(text)[0])
        self._collection = VectorCollection(
            chroma,
            name="lawbot-" + hashlib.sha1(embedder.name.encode()).hexdigest()[:10],
            embedder=embedder.name,
        )
        self._marker = current_marker(index_dir)
        current = load_current(index_dir)
        if current is not None and current.embedder != self._space:
            logger.warning("index was built with %s; re-embedding on next ingest", current.embedder)
        self._state = current or Generation(embedder=self._space)
        self._embedded: tuple[Generation | None, frozenset[str]] = (None, frozenset())

    def _current(self) -> Generation:
        """This process's snapshot, reloaded when another process made a new one current."""
        marker = current_marker(self.index_dir)
        if marker != self._marker:
            with self._write_lock:
                if marker != self._marker:
                    self._state = load_current(self.index_dir) or self._state
                    self._marker = marker
        return self._state

    # --- reading ------------------------------------------------------------------------
    @property
    def is_empty(self) -> bool:
        return not self._current().chunks

    def sources(self) -> list[SourceInfo]:
        state = self._current()
        return sorted(
            (
                SourceInfo(s.source, s.title, s.kind, len(s.chunk_ids), s.year, s.issuer)
                for s in state.sources.values()
            ),
            key=lambda info: (info.kind, info.source),
        )

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
        """Best passages for the query: BM25 and dense scores, each min–max scaled, then mixed,
        plus, with `by_heading`, the heading score of guidance passages (fusion.HEADING_WEIGHT).
        `when` reads relative time words (明年、今年…) against the asker's report year."""
        state = self._current()
        if not state.chunks:
            # Empty because the first ingest could not reach the vector store? Say so rather
            # than "nothing found" (KnowledgeUnavailable while it is still down).
            self._collection.open()
            return []
        if not query.strip():
            return []
        kinds = [kind] if isinstance(kind, str) else list(kind or [])
        issuers = state.issuers_matching(issuer) if issuer else []
        if issuer and not issuers:
            return []
        mask = state.mask(kinds, year, issuers)
        if not mask.any():
            return []
        query, time_terms = read_time_words(spoken_forms(query), when)
        core = query_text(query)
        own = query_tokens(core)
        # The time term (下一年度, for 2027年 or 下一步), then the official terms, each token once.
        tokens = own + expansion_tokens(own, time_terms + self.synonyms.expand(core))
        lexical = np.where(mask, state.bm25.scores(tokens), 0.0)
        top = top_positive(lexical, CANDIDATES)
        best_text = state.chunks[int(top[0])].lexical_text if len(top) else None
        weight = dense_share(self.dense_weight, own, tokens, best_text)
        dense: list[tuple[int, float]] = []
        headings = None
        # A passage without a vector (keyword-only kinds) has no dense share: in a mixed
        # search the kinds the model reads rank first when both match the words.
        embedded = self._embedded_kinds(state)
        if self.dense_weight > 0 and (embedded & set(kinds) if kinds else embedded):
            # The model reads the question as asked: it was trained on whole questions, and the
            # keyword side's stripped words (「年度报告 时候报送」) lost it the answer.
            dense = scaled(self._dense(state, query, kinds, year, issuers))
            if by_heading:
                vector = np.asarray(self._query_vector(query), dtype=np.float32)
                headings = self._headings.scores(state, vector)
        factor = None
        if not kinds:  # an unfiltered search: the question says which kind comes first
            prior = kind_prior(query)
            factor = lambda index: prior(state.chunks[index].kind in RULE_TEXT_KINDS)  # noqa: E731

        def ranked(lexical: np.ndarray, k: int, chosen: list[tuple[int, float]]) -> Any:
            fused = mixed(lexical, dense, weight, factor, headings)
            return diversified(fused, lambda index: state.chunks[index].source, k, chosen)

        best = ranked(lexical, max(k, FEEDBACK_PASSAGES), [])
        if k > FEEDBACK_KEEP < len(best):
            first = [state.chunks[index] for index, _ in best[:FEEDBACK_PASSAGES]]
            texts = feedback_texts([(c.text, c.lexical_text) for c in first], tokens)
            extra = np.where(mask, state.bm25.feedback_scores(texts, set(tokens)), 0.0)
            if extra.max() > 0:
                lexical = lexical + FEEDBACK_WEIGHT * extra * (lexical.max() / extra.max())
                best = ranked(lexical, k, best[:FEEDBACK_KEEP])
        return [state.chunks[index].passage(score) for index, score in best[:k]]

    def section(self, passage: Passage) -> list[Passage]:
        """The passages of the document section `passage` sits in, in document order: those
        under the same top-level heading (a guidance section, a report part), or the passage
        alone when it has no heading or is a law article (an article is its own unit)."""
        if not passage.heading or passage.kind == "law":
            return [passage]
        state = self._current()
        record = state.sources.get(passage.source)
        if record is None:
            return [passage]
        top = passage.heading.split(HEADING_SEPARATOR)[0]
        chunks = (state.chunks[state.position[i]] for i in record.chunk_ids if i in state.position)
        found = [c.passage(passage.score) for c in chunks if c.heading[:1] == (top,)]
        return found or [passage]

    def headings(
        self, query: str, k: int = 5, *, kind: str | Sequence[str] | None = None
    ) -> list[Passage]:
        """The sections whose headings read closest to the query, best first, each as its first
        passage scored by the heading's similarity (see headings.py); none without a model."""
        state = self._current()
        if not query.strip() or self.dense_weight <= 0 or not state.chunks:
            return []
        kinds = [kind] if isinstance(kind, str) else list(kind or [])
        vector = np.asarray(self._query_vector(query), dtype=np.float32)
        ranked = self._headings.rank(state, vector, kinds, k)
        return [state.chunks[index].passage(score) for index, score in ranked]

    def word_share(self, word: str) -> float:
        """Share of the indexed passages that hold `word`, read from the keyword index: the
        share holding its rarest character pair (an upper bound; exact for two characters)."""
        state = self._current()
        tokens = bigram_tokens(word)
        if not tokens or not state.bm25.size:
            return 0.0
        return min(state.bm25.document_frequency(t) for t in tokens) / state.bm25.size

    def warm_up(self) -> None:
        """Load the embedding model and the heading vectors now (about 3 s for the bundled
        knowledge on two cores) rather than while the first question waits."""
        state = self._current()
        if self.dense_weight > 0 and state.chunks:
            self._headings.prepare(state)

    def _dense(
        self, state: Generation, query: str, kinds: list[str], year: int | None, issuers: list[str]
    ) -> list[tuple[int, float]]:
        vector = self._query_vector(query)
        where = where_clause(kinds, year, issuers)
        result = self._collection.query(
            query_embeddings=[vector],
            n_results=min(CANDIDATES, max(1, len(state.chunks))),
            where=where,
            include=["distances"],
        )
        pairs = []
        for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            index = state.position.get(chunk_id)
            if index is not None:  # vectors of a newer, unfinished ingest are ignored
                pairs.append((index, 1.0 - float(distance)))
        return pairs

    def _embedded_kinds(self, state: Generation) -> frozenset[str]:
        """The kinds with vectors in this snapshot (kept per snapshot: a law-sized index has
        ~47,000 passages to look through)."""
        if self._embedded[0] is not state:
            self._embedded = (state, frozenset(state.kinds) - self.keyword_only_kinds)
        return self._embedded[1]

    def _embed_query(self, query: str) -> list[float]:
        vector: list[float] = self.embedder.embed_query(query)[0].tolist()
        return vector

    # --- writing ------------------------------------------------------------------------
    def ingest(
        self,
        specs: Sequence[FileSpec],
        *,
        root: str,
        progress: Progress | None = None,
        rebuild: bool = False,
    ) -> IngestReport:
        """Make the files of `root` in the index match `specs` (add, replace, remove)."""
        with self._write_lock:
            return self._sync(specs, root=root, progress=progress, rebuild=rebuild)

    def add_file(
        self,
        path: Path,
        *,
        kind: str = "uploaded",
        title: str | None = None,
        name: str | None = None,
    ) -> Any:
        """Keep an uploaded file in the uploads folder and index it (see uploads.add_upload)."""
        from bot.core.knowledge.uploads import add_upload

        with self._write_lock:  # two uploads of one name must not pick the same free name
            return add_upload(self, path, name=name or path.name, title=title, kind=kind)

    def chunk_count(self, source: str) -> int:
        """How many passages one document has in the index (0 if it is not there)."""
        record = self._current().sources.get(source)
        return len(record.chunk_ids) if record else 0

    def remove(self, source: str) -> bool:
        """Remove a document from the index (an uploaded file is deleted as well)."""
        with self._write_lock:
            state = self._current()
            record = state.sources.get(source)
            if record is None:
                return False
            sources = {key: value for key, value in state.sources.items() if key != source}
            excluded = state.excluded
            if record.root == "uploads":
                Path(record.path).unlink(missing_ok=True)
            else:
                excluded = excluded | {source}
            self._commit(state, sources, excluded)
            return True

    def _sync(
        self, specs: Sequence[FileSpec], *, root: str, progress: Progress | None, rebuild: bool
    ) -> IngestReport:
        state = self._current()  # another process may have ingested since we loaded
        reembed = rebuild or state.embedder != self._space
        sources, new_chunks, report = plan_changes(
            state, specs, root=root, rebuild=rebuild, progress=progress
        )
        if not report.changed and not reembed:
            report.chunks = len(state.chunks)
            return report
        old_chunks = {chunk.id: chunk for chunk in state.chunks}
        pool = {**old_chunks, **new_chunks}
        referenced = {i: pool[i] for record in sources.values() for i in record.chunk_ids}
        # Vectors already in this embedder's collection are reused; the rest are embedded.
        todo = [
            chunk
            for chunk_id, chunk in referenced.items()
            if (reembed or chunk_id not in old_chunks) and chunk.kind not in self.keyword_only_kinds
        ]
        report.embedded = embed_missing(
            self._collection, self.embedder, todo, check=not rebuild, progress=progress
        )
        self._commit(state, sources, state.excluded, chunks=pool)
        report.chunks = len(self._state.chunks)
        return report

    def _commit(
        self,
        state: Generation,
        sources: dict[str, SourceRecord],
        excluded: frozenset[str],
        chunks: dict[str, ChunkRecord] | None = None,
    ) -> None:
        """Write the new generation, switch to it, then drop vectors nothing refers to."""
        pool = chunks if chunks is not None else {chunk.id: chunk for chunk in state.chunks}
        ordered = [pool[chunk_id] for record in sources.values() for chunk_id in record.chunk_ids]
        self._state = write_generation(
            self.index_dir,
            embedder=self._space,
            sources=sources,
            chunks=ordered,
            excluded=excluded,
            previous=state.number,
        )
        self._marker = current_marker(self.index_dir)
        keep = {chunk.id for chunk in ordered}
        stale = [chunk_id for chunk_id in pool if chunk_id not in keep]
        stale += [c.id for c in state.chunks if c.id not in keep and c.id not in pool]
        for start in range(0, len(stale), _CHROMA_BATCH):
            self._collection.delete(ids=stale[start : start + _CHROMA_BATCH])


__all__ = ["SUPPORTED_SUFFIXES", "IngestReport", "KnowledgeBase", "SourceInfo"]
