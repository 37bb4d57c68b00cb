"""Party congress and plenum names: 「党的十九大和十九届历次全会」, not 「十九大历次全会」.

A congress is 「党的N大」; its plenums are 「N届M中全会」 or together 「N届历次全会」. The check
reads these names by their grammar rather than from a list of wrong forms.
"""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located

_N = "[一二三四五六七八九十]{1,3}"
# 「党的十九大和历届全会」「十九大历次全会」「十九大四中全会」: plenums hung on the congress.
_PLENUM_ON_CONGRESS = re.compile(
    rf"(?:党的)?(?P<n>{_N})大(?P<join>和|及|以及|、)?(?P<plenum>历届全会|历次全会|{_N}中全会)"
)
# 「党的二十大和十九届历次全会」: the plenums of another congress.
_MISMATCHED = re.compile(
    rf"(?:党的)?(?P<n>{_N})大(?:和|及|以及|、)(?P<m>{_N})届(?:历次|{_N}中)全会"
)
# 「二十届历届全会」「历届全会精神」: plenums of one congress are 历次, not 历届.
_LIJIE = re.compile(rf"(?:(?P<n>{_N})届)?历届全会")
_SOURCE = "党的二十大和二十届历次全会精神的规范写法（FACTS.md §1.7、§3）"


def check_sessions(draft: Draft) -> list[Located]:
    found: list[Located] = []
    for paragraph in draft.paragraphs:
        text = paragraph.text
        if "全会" not in text:
            continue
        taken: list[tuple[int, int]] = []
        for match in _PLENUM_ON_CONGRESS.finditer(text):
            n, plenum = match.group("n"), match.group("plenum")
            plenum = "历次全会" if plenum == "历届全会" else plenum
            right = f"党的{n}大和{n}届{plenum}"
            message = f"全会属于“{n}届”，不能写在“{n}大”之后；应为「{right}」"
            taken.append(match.span())
            found.append(_finding(draft, Spot(paragraph, *match.span()), message))
        for match in _MISMATCHED.finditer(text):
            if match.group("n") != match.group("m") and not _inside(taken, match.span()):
                taken.append(match.span())
                n = match.group("n")
                message = f"“{n}大”与“{match.group('m')}届”全会不对应；一般写作「党的{n}大和{n}届历次全会」"
                found.append(_finding(draft, Spot(paragraph, *match.span()), message))
        for match in _LIJIE.finditer(text):
            if not _inside(taken, match.span()):
                prefix = f"{match.group('n')}届" if match.group("n") else ""
                message = f"同一届的全会称“历次全会”；应为「{prefix}历次全会」"
                found.append(_finding(draft, Spot(paragraph, *match.span()), message))
    return found


def _inside(taken: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in taken)


def _finding(draft: Draft, spot: Spot, message: str) -> Located:
    suggestion = f"{message}；依据：{_SOURCE}"
    finding = Finding("expression", "error", draft.quote(spot), draft.locate(spot), suggestion)
    return (spot.position, finding)
