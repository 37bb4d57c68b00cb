"""Working days in China: the official schedule where published, statutory holidays otherwise.

chinese-calendar carries each year's official schedule (holidays and 调休 working weekends)
once the State Council publishes it, usually in November for the next year. For a year it
has no data for, the statutory holidays that can be computed (全国年节及纪念日放假办法
第二条, 2024 revision) and weekends are the days off; 调休 cannot be known in advance.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from lunardate import LunarDate

logger = logging.getLogger(__name__)

_years_without_holiday_data: set[int] = set()


def has_official_schedule(year: int) -> bool:
    """True when the year's official holiday schedule is known (chinese-calendar has it)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    """Official working day; for years without official data, Mon–Fri minus statutory holidays."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _years_without_holiday_data:
            _years_without_holiday_data.add(day.year)
            logger.warning(
                "chinese-calendar has no official holiday data for %s; using weekends and "
                "the statutory holidays computed from the 放假办法",
                day.year,
            )
        return day.weekday() < 5 and day not in statutory_holidays(day.year)


def previous_workday(day: date) -> date:
    """`day` itself if it is a working day, otherwise the closest working day before it."""
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


@cache
def statutory_holidays(year: int) -> frozenset[date]:
    """Days off for everyone in `year` under 放假办法 第二条 (2024), without 调休 or 补假.

    元旦 1月1日; 春节 除夕 and 正月初一至初三; 清明 (the solar term); 劳动节 5月1日、2日;
    端午 农历五月初五; 中秋 农历八月十五; 国庆 10月1日至3日.
    """
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    days.update(date(year, 10, d) for d in (1, 2, 3))
    new_year = LunarDate(year, 1, 1).to_solar_date()
    days.update(new_year + timedelta(days=offset) for offset in (-1, 0, 1, 2))
    days.add(LunarDate(year, 5, 5).to_solar_date())
    days.add(LunarDate(year, 8, 15).to_solar_date())
    days.add(_qingming(year))
    return frozenset(day for day in days if day.year == year)


def _qingming(year: int) -> date:
    terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    return next(day for day, name in terms if name == "清明")
