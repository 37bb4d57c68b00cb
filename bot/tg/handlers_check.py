"""/check: review pasted text, an uploaded .docx, or the current draft; findings by kind."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError
from bot.core.knowledge.documents import load_document
from bot.tg.formatting import format_findings
from bot.tg.handlers_common import (
    Context,
    command_args,
    exclusive,
    message_text,
    reply,
    review_labels,
    services,
    user_id,
    users,
)

logger = logging.getLogger(__name__)

CHECK_PROMPT = "请粘贴要检查的文字，或上传 .docx / .txt 文件。发送 /cancel 取消。"
MAX_CHECK_CHARS = 60_000
CHECKABLE_SUFFIXES = (".docx", ".txt", ".md", ".pdf")


async def check(update: Update, context: Context) -> None:
    """/check [文字]: check the text now; without text, the chat's whole report (or, with no
    report yet, wait for text / a file)."""
    from bot.tg import handlers_report

    text = command_args(update)
    if text:
        await check_text(update, context, text)
        return
    if services(context).workspace.current(handlers_report.owner(update)) is not None:
        await handlers_report.check_report(update, context)
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("检查其他文稿", callback_data="check:other")]]
        )
        await reply(update, context, "如需检查别的文字或文件，请点下面的按钮。", markup)
        return
    await check_other(update, context)


async def check_other(update: Update, context: Context) -> None:
    """Wait for pasted text or a file to check (检查其他文稿, or /check with no report)."""
    if update.callback_query:
        await update.callback_query.answer()
    uid = user_id(update)
    users(context).set_step(uid, "check")
    markup = None
    if users(context).get(uid).draft is not None:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("检查当前草稿", callback_data="check:draft")]]
        )
    await reply(update, context, CHECK_PROMPT, markup)


@exclusive
async def check_text(update: Update, context: Context, text: str = "") -> None:
    """Run the reviewer over pasted text."""
    await _review(update, context, text or message_text(update))


@exclusive
async def check_draft_button(update: Update, context: Context) -> None:
    """检查当前草稿."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    draft = users(context).get(user_id(update)).draft
    if draft is None:
        await reply(update, context, "还没有草稿。")
        return
    await _review(update, context, draft.text)


@exclusive
async def check_document(update: Update, context: Context) -> None:
    """A file sent while /check waits for one."""
    message = update.message
    assert message is not None and message.document is not None
    name = message.document.file_name or "文稿.docx"
    if not name.lower().endswith(CHECKABLE_SUFFIXES):
        raise InputError("请上传 .docx、.txt、.md 或 .pdf 文件。")
    telegram_file = await message.document.get_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(name).name
        await telegram_file.download_to_drive(path)
        document = await asyncio.to_thread(load_document, path)
    await _review(update, context, document.text)


async def _review(update: Update, context: Context, text: str) -> None:
    reviewer = services(context).reviewer
    users(context).set_step(user_id(update), "")
    if not text.strip():
        raise InputError("没有收到要检查的文字。")
    if len(text) > MAX_CHECK_CHARS:
        raise InputError(
            f"文字过长（{len(text)} 字），请分段检查，每次不超过 {MAX_CHECK_CHARS} 字。"
        )
    year = users(context).get(user_id(update)).year
    findings = await asyncio.to_thread(reviewer.check, text, year)
    await reply(update, context, format_findings(findings, review_labels()))
