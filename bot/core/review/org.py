"""The reporting body's name: a place the title names with its level (鲁山县, 青山镇) must keep
that level in the text (「鲁山人民政府」 lost its 县; 「青山乡」 changed it)."""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located

_LEVELS = "省|市|县|区|旗|乡|镇|街道"
# Levels that are easily confused for one another; 鲁山镇 in 鲁山县 may be another body.
_SIBLINGS = ({"县", "区", "旗"}, {"乡", "镇", "街道"})
# A title begins, or a body's name ends, at these; the place follows.
_TITLE_BREAKS = re.compile(r"中共|委员会|人民政府|党委|政府|关于|[、，,\s]")
_NAME = re.compile(rf"(?P<place>[\u4e00-\u9fff]{{2,4}}?)(?P<level>{_LEVELS})")
_BODY_WORDS = "人民政府|政府|党委|党政|委员会|人大|纪委|司法所|派出所|综治中心|法庭"


def check_org_names(draft: Draft) -> list[Located]:
    places = _title_places(draft.title)
    if not places:
        return []
    found: list[Located] = []
    for paragraph in draft.body:
        for place, level in places.items():
            pattern = re.compile(
                rf"{re.escape(place)}(?P<level>{_LEVELS})?(?=(?P<next>{_BODY_WORDS})?)"
            )
            for match in pattern.finditer(paragraph.text):
                written = match.group("level")
                if written == level or (written is None and match.group("next") is None):
                    continue
                if written and not any({written, level} <= group for group in _SIBLINGS):
                    continue  # 鲁山镇 in 鲁山县: a place named at another level is another body
                spot = Spot(paragraph, match.start(), match.end() + len(match.group("next") or ""))
                right = f"{place}{level}"
                problem = (
                    f"漏了“{level}”" if written is None else f"“{written}”与标题中的“{level}”不一致"
                )
                suggestion = f"单位名称{problem}，应为「{right}」（与标题一致）"
                finding = Finding("org", "error", draft.quote(spot), draft.locate(spot), suggestion)
                found.append((spot.position, finding))
    return found


def _title_places(title: str) -> dict[str, str]:
    """Places with their level at the start of each part of the title (鲁山县张店乡人民政府)."""
    places: dict[str, str] = {}
    for part in _TITLE_BREAKS.split(title):
        at = 0
        while match := _NAME.match(part, at):
            places.setdefault(match.group("place"), match.group("level"))
            at = match.end()
    return places
