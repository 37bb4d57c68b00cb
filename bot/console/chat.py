"""`lawbot chat`: the bot's commands and flows in a terminal, as plain text.

Same core calls as the Telegram handlers; the console user's settings and draft are kept in
the same UserStore (user id 0) and the report in the workspace (owner "local", shared with
`lawbot report`), so they survive between sessions. Lines pasted together at the prompt are
taken as one message; prompts that want a text read until an empty line.
"""

from __future__ import annotations

import asyncio
import logging
import select
import sys
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.console.report import OWNER, REPORT_HELP, ReportCommands
from bot.core.errors import InputError, LawbotError
from bot.core.report.userstate import Draft
from bot.services import Services

logger = logging.getLogger(__name__)

CONSOLE_USER = 0
KIND_NAMES = {"report": "报告", "guidance": "工作指引", "law": "法规", "uploaded": "上传"}
REVISIONS = {"1": "重新生成", "2": "更简洁", "3": "更正式", "4": "扩写", "5": "导出整篇报告"}
HELP = f"""可用命令（直接输入文字即为提问）：
  /ask 问题          提问：报告要求、时限、程序、公文格式等
  /examples 主题     查看范文片段及出处
  /outline           查看整篇报告提纲
  /dates [天数]      近期重要日期
  /sources           知识库中的文档
  /settings          查看设置；/settings 单位 名称、/settings 年度 2025
  /help              本帮助
  /quit              退出

{REPORT_HELP}

提醒（/subscribe /remind）需要 Telegram 才能按时送达，终端中可用 /dates 查看重要日期。"""
PASTE_WAIT = 0.05  # seconds: lines arriving within this of each other were pasted together
T = TypeVar("T")


