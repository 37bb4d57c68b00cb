"""Breaking a long 公文 title into lines where the sense allows (GB/T 9704 §7.3.1).

The standard keeps word groups intact and shapes the lines as a trapezoid or diamond. Lines are
chosen by dynamic programming over whole words: close to even width, never breaking inside a
number and its unit (「2026年」「第3号」), preferring a break before 「关于」 (issuing organ on
its own line) or after the 「关于……的」 phrase, and never starting a line with 「的」 or ending
one with an opening bracket.
"""

from __future__ import annotations

import math
import re

CHARS_PER_LINE = 20  # a 2号 title line holds 20 characters (442 pt / 22 pt)
_NO_LINE_START = tuple("的之和与及、，。）》”：")
_NO_LINE_END = (*"（《“和与及", "关于")
# A number with its unit or a range of numbers: a line break never falls inside one.
_NUMBER_WITH_UNIT = re.compile(
    r"第?[0-9０-９]+(?:[.．—－~～-][0-9０-９]+)*(?:年度|周年|年|月|日|号|个|次|件|项|名|届|万|亿|元|%|％)?"
)
_AWKWARD = 100.0  # cost of a line starting with 的 or ending with 《: avoid unless forced
_GOOD_BREAK = 50.0  # bonus for a break before 关于 or after 关于……的: worth uneven lines
_IN_BOOK_TITLE = 20.0  # cost of breaking inside 《…》
_INSIDE_NOUN_PHRASE = 40.0  # cost of breaking between two nouns (法治 / 政府建设)
_NOUNISH = ("n", "vn", "an", "j")  # jieba part-of-speech tags that start with these


def text_width(text: str) -> float:
    """Width in Chinese characters: ASCII (digits in dates) is half as wide."""
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def title_lines(title: str, chars_per_line: int = CHARS_PER_LINE) -> list[str]:
    """The title as one line, or several lines broken at sensible points."""
    if text_width(title) <= chars_per_line:
        return [title]
    words = _words(title)
    fewest = math.ceil(text_width(title) / chars_per_line)
    for count in (fewest, fewest + 1, fewest + 2):
        lines = _best_lines(words, count, chars_per_line)
        if lines:
            return lines
    return [title]


def _words(title: str) -> list[tuple[str, bool]]:
    """jieba's words, a number glued to its unit; each with whether it is a noun."""
    import jieba  # loaded only for long titles: its dictionary takes about 0.7 s
    import jieba.posseg

    jieba.setLogLevel("WARNING")
    protected = [match.span() for match in _NUMBER_WITH_UNIT.finditer(title)]
    words: list[tuple[str, bool]] = []
    offset = 0
    for pair in jieba.posseg.cut(title):
        word, is_noun = pair.word, pair.flag.startswith(_NOUNISH)
        if words and any(start < offset < end for start, end in protected):
            words[-1] = (words[-1][0] + word, words[-1][1])
        else:
            words.append((word, is_noun))
        offset += len(word)
    return words


def _break_bonus(before: str, after: str) -> float:
    """How good a break is between the text `before` it and the text `after` it."""
    if after.startswith("关于") and before:
        return _GOOD_BREAK
    if "关于" in before and before.endswith("的") and len(after) >= 2:
        return _GOOD_BREAK
    return 0.0


def _best_lines(tagged: list[tuple[str, bool]], count: int, limit: int) -> list[str] | None:
    """`count` lines of whole words, cheapest by evenness, awkward ends and good breaks."""
    words = [word for word, _ in tagged]
    title = "".join(words)
    target = text_width(title) / count
    ends = [0]
    for word in words:
        ends.append(ends[-1] + len(word))
    # best[(k, i)]: the cheapest (cost, lines) putting words[:i] on k lines.
    best: dict[tuple[int, int], tuple[float, list[str]]] = {(0, 0): (0.0, [])}
    for k in range(1, count + 1):
        for i in range(1, len(words) + 1):
            for j in range(i):
                if (k - 1, j) not in best:
                    continue
                line = "".join(words[j:i])
                width = text_width(line)
                if width > limit:
                    continue
                awkward = line.startswith(_NO_LINE_START) or line.endswith(_NO_LINE_END)
                cost = best[(k - 1, j)][0] + (width - target) ** 2 + (_AWKWARD if awkward else 0)
                if i < len(words):
                    before, after = title[: ends[i]], title[ends[i] :]
                    cost -= _break_bonus(before, after)
                    if before.count("《") > before.count("》"):
                        cost += _IN_BOOK_TITLE
                    if tagged[i - 1][1] and tagged[i][1]:
                        cost += _INSIDE_NOUN_PHRASE
                if (k, i) not in best or cost < best[(k, i)][0]:
                    best[(k, i)] = (cost, [*best[(k - 1, j)][1], line])
    found = best.get((count, len(words)))
    return found[1] if found else None
