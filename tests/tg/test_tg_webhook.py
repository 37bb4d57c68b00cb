"""Webhook mode: PTB's webhook server, configured from settings, answers a posted update."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import aiohttp

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.tg.app import build_application, webhook_options
from tests.fakes.botapi import FakeBotApi, lawbot_services

USER = 1001


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_update(update_id: int) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": USER, "type": "private"},
            "from": {"id": USER, "is_bot": False, "first_name": "测试"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def test_webhook_answers_a_posted_update_and_rejects_a_wrong_secret(
    tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    port = _free_port()
    async with FakeBotApi() as api:
        services = lawbot_services(
            api, tmp_path, parts={"knowledge": knowledge_base}, allowed_users=[USER],
            webhook_url=f"http://127.0.0.1:{port}/lawbot-hook", webhook_port=port,
            webhook_secret="s3cret-token",
        )  # fmt: skip
        application = build_application(services)
        await application.initialize()
        await application.updater.start_webhook(**webhook_options(services.settings))
        await application.start()
        try:
            registered = await api.wait_call("setWebhook")
            url = f"http://127.0.0.1:{port}/lawbot-hook"
            async with aiohttp.ClientSession() as session:
                wrong = await session.post(
                    url, json=_start_update(1),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
                )  # fmt: skip
                right = await session.post(
                    url, json=_start_update(2),
                    headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"},
                )  # fmt: skip
            reply = await api.next_reply(USER)
        finally:
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
            services.close()

    assert registered.params["url"] == url
    assert registered.params["secret_token"] == "s3cret-token"
    assert wrong.status == 403 and right.status == 200
    assert "法治助手" in reply.text
    assert len(api.calls_of("sendMessage")) == 1  # the rejected update was not handled
