"""Dates and times as typed in Chinese: 「2026-12-01 09:00」「12月1日」「明天上午9点」「下周一」.

`parse_when(text, now)` reads a whole string; `split_remind_args(text, now)` reads a leading
time and returns the rest as the reminder text. Both raise InputError with working examples.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.errors import InputError

DEFAULT_TIME = time(9, 0)
TIMEZONE = ZoneInfo("Asia/Shanghai")
MAX_AHEAD = timedelta(days=3 * 366)
EXAMPLES = (
    "2026-12-01 09:00、12月1日、12月1日下午3点、明天上午9点、下周一、周五 14:30、3天后、2小时后"
)
USAGE = "用法：/remind 时间 内容，例如：/remind 明天上午9点 提交宪法宣传周活动方案"

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}  # fmt: skip
_NUM = r"[0-9零〇一二两三四五六七八九十]+"
_PERIOD_DEFAULTS = {
    "凌晨": time(6), "早上": time(8), "早晨": time(8), "上午": time(9), "中午": time(12),
    "下午": time(15), "傍晚": time(18), "晚上": time(20), "今晚": time(20),
}  # fmt: skip
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}

_DATE = rf"""
    (?P<ymd>(?P<y>\d{{4}})\s*[-/.年]\s*(?P<m>\d{{1,2}})\s*[-/.月]\s*(?P<d>\d{{1,2}})\s*[日号]?)
  | (?P<md>(?P<m2>{_NUM})\s*月\s*(?P<d2>{_NUM})\s*[日号])
  | (?P<rel_day>今天|今日|明天|明日|后天|大后天)
  | (?P<week>(?P<which>下下|下个|下|本|这个|这)?\s*(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7末]))
  | (?P<in_days>(?P<n_days>{_NUM})\s*(?:天|日)\s*[以之]?后)
  | (?P<in_weeks>(?P<n_weeks>{_NUM})\s*(?:周|个星期|个礼拜)\s*[以之]?后)
"""
_TIME = rf"""
    (?P<period>凌晨|早上|早晨|上午|中午|下午|傍晚|晚上|今晚)?\s*
    (?:
        (?P<hh>\d{{1,2}})\s*[:：]\s*(?P<mm>\d{{2}})
      | (?P<h>{_NUM})\s*(?:点|时)\s*(?:(?P<half>半)|(?P<min>{_NUM})\s*分?|整)?
    )?
