"""The Chroma collection the knowledge base keeps its vectors in, opened on first use.

A Chroma server may be down when the bot starts or go away later: every call here turns
"cannot reach it" into KnowledgeUnavailable (a message fit for a user), and the next call tries
again, so the bot recovers by itself when the server is back.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from bot.core.errors import KnowledgeUnavailable
from bot.core.knowledge.index_store import ChunkRecord
from bot.core.passages import HEADING_SEPARATOR

logger = logging.getLogger(__name__)


class VectorCollection:
    """One Chroma collection; `chroma` is a client or a function that opens one."""

    def __init__(self, chroma: Any | Callable[[], Any], *, name: str, embedder: str) -> None:
        self._chroma = chroma
        self._name = name
        self._embedder = embedder
        self._opened: Any = None
        self._lock = threading.Lock()

    def open(self) -> None:
        """Connect now if not yet connected (KnowledgeUnavailable if the server is down)."""
        with reaching_chroma():
            self._collection()

    def query(self, **kwargs: Any) -> Any:
        with reaching_chroma():
            return self._collection().query(**kwargs)

    def get(self, **kwargs: Any) -> Any:
        with reaching_chroma():
            return self._collection().get(**kwargs)

    def upsert(self, **kwargs: Any) -> None:
        with reaching_chroma():
            self._collection().upsert(**kwargs)

    def delete(self, **kwargs: Any) -> None:
        with reaching_chroma():
            self._collection().delete(**kwargs)

    def _collection(self) -> Any:
        if self._opened is None:
            with self._lock:
                if self._opened is None:
                    client = self._chroma
                    if not hasattr(client, "get_or_create_collection"):
                        client = self._chroma = client()  # a factory: connect now
                    self._opened = client.get_or_create_collection(
                        name=self._name,
                        # we pass vectors: Chroma's default model would download one
                        embedding_function=None,
                        metadata={"hnsw:space": "cosine", "embedder": self._embedder},
                    )
        return self._opened


@contextlib.contextmanager
def reaching_chroma() -> Iterator[None]:
    """Turn "the Chroma server cannot be reached" into KnowledgeUnavailable.

    httpx errors come from a client whose server went away; the ValueError is what
    chromadb.HttpClient raises when no server answers at connect time.
    """
    try:
        yield
    except (httpx.TransportError, ConnectionError) as error:
        logger.warning("Chroma server unreachable: %s", error)
        raise KnowledgeUnavailable() from error
    except ValueError as error:
        if "Could not connect" not in str(error):
            raise
        logger.warning("Chroma server unreachable: %s", error)
        raise KnowledgeUnavailable() from error


def chunk_metadata(chunk: ChunkRecord) -> dict[str, str | int]:
    """What Chroma stores with a vector: the filters search applies (kind, year, issuer)."""
    return {
        "source": chunk.source,
        "title": chunk.title,
        "heading": HEADING_SEPARATOR.join(chunk.heading),
        "kind": chunk.kind,
        "year": chunk.year or 0,
        "issuer": chunk.issuer or "",
    }


def where_clause(kinds: list[str], year: int | None, issuers: list[str]) -> dict[str, Any] | None:
    """The Chroma `where` filter for a search's kinds, year and issuers (None: no filter)."""
    clauses: list[dict[str, Any]] = []
    if kinds:
        clauses.append({"kind": {"$in": kinds}})
    if year is not None:
        clauses.append({"year": {"$eq": year}})
    if issuers:
        clauses.append({"issuer": {"$in": issuers}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
