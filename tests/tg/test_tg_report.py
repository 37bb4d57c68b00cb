"""The report workspace end to end: the real Application against the fake Bot API, a restart in
the middle, and the whole report exported as one .docx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from bot.core.knowledge.retrieval import KnowledgeBase
from bot.tg.app import build_application
from tests.fakes.botapi import FakeBotApi, lawbot_services, running

USER = 1001
PASTED = "一是基层法治工作力量较为薄弱。\n二是普法宣传形式较为单一。"


def _services(api: FakeBotApi, data_dir: Path, knowledge_base: KnowledgeBase) -> Any:
    return lawbot_services(
        api,
        data_dir,
        parts={"knowledge": knowledge_base},
        allowed_users=[USER],
        report_date="2027-01-09",
    )


def _docx(lines: list[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
async def test_a_report_built_over_a_restart_is_checked_undone_and_exported_whole(
    api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase
) -> None:
    first = _services(api, tmp_path, knowledge_base)
    async with running(build_application(first)):
        api.send_text(USER, "/report 新建 青石镇人民政府 2026")
        status = await api.reply_with_buttons(USER)
        api.send_callback(USER, status, "rp:d:measures")  # 起草 on part one
        await api.next_reply(USER)  # asks for the facts
        api.send_text(
            USER, "全年开展普法宣传活动12场，发放资料3000份；排查矛盾纠纷86件，调解成功84件。"
        )
        drafted = await api.reply_with_buttons(USER)
        api.send_callback(USER, status, "rp:s:shortcomings")  # 替换 on part two
        await api.next_reply(USER)
        api.send_text(USER, PASTED)
        pasted = await api.next_reply(USER)
    first.close()

    second = _services(api, tmp_path, knowledge_base)  # a restart in the middle
    async with running(build_application(second)):
        api.send_text(USER, "/report")
        status = await api.reply_with_buttons(USER)
        api.send_callback(USER, status, "rp:import")
        await api.next_reply(USER)
        old_draft = _docx(
            [
                "青石镇人民政府关于2026年法治政府建设情况的报告",
                "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                "镇党委书记带头讲法治课2次，年终述法1次。",
            ]
        )
        api.send_document(USER, "旧稿.docx", old_draft)
        imported = await api.reply_with_buttons(USER)
        api.send_callback(USER, status, "rp:s:shortcomings")
        await api.next_reply(USER)
        api.send_text(USER, "误贴的文字。")
        await api.next_reply(USER)
        api.send_text(USER, "/undo")
        undone = await api.next_reply(USER)
        api.send_text(USER, "/report 查看 2")
        part_two = await api.next_reply(USER)
        api.send_text(USER, "/check")
        checked = await api.next_reply(USER)
        await api.next_reply(USER)  # the offer to check other text
        api.send_text(USER, "/export")
        refused = await api.reply_with_buttons(USER)
        api.press(USER, refused, "仍然导出")
        exported = await api.next_reply(USER)
    second.close()

    assert "已存入报告“一、主要举措和成效”" in drafted.text
    assert "已存入“二、存在的不足和原因”" in pasted.text
    assert "三、党政主要负责人履行推进法治建设第一责任人职责情况" in imported.text
    assert "已撤销：替换“二、存在的不足和原因”" in undone.text
    assert "一是基层法治工作力量较为薄弱。" in part_two.text and "误贴" not in part_two.text
    assert "未完成" in checked.text and "■ 开头" in checked.text
    assert "■ 四、下一年度主要安排" in checked.text  # its 需收集 notes are still there
    assert "未完成" in refused.text
    assert exported.method == "sendDocument"
    paragraphs = [
        p.text for p in docx.Document(io.BytesIO(exported.content or b"")).paragraphs if p.text
    ]
    text = "\n".join(paragraphs)
    assert text.replace("\n", "").startswith("青石镇人民政府关于2026年法治政府建设情况的报告")
    headings = [p for p in paragraphs if p[:2] in ("一、", "二、", "三、", "四、", "五、")]
    assert [h[0] for h in headings] == list("一二三四五")
    order = [
        text.index(fragment)
        for fragment in ("全年开展普法宣传活动12场", "基层法治工作力量较为薄弱", "讲法治课2次")
    ]
    assert order == sorted(order)
    assert paragraphs[-2:] == ["青石镇人民政府", "2027年1月9日"]


@pytest.fixture
async def bot(api: FakeBotApi, tmp_path: Path, knowledge_base: KnowledgeBase) -> Any:
    services = _services(api, tmp_path, knowledge_base)
    async with running(build_application(services)):
        yield api
    services.close()


async def test_figures_sent_without_a_question_are_filed_as_facts(bot: FakeBotApi) -> None:
    bot.send_text(USER, "普法宣传活动12场，发放资料3000份")
    filed = await bot.next_reply(USER)
    bot.send_text(USER, "普法宣传活动12场够不够？")
    answered = await bot.next_reply(USER)
    bot.send_text(USER, "/report")
    status = await bot.next_reply(USER)

    assert "已记下" in filed.text and "一、主要举措和成效" in filed.text
    assert "已记下" not in answered.text
    assert "已给事实 1 条" in status.text


async def test_a_cleared_part_comes_back_with_undo(bot: FakeBotApi) -> None:
    bot.send_text(USER, "/report 新建 青石镇人民政府 2026")
    status = await bot.reply_with_buttons(USER)
    bot.send_callback(USER, status, "rp:c:next_year")
    cleared = await bot.next_reply(USER)
    bot.send_callback(USER, status, "rp:v:next_year")
    empty = await bot.next_reply(USER)
    bot.send_callback(USER, status, "rp:undo")
    await bot.next_reply(USER)
    bot.send_callback(USER, status, "rp:v:next_year")
    restored = await bot.next_reply(USER)

    assert "已清空“四、下一年度主要安排”" in cleared.text
    assert "（空）" in empty.text
    assert "需收集：" in restored.text


async def test_a_file_that_is_not_a_report_is_refused_and_changes_nothing(
    bot: FakeBotApi,
) -> None:
    bot.send_text(USER, "/report 新建 青石镇人民政府 2026")
    status = await bot.reply_with_buttons(USER)
    bot.send_callback(USER, status, "rp:import")
    await bot.next_reply(USER)

    bot.send_document(USER, "便条.txt", "今天开会讨论普法工作。".encode())
    refused = await bot.next_reply(USER)
    bot.send_text(USER, "/report")
    after = await bot.next_reply(USER)

    assert "一级标题" in refused.text
    assert "第 1 版" in after.text
