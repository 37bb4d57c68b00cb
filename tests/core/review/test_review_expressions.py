"""Standard expressions (terms.toml), typos (typos.toml) and stale references (stale.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import ConfigError
from bot.core.review import Finding, Reviewer, load_reviewer
from bot.core.review.rules import load_rules
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def of_kind(reviewer: Reviewer, kind: str, text: str, year: int | None = None) -> list[Finding]:
    return [f for f in reviewer.check(text, year=year) if f.kind == kind]


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("全体干部要坚定“四个意识”。", "增强“四个意识”"),
        ("各村党支部要增强“四个自信”。", "坚定“四个自信”"),
        ("团结在以习近平为核心的党中央周围。", "以习近平同志为核心的党中央"),
        ("坚持党的领导、人民当家做主、依法治国有机统一。", "当家作主"),
        ("坚持公正文明规范执法。", "严格规范公正文明执法"),
        ("全面落实执法全程记录制度。", "执法全过程记录制度"),
        ("严格执行重大执法决定法治审核。", "法制审核"),
        ("开展法制宣传教育进村活动。", "法治宣传"),
        ("深入学习习近平法制思想。", "习近平法治思想"),
        ("按照县政办发[2025]12号文件要求。", "〔2025〕"),
    ],
)
def test_wrong_standard_expression_is_reported_with_the_correct_form(
    reviewer: Reviewer, text: str, fix: str
) -> None:
    findings = of_kind(reviewer, "expression", text)

    assert len(findings) == 1
    assert f"改为「{fix}」" in findings[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "加强行政处罚案件法制审核，重大行政处罚案件须经法制机构审核。",
        "全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度。",
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”。",
        "坚持严格规范公正文明执法，带头尊法学法守法用法。",
        "维护国家法制统一，县司法局法制工作机构提前介入。",
        "坚持和发展新时代“枫桥经验”。",
        "依据国办发〔2018〕118号文件。",
    ],
)
def test_correct_expressions_are_not_reported(reviewer: Reviewer, text: str) -> None:
    assert reviewer.check(text) == []


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("对《宪法》等法律法规治度进行了系统学习。", "制度"),
        ("结合实际，依法治定《村民自治章程》。", "制定"),
        ("截止目前，全乡学员积分均达40分以上。", "截至目前"),
        ("法治宣传形式过于单一，宣传不够颖。", "不够新颖"),
        ("整治人民群众反应强烈的突出问题。", "人民群众反映强烈"),
        ("建立并坚持领导干部学法治度。", "制度"),
    ],
)
def test_typo_is_reported_with_its_fix(reviewer: Reviewer, text: str, fix: str) -> None:
    findings = of_kind(reviewer, "typo", text)

    assert len(findings) == 1
    assert f"改为「{fix}」" in findings[0].suggestion


@pytest.mark.parametrize(
    "text",
    [
        "党员干部要保持政治定力，村民自治定期开展。",
        "申报截止日期为12月10日。",
        "用于公益目的的资金，合同标的的价值。",
        "市场反应强烈，作品新颖。",
    ],
)
def test_words_that_only_look_like_typos_are_not_reported(reviewer: Reviewer, text: str) -> None:
    assert of_kind(reviewer, "typo", text) == []


def test_eighth_five_year_pufa_is_stale_in_a_2026_report_but_not_in_2025(
    reviewer: Reviewer,
) -> None:
    text = "继续深入实施“八五”普法规划。"

    assert len(of_kind(reviewer, "stale", text, year=2026)) == 1
    assert of_kind(reviewer, "stale", text, year=2025) == []


def test_eighth_five_year_pufa_summed_up_in_2026_is_not_stale(reviewer: Reviewer) -> None:
    text = "认真做好“八五”普法总结验收工作。"

    assert of_kind(reviewer, "stale", text, year=2026) == []


def test_2015_outline_formula_is_stale_after_2021(reviewer: Reviewer) -> None:
    text = "建设公开公正、廉洁高效、守法诚信的法治政府。"

    findings = of_kind(reviewer, "stale", text, year=2023)

    assert len(findings) == 1
    assert "智能高效、廉洁诚信、人民满意" in findings[0].suggestion


def test_last_years_work_plan_cited_in_a_later_report_is_stale(reviewer: Reviewer) -> None:
    text = "严格按照《2021年全面依法治省工作要点》等文件要求开展工作。"

    assert len(of_kind(reviewer, "stale", text, year=2024)) == 1
    assert of_kind(reviewer, "stale", text, year=2021) == []


def test_plan_past_its_period_is_stale_but_current_one_is_not(reviewer: Reviewer) -> None:
    text = "对照《法治政府建设实施纲要（2021—2025年）》抓好落实。"

    assert len(of_kind(reviewer, "stale", text, year=2026)) == 1
    assert of_kind(reviewer, "stale", text, year=2025) == []


def test_renamed_land_resources_office_is_stale(reviewer: Reviewer) -> None:
    findings = of_kind(reviewer, "stale", "联合派出所、国土资源所开展宣传。", year=2024)

    assert "自然资源所" in findings[0].suggestion


def test_year_is_inferred_from_the_title_when_not_given(reviewer: Reviewer) -> None:
    text = "河西乡2026年法治政府建设情况报告\n全乡继续深入实施“八五”普法规划。"

    assert len(of_kind(reviewer, "stale", text)) == 1


def test_admin_added_typo_entry_is_used(tmp_path: Path) -> None:
    (tmp_path / "typos.toml").write_text(
        '[[rule]]\nwrong = "宣传版面"\nright = "宣传展板"\n', encoding="utf-8"
    )

    findings = load_reviewer(tmp_path).check("制作宣传版面18块。")

    assert [(f.kind, f.suggestion) for f in findings] == [("typo", "改为「宣传展板」")]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('[[rule]]\nright = "x"\n', "wrong"),
        ('[[rule]]\npattern = "(unclosed"\nright = "x"\n', "正则"),
        ('[[rule]]\nwrong = "甲"\nright = "乙"\nseverity = "fatal"\n', "severity"),
        ('[[rule]]\nwrong = "甲"\nrigth = "乙"\n', "rigth"),
        ('[[rule]]\nwrong = "甲"\n', "right"),
        ("[[rule]\n", "格式有误"),
    ],
)
def test_bad_entry_fails_loading_with_a_message_naming_it(
    tmp_path: Path, entry: str, message: str
) -> None:
    path = tmp_path / "typos.toml"
    path.write_text(entry, encoding="utf-8")

    with pytest.raises(ConfigError) as error:
        load_rules(path, default_severity="error")

    assert "typos.toml" in str(error.value)
    assert message in str(error.value)


def test_bundled_data_files_load() -> None:
    for name in ("terms.toml", "typos.toml", "stale.toml"):
        assert load_rules(KNOWLEDGE_DIR / name, default_severity="warning")
