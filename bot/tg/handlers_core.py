"""Everyday commands: /start /help /ask /examples /settings /cancel, and plain text.

Plain text answers whatever the user was asked last (facts for a draft, text to check, a part's
new text, a setting); otherwise figures without a question are facts for the report, and
anything else is a question.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.core.errors import InputError
from bot.core.report.facts import looks_like_facts
from bot.tg import handlers_check, handlers_draft, handlers_report
from bot.tg.formatting import escape, format_result
from bot.tg.handlers_common import (
    Context,
    command_args,
    exclusive,
    message_text,
    reply,
    services,
    user_id,
    users,
)

logger = logging.getLogger(__name__)

# (command, description) in menu order; registered with set_my_commands and shown by /help.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "开始使用，查看能做什么"),
    ("ask", "提问：报告要求、时限、程序、公文格式等"),
    ("report", "整篇年度报告：各部分状态、填写、导入、检查、导出"),
    ("draft", "分栏目起草报告，存入整篇报告"),
    ("facts", "补充事实，自动归入报告相应部分"),
    ("undo", "撤销报告的上一次修改"),
    ("examples", "查看某个主题的范文片段及出处"),
    ("outline", "查看整篇报告提纲"),
    ("check", "检查整篇报告或其他文稿"),
    ("export", "把整篇报告导出为公文格式 Word"),
    ("dates", "近期法治宣传重要日期"),
    ("subscribe", "订阅重要日期提醒"),
    ("unsubscribe", "取消订阅提醒"),
    ("remind", "添加自定义提醒"),
    ("reminders", "查看和删除我的提醒"),
    ("sources", "知识库中的文档"),
    ("settings", "设置单位名称和年度"),
    ("cancel", "取消当前操作"),
    ("help", "使用帮助"),
)

START_TEXT = (
    "您好！我是<b>法治助手</b>，帮助乡镇、县直单位做好法治政府建设工作：\n\n"
    "• 陪您完成整篇年度法治政府建设情况报告：按提纲逐部分填写、起草、导入旧稿，"
    "随时检查还缺什么，最后导出公文格式 Word\n"
    "• 起草报告的各部分，依据其他乡镇的写法和您提供的情况\n"
    "• 查看范文片段，每段都注明出处\n"
    "• 解答报告要求、报送时限、重大行政决策程序、公文格式等问题\n"
    "• 检查文稿的结构、编号、规范表述和错别字\n"
    "• 导出公文格式的 Word 文件\n"
    "• 提醒宪法宣传周、民法典宣传月等重要日期\n\n"
    "直接输入问题即可提问，或点击下面的按钮开始。"
)
EXAMPLES_USAGE = (
    "请在命令后写上主题，例如：\n"
    "<code>/examples 普法宣传</code>\n<code>/examples 矛盾纠纷化解</code>"
)
ASK_USAGE = "请直接发送您的问题，例如：\n<code>法治政府建设年度报告什么时候报送？</code>"
SETTING_STEPS = {"settings_org": "单位名称", "settings_year": "年度"}


def start_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("我的报告", callback_data="menu:report"),
                InlineKeyboardButton("起草一部分", callback_data="menu:draft"),
            ],
            [
                InlineKeyboardButton("检查文稿", callback_data="menu:check"),
                InlineKeyboardButton("重要日期", callback_data="menu:dates"),
            ],
            [
                InlineKeyboardButton("设置单位和年度", callback_data="menu:settings"),
                InlineKeyboardButton("使用帮助", callback_data="menu:help"),
            ],
        ]
    )


async def start(update: Update, context: Context) -> None:
    """Say what the bot can do, with buttons."""
    await reply(update, context, START_TEXT, start_keyboard())


async def help_command(update: Update, context: Context) -> None:
    """List the commands."""
    lines = [f"/{name} — {escape(text)}" for name, text in COMMANDS]
    text = (
        "<b>使用帮助</b>\n\n"
        + "\n".join(lines)
        + "\n\n直接发送文字即为提问；任何步骤中发送 /cancel 可取消。"
    )
    await reply(update, context, text)


async def cancel(update: Update, context: Context) -> None:
    """Leave whatever step the user is in."""
    store = users(context)
    uid = user_id(update)
    had_step = bool(store.get(uid).step)
    store.set_step(uid, "")
    if update.callback_query:
        await update.callback_query.answer("已取消")
    await reply(update, context, "已取消。" if had_step else "当前没有进行中的操作。")


async def ask(update: Update, context: Context) -> None:
    """/ask QUESTION (or just type the question)."""
    question = command_args(update)
    if not question:
        await reply(update, context, ASK_USAGE)
        return
    await answer_question(update, context, question)


@exclusive
async def answer_question(update: Update, context: Context, question: str = "") -> None:
    """Ask the writer and reply with its answer and sources."""
    question = question or message_text(update)
    writer = services(context).writer
    result = await writer.ask(question, when=handlers_report.time_frame(update, context))
    await reply(update, context, format_result(result))


async def examples(update: Update, context: Context) -> None:
    """/examples TOPIC: example passages with where each comes from."""
    topic = command_args(update)
    if not topic:
        users(context).set_step(user_id(update), "examples")
        await reply(update, context, EXAMPLES_USAGE + "\n\n也可以直接发送主题。")
        return
    await show_examples(update, context, topic)


@exclusive
async def show_examples(update: Update, context: Context, topic: str = "") -> None:
    topic = topic or message_text(update)
    users(context).set_step(user_id(update), "")
    writer = services(context).writer
    result = await writer.examples(topic, when=handlers_report.time_frame(update, context))
    await reply(update, context, format_result(result, with_sources=False))


def settings_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("修改单位名称", callback_data="settings:org"),
                InlineKeyboardButton("修改年度", callback_data="settings:year"),
            ]
        ]
    )


async def settings(update: Update, context: Context) -> None:
    """/settings: show or change 单位名称 and 年度 (`/settings 年度 2025` works too)."""
    uid = user_id(update)
    args = command_args(update)
    if args:
        field, _, value = args.partition(" ")
        step = {"单位": "settings_org", "单位名称": "settings_org", "年度": "settings_year"}
        if field in step and value.strip():
            await _save_setting(update, context, step[field], value.strip())
            return
    state = users(context).get(uid)
    text = (
        "<b>当前设置</b>\n"
        f"单位名称：{escape(state.org or '未设置')}\n"
        f"年度：{state.year or '未设置'}\n\n"
        "起草和导出时会用到这些信息。"
    )
    await reply(update, context, text, settings_keyboard())


async def settings_button(update: Update, context: Context) -> None:
    """A press on 修改单位名称 / 修改年度."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    step = "settings_org" if query.data == "settings:org" else "settings_year"
    users(context).set_step(user_id(update), step)
    prompt = (
        "请发送单位全称，例如：<code>鲁山县仓头乡人民政府</code>"
        if step == "settings_org"
        else "请发送报告年度，例如：<code>2025</code>"
    )
    await reply(update, context, prompt + "\n（发送 /cancel 取消）")


