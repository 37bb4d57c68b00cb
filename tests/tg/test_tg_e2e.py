"""The real Application against the fake Bot API: commands, questions, drafting, errors.

Searches go to the real knowledge base (embedded Chroma + BM25, built once per test run); the
upload tests in test_tg_upload.py build their own, since uploads change it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from bot.core.errors import InputError
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.knowledge.timewords import TimeFrame
from bot.core.report.model import default_report_year
from bot.core.writing.sections import load_sections
from bot.core.writing.writer import Result
from bot.tg.app import build_application
from bot.tg.formatting import utf16_len
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

USER = 1001
ADMIN = 2002
STRANGER = 3003


def _services(
    api: FakeBotApi,
    data_dir: Path,
    knowledge_base: KnowledgeBase,
    writer: Any = None,
    **fields: Any,
) -> Any:
    """Services on the shared knowledge base (and `writer`, when given)."""
    parts: dict[str, Any] = {"knowledge": knowledge_base}
    if writer is not None:
        parts["writer"] = writer
    return lawbot_services(
        api, data_dir, parts=parts, allowed_users=[USER], admin_users=[ADMIN], **fields
    )


@pytest.fixture
async def bot(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> AsyncIterator[FakeBotApi]:
    services = _services(api, tmp_path, knowledge_base)
    async with running(build_application(services)):
        yield api
    services.close()


async def test_start_explains_and_offers_buttons_and_menu_is_registered(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/start")

    reply = await bot.next_reply(USER)

    assert "法治助手" in reply.text
    assert ("我的报告", "menu:report") in reply.buttons
    assert ("起草一部分", "menu:draft") in reply.buttons
    assert reply.params["parse_mode"] == "HTML"
    names = [command["command"] for command in bot.commands]
    assert {"start", "ask", "draft", "check", "export", "settings", "cancel"} <= set(names)
    assert all(command["description"] for command in bot.commands)


async def test_plain_text_question_is_answered_with_numbered_sources(bot: FakeBotApi) -> None:
    bot.send_text(USER, "法治政府建设年度报告应当包括哪些内容？")

    reply = await bot.next_reply(USER)

    assert "参考来源" in reply.text
    assert "\n1. 《" in reply.text


async def test_guided_draft_flow_with_revision_and_word_export(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/settings 单位 仓头乡人民政府")
    await bot.next_reply(USER)
    bot.send_text(USER, "/draft")
    menu = await bot.next_reply(USER)

    bot.press(USER, menu, "主要举措和成效")
    prompt = await bot.next_reply(USER)
    bot.send_text(USER, "全年开展普法宣传活动12场，发放资料3000余份；调解矛盾纠纷86件。")
    drafted = await bot.reply_with_buttons(USER)
    bot.press(USER, drafted, "更正式")
    revised = await bot.reply_with_buttons(USER)
    bot.press(USER, revised, "导出整篇报告")
    refused = await bot.reply_with_buttons(USER)  # the other parts are still the outline
    bot.press(USER, refused, "仍然导出")
    exported = await bot.next_reply(USER)

    assert "例如" in prompt.text
    assert "12场" in drafted.text
    assert "参考来源" in drafted.text
    assert [label for label, _ in drafted.buttons] == [
        "重新生成",
        "更简洁",
        "更正式",
        "扩写",
        "查看整篇报告",
        "导出整篇报告",
    ]
    assert "已存入报告“一、主要举措和成效”" in drafted.text
    assert "12场" in revised.text
    assert "未完成" in refused.text
    assert exported.method == "sendDocument"
    assert exported.filename and exported.filename.endswith(".docx")
    document = docx.Document(io.BytesIO(exported.content or b""))
    section = document.sections[0]
    assert abs(section.top_margin - Mm(37)) < Mm(0.5)
    assert abs(section.left_margin - Mm(28)) < Mm(0.5)
    fonts = {
        run._r.rPr.rFonts.get(qn("w:eastAsia"))
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run._r.rPr is not None and run._r.rPr.rFonts is not None
    }
    assert "仿宋_GB2312" in fonts
    assert any("12场" in p.text for p in document.paragraphs)


async def test_drafting_step_survives_a_restart(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    first = _services(api, tmp_path, knowledge_base)
    async with running(build_application(first)):
        api.send_text(USER, "/draft 存在的不足和原因")
        await api.next_reply(USER)
    first.close()
    second = _services(api, tmp_path, knowledge_base)

    async with running(build_application(second)):
        api.send_text(USER, "干部学法不够深入，执法人员持证比例不高。")
        drafted = await api.reply_with_buttons(USER)
    second.close()

    assert "持证" in drafted.text


async def test_cancel_leaves_the_drafting_step(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/draft 下一年度主要安排")
    await bot.next_reply(USER)

    bot.send_text(USER, "/cancel")
    cancelled = await bot.next_reply(USER)
    bot.send_text(USER, "法治政府建设年度报告什么时候公开？")
    answer = await bot.next_reply(USER)

    assert cancelled.text == "已取消。"
    assert not answer.buttons  # a question's answer, not a draft


async def test_export_before_anything_is_written_says_what_is_unfinished(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/export")

    reply = await bot.next_reply(USER)

    assert "未完成" in reply.text
    assert ("仍然导出", "rp:xf") in reply.buttons
    assert not bot.calls_of("sendDocument")


async def test_unauthorized_user_sees_only_their_id(bot: FakeBotApi) -> None:
    bot.send_text(STRANGER, "法治政府建设年度报告应当包括哪些内容？")

    reply = await bot.next_reply(STRANGER)

    assert f"<code>{STRANGER}</code>" in reply.text
    assert "暂无使用权限" in reply.text
    assert not bot.calls_of("sendChatAction")
    assert bot.pending_replies(STRANGER) == []


async def test_unlisted_group_is_refused_and_shows_the_group_id(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/start", chat_id=-500, chat_type="group")

    reply = await bot.next_reply(-500)

    assert "<code>-500</code>" in reply.text


async def test_without_an_allowlist_everyone_is_refused(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    services = lawbot_services(api, tmp_path)
    caplog.set_level(logging.WARNING)

    async with running(build_application(services)):
        api.send_text(USER, "/start")
        reply = await api.next_reply(USER)
    services.close()

    assert "暂无使用权限" in reply.text
    assert "LAWBOT_ADMIN_USERS" in caplog.text


class _FakeWriter:
    """What the report workspace reads from a writer: the section catalog."""

    catalog = load_sections()


class _LongWriter(_FakeWriter):
    """A writer whose every answer is about 11,000 characters in 30 paragraphs."""

    async def ask(self, question: str, *, when: object = None) -> Result:
        paragraphs = [f"第{n}段：" + "依法行政<规范>" * 45 for n in range(30)]
        return Result("\n\n".join(paragraphs), (), "offline")


async def test_long_reply_is_split_at_paragraphs_under_the_limit(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    services = _services(api, tmp_path, knowledge_base, _LongWriter())

    async with running(build_application(services)):
        api.send_text(USER, "长一点")
        first = await api.next_reply(USER)
        rest = await api.replies_until(USER, lambda call: "第29段" in call.text)
    services.close()

    messages = [first, *rest]
    assert len(messages) >= 3
    assert all(utf16_len(m.text) <= 4096 for m in messages)
    assert all(m.text.startswith("第") for m in messages)
    assert sum(m.text.count("&lt;规范&gt;") for m in messages) == 30 * 45


class _GatedWriter(_FakeWriter):
    """A writer that answers 第一个问题 only when the test opens the gate."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.started = asyncio.Event()

    async def ask(self, question: str, *, when: object = None) -> Result:
        if question == "第一个问题":
            self.started.set()
            await self.gate.wait()
        return Result(f"答：{question}", (), "offline")


