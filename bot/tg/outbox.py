"""How far behind the outgoing Bot API requests are, so cosmetic calls can give way.

Telegram allows about 30 messages a second; PTB's AIORateLimiter queues the rest. Under load
every "typing…" action or progress note takes a place an answer needs, so handlers ask
`backlog_seconds` first. A subclass of the library's limiter, counting what it holds.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import AIORateLimiter, Application

MESSAGES_PER_SECOND = 30  # Telegram's overall limit for a bot (AIORateLimiter's default)


class CountingRateLimiter(AIORateLimiter):
    """AIORateLimiter that knows how many requests are waiting or under way."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pending = 0

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        self.pending += 1
        try:
            return await super().process_request(*args, **kwargs)
        finally:
            self.pending -= 1


def backlog_seconds(application: Application[Any, Any, Any, Any, Any, Any]) -> float:
    """About how long a request sent now waits for its turn (0 without a rate limiter)."""
    limiter = getattr(application.bot, "rate_limiter", None)
    if not isinstance(limiter, CountingRateLimiter):
        return 0.0
    return limiter.pending / MESSAGES_PER_SECOND
