"""The 公文 page for the Word export: page setup, fonts, sizes, page numbers.

Values follow GB/T 9704-2012 and common office practice (FACTS.md §4). The helpers edit
OOXML directly where python-docx has no API (East Asian fonts, character indents, fields).
"""

from __future__ import annotations

from typing import cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

# Fonts (common practice names, which Word and WPS on Chinese Windows resolve).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONTS = {
    "heading1": "黑体",
    "heading2": "楷体_GB2312",
    "heading3": BODY_FONT,
    "heading4": BODY_FONT,
}
PAGE_NUMBER_FONT = "宋体"

# Sizes in points: 2号 title, 3号 body, 4号 page numbers.
TITLE_SIZE = 22.0
BODY_SIZE = 16.0
PAGE_NUMBER_SIZE = 14.0
# 22 lines in the 225 mm text block: 637.8 pt / 22 = 28.99 pt; 28.9 keeps 22 lines safely.
LINE_SPACING = 28.9
# GB/T 9704 §5 wants 28 characters per line, but 28 × 16 pt = 448 pt is wider than the
# 156 mm (442.2 pt) text block. Word templates narrow the pitch with a character grid
# (w:docGrid linesAndChars), which LibreOffice lays out wrongly (about 17 characters per
# line); condensing each character by 0.25 pt (pitch 15.75 pt) fits 28 everywhere.
BODY_TRACKING = -0.25
FOOTER_DISTANCE_MM = 25.3
# Digits and Latin letters in 公文 are set in Times New Roman (common practice).
LATIN_FONT = "Times New Roman"

_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def new_document(title: str) -> DocxDocument:
    """An empty A4 document with the 公文 page, default fonts and page numbers."""
    document = Document()
    _set_up_page(document.sections[0])
    _set_up_styles(document)
    _add_page_numbers(document)
    document.core_properties.title = title
    document.core_properties.language = "zh-CN"
    # The template's body holds one empty paragraph; start from a clean body.
    for paragraph in document.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    return document


def _set_up_page(section: Section) -> None:
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(35)
    section.left_margin = Mm(28)
    section.right_margin = Mm(26)
    # GB/T 9704 §7.5: 「一字线上距版心下边缘7mm」 — the top of the em dashes around the page
    # number is 7 mm below the text block, i.e. 28 mm above the paper's bottom edge. The dash
    # sits at mid-height of its 4号 line, so the footer's bottom is about 25 mm up (measured
    # on a LibreOffice render: tests/core/export/reference/reference-page-1.png).
    section.footer_distance = Mm(FOOTER_DISTANCE_MM)
    section.header_distance = Mm(15)


def _set_up_styles(document: DocxDocument) -> None:
    set_default_fonts(document.styles.element, BODY_FONT, BODY_SIZE)
    normal = cast(ParagraphStyle, document.styles["Normal"])
    set_style_fonts(normal, BODY_FONT, BODY_SIZE)
    paragraph_format = normal.paragraph_format
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(LINE_SPACING)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    # Keep every page at the full 22 lines, as the standard's layout grid expects;
    # widow/orphan control would pull lines to the next page.
    paragraph_format.widow_control = False
    footer = cast(ParagraphStyle, document.styles["Footer"])
    set_style_fonts(footer, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)


def _add_page_numbers(document: DocxDocument) -> None:
    """「— 1 —」 in 4号宋体: odd pages right, even pages left, one character in (§7.5)."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, alignment in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = alignment
        paragraph.paragraph_format.line_spacing = 1.0
        if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
            set_indent_chars(paragraph, right=1)
        else:
            paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
            set_indent_chars(paragraph, left=1)
        paragraph.add_run("— ")
        add_page_field(paragraph)
        paragraph.add_run(" —")
        for run in paragraph.runs:
            # 「4号半角宋体阿拉伯数码」: here the digits are 宋体 too, not Times New Roman.
            set_run_style(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE, latin=PAGE_NUMBER_FONT)


def set_fonts(rpr_owner: BaseOxmlElement, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the East Asian and Latin fonts on an element that holds (or may get) a w:rPr.

    python-docx's `font.name` writes only w:ascii and w:hAnsi; Word and WPS pick the font
    for Chinese text from w:eastAsia, and a theme attribute (w:eastAsiaTheme, inherited
    from the default template's docDefaults) would win over an explicit name. So every
    attribute is written here and theme attributes are removed. w:hint="eastAsia" makes
    shared characters such as “” — … use the Chinese font, as Word does for Chinese text.
    """
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)  # w:rFonts comes first in w:rPr (we never set w:rStyle)
    _name_fonts(rfonts, east_asian, latin)
    rfonts.set(qn("w:hint"), "eastAsia")


