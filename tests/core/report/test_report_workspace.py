"""The report workspace on a real SQLite file, the real knowledge base and the offline writer."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document

from bot.core.errors import InputError
from bot.core.report.model import OPENING, UNSORTED
from bot.core.report.status import describe_status, report_status
from bot.core.report.workspace import ReportWorkspace, UnfinishedReportError
from bot.services import Services

NOW = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OWNER = "local"


@pytest.fixture
def workspace(services: Services) -> ReportWorkspace:
    return services.workspace


def test_new_report_is_the_outline_with_title_and_five_parts_in_order(
    workspace: ReportWorkspace,
) -> None:
    report = workspace.open(OWNER, "青石镇人民政府", 2026, NOW)

    text = report.assemble()
    headings = [line for line in text.splitlines() if re.match(r"^[一二三四五]、", line)]
    assert text.startswith("青石镇人民政府关于2026年法治政府建设情况的报告")
    assert [h[:2] for h in headings] == ["一、", "二、", "三、", "四、", "五、"]
    assert "2027年推进法治政府建设的主要安排" in headings[3]
    assert "需收集：" in report.part("measures").text
    assert report_status(report).filled == 0


def test_facts_are_filed_under_the_parts_they_are_about(workspace: ReportWorkspace) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)

    report, filed = workspace.add_facts(
        OWNER, "普法宣传活动12场，发放资料3000份。党委书记年终述法1次。明年计划组织学法培训4期", NOW
    )

    assert {f.part for f in filed} == {"measures", "first_responsible", "next_year"}
    assert "普法宣传活动12场，发放资料3000份" in report.part("measures").facts
    missing = report_status(report).parts[1].missing
    assert "全年开展普法宣传活动场次" not in missing
    assert "全年排查矛盾纠纷件数及调解成功件数" in missing


async def test_drafting_a_part_uses_every_fact_given_for_it(workspace: ReportWorkspace) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.add_facts(OWNER, "排查矛盾纠纷86件，调解成功84件", NOW)

    drafted = await workspace.draft(OWNER, "1", NOW, facts="开展普法宣传活动12场")

    text = drafted.report.part("measures").text
    assert "排查矛盾纠纷86件，调解成功84件" in text and "开展普法宣传活动12场" in text
    assert drafted.report.part("measures").origin == "drafted"
    assert not text.startswith("【离线模式")


async def test_a_topic_draft_is_added_to_its_part_without_replacing_it(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.set_text(OWNER, "1", "（一）加强组织领导。召开专题会议4次。", NOW)

    drafted = await workspace.draft(OWNER, "普法宣传", NOW, facts="开展宪法宣传活动6场")

    text = drafted.report.part("measures").text
    assert drafted.key == "measures" and drafted.topic == "普法宣传"
    assert text.startswith("（一）加强组织领导。召开专题会议4次。")
    assert "开展宪法宣传活动6场" in text


def test_every_change_is_a_version_and_undo_brings_back_the_previous_text(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.set_text(OWNER, "2", "第一稿。", NOW)
    workspace.set_text(OWNER, "2", "第二稿。", NOW)

    report, undone = workspace.undo(OWNER)

    assert report.part("shortcomings").text == "第一稿。"
    assert "替换" in undone
    report, _ = workspace.undo(OWNER)
    assert report.part("shortcomings").origin == "outline"
    with pytest.raises(InputError, match="没有可以撤销"):
        workspace.undo(OWNER)


def test_bad_input_changes_nothing(workspace: ReportWorkspace) -> None:
    before = workspace.open(OWNER, "青石镇人民政府", 2026, NOW)

    for call in (
        lambda: workspace.set_text(OWNER, "9", "文字", NOW),
        lambda: workspace.set_text(OWNER, "2", "   ", NOW),
        lambda: workspace.add_facts(OWNER, "", NOW),
        lambda: workspace.import_text(OWNER, "只有一段话，没有任何标题。", NOW),
    ):
        with pytest.raises(InputError):
            call()

    assert workspace.require(OWNER).version == before.version


def test_no_report_yet_is_a_clear_message(workspace: ReportWorkspace) -> None:
    with pytest.raises(InputError, match="还没有报告"):
        workspace.set_text("nobody", "1", "文字", NOW)


SAMPLE = """青石镇人民政府关于2025年法治政府建设情况的报告
县委、县政府：
2025年，青石镇坚持以习近平新时代中国特色社会主义思想为指导。现将有关情况报告如下：
一、2025年推进法治政府建设的主要举措和成效
（一）加强组织领导。召开专题会议4次。
二、存在的不足和原因
基层法治力量较为薄弱。
三、党政主要负责人履行推进法治建设第一责任人职责情况
镇长年终述法1次。
四、工作亮点
建成法治文化广场1个。
五、2026年工作安排
持续开展“八五”普法，落实《法治政府建设实施纲要（2021—2025年）》。
"""


def test_import_splits_by_headings_and_keeps_what_fits_no_part(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)

    imported = workspace.import_text(OWNER, SAMPLE, NOW)

    report = imported.report
    assert report.part(OPENING).text.startswith("2025年，青石镇坚持")
    assert report.part("measures").text == "（一）加强组织领导。召开专题会议4次。"
    assert report.part("first_responsible").text == "镇长年终述法1次。"
    assert "法治文化广场" in report.part(UNSORTED).text
    assert imported.split.unsorted_headings == ("四、工作亮点",)
    assert "未能归入任何部分" in describe_status(report_status(report))


def test_import_as_base_turns_last_years_figures_into_placeholders(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)

    imported = workspace.import_text(OWNER, SAMPLE, NOW, base=True)

    report = imported.report
    assert report.part("measures").text == "（一）加强组织领导。召开专题会议【待更新：原为4次】。"
    assert report.part(OPENING).text.startswith("【待更新：原为2025年】，青石镇")
    assert "《法治政府建设实施纲要（2021—2025年）》" in report.part("next_year").text
    assert "“八五”普法" in report.part("next_year").text
    assert imported.replaced_figures >= 4


async def test_check_lists_every_placeholder_with_its_part(workspace: ReportWorkspace) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.set_text(OWNER, "2", "执法人员【待补充：人数】名，培训不足。", NOW)

    findings = await workspace.check(OWNER)

    unfinished = [f for f in findings if f.finding.kind == "unfinished"]
    assert any(f.part.endswith("存在的不足和原因") for f in unfinished)
    assert any(f.part == "开头" for f in unfinished)
    assert all(f.finding.severity == "error" for f in unfinished)


def test_export_refuses_while_unfinished_and_writes_the_whole_report_when_forced(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.set_text(OWNER, "1", "（一）加强组织领导。召开专题会议4次。", NOW)
    with pytest.raises(UnfinishedReportError, match="未完成"):
        workspace.export(OWNER, dt.date(2027, 1, 9))

    data, name = workspace.export(OWNER, dt.date(2027, 1, 9), force=True)

    paragraphs = [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    joined = "".join(paragraphs).replace("\n", "")  # title lines are broken by the layout
    assert joined.startswith("青石镇人民政府关于2026年法治政府建设情况的报告")
    assert "召开专题会议4次" in joined
    order = [joined.index(f"{n}、") for n in "一二三四五"]
    assert order == sorted(order)
    assert paragraphs[-2:] == ["青石镇人民政府", "2027年1月9日"]
    assert name.endswith(".docx")


def test_a_finished_report_exports_without_force(workspace: ReportWorkspace) -> None:
    report = workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    for part in report.parts:
        if part.key != UNSORTED:
            workspace.set_text(OWNER, part.key, f"{part.key}部分的正文。", NOW)

    data, _ = workspace.export(OWNER, dt.date(2027, 1, 9))

    assert data[:2] == b"PK"


def test_an_empty_part_keeps_the_report_from_exporting(workspace: ReportWorkspace) -> None:
    report = workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    for part in report.parts:
        if part.key != UNSORTED:
            workspace.set_text(OWNER, part.key, f"{part.key}部分的正文。", NOW)
    workspace.clear(OWNER, "5", NOW)

    with pytest.raises(UnfinishedReportError, match="1 处未完成"):
        workspace.export(OWNER, dt.date(2027, 1, 9))


async def test_findings_are_placed_in_parts_written_with_full_width_digits(
    workspace: ReportWorkspace,
) -> None:
    workspace.open(OWNER, "青石镇人民政府", 2026, NOW)
    workspace.set_text(OWNER, "2", "全年开展普法活动１２场，【待补充：原因】。", NOW)

    findings = await workspace.check(OWNER)

    placeholder = next(f for f in findings if "原因" in f.finding.excerpt)
    assert placeholder.part == "二、存在的不足和原因"
