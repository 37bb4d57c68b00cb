"""Guided drafting: /draft → section buttons → facts → draft with sources → revise or export.

The step and the current draft live in UserStore, so a restart in the middle loses nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError
from bot.core.export.word import export_filename, render_docx
from bot.core.report.userstate import Draft, draft_body
from bot.core.writing.sections import Section, load_sections, resolve_section
from bot.tg.formatting import escape, format_findings, format_result
from bot.tg.handlers_common import (
    Context,
    chat_id,
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

FACTS_EXAMPLE = (
    "全年召开党委会专题研究法治建设4次；开展普法宣传活动12场，发放资料3000余份；"
    "排查矛盾纠纷86件，调解成功84件。"
)
# Revision buttons: callback key -> (label, instruction for the writer)
REVISIONS: dict[str, tuple[str, str]] = {
    "concise": ("更简洁", "更简洁"),
    "formal": ("更正式", "更正式"),
    "expand": ("扩写", "扩写"),
}
NO_DRAFT_TEXT = "还没有草稿。请先用 /draft 起草，或用 /outline 生成提纲。"
FINDINGS_SHOWN = 8


def sections_keyboard() -> InlineKeyboardMarkup:
    """The five required parts one per row, then the topics two per row."""
    catalog = load_sections()
    rows = [
        [InlineKeyboardButton(s.name[:30], callback_data=f"draft:{s.key}")]
        for s in catalog.required
    ]
    topics = [s for s in catalog.sections if not s.required]
    for start in range(0, len(topics), 2):
        rows.append(
            [
                InlineKeyboardButton(f"专题：{s.name}", callback_data=f"draft:{s.key}")
                for s in topics[start : start + 2]
            ]
        )
    rows.append([InlineKeyboardButton("取消", callback_data="cancel")])
    return InlineKeyboardMarkup(rows)


def draft_keyboard() -> InlineKeyboardMarkup:
    revise = [
        InlineKeyboardButton(label, callback_data=f"rev:{key}")
        for key, (label, _) in REVISIONS.items()
    ]
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("重新生成", callback_data="rev:regen"), *revise[:1]],
            revise[1:],
            [InlineKeyboardButton("导出Word", callback_data="export")],
        ]
    )


def looks_like_section(text: str) -> bool:
    try:
        resolve_section(text)
    except InputError:
        return False
    return True


async def draft(update: Update, context: Context) -> None:
    """/draft [栏目]: pick a section (buttons), then send the facts."""
    wanted = command_args(update)
    if wanted:
        await _ask_for_facts(update, context, resolve_section(wanted))
        return
    users(context).set_step(user_id(update), "draft_section")
    await reply(update, context, "请选择要起草的栏目：", sections_keyboard())


async def section_button(update: Update, context: Context) -> None:
    """A press on one of the section buttons."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    key = (query.data or "").removeprefix("draft:")
    await _ask_for_facts(update, context, load_sections().get(key))


async def choose_section_by_text(update: Update, context: Context) -> None:
    """The user typed a section name instead of pressing a button."""
    await _ask_for_facts(update, context, resolve_section(message_text(update)))


async def _ask_for_facts(update: Update, context: Context, section: Section) -> None:
    users(context).set_step(user_id(update), "draft_facts", section=section.key)
    hints = [hint.ask for point in section.points for hint in point.hints][:6]
    lines = [
        f"已选择：<b>{escape(section.name)}</b>",
        "",
        "请发送本单位的实际情况（做法、数字、成效），越具体越好。例如：",
        f"<code>{escape(FACTS_EXAMPLE)}</code>",
    ]
    if hints:
        lines += ["", "可以包括：", *(f"• {escape(hint)}" for hint in hints)]
    lines += [
        "",
        "暂时没有具体情况可发送「无」，草稿中会留出【待补充】位置。发送 /cancel 取消。",
    ]
    await reply(update, context, "\n".join(lines))


@exclusive
async def draft_from_facts(update: Update, context: Context) -> None:
    """The facts arrived: write the draft."""
    uid = user_id(update)
    state = users(context).get(uid)
    section = state.step_section or "measures"
    facts = message_text(update)
    facts = "" if facts in ("无", "没有", "暂无") else facts
    writer = services(context).writer
    result = await writer.draft(section, facts, org=state.org, year=state.year)
    await _keep_and_show(update, context, result, Draft("", section, facts))


async def _keep_and_show(update: Update, context: Context, result: Any, base: Draft) -> None:
    """Store the result as the user's current draft and show it with its buttons."""
    citations = tuple(dict.fromkeys(p.citation for p in result.sources))
    kept = Draft(draft_body(result.text), base.section, base.facts, citations or base.sources)
    users(context).save_draft(user_id(update), kept)
    html = format_result(result) + await _findings_html(context, result.text, update)
    await reply(update, context, html, draft_keyboard())


async def _findings_html(context: Context, text: str, update: Update) -> str:
    """The reviewer's findings on a draft ("" when it finds nothing)."""
    reviewer = services(context).reviewer
    year = users(context).get(user_id(update)).year
    findings = await asyncio.to_thread(reviewer.check, text, year)
    if not findings:
        return ""
    return "\n\n" + format_findings(findings, review_labels(), limit=FINDINGS_SHOWN)


@exclusive
async def revise_button(update: Update, context: Context) -> None:
    """重新生成 / 更简洁 / 更正式 / 扩写 on the current draft."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    state = users(context).get(user_id(update))
    current = state.draft
    if current is None:
        await reply(update, context, NO_DRAFT_TEXT)
        return
    key = (query.data or "").removeprefix("rev:")
    writer = services(context).writer
    if key == "regen":
        if current.section == "outline":
            result = await writer.outline(org=state.org, year=state.year)
        elif current.section:
            result = await writer.draft(
                current.section, current.facts, org=state.org, year=state.year
            )
        else:
            await reply(update, context, "这份文稿不是按栏目起草的，无法重新生成。")
            return
    else:
        instruction = REVISIONS.get(key, ("", key))[1]
        result = await writer.revise(current.text, instruction, facts=current.facts or None)
    await _keep_and_show(update, context, result, current)


@exclusive
async def outline(update: Update, context: Context) -> None:
    """/outline: the whole report's outline in the required order."""
    state = users(context).get(user_id(update))
    writer = services(context).writer
    result = await writer.outline(org=state.org, year=state.year)
    citations = tuple(dict.fromkeys(p.citation for p in result.sources))
    draft = Draft(draft_body(result.text), "outline", "", citations)
    users(context).save_draft(user_id(update), draft)
    await reply(update, context, format_result(result), draft_keyboard())


async def export(update: Update, context: Context) -> None:
    """/export [文字]: the current draft (or the given text) as a 公文-format .docx."""
    if update.callback_query:
        await update.callback_query.answer("正在生成 Word 文件……")
    text = command_args(update)
    state = users(context).get(user_id(update))
    if not text:
        if state.draft is None:
            await reply(update, context, NO_DRAFT_TEXT)
            return
        text = state.draft.text
    today = dt.datetime.now(ZoneInfo(services(context).settings.timezone)).date()
    data = await asyncio.to_thread(render_docx, text, org=state.org, date=today)
    await context.bot.send_document(
        chat_id(update),
        data,
        filename=export_filename(text),
        caption="已按公文格式导出（A4，仿宋_GB2312 三号正文）。请核对【待补充】【待核实】处。",
    )
