"""Keyword side of retrieval: BM25 over Chinese character bigrams, plus query expansion.

Documents are indexed as character bigrams: they need no dictionary and measured better here
than jieba words. Queries keep only the bigrams inside jieba's words: in 「有没有乡镇写过到寺院」
the bigrams 「写过」「过到」「到寺」 straddle words and match documents only by chance. Runs of
Latin letters and digits stay whole (「2024」, 「12345」).
"""

from __future__ import annotations

import heapq
import logging
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import jieba
import numpy as np

from bot.core.errors import ConfigError
from bot.core.normalization import normalize_line

jieba.setLogLevel(logging.WARNING)

# Feedback words (see fusion.FEEDBACK_WEIGHT): how many, and how common one may be.
FEEDBACK_WORDS = 10
FEEDBACK_MOST_SHARE = 0.3

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:\.[0-9]+)?")
_CJK_START = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Words that only frame a request («怎么写», «有哪些») and would otherwise add noise bigrams.
_QUERY_FILLERS = re.compile(
    r"其他乡镇|别的乡镇|别人|怎么写|如何写|怎样写|怎么办|怎么弄|怎么|如何|怎样|哪些|什么|"
    r"有没有|是不是|能否|一下|请问|帮我|给我|例子|范例|示例|写法|参考|[吗呢吧啊呀？?]"
)


def bigram_tokens(text: str) -> list[str]:
    """Overlapping character bigrams of each Chinese run; Latin/digit runs as whole tokens."""
    tokens: list[str] = []
    for run in _RUNS.findall(normalize_line(text).lower()):
        if not _CJK_START.match(run) or len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


# Single characters that only join the words of a question (是, 的, 要, 给 …): they never start
# or continue a run of characters jieba made no word of (with_char_runs).
FUNCTION_CHARS = frozenset(
    "是的了用在和与及对把被给让向从为以于要能会有也都就还该这那个吗呢啊吧我你他她咱"
)
# Characters that ask (哪天, 几项, 啥, 咋): the search drops them as it drops 什么 (_QUERY_FILLERS).
# A 「…哪天截止」 otherwise matched the guidance's question-like heading 「…哪天前报送」.
_QUESTION_CHARS = frozenset("哪几啥咋")


def with_char_runs(
    pieces: Iterable[str], *, breaks: frozenset[str] = FUNCTION_CHARS
) -> Iterator[tuple[str, bool]]:
    """jieba's pieces, with each run of single Chinese characters that are not in `breaks`
    joined into one (页/边/距 → 页边距): (piece, whether it is such a run). Single characters
    left alone (function characters, a lone one) are dropped."""
    run = ""
    for piece in [*pieces, ""]:
        if len(piece) == 1 and _CJK_START.match(piece) and piece not in breaks:
            run += piece
            continue
        if len(run) >= 2:
            yield run, True
        run = ""
        if len(piece) >= 2:
            yield piece, False


def query_tokens(text: str) -> list[str]:
    """Bigrams within the query's words (jieba), and within each run of single characters jieba
    made no word of (「最晚」 cut as 最/晚; function and question characters break a run: 哪天
    asks, like the fillers above); a run with no word of two or more characters (「学法」 cut as
    学/法) keeps all its bigrams."""
    tokens: list[str] = []
    for run in _RUNS.findall(normalize_line(text).lower()):
        if not _CJK_START.match(run) or len(run) == 1:
            tokens.append(run)
            continue
        pieces = jieba.lcut(run)
        words = [w for w, _ in with_char_runs(pieces, breaks=FUNCTION_CHARS | _QUESTION_CHARS)]
        for word in words if any(len(piece) > 1 for piece in pieces) else [run]:
            tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
    return tokens


def expanded_query_tokens(query: str, expansion: Sequence[str]) -> list[str]:
    """The query's tokens, then each new token of its expansion once: official terms repeating
    the query's own words (法治宣传 → 法治宣传教育) would otherwise outweigh its rarer words."""
    own = query_tokens(query)
    return own + expansion_tokens(own, expansion)


def expansion_tokens(own: Sequence[str], expansion: Sequence[str]) -> list[str]:
    """The expansion's tokens that the query's own tokens lack, each once."""
    known = set(own)
    return list(dict.fromkeys(t for t in query_tokens(" ".join(expansion)) if t not in known))


