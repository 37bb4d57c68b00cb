"""The report workspace in Telegram: /report with buttons per part, /facts, /undo, pasting a
part, importing a draft, and the whole-report check and export.

The report belongs to the chat (owner "tg:<chat id>"); the workspace keeps every version, so a
restart in the middle loses nothing and /undo steps back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError
from bot.core.knowledge.timewords import TimeFrame
from bot.core.report.model import OPENING, Report, default_report_year, resolve_part
from bot.core.report.status import describe_findings, describe_status, report_status
from bot.core.report.workspace import ReportWorkspace, UnfinishedReportError
from bot.tg.formatting import escape
from bot.tg.handlers_common import (
    Context,
    chat_id,
    command_args,
    exclusive,
    message_text,
    reply,
    services,
    user_id,
    users,
)

logger = logging.getLogger(__name__)

IMPORT_SUFFIXES = (".docx", ".txt", ".md")
REPORT_USAGE = (
    "用法：<code>/report</code> 查看报告；<code>/report 新建 青石镇人民政府 2026</code>；"
    "<code>/report 查看 2</code>"
)
FACTS_USAGE = "请在命令后写上事实，例如：<code>/facts 普法宣传活动12场，发放资料3000份</code>"


def owner(update: Update) -> str:
    """Reports belong to the chat (a group works on one report together)."""
    return f"tg:{chat_id(update)}"


def workspace(context: Context) -> ReportWorkspace:
    return services(context).workspace


def now(context: Context) -> dt.datetime:
    return services(context).now()


def time_frame(update: Update, context: Context) -> TimeFrame:
    """Today, and the report year this chat works on (for 明年、今年 in questions)."""
    year = users(context).get(user_id(update)).year
    return workspace(context).time_frame(owner(update), now(context).date(), year=year)


def ensure_report(update: Update, context: Context) -> Report:
    """The chat's report, or a new one for the unit and year in the user's /settings."""
    report = workspace(context).current(owner(update))
    if report is not None:
        return report
    state = users(context).get(user_id(update))
    year = state.year or default_report_year(now(context).date())
    return workspace(context).open(owner(update), state.org or "", year, now(context))


def report_keyboard(report: Report) -> InlineKeyboardMarkup:
    """A row per part (view, draft, replace, clear), then the whole-report actions."""
    rows = []
    for part in report.parts:
        if part.key != OPENING and part.key not in {s.key for s in report.catalog.required}:
            continue
        name = report.name(part.key)
        label = name if len(name) <= 12 else name[:11] + "…"
        row = [InlineKeyboardButton(label, callback_data=f"rp:v:{part.key}")]
        if part.key != OPENING:
            row.append(InlineKeyboardButton("起草", callback_data=f"rp:d:{part.key}"))
        row += [
            InlineKeyboardButton("替换", callback_data=f"rp:s:{part.key}"),
            InlineKeyboardButton("清空", callback_data=f"rp:c:{part.key}"),
        ]
        rows.append(row)
    rows += [
        [
            InlineKeyboardButton("检查全文", callback_data="rp:check"),
            InlineKeyboardButton("导出Word", callback_data="rp:export"),
            InlineKeyboardButton("撤销", callback_data="rp:undo"),
        ],
        [
            InlineKeyboardButton("导入已有稿件", callback_data="rp:import"),
            InlineKeyboardButton("以上年报告为底稿", callback_data="rp:base"),
        ],
    ]
    return InlineKeyboardMarkup(rows)


async def report(update: Update, context: Context) -> None:
    """/report: the whole report's status with buttons; /report 新建 单位 年度; /report 查看 N."""
    action, _, rest = command_args(update).partition(" ")
    if action in ("新建", "new"):
        org, _, year = rest.strip().rpartition(" ")
        if not (org.strip() and year.isdigit()):
            raise InputError("用法：/report 新建 青石镇人民政府 2026")
        opened = workspace(context).open(owner(update), org.strip(), int(year), now(context))
        users(context).set_profile(user_id(update), org=org.strip(), year=int(year))
        await show_status(update, context, opened)
        return
    current = ensure_report(update, context)
    if action in ("查看", "view") and rest.strip():
        await show_part(update, context, resolve_part(rest.strip(), current.catalog)[0])
        return
    if action:
        await reply(update, context, REPORT_USAGE)
        return
    await show_status(update, context, current)


async def show_status(update: Update, context: Context, current: Report) -> None:
    text = escape(describe_status(report_status(current)))
    await reply(update, context, text, report_keyboard(current))


async def show_part(update: Update, context: Context, key: str) -> None:
    current = ensure_report(update, context)
    part = current.part(key)
    body = escape(part.text) if part.text.strip() else "（空）"
    await reply(update, context, f"<b>{escape(current.name(key))}</b>\n\n{body}")


