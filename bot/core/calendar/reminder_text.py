"""Plain-text (HTML-free) Chinese wording of reminders and date listings.

Edges escape the result for their medium; nothing here knows about Telegram.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime

from bot.core.calendar.rules import Occurrence
from bot.core.errors import LawbotError
from bot.core.passages import Passage, Searcher

logger = logging.getLogger(__name__)

WEEKDAYS = "一二三四五六日"
EXCERPT_CHARS = 120
MAX_EXAMPLES = 3


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


def find_examples(searcher: Searcher | None, occurrence: Occurrence) -> list[Passage] | None:
    """Up to three past-report passages on the date's theme; None if search is unavailable."""
    if searcher is None:
        return None
    query = f"{occurrence.name} {occurrence.theme}"
    try:
        return searcher.search(query, k=MAX_EXAMPLES, kind="report")[:MAX_EXAMPLES]
    except LawbotError as error:  # e.g. KnowledgeError: index not built yet
        logger.warning("example search for %s failed: %s", occurrence.key, error)
        return None


def _when_phrase(days_before: int) -> str:
    if days_before <= 0:
        return "今天"
    if days_before == 1:
        return "明天"
    return f"{days_before}天后"


def compose_reminder(
    occurrence: Occurrence, today: date, examples: Sequence[Passage] | None
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
    lines += [f"{n}. {text}" for n, text in enumerate(occurrence.activities[:3], start=1)]
    lines.append("")
    lines += _examples_block(examples)
    lines.append("")
    lines.append(f"依据：{occurrence.source}")
    return "\n".join(lines)


def _examples_block(examples: Sequence[Passage] | None) -> list[str]:
    if examples is None:
        return ["往年材料：知识库暂不可用，未能查找往年的写法。"]
    if not examples:
        return ["往年材料：知识库中暂未找到相关的往年材料。"]
    lines = ["往年材料参考："]
    for n, passage in enumerate(examples[:MAX_EXAMPLES], start=1):
        excerpt = " ".join(passage.text.split())
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[:EXCERPT_CHARS] + "…"
        lines.append(f"{n}. {excerpt}")
        lines.append(f"   出处：{passage.citation}")
    return lines


def compose_custom(text: str, when: datetime) -> str:
    """A user's own reminder, with the time it was set for (already in local time)."""
    return f"【提醒】{text}\n（设定时间：{format_date(when.date())} {when:%H:%M}）"
