"""`lawbot export`: write a draft (a text/Markdown file or stdin) as a 公文-format .docx."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.inputs import read_text_argument

if TYPE_CHECKING:
    from bot.services import Services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="把文稿导出为公文格式的 Word 文件（.docx）",
        description=(
            "把文稿导出为 Word 文件，版式按 GB/T 9704-2012 及常见做法："
            "A4，标题2号小标宋，正文3号仿宋，页码「— 1 —」。"
        ),
    )
    parser.add_argument(
        "--in",
        dest="input",
        required=True,
        metavar="FILE",
        help="文稿文件（.txt/.md）；- 表示标准输入",
    )
    parser.add_argument(
        "--out", required=True, type=Path, metavar="FILE.docx", help="输出的 Word 文件"
    )
    parser.add_argument("--title", help="标题（默认取文稿第一行）")
    parser.add_argument("--org", help="落款单位，如「××镇人民政府」")
    parser.add_argument(
        "--date", type=_parse_date, metavar="YYYY-MM-DD", help="成文日期，如 2026-01-09"
    )
    parser.set_defaults(func=export)


def export(args: argparse.Namespace, services: Services) -> int:
    """Read the draft, write the .docx, print the path written."""
    text = read_text_argument(args.input)
    from bot.core.export.word import write_docx  # python-docx: only when exporting

    written = write_docx(text, args.out, title=args.title, org=args.org, date=args.date)
    print(written)
    return 0


def _parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式应为 YYYY-MM-DD，例如 2026-01-09：{value}"
        ) from None
