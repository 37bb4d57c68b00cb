"""What is due at `now`, and sending each item at most once through an async `send` callable.

Edges call `due_reminders(...)` (sync; may search the knowledge base) and then
`await deliver_due(due, store, send, now=now)`. `send(chat_id, text)` raises ChatBlocked when the
chat blocked the bot. A reminder is due on its local day from its scheduled time on; reminders
of earlier days that were never sent are not sent late (`missed_reminders` lists them for a log).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar.reminder_examples import Example, find_examples
from bot.core.calendar.reminder_text import compose_custom, compose_reminder
from bot.core.calendar.reminders import ReminderStore, SentKey
from bot.core.calendar.rules import MAX_LEAD_DAYS, Calendar, Occurrence, previous_workday
from bot.core.passages import Searcher

logger = logging.getLogger(__name__)

TIMEZONE = ZoneInfo("Asia/Shanghai")
DEFAULT_HOUR = 9
# How far past the lead a holiday shift can move a reminder (Spring Festival plus weekends).
_SHIFT_SLACK_DAYS = 21

Send = Callable[[int, str], Awaitable[None]]
Sleep = Callable[[float], Awaitable[None]]


class ChatBlocked(Exception):
    """Raised by a `send` callable when the chat blocked the bot (Telegram: Forbidden)."""


class RateLimited(Exception):
    """Raised by a `send` callable when Telegram says to wait (HTTP 429, retry_after)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited: retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Due:
    """One message to send: to whom, which reminder, and its text."""

    chat_id: int
    key: str  # calendar key, or custom:<id>
    occurrence_date: date
    lead: int  # days before the date (0 for custom reminders)
    at: datetime  # when it was scheduled
    text: str
    occurrence: Occurrence | None = None  # None for custom reminders

    @property
    def sent_key(self) -> SentKey:
        return SentKey(self.chat_id, self.key, self.occurrence_date, self.lead)


@dataclass
class DeliveryReport:
    sent: int = 0
    skipped: int = 0  # already claimed by another run or process
    failed: int = 0
    blocked: list[int] = field(default_factory=list)  # chats paused during this run
    waited: float = 0.0  # seconds spent waiting as rate limits asked


def due_reminders(
    calendar: Calendar,
    store: ReminderStore,
    now: datetime,
    searcher: Searcher | None = None,
    *,
    hour: int = DEFAULT_HOUR,
    tz: ZoneInfo = TIMEZONE,
) -> list[Due]:
    """Everything due at `now` (local day of `now`, scheduled time reached) and not yet handled."""
    today = now.astimezone(tz).date()
    slots = [
        slot
        for slot in _scheduled_on(calendar, store, today, hour=hour, tz=tz)
        if slot[2] <= now and not store.is_done(_sent_key(slot))
    ]
    examples: dict[str, list[Example] | None] = {}  # one search per date, not per chat
    due: list[Due] = []
    for chat_id, occurrence, at, lead in slots:
        if occurrence.key not in examples:
            examples[occurrence.key] = find_examples(searcher, occurrence)
        text = compose_reminder(occurrence, today, examples[occurrence.key])
        due.append(Due(chat_id, occurrence.key, occurrence.date, lead, at, text, occurrence))
    start_of_day = datetime.combine(today, time(0), tz)
    for reminder in store.custom_between(start_of_day, now):
        item = Due(
            reminder.chat_id,
            reminder.key,
            reminder.when.astimezone(tz).date(),
            0,
            reminder.when,
            compose_custom(reminder.text, reminder.when.astimezone(tz)),
        )
        if not store.is_done(item.sent_key):
            due.append(item)
    due.sort(key=lambda item: (item.at, item.chat_id, item.key))
    return due


def missed_reminders(
    calendar: Calendar,
    store: ReminderStore,
    now: datetime,
    *,
    days: int = 7,
    hour: int = DEFAULT_HOUR,
    tz: ZoneInfo = TIMEZONE,
) -> list[Due]:
    """Reminders of the `days` days before today that never went out (text left empty).

    They are not sent late; the edge logs them at start-up.
    """
    today = now.astimezone(tz).date()
    missed: list[Due] = []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        for chat_id, occurrence, at, lead in _scheduled_on(calendar, store, day, hour=hour, tz=tz):
            item = Due(chat_id, occurrence.key, occurrence.date, lead, at, "", occurrence)
            if not store.is_done(item.sent_key):
                missed.append(item)
    start = datetime.combine(today - timedelta(days=days), time(0), tz)
    end = datetime.combine(today, time(0), tz) - timedelta(microseconds=1)
    for reminder in store.custom_between(start, end):
        when = reminder.when.astimezone(tz)
        item = Due(reminder.chat_id, reminder.key, when.date(), 0, reminder.when, "")
        if not store.is_done(item.sent_key):
            missed.append(item)
    return missed


