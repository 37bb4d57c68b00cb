"""Plain-text (HTML-free) Chinese wording of reminders and date listings.

Edges escape the result for their medium; nothing here knows about Telegram.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.core.calendar.reminder_examples import MAX_EXAMPLES, Example, find_examples
from bot.core.calendar.rules import Occurrence
from bot.core.calendar.workdays import has_official_schedule

__all__ = ["compose_custom", "compose_reminder", "describe_dates", "find_examples"]

WEEKDAYS = "一二三四五六日"


def format_date(day: date) -> str:
    """2026年12月4日（周五）"""
    return f"{day.year}年{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def format_span(occurrence: Occurrence) -> str:
    """The date or period, e.g. 2026年12月1日（周二）至12月7日（周一）."""
    text = format_date(occurrence.date)
    if occurrence.end is not None and occurrence.end != occurrence.date:
        end = occurrence.end
        text += f"至{end.month}月{end.day}日（周{WEEKDAYS[end.weekday()]}）"
    return text


def describe_occurrence(occurrence: Occurrence) -> str:
    """One line for a listing: date, name, category, 预计 when estimated."""
    estimate = "（预计，以当年通知为准）" if occurrence.estimated else ""
    return f"{format_span(occurrence)}  {occurrence.name}{estimate} [{occurrence.kind}]"


def describe_dates(occurrences: Sequence[Occurrence]) -> str:
    """A listing for /dates and `lawbot dates`."""
    if not occurrences:
        return "这段时间内没有收录的重要日期。"
    return "\n".join(describe_occurrence(o) for o in occurrences)


def _when_phrase(days_before: int) -> str:
    if days_before <= 0:
        return "今天"
    if days_before == 1:
        return "明天"
    return f"{days_before}天后"


def compose_reminder(
    occurrence: Occurrence, today: date, examples: Sequence[Example] | None
) -> str:
    """The reminder for one key date as seen on `today`; `examples` None = search unavailable."""
    days_before = (occurrence.date - today).days
    verb = "开始" if occurrence.end is not None else "是"
    lines = [f"【重要日期提醒】{_when_phrase(days_before)}{verb}：{occurrence.name}"]
    lines.append(f"日期：{format_span(occurrence)}")
    if occurrence.estimated:
        lines.append("注意：当年日期尚未公布或未经确认，以上为预计日期，请以正式通知为准。")
    lines.append(f"类别：{occurrence.kind}")
    lines.append(f"主题：{occurrence.theme}")
    lines.append(f"常宣传的法律法规：{'、'.join(occurrence.laws)}")
    lines.append("建议活动：")
    lines += [f"{n}. {text}" for n, text in enumerate(occurrence.activities, start=1)]
    lines.append("")
    lines += _examples_block(examples)
    lines.append("")
    lines.append(f"依据：{occurrence.source}")
    unpublished = sorted(
        {y for y in (today.year, occurrence.date.year) if not has_official_schedule(y)}
    )
    if unpublished:
        years = "、".join(f"{year}年" for year in unpublished)
        lines.append(
            f"说明：{years}的官方放假调休安排尚未公布；设为仅在工作日提醒的，提醒日按周末和"
            "可推算的法定节假日（元旦、春节、清明、劳动节、端午、中秋、国庆）安排。"
        )
    return "\n".join(lines)


def _examples_block(examples: Sequence[Example] | None) -> list[str]:
    if examples is None:
        return ["往年材料：知识库暂不可用，未能查找往年的写法。"]
    if not examples:
        return ["往年材料：知识库中暂未找到写这一节点或主题的往年材料。"]
    lines = ["往年材料参考："]
    for n, example in enumerate(examples[:MAX_EXAMPLES], start=1):
        lines.append(f"{n}. {example.excerpt()}")
        lines.append(f"   出处：{example.passage.citation}")
    return lines


def compose_custom(text: str, when: datetime) -> str:
    """A user's own reminder, with the time it was set for (already in local time)."""
    return f"【提醒】{text}\n（设定时间：{format_date(when.date())} {when:%H:%M}）"
