"""A draft split into paragraphs and sentences, with Chinese locations and the reported year.

Every check reads the draft through this one model, so locations (「第3段第2句」) agree.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from bot.core.normalization import normalize_text

_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』）)]*")
_YEAR = re.compile(r"(?<!\d)(20\d{2})\s*年")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
# Years that are not the body's: inside a cited title, or a plan's range 「（2021—2025年）」.
_NOT_THE_BODYS = re.compile(r"《[^《》]*》|\d{4}\s*年?\s*[—–\-－~～至到]+\s*\d{4}\s*年?")
_REPORT_AS_FOLLOWS = re.compile(r"现将[^。]{0,40}?(20\d{2})\s*年[^。]{0,30}?(?:报告|汇报|总结)如下")
_TITLE_WORDS = re.compile(r"报告|总结|情况|汇报|工作|要点|计划")
_TITLE_LIMIT = 45  # characters; a longer first paragraph is body text, not a title
_CONTEXT = 6  # characters of context either side of a matched excerpt


@dataclass(frozen=True)
class Paragraph:
    """One non-empty line of the draft; `number` counts from 1 over non-empty lines."""

    number: int
    text: str
    is_title: bool


@dataclass(frozen=True)
class Spot:
    """A span inside one paragraph: what a finding points at."""

    paragraph: Paragraph
    start: int
    end: int

    @property
    def position(self) -> tuple[int, int]:
        return (self.paragraph.number, self.start)


class Draft:
    """The text of a report as paragraphs, with helpers to place and quote findings."""

    def __init__(self, text: str) -> None:
        texts = [line for line in normalize_text(text).split("\n") if line.strip()]
        title_count = _count_title_lines(texts)
        self.paragraphs = [
            Paragraph(number=i + 1, text=line, is_title=i < title_count)
            for i, line in enumerate(texts)
        ]

    @property
    def title(self) -> str:
        return "".join(p.text for p in self.paragraphs if p.is_title)

    @property
    def body(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if not p.is_title]

    @cached_property
    def reported_year(self) -> int | None:
        """The year the report is about: from the title, else from the text."""
        return title_year(self.title) or self.body_year

    @cached_property
    def body_year(self) -> int | None:
        """The year the body says it reports on (「现将2024年…报告如下」, opening, headings)."""
        texts = [_NOT_THE_BODYS.sub("", p.text) for p in self.body]
        for text in texts[:4]:
            match = _REPORT_AS_FOLLOWS.search(text)
            if match:
                return int(match.group(1))
        votes: Counter[int] = Counter()
        opening = [text for text in texts[:3] if not _HEADING.match(text)]
        for text in opening[:1]:
            votes.update(int(y) for y in _YEAR.findall(text))
        if not votes:
            votes.update(int(y) for text in texts for y in _YEAR.findall(text))
        return votes.most_common(1)[0][0] if votes else None

    def locate(self, spot: Spot) -> str:
        """A Chinese location a reader can find: 「标题」 or 「第3段第2句」."""
        if spot.paragraph.is_title:
            return f"标题（第{spot.paragraph.number}段）"
        sentence = sentence_index(spot.paragraph.text, spot.start)
        return f"第{spot.paragraph.number}段第{sentence}句"

    def quote(self, spot: Spot, context: int = _CONTEXT) -> str:
        """The matched text with a little context on either side, within its paragraph."""
        text = spot.paragraph.text
        return text[max(0, spot.start - context) : min(len(text), spot.end + context)]


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, ends included."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def sentence_index(text: str, offset: int) -> int:
    """1-based number of the sentence of `text` that holds `offset`."""
    for index, (_, end) in enumerate(sentences(text), start=1):
        if offset < end:
            return index
    return max(1, len(sentences(text)))


def title_year(title: str) -> int | None:
    match = _YEAR.search(title)
    return int(match.group(1)) if match else None


def _count_title_lines(texts: list[str]) -> int:
    """How many leading lines form the title (at most 3, short, not a heading or address)."""
    count = 0
    for line in texts[:3]:
        if len(line) > _TITLE_LIMIT or _HEADING.match(line) or line.endswith(("：", ":")):
            break
        if line.endswith(("。", "；", "！", "？")):
            break
        count += 1
    if count == len(texts) or not _TITLE_WORDS.search("".join(texts[:count])):
        return 0  # a fragment of short lines, or a first line that does not read as a title
    return count