def _name_fonts(rfonts: BaseOxmlElement, east_asian: str, latin: str) -> None:
    for attribute in _THEME_ATTRIBUTES:
        rfonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attribute), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)


def set_run_style(
    run: Run,
    east_asian: str,
    size: float,
    *,
    latin: str = LATIN_FONT,
    highlight: bool = False,
    tracking: float = 0.0,
) -> None:
    """Font names, size, a yellow highlight (placeholders) and tracking (in points) on a run.

    python-docx has no API for character spacing (w:spacing in w:rPr).
    """
    set_fonts(run._r, east_asian, latin)
    run.font.size = Pt(size)
    if highlight:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if tracking:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(round(tracking * 20)))
        run._r.get_or_add_rPr().insert_element_before(
            spacing, "w:w", "w:kern", "w:position", "w:sz"
        )


def set_default_fonts(styles_element: BaseOxmlElement, east_asian: str, size: float) -> None:
    """Replace the template's theme fonts in w:docDefaults and mark the text as zh-CN.

    Without this, text outside our runs (and Word's own new paragraphs) falls back to the
    template's Calibri/theme fonts; python-docx exposes no docDefaults API.
    """
    defaults = styles_element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _name_fonts(rpr.find(qn("w:rFonts")), east_asian, LATIN_FONT)
    half_points = str(round(size * 2))
    rpr.find(qn("w:sz")).set(qn("w:val"), half_points)
    rpr.find(qn("w:szCs")).set(qn("w:val"), half_points)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    # The template adds 10 pt after every paragraph and 1.15 line spacing by default.
    ppr_default = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    if spacing is not None:
        ppr_default.remove(spacing)


def set_style_fonts(
    style: ParagraphStyle, east_asian: str, size: float, *, latin: str = LATIN_FONT
) -> None:
    """Fonts and size on a paragraph style (used for Normal and Footer)."""
    set_fonts(style.element, east_asian, latin)
    style.font.size = Pt(size)


def set_indent_chars(
    paragraph: Paragraph,
    *,
    first_line: float = 0,
    left: float = 0,
    right: float = 0,
    hanging: float = 0,
) -> None:
    """Indents in characters (w:firstLineChars etc., in hundredths of a character).

    python-docx writes only the absolute twip values. Word and WPS prefer the *Chars
    attributes, which follow the font size the way 公文 indents are specified ("空二字");
    callers also set the absolute values, which LibreOffice uses.
    """
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    for attribute, chars in (
        ("w:firstLineChars", first_line),
        ("w:leftChars", left),
        ("w:rightChars", right),
        ("w:hangingChars", hanging),
    ):
        if chars:
            ind.set(qn(attribute), str(round(chars * 100)))


def set_outline_level(paragraph: Paragraph, level: int) -> None:
    """Outline level 0-8 so headings show in Word's navigation pane without heading styles."""
    ppr = paragraph._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    # Schema order: w:outlineLvl comes after w:jc and w:ind, which are set before this call.
    ppr.append(outline)


def add_page_field(paragraph: Paragraph) -> None:
    """Append a PAGE field (complex field: begin / instrText / separate / result / end).

    python-docx has no field API. The result text "1" is what readers show before they
    update fields; Word, WPS and LibreOffice recompute it for every page on layout.
    Word formats an updated result like the field's first run, so callers style every run.
    """

    def field_char(kind: str) -> Run:
        run = paragraph.add_run()
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)
        return run

    field_char("begin")
    instruction_run = paragraph.add_run()
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    instruction_run._r.append(instruction)
    field_char("separate")
    paragraph.add_run("1")
    field_char("end")
