"""The report's sections and topics (from knowledge/sections.toml), and how users name them.

`SECTIONS` lists every section a user can draft (key, Chinese name, aliases) in outline order;
`resolve_section` turns what a user typed into one of them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

from bot.core.errors import ConfigError, InputError

BUNDLED_SECTIONS = Path(__file__).resolve().parents[3] / "knowledge" / "sections.toml"


@dataclass(frozen=True)
class Hint:
    """A fact to gather (`ask`) and the words showing the user already gave it (`keys`)."""

    ask: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Point:
    """A sub-point most reports cover within a section."""

    title: str
    keywords: tuple[str, ...]
    lead: str
    hints: tuple[Hint, ...]


@dataclass(frozen=True)
class Section:
    """One of the five required parts, or a common topic inside one (parent = its key)."""

    key: str
    name: str
    aliases: tuple[str, ...]
    required: bool
    parent: str | None
    heading: str
    queries: tuple[str, ...]
    opening: str
    points: tuple[Point, ...]

    def heading_for(self, year: int | None) -> str:
        """The heading with the report year filled in (本年度 / 下一年度 when unknown)."""
        return _fill(self.heading, year=year, org=None)

    def opening_for(self, *, year: int | None, org: str | None) -> str:
        return _fill(self.opening, year=year, org=org)


@dataclass(frozen=True)
class SectionCatalog:
    """All sections plus the guard's fixed expressions and the revision word lists."""

    sections: tuple[Section, ...]
    fixed_expressions: tuple[str, ...]
    formal_wording: tuple[tuple[str, str], ...]
    filler: tuple[str, ...]
    report_opening: str = ""  # a new report's opening paragraph ($year, $org filled in)

    @property
    def required(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.required)

    def get(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)


def _fill(template: str, *, year: int | None, org: str | None) -> str:
    return Template(template).safe_substitute(
        year=f"{year}年" if year else "本年度",
        next_year=f"{year + 1}年" if year else "下一年度",
        org=org or "我单位",
    )


def _strings(entry: dict[str, Any], field: str, where: str) -> tuple[str, ...]:
    value = entry.get(field, [])
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where} 的 {field} 应为非空字符串列表")
    return tuple(value)


def _text(entry: dict[str, Any], field: str, where: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where} 缺少 {field}（应为非空字符串）")
    return value


def _point(entry: dict[str, Any], where: str) -> Point:
    where = f"{where} 的子项“{entry.get('title', '?')}”"
    hints = []
    for hint in entry.get("hints", []):
        if not isinstance(hint, dict):
            raise ConfigError(f"{where} 的 hints 每项应为 {{ ask = …, keys = […] }}")
        hints.append(Hint(ask=_text(hint, "ask", where), keys=_strings(hint, "keys", where)))
    return Point(
        title=_text(entry, "title", where),
        keywords=_strings(entry, "keywords", where),
        lead=_text(entry, "lead", where),
        hints=tuple(hints),
    )


def _section(entry: dict[str, Any], path: Path) -> Section:
    where = f"{path.name} 中的栏目“{entry.get('name') or entry.get('key') or '?'}”"
    points = tuple(_point(p, where) for p in entry.get("point", []))
    if not points:
        raise ConfigError(f"{where} 至少需要一个 [[section.point]]")
    return Section(
        key=_text(entry, "key", where),
        name=_text(entry, "name", where),
        aliases=_strings(entry, "aliases", where),
        required=bool(entry.get("required", False)),
        parent=entry.get("parent"),
        heading=_text(entry, "heading", where),
        queries=_strings(entry, "queries", where),
        opening=_text(entry, "opening", where),
        points=points,
    )


