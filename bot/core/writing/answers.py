"""Offline answers to requirement questions: which passages answer, and the answer as whole units.

An answer is one whole section of the guidance (or one law article), in full and in order, with
its source, never loose sentences; when nothing answers, it says so and names the nearest topics.
Sections are found two ways: by the search over their text, and by their question-like headings
(knowledge/headings.py); `answer_order` weighs both.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import jieba

from bot.core.knowledge.chunking import list_items
from bot.core.normalization import spoken_forms
from bot.core.passages import HEADING_SEPARATOR, Passage
from bot.core.writing.composer import Composed

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

# A word most passages hold (法治, 政府, 建设) says little about which section answers: it
# counts as less than one word when its inverse document frequency, ln(1 / share of passages
# holding it), is below this (2.0: a word in more than about one passage in eight). Questions
# that share only such words with the guidance were answered with an unrelated section (「我们县
# 去年法治政府建设考核得了多少分」). Measured on bench/answers_bench.py's seven sets: declined
# 21/33 → 27/33 with every answer that held its key facts still holding them; 1.0 and 1.5
# declined fewer, 3.0 and 3.5 lost answers.
COMMON_IDF = 2.0


class Expand(Protocol):
    """The official terms for a word (SynonymTable.expand); `context`: the question it is in."""

    def __call__(self, query: str, *, context: str = "") -> Sequence[str]: ...


@dataclass(frozen=True)
class Lexicon:
    """How a question's words are read against the knowledge base.

    `expand(word)`: the official terms that say the same (knowledge/synonyms.toml, the table
    the search expands queries with): staff write 挂网 where the guidance says 公开.
    `share(word)`: the share of passages holding the word (Searcher.word_share)."""

    expand: Expand | None = None
    share: Callable[[str], float] | None = None

    def for_one_question(self, question: str) -> Lexicon:
        """The same reading for the words of `question`: each word also reads as the everyday
        phrase of the question it is part of (SynonymTable.expand's context), and each word's
        share is looked up once (weighing a question's words against every candidate passage
        asks for the same few words again and again)."""
        share = functools.cache(self.share) if self.share is not None else None
        expand = self.expand
        if expand is not None:
            expand = functools.cache(functools.partial(expand, context=question))
        return Lexicon(expand, share)

    def weight(self, word: str) -> float:
        """How much finding `word` counts: 1, less for a word most passages hold."""
        share = self.share(word) if self.share is not None else 0.0
        if share <= 0.0:
            return 1.0
        # Never nothing: a word every passage holds still tells a passage from an empty one.
        return min(1.0, max(0.1, math.log(1 / share) / COMMON_IDF))


_PLAIN = Lexicon()

# Question words that say nothing about the topic.
_QUESTION_WORDS = frozenset(
    [
        "什么",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "哪个",
        "多少",
        "是否",
        "可以",
        "能否",
        "应该",
        "需要",
        "必须",
        "要求",
        "规定",
        "有关",
        "关于",
        "一下",
        "请问",
        "我们",
        "我乡",
        "我镇",
        "还是",
        "以及",
        "或者",
        "这个",
        "那个",
        "时候",
        "情况",
        "一般",
        "那天",
        "这天",
        "这块",
        "那块",
        "这部分",
        "问题",
        "吗",
        "呢",
        "的",
        "了",
        "和",
        "与",
    ]
)
_DATE = re.compile(r"\d{1,2}月\d{1,2}日")
_CLAUSE_END = re.compile(r"[？?！!；;。]")
# Single characters that break such a run: function words between the words of a question.
_FUNCTION_CHARS = frozenset(
    "是的了用在和与及对把被给让向从为以于要能会有也都就还该这那个吗呢啊吧我你他她咱"
)


def content_terms(text: str) -> set[str]:
    """Words of two or more characters that carry meaning (jieba, question words removed),
    plus each run of single characters jieba could not make a word of (页 边 距 → 页边距)."""
    text = spoken_forms(text)
    terms: set[str] = set(_DATE.findall(text))  # jieba cuts 4月15日 into digits and 月, 日
    run = ""
    for word in [*jieba.cut_for_search(text), " "]:
        if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and word not in _FUNCTION_CHARS:
            run += word
            continue
        if len(run) >= 2 and not _asks(run):
            terms.add(run)
            # Its character pairs too: a run counts by the share of them a passage holds.
            terms.update(run[i : i + 2] for i in range(len(run) - 1) if len(run) > 2)
        run = ""
        if len(word) >= 2 and not _asks(word) and not word.isdigit():
            terms.add(word)
    return terms


def _asks(word: str) -> bool:
    """A word that only frames the question: 什么 and the like, or a spoken one (搞啥, 咋标,
    对吧) that jieba glued to a question character."""
    return (
        word in _QUESTION_WORDS
        or any(c in word for c in "啥咋")
        or word[-1] in "吧吗呢"
        or all(c in _FUNCTION_CHARS for c in word)  # 还要, 就是: function words glued
    )


def coverage(terms: set[str], passage: Passage, lexicon: Lexicon = _PLAIN) -> float:
    """Share of `terms` that occur in the passage, its heading or its title, each counted by
    its weight; a term also counts when one of its official terms occurs (挂网 → 政务公开).
    A passage holding a list counts by its best item: words scattered over several items
    (考核 in one, 干部 in another) do not make it an answer."""
    if not terms:
        return 0.0
    found = max(
        _found(terms, f"{passage.title}{passage.heading}{piece}", lexicon)
        for piece in list_items(passage.text)
    )
    return found / _word_count(terms, lexicon)


def _occurs(term: str, text: str, expand: Expand | None) -> bool:
    return term in text or (expand is not None and any(o in text for o in expand(term)))


def _found(terms: set[str], text: str, lexicon: Lexicon) -> float:
    """How much of the question's words `text` holds, each word by its weight. jieba also gives
    the parts of a long word (一把手 → 一把, 把手): a word counts once, whole when it (or an
    official term for it) occurs, else by the share of its parts that do (当家做主 against
    当家作主: a half)."""
    total = 0.0
    expand = lexicon.expand
    for word, parts in _words(frozenset(terms)).items():
        if _occurs(word, text, expand):
            total += lexicon.weight(word)
        elif parts:
            held = sum(_occurs(part, text, expand) for part in parts) / len(parts)
            total += held * lexicon.weight(word)
    return total


def _word_count(terms: set[str], lexicon: Lexicon) -> float:
    return sum(lexicon.weight(word) for word in _words(frozenset(terms)))


@functools.lru_cache(maxsize=256)
def _words(terms: frozenset[str]) -> dict[str, list[str]]:
    """Each term no other term contains, with the terms inside it (worked out once per
    question, not once per passage weighed)."""
    return {
        word: [part for part in terms if part != word and part in word]
        for word in terms
        if not any(word != other and word in other for other in terms)
    }


def relevant_passages(
    question: str,
    passages: Sequence[Passage],
    threshold: float = ANSWER_THRESHOLD,
    *,
    lead: float | None = CLEAR_LEAD,
    lexicon: Lexicon = _PLAIN,
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
    lexicon: Lexicon = _PLAIN,
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
    lexicon: Lexicon = _PLAIN,
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
    """The sentences of a question of several (「…吗？出去执法有啥要求？」), each with words of
    its own to search by; [] for a question of one."""
    parts = [part.strip() for part in _CLAUSE_END.split(question)]
    found = [part for part in parts if _word_count(content_terms(part), _PLAIN) >= 2]
    return found if len(found) > 1 else []


def with_key_dates(composed: Composed, cards: Sequence[str], *, answered: bool) -> Composed:
    """The answer with the calendar's cards on the key dates asked about first
    (calendar/date_answers.py); when no section answers, the cards alone."""
    blocks = [OFFLINE_ANSWER_LABEL, *cards]
    if answered:
        blocks.append(composed.text.removeprefix(OFFLINE_ANSWER_LABEL).strip())
    return Composed("\n\n".join(blocks), composed.sources)


def _unit_score(terms: set[str], unit: Sequence[Passage], lexicon: Lexicon = _PLAIN) -> float:
    """How well a unit answers: its words, with its own heading counted again (a section's
    heading says what question it answers)."""
    if not terms:
        return 0.0
    heading = unit[0].heading.split(HEADING_SEPARATOR)[0] if unit[0].heading else ""
    body = unit[0].title + heading + "".join(p.text for p in unit)
    found = _found(terms, body, lexicon) + _found(terms, heading, lexicon)
    return found / _word_count(terms, lexicon)


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
