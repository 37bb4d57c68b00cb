"""Names under which uploaded files are kept: safe, readable, never hidden, never overwriting.

A name from a chat may carry a Windows or POSIX path, control characters, a leading 「_」 or
「.」 (which the catalog skips as private) or be very long; the stored name fixes all of that
and keeps the suffix, which decides how the file is read.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.errors import DocumentError
from bot.core.knowledge.catalog import Catalog
from bot.core.knowledge.documents import file_digest, load_document

if TYPE_CHECKING:
    from bot.core.knowledge.retrieval import KnowledgeBase

MAX_NAME_BYTES = 200  # UTF-8 bytes, suffix included: file systems allow 255 (Chinese: 3 each)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_HIDDEN_PREFIX = "._ "  # the catalog ignores names starting with "." or "_"


def safe_upload_name(raw: str) -> str:
    """A file name fit for the uploads folder, its suffix kept ("" if nothing usable is left)."""
    last = re.split(r"[\\/]", raw)[-1]  # a path from any system: keep the last part
    cleaned = _UNSAFE.sub("_", last).strip(" .").lstrip(_HIDDEN_PREFIX)
    path = Path(cleaned)
    suffix = path.suffix if 1 < len(path.suffix) <= 10 else ""
    stem = cleaned[: len(cleaned) - len(suffix)].strip(" .").lstrip(_HIDDEN_PREFIX)
    if not stem:
        stem = "未命名文件"
    return _cut(stem, MAX_NAME_BYTES - len(suffix.encode())).rstrip(" .") + suffix


def _cut(text: str, budget: int) -> str:
    """The longest start of `text` whose UTF-8 form fits in `budget` bytes."""
    return text.encode()[:budget].decode(errors="ignore")


def free_upload_name(directory: Path, name: str, incoming: Path) -> tuple[str, bool]:
    """Where `incoming` goes in `directory`: (name, is_same_file).

    A different file already stored under `name` is never replaced: the new one gets
    「name（2）.docx」, 「name（3）.docx」 …; the same content under the same name is the same file.
    """
    stem, suffix = name[: len(name) - len(Path(name).suffix)], Path(name).suffix
    digest = file_digest(incoming)
    number = 1
    candidate = name
    while (directory / candidate).exists():
        if file_digest(directory / candidate) == digest:
            return candidate, True
        number += 1
        tail = f"（{number}）{suffix}"
        candidate = _cut(stem, MAX_NAME_BYTES - len(tail.encode())) + tail
    return candidate, False


@dataclass(frozen=True)
class UploadResult:
    """What became of one uploaded file."""

    name: str  # the name it is kept under (may differ from the one asked for)
    source: str
    chunks: int  # passages of this document (not of the whole knowledge base)
    changed: bool  # False: the same file was already in the knowledge base
    renamed: bool  # True: another file already had the name asked for


def add_upload(
    knowledge: KnowledgeBase, path: Path, *, name: str, title: str | None, kind: str
) -> UploadResult:
    """Keep `path` in the uploads folder as (a free variant of) `name` and index it.

    Raises DocumentError for an unreadable file and KnowledgeUnavailable when the vector store
    is down; either way nothing is left behind that a later ingest would pick up silently.
    The caller holds the knowledge base's write lock (KnowledgeBase.add_file does).
    """
    wanted = safe_upload_name(name)
    load_document(path)  # fail early, before anything is copied
    directory = knowledge.uploads_dir
    directory.mkdir(parents=True, exist_ok=True)
    stored, same = free_upload_name(directory, wanted, path)
    source = f"uploaded/{stored}"
    if same and knowledge.chunk_count(source):
        return UploadResult(stored, source, knowledge.chunk_count(source), False, False)
    target = directory / stored
    if not same:
        shutil.copyfile(path, target)
    try:
        Catalog.remember_upload(directory, stored, title=title, kind=kind)
        report = knowledge.ingest(Catalog.scan_uploads(directory), root="uploads")
    except BaseException:
        _forget(directory, stored)
        raise
    if source in report.errors:
        _forget(directory, stored)
        raise DocumentError(report.errors[source])
    return UploadResult(stored, source, knowledge.chunk_count(source), True, stored != wanted)


def _forget(directory: Path, name: str) -> None:
    """Undo a failed upload. Its catalog entry may stay: it is used only while a file of that
    name exists, and the next upload of the name rewrites it."""
    (directory / name).unlink(missing_ok=True)
