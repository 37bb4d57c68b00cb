"""Word export: a draft (plain text or light Markdown) as a .docx in 公文 format.

Layout follows GB/T 9704-2012 where it says something and common office practice where it
does not (fonts, exact margins, exact line spacing); see FACTS.md §4.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from bot.core.errors import DocumentError, InputError
from bot.core.export.docx_style import (
    BODY_FONT,
    BODY_SIZE,
    BODY_TRACKING,
    HEADING_FONTS,
    LINE_SPACING,
    TITLE_FONT,
    TITLE_SIZE,
    new_document,
    set_indent_chars,
    set_outline_level,
    set_run_style,
)
from bot.core.export.title_lines import text_width, title_lines

__all__ = ["export_filename", "parse_draft", "render_docx", "title_lines", "write_docx"]

BlockKind = Literal[
    "title", "addressee", "heading1", "heading2", "heading3", "heading4", "body", "signature",
    "date", "attachment", "attachment_item",
]  # fmt: skip


@dataclass(frozen=True)
class Block:
    """One paragraph of the exported document; `lead` is a heading's own words, if any."""

    kind: BlockKind
    text: str
    lead: str = ""


# Heading numbers by level (GB/T 9704 §7.3.3): 一、 （一） 1. （1）
_HEADING_PATTERNS: tuple[tuple[BlockKind, re.Pattern[str]], ...] = (
    ("heading1", re.compile(r"^[一二三四五六七八九十]{1,3}、")),
    ("heading2", re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    ("heading3", re.compile(r"^\d{1,2}[.．、](?!\d)")),
    ("heading4", re.compile(r"^[（(]\d{1,2}[）)]")),
)
_HEADING_PATTERNS_BY_KIND = dict(_HEADING_PATTERNS)
# A heading's own words end at the first full stop; what follows is ordinary text.
_HEADING_END = re.compile(r"[。！？]")
_ATTACHMENT = re.compile(r"^附件[：:]")
_PLACEHOLDER = re.compile(r"(【待[^】]*】)")
_ARABIC_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_CHINESE_DATE = re.compile(
    r"^[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日$"
)
_SENTENCE_PUNCTUATION = re.compile(r"[。，；！？,;!?]")
_MARKDOWN_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\s{0,3}#{1,6}\s*"), ""),  # headings
    (re.compile(r"^\s{0,3}>\s?"), ""),  # quotes
    (re.compile(r"^\s*[-*+]\s+"), ""),  # bullets
    (re.compile(r"\*\*|__|`"), ""),  # bold, code
    (re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)\*"), r"\1"),  # *emphasis*
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](link)
)
_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_HORIZONTAL_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_UNSAFE_FILENAME = re.compile(r'[\\/:*?"<>|\s]+')
# 附件说明 (§7.3.4): 「附件：」 then the name; further numbered names line up under the first.
_ATTACHMENT_LABEL = "附件："
_ATTACHMENT_ITEM = re.compile(r"^\d{1,2}[.．]")


def render_docx(
    text: str,
    *,
    title: str | None = None,
    org: str | None = None,
    date: datetime.date | None = None,
) -> bytes:
    """The draft as .docx bytes (for Telegram's sendDocument). Raises InputError if empty."""
    blocks = parse_draft(text, title=title, org=org, date=date)
    document = _build_document(blocks)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_docx(
    text: str,
    out: Path,
    *,
    title: str | None = None,
    org: str | None = None,
    date: datetime.date | None = None,
) -> Path:
    """Write the draft to `out` (which must end in .docx) and return the path."""
    if out.suffix.lower() != ".docx":
        raise InputError(f"输出文件名须以 .docx 结尾：{out}")
    if not out.parent.is_dir():
        raise InputError(f"输出目录不存在：{out.parent}")
    data = render_docx(text, title=title, org=org, date=date)
    try:
        out.write_bytes(data)
    except OSError as error:
        raise DocumentError(f"无法写入文件 {out}：{error.strerror or error}") from error
    return out


def export_filename(text: str, *, title: str | None = None) -> str:
    """A safe file name for the export, from the title (e.g. 「关于……的报告.docx」)."""
    try:
        blocks = parse_draft(text, title=title)
    except InputError:
        blocks = []
    name = next((block.text for block in blocks if block.kind == "title"), "")
    name = _UNSAFE_FILENAME.sub("", name)[:40]
    return f"{name or '文稿'}.docx"


def format_date(date: datetime.date) -> str:
    """成文日期 in Arabic numerals without leading zeros: 2026年1月9日."""
    return f"{date.year}年{date.month}月{date.day}日"


