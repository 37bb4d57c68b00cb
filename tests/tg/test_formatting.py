"""Telegram output: escaped HTML, compact source lists, findings, and safe splitting."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.passages import Passage
from bot.tg.formatting import (
    escape,
    format_findings,
    format_result,
    format_sources,
    split_message,
    utf16_len,
)


def _passage(title: str, heading: str = "") -> Passage:
    return Passage("正文", title, heading, f"reports/{title}.txt", "report", 1.0)


@dataclass(frozen=True)
class _Result:
    text: str
    sources: tuple[Passage, ...] = ()
    mode: str = "offline"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Finding:
    kind: str
    severity: int
    excerpt: str
    location: str
    suggestion: str


def test_escape_neutralises_html_special_characters() -> None:
    assert escape("<b>A&B</b>") == "&lt;b&gt;A&amp;B&lt;/b&gt;"


def test_utf16_length_counts_astral_characters_twice() -> None:
    assert utf16_len("法治😀") == 4


def test_short_text_stays_in_one_message() -> None:
    assert split_message("一段。\n\n二段。") == ["一段。\n\n二段。"]


def test_long_text_splits_at_paragraph_boundaries_under_the_limit() -> None:
    paragraphs = [f"第{i}段" + "法" * 900 for i in range(10)]
    text = "\n\n".join(paragraphs)

    chunks = split_message(text)

    assert len(chunks) > 1
    assert all(utf16_len(chunk) <= 4096 for chunk in chunks)
    assert all(chunk.startswith("第") and chunk.endswith("法") for chunk in chunks)
    assert "\n\n".join(chunks) == text


def test_emoji_heavy_text_respects_utf16_limit() -> None:
    text = "\n\n".join("😀" * 1500 for _ in range(4))

    chunks = split_message(text)

    assert all(utf16_len(chunk) <= 4096 for chunk in chunks)
    assert "".join(chunks).count("😀") == 6000


def test_one_huge_line_is_cut_without_breaking_an_entity() -> None:
    text = escape("&" * 5000)

    chunks = split_message(text)

    assert len(chunks) >= 2
    assert all(utf16_len(chunk) <= 4096 for chunk in chunks)
    assert all(chunk.startswith("&amp;") and chunk.endswith("&amp;") for chunk in chunks)


def test_sources_are_numbered_and_deduplicated() -> None:
    passages = [_passage("甲报告", "一、"), _passage("甲报告", "一、"), _passage("乙<规定>")]

    text = format_sources(passages)

    assert text == "<b>参考来源</b>\n1. 《甲报告》 · 一、\n2. 《乙&lt;规定&gt;》"


def test_result_shows_text_warnings_and_sources() -> None:
    result = _Result("答复<正文>", (_passage("甲"),), warnings=("离线模式",))

    text = format_result(result)

    assert text.startswith("答复&lt;正文&gt;")
    assert "⚠️ 离线模式" in text
    assert "1. 《甲》" in text


def test_result_without_sources_has_no_source_heading() -> None:
    assert format_result(_Result("无")) == "无"


def test_findings_group_by_kind_in_given_order() -> None:
    findings = [
        _Finding("structure", 3, "", "全文", "缺少“存在的不足”部分"),
        _Finding("typo", 1, "法制政府", "第2段", "法治政府"),
        _Finding("structure", 2, "", "全文", "缺少落款"),
    ]

    text = format_findings(findings, {"structure": "结构", "typo": "错别字"})

    assert text.index("结构") < text.index("错别字")
    assert "<b>结构</b>（2）" in text
    assert "第2段：「法制政府」 → 法治政府" in text


def test_no_findings_is_a_clear_ok() -> None:
    assert "未发现问题" in format_findings([])
