"""Relative time words (明年、下一步、今年、去年、下年度) read against the report year.

Staff speak relative to today («明年打算干些啥»); reports name years («2025年重点工作» in a
2024 report) or speak relative to their own year («下一年度推进法治政府建设的初步安排»,
«下一步工作安排»). Both sides are mapped to the term the report template uses for the plans
part, 下一年度, so a question about the year after the report finds the plans part of every
report, whatever year each was written for. The report template's own 上一年度 means the year
reported on, so looking back needs no mapping: it is the report itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.normalization import spoken_forms

NEXT_YEAR = "下一年度"

# Words that already mean "the year after the report", whoever says them.
_NEXT_BY_ROLE = re.compile(r"下一步|下步|下一年度?|下年度?|今后|来年")
# Words relative to the day they are said on, with their offset in years.
_RELATIVE_TO_TODAY = (
    (re.compile(r"明年|明年度"), 1),
    (re.compile(r"今年|本年度?"), 0),
    (re.compile(r"去年|上年(?!度)"), -1),
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")


@dataclass(frozen=True)
class TimeFrame:
    """When a question is asked and which year's report the asker works on."""

    today: dt.date
    report_year: int


def read_time_words(query: str, when: TimeFrame | None) -> tuple[str, list[str]]:
    """The query with the words meaning the year after the report year put in the template's
    term, and the term to add when the query names that year otherwise (2027年, 下一步).
    「今年有什么打算」 asked in February about last year's report becomes 「下一年度有什么打算」:
    documents use 今年 for the year they report on."""
    if when is None:
        # Without a date only 明年 is clear: it is never the year reported on.
        when_next = [_RELATIVE_TO_TODAY[0][0]]
    else:
        when_next = [
            pattern
            for pattern, offset in _RELATIVE_TO_TODAY
            if when.today.year + offset == when.report_year + 1
        ]
    text = query
    for pattern in when_next:
        text = pattern.sub(NEXT_YEAR, text)
    named = when is not None and when.report_year + 1 in {int(y) for y in _YEAR.findall(query)}
    # Where the text now says 下一年度 the query's own words hold it (lexical.with_char_runs
    # joins jieba's 下/一), so the term is added only for a year or role word that is not it.
    if text == query and (named or _NEXT_BY_ROLE.search(query)):
        return text, [NEXT_YEAR]
    return text, []


def asked_years(query: str, today: dt.date) -> list[int]:
    """The years a question names, in its order: 2027年, and 今年、明年、去年 counted from
    `today` (a date is asked about the calendar year, not a report year); 26年 counts too."""
    query = spoken_forms(query)
    found: list[tuple[int, int]] = [(m.start(), int(m.group(1))) for m in _YEAR.finditer(query)]
    for pattern, offset in _RELATIVE_TO_TODAY:
        found += [(m.start(), today.year + offset) for m in pattern.finditer(query)]
    return list(dict.fromkeys(year for _, year in sorted(found)))


def passage_time_terms(heading: Sequence[str], year: int | None) -> list[str]:
    """[下一年度] for a passage under a heading about the year after its document's year."""
    for line in heading:
        if _NEXT_BY_ROLE.search(line) or _RELATIVE_TO_TODAY[0][0].search(line):
            return [NEXT_YEAR]
        if year is not None and str(year + 1) in _YEAR.findall(line):
            return [NEXT_YEAR]
    return []
