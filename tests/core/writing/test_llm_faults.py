"""Faults of a configured model endpoint, through the real langchain-openai client: every one
ends in the offline result with a one-line notice, within the whole-request time limit."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.writing.answers import QUOTED_LABEL
from bot.core.writing.prompts import load_prompts
from bot.core.writing.writer import Writer
from tests.conftest import PROJECT_ROOT
from tests.fakes.openai_server import FakeOpenAIServer, Fault, chat_model

UNREADABLE = "大模型暂时无法使用（返回内容无法识别），以下为离线模式的结果。"
TIMED_OUT = "大模型暂时无法使用（请求超时），以下为离线模式的结果。"


def make_writer(
    server: FakeOpenAIServer, kb: KnowledgeBase, *, timeout: float = 5.0, client_timeout: float = 30
) -> Writer:
    """The client is built as bot/services.py builds it; its own (per-read) timeout is long, so
    only the writer's whole-request limit can end a slow reply."""
    model = chat_model(server, timeout=client_timeout)
    return Writer(kb, model, load_prompts(PROJECT_ROOT / "prompts"), llm_timeout=timeout)


@pytest.mark.parametrize("fault", ["garbage", "html", "no_choices"])
async def test_malformed_reply_to_a_draft_falls_back_to_offline_with_a_notice(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase, fault: Fault
) -> None:
    server.fault(fault)
    writer = make_writer(server, knowledge_base)

    result = await writer.draft("普法宣传", "全年开展普法宣讲15场", org="城关镇", year=2024)

    assert result.mode == "offline"
    assert result.warnings[0] == UNREADABLE
    assert "15场" in result.text


@pytest.mark.parametrize("fault", ["garbage", "html", "no_choices"])
async def test_malformed_reply_to_a_question_falls_back_to_offline_with_a_notice(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase, fault: Fault
) -> None:
    server.fault(fault)
    writer = make_writer(server, knowledge_base)

    result = await writer.ask("年度报告什么时候报送？")

    assert result.mode == "offline"
    assert result.warnings == (UNREADABLE,)
    assert result.sources


async def test_malformed_reply_to_a_revision_falls_back_to_the_offline_revision(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.fault("html")
    writer = make_writer(server, knowledge_base)

    result = await writer.revise("我们镇搞了普法宣传15场。", "更正式")

    assert result.mode == "offline"
    assert result.warnings[0] == UNREADABLE
    assert "15场" in result.text


@pytest.mark.parametrize("fault", ["drip", "endless", "hang"])
async def test_time_limit_bounds_the_whole_request_however_the_server_stalls(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase, fault: Fault
) -> None:
    server.fault(fault)
    writer = make_writer(server, knowledge_base, timeout=0.5)

    started = time.perf_counter()
    result = await writer.draft("矛盾纠纷", "排查纠纷120件，调解成功115件", year=2024)
    waited = time.perf_counter() - started

    assert result.mode == "offline"
    assert result.warnings[0] == TIMED_OUT
    assert "调解成功115件" in result.text
    assert waited < 5, "the client's 30 s read timeout never came into play"


@pytest.mark.parametrize("fault", ["drip", "endless"])
async def test_abandoned_request_closes_its_connection(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase, fault: Fault
) -> None:
    server.fault(fault)
    writer = make_writer(server, knowledge_base, timeout=0.5)

    await writer.draft("普法宣传", "宣讲15场")

    await asyncio.wait_for(server.disconnected.wait(), timeout=5)


async def test_request_the_user_no_longer_waits_for_is_cancelled_at_the_server(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.fault("drip")
    writer = make_writer(server, knowledge_base, timeout=60)
    task = asyncio.create_task(writer.draft("普法宣传", "宣讲15场"))
    await asyncio.wait_for(server.arrived.wait(), timeout=10)

    task.cancel()

    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(server.disconnected.wait(), timeout=5)


async def test_replies_are_streamed(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("（一）深化普法宣传。全年开展普法宣讲15场。")
    writer = make_writer(server, knowledge_base)

    result = await writer.draft("普法宣传", "全年开展普法宣讲15场", org="城关镇", year=2024)

    assert server.requests[0]["stream"] is True
    assert result.mode == "llm"
    assert "15场" in result.text


async def test_a_looping_reply_stops_being_read_and_is_cut_to_whole_sentences(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("**（一）深化普法宣传。**全年开展普法宣讲15场。" + "坚持依法行政，" * 400)
    writer = make_writer(server, knowledge_base)

    result = await writer.revise("全年开展普法宣讲15场。", "扩写")

    assert result.mode == "llm"
    assert result.text == "（一）深化普法宣传。全年开展普法宣讲15场。"


async def test_an_answer_stating_a_deadline_its_sources_lack_is_marked_and_listed(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("年度报告应当于每年5月30日前报送（以县里通知为准），正文不少于8000字。〔来源：1〕")
    writer = make_writer(server, knowledge_base)

    result = await writer.ask("乡镇的年度报告什么时候报送？")

    answer, quoted = result.text.split(f"\n\n{QUOTED_LABEL}\n")
    assert result.mode == "llm"
    assert answer == (
        "年度报告应当于每年【待核实：5月30日】前报送（以县里通知为准），"
        "正文不少于【待核实：8000】字。〔来源：1〕"
    )
    assert len(result.warnings) == 2 and "5月30日" in result.warnings[0]
    assert quoted.startswith("〔《") and "3月1日" in quoted  # the rule, in the source's words
