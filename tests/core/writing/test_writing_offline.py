"""The writing assistant without a large model, on the bundled knowledge."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.core.calendar.date_answers import key_date_cards
from bot.core.calendar.rules import load_calendar
from bot.core.errors import InputError
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.knowledge.timewords import TimeFrame
from bot.core.normalization import spoken_forms
from bot.core.passages import Passage, Searcher
from bot.core.writing.answers import CLEAR_LEAD, relevant_passages
from bot.core.writing.names import load_example_names
from bot.core.writing.numberguard import guard_text
from bot.core.writing.prompts import load_prompts
from bot.core.writing.sections import load_sections
from bot.core.writing.wording import content_terms
from bot.core.writing.writer import Writer
from tests.conftest import PROJECT_ROOT

ROOT = PROJECT_ROOT
KNOWLEDGE = ROOT / "knowledge"


@pytest.fixture(scope="module")
def searcher(knowledge_base: KnowledgeBase) -> Searcher:
    """The real knowledge base (embedded Chroma + BM25), built once per test run."""
    return knowledge_base


@pytest.fixture(scope="module")
def writer(searcher: Searcher) -> Writer:
    return Writer(searcher, None, load_prompts(ROOT / "prompts"))


async def test_draft_places_each_fact_under_its_sub_point(writer: Writer) -> None:
    facts = "排查矛盾纠纷120件，调解成功115件"

    result = await writer.draft("矛盾纠纷化解", facts, org="城关镇", year=2024)

    paragraphs = result.text.splitlines()
    assert result.mode == "offline"
    assert "未使用大模型" in paragraphs[0]
    assert any("排查" in p and "120件" in p for p in paragraphs if p.startswith("（"))
    assert any("调解" in p and "115件" in p for p in paragraphs if p.startswith("（"))
    assert result.warnings == ()


async def test_draft_marks_every_missing_fact_as_to_be_supplied(writer: Writer) -> None:
    result = await writer.draft("普法宣传", "培育法律明白人30名", org="城关镇", year=2024)

    assert "【待补充：全年开展普法活动次数】" in result.text
    assert "法律明白人30名" in result.text


async def test_draft_without_facts_is_a_skeleton_of_placeholders(writer: Writer) -> None:
    result = await writer.draft("主要举措和成效", "", year=2024)

    placeholders = re.findall(r"【待补充：[^】]+】", result.text)
    section = load_sections().get("measures")
    assert len(placeholders) == sum(len(p.hints) for p in section.points)


async def test_draft_accepts_chinese_numerals_and_lists(writer: Writer) -> None:
    facts = "1. 开展普法宣讲十五场\n2. 发放宣传资料三千份\n- 12月4日举办宪法宣传活动"

    result = await writer.draft("普法", facts, org="城关镇", year=2024)

    for clause in ("开展普法宣讲十五场", "发放宣传资料三千份", "12月4日举办宪法宣传活动"):
        assert clause in result.text
    assert result.warnings == ()


async def test_draft_carries_no_figure_or_name_from_other_townships(writer: Writer) -> None:
    facts = "宣讲15场"

    result = await writer.draft("主要举措和成效", facts, org="城关镇", year=2024)

    recheck = guard_text(result.text, facts, year=2024, org="城关镇")
    assert recheck.flagged == ()
    example_names = load_example_names(KNOWLEDGE / "reports")
    assert example_names, "the bundled reports name officials"
    assert not [name for name in example_names if name in result.text]


async def test_draft_cites_example_passages_of_its_section(writer: Writer) -> None:
    result = await writer.draft("存在问题", "执法人员业务能力不足", year=2024)

    assert result.sources
    assert all(p.kind == "report" for p in result.sources)
    on_topic = [p for p in result.sources if re.search("问题|不足|原因", p.heading + p.text)]
    assert len(on_topic) >= len(result.sources) // 2


async def test_draft_of_unknown_section_lists_valid_sections(writer: Writer) -> None:
    with pytest.raises(InputError, match="主要举措和成效"):
        await writer.draft("天气", "宣讲15场")


async def test_draft_refuses_oversized_facts(writer: Writer) -> None:
    with pytest.raises(InputError, match="太长"):
        await writer.draft("普法", "宣讲15场。" * 2000)


async def test_ask_answers_from_guidance_with_citations(writer: Writer) -> None:
    result = await writer.ask("年度报告什么时候报送？")

    assert result.mode == "offline"
    assert "3月1日" in result.text
    assert result.sources and all(p.kind == "guidance" for p in result.sources)
    assert "〔《" in result.text


@pytest.mark.parametrize(
    ("question", "answer"),
    [("4.15是啥日子", "国家安全教育日"), ("12·4那天搞啥宣传", "国家宪法日")],
)
async def test_ask_reads_dates_and_question_words_as_staff_type_them(
    writer: Writer, question: str, answer: str
) -> None:
    result = await writer.ask(question)

    assert answer in result.text


async def test_ask_reads_next_year_as_the_plans_part(writer: Writer) -> None:
    when = TimeFrame(today=dt.date(2026, 12, 4), report_year=2026)

    result = await writer.ask("明年的打算怎么写", when=when)

    assert "知识库中没有找到相关内容" not in result.text
    assert "下一年度" in result.text


def test_spoken_forms_take_the_documents_form_and_leave_figures_alone() -> None:
    assert spoken_forms("4.15是啥日子，6月26号呢，12·4") == "4月15日是啥日子，6月26日呢，12月4日"
    assert spoken_forms("调解成功率95.8%，2.5万元") == "调解成功率95.8%，2.5万元"


def test_spoken_two_digit_years_take_the_documents_form_but_spans_of_years_do_not() -> None:
    assert spoken_forms("写26年年报赶上27年春节") == "写2026年年报赶上2027年春节"
    assert spoken_forms("25年度报告") == "2025年度报告"
    for span in ("近20年来", "30年以上", "25年前", "第35年", "3.5年", "工作10年"):
        assert spoken_forms(span) == span


def test_a_count_per_page_takes_the_standards_form_and_other_ones_stay() -> None:
    assert spoken_forms("一页排几行 一行多少字") == "每页排几行 每行多少字"
    for other in ("第一页写几行", "统一行动几次", "一年报几次", "一季度报几次"):
        assert spoken_forms(other) == other


def test_parts_said_as_blocks_take_the_documents_word() -> None:
    assert spoken_forms("年报要写哪几块") == "年报要写哪几部分"
    assert spoken_forms("宣传品花了几块钱") == "宣传品花了几块钱"


def test_spoken_question_words_carry_no_content() -> None:
    assert content_terms("6月26号那天一般搞啥普法") == {"6月26日", "普法"}


def _found(text: str, score: float) -> Passage:
    return Passage(text=text, title="指引", heading="", source="g.md", kind="guidance", score=score)


PAGE_NUMBERS = "公文页码用几号字？页码用4号半角宋体阿拉伯数字，单页码居右空一字，双页码居左空一字。"


def test_a_passage_the_search_found_clearly_best_answers_a_colloquial_question() -> None:
    # 几号 is the only word of the question the passage holds: too few by word share alone.
    question = "页码放中间对吧 那阵用几号字"
    found = [_found(PAGE_NUMBERS, 1.0), _found("页边距和版心尺寸。", 1.0 - CLEAR_LEAD - 0.1)]

    assert relevant_passages(question, found) == found[:1]
    assert relevant_passages(question, found, lead=None) == []


def test_a_small_lead_or_no_shared_word_is_not_an_answer() -> None:
    close = [_found(PAGE_NUMBERS, 1.0), _found("页边距和版心尺寸。", 1.0 - CLEAR_LEAD + 0.1)]
    unrelated = [_found(PAGE_NUMBERS, 1.0), _found("页边距和版心尺寸。", 0.1)]

    assert relevant_passages("页码放中间对吧 那阵用几号字", close) == []
    assert relevant_passages("股票账户怎么开", unrelated) == []


@pytest.mark.parametrize("question", ["今天天气怎么样？", "怎么办理出国护照？", "股票怎么开户"])
async def test_ask_says_plainly_when_nothing_relevant(writer: Writer, question: str) -> None:
    result = await writer.ask(question)

    assert "知识库中没有找到相关内容" in result.text
    assert result.sources == ()


async def test_ask_rejects_an_empty_question(writer: Writer) -> None:
    with pytest.raises(InputError):
        await writer.ask("   ")


async def test_examples_are_deduplicated_and_at_most_two_per_report(writer: Writer) -> None:
    result = await writer.examples("矛盾纠纷调解")

    sources = [p.source for p in result.sources]
    assert result.sources
    assert all(sources.count(s) <= 2 for s in sources)
    assert len({p.text[:40] for p in result.sources}) == len(result.sources)
    assert all(p.citation in result.text for p in result.sources)


async def test_outline_lists_the_five_parts_in_order_with_hints(writer: Writer) -> None:
    result = await writer.outline(org="城关镇", year=2024)

    heads = [line for line in result.text.splitlines() if re.match("^[一二三四五]、", line)]
    assert heads == [
        "一、2024年推进法治政府建设的主要举措和成效",
        "二、2024年推进法治政府建设存在的不足和原因",
        "三、2024年党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        "四、2025年推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]
    assert result.text.startswith("城关镇关于2024年法治政府建设情况的报告")
    assert "需收集：全年排查矛盾纠纷件数及调解成功件数" in result.text


async def test_revise_formal_replaces_colloquial_words(writer: Writer) -> None:
    result = await writer.revise("我们镇搞了很多普法活动，共15场。", "改得更正式一些")

    assert "我镇开展了大量普法活动，共15场。" in result.text
    assert result.mode == "offline" and result.warnings == ()


async def test_revise_shorter_drops_filler_and_keeps_figures(writer: Writer) -> None:
    draft = "进一步切实加强普法宣传，全年开展宣讲15场，不断提升群众法治意识。"

    result = await writer.revise(draft, "更简洁")

    assert "加强普法宣传，全年开展宣讲15场，提升群众法治意识。" in result.text


async def test_revise_says_what_needs_a_large_model(writer: Writer) -> None:
    draft = "全年开展宣讲15场。"

    result = await writer.revise(draft, "扩写到600字")

    assert draft in result.text
    assert len(result.warnings) == 1 and "大模型" in result.warnings[0]


async def test_draft_formalises_colloquial_facts_but_keeps_figures(writer: Writer) -> None:
    result = await writer.draft("矛盾纠纷化解", "我们乡今年一共排查出矛盾纠纷六十二起", year=2024)

    assert "我乡今年一共排查出矛盾纠纷六十二起" in result.text
    assert result.warnings == ()


async def test_examples_on_an_unknown_topic_say_nothing_was_found() -> None:
    class EmptySearcher:
        def search(self, query: str, k: int = 5, **filters: object) -> list[Passage]:
            return []

        def section(self, passage: Passage) -> list[Passage]:
            return [passage]

        def headings(self, query: str, k: int = 5, **filters: object) -> list[Passage]:
            return []

        def word_share(self, word: str) -> float:
            return 0.0

    writer = Writer(EmptySearcher(), None, load_prompts(ROOT / "prompts"))

    result = await writer.examples("完全无关的主题")

    assert result.text == "知识库中没有找到相关内容。"
    assert result.sources == ()


async def test_draft_keeps_a_sentence_about_one_topic_whole(writer: Writer) -> None:
    facts = "全年开展普法宣传活动12场，发放宣传资料3000份。排查矛盾纠纷86件，调解成功84件"

    result = await writer.draft("主要举措和成效", facts, org="城关镇", year=2024)

    assert "全年开展普法宣传活动12场，发放宣传资料3000份。" in result.text
    assert "排查矛盾纠纷86件，调解成功84件。" in result.text
    assert "；" not in "".join(line for line in result.text.splitlines() if "12场" in line)


async def test_draft_splits_a_sentence_where_its_topic_changes(writer: Writer) -> None:
    facts = "召开党委会专题研究法治建设4次，开展普法宣传活动12场"

    result = await writer.draft("主要举措和成效", facts, org="城关镇", year=2024)

    lines = result.text.splitlines()
    meeting = next(line for line in lines if "4次" in line)
    publicity = next(line for line in lines if "12场" in line)
    assert meeting != publicity


async def test_revise_shorter_keeps_grammar_around_dropped_modifiers(writer: Writer) -> None:
    draft = "镇党委非常认真地开展了学法活动，工作作风扎实，坚持全面依法治国。"

    result = await writer.revise(draft, "更简洁")

    assert "镇党委开展了学法活动" in result.text
    assert "非常地" not in result.text
    assert "工作作风扎实" in result.text


async def test_revise_formal_that_changes_nothing_says_so(writer: Writer) -> None:
    draft = "全年开展宪法宣传活动12场。"

    result = await writer.revise(draft, "更正式")

    assert "原文未改动" in result.text.splitlines()[0]
    assert any("大模型" in warning for warning in result.warnings)


async def test_a_key_date_question_leads_with_the_calendars_card(searcher: Searcher) -> None:
    calendar = load_calendar(KNOWLEDGE / "calendar.toml")
    writer = Writer(
        searcher,
        None,
        load_prompts(ROOT / "prompts"),
        key_dates=lambda question, today: key_date_cards(question, calendar, today),
    )
    when = TimeFrame(today=dt.date(2026, 12, 4), report_year=2026)

    answered = await writer.ask("今年宪法宣传周是哪几天", when=when)
    only_the_card = await writer.ask("中华慈善日是哪天", when=when)

    _label, card, *sections = answered.text.split("\n\n")
    assert card.startswith("〔重要日期 · 宪法宣传周〕\n2026年宪法宣传周：2026年12月1日")
    assert sections and "〔《" in sections[0]  # the guidance follows
    assert "〔重要日期 · 中华慈善日〕" in only_the_card.text
    assert "没有找到" not in only_the_card.text
