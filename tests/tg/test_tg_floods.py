"""Floods and odd messages: refusals throttled, blank messages and stickers answered, and no
secret in any log line."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli.redaction import MASK, redact_secrets
from bot.tg.access import RefusalThrottle
from bot.tg.app import build_application
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

USER = 1001
STRANGER = 666
STICKER = {
    "file_id": "st1", "file_unique_id": "ust1", "type": "regular",
    "width": 512, "height": 512, "is_animated": False, "is_video": False,
}  # fmt: skip


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_refused_sender_is_answered_once_per_window() -> None:
    clock = Clock()
    throttle = RefusalThrottle(window=600, clock=clock)

    first = [throttle.allows(STRANGER) for _ in range(5)]
    clock.now += 601
    later = throttle.allows(STRANGER)

    assert first == [True, False, False, False, False]
    assert later


def test_refusals_to_many_senders_share_a_small_budget() -> None:
    clock = Clock()
    throttle = RefusalThrottle(rate=1.0, burst=10, clock=clock)

    answered = sum(throttle.allows(sender) for sender in range(500))
    clock.now += 3
    after_three_seconds = sum(throttle.allows(sender) for sender in range(500, 600))

    assert answered == 10
    assert after_three_seconds == 3


async def test_a_flood_from_unknown_ids_gets_few_replies_and_the_allowed_user_is_answered(
    api: FakeBotApi, tmp_path: Path
) -> None:
    services = lawbot_services(api, tmp_path, allowed_users=[USER])
    async with running(build_application(services)):
        for number in range(300):
            api.send_text(STRANGER + number % 30, f"垃圾消息{number}")
        api.send_text(USER, "/dates")
        answer = await api.next_reply(USER)
    services.close()

    refusals = [c for c in api.calls_of("sendMessage") if c.chat_id != USER]
    assert "日期" in answer.text or "宪法" in answer.text
    assert 1 <= len(refusals) <= 30  # 30 senders, 300 messages: each answered once at most
    assert len({c.chat_id for c in refusals}) == len(refusals)


@pytest.mark.parametrize("content", [{"text": "   \n "}, {"sticker": STICKER}])
async def test_a_blank_message_or_a_sticker_is_told_what_the_bot_takes(
    api: FakeBotApi, tmp_path: Path, content: dict[str, object]
) -> None:
    services = lawbot_services(api, tmp_path, allowed_users=[USER])
    async with running(build_application(services)):
        api.send_content(USER, **content)
        reply = await api.next_reply(USER)
    services.close()

    assert "文字消息" in reply.text and ".docx" in reply.text


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """Everything logged at DEBUG, as the CLI's handler would write it; the factory restored."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    factory, level = logging.getLogRecordFactory(), root.level
    libraries = {name: logging.getLogger(name).level for name in ("httpx", "telegram")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in libraries:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)
    for name, old in libraries.items():
        logging.getLogger(name).setLevel(old)
    logging.setLogRecordFactory(factory)


async def test_no_log_line_carries_the_bot_token(
    api: FakeBotApi, tmp_path: Path, debug_log: io.StringIO
) -> None:
    services = lawbot_services(api, tmp_path, allowed_users=[USER])
    redact_secrets([api.token])

    async with running(build_application(services)):
        api.send_text(USER, "/start")
        await api.next_reply(USER)
    services.close()
    logging.getLogger("probe").error("failed: %s", f"{api.base_url}{api.token}/getMe")

    text = debug_log.getvalue()
    assert "getMe" in text and MASK in text
    assert api.token not in text and api.token.replace(":", "%3A") not in text
