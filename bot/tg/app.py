"""The single wiring root of the Telegram bot: build_application(services) and run_telegram.

Handlers reach the long-lived parts through bot_data["services"]; access is checked first
(group -1) for every update.
"""

from __future__ import annotations

import html
import logging
import uuid
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core.errors import ConfigError, LawbotError
from bot.services import Services
from bot.settings import Settings
from bot.tg import (
    access,
    handlers_admin,
    handlers_check,
    handlers_core,
    handlers_draft,
    handlers_report,
)
from bot.tg.outbox import CountingRateLimiter
from bot.tg.reminders import handlers as handlers_reminders
from bot.tg.reminders.jobs import schedule_reminders

logger = logging.getLogger(__name__)

ERROR_TEXT = "出错了，请稍后再试（编号：{ref}）"
WHAT_I_TAKE = (
    "我能处理文字消息（直接提问，或发送命令）和 .docx、.pdf、.txt、.md 文件，"
    "暂时看不懂贴纸、图片和语音。发送 /help 查看可用命令。"
)

COMMAND_HANDLERS = {
    "start": handlers_core.start,
    "help": handlers_core.help_command,
    "ask": handlers_core.ask,
    "examples": handlers_core.examples,
    "settings": handlers_core.settings,
    "cancel": handlers_core.cancel,
    "report": handlers_report.report,
    "facts": handlers_report.facts,
    "undo": handlers_report.undo,
    "draft": handlers_draft.draft,
    "outline": handlers_draft.outline,
    "export": handlers_draft.export,
    "check": handlers_check.check,
    "sources": handlers_admin.sources,
    "dates": handlers_reminders.dates,
    "subscribe": handlers_reminders.subscribe,
    "unsubscribe": handlers_reminders.unsubscribe,
    "remind": handlers_reminders.remind,
    "reminders": handlers_reminders.reminders,
}
CALLBACK_HANDLERS = {
    r"^menu:": handlers_core.menu_button,
    r"^settings:": handlers_core.settings_button,
    r"^cancel$": handlers_core.cancel,
    r"^draft:": handlers_draft.section_button,
    r"^rev:": handlers_draft.revise_button,
    r"^export$": handlers_draft.export,
    r"^check:draft$": handlers_check.check_draft_button,
    r"^check:other$": handlers_check.check_other,
    r"^rp:": handlers_report.report_button,
    r"^rm:": handlers_admin.remove_button,
    r"^rmd:": handlers_reminders.delete_button,
}


def build_application(services: Services, *, rate_limited: bool = True) -> Application:  # type: ignore[type-arg]
    """The Application with every handler; `rate_limited=False` only for benchmarks."""
    settings = services.settings
    token = settings.telegram_token.get_secret_value()
    if not token:
        raise ConfigError("未设置 LAWBOT_TELEGRAM_TOKEN（向 @BotFather 申请机器人令牌）。")
    defaults = Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.timezone))
    builder = (
        Application.builder()
        .token(token)
        .defaults(defaults)
        .concurrent_updates(True)
        .post_init(_post_init)
        # Generous client timeouts: a busy CPU (retrieval) must not turn a reply into an error.
        .connect_timeout(10)
        .write_timeout(20)
        .pool_timeout(10)
    )
    if rate_limited:
        builder = builder.rate_limiter(CountingRateLimiter(max_retries=3))  # type: ignore[arg-type]
    if settings.telegram_api_url:
        builder = builder.base_url(settings.telegram_api_url)
    if settings.telegram_file_url:
        builder = builder.base_file_url(settings.telegram_file_url)
    application = builder.build()
    application.bot_data["services"] = services
    policy = access.AccessPolicy.from_settings(settings)
    application.bot_data["access"] = policy
    if not policy.is_configured:
        logger.warning(access.HOW_TO_CONFIGURE)
    _add_handlers(application)
    return application


def _add_handlers(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, access.gate), group=-1)
    for name, callback in COMMAND_HANDLERS.items():
        application.add_handler(CommandHandler(name, callback))
    for pattern, callback in CALLBACK_HANDLERS.items():
        application.add_handler(CallbackQueryHandler(callback, pattern=pattern))
    application.add_handler(MessageHandler(filters.Document.ALL, handlers_admin.on_document))
    blank = filters.TEXT & filters.Regex(r"^\s*$")
    application.add_handler(MessageHandler(blank, _what_i_take))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, handlers_core.on_text))
    application.add_handler(MessageHandler(filters.COMMAND, _unknown_command))
    # Stickers, photos, voice …: anything sent in a private chat that no handler above took
    # (in a group, members' photos are not meant for the bot).
    other = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL
    application.add_handler(MessageHandler(other, _what_i_take))
    application.add_error_handler(on_error)


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    """Register the command menu and schedule the reminder job."""
    commands = [BotCommand(name, text) for name, text in handlers_core.COMMANDS]
    await application.bot.set_my_commands(commands)
    schedule_reminders(application)


async def _unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have."""
    if update.effective_message:
        await update.effective_message.reply_text("没有这个命令。发送 /help 查看可用命令。")


async def _what_i_take(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A blank message, a sticker, a photo …: say what the bot can take."""
    if update.effective_message:
        await update.effective_message.reply_text(WHAT_I_TAKE)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one error handler: our errors are shown as they are; others get a reference id."""
    error = context.error
    if isinstance(error, LawbotError):
        text = str(error)
        logger.info("user error: %s", text)
    else:
        ref = uuid.uuid4().hex[:6]
        logger.error("unhandled error [%s] in update %s", ref, _describe(update), exc_info=error)
        text = ERROR_TEXT.format(ref=ref)
        if isinstance(error, TelegramError) and update is None:
            return  # e.g. a network error while polling: nobody to answer
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(update.effective_chat.id, html.escape(text, quote=False))
        except TelegramError:
            logger.warning("could not send the error reply", exc_info=True)


def _describe(update: object) -> str:
    """Which update failed, without the user's text (drafts are not logged)."""
    if isinstance(update, Update):
        user = update.effective_user.id if update.effective_user else None
        return f"#{update.update_id} from user {user}"
    return repr(update)[:80]


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Where PTB's webhook server listens and what it tells Telegram (URL, secret token)."""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlparse(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret.get_secret_value() or None,
    }


def run_telegram(services: Services) -> None:
    """Long polling by default; a webhook server when settings.webhook_url is set."""
    settings = services.settings
    application = build_application(services)
    if settings.webhook_url:
        logger.info("starting webhook on %s:%s", settings.webhook_listen, settings.webhook_port)
        application.run_webhook(**webhook_options(settings), allowed_updates=Update.ALL_TYPES)
    else:
        logger.info("starting long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
