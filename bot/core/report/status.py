"""How far a report has come: per part, what is filled, what is unfinished, which facts are missing.

`report_status` computes it; `describe_status` and `describe_findings` word the status and a
whole-report check in plain Chinese text for every edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.report.facts import missing_items
from bot.core.report.model import OPENING, ORIGINS, UNSORTED, Report

if TYPE_CHECKING:
    from bot.core.report.workspace import PartFinding


@dataclass(frozen=True)
class PartStatus:
    """One part's state as the user sees it."""

    key: str
    name: str
    origin: str
    chars: int
    unfinished: int  # placeholders and 需收集 notes left in its text
    facts: int
    missing: tuple[str, ...]  # 需收集 items no fact answers yet
    changed_at: str

    @property
    def state(self) -> str:
        if self.origin in ("", "outline") or not self.chars:
            return "未填写"
        return "待完善" if self.unfinished else "已完成"


@dataclass(frozen=True)
class ReportStatus:
    """The whole report's state."""

    title: str
    year: int
    version: int
    parts: tuple[PartStatus, ...]
    unsorted_chars: int

    @property
    def unfinished(self) -> int:
        return sum(p.unfinished for p in self.parts)

    @property
    def chars(self) -> int:
        return sum(p.chars for p in self.parts if p.origin not in ("", "outline"))

    @property
    def filled(self) -> int:
        return sum(p.state != "未填写" for p in self.parts if p.key != OPENING)


def report_status(report: Report) -> ReportStatus:
    """The state of every part, the opening first, text that fits no part counted apart."""
    parts = []
    for part in report.parts:
        if part.key == UNSORTED:
            continue
        missing: tuple[str, ...] = ()
        if part.key != OPENING and part.origin in ("", "outline", "drafted"):
            missing = tuple(missing_items(report.section(part.key), part.facts))
        parts.append(
            PartStatus(
                key=part.key,
                name=report.name(part.key),
                origin=part.origin,
                chars=len("".join(part.text.split())),
                unfinished=len(part.unfinished),
                facts=len(part.facts),
                missing=missing,
                changed_at=part.changed_at,
            )
        )
    unsorted = report.part(UNSORTED).text
    return ReportStatus(
        title=report.title,
        year=report.year,
        version=report.version,
        parts=tuple(parts),
        unsorted_chars=len("".join(unsorted.split())),
    )


def describe_status(status: ReportStatus, *, missing_shown: int = 3) -> str:
    """The status as plain text: one line per part, then what is still missing."""
    required = len(status.parts) - 1
    lines = [
        f"《{status.title}》",
        f"已填写 {status.filled}/{required} 部分，正文约 {status.chars} 字，"
        f"待补全 {status.unfinished} 处（第 {status.version} 版）",
        "",
    ]
    for part in status.parts:
        origin = ORIGINS.get(part.origin, part.origin)
        detail = f"{part.state}（{origin}，{part.chars} 字"
        if part.unfinished:
            detail += f"，待补全 {part.unfinished} 处"
        if part.facts:
            detail += f"，已给事实 {part.facts} 条"
        lines.append(f"{part.name}：{detail}）")
        for item in part.missing[:missing_shown]:
            lines.append(f"     缺少事实：{item}")
        if len(part.missing) > missing_shown:
            lines.append(f"     ……另有 {len(part.missing) - missing_shown} 项")
    if status.unsorted_chars:
        lines += [
            "",
            f"另有 {status.unsorted_chars} 字导入时未能归入任何部分，"
            "请查看“其他（未归入各部分的内容）”后移入相应部分或清空。",
        ]
    return "\n".join(lines)


def describe_findings(findings: Sequence[PartFinding]) -> str:
    """Findings on the whole report as plain text, grouped by part, errors first."""
    if not findings:
        return "全文检查未发现问题。"
    errors = sum(item.finding.severity == "error" for item in findings)
    unfinished = sum(item.finding.kind == "unfinished" for item in findings)
    lines = [
        f"全文检查发现 {len(findings)} 处问题，其中错误 {errors} 处（未完成 {unfinished} 处）。"
    ]
    groups: dict[str, list[PartFinding]] = {}
    for item in findings:
        groups.setdefault(item.part or "全文", []).append(item)
    for part, items in groups.items():
        lines += ["", f"■ {part}（{len(items)}）"]
        for item in items:
            finding = item.finding
            excerpt = f"「{finding.excerpt}」" if finding.excerpt else ""
            lines.append(f"  【{finding.severity_label}·{finding.label}】{excerpt}")
            lines.append(f"      → {finding.suggestion}")
    return "\n".join(lines)