class ConsoleChat:
    """A read-eval-print loop over the bot's commands."""

    def __init__(
        self,
        services: Services,
        *,
        read: Callable[[str], str] = input,
        write: Callable[[str], None] = print,
        pasted: Callable[[], bool] | None = None,
    ) -> None:
        """`pasted()` tells whether more input is already waiting (a multi-line paste); by
        default it looks at the terminal when reading with input(), else never."""
        self.services = services
        self.read = read
        self.write = write
        self.pasted = pasted or (_stdin_has_more if read is input else lambda: False)
        self._runner = asyncio.Runner()
        self.reports = ReportCommands(self)

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> int:
        """Read commands until /quit or end of input; always returns 0."""
        self.write("法治助手（终端模式）。输入 /help 查看命令，/quit 退出。")
        try:
            while True:
                try:
                    line = self._read_message()
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

    def _read_message(self) -> str:
        """One message: a line, plus the lines pasted with it."""
        lines = [self.read("> ")]
        while self.pasted():
            try:
                lines.append(self.read(""))
            except EOFError:
                break
        return "\n".join(lines).strip()

    def handle(self, line: str) -> None:
        """One message: a command or a question; errors become messages."""
        head, newline, tail = line.partition("\n")
        command, _, rest = head.partition(" ") if line.startswith("/") else ("", "", line)
        if command and newline:
            rest = f"{rest}\n{tail}"
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
            "/report": self.reports.report,
            "/facts": self.reports.facts,
            "/set": self.reports.set_part,
            "/clear": self.reports.clear,
            "/import": self.reports.import_file,
            "/undo": lambda _: self.reports.undo(),
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
        when = self.reports.time_frame()
        self.show(self._await(lambda w: w.ask(question, when=when)))

    def examples(self, topic: str) -> None:
        if not topic:
            self.write("用法：/examples 普法宣传")
            return
        when = self.reports.time_frame()
        self.show(self._await(lambda w: w.examples(topic, when=when)), with_sources=False)

    def outline(self) -> None:
        state = self._users().get(CONSOLE_USER)
        result = self._await(lambda w: w.outline(org=state.org, year=state.year))
        self.show(result)
        self.write("（用 /report 查看和填写整篇报告：它按这份提纲建立。）")

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
        """Draft into the report and remember it as the draft the revision loop works on."""
        self.reports.ensure()
        drafted = self.run_async(
            self.services.workspace.draft(OWNER, section, self.reports.now(), facts=facts)
        )
        part = drafted.report.part(drafted.key)
        self.show(drafted.result)
        where = drafted.report.name(drafted.key)
        self.write(f"已存入报告“{where}”（第 {drafted.report.version} 版，/undo 可撤销）。")
        self._users().save_draft(CONSOLE_USER, Draft(part.text, section, facts))
        self._drafted_version = drafted.report.version

    def _revise_loop(self) -> None:
        while True:
            options = "  ".join(f"{key} {label}" for key, label in REVISIONS.items())
            choice = self._prompt(f"下一步：{options}（直接回车结束）：")
            if not choice or choice not in REVISIONS:
                return
            current = self._users().get(CONSOLE_USER).draft
            assert current is not None
            label = REVISIONS[choice]
            if label == "导出整篇报告":
                self.reports.export("")
            elif label == "重新生成":
                report = self.services.workspace.require(OWNER)
                if report.version == getattr(self, "_drafted_version", None):
                    self.services.workspace.undo(OWNER)  # replace the draft, do not add to it
                self._write_draft(current.section, "")
            else:
                self._revise(current, label)

    def _revise(self, current: Draft, instruction: str) -> None:
        facts = current.facts or None
        result = self._await(lambda w: w.revise(current.text, instruction, facts=facts))
        self.show(result)
        if result.text.splitlines()[0].endswith("原文未改动。】"):
            return
        from bot.core.report.userstate import draft_body

        text = draft_body(result.text)
        report, key = self.services.workspace.set_text(
            OWNER, current.section, text, self.reports.now(), origin="drafted"
        )
        self._users().save_draft(CONSOLE_USER, Draft(text, current.section, current.facts))
        self._drafted_version = report.version
        self.write(f"已更新报告“{report.name(key)}”（/undo 可撤销）。")

    def check(self, text: str) -> None:
        """/check: the whole report; /check TEXT or a file path: that text."""
        if not text and self.services.workspace.current(OWNER) is not None:
            self.reports.check()
            self.write("（检查其他文稿：/check 文字，或 /check 文件路径）")
            return
        if not text:
            text = self.read_block("请粘贴要检查的文字（以空行结束），或输入文件路径：\n") or ""
            if not text:
                return
        if text.lower().endswith((".docx", ".txt", ".md", ".pdf")) and Path(text).is_file():
            from bot.core.knowledge.documents import load_document

            text = load_document(Path(text)).text
        state = self._users().get(CONSOLE_USER)
        findings = self.services.reviewer.check(text, state.year)
        from bot.cli.review import format_findings

        self.write(format_findings(findings))

    def export(self, target: str) -> None:
        """/export [文件名.docx]: the whole report; /export 草稿 [文件名]: the last draft only."""
        if not target.startswith("草稿"):
            self.reports.export(target)
            return
        from bot.core.export.word import export_filename, write_docx

        state = self._users().get(CONSOLE_USER)
        if state.draft is None:
            self.write("还没有草稿。请先用 /draft 起草。")
            return
        out = Path(target.removeprefix("草稿").strip() or export_filename(state.draft.text))
        path = write_docx(state.draft.text, out, org=state.org, date=self.reports.now().date())
        self.write(f"已导出：{path.resolve()}")

    def dates(self, days_text: str) -> None:
        from bot.core.calendar.reminder_text import describe_dates

        days = int(days_text) if days_text.isdigit() and 0 < int(days_text) <= 366 else 90
        calendar, store = self.services.calendar, self.services.reminders
        today = self.reports.now().date()
        found = calendar.occurrences(today, today + timedelta(days=days), store.confirmed())
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

    def _prompt(self, text: str) -> str | None:
        """Ask for one line; None at end of input."""
        try:
            line = self.read(text).strip()
        except EOFError:
            return None
        return None if line == "/cancel" else line

    prompt = _prompt

    def read_block(self, text: str) -> str | None:
        """Ask for a text of several lines, ended by an empty line; None at end of input."""
        lines: list[str] = []
        prompt = text
        while True:
            try:
                line = self.read(prompt)
            except EOFError:
                break
            prompt = ""
            if not line.strip() or line.strip() == "/cancel":
                if line.strip() == "/cancel":
                    return None
                break
            lines.append(line.rstrip())
        return "\n".join(lines).strip() or None

    def run_async(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self._runner.run(coroutine)

    def _await(self, call: Callable[[Any], Awaitable[T]]) -> T:
        writer = self.services.writer
        return self._runner.run(_as_coroutine(call(writer)))

    def _users(self) -> Any:
        return self.services.users


async def _as_coroutine(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _stdin_has_more() -> bool:
    """Whether more input is already waiting on stdin (the rest of a pasted text)."""
    try:
        ready, _, _ = select.select([sys.stdin], [], [], PASTE_WAIT)
    except (OSError, ValueError):  # not a selectable stream (e.g. replaced in tests)
        return False
    return bool(ready)