def parse_draft(
    text: str,
    *,
    title: str | None = None,
    org: str | None = None,
    date: datetime.date | None = None,
) -> list[Block]:
    """Split a draft into blocks: title, addressee, headings, body, signature and date.

    The first line is the title when it looks like one; a `title` argument replaces it.
    A trailing date line (and the short line above it, the signature) is recognised;
    `org` and `date` arguments replace them.
    """
    lines = _clean_lines(text)
    if not lines and not (title and title.strip()):
        raise InputError("没有可导出的内容：文稿是空的。")
    blocks: list[Block] = []

    first_is_title = (
        bool(lines)
        and _heading_kind(lines[0][0]) is None
        and (_MARKDOWN_HEADING.match(lines[0][1]) is not None or _looks_like_title(lines[0][0]))
    )
    if title and title.strip():
        if first_is_title or (lines and lines[0][0] == title.strip()):
            lines.pop(0)
        blocks.append(Block("title", title.strip()))
    elif first_is_title:
        blocks.append(Block("title", lines.pop(0)[0]))
    body = [line for line, _raw in lines]

    signature, date_text = _pop_signature(body, org)
    if body and _looks_like_addressee(body[0]):
        blocks.append(Block("addressee", body.pop(0)))
    blocks.extend(_classify_body(body))
    if org and org.strip():
        signature = org.strip()
    if date is not None:
        date_text = format_date(date)
    if signature:
        blocks.append(Block("signature", signature))
    if date_text:
        blocks.append(Block("date", date_text))
    return blocks


def _clean_lines(text: str) -> list[tuple[str, str]]:
    """Non-empty lines with Markdown markers removed, each with its raw form."""
    cleaned = []
    for raw in text.splitlines():
        if _HORIZONTAL_RULE.match(raw):
            continue
        line = raw
        for pattern, replacement in _MARKDOWN_RULES:
            line = pattern.sub(replacement, line)
        line = line.strip()  # also removes full-width spaces used as manual indents
        if line:
            cleaned.append((line, raw))
    return cleaned


def _heading_kind(line: str) -> BlockKind | None:
    for kind, pattern in _HEADING_PATTERNS:
        if pattern.match(line):
            return kind
    return None


def _looks_like_title(line: str) -> bool:
    return (
        len(line) <= 40
        and _heading_kind(line) is None
        and _SENTENCE_PUNCTUATION.search(line) is None
        and not line.endswith(("：", ":"))
        and not _is_date(line)
    )


def _looks_like_addressee(line: str) -> bool:
    """「县委、县政府：」: short, ends with a colon, not a sentence or a heading."""
    return (
        line.endswith(("：", ":"))
        and len(line) <= 40
        and _heading_kind(line) is None
        and _SENTENCE_PUNCTUATION.search(line) is None
        and "如下" not in line
    )


def _is_date(line: str) -> bool:
    return bool(_ARABIC_DATE.match(line) or _CHINESE_DATE.match(line))


def _pop_signature(body: list[str], org: str | None) -> tuple[str, str]:
    """Remove a trailing signature and date from `body`; return them ("" when absent)."""
    signature = date_text = ""
    if body and _is_date(body[-1]):
        date_text = body.pop()
        match = _ARABIC_DATE.match(date_text)
        if match:  # the standard wants no leading zeros: 2026年01月09日 -> 2026年1月9日
            year, month, day = (int(group) for group in match.groups())
            date_text = f"{year}年{month}月{day}日"
        if body and _looks_like_signature(body[-1]):
            signature = body.pop()
    elif org and body and body[-1] == org.strip():
        signature = body.pop()
    return signature, date_text


def _looks_like_signature(line: str) -> bool:
    """「××镇人民政府」: short, no punctuation, not a heading or an 「附件：」 line."""
    return (
        len(line) <= 30
        and _heading_kind(line) is None
        and _SENTENCE_PUNCTUATION.search(line) is None
        and "：" not in line
        and ":" not in line
    )


def _classify_body(lines: list[str]) -> list[Block]:
    """Headings and paragraphs; 「附件：」 and the numbered names under it are 附件说明."""
    blocks: list[Block] = []
    for line in lines:
        previous = blocks[-1].kind if blocks else None
        if _ATTACHMENT.match(line):
            blocks.append(Block("attachment", _ATTACHMENT_LABEL + line[3:].lstrip()))
        elif previous in ("attachment", "attachment_item") and _ATTACHMENT_ITEM.match(line):
            blocks.append(Block("attachment_item", line))
        else:
            blocks.append(_classify(line))
    return blocks


def _classify(line: str) -> Block:
    kind = _heading_kind(line)
    if kind is None:
        return Block("body", line)
    number = _HEADING_PATTERNS_BY_KIND[kind].match(line)
    if number:  # 「1. 健全」 (Markdown list style) -> 「1.健全」
        line = number.group() + line[number.end() :].lstrip()
    end = _HEADING_END.search(line)
    lead = line[: end.end()] if end else line
    return Block(kind, line, lead)


