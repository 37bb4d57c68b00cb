"""Section names as staff type them: variants, numbering, years, and names inside phrases."""

from __future__ import annotations

import pytest

from bot.core.errors import InputError
from bot.core.report.model import resolve_part
from bot.core.writing.sections import load_sections, resolve_section


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("行政复议与应诉", "reconsideration"),
        ("行政应诉", "reconsideration"),
        ("第一责任人履职", "first_responsible"),
        ("第一责任人履职情况", "first_responsible"),
        ("二、2024年度存在的不足和原因", "shortcomings"),
        ("存在的不足", "shortcomings"),
        ("下一步打算", "next_year"),
        ("下一年度工作打算", "next_year"),
        ("依法决策情况", "decision"),
        ("主要举措中的普法宣传", "publicity"),
        ("第三部分", "first_responsible"),
        ("5", "other"),
    ],
)
def test_common_variants_resolve(typed: str, key: str) -> None:
    assert resolve_section(typed).key == key


def test_a_phrase_naming_two_sections_says_which_two() -> None:
    with pytest.raises(InputError) as error:
        resolve_section("存在的不足和下一步打算")

    message = str(error.value)
    assert "存在的不足和原因" in message and "下一年度主要安排" in message
    assert "无法识别" not in message


def test_an_unknown_name_lists_the_five_parts_and_the_topics() -> None:
    with pytest.raises(InputError) as error:
        resolve_section("天气预报")

    message = str(error.value)
    assert "无法识别栏目“天气预报”" in message
    assert "1. 主要举措和成效" in message and "5. 其他需要报告的情况" in message
    assert "行政复议与应诉" in message


def test_a_near_miss_is_offered_the_nearest_sections() -> None:
    with pytest.raises(InputError) as error:
        resolve_section("调处纠纷")

    assert "您是不是要找：矛盾纠纷化解" in str(error.value)


def test_report_parts_resolve_topics_to_their_part() -> None:
    catalog = load_sections()

    assert resolve_part("行政复议与应诉", catalog)[0] == "measures"
    assert resolve_part("第一责任人履职", catalog)[0] == "first_responsible"


def test_reconsideration_topic_has_generic_leads_without_figures() -> None:
    section = resolve_section("行政复议与应诉")

    assert section.parent == "measures"
    assert not any(ch.isdigit() for p in section.points for ch in p.lead)
