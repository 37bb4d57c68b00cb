"""`lawbot report …`: a whole report built from the shell, across a restart, then exported."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from bot.cli import build_parser, main
from bot.core.errors import InputError
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.services import Services
from bot.settings import Settings
from tests.conftest import KNOWLEDGE_DIR, PROMPTS_DIR


def run(services: Services, *argv: str) -> int:
    args = build_parser().parse_args(list(argv))
    return int(args.func(args, services))


def write_docx(path: Path, lines: list[str]) -> Path:
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def show_json(services: Services, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    run(services, "report", "show", "--json")
    return json.loads(capsys.readouterr().out)


def test_a_report_built_from_the_shell_survives_a_restart_and_exports_whole(
    make_settings: Callable[..., Settings],
    knowledge_base: KnowledgeBase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = make_settings()
    first = Services(settings, knowledge=knowledge_base)
    run(first, "report", "new", "--org", "青石镇人民政府", "--year", "2026")
    run(first, "report", "draft", "1", "--facts", "开展普法宣传活动12场，发放资料3000份")
    pasted = tmp_path / "part2.txt"
    pasted.write_text("一是基层法治力量较为薄弱。二是普法形式较为单一。", encoding="utf-8")
    run(first, "report", "set", "2", str(pasted))
    first.close()

    second = Services(settings, knowledge=knowledge_base)  # a restart: same data dir
    draft = write_docx(
        tmp_path / "draft.docx",
        [
            "青石镇人民政府关于2026年法治政府建设情况的报告",
            "三、党政主要负责人履行推进法治建设第一责任人职责情况",
            "镇党委书记带头讲法治课2次，年终述法1次。",
        ],
    )
    run(second, "report", "import", str(draft))
    monkeypatch.setattr("sys.stdin", io.StringIO("2027年，重点抓好法治宣传教育。"))
    run(second, "report", "set", "下一年度主要安排", "-")
    payload = show_json(second, capsys)

    parts = {part["key"]: part for part in payload["parts"]}
    assert payload["title"] == "青石镇人民政府关于2026年法治政府建设情况的报告"
    assert [p["key"] for p in payload["parts"]][:6] == [
        "opening", "measures", "shortcomings", "first_responsible", "next_year", "other",
    ]  # fmt: skip
    assert "开展普法宣传活动12场，发放资料3000份" in parts["measures"]["text"]
    assert parts["shortcomings"]["text"].startswith("一是基层法治力量较为薄弱")
    assert parts["first_responsible"]["text"] == "镇党委书记带头讲法治课2次，年终述法1次。"
    assert parts["next_year"]["status"] == "已完成"
    assert payload["unfinished"] > 0

    out = tmp_path / "报告.docx"
    assert run(second, "report", "undo") == 0
    assert "2027年" not in show_json(second, capsys)["parts"][4]["text"]
    with pytest.raises(InputError, match="未完成"):
        run(second, "report", "export", "--out", str(out))
    assert not out.exists()
    run(second, "report", "export", "--out", str(out), "--force", "--date", "2027-01-09")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for fragment in ("开展普法宣传活动12场", "基层法治力量较为薄弱", "讲法治课2次", "2027年1月9日"):
        assert fragment in text
    second.close()


def test_report_check_json_lists_placeholders_with_their_part(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    run(services, "report", "new", "--org", "青石镇人民政府", "--year", "2026")
    capsys.readouterr()

    run(services, "report", "check", "--json")

    findings = json.loads(capsys.readouterr().out)["findings"]
    unfinished = [f for f in findings if f["kind"] == "unfinished"]
    assert unfinished and all(f["severity"] == "error" for f in unfinished)
    assert {f["part"] for f in unfinished} >= {"开头", "一、主要举措和成效"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "show"], "还没有报告"),
        (["report", "undo"], "还没有报告"),
    ],
)
def test_without_a_report_each_action_says_so_in_one_line_and_fails(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))
    monkeypatch.setenv("LAWBOT_PROMPTS_DIR", str(PROMPTS_DIR))

    code = main(argv)

    err = capsys.readouterr().err.strip()
    assert code != 0
    assert message in err and len(err.splitlines()) == 1


def test_bad_parts_files_and_empty_text_change_nothing(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    run(services, "report", "new", "--org", "青石镇人民政府", "--year", "2026")
    before = show_json(services, capsys)["version"]
    not_a_report = tmp_path / "note.txt"
    not_a_report.write_text("今天开会，讨论了普法工作。", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    for argv, message in (
        (["report", "set", "9", str(not_a_report)], "无法识别报告的部分"),
        (["report", "set", "2", str(empty)], "空"),
        (["report", "set", "2", "-"], "空"),
        (["report", "import", str(not_a_report)], "一级标题"),
        (["report", "import", str(tmp_path / "missing.docx")], "找不到文件"),
        (["report", "draft", "开头"], "五个部分"),
    ):
        with pytest.raises(Exception, match=message) as caught:
            run(services, *argv)
        assert "Error" in type(caught.value).__name__

    assert show_json(services, capsys)["version"] == before
