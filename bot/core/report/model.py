"""One annual report as plain data: its parts in the required order, and the text they make.

A report has an opening paragraph, the five required parts (from knowledge/sections.toml) and a
holding place for imported text that fits no part. `Report.assemble()` gives the whole text with
the title and the standard level-1 headings; the parts themselves hold only their body text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from string import Template

from bot.core.errors import InputError
from bot.core.review.unfinished import find_placeholders
from bot.core.writing.sections import Section, SectionCatalog, resolve_section

OPENING = "opening"
UNSORTED = "unsorted"
OPENING_NAME = "开头"
UNSORTED_NAME = "其他（未归入各部分的内容）"
CHINESE_ORDINALS = "一二三四五六七八九十"
# Where a part's text came from. "outline" is the skeleton a new report starts with.
ORIGINS = {
    "outline": "提纲",
    "drafted": "起草",
    "pasted": "粘贴",
    "imported": "导入",
    "base": "上年底稿",
    "": "空",
}
ORG_PLACEHOLDER = "【待补充：单位名称】"


@dataclass(frozen=True)
class Part:
    """One part of the report: its body text, where it came from, the facts given for it."""

    key: str
    text: str = ""
    origin: str = ""  # a key of ORIGINS
    facts: tuple[str, ...] = ()
    changed_at: str = ""  # ISO time of the last change ("" for never)

    @property
    def unfinished(self) -> list[str]:
        """The placeholders and notes still in the text (as the proofreader counts them)."""
        return find_placeholders(self.text)

    @property
    def is_filled(self) -> bool:
        """Whether the user has put text of their own here (not the outline skeleton)."""
        return bool(self.text.strip()) and self.origin not in ("", "outline")


@dataclass(frozen=True)
class Report:
    """A snapshot: one version of one owner's report for a unit and year."""

    id: int
    owner: str
    org: str
    year: int
    version: int
    parts: tuple[Part, ...]
    catalog: SectionCatalog = field(repr=False, compare=False)

    @property
    def title(self) -> str:
        return f"{self.org or ORG_PLACEHOLDER}关于{self.year}年法治政府建设情况的报告"

    def part(self, key: str) -> Part:
        for part in self.parts:
            if part.key == key:
                return part
        raise KeyError(key)

    def with_part(self, key: str, **changes: object) -> Report:
        """A copy with one part changed."""
        self.part(key)  # KeyError for an unknown key
        parts = tuple(replace(p, **changes) if p.key == key else p for p in self.parts)  # type: ignore[arg-type]
        return replace(self, parts=parts)

    def name(self, key: str) -> str:
        """The part's short Chinese name, numbered for the five required parts."""
        return part_name(self.catalog, key)

    def heading(self, key: str) -> str:
        """The level-1 heading a required part has in the report text."""
        for number, section in enumerate(self.catalog.required):
            if section.key == key:
                return f"{CHINESE_ORDINALS[number]}、{section.heading_for(self.year)}"
        raise KeyError(key)

    def section(self, key: str) -> Section:
        return self.catalog.get(key)

    @property
    def required_parts(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.key not in (OPENING, UNSORTED))

    def assemble(self, *, with_title: bool = True) -> str:
        """The whole report as text: title, opening, each part under its heading.

        Text that fits no part is left out: it is not part of the report until placed."""
        lines = [self.title, ""] if with_title else []
        opening = self.part(OPENING).text.strip()
        if opening:
            lines.append(opening)
        for part in self.required_parts:
            lines.append(self.heading(part.key))
            lines.append(part.text.strip() or "【待补充：本部分内容】")
        return "\n".join(lines)


def part_name(catalog: SectionCatalog, key: str) -> str:
    """A part's short Chinese name: 开头, 一、主要举措和成效 …, or the unplaced text's name."""
    if key == OPENING:
        return OPENING_NAME
    if key == UNSORTED:
        return UNSORTED_NAME
    for number, section in enumerate(catalog.required):
        if section.key == key:
            return f"{CHINESE_ORDINALS[number]}、{section.name}"
    raise KeyError(key)


def skeleton_parts(
    catalog: SectionCatalog, *, org: str, year: int, opening: str
) -> tuple[Part, ...]:
    """A new report's parts: the opening template and each part's outline with 需收集 notes."""
    values = {"year": f"{year}年", "next_year": f"{year + 1}年", "org": org or "我单位"}
    parts = [Part(OPENING, Template(opening).safe_substitute(values), "outline")]
    for section in catalog.required:
        lines = []
        for number, point in enumerate(section.points):
            lines.append(f"（{CHINESE_ORDINALS[number]}）{point.title}")
            lines += [f"需收集：{hint.ask}" for hint in point.hints]
        parts.append(Part(section.key, "\n".join(lines), "outline"))
    parts.append(Part(UNSORTED))
    return tuple(parts)


def resolve_part(wanted: str, catalog: SectionCatalog) -> tuple[str, Section | None]:
    """(part key, topic section or None) for what a user typed: 1–5, 开头, a part's name or
    alias, or a topic inside a part (普法宣传 → the part it belongs to, plus the topic)."""
    text = wanted.strip()
    required = catalog.required
    if text.isdigit() and 1 <= int(text) <= len(required):
        return required[int(text) - 1].key, None
    if text in ("0", OPENING_NAME, "开头段", "开篇", OPENING):
        return OPENING, None
    if text in (UNSORTED, "未归类", "未归类内容", UNSORTED_NAME):
        return UNSORTED, None
    try:
        section = resolve_section(text, catalog)
    except InputError:
        names = "、".join(f"{i}. {s.name}" for i, s in enumerate(required, 1))
        raise InputError(f"无法识别报告的部分“{text}”。可用序号或名称：0. 开头、{names}") from None
    if section.parent:
        return section.parent, section
    return section.key, None


def default_report_year(today: dt.date) -> int:
    """The year a report written today is most likely about: reports are written from November
    (for the current year) to the spring (for the year just ended)."""
    return today.year if today.month >= 11 else today.year - 1
