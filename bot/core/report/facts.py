"""The report's checklist: the outline's 需收集 items, and the user's facts filed under them.

Facts can come at any time and in any order (「普法活动12场，发放资料3000份」); each phrase is
filed under the part and sub-point it is about, by the same keyword scoring the drafts use.
Phrases about the future (明年、下一步、拟…) go to the plans part, and phrases naming a
shortcoming (any keyword of that part's sub-points: 不足、薄弱、有待…) to the shortcomings part,
whatever work they mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.writing.composer import group_facts, missing_hints, place_facts
from bot.core.writing.numberguard import find_figures
from bot.core.writing.sections import Point, Section, SectionCatalog

# Words that put a fact in next year's plans rather than this year's work.
_FUTURE = re.compile(r"明年|下一年|下年度|下一步|今后|计划|拟|将要|将于|打算|准备")
PLANS_KEY = "next_year"  # the plans part in knowledge/sections.toml
SHORTCOMINGS_KEY = "shortcomings"


@dataclass(frozen=True)
class FiledFact:
    """One phrase of the user's facts and where it was filed."""

    part: str  # part key
    point: str  # sub-point title ("" when no sub-point fits)
    text: str


def file_facts(text: str, catalog: SectionCatalog, *, year: int | None = None) -> list[FiledFact]:
    """Each phrase of `text` with the part and sub-point it belongs to (no fit: the first part)."""
    required = catalog.required
    future = _future_words(year)
    filed: list[FiledFact] = []
    for sentence_owner, phrase in _phrases(text, required):
        cued = _cued_part(phrase, catalog, future)
        if cued is not None:
            for owner, piece in group_facts(phrase, cued.points):
                point = cued.points[owner].title if owner >= 0 else ""
                filed.append(FiledFact(cued.key, point, piece))
            continue
        if sentence_owner is None:
            filed.append(FiledFact(required[0].key, "", phrase))
        else:
            section, point_ = sentence_owner
            filed.append(FiledFact(section.key, point_.title, phrase))
    return filed


# A message asking something: a question mark or a question word.
_QUESTION = re.compile(
    r"[？?]|([\u4e00-\u9fff])不\1|吗|呢|什么|怎么|怎样|如何|哪些|哪个|多少|是否|能否|可否|要不要|几[个场次件]"
)
MAX_FACTS_CHARS = 500


def looks_like_facts(text: str) -> bool:
    """Whether a plain message gives facts rather than asks: it states counts (件、场、人次…),
    not only years or dates, and asks nothing."""
    if len(text) > MAX_FACTS_CHARS or _QUESTION.search(text):
        return False
    return any(f.unit not in ("", "年", "月", "日", "周") for f in find_figures(text))


def _cued_part(phrase: str, catalog: SectionCatalog, future: re.Pattern[str]) -> Section | None:
    """The plans or shortcomings part when the phrase's wording says so, else None."""
    keys = {section.key for section in catalog.required}
    if PLANS_KEY in keys and future.search(phrase):
        return catalog.get(PLANS_KEY)
    if SHORTCOMINGS_KEY in keys:
        shortcomings = catalog.get(SHORTCOMINGS_KEY)
        # The first sub-point is the shortcomings themselves; its keywords are words of lack.
        if any(word in phrase for word in shortcomings.points[0].keywords):
            return shortcomings
    return None


def _phrases(
    text: str, sections: tuple[Section, ...]
) -> list[tuple[tuple[Section, Point] | None, str]]:
    """The facts grouped by sub-point across all parts (None: no sub-point fits)."""
    pairs = [(section, point) for section in sections for point in section.points]
    return [
        (pairs[owner] if owner >= 0 else None, phrase)
        for owner, phrase in group_facts(text, [point for _, point in pairs])
    ]


def _future_words(year: int | None) -> re.Pattern[str]:
    if year is None:
        return _FUTURE
    return re.compile(f"{_FUTURE.pattern}|{year + 1}年")


def missing_items(section: Section, facts: tuple[str, ...]) -> list[str]:
    """The 需收集 items of a part that none of its facts answers yet."""
    placed = place_facts(section, "\n".join(facts))
    missing: list[str] = []
    for point, phrases in zip(section.points, placed, strict=True):
        missing += missing_hints(point, phrases)
    return missing