async def test_second_request_while_the_first_runs_is_asked_to_wait(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    writer = _GatedWriter()
    services = _services(api, tmp_path, knowledge_base, writer)

    async with running(build_application(services)):
        api.send_text(USER, "第一个问题")
        await writer.started.wait()
        typing = await api.wait_call("sendChatAction")  # shown while the slow answer runs
        api.send_text(USER, "第二个问题")
        busy = await api.next_reply(USER)
        api.send_text(ADMIN, "别人的问题")
        await api.next_reply(ADMIN)  # another user is not blocked by the first
        writer.gate.set()
        answer = await api.next_reply(USER)
    services.close()

    assert typing.params == {"chat_id": USER, "action": "typing"}
    assert busy.text == "正在处理上一条，请稍候"
    assert answer.text == "答：第一个问题"


class _RecordingWriter(_FakeWriter):
    """Answers with nothing, keeping the time frame each question was asked with."""

    def __init__(self) -> None:
        self.frames: list[object] = []

    async def ask(self, question: str, *, when: object = None) -> Result:
        self.frames.append(when)
        return Result("好的", (), "offline")


async def test_a_question_is_read_against_the_chats_report_year_and_today(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    writer = _RecordingWriter()
    services = _services(api, tmp_path, knowledge_base, writer)
    now = dt.datetime.now(ZoneInfo(services.settings.timezone))

    async with running(build_application(services)):
        api.send_text(USER, "今年有什么打算？")  # no report yet: the year a report today is about
        await api.next_reply(USER)
        services.workspace.open(f"tg:{USER}", "青石镇人民政府", 2024, now)
        api.send_text(USER, "今年有什么打算？")
        await api.next_reply(USER)
    services.close()

    assert writer.frames == [
        TimeFrame(now.date(), default_report_year(now.date())),
        TimeFrame(now.date(), 2024),
    ]


class _BrokenWriter(_FakeWriter):
    async def ask(self, question: str, *, when: object = None) -> Result:
        if question == "太长":
            raise InputError("问题太长了（600 字），请控制在 500 字以内。")
        raise RuntimeError("boom")


async def test_error_handler_replies_with_a_reference_and_logs_the_traceback(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    services = _services(api, tmp_path, knowledge_base, _BrokenWriter())
    caplog.set_level(logging.ERROR)

    async with running(build_application(services)):
        api.send_text(USER, "会出错的问题")
        failed = await api.next_reply(USER)
        api.send_text(USER, "太长")
        refused = await api.next_reply(USER)
    services.close()

    assert failed.text.startswith("出错了，请稍后再试（编号：")
    assert "boom" not in failed.text
    reference = failed.text.split("编号：")[1].rstrip("）")
    assert reference in caplog.text
    assert "RuntimeError: boom" in caplog.text
    assert refused.text == "问题太长了（600 字），请控制在 500 字以内。"


async def test_unknown_command_points_to_help(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/nosuch")

    reply = await bot.next_reply(USER)

    assert "/help" in reply.text


async def test_post_init_schedules_the_reminder_job(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    services = _services(api, tmp_path, knowledge_base)
    application = build_application(services)

    async with running(application):
        jobs = application.job_queue.get_jobs_by_name("reminders")
    services.close()

    assert len(jobs) == 1
