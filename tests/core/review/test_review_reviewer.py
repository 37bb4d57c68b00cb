"""The Reviewer contract (ordering, locations, names) and `lawbot check` end to end."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.review import KIND_LABELS, Finding, Reviewer, load_reviewer
from tests.conftest import KNOWLEDGE_DIR

DRAFT = """
青山镇人民政府
关于2025年法治政府建设情况的报告
2025年，青山镇坚持人民当家做主。现将2025年度法治政府建设情况报告如下：
一、2025年推进法治政府建设的主要举措和成效
全年排查矛盾纠纷40件，成功调解45件。截止目前，已开展普法活动5余次。
二、2025年推进法治政府建设存在的不足和原因
（一）队伍力量薄弱
(二)宣传形式单一
三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况
镇党委书记宋杰任组长。
四、2026年推进法治政府建设的主要安排
持续加强普法宣传。
"""


@pytest.fixture(scope="module")
def reviewer() -> Reviewer:
    return load_reviewer(KNOWLEDGE_DIR)


def test_findings_come_most_serious_first_then_in_text_order(reviewer: Reviewer) -> None:
    findings = reviewer.check(DRAFT)

    ranks = [("error", "warning", "info").index(f.severity) for f in findings]
    assert ranks == sorted(ranks)
    errors = [f for f in findings if f.severity == "error"]
    assert [f.kind for f in errors] == ["expression", "figure", "typo"]


def test_every_kind_of_check_reports_on_a_faulty_draft(reviewer: Reviewer) -> None:
    kinds = {f.kind for f in reviewer.check(DRAFT)}

    assert kinds == {"structure", "numbering", "expression", "typo", "figure", "name"}
    assert kinds <= set(KIND_LABELS)


def test_location_names_paragraph_and_sentence(reviewer: Reviewer) -> None:
    typo = next(f for f in reviewer.check(DRAFT) if f.kind == "typo")

    assert typo.location == "第5段第2句"
    assert "截止目前" in typo.excerpt


def test_finding_is_frozen_with_the_contract_fields() -> None:
    finding = Finding("typo", "error", "治度", "第1段第1句", "改为「制度」")

    assert [f.name for f in dataclasses.fields(finding)] == [
        "kind",
        "severity",
        "excerpt",
        "location",
        "suggestion",
    ]
    assert finding.label == "错别字"
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "figure"  # type: ignore[misc]


def test_name_from_an_example_report_is_warned(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "a.txt").write_text("镇党委书记罗正武任组长。", encoding="utf-8")

    findings = load_reviewer(tmp_path).check("会议由乡长罗正武同志主持，乡长张明同志讲话。")

    assert [(f.kind, f.severity) for f in findings] == [("name", "warning")]
    assert "罗正武" in findings[0].suggestion


def test_empty_text_gives_no_findings(reviewer: Reviewer) -> None:
    assert reviewer.check("") == []
    assert reviewer.check("\n \n") == []


def test_explicit_year_overrides_the_inferred_one(reviewer: Reviewer) -> None:
    text = "河西乡2025年法治政府建设情况报告\n深入实施“八五”普法规划。"

    assert not [f for f in reviewer.check(text) if f.kind == "stale"]
    assert [f for f in reviewer.check(text, year=2026) if f.kind == "stale"]


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LAWBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAWBOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))


def test_check_json_lists_findings_and_exits_zero(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")

    code = main(["check", str(draft), "--json"])

    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert payload["findings"]
    assert set(payload["findings"][0]) == {"kind", "severity", "excerpt", "location", "suggestion"}


def test_check_reads_stdin_and_groups_output_by_kind(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("坚持人民当家做主。截止目前，已完成。"))

    code = main(["check", "-"])

    out = capsys.readouterr().out
    assert code == 0
    assert "■ 规范表述（1）" in out
    assert "■ 错别字（1）" in out


def test_check_of_a_clean_text_says_nothing_was_found(
    cli_env: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("坚持严格规范公正文明执法。"))

    assert main(["check", "-", "--year", "2025"]) == 0
    assert "未发现问题" in capsys.readouterr().out


def test_check_reads_a_docx_file(
    cli_env: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("加强法制宣传教育，依法治定村规民约。")
    path = tmp_path / "draft.docx"
    document.save(str(path))

    assert main(["check", str(path), "--json"]) == 0

    kinds = sorted(f["kind"] for f in json.loads(capsys.readouterr().out)["findings"])
    assert kinds == ["expression", "typo"]


def test_check_of_a_missing_file_fails_with_a_chinese_message(
    cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "/nonexistent/draft.txt"]) == 1
    assert "找不到文件" in capsys.readouterr().err
