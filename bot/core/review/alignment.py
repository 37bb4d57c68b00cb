"""Edit distance with adjacent swaps (optimal string alignment), whole-string and in a window.

Written by hand because the proofreader needs what the libraries at hand do not give together:
swaps counted as one edit, the best-matching substring of a window, and the list of edits (so a
caller can accept, say, only a same-sounding substitution).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Edit:
    """One edit turning the pattern into the text: sub, ins (extra text), del, swap."""

    op: str
    pattern_index: int  # where in the pattern (for ins: the position it precedes)
    wrong: str  # text characters involved ("" for del)
    right: str  # pattern characters involved ("" for ins)


@dataclass(frozen=True)
class Alignment:
    start: int  # span of the best-matching substring, within the searched text
    end: int
    edits: tuple[Edit, ...]

    @property
    def cost(self) -> int:
        return len(self.edits)


def distance(a: str, b: str, limit: int) -> int:
    """OSA distance between `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            current[j] = best
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[len(b)], limit + 1)


def best_window(pattern: str, text: str, max_edits: int) -> Alignment | None:
    """The substring of `text` closest to `pattern` (at most `max_edits` edits), or None.

    Semi-global alignment: characters of `text` before and after the match are free. Among
    equally close substrings the longest wins, so a dropped character is not reported as two.
    """
    m, n = len(pattern), len(text)
    table = [[0] * (n + 1)]  # table[i][j]: pattern[:i] against a substring ending at text[j]
    for i in range(1, m + 1):
        row = [i] + [0] * n
        above = table[i - 1]
        for j in range(1, n + 1):
            cost = 0 if pattern[i - 1] == text[j - 1] else 1
            best = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost)
            if i > 1 and j > 1 and pattern[i - 1] == text[j - 2] and pattern[i - 2] == text[j - 1]:
                best = min(best, table[i - 2][j - 2] + 1)
            row[j] = best
        table.append(row)
    last = table[m]
    cost = min(last)
    if cost > max_edits:
        return None
    end = max(j for j in range(n + 1) if last[j] == cost)
    return _trace(pattern, text, table, end)


def _trace(pattern: str, text: str, table: list[list[int]], end: int) -> Alignment:
    edits: list[Edit] = []
    i, j = len(pattern), end
    while i > 0:
        here = table[i][j]
        if j > 0 and pattern[i - 1] == text[j - 1] and table[i - 1][j - 1] == here:
            i, j = i - 1, j - 1
        elif j > 0 and table[i - 1][j - 1] + 1 == here:
            edits.append(Edit("sub", i - 1, text[j - 1], pattern[i - 1]))
            i, j = i - 1, j - 1
        elif (
            i > 1
            and j > 1
            and pattern[i - 1] == text[j - 2]
            and pattern[i - 2] == text[j - 1]
            and table[i - 2][j - 2] + 1 == here
        ):
            edits.append(Edit("swap", i - 2, text[j - 2 : j], pattern[i - 2 : i]))
            i, j = i - 2, j - 2
        elif table[i - 1][j] + 1 == here:
            edits.append(Edit("del", i - 1, "", pattern[i - 1]))
            i -= 1
        else:
            edits.append(Edit("ins", i, text[j - 1], ""))
            j -= 1
    return Alignment(j, end, tuple(reversed(edits)))
