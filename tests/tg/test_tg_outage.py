"""The Chroma server is down: the bot still starts, answers what needs no search, and says
plainly that the knowledge service cannot be reached for what does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.chat import prepare_knowledge
from bot.core.knowledge.embeddings import Embedder
from bot.tg.app import build_application
from tests.conftest import open_knowledge_base
from tests.core.knowledge.test_uploads import NOTICE, closed_port
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

USER = 1001


async def test_with_the_chroma_server_down_the_bot_starts_and_says_what_is_wrong(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture[str]
) -> None:
    built = open_knowledge_base(tmp_path, embedder)  # an index from before the outage
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    built.add_file(tmp_path / "notice.txt")
    async with FakeBotApi() as api:
        services = lawbot_services(
            api, tmp_path, allowed_users=[USER], chroma_url=f"http://127.0.0.1:{closed_port()}"
        )
        prepare_knowledge(services)  # what `lawbot run` does first
        async with running(build_application(services)):
            api.send_text(USER, "/outline")
            outline = await api.next_reply(USER)
            api.send_text(USER, "/dates")
            dates = await api.next_reply(USER)
            api.send_text(USER, "/ask 宪法宣传周组织干部群众做什么")
            answer = await api.replies_until(USER, lambda call: "知识库" in call.text)
        services.close()

    assert "知识库服务暂时无法连接" in capsys.readouterr().err
    assert "一、" in outline.text
    assert "宪法" in dates.text or "日期" in dates.text
    assert "知识库服务暂时无法连接" in answer[-1].text
    assert "出错了" not in answer[-1].text
