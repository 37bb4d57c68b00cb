"""Offline answers to requirement questions: which passages answer, and the answer as whole units.

An answer is one whole section of the guidance (or one law article), in full and in order, with
its source, never loose sentences; when nothing answers, it says so and names the nearest topics.
Sections are found two ways: by the search over their text, and by their question-like headings
(knowledge/headings.py); `answer_order` weighs both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.core.passages import HEADING_SEPARATOR, Passage
from bot.core.writing.composer import Composed
from bot.core.writing.wording import PLAIN, Lexicon, content_terms, coverage, word_count, words_held

OFFLINE_ANSWER_LABEL = "【离线模式：未使用大模型，以下是知识库中最相关的完整段落。】"
NOT_FOUND = "知识库中没有找到相关内容。"
# Under a model's answer: the whole sections it was given, in the source's words.
QUOTED_LABEL = "【依据原文】"
# A question about the asker's own unit's figures (「我们镇去年一共办了多少件」, 「我县考核排第几」):
# the knowledge holds requirements and other units' public reports, never the asker's records,
# so any section that shares a word or two with it would be a wrong answer. Own unit, a year
# that has passed or is running, and a count, a score or a rank, all three.
_OWN_UNIT = re.compile(r"(?:我们|咱们|咱|我|本)(?:镇|乡|县|街道|村|社区|单位|区)")
_PAST_YEAR = re.compile(r"去年|今年|前年|上一?年度?|\d{4}年|全年")
_HOW_MANY = re.compile(r"(?:多少|几)(?:件|次|个|人|场|起|份|名|分|万|元|家|户|条|项|位)|第几|排名")
OWN_FIGURES = (
    "知识库里是制度要求和其他单位公开的报告，没有贵单位自己的统计数字、考核得分或排名，"
    "这些请以本单位台账和县里的通报为准。写年度报告时，可以用 /facts 把本单位的数字记下来"
    "（例如 /facts 全年办理行政处罚案件12件），起草只用您给的数字，没给的会留【待补充】。"
)
# Share of the question's content words a passage must contain to count as an answer.
# Measured by bench/drafting_bench.py on the bundled guidance (29 questions): answerable ones
# scored 0.50-1.00, unrelated ones 0.00-0.29.
ANSWER_THRESHOLD = 0.4
# Reports are only a fallback for questions about practice; they match loosely, so ask for more
# (unrelated questions reached 0.50 on reports, practice questions 0.67 and above).
PRACTICE_THRESHOLD = 0.6
# Law articles are many (a law folder holds tens of thousands) and use every kind of word, so one
# of them shares some words with nearly any question: an article answers only when it holds this
# much of the question. With the 900 laws of the shared corpus ingested, bench/answers_bench.py
# --laws: declined 14/43 → 27/43 with 0.8, key facts 358 → 357 of 380 (0.6: 22/43, 357).
LAW_THRESHOLD = 0.8
# An answer is one whole section (at most this long), plus a second one that answers nearly
# as well; sections in knowledge/guidance are written to be at most 600 characters.
MAX_UNIT_CHARS = 1200
MAX_ANSWER_CHARS = 1600
MAX_ANSWER_CANDIDATES = 4
# A found passage whose search score leads the next one's by this much answers even when few
# of the question's words are in it, as long as one is: colloquial questions carry words no
# document uses (那阵, 行不行). Measured on bench/answers_bench.py's three sets: the lead of a
# question that should be declined was at most 0.33, of an answered one up to 0.79.
CLEAR_LEAD = 0.5
SECOND_UNIT_SHARE = 0.85
# How many sections the heading match offers, and the offset of reciprocal-rank fusion
# (1 / (RANK_OFFSET + rank)); 3 and 5 offered measured best on bench/answers_bench.py (1 and 10,
# 1 and 3 offered, each lower or equal on a set).
HEADING_CANDIDATES = 5
RANK_OFFSET = 3
# The section the heading match puts first answers on its own when its words (heading counted
# twice, as _unit_score does) cover this much of the question.
HEADING_SHARE = 0.5
_CLAUSE_END = re.compile(r"[？?！!；;。\s]")


def relevant_passages(
    question: str,
    passages: Sequence[Passage],
    threshold: float = ANSWER_THRESHOLD,
    *,
    lead: float | None = CLEAR_LEAD,
    lexicon: Lexicon = PLAIN,
) -> list[Passage]:
    """Passages that answer enough of the question, best first. With `lead`, passages in the
    search's order: the first also counts when its score leads the second's by `lead`.
    `lexicon`: see coverage."""
    terms = content_terms(question)
    scored = [(coverage(terms, p, lexicon), i, p) for i, p in enumerate(passages)]
    if lead is not None and _leads(passages, lead) and scored[0][0] > 0:
        scored[0] = (max(scored[0][0], threshold), 0, passages[0])
    return [
        p
        for score, _, p in sorted(scored, key=lambda t: (-t[0], t[1]))
        if score >= (max(threshold, LAW_THRESHOLD) if p.kind == "law" else threshold)
    ]


def _leads(passages: Sequence[Passage], lead: float) -> bool:
    """Whether the search put the first passage clearly ahead of the second."""
    second = passages[1].score if len(passages) > 1 else 0.0
    return bool(passages) and passages[0].score - second >= lead


def answer_order(
    question: str,
    found: Sequence[Passage],
    relevant: Sequence[Passage],
    headed: Sequence[Passage],
    *,
    section: Callable[[Passage], list[Passage]],
    lexicon: Lexicon = PLAIN,
) -> list[Passage]:
    """The passages to answer from, one per section, best first.

    Sections are ranked by their place in the search's results (`found`) and in the heading
    match (`headed`), fused by reciprocal rank. A section answers when one of its found passages
    is `relevant`, when both rankings put it first and it shares a word with the question, or
    when the heading match puts it first and its words cover HEADING_SHARE of the question."""
    terms = content_terms(question)
    units = {id(p): section(p) or [p] for p in [*found, *headed]}
    key = {pid: _unit_key(unit) for pid, unit in units.items()}
    by_search = list(dict.fromkeys(key[id(p)] for p in found))
    by_heading = list(dict.fromkeys(key[id(p)] for p in headed))
    first: dict[tuple[str, str], Passage] = {}
    for passage in [*found, *headed]:
        first.setdefault(key[id(passage)], passage)
    answering = {key[id(p)] for p in relevant if id(p) in key}
    if by_heading:
        top = by_heading[0]
        shares = coverage(terms, first[top], lexicon) > 0
        agreed = bool(by_search) and by_search[0] == top and shares
        if agreed or _unit_score(terms, units[id(first[top])], lexicon) >= HEADING_SHARE:
            answering.add(top)

    def fused(unit: tuple[str, str]) -> float:
        ranks = [order.index(unit) for order in (by_search, by_heading) if unit in order]
        return sum(1 / (RANK_OFFSET + rank) for rank in ranks)

    keys = [unit for unit in first if unit in answering]  # ties: the search's order first
    return [first[unit] for unit in sorted(keys, key=lambda k: -fused(k))]


def _unit_key(unit: Sequence[Passage]) -> tuple[str, str]:
    """Which unit passages belong to: the first passage of their section (section())."""
    return unit[0].source, unit[0].chunk_id or unit[0].text[:40]


def compose_answer(
    question: str,
    relevant: Sequence[Passage],
    *,
    section: Callable[[Passage], list[Passage]] = lambda passage: [passage],
    nearby: Sequence[Passage] = (),
    lexicon: Lexicon = PLAIN,
    also: Sequence[Passage] = (),
) -> Composed:
    """The answer as whole units: the section (or law article) that best answers the question,
    in full and in order, with its source; a second one when it answers nearly as well.

    `relevant`: the passages that answer (relevant_passages), in the order to weigh them.
    `section(passage)` gives the passages of the section a passage sits in. With none, the
    answer says so and names the nearest topics among `nearby`. `lexicon`: see coverage.
    `also`: the best passages for the sentences of a question of several (clauses); the
    first one's section not yet chosen follows the best one, before the second one, as long as
    the answer stays within MAX_ANSWER_CHARS."""
    if not relevant:
        return Composed(_not_found(nearby), ())
    terms = content_terms(question)
    units: list[tuple[float, int, list[Passage]]] = []
    seen: set[tuple[str, str]] = set()
    for rank, passage in enumerate(relevant[:MAX_ANSWER_CANDIDATES]):
        unit = _unit(passage, section)
        if _unit_key(unit) in seen:
            continue
        seen.add(_unit_key(unit))
        units.append((_unit_score(terms, unit, lexicon), rank, unit))
    best_score = units[0][0]
    chosen = [units[0][2]]

    def fits(unit: list[Passage]) -> bool:
        size = sum(len(p.text) for u in [*chosen, unit] for p in u)
        return _unit_key(unit) not in {_unit_key(u) for u in chosen} and size <= MAX_ANSWER_CHARS

    chosen += [unit for unit in (_unit(p, section) for p in also) if fits(unit)][:1]
    for score, _, unit in sorted(units[1:], key=lambda item: (-item[0], item[1])):
        if score >= SECOND_UNIT_SHARE * best_score and fits(unit):
            chosen.append(unit)
            break
    blocks = [OFFLINE_ANSWER_LABEL]
    for unit in chosen:
        top = unit[0]
        heading = top.heading.split(HEADING_SEPARATOR)[0] if top.heading else ""
        cite = f"《{top.title}》 · {heading}" if heading else f"《{top.title}》"
        blocks.append(f"〔{cite}〕\n" + "\n".join(p.text.strip() for p in unit))
    return Composed("\n\n".join(blocks), tuple(unit[0] for unit in chosen))


def _unit(passage: Passage, section: Callable[[Passage], list[Passage]]) -> list[Passage]:
    """The section a passage sits in; a long section: the passage that matched alone."""
    unit = section(passage) or [passage]
    return unit if sum(len(p.text) for p in unit) <= MAX_UNIT_CHARS else [passage]


def asks_own_figures(question: str) -> bool:
    """Whether the question asks for the asker's own unit's figures (see OWN_FIGURES)."""
    return all(pattern.search(question) for pattern in (_OWN_UNIT, _PAST_YEAR, _HOW_MANY))


def own_figures_answer() -> Composed:
    """Say that the knowledge base has no unit's own figures, and how drafts get them."""
    return Composed(f"{OFFLINE_ANSWER_LABEL}\n{NOT_FOUND}{OWN_FIGURES}", ())


