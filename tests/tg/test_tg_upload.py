"""Admins add documents to the real knowledge base from the chat; /sources lists and removes."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import pytest

from bot.core.knowledge.embeddings import Embedder
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.tg.app import build_application
from tests.conftest import open_knowledge_base
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

USER = 1001
ADMIN = 2002
NOTICE = (
    "关于开展宪法宣传周活动的通知\n\n一、活动主题\n"
    "弘扬宪法精神，建设法治乡镇。组织干部群众集中学习宪法，开展宪法宣誓活动。\n"
)


@pytest.fixture
async def kb_bot(
    tmp_path: Path, embedder: Embedder
) -> AsyncIterator[tuple[FakeBotApi, KnowledgeBase]]:
    kb = open_knowledge_base(tmp_path, embedder)
    async with FakeBotApi() as api:
        services = lawbot_services(
            api,
            tmp_path,
            parts={"knowledge": kb},
            allowed_users=[USER],
            admin_users=[ADMIN],
            max_upload_mb=1,
        )
        async with running(build_application(services)):
            yield api, kb
        services.close()


async def test_admin_upload_is_ingested_and_immediately_searchable(
    kb_bot: tuple[FakeBotApi, KnowledgeBase],
) -> None:
    api, kb = kb_bot

    api.send_document(ADMIN, "宪法宣传周通知.txt", NOTICE.encode())
    progress = await api.next_reply(ADMIN)
    done = await api.next_reply(ADMIN)

    assert "正在导入" in progress.text
    assert done.method == "editMessageText"
    assert "已导入" in done.text and "现在即可检索" in done.text
    found = kb.search("宪法宣誓活动", k=3)
    assert found and found[0].source.endswith("宪法宣传周通知.txt")


async def test_an_upload_serves_examples_and_questions_of_every_user(
    kb_bot: tuple[FakeBotApi, KnowledgeBase],
) -> None:
    api, _ = kb_bot
    api.send_document(ADMIN, "宪法宣传周通知.txt", NOTICE.encode())
    await api.next_reply(ADMIN)
    await api.next_reply(ADMIN)

    api.send_text(USER, "/examples 宪法宣誓活动")
    examples = await api.next_reply(USER)
    api.send_text(USER, "/ask 宪法宣传周组织干部群众做什么")
    answer = (await api.replies_until(USER, lambda call: "参考来源" in call.text))[-1]

    assert "关于开展宪法宣传周活动的通知" in examples.text and "宪法宣誓" in examples.text
    assert "关于开展宪法宣传周活动的通知" in answer.text


async def test_admin_upload_of_a_docx_works(kb_bot: tuple[FakeBotApi, KnowledgeBase]) -> None:
    api, kb = kb_bot
    document = docx.Document()
    for line in NOTICE.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)

    api.send_document(ADMIN, "通知.docx", buffer.getvalue())
    await api.next_reply(ADMIN)
    done = await api.next_reply(ADMIN)

    assert "已导入" in done.text
    assert [info.title for info in kb.sources()] == ["关于开展宪法宣传周活动的通知"]


@pytest.mark.parametrize(
    ("filename", "content", "expected"),
    [
        ("setup.exe", b"MZ\x90\x00", "不支持的文件类型"),
        ("大文件.txt", "法".encode() * 400_000, "文件过大"),
        ("坏文件.docx", b"this is not a zip file", "坏文件.docx"),
        ("空的.txt", b"   ", "空"),
    ],
)
async def test_bad_uploads_get_a_clear_message_and_change_nothing(
    kb_bot: tuple[FakeBotApi, KnowledgeBase], filename: str, content: bytes, expected: str
) -> None:
    api, kb = kb_bot

    api.send_document(ADMIN, filename, content)
    replies = await api.replies_until(ADMIN, lambda call: "正在导入" not in call.text)

    assert expected in replies[-1].text
    assert "出错了" not in replies[-1].text
    assert kb.sources() == []


async def test_non_admin_upload_is_not_ingested(kb_bot: tuple[FakeBotApi, KnowledgeBase]) -> None:
    api, kb = kb_bot

    api.send_document(USER, "通知.txt", NOTICE.encode())
    reply = await api.next_reply(USER)

    assert "只有管理员" in reply.text
    assert kb.sources() == []


async def test_sources_lists_documents_and_admin_removes_one(
    kb_bot: tuple[FakeBotApi, KnowledgeBase],
) -> None:
    api, kb = kb_bot
    api.send_document(ADMIN, "通知.txt", NOTICE.encode())
    await api.replies_until(ADMIN, lambda call: "已导入" in call.text)

    api.send_text(USER, "/sources")
    listing = await api.next_reply(USER)
    api.send_text(USER, "/sources remove 1")
    refused = await api.next_reply(USER)
    api.send_text(ADMIN, "/sources")
    admin_listing = await api.next_reply(ADMIN)
    api.press(ADMIN, admin_listing, admin_listing.buttons[0][0])
    removed = await api.next_reply(ADMIN)

    assert "1. 《关于开展宪法宣传周活动的通知》 · 上传 · 1 段" in listing.text
    assert not listing.buttons
    assert "只有管理员" in refused.text
    assert "已删除" in removed.text
    assert kb.sources() == []
