"""`lawbot ask | draft | outline | revise | examples` handlers, on the shared knowledge base."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import build_parser
from bot.core.errors import InputError
from bot.services import Services


def run(services: Services, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(args.func(args, services))


def test_draft_json_has_draft_sources_warnings_and_mode(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        services, "draft", "--section", "矛盾纠纷化解",
        "--facts", "排查纠纷120件，调解成功115件", "--org", "城关镇", "--year", "2024", "--json",
    )  # fmt: skip

    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(payload) == {"draft", "sources", "warnings", "mode"}
    assert "调解成功115件" in payload["draft"]
    assert payload["mode"] == "offline"
    assert payload["sources"] and payload["sources"][0]["citation"].startswith("《")


def test_ask_json_has_answer_sources_and_mode(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(services, "ask", "年度报告什么时候报送？", "--json")

    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(payload) == {"answer", "sources", "mode"}
    assert "3月1日" in payload["answer"]


def test_outline_prints_the_five_parts(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    run(services, "outline", "--org", "城关镇", "--year", "2025")

    out = capsys.readouterr().out
    assert out.startswith("城关镇关于2025年法治政府建设情况的报告")
    assert "五、其他需要报告的情况" in out


def test_revise_reads_a_file(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("我们镇搞了很多普法活动，共15场。", encoding="utf-8")

    run(services, "revise", "--instruction", "更正式", str(draft))

    assert "我镇开展了大量普法活动，共15场。" in capsys.readouterr().out


def test_revise_reads_standard_input(
    services: Services, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("进一步切实加强普法，开展宣讲15场。"))

    run(services, "revise", "--instruction", "更简洁", "-", "--json")

    payload = json.loads(capsys.readouterr().out)
    assert "加强普法，开展宣讲15场。" in payload["draft"]


def test_revise_of_a_missing_file_is_a_clear_error(services: Services) -> None:
    with pytest.raises(InputError, match="找不到文件"):
        run(services, "revise", "--instruction", "更简洁", "no-such-draft.txt")


def test_examples_cite_each_passage(services: Services, capsys: pytest.CaptureFixture[str]) -> None:
    run(services, "examples", "法律明白人")

    out = capsys.readouterr().out
    assert out.startswith("1. 《")
    assert "法律明白人" in out
