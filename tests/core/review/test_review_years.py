"""The report's year: from the title or the caller, never from cited plan ranges; the plans
part is checked against the year after; continuous numbering is not a level error."""

from __future__ import annotations

import pytest

from bot.core.review import Reviewer, load_reviewer
from bot.core.review.draft import Draft
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


CITING = """
一、2023年推进法治政府建设的主要举措和成效
我们深入贯彻《法治政府建设实施纲要（2021—2025年）》，落实“八五”普法规划（2021—2025年），对照纲要（2021—2025年）逐项推进。
二、2023年法治政府建设存在的不足和原因
基层力量不足。
三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况
书记带头述法。
四、2024年推进法治政府建设的主要安排
继续落实纲要（2021—2025年）各项任务。
"""


def test_years_in_cited_plan_ranges_are_not_the_bodys_year() -> None:
    assert Draft(CITING).body_year == 2023


def test_a_given_year_is_the_reports_year_for_heading_checks(reviewer: Reviewer) -> None:
    findings = reviewer.check(CITING, year=2023)

    assert [f for f in findings if "与报告年度不符" in f.suggestion] == []
    assert [f for f in findings if "正文报告的却是" in f.suggestion] == []


PLANS = """
青山镇人民政府关于2026年法治政府建设情况的报告
一、2026年推进法治政府建设的主要举措和成效
全面落实《法治政府建设实施纲要（2021—2025年）》收官后的各项总结工作。
二、2026年法治政府建设存在的不足和原因
基层力量不足。
三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况
书记带头述法。
四、2027年推进法治政府建设的主要安排
2024年，继续对照实施纲要（2021—2025年）抓好落实。
"""


def test_references_in_the_plans_part_are_checked_against_the_year_after(
    reviewer: Reviewer,
) -> None:
    stale = [f.excerpt for f in reviewer.check(PLANS) if f.kind == "stale"]

    assert any("2024年" in excerpt for excerpt in stale)
    assert any("实施纲要（2021—2025年）" in excerpt for excerpt in stale)
    assert not any("收官" in excerpt for excerpt in stale)


def test_a_plan_ending_this_year_is_stale_in_next_years_plans_only(reviewer: Reviewer) -> None:
    text = PLANS.replace("2026年", "2025年").replace("2027年", "2026年").replace("2024年，", "")

    stale = [f for f in reviewer.check(text) if f.kind == "stale"]

    assert len(stale) == 1
    assert stale[0].location.startswith("第9段")  # under 四、, not the citation under 一、


def test_continuous_numbering_across_second_level_headings_is_accepted(
    reviewer: Reviewer,
) -> None:
    text = "一、主要举措和成效\n（一）健全制度\n1.修订规则。\n2.完善清单。\n（二）规范执法\n3.推行三项制度。\n4.开展案卷评查。"

    assert [f for f in reviewer.check(text) if f.kind == "numbering"] == []