async def deliver_due(
    due: Sequence[Due],
    store: ReminderStore,
    send: Send,
    *,
    now: datetime,
    sleep: Sleep = asyncio.sleep,
    tz: ZoneInfo = TIMEZONE,
) -> DeliveryReport:
    """Claim and send each item; a blocked chat is paused and the others still get theirs.

    A rate limit is waited out (`sleep(retry_after)`) and the item sent again, while the
    reminder's day lasts; any other failure leaves it for a later run the same day.
    """
    report = DeliveryReport()
    end_of_day = datetime.combine(now.astimezone(tz).date() + timedelta(days=1), time(0), tz)
    for item in due:
        if item.chat_id in report.blocked or store.is_paused(item.chat_id):
            report.skipped += 1
            continue
        if not store.claim(item.sent_key, now):
            report.skipped += 1
            continue
        try:
            await _send_waiting_out_limits(send, item, report, sleep, now, end_of_day)
        except ChatBlocked:
            logger.warning("chat %s blocked the bot; reminders paused", item.chat_id)
            store.finish(item.sent_key, "blocked")
            store.pause(item.chat_id, "blocked", now)
            report.blocked.append(item.chat_id)
            continue
        except Exception:  # one chat's failure must not stop the others; retried next run
            logger.exception("sending reminder %s to chat %s failed", item.key, item.chat_id)
            store.finish(item.sent_key, "failed")
            report.failed += 1
            continue
        store.finish(item.sent_key, "sent")
        report.sent += 1
    return report


async def _send_waiting_out_limits(
    send: Send, item: Due, report: DeliveryReport, sleep: Sleep, now: datetime, end: datetime
) -> None:
    """Send; on a rate limit wait as asked and send again, unless that runs past `end`."""
    while True:
        try:
            await send(item.chat_id, item.text)
            return
        except RateLimited as limit:
            if now + timedelta(seconds=report.waited + limit.retry_after) >= end:
                raise
            logger.info("rate limited: waiting %.0f s before chat %s", limit.retry_after,
                        item.chat_id)  # fmt: skip
            await sleep(limit.retry_after)
            report.waited += limit.retry_after


_Slot = tuple[int, Occurrence, datetime, int]  # chat id, occurrence, scheduled at, lead


def _sent_key(slot: _Slot) -> SentKey:
    chat_id, occurrence, _, lead = slot
    return SentKey(chat_id, occurrence.key, occurrence.date, lead)


def _scheduled_on(
    calendar: Calendar, store: ReminderStore, day: date, *, hour: int, tz: ZoneInfo
) -> list[_Slot]:
    """Calendar reminders whose send day is `day`, for every unpaused subscription."""
    subscriptions = store.subscriptions()
    if not subscriptions:
        return []
    at = datetime.combine(day, time(hour), tz)
    horizon = day + timedelta(days=MAX_LEAD_DAYS + _SHIFT_SLACK_DAYS)
    occurrences = [
        o for o in calendar.occurrences(day, horizon, confirmed=store.confirmed()) if o.date >= day
    ]
    slots: list[_Slot] = []
    seen: set[tuple[int, str, date]] = set()
    for subscription in subscriptions:
        if at < subscription.created_at:
            continue  # scheduled before the chat subscribed
        for occurrence in occurrences:
            if subscription.categories and occurrence.kind not in subscription.categories:
                continue
            for lead in subscription.leads or occurrence.leads:
                send_day = occurrence.date - timedelta(days=lead)
                if subscription.workdays_only:
                    send_day = previous_workday(send_day)
                once = (subscription.chat_id, occurrence.key, occurrence.date)
                if send_day == day and once not in seen:  # shifted leads may coincide
                    seen.add(once)
                    slots.append((subscription.chat_id, occurrence, at, lead))
    return slots
