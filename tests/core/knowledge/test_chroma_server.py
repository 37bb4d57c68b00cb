"""Server mode: the knowledge base against a real `chroma run` started on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.errors import KnowledgeUnavailable
from bot.core.knowledge.catalog import Catalog
from bot.services import Services
from bot.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _chroma_executable() -> str:
    found = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    if not Path(found).exists():
        pytest.fail("the chroma command (from the chromadb package) is not installed")
    return found


class ChromaServer:
    """`chroma run` on 127.0.0.1 over one data folder; can be stopped and started again."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.folder / "chroma.log").open("ab")
        self.process = subprocess.Popen(
            [_chroma_executable(), "run", "--path", str(self.folder / "server-data"),
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=2):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"chroma server did not start: {self.log()}")
                time.sleep(0.2)  # waiting for a process to come up, not timing behaviour

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def log(self) -> str:
        return (self.folder / "chroma.log").read_text(errors="replace")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A started `chroma run`; stopped afterwards."""
    running = ChromaServer(tmp_path)
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def chroma_server(server: ChromaServer) -> str:
    """The URL of a started `chroma run`."""
    return server.url


@pytest.mark.slow
def test_ingest_and_search_through_a_chroma_server(chroma_server: str, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text(
        "普法计划\n一、宪法宣传周\n12月1日至7日在集市设立宪法宣传咨询台。\n二、禁毒宣传\n6月26日开展禁毒宣传。",
        encoding="utf-8",
    )
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_url=chroma_server)  # type: ignore[call-arg]

    first = Services(settings)
    report = first.knowledge.ingest(Catalog.folder(docs, kind="report"), root="test")
    second = Services(settings)  # another bot process sharing the same server and data dir
    passages = second.knowledge.search("宪法宣传咨询台", k=2)

    assert report.added == ["docs/plan.txt"]
    assert passages[0].source == "docs/plan.txt" and "咨询台" in passages[0].text
    assert not (tmp_path / "data" / "chroma").exists()  # nothing embedded was created


@pytest.mark.slow
def test_a_search_during_a_server_outage_says_so_and_works_again_after(
    server: ChromaServer, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.txt").write_text("普法计划\n一、宪法宣传周\n在集市设立宪法宣传咨询台。", "utf-8")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", chroma_url=server.url)  # type: ignore[call-arg]
    knowledge = Services(settings).knowledge
    knowledge.ingest(Catalog.folder(docs, kind="report"), root="test")

    server.stop()
    with pytest.raises(KnowledgeUnavailable, match="知识库服务暂时无法连接"):
        knowledge.search("宪法宣传咨询台", k=2)
    server.start()
    passages = knowledge.search("宪法宣传咨询台", k=2)

    assert passages[0].source == "docs/plan.txt"
