"""Questions about a key date are answered from the calendar the reminders use."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.calendar.date_answers import aliases, key_date_cards, named_entries
from bot.core.calendar.rules import Calendar, load_calendar
from tests.conftest import PROJECT_ROOT

TODAY = date(2026, 12, 4)


@pytest.fixture(scope="module")
def bundled() -> Calendar:
    return load_calendar(PROJECT_ROOT / "knowledge" / "calendar.toml")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("宪法周是哪几天", "宪法宣传周"),
        ("宪法日是几号", "国家宪法日"),
        ("3·15是哪天", "国际消费者权益日（3·15）"),
        ("安全教育日是哪天", "全民国家安全教育日"),
    ],
)
def test_a_date_is_found_by_its_name_as_staff_shorten_it(
    bundled: Calendar, question: str, name: str
) -> None:
    assert [entry.name for entry in named_entries(question, bundled)] == [name]


def test_a_name_inside_a_longer_one_is_not_a_second_date(bundled: Calendar) -> None:
    # 宪法日 is not in the question, 宪法 alone names nothing; the week is named once.
    assert [e.name for e in named_entries("国家宪法日和宪法宣传周分别是哪天", bundled)] == [
        "国家宪法日",
        "宪法宣传周",
    ]
    assert "宪法周" in aliases("宪法宣传周") and "宪法" not in aliases("宪法宣传周")


def test_the_year_asked_gives_the_day_and_the_edition(bundled: Calendar) -> None:
    [card] = key_date_cards("民法典宣传月在每年几月？2027年是第几届？", bundled, TODAY)

    assert "2027年5月1日（周六）至5月31日（周一）" in card
    assert "2027年为第七个" in card
    assert "预计" not in card


def test_this_year_is_the_calendar_year_and_an_unannounced_week_is_an_estimate(
    bundled: Calendar,
) -> None:
    [card] = key_date_cards("今年宪法宣传周是哪几天 通知出没出", bundled, TODAY)

    assert "2026年宪法宣传周：2026年12月1日（周二）至12月7日（周一）（预计" in card
    assert "第九个" in card
    assert "〔来源：" in card


def test_without_a_year_the_next_time_it_comes_round(bundled: Calendar) -> None:
    [card] = key_date_cards("宪法宣传周啥时候", bundled, date(2026, 12, 10))

    assert card.splitlines()[1].startswith("2027年宪法宣传周：2027年")


def test_a_confirmed_week_replaces_the_estimate(bundled: Calendar) -> None:
    confirmed = {("constitution-week", 2026): (date(2026, 11, 30), date(2026, 12, 6))}

    [card] = key_date_cards("今年宪法周哪几天", bundled, TODAY, confirmed)

    assert "2026年11月30日（周一）至12月6日（周日）。" in card


@pytest.mark.parametrize("question", ["宪法周搞什么活动", "今天几号"])
def test_no_card_unless_a_named_date_is_asked_when(bundled: Calendar, question: str) -> None:
    assert key_date_cards(question, bundled, TODAY) == []


@pytest.mark.parametrize(
    ("question", "name"),
    [("八一建军节是哪天", "中国人民解放军建军节（八一）"), ("丰收节是几号", "中国农民丰收节")],
)
def test_a_festival_is_found_by_its_last_word(bundled: Calendar, question: str, name: str) -> None:
    assert [entry.name for entry in named_entries(question, bundled)] == [name]


def test_a_last_word_that_ends_several_names_names_none(bundled: Calendar) -> None:
    assert named_entries("法制宣传日是哪天改的", bundled) == []
    assert named_entries("宣传周一般几天", bundled) == []


def test_the_reports_due_date_is_the_next_one_with_its_basis(bundled: Calendar) -> None:
    [card] = key_date_cards("镇里年报最晚几号交", bundled, TODAY)

    assert "2026年度的报告：按全国性规定，2027年3月1日（周一）前报送；本县的时间以" in card
    assert "县里规定的时间往往更早" in card  # the national rule's caveat


def test_a_county_deadline_replaces_the_national_one() -> None:
    county = load_calendar(PROJECT_ROOT / "knowledge" / "calendar.toml", report_deadline="02-20")

    [card] = key_date_cards("年报什么时候报送", county, TODAY)

    assert "2026年度的报告：按本县规定，2027年2月20日（周六）前报送。" in card


def test_a_report_year_asks_for_the_dates_of_the_year_after(bundled: Calendar) -> None:
    cards = key_date_cards("2025年度报告的报送和公开截止日各是星期几", bundled, TODAY)

    assert [card.splitlines()[1] for card in cards] == [
        "2025年度的报告：按全国性规定，2026年3月1日（周日）前报送；本县的时间以县委依法治县办通知为准。",
        "2025年度的报告：按全国性规定，2026年4月1日（周三）前向社会公开。",
    ]


@pytest.mark.parametrize("question", ["年报要写哪几部分", "年报交给谁", "宪法宣传周的报告怎么写"])
def test_no_report_card_unless_its_dates_are_asked(bundled: Calendar, question: str) -> None:
    assert key_date_cards(question, bundled, TODAY) == []


def test_a_two_digit_report_year_is_read_too(bundled: Calendar) -> None:
    [card] = key_date_cards("25年度的年报几号前交", bundled, TODAY)

    assert card.splitlines()[1].startswith("2025年度的报告：按全国性规定，2026年3月1日")
