"""`lawbot dates` and `lawbot reminders due | send | confirm`: key dates and reminders from a shell.

`reminders send` is what a cron-driven deployment runs; the sent log makes a second run a no-op.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core.errors import InputError

if TYPE_CHECKING:  # the calendar and reminder modules are imported when a command runs
    from bot.core.calendar.reminder_delivery import DeliveryReport, Due
    from bot.core.passages import Searcher
    from bot.services import Services


def register(subparsers: Any) -> None:
    dates = subparsers.add_parser(
        "dates", help="列出重要日期（普法节点、报告节点等）",
        description="列出一段时间内的重要日期；预计日期标注“预计”。",
    )  # fmt: skip
    dates.add_argument("--from", dest="start", type=_date, help="开始日期 YYYY-MM-DD（默认今天）")
    dates.add_argument("--days", type=int, default=60, help="向后看多少天（默认 60）")
    dates.add_argument("--json", action="store_true", help="输出 JSON")
    dates.set_defaults(func=run_dates)

    reminders = subparsers.add_parser(
        "reminders", help="提醒：查看到期、发送、发送情况、确认公布日期"
    )
    actions = reminders.add_subparsers(dest="action", required=True, metavar="ACTION")
    due = actions.add_parser("due", help="列出某一时刻到期的提醒（不发送）")
    due.add_argument("--now", type=_moment, help="时刻，ISO 格式，如 2026-12-01T09:00（默认现在）")
    due.add_argument("--json", action="store_true", help="输出 JSON")
    due.add_argument("--no-examples", action="store_true", help="不检索往年材料（更快）")
    due.set_defaults(func=run_due)

    send = actions.add_parser("send", help="发送到期的提醒（供 cron 调用；重复运行不会重复发送）")
    send.add_argument("--now", type=_moment, help="时刻，ISO 格式（默认现在）")
    send.add_argument("--no-examples", action="store_true", help="不检索往年材料（更快）")
    send.set_defaults(func=run_send)

    status = actions.add_parser(
        "status", help="提醒发送情况：已发送、失败、屏蔽，以及中断后可能未送达的提醒"
    )
    status.add_argument("--now", type=_moment, help="时刻，ISO 格式（默认现在）")
    status.set_defaults(func=run_status)

    confirm = actions.add_parser(
        "confirm", help="确认当年公布的日期（如宪法宣传周），之后不再标注“预计”",
    )  # fmt: skip
    confirm.add_argument("key", help="日期的 key，如 constitution-week")
    confirm.add_argument("start", type=_date, help="开始日期 YYYY-MM-DD")
    confirm.add_argument("end", type=_date, nargs="?", help="结束日期 YYYY-MM-DD（可省略）")
    confirm.set_defaults(func=run_confirm)


def run_dates(args: argparse.Namespace, services: Services) -> int:
    """Print the key dates from --from for --days days."""
    from bot.core.calendar.reminder_text import describe_dates

    if not 0 <= args.days <= 3660:
        raise InputError("--days 应在 0 到 3660 之间")
    start = args.start or datetime.now(_tz(services)).date()
    occurrences = services.calendar.occurrences(
        start, start + timedelta(days=args.days), confirmed=services.reminders.confirmed()
    )
    if args.json:
        rows = [
            {
                "key": o.key,
                "name": o.name,
                "date": o.date.isoformat(),
                "end": o.end.isoformat() if o.end else None,
                "estimated": o.estimated,
                "kind": o.kind,
                "theme": o.theme,
                "laws": list(o.laws),
                "activities": list(o.activities),
                "source": o.source,
            }
            for o in occurrences
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(describe_dates(occurrences))
    return 0


def run_due(args: argparse.Namespace, services: Services) -> int:
    """Print what is due at --now without sending anything."""
    now = args.now or datetime.now(_tz(services))
    due = _due(services, _localize(now, services), searcher=_searcher(args, services))
    if args.json:
        print(json.dumps([_due_row(item) for item in due], ensure_ascii=False, indent=2))
    elif not due:
        print("此刻没有到期的提醒。")
    else:
        for item in due:
            print(f"— 对话 {item.chat_id} · {item.key} · 提前 {item.lead} 天\n{item.text}\n")
    return 0


def run_send(args: argparse.Namespace, services: Services) -> int:
    """Send what is due at --now through the configured Bot API."""
    now = _localize(args.now or datetime.now(_tz(services)), services)
    due = _due(services, now, searcher=_searcher(args, services))
    report = asyncio.run(_send(services, due, now))
    print(
        f"已发送 {report.sent} 条，跳过 {report.skipped} 条，失败 {report.failed} 条"
        + ("（当天稍后的运行会重试）" if report.failed else "")
        + (f"，按限流要求等待 {report.waited:.0f} 秒" if report.waited else "")
        + (f"，已暂停（对方屏蔽）的对话：{report.blocked}" if report.blocked else "")
    )
    return 1 if report.failed else 0


STATUS_NAMES = {
    "sent": "已发送",
    "sending": "发送中",
    "failed": "失败待重试",
    "blocked": "对方屏蔽",
}


def run_status(args: argparse.Namespace, services: Services) -> int:
    """Counts per status, and reminders interrupted between claim and send (exit 1 if any)."""
    store = services.reminders
    now = _localize(args.now or datetime.now(_tz(services)), services)
    counts = store.status_counts()
    print(
        "提醒记录："
        + ("，".join(f"{STATUS_NAMES.get(k, k)} {v} 条" for k, v in sorted(counts.items())) or "无")
    )
    interrupted = store.interrupted(now)
    if not interrupted:
        return 0
    print(
        f"有 {len(interrupted)} 条提醒在发送途中中断（进程被终止等），不会自动重发，"
        "对方可能没有收到，请人工核实并告知："
    )
    for key, claimed_at in interrupted:
        when = claimed_at.astimezone(_tz(services)).strftime("%Y-%m-%d %H:%M")
        print(f"  - 对话 {key.chat_id} · {key.reminder_key} · {key.occurrence_date} · {when}")
    return 1


def run_confirm(args: argparse.Namespace, services: Services) -> int:
    """Record an announced week's dates for its year (admin action)."""
    entry = services.calendar.entry(args.key)
    if entry is None or not entry.announced:
        keys = "、".join(e.key for e in services.calendar.entries if e.announced)
        raise InputError(f"“{args.key}”不是每年公布日期的项目。可确认的有：{keys}")
    services.reminders.confirm_dates(args.key, args.start.year, args.start, args.end)
    end = f" 至 {args.end.isoformat()}" if args.end else ""
    print(f"已确认 {entry.name} {args.start.year} 年的日期：{args.start.isoformat()}{end}")
    return 0


