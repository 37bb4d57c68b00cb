"""The "reminders" JobQueue job: every minute, send what is due (thin wrapper over core).

Nothing needs rebuilding from the database at start-up: the job asks the database each run.
The first run happens at start-up, so reminders missed earlier the same day go out then;
those of earlier days are logged and skipped.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter
from telegram.ext import Application, ContextTypes

from bot.core.calendar.reminder_delivery import (
    ChatBlocked,
    DeliveryReport,
    RateLimited,
    Send,
    deliver_due,
    due_reminders,
    missed_reminders,
)
from bot.core.errors import LawbotError
from bot.core.passages import Searcher
from bot.tg.formatting import escape

if TYPE_CHECKING:
    from bot.services import Services

logger = logging.getLogger(__name__)

JOB_NAME = "reminders"
INTERVAL_SECONDS = 60


def telegram_sender(bot: Bot) -> Send:
    """Adapt Bot.send_message to core's `send(chat_id, text)`; Forbidden -> ChatBlocked,
    RetryAfter (429) -> RateLimited."""

    async def send(chat_id: int, text: str) -> None:
        try:
            await bot.send_message(chat_id, escape(text), parse_mode=ParseMode.HTML)
        except Forbidden as error:
            raise ChatBlocked(str(error)) from error
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            raise RateLimited(seconds) from error

    return send


def example_searcher(services: Services) -> Searcher | None:
    """The knowledge base, or None when it cannot be opened (the reminder says so)."""
    try:
        return services.knowledge
    except LawbotError as error:
        logger.warning("knowledge base unavailable for reminder examples: %s", error)
        return None


async def send_due_reminders(
    services: Services, bot: Bot, now: datetime, searcher: Searcher | None
) -> DeliveryReport:
    """Compute what is due at `now` (in a worker thread: it may search) and send it."""
    settings = services.settings
    due = await asyncio.to_thread(
        due_reminders,
        services.calendar,
        services.reminders,
        now,
        searcher,
        hour=settings.reminder_hour,
        tz=ZoneInfo(settings.timezone),
    )
    report = await deliver_due(
        due, services.reminders, telegram_sender(bot), now=now, tz=ZoneInfo(settings.timezone)
    )
    if report.sent or report.failed or report.blocked:
        logger.info(
            "reminders: %d sent, %d failed, %d skipped, paused chats %s",
            report.sent,
            report.failed,
            report.skipped,
            report.blocked,
        )
    return report


async def reminders_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """JobQueue callback: send what is due now."""
    services: Services = context.application.bot_data["services"]
    now = datetime.now(ZoneInfo(services.settings.timezone))
    await send_due_reminders(services, context.bot, now, example_searcher(services))


def log_missed(services: Services, now: datetime) -> int:
    """Log (and skip) reminders of earlier days that never went out; returns how many."""
    settings = services.settings
    missed = missed_reminders(
        services.calendar,
        services.reminders,
        now,
        hour=settings.reminder_hour,
        tz=ZoneInfo(settings.timezone),
    )
    for key, claimed_at in services.reminders.interrupted(now):
        logger.warning(
            "reminder %s (%s) for chat %s was interrupted between claim and send at %s and "
            "is not sent again (at most once); see lawbot reminders status",
            key.reminder_key,
            key.occurrence_date,
            key.chat_id,
            claimed_at.isoformat(),
        )
    for item in missed:
        logger.warning(
            "skipping missed reminder %s (%s, lead %d) for chat %s scheduled at %s",
            item.key,
            item.occurrence_date,
            item.lead,
            item.chat_id,
            item.at.isoformat(),
        )
    return len(missed)


def schedule_reminders(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """For post_init: log missed reminders, then run the "reminders" job now and every minute."""
    services: Services = application.bot_data["services"]
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("JobQueue missing: install python-telegram-bot[job-queue]")
    log_missed(services, datetime.now(ZoneInfo(services.settings.timezone)))
    for job in job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    job_queue.run_repeating(reminders_job, interval=INTERVAL_SECONDS, first=0, name=JOB_NAME)
