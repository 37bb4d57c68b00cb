"""Stale references by the report's year: documents past their period, last years' plans.

Named stale wordings (「八五」普法, 国土资源所 …) are data in knowledge/stale.toml; this module
adds what needs arithmetic on years found in the text itself.
"""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Spot, sentences
from bot.core.review.finding import Finding, Located

_DASH = r"[—–\-－~～至到]+"
_PERIOD_DOC = re.compile(
    rf"《[^《》]{{2,60}}?[（(]\s*(\d{{4}})\s*{_DASH}\s*(\d{{4}})\s*年?\s*[）)][^《》]{{0,30}}》"
)
_YEAR_DOC = re.compile(
    r"《[^《》—–－]{0,30}?(20\d{2})\s*年度?[^《》—–－]{0,40}?"
    r"(?:要点|计划|安排|方案|任务|清单|意见|通知)[^《》]{0,10}》"
)
_LOOKING_BACK = re.compile(r"总结|收官|回顾|验收|终期|圆满完成")


def check_stale_documents(draft: Draft, year: int | None) -> list[Located]:
    if year is None:
        return []
    found: list[Located] = []
    for paragraph in draft.body:
        for start, end in sentences(paragraph.text):
            sentence = paragraph.text[start:end]
            if _LOOKING_BACK.search(sentence):
                continue
            for match in _PERIOD_DOC.finditer(sentence):
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


def _finding(draft: Draft, spot: Spot, suggestion: str) -> Located:
    finding = Finding("stale", "warning", draft.quote(spot, 0), draft.locate(spot), suggestion)
    return (spot.position, finding)
