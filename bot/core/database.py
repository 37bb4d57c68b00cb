"""One SQLite file shared by threads and processes, as every store here uses it.

WAL journal; one connection per store guarded by a lock (handlers call from worker threads);
autocommit reads, and writes inside BEGIN IMMEDIATE so that writers in other processes wait
instead of interleaving. A write that raises is rolled back whole.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal


class Database:
    """A locked SQLite connection with the schema applied."""

    def __init__(
        self,
        path: Path,
        schema: str,
        *,
        synchronous: Literal["NORMAL", "FULL"] = "NORMAL",
        timeout: float = 30.0,
    ) -> None:
        """`synchronous="FULL"` also survives a power loss (each commit waits for the disk)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(
            path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        with self._lock:
            self._db.executescript(schema)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A transaction: BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one state of the file (a deferred transaction: in WAL mode
        it does not hold writers up)."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield self._db
            finally:
                self._db.execute("COMMIT")

    def read(self, sql: str, params: Sequence[object] = ()) -> list[Any]:
        """All rows of one query."""
        with self._lock:
            return list(self._db.execute(sql, params).fetchall())
