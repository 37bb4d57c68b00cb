"""`lawbot` command line: one sub-command module per capability, registered here.

Each module in bot/cli/ exposes `register(subparsers)`; every sub-command handler has the
signature `handler(args: argparse.Namespace, services: Services) -> int` (the exit code).
Settings are read once here and handed down inside Services.

`lawbot --help` and argument errors must stay quick: a module here imports heavy parts
(LangChain, Chroma, numpy, jieba, python-docx …) inside its handlers, never at module level
(tests/cli/test_cli_entry.py checks this for every module in COMMAND_MODULES).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from bot.core.errors import LawbotError

# Modules under bot/cli/ that contribute sub-commands, in --help order.
COMMAND_MODULES = ("knowledge", "writing", "report", "review", "export", "dates", "chat")

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lawbot",
        description="法治助手：乡镇法治政府建设工作的写作、检索、校对与提醒助手。",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(f"bot.cli.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
    except BrokenPipeError:  # `lawbot search … | head`: the reader has gone, so stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


def _run(args: argparse.Namespace) -> int:
    """Read settings, set up logging, run the sub-command; our errors become one line."""
    from pydantic import ValidationError

    from bot.cli.redaction import redact_secrets
    from bot.services import Services
    from bot.settings import Settings

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"配置有误（请检查 .env 中的 LAWBOT_* 设置）：\n{error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    redact_secrets(
        secret.get_secret_value()
        for secret in (settings.telegram_token, settings.llm_api_key,
                       settings.embedding_api_key, settings.webhook_secret)
    )  # fmt: skip
    for handler in logging.getLogger().handlers:
        handler.addFilter(_quiet_libraries)
    services = Services(settings)
    try:
        return int(args.func(args, services))
    except LawbotError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        services.close()


NOISY_LIBRARIES = ("bm25s", "httpx", "chromadb")


def _quiet_libraries(record: logging.LogRecord) -> bool:
    """Drop the chatty INFO/DEBUG lines of some libraries; their warnings stay.

    A handler filter, not logger levels: bm25s sets its own logger to DEBUG when imported,
    which happens only when a command runs.
    """
    return record.levelno >= logging.WARNING or record.name.split(".")[0] not in NOISY_LIBRARIES


if __name__ == "__main__":
    sys.exit(main())
