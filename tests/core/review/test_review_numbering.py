"""Numbering checks: 一、→（一）→1.→（1）, skips, repeats, mixed levels, half-width brackets."""

from __future__ import annotations

import pytest

from bot.core.review import Finding, Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def numbering(reviewer: Reviewer, text: str) -> list[Finding]:
    return [f for f in reviewer.check(text) if f.kind == "numbering"]


def test_correct_four_level_numbering_has_no_findings(reviewer: Reviewer) -> None:
    text = "\n".join(
        [
            "一、主要举措",
            "（一）组织领导",
            "1.成立领导小组。",
            "（1）明确分工。",
            "（2）定期调度。",
            "2.健全制度。",
            "（二）普法宣传",
            "二、存在的不足",
        ]
    )

    assert numbering(reviewer, text) == []


def test_seed_report_list_1_2_then_chinese_three_is_level_mixing(reviewer: Reviewer) -> None:
    text = (
        "二、2023年法治政府建设工作举措和成效\n（1） 强化组织领导。成立领导小组。\n"
        "（2） 强化理论武装。坚持学法用法。\n（三）充实基层力量。培育法律明白人。\n"
        "（四）扎实开展宣传教育。"
    )

    findings = numbering(reviewer, text)

    mixing = [f for f in findings if f.excerpt.startswith("（三）")]
    assert len(mixing) == 1
    assert mixing[0].severity == "error"
    assert "（1）（2）" in mixing[0].suggestion
    assert not any(f.excerpt.startswith("（四）") for f in findings)


def test_seed_report_arabic_5_among_chinese_numerals_should_be_wu(reviewer: Reviewer) -> None:
    text = "\n".join(
        [
            "一、举措",
            "二、不足",
            "三、责任",
            "四、安排",
            "（一）加强学习。",
            "（五）加强政务公开。",
            "5、 其他需要报告的情况",
            "无。",
        ]
    )

    findings = numbering(reviewer, text)

    five = [f for f in findings if f.excerpt.startswith("5、")]
    assert len(five) == 1
    assert "「五、」" in five[0].suggestion
    assert five[0].location == "第7段第1句"


def test_skipped_number_names_the_missing_one(reviewer: Reviewer) -> None:
    findings = numbering(reviewer, "（一）加强领导\n（三）健全制度")

    assert len(findings) == 1
    assert "缺少「（二）」" in findings[0].suggestion


def test_repeated_number_is_reported(reviewer: Reviewer) -> None:
    findings = numbering(reviewer, "一、主要举措\n二、存在不足\n二、下一步安排")

    assert len(findings) == 1
    assert "重复" in findings[0].suggestion


def test_half_width_brackets_are_reported_with_the_full_width_form(reviewer: Reviewer) -> None:
    findings = numbering(reviewer, "（一）加强领导\n(二)健全制度")

    assert [f.suggestion for f in findings] == ["括号应为全角，改为「（二）」"]


def test_arabic_level_directly_under_chinese_level_is_accepted(reviewer: Reviewer) -> None:
    assert numbering(reviewer, "一、主要举措\n1.完善制度。\n2.加强宣传。\n二、存在不足") == []


def test_numbers_inside_text_are_not_headings(reviewer: Reviewer) -> None:
    text = "2025年共办理案件12件。\n3.5万元专项经费已到位。\n一是加强领导，二是健全制度。"

    assert numbering(reviewer, text) == []


def test_a_heading_numbered_one_level_too_high_inside_a_running_list_is_reported() -> None:
    text = (
        "一、主要举措和成效\n（一）健全制度\n修订规则。\n二、推进“双随机、一公开”监管\n抽查企业。\n"
        "（三）规范执法\n推行三项制度。\n二、存在的不足和原因\n力量不足。"
    )

    found = [f for f in load_reviewer(KNOWLEDGE_DIR).check(text) if f.kind == "numbering"]

    assert len(found) == 1
    assert "二、推进" in found[0].excerpt
    assert "（二）" in found[0].suggestion
