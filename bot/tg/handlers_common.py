"""What every handler needs: the services, one-request-per-user, typing, and split replies."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.report.userstate import UserStore
from bot.services import Services
from bot.tg.access import AccessPolicy
from bot.tg.formatting import split_message
from bot.tg.outbox import backlog_seconds

logger = logging.getLogger(__name__)

BUSY_TEXT = "正在处理上一条，请稍候"
QUEUED_TEXT = "已收到，前面的文件处理完后接着处理这一个。"
TYPING_DELAY = 0.4  # seconds: quick replies need no "typing…" (saves a rate-limited call)
TYPING_EVERY = 4.5  # seconds; Telegram shows "typing…" for about 5 s
QUEUED_AFTER = 5.0  # seconds without an answer before the user is told it is queued
CONGESTED_AFTER = 0.3  # seconds of outgoing backlog above which progress notes are skipped
QUEUED_NOTICE = "⏳ 请求已收到，正在排队处理，请稍候……"

Context = ContextTypes.DEFAULT_TYPE
Handler = Callable[..., Awaitable[None]]
H = TypeVar("H", bound=Handler)


def services(context: Context) -> Services:
    result: Services = context.bot_data["services"]
    return result


def users(context: Context) -> UserStore:
    return services(context).users


def access(context: Context) -> AccessPolicy:
    policy: AccessPolicy = context.bot_data["access"]
    return policy


def user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def chat_id(update: Update) -> int:
    assert update.effective_chat is not None
    return update.effective_chat.id


async def reply(
    update: Update,
    context: Context,
    html: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """Send HTML (already escaped) in as many messages as needed; buttons go on the last."""
    chunks = split_message(html)
    message: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await context.bot.send_message(
            chat_id(update), chunk, reply_markup=markup if last else None
        )
    assert message is not None
    return message


@contextlib.asynccontextmanager
async def typing(context: Context, target_chat: int) -> AsyncIterator[None]:
    """Show "typing…" until the block ends (if it takes more than a moment), and once it has
    taken QUEUED_AFTER seconds say in a message that the request is queued.

    Both give way when outgoing messages are backed up (more than CONGESTED_AFTER seconds of
    Telegram's 30 messages/s): then every call would only delay the answers themselves.
    """
    done = asyncio.Event()
    queued_after: float = context.bot_data.get("queued_after", QUEUED_AFTER)

    async def keep_typing() -> None:
        loop = asyncio.get_running_loop()
        started = loop.time()
        delay, told = min(TYPING_DELAY, queued_after), False
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), delay)
                return
            delay = TYPING_EVERY
            if backlog_seconds(context.application) > CONGESTED_AFTER:
                continue
            try:
                if not told and loop.time() - started >= queued_after:
                    told = True
                    await context.bot.send_message(target_chat, QUEUED_NOTICE)
                else:
                    await context.bot.send_chat_action(target_chat, ChatAction.TYPING)
            except TelegramError as error:  # cosmetic: never fail the request for it
                logger.debug("progress note failed: %s", error)
            if not told:
                delay = max(0.0, min(TYPING_EVERY, queued_after - (loop.time() - started)))

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        done.set()  # an action already on its way completes; none is cut off mid-request
        await task


def exclusive(handler: H) -> H:
    """One slow request at a time per user: a second one gets 「正在处理上一条，请稍候」.

    Also shows "typing…" while the handler runs.
    """

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context, *args: Any) -> None:
        busy: set[int] = context.bot_data.setdefault("busy_users", set())
        uid = user_id(update)
        if uid in busy:
            if update.callback_query:
                await update.callback_query.answer(BUSY_TEXT)
            else:
                await reply(update, context, BUSY_TEXT)
            return
        busy.add(uid)
        try:
            async with typing(context, chat_id(update)):
                await handler(update, context, *args)
        finally:
            busy.discard(uid)

    return wrapper  # type: ignore[return-value]


def one_at_a_time(handler: H) -> H:
    """Requests of one user run in arrival order, none dropped: while an earlier one runs, a
    later one is told it is queued (a file sent together with others is then reported too).

    Also shows "typing…" while the handler runs.
    """

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context, *args: Any) -> None:
        locks: dict[int, asyncio.Lock] = context.bot_data.setdefault("user_queues", {})
        uid = user_id(update)
        lock = locks.setdefault(uid, asyncio.Lock())
        if lock.locked():
            await reply(update, context, QUEUED_TEXT)
        async with lock, typing(context, chat_id(update)):
            await handler(update, context, *args)

    return wrapper  # type: ignore[return-value]


def command_args(update: Update) -> str:
    """Everything after the command (newlines kept); "" for button presses."""
    text = message_text(update)
    if not text.startswith("/"):
        return ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def message_text(update: Update) -> str:
    """The user's own text ("" for button presses and files)."""
    message = update.message
    return (message.text or "").strip() if message else ""


def review_labels() -> dict[str, str]:
    """Chinese names of the reviewer's finding kinds, when the reviewer provides them."""
    try:
        from bot.core.review.finding import KIND_LABELS
    except ImportError:
        return {}
    return dict(KIND_LABELS)
