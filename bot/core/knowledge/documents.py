"""Load .txt/.md/.docx/.pdf files into normalised text with a title and metadata."""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.core.errors import DocumentError
from bot.core.normalization import normalize_text

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
_MIN_PDF_CHARS_PER_PAGE = 20  # below this the PDF is treated as scanned (no text layer)
_YEAR_IN_NAME = re.compile(r"[（(](\d{4})(?:-\d{2}-\d{2})?[)）]")
_YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")


@dataclass(frozen=True)
class DocumentMeta:
    """What the catalog (or the uploader) says about a document."""

    title: str | None = None
    kind: str = "uploaded"
    year: int | None = None
    issuer: str | None = None


@dataclass(frozen=True)
class Document:
    """A loaded document: normalised text plus what is needed to cite it."""

    source: str  # stable id: path relative to its root, e.g. reports/000_x.txt
    title: str
    text: str
    kind: str
    year: int | None
    issuer: str | None
    sha256: str  # of the raw file bytes: detects changes between ingests


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_document(
    path: Path, *, source: str | None = None, meta: DocumentMeta | None = None
) -> Document:
    """Read a supported file; raise DocumentError (naming the file) when it cannot be used."""
    meta = meta or DocumentMeta()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(f"不支持的文件类型：{path.name}（支持 .txt、.md、.docx、.pdf）")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DocumentError(f"无法读取文件：{path.name}（{error.strerror}）") from error
    if not raw.strip():
        raise DocumentError(f"文件是空的：{path.name}")
    if suffix in (".txt", ".md"):
        text = _decode_text(raw, path.name)
    elif suffix == ".docx":
        text = _read_docx(path)
    else:
        text = _read_pdf(path)
    text = normalize_text(_strip_markdown_front(text) if suffix == ".md" else text)
    if not text:
        raise DocumentError(f"文件中没有可用的文字：{path.name}")
    title = meta.title or _guess_title(text, path)
    year = meta.year if meta.year is not None else _guess_year(title, path)
    return Document(
        source=source or path.name,
        title=title,
        text=text,
        kind=meta.kind,
        year=year,
        issuer=meta.issuer,
        sha256=hashlib.sha256(raw).hexdigest(),
    )


def _decode_text(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"无法识别文件编码（请另存为 UTF-8）：{name}")


def _strip_markdown_front(text: str) -> str:
    """Drop HTML comments (e.g. <!-- INFO END -->) that Markdown law files carry."""
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


def _read_docx(path: Path) -> str:
    """Paragraphs and tables in document order; a table row becomes one line."""
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = open_docx(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise DocumentError(f"Word 文件已损坏或不是 .docx 格式：{path.name}") from error
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = cell.text.strip().replace("\n", " ")
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    lines.append(" | ".join(cells))
    return "\n".join(lines)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as error:
        raise DocumentError(f"PDF 文件已损坏，无法读取：{path.name}") from error
    text = "\n".join(pages)
    if len(text.strip()) < _MIN_PDF_CHARS_PER_PAGE * max(1, len(pages)):
        raise DocumentError(f"PDF 中没有文字层（可能是扫描件），请先做文字识别再上传：{path.name}")
    return text


def _guess_title(text: str, path: Path) -> str:
    """First heading-like line: a Markdown heading or a short first line; else the file name."""
    for line in text.split("\n")[:3]:
        candidate = line.lstrip("#").strip()
        if candidate and len(candidate) <= 60:
            return candidate
    return path.stem


def _guess_year(title: str, path: Path) -> int | None:
    match = _YEAR_IN_NAME.search(path.stem) or _YEAR_IN_TITLE.search(title)
    return int(match.group(1)) if match else None
