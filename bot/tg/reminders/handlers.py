"""Key dates and reminders: /dates /subscribe /unsubscribe /remind /reminders.

Subscriptions and custom reminders belong to the chat; the sending itself is scheduled by
bot/tg/reminders/jobs.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.calendar.dateparse import split_remind_args
from bot.core.calendar.reminder_text import describe_dates, format_date
from bot.core.errors import InputError
from bot.tg.formatting import escape
from bot.tg.handlers_common import (
    Context,
    chat_id,
    command_args,
    reply,
    services,
)

logger = logging.getLogger(__name__)

DATES_AHEAD_DAYS = 90


def _zone(context: Context) -> ZoneInfo:
    return ZoneInfo(services(context).settings.timezone)


def _now(context: Context) -> dt.datetime:
    return services(context).now()


async def dates(update: Update, context: Context) -> None:
    """/dates [天数]: key dates in the coming days (90 by default)."""
    args = command_args(update)
    days = int(args) if args.isdigit() and 1 <= int(args) <= 366 else DATES_AHEAD_DAYS
    calendar = services(context).calendar
    store = services(context).reminders
    today = _now(context).date()
    occurrences = await asyncio.to_thread(
        calendar.occurrences, today, today + dt.timedelta(days=days), store.confirmed()
    )
    text = f"<b>未来 {days} 天的重要日期</b>\n\n" + escape(describe_dates(occurrences))
    text += "\n\n发送 /subscribe 订阅提醒，到期前会自动通知。"
    await reply(update, context, text)


async def subscribe(update: Update, context: Context) -> None:
    """/subscribe [类别…]: reminders of key dates for this chat (all categories by default)."""
    calendar = services(context).calendar
    store = services(context).reminders
    wanted = command_args(update).replace("，", " ").replace("、", " ").split()
    unknown = [name for name in wanted if name not in calendar.categories]
    if unknown:
        raise InputError(
            f"没有这个类别：{'、'.join(unknown)}。可选：{'、'.join(calendar.categories)}"
        )
    store.subscribe(chat_id(update), now=_now(context), categories=wanted or None)
    which = "、".join(wanted) if wanted else "全部类别"
    await reply(
        update,
        context,
        f"已订阅重要日期提醒（{escape(which)}），每天 {services(context).settings.reminder_hour} "
        "点前后发送。\n发送 /unsubscribe 取消；/dates 查看近期日期。",
    )


async def unsubscribe(update: Update, context: Context) -> None:
    """/unsubscribe: stop key-date reminders (custom reminders stay)."""
    store = services(context).reminders
    had = store.unsubscribe(chat_id(update))
    text = (
        "已取消重要日期提醒。自定义提醒仍保留，可用 /reminders 查看。" if had else "当前没有订阅。"
    )
    await reply(update, context, text)


async def remind(update: Update, context: Context) -> None:
    """/remind 时间 内容: a one-off reminder for this chat."""
    store = services(context).reminders
    now = _now(context)
    when, text = split_remind_args(command_args(update), now, _zone(context))
    reminder = store.add_custom(chat_id(update), when, text, now=now)
    local = reminder.when.astimezone(_zone(context))
    await reply(
        update,
        context,
        f"好的，将在 {escape(format_date(local.date()))} {local:%H:%M} 提醒您："
        f"{escape(reminder.text)}\n发送 /reminders 查看或删除。",
    )


async def reminders(update: Update, context: Context) -> None:
    """/reminders: this chat's subscription and pending custom reminders, with delete buttons."""
    store = services(context).reminders
    subscription = store.subscription(chat_id(update))
    if subscription is None:
        lines = ["重要日期提醒：未订阅（/subscribe 订阅）"]
    else:
        which = "、".join(subscription.categories) if subscription.categories else "全部类别"
        lines = [f"重要日期提醒：已订阅（{escape(which)}）"]
    pending = store.list_for(chat_id(update))
    buttons = []
    if pending:
        lines.append("\n<b>自定义提醒</b>")
        zone = _zone(context)
        for number, item in enumerate(pending, 1):
            local = item.when.astimezone(zone)
            lines.append(
                f"{number}. {escape(format_date(local.date()))} {local:%H:%M} {escape(item.text)}"
            )
            buttons.append([InlineKeyboardButton(f"删除 {number}", callback_data=f"rmd:{item.id}")])
    else:
        lines.append("\n没有待发送的自定义提醒。用法：/remind 明天上午9点 提交活动方案")
    await reply(
        update, context, "\n".join(lines), InlineKeyboardMarkup(buttons) if buttons else None
    )


async def delete_button(update: Update, context: Context) -> None:
    """删除 N under /reminders."""
    query = update.callback_query
    assert query is not None
    store = services(context).reminders
    reminder_id = (query.data or "").removeprefix("rmd:")
    deleted = reminder_id.isdigit() and store.delete(chat_id(update), int(reminder_id))
    await query.answer("已删除" if deleted else "该提醒已不存在")
    if deleted:
        await reply(update, context, "已删除该提醒。")
