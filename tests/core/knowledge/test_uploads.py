"""Uploaded files: safe names that keep their suffix, nothing overwritten, nothing left on failure."""

from __future__ import annotations

import socket
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from bot.core.errors import KnowledgeUnavailable
from bot.core.knowledge.embeddings import Embedder
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.core.knowledge.uploads import MAX_NAME_BYTES, safe_upload_name
from tests.conftest import open_knowledge_base

NOTICE = (
    "关于开展宪法宣传周活动的通知\n\n一、活动主题\n组织干部群众集中学习宪法，开展宪法宣誓活动。\n"
)
PLAN = "禁毒宣传工作方案\n\n一、工作安排\n6月26日在集市开展禁毒宣传，发放禁毒手册。\n"


def closed_port() -> int:
    """A local port nobody listens on (as when the Chroma server is down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unreachable_server_kb(data_dir: Path, embedder: Embedder) -> KnowledgeBase:
    """A knowledge base configured for a Chroma server that is not running."""
    port = closed_port()

    def connect() -> object:
        return chromadb.HttpClient(
            host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False)
        )

    return KnowledgeBase(
        index_dir=data_dir / "index",
        chroma=connect,
        embedder=embedder,
        uploads_dir=data_dir / "uploads",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("_通知.docx", "通知.docx"),
        ("..\\..\\win.docx", "win.docx"),
        ("../../etc/passwd.txt", "passwd.txt"),
        (".hidden.md", "hidden.md"),
        ("a:b*c?.pdf", "a_b_c_.pdf"),
        ("", "未命名文件"),
    ],
)
def test_upload_names_lose_paths_and_hiding_prefixes(raw: str, expected: str) -> None:
    assert safe_upload_name(raw) == expected


def test_a_long_upload_name_is_cut_to_fit_the_file_system_before_its_suffix() -> None:
    raw = "关于" + "法治政府建设" * 30 + "的报告.docx"

    name = safe_upload_name(raw)

    assert name.endswith(".docx") and name.startswith("关于法治政府建设")
    assert MAX_NAME_BYTES - 3 < len(name.encode()) <= MAX_NAME_BYTES


def test_a_second_file_of_the_same_name_is_kept_beside_the_first(
    tmp_path: Path, embedder: Embedder
) -> None:
    kb = open_knowledge_base(tmp_path / "data", embedder)
    first, second = tmp_path / "a" / "通知.txt", tmp_path / "b" / "通知.txt"
    for path, text in ((first, NOTICE), (second, PLAN)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")

    one = kb.add_file(first)
    two = kb.add_file(second)
    again = kb.add_file(second)

    assert (one.name, one.renamed) == ("通知.txt", False)
    assert (two.name, two.renamed) == ("通知（2）.txt", True)
    assert not again.changed and again.name == "通知（2）.txt"
    assert sorted(info.source for info in kb.sources()) == [
        "uploaded/通知.txt",
        "uploaded/通知（2）.txt",
    ]


def test_an_upload_reports_its_own_passages_not_the_whole_base(
    tmp_path: Path, embedder: Embedder
) -> None:
    kb = open_knowledge_base(tmp_path / "data", embedder)
    (tmp_path / "plan.txt").write_text(PLAN * 3, encoding="utf-8")
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    kb.add_file(tmp_path / "plan.txt")

    result = kb.add_file(tmp_path / "notice.txt")

    assert result.chunks == kb.chunk_count("uploaded/notice.txt") == 1
    assert len(kb.sources()) == 2


def test_an_upload_while_the_vector_store_is_down_leaves_nothing_behind(
    tmp_path: Path, embedder: Embedder
) -> None:
    kb = unreachable_server_kb(tmp_path / "data", embedder)
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")

    with pytest.raises(KnowledgeUnavailable, match="知识库服务暂时无法连接"):
        kb.add_file(tmp_path / "notice.txt")

    assert not list((tmp_path / "data" / "uploads").glob("*.txt"))
    assert kb.sources() == []


def test_search_while_the_vector_store_is_down_says_so(tmp_path: Path, embedder: Embedder) -> None:
    built = open_knowledge_base(tmp_path / "data", embedder)
    (tmp_path / "notice.txt").write_text(NOTICE, encoding="utf-8")
    built.add_file(tmp_path / "notice.txt")
    kb = unreachable_server_kb(tmp_path / "data", embedder)  # same index, server gone

    with pytest.raises(KnowledgeUnavailable):
        kb.search("宪法宣誓", k=3)

    assert [info.source for info in kb.sources()] == ["uploaded/notice.txt"]


def test_an_index_never_built_because_the_store_was_down_does_not_claim_nothing_was_found(
    tmp_path: Path, embedder: Embedder
) -> None:
    kb = unreachable_server_kb(tmp_path / "data", embedder)

    with pytest.raises(KnowledgeUnavailable):
        kb.search("宪法宣誓", k=3)
