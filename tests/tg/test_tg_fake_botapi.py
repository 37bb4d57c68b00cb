"""The fake Bot API server speaks enough Telegram for a real python-telegram-bot Application."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fakes.botapi import FakeBotApi

USER = 42


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    if update.effective_message.document:
        file = await update.effective_message.document.get_file()
        data = await file.download_as_bytearray()
        await update.effective_message.reply_document(bytes(data), filename="back.txt")
        return
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("好", callback_data="ok")]])
    await update.effective_message.reply_text(
        f"echo {update.effective_message.text}", reply_markup=markup
    )


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(f"pressed {query.data}")


@pytest.fixture
async def echo_bot() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    app = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT | filters.Document.ALL, _echo))
    app.add_handler(CallbackQueryHandler(_pressed))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    yield api
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    await api.stop()


async def test_text_message_gets_echoed_with_button(echo_bot: FakeBotApi) -> None:
    echo_bot.send_text(USER, "你好")

    reply = await echo_bot.next_reply(USER)

    assert reply.method == "sendMessage"
    assert reply.text == "echo 你好"
    assert reply.buttons == [("好", "ok")]


async def test_pressing_a_button_edits_the_message(echo_bot: FakeBotApi) -> None:
    echo_bot.send_text(USER, "x")
    reply = await echo_bot.next_reply(USER)

    echo_bot.press(USER, reply, "好")
    edited = await echo_bot.next_reply(USER)

    assert edited.method == "editMessageText"
    assert edited.text == "pressed ok"
    assert echo_bot.calls_of("answerCallbackQuery")


async def test_uploaded_document_downloads_and_comes_back_as_multipart(
    echo_bot: FakeBotApi,
) -> None:
    echo_bot.send_document(USER, "a.txt", "内容".encode())

    reply = await echo_bot.next_reply(USER)

    assert reply.method == "sendDocument"
    assert reply.filename == "back.txt"
    assert reply.content == "内容".encode()
