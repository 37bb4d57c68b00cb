"""`lawbot chat` and `lawbot run` in a terminal: same flows as the bot, plain text, clean EOF."""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest

from bot.cli.chat import run_bot
from bot.console import ConsoleChat
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.services import Services
from bot.settings import Settings
from tests.conftest import PROJECT_ROOT


def _scripted(lines: list[str]) -> Callable[[str], str]:
    """A `read` that returns the lines in turn, then raises EOFError like input() does."""
    pending = iter(lines)

    def read(prompt: str) -> str:
        try:
            return next(pending)
        except StopIteration:
            raise EOFError from None

    return read


@pytest.fixture
def services(tmp_path: Path, knowledge_base: KnowledgeBase) -> Iterator[Services]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge_dir=PROJECT_ROOT / "knowledge",
        prompts_dir=PROJECT_ROOT / "prompts",
    )
    built = Services(settings, knowledge=knowledge_base)
    yield built
    built.close()


def _chat(services: Services, lines: list[str]) -> str:
    output: list[str] = []
    code = ConsoleChat(services, read=_scripted(lines), write=output.append).run()
    assert code == 0
    return "\n".join(output)


def test_question_is_answered_with_numbered_sources(services: Services) -> None:
    output = _chat(services, ["法治政府建设年度报告应当包括哪些内容？"])

    assert "参考来源：\n  1. 《" in output
    assert output.endswith("再见。")


def test_draft_asks_for_section_then_facts_then_exports(services: Services, tmp_path: Path) -> None:
    out = tmp_path / "草稿.docx"

    output = _chat(
        services,
        ["/settings 单位 仓头乡人民政府", "/draft", "1", "开展普法宣传活动12场", "3", "",
         f"/export {out}", "y"],
    )  # fmt: skip

    assert "12场" in output
    assert "已存入报告“一、主要举措和成效”" in output
    assert "未完成" in output  # the outline's notes are still there: export asks first
    assert "已导出整篇报告《仓头乡人民政府关于" in output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "12场" in text
    assert "离线模式" not in text


def test_end_of_input_in_the_middle_of_a_draft_ends_cleanly(services: Services) -> None:
    output = _chat(services, ["/draft"])

    assert "请选择栏目" not in output  # prompts go to read(), not write()
    assert output.endswith("再见。")


def test_bad_input_is_a_message_not_a_crash(services: Services) -> None:
    output = _chat(services, ["/settings 年度 明年", "/draft 不存在的栏目", "/nosuch"])

    assert "错误：年度应为四位数字" in output
    assert "错误：无法识别栏目" in output
    assert "没有这个命令" in output


def test_check_lists_findings_by_kind(services: Services) -> None:
    output = _chat(services, ["/check 我乡深入学习贯彻习近平法制思想。"])

    assert "■ 规范表述" in output
    assert "习近平法治思想" in output


def test_run_without_a_token_falls_back_to_the_console_with_a_hint(
    make_settings: Callable[..., Settings],
    knowledge_base: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = Services(make_settings(telegram_token=""), knowledge=knowledge_base)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # CI: nothing on stdin

    code = run_bot(argparse.Namespace(), services)
    services.close()

    captured = capsys.readouterr()
    assert code == 0
    assert "LAWBOT_TELEGRAM_TOKEN" in captured.err
    assert "首次运行" not in captured.err  # the index exists: no ingest
    assert "终端模式" in captured.out


def test_a_whole_report_through_the_console_survives_a_restart(
    tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path / "data",
        knowledge_dir=PROJECT_ROOT / "knowledge",
        prompts_dir=PROJECT_ROOT / "prompts",
    )
    imported = tmp_path / "旧稿.docx"
    document = docx.Document()
    for line in ("三、党政主要负责人履行推进法治建设第一责任人职责情况", "镇长年终述法1次。"):
        document.add_paragraph(line)
    document.save(str(imported))
    first = Services(settings, knowledge=knowledge_base)
    _chat(first, [
        "/report 新建 青石镇人民政府 2026",
        "/facts 开展普法宣传活动12场，发放资料3000份",
        "/draft 1", "",  # the facts given earlier are enough
        "",
        "/set 2", "一是基层法治力量较为薄弱。", "二是普法形式较为单一。", "",
    ])  # fmt: skip
    first.close()
    out = tmp_path / "报告.docx"

    second = Services(settings, knowledge=knowledge_base)  # a restart: same data dir
    output = _chat(second, [
        f"/import {imported}",
        "/set 5", "无其他需要报告的情况。", "",
        "/undo",
        "/report",
        "/check",
        f"/export {out}", "y",
    ])  # fmt: skip
    second.close()

    assert "已导入 1 个部分：三、党政主要负责人履行推进法治建设第一责任人职责情况" in output
    assert "已撤销：替换“五、其他需要报告的情况”" in output
    assert "二、存在的不足和原因：已完成（粘贴" in output
    assert "全文检查发现" in output and "■ 开头" in output and "未完成" in output
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    positions = [text.index(s) for s in ("12场", "较为薄弱。\n二是普法", "年终述法1次")]
    assert positions == sorted(positions)
    assert "无其他需要报告的情况" not in text  # undone before the export


def test_lines_pasted_together_are_one_message(services: Services) -> None:
    lines = ["/check", "我乡深入学习贯彻习近平法制思想。", "全年开展普法活动12场。"]
    waiting = [True, True, False]
    output: list[str] = []
    chat = ConsoleChat(
        services, read=_scripted(lines), write=output.append, pasted=lambda: waiting.pop(0)
    )

    chat.run()

    text = "\n".join(output)
    assert "习近平法治思想" in text
    assert "没有这个命令" not in text and "参考来源" not in text  # not answered as questions


def test_a_key_date_question_is_answered_from_the_calendar(services: Services) -> None:
    output = _chat(services, ["宪法宣传周是哪几天"])

    assert "〔重要日期 · 宪法宣传周〕" in output
