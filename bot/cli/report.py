"""`lawbot report new | show | set | draft | facts | import | undo | check | export`.

The same report workspace the bot and the console use, for scripts: the owner is "local" (the
console's) unless --owner names another. PART is 0 (开头), 1–5, or a part's or topic's name.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.core.errors import InputError

if TYPE_CHECKING:
    from bot.core.knowledge.timewords import TimeFrame
    from bot.services import Services

LOCAL_OWNER = "local"


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report",
        help="年度报告工作区：新建、填写、起草、导入、撤销、检查、导出整篇报告",
        description="按提纲逐部分完成《法治政府建设情况的报告》。PART 为 0（开头）、1–5 或部分名称。",
    )
    report.add_argument(
        "--owner", default=LOCAL_OWNER, help="报告所属（默认 local，与终端聊天共用）"
    )
    commands = report.add_subparsers(dest="report_command", metavar="ACTION", required=True)

    new = commands.add_parser("new", help="新建（或切换到）某单位某年度的报告")
    new.add_argument("--org", required=True, help="单位名称，如：青石镇人民政府")
    new.add_argument("--year", type=int, required=True, help="报告年度，如：2026")
    new.set_defaults(func=run_new)

    show = commands.add_parser("show", help="查看报告：各部分状态，或某一部分的全文")
    show.add_argument("part", nargs="?", help="只看某一部分的文字")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)

    set_ = commands.add_parser("set", help="用文件（或 - 标准输入）中的文字替换某一部分")
    set_.add_argument("part", metavar="PART")
    set_.add_argument("file", metavar="FILE", help=".txt/.md/.docx 文件，或 - 表示标准输入")
    set_.set_defaults(func=run_set)

    clear = commands.add_parser("clear", help="清空某一部分")
    clear.add_argument("part", metavar="PART")
    clear.set_defaults(func=run_clear)

    draft = commands.add_parser("draft", help="根据已给和新给的事实起草某一部分并存入报告")
    draft.add_argument("part", metavar="PART")
    draft.add_argument("--facts", default="", help="本部分的事实和数字")
    draft.set_defaults(func=run_draft)

    facts = commands.add_parser("facts", help="补充事实，自动归入相应部分的“需收集”项")
    facts.add_argument("text", help="如：普法宣传活动12场，发放资料3000份")
    facts.add_argument("--part", help="指定归入的部分（默认自动判断）")
    facts.set_defaults(func=run_facts)

    imported = commands.add_parser("import", help="导入已有稿件，按标题拆分到各部分")
    imported.add_argument("file", metavar="FILE", help=".docx/.txt/.md 文件")
    imported.add_argument(
        "--base",
        action="store_true",
        help="作为上一年度底稿：保留结构和写法，数字和年份改为【待更新】",
    )
    imported.set_defaults(func=run_import)

    undo = commands.add_parser("undo", help="撤销上一次修改")
    undo.set_defaults(func=run_undo)

    check = commands.add_parser("check", help="检查整篇报告：未完成之处、结构、表述、错别字……")
    check.add_argument("--json", action="store_true", help="输出 JSON")
    check.set_defaults(func=run_check)

    export = commands.add_parser("export", help="把整篇报告导出为公文格式 Word")
    export.add_argument("--out", required=True, type=Path, help="输出文件，如 报告.docx")
    export.add_argument("--force", action="store_true", help="仍有【待补充】等未完成之处时也导出")
    export.add_argument(
        "--date", type=dt.date.fromisoformat, help="成文日期 YYYY-MM-DD（默认设置或今天）"
    )
    export.set_defaults(func=run_export)


def _now(services: Services) -> dt.datetime:
    return services.now()


def time_frame(services: Services) -> TimeFrame:
    """Today, and the year of the shell's report (for 明年、今年 in questions and searches)."""
    return services.workspace.time_frame(LOCAL_OWNER, _now(services).date())


def run_new(args: argparse.Namespace, services: Services) -> int:
    report = services.workspace.open(args.owner, args.org, args.year, _now(services))
    print(f"当前报告：《{report.title}》（第 {report.version} 版）")
    return 0


