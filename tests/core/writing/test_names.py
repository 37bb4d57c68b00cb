"""Tests for finding officials' personal names in report text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.writing.names import extract_official_names, load_example_names


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("乡党委书记张三主持召开专题会议。", "张三"),
        ("会上，乡长李四同志作了部署。", "李四"),
        ("成立由王五同志任组长的领导小组。", "王五"),
        ("办公室主任王五负责日常工作。", "王五"),
        ("我镇成立由镇党委书记宋杰任组长，镇长罗正武任副组长的领导小组。", "罗正武"),
        ("党委副书记、乡长雷斌为组长，武装部长李文杰为副组长。", "李文杰"),
        ("副乡长欧阳明同志分管司法工作。", "欧阳明"),
    ],
)
def test_name_after_title_or_before_comrade_is_found(text: str, name: str) -> None:
    names = extract_official_names(text)

    assert name in names


@pytest.mark.parametrize(
    "text",
    [
        "成立了以乡党委书记为组长，乡长副书记为常务副组长的领导小组。",
        "加强对机关同志的法治教育，全体同志积极参与。",
        "党委书记高度重视，党委书记作为第一责任人亲自部署。",
        "书记于会上强调要依法决策。",
        "乡长周密部署，主任文明执法。",
        "坚持严格规范公正文明执法，提高依法行政水平。",
    ],
)
def test_common_words_are_never_returned_as_names(text: str) -> None:
    names = extract_official_names(text)

    assert names == set()


def test_a_name_is_returned_without_the_title_or_the_following_word() -> None:
    names = extract_official_names("由镇党委书记宋杰任组长")

    assert names == {"宋杰"}


def test_example_names_are_collected_from_every_report(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("镇党委书记宋杰任组长。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("乡长雷斌为组长。", encoding="utf-8")
    (tmp_path / "notes.md").write_text("乡长赵六同志", encoding="utf-8")

    names = load_example_names(tmp_path)

    assert names == {"宋杰", "雷斌"}


def test_missing_reports_folder_gives_no_names(tmp_path: Path) -> None:
    assert load_example_names(tmp_path / "absent") == set()
