"""Figure checks: 「5余处」, part larger than whole, impossible rates, conflicting totals."""

from __future__ import annotations

import pytest

from bot.core.review import Finding, Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def figures(reviewer: Reviewer, text: str) -> list[Finding]:
    return [f for f in reviewer.check(text) if f.kind == "figure"]


def test_yu_after_an_exact_small_count_is_reported(reviewer: Reviewer) -> None:
    findings = figures(reviewer, "督促整改安全隐患5余处。")

    assert len(findings) == 1
    assert "5余" in findings[0].excerpt


def test_yu_after_a_round_number_is_accepted(reviewer: Reviewer) -> None:
    assert figures(reviewer, "开展普法活动20余次，发放资料3000余份，受益1万余人。") == []


def test_settled_disputes_more_than_investigated_is_an_error(reviewer: Reviewer) -> None:
    findings = figures(reviewer, "全年共排查矛盾纠纷35件，成功调解38件。")

    assert [f.severity for f in findings] == ["error"]
    assert "38" in findings[0].suggestion


def test_settled_fewer_than_investigated_is_accepted(reviewer: Reviewer) -> None:
    text = "共累计排查各类矛盾纠纷382件，成功调解360件。达成口头协议344件，书面协议16件。"

    assert figures(reviewer, text) == []


def test_satisfaction_rate_over_100_percent_is_an_error(reviewer: Reviewer) -> None:
    assert len(figures(reviewer, "群众满意率达到102%。")) == 1


def test_growth_over_100_percent_is_accepted(reviewer: Reviewer) -> None:
    assert figures(reviewer, "法律咨询量同比增长120%，完成年度任务的115%。") == []


def test_rate_not_matching_its_counts_is_reported(reviewer: Reviewer) -> None:
    findings = figures(reviewer, "全年受理群众诉求50件，办结40件，办结率95%。")

    assert len(findings) == 1
    assert "80.0%" in findings[0].suggestion


def test_rate_matching_its_counts_is_accepted(reviewer: Reviewer) -> None:
    assert figures(reviewer, "全年排查调处矛盾纠纷62起，化解61起，成功率98%。") == []


def test_the_same_total_stated_with_two_numbers_is_reported(reviewer: Reviewer) -> None:
    text = "全乡共有26个行政村，均配备法律顾问。\n全乡24个行政村建立了法治宣传栏。"

    findings = figures(reviewer, text)

    assert len(findings) == 1
    assert findings[0].location == "第2段第1句"
    assert "第1段第1句" in findings[0].suggestion


def test_a_subset_of_villages_is_not_a_conflicting_total(reviewer: Reviewer) -> None:
    text = "全乡共有26个行政村。\n其中5个行政村已建成法治文化广场。"

    assert figures(reviewer, text) == []
