"""Stale references by the report's year: documents past their period, last years' plans.

Named stale wordings (「八五」普法, 国土资源所 …) are data in knowledge/stale.toml; this module
adds what needs arithmetic on years found in the text itself. The plans part of a report is
about the year after, so the caller checks it against that year; there, a year before the
report's own is stale too.
"""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Paragraph, Spot, sentences
from bot.core.review.finding import Finding, Located

_DASH = r"[—–\-－~～至到]+"
_PERIOD_DOC = re.compile(
    rf"《[^《》]{{2,60}}?[（(]\s*(\d{{4}})\s*{_DASH}\s*(\d{{4}})\s*年?\s*[）)][^《》]{{0,30}}》"
)
_YEAR_DOC = re.compile(
    r"《[^《》—–－]{0,30}?(20\d{2})\s*年度?[^《》—–－]{0,40}?"
    r"(?:要点|计划|安排|方案|任务|清单|意见|通知)[^《》]{0,10}》"
)
# A plan named with its period but without 《》: 「实施纲要（2021—2025年）」.
_PERIOD_NAME = re.compile(
    rf"[^\s，。；、：《》“”（）()]{{2,30}}?(?:纲要|规划|方案|计划)\s*[（(]\s*(\d{{4}})\s*{_DASH}"
    rf"\s*(\d{{4}})\s*年?\s*[）)]"
)
_LOOKING_BACK = re.compile(r"总结|收官|回顾|验收|终期|圆满完成|完成了|时期|期间|已于")
_PLAIN_YEAR = re.compile(rf"(?<![\d—–\-－~～])(20\d{{2}})\s*年(?!\s*{_DASH})")
# 「2026年，街道将……」 in the plans for 2027: this year's wording left in next year's plans.
_THIS_YEAR_AS_PLAN = re.compile(r"\s*(?:度)?[，,]?[^，。；]{0,12}?(?:将|要|计划|拟|力争|准备)")
_SINCE = re.compile(r"以来|印发|出台|颁布|施行|实施的|修订|修正|通过|制定|起|之前|相比|同比|基础上")


def check_stale_documents(
    draft: Draft, year: int | None, paragraphs: list[Paragraph] | None = None
) -> list[Located]:
    """Periods and yearly documents older than `year`, in `paragraphs` (default: the body)."""
    if year is None:
        return []
    found: list[Located] = []
    for paragraph in draft.body if paragraphs is None else paragraphs:
        for start, end in sentences(paragraph.text):
            sentence = paragraph.text[start:end]
            if _LOOKING_BACK.search(sentence):
                continue
            cited = [m.span() for m in _PERIOD_DOC.finditer(sentence)]
            bare = [
                m
                for m in _PERIOD_NAME.finditer(sentence)
                if not any(s <= m.start() < e for s, e in cited)
            ]
            for match in [*_PERIOD_DOC.finditer(sentence), *bare]:
                if int(match.group(2)) < year:
                    spot = Spot(paragraph, start + match.start(), start + match.end())
                    suggestion = (
                        f"该文件期限至{match.group(2)}年，已不适用于{year}年的报告；"
                        "请改引现行文件，或按上级最新通知表述"
                    )
                    found.append(_finding(draft, spot, suggestion))
            for match in _YEAR_DOC.finditer(sentence):
                if int(match.group(1)) < year:
                    spot = Spot(paragraph, start + match.start(), start + match.end())
                    suggestion = (
                        f"这是{match.group(1)}年的年度文件，{year}年的报告应依据"
                        f"{year}年的同类文件（如《{year}年……工作要点》），请核对"
                    )
                    found.append(_finding(draft, spot, suggestion))
    return found


def check_stale_years(draft: Draft, plans: list[Paragraph], year: int | None) -> list[Located]:
    """In the plans for the year after `year`, a year before `year` is left from an old draft."""
    if year is None:
        return []
    found: list[Located] = []
    for paragraph in plans:
        for start, end in sentences(paragraph.text):
            sentence = paragraph.text[start:end]
            if _LOOKING_BACK.search(sentence) or _SINCE.search(sentence):
                continue
            titles = [m.span() for m in re.finditer(r"《[^《》]*》", sentence)]
            for match in _PLAIN_YEAR.finditer(sentence):
                written = int(match.group(1))
                if any(s <= match.start() < e for s, e in titles) or written > year:
                    continue
                if written == year and not _THIS_YEAR_AS_PLAN.match(sentence, match.end()):
                    continue  # 「巩固2026年成果」 looks back at the report's own year
                spot = Spot(paragraph, start + match.start(), start + match.end())
                suggestion = (
                    f"这是{year + 1}年工作安排，「{match.group(0)}」已是往年；"
                    "请核对是否沿用了旧稿，改为相应年度"
                )
                found.append(_finding(draft, spot, suggestion))
    return found


def _finding(draft: Draft, spot: Spot, suggestion: str) -> Located:
    finding = Finding("stale", "warning", draft.quote(spot, 0), draft.locate(spot), suggestion)
    return (spot.position, finding)
