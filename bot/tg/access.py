"""Who may use the bot: listed users (admins included) in private chats, listed group chats.

Refused updates get a reply showing the sender's numeric id (so an admin can add it) and stop
there: the gate runs in handler group -1 and raises ApplicationHandlerStop. Replies to refused
senders are throttled (once per sender per window, a small budget for all of them), so a flood
from unknown ids cannot use up the 30 messages/s that allowed users' answers need.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.settings import Settings

logger = logging.getLogger(__name__)

HOW_TO_CONFIGURE = (
    "No LAWBOT_ALLOWED_USERS / LAWBOT_ADMIN_USERS configured: the bot refuses everyone. "
    "Send the bot any message to see your numeric id, then set e.g. "
    "LAWBOT_ADMIN_USERS=123456789 (and LAWBOT_ALLOWED_USERS=..., LAWBOT_ALLOWED_CHATS=... "
    "for groups) in .env and restart."
)


@dataclass(frozen=True)
class AccessPolicy:
    """The allowlists from settings; admins are always allowed."""

    allowed_users: frozenset[int] = frozenset()
    admin_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        return cls(
            frozenset(settings.allowed_users),
            frozenset(settings.admin_users),
            frozenset(settings.allowed_chats),
        )

    @property
    def is_configured(self) -> bool:
        return bool(self.allowed_users or self.admin_users or self.allowed_chats)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_users

    def allows(self, user_id: int | None, chat_id: int | None, chat_type: str | None) -> bool:
        """Private chats: listed users. Groups: listed chats (any member)."""
        if user_id is None:
            return False
        if chat_type in (None, ChatType.PRIVATE, ChatType.SENDER):
            return user_id in self.allowed_users or user_id in self.admin_users
        return chat_id in self.allowed_chats


class RefusalThrottle:
    """Whether a refused sender gets a reply now: at most one per sender per `window` seconds,
    and at most `burst` replies, refilled at `rate` per second, for all refused senders together
    (a token bucket). Written by hand: it is twenty lines and must not sleep or queue."""

    def __init__(
        self,
        *,
        window: float = 600.0,
        rate: float = 1.0,
        burst: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window, self.rate, self.burst, self._clock = window, rate, burst, clock
        self._last: dict[int, float] = {}
        self._tokens = burst
        self._filled_at = clock()

    def allows(self, sender: int) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._filled_at) * self.rate)
        self._filled_at = now
        last = self._last.get(sender)
        if (last is not None and now - last < self.window) or self._tokens < 1:
            return False
        self._tokens -= 1
        if len(self._last) > 10_000:  # forget senders whose window has passed
            self._last = {k: v for k, v in self._last.items() if now - v < self.window}
        self._last[sender] = now
        return True


def refusal_text(user_id: int, chat_id: int | None, is_group: bool) -> str:
    """What a refused sender sees: their id, and nothing else."""
    text = (
        f"抱歉，您暂无使用权限。您的 Telegram 数字 ID 是 <code>{user_id}</code>，请发给管理员开通。"
    )
    if is_group and chat_id is not None:
        text += f"\n本群 ID：<code>{chat_id}</code>"
    return text


async def gate(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handler in group -1: let allowed updates through, answer and stop the rest."""
    if not isinstance(update, Update):
        return
    policy: AccessPolicy = context.bot_data["access"]
    user = update.effective_user
    chat = update.effective_chat
    user_id = user.id if user else None
    if policy.allows(user_id, chat.id if chat else None, chat.type if chat else None):
        return
    if not policy.is_configured:
        logger.warning(HOW_TO_CONFIGURE)
    throttle: RefusalThrottle = context.bot_data.setdefault("refusals", RefusalThrottle())
    if user_id is None or not throttle.allows(user_id):
        logger.debug("refused user %s (not answered again)", user_id)
        raise ApplicationHandlerStop
    logger.info("refused user %s in chat %s", user_id, chat.id if chat else None)
    if user_id is not None:
        text = refusal_text(
            user_id, chat.id if chat else None, bool(chat and chat.type != "private")
        )
        if update.callback_query:
            await update.callback_query.answer(
                f"暂无使用权限（您的 ID：{user_id}）", show_alert=True
            )
        elif update.effective_message:
            await update.effective_message.reply_text(text)
    raise ApplicationHandlerStop
