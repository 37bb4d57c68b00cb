"""Drafts with a model: the model rewrites the offline skeleton, and its text is checked against it."""

from __future__ import annotations

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.passages import Passage
from bot.core.writing.prompts import load_prompts
from bot.core.writing.rewrite import check_rewrite
from bot.core.writing.sections import load_sections
from bot.core.writing.writer import Writer
from tests.conftest import PROJECT_ROOT
from tests.fakes.openai_server import FakeOpenAIServer, chat_model
from tests.fakes.searchers import PlantedPassageSearcher

FACTS = "行政执法立案23件，办结21件；持证执法人员12名"
FIXED = load_sections().fixed_expressions


EXAMPLE_TOWN = Passage(
    text="（二）规范执法。全面推行行政执法三项制度，打造“法治李庄”品牌。",
    title="宝丰县李庄乡2023年法治政府建设情况报告",
    heading="一、主要举措和成效",
    source="reports/lizhuang.txt",
    kind="report",
    score=99.0,
    chunk_id="lizhuang#0",
)


def make_writer(server: FakeOpenAIServer, kb: KnowledgeBase) -> Writer:
    """The bundled knowledge plus one report passage from 宝丰县李庄乡."""
    searcher = PlantedPassageSearcher(kb, EXAMPLE_TOWN)
    return Writer(searcher, chat_model(server), load_prompts(PROJECT_ROOT / "prompts"))


async def test_the_model_is_given_the_skeleton_to_rewrite_and_examples_as_style_only(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply(
        "（一）规范执法程序。全年行政执法立案23件，办结21件。（二）加强执法队伍建设。持证执法人员12名。"
    )
    writer = make_writer(server, knowledge_base)

    await writer.draft("规范执法", FACTS, org="石门镇", year=2024)

    prompt = server.user_prompt()
    skeleton = prompt.split("<底稿>", 1)[1].split("</底稿>", 1)[0]
    assert "行政执法立案23件" in skeleton and "持证执法人员12名" in skeleton
    assert "（一）" in skeleton and "离线模式" not in skeleton
    assert "只用来参考语气和写法" in prompt.split("<资料>", 1)[0]


async def test_rewrite_keeping_every_fact_is_used_and_additions_are_marked(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply(
        "**（一）规范执法程序。**石门镇依据《湖南省行政执法全过程记录办法》，出台"
        "《石门镇关于加强法治政府建设的若干意见》，学习“法治李庄”和青石镇经验，形成“五办五中心”"
        "工作格局，组织召开公开听证会。全年行政执法立案23件，办结21件。\n"
        "（二）加强执法队伍建设。持证执法人员12名，聘请法律顾问23名。"
    )
    writer = make_writer(server, knowledge_base)

    result = await writer.draft("规范执法", FACTS, org="石门镇", year=2024)

    assert result.mode == "llm"
    assert result.text == (
        "（一）规范执法程序。石门镇依据【待核实：《湖南省行政执法全过程记录办法》】，出台"
        "【待核实：《石门镇关于加强法治政府建设的若干意见》】，学习“法治【待核实：单位名称】”和"
        "【待核实：青石镇】经验，形成“【待核实：五办五中心】”工作格局，组织召开公开【待核实：听证会】。"
        "全年行政执法立案23件，办结21件。\n"
        "（二）加强执法队伍建设。持证执法人员12名，聘请【待核实：法律顾问】【待核实：23名】。"
    )
    assert len(result.warnings) == 8


async def test_rewrite_that_loses_a_fact_falls_back_to_the_skeleton_and_says_so(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("（一）规范执法程序。全年行政执法立案23件，执法工作规范有序。")
    writer = make_writer(server, knowledge_base)

    result = await writer.draft("规范执法", FACTS, org="石门镇", year=2024)

    assert result.mode == "offline"
    assert result.warnings[0] == (
        "大模型改写时漏掉了您提供的事实（21件、12名），以下为按您的事实组装的离线稿件。"
    )
    assert "办结21件" in result.text and "持证执法人员12名" in result.text


async def test_a_fact_moved_to_another_subject_counts_as_lost(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("全年行政执法立案23件，办结21件，培训执法人员12名。")
    writer = make_writer(server, knowledge_base)

    result = await writer.draft("规范执法", "行政执法立案23件，办结21件；持证12名", year=2024)

    assert result.mode == "offline"
    assert "（12名）" in result.warnings[0]


def test_places_counts_and_titles_in_the_skeleton_or_facts_pass() -> None:
    skeleton = "（一）规范执法程序。依据《行政处罚法》，张庄村建成“一站式”服务站。"

    checked = check_rewrite(
        "依据《行政处罚法》，全镇各村和张庄村建成“一站式”服务站，二是抓好三项制度落实，十分重视。",
        skeleton,
        "",
        org="石门镇",
        fixed_expressions=FIXED,
    )

    assert checked.flagged == ()


def test_chinese_numerals_in_added_counts_are_caught() -> None:
    checked = check_rewrite("组建两支队伍，形成三中心。", "（一）组建队伍。", "", org=None)

    assert checked.flagged == ("两支队伍", "三中心")


async def test_a_revision_by_the_model_is_checked_against_the_draft(
    server: FakeOpenAIServer, knowledge_base: KnowledgeBase
) -> None:
    server.reply("依据《青石镇法治建设若干规定》，全年开展普法宣讲活动，法治氛围日益浓厚。")
    writer = make_writer(server, knowledge_base)

    result = await writer.revise("全年开展普法宣讲15场，法治氛围日益浓厚。", "更正式")

    assert result.mode == "llm"
    assert result.text.startswith("依据【待核实：《青石镇法治建设若干规定》】")
    assert result.warnings[-1] == "修改稿中不再有原稿的这些数字：15场，请确认是否应当删去。"


def test_fluent_wording_around_the_skeleton_is_not_marked() -> None:
    skeleton = "（一）加强组织领导。今年我镇党委召开专题会议4次研究法治建设工作。"

    checked = check_rewrite(
        "（一）加强组织领导。镇党委做到两手抓、两手硬，一是健全机制，二是压实责任。全年镇党委"
        "召开专题会议4次，推动各村（社区）同向发力，乡村振兴和基层治理取得新成效。",
        skeleton,
        "今年我镇党委召开专题会议4次研究法治建设工作。",
        org="青山镇",
        fixed_expressions=FIXED,
    )

    assert checked.flagged == ()