# --- layout -------------------------------------------------------------------------


def _build_document(blocks: list[Block]) -> DocxDocument:
    title = next((block.text for block in blocks if block.kind == "title"), "")
    document = new_document(title)

    right_indents = _signature_indents(blocks)
    previous: BlockKind | None = None
    for block in blocks:
        if previous == "title" and block.kind != "title":
            _blank_line(document)  # one empty line between title and addressee/body
        if block.kind == "signature" or (block.kind == "date" and previous != "signature"):
            _blank_line(document)  # one empty line before the signature
        if block.kind == "attachment" and previous not in ("title", "addressee", None):
            _blank_line(document)  # 附件说明: one empty line after the body (§7.3.4)
        _add_block(document, block, right_indents.get(block.kind, 0.0))
        previous = block.kind
    return document


def _signature_indents(blocks: list[Block]) -> dict[BlockKind, float]:
    """Right indents (in characters) for signature and date.

    The date sits four characters in from the right (common practice, FACTS §4); the
    signature is centred over the date, but never closer than two characters to the edge.
    """
    widths = {b.kind: text_width(b.text) for b in blocks if b.kind in ("signature", "date")}
    indents: dict[BlockKind, float] = {"date": 4.0}
    if "signature" in widths:
        offset = (widths["signature"] - widths.get("date", widths["signature"])) / 2
        indents["signature"] = max(2.0, 4.0 - offset)
    return indents


def _add_block(document: DocxDocument, block: Block, right_indent: float = 0.0) -> None:
    paragraph = document.add_paragraph()
    paragraph_format = paragraph.paragraph_format
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(LINE_SPACING)
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for number, line in enumerate(title_lines(block.text)):
            if number:
                paragraph.runs[-1].add_break()
            _add_text(paragraph, line, TITLE_FONT, TITLE_SIZE)
    elif block.kind == "addressee":  # 主送机关: flush left
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        _add_text(paragraph, block.text, BODY_FONT, BODY_SIZE)
    elif block.kind in ("attachment", "attachment_item"):
        _lay_out_attachment(paragraph, block)
    elif block.kind in ("signature", "date"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph_format.right_indent = Pt(right_indent * BODY_SIZE)
        set_indent_chars(paragraph, right=right_indent)
        _add_text(paragraph, block.text, BODY_FONT, BODY_SIZE)
    else:  # body and headings: two-character first-line indent, justified
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
        set_indent_chars(paragraph, first_line=2)
        lead, rest = block.lead, block.text[len(block.lead) :]
        if lead:
            _add_text(paragraph, lead, HEADING_FONTS[block.kind], BODY_SIZE)
            set_outline_level(paragraph, int(block.kind[-1]) - 1)
        if rest:
            _add_text(paragraph, rest, BODY_FONT, BODY_SIZE)


def _blank_line(document: DocxDocument) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(LINE_SPACING)


def _add_text(paragraph: Paragraph, text: str, font: str, size: float) -> None:
    """Runs for `text`, with 【待补充：…】 placeholders highlighted for the user to fill."""
    for piece in _PLACEHOLDER.split(text):
        if piece:
            run = paragraph.add_run(piece)
            is_placeholder = _PLACEHOLDER.fullmatch(piece) is not None
            tracking = BODY_TRACKING if size == BODY_SIZE else 0.0
            set_run_style(run, font, size, highlight=is_placeholder, tracking=tracking)


def _lay_out_attachment(paragraph: Paragraph, block: Block) -> None:
    """「附件：」 two characters in; further numbers under the first; wrapped lines under the name.

    GB/T 9704 §7.3.4: a long name wraps to line up with the first character of the name above.
    The label 「附件：」 is three characters wide, so numbers start five characters in and each
    paragraph hangs by its label and number.
    """
    label = text_width(_ATTACHMENT_LABEL) if block.kind == "attachment" else 0.0
    name = block.text[len(_ATTACHMENT_LABEL) :] if label else block.text
    number = _ATTACHMENT_ITEM.match(name)
    hanging = label + (_number_width(number.group()) if number else 0.0)
    left = 2 + text_width(_ATTACHMENT_LABEL) + hanging - label
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.left_indent = Pt(left * BODY_SIZE)
    paragraph.paragraph_format.first_line_indent = Pt(-hanging * BODY_SIZE)
    set_indent_chars(paragraph, left=left, hanging=hanging)
    _add_text(paragraph, block.text, BODY_FONT, BODY_SIZE)


def _number_width(number: str) -> float:
    """Width of 「1.」 in characters as set: Times New Roman digits ½ em, its full stop ¼ em."""
    ems = sum(0.5 if char.isdigit() else 0.25 if char == "." else 1.0 for char in number)
    return (ems * BODY_SIZE + BODY_TRACKING * len(number)) / BODY_SIZE
