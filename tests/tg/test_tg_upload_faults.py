"""Odd uploads in the chat: same names, hidden or long names, several files at once, an outage."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.knowledge.embeddings import Embedder
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.tg.app import build_application
from tests.conftest import open_knowledge_base
from tests.core.knowledge.test_uploads import NOTICE, PLAN, unreachable_server_kb
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

ADMIN = 2002


async def upload_bot(api: FakeBotApi, tmp_path: Path, kb: KnowledgeBase) -> AsyncIterator[None]:
    services = lawbot_services(api, tmp_path, parts={"knowledge": kb}, admin_users=[ADMIN])
    async with running(build_application(services)):
        yield
    services.close()


@pytest.fixture
async def kb_bot(
    tmp_path: Path, embedder: Embedder
) -> AsyncIterator[tuple[FakeBotApi, KnowledgeBase]]:
    kb = open_knowledge_base(tmp_path, embedder)
    async with FakeBotApi() as api:
        async for _ in upload_bot(api, tmp_path, kb):
            yield api, kb


async def final_reply(api: FakeBotApi) -> str:
    replies = await api.replies_until(ADMIN, lambda call: call.method == "editMessageText")
    return replies[-1].text


async def test_two_files_of_one_name_are_both_kept_and_the_second_is_told_its_new_name(
    kb_bot: tuple[FakeBotApi, KnowledgeBase],
) -> None:
    api, kb = kb_bot

    api.send_document(ADMIN, "通知.txt", NOTICE.encode())
    first = await final_reply(api)
    api.send_document(ADMIN, "通知.txt", PLAN.encode())
    second = await final_reply(api)

    assert "已导入《通知.txt》" in first
    assert "另存为《通知（2）.txt》" in second
    assert len(kb.sources()) == 2


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("_内部通知.txt", "内部通知.txt"),
        ("..\\..\\win.txt", "win.txt"),
        ("关于" + "法治政府建设" * 30 + "的通知.txt", None),
    ],
)
async def test_hidden_pathlike_and_long_names_are_indexed_under_a_safe_name(
    kb_bot: tuple[FakeBotApi, KnowledgeBase], sent: str, kept: str | None
) -> None:
    api, kb = kb_bot

    api.send_document(ADMIN, sent, NOTICE.encode())
    text = await final_reply(api)

    assert "已导入" in text and "共 1 段" in text
    [info] = kb.sources()
    assert info.source.endswith(kept or ".txt")


async def test_files_sent_together_are_all_imported_and_each_reported(
    kb_bot: tuple[FakeBotApi, KnowledgeBase],
) -> None:
    api, kb = kb_bot

    for number in range(3):
        api.send_document(ADMIN, f"通知{number}.txt", f"第{number}份{NOTICE}".encode())
    replies = await api.replies_until(
        ADMIN, lambda _: sum("已导入" in c.text for c in api.calls_of("editMessageText")) == 3
    )

    done = [call.text for call in replies if "已导入" in call.text]
    assert sorted(text[text.index("《") : text.index("》") + 1] for text in done) == [
        "《通知0.txt》",
        "《通知1.txt》",
        "《通知2.txt》",
    ]
    assert not any("请稍候" in call.text and "正在导入" not in call.text for call in replies)
    assert len(kb.sources()) == 3


async def test_an_upload_while_the_knowledge_service_is_down_is_refused_and_not_kept(
    tmp_path: Path, embedder: Embedder
) -> None:
    kb = unreachable_server_kb(tmp_path, embedder)
    async with FakeBotApi() as api:
        async for _ in upload_bot(api, tmp_path, kb):
            api.send_document(ADMIN, "通知.txt", NOTICE.encode())
            text = await final_reply(api)

    assert "未能导入《通知.txt》" in text and "知识库服务暂时无法连接" in text
    assert not list((tmp_path / "uploads").glob("*.txt"))
