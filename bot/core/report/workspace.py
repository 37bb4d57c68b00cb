"""The report workspace: what every edge calls to build, check and export one whole report.

Telegram, the console and the CLI call the same methods with an owner id and `now`; every change
goes through ReportStore as a new version, so undo, restarts and crashes lose nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.errors import InputError
from bot.core.knowledge.timewords import TimeFrame
from bot.core.normalization import normalize_text
from bot.core.report.facts import FiledFact, file_facts
from bot.core.report.importing import SplitReport, as_base, split_report
from bot.core.report.model import (
    OPENING,
    UNSORTED,
    Report,
    default_report_year,
    part_name,
    resolve_part,
)
from bot.core.report.store import ReportStore
from bot.core.report.userstate import draft_body
from bot.core.review.finding import Finding
from bot.core.review.unfinished import find_placeholders
from bot.core.writing.composer import group_facts, point_score
from bot.core.writing.sections import Section

if TYPE_CHECKING:
    from bot.core.review import Reviewer
    from bot.core.writing.writer import Result, Writer

MAX_PART_CHARS = 20_000
TITLE_PART = "标题"


class UnfinishedReportError(InputError):
    """Export refused: placeholders or unplaced text remain (the user may force it)."""


@dataclass(frozen=True)
class Drafted:
    """A part drafted into the report."""

    report: Report
    key: str
    topic: str  # the topic's name when a topic was drafted into its part, else ""
    result: Result


@dataclass(frozen=True)
class Imported:
    """What an import did."""

    report: Report
    split: SplitReport
    replaced_figures: int  # figures turned into 【待更新】 (base imports)


@dataclass(frozen=True)
class PartFinding:
    """A proofreading finding with the part it is in."""

    part: str  # the part's name, 标题, or "" when it cannot be told
    finding: Finding


class ReportWorkspace:
    """Builds reports from the outline, the user's facts, drafts, pasted and imported text."""

    def __init__(self, store: ReportStore, writer: Writer, reviewer: Reviewer) -> None:
        self.store = store
        self.writer = writer
        self.reviewer = reviewer
        self.catalog = store.catalog

    # --- which report ----------------------------------------------------------------
    def open(self, owner: str, org: str, year: int, now: dt.datetime) -> Report:
        if not 2000 <= year <= 2100:
            raise InputError("年度应为四位数字，例如：2026")
        if len(org) > 60:
            raise InputError("单位名称过长，请控制在 60 个字以内。")
        return self.store.open(owner, org, year, now)

    def current(self, owner: str) -> Report | None:
        return self.store.current(owner)

    def require(self, owner: str) -> Report:
        return self.store.require(owner)

    def time_frame(self, owner: str, today: dt.date, *, year: int | None = None) -> TimeFrame:
        """The day a question is asked and the report year the asker works on: their open
        report's, else `year` (their settings), else the year a report written today is about."""
        report = self.current(owner)
        return TimeFrame(today, report.year if report else year or default_report_year(today))

    # --- changes -----------------------------------------------------------------------
    def set_text(
        self, owner: str, part: str, text: str, now: dt.datetime, *, origin: str = "pasted"
    ) -> tuple[Report, str]:
        """Replace a part's text with what the user pasted; returns the report and part key."""
        key = self._key(part)
        text = _checked_text(text)
        report = self.store.change(
            owner,
            f"替换“{part_name(self.catalog, key)}”",
            lambda r: r.with_part(key, text=text, origin=origin, changed_at=now.isoformat()),
            now,
        )
        return report, key

    def clear(self, owner: str, part: str, now: dt.datetime) -> tuple[Report, str]:
        key = self._key(part)
        report = self.store.change(
            owner,
            f"清空“{part_name(self.catalog, key)}”",
            lambda r: r.with_part(key, text="", origin="", changed_at=now.isoformat()),
            now,
        )
        return report, key

    def add_facts(
        self, owner: str, text: str, now: dt.datetime, *, part: str | None = None
    ) -> tuple[Report, list[FiledFact]]:
        """File the user's facts under the parts they are about (or under `part`)."""
        text = (text or "").strip()
        if not text:
            raise InputError("没有收到事实材料。例如：普法宣传活动12场，发放资料3000份")
        if len(text) > 2000:
            raise InputError(
                f"一次发送的事实太长了（{len(text)} 字），请分几次发送，每次不超过 2000 字。"
            )
        year = self.require(owner).year
        if part is None:
            filed = file_facts(text, self.catalog, year=year)
        else:
            key = self._key(part)
            if key in (OPENING, UNSORTED):
                raise InputError("事实只能归入报告的五个部分（1–5）。")
            points = self.catalog.get(key).points
            filed = [
                FiledFact(key, points[index].title if index >= 0 else "", phrase)
                for index, phrase in group_facts(text, points)
            ]

        def edit(report: Report) -> Report:
            for fact in filed:
                current = report.part(fact.part)
                if fact.text not in current.facts:
                    report = report.with_part(
                        fact.part, facts=(*current.facts, fact.text), changed_at=now.isoformat()
                    )
            return report

        return self.store.change(owner, f"补充事实 {len(filed)} 条", edit, now), filed

    async def draft(self, owner: str, part: str, now: dt.datetime, *, facts: str = "") -> Drafted:
        """Draft a part (or a topic inside it) from all facts given for it, and store it.

        A part's draft replaces its text; a topic's draft is added to the end of its part."""
        key, topic = resolve_part(part, self.catalog)
        if key in (OPENING, UNSORTED):
            raise InputError("开头段请直接粘贴或修改；可以起草的是报告的五个部分。")
        if facts.strip():
            self.add_facts(owner, facts, now, part=key)  # what is said while drafting X is for X
        report = self.require(owner)
        given = report.part(key).facts
        if topic is not None:
            given = tuple(f for f in given if _fits(f, topic)) or given
        target = topic or report.section(key)
        all_facts = "\n".join(given)
        result = await self.writer.draft(
            target, all_facts, org=report.org or None, year=report.year
        )
        body = draft_body(result.text)

        def edit(r: Report) -> Report:
            if topic is None:
                text = body
            else:
                existing = r.part(key)
                kept = existing.text if existing.is_filled else ""
                text = f"{kept}\n{body}".strip()
            return r.with_part(key, text=text, origin="drafted", changed_at=now.isoformat())

        what = (
            f"起草“{topic.name}”并入“{part_name(self.catalog, key)}”"
            if topic
            else f"起草“{part_name(self.catalog, key)}”"
        )
        report = self.store.change(owner, what, edit, now)
        return Drafted(report, key, topic.name if topic else "", result)

    def import_text(
        self, owner: str, text: str, now: dt.datetime, *, base: bool = False
    ) -> Imported:
        """Split an existing report into the parts and store them (as a base: figures to 更新)."""
        split = split_report(text, self.catalog)
        replaced = 0
        origin = "base" if base else "imported"
        texts = {OPENING: split.opening, **split.parts, UNSORTED: split.unsorted}
        if base:
            fixed = self.catalog.fixed_expressions
            for key, value in texts.items():
                texts[key], count = as_base(value, fixed)
                replaced += count

        def edit(report: Report) -> Report:
            for key, value in texts.items():
                if value.strip():
                    part_origin = origin if key != UNSORTED else "imported"
                    report = report.with_part(
                        key, text=value, origin=part_origin, changed_at=now.isoformat()
                    )
            return report

        what = "以上年报告为底稿导入" if base else "导入已有稿件"
        return Imported(self.store.change(owner, what, edit, now), split, replaced)

    def undo(self, owner: str) -> tuple[Report, str]:
        return self.store.undo(owner)

    # --- check and export --------------------------------------------------------------
    async def check(self, owner: str) -> list[PartFinding]:
        """Every finding on the assembled report, each with the part it is in; placeholders
        and text not yet placed in a part are findings too."""
        report = self.require(owner)
        findings = await asyncio.to_thread(self.reviewer.check, report.assemble(), report.year)
        texts = self._part_texts(report)
        located = [
            PartFinding(next((n for n, text in texts if f.excerpt and f.excerpt in text), ""), f)
            for f in findings
        ]
        if report.part(UNSORTED).text.strip():
            located.append(
                PartFinding(
                    report.name(UNSORTED),
                    Finding(
                        "unfinished",
                        "error",
                        report.part(UNSORTED).text.strip()[:20],
                        "导入的内容",
                        "这部分文字未归入报告的任何部分，不会导出：请移入相应部分或清空",
                    ),
                )
            )
        return located

    def export(self, owner: str, date: dt.date, *, force: bool = False) -> tuple[bytes, str]:
        """The whole report as .docx bytes and a file name; refuses while unfinished unless
        `force`."""
        from bot.core.export.word import export_filename, render_docx

        report = self.require(owner)
        body = report.assemble(with_title=False)
        left = len(find_placeholders(body))  # an empty part counts: it reads 【待补充】
        unplaced = bool(report.part(UNSORTED).text.strip())
        if (left or unplaced) and not force:
            reasons = []
            if left:
                reasons.append(f"还有 {left} 处未完成（【待补充】【待核实】【待更新】或“需收集”）")
            if unplaced:
                reasons.append("有导入的内容未归入任何部分")
            raise UnfinishedReportError(
                "报告"
                + "，".join(reasons)
                + "。请补全后再导出；如需先导出草稿核对，可选择“仍然导出”"
                "（命令行加 --force）。"
            )
        data = render_docx(body, title=report.title, org=report.org or None, date=date)
        return data, export_filename(body, title=report.title)

    # --- helpers -----------------------------------------------------------------------
    def _key(self, part: str) -> str:
        return resolve_part(part, self.catalog)[0]

    @staticmethod
    def _part_texts(report: Report) -> list[tuple[str, str]]:
        """(part name, normalised text) to find findings in: the proofreader quotes normalised
        text. The title first, then each part with its heading."""
        texts = [(TITLE_PART, normalize_text(report.title))]
        for part in report.parts:
            if part.key == UNSORTED:
                continue
            heading = report.heading(part.key) if part.key != OPENING else ""
            texts.append((report.name(part.key), normalize_text(f"{heading}\n{part.text}")))
        return texts


def _checked_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise InputError("没有收到文字：部分内容不能为空（要清空请选择“清空”）。")
    if len(text) > MAX_PART_CHARS:
        raise InputError(
            f"文字太长了（{len(text)} 字），一个部分请控制在 {MAX_PART_CHARS} 字以内。"
        )
    return text


def _fits(fact: str, topic: Section) -> bool:
    return any(point_score(point, fact) > 0 for point in topic.points)
