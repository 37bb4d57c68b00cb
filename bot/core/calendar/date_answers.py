"""Questions about a key date, answered from the calendar the reminders use.

「今年宪法宣传周是哪几天」「民法典宣传月2027年是第几届」: the guidance lists past dates, but the
day in the year asked, whether it is still an estimate and which edition it is are sums over
knowledge/calendar.toml (rules.py). The answer is one card per date the question names, for the
year it names (2027年, 今年, 明年…) or else the next time it comes round.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

from bot.core.calendar.reminder_text import format_date, format_span
from bot.core.calendar.rules import Calendar, Confirmed, Entry, Occurrence
from bot.core.knowledge.timewords import asked_years
from bot.core.normalization import chinese_numeral, spoken_forms

# Words that ask when a date falls or which edition it is (not what to do on it).
_ASKS_WHEN = re.compile(
    r"哪天|哪一天|哪几天|哪日|几号|几日|几月|哪个月|几天|什么时[候间]|啥时[候间]|何时|日期|时间|"
    r"星期几|周几|起止|第几|几届|哪一届|多少届"
)
# Parts of a name staff leave out: 宪法宣传周 → 宪法周, 国家宪法日 → 宪法日.
_DROPPED_PREFIXES = ("全国", "全民", "国家", "中国", "中华", "国际", "世界")
_MIN_ALIAS_CHARS = 3
# The report's own dates are not named like the others: they are asked for by what is done.
_REPORT_CATEGORY = "报告节点"
_REPORT = re.compile(r"年报|报告")
_SUBMISSION = "report-submission"
_REPORT_DATES = {
    _SUBMISSION: re.compile(r"报送|上报|报上去|交|截止|最晚"),
    "report-publication": re.compile(r"公开|挂网|上网|公布"),
}


def key_date_cards(
    question: str, calendar: Calendar, today: date, confirmed: Confirmed | None = None
) -> list[str]:
    """A card for each key date the question names when it asks when it falls or which
    edition it is; none otherwise."""
    if not _ASKS_WHEN.search(question):
        return []
    years = asked_years(question, today)
    cards = []
    for entry in named_entries(question, calendar):
        for occurrence in _occurrences(calendar, entry, years, today, confirmed):
            cards.append(describe_key_date(entry, occurrence))
    for entry in report_entries(question, calendar):
        for occurrence in _occurrences(calendar, entry, _due_years(question), today, confirmed):
            county = calendar.county_deadline and entry.key == _SUBMISSION
            cards.append(describe_report_date(entry, occurrence, county=county))
    return cards


def report_entries(question: str, calendar: Calendar) -> list[Entry]:
    """The report's own dates a question asks about: when it is due (报送、交、最晚…) or when it
    must be public (公开、挂网…)."""
    if not _REPORT.search(question):
        return []
    keys = [key for key, words in _REPORT_DATES.items() if words.search(question)]
    found = (calendar.entry(key) for key in keys)
    return [entry for entry in found if entry is not None]


def describe_report_date(entry: Entry, occurrence: Occurrence, *, county: bool) -> str:
    """The card for a report date: the day in that year, whose report it is, on what basis
    (`county`: the county's own deadline, set in the settings; else the national rule, and
    for the due date the caveat that the county's notice decides)."""
    action = re.sub(r"^\d+月\d+日", "", entry.name.partition("：")[2])
    reported = occurrence.date.year - 1
    basis = "按本县规定" if county else "按全国性规定"
    local = (
        "；本县的时间以县委依法治县办通知为准" if entry.key == _SUBMISSION and not county else ""
    )
    return "\n".join(
        [
            f"〔重要日期 · 年度报告{action.removeprefix('前')}〕",
            f"{reported}年度的报告：{basis}，{format_date(occurrence.date)}{action}{local}。",
            f"{entry.theme}。",
            f"〔来源：{entry.source}〕",
        ]
    )


def _due_years(question: str) -> list[int]:
    """The years a report date is asked for: the year after a report year (2026年度 → 2027),
    or a year named as such (26年度 too); none for 今年、明年 (whose report is meant is unclear)."""
    question = spoken_forms(question)
    years = [int(y) + 1 for y in re.findall(r"(20\d\d)\s*年度", question)]
    years += [int(y) for y in re.findall(r"(20\d\d)\s*年(?!度)", question)]
    return list(dict.fromkeys(years))


def named_entries(question: str, calendar: Calendar) -> list[Entry]:
    """The calendar entries a question names, by name or a shortened name; a name inside a
    longer one that also matched (宪法日 in 国家宪法日) does not count twice."""
    entries = [entry for entry in calendar.entries if entry.category != _REPORT_CATEGORY]
    names = {entry.key: aliases(entry.name) for entry in entries}
    # A festival's last word alone names it too (建军节, 警察节) when no other date ends so.
    tails = Counter(_tail(entry.name) for entry in entries)
    spans: list[tuple[int, int, Entry]] = []
    for entry in entries:
        tail = _tail(entry.name)
        unique = tails[tail] == 1 and tail.endswith("节")
        for alias in [*names[entry.key], *([tail] if unique else [])]:
            start = question.find(alias)
            if start >= 0:
                spans.append((start, start + len(alias), entry))
    spans.sort(key=lambda span: span[0] - span[1])  # longest first
    chosen: list[tuple[int, int, Entry]] = []
    for start, end, entry in spans:
        inside = any(s <= start and end <= e for s, e, _ in chosen)
        if not inside and all(entry is not other for _, _, other in chosen):
            chosen.append((start, end, entry))
    return [entry for _, _, entry in sorted(chosen, key=lambda span: span[0])]


def aliases(name: str) -> list[str]:
    """Ways staff write a date's name: as it is, each part in and out of brackets, without
    quotation marks, and without 宣传 or a leading 全国/国家… (宪法宣传周 → 宪法周)."""
    plain = name.replace("“", "").replace("”", "")
    parts = [re.sub(r"（[^）]*）", "", plain), *re.findall(r"（([^）]*)）", plain)]
    found = dict.fromkeys([plain, *parts])
    for part in parts:
        for short in _shortened(part):
            found[short] = None
    return [alias for alias in found if len(alias) >= _MIN_ALIAS_CHARS]


def _tail(name: str) -> str:
    """The last three characters of a name without its bracketed part: 建军节, 丰收节."""
    return re.sub(r"（[^）]*）", "", name)[-_MIN_ALIAS_CHARS:]


def _shortened(name: str) -> Iterator[str]:
    while name.startswith(_DROPPED_PREFIXES):
        name = name[2:]
        yield name
    if "宣传" in name:
        yield name.replace("宣传", "")


def describe_key_date(entry: Entry, occurrence: Occurrence) -> str:
    """The card: the day or period in that year (marked 预计 until announced), the edition
    counted from the first year, the theme, and what the date rests on."""
    year = occurrence.date.year
    estimate = "（预计，以当年通知为准）" if occurrence.estimated else ""
    edition = year - entry.since + 1
    lines = [
        f"〔重要日期 · {entry.name}〕",
        f"{year}年{entry.name}：{format_span(occurrence)}{estimate}。",
        f"自{entry.since}年起每年一次，{year}年为第{chinese_numeral(edition)}个"
        f"（按{entry.since}年为第一个推算）。"
        if 0 < edition < 100
        else "",
        f"主题和内容：{entry.theme}",
        f"〔来源：{entry.source}〕",
    ]
    return "\n".join(line for line in lines if line)


def _occurrences(
    calendar: Calendar, entry: Entry, years: list[int], today: date, confirmed: Confirmed | None
) -> list[Occurrence]:
    """The entry in each year asked about, or else its current or next occurrence."""
    if years:
        found = (calendar.occurrence(entry.key, year, confirmed) for year in years)
        return [occurrence for occurrence in found if occurrence is not None]
    for year in (today.year, today.year + 1):
        occurrence = calendar.occurrence(entry.key, year, confirmed)
        if occurrence is not None and (occurrence.end or occurrence.date) >= today:
            return [occurrence]
    return []
