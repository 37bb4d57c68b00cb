"""Outline-aware splitting of 公文 and laws into passages that keep their heading path.

Recognised outline marks, outermost first: 第X编 › 第X章 › 第X节 › 一、 › （一） › 1. › （1）,
plus 第X条 articles (one unit each) and Markdown headings. Text before the first heading is
labelled 开头 (a document with no outline at all has no heading path). A heading may carry body
text on the same line (「（一）加强组织领导。乡党委……」). Long sections are cut at sentence ends,
preferring paragraph starts and 「一是/二是」 lead sentences; no chunk exceeds `max_chars`
characters. Numbered items (1. / （1）) stay in the passage of the text they belong to while it
fits, so a short list (the 四个亲自, a section's five points) is one passage, found and shown
whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_CHARS = 600
# Bump when chunking changes what chunks a file yields: the next ingest re-chunks every file.
CHUNKER_VERSION = 6
# The heading path of the text before a document's first outline heading (a report's opening
# paragraph, a law's preamble): staff ask for it by name («开头怎么写»).
OPENING = "开头"
_HEADING_DISPLAY_CHARS = 40

_CN_NUM = "一二三四五六七八九十百零〇两"
# (rank, pattern): a smaller rank is an outer level. Articles (第X条) are rank 8.
_MARKS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^第[{_CN_NUM}\d]+编")),
    (2, re.compile(rf"^第[{_CN_NUM}\d]+章")),
    (3, re.compile(rf"^第[{_CN_NUM}\d]+节")),
    (4, re.compile(rf"^[{_CN_NUM}]{{1,3}}[、.．]")),
    (5, re.compile(rf"^[（(][{_CN_NUM}]{{1,3}}[)）]")),
    (6, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (7, re.compile(r"^[（(]\d{1,2}[)）]")),
    (8, re.compile(rf"^第[{_CN_NUM}\d]+条(?:之[{_CN_NUM}]+)?")),
)
_ARTICLE_RANK = 8
_ITEM_RANKS = (6, 7)  # 1. and （1）: items of a list
_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_SENTENCE_END = re.compile(r"(?<=[。！？；])")
_LEAD_SENTENCE = re.compile(rf"^[{_CN_NUM}]{{1,3}}是")
_HEADING_END = re.compile(r"[。：:；;！？]")


@dataclass(frozen=True)
class Chunk:
    """A passage of document text with the outline headings above it."""

    text: str
    heading: tuple[str, ...]
    position: int


@dataclass
class _Section:
    heading: tuple[str, ...]
    paragraphs: list[str]
    lead: int = 0  # heading lines at the start that are not body text of their own
    rank: int = 0  # outline rank of the last heading (0: none, or a list taken in whole)
    whole: bool = False  # a short list with its items, within max_chars: never cut early

    @property
    def has_body(self) -> bool:
        return len(self.paragraphs) > self.lead


def classify_line(line: str) -> tuple[int, str, str] | None:
    """(rank, heading label, inline body) if the line opens an outline level, else None."""
    markdown = _MD_HEADING.match(line)
    if markdown:
        hashes, rest = markdown.groups()
        numbered = classify_line(rest)
        if numbered:
            return numbered
        # An unnumbered Markdown heading: "#" is the title, "##" the outermost 公文 level.
        return (max(0, len(hashes) + 2), rest.strip(), "")
    for rank, pattern in _MARKS:
        match = pattern.match(line)
        if not match:
            continue
        if rank == _ARTICLE_RANK:
            return rank, match.group(0), line[match.end() :].strip()
        return (rank, *_split_inline_heading(line))
    return None


def _split_inline_heading(line: str) -> tuple[str, str]:
    """「（一）加强组织领导。乡党委……」 → (「（一）加强组织领导」, 「乡党委……」)."""
    end = _HEADING_END.search(line)
    if end and end.start() <= 60:
        return line[: end.start()], line[end.end() :].strip()
    if len(line) <= 60:
        return line, ""
    return line[:_HEADING_DISPLAY_CHARS] + "…", line


def _sections(text: str, title: str | None) -> Iterator[_Section]:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    marks = [classify_line(line) for line in lines]
    stack: list[tuple[int, str]] = []
    current = _Section((), [])
    for index, (line, found) in enumerate(zip(lines, marks, strict=True)):
        if title and not stack and line.lstrip("# ").strip() == title:
            continue  # the document title is shown in every citation already
        if found is not None and found[0] == 0:
            continue  # a Markdown "#" title line
        if found is None or _is_list_item(found, marks[index + 1 :]):
            current.paragraphs.append(line.lstrip("#").strip())
            continue
        rank, label, body = found
        if not stack and not current.heading and current.has_body:
            current.heading = (OPENING,)  # only once a heading shows it was an opening
        # A heading with no text of its own (「三、下一步工作安排」 over its （一）（二）) opens
        # the first passage under it, so its words are searchable in some passage.
        carried: list[str] = []
        if current.has_body:
            yield current
        elif stack and rank > stack[-1][0]:
            carried = current.paragraphs
        while stack and stack[-1][0] >= rank:
            stack.pop()
        stack.append((rank, _display(label)))
        # The heading line itself stays in the text: it is part of the document.
        text_line = line.lstrip("#").strip()  # Markdown marks are not document text
        lead = len(carried) + (0 if body else 1)
        current = _Section(
            tuple(name for _, name in stack), [*carried, text_line], lead=lead, rank=rank
        )
    if current.has_body:
        yield current


def _is_list_item(
    found: tuple[int, str, str], following: list[tuple[int, str, str] | None]
) -> bool:
    """A numbered line with no body of its own is a heading only if deeper content follows;
    followed by a sibling, an outer heading or the end, it is an item of a list (content)."""
    rank, _, body = found
    if body:
        return False
    after = following[0] if following else None
    if not following:
        return True
    return after is not None and 0 < after[0] <= rank


def _display(label: str) -> str:
    label = label.lstrip("#").strip()
    if len(label) > _HEADING_DISPLAY_CHARS:
        return label[:_HEADING_DISPLAY_CHARS] + "…"
    return label


def _pieces(paragraphs: list[str], max_chars: int) -> Iterator[tuple[str, bool]]:
    """Sentences (each ≤ max_chars) with a flag: is this a good place to start a chunk?"""
    for paragraph in paragraphs:
        first = True
        for sentence in filter(None, _SENTENCE_END.split(paragraph)):
            preferred = first or bool(_LEAD_SENTENCE.match(sentence))
            while len(sentence) > max_chars:  # a run-on sentence: hard cut
                yield sentence[:max_chars], preferred
                sentence, preferred = sentence[max_chars:], False
            yield sentence, preferred
            first = False
        yield "\n", False


def _pack(section: _Section, max_chars: int) -> Iterator[str]:
    """Greedy packing of sentences; break early at a preferred start once half full. A list
    taken in whole (_whole_lists: it fits) stays one passage."""
    if section.whole:
        yield "\n".join(section.paragraphs)
        return
    parts: list[str] = []
    size = 0
    for piece, preferred in _pieces(section.paragraphs, max_chars):
        if piece == "\n":
            if parts:
                parts.append("\n")
                size += 1
            continue
        full = size + len(piece) > max_chars
        if parts and (full or (preferred and size >= max_chars // 2)):
            yield "".join(parts).strip()
            parts, size = [], 0
        parts.append(piece)
        size += len(piece)
    if parts:
        yield "".join(parts).strip()


def _whole_lists(sections: Iterator[_Section], max_chars: int) -> Iterator[_Section]:
    """Numbered items (「1. 亲自部署：……」, 「（1）……」) join the passage they belong to while it
    fits: a short list is one unit, read and retrieved whole, not one passage per item. A
    passage that took items in is headed by what they all sit under."""
    held: _Section | None = None
    for section in sections:
        if held is not None and section.rank in _ITEM_RANKS:
            # An item's siblings and sub-items join it; a section's items join the section.
            root = held.heading[:-1] if held.rank in _ITEM_RANKS else held.heading
            inside = len(section.heading) > len(root) and section.heading[: len(root)] == root
            if inside and _size(held) + _size(section) <= max_chars:
                paragraphs = [*held.paragraphs, *section.paragraphs]
                held = _Section(root, paragraphs, held.lead, whole=True)  # no longer an item
                continue
        if held is not None:
            yield held
        held = section
    if held is not None:
        yield held


def list_items(text: str) -> list[str]:
    """A passage's text cut where its numbered items (1. / （1）) begin: the lead, then one
    piece per item with any lines that follow it."""
    pieces: list[str] = []
    for line in text.split("\n"):
        found = classify_line(line)
        item = found is not None and found[0] in _ITEM_RANKS
        if item or not pieces:
            pieces.append(line)
        else:
            pieces[-1] += "\n" + line
    return pieces


def _size(section: _Section) -> int:
    return sum(len(paragraph) + 1 for paragraph in section.paragraphs)


def chunk_text(text: str, *, title: str | None = None, max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Split normalised document text into chunks of at most `max_chars` characters."""
    chunks: list[Chunk] = []
    for section in _whole_lists(_sections(text, title), max_chars):
        for body in _pack(section, max_chars):
            if body:
                chunks.append(Chunk(text=body, heading=section.heading, position=len(chunks)))
    return chunks
