"""Under load: a request that takes a while is told it is queued, unless outgoing messages are
backed up (then every extra call would only delay the answers)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path

from bot.core.passages import Passage
from bot.tg.app import build_application
from bot.tg.handlers_common import QUEUED_NOTICE
from bot.tg.outbox import CountingRateLimiter, backlog_seconds
from tests.conftest import KNOWLEDGE_DIR
from tests.fakes.botapi import FakeBotApi, lawbot_services, running
from tests.fakes.text_searcher import TextSearcher

USER = 1001


class GatedSearcher(TextSearcher):
    """The word-overlap searcher, holding each search until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__(KNOWLEDGE_DIR)
        self.entered = threading.Event()
        self.gate = threading.Event()

    def search(self, query: str, k: int = 5, **filters: object) -> list[Passage]:  # type: ignore[override]
        self.entered.set()
        self.gate.wait(timeout=30)
        return super().search(query, k, **filters)  # type: ignore[arg-type]


async def ask_held(api: FakeBotApi, tmp_path: Path, *, backlog: int) -> Sequence[str]:
    """Ask while the search is held; return every message the user got, in order."""
    searcher = GatedSearcher()
    services = lawbot_services(api, tmp_path, parts={"knowledge": searcher}, allowed_users=[USER])
    application = build_application(services)
    application.bot_data["queued_after"] = 0.0  # "a few seconds" without waiting for them
    limiter = application.bot.rate_limiter
    assert isinstance(limiter, CountingRateLimiter)
    async with running(application):
        limiter.pending += backlog  # as if that many requests were waiting for their turn
        api.send_text(USER, "/ask 年度报告什么时候报送")
        await asyncio.to_thread(searcher.entered.wait, 30)
        first = await api.next_reply(USER) if not backlog else None
        searcher.gate.set()
        replies = await api.replies_until(
            USER, lambda call: "来源" in call.text or "依据" in call.text
        )
        limiter.pending -= backlog
    services.close()
    return [call.text for call in ([first] if first else []) + replies]


async def test_a_request_still_running_after_a_few_seconds_is_told_it_is_queued(
    api: FakeBotApi, tmp_path: Path
) -> None:
    texts = await ask_held(api, tmp_path, backlog=0)

    assert texts[0] == QUEUED_NOTICE
    assert len(texts) >= 2 and QUEUED_NOTICE not in texts[1:]


async def test_with_outgoing_messages_backed_up_no_progress_note_or_typing_is_sent(
    api: FakeBotApi, tmp_path: Path
) -> None:
    texts = await ask_held(api, tmp_path, backlog=300)

    assert QUEUED_NOTICE not in texts
    assert api.calls_of("sendChatAction") == []


def test_the_backlog_is_the_waiting_requests_at_thirty_a_second(
    api: FakeBotApi, tmp_path: Path
) -> None:
    services = lawbot_services(api, tmp_path, allowed_users=[USER])
    limited = build_application(services)
    unlimited = build_application(services, rate_limited=False)
    limiter = limited.bot.rate_limiter
    assert isinstance(limiter, CountingRateLimiter)

    limiter.pending = 90

    assert backlog_seconds(limited) == 3.0
    assert backlog_seconds(unlimited) == 0.0
    services.close()
