"""Outline-aware chunking: every numbering style, inline headings, laws, size limits."""

from __future__ import annotations

from bot.core.knowledge.chunking import MAX_CHARS, OPENING, chunk_text, classify_line

REPORT = """关于2025年法治政府建设情况的报告
2025年，我镇坚持以习近平法治思想为指导。现将有关情况报告如下：
一、2025年推进法治政府建设的主要举措和成效
（一）加强组织领导。镇党委定期听取法治建设工作汇报，全年专题研究4次。
1.完善制度。制定学法制度。
（1）集体学法。全年集体学法12次。
（2）以案释法。组织旁听庭审1次。
2、强化考核。将法治建设纳入年度考核。
（二）推进依法决策
严格执行重大行政决策程序。一是公众参与。二是合法性审查。
二、存在的不足和原因
普法形式较单一。
"""


def _by_heading(text: str) -> dict[tuple[str, ...], str]:
    return {chunk.heading: chunk.text for chunk in chunk_text(text)}


def test_each_numbering_level_nests_under_the_one_above() -> None:
    # Passages too small for two items: each item is a passage under its own heading path.
    chunks = {chunk.heading: chunk.text for chunk in chunk_text(REPORT, max_chars=20)}

    assert (
        "一、2025年推进法治政府建设的主要举措和成效",
        "（一）加强组织领导",
        "1.完善制度",
        "（2）以案释法",
    ) in chunks
    assert (
        "一、2025年推进法治政府建设的主要举措和成效",
        "（一）加强组织领导",
        "2、强化考核",
    ) in chunks
    assert ("二、存在的不足和原因",) in chunks


def test_a_short_list_stays_one_passage_with_its_heading_and_items() -> None:
    chunks = _by_heading(REPORT)

    assert chunks[("一、2025年推进法治政府建设的主要举措和成效", "（一）加强组织领导")] == (
        "一、2025年推进法治政府建设的主要举措和成效\n"
        "（一）加强组织领导。镇党委定期听取法治建设工作汇报，全年专题研究4次。\n"
        "1.完善制度。制定学法制度。\n（1）集体学法。全年集体学法12次。\n"
        "（2）以案释法。组织旁听庭审1次。\n2、强化考核。将法治建设纳入年度考核。"
    )


def test_a_list_too_long_for_one_passage_is_cut_between_items() -> None:
    item = "全镇开展法治宣传活动，覆盖群众较多，效果明显。" * 5  # 115 characters
    guidance = "## 普法活动怎么写？\n" + "\n".join(f"{n}. 第{n}项：{item}" for n in range(1, 9))
    guidance += "\n〔来源：本知识库〕"

    chunks = chunk_text(guidance)

    assert len(chunks) == 2
    assert chunks[0].heading == chunks[1].heading == ("普法活动怎么写？",)
    assert chunks[0].text.startswith("普法活动怎么写？\n1. 第1项")
    assert chunks[1].text.startswith("5. 第5项") and chunks[1].text.endswith("〔来源：本知识库〕")
    assert all(len(chunk.text) <= MAX_CHARS for chunk in chunks)


def test_heading_with_body_on_the_same_line_keeps_both() -> None:
    chunks = _by_heading(REPORT)

    text = chunks[("一、2025年推进法治政府建设的主要举措和成效", "（一）加强组织领导")]
    assert "\n（一）加强组织领导。镇党委定期听取" in text


def test_a_heading_without_text_of_its_own_opens_the_first_passage_under_it() -> None:
    chunks = chunk_text(
        "三、下一步工作安排\n（一）完善工作机制。坚持邀请法律顾问。\n"
        "（二）加强队伍建设。持续学习。\n四、其他需要报告的情况\n无。"
    )

    assert [c.text for c in chunks] == [
        "三、下一步工作安排\n（一）完善工作机制。坚持邀请法律顾问。",
        "（二）加强队伍建设。持续学习。",
        "四、其他需要报告的情况\n无。",
    ]


def test_text_before_the_first_heading_is_labelled_as_the_opening() -> None:
    chunks = _by_heading(REPORT)
    without_outline = chunk_text("今年开展普法活动3场。\n发放资料500份。")

    assert chunks[(OPENING,)].startswith("关于2025年法治政府建设情况的报告\n2025年，我镇坚持")
    assert [chunk.heading for chunk in without_outline] == [()]  # no outline: no opening either


