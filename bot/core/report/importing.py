"""An existing report's text split into the workspace's parts, by its level-1 headings.

Headings are found with the chunker's outline parser and matched to the five required parts by
the proofreader's content patterns; text under a heading that names no part is kept apart
(「其他（未归入各部分的内容）」) and reported. With `as_base`, last year's report becomes a base
for this year: structure and wording stay, every figure and year becomes 【待更新：原为…】.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.errors import InputError
from bot.core.knowledge.chunking import classify_line
from bot.core.review.structure import CONTENTS
from bot.core.writing.numberguard import find_figures
from bot.core.writing.sections import SectionCatalog

_LEVEL_ONE = 4  # chunking's rank of 一、二、三 headings
# Figures that are not last year's: a cited plan's range, a document number, a date-free title.
_KEPT_SPANS = re.compile(
    r"[（(]\d{4}\s*[—–-]+\s*\d{4}年?[）)]|〔\d{4}〕\d*号?|\d{4}\s*[—–-]+\s*\d{4}年|《[^》]*》"
)
NOT_A_REPORT = (
    "没有在这份文稿中找到报告的一级标题（一、二、三……），无法按部分导入。"
    "可以选择某一部分后用“替换”粘贴文字。"
)


@dataclass(frozen=True)
class SplitReport:
    """The parts found in an imported text."""

    opening: str
    parts: dict[str, str]  # part key -> body text
    unsorted: str  # text under headings that name no part
    unsorted_headings: tuple[str, ...] = ()
    merged: dict[str, list[str]] = field(default_factory=dict)  # key -> headings merged in


def split_report(text: str, catalog: SectionCatalog) -> SplitReport:
    """Split a report by its level-1 headings; InputError when it has none."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    headings = [i for i, line in enumerate(lines) if _level_one(line)]
    if not headings:
        raise InputError(NOT_A_REPORT)
    keys = [section.key for section in catalog.required]
    opening_lines = _drop_title_lines(lines[: headings[0]])
    parts: dict[str, list[str]] = {}
    unsorted: list[str] = []
    unsorted_headings: list[str] = []
    merged: dict[str, list[str]] = {}
    for number, start in enumerate(headings):
        end = headings[number + 1] if number + 1 < len(headings) else len(lines)
        heading_line = lines[start]
        _, label, inline = _level_one(heading_line) or (0, heading_line, "")
        body = ([inline] if inline else []) + lines[start + 1 : end]
        key = _part_for(label, keys)
        if key is None:
            unsorted += [heading_line, *lines[start + 1 : end]]
            unsorted_headings.append(label)
        elif key in parts:
            parts[key] += [heading_line, *lines[start + 1 : end]]  # keep its own heading
            merged.setdefault(key, []).append(label)
        else:
            parts[key] = body
    return SplitReport(
        opening="\n".join(opening_lines),
        parts={key: "\n".join(body) for key, body in parts.items()},
        unsorted="\n".join(unsorted),
        unsorted_headings=tuple(unsorted_headings),
        merged=merged,
    )


def as_base(text: str, fixed_expressions: tuple[str, ...] = ()) -> tuple[str, int]:
    """Every figure and year in `text` as 【待更新：原为…】 (cited plan ranges, document
    numbers and titles kept); returns the text and how many were replaced."""
    kept = [(m.start(), m.end()) for m in _KEPT_SPANS.finditer(text)]
    pieces: list[str] = []
    cursor = replaced = 0
    for figure in find_figures(text, fixed_expressions):
        if any(a <= figure.start < b for a, b in kept):
            continue
        pieces += [text[cursor : figure.start], f"【待更新：原为{figure.text}】"]
        cursor = figure.end
        replaced += 1
    pieces.append(text[cursor:])
    return "".join(pieces), replaced


def _level_one(line: str) -> tuple[int, str, str] | None:
    found = classify_line(line)
    return found if found is not None and found[0] == _LEVEL_ONE else None


def _part_for(heading: str, keys: list[str]) -> str | None:
    """The required part a heading names (by the proofreader's patterns), or None."""
    for content in (CONTENTS[-1], *CONTENTS[:-1]):  # 其他需要报告 before the looser patterns
        if content.pattern.search(heading):
            index = [c.key for c in CONTENTS].index(content.key)
            return keys[index] if index < len(keys) else None
    return None


def _drop_title_lines(lines: list[str]) -> list[str]:
    """The opening without the short unpunctuated lines above it (title, body, addressee)."""
    kept = list(lines)
    while kept and len(kept[0]) <= 40 and not re.search(r"[。；，]", kept[0]):
        kept.pop(0)
    return kept
