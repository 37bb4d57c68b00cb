"""Reminders through faults: a run killed between claim and send, rate limits, a long outage."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web

from bot.cli import main
from bot.core.calendar.reminder_delivery import RateLimited, deliver_due, due_reminders
from bot.core.calendar.reminders import INTERRUPTED_AFTER, ReminderStore
from bot.core.calendar.rules import Calendar, load_calendar
from tests.conftest import KNOWLEDGE_DIR
from tests.fakes.botapi import BotCall, FakeBotApi

SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBSCRIBED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=SHANGHAI)
NINE = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)  # 7 days before 国家宪法日


class LimitedOutbox:
    """An async `send` that answers the first `limited` calls with a 429, `failing` with an
    error, and records what it delivered."""

    def __init__(self, *, limited: int = 0, retry_after: float = 5.0, failing: bool = False):
        self.limited, self.retry_after, self.failing = limited, retry_after, failing
        self.sent: list[int] = []

    async def __call__(self, chat_id: int, text: str) -> None:
        if self.limited:
            self.limited -= 1
            raise RateLimited(self.retry_after)
        if self.failing:
            raise ConnectionError("network down")
        self.sent.append(chat_id)


class Sleeper:
    """A `sleep` that records how long it was asked to wait, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return load_calendar(KNOWLEDGE_DIR / "calendar.toml", report_deadline=None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ReminderStore]:
    store = ReminderStore(tmp_path / "reminders.sqlite3")
    store.subscribe(1, now=SUBSCRIBED_AT)
    yield store
    store.close()


async def test_a_claim_interrupted_before_sending_is_not_resent_and_is_listed(
    cal: Calendar, store: ReminderStore
) -> None:
    [item] = due_reminders(cal, store, NINE)
    assert store.claim(item.sent_key, NINE)  # ... and the process is killed here
    later = NINE + INTERRUPTED_AFTER + timedelta(minutes=1)

    soon = store.interrupted(NINE + timedelta(minutes=1))
    listed = store.interrupted(later)
    report = await deliver_due(due_reminders(cal, store, later), store, LimitedOutbox(), now=later)

    assert soon == []  # a send in progress is not an interruption
    assert [key for key, _ in listed] == [item.sent_key]
    assert report.sent == 0


def _data_dir_with_a_subscriber(tmp_path: Path) -> tuple[Path, ReminderStore]:
    """A data dir whose reminder store (returned open) has chat 1 subscribed."""
    data = tmp_path / "data"
    data.mkdir()
    store = ReminderStore(data / "reminders.sqlite3")
    store.subscribe(1, now=SUBSCRIBED_AT)
    return data, store


def test_reminders_status_shows_interrupted_reminders_to_the_admin(
    cal: Calendar, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    data, store = _data_dir_with_a_subscriber(tmp_path)
    [item] = due_reminders(cal, store, NINE)
    store.claim(item.sent_key, NINE)
    store.close()
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(data))

    code = main(["reminders", "status", "--now", "2026-11-27T10:00"])

    out = capsys.readouterr().out
    assert code == 1
    assert "发送中 1 条" in out and "中断" in out
    assert f"对话 1 · {item.key} · 2026-12-04" in out


async def test_a_rate_limit_is_waited_out_as_asked_and_the_reminder_sent_once(
    cal: Calendar, store: ReminderStore
) -> None:
    outbox, sleeper = LimitedOutbox(limited=3, retry_after=5), Sleeper()

    report = await deliver_due(
        due_reminders(cal, store, NINE), store, outbox, now=NINE, sleep=sleeper
    )

    assert sleeper.waits == [5, 5, 5]
    assert (report.sent, report.failed, report.waited) == (1, 0, 15)
    assert outbox.sent == [1]


async def test_a_rate_limit_past_the_end_of_the_day_leaves_the_reminder_for_a_later_run(
    cal: Calendar, store: ReminderStore
) -> None:
    late = NINE.replace(hour=23, minute=59)
    sleeper = Sleeper()

    report = await deliver_due(due_reminders(cal, store, late), store,
                               LimitedOutbox(limited=1, retry_after=120), now=late, sleep=sleeper)  # fmt: skip

    assert sleeper.waits == [] and report.failed == 1


async def test_a_failing_send_is_retried_with_pauses_all_day_then_goes_out_once(
    cal: Calendar, store: ReminderStore
) -> None:
    down, up = LimitedOutbox(failing=True), LimitedOutbox()
    failures = 0
    for minute in range(0, 11 * 60, 5):  # every five minutes from 09:00 to 19:55
        now = NINE + timedelta(minutes=minute)
        failures += (await deliver_due(due_reminders(cal, store, now), store, down, now=now)).failed
    evening = NINE.replace(hour=21)  # past the last pause

    sent = await deliver_due(due_reminders(cal, store, evening), store, up, now=evening)
    again = await deliver_due(due_reminders(cal, store, evening), store, up, now=evening)
    next_day = due_reminders(cal, store, NINE + timedelta(days=1))

    assert 10 < failures < 30  # pauses of 1, 2, 4 … 30 minutes, never given up
    assert (sent.sent, again.sent, up.sent) == (1, 0, [1])
    assert all(item.occurrence_date != NINE.date() + timedelta(days=7) or item.lead != 7
               for item in next_day)  # fmt: skip


class RateLimitingBotApi(FakeBotApi):
    """The fake server answering the first `limited` sendMessage calls with 429."""

    def __init__(self, limited: int) -> None:
        super().__init__()
        self.limited = limited

    async def _api_sendMessage(self, call: BotCall) -> Any:
        if self.limited:
            self.limited -= 1
            body = {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1}}  # fmt: skip
            raise web.HTTPTooManyRequests(text=json.dumps(body), content_type="application/json")
        return await super()._api_sendMessage(call)


@pytest.fixture
async def limiting_api() -> AsyncIterator[RateLimitingBotApi]:
    async with RateLimitingBotApi(limited=3) as server:
        yield server


async def test_cron_send_honours_retry_after_and_delivers_after_three_429s(
    limiting_api: RateLimitingBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    data, store = _data_dir_with_a_subscriber(tmp_path)
    store.close()
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(data))
    for field, value in limiting_api.settings_kwargs().items():
        monkeypatch.setenv(f"LAWBOT_{field.upper()}", value)

    code = await asyncio.to_thread(
        main, ["reminders", "send", "--now", "2026-11-27T09:00", "--no-examples"]
    )

    assert code == 0
    assert "已发送 1 条" in capsys.readouterr().out
    assert len(limiting_api.calls_of("sendMessage")) == 4


def test_the_bot_logs_interrupted_reminders_at_start_up(
    cal: Calendar, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.services import Services
    from bot.settings import Settings
    from bot.tg.reminders.jobs import log_missed

    settings = Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE_DIR)  # type: ignore[call-arg]
    services = Services(settings)
    services.reminders.subscribe(1, now=SUBSCRIBED_AT)
    [item] = due_reminders(cal, services.reminders, NINE)
    services.reminders.claim(item.sent_key, NINE)

    log_missed(services, NINE + timedelta(hours=1))
    services.close()

    assert any("interrupted" in r.message and r.levelname == "WARNING" for r in caplog.records)
