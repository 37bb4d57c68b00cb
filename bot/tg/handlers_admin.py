"""The knowledge base in chat: admins upload documents and remove them; /sources lists them.

A file sent while /check waits is checked instead, one sent after 导入已有稿件 goes into the
report; anyone else's file gets a hint.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError, LawbotError
from bot.core.knowledge.uploads import UploadResult, safe_upload_name
from bot.tg import handlers_check, handlers_report
from bot.tg.formatting import KIND_NAMES, escape
from bot.tg.handlers_common import (
    Context,
    access,
    chat_id,
    command_args,
    one_at_a_time,
    reply,
    services,
    user_id,
    users,
)

logger = logging.getLogger(__name__)

UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt", ".md")
SOURCES_SHOWN = 60


async def on_document(update: Update, context: Context) -> None:
    """A file arrived: check it (after /check), add it (admins), or explain."""
    step = users(context).get(user_id(update)).step
    if step == "check":
        await handlers_check.check_document(update, context)
    elif step in ("report_import", "report_import_base"):
        await handlers_report.import_document(update, context)
    elif access(context).is_admin(user_id(update)):
        await upload(update, context)
    else:
        await reply(
            update,
            context,
            "如需检查文稿，请先发送 /check 再上传文件；如需把已有稿件导入报告，请在 /report 中"
            "点“导入已有稿件”后上传。只有管理员可以向知识库添加文档。",
        )


@one_at_a_time
async def upload(update: Update, context: Context) -> None:
    """Admin upload: check type and size, ingest, report this document; searchable at once.

    Files sent together are taken one after another, each with its own report.
    """
    message = update.message
    assert message is not None and message.document is not None
    document = message.document
    name = safe_upload_name(document.file_name or "")
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise InputError(f"不支持的文件类型：{name}。请上传 .docx、.pdf、.txt 或 .md 文件。")
    limit_mb = services(context).settings.max_upload_mb
    if document.file_size and document.file_size > limit_mb * 1024 * 1024:
        size_mb = document.file_size / 1024 / 1024
        raise InputError(f"文件过大（{size_mb:.1f} MB），上限为 {limit_mb} MB：{name}")
    knowledge = services(context).knowledge
    progress = await reply(update, context, f"正在导入《{escape(name)}》，请稍候……")
    telegram_file = await document.get_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        await telegram_file.download_to_drive(path)
        title = (message.caption or "").strip() or None
        try:
            result = await asyncio.to_thread(knowledge.add_file, path, title=title, name=name)
        except LawbotError as error:  # nothing was kept: say so on the progress message
            await progress.edit_text(f"❌ 未能导入《{escape(name)}》：{escape(str(error))}")
            return
    logger.info("admin %s uploaded %s (%s chunks)", user_id(update), result.name, result.chunks)
    await progress.edit_text(describe_upload(name, result))


def describe_upload(asked: str, result: UploadResult) -> str:
    """The admin's report on one upload: this document's passages, and the name it is kept as."""
    stored = escape(result.name)
    if not result.changed:
        return f"《{stored}》与知识库中的版本相同，未作改动（共 {result.chunks} 段）。"
    text = f"✅ 已导入《{stored}》，共 {result.chunks} 段，现在即可检索。"
    if result.renamed:
        text += (
            f"\n知识库中已有另一个《{escape(asked)}》，两份都保留，本文件另存为《{stored}》；"
            "如需替换旧文件，请用 /sources 删除旧的一份。"
        )
    return text


async def sources(update: Update, context: Context) -> None:
    """/sources: documents with kind and chunk count; `/sources remove N` for admins."""
    args = command_args(update).split()
    if args and args[0] in ("remove", "删除"):
        await _remove_by_number(update, context, args[1] if len(args) > 1 else "")
        return
    knowledge = services(context).knowledge
    infos = await asyncio.to_thread(knowledge.sources)
    if not infos:
        await reply(
            update,
            context,
            "知识库还是空的。管理员可运行 <code>lawbot ingest</code> 或直接上传文件。",
        )
        return
    lines = [f"<b>知识库文档（{len(infos)} 份）</b>"]
    for number, info in enumerate(infos[:SOURCES_SHOWN], 1):
        kind = KIND_NAMES.get(info.kind, info.kind)
        lines.append(f"{number}. 《{escape(info.title)}》 · {escape(kind)} · {info.chunks} 段")
    if len(infos) > SOURCES_SHOWN:
        lines.append(f"…… 另有 {len(infos) - SOURCES_SHOWN} 份未列出。")
    markup = None
    if access(context).is_admin(user_id(update)):
        uploaded = [(n, i) for n, i in enumerate(infos[:SOURCES_SHOWN], 1) if i.kind == "uploaded"]
        lines.append("\n管理员可用 <code>/sources remove 序号</code> 删除文档。")
        if uploaded:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(f"删除 {n}. {i.title[:20]}", callback_data=f"rm:{n}")]
                    for n, i in uploaded[:10]
                ]
            )
    await reply(update, context, "\n".join(lines), markup)


async def remove_button(update: Update, context: Context) -> None:
    """删除 N under /sources."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await _remove_by_number(update, context, (query.data or "").removeprefix("rm:"))


async def _remove_by_number(update: Update, context: Context, number: str) -> None:
    if not access(context).is_admin(user_id(update)):
        await reply(update, context, "只有管理员可以删除知识库文档。")
        return
    knowledge = services(context).knowledge
    infos: list[Any] = await asyncio.to_thread(knowledge.sources)
    if not number.isdigit() or not 1 <= int(number) <= len(infos):
        raise InputError(f"请给出 1 到 {len(infos)} 之间的序号，例如：/sources remove 3")
    info = infos[int(number) - 1]
    removed = await asyncio.to_thread(knowledge.remove, info.source)
    logger.info("admin %s removed %s", user_id(update), info.source)
    text = f"已删除《{escape(info.title)}》。" if removed else "该文档已不在知识库中。"
    await context.bot.send_message(chat_id(update), text)
