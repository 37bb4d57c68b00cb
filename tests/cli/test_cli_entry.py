"""The `lawbot` entry point: quick help, any working folder, quiet on a closed pipe, one-line
errors when the knowledge service is down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import PROJECT_ROOT
from tests.core.knowledge.test_uploads import closed_port

LAWBOT = str(Path(sys.executable).parent / "lawbot")  # the installed console script
# Libraries that take most of a second to import; --help and argument errors need none of them.
HEAVY = ("langchain_core", "langchain_openai", "openai", "chromadb", "numpy", "jieba", "bm25s",
         "docx", "pypdf", "telegram")  # fmt: skip


def run_lawbot(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LAWBOT_")}
    return subprocess.run(
        [LAWBOT, *args],
        cwd=cwd,
        env={**environment, **(env or {})},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_building_the_parser_imports_no_heavy_library() -> None:
    script = (
        "import json, sys, bot.cli; bot.cli.build_parser(); "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    )

    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True
    )

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_dates_work_from_any_working_folder(tmp_path: Path) -> None:
    done = run_lawbot(
        "dates", "--from", "2026-12-01", "--days", "10",
        cwd=tmp_path, env={"LAWBOT_DATA_DIR": str(tmp_path / "data")},
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert "宪法" in done.stdout


def test_relative_folders_in_settings_are_read_against_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.settings import Settings

    monkeypatch.chdir(tmp_path)

    settings = Settings(_env_file=None, data_dir="var/data")  # type: ignore[call-arg]

    assert settings.knowledge_dir == PROJECT_ROOT / "knowledge"
    assert settings.prompts_dir == PROJECT_ROOT / "prompts"
    assert settings.data_dir == PROJECT_ROOT / "var" / "data"


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` that has already gone
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LAWBOT_")}

    done = subprocess.run(
        [LAWBOT, "dates", "--from", "2026-01-01", "--days", "365"],
        cwd=tmp_path,
        env={**environment, "LAWBOT_DATA_DIR": str(tmp_path)},
        stdout=writer,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    os.close(writer)

    assert "Traceback" not in done.stderr and "BrokenPipeError" not in done.stderr
    assert done.returncode != 0


def test_search_while_the_chroma_server_is_down_is_one_line_and_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_CHROMA_URL", f"http://127.0.0.1:{closed_port()}")

    code = main(["search", "宪法宣传周"])

    err = capsys.readouterr().err.strip()
    assert code == 1
    assert "知识库服务暂时无法连接" in err and "\n" not in err
