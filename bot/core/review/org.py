"""The reporting body's name: a place the title names with its level (鲁山县, 青山镇) must keep
that level in the text (「鲁山人民政府」 lost its 县; 「青山乡」 changed it), and the signature
and the opening sentence's subject must be the body the title names."""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Paragraph, Spot
from bot.core.review.finding import Finding, Located

_LEVELS = "省|市|县|区|旗|乡|镇|街道"
# Levels that are easily confused for one another; 鲁山镇 in 鲁山县 may be another body.
_SIBLINGS = ({"县", "区", "旗"}, {"乡", "镇", "街道"})
# A title begins, or a body's name ends, at these; the place follows.
_TITLE_BREAKS = re.compile(r"中共|委员会|人民政府|党委|政府|关于|[、，,\s]")
_NAME = re.compile(rf"(?P<place>[\u4e00-\u9fff]{{2,4}}?)(?P<level>{_LEVELS})")
_BODY_WORDS = (
    "人民政府|政府|党委|党政|委员会|人大|纪委|司法所|派出所|综治中心|法庭|街道办事处|办事处"
    "|市场监督管理局|司法局|局"
)
_NOT_A_LEVEL = "(?!场|域)"  # 平川市场监督管理局: 市 of 市场 is no level
_BODY_END = re.compile(r"(?:人民政府|委员会|办事处|党委|政府|局)")
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# 「2025年，河阳县政府坚持……」: the body that opens the report.
_OPENING_SUBJECT = re.compile(
    r"^(?:20\d{2}\s*年度?|今年以来|一年来)，(?P<body>[\u4e00-\u9fff]{2,14}?(?:人民政府|政府|党委|局|办事处))"
    r"(?=坚持|认真|深入|全面|紧紧|始终|以|在|围绕|按照)"
)


def check_org_names(draft: Draft) -> list[Located]:
    places = _title_places(draft.title)
    found: list[Located] = []
    if places:
        for paragraph in draft.body:
            found += _lost_levels(draft, paragraph, places)
    body = _title_body(draft.title)
    if body and places:
        reported = {position for position, _ in found}
        found += [item for item in _other_body(draft, body, places) if item[0] not in reported]
    return found


def _lost_levels(draft: Draft, paragraph: Paragraph, places: dict[str, str]) -> list[Located]:
    found: list[Located] = []
    others = "|".join(re.escape(place) for place in places)
    for place, level in places.items():
        pattern = re.compile(
            rf"{re.escape(place)}(?P<level>(?:{_LEVELS}){_NOT_A_LEVEL})?"
            rf"(?=(?P<next>{_BODY_WORDS}|{others})?)"
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
            found.append(_finding(draft, spot, suggestion))
    return found


def _other_body(draft: Draft, body: str, places: dict[str, str]) -> list[Located]:
    """The signature above the closing date, and the opening's subject, name the title's body:
    they must name its own place (柳溪乡), not only the county above it (青山县人民政府)."""
    own = "".join(list(places.items())[-1])
    found: list[Located] = []
    paragraphs = draft.body
    if len(paragraphs) >= 2 and _DATE_LINE.match(paragraphs[-1].text.strip()):
        signature = paragraphs[-2]
        name = signature.text.strip()
        if len(name) <= 30 and _BODY_END.search(name) and own not in name:
            spot = Spot(signature, 0, len(signature.text))
            found.append(_finding(draft, spot, f"落款单位与标题不一致，应为「{body}」"))
    for paragraph in paragraphs[:3]:
        match = _OPENING_SUBJECT.match(paragraph.text)
        if match and own not in match.group("body") and _NAME.match(match.group("body")):
            spot = Spot(paragraph, match.start("body"), match.end("body"))
            found.append(_finding(draft, spot, f"报告主体与标题不一致，应为「{body}」"))
    return found


def _title_body(title: str) -> str | None:
    """The reporting body the title names (青山县柳溪乡人民政府), if it names one."""
    match = _BODY_END.search(title)
    if match is None or not _title_places(title[: match.end()]):
        return None
    if "关于" in title[: match.start()]:
        return None  # 「关于…的报告」 names no body before it
    return title[: match.end()]


def _finding(draft: Draft, spot: Spot, suggestion: str) -> Located:
    finding = Finding("org", "error", draft.quote(spot), draft.locate(spot), suggestion)
    return (spot.position, finding)


def _title_places(title: str) -> dict[str, str]:
    """Places with their level at the start of each part of the title (鲁山县张店乡人民政府)."""
    places: dict[str, str] = {}
    for part in _TITLE_BREAKS.split(title):
        at = 0
        while match := _NAME.match(part, at):
            places.setdefault(match.group("place"), match.group("level"))
            at = match.end()
    return places
