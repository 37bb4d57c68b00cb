"""Working days: official schedules where published, computed statutory holidays beyond them."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from bot.core.calendar.reminder_delivery import due_reminders
from bot.core.calendar.reminders import ReminderStore
from bot.core.calendar.rules import load_calendar
from bot.core.calendar.workdays import (
    has_official_schedule,
    is_workday,
    previous_workday,
    statutory_holidays,
)
from tests.conftest import PROJECT_ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("year", [2025, 2026])
def test_computed_statutory_holidays_are_days_off_in_the_official_schedules(year: int) -> None:
    # The 2024 revision of the 放假办法 (除夕 a holiday) first applied to 2025.
    holidays = statutory_holidays(year)

    assert len(holidays) == 13
    assert [day for day in holidays if chinese_calendar.is_workday(day)] == []


def test_statutory_holidays_2027_include_national_day_spring_festival_and_lunar_days() -> None:
    holidays = statutory_holidays(2027)

    assert {date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)} <= holidays
    assert {date(2027, 2, 5), date(2027, 2, 8)} <= holidays  # 除夕 and 初三 (春节 2-06)
    assert {date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)} <= holidays


def test_national_day_2027_is_not_a_workday_though_no_official_schedule_exists() -> None:
    assert not has_official_schedule(2027)
    assert has_official_schedule(2026)
    assert not is_workday(date(2027, 10, 1))  # a Friday
    assert previous_workday(date(2027, 10, 3)) == date(2027, 9, 30)


def test_workday_reminder_for_double_ninth_2027_avoids_national_day_and_says_why(
    tmp_path: Path,
) -> None:
    # 重阳 2027-10-08: its 7-day reminder falls on 10-01 (国庆) and moves to Thursday 09-30.
    calendar = load_calendar(PROJECT_ROOT / "knowledge" / "calendar.toml")
    store = ReminderStore(tmp_path / "reminders.sqlite3")
    subscribed = datetime(2027, 9, 1, 12, 0, tzinfo=SHANGHAI)
    store.subscribe(1, now=subscribed, workdays_only=True, categories=["普法节点"])

    on_national_day = due_reminders(calendar, store, datetime(2027, 10, 1, 9, tzinfo=SHANGHAI))
    before = due_reminders(calendar, store, datetime(2027, 9, 30, 9, tzinfo=SHANGHAI))
    store.close()

    double_ninth = [item for item in before if item.key == "double-ninth"]
    assert [item.key for item in on_national_day] == []
    assert [item.lead for item in double_ninth] == [7]
    assert "2027年的官方放假调休安排尚未公布" in double_ninth[0].text
