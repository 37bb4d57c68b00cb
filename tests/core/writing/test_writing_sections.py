"""Sections data (knowledge/sections.toml): loading, checking, and resolving what users type."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import ConfigError, InputError
from bot.core.writing import writer as writing
from bot.core.writing.sections import BUNDLED_SECTIONS, load_sections, resolve_section


def test_five_required_parts_in_the_prescribed_order() -> None:
    names = [s.name for s in load_sections().required]

    assert names == [
        "主要举措和成效",
        "存在的不足和原因",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        "下一年度主要安排",
        "其他需要报告的情况",
    ]


def test_writer_module_exposes_sections_for_keyboards() -> None:
    sections = writing.SECTIONS

    assert {"measures", "publicity", "disputes"} <= {s.key for s in sections}
    assert all(s.name and s.aliases for s in sections)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("普法", "publicity"),
        ("普法宣传", "publicity"),
        ("第一责任人", "first_responsible"),
        ("存在问题", "shortcomings"),
        ("下一步工作", "next_year"),
        (" 矛盾纠纷化解 ", "disputes"),
        ("measures", "measures"),
        ("“政务公开”", "openness"),
    ],
)
def test_names_and_aliases_resolve(typed: str, key: str) -> None:
    assert resolve_section(typed).key == key


def test_unknown_section_lists_the_valid_ones() -> None:
    with pytest.raises(InputError) as error:
        resolve_section("天气预报")

    assert "天气预报" in str(error.value)
    assert "主要举措和成效" in str(error.value) and "普法宣传" in str(error.value)


def test_heading_fills_year_or_says_next_year() -> None:
    next_year = load_sections().get("next_year")

    assert next_year.heading_for(2024) == "2025年推进法治政府建设的主要安排"
    assert next_year.heading_for(None) == "下一年度推进法治政府建设的主要安排"


def test_section_without_points_fails_naming_it(tmp_path: Path) -> None:
    broken = BUNDLED_SECTIONS.read_text(encoding="utf-8").replace(
        '[[section]]\nkey = "team"', '[[section]]\nkey = "team"\npoint = []', 1
    )
    broken = broken.split('  [[section.point]]\n  title = "充实法治工作力量"')[0]
    broken += (
        '\n[guard]\nfixed_expressions = ["两个维护"]\n[wording]\nformal = []\nfiller = ["切实"]\n'
    )
    path = tmp_path / "sections.toml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(ConfigError, match="法治队伍"):
        load_sections(path)


def test_hint_without_keys_fails_naming_the_point(tmp_path: Path) -> None:
    broken = BUNDLED_SECTIONS.read_text(encoding="utf-8").replace(
        'keys = ["调解", "化解", "成功"]', "keys = []", 1
    )
    path = tmp_path / "sections.toml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(ConfigError, match="依法调处化解纠纷"):
        load_sections(path)


def test_malformed_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "sections.toml"
    path.write_text("[[section]\nkey=", encoding="utf-8")

    with pytest.raises(ConfigError, match=r"sections\.toml"):
        load_sections(path)
