"""Which sections answer a question: the search's order and the heading match, weighed together."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.knowledge.lexical import SynonymTable
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.passages import Passage
from bot.core.writing.answers import answer_order, asks_own_figures, clauses, relevant_passages
from bot.core.writing.finding import RULE_KINDS
from bot.core.writing.prompts import load_prompts
from bot.core.writing.wording import Lexicon, content_terms, coverage
from bot.core.writing.writer import Writer

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def writer(knowledge_base: KnowledgeBase) -> Writer:
    """A writer over the bundled knowledge, without a model, as the bot builds it."""
    return Writer(
        knowledge_base, None, load_prompts(ROOT / "prompts"), synonyms=knowledge_base.synonyms
    )


PAGE = "公文页码用几号字、放在什么位置？"
PAPER = "公文用什么纸，每页几行几字？"
SECTIONS = {
    PAGE: "页码用4号半角宋体阿拉伯数字，单页码居右空一字。",
    PAPER: "用A4纸，一般每面22行、每行28个字。",
    "附件说明怎么写？": "附件说明在正文下空一行左空二字编排。",
}


def _passage(heading: str, score: float) -> Passage:
    return Passage(
        text=f"{heading}\n{SECTIONS[heading]}",
        title="公文格式",
        heading=heading,
        source="format.md",
        kind="guidance",
        score=score,
        chunk_id=heading,
    )


def _section(passage: Passage) -> list[Passage]:
    return [passage]


def test_the_section_first_by_heading_answers_when_its_words_cover_the_question() -> None:
    question = "公文每页几行"  # the search put the page-number section first
    found = [_passage(PAGE, 1.0), _passage(PAPER, 0.9)]
    headed = [_passage(PAPER, 0.93), _passage(PAGE, 0.90)]

    order = answer_order(question, found, [], headed, section=_section)

    assert [p.heading for p in order] == [PAPER]


def test_both_rankings_agreeing_on_a_section_make_it_an_answer() -> None:
    question = "附件那个部分的排版规矩"  # one word of four in the section: too few alone
    found = [_passage("附件说明怎么写？", 1.0), _passage(PAGE, 0.9)]
    headed = [_passage("附件说明怎么写？", 0.91), _passage(PAPER, 0.90)]

    assert relevant_passages(question, found, lead=None) == []
    order = answer_order(question, found, [], headed, section=_section)

    assert [p.heading for p in order] == ["附件说明怎么写？"]
    assert answer_order(question, found, [], [], section=_section) == []


def test_sections_that_answer_are_ranked_by_both_orders_each_once() -> None:
    question = "页码和每页行数"
    found = [_passage(PAGE, 1.0), _passage(PAGE, 0.95), _passage(PAPER, 0.5)]
    headed = [_passage(PAPER, 0.93), _passage(PAGE, 0.80)]

    order = answer_order(question, found, found, headed, section=_section)

    # PAGE: ranks 0 and 1 (1/3 + 1/4); PAPER: ranks 1 and 0 — a tie keeps the search's order.
    assert [p.heading for p in order] == [PAGE, PAPER]
    assert order[0] is found[0]


def publishing(text: str) -> Passage:
    """A guidance passage of the section on when the report is published."""
    return Passage(
        text=text,
        title="报送和公开",
        heading="年度报告什么时候公开？",
        source="deadlines.md",
        kind="guidance",
        score=1.0,
    )


def test_a_word_staff_use_counts_where_the_passage_has_the_official_term() -> None:
    table = SynonymTable(((("挂网",), ("公开",)),))
    passage = publishing("每年4月1日前，年度报告应当通过网站向社会公开。")
    terms = content_terms("报告挂网")

    assert terms == {"报告", "挂网"}
    assert coverage(terms, passage) == 0.5
    assert coverage(terms, passage, Lexicon(table.expand)) == 1.0
    assert relevant_passages("报告挂网", [passage], 0.8, lead=None) == []
    assert relevant_passages("报告挂网", [passage], 0.8, lead=None, lexicon=Lexicon(table.expand))


def test_a_word_reads_as_the_everyday_phrase_of_the_question_it_is_part_of() -> None:
    # The table knows 报告挂网 (publishing the report), and 挂网 alone as 政务公开.
    table = SynonymTable(((("报告挂网",), ("向社会公开",)), (("挂网",), ("政务公开",))))
    passage = publishing("每年4月1日前向社会公开，公开前先做保密审查。")
    question = "报告挂网之前还要走啥程序吗"
    terms = content_terms(question)

    assert table.expand("挂网") == ["政务公开"]
    assert table.expand("挂网", context=question) == ["向社会公开", "政务公开"]
    plain, read_in_question = (
        Lexicon(table.expand),
        Lexicon(table.expand).for_one_question(question),
    )
    assert coverage(terms, passage, read_in_question) > coverage(terms, passage, plain)


def test_words_made_only_of_function_characters_are_not_question_content() -> None:
    assert content_terms("报告挂网之前还要走啥程序吗") == {"报告", "挂网", "之前", "程序"}
    assert "让我" not in content_terms("领导让我先搭个框架")  # pronouns say nothing either


def test_a_run_of_characters_jieba_made_no_word_of_counts_by_its_pairs() -> None:
    def held(heading: str) -> Passage:
        return Passage(text="", title="", heading=heading, source="g.md", kind="guidance", score=1)

    terms = content_terms("这个规定是哪年谁发的")
    assert "哪年谁发" in terms
    # 哪年 is one of the run's three pairs: the heading that says it holds a third of the run.
    assert coverage(terms, held("规定哪年印发")) > coverage(terms, held("规定的内容"))


def test_headings_find_the_section_a_question_names_in_other_words(
    knowledge_base: KnowledgeBase,
) -> None:
    found = knowledge_base.headings("年报总共要写几块内容", 3, kind="guidance")

    assert found and {p.kind for p in found} == {"guidance"}
    assert any("哪几部分" in p.heading for p in found)
    assert found == sorted(found, key=lambda p: -p.score)
    assert knowledge_base.headings("年报总共要写几块内容", 3, kind="report")[0].kind == "report"


async def test_a_question_about_the_outlines_tasks_is_answered_from_the_outline(
    writer: Writer,
) -> None:
    result = await writer.ask("纲要部署了哪些主要任务")

    assert "法治政府建设实施纲要" in result.sources[0].title
    assert "体系" in result.text


def test_a_long_word_and_the_parts_jieba_also_gives_count_as_one_word() -> None:
    def held(text: str) -> Passage:
        return Passage(text=text, title="", heading="", source="g.md", kind="guidance", score=1)

    terms = {"一把手", "一把", "把手", "述法"}
    assert coverage(terms, held("一把手年终述法")) == 1.0
    assert coverage(terms, held("年终述法")) == 0.5  # 一把手 absent: one word of two
    # Not there as said, but its parts are in part: 当家做主 against 当家作主.
    assert coverage({"当家做主", "当家", "做主"}, held("人民当家作主")) == 0.5


def test_a_list_answers_by_its_best_item_not_by_words_scattered_over_its_items() -> None:
    advice = Passage(
        text="不足怎么写？\n1. 问题要具体：全乡持证干部仅4人。\n2. 避免空话。\n"
        "3. 回应上级考核指出的问题。",
        title="", heading="不足怎么写？", source="g.md", kind="guidance", score=1,
    )  # fmt: skip

    # 考核 in one item, 干部 in another: no item holds both, as no one item answers.
    assert coverage({"考核", "干部"}, advice) == 0.5
    assert coverage({"考核", "问题"}, advice) == 1.0  # one item holds both
    assert coverage({"不足", "考核"}, advice) == 1.0  # the heading counts with every item


def test_a_question_for_the_askers_own_figures_is_told_apart_from_one_about_rules() -> None:
    assert asks_own_figures("咱县2024年普法考核排名第几")
    assert asks_own_figures("本镇去年一共受理了几件行政复议")
    # A rule with a number in it, another unit's figures, a plan: the knowledge may hold them.
    assert not asks_own_figures("行政执法时至少要几个人")
    assert not asks_own_figures("我们镇执法要几个人到场")  # no year: a rule, not a record
    assert not asks_own_figures("别的乡镇去年调解了多少起纠纷")
    assert not asks_own_figures("我们镇去年的报告要写哪几部分")


def test_a_word_most_passages_hold_counts_for_less() -> None:
    passage = Passage(
        text="法治政府建设年度报告哪天前报送", title="", heading="", source="g.md", kind="guidance",
        score=1,
    )  # fmt: skip
    shares = {"法治": 0.6, "建设": 0.5}
    lexicon = Lexicon(share=lambda word: shares.get(word, 0.01))
    terms = {"法治", "建设", "考核", "排名"}

    assert coverage(terms, passage) == 0.5  # two words of four
    assert coverage(terms, passage, lexicon) < 0.25  # both found words are everywhere
    assert coverage({"报送", "考核"}, passage, lexicon) == 0.5  # rare words count whole
    assert relevant_passages("法治建设考核排名", [passage], lead=None, lexicon=lexicon) == []
    everywhere = Lexicon(share=lambda word: 1.0)
    assert coverage({"法治", "建设"}, passage, everywhere) == 1.0  # still counted, never 0/0


def test_the_index_knows_how_many_passages_hold_a_word(knowledge_base: KnowledgeBase) -> None:
    assert knowledge_base.word_share("法治") > 0.5  # in most passages of the bundled knowledge
    assert 0 < knowledge_base.word_share("枫桥经验") < 0.1
    assert knowledge_base.word_share("电子表格") == 0.0
    assert knowledge_base.word_share("") == 0.0


async def test_a_question_sharing_only_common_words_with_the_guidance_is_declined(
    writer: Writer,
) -> None:
    result = await writer.ask("我们乡法治政府建设考评在全县第几名")

    assert "知识库中没有找到相关内容" in result.text


def test_a_question_of_several_sentences_is_split_into_them() -> None:
    assert clauses("页码用几号字？附件说明放在哪里？") == ["页码用几号字", "附件说明放在哪里"]
    assert clauses("页码用几号字？") == []
    assert clauses("年报几号交？行吗？") == []  # 行吗 has no words of its own to search by
    # In a chat, a space often ends a sentence; keyword lists stay one question.
    assert clauses("三项制度是哪个文件提出的 现在写进法律了没") == [
        "三项制度是哪个文件提出的",
        "现在写进法律了没",
    ]
    assert clauses("行政执法人员 培训 学时") == []


async def test_each_sentence_of_a_two_part_question_gets_its_section(writer: Writer) -> None:
    result = await writer.ask("页码用几号字？附件说明放在哪里？")

    headings = [p.heading for p in result.sources]
    assert any("页码" in h for h in headings) and any("附件说明" in h for h in headings)
    assert "4号" in result.text and "附件说明" in result.text


def test_a_law_article_answers_only_when_it_holds_most_of_the_question() -> None:
    def passage(kind: str) -> Passage:
        text = "公司合并，应当由合并各方签订合并协议。"
        return Passage(text=text, title="公司法", heading="", source="f", kind=kind, score=1)

    question = "合并协议用的表格格式"  # half of its words are in the article
    law, guidance = passage("law"), passage("guidance")

    assert relevant_passages(question, [law], lead=None) == []
    assert relevant_passages(question, [guidance], lead=None) == [guidance]


async def test_answers_search_without_the_heading_score_as_they_weigh_headings_apart(
    knowledge_base: KnowledgeBase,
) -> None:
    calls: list[tuple[object, bool]] = []

    class Recording:
        def __getattr__(self, name: str) -> object:
            return getattr(knowledge_base, name)

        def search(self, query: str, k: int = 5, **options: object) -> list[Passage]:
            calls.append((options.get("kind"), bool(options.get("by_heading", True))))
            return knowledge_base.search(query, k, **options)  # type: ignore[arg-type]

    writer = Writer(Recording(), None, load_prompts(ROOT / "prompts"))  # type: ignore[arg-type]
    await writer.ask("年度报告什么时候报送")

    rule_searches = [by_heading for kind, by_heading in calls if kind == RULE_KINDS]
    assert rule_searches and not any(rule_searches)
