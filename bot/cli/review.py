"""`lawbot check (FILE | -) [--year Y] [--json]`: proofread a draft report from a shell."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from bot.cli.inputs import read_text_argument
from bot.core.errors import InputError

if TYPE_CHECKING:  # the reviewer loads jieba: imported when a command runs, not for --help
    from bot.core.review import Finding
    from bot.services import Services

_SEVERITY_MARKS = {"error": "【错误】", "warning": "【警告】", "info": "【提示】"}


def register(subparsers: Any) -> None:
    check = subparsers.add_parser(
        "check",
        help="校对报告稿：结构、序号、规范表述、错别字、数字、过时提法、人名",
        description="校对法治政府建设年度报告稿。FILE 可为 .txt、.md、.docx；用 - 从标准输入读取。",
    )
    check.add_argument("file", metavar="FILE", help="稿件文件，或 - 表示标准输入")
    check.add_argument("--year", type=int, help="报告所述年度（默认从标题和正文推断）")
    check.add_argument("--json", action="store_true", help="输出 JSON")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace, services: Services) -> int:
    """Check one draft and print the findings; exit 0 whenever the check ran."""
    text = read_text_argument(args.file)
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise InputError("--year 应为四位年份，如 2025")
    findings = services.reviewer.check(text, year=args.year)
    if args.json:
        payload = {"findings": [asdict(finding) for finding in findings]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(format_findings(findings))
    return 0


def format_findings(findings: list[Finding]) -> str:
    """Findings grouped by kind (groups in order of their most serious finding)."""
    from bot.core.review import KIND_LABELS, SEVERITIES

    if not findings:
        return "未发现问题。"
    groups: dict[str, list[Finding]] = {}
    for finding in findings:  # already sorted, most serious first
        groups.setdefault(finding.kind, []).append(finding)
    counts = "，".join(
        f"{sum(f.severity == s for f in findings)}处{label}"
        for s, label in zip(SEVERITIES, ("错误", "警告", "提示"), strict=True)
        if any(f.severity == s for f in findings)
    )
    lines = [f"共发现 {len(findings)} 处问题（{counts}）。"]
    for kind, items in groups.items():
        lines.append("")
        lines.append(f"■ {KIND_LABELS.get(kind, kind)}（{len(items)}）")
        for finding in items:
            lines.append(
                f"  {_SEVERITY_MARKS[finding.severity]}{finding.location}：「{finding.excerpt}」"
            )
            lines.append(f"      → {finding.suggestion}")
    return "\n".join(lines)
