"""`lawbot ask | examples | draft | outline | revise`: the writing assistant on the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from bot.cli.inputs import read_text_argument

if TYPE_CHECKING:  # imported by the handlers themselves: --help must not load LangChain
    from bot.core.passages import Passage
    from bot.core.writing.writer import Result
    from bot.services import Services


def register(subparsers: Any) -> None:
    ask = subparsers.add_parser(
        "ask", help="问答：法治政府建设报告的要求、时限、写法",
        description="根据知识库中的指引回答问题，并注明出处；找不到时如实说明。",
    )  # fmt: skip
    ask.add_argument("question", help="问题，如：年度报告什么时候报送？")
    ask.add_argument("--json", action="store_true", help="输出 JSON")
    ask.set_defaults(func=run_ask)

    examples = subparsers.add_parser("examples", help="查看某个主题的范例段落")
    examples.add_argument("topic", help="主题，如：矛盾纠纷调解")
    examples.add_argument("--kind", choices=["report", "guidance", "law", "uploaded"])
    examples.add_argument("--year", type=int, help="只看某一年度的报告")
    examples.add_argument("--issuer", help="只看某单位的报告")
    examples.add_argument("--json", action="store_true", help="输出 JSON")
    examples.set_defaults(func=run_examples)

    draft = subparsers.add_parser(
        "draft", help="按栏目起草报告段落",
        description="根据您提供的事实起草报告某一部分；缺少的事实标为【待补充】，"
        "没有依据的数字标为【待核实】。",
    )  # fmt: skip
    draft.add_argument("--section", required=True, help="栏目，如：主要举措和成效、普法宣传")
    draft.add_argument(
        "--facts", default="", help="您的事实和数字，如：排查纠纷120件，调解成功115件"
    )
    draft.add_argument("--org", help="单位名称，如：城关镇")
    draft.add_argument("--year", type=int, help="报告年度，如：2025")
    draft.add_argument("--json", action="store_true", help="输出 JSON")
    draft.set_defaults(func=run_draft)

    outline = subparsers.add_parser("outline", help="生成整篇报告的提纲（五个必备部分）")
    outline.add_argument("--org", help="单位名称")
    outline.add_argument("--year", type=int, help="报告年度")
    outline.set_defaults(func=run_outline)

    revise = subparsers.add_parser(
        "revise", help="按要求修改稿件（更简洁、更正式、扩写……）",
        description="读取稿件文件（或用 - 从标准输入读取），按要求修改，保留其中的事实和数字。",
    )  # fmt: skip
    revise.add_argument("file", help="稿件文件（.txt/.md/.docx/.pdf），或 - 表示标准输入")
    revise.add_argument("--instruction", required=True, help="修改要求，如：更简洁")
    revise.add_argument("--facts", help="另外补充的事实")
    revise.add_argument("--json", action="store_true", help="输出 JSON")
    revise.set_defaults(func=run_revise)


def _ensure_knowledge(services: Services) -> None:
    from bot.cli.knowledge import ensure_knowledge

    ensure_knowledge(services, quiet=True)


def _source_json(passage: Passage) -> dict[str, Any]:
    return {"citation": passage.citation, "source": passage.source, "kind": passage.kind}


def _print(result: Result, *, as_json: bool, text_key: str, with_warnings: bool = True) -> None:
    if as_json:
        payload: dict[str, Any] = {
            text_key: result.text,
            "sources": [_source_json(p) for p in result.sources],
        }
        if with_warnings:
            payload["warnings"] = list(result.warnings)
        payload["mode"] = result.mode
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    print(result.text)
    if result.sources and text_key != "examples":  # examples already cite each passage
        print("\n参考来源：")
        for passage in result.sources:
            print(f"  - {passage.citation}")
    for warning in result.warnings:
        print(f"提示：{warning}", file=sys.stderr)


def run_ask(args: argparse.Namespace, services: Services) -> int:
    """Answer a requirements question from the knowledge base."""
    _ensure_knowledge(services)
    from bot.cli.report import time_frame

    result = asyncio.run(services.writer.ask(args.question, when=time_frame(services)))
    _print(result, as_json=args.json, text_key="answer", with_warnings=False)
    return 0


def run_examples(args: argparse.Namespace, services: Services) -> int:
    """Show the best example passages for a topic."""
    _ensure_knowledge(services)
    from bot.cli.report import time_frame

    result = asyncio.run(
        services.writer.examples(
            args.topic,
            kind=args.kind,
            year=args.year,
            issuer=args.issuer,
            when=time_frame(services),
        )
    )
    _print(result, as_json=args.json, text_key="examples")
    return 0


def run_draft(args: argparse.Namespace, services: Services) -> int:
    """Draft one section from the user's facts."""
    _ensure_knowledge(services)
    result = asyncio.run(
        services.writer.draft(args.section, args.facts, org=args.org, year=args.year)
    )
    _print(result, as_json=args.json, text_key="draft")
    return 0


def run_outline(args: argparse.Namespace, services: Services) -> int:
    """Print the whole report's outline."""
    result = asyncio.run(services.writer.outline(org=args.org, year=args.year))
    print(result.text)
    return 0


def run_revise(args: argparse.Namespace, services: Services) -> int:
    """Revise a draft from a file or standard input as instructed."""
    draft = read_text_argument(args.file)
    result = asyncio.run(services.writer.revise(draft, args.instruction, facts=args.facts))
    _print(result, as_json=args.json, text_key="draft")
    return 0
