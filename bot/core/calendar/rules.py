"""Key dates for rule-of-law work: rules read from knowledge/calendar.toml -> Occurrence.

Pure date arithmetic; never reads the clock. Announced weeks (宪法宣传周 …) come from known past
dates, admin confirmations (passed in by the caller) or an estimate marked `estimated`.
"""

from __future__ import annotations

import calendar as stdcalendar
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar
from lunardate import LunarDate

from bot.core.calendar.report_deadline import deadline_wording, fill_placeholders
from bot.core.calendar.workdays import is_workday, previous_workday
from bot.core.errors import ConfigError

__all__ = ["Calendar", "Entry", "Occurrence", "is_workday", "load_calendar", "previous_workday"]

DEFAULT_LEADS: tuple[int, ...] = (7, 1, 0)
NATIONAL_REPORT_DEADLINE = "03-01"
MAX_LEAD_DAYS = 60
PROBE_YEAR = 2028  # a leap year every rule is tried on at load time

Day = date  # alias: inside Occurrence the field name `date` shadows the type

# (key, year) -> (start, end or None): dates an admin confirmed (see ReminderStore.confirmed()).
Confirmed = Mapping[tuple[str, int], tuple[date, date | None]]


@dataclass(frozen=True)
class Occurrence:
    """One key date (or period starting on `date`) in one year."""

    key: str
    name: str
    kind: str  # category: 普法节点 | 纪念日 | 报告节点
    date: Day
    end: Day | None  # last day of a week or month; None for a single day
    estimated: bool  # True = 预计 (not yet announced or confirmed)
    theme: str
    laws: tuple[str, ...]
    activities: tuple[str, ...]
    source: str
    leads: tuple[int, ...] = DEFAULT_LEADS
    since: int = 0  # first year the date was observed
    keywords: tuple[str, ...] = ()  # words a report uses when writing about this date


# A rule maps a year to (start, end) in that year, or None when it does not occur then.
Span = tuple[date, date | None]
RuleFn = Callable[[int], Span | None]


@dataclass(frozen=True)
class Entry:
    """One calendar entry as loaded from the data file."""

    key: str
    name: str
    category: str
    rule: RuleFn
    theme: str
    laws: tuple[str, ...]
    activities: tuple[str, ...]
    leads: tuple[int, ...]
    source: str
    since: int  # first year the date existed; no occurrence before it
    since_source: str  # what the first year rests on
    keywords: tuple[str, ...] = ()
    announced: bool = False
    estimate: RuleFn | None = None  # for announced entries: the default rule
    known: Mapping[int, Span] | None = None


class Calendar:
    """All entries; ask it for occurrences in a date window."""

    def __init__(self, entries: list[Entry], *, county_deadline: bool = False) -> None:
        """`county_deadline`: the report's due date is the county's own, not the national one."""
        self.entries = entries
        self.county_deadline = county_deadline
        self._by_key = {entry.key: entry for entry in entries}

    @property
    def categories(self) -> tuple[str, ...]:
        """Categories in first-seen order (what /subscribe accepts)."""
        return tuple(dict.fromkeys(entry.category for entry in self.entries))

    def entry(self, key: str) -> Entry | None:
        return self._by_key.get(key)

    def occurrences(
        self, start: date, end: date, confirmed: Confirmed | None = None
    ) -> list[Occurrence]:
        """Occurrences overlapping [start, end], sorted by date then name.

        `confirmed` carries admin-confirmed dates of announced entries
        (`ReminderStore.confirmed()`); they replace known and estimated dates for that year.
        """
        found: list[Occurrence] = []
        for year in range(start.year - 1, end.year + 2):
            for entry in self.entries:
                occurrence = self._occurrence(entry, year, confirmed or {})
                if occurrence is None:
                    continue
                last = occurrence.end or occurrence.date
                if occurrence.date <= end and last >= start:
                    found.append(occurrence)
        found.sort(key=lambda o: (o.date, o.name))
        return found

    def occurrence(
        self, key: str, year: int, confirmed: Confirmed | None = None
    ) -> Occurrence | None:
        """The entry's occurrence in `year` (None when it has none then); see occurrences."""
        entry = self._by_key.get(key)
        return None if entry is None else self._occurrence(entry, year, confirmed or {})

    def _occurrence(self, entry: Entry, year: int, confirmed: Confirmed) -> Occurrence | None:
        estimated = False
        span: Span | None
        if year < entry.since:
            return None
        if entry.announced:
            if (entry.key, year) in confirmed:
                span = confirmed[(entry.key, year)]
            elif entry.known and year in entry.known:
                span = entry.known[year]
            else:
                assert entry.estimate is not None
                span, estimated = entry.estimate(year), True
        else:
            span = entry.rule(year)
        if span is None:
            return None
        return Occurrence(
            key=entry.key,
            name=entry.name,
            kind=entry.category,
            date=span[0],
            end=span[1],
            estimated=estimated,
            theme=entry.theme,
            laws=entry.laws,
            activities=entry.activities,
            source=entry.source,
            leads=entry.leads,
            since=entry.since,
            keywords=entry.keywords,
        )


