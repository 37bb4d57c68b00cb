"""The number guard: figures in a draft must be backed by the user's facts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.core.writing.numberguard import chinese_to_int, find_figures, guard_text
from bot.core.writing.sections import load_sections

FIXED = load_sections().fixed_expressions


def guard(text: str, facts: str, **kwargs: object) -> tuple[str, tuple[str, ...]]:
    result = guard_text(text, facts, fixed_expressions=FIXED, **kwargs)  # type: ignore[arg-type]
    return result.text, result.flagged


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十五", 15),
        ("二十", 20),
        ("一百二十", 120),
        ("一百零五", 105),
        ("两", 2),
        ("两百", 200),
        ("三千零二十", 3020),
        ("两万三千", 23000),
        ("一万零五十", 10050),
        ("二〇二四", 2024),
        ("九", 9),
    ],
)
def test_chinese_numerals_are_normalised(numeral: str, value: int) -> None:
    assert chinese_to_int(numeral) == value


def test_malformed_chinese_numeral_is_not_a_number() -> None:
    assert chinese_to_int("三四五十") is None
    assert chinese_to_int("十x") is None


def test_figures_carry_value_and_canonical_unit() -> None:
    figures = find_figures("开展宣讲15场次，发放资料三千份，成功率98%，1-10月")

    assert [(f.value, f.unit) for f in figures] == [
        (Decimal(15), "场"),
        (Decimal(3000), "份"),
        (Decimal(98), "%"),
        (Decimal(1), ""),
        (Decimal(10), "月"),
    ]


def test_fact_figure_in_draft_is_kept() -> None:
    text, flagged = guard("全年开展法治宣讲15场。", "宣讲15场")

    assert text == "全年开展法治宣讲15场。"
    assert flagged == ()


def test_chinese_numeral_in_draft_matches_arabic_fact() -> None:
    text, flagged = guard("全年开展法治宣讲十五场。", "宣讲15场")

    assert flagged == ()
    assert "十五场" in text


def test_arabic_in_draft_matches_chinese_numeral_fact() -> None:
    _, flagged = guard("调解成功115件，排查纠纷120件。", "排查纠纷一百二十件，调解成功一百一十五件")

    assert flagged == ()


def test_figure_moved_to_another_unit_is_flagged() -> None:
    text, flagged = guard("聘请了15名法律明白人。", "宣讲15场")

    assert flagged == ("15名",)
    assert text == "聘请了【待核实：15名】法律明白人。"


def test_figure_moved_to_another_subject_with_same_unit_is_flagged() -> None:
    text, flagged = guard("排查纠纷115件，调解成功120件。", "排查纠纷120件，调解成功115件")

    assert flagged == ("115件", "120件")
    assert "【待核实：115件】" in text


def test_invented_figure_with_approximation_is_flagged() -> None:
    text, flagged = guard("组织300多名干部参加学法考试。", "宣讲15场")

    assert flagged == ("300多名",)
    assert "【待核实：300多名】" in text


def test_invented_chinese_numeral_count_is_flagged() -> None:
    _, flagged = guard("召开专题会议三次。", "宣讲15场")

    assert flagged == ("三次",)


@pytest.mark.parametrize("share", ["95.8%", "百分之九十五", "96％"])
def test_invented_percentage_is_flagged(share: str) -> None:
    _, flagged = guard(f"调解成功率达{share}。", "排查纠纷120件，调解成功115件")

    assert flagged == (share,)


def test_percentage_from_facts_is_kept() -> None:
    _, flagged = guard("调解成功率达98%。", "调解成功率98%")

    assert flagged == ()


def test_invented_date_is_flagged_but_report_year_is_not() -> None:
    text, flagged = guard("2024年3月召开会议，2025年将继续推进。", "宣讲15场", year=2024)

    assert flagged == ("3月",)
    assert text.startswith("2024年【待核实：3月】")


def test_other_year_is_flagged() -> None:
    _, flagged = guard("2019年以来共开展宣讲15场。", "宣讲15场", year=2024)

    assert flagged == ("2019年",)


def test_date_from_facts_is_kept() -> None:
    _, flagged = guard("12月4日组织宪法宣传活动。", "12月4日开展宪法宣传")

    assert flagged == ()


def test_numerals_in_org_name_are_allowed() -> None:
    _, flagged = guard("第3社区居委会开展宣讲15场。", "宣讲15场", org="第3社区居委会")

    assert flagged == ()


@pytest.mark.parametrize(
    "wording",
    [
        "增强“四个意识”、坚定“四个自信”、做到“两个维护”",
        "落实行政执法三项制度和“三重一大”决策制度",
        "深入开展“八五”普法，结合“12·4”国家宪法日",
        "一是加强领导，二是强化学习",
        "进一步推进，一批典型，第一责任人",
        "依据《法治政府建设实施纲要（2021—2025年）》",
        "已有【待补充：全年开展普法活动次数】",
    ],
)
def test_wording_with_numerals_is_not_a_figure(wording: str) -> None:
    text, flagged = guard(wording, "")

    assert flagged == ()
    assert text == wording


def test_headings_and_list_numbers_are_not_figures() -> None:
    draft = "一、主要举措\n（一）普法宣传\n1. 开展宣讲15场\n（2）发放资料"

    _, flagged = guard(draft, "宣讲15场")

    assert flagged == ()


def test_bare_number_next_to_fact_is_kept() -> None:
    _, flagged = guard("全乡共有26个行政村。", "全乡26个行政村")

    assert flagged == ()


def test_every_flag_has_a_warning() -> None:
    result = guard_text("培训300人，发放资料5000份。", "宣讲15场")

    assert len(result.warnings) == 2
    assert "300人" in result.warnings[0]


def test_example_names_are_replaced_unless_the_user_gave_them() -> None:
    result = guard_text(
        "镇党委书记宋杰主持召开专题会议，张伟同志参加。",
        "张伟同志参加会议",
        forbidden_names={"宋杰", "张伟"},
    )

    assert result.text == "镇党委书记【待核实：姓名】主持召开专题会议，张伟同志参加。"
    assert result.flagged == ("宋杰",)
    assert "宋杰" in result.warnings[0]


def test_other_townships_are_replaced_unless_they_are_the_users() -> None:
    result = guard_text(
        "皇宫镇和李庄乡开展宣讲15场。",
        "宣讲15场",
        org="李庄乡",
        forbidden_places={"皇宫镇", "李庄乡"},
    )

    assert result.text == "【待核实：单位名称】和李庄乡开展宣讲15场。"
    assert result.flagged == ("皇宫镇",)
