"""Word export layout checked through the .docx XML: title breaks, 附件说明, page-number place.

The rendered reference pages (LibreOffice, fonts-noto-cjk) are in reference/reference-page-*.png,
made by `python bench/word_page.py` from reference/reference-draft.md; tests never need LibreOffice.
"""

from __future__ import annotations

import datetime
import io
import itertools
import re

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph

from bot.core.export.docx_style import PAGE_NUMBER_SIZE
from bot.core.export.word import parse_draft, render_docx, title_lines
from tests.conftest import PROJECT_ROOT

REFERENCE = PROJECT_ROOT / "tests" / "core" / "export" / "reference"
REPORT = (REFERENCE / "reference-draft.md").read_text(encoding="utf-8")


def _open(data: bytes) -> DocxDocument:
    return docx.Document(io.BytesIO(data))


def _paragraph(document: DocxDocument, starting: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(starting))


def _indent(paragraph: Paragraph, attribute: str) -> str | None:
    ind = paragraph._p.pPr.find(qn("w:ind"))
    return None if ind is None else ind.get(qn(attribute))


@pytest.fixture(scope="module")
def report() -> DocxDocument:
    data = render_docx(REPORT, org="青石镇人民政府", date=datetime.date(2027, 1, 9))
    return _open(data)


def test_issuer_and_subject_break_before_guanyu_not_inside_the_year() -> None:
    lines = title_lines("青石镇人民政府关于2026年法治政府建设情况的报告")

    assert lines == ["青石镇人民政府", "关于2026年法治政府建设情况的报告"]


@pytest.mark.parametrize(
    "title",
    [
        "青石镇人民政府关于2026年法治政府建设情况的报告",
        "某某县某某镇人民政府关于开展第12个全民国家安全教育日宣传活动情况的报告",
        "关于2021—2025年青石镇法治政府建设实施情况的总结报告",
        "中共青石镇委员会青石镇人民政府关于2026年度推进法治政府建设和履行第一责任人职责情况的报告",
        "关于印发《青石镇2027年法治宣传教育工作要点》的通知",
    ],
)
def test_long_titles_never_break_inside_a_number_and_its_unit(title: str) -> None:
    lines = title_lines(title)

    assert "".join(lines) == title
    assert len(lines) > 1
    for upper, lower in itertools.pairwise(lines):
        assert not (re.search(r"[0-9０-９]$", upper) and re.match(r"[0-9０-９年月日号个次]", lower))
        assert not lower.startswith("的")
        assert not upper.endswith(("关于", "《", "和"))


def test_title_lines_stay_within_twenty_characters() -> None:
    lines = title_lines(
        "中共青石镇委员会青石镇人民政府关于2026年度推进法治政府建设和履行第一责任人职责情况的报告"
    )

    assert all(sum(0.5 if ord(c) < 128 else 1 for c in line) <= 20 for line in lines)


def test_numbered_attachment_names_after_fujian_are_attachments_not_headings() -> None:
    blocks = parse_draft("标题\n正文内容。\n附件：1.工作台账\n2.行政执法数据统计表\n3.决策目录")

    assert [b.kind for b in blocks] == [
        "title", "body", "attachment", "attachment_item", "attachment_item",
    ]  # fmt: skip


def test_numbered_lines_after_the_body_are_still_headings() -> None:
    blocks = parse_draft("标题\n正文内容。\n1.健全工作机制。\n2.推进依法决策。")

    assert [b.kind for b in blocks] == ["title", "body", "heading3", "heading3"]


def test_second_attachment_lines_up_under_the_first_name(report: DocxDocument) -> None:
    first = _paragraph(report, "附件：")
    second = _paragraph(report, "2.行政执法数据统计表")

    # Numbers start five characters in (「附件：」 hangs out to two); wrapped lines of a name
    # line up under its first character, after 「1.」 (0.72 of a character in Times New Roman).
    assert (_indent(first, "w:leftChars"), _indent(first, "w:hangingChars")) == ("572", "372")
    assert (_indent(second, "w:leftChars"), _indent(second, "w:hangingChars")) == ("572", "72")
    assert first.paragraph_format.left_indent == second.paragraph_format.left_indent
    first_start = first.paragraph_format.left_indent + first.paragraph_format.first_line_indent
    assert round(Length(first_start).pt) == 32  # 「附件：」 two characters (2 × 16 pt) in
    assert second._p.pPr.find(qn("w:outlineLvl")) is None  # not a level-3 heading
    assert all(run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312" for run in second.runs)


def test_attachment_note_colon_is_full_width() -> None:
    blocks = parse_draft("标题\n正文内容。\n附件:工作台账")

    assert blocks[-1].text == "附件：工作台账"


def test_page_number_dash_is_seven_millimetres_below_the_text_block(report: DocxDocument) -> None:
    section = report.sections[0]
    text_block_bottom = section.bottom_margin.mm  # from the paper's bottom edge
    footer_bottom = section.footer_distance.mm
    line = PAGE_NUMBER_SIZE * 25.4 / 72  # a 4号 line is about 4.9 mm
    dash_top = footer_bottom + line / 2  # the em dash sits at mid-height of its line

    assert text_block_bottom - dash_top == pytest.approx(7.0, abs=0.5)


def test_whole_report_keeps_its_five_parts_signature_and_date(report: DocxDocument) -> None:
    texts = [p.text for p in report.paragraphs]

    assert texts[0] == "青石镇人民政府\n关于2026年法治政府建设情况的报告"
    assert [t[:2] for t in texts if re.match("[一二三四五]、", t)] == [
        "一、", "二、", "三、", "四、", "五、",
    ]  # fmt: skip
    assert texts[-2:] == ["青石镇人民政府", "2027年1月9日"]


def test_reference_pages_are_kept_small_for_people_to_look_at() -> None:
    pages = sorted(REFERENCE.glob("reference-page-*.png"))

    assert [page.name for page in pages] == ["reference-page-1.png", "reference-page-2.png"]
    assert all(page.stat().st_size < 60_000 for page in pages)
