"""Which files make up the knowledge base, and what is known about each (title, kind, year …).

The bundled knowledge/ folder describes its documents in knowledge/catalog.toml; a folder given
on the command line (e.g. the law corpus) and the uploads folder are scanned as they are.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.errors import ConfigError
from bot.core.knowledge.documents import SUPPORTED_SUFFIXES, DocumentMeta

CATALOG_FILE = "catalog.toml"
UPLOADS_CATALOG = "_catalog.json"
KINDS = ("report", "guidance", "law", "uploaded")
# Kinds that state requirements (as opposed to reports, which show how others wrote).
RULE_TEXT_KINDS = ("guidance", "law")
# Sub-folders of knowledge/ that hold documents, and the kind each implies.
KNOWLEDGE_FOLDERS = {"reports": "report", "guidance": "guidance"}


@dataclass(frozen=True)
class FileSpec:
    """A file to ingest: where it is, its stable source id, and its metadata."""

    path: Path
    source: str
    meta: DocumentMeta

    def with_meta(self, **changes: object) -> FileSpec:
        return replace(self, meta=replace(self.meta, **changes))  # type: ignore[arg-type]


class Catalog:
    """Builds FileSpecs for the three kinds of roots."""

    @staticmethod
    def knowledge(knowledge_dir: Path) -> list[FileSpec]:
        """The bundled documents: every supported file under reports/ and guidance/."""
        entries = _read_catalog(knowledge_dir / CATALOG_FILE)
        specs = []
        for folder, kind in KNOWLEDGE_FOLDERS.items():
            for path in _supported_files(knowledge_dir / folder):
                source = path.relative_to(knowledge_dir).as_posix()
                meta = entries.get(source, DocumentMeta(kind=kind))
                specs.append(FileSpec(path, source, replace(meta, kind=meta.kind or kind)))
        return specs

    @staticmethod
    def folder(directory: Path, *, kind: str) -> list[FileSpec]:
        """Every supported file under a folder; sources are prefixed with the folder's name."""
        if kind not in KINDS:
            raise ConfigError(f"未知的文档类别：{kind}（可选：{'、'.join(KINDS)}）")
        if not directory.is_dir():
            raise ConfigError(f"找不到文件夹：{directory}")
        return [
            FileSpec(
                path,
                f"{directory.name}/{path.relative_to(directory).as_posix()}",
                DocumentMeta(kind=kind),
            )
            for path in _supported_files(directory)
        ]

    @staticmethod
    def scan_uploads(uploads_dir: Path) -> list[FileSpec]:
        """Uploaded files, with the titles given at upload time (kept in _catalog.json)."""
        known = _read_uploads_catalog(uploads_dir)
        specs = []
        for path in _supported_files(uploads_dir):
            entry = known.get(path.name, {})
            meta = DocumentMeta(title=entry.get("title"), kind=entry.get("kind") or "uploaded")
            specs.append(FileSpec(path, f"uploaded/{path.name}", meta))
        return specs

    @staticmethod
    def remember_upload(uploads_dir: Path, name: str, *, title: str | None, kind: str) -> None:
        known = _read_uploads_catalog(uploads_dir)
        known[name] = {"title": title, "kind": kind}
        target = uploads_dir / UPLOADS_CATALOG
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(target)


def _supported_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.rglob("*")
        if path.is_file()
        and path.suffix.lower() in SUPPORTED_SUFFIXES
        and not path.name.startswith((".", "_"))
    )


def _read_catalog(path: Path) -> dict[str, DocumentMeta]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name} 格式有误：{error}") from error
    entries: dict[str, DocumentMeta] = {}
    for number, item in enumerate(data.get("document", []), start=1):
        where = f"{path.name} 第 {number} 个 [[document]]（{item.get('path', '缺少 path')}）"
        if "path" not in item or "title" not in item:
            raise ConfigError(f"{where}：必须有 path 和 title")
        kind = item.get("kind", "")
        if kind and kind not in KINDS:
            raise ConfigError(f"{where}：kind 只能是 {'、'.join(KINDS)}")
        year = item.get("year")
        if year is not None and not isinstance(year, int):
            raise ConfigError(f"{where}：year 必须是整数年份")
        entries[item["path"]] = DocumentMeta(
            title=item["title"], kind=kind, year=year, issuer=item.get("issuer")
        )
    return entries


def _read_uploads_catalog(uploads_dir: Path) -> dict[str, dict[str, str | None]]:
    path = uploads_dir / UPLOADS_CATALOG
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
