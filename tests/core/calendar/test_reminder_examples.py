"""Examples under a reminder are about the date's own theme, from fakes and the real knowledge."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from bot.core.calendar.reminder_examples import Example, find_examples, rank_examples
from bot.core.calendar.reminder_text import compose_reminder
from bot.core.calendar.rules import Calendar, Occurrence, load_calendar
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.passages import Passage
from tests.conftest import PROJECT_ROOT


def _passage(text: str, source: str = "reports/a.txt", score: float = 1.0) -> Passage:
    return Passage(text=text, title="某镇报告", heading="", source=source, kind="report",
                   score=score, chunk_id=f"{source}:{text[:8]}")  # fmt: skip


class FakeSearcher:
    """Returns its passages for any query, recording the queries."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.queries: list[str] = []

    def search(
        self, query: str, k: int = 5, *, kind: object = None, year: object = None,
        issuer: object = None,
    ) -> list[Passage]:  # fmt: skip
        self.queries.append(query)
        return self.passages[:k]


@pytest.fixture(scope="module")
def bundled() -> Calendar:
    return load_calendar(PROJECT_ROOT / "knowledge" / "calendar.toml", report_deadline=None)


def _occurrence(cal: Calendar, key: str, year: int = 2027) -> Occurrence:
    window = cal.occurrences(date(year, 1, 1), date(year, 12, 31))
    return next(o for o in window if o.key == key and o.date.year == year)


def test_passages_not_mentioning_the_theme_are_left_out(bundled: Calendar) -> None:
    off_theme = _passage("镇党委理论学习中心组专题学习法律法规，领导干部带头学法。", score=9.0)
    on_theme = _passage("结合“重阳节”等活动，开展有针对性的法治宣传。", "reports/b.txt")
    searcher = FakeSearcher([off_theme, on_theme])

    examples = find_examples(searcher, _occurrence(bundled, "double-ninth"))

    assert examples is not None
    assert [example.passage for example in examples] == [on_theme]
    assert any("重阳" in query for query in searcher.queries)


def test_passages_naming_more_theme_words_come_first() -> None:
    one = _passage("发放宪法宣传资料。", "reports/a.txt", score=5.0)
    three = _passage("在“宪法宣传周”和12·4国家宪法日期间开展宪法宣誓。", "reports/b.txt", score=1.0)

    ranked = rank_examples([one, three], ["宪法宣传周", "国家宪法日", "宪法宣誓", "宪法"])

    assert [example.passage for example in ranked] == [three, one]


def test_one_passage_per_report_before_a_second_from_the_same_report() -> None:
    first, second = _passage("国家安全宣传一。", score=3.0), _passage("国家安全宣传二。", score=2.0)
    other = _passage("国家安全宣传三。", "reports/c.txt", score=1.0)

    ranked = rank_examples([first, second, other], ["国家安全"])

    assert [example.passage for example in ranked] == [first, other, second]


def test_excerpt_starts_at_the_sentence_that_names_the_theme() -> None:
    text = (
        "全年开展各类普法活动20余次，发放资料3000余份。" * 4 + "在“宪法宣传周”主题活动中组织宣讲。"
    )
    example = Example(_passage(text), ("宪法宣传周",))

    excerpt = example.excerpt()

    assert excerpt.startswith("…在“宪法宣传周”主题活动中")


def test_reminder_shows_the_examples_with_their_citation(bundled: Calendar) -> None:
    example = Example(_passage("重点宣传国家安全、信访工作条例等法律法规。"), ("国家安全",))

    text = compose_reminder(_occurrence(bundled, "national-security-day"), date(2027, 4, 8),
                            [example])  # fmt: skip

    assert "1. 重点宣传国家安全、信访工作条例等法律法规。" in text
    assert "出处：《某镇报告》" in text


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("national-security-day", "国家安全"),
        ("double-ninth", "重阳节"),
        ("constitution-week", "在2024年的“宪法宣传周”主题活动中"),
    ],
)
def test_real_knowledge_gives_examples_on_the_dates_own_theme(
    bundled: Calendar, knowledge_base: KnowledgeBase, key: str, expected: str
) -> None:
    examples = find_examples(knowledge_base, _occurrence(bundled, key))

    assert examples, key
    assert any(expected in example.excerpt() for example in examples)
