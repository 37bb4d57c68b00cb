"""Restating a staff question in the documents' terms before searching, with the real
langchain-openai client against the fake OpenAI-compatible server."""

from __future__ import annotations

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.writing.prompts import load_prompts
from bot.core.writing.writer import Writer
from tests.conftest import PROMPTS_DIR
from tests.fakes.openai_server import FakeOpenAIServer, chat_model


def writer(server: FakeOpenAIServer, kb: KnowledgeBase, *, restate: bool) -> Writer:
    return Writer(kb, chat_model(server), load_prompts(PROMPTS_DIR), restate_questions=restate)


async def test_the_restated_question_is_searched_beside_the_original(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("重大行政决策应当履行哪些法定程序")
    server.reply("应当履行公众参与、专家论证等程序。〔来源：1〕")

    result = await writer(server, knowledge_base, restate=True).ask("上面定大事要走啥流程")

    restate_prompt, answer_prompt = server.user_prompt(0), server.user_prompt(1)
    assert "上面定大事要走啥流程" in restate_prompt
    assert "公众参与" in answer_prompt  # found through the restated words
    assert result.mode == "llm"


async def test_without_restatement_only_one_model_call_is_made(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("年度报告应当在每年3月1日前报送。〔来源：1〕")

    await writer(server, knowledge_base, restate=False).ask("年度报告什么时候报送？")

    assert len(server.requests) == 1


async def test_a_failed_restatement_leaves_the_original_search(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.fail(500)
    server.reply("年度报告应当在每年3月1日前报送，乡镇以县里的通知为准。〔来源：1〕")

    result = await writer(server, knowledge_base, restate=True).ask("年度报告什么时候报送？")

    assert result.mode == "llm" and "3月1日" in result.text