def clauses(question: str) -> list[str]:
    """The sentences of a question of several (「…吗？出去执法有啥要求？」; in a chat a space
    often ends one: 「…哪个文件提出的 现在写进法律了没」), each with words of its own to search
    by; [] for a question of one."""
    parts = [part.strip() for part in _CLAUSE_END.split(question)]
    found = [part for part in parts if word_count(content_terms(part), PLAIN) >= 2]
    return found if len(found) > 1 else []


def with_key_dates(composed: Composed, cards: Sequence[str], *, answered: bool) -> Composed:
    """The answer with the calendar's cards on the key dates asked about first
    (calendar/date_answers.py); when no section answers, the cards alone."""
    blocks = [OFFLINE_ANSWER_LABEL, *cards]
    if answered:
        blocks.append(composed.text.removeprefix(OFFLINE_ANSWER_LABEL).strip())
    return Composed("\n\n".join(blocks), composed.sources)


def _unit_score(terms: set[str], unit: Sequence[Passage], lexicon: Lexicon = PLAIN) -> float:
    """How well a unit answers: its words, with its own heading counted again (a section's
    heading says what question it answers)."""
    if not terms:
        return 0.0
    heading = unit[0].heading.split(HEADING_SEPARATOR)[0] if unit[0].heading else ""
    body = unit[0].title + heading + "".join(p.text for p in unit)
    found = words_held(terms, body, lexicon) + words_held(terms, heading, lexicon)
    return found / word_count(terms, lexicon)


def _not_found(nearby: Sequence[Passage]) -> str:
    """Say plainly that nothing answers, and name the nearest topics there are."""
    topics: list[str] = []
    for passage in nearby:
        heading = passage.heading.split(HEADING_SEPARATOR)[0] if passage.heading else ""
        topic = f"《{passage.title}》{heading and ' · ' + heading}"
        if topic not in topics and passage.kind != "law":
            topics.append(topic)
    text = f"{OFFLINE_ANSWER_LABEL}\n{NOT_FOUND}"
    if topics:
        text += "知识库中相近的主题有：\n" + "\n".join(f"· {t}" for t in topics[:3])
        text += "\n可以换个说法再问，或发送 /examples 加主题查看范文。"
    return text
