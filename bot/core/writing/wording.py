"""How a question's words are weighed against a passage: its content words (jieba, question
words and function characters removed), each word's weight by how many passages hold it, the
official terms the synonym table gives it, and the share of them a passage holds."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import jieba

from bot.core.knowledge.chunking import list_items
from bot.core.knowledge.lexical import FUNCTION_CHARS, with_char_runs
from bot.core.normalization import spoken_forms
from bot.core.passages import Passage

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


PLAIN = Lexicon()

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


def content_terms(text: str) -> set[str]:
    """Words of two or more characters that carry meaning (jieba, question words removed),
    plus each run of single characters jieba could not make a word of (页 边 距 → 页边距) and,
    for a longer run, its character pairs."""
    text = spoken_forms(text)
    terms: set[str] = set(_DATE.findall(text))  # jieba cuts 4月15日 into digits and 月, 日
    for word, is_run in with_char_runs(jieba.cut_for_search(text)):
        if _asks(word) or word.isdigit():
            continue
        terms.add(word)
        if is_run and len(word) > 2:  # its pairs are its parts (words_held): 哪年谁发 holds 哪年
            terms.update(word[i : i + 2] for i in range(len(word) - 1))
    return terms


def _asks(word: str) -> bool:
    """A word that only frames the question: 什么 and the like, a spoken one (搞啥, 咋标, 对吧)
    that jieba glued to a question character, or function characters glued (还要, 让我)."""
    return (
        word in _QUESTION_WORDS
        or any(c in word for c in "啥咋")
        or word[-1] in "吧吗呢"
        or all(c in FUNCTION_CHARS for c in word)
    )


def coverage(terms: set[str], passage: Passage, lexicon: Lexicon = PLAIN) -> float:
    """Share of `terms` that occur in the passage, its heading or its title, each counted by
    its weight; a term also counts when one of its official terms occurs (挂网 → 政务公开).
    A passage holding a list counts by its best item: words scattered over several items
    (考核 in one, 干部 in another) do not make it an answer."""
    if not terms:
        return 0.0
    found = max(
        words_held(terms, f"{passage.title}{passage.heading}{piece}", lexicon)
        for piece in list_items(passage.text)
    )
    return found / word_count(terms, lexicon)


def _occurs(term: str, text: str, expand: Expand | None) -> bool:
    return term in text or (expand is not None and any(o in text for o in expand(term)))


def words_held(terms: set[str], text: str, lexicon: Lexicon) -> float:
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


def word_count(terms: set[str], lexicon: Lexicon) -> float:
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
