"""Unpaired brackets, run-on clauses, and body names that lose the level the title gives them."""

from __future__ import annotations

import pytest

from bot.core.review import Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR

TITLE = "鲁山县人民政府\n关于2025年法治政府建设情况的报告\n"


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def of_kind(reviewer: Reviewer, kind: str, text: str) -> list[str]:
    return [f.excerpt for f in reviewer.check(text) if f.kind == kind]


def test_a_heading_number_with_half_a_bracket_is_reported(reviewer: Reviewer) -> None:
    text = "（一）健全制度\n一)纵深推进法治宣传教育。"

    excerpts = of_kind(reviewer, "punctuation", text)

    assert len(excerpts) == 1
    assert "一)纵深推进" in excerpts[0]


def test_a_title_mark_left_open_is_reported_once(reviewer: Reviewer) -> None:
    text = "认真学习《中华人民共和国行政处罚法，提高执法水平。"

    assert len(of_kind(reviewer, "punctuation", text)) == 1


def test_brackets_closed_on_a_following_line_are_paired(reviewer: Reviewer) -> None:
    text = "（2023年3月13日第十四届全国人民代表大会第一次会议\n第二次修正）"

    assert of_kind(reviewer, "punctuation", text) == []


def test_two_predicate_clauses_run_together_are_reported(reviewer: Reviewer) -> None:
    text = "深入开展法治宣传教育全面提升群众法治意识。"

    excerpts = of_kind(reviewer, "punctuation", text)

    assert len(excerpts) == 1
    assert "全面提升" in excerpts[0]


@pytest.mark.parametrize(
    "text",
    [
        "深入学习领会习近平总书记关于全面推进依法治国的重要论述。",
        "为切实加强青山乡法治政府建设工作扎实开展，成立领导小组。",
        "深入开展法治宣传教育，全面提升群众法治意识。",
        "持续推进严格规范公正文明执法和全面落实行政执法责任制。",
    ],
)
def test_punctuated_or_coordinated_clauses_are_not_run_ons(reviewer: Reviewer, text: str) -> None:
    assert of_kind(reviewer, "punctuation", text) == []


def test_a_body_name_that_drops_its_level_is_reported_with_the_titles_form(
    reviewer: Reviewer,
) -> None:
    text = TITLE + "2025年，鲁山人民政府坚持依法行政。"

    findings = [f for f in reviewer.check(text) if f.kind == "org"]

    assert len(findings) == 1
    assert "鲁山人民政府" in findings[0].excerpt
    assert "鲁山县" in findings[0].suggestion
    assert findings[0].label == "单位名称"


def test_a_township_written_with_the_wrong_level_is_reported(reviewer: Reviewer) -> None:
    text = "青山镇人民政府\n关于2025年法治政府建设情况的报告\n2025年，青山乡党委高度重视法治建设。"

    assert len(of_kind(reviewer, "org", text)) == 1


def test_the_place_name_alone_or_for_another_body_is_fine(reviewer: Reviewer) -> None:
    text = TITLE + "鲁山山清水秀，鲁山县委高度重视，鲁山镇派出所、鲁山村委会积极参与。"

    assert of_kind(reviewer, "org", text) == []


def test_a_signature_naming_only_the_county_is_reported(reviewer: Reviewer) -> None:
    text = (
        "青山县柳溪乡人民政府关于2024年法治政府建设情况的报告\n2024年，柳溪乡坚持依法行政。\n"
        "一、主要举措和成效\n全年调解纠纷40件。\n青山县人民政府\n2025年1月20日"
    )

    findings = [f for f in reviewer.check(text) if f.kind == "org"]

    assert [f.excerpt for f in findings] == ["青山县人民政府"]
    assert "青山县柳溪乡人民政府" in findings[0].suggestion


def test_an_opening_whose_subject_is_the_county_government_is_reported(
    reviewer: Reviewer,
) -> None:
    text = "河阳县石桥镇人民政府关于2025年法治政府建设情况的报告\n2025年，河阳县政府坚持依法行政。"

    assert len(of_kind(reviewer, "org", text)) == 1


def test_signature_and_opening_naming_the_titles_place_are_fine(reviewer: Reviewer) -> None:
    text = (
        "青山镇人民政府关于2025年法治政府建设情况的报告\n2025年，青山镇党委、政府坚持依法行政。\n"
        "一、主要举措和成效\n全年调解纠纷40件。\n中共青山镇委员会 青山镇人民政府\n2026年1月20日"
    )

    assert of_kind(reviewer, "org", text) == []
