"""Guided drafting: /draft → section buttons → facts → draft saved into the report → revise.

Each draft goes into the chat's report (a topic is added to the end of its part); the step and
the draft being revised live in UserStore, so a restart in the middle loses nothing.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError
from bot.core.export.word import export_filename, render_docx
from bot.core.report.model import resolve_part
from bot.core.report.userstate import Draft, draft_body
from bot.core.writing.sections import Section, load_sections, resolve_section
from bot.tg import handlers_report
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
NO_DRAFT_TEXT = "还没有草稿。请先用 /draft 起草，或用 /report 查看整篇报告。"
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
            [
                InlineKeyboardButton("查看整篇报告", callback_data="rp:status"),
                InlineKeyboardButton("导出整篇报告", callback_data="rp:export"),
            ],
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
async def draft_part(update: Update, context: Context, key: str) -> None:
    """起草 under /report: draft now from the facts already given, or ask for them first."""
    current = handlers_report.ensure_report(update, context)
    if current.part(key).facts:
        await _draft_into_report(update, context, key, "")
    else:
        await _ask_for_facts(update, context, load_sections().get(key))


@exclusive
async def draft_from_facts(update: Update, context: Context) -> None:
    """The facts arrived: write the draft into the report."""
    state = users(context).get(user_id(update))
    section = state.step_section or "measures"
    facts = message_text(update)
    facts = "" if facts in ("无", "没有", "暂无") else facts
    await _draft_into_report(update, context, section, facts)


async def _draft_into_report(update: Update, context: Context, section: str, facts: str) -> None:
    handlers_report.ensure_report(update, context)
    workspace = services(context).workspace
    drafted = await workspace.draft(
        handlers_report.owner(update), section, handlers_report.now(context), facts=facts
    )
    text = drafted.report.part(drafted.key).text
    users(context).save_draft(user_id(update), Draft(text, section, facts))
    where = drafted.report.name(drafted.key)
    how = f"专题“{drafted.topic}”已加在本部分末尾" if drafted.topic else "已替换本部分原有内容"
    note = f"\n\n📌 已存入报告“{escape(where)}”（{how}，/undo 可撤销）。"
    shown = drafted.result
    html = format_result(shown) + note + await _findings_html(context, text, update)
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
    """重新生成 / 更简洁 / 更正式 / 扩写 on the draft just made; the report follows."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    state = users(context).get(user_id(update))
    current = state.draft
    if current is None or not current.section or current.section == "outline":
        await reply(update, context, NO_DRAFT_TEXT)
        return
    key = (query.data or "").removeprefix("rev:")
    workspace = services(context).workspace
    owner = handlers_report.owner(update)
    if key == "regen":
        part_key = resolve_part(current.section, workspace.catalog)[0]
        report = workspace.require(owner)
        if report.part(part_key).text == current.text and report.part(part_key).origin == "drafted":
            workspace.undo(owner)  # the draft is replaced, not added to again
        await _draft_into_report(update, context, current.section, "")
        return
    instruction = REVISIONS.get(key, ("", key))[1]
    writer = services(context).writer
    result = await writer.revise(current.text, instruction, facts=current.facts or None)
    html = format_result(result)
    if not result.text.splitlines()[0].endswith("原文未改动。】"):
        text = draft_body(result.text)
        report, part = workspace.set_text(
            owner, current.section, text, handlers_report.now(context), origin="drafted"
        )
        users(context).save_draft(user_id(update), Draft(text, current.section, current.facts))
        html += f"\n\n📌 已更新报告“{escape(report.name(part))}”（/undo 可撤销）。"
    await reply(update, context, html, draft_keyboard())


async def outline(update: Update, context: Context) -> None:
    """/outline: the whole report's outline in the required order."""
    state = users(context).get(user_id(update))
    writer = services(context).writer
    result = await writer.outline(org=state.org, year=state.year)
    note = "\n\n整篇报告按这份提纲建立：发送 /report 查看和填写各部分。"
    await reply(update, context, format_result(result) + note)


async def export(update: Update, context: Context) -> None:
    """/export: the whole report as .docx; /export 文字: just that text."""
    text = command_args(update)
    if not text:
        await handlers_report.export_report(update, context)
        return
    state = users(context).get(user_id(update))
    today = handlers_report.now(context).date()
    data = await asyncio.to_thread(render_docx, text, org=state.org, date=today)
    await context.bot.send_document(
        chat_id(update),
        data,
        filename=export_filename(text),
        caption="已按公文格式导出（A4，仿宋_GB2312 三号正文）。请核对【待补充】【待核实】处。",
    )