"""
_AFTER = (
    rf"(?P<in_hours>(?P<n_hours>{_NUM})\s*个?\s*(?:小时|钟头)\s*[以之]?后)"
    rf"|(?P<in_minutes>(?P<n_minutes>{_NUM})\s*分钟\s*[以之]?后)"
)
_WHEN = re.compile(
    rf"^\s*(?:{_AFTER}|(?:{_DATE})?\s*(?:{_TIME})?)", re.VERBOSE
)  # fmt: skip


def parse_when(text: str, now: datetime, tz: ZoneInfo = TIMEZONE) -> datetime:
    """The moment `text` names, after aware `now`, as an aware datetime in `tz`.

    A date without a time means 09:00; 「明天」「下周一」 are read in `tz`, whatever now's zone.
    """
    when, rest = _parse_prefix(text, now, tz)
    if rest:
        raise InputError(f"看不懂这个时间：「{text.strip()}」。可以这样写：{EXAMPLES}")
    return when


def split_remind_args(text: str, now: datetime, tz: ZoneInfo = TIMEZONE) -> tuple[datetime, str]:
    """Split 「明天上午9点 提交方案」 into (the moment, 「提交方案」); see parse_when."""
    if not text.strip():
        raise InputError(USAGE)
    when, rest = _parse_prefix(text, now, tz)
    rest = rest.lstrip("，,：: ").strip()
    if not rest:
        raise InputError(f"请在时间后面写上提醒内容。{USAGE}")
    return when, rest


def _parse_prefix(text: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, str]:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    now = now.astimezone(tz)
    normalized = text.translate(_FULL_WIDTH)
    match = _WHEN.match(normalized)
    if match is None or not match.group(0).strip():
        raise InputError(f"看不懂这个时间：「{text.strip()}」。可以这样写：{EXAMPLES}")
    try:
        when = _resolve(match, now)
    except ValueError as error:
        raise InputError(
            f"日期或时间不存在：「{match.group(0).strip()}」。可以这样写：{EXAMPLES}"
        ) from error
    if when <= now:
        raise InputError(f"这个时间已经过去了：{when:%Y-%m-%d %H:%M}。请换一个将来的时间。")
    if when - now > MAX_AHEAD:
        raise InputError("提醒时间太远了，请设在三年以内。")
    return when, normalized[match.end() :]


def _resolve(match: re.Match[str], now: datetime) -> datetime:
    g = match.groupdict()
    if g["in_hours"]:
        return now + timedelta(hours=_number(g["n_hours"]))
    if g["in_minutes"]:
        return now + timedelta(minutes=_number(g["n_minutes"]))
    today = now.date()
    clock = _clock(g)
    day = _day(g, today)
    if day is None:  # time only: today if still ahead, else tomorrow
        assert clock is not None
        day = today if datetime.combine(today, clock, now.tzinfo) > now else today + timedelta(1)
    when = datetime.combine(day, clock or DEFAULT_TIME, now.tzinfo)
    if g["md"] and when <= now:  # 「3月1日」 already past this year: next year
        when = when.replace(year=when.year + 1)
    if g["week"] and not g["which"] and when <= now:  # bare 「周一」 earlier today: next week
        when += timedelta(weeks=1)
    return when


def _day(g: dict[str, str | None], today: date) -> date | None:
    if g["ymd"]:
        return date(int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0))
    if g["md"]:
        return date(today.year, _number(g["m2"]), _number(g["d2"]))
    if g["rel_day"]:
        offset = {"今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3}
        return today + timedelta(days=offset[g["rel_day"]])
    if g["week"]:
        return _weekday(g["which"] or "", g["wd"] or "", today)
    if g["in_days"]:
        return today + timedelta(days=_number(g["n_days"]))
    if g["in_weeks"]:
        return today + timedelta(weeks=_number(g["n_weeks"]))
    return None


def _weekday(which: str, name: str, today: date) -> date:
    target = int(name) - 1 if name.isdigit() else _WEEKDAY[name]
    if not 0 <= target <= 6:
        raise ValueError("星期几应为一到日")
    monday = today - timedelta(days=today.weekday())
    if which in ("下", "下个"):
        return monday + timedelta(weeks=1, days=target)
    if which == "下下":
        return monday + timedelta(weeks=2, days=target)
    if which in ("本", "这", "这个"):
        return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7  # bare 「周五」: the next one, today included
    return today + timedelta(days=ahead)


def _clock(g: dict[str, str | None]) -> time | None:
    if g["hh"]:
        hour, minute = int(g["hh"]), int(g["mm"] or 0)
    elif g["h"]:
        hour = _number(g["h"])
        minute = 30 if g["half"] else (_number(g["min"]) if g["min"] else 0)
    elif g["period"]:  # 「明天下午」 without an hour
        return _PERIOD_DEFAULTS[g["period"]]
    else:
        return None
    period = g["period"] or ""
    evening = period in ("下午", "傍晚", "晚上", "今晚") and hour < 12
    if evening or (period == "中午" and hour < 6):
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise ValueError("小时应在0–23、分钟在0–59之间")
    return time(hour, minute)


def _number(text: str | None) -> int:
    """Arabic or simple Chinese numerals up to 99: 9, 十五, 二十三, 两."""
    if not text:
        raise ValueError("缺少数字")
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS[char]
    return value


_FULL_WIDTH = str.maketrans("０１２３４５６７８９：－／．　", "0123456789:-/. ")