def run_show(args: argparse.Namespace, services: Services) -> int:
    from bot.core.report.model import resolve_part
    from bot.core.report.status import describe_status, report_status

    report = services.workspace.require(args.owner)
    status = report_status(report)
    if args.json:
        states = {part.key: part.state for part in status.parts}
        parts = [
            {
                "key": part.key,
                "title": report.name(part.key),
                "text": part.text,
                "status": states.get(part.key, "未归类" if part.text else "空"),
                "origin": part.origin,
                "facts": list(part.facts),
                "changed_at": part.changed_at,
            }
            for part in report.parts
            if part.key in states or part.text
        ]
        payload = {
            "org": report.org,
            "year": report.year,
            "title": report.title,
            "version": report.version,
            "parts": parts,
            "unfinished": status.unfinished,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif args.part:
        key, _ = resolve_part(args.part, report.catalog)
        print(f"【{report.name(key)}】")
        print(report.part(key).text or "（空）")
    else:
        print(describe_status(status))
    return 0


def run_set(args: argparse.Namespace, services: Services) -> int:
    from bot.cli.inputs import read_text_argument

    text = read_text_argument(args.file)
    report, key = services.workspace.set_text(args.owner, args.part, text, _now(services))
    print(f"已存入“{report.name(key)}”（第 {report.version} 版）。")
    return 0


def run_clear(args: argparse.Namespace, services: Services) -> int:
    report, key = services.workspace.clear(args.owner, args.part, _now(services))
    print(f"已清空“{report.name(key)}”（第 {report.version} 版，可用 undo 撤销）。")
    return 0


def run_draft(args: argparse.Namespace, services: Services) -> int:
    drafted = asyncio.run(
        services.workspace.draft(args.owner, args.part, _now(services), facts=args.facts)
    )
    report = drafted.report
    print(report.part(drafted.key).text)
    for warning in drafted.result.warnings:
        print(f"⚠ {warning}")
    where = report.name(drafted.key)
    topic = f"（专题“{drafted.topic}”已加在本部分末尾）" if drafted.topic else ""
    print(f"\n已存入“{where}”{topic}（第 {report.version} 版）。")
    return 0


def run_facts(args: argparse.Namespace, services: Services) -> int:
    report, filed = services.workspace.add_facts(
        args.owner, args.text, _now(services), part=args.part
    )
    for fact in filed:
        point = f" · {fact.point}" if fact.point else ""
        print(f"「{fact.text}」→ {report.name(fact.part)}{point}")
    return 0


def run_import(args: argparse.Namespace, services: Services) -> int:
    from bot.cli.inputs import read_text_argument

    path = Path(args.file)
    if path.suffix.lower() not in (".docx", ".txt", ".md"):
        raise InputError("请导入 .docx、.txt 或 .md 格式的稿件。")
    imported = services.workspace.import_text(
        args.owner, read_text_argument(args.file), _now(services), base=args.base
    )
    print(describe_import(imported))
    return 0


def describe_import(imported: Any) -> str:
    """What an import did, in plain Chinese (shared by the console)."""
    report, split = imported.report, imported.split
    names = [report.name(key) for key in split.parts]
    lines = [f"已导入 {len(names)} 个部分：" + "、".join(names)]
    if split.opening:
        lines.append("开头段已存入“开头”。")
    if split.unsorted_headings:
        lines.append(
            "以下标题下的内容未能归入任何部分，已放在“其他（未归入各部分的内容）”："
            + "、".join(split.unsorted_headings)
        )
    for key, headings in split.merged.items():
        lines.append(f"“{report.name(key)}”合并了：" + "、".join(headings))
    if imported.replaced_figures:
        lines.append(
            f"作为底稿导入：{imported.replaced_figures} 处数字和年份已改为【待更新：原为…】，请逐一更新。"
        )
    lines.append(f"（第 {report.version} 版，可用 undo 撤销）")
    return "\n".join(lines)


def run_undo(args: argparse.Namespace, services: Services) -> int:
    report, undone = services.workspace.undo(args.owner)
    print(f"已撤销：{undone}（现为第 {report.version} 版）。")
    return 0


def run_check(args: argparse.Namespace, services: Services) -> int:
    from dataclasses import asdict

    from bot.core.report.status import describe_findings

    findings = asyncio.run(services.workspace.check(args.owner))
    if args.json:
        payload = {"findings": [{"part": f.part, **asdict(f.finding)} for f in findings]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(describe_findings(findings))
    return 0


def run_export(args: argparse.Namespace, services: Services) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".docx":
        raise InputError(f"输出文件名须以 .docx 结尾：{out}")
    if not out.parent.is_dir():
        raise InputError(f"输出目录不存在：{out.parent}")
    date = args.date or services.settings.report_date or _now(services).date()
    data, _ = services.workspace.export(args.owner, date, force=args.force)
    out.write_bytes(data)
    print(f"已导出：{out.resolve()}")
    return 0
