"""Structure checks: the five required contents, their order, the title and its year."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.review import Finding, Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR

REPORT = """
青山镇人民政府
关于2025年法治政府建设情况的报告
2025年，青山镇扎实推进法治政府建设。现将2025年度法治政府建设情况报告如下：
一、2025年推进法治政府建设的主要举措和成效
全年开展普法活动30余场。
二、2025年推进法治政府建设存在的不足和原因
村级法治力量较为薄弱。
三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况
镇党委书记带头讲法治课。
四、2026年推进法治政府建设的主要安排
持续加强普法宣传。
五、其他需要报告的情况
无。
"""


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def structure(reviewer: Reviewer, text: str) -> list[Finding]:
    return [f for f in reviewer.check(text) if f.kind == "structure"]


def test_complete_report_in_order_has_no_structure_findings(reviewer: Reviewer) -> None:
    assert structure(reviewer, REPORT) == []


def test_missing_other_matters_section_is_reported(reviewer: Reviewer) -> None:
    text = REPORT.replace("五、其他需要报告的情况\n无。\n", "")

    findings = structure(reviewer, text)

    assert [f.excerpt for f in findings] == ["其他需要报告的情况"]
    assert findings[0].location == "全文"


def test_missing_first_responsible_person_section_is_an_error(reviewer: Reviewer) -> None:
    start = REPORT.index("三、党政")
    end = REPORT.index("四、2026年")
    text = (REPORT[:start] + REPORT[end:]).replace("四、2026", "三、2026").replace("五、", "四、")

    findings = structure(reviewer, text)

    assert len(findings) == 1
    assert findings[0].severity == "error"
    assert "第一责任人职责" in findings[0].excerpt


def test_sections_out_of_order_are_reported_at_the_first_misplaced_heading(
    reviewer: Reviewer,
) -> None:
    text = REPORT.replace("推进法治政府建设的主要举措和成效", "TMP")
    text = text.replace("推进法治政府建设存在的不足和原因", "推进法治政府建设的主要举措和成效")
    text = text.replace("TMP", "推进法治政府建设存在的不足和原因")

    findings = structure(reviewer, text)

    assert len(findings) == 1
    assert findings[0].excerpt.startswith("二、2025年推进法治政府建设的主要举措和成效")
    assert "顺序" in findings[0].suggestion


def test_title_without_the_reporting_body_is_reported(reviewer: Reviewer) -> None:
    findings = structure(reviewer, REPORT.replace("青山镇人民政府\n", ""))

    assert len(findings) == 1
    assert findings[0].location.startswith("标题")
    assert "报告单位" in findings[0].suggestion


def test_title_year_differing_from_the_reported_year_is_an_error(reviewer: Reviewer) -> None:
    findings = structure(reviewer, REPORT.replace("关于2025年", "关于2024年"))

    assert [(f.severity, f.location) for f in findings] == [("error", "标题（第2段）")]
    assert "2025" in findings[0].suggestion


def test_plans_heading_naming_the_reported_year_instead_of_the_next_is_reported_as_stale(
    reviewer: Reviewer,
) -> None:
    text = REPORT.replace("四、2026年", "四、2025年")

    findings = [f for f in reviewer.check(text) if "此处应为「2026年」" in f.suggestion]

    assert [f.kind for f in findings] == ["stale"]
    assert structure(reviewer, text) == []


def test_a_fragment_without_report_title_or_headings_gets_no_structure_findings(
    reviewer: Reviewer,
) -> None:
    text = "（一）加强组织领导\n成立法治政府建设工作领导小组，定期研究法治建设工作。"

    assert structure(reviewer, text) == []


def test_a_heading_numbered_5_among_chinese_numerals_still_counts_as_the_section(
    reviewer: Reviewer,
) -> None:
    text = REPORT.replace("五、其他需要报告的情况", "5、其他需要报告的情况")

    assert structure(reviewer, text) == []


def test_missing_data_files_give_a_reviewer_with_no_rules(tmp_path: Path) -> None:
    reviewer = load_reviewer(tmp_path)

    assert reviewer.check("坚持党的领导、人民当家做主。") == []
