"""Real processes on one reports database: a kill -9 between changes loses no committed
version, and two writers at once lose none of each other's changes."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.core.report.store import ReportStore
from bot.core.writing.sections import load_sections
from tests.conftest import PROJECT_ROOT

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=timezone(timedelta(hours=8)))

# A writer process: opens the store and makes numbered changes, printing each once committed.
WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from bot.core.report.store import ReportStore
from bot.core.writing.sections import load_sections

db, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
catalog = load_sections()
store = ReportStore(db, catalog, opening=catalog.report_opening)
now = datetime(2026, 12, 4, 10, 0, tzinfo=timezone(timedelta(hours=8)))
for n in range(count):
    fact = f"{name}-{n}"
    store.change(
        "local",
        f"fact {fact}",
        lambda r: r.with_part("measures", facts=(*r.part("measures").facts, fact)),
        now,
    )
    print(fact, flush=True)
"""


def _store(db: Path) -> ReportStore:
    catalog = load_sections()
    store = ReportStore(db, catalog, opening=catalog.report_opening)
    store.open("local", "青石镇人民政府", 2026, NOW)
    return store


def _writer(db: Path, name: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), name, str(count)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
    )


def test_a_kill_between_changes_leaves_every_committed_version_intact(tmp_path: Path) -> None:
    db = tmp_path / "reports.sqlite3"
    _store(db).close()
    writer = _writer(db, "a", 100_000)
    assert writer.stdout is not None
    confirmed = [writer.stdout.readline().strip() for _ in range(40)]

    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)

    store = _store(db)
    facts = store.require("local").part("measures").facts
    assert facts[: len(confirmed)] == tuple(confirmed)  # nothing confirmed was lost
    rows = sqlite3.connect(db).execute("SELECT version, parts FROM versions ORDER BY version")
    versions = [(version, json.loads(payload)) for version, payload in rows]
    assert [v for v, _ in versions] == list(range(1, len(versions) + 1))
    for version, parts in versions[1:]:  # each version holds the facts up to its change
        measures = next(p for p in parts if p["key"] == "measures")
        assert measures["facts"] == [f"a-{n}" for n in range(version - 1)]
    store.close()


def test_two_processes_changing_one_report_lose_none_of_each_others_changes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "reports.sqlite3"
    _store(db).close()
    writers = [_writer(db, name, 60) for name in ("a", "b")]

    outputs = [writer.communicate(timeout=120)[0].split() for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0]
    store = _store(db)
    facts = store.require("local").part("measures").facts
    assert sorted(facts) == sorted(outputs[0] + outputs[1])
    assert len(facts) == 120
    assert store.require("local").version == 121
    store.close()
