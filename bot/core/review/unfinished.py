"""Unfinished text: placeholders left in a draft (【待补充：…】, 需收集…, ××) are errors.

A draft carries placeholders where a figure or name is still unknown (DESIGN.md); sending one
up to the county is the mistake staff fear most, so each one is an error-level finding whose
excerpt is the placeholder itself, verbatim.
"""

from __future__ import annotations

import re

from bot.core.review.draft import Draft, Spot
from bot.core.review.finding import Finding, Located

_PENDING = r"(?:待补充|待核实|待更新|待填写|待完善|待确认|待定|请补充|请填写|请核实|此处填写)"
# A bracketed note with a pending word: 【待补充：全年案件数】, 〔待核实〕, （数据请填写）, and
# empty 【】 left to fill.
_BRACKETED = re.compile(
    rf"【[^【】\n]{{0,20}}?{_PENDING}[^【】\n]{{0,60}}】|〔[^〔〕\n]{{0,20}}?{_PENDING}[^〔〕\n]{{0,60}}〕"
    rf"|［[^［］\n]{{0,20}}?{_PENDING}[^［］\n]{{0,60}}］|\[[^\[\]\n]{{0,20}}?{_PENDING}[^\[\]\n]{{0,60}}\]"
    rf"|[（(][^（）()\n]{{0,20}}?{_PENDING}[^（）()\n]{{0,60}}[）)]|【\s*】"
)
# A to-do note: a line or clause that starts with 需收集 / 需补充 …, up to the clause end.
_TODO = re.compile(
    r"(?:^|(?<=[。；;！？：:，,\s]))需(?:收集|补充|核实|填写|更新)[^。；;！？\n]{0,60}"
)
# Letters or crosses standing in for a figure or a name: XX乡, ×××同志, XX件.
# A single X before a unit (X月X日, X名) and blanks to fill in (____) count too.
_STAND_IN = re.compile(
    r"(?<![A-Za-z])(?:[XＸ]{2,}|[×✕╳]{2,}|[xｘ]{2,}(?=[\u4e00-\u9fff\d]))(?![A-Za-z])"
    r"|(?<![A-Za-z\d])[XＸ×](?=[年月日号名件人次个场份起项条元万余%])|_{3,}|＿{2,}"
)


_KINDS = (
    (_BRACKETED, "占位内容尚未补齐"),
    (_TODO, "这是待办说明，不应留在正文中"),
    (_STAND_IN, "用“××”代替的数字或名称尚未填写"),
)


def check_unfinished(draft: Draft) -> list[Located]:
    """One error per placeholder, in the order they appear."""
    found: list[Located] = []
    for paragraph in draft.paragraphs:
        for start, end, hint in _placeholder_spans(paragraph.text):
            spot = Spot(paragraph, start, end)
            suggestion = f"{hint}：请填入核实后的内容，或删去这一处后再报送"
            finding = Finding(
                "unfinished", "error", paragraph.text[start:end], draft.locate(spot), suggestion
            )
            found.append((spot.position, finding))
    return found


def find_placeholders(text: str) -> list[str]:
    """Every placeholder in `text`, as the proofreader counts them (for progress figures)."""
    found: list[str] = []
    for line in text.split("\n"):
        found += [line[start:end] for start, end, _ in _placeholder_spans(line)]
    return found


def _placeholder_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, hint) of each placeholder in one paragraph; overlaps counted once."""
    taken: list[tuple[int, int, str]] = []
    for pattern, hint in _KINDS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end, _ in taken):
                continue
            taken.append((start, end, hint))
    return taken
