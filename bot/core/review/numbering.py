"""Heading numbers: the 一、→（一）→1.→（1） hierarchy, no skips, repeats or mixed levels.

Also reads the level-1 headings for the structure check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.normalization import chinese_numeral
from bot.core.review.draft import Draft, Paragraph, Spot
from bot.core.review.finding import Finding, Located

_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}
_CN = "[一二三四五六七八九十]+"
# (level, regex); group "n" is the number, "open"/"close"/"mark" are the punctuation.
_MARKERS = (
    (1, re.compile(rf"^(?P<n>{_CN})\s*(?P<mark>[、.．,，])\s*(?=\S)")),
    (2, re.compile(rf"^(?P<open>[（(])\s*(?P<n>{_CN})\s*(?P<close>[）)])")),
    (3, re.compile(r"^(?P<n>\d{1,2})\s*(?P<mark>[.．、])(?![\d.．])")),
    (4, re.compile(r"^(?P<open>[（(])\s*(?P<n>\d{1,2})\s*(?P<close>[）)])")),
)
_LEVEL_NAMES = {1: "一级标题（一、）", 2: "二级标题（（一））", 3: "三级标题（1.）"}


@dataclass(frozen=True)
class Marker:
    """A heading number at the start of a paragraph."""

    paragraph: Paragraph
    level: int
    value: int
    text: str  # the marker as written, e.g. "（三）" or "5、"

    @property
    def heading(self) -> str:
        """The heading text after the number, up to the first full stop."""
        rest = self.paragraph.text[len(self.text) :].strip()
        return re.split(r"[。；;]", rest, maxsplit=1)[0]


def find_markers(draft: Draft) -> list[Marker]:
    markers = []
    for paragraph in draft.body:
        for level, pattern in _MARKERS:
            match = pattern.match(paragraph.text)
            if match:
                value = _number(match.group("n"))
                if value:
                    markers.append(Marker(paragraph, level, value, match.group(0).strip()))
                break
    return markers


def format_marker(level: int, value: int) -> str:
    if level == 1:
        return f"{chinese_numeral(value)}、"
    if level == 2:
        return f"（{chinese_numeral(value)}）"
    if level == 3:
        return f"{value}."
    return f"（{value}）"


def check_numbering(draft: Draft) -> list[Located]:
    return _walk(draft)[0]


def top_headings(draft: Draft) -> list[Marker]:
    """Level-1 headings, also ones numbered in another style by mistake (「5、」 after 四、)."""
    return [marker for marker, level in _walk(draft)[1] if level == 1]


def _walk(draft: Draft) -> tuple[list[Located], list[tuple[Marker, int]]]:
    """Findings, and each marker with the level it belongs to in its list."""
    found: list[Located] = []
    resolved: list[tuple[Marker, int]] = []
    counters = {1: 0, 2: 0, 3: 0, 4: 0}
    last = {1: 0, 2: 0, 3: 0, 4: 0}  # the last number at each level, not reset by a parent
    previous_level = 0
    markers = find_markers(draft)
    for index, marker in enumerate(markers):
        found.extend(_check_punctuation(draft, marker))
        level, value = marker.level, marker.value
        if _is_shallower_by_mistake(marker, markers[index + 1 :], counters):
            level = marker.level + 1  # 「（一）二、（三）」: 二、 is the missing （二）
            found.append(_misplaced_finding(draft, marker, level))
        elif _continues_across_parents(marker, counters, last):
            pass  # 「（一）1. 2.（二）3.」: numbering that runs on under the next parent
        elif previous_level == 0 and not draft.title:
            pass  # an excerpt without its title may start at any number (「四、」 on its own)
        elif value != counters[level] + 1:
            mixed = _mixed_with(marker, counters, previous_level)
            found.append(_sequence_finding(draft, marker, counters, mixed))
            if mixed is not None and mixed < level:
                level = mixed  # 「5、」 among 一、二、三、四、 is meant as 五、
        elif value == 1:
            skipped = _skipped_level(marker, counters)
            if skipped:
                found.append(skipped_finding(draft, marker, skipped))
        resolved.append((marker, level))
        counters[level] = value
        last[level] = value
        for deeper in range(level + 1, 5):
            counters[deeper] = 0
        previous_level = level
    return found, resolved


def _is_shallower_by_mistake(
    marker: Marker, following: list[Marker], counters: dict[int, int]
) -> bool:
    """A heading numbered one level too high: the list below it runs on past it."""
    deeper = marker.level + 1
    if marker.level > 2 or counters[deeper] == 0 or marker.value != counters[deeper] + 1:
        return False
    after = next((m for m in following if m.level <= deeper), None)
    return after is not None and after.level == deeper and after.value == marker.value + 1


def _misplaced_finding(draft: Draft, marker: Marker, level: int) -> Located:
    around = f"{format_marker(level, marker.value - 1)}……{format_marker(level, marker.value + 1)}"
    message = (
        f"「{marker.text}」前后是「{around}」，属同一组；层级用错，"
        f"应改为「{format_marker(level, marker.value)}」"
    )
    return _located(draft, marker, "error", message)


def _continues_across_parents(
    marker: Marker, counters: dict[int, int], last: dict[int, int]
) -> bool:
    """Arabic numbers may run on across a new parent heading (continuous numbering)."""
    level = marker.level
    return (
        level >= 3 and counters[level] == 0 and marker.value > 1 and last[level] == marker.value - 1
    )


def _mixed_with(marker: Marker, counters: dict[int, int], previous_level: int) -> int | None:
    """The other level whose list this number continues, if any (（1）（2） then （三））."""
    if counters[marker.level]:
        return None  # a list at this level is running: a gap in it is a skip, not mixing
    candidates = [
        other
        for other in counters
        if other != marker.level and counters[other] == marker.value - 1 > 0
    ]
    if not candidates:
        return None
    if previous_level in candidates:
        return previous_level
    return min(candidates, key=lambda other: abs(other - marker.level))


def _sequence_finding(
    draft: Draft, marker: Marker, counters: dict[int, int], mixed: int | None
) -> Located:
    level, value = marker.level, marker.value
    if mixed is not None:
        before = "".join(format_marker(mixed, n) for n in range(1, value))
        if mixed < level:
            message = (
                f"「{marker.text}」与上一级的「{before}」是同一组，层级混用；"
                f"应改为「{format_marker(mixed, value)}」"
            )
        else:
            message = (
                f"同一组序号前面用「{before}」，此处却用「{marker.text}」，层级混用；"
                f"应统一为同一层级（按一、→（一）→1.→（1）的顺序选用）"
            )
        return _located(draft, marker, "error", message)
    expected = counters[level] + 1
    if value == counters[level]:
        message = f"序号「{marker.text}」重复，应为「{format_marker(level, expected)}」"
    elif value > expected:
        missing = "、".join(format_marker(level, n) for n in range(expected, value))
        message = f"序号跳号：缺少「{missing}」，此处应为「{format_marker(level, expected)}」"
    else:
        message = f"序号顺序有误，此处应为「{format_marker(level, expected)}」"
    return _located(draft, marker, "error", message)


def _skipped_level(marker: Marker, counters: dict[int, int]) -> int | None:
    """The shallower level this first item hangs under when levels in between are skipped."""
    for shallower in range(marker.level - 1, 0, -1):
        if counters[shallower]:
            skips = shallower < marker.level - 1
            # 一、 then 1. (no （一）) is common and accepted; a skip to （1） is not.
            return shallower if skips and marker.level == 4 else None
    return None


def skipped_finding(draft: Draft, marker: Marker, parent: int) -> Located:
    wanted = format_marker(parent + 1, 1)
    severity = "warning"
    message = (
        f"「{marker.text}」直接出现在{_LEVEL_NAMES[parent]}下，跳过了层级；"
        f"按一、→（一）→1.→（1）的顺序，此处一般应为「{wanted}」"
    )
    return _located(draft, marker, severity, message)


def _check_punctuation(draft: Draft, marker: Marker) -> list[Located]:
    text = marker.text
    if marker.level in (2, 4) and ("(" in text or ")" in text):
        right = format_marker(marker.level, marker.value)
        return [_located(draft, marker, "warning", f"括号应为全角，改为「{right}」")]
    if marker.level == 1 and not text.endswith("、"):
        right = format_marker(1, marker.value)
        return [_located(draft, marker, "warning", f"一级序号后应用顿号，改为「{right}」")]
    return []


def _located(draft: Draft, marker: Marker, severity: str, suggestion: str) -> Located:
    spot = Spot(marker.paragraph, 0, len(marker.text))
    finding = Finding(
        kind="numbering",
        severity=severity,
        excerpt=marker.paragraph.text[:20],
        location=draft.locate(spot),
        suggestion=suggestion,
    )
    return (spot.position, finding)


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + _CN_DIGITS.get(ones, 0) if len(text) <= 3 else 0
    return _CN_DIGITS.get(text, 0) if len(text) == 1 else 0
