"""Pattern rules read from knowledge/*.toml: a wrong form, its fix, and when it applies.

terms.toml (规范表述), typos.toml (错别字) and stale.toml (过时提法) share this schema, so admins
learn one format. A bad entry fails loading with a message naming the file and the entry.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.errors import ConfigError
from bot.core.review.draft import Draft, Paragraph, Spot, sentences
from bot.core.review.finding import SEVERITIES, Finding, Located

_FIELDS = {
    "wrong",
    "pattern",
    "right",
    "note",
    "source",
    "severity",
    "unless",
    "from_year",
    "until_year",
}


@dataclass(frozen=True)
class Rule:
    """One wrong form. `right` may use \\1 for groups of `pattern`."""

    name: str
    pattern: re.Pattern[str]
    right: str
    note: str
    source: str
    severity: str
    unless: re.Pattern[str] | None  # skip when the sentence around the match matches this
    from_year: int | None  # applies to reports on this year or later
    until_year: int | None  # applies to reports on this year or earlier

    def applies_to(self, year: int | None) -> bool:
        if self.from_year is None and self.until_year is None:
            return True
        if year is None:
            return False
        if self.from_year is not None and year < self.from_year:
            return False
        return self.until_year is None or year <= self.until_year

    def suggestion(self, match: re.Match[str]) -> str:
        parts = []
        if self.right:
            parts.append(f"改为「{match.expand(self.right)}」")
        if self.note:
            parts.append(self.note)
        if self.source:
            parts.append(f"依据：{self.source}")
        return "；".join(parts)


def load_rules(path: Path, *, default_severity: str) -> list[Rule]:
    """Read `[[rule]]` entries from one TOML file; a missing file gives no rules."""
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"数据文件 {path.name} 格式有误：{error}") from error
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise ConfigError(f"数据文件 {path.name} 应由若干 [[rule]] 条目组成。")
    return [_parse_rule(path.name, i, entry, default_severity) for i, entry in enumerate(entries)]


def _parse_rule(file: str, index: int, entry: Any, default_severity: str) -> Rule:
    label = f"{file} 第{index + 1}条"
    if not isinstance(entry, dict):
        raise ConfigError(f"{label} 不是表（[[rule]]）。")
    wrong, pattern = entry.get("wrong"), entry.get("pattern")
    label = f"{label}（{wrong or pattern}）"
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ConfigError(f"{label} 有不认识的字段：{'、'.join(sorted(unknown))}。")
    if (wrong is None) == (pattern is None):
        raise ConfigError(f"{label} 须且只能给出 wrong（原文）或 pattern（正则）之一。")
    if wrong is not None:
        words = [wrong] if isinstance(wrong, str) else wrong
        if not words or not all(isinstance(w, str) and w for w in words):
            raise ConfigError(f"{label} 的 wrong 应为非空字符串或字符串列表。")
        source_pattern = "|".join(re.escape(w) for w in words)
    else:
        if not isinstance(pattern, str) or not pattern:
            raise ConfigError(f"{label} 的 pattern 应为非空字符串。")
        source_pattern = pattern
    severity = entry.get("severity", default_severity)
    if severity not in SEVERITIES:
        raise ConfigError(f"{label} 的 severity 应为 error、warning 或 info。")
    for key in ("right", "note", "source", "unless"):
        if not isinstance(entry.get(key, ""), str):
            raise ConfigError(f"{label} 的 {key} 应为字符串。")
    for key in ("from_year", "until_year"):
        if not isinstance(entry.get(key, 0), int):
            raise ConfigError(f"{label} 的 {key} 应为整数年份。")
    if not entry.get("right") and not entry.get("note"):
        raise ConfigError(f"{label} 须给出 right（正确写法）或 note（说明）。")
    compiled = _compile(label, "pattern", source_pattern)
    unless = entry.get("unless")
    return Rule(
        name=str(wrong or pattern),
        pattern=compiled,
        right=entry.get("right", ""),
        note=entry.get("note", ""),
        source=entry.get("source", ""),
        severity=severity,
        unless=_compile(label, "unless", unless) if unless else None,
        from_year=entry.get("from_year"),
        until_year=entry.get("until_year"),
    )


def _compile(label: str, key: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigError(f"{label} 的 {key} 不是有效的正则表达式：{error}") from error


def apply_rules(
    draft: Draft,
    rules: list[Rule],
    kind: str,
    year: int | None,
    paragraphs: list[Paragraph] | None = None,
) -> list[Located]:
    """Findings for every match of every rule that applies to a report on `year`, in
    `paragraphs` (default: all)."""
    active = [rule for rule in rules if rule.applies_to(year)]
    found: list[Located] = []
    for paragraph in draft.paragraphs if paragraphs is None else paragraphs:
        spans = sentences(paragraph.text)
        taken: list[tuple[int, int]] = []  # earlier rules win where two rules overlap
        for rule in active:
            for match in rule.pattern.finditer(paragraph.text):
                if match.end() == match.start() or _overlaps(taken, match.start(), match.end()):
                    continue
                if rule.unless and rule.unless.search(_sentence_at(paragraph.text, spans, match)):
                    continue
                taken.append((match.start(), match.end()))
                spot = Spot(paragraph, match.start(), match.end())
                finding = Finding(
                    kind=kind,
                    severity=rule.severity,
                    excerpt=draft.quote(spot),
                    location=draft.locate(spot),
                    suggestion=rule.suggestion(match),
                )
                found.append((spot.position, finding))
    return found


def reported_spans(text: str, rules: list[Rule]) -> list[tuple[int, int]]:
    """Spans of `text` the rules report (their `unless` respected), for checks that defer."""
    spans = sentences(text)
    return [
        match.span()
        for rule in rules
        for match in rule.pattern.finditer(text)
        if not (rule.unless and rule.unless.search(_sentence_at(text, spans, match)))
    ]


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _sentence_at(text: str, spans: list[tuple[int, int]], match: re.Match[str]) -> str:
    for start, end in spans:
        if start <= match.start() < end:
            return text[start:end]
    return text
