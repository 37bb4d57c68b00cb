"""The bundled calendar against its sources: first years, announced weeks, deadline wording."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.calendar.reminder_text import compose_reminder, describe_occurrence
from bot.core.calendar.rules import Calendar, Occurrence, load_calendar
from bot.core.errors import ConfigError
from tests.conftest import PROJECT_ROOT

CALENDAR_FILE = PROJECT_ROOT / "knowledge" / "calendar.toml"


@pytest.fixture(scope="module")
def bundled() -> Calendar:
    return load_calendar(CALENDAR_FILE, report_deadline=None)


def _in_year(cal: Calendar, key: str, year: int) -> list[Occurrence]:
    window = cal.occurrences(date(year, 1, 1), date(year, 12, 31))
    return [o for o in window if o.key == key and o.date.year == year]


@pytest.mark.parametrize(
    ("key", "first_year"),
    [
        ("science-month", 2025),  # 科普法 revised 2024-12-25; 2024 still had 全国科普日
        ("police-day", 2021),  # 国函〔2020〕98号: from 2021
        ("civil-code-month", 2021),
        ("family-education-week", 2022),  # 家庭教育促进法 in force 2022-01-01
        ("national-security-day", 2016),
        ("constitution-week", 2018),
    ],
)
def test_entries_start_in_their_first_year(bundled: Calendar, key: str, first_year: int) -> None:
    assert _in_year(bundled, key, first_year - 1) == []
    assert len(_in_year(bundled, key, first_year)) == 1


def test_every_entry_states_its_first_year_and_what_it_rests_on(bundled: Calendar) -> None:
    assert all(1900 < entry.since <= 2026 and entry.since_source for entry in bundled.entries)


def test_entry_without_a_first_year_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text(
        '[[entry]]\nkey = "no-since"\nname = "测试日"\ncategory = "普法节点"\n'
        'rule = { type = "fixed", month = 3, day = 3 }\ntheme = "测试"\nlaws = ["宪法"]\n'
        'activities = ["一", "二"]\nsource = "测试"\n',
        encoding="utf-8",
    )

    with pytest.raises(ConfigError, match=r"no-since.*since"):
        load_calendar(path, report_deadline=None)


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (2016, date(2016, 5, 8), date(2016, 5, 14)),
        (2017, date(2017, 5, 7), date(2017, 5, 13)),
        (2018, date(2018, 5, 6), date(2018, 5, 12)),
        (2024, date(2024, 5, 12), date(2024, 5, 18)),
        (2025, date(2025, 5, 11), date(2025, 5, 17)),
    ],
)
def test_vocational_week_estimate_rule_reproduces_every_announced_week(
    tmp_path: Path, year: int, start: date, end: date
) -> None:
    # The estimate alone (no known dates): the first Sunday from 5月6日, seven days.
    path = tmp_path / "calendar.toml"
    path.write_text(
        '[[entry]]\nkey = "voc"\nname = "职业教育活动周"\ncategory = "普法节点"\nsince = 2015\n'
        'since_source = "测试"\nrule = { type = "weekday_from", month = 5, day = 6, '
        'weekday = 7, days = 7 }\ntheme = "测试"\nlaws = ["职业教育法"]\n'
        'activities = ["一", "二"]\nsource = "测试"\n',
        encoding="utf-8",
    )

    (week,) = _in_year(load_calendar(path), "voc", year)

    assert (week.date, week.end) == (start, end)


def test_vocational_week_is_sunday_to_saturday_and_estimated_until_announced(
    bundled: Calendar,
) -> None:
    (known,) = _in_year(bundled, "vocational-education-week", 2025)
    (future,) = _in_year(bundled, "vocational-education-week", 2026)

    assert (known.date, known.end, known.estimated) == (date(2025, 5, 11), date(2025, 5, 17), False)
    assert (future.date, future.end, future.estimated) == (
        date(2026, 5, 10),
        date(2026, 5, 16),
        True,
    )
    assert "预计" in describe_occurrence(future)


def test_announced_2024_cybersecurity_week_is_not_an_estimate(bundled: Calendar) -> None:
    (week,) = _in_year(bundled, "cybersecurity-week", 2024)

    assert (week.date, week.end, week.estimated) == (date(2024, 9, 9), date(2024, 9, 15), False)


def test_report_deadline_is_worded_as_the_rule_with_its_caveat(bundled: Calendar) -> None:
    (submission,) = _in_year(bundled, "report-submission", 2027)
    (publication,) = _in_year(bundled, "report-publication", 2027)

    assert submission.name.endswith("3月1日前报送")
    assert "是否直接适用于乡镇尚未核实" in submission.source
    assert publication.name.endswith("4月1日前向社会公开")
    assert "截止" not in describe_occurrence(submission) + describe_occurrence(publication)


def test_county_deadline_is_shown_as_the_county_rule() -> None:
    cal = load_calendar(CALENDAR_FILE, report_deadline="01-20")

    (submission,) = _in_year(cal, "report-submission", 2027)
    text = compose_reminder(submission, date(2027, 1, 13), [])

    assert submission.name.endswith("1月20日前报送")
    assert "本县规定1月20日前报送（全国性规定为每年3月1日前）" in text


def test_army_day_is_august_1_with_the_law_that_names_it(bundled: Calendar) -> None:
    (army_day,) = _in_year(bundled, "army-day", 2027)

    assert army_day.date == date(2027, 8, 1)
    assert "军人地位和权益保障法第十条" in army_day.source


def test_reminder_lists_every_activity_idea(bundled: Calendar) -> None:
    (week,) = _in_year(bundled, "constitution-week", 2025)

    text = compose_reminder(week, date(2025, 11, 24), [])

    assert len(week.activities) == 4
    assert all(f"{n}. {idea}" in text for n, idea in enumerate(week.activities, start=1))
