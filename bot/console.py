"""`lawbot chat`: the bot's commands and flows in a terminal, as plain text.

Same core calls as the Telegram handlers; the console user's settings and draft are kept in
the same UserStore (user id 0), so they survive between sessions.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from bot.core.errors import InputError, LawbotError
from bot.core.report.userstate import Draft, draft_body
from bot.services import Services

logger = logging.getLogger(__name__)

CONSOLE_USER = 0
KIND_NAMES = {"report": "报告", "guidance": "工作指引", "law": "法规", "uploaded": "上传"}
REVISIONS = {"1": "重新生成", "2": "更简洁", "3": "更正式", "4": "扩写", "5": "导出Word"}
HELP = """可用命令（直接输入文字即为提问）：
  /ask 问题          提问：报告要求、时限、程序、公文格式等
  /draft [栏目]      分栏目起草报告（会依次询问栏目和本单位情况）
  /examples 主题     查看范文片段及出处
  /outline           生成整篇报告提纲
  /check [文字]      检查文稿（不带文字时会请您粘贴，或输入 .docx 文件路径）
  /export [文件名]   把当前草稿导出为公文格式 Word
  /dates [天数]      近期重要日期
  /sources           知识库中的文档
  /settings          查看设置；/settings 单位 名称、/settings 年度 2025
  /help              本帮助
  /quit              退出"""
T = TypeVar("T")


class ConsoleChat:
    """A read-eval-print loop over the bot's commands."""

    def __init__(
        self,
        services: Services,
        *,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
    ) -> None:
        self.services = services
        self.read = read
        self.write = write
        self._runner = asyncio.Runner()

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> int:
        """Read commands until /quit or end of input; always returns 0."""
        self.write("法治助手（终端模式）。输入 /help 查看命令，/quit 退出。")
        try:
            while True:
                try:
                    line = self.read("> ").strip()
                except EOFError:
                    break
                if line in ("/quit", "/exit", "quit", "exit"):
                    break
                if line:
                    self.handle(line)
        except KeyboardInterrupt:
            pass
        finally:
            self._runner.close()
        self.write("再见。")
        return 0

    def handle(self, line: str) -> None:
        """One input line: a command or a question; errors become messages."""
        command, _, rest = line.partition(" ") if line.startswith("/") else ("", "", line)
        action = self._commands().get(command.split("@")[0])
        try:
            if command and action is None:
                self.write("没有这个命令。输入 /help 查看可用命令。")
            elif action is None:
                self.ask(rest)
            else:
                action(rest.strip())
        except LawbotError as error:
            self.write(f"错误：{error}")

    def _commands(self) -> dict[str, Callable[[str], None]]:
        return {
            "/start": lambda _: self.write(HELP),
            "/help": lambda _: self.write(HELP),
            "/ask": self.ask,
            "/draft": self.draft,
            "/examples": self.examples,
            "/outline": lambda _: self.outline(),
            "/check": self.check,
            "/export": self.export,
            "/dates": self.dates,
            "/sources": lambda _: self.sources(),
            "/settings": self.settings,
            "/cancel": lambda _: self.write("当前没有进行中的操作。"),
            "/subscribe": self._telegram_only,
            "/unsubscribe": self._telegram_only,
            "/remind": self._telegram_only,
            "/reminders": self._telegram_only,
        }

    # --- commands ---------------------------------------------------------------------
    def ask(self, question: str) -> None:
        if not question:
            self.write("请在 /ask 后写上问题，或直接输入问题。")
            return
        self.show(self._await(lambda w: w.ask(question)))

    def examples(self, topic: str) -> None:
        if not topic:
            self.write("用法：/examples 普法宣传")
            return
        self.show(self._await(lambda w: w.examples(topic)), with_sources=False)

    def outline(self) -> None:
        state = self._users().get(CONSOLE_USER)
        result = self._await(lambda w: w.outline(org=state.org, year=state.year))
        self._keep(result, Draft("", "outline"))

    def draft(self, wanted: str) -> None:
        from bot.core.writing.sections import load_sections, resolve_section

        sections = load_sections().sections
        if not wanted:
            for number, section in enumerate(sections, 1):
                self.write(f"  {number}. {section.name}")
            wanted = self._prompt("请选择栏目（序号或名称）：") or ""
            if not wanted:
                return
        if wanted.isdigit() and 1 <= int(wanted) <= len(sections):
            section = sections[int(wanted) - 1]
        else:
            section = resolve_section(wanted)
        facts = self._prompt(
            f"【{section.name}】请输入本单位的实际情况（做法、数字、成效），没有可输入「无」：\n"
        )
        if facts is None:
            return
        facts = "" if facts in ("无", "没有") else facts
        self._write_draft(section.key, facts)
        self._revise_loop()

    def _write_draft(self, section: str, facts: str) -> None:
        state = self._users().get(CONSOLE_USER)
        result = self._await(lambda w: w.draft(section, facts, org=state.org, year=state.year))
        self._keep(result, Draft("", section, facts))

    def _revise_loop(self) -> None:
        while True:
            options = "  ".join(f"{key} {label}" for key, label in REVISIONS.items())
            choice = self._prompt(f"下一步：{options}（直接回车结束）：")
            if not choice or choice not in REVISIONS:
                return
            current = self._users().get(CONSOLE_USER).draft
            assert current is not None
            label = REVISIONS[choice]
            if label == "导出Word":
                self.export("")
            elif label == "重新生成" and current.section and current.section != "outline":
                self._write_draft(current.section, current.facts)
            elif label == "重新生成":
                self.outline()
            else:
                self._revise(current, label)

    def _revise(self, current: Draft, instruction: str) -> None:
        facts = current.facts or None
        result = self._await(lambda w: w.revise(current.text, instruction, facts=facts))
        self._keep(result, current)

    def check(self, text: str) -> None:
        reviewer = self.services.reviewer
        if not text:
            entered = self._prompt("请粘贴要检查的文字（一行），或输入 .docx/.txt 文件路径：")
            if not entered:
                return
            text = entered
        if text.lower().endswith((".docx", ".txt", ".md", ".pdf")) and Path(text).is_file():
            from bot.core.knowledge.documents import load_document

            text = load_document(Path(text)).text
        state = self._users().get(CONSOLE_USER)
        findings = reviewer.check(text, state.year)
        if not findings:
            self.write("未发现问题。")
            return
        from bot.core.review.finding import KIND_LABELS

        self.write(f"检查发现 {len(findings)} 处问题：")
        groups: dict[str, list[Any]] = {}
        for finding in findings:
            groups.setdefault(finding.kind, []).append(finding)
        for kind, items in groups.items():
            self.write(f"【{KIND_LABELS.get(kind, kind)}】")
            for f in items:
                excerpt = f"「{f.excerpt}」" if f.excerpt else ""
                self.write(f"  • {f.location}：{excerpt} → {f.suggestion}")

    def export(self, target: str) -> None:
        from bot.core.export.word import export_filename, write_docx

        state = self._users().get(CONSOLE_USER)
        if state.draft is None:
            self.write("还没有草稿。请先用 /draft 起草，或用 /outline 生成提纲。")
            return
        out = Path(target or export_filename(state.draft.text))
        today = dt.datetime.now(ZoneInfo(self.services.settings.timezone)).date()
        path = write_docx(state.draft.text, out, org=state.org, date=today)
        self.write(f"已导出：{path.resolve()}")

    def dates(self, days_text: str) -> None:
        from bot.core.calendar.reminder_text import describe_dates

        days = int(days_text) if days_text.isdigit() and 0 < int(days_text) <= 366 else 90
        calendar, store = self.services.calendar, self.services.reminders
        today = dt.datetime.now(ZoneInfo(self.services.settings.timezone)).date()
        found = calendar.occurrences(today, today + dt.timedelta(days=days), store.confirmed())
        self.write(f"未来 {days} 天的重要日期：\n{describe_dates(found)}")

    def sources(self) -> None:
        infos = self.services.knowledge.sources()
        if not infos:
            self.write("知识库还是空的。请先运行 lawbot ingest。")
        for number, info in enumerate(infos, 1):
            kind = KIND_NAMES.get(info.kind, info.kind)
            self.write(f"{number}. 《{info.title}》 · {kind} · {info.chunks} 段")

    def settings(self, args: str) -> None:
        store = self._users()
        field, _, value = args.partition(" ")
        value = value.strip()
        if field in ("单位", "单位名称") and value:
            store.set_profile(CONSOLE_USER, org=value)
        elif field == "年度" and value:
            if not (value.isdigit() and 2000 <= int(value) <= 2100):
                raise InputError("年度应为四位数字，例如：2025")
            store.set_profile(CONSOLE_USER, year=int(value))
        elif args:
            raise InputError("用法：/settings 单位 鲁山县仓头乡人民政府 或 /settings 年度 2025")
        state = store.get(CONSOLE_USER)
        self.write(f"单位名称：{state.org or '未设置'}；年度：{state.year or '未设置'}")

    def _telegram_only(self, _: str) -> None:
        self.write("提醒需要在 Telegram 中使用（终端里可用 /dates 查看重要日期）。")

    # --- helpers ----------------------------------------------------------------------
    def show(self, result: Any, *, with_sources: bool = True) -> None:
        """A writer Result as plain text: text, notices, numbered sources."""
        self.write(result.text.strip())
        for warning in result.warnings:
            if warning:
                self.write(f"⚠ {warning}")
        citations = list(dict.fromkeys(p.citation for p in result.sources))
        if citations and with_sources:
            self.write("参考来源：")
            for number, citation in enumerate(citations, 1):
                self.write(f"  {number}. {citation}")

    def _keep(self, result: Any, base: Draft) -> None:
        citations = tuple(dict.fromkeys(p.citation for p in result.sources))
        draft = Draft(draft_body(result.text), base.section, base.facts, citations or base.sources)
        self._users().save_draft(CONSOLE_USER, draft)
        self.show(result)

    def _prompt(self, text: str) -> str | None:
        """Ask for one line; None at end of input."""
        try:
            line = self.read(text).strip()
        except EOFError:
            return None
        return None if line == "/cancel" else line

    def _await(self, call: Callable[[Any], Awaitable[T]]) -> T:
        writer = self.services.writer
        return self._runner.run(_as_coroutine(call(writer)))

    def _users(self) -> Any:
        return self.services.users


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable
