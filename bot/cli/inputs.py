"""Reading a text argument that names a file (.txt/.md/.docx/.pdf) or standard input ("-")."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.errors import InputError


def read_text_argument(name: str) -> str:
    """The text of FILE through the document loader, or of standard input for "-"."""
    from bot.core.knowledge.documents import load_document  # python-docx, pypdf: slow to import

    if name == "-":
        text = sys.stdin.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"找不到文件：{name}")
        text = load_document(path).text  # raises DocumentError (Chinese) for empty/bad files
    if not text.strip():
        raise InputError("文稿是空的，请提供要处理的文字。")
    return text
