"""Word export in 公文 format: layout, fonts per level, page numbers, CLI round trip."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import docx
import pytest
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Length, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from bot.cli import main
from bot.core.errors import InputError
from bot.core.export.word import export_filename, parse_draft, render_docx, title_lines, write_docx

DRAFT = """# 关于2026年度法治政府建设工作情况的报告

县委、县政府：

2026年以来，我镇深入学习贯彻习近平法治思想，扎实推进法治政府建设。现将有关情况报告如下：

## 一、主要举措和成效

（一）加强组织领导。镇党委、政府主要负责人认真履行第一责任人职责，全年召开专题会议**4次**。

1. 健全工作机制。成立法治政府建设工作领导小组，明确责任分工。

（1）完善议事规则。重大事项均经合法性审查后集体讨论决定。

2、推进依法决策。全年审查规范性文件【待补充：数量】件，发放资料1.5万余份。

二、存在的问题

一是部分干部法治思维有待提高；二是基层执法力量相对薄弱。

附件：2026年度法治政府建设工作台账
"""


def _open(path_or_bytes: Path | bytes) -> DocxDocument:
    if isinstance(path_or_bytes, bytes):
        return docx.Document(io.BytesIO(path_or_bytes))
    return docx.Document(str(path_or_bytes))


def _paragraph(document: DocxDocument, starting: str) -> Paragraph:
    return next(p for p in document.paragraphs if p.text.startswith(starting))


def _mm(length: Length | None) -> float:
    """Millimetres to 0.1 mm (Word stores twips, so Mm(210) comes back a hair off)."""
    assert length is not None
    return round(length.mm, 1)


def _east_asian_font(run: Run) -> str | None:
    return run._r.rPr.rFonts.get(qn("w:eastAsia"))


def _latin_font(run: Run) -> str | None:
    return run._r.rPr.rFonts.get(qn("w:ascii"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> DocxDocument:
    out = tmp_path_factory.mktemp("export") / "report.docx"
    written = write_docx(DRAFT, out, org="××镇人民政府", date=datetime.date(2026, 1, 9))
    return _open(written)


def test_page_is_a4_with_common_practice_margins(exported: DocxDocument) -> None:
    section = exported.sections[0]

    assert (_mm(section.page_width), _mm(section.page_height)) == (210, 297)
    assert _mm(section.top_margin) == 37
    assert _mm(section.bottom_margin) == 35
    assert _mm(section.left_margin) == 28
    assert _mm(section.right_margin) == 26


def test_title_is_22pt_xiaobiaosong_centred_without_markdown(exported: DocxDocument) -> None:
    title = exported.paragraphs[0]

    assert title.text == "关于2026年度法治政府建设工作情况的报告"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert {run.font.size for run in title.runs} == {Pt(22)}
    assert {_east_asian_font(run) for run in title.runs} == {"方正小标宋简体"}
    assert exported.core_properties.title == title.text


def test_long_title_breaks_into_even_lines_at_word_boundaries() -> None:
    title = "关于进一步加强乡镇法治政府建设推动基层依法行政工作的实施意见"

    lines = title_lines(title)

    assert lines == ["关于进一步加强乡镇法治政府建设", "推动基层依法行政工作的实施意见"]


def test_long_title_is_one_paragraph_with_a_line_break() -> None:
    data = render_docx("关于进一步加强乡镇法治政府建设推动基层依法行政工作的实施意见\n正文。")

    title = _open(data).paragraphs[0]
    assert title.text == "关于进一步加强乡镇法治政府建设\n推动基层依法行政工作的实施意见"
    assert len(title._p.xpath(".//w:br")) == 1


def test_addressee_follows_a_blank_line_flush_left(exported: DocxDocument) -> None:
    blank, addressee = exported.paragraphs[1], exported.paragraphs[2]

    assert blank.text == ""
    assert addressee.text == "县委、县政府："
    assert addressee.paragraph_format.first_line_indent is None
    assert _east_asian_font(addressee.runs[0]) == "仿宋_GB2312"


def test_body_is_16pt_fangsong_indented_two_characters_with_exact_spacing(
    exported: DocxDocument,
) -> None:
    body = _paragraph(exported, "2026年以来")
    fmt = body.paragraph_format

    assert {run.font.size for run in body.runs} == {Pt(16)}
    assert {_east_asian_font(run) for run in body.runs} == {"仿宋_GB2312"}
    assert {_latin_font(run) for run in body.runs} == {"Times New Roman"}
    # Condensed by 0.25 pt (w:spacing in twentieths of a point) so 28 characters fit a line.
    assert {run._r.rPr.find(qn("w:spacing")).get(qn("w:val")) for run in body.runs} == {"-5"}
    assert fmt.first_line_indent == Pt(32)
    assert body._p.pPr.ind.get(qn("w:firstLineChars")) == "200"
    assert fmt.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert fmt.line_spacing == Pt(28.9)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


@pytest.mark.parametrize(
    ("starting", "lead", "font"),
    [
        ("一、", "一、主要举措和成效", "黑体"),
        ("二、", "二、存在的问题", "黑体"),
        ("（一）", "（一）加强组织领导。", "楷体_GB2312"),
        ("1.", "1.健全工作机制。", "仿宋_GB2312"),
        ("2、", "2、推进依法决策。", "仿宋_GB2312"),
        ("（1）", "（1）完善议事规则。", "仿宋_GB2312"),
    ],
)
def test_heading_words_take_the_font_of_their_level_and_the_rest_stays_fangsong(
    exported: DocxDocument, starting: str, lead: str, font: str
) -> None:
    heading = _paragraph(exported, starting)

    assert heading.runs[0].text == lead
    assert _east_asian_font(heading.runs[0]) == font
    assert {_east_asian_font(run) for run in heading.runs[1:]} <= {"仿宋_GB2312"}
    assert heading.paragraph_format.first_line_indent == Pt(32)


def test_numbers_like_one_point_five_are_not_headings() -> None:
    blocks = parse_draft("标题\n1.5万份资料已发放。")

    assert [block.kind for block in blocks] == ["title", "body"]


def test_placeholder_is_highlighted_yellow_and_only_the_placeholder(
    exported: DocxDocument,
) -> None:
    paragraph = _paragraph(exported, "2、")
    highlighted = [run.text for run in paragraph.runs if run.font.highlight_color]

    assert highlighted == ["【待补充：数量】"]
    placeholder = next(run for run in paragraph.runs if run.text == "【待补充：数量】")
    assert placeholder.font.highlight_color == WD_COLOR_INDEX.YELLOW


def test_markdown_bold_markers_are_removed(exported: DocxDocument) -> None:
    text = "\n".join(p.text for p in exported.paragraphs)

    assert "**" not in text
    assert "#" not in text
    assert "全年召开专题会议4次。" in text


def test_attachment_note_follows_a_blank_line(exported: DocxDocument) -> None:
    texts = [p.text for p in exported.paragraphs]
    index = texts.index("附件：2026年度法治政府建设工作台账")

    assert texts[index - 1] == ""


def test_signature_and_date_are_right_aligned_with_the_date_four_characters_in(
    exported: DocxDocument,
) -> None:
    signature, date = exported.paragraphs[-2], exported.paragraphs[-1]

    assert (signature.text, date.text) == ("××镇人民政府", "2026年1月9日")
    assert signature.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date.paragraph_format.right_indent == Pt(4 * 16)
    # The signature (7 characters) is centred over the date (6: digits count half).
    assert signature.paragraph_format.right_indent == Pt(3.5 * 16)
    assert exported.paragraphs[-3].text == ""


def test_every_run_names_east_asian_and_latin_fonts(exported: DocxDocument) -> None:
    runs = [run for paragraph in exported.paragraphs for run in paragraph.runs]

    assert runs
    assert all(_east_asian_font(run) for run in runs)
    assert {_latin_font(run) for run in runs} == {"Times New Roman"}


def test_footers_hold_a_page_field_between_em_dashes_odd_right_even_left(
    exported: DocxDocument,
) -> None:
    section = exported.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]

    assert exported.settings.odd_and_even_pages_header_footer is True
    for paragraph in (odd, even):
        assert paragraph.text == "— 1 —"
        instructions = paragraph._p.xpath(".//w:instrText")
        assert [node.text.strip() for node in instructions] == ["PAGE"]
        assert {run.font.size for run in paragraph.runs} == {Pt(14)}
        assert {_east_asian_font(run) for run in paragraph.runs} == {"宋体"}
        assert {_latin_font(run) for run in paragraph.runs} == {"宋体"}
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert odd.paragraph_format.right_indent == Pt(14)
    assert even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert even.paragraph_format.left_indent == Pt(14)


def test_render_docx_returns_a_document_word_can_open() -> None:
    data = render_docx("关于开展宪法宣传周活动的通知\n各村（社区）：\n请认真组织开展。")

    document = _open(data)
    assert data[:2] == b"PK"
    assert [p.text for p in document.paragraphs if p.text] == [
        "关于开展宪法宣传周活动的通知",
        "各村（社区）：",
        "请认真组织开展。",
    ]


def test_title_argument_replaces_a_title_like_first_line() -> None:
    blocks = parse_draft("旧标题\n正文内容。", title="新标题")

    assert [(b.kind, b.text) for b in blocks] == [("title", "新标题"), ("body", "正文内容。")]


def test_first_line_that_is_a_sentence_is_not_taken_as_title() -> None:
    blocks = parse_draft("今年以来，我镇扎实推进各项工作。")

    assert [b.kind for b in blocks] == ["body"]


def test_markdown_heading_that_is_numbered_is_a_heading_not_the_title() -> None:
    blocks = parse_draft("## 一、总体情况\n今年以来，工作顺利。")

    assert [(b.kind, b.lead) for b in blocks] == [("heading1", "一、总体情况"), ("body", "")]


def test_long_markdown_heading_is_the_title() -> None:
    title = (
        "关于进一步加强和改进新时代乡镇法治政府建设工作、推动基层治理体系和治理能力现代化的实施意见"
    )

    blocks = parse_draft(f"# {title}\n正文。")

    assert (blocks[0].kind, blocks[0].text) == ("title", title)


def test_trailing_signature_and_date_are_recognised_and_leading_zeros_dropped() -> None:
    blocks = parse_draft("标题\n正文内容。\n××镇人民政府\n2026年01月09日")

    assert [(b.kind, b.text) for b in blocks][-2:] == [
        ("signature", "××镇人民政府"),
        ("date", "2026年1月9日"),
    ]


def test_attachment_line_above_a_date_is_not_taken_as_signature() -> None:
    blocks = parse_draft("标题\n正文内容。\n附件：工作台账\n2026年1月9日")

    assert [b.kind for b in blocks] == ["title", "body", "attachment", "date"]


def test_org_and_date_arguments_replace_those_in_the_text() -> None:
    text = "标题\n正文内容。\n旧单位\n2025年3月1日"

    blocks = parse_draft(text, org="新单位", date=datetime.date(2026, 12, 4))

    assert [(b.kind, b.text) for b in blocks][-3:] == [
        ("body", "正文内容。"),
        ("signature", "新单位"),
        ("date", "2026年12月4日"),
    ]


@pytest.mark.parametrize("text", ["", "  \n\n　　\n", "---\n**\n"])
def test_empty_text_raises_input_error(text: str) -> None:
    with pytest.raises(InputError, match="文稿是空的"):
        render_docx(text)


def test_output_must_end_in_docx(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.docx"):
        write_docx("标题\n正文。", tmp_path / "report.pdf")


def test_export_filename_comes_from_the_title_without_unsafe_characters() -> None:
    assert export_filename("关于A/B 的报告\n正文。") == "关于AB的报告.docx"
    assert export_filename("今年以来，工作顺利。") == "文稿.docx"


def test_cli_writes_the_docx_and_prints_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "draft.md"
    source.write_text(DRAFT, encoding="utf-8")
    out = tmp_path / "out.docx"

    code = main(["export", "--in", str(source), "--out", str(out), "--org", "××镇人民政府",
                 "--date", "2026-01-09"])  # fmt: skip

    assert code == 0
    assert capsys.readouterr().out.strip() == str(out)
    document = _open(out)
    assert document.paragraphs[0].text == "关于2026年度法治政府建设工作情况的报告"
    assert document.paragraphs[-1].text == "2026年1月9日"


def test_cli_reads_stdin_and_gbk_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("通知\n请按时参加。"))
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("国标编码的标题\n正文。".encode("gb18030"))

    assert main(["export", "--in", "-", "--out", str(tmp_path / "a.docx")]) == 0
    assert main(["export", "--in", str(gbk), "--out", str(tmp_path / "b.docx")]) == 0

    assert _open(tmp_path / "a.docx").paragraphs[0].text == "通知"
    assert _open(tmp_path / "b.docx").paragraphs[0].text == "国标编码的标题"


@pytest.mark.parametrize(
    ("make_args", "message"),
    [
        (lambda d: ["--in", str(d / "missing.md"), "--out", str(d / "a.docx")], "找不到文件"),
        (lambda d: ["--in", str(d / "empty.md"), "--out", str(d / "a.docx")], "是空的"),
        (lambda d: ["--in", str(d / "draft.md"), "--out", str(d / "a.pdf")], ".docx 结尾"),
        (lambda d: ["--in", str(d / "draft.md"), "--out", str(d / "no/a.docx")], "输出目录不存在"),
    ],
)
def test_cli_errors_are_chinese_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_args: object, message: str
) -> None:
    (tmp_path / "empty.md").write_text("\n", encoding="utf-8")
    (tmp_path / "draft.md").write_text(DRAFT, encoding="utf-8")

    code = main(["export", *make_args(tmp_path)])  # type: ignore[operator]

    assert code == 1
    assert message in capsys.readouterr().err
