"""Loaders: text encodings, .docx paragraphs and tables in order, PDFs, broken files."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from bot.core.errors import DocumentError
from bot.core.knowledge.documents import DocumentMeta, load_document
from bot.core.normalization import normalize_line, normalize_text


def _minimal_pdf(text_stream: str) -> bytes:
    """A one-page PDF whose content stream is `text_stream` (built by hand: no PDF writer dep)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text_stream) + text_stream.encode() + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_normalize_makes_fullwidth_ascii_halfwidth_and_keeps_chinese_punctuation() -> None:
    assert (
        normalize_line("（一）全年调解１２０件，成功率９８％。")
        == "（一）全年调解120件，成功率98%。"
    )


def test_normalize_removes_artefacts_and_stray_spaces_but_keeps_article_space() -> None:
    text = "[bookmark: _GoBack]法 治 政府\u200b建设 共 12 件\n\n\n\n第一条 为了保障"

    assert normalize_text(text) == "法治政府建设共12件\n\n第一条 为了保障"


def test_txt_in_gb18030_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("关于2024年法治政府建设情况的报告\n一、主要举措".encode("gb18030"))

    document = load_document(path)

    assert "主要举措" in document.text
    assert document.title == "关于2024年法治政府建设情况的报告"
    assert document.year == 2024


def test_docx_keeps_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    word = docx.Document()
    word.add_paragraph("2025年普法工作安排")
    word.add_paragraph("一、重点活动如下")
    table = word.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "活动"
    table.cell(0, 1).text = "时间"
    table.cell(1, 0).text = "宪法宣传周"
    table.cell(1, 1).text = "12月1日至7日"
    word.add_paragraph("二、工作要求")
    word.save(str(path))

    document = load_document(path, meta=DocumentMeta(kind="uploaded"))

    lines = document.text.split("\n")
    assert lines == [
        "2025年普法工作安排",
        "一、重点活动如下",
        "活动 | 时间",
        "宪法宣传周 | 12月1日至7日",
        "二、工作要求",
    ]


def test_pdf_text_layer_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notice.pdf"
    path.write_bytes(_minimal_pdf("BT /F1 12 Tf 72 720 Td (Constitution Week notice 2026) Tj ET"))

    document = load_document(path)

    assert "Constitution Week notice 2026" in document.text


def test_pdf_without_text_layer_is_reported_as_scanned(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(_minimal_pdf("0 0 1 rg 10 10 100 100 re f"))

    with pytest.raises(DocumentError, match=r"扫描件.*scan\.pdf"):
        load_document(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.docx", b"PK\x03\x04 not really a zip", "已损坏"),
        ("broken.pdf", b"%PDF-1.4 garbage", "已损坏|扫描件"),
        ("empty.txt", b"   \n", "空的"),
        ("table.xlsx", b"whatever", "不支持的文件类型"),
    ],
)
def test_bad_files_raise_a_chinese_error_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(DocumentError, match=message) as raised:
        load_document(path)

    assert name in str(raised.value)