# --- loading -----------------------------------------------------------------------------


def load_calendar(path: Path, report_deadline: str | None = None) -> Calendar:
    """Read and check the calendar file; `report_deadline` is the county's "MM-DD" (None = 03-01).

    Raises ConfigError naming the file and the entry when anything is wrong.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"找不到日历文件：{path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"日历文件 {path} 格式有误：{error}") from error
    deadline = _month_day(report_deadline or NATIONAL_REPORT_DEADLINE, "report_deadline")
    wording = deadline_wording(deadline, county=bool(report_deadline))
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise ConfigError(f"日历文件 {path} 中没有任何 [[entry]]")
    entries: list[Entry] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entries, start=1):
        label = f"第{index}条（key={raw.get('key', '?')}）"
        try:
            entry = _parse_entry(fill_placeholders(raw, wording), deadline)
        except (KeyError, TypeError, ValueError) as error:
            raise ConfigError(f"日历文件 {path} {label} 有误：{_describe(error)}") from error
        if entry.key in seen:
            raise ConfigError(f"日历文件 {path} {label} 有误：key 重复")
        seen.add(entry.key)
        entries.append(entry)
    return Calendar(entries, county_deadline=bool(report_deadline))


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"缺少字段 {error.args[0]}"
    return str(error)


def _parse_entry(raw: Mapping[str, Any], deadline: tuple[int, int]) -> Entry:
    key = _text(raw, "key")
    activities = _texts(raw, "activities")
    if not 2 <= len(activities) <= 4:
        raise ValueError("activities 应有 2–4 条")
    leads = tuple(raw.get("leads", DEFAULT_LEADS))
    if not leads or any(
        not isinstance(lead, int) or not 0 <= lead <= MAX_LEAD_DAYS for lead in leads
    ):
        raise ValueError(f"leads 应是 0–{MAX_LEAD_DAYS} 之间的整数列表")
    rule_data = raw["rule"]
    if not isinstance(rule_data, Mapping):
        raise TypeError("rule 应是一个表")
    since = raw["since"]
    if not isinstance(since, int) or not 1900 <= since <= 2100:
        raise ValueError("since 应是首次设立的年份（整数）")
    common: dict[str, Any] = dict(
        key=key,
        name=_text(raw, "name"),
        category=_text(raw, "category"),
        theme=_text(raw, "theme"),
        laws=_texts(raw, "laws"),
        activities=activities,
        leads=tuple(sorted(set(leads), reverse=True)),
        source=_text(raw, "source"),
        since=since,
        since_source=_text(raw, "since_source"),
        keywords=_texts(raw, "keywords") if "keywords" in raw else (),
    )
    if rule_data.get("type") == "announced":
        known = {
            int(year): _known_span(int(year), days) for year, days in rule_data["known"].items()
        }
        estimate = _build_rule(rule_data["default"], deadline)
        estimate(PROBE_YEAR)  # surface data errors now, not at reminder time
        return Entry(**common, rule=estimate, announced=True, estimate=estimate, known=known)
    rule = _build_rule(rule_data, deadline)
    rule(PROBE_YEAR)
    return Entry(**common, rule=rule)


def _text(raw: Mapping[str, Any], field: str) -> str:
    value = raw[field]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field} 应是非空文本")
    return value.strip()


def _texts(raw: Mapping[str, Any], field: str) -> tuple[str, ...]:
    values = raw[field]
    if not isinstance(values, list) or not values:
        raise ValueError(f"{field} 应是非空的文本列表")
    if not all(isinstance(value, str) and value.strip() for value in values):
        raise ValueError(f"{field} 中有空项或非文本")
    return tuple(value.strip() for value in values)


def _month_day(text: str, field: str) -> tuple[int, int]:
    """Parse "MM-DD" (2月29日 allowed: it falls back to 2月28日 in common years)."""
    try:
        month_text, day_text = text.strip().split("-")
        month, day = int(month_text), int(day_text)
        date(2000, month, day)  # a leap year, so 02-29 passes
    except ValueError as error:
        raise ConfigError(f"{field} 应为 MM-DD 格式的日期，例如 01-31（收到：{text!r}）") from error
    return month, day


def _safe_date(year: int, month: int, day: int) -> date:
    """The date, or the month's last day when it is shorter (02-29 in a common year)."""
    return date(year, month, min(day, stdcalendar.monthrange(year, month)[1]))


