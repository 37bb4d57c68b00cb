"""Query side of keyword search: bigrams within words, expansion, framing words."""

from __future__ import annotations

from bot.core.knowledge.chunking import OPENING
from bot.core.knowledge.lexical import (
    BM25Index,
    SynonymTable,
    bigram_tokens,
    expanded_query_tokens,
    query_text,
    query_tokens,
)
from bot.core.normalization import normalize_text
from tests.conftest import KNOWLEDGE_DIR


def test_query_bigrams_stay_inside_words() -> None:
    tokens = query_tokens("乡镇写过到寺院开展法治宣传")

    assert {"乡镇", "寺院", "开展", "法治", "宣传"} <= set(tokens)
    assert not {"过到", "到寺", "院开", "治宣"} & set(tokens)  # they straddle two words
    assert set(tokens) < set(bigram_tokens("乡镇写过到寺院开展法治宣传"))


def test_a_run_without_long_words_keeps_all_its_bigrams_and_numbers_stay_whole() -> None:
    assert query_tokens("学法") == ["学法"]  # jieba cuts it into 学/法
    assert query_tokens("2024年 12345热线")[:1] == ["2024"]
    assert "12345" in query_tokens("2024年 12345热线")
    assert query_tokens("") == []


def test_single_characters_jieba_left_alone_search_as_one_word_unless_they_ask() -> None:
    tokens = query_tokens("法治报告最晚几号要交上去")  # jieba: 法治/报告/最/晚/几号/要/交上去

    assert "最晚" in tokens
    assert "晚几" not in tokens and "要交" not in tokens  # 几号 is a word; 要 joins words
    assert "哪天" not in query_tokens("申报材料哪天截止")  # jieba: …/哪/天/截止: it asks


def test_framing_words_are_removed_but_a_query_of_only_them_is_kept() -> None:
    assert "怎么写" not in query_text("宪法宣传周活动怎么写")
    assert query_text("怎么写") == "怎么写"


def test_expansion_adds_only_new_tokens_so_the_rare_query_word_keeps_its_weight() -> None:
    tokens = expanded_query_tokens("寺院开展法治宣传", ["普法宣传活动", "法治宣传教育"])

    own = query_tokens("寺院开展法治宣传")
    assert tokens[: len(own)] == own
    assert tokens.count("宣传") == 1 and tokens.count("法治") == 1
    assert {"普法", "活动", "教育"} <= set(tokens[len(own) :])


def test_every_official_term_of_the_synonym_table_occurs_in_the_bundled_documents() -> None:
    table = SynonymTable.load(KNOWLEDGE_DIR / "synonyms.toml")
    corpus = "\n".join(
        normalize_text(path.read_text(encoding="utf-8"))
        for folder in ("reports", "guidance")
        for path in sorted((KNOWLEDGE_DIR / folder).iterdir())
    )

    missing = [
        term
        for _, official in table.entries
        for term in official
        if term != OPENING and term not in corpus
    ]

    assert len(table.entries) > 50
    assert missing == []  # an expansion to a term no document uses only adds noise


def test_feedback_searches_with_the_words_that_mark_the_first_results() -> None:
    # Two reports write the same work in the same official words, not in the asker's.
    texts = [
        "落实乡党委中心组集体学法制度",
        "镇党委理论学习中心组集体学法六次",
        *["宪法宣传周", "调解纠纷", "政务公开", "执法证件", "法律顾问", "消防安全", "禁毒宣传"],
    ]
    index = BM25Index.build(texts)

    scores = index.feedback_scores([texts[0]], known=set(query_tokens("领导干部学法")))

    # The other report is found through 中心组/集体, which the query never said; the rest hold
    # no feedback word (BM25+ gives each the same floor).
    assert scores[1] > scores[2:].max() and len(set(scores[2:])) == 1
    assert not index.feedback_scores([], known=set()).any()
