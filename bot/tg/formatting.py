"""Telegram HTML output: escaping, numbered source lists, findings, and splitting long replies.

Telegram counts message length in UTF-16 code units (at most 4096 per message).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.core.passages import Passage

MESSAGE_LIMIT = 4096
KIND_NAMES = {"report": "报告", "guidance": "工作指引", "law": "法规", "uploaded": "上传"}
_ENTITY_OR_TAG_START = re.compile(r"[&<][^;>]*$")


def escape(text: str) -> str:
    """Text made safe for parse_mode=HTML."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split HTML text into messages under `limit`, at paragraph, then line boundaries.

    Tags must not span paragraphs (the formatters here never do that); a single line longer
    than the limit is cut, never inside an entity such as &amp; or a tag.
    """
    chunks: list[str] = []
    current = ""
    for piece in _pieces(text.strip(), limit):
        candidate = f"{current}{piece}" if current else piece.lstrip("\n")
        if utf16_len(candidate.rstrip()) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current.rstrip())
        current = piece.lstrip("\n")
    if current.strip():
        chunks.append(current.rstrip())
    return chunks or [""]


def _pieces(text: str, limit: int) -> Iterable[str]:
    """Paragraphs (with their leading separators); oversized ones broken into lines or cuts."""
    for index, paragraph in enumerate(text.split("\n\n")):
        separator = "\n\n" if index else ""
        if utf16_len(paragraph) <= limit:
            yield separator + paragraph
            continue
        for line_index, line in enumerate(paragraph.split("\n")):
            line_separator = separator if line_index == 0 else "\n"
            if utf16_len(line) <= limit:
                yield line_separator + line
                continue
            for cut_index, cut in enumerate(_hard_cuts(line, limit)):
                yield (line_separator if cut_index == 0 else "\n") + cut


def _hard_cuts(line: str, limit: int) -> Iterable[str]:
    """Cut a single over-long line into pieces under `limit` (leaving room for a newline)."""
    rest = line
    while utf16_len(rest) > limit - 2:
        end = _prefix_within(rest, limit - 2)
        head = rest[:end]
        sentence_end = max(head.rfind(mark) for mark in "。；！？")
        if sentence_end > end - 300 and sentence_end > 0:
            end = sentence_end + 1
        else:
            dangling = _ENTITY_OR_TAG_START.search(rest[:end])
            if dangling and dangling.start() > 0:
                end = dangling.start()
        yield rest[:end]
        rest = rest[end:]
    if rest:
        yield rest


def _prefix_within(text: str, units: int) -> int:
    """Largest character count whose UTF-16 length fits in `units`."""
    total = 0
    for index, char in enumerate(text):
        total += 2 if ord(char) > 0xFFFF else 1
        if total > units:
            return index
    return len(text)


def format_sources(passages: Sequence[Passage], heading: str = "参考来源") -> str:
    """A compact numbered list, one citation per line (duplicates merged)."""
    citations = list(dict.fromkeys(passage.citation for passage in passages))
    if not citations:
        return ""
    lines = [f"{number}. {escape(citation)}" for number, citation in enumerate(citations, 1)]
    return f"<b>{escape(heading)}</b>\n" + "\n".join(lines)


def format_result(result: Any, *, with_sources: bool = True) -> str:
    """A writer Result: text, then warnings, then the numbered sources (unless the text
    already cites each passage, as examples do)."""
    parts = [escape(str(result.text).strip())]
    warnings = [str(warning) for warning in getattr(result, "warnings", ()) if warning]
    if warnings:
        parts.append("\n".join(f"⚠️ {escape(warning)}" for warning in warnings))
    sources = format_sources(tuple(getattr(result, "sources", ()))) if with_sources else ""
    if sources:
        parts.append(sources)
    return "\n\n".join(part for part in parts if part)


def format_findings(
    findings: Sequence[Any], labels: dict[str, str] | None = None, limit: int = 30
) -> str:
    """Review findings grouped by kind, kinds in order of their most serious finding."""
    if not findings:
        return "✅ 未发现问题。"
    labels = labels or {}
    groups: dict[str, list[Any]] = {}
    for finding in findings:  # the reviewer returns the most serious first
        groups.setdefault(str(finding.kind), []).append(finding)
    lines = [f"<b>检查发现 {len(findings)} 处问题</b>"]
    shown = 0
    for kind, items in groups.items():
        lines.append(f"\n<b>{escape(labels.get(kind, kind))}</b>（{len(items)}）")
        for finding in items:
            if shown >= limit:
                break
            shown += 1
            lines.append("• " + _finding_line(finding))
    if shown < len(findings):
        lines.append(f"\n…… 另有 {len(findings) - shown} 处未列出。")
    return "\n".join(lines)


def _finding_line(finding: Any) -> str:
    location = str(getattr(finding, "location", "") or "")
    excerpt = str(getattr(finding, "excerpt", "") or "")
    suggestion = str(getattr(finding, "suggestion", "") or "")
    text = f"{escape(location)}：" if location else ""
    if excerpt:
        text += f"「{escape(excerpt)}」"
    if suggestion:
        text += f" → {escape(suggestion)}"
    return text or escape(str(finding))