def _known_span(year: int, days: Any) -> Span:
    if not isinstance(days, list) or len(days) not in (1, 2):
        raise ValueError(f'known.{year} 应为 ["MM-DD", "MM-DD"] 或 ["MM-DD"]')
    month, day = _month_day(days[0], f"known.{year}")
    start = date(year, month, day)
    if len(days) == 1:
        return start, None
    end_month, end_day = _month_day(days[1], f"known.{year}")
    end = date(year, end_month, end_day)
    if end < start:
        raise ValueError(f"known.{year} 的结束日期早于开始日期")
    return start, end


def _build_rule(rule: Mapping[str, Any], deadline: tuple[int, int]) -> RuleFn:
    """Turn one rule table into a function year -> span, checking its fields."""
    kind = rule.get("type")
    if kind == "fixed":
        month, day = _checked_month_day(rule)
        if (month, day) == (2, 29):
            raise ValueError("固定日期不能是2月29日（平年没有这一天）")
        return lambda year: (date(year, month, day), None)
    if kind == "lunar":
        month, day = _int(rule, "month", 1, 12), _int(rule, "day", 1, 30)
        return lambda year: _lunar(year, month, day)
    if kind == "nth_weekday":
        month, weekday = _int(rule, "month", 1, 12), _int(rule, "weekday", 1, 7)
        n = rule["n"]
        if n not in (1, 2, 3, 4, 5, -1):
            raise ValueError("n 应为 1–5 或 -1（最后一个）")
        return lambda year: _nth_weekday(year, month, weekday, n)
    if kind == "weekday_from":
        month, day = _checked_month_day(rule)
        weekday, length = _int(rule, "weekday", 1, 7), _int(rule, "days", 1, 31)
        return lambda year: _weekday_from(_safe_date(year, month, day), weekday, length)
    if kind == "month":
        month = _int(rule, "month", 1, 12)
        return lambda year: (
            date(year, month, 1),
            date(year, month, stdcalendar.monthrange(year, month)[1]),
        )
    if kind == "week_of":
        month, day = _checked_month_day(rule)
        offset = int(rule.get("offset_weeks", 0))
        return lambda year: _week_of(_safe_date(year, month, day), offset)
    if kind == "solar_term":
        name = _text(rule, "name")
        return lambda year: _solar_term(year, name)
    if kind == "range":
        start_md = _month_day(str(rule["start"]), "start")
        end_md = _month_day(str(rule["end"]), "end")
        if end_md < start_md:
            raise ValueError("range 的 end 早于 start")
        return lambda year: (_safe_date(year, *start_md), _safe_date(year, *end_md))
    if kind == "report_deadline":
        return lambda year: (_safe_date(year, *deadline), None)
    if kind == "report_preparation":
        month, day = _checked_month_day(rule)
        gap = _int(rule, "min_days_before_deadline", 0, 120)
        return lambda year: (
            min(_safe_date(year, month, day), _safe_date(year, *deadline) - timedelta(gap)),
            None,
        )
    raise ValueError(f"未知的规则类型 {kind!r}")


def _int(rule: Mapping[str, Any], field: str, low: int, high: int) -> int:
    value = rule[field]
    if not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{field} 应是 {low}–{high} 之间的整数（收到：{value!r}）")
    return value


def _checked_month_day(rule: Mapping[str, Any]) -> tuple[int, int]:
    month, day = _int(rule, "month", 1, 12), _int(rule, "day", 1, 31)
    date(2000, month, day)  # raises ValueError for 4月31日 etc.
    return month, day


def _lunar(year: int, month: int, day: int) -> Span | None:
    """The solar date of a lunar month/day falling in solar `year` (lunar year year or year-1)."""
    for lunar_year in (year, year - 1):
        try:
            solar = LunarDate(lunar_year, month, day).to_solar_date()
        except ValueError:
            continue
        if solar.year == year:
            return solar, None
    return None


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> Span | None:
    days = [
        week[weekday - 1]
        for week in stdcalendar.Calendar().monthdatescalendar(year, month)
        if week[weekday - 1].month == month
    ]
    if n > len(days):
        return None  # e.g. no fifth Sunday that month
    return days[n - 1 if n > 0 else -1], None


def _weekday_from(day: date, weekday: int, length: int) -> Span:
    """The first `weekday` (1=周一…7=周日) on or after `day`, running `length` days."""
    start = day + timedelta(days=(weekday - 1 - day.weekday()) % 7)
    return start, (start + timedelta(days=length - 1) if length > 1 else None)


def _week_of(day: date, offset_weeks: int) -> Span:
    monday = day - timedelta(days=day.weekday()) + timedelta(weeks=offset_weeks)
    return monday, monday + timedelta(days=6)


def _solar_term(year: int, name: str) -> Span:
    terms = chinese_calendar.get_solar_terms(date(year, 1, 1), date(year, 12, 31))
    for day, term in terms:
        if term == name:
            return day, None
    raise ValueError(f"未知的节气 {name!r}")
