"""The number guard on answers: figures, dates and titles must be in the cited passages."""

from __future__ import annotations

from dataclasses import replace

from bot.core.passages import Passage
from bot.core.writing.answerguard import guard_answer, lost_caveat
from bot.core.writing.sections import load_sections

FIXED = load_sections().fixed_expressions
DEADLINE = Passage(
    text="县级以上地方各级政府每年4月1日之前向同级党委、人大常委会报告上一年度法治政府建设情况；"
    "乡镇一般应于每年3月1日前向县级党委和政府报告。报告应当通过报刊、网站等新闻媒体向社会公开。",
    title="年度报告的报送时间与公开",
    heading="报送时间",
    source="guidance/reporting-deadlines-publication.md",
    kind="guidance",
    score=1.0,
    chunk_id="g#1",
)
DECISIONS = Passage(
    text="依照《重大行政决策程序暂行条例》（国务院令第713号），决策应当经过公众参与、专家论证、"
    "风险评估、合法性审查、集体讨论决定五项程序。",
    title="重大行政决策程序",
    heading="程序",
    source="guidance/major-administrative-decisions.md",
    kind="guidance",
    score=1.0,
    chunk_id="g#2",
)


def answer(text: str, question: str = "年度报告什么时候报送？") -> tuple[str, tuple[str, ...]]:
    result = guard_answer(text, question, [DEADLINE, DECISIONS], fixed_expressions=FIXED)
    return result.text, result.flagged


def test_a_deadline_the_source_does_not_give_is_marked() -> None:
    text, flagged = answer("年度报告应当在每年5月30日前报送，正文不少于8000字。〔来源：1〕")

    assert (
        text
        == "年度报告应当在每年【待核实：5月30日】前报送，正文不少于【待核实：8000】字。〔来源：1〕"
    )
    assert flagged == ("5月30日", "8000")


def test_a_date_moved_from_the_township_to_the_county_rule_is_still_a_real_date() -> None:
    text, flagged = answer("乡镇报告应于每年3月1日前报送，县级政府4月1日之前报告。〔来源：1〕")

    assert flagged == ()
    assert "【" not in text


def test_a_wrong_day_in_a_right_month_is_marked() -> None:
    _text, flagged = answer("乡镇应于3月15日前报送。")

    assert flagged == ("3月15日",)


def test_a_year_on_a_right_date_must_be_backed_too() -> None:
    text, _flagged = answer("乡镇应于2031年3月1日前报送。")

    assert text == "乡镇应于【待核实：2031年】3月1日前报送。"


def test_a_document_title_not_in_the_sources_is_marked() -> None:
    text, flagged = answer(
        "依据《重大行政决策程序暂行条例》和《湖南省行政执法全过程记录办法》执行。",
        "重大行政决策有哪些程序？",
    )

    assert text == (
        "依据《重大行政决策程序暂行条例》和【待核实：《湖南省行政执法全过程记录办法》】执行。"
    )
    assert flagged == ("《湖南省行政执法全过程记录办法》",)


def test_figures_in_the_sources_or_the_question_and_citation_marks_pass() -> None:
    _text, flagged = answer(
        "须经五项程序（国务院令第713号）。〔来源：2〕[2] 另，您问的20份材料不在资料中。",
        "我们有20份材料，重大行政决策有几项程序？",
    )

    assert flagged == ()


def test_chinese_numerals_are_checked_like_digits() -> None:
    _text, flagged = answer("报告须经三十个工作日公示。")

    assert flagged == ("三十个",)


COUNTY = replace(
    DEADLINE, text="每年3月1日前报送（县里规定的时间往往更早，以县委依法治县办通知为准）。"
)


def test_a_reply_that_states_as_settled_what_its_source_leaves_open_has_lost_a_caveat() -> None:
    assert lost_caveat("我们县要求乡镇3月1日前交。〔来源：1〕", [DEADLINE, COUNTY]) == (
        "以县委依法治县办通知为准"
    )
    # Said in any words, the caveat is kept; a source with none has none to lose.
    assert lost_caveat("3月1日前报送，县里另有规定的以通知为准。", [COUNTY]) is None
    assert lost_caveat("尚未核实，请向县委依法治县办确认。", [COUNTY]) is None
    assert lost_caveat("3月1日前报送。", [DEADLINE, DECISIONS]) is None
    # The source's marks count too: unverified, never found, an estimated date.
    for text in (
        "第二项〔未经核实〕",
        "核查的公开材料中没有发现新纲要",
        "以下为凭记忆归纳，尚未与原文核对",
        "12月1日—7日（预计，以当年通知为准）",
    ):
        assert lost_caveat("是这样。", [replace(DEADLINE, text=text)])
