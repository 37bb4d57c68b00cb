"""Near misses of standard formulas, session names and document titles, found without lists
of wrong forms; correct text nearby stays quiet."""

from __future__ import annotations

import pytest

from bot.core.review import Reviewer, load_reviewer
from bot.core.review.alignment import best_window, distance
from bot.core.review.formulas import looks_alike, sounds_alike
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def of_kind(reviewer: Reviewer, kind: str, text: str) -> list[str]:
    return [f.suggestion for f in reviewer.check(text) if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("坚持以习近平新时代中国特色社会主意思想为指导。", "习近平新时代中国特色社会主义思想"),
        ("全面推进依法制国。", "依法治国"),
        ("学习关于全面依法冶国的重要论述。", "依法治国"),
        ("深入学习贯彻习近平法治想思。", "习近平法治思想"),
        ("认真履行推进法治建设第一责任职责。", "履行推进法治建设第一责任人职责"),
        ("坚持党的领导、人民当家作主、依法治国有机一统。", "依法治国有机统一"),
    ],
)
def test_one_edit_from_a_formula_is_reported_with_the_formula(
    reviewer: Reviewer, text: str, right: str
) -> None:
    suggestions = of_kind(reviewer, "expression", text)

    assert len(suggestions) == 1
    assert right in suggestions[0]


@pytest.mark.parametrize(
    "text",
    [
        "推进依法治县、依法治乡，建设社会主义法治国家。",
        "深入学习新时代中国特色社会主义法治思想。",
        "全面依法治县委员会办公室召开会议，推进全面依法治县。",
        "完善中国特色社会主义法律体系，运用法治思维和法治方式化解矛盾、维护稳定。",
        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
    ],
)
def test_correct_text_near_formulas_gives_no_expression_finding(
    reviewer: Reviewer, text: str
) -> None:
    assert of_kind(reviewer, "expression", text) == []


def test_enumerated_formula_with_items_dropped_names_the_missing_items(reviewer: Reviewer) -> None:
    text = "加快构建职责明确、执法严明、公开公正、智能高效、廉洁诚信、人民满意的法治政府。"

    findings = [f for f in reviewer.check(text) if f.kind == "expression"]

    assert len(findings) == 1
    assert "职能科学、权责法定" in findings[0].suggestion
    assert "职责明确" in findings[0].excerpt


@pytest.mark.parametrize(
    "text",
    [
        "带头守法学法尊法用法。",
        "坚持公正文明规范执法。",
        "增强政治意识、核心意识、大局意识、看齐意识。",
    ],
)
def test_enumerated_formula_out_of_order_is_reported(reviewer: Reviewer, text: str) -> None:
    suggestions = of_kind(reviewer, "expression", text)

    assert len(suggestions) == 1
    assert "顺序" in suggestions[0]


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("全面贯彻党的十九大和历届全会精神。", "党的十九大和十九届历次全会"),
        ("学习党的十九大历次全会精神。", "党的十九大和十九届历次全会"),
        ("学习党的二十大和十九届历次全会精神。", "党的二十大和二十届历次全会"),
    ],
)
def test_plenums_are_named_by_their_session_not_the_congress(
    reviewer: Reviewer, text: str, right: str
) -> None:
    suggestions = of_kind(reviewer, "expression", text)

    assert len(suggestions) == 1
    assert right in suggestions[0]


def test_correct_session_names_are_quiet(reviewer: Reviewer) -> None:
    text = "全面贯彻党的二十大和二十届历次全会精神，学习二十届三中、四中全会精神。"

    assert of_kind(reviewer, "expression", text) == []


def test_a_title_two_characters_off_a_registered_one_is_reported_with_the_real_title(
    reviewer: Reviewer,
) -> None:
    text = "严格落实《党政主要负责人履行推进法治政府建设第一责任人职责规定》。"

    findings = [f for f in reviewer.check(text) if f.kind == "title"]

    assert [f.excerpt for f in findings] == [
        "《党政主要负责人履行推进法治政府建设第一责任人职责规定》"
    ]
    assert "《党政主要负责人履行推进法治建设第一责任人职责规定》" in findings[0].suggestion
    assert findings[0].label == "文件名称"


def test_real_local_and_unknown_titles_are_quiet(reviewer: Reviewer) -> None:
    text = (
        "依据《法治政府建设实施纲要(2021-2025年)》《中华人民共和国行政处罚法》《行政处罚法》"
        "《湖南省法治政府建设实施纲要（2021—2025年）》《中华人民共和国刑法》《青山镇村规民约》。"
    )

    assert of_kind(reviewer, "title", text) == []


def test_alignment_counts_a_swap_as_one_edit_and_finds_the_best_substring() -> None:
    alignment = best_window("执法全过程记录制度", "推行行政执法全程记录制度。", 1)

    assert alignment is not None
    assert (alignment.start, alignment.end) == (4, 12)
    assert [e.op for e in alignment.edits] == ["del"]
    assert distance("法治想思", "法治思想", 2) == 1


def test_same_sounding_characters_are_recognised() -> None:
    assert sounds_alike("制", "治") and sounds_alike("意", "义")
    assert not sounds_alike("县", "国")


def test_characters_differing_in_one_part_in_the_same_place_look_alike() -> None:
    assert looks_alike("冶", "治")
    assert not looks_alike("理", "国")  # 玉 in another place
    assert not looks_alike("县", "国")


def test_a_registered_plan_cited_with_a_period_no_edition_has_is_a_title_warning(
    reviewer: Reviewer,
) -> None:
    text = (
        "落实《法治政府建设实施纲要（2026—2030年）》，对照《法治政府建设实施纲要（2021—2025年）》。"
    )

    findings = [f for f in reviewer.check(text) if f.kind == "title"]

    assert [(f.excerpt, f.severity) for f in findings] == [
        ("《法治政府建设实施纲要（2026—2030年）》", "warning")
    ]
    assert "（2021—2025年）" in findings[0].suggestion
