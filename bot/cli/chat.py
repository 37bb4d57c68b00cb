"""`lawbot chat` (the bot in a terminal) and `lawbot run` (Telegram when a token is set)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from bot.core.errors import KnowledgeUnavailable

if TYPE_CHECKING:
    from bot.services import Services

NO_TOKEN_HINT = (
    "未设置 LAWBOT_TELEGRAM_TOKEN，现以终端对话模式运行。连接 Telegram：在 .env 中设置 "
    "LAWBOT_TELEGRAM_TOKEN（@BotFather 提供）和 LAWBOT_ADMIN_USERS（您的数字 ID）后重新运行。"
)


def register(subparsers: Any) -> None:
    chat = subparsers.add_parser(
        "chat",
        help="在终端中与助手对话（与 Telegram 中的命令相同）",
        description="在终端中使用提问、起草、检查、导出等功能；输入 /help 查看命令。",
    )
    chat.set_defaults(func=run_chat)
    run = subparsers.add_parser(
        "run",
        help="运行机器人：已配置令牌时连接 Telegram，否则进入终端对话",
        description="首次运行时先建立知识库；长轮询（默认）或 webhook（设置 LAWBOT_WEBHOOK_URL 时）"
        "运行 Telegram 机器人；未设置令牌时进入终端对话。",
    )
    run.set_defaults(func=run_bot)


def prepare_knowledge(services: Services) -> None:
    """Bring the bundled knowledge (and uploads) into the index; fast when nothing changed."""
    from bot.cli.knowledge import describe_report, ensure_knowledge

    if services.knowledge.is_empty:
        print("首次运行：正在建立知识库（约需一两分钟）……", file=sys.stderr)
    try:
        report = ensure_knowledge(services)
    except KnowledgeUnavailable as error:  # start anyway: only searching needs the server
        print(f"{error}机器人照常启动，检索功能在服务恢复后自动可用。", file=sys.stderr)
        return
    if report.changed or report.errors:
        print(describe_report(report), file=sys.stderr)
    services.knowledge.warm_up()


def run_chat(args: argparse.Namespace, services: Services) -> int:
    from bot.console import ConsoleChat

    prepare_knowledge(services)
    return ConsoleChat(services).run()


def run_bot(args: argparse.Namespace, services: Services) -> int:
    from bot.console import ConsoleChat

    prepare_knowledge(services)
    if not services.settings.telegram_token.get_secret_value():
        print(NO_TOKEN_HINT, file=sys.stderr)
        return ConsoleChat(services).run()
    from bot.tg.app import run_telegram

    run_telegram(services)
    return 0
