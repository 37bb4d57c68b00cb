"""Reports in SQLite: every change is a new version, undo steps back, nothing is overwritten.

Each owner (a Telegram chat, or "local" for the console and the CLI) has reports per unit and
year and one current report. A change reads the current version and writes the next one inside
one IMMEDIATE transaction (bot.core.database), so two processes on one data dir never lose
each other's changes and a crash (even kill -9) leaves every committed version intact.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bot.core.database import Database
from bot.core.errors import InputError
from bot.core.report.model import Part, Report, skeleton_parts
from bot.core.writing.sections import SectionCatalog

SCHEMA = """
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    org TEXT NOT NULL,
    year INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (owner, org, year)
);
CREATE TABLE IF NOT EXISTS versions (
    report_id INTEGER NOT NULL REFERENCES reports(id),
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    change TEXT NOT NULL,
    parts TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (report_id, version)
);
CREATE TABLE IF NOT EXISTS owners (
    owner TEXT PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id)
);
"""
NO_REPORT = "还没有报告。请先新建：/report 新建 单位名称 年度（命令行：lawbot report new --org 单位 --year 年度）。"
NOTHING_TO_UNDO = "没有可以撤销的修改。"


@dataclass(frozen=True)
class VersionInfo:
    """One entry of a report's history."""

    version: int
    created_at: str
    change: str
    undone: bool


class ReportStore:
    """Reads and writes reports; one connection per store, shared under a lock."""

    def __init__(self, db_path: Path, catalog: SectionCatalog, *, opening: str) -> None:
        self.catalog = catalog
        self.opening = opening
        self._db = Database(db_path, SCHEMA, synchronous="FULL")

    def close(self) -> None:
        self._db.close()

    # --- reports -------------------------------------------------------------------------
    def open(self, owner: str, org: str, year: int, now: datetime) -> Report:
        """The owner's report for this unit and year (created from the outline if new); it
        becomes the owner's current report. A current report with no unit name yet is adopted
        for the unit when the year matches, so earlier work is not left behind."""
        org = org.strip()
        with self._db.write() as db:
            row = db.execute(
                "SELECT id FROM reports WHERE owner = ? AND org = ? AND year = ?",
                (owner, org, year),
            ).fetchone()
            if row is None and org:
                row = db.execute(
                    "SELECT r.id FROM owners o JOIN reports r ON r.id = o.report_id"
                    " WHERE o.owner = ? AND r.org = '' AND r.year = ?",
                    (owner, year),
                ).fetchone()
                if row is not None:
                    db.execute("UPDATE reports SET org = ? WHERE id = ?", (org, row[0]))
            if row is None:
                cursor = db.execute(
                    "INSERT INTO reports (owner, org, year, created_at) VALUES (?, ?, ?, ?)",
                    (owner, org, year, now.isoformat()),
                )
                report_id = int(cursor.lastrowid or 0)
                parts = skeleton_parts(self.catalog, org=org, year=year, opening=self.opening)
                self._insert(db, report_id, 1, now, "新建报告（按提纲）", parts)
            else:
                report_id = int(row[0])
            db.execute(
                "INSERT INTO owners (owner, report_id) VALUES (?, ?)"
                " ON CONFLICT (owner) DO UPDATE SET report_id = excluded.report_id",
                (owner, report_id),
            )
            return self._load(db, report_id)

    def current(self, owner: str) -> Report | None:
        """The owner's current report, or None if they have none."""
        with self._db.snapshot() as db:  # the pointer and the version it names, as one state
            row = db.execute("SELECT report_id FROM owners WHERE owner = ?", (owner,)).fetchone()
            return self._load(db, int(row[0])) if row else None

    def require(self, owner: str) -> Report:
        report = self.current(owner)
        if report is None:
            raise InputError(NO_REPORT)
        return report

    # --- changes -------------------------------------------------------------------------
    def change(
        self, owner: str, what: str, edit: Callable[[Report], Report], now: datetime
    ) -> Report:
        """Apply `edit` to the owner's current report and store the result as a new version.

        `what` describes the change (shown by history and undo). If `edit` raises, nothing is
        stored. An edit that changes nothing stores nothing."""
        with self._db.write() as db:
            report_id = self._current_id(db, owner)
            before = self._load(db, report_id)
            after = edit(before)
            if after.parts == before.parts:
                return before
            last = db.execute(
                "SELECT MAX(version) FROM versions WHERE report_id = ?", (report_id,)
            ).fetchone()[0]
            self._insert(db, report_id, int(last) + 1, now, what, after.parts)
            return self._load(db, report_id)

    def undo(self, owner: str) -> tuple[Report, str]:
        """Bring back the version before the last change; returns it and what was undone."""
        with self._db.write() as db:
            report_id = self._current_id(db, owner)
            rows = db.execute(
                "SELECT version, change FROM versions WHERE report_id = ? AND undone = 0"
                " ORDER BY version DESC LIMIT 2",
                (report_id,),
            ).fetchall()
            if len(rows) < 2:
                raise InputError(NOTHING_TO_UNDO)
            version, change = rows[0]
            db.execute(
                "UPDATE versions SET undone = 1 WHERE report_id = ? AND version = ?",
                (report_id, version),
            )
            return self._load(db, report_id), str(change)

    def history(self, owner: str) -> list[VersionInfo]:
        """Every version of the current report, oldest first (undone ones marked)."""
        report = self.require(owner)
        rows = self._db.read(
            "SELECT version, created_at, change, undone FROM versions"
            " WHERE report_id = ? ORDER BY version",
            (report.id,),
        )
        return [VersionInfo(int(v), str(t), str(c), bool(u)) for v, t, c, u in rows]

    # --- rows <-> Report -----------------------------------------------------------------
    def _current_id(self, db: sqlite3.Connection, owner: str) -> int:
        row = db.execute("SELECT report_id FROM owners WHERE owner = ?", (owner,)).fetchone()
        if row is None:
            raise InputError(NO_REPORT)
        return int(row[0])

    @staticmethod
    def _insert(
        db: sqlite3.Connection,
        report_id: int,
        version: int,
        now: datetime,
        change: str,
        parts: tuple[Part, ...],
    ) -> None:
        payload = json.dumps([asdict(p) for p in parts], ensure_ascii=False)
        db.execute(
            "INSERT INTO versions (report_id, version, created_at, change, parts)"
            " VALUES (?, ?, ?, ?, ?)",
            (report_id, version, now.isoformat(), change, payload),
        )

    def _load(self, db: sqlite3.Connection, report_id: int) -> Report:
        owner, org, year = db.execute(
            "SELECT owner, org, year FROM reports WHERE id = ?", (report_id,)
        ).fetchone()
        version, payload = db.execute(
            "SELECT version, parts FROM versions WHERE report_id = ? AND undone = 0"
            " ORDER BY version DESC LIMIT 1",
            (report_id,),
        ).fetchone()
        parts = tuple(
            Part(
                key=p["key"],
                text=p["text"],
                origin=p["origin"],
                facts=tuple(p["facts"]),
                changed_at=p["changed_at"],
            )
            for p in json.loads(payload)
        )
        return Report(
            id=report_id,
            owner=str(owner),
            org=str(org),
            year=int(year),
            version=int(version),
            parts=parts,
            catalog=self.catalog,
        )
