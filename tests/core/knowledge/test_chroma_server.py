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


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """Start `chroma run` on a free port; yield its URL; stop it afterwards."""
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    process = subprocess.Popen(
        [
            _chroma_executable(),
            "run",
            "--path",
            str(tmp_path / "server-data"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"chroma server did not start: {(tmp_path / 'chroma.log').read_text()}"
                    )
                time.sleep(0.2)  # waiting for a process to come up, not timing behaviour
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