@dataclass(frozen=True)
class SynonymTable:
    """Everyday words staff type → the official terms documents use (knowledge/synonyms.toml)."""

    entries: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @classmethod
    def load(cls, path: Path) -> SynonymTable:
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path.name} 格式有误：{error}") from error
        entries = []
        for number, item in enumerate(data.get("synonym", []), start=1):
            everyday, official = item.get("everyday"), item.get("official")
            if not everyday or not official:
                raise ConfigError(f"{path.name} 第 {number} 条缺少 everyday 或 official")
            entries.append((tuple(normalize_line(w) for w in everyday), tuple(official)))
        return cls(tuple(entries))

    def expand(self, query: str, *, context: str = "") -> list[str]:
        """Official terms for the everyday words found in the query (none repeated). With
        `context`, the question the query is a word of, also those of the everyday phrases in
        the question that hold the word: 挂网 in 「报告挂网之前」 reads as 报告挂网 (公开)."""
        found: list[str] = []
        for everyday, official in self.entries:
            if any(word in query or query in word in context for word in everyday):
                found.extend(term for term in official if term not in query and term not in found)
        return found


# Phrases by which staff ask how others wrote something: they want report passages first.
_WRITING_INTENT = re.compile(
    r"怎么写|如何写|怎样写|咋写|写法|写点|写过|怎么表述|表述|示例|范例|例子|参考|起笔|"
    r"怎么体现|咋体现|其他乡镇|别的乡镇|有没有乡镇|哪个乡|哪个镇|报告里"
)


def wants_examples(query: str) -> bool:
    """Does the query ask how other units wrote something (rather than what a rule says)?"""
    return bool(_WRITING_INTENT.search(query))


# Phrases by which staff ask what is required, when, or in what form: rules answer those.
_RULE_INTENT = re.compile(
    r"要求|规定|必须|应当|应该|要不要|能不能|可不可以|可以不|是否|算不算|什么时候|哪天|几号|几月|"
    r"截止|期限|多久|几项|几部分|几块|哪几|几个|是什么|是哪|指什么|包括|格式|字体|字号|顺序|"
    r"报给谁|谁来|谁负责|程序|步骤|流程"
)


def wants_rules(query: str) -> bool:
    """Does the query ask what is required (rather than how other units wrote something)?"""
    return not wants_examples(query) and bool(_RULE_INTENT.search(query))


def query_text(query: str) -> str:
    """The query without the words that only frame it as a question."""
    stripped = _QUERY_FILLERS.sub(" ", normalize_line(query))
    return stripped if stripped.strip() else query


class BM25Index:
    """A bm25s index over bigram tokens, saved in and loaded from a directory."""

    def __init__(self, model: bm25s.BM25 | None, size: int) -> None:
        self._model = model
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> BM25Index:
        if not texts:
            return cls(None, 0)
        # BM25+ with milder length normalisation than the default (b=0.75): passages run from
        # one-line law articles to 600-character report sections. Measured in bench/retrieval.py.
        model = bm25s.BM25(method="bm25+", k1=1.2, b=0.5)
        model.index([bigram_tokens(text) or ["∅"] for text in texts], show_progress=False)
        return cls(model, len(texts))

    def save(self, directory: Path) -> None:
        if self._model is not None:
            self._model.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> BM25Index:
        if size == 0:
            return cls(None, 0)
        model = bm25s.BM25.load(str(directory), show_progress=False)
        return cls(model, size)

    def document_frequency(self, token: str) -> int:
        """How many indexed texts hold `token` (read from the index's columns)."""
        if self._model is None:
            return 0
        column = self._model.vocab_dict.get(token)
        starts = self._model.scores["indptr"]
        if column is None or column + 1 >= len(starts):
            return 0
        return int(starts[column + 1] - starts[column])

    def feedback_scores(self, texts: Sequence[str], known: set[str]) -> np.ndarray:
        """Scores for the FEEDBACK_WORDS tokens, not in `known`, that best mark `texts` (a
        search's first results): each token weighs its share of a text's tokens times its
        rarity (idf), summed over the texts. A token of a single passage finds no other; one
        in more than FEEDBACK_MOST_SHARE of the passages is everywhere."""
        weights: dict[str, float] = {}
        rarity: dict[str, float] = {}  # idf, or 0 for a token that gives no feedback
        for text in texts:
            tokens = bigram_tokens(text)
            for token, count in Counter(tokens).items():
                if token not in rarity:
                    df = self.document_frequency(token)
                    useful = token not in known and 2 <= df <= FEEDBACK_MOST_SHARE * self.size
                    rarity[token] = math.log((self.size - df + 0.5) / (df + 0.5) + 1) * useful
                if rarity[token]:
                    weights[token] = weights.get(token, 0.0) + count / len(tokens) * rarity[token]
        return self.scores(heapq.nlargest(FEEDBACK_WORDS, weights, key=weights.__getitem__))

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every indexed text for these query tokens (zeros if none)."""
        if self._model is None or not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(list(tokens)), dtype=np.float32)
