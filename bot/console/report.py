"""The report workspace in the terminal: /report /facts /set /clear /import /undo, and the
whole-report /check and /export. The owner is "local", the same report `lawbot report` edits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import InputError
from bot.core.knowledge.timewords import TimeFrame
from bot.core.report.model import Report, default_report_year

if TYPE_CHECKING:
    from bot.console.chat import ConsoleChat

OWNER = "local"
REPORT_HELP = """报告工作区（整篇报告，按提纲逐部分完成）：
  /report                查看报告各部分的状态；/report 新建 单位名称 年度
  /report 查看 N         查看第 N 部分（0 开头，1–5 五个部分）
  /facts 事实            补充事实，自动归入相应部分（如：普法活动12场，发放资料3000份）
  /draft [部分]          起草某一部分并存入报告
  /set N                 粘贴文字替换第 N 部分（以空行结束）
  /clear N               清空第 N 部分
  /import 路径 [--base]  导入已有稿件（--base：以上年报告为底稿，数字和年份改为【待更新】）
  /undo                  撤销上一次修改
  /check                 检查整篇报告；/check 文字 或 文件路径 检查其他文稿
  /export [文件名.docx]  导出整篇报告；/export 草稿 [文件名] 只导出最近一次起草的文字"""


class ReportCommands:
    """Report commands for one ConsoleChat (it reads, writes and runs coroutines)."""

    def __init__(self, chat: ConsoleChat) -> None:
        self.chat = chat
        self.workspace = chat.services.workspace

    def now(self) -> dt.datetime:
        return self.chat.services.now()

    def time_frame(self) -> TimeFrame:
        """Today, and the report year worked on here (for 明年、今年 in questions)."""
        year = self.chat.services.users.get(0).year  # the console user (see ensure)
        return self.workspace.time_frame(OWNER, self.now().date(), year=year)

    def ensure(self) -> Report:
        """The current report, or a new one for the unit and year in /settings."""
        report = self.workspace.current(OWNER)
        if report is not None:
            return report
        state = self.chat.services.users.get(0)
        year = state.year or default_report_year(self.now().date())
        report = self.workspace.open(OWNER, state.org or "", year, self.now())
        self.chat.write(f"已新建报告：《{report.title}》。可用 /report 新建 单位名称 年度 修改。")
        return report

    # --- commands ------------------------------------------------------------------------
    def report(self, args: str) -> None:
        from bot.core.report.status import describe_status, report_status

        action, _, rest = args.partition(" ")
        if action in ("新建", "new"):
            org, _, year = rest.strip().rpartition(" ")
            if not (org.strip() and year.isdigit()):
                raise InputError("用法：/report 新建 青石镇人民政府 2026")
            report = self.workspace.open(OWNER, org.strip(), int(year), self.now())
            self.chat.services.users.set_profile(0, org=org.strip(), year=int(year))
            self.chat.write(f"当前报告：《{report.title}》")
            return
        report = self.ensure()
        if action in ("查看", "view") and rest.strip():
            from bot.core.report.model import resolve_part

            key, _ = resolve_part(rest.strip(), report.catalog)
            self.chat.write(f"【{report.name(key)}】\n{report.part(key).text or '（空）'}")
            return
        if action:
            raise InputError("用法：/report、/report 新建 单位名称 年度、/report 查看 1")
        self.chat.write(describe_status(report_status(report)))
        self.chat.write("（/help 查看报告相关命令）")

    def facts(self, text: str) -> None:
        if not text:
            text = self.chat.read_block("请输入事实（可多行，以空行结束）：\n") or ""
            if not text:
                return
        self.ensure()
        report, filed = self.workspace.add_facts(OWNER, text, self.now())
        for fact in filed:
            point = f" · {fact.point}" if fact.point else ""
            self.chat.write(f"「{fact.text}」→ {report.name(fact.part)}{point}")

    def set_part(self, part: str) -> None:
        if not part:
            raise InputError("用法：/set 2 然后粘贴文字（以空行结束）")
        report = self.ensure()
        from bot.core.report.model import resolve_part

        key, _ = resolve_part(part, report.catalog)
        text = self.chat.read_block(f"请粘贴“{report.name(key)}”的文字（以空行结束）：\n")
        if not text:
            self.chat.write("没有收到文字，未作修改。")
            return
        report, key = self.workspace.set_text(OWNER, key, text, self.now())
        self.chat.write(f"已存入“{report.name(key)}”（第 {report.version} 版，/undo 可撤销）。")

    def clear(self, part: str) -> None:
        if not part:
            raise InputError("用法：/clear 2")
        self.ensure()
        report, key = self.workspace.clear(OWNER, part, self.now())
        self.chat.write(f"已清空“{report.name(key)}”（/undo 可撤销）。")

    def import_file(self, args: str) -> None:
        from bot.cli.report import describe_import
        from bot.core.knowledge.documents import load_document

        base = "--base" in args.split()
        name = " ".join(word for word in args.split() if word != "--base")
        path = Path(name)
        if not name or path.suffix.lower() not in (".docx", ".txt", ".md"):
            raise InputError("用法：/import 稿件.docx（可加 --base 作为上年底稿）")
        if not path.is_file():
            raise InputError(f"找不到文件：{name}")
        self.ensure()
        imported = self.workspace.import_text(
            OWNER, load_document(path).text, self.now(), base=base
        )
        self.chat.write(describe_import(imported))

    def undo(self) -> None:
        report, undone = self.workspace.undo(OWNER)
        self.chat.write(f"已撤销：{undone}（现为第 {report.version} 版）。")

    def check(self) -> None:
        from bot.core.report.status import describe_findings

        findings = self.chat.run_async(self.workspace.check(OWNER))
        self.chat.write(describe_findings(findings))

    def export(self, target: str) -> None:
        from bot.core.report.workspace import UnfinishedReportError

        report = self.ensure()
        date = self.chat.services.settings.report_date or self.now().date()
        try:
            data, name = self.workspace.export(OWNER, date)
        except UnfinishedReportError as error:
            self.chat.write(str(error))
            answer = self.chat.prompt("仍然导出？输入 y 确认，其他取消：")
            if (answer or "").lower() not in ("y", "yes", "是"):
                self.chat.write("已取消导出。")
                return
            data, name = self.workspace.export(OWNER, date, force=True)
        out = Path(target or name)
        if out.suffix.lower() != ".docx":
            raise InputError(f"输出文件名须以 .docx 结尾：{out}")
        out.write_bytes(data)
        self.chat.write(f"已导出整篇报告《{report.title}》：{out.resolve()}")
