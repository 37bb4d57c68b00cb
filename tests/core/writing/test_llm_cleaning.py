"""Model replies are cleaned before a user sees them: no Markdown, no repeats, whole sentences."""

from __future__ import annotations

from bot.core.writing.llm import clean_reply, is_looping


def test_markdown_bold_headings_and_bullets_become_plain_text() -> None:
    reply = "## 一、主要举措\n**（一）深化普法宣传。**全年开展宣讲15场。\n- 发放资料3000份。\n* 培育法律明白人30名。"

    cleaned = clean_reply(reply)

    assert cleaned == (
        "一、主要举措\n（一）深化普法宣传。全年开展宣讲15场。\n发放资料3000份。\n培育法律明白人30名。"
    )


def test_code_fences_rules_quotes_and_inline_marks_are_dropped() -> None:
    reply = "```\n> 全年开展宣讲15场。\n---\n落实`谁执法谁普法`责任制，见[通知](http://x.cn)。\n```"

    cleaned = clean_reply(reply)

    assert cleaned == "全年开展宣讲15场。\n落实谁执法谁普法责任制，见通知。"


def test_repeated_sentences_are_kept_once() -> None:
    reply = "全年开展宣讲15场。群众法治意识明显增强。全年开展宣讲15场。群众法治意识明显增强。"

    assert clean_reply(reply) == "全年开展宣讲15场。群众法治意识明显增强。"


def test_a_numbering_loop_is_cut_to_its_first_round() -> None:
    items = "".join(f"（{n}）加强组织领导，压实法治建设责任。\n" for n in "一二三四五六七八九十")
    reply = "（一）深化普法宣传。全年开展宣讲15场。\n" + items

    cleaned = clean_reply(reply)

    assert (
        cleaned == "（一）深化普法宣传。全年开展宣讲15场。\n（一）加强组织领导，压实法治建设责任。"
    )


def test_a_clause_repeated_back_to_back_is_said_once() -> None:
    reply = "坚持依法行政，依法行政，依法行政，依法行政，推进法治政府建设。"

    assert clean_reply(reply) == "坚持依法行政，推进法治政府建设。"


def test_reply_cut_at_the_token_cap_ends_at_the_last_sentence_end() -> None:
    reply = "（一）深化普法宣传。全年开展宣讲15场，群众法治意识明显增强。（二）化解矛盾纠纷，全年排"

    assert clean_reply(reply) == "（一）深化普法宣传。全年开展宣讲15场，群众法治意识明显增强。"


def test_a_reply_ending_in_a_placeholder_or_citation_is_whole() -> None:
    assert clean_reply("下一步将开展【待补充：具体安排】") == "下一步将开展【待补充：具体安排】"
    assert clean_reply("每年3月1日前报送。〔来源：1〕") == "每年3月1日前报送。〔来源：1〕"


def test_reasoning_even_when_cut_off_is_dropped() -> None:
    assert clean_reply("<think>也许可以写300人</think>全年开展宣讲15场。") == "全年开展宣讲15场。"
    assert clean_reply("<think>用户给了宣讲15场，也许") == ""


def test_short_sentences_may_repeat() -> None:
    assert clean_reply("是。是。") == "是。是。"


def test_a_clause_coming_back_again_and_again_is_a_loop() -> None:
    assert is_looping("（一）依法行政，" * 4)
    assert not is_looping("依法行政，规范执法，依法行政，化解纠纷，依法行政。")
