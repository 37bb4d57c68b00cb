"""Placeholders left in a draft are error-level 「未完成」 findings quoting the placeholder."""

from __future__ import annotations

import pytest

from bot.core.review import Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def unfinished(reviewer: Reviewer, text: str) -> list[str]:
    return [f.excerpt for f in reviewer.check(text) if f.kind == "unfinished"]


def test_each_bracketed_placeholder_is_one_error_quoting_it(reviewer: Reviewer) -> None:
    text = (
        "全年办理行政处罚案件【待补充：案件数】件，调解成功率【待核实】，制度【待更新：文件名】。"
    )

    findings = [f for f in reviewer.check(text) if f.kind == "unfinished"]

    assert [f.excerpt for f in findings] == [
        "【待补充：案件数】",
        "【待核实】",
        "【待更新：文件名】",
    ]
    assert {f.severity for f in findings} == {"error"}
    assert all(f.label == "未完成" for f in findings)


def test_a_to_do_note_starting_a_line_or_clause_is_unfinished(reviewer: Reviewer) -> None:
    text = "需收集全年调解案件数据\n开展普法活动12场；需收集活动照片和台账。"

    assert unfinished(reviewer, text) == ["需收集全年调解案件数据", "需收集活动照片和台账"]


def test_crosses_and_letters_standing_in_for_figures_or_names_are_unfinished(
    reviewer: Reviewer,
) -> None:
    text = "XX镇共培养“法律明白人”××名，由×××同志牵头。"

    assert unfinished(reviewer, text) == ["XX", "××", "×××"]


def test_excerpts_are_verbatim_substrings_of_the_checked_text(reviewer: Reviewer) -> None:
    text = "一、主要举措\n全年开展培训【待补充：次数】次，需收集培训签到表。"

    excerpts = unfinished(reviewer, text)

    assert excerpts and all(excerpt in text for excerpt in excerpts)


def test_finished_text_and_latin_words_are_not_unfinished(reviewer: Reviewer) -> None:
    text = "全年开展培训12次，使用XXL码服装、Excel表格；收集群众意见45条，需要继续加强。"

    assert unfinished(reviewer, text) == []