def test_bare_heading_followed_by_subheading_makes_no_chunk_of_its_own() -> None:
    chunks = _by_heading(REPORT)

    assert ("一、2025年推进法治政府建设的主要举措和成效",) not in chunks


def test_classify_line_recognises_half_width_brackets_and_lead_numbers() -> None:
    assert classify_line("(三)充实基层力量")[0] == 5  # type: ignore[index]
    assert classify_line("（3）强化考核")[0] == 7  # type: ignore[index]
    assert classify_line("2024年以来，我乡……") is None
    assert classify_line("1.5万元用于普法") is None


def test_law_articles_are_units_under_their_chapter() -> None:
    law = (
        "# 中华人民共和国示例法\n\n## 第一章 总则\n\n第一条 为了规范示例，制定本法。\n\n"
        "第二条 本法适用于示例。\n\n示例应当依法进行。\n\n## 第二章 附则\n\n第三条 本法自公布之日起施行。"
    )

    chunks = chunk_text(law, title="中华人民共和国示例法")

    assert [c.heading for c in chunks] == [
        ("第一章 总则", "第一条"),
        ("第一章 总则", "第二条"),
        ("第二章 附则", "第三条"),
    ]
    assert chunks[1].text == "第二条 本法适用于示例。\n示例应当依法进行。"


def test_long_section_is_cut_at_sentence_ends_preferring_lead_sentences() -> None:
    sentence = "全镇开展法治宣传活动，覆盖群众较多，效果明显。"  # 23 characters
    body = "（一）普法宣传。" + sentence * 15 + "二是以案释法。" + sentence * 15

    chunks = chunk_text(body)

    assert all(len(chunk.text) <= MAX_CHARS for chunk in chunks)
    assert len(chunks) >= 2
    assert any(chunk.text.startswith("二是以案释法") for chunk in chunks)
    assert all(chunk.text.endswith("。") for chunk in chunks)


def test_run_on_text_without_punctuation_is_hard_cut_under_the_limit() -> None:
    chunks = chunk_text("法" * 1500)

    assert [len(chunk.text) for chunk in chunks] == [600, 600, 300]


def test_seed_report_chunks_all_stay_under_600_characters() -> None:
    from tests.conftest import KNOWLEDGE_DIR

    for path in (KNOWLEDGE_DIR / "reports").glob("*.txt"):
        chunks = chunk_text(path.read_text(encoding="utf-8"))
        assert chunks, path
        assert max(len(chunk.text) for chunk in chunks) <= MAX_CHARS


def test_short_numbered_list_items_are_kept_as_text_not_dropped_as_headings() -> None:
    text = "## 一、五项内容\n缺一不可：\n1. 主要举措和成效\n2. 存在的不足和原因\n3. 主要安排\n## 二、报送时间\n3月1日前报送。"

    chunks = chunk_text(text)

    first = chunks[0]
    assert first.heading == ("一、五项内容",)
    assert (
        first.text
        == "一、五项内容\n缺一不可：\n1. 主要举措和成效\n2. 存在的不足和原因\n3. 主要安排"
    )
    assert chunks[1].heading == ("二、报送时间",)


def test_no_line_of_any_bundled_document_is_lost() -> None:
    from bot.core.knowledge.catalog import Catalog
    from bot.core.knowledge.documents import load_document
    from tests.conftest import KNOWLEDGE_DIR

    for spec in Catalog.knowledge(KNOWLEDGE_DIR):
        document = load_document(spec.path, source=spec.source, meta=spec.meta)
        chunks = chunk_text(document.text, title=document.title)
        joined = "".join(chunk.text for chunk in chunks).replace("\n", "")
        headings = {label.rstrip("…") for chunk in chunks for label in chunk.heading}
        for line in document.text.split("\n"):
            line = line.lstrip("#").strip()
            if not line or line == document.title or len(line) > 600:
                continue
            in_path = any(line.startswith(label) for label in headings)  # a bare heading
            assert line in joined or in_path, (spec.source, line)
