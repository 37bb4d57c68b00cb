"""The report's sections and topics (from knowledge/sections.toml), and how users name them.

`SECTIONS` lists every section a user can draft (key, Chinese name, aliases) in outline order;
`resolve_section` turns what a user typed into one of them.
"""

from __future__ import annotations

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


def resolve_section(text: str, catalog: SectionCatalog | None = None) -> Section:
    """The section a user means by a key, its name or an alias; InputError lists valid ones."""
    catalog = catalog or load_sections()
    wanted = text.strip().strip("《》“”\"'").replace(" ", "")
    if wanted:
        for section in catalog.sections:
            if wanted in (section.key, section.name, *section.aliases):
                return section
        partial = [s for s in catalog.sections if wanted in s.name]
        if len(partial) == 1:
            return partial[0]
    names = "、".join(s.name for s in catalog.sections)
    raise InputError(f"无法识别栏目“{text.strip()}”。可选的栏目有：{names}")


def __getattr__(name: str) -> Any:
    # SECTIONS is read from the bundled data on first use, not at import.
    if name == "SECTIONS":
        return load_sections().sections
    raise AttributeError(name)
