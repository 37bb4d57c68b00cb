"""`lawbot ingest | search | sources | eval retrieval` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import KNOWLEDGE_DIR, SHARED_DIR


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    return tmp_path / "data"


def test_ingest_twice_says_nothing_changed_the_second_time(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest"]) == 0
    first = capsys.readouterr().out

    assert main(["ingest"]) == 0
    second = capsys.readouterr().out

    assert "新增 15 个" in first
    assert "没有变化" in second


def test_search_json_has_text_title_heading_source_kind_score(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "宪法宣传周活动怎么写", "--k", "3", "--json"]) == 0

    results = json.loads(capsys.readouterr().out)

    assert len(results) == 3
    assert {"text", "title", "heading", "source", "kind", "score"} <= set(results[0])
    assert any("宪法" in item["text"] for item in results)


def test_eval_retrieval_json_reports_metrics_for_k(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queries = SHARED_DIR / "eval" / "retrieval_public.jsonl"

    assert main(["eval", "retrieval", "--queries", str(queries), "--k", "3", "--json"]) == 0

    metrics = json.loads(capsys.readouterr().out)
    assert set(metrics) == {"n", "recall@3", "hit@3", "mrr@10"}
    assert metrics["n"] == 30
    assert metrics["hit@3"] >= 0.8  # a broken index scores near 0


def test_ingest_of_a_folder_with_a_broken_file_exits_non_zero_with_a_summary(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "laws"
    folder.mkdir()
    (folder / "good.md").write_text("# 示例法\n\n第一条 为了示例，制定本法。", encoding="utf-8")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4 broken")

    code = main(["ingest", "--path", str(folder), "--kind", "law"])

    out = capsys.readouterr().out
    assert code == 1
    assert "新增 1 个" in out and "bad.pdf" in out and "未能导入" in out


def test_eval_with_a_missing_query_file_prints_a_chinese_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval", "retrieval", "--queries", "no-such-file.jsonl"]) == 1

    assert "无法读取评测文件" in capsys.readouterr().err