async def report_button(update: Update, context: Context) -> None:
    """A press on one of the /report buttons: rp:ACTION[:PART]."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    _, action, *rest = (query.data or "").split(":")
    key = rest[0] if rest else ""
    if action == "v":
        await show_part(update, context, key)
    elif action == "status":
        await show_status(update, context, ensure_report(update, context))
    elif action == "d":
        from bot.tg import handlers_draft

        await handlers_draft.draft_part(update, context, key)
    elif action == "s":
        current = ensure_report(update, context)
        users(context).set_step(user_id(update), "report_set", section=key)
        await reply(
            update,
            context,
            f"请发送“{escape(current.name(key))}”的全部文字（会替换现有内容，/undo 可撤销）。"
            "发送 /cancel 取消。",
        )
    elif action == "c":
        cleared, key = workspace(context).clear(owner(update), key, now(context))
        await reply(update, context, f"已清空“{escape(cleared.name(key))}”。发送 /undo 可撤销。")
    elif action == "undo":
        await undo(update, context)
    elif action == "check":
        await check_report(update, context)
    elif action in ("export", "xf"):
        await export_report(update, context, action == "xf")
    elif action in ("import", "base"):
        ensure_report(update, context)
        step = "report_import_base" if action == "base" else "report_import"
        users(context).set_step(user_id(update), step)
        hint = (
            "请上传上一年度的报告（.docx/.txt/.md）：保留结构和写法，其中的数字和年份会改为"
            "【待更新：原为…】，逐一更新后即可。"
            if action == "base"
            else "请上传已有的报告稿（.docx/.txt/.md），我会按一、二、三……标题拆分到各部分。"
        )
        await reply(update, context, hint + "发送 /cancel 取消。")


async def save_pasted(update: Update, context: Context) -> None:
    """The text after 替换: it becomes the part's text."""
    key = users(context).get(user_id(update)).step_section or ""
    saved, key = workspace(context).set_text(owner(update), key, message_text(update), now(context))
    users(context).set_step(user_id(update), "")
    await reply(
        update,
        context,
        f"已存入“{escape(saved.name(key))}”（第 {saved.version} 版）。发送 /undo 可撤销，"
        "/report 查看全文状态。",
    )


async def facts(update: Update, context: Context) -> None:
    """/facts 事实: filed under the parts and items they are about."""
    text = command_args(update)
    if not text:
        await reply(update, context, FACTS_USAGE)
        return
    await file_facts(update, context, text)


async def file_facts(update: Update, context: Context, text: str) -> None:
    ensure_report(update, context)
    filed_report, filed = workspace(context).add_facts(owner(update), text, now(context))
    lines = ["已记下这些事实，起草相应部分时会用到："]
    for fact in filed:
        point = f" · {fact.point}" if fact.point else ""
        lines.append(f"• 「{escape(fact.text)}」→ {escape(filed_report.name(fact.part))}{point}")
    lines.append("\n归类不对可发送 /undo 撤销；/report 查看还缺哪些事实。")
    await reply(update, context, "\n".join(lines))


async def undo(update: Update, context: Context) -> None:
    """/undo: bring back the report as it was before the last change."""
    restored, undone = workspace(context).undo(owner(update))
    await reply(update, context, f"已撤销：{escape(undone)}（现为第 {restored.version} 版）。")


@exclusive
async def check_report(update: Update, context: Context) -> None:
    """The whole report checked: placeholders left, structure, expressions … by part."""
    ensure_report(update, context)
    findings = await workspace(context).check(owner(update))
    await reply(update, context, escape(describe_findings(findings)))


@exclusive
async def export_report(update: Update, context: Context, force: bool = False) -> None:
    """The whole report as one .docx; asks first while placeholders remain."""
    if update.callback_query and force:
        await update.callback_query.answer("正在生成 Word 文件……")
    ensure_report(update, context)
    settings = services(context).settings
    date = settings.report_date or now(context).date()
    try:
        data, name = await asyncio.to_thread(
            workspace(context).export, owner(update), date, force=force
        )
    except UnfinishedReportError as error:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("仍然导出", callback_data="rp:xf"),
                    InlineKeyboardButton("检查全文", callback_data="rp:check"),
                ]
            ]
        )
        await reply(update, context, escape(str(error)), markup)
        return
    caption = "已按公文格式导出整篇报告。" + ("请核对其中【待补充】等未完成之处。" if force else "")
    await context.bot.send_document(chat_id(update), data, filename=name, caption=caption)


@exclusive
async def import_document(update: Update, context: Context) -> None:
    """A file sent after 导入已有稿件 / 以上年报告为底稿."""
    from bot.cli.report import describe_import
    from bot.core.knowledge.documents import load_document

    message = update.message
    assert message is not None and message.document is not None
    base = users(context).get(user_id(update)).step == "report_import_base"
    name = Path(message.document.file_name or "稿件.docx").name
    if not name.lower().endswith(IMPORT_SUFFIXES):
        raise InputError("请上传 .docx、.txt 或 .md 格式的报告稿。")
    telegram_file = await message.document.get_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{Path(name).suffix.lower()}"
        await telegram_file.download_to_drive(path)
        document = await asyncio.to_thread(load_document, path)
    imported = workspace(context).import_text(owner(update), document.text, now(context), base=base)
    users(context).set_step(user_id(update), "")
    text = escape(describe_import(imported)).replace("undo", "/undo")
    await reply(update, context, text, report_keyboard(imported.report))