async def _send(services: Services, due: list[Due], now: datetime) -> DeliveryReport:
    from telegram import Bot

    from bot.core.calendar.reminder_delivery import deliver_due
    from bot.tg.reminders.jobs import telegram_sender

    settings = services.settings
    token = settings.telegram_token.get_secret_value()
    if not token:
        raise InputError("未配置 LAWBOT_TELEGRAM_TOKEN，无法发送提醒")
    bot = Bot(
        token,
        base_url=settings.telegram_api_url or "https://api.telegram.org/bot",
        base_file_url=settings.telegram_file_url or "https://api.telegram.org/file/bot",
    )
    async with bot:
        return await deliver_due(
            due, services.reminders, telegram_sender(bot), now=now, tz=_tz(services)
        )


def _due(services: Services, now: datetime, searcher: Searcher | None) -> list[Due]:
    from bot.core.calendar.reminder_delivery import due_reminders

    settings = services.settings
    return due_reminders(
        services.calendar,
        services.reminders,
        now,
        searcher,
        hour=settings.reminder_hour,
        tz=_tz(services),
    )


def _searcher(args: argparse.Namespace, services: Services) -> Searcher | None:
    if args.no_examples:
        return None
    from bot.tg.reminders.jobs import example_searcher

    return example_searcher(services)


def _due_row(item: Due) -> dict[str, Any]:
    row = {k: v for k, v in asdict(item).items() if k != "occurrence"}
    row["occurrence_date"] = item.occurrence_date.isoformat()
    row["at"] = item.at.isoformat()
    row["name"] = item.occurrence.name if item.occurrence else "自定义提醒"
    return row


def _tz(services: Services) -> ZoneInfo:
    return ZoneInfo(services.settings.timezone)


def _localize(moment: datetime, services: Services) -> datetime:
    """A naive --now is read in the configured time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=_tz(services))


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"日期应为 YYYY-MM-DD，例如 2026-12-01（收到：{text}）"
        ) from error


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"时刻应为 ISO 格式，例如 2026-12-01T09:00 或 2026-12-01T09:00+08:00（收到：{text}）"
        ) from error