async def _save_setting(update: Update, context: Context, step: str, value: str) -> None:
    uid = user_id(update)
    store = users(context)
    if step == "settings_year":
        if not (value.isdigit() and 2000 <= int(value) <= 2100):
            raise InputError("年度应为四位数字，例如：2025")
        store.set_profile(uid, year=int(value))
    else:
        if len(value) > 60:
            raise InputError("单位名称过长，请控制在 60 个字以内。")
        store.set_profile(uid, org=value)
    store.set_step(uid, "")
    await reply(update, context, f"已保存{SETTING_STEPS[step]}：{escape(value)}")


async def on_text(update: Update, context: Context) -> None:
    """Plain text: the answer to the current step, or a question."""
    text = message_text(update)
    if not text:
        return
    step = users(context).get(user_id(update)).step
    if step == "report_set":
        await handlers_report.save_pasted(update, context)
    elif step == "draft_facts":
        await handlers_draft.draft_from_facts(update, context)
    elif step == "draft_section" and handlers_draft.looks_like_section(text):
        await handlers_draft.choose_section_by_text(update, context)
    elif step == "check":
        await handlers_check.check_text(update, context)
    elif step == "examples":
        await show_examples(update, context)
    elif step in SETTING_STEPS:
        await _save_setting(update, context, step, text)
    elif looks_like_facts(text):
        await handlers_report.file_facts(update, context, text)
    else:
        await answer_question(update, context)


async def menu_button(update: Update, context: Context) -> None:
    """The buttons under /start run the matching command."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    target = (query.data or "").removeprefix("menu:")
    if target == "report":
        await handlers_report.report(update, context)
    elif target == "draft":
        await handlers_draft.draft(update, context)
    elif target == "outline":
        await handlers_draft.outline(update, context)
    elif target == "check":
        await handlers_check.check(update, context)
    elif target == "dates":
        from bot.tg.reminders import handlers as handlers_reminders

        await handlers_reminders.dates(update, context)
    elif target == "settings":
        await settings(update, context)
    else:
        await help_command(update, context)
