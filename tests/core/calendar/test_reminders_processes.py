"""Two real bot processes on one reminders database: each reminder still goes out once."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.calendar.reminder_delivery import deliver_due, due_reminders
from bot.core.calendar.reminders import ReminderStore
from bot.core.calendar.rules import load_calendar
from tests.conftest import PROJECT_ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR_FILE = PROJECT_ROOT / "knowledge" / "calendar.toml"
SUBSCRIBED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=SHANGHAI)
WEEK_BEFORE_CONSTITUTION_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)  # 7 days before 12·4


def _bot_process(db_path: str, outbox: str, start: multiprocessing.synchronize.Barrier) -> None:
    """What one bot process does at 09:00: find what is due, then send it (to a file)."""
    calendar = load_calendar(CALENDAR_FILE, report_deadline=None)
    store = ReminderStore(Path(db_path))

    async def send(chat_id: int, text: str) -> None:
        with open(outbox, "a", encoding="utf-8") as out:
            out.write(f"{chat_id}\t{text.splitlines()[0]}\n")

    try:
        due = due_reminders(calendar, store, WEEK_BEFORE_CONSTITUTION_DAY)
        start.wait(timeout=60)  # both processes have computed the same work before sending
        asyncio.run(deliver_due(due, store, send, now=WEEK_BEFORE_CONSTITUTION_DAY))
    finally:
        store.close()


def test_two_processes_racing_on_one_database_send_each_reminder_once(tmp_path: Path) -> None:
    db_path = tmp_path / "reminders.sqlite3"
    setup = ReminderStore(db_path)
    for chat in range(1, 31):
        setup.subscribe(chat, now=SUBSCRIBED_AT)
    setup.close()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    outboxes = [tmp_path / f"outbox-{n}.txt" for n in range(2)]
    processes = [
        context.Process(target=_bot_process, args=(str(db_path), str(outbox), start))
        for outbox in outboxes
    ]

    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)

    assert [process.exitcode for process in processes] == [0, 0]
    sent = [
        line
        for outbox in outboxes
        if outbox.exists()
        for line in outbox.read_text(encoding="utf-8").splitlines()
    ]
    assert len(sent) == 30
    assert {line.split("\t")[0] for line in sent} == {str(chat) for chat in range(1, 31)}
