"""More commands through the real Application: LLM timeout, /check, dates and reminders."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import docx
import pytest

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.tg.app import build_application
from tests.fakes.botapi import FakeBotApi, lawbot_services, running
from tests.fakes.openai_server import FakeOpenAIServer

USER = 1001
DRAFT_WITH_PROBLEMS = (
    "关于2025年度法治政府建设情况的报告\n\n"
    "一、主要举措和成效\n我乡深入学习贯彻习近平法制思想，开展普法宣传12场。\n\n"
    "三、下一年度主要安排\n继续加强法治建设。"
)


@pytest.fixture
async def bot(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> AsyncIterator[FakeBotApi]:
    services = lawbot_services(
        api, tmp_path, parts={"knowledge": knowledge_base}, allowed_users=[USER]
    )
    async with running(build_application(services)):
        yield api
    services.close()


async def test_llm_timeout_falls_back_to_offline_draft_with_a_notice(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    llm = FakeOpenAIServer()
    base_url = await llm.start()
    llm.hang()
    fields: dict[str, Any] = {"llm_base_url": base_url, "llm_timeout": 0.5}
    services = lawbot_services(
        api, tmp_path, parts={"knowledge": knowledge_base}, allowed_users=[USER], **fields
    )

    async with running(build_application(services)):
        api.send_text(USER, "/draft 主要举措和成效")
        await api.next_reply(USER)
        api.send_text(USER, "开展普法宣传活动12场。")
        drafted = await api.reply_with_buttons(USER)
    services.close()
    await llm.stop()

    assert "请求超时" in drafted.text
    assert "12场" in drafted.text
    assert "出错了" not in drafted.text


async def test_llm_answer_is_used_when_the_model_replies(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    llm = FakeOpenAIServer()
    base_url = await llm.start()
    llm.reply("一、主要举措和成效\n全年开展普法宣传活动12场，群众法治意识明显增强。")
    services = lawbot_services(
        api,
        tmp_path,
        parts={"knowledge": knowledge_base},
        allowed_users=[USER],
        llm_base_url=base_url,
    )

    async with running(build_application(services)):
        api.send_text(USER, "/draft 主要举措和成效")
        await api.next_reply(USER)
        api.send_text(USER, "开展普法宣传活动12场。")
        drafted = await api.reply_with_buttons(USER)
    services.close()
    await llm.stop()

    assert "群众法治意识明显增强" in drafted.text
    assert "12场" in llm.user_prompt()


async def test_check_pasted_text_lists_findings_by_kind(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/check " + DRAFT_WITH_PROBLEMS)

    reply = await bot.next_reply(USER)

    assert "检查发现" in reply.text
    assert "法制思想" in reply.text or "法治思想" in reply.text
    assert "<b>" in reply.text


async def test_check_waits_for_an_uploaded_docx(bot: FakeBotApi) -> None:
    document = docx.Document()
    for paragraph in DRAFT_WITH_PROBLEMS.split("\n"):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)

    bot.send_text(USER, "/check")
    prompt = await bot.next_reply(USER)
    bot.send_document(USER, "报告.docx", buffer.getvalue())
    reply = await bot.next_reply(USER)

    assert "上传" in prompt.text
    assert "检查发现" in reply.text


async def test_outline_is_not_exported_as_the_report(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/outline")
    outline = await bot.next_reply(USER)
    bot.send_text(USER, "/export")
    refused = await bot.next_reply(USER)

    assert "主要举措和成效" in outline.text and "/report" in outline.text
    assert "未完成" in refused.text
    assert not bot.calls_of("sendDocument")


async def test_examples_show_passages_each_with_its_source(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/examples 普法宣传")

    reply = await bot.next_reply(USER)

    assert reply.text.startswith("1. 《")
    assert "\n\n2. 《" in reply.text
    assert "参考来源" not in reply.text  # each passage already names its source


async def test_settings_year_is_saved_and_a_bad_year_is_refused(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/settings")
    menu = await bot.next_reply(USER)
    bot.press(USER, menu, "修改年度")
    await bot.next_reply(USER)
    bot.send_text(USER, "二〇二五")
    refused = await bot.next_reply(USER)
    bot.send_text(USER, "2025")
    saved = await bot.next_reply(USER)

    assert "四位数字" in refused.text
    assert "已保存年度：2025" in saved.text


async def test_dates_subscribe_remind_and_delete(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/dates 366")
    dates = await bot.next_reply(USER)
    bot.send_text(USER, "/subscribe")
    subscribed = await bot.next_reply(USER)
    bot.send_text(USER, "/remind 3天后 提交宪法宣传周活动方案")
    reminded = await bot.next_reply(USER)
    bot.send_text(USER, "/reminders")
    listing = await bot.next_reply(USER)
    bot.press(USER, listing, "删除 1")
    deleted = await bot.next_reply(USER)
    bot.send_text(USER, "/reminders")
    after = await bot.next_reply(USER)

    assert "宪法" in dates.text
    assert "已订阅" in subscribed.text
    assert "提交宪法宣传周活动方案" in reminded.text
    assert "已订阅" in listing.text and "提交宪法宣传周活动方案" in listing.text
    assert "已删除" in deleted.text
    assert "没有待发送的自定义提醒" in after.text


async def test_remind_without_a_time_shows_an_example(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/remind")

    reply = await bot.next_reply(USER)

    assert "/remind 明天上午9点" in reply.text
