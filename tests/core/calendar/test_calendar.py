"""The key-date calendar: bundled data, rule types, leap years, estimates and bad data."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest

from bot.core.calendar import workdays
from bot.core.calendar.rules import (
    Calendar,
    Occurrence,
    is_workday,
    load_calendar,
    previous_workday,
)
from bot.core.errors import ConfigError
from tests.conftest import PROJECT_ROOT

CALENDAR_FILE = PROJECT_ROOT / "knowledge" / "calendar.toml"


@pytest.fixture(scope="module")
def bundled() -> Calendar:
    return load_calendar(CALENDAR_FILE, report_deadline=None)


def _one(cal: Calendar, key: str, year: int, confirmed: dict | None = None) -> Occurrence:
    found = [
        o
        for o in cal.occurrences(date(year, 1, 1), date(year, 12, 31), confirmed=confirmed)
        if o.key == key and o.date.year == year
    ]
    assert len(found) == 1, found
    return found[0]


ENTRY = """
[[entry]]
key = "{key}"
name = "测试日"
category = "普法节点"
since = 2000
since_source = "测试"
rule = {rule}
theme = "测试主题"
laws = ["宪法"]
activities = ["活动一", "活动二"]
source = "测试"
"""


def _calendar_with(tmp_path: Path, rule: str, key: str = "test-day", **kw: str) -> Calendar:
    path = tmp_path / "calendar.toml"
    path.write_text(ENTRY.format(key=key, rule=rule), encoding="utf-8")
    return load_calendar(path, report_deadline=kw.get("deadline"))


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2026, date(2026, 10, 18)), (2027, date(2027, 10, 8)), (2028, date(2028, 10, 26))],
)
def test_double_ninth_follows_the_lunar_calendar(
    bundled: Calendar, year: int, expected: date
) -> None:
    assert _one(bundled, "double-ninth", year).date == expected


def test_national_defence_education_day_2027_is_third_saturday_september_18(
    bundled: Calendar,
) -> None:
    assert _one(bundled, "defence-education-day", 2027).date == date(2027, 9, 18)


def test_disability_day_2027_is_third_sunday_of_may_the_16th(bundled: Calendar) -> None:
    assert _one(bundled, "disability-day", 2027).date == date(2027, 5, 16)


def test_fixed_dates_fall_on_their_day(bundled: Calendar) -> None:
    assert _one(bundled, "constitution-day", 2026).date == date(2026, 12, 4)
    assert _one(bundled, "national-security-day", 2027).date == date(2027, 4, 15)


def test_family_education_week_is_the_monday_to_sunday_week_containing_may_15(
    bundled: Calendar,
) -> None:
    week = _one(bundled, "family-education-week", 2027)

    assert (week.date, week.end) == (date(2027, 5, 10), date(2027, 5, 16))


def test_month_long_entries_span_the_whole_month(bundled: Calendar) -> None:
    month = _one(bundled, "civil-code-month", 2027)

    assert (month.date, month.end, month.estimated) == (date(2027, 5, 1), date(2027, 5, 31), False)


def test_harvest_festival_is_the_autumn_equinox(bundled: Calendar) -> None:
    assert _one(bundled, "harvest-festival", 2027).date == date(2027, 9, 23)


def test_known_constitution_week_is_not_an_estimate(bundled: Calendar) -> None:
    week = _one(bundled, "constitution-week", 2021)

    assert (week.date, week.end, week.estimated) == (date(2021, 11, 29), date(2021, 12, 5), False)


def test_future_constitution_week_is_estimated_december_1_to_7(bundled: Calendar) -> None:
    week = _one(bundled, "constitution-week", 2026)

    assert (week.date, week.end, week.estimated) == (date(2026, 12, 1), date(2026, 12, 7), True)


def test_confirmed_constitution_week_replaces_the_estimate(bundled: Calendar) -> None:
    confirmed = {("constitution-week", 2026): (date(2026, 11, 30), date(2026, 12, 6))}

    week = _one(bundled, "constitution-week", 2026, confirmed)

    assert (week.date, week.end, week.estimated) == (date(2026, 11, 30), date(2026, 12, 6), False)
    assert _one(bundled, "constitution-week", 2027, confirmed).estimated


def test_cybersecurity_week_estimate_uses_third_calendar_week_of_september(
    bundled: Calendar,
) -> None:
    known = _one(bundled, "cybersecurity-week", 2025)
    estimate = _one(bundled, "cybersecurity-week", 2027)

    assert (known.date, known.estimated) == (date(2025, 9, 15), False)
    assert (estimate.date, estimate.end, estimate.estimated) == (
        date(2027, 9, 13),
        date(2027, 9, 19),
        True,
    )


def test_anti_fraud_month_known_start_has_no_end(bundled: Calendar) -> None:
    month = _one(bundled, "anti-fraud-month", 2024)

    assert (month.date, month.end, month.estimated) == (date(2024, 6, 24), None, False)


def test_every_entry_occurs_exactly_once_every_year_from_its_first_year_to_2035(
    bundled: Calendar,
) -> None:
    for year in range(2010, 2036):
        keys = {entry.key for entry in bundled.entries if entry.since <= year}
        occurrences = bundled.occurrences(date(year, 1, 1), date(year, 12, 31))
        in_year = [o.key for o in occurrences if o.date.year == year]

        assert sorted(in_year) == sorted(keys), year
        assert all(o.end is None or o.end >= o.date for o in occurrences)


def test_report_dates_default_to_march_1_and_april_1(bundled: Calendar) -> None:
    assert _one(bundled, "report-submission", 2027).date == date(2027, 3, 1)
    assert _one(bundled, "report-publication", 2027).date == date(2027, 4, 1)
    assert _one(bundled, "report-preparation", 2027).date == date(2027, 1, 5)


def test_county_deadline_moves_submission_and_pulls_preparation_earlier() -> None:
    cal = load_calendar(CALENDAR_FILE, report_deadline="01-20")

    window = cal.occurrences(date(2026, 12, 1), date(2027, 1, 31))
    dates = {o.key: o.date for o in window}

    assert dates["report-submission"] == date(2027, 1, 20)
    assert dates["report-preparation"] == date(2026, 12, 26)  # 25 days before, not 01-05


def test_county_deadline_february_29_falls_back_to_28_in_common_years() -> None:
    cal = load_calendar(CALENDAR_FILE, report_deadline="02-29")

    assert _one(cal, "report-submission", 2027).date == date(2027, 2, 28)
    assert _one(cal, "report-submission", 2028).date == date(2028, 2, 29)


def test_bad_county_deadline_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="report_deadline"):
        load_calendar(CALENDAR_FILE, report_deadline="13-01")


def test_february_month_ends_on_the_29th_in_leap_years(tmp_path: Path) -> None:
    cal = _calendar_with(tmp_path, '{ type = "month", month = 2 }')

    assert _one(cal, "test-day", 2028).end == date(2028, 2, 29)
    assert _one(cal, "test-day", 2027).end == date(2027, 2, 28)


def test_fixed_rule_on_february_29_is_rejected_naming_the_entry(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="leap-day"):
        _calendar_with(tmp_path, '{ type = "fixed", month = 2, day = 29 }', key="leap-day")


def test_fifth_weekday_that_does_not_exist_gives_no_occurrence(tmp_path: Path) -> None:
    cal = _calendar_with(tmp_path, '{ type = "nth_weekday", month = 2, weekday = 7, n = 5 }')

    years = [o.date.year for o in cal.occurrences(date(2024, 1, 1), date(2035, 12, 31))]

    assert years == [2032]  # the only February 2024–2035 with five Sundays (leap, starts Sun)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ('{ type = "weekly" }', "未知的规则类型"),
        ('{ type = "fixed", month = 4, day = 31 }', "bad-entry"),
        ('{ type = "nth_weekday", month = 9, weekday = 8, n = 3 }', "weekday"),
        ('{ type = "solar_term", name = "秋收" }', "节气"),
        ('{ type = "fixed", month = 4 }', "缺少字段 day"),
    ],
)
def test_wrong_rules_fail_loading_with_the_entry_named(
    tmp_path: Path, rule: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        _calendar_with(tmp_path, rule, key="bad-entry")

    assert "bad-entry" in str(raised.value)


def test_entry_with_one_activity_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    text = ENTRY.format(key="thin", rule='{ type = "fixed", month = 3, day = 3 }')
    path.write_text(text.replace('["活动一", "活动二"]', '["活动一"]'), encoding="utf-8")

    with pytest.raises(ConfigError, match=r"thin.*activities"):
        load_calendar(path, report_deadline=None)


def test_duplicate_keys_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    rule = '{ type = "fixed", month = 3, day = 3 }'
    path.write_text(ENTRY.format(key="twice", rule=rule) * 2, encoding="utf-8")

    with pytest.raises(ConfigError, match=r"twice.*重复"):
        load_calendar(path, report_deadline=None)


def test_missing_calendar_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="找不到日历文件"):
        load_calendar(tmp_path / "nope.toml", report_deadline=None)


def test_holidays_use_official_data_where_available() -> None:
    assert not is_workday(date(2026, 10, 1))  # 国庆
    assert previous_workday(date(2026, 10, 4)) == date(2026, 9, 30)


def test_years_without_holiday_data_fall_back_to_weekdays_and_log_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workdays, "_years_without_holiday_data", set())
    caplog.set_level(logging.WARNING, logger="bot.core.calendar.workdays")

    saturday_workday = is_workday(date(2031, 3, 1))
    monday_workday = is_workday(date(2031, 3, 3))

    assert (saturday_workday, monday_workday) == (False, True)
    assert previous_workday(date(2031, 3, 2)) == date(2031, 2, 28)
    assert sum("2031" in record.getMessage() for record in caplog.records) == 1
