"""Relative time words read against the report year (明年 in December, 今年 in February)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.core.knowledge.timewords import (
    NEXT_YEAR,
    TimeFrame,
    asked_years,
    passage_time_terms,
    read_time_words,
)

DECEMBER = TimeFrame(today=dt.date(2026, 12, 4), report_year=2026)
FEBRUARY = TimeFrame(today=dt.date(2027, 2, 10), report_year=2026)


@pytest.mark.parametrize(
    ("query", "when", "expected"),
    [
        ("明年打算干些啥", DECEMBER, ("下一年度打算干些啥", [])),
        ("今年普法搞了哪些活动", DECEMBER, ("今年普法搞了哪些活动", [])),
        # Writing the 2026 report in February 2027: 今年 is the year after the report …
        ("今年有什么打算", FEBRUARY, ("下一年度有什么打算", [])),
        # … and 去年 is the year reported on, which documents call 今年: left as it is.
        ("去年普法搞了哪些活动", FEBRUARY, ("去年普法搞了哪些活动", [])),
        ("2027年工作计划怎么写", DECEMBER, ("2027年工作计划怎么写", [NEXT_YEAR])),
        ("2026年工作计划怎么写", DECEMBER, ("2026年工作计划怎么写", [])),
        ("下一步工作怎么写", None, ("下一步工作怎么写", [NEXT_YEAR])),
        ("下年度安排", FEBRUARY, ("下年度安排", [NEXT_YEAR])),
        ("明年打算", None, ("下一年度打算", [])),
        ("今年有什么打算", None, ("今年有什么打算", [])),  # without a date: either year
    ],
)
def test_query_time_words_are_read_against_the_report_year(
    query: str, when: TimeFrame | None, expected: tuple[str, list[str]]
) -> None:
    assert read_time_words(query, when) == expected


@pytest.mark.parametrize(
    ("heading", "year", "expected"),
    [
        (("三、2025年重点工作", "（一）进一步提高依法行政能力"), 2024, [NEXT_YEAR]),
        (("四、存在的问题及2025年度工作计划",), 2024, [NEXT_YEAR]),
        (("三、下一步工作安排",), None, [NEXT_YEAR]),
        (("一、2024年法治政府建设情况",), 2024, []),
        # The template's 上一年度 is the year reported on, not the one before it.
        (("三、上一年度推进法治政府建设存在的不足",), 2023, []),
        (("二、2025年重点工作",), None, []),  # no document year: a year alone says nothing
    ],
)
def test_a_passage_about_the_year_after_its_document_is_marked_as_such(
    heading: tuple[str, ...], year: int | None, expected: list[str]
) -> None:
    assert passage_time_terms(heading, year) == expected


def test_the_years_a_question_names_count_from_the_day_asked() -> None:
    today = dt.date(2026, 12, 4)

    assert asked_years("今年宪法周哪几天，明年呢", today) == [2026, 2027]
    assert asked_years("2027年民法典宣传月是第几届", today) == [2027]
    assert asked_years("26年宪法宣传周啥时候", today) == [2026]
    assert asked_years("宪法宣传周啥时候", today) == []
