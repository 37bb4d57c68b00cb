"""The Telegram and CLI edges of reminders, against the fake Bot API server."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from telegram import Bot
from telegram.ext import Application

from bot.cli import main
from bot.core.calendar.reminders import ReminderStore
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.services import Services
from bot.settings import Settings
from bot.tg.reminders.jobs import (
    JOB_NAME,
    example_searcher,
    log_missed,
    schedule_reminders,
    send_due_reminders,
)
from tests.conftest import PROJECT_ROOT
from tests.fakes.botapi import BotCall, FakeBotApi

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SUBSCRIBED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=SHANGHAI)
WEEK_BEFORE_CONSTITUTION_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)
BLOCKED_BODY = {
    "ok": False,
    "error_code": 403,
    "description": "Forbidden: bot was blocked by the user",
}


class BlockingBotApi(FakeBotApi):
    """The fake server, where some chats have blocked the bot (sendMessage -> 403)."""

    def __init__(self, blocked: Sequence[int] = ()) -> None:
        super().__init__()
        self.blocked = set(blocked)

    async def _api_sendMessage(self, call: BotCall) -> Any:
        if call.chat_id in self.blocked:
            raise web.HTTPForbidden(text=json.dumps(BLOCKED_BODY), content_type="application/json")
        return await super()._api_sendMessage(call)


def _settings(data_dir: Path, api: FakeBotApi | None = None) -> Settings:
    extra = api.settings_kwargs() if api else {}
    return Settings(_env_file=None, data_dir=data_dir, knowledge_dir=KNOWLEDGE_DIR, **extra)  # type: ignore[call-arg]


def _subscribe(data_dir: Path, *chats: int) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    store = ReminderStore(data_dir / "reminders.sqlite3")
    for chat in chats:
        store.subscribe(chat, now=SUBSCRIBED_AT)
    store.close()


@pytest.fixture
async def api() -> AsyncIterator[BlockingBotApi]:
    async with BlockingBotApi(blocked=[2]) as server:
        yield server


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    services = Services(_settings(tmp_path / "data"))
    yield services
    services.close()


def _messages(api: FakeBotApi) -> list[tuple[int | None, str]]:
    return [(call.chat_id, call.text) for call in api.calls_of("sendMessage")]


async def test_due_reminders_go_out_through_the_bot_api_once(
    api: BlockingBotApi, tmp_path: Path
) -> None:
    _subscribe(tmp_path / "data", 1, 3)
    services = Services(_settings(tmp_path / "data", api))
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        first = await send_due_reminders(services, bot, WEEK_BEFORE_CONSTITUTION_DAY, None)
        second = await send_due_reminders(services, bot, WEEK_BEFORE_CONSTITUTION_DAY, None)
    services.close()

    assert (first.sent, second.sent) == (2, 0)
    assert [chat for chat, _ in _messages(api)] == [1, 3]
    assert "国家宪法日" in _messages(api)[0][1]


async def test_reminder_over_telegram_carries_past_examples_on_the_dates_theme(
    api: BlockingBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    # 2027-04-08 is seven days before 全民国家安全教育日; the bundled reports write about it.
    _subscribe(tmp_path / "data", 1)
    services = Services(_settings(tmp_path / "data", api), knowledge=knowledge_base)
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        now = datetime(2027, 4, 8, 9, 0, tzinfo=SHANGHAI)
        await send_due_reminders(services, bot, now, example_searcher(services))
    services.close()

    (text,) = [text for _, text in _messages(api) if "全民国家安全教育日" in text]
    examples = text.split("往年材料参考：", 1)[1].split("依据：", 1)[0]
    assert "国家安全" in examples


async def test_blocked_chat_over_telegram_is_paused_and_others_served(
    api: BlockingBotApi, tmp_path: Path
) -> None:
    _subscribe(tmp_path / "data", 1, 2, 3)
    services = Services(_settings(tmp_path / "data", api))
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        report = await send_due_reminders(services, bot, WEEK_BEFORE_CONSTITUTION_DAY, None)
    paused = services.reminders.is_paused(2)
    services.close()

    assert report.blocked == [2]
    assert paused
    delivered = [chat for chat, _ in _messages(api) if chat != 2]
    assert delivered == [1, 3]


async def test_reminder_text_is_html_escaped_for_telegram(
    api: BlockingBotApi, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = ReminderStore(data_dir / "reminders.sqlite3")
    store.add_custom(9, datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI), "检查 <b>方案</b> & 材料",
                     now=SUBSCRIBED_AT)  # fmt: skip
    store.close()
    services = Services(_settings(data_dir, api))
    async with Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        await send_due_reminders(services, bot, datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI), None)
    services.close()

    (call,) = api.calls_of("sendMessage")
    assert "检查 &lt;b&gt;方案&lt;/b&gt; &amp; 材料" in call.text
    assert call.params.get("parse_mode") == "HTML"


async def test_cli_reminders_send_twice_sends_once(
    api: BlockingBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    _subscribe(tmp_path / "data", 1, 3)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    for field, value in api.settings_kwargs().items():
        monkeypatch.setenv(f"LAWBOT_{field.upper()}", value)
    argv = ["reminders", "send", "--now", "2026-11-27T09:00", "--no-examples"]

    first = await asyncio.to_thread(main, argv)
    second = await asyncio.to_thread(main, argv)

    assert (first, second) == (0, 0)
    assert [chat for chat, _ in _messages(api)] == [1, 3]
    output = capsys.readouterr().out
    assert "已发送 2 条" in output
    assert "已发送 0 条" in output


def test_cli_reminders_due_lists_without_sending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _subscribe(tmp_path / "data", 1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    argv = ["reminders", "due", "--now", "2026-11-27T09:00+08:00", "--json", "--no-examples"]

    first_code = main(argv)
    first = json.loads(capsys.readouterr().out)
    second_code = main(argv)
    second = json.loads(capsys.readouterr().out)

    assert (first_code, second_code) == (0, 0)
    assert [(r["chat_id"], r["key"], r["lead"], r["name"]) for r in first] == [
        (1, "constitution-day", 7, "国家宪法日")
    ]
    assert second == first  # listing does not claim anything


def test_cli_dates_json_lists_occurrences_with_estimates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))

    code = main(["dates", "--from", "2027-09-10", "--days", "10", "--json"])

    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert code == 0
    assert rows["defence-education-day"]["date"] == "2027-09-18"
    assert rows["defence-education-day"]["end"] is None
    assert (rows["cybersecurity-week"]["date"], rows["cybersecurity-week"]["end"]) == (
        "2027-09-13",
        "2027-09-19",
    )
    assert rows["cybersecurity-week"]["estimated"] is True
    assert rows["science-month"]["kind"] == "普法节点"


def test_cli_confirm_makes_a_week_no_longer_estimated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))

    confirmed = main(["reminders", "confirm", "constitution-week", "2026-11-30", "2026-12-06"])
    refused = main(["reminders", "confirm", "constitution-day", "2026-12-04"])
    capsys.readouterr()
    main(["dates", "--from", "2026-11-25", "--days", "5", "--json"])

    rows = {row["key"]: row for row in json.loads(capsys.readouterr().out)}
    assert (confirmed, refused) == (0, 1)
    assert rows["constitution-week"]["date"] == "2026-11-30"
    assert rows["constitution-week"]["estimated"] is False


async def test_schedule_reminders_registers_one_named_repeating_job(services: Services) -> None:
    application = Application.builder().token("123:TEST").build()
    application.bot_data["services"] = services

    schedule_reminders(application)
    schedule_reminders(application)  # e.g. post_init run twice: still one job
    assert application.job_queue is not None
    jobs = [job for job in application.job_queue.get_jobs_by_name(JOB_NAME) if not job.removed]

    assert len(jobs) == 1


def test_missed_reminders_of_earlier_days_are_logged(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    services.reminders.subscribe(1, now=SUBSCRIBED_AT)

    count = log_missed(services, datetime(2026, 11, 28, 8, 0, tzinfo=SHANGHAI))

    assert count == 3  # 11-24, 11-25 and 11-27 (7 days before three December dates)
    assert "skipping missed reminder constitution-day" in caplog.text
