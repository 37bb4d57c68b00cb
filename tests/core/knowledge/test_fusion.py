"""Fusion helpers: the source-diversified top k, scaling, top positive scores."""

from __future__ import annotations

import random

import numpy as np
import pytest

from bot.core.knowledge.fusion import (
    HEADING_WEIGHT,
    SAME_SOURCE_DECAY,
    dense_share,
    diversified,
    feedback_texts,
    mixed,
    scaled,
    top_positive,
)


def _greedy(scores: dict[int, float], source_of: dict[int, str], k: int) -> list[int]:
    """The definition: repeatedly take the best score after each source's discount."""
    pool, taken, chosen = dict(scores), dict[str, int](), []
    while pool and len(chosen) < k:
        best = max(pool, key=lambda i: pool[i] * SAME_SOURCE_DECAY ** taken.get(source_of[i], 0))
        pool.pop(best)
        taken[source_of[best]] = taken.get(source_of[best], 0) + 1
        chosen.append(best)
    return chosen


def test_diversified_matches_the_greedy_definition_on_random_pools() -> None:
    rng = random.Random(7)
    for _ in range(200):
        scores = {i: rng.random() for i in rng.sample(range(500), rng.randint(1, 60))}
        source_of = {i: f"doc{rng.randint(0, 4)}" for i in scores}
        k = rng.randint(1, 12)

        result = diversified(scores, source_of.__getitem__, k)

        assert [index for index, _ in result] == _greedy(scores, source_of, k)
        assert [score for _, score in result] == sorted((s for _, s in result), reverse=True)


def test_a_second_passage_of_the_same_document_is_discounted() -> None:
    result = diversified({1: 1.0, 2: 0.9, 3: 0.75}, {1: "a", 2: "a", 3: "b"}.__getitem__, 3)

    assert [index for index, _ in result] == [1, 3, 2]
    assert result[2][1] == 0.9 * SAME_SOURCE_DECAY


def test_passages_kept_first_count_for_their_sources_discount() -> None:
    scores = {1: 1.0, 2: 0.9, 3: 0.85, 4: 0.5}
    source_of = {1: "a", 2: "a", 3: "b", 4: "c"}.__getitem__

    result = diversified(scores, source_of, 4, chosen=[(2, 0.9)])

    assert [index for index, _ in diversified(scores, source_of, 4)] == [1, 3, 2, 4]
    assert [index for index, _ in result] == [2, 3, 1, 4]  # 1 is now a's second passage
    assert result[2][1] == SAME_SOURCE_DECAY * 1.0


def test_keyword_and_dense_scores_are_mixed_by_the_dense_share_times_the_prior() -> None:
    lexical = np.array([0.0, 4.0, 2.0, 0.0])
    dense = [(1, 0.0), (3, 1.0)]

    fused = mixed(lexical, dense, 0.25, factor=lambda index: 0.5 if index == 3 else 1.0)

    assert fused == {1: 0.75, 2: 0.0, 3: 0.125}


def test_a_heading_score_is_added_to_the_passages_found_before_the_prior() -> None:
    lexical = np.array([0.0, 4.0, 2.0, 0.0])
    headings = np.array([1.0, 0.0, 1.0, 0.5])  # passage 0 was found by neither side

    fused = mixed(lexical, [(3, 1.0)], 0.25, lambda i: 0.5 if i == 3 else 1.0, headings)

    assert set(fused) == {1, 2, 3}
    assert fused[2] == pytest.approx(HEADING_WEIGHT)
    assert fused[3] == pytest.approx((0.25 + 0.5 * HEADING_WEIGHT) * 0.5)


def test_only_first_results_holding_the_querys_words_give_feedback() -> None:
    tokens = ["中心", "心组", "学法"]
    passages = [("甲", "中心组集体学法"), ("乙", "学法用法"), ("丙", "宪法宣传周")]

    assert feedback_texts(passages, tokens) == ["甲", "乙"]


def test_scaling_and_top_positive() -> None:
    assert scaled([(1, 2.0), (2, 4.0)]) == [(1, 0.0), (2, 1.0)]
    assert scaled([(1, 3.0)]) == [(1, 1.0)]
    assert list(top_positive(np.array([0.0, 2.0, 1.0, 0.0]), 3)) == [1, 2]


def test_the_dense_share_grows_as_the_best_keyword_match_misses_the_querys_words() -> None:
    own = ["开篇", "第一", "一段"]
    shares = [
        dense_share(0.3, own, [*own, "开头"], best)
        for best in ("开篇第一段", "报告开头第一", "宪法宣传周")
    ]

    assert shares[0] == 0.3 and shares[0] < shares[1] < shares[2] == 0.5
    # An official term the passage holds counts for the everyday word it stands for.
    assert dense_share(0.3, own, [*own, "开头"], "开头第一段") == 0.3
    assert dense_share(0.0, own, own, "宪法宣传周") == 0.0  # keywords only stays so