@cache
def load_sections(path: Path = BUNDLED_SECTIONS) -> SectionCatalog:
    """Read and check sections.toml; a ConfigError names the file and the bad entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError(f"找不到栏目数据文件：{path}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"栏目数据文件 {path.name} 格式有误：{error}") from error
    sections = tuple(_section(entry, path) for entry in data.get("section", []))
    keys = [s.key for s in sections]
    if len(sections) == 0 or len(set(keys)) != len(keys):
        raise ConfigError(f"{path.name} 中的栏目为空或 key 重复")
    if sum(s.required for s in sections) != 5:
        raise ConfigError(f"{path.name} 应恰好包含五个必备部分（required = true）")
    for section in sections:
        if section.parent is not None and section.parent not in keys:
            raise ConfigError(f"{path.name} 中栏目“{section.name}”的 parent 不存在")
    guard, wording = data.get("guard", {}), data.get("wording", {})
    pairs = wording.get("formal", [])
    if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
        raise ConfigError(f"{path.name} 的 [wording] formal 每项应为 [原词, 替换词]")
    return SectionCatalog(
        sections=sections,
        fixed_expressions=_strings(guard, "fixed_expressions", f"{path.name} [guard]"),
        formal_wording=tuple((a, b) for a, b in pairs),
        filler=_strings(wording, "filler", f"{path.name} [wording]"),
        report_opening=_text(data.get("report", {}), "opening", f"{path.name} [report]"),
    )


# What staff put around a section's name: numbering, the year, and words such as 情况 or 部分.
_NUMBERING = re.compile(
    r"^(?:第?[一二三四五六七八九十\d]+(?:部分)?[、.．:：]?|[（(][一二三四五六七八九十\d]+[）)])"
)
_YEAR = re.compile(r"^(?:\d{4}年度?|本年度|上一?年度|年度)")
_TRAILING = re.compile(r"(?:的?(?:有关|相关)?(?:情况|部分|栏目|内容|方面))+$")


def _normalise(text: str) -> str:
    text = re.sub(r"[\s“”\"'《》「」]", "", text)
    text = _NUMBERING.sub("", text)
    text = _YEAR.sub("", text)
    return _TRAILING.sub("", text) or text


def _names(section: Section) -> tuple[str, ...]:
    return (section.key, section.name, *section.aliases)


def _contained(wanted: str, catalog: SectionCatalog) -> list[tuple[int, int, Section]]:
    """(start, end, section) of every section name or alias found inside `wanted`, keeping only
    the longest of overlapping finds (下一步打算 over 下一步)."""
    found = []
    for section in catalog.sections:
        for name in _names(section):
            name = _normalise(name)
            start = wanted.find(name) if len(name) >= 2 else -1
            if start >= 0:
                found.append((start, start + len(name), section))
    found.sort(key=lambda f: f[0] - f[1])  # longest first
    kept: list[tuple[int, int, Section]] = []
    for start, end, section in found:
        if not any(start < b and a < end for a, b, _ in kept):
            kept.append((start, end, section))
    return kept


def _unknown(text: str, catalog: SectionCatalog) -> InputError:
    """The sections that exist, and the nearest ones by shared characters when any."""
    parts = "、".join(f"{i}. {s.name}" for i, s in enumerate(catalog.required, 1))
    topics = "、".join(s.name for s in catalog.sections if s.parent)
    typed = set(_normalise(text)) - set("的和与及情况工作")
    scored = sorted(
        (
            (max(len(typed & set(n)) for n in (s.name, *s.aliases)), i, s)
            for i, s in enumerate(catalog.sections)
        ),
        key=lambda row: (-row[0], row[1]),
    )
    near = [s.name for score, _, s in scored[:3] if score >= 2]
    hint = f"您是不是要找：{'、'.join(near)}？" if near else ""
    return InputError(
        f"无法识别栏目“{text.strip()}”。{hint}可选的栏目有：报告的五个部分 {parts}；"
        f"第一部分中的常见专题 {topics}。"
    )


def resolve_section(text: str, catalog: SectionCatalog | None = None) -> Section:
    """The section a user means by a key, its name or an alias, also with numbering, the year
    or 情况/部分 around it, or by a name inside a longer phrase (第一责任人履职 → the
    第一责任人 part). Two different sections in one phrase, or none, is an InputError that
    says which sections exist."""
    catalog = catalog or load_sections()
    wanted = _normalise(text.strip().strip("《》“”\"'"))
    ordinal = re.fullmatch(r"第?([一二三四五]|[1-5])(?:部分)?", re.sub(r"\s", "", text))
    if ordinal:  # 第三部分, 3: the required parts in order
        return catalog.required["一二三四五12345".index(ordinal.group(1)) % 5]
    if not wanted:
        raise _unknown(text, catalog)
    for section in catalog.sections:
        if wanted in {_normalise(name) for name in _names(section)}:
            return section
    inside = {section.key: section for _, _, section in _contained(wanted, catalog)}
    # A topic and the part it belongs to (主要举措中的普法): the topic is the more precise.
    parents = {s.parent for s in inside.values() if s.parent}
    candidates = [s for s in inside.values() if s.key not in parents]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        names = "、".join(s.name for s in candidates)
        raise InputError(
            f"“{text.strip()}”涉及{len(candidates)}个栏目：{names}。请一次选择一个栏目，"
            f"例如“{candidates[0].name}”。"
        )
    partial = [s for s in catalog.sections if len(wanted) >= 2 and wanted in s.name]
    if len(partial) == 1:
        return partial[0]
    raise _unknown(text, catalog)


def __getattr__(name: str) -> Any:
    # SECTIONS is read from the bundled data on first use, not at import.
    if name == "SECTIONS":
        return load_sections().sections
    raise AttributeError(name)
