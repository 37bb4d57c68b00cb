"""Reading dates and times the way people type them for /remind."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar.dateparse import parse_when, split_remind_args
from bot.core.errors import InputError

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=SHANGHAI)  # a Monday evening


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01 09:00", at(2026, 12, 1, 9, 0)),
        ("2026/12/1 14:30", at(2026, 12, 1, 14, 30)),
        ("2026年12月1日", at(2026, 12, 1, 9, 0)),
        ("12月1日", at(2026, 12, 1, 9, 0)),
        ("12月1日下午3点半", at(2026, 12, 1, 15, 30)),
        ("十二月一日上午十点", at(2026, 12, 1, 10, 0)),
        ("明天上午9点", at(2026, 11, 24, 9, 0)),
        ("明天", at(2026, 11, 24, 9, 0)),
        ("后天晚上8点", at(2026, 11, 25, 20, 0)),
        ("下周一", at(2026, 11, 30, 9, 0)),
        ("下星期三 14:00", at(2026, 12, 2, 14, 0)),
        ("周五", at(2026, 11, 27, 9, 0)),
        ("周一", at(2026, 11, 30, 9, 0)),  # today's 09:00 is past: next Monday
        ("3天后", at(2026, 11, 26, 9, 0)),
        ("2小时后", at(2026, 11, 23, 22, 0)),
        ("30分钟后", at(2026, 11, 23, 20, 30)),
        ("二十三点十五分", at(2026, 11, 23, 23, 15)),
        ("下午3点", at(2026, 11, 24, 15, 0)),  # today's 15:00 is past: tomorrow
        ("１２月１日　９：３０", at(2026, 12, 1, 9, 30)),  # full-width digits
        ("明天下午", at(2026, 11, 24, 15, 0)),
        ("今晚", at(2026, 11, 24, 20, 0)),  # today's 20:00 is not after now: tomorrow
    ],
)
def test_parse_when_reads_common_phrases(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW) == expected


def test_month_day_already_past_means_next_year() -> None:
    assert parse_when("11月1日", NOW) == at(2027, 11, 1, 9, 0)


def test_relative_days_are_read_in_shanghai_even_when_now_is_utc() -> None:
    now_utc = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # already 01:00 on the 24th in Shanghai

    assert parse_when("明天上午9点", now_utc) == at(2026, 11, 25, 9, 0)


@pytest.mark.parametrize("text", ["abc", "提交方案", "明天 开会", ""])
def test_unreadable_time_gets_working_examples(text: str) -> None:
    with pytest.raises(InputError, match="明天上午9点"):
        parse_when(text, NOW)


@pytest.mark.parametrize("text", ["2026-02-30", "25点", "12月32日"])
def test_impossible_dates_are_input_errors(text: str) -> None:
    with pytest.raises(InputError):
        parse_when(text, NOW)


def test_a_past_moment_is_refused() -> None:
    with pytest.raises(InputError, match="已经过去"):
        parse_when("2026-11-01 09:00", NOW)


def test_a_moment_too_far_ahead_is_refused() -> None:
    with pytest.raises(InputError, match="三年以内"):
        parse_when("2031-01-01", NOW)


@pytest.mark.parametrize(
    ("text", "when", "rest"),
    [
        ("明天上午9点 提交方案", at(2026, 11, 24, 9, 0), "提交方案"),
        (
            "2026-12-01 09:00 提交宪法宣传周活动方案",
            at(2026, 12, 1, 9, 0),
            "提交宪法宣传周活动方案",
        ),
        ("12月1日提交方案", at(2026, 12, 1, 9, 0), "提交方案"),
        ("下周一，报送材料", at(2026, 11, 30, 9, 0), "报送材料"),
        ("明天上午 提交方案", at(2026, 11, 24, 9, 0), "提交方案"),
    ],
)
def test_split_remind_args_separates_time_and_text(text: str, when: datetime, rest: str) -> None:
    assert split_remind_args(text, NOW) == (when, rest)


def test_split_remind_args_without_text_asks_for_it() -> None:
    with pytest.raises(InputError, match="提醒内容"):
        split_remind_args("明天上午9点", NOW)


def test_split_remind_args_with_nothing_shows_usage() -> None:
    with pytest.raises(InputError, match="/remind"):
        split_remind_args("  ", NOW)
