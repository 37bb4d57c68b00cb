"""A fake Telegram Bot API server (aiohttp, 127.0.0.1, random port) for end-to-end tests.

Drive the real python-telegram-bot Application against it:

    async with FakeBotApi() as api:
        services = lawbot_services(api, tmp_path, allowed_users=[USER])  # or any Application
        async with running(build_application(services)):  # start/stop like run_polling
            api.send_text(USER, "/start")
            reply = await api.next_reply(USER)    # a BotCall: .text .buttons .filename .content
            api.press(USER, reply, "起草报告")      # press the inline button with that label
            api.send_document(ADMIN, "a.txt", b"...")  # a user uploads a file
            await api.wait_call("setMyCommands")  # any method: wait until the bot called it

Every call the bot makes is kept in `api.calls` (`calls_of(method)`); replies (sendMessage,
sendDocument, editMessageText, editMessageReplyMarkup) are queued per chat and awaited with
`next_reply` / `replies_until` (asyncio queues, no sleeping). Without `running`, point a Bot
at `api.base_url` / `api.base_file_url` with token `api.token`. `running` stops the updater
before the caller stops the server; `stop()` releases a pending long poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

TOKEN = "123456:FAKE-TOKEN-for-tests"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "法治助手",
    "username": "lawbot_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
REPLY_METHODS = frozenset(
    {"sendMessage", "sendDocument", "editMessageText", "editMessageReplyMarkup"}
)
# Parameters whose form value is a plain string (everything else arrives JSON-encoded).
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "action",
        "file_id",
        "url",
        "secret_token",
        "inline_message_id",
        "language_code",
    }
)


@dataclass
class BotCall:
    """One request the bot made: method, decoded parameters and any uploaded file."""

    method: str
    params: dict[str, Any]
    message: dict[str, Any] | None = None  # the Message the fake returned, if any
    filename: str | None = None
    content: bytes | None = None
    at: float = field(default_factory=time.perf_counter)

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Inline keyboard as (label, callback_data) pairs, row by row."""
        markup = self.params.get("reply_markup") or {}
        return [
            (button["text"], button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


class FakeBotApi:
    """Bot API stand-in: inject updates, await what the bot sends."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[BotCall] = []
        self.commands: list[dict[str, str]] = []
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._file_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._stopping = False
        self._replies: dict[int, asyncio.Queue[BotCall]] = {}
        self._called: dict[str, asyncio.Event] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_download)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Release pending long polls, then shut the server down."""
        self._stopping = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def settings_kwargs(self) -> dict[str, Any]:
        """Settings fields that point a bot at this server."""
        return {
            "telegram_token": self.token,
            "telegram_api_url": self.base_url,
            "telegram_file_url": self.base_file_url,
        }

    # --- injecting updates -------------------------------------------------------------
    def send_text(
        self, user_id: int, text: str, *, chat_id: int | None = None, chat_type: str = "private"
    ) -> dict[str, Any]:
        """A user sends a text message (commands get a bot_command entity). Returns it."""
        message = self._user_message(user_id, chat_id, chat_type)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            length = len(command.encode("utf-16-le")) // 2
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        self._push({"message": message})
        return message

    def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "application/octet-stream",
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A user uploads a file (downloadable through getFile). Returns the message."""
        file_id = self._store_file(filename, content)
        message = self._user_message(user_id, chat_id, "private")
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        if caption:
            message["caption"] = caption
        self._push({"message": message})
        return message

    def send_content(self, user_id: int, **content: Any) -> dict[str, Any]:
        """A user sends any other message, e.g. `sticker={...}` or `photo=[...]`. Returns it."""
        message = self._user_message(user_id, None, "private")
        message.update(content)
        self._push({"message": message})
        return message

    def press(self, user_id: int, reply: BotCall, label: str) -> str:
        """The user presses the inline button labelled `label` under `reply`."""
        for text, data in reply.buttons:
            if text == label:
                self.send_callback(user_id, reply, data)
                return data
        raise AssertionError(f"no button {label!r}; buttons: {reply.buttons}")

    def send_callback(self, user_id: int, reply: BotCall, data: str) -> None:
        """The user presses a button carrying `data` on the bot's message `reply`."""
        assert reply.message is not None, "the reply has no message to attach buttons to"
        chat_id = reply.message["chat"]["id"]
        message = self.messages.get((chat_id, reply.message["message_id"]), reply.message)
        query = {
            "id": str(next(self._file_ids)),
            "from": self._user(user_id),
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": message,
        }
        self._push({"callback_query": query})

    # --- awaiting the bot ----------------------------------------------------------------
    async def next_reply(self, chat_id: int, timeout: float = 10.0) -> BotCall:
        """The next message the bot sent to (or edited in) that chat."""
        return await asyncio.wait_for(self._queue(chat_id).get(), timeout)

    async def replies_until(self, chat_id: int, done: Any, timeout: float = 10.0) -> list[BotCall]:
        """Collect replies until `done(call)` is true for one (included)."""
        collected: list[BotCall] = []
        while True:
            call = await self.next_reply(chat_id, timeout)
            collected.append(call)
            if done(call):
                return collected

    async def reply_with_buttons(self, chat_id: int) -> BotCall:
        """The first reply that carries inline buttons (replies before it are skipped)."""
        return (await self.replies_until(chat_id, lambda call: bool(call.buttons)))[-1]

    def pending_replies(self, chat_id: int) -> list[BotCall]:
        """Replies already received and not yet taken (without waiting)."""
        queue = self._queue(chat_id)
        taken: list[BotCall] = []
        while not queue.empty():
            taken.append(queue.get_nowait())
        return taken

    async def wait_call(self, method: str, timeout: float = 10.0) -> BotCall:
        """Wait until the bot has called `method` at least once; return the latest call."""
        if not any(call.method == method for call in self.calls):
            event = self._called.setdefault(method, asyncio.Event())
            await asyncio.wait_for(event.wait(), timeout)
        return next(call for call in reversed(self.calls) if call.method == method)

    def calls_of(self, method: str) -> list[BotCall]:
        return [call for call in self.calls if call.method == method]

    # --- HTTP side ---------------------------------------------------------------------
    async def _handle_method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params, filename, content = await _read_params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, f"Not Found: method {method} not found")
        call = BotCall(method, params, filename=filename, content=content)
        if method != "getUpdates":
            self.calls.append(call)
        result = await handler(call)
        if method in REPLY_METHODS and call.chat_id is not None:
            self._queue(call.chat_id).put_nowait(call)
        if method in self._called:
            self._called[method].set()
        return web.json_response({"ok": True, "result": result})

    async def _handle_download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        for file_path, content in self.files.values():
            if file_path == path:
                return web.Response(body=content)
        return web.Response(status=404)

    async def _api_getMe(self, call: BotCall) -> Any:
        return BOT_USER

    async def _api_deleteWebhook(self, call: BotCall) -> Any:
        return True

    async def _api_setWebhook(self, call: BotCall) -> Any:
        return True

    async def _api_setMyCommands(self, call: BotCall) -> Any:
        self.commands = list(call.params.get("commands") or [])
        return True

    async def _api_getUpdates(self, call: BotCall) -> Any:
        offset = int(call.params.get("offset") or 0)
        timeout = float(call.params.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._stopping:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        limit = int(call.params.get("limit") or 100)
        return [] if self._stopping else self._updates[:limit]

    async def _api_sendMessage(self, call: BotCall) -> Any:
        return self._bot_message(call, text=call.params.get("text", ""))

    async def _api_sendDocument(self, call: BotCall) -> Any:
        filename = call.filename or "document"
        file_id = self._store_file(filename, call.content or b"")
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": filename}
        return self._bot_message(call, document=document, caption=call.params.get("caption"))

    async def _api_editMessageText(self, call: BotCall) -> Any:
        return self._edit(call, text=call.params.get("text", ""))

    async def _api_editMessageReplyMarkup(self, call: BotCall) -> Any:
        return self._edit(call)

    async def _api_answerCallbackQuery(self, call: BotCall) -> Any:
        return True

    async def _api_sendChatAction(self, call: BotCall) -> Any:
        return True

    async def _api_deleteMessage(self, call: BotCall) -> Any:
        return True

    async def _api_getFile(self, call: BotCall) -> Any:
        file_id = str(call.params.get("file_id"))
        if file_id not in self.files:
            raise web.HTTPBadRequest(text=json.dumps(_body(400, "Bad Request: invalid file_id")))
        file_path, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": file_path,
        }

    # --- internals -----------------------------------------------------------------------
    def _queue(self, chat_id: int) -> asyncio.Queue[BotCall]:
        return self._replies.setdefault(int(chat_id), asyncio.Queue())

    def _push(self, update: dict[str, Any]) -> None:
        update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        self._new_update.set()

    def _store_file(self, filename: str, content: bytes) -> str:
        file_id = f"file{next(self._file_ids)}"
        self.files[file_id] = (f"documents/{file_id}_{filename}", content)
        return file_id

    @staticmethod
    def _user(user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"}

    def _user_message(self, user_id: int, chat_id: int | None, chat_type: str) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"用户{user_id}"
        else:
            chat["title"] = "测试群"
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id),
        }

    def _bot_message(self, call: BotCall, **fields: Any) -> dict[str, Any]:
        chat_id = int(call.params["chat_id"])
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": BOT_USER,
        }
        message.update({key: value for key, value in fields.items() if value is not None})
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        self.messages[(chat_id, message["message_id"])] = message
        call.message = message
        return message

    def _edit(self, call: BotCall, **fields: Any) -> Any:
        if "chat_id" not in call.params:
            return True  # inline message: Telegram answers True
        key = (int(call.params["chat_id"]), int(call.params["message_id"]))
        message = dict(self.messages.get(key) or {})
        if not message:
            raise web.HTTPBadRequest(
                text=json.dumps(_body(400, "Bad Request: message to edit not found")),
                content_type="application/json",
            )
        message.update(fields)
        message.pop("reply_markup", None)
        if call.params.get("reply_markup"):
            message["reply_markup"] = call.params["reply_markup"]
        self.messages[key] = message
        call.message = message
        return message


async def _read_params(request: web.Request) -> tuple[dict[str, Any], str | None, bytes | None]:
    """Decode form/multipart/JSON parameters the way PTB encodes them."""
    params: dict[str, Any] = dict(request.query)
    filename: str | None = None
    content: bytes | None = None
    if request.content_type == "application/json":
        params.update(await request.json())
        return params, None, None
    if request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            if part.filename is not None:  # type: ignore[union-attr]
                filename = part.filename  # type: ignore[union-attr]
                content = bytes(await part.read())  # type: ignore[union-attr]
                params[part.name or "file"] = f"attach://{part.name}"  # type: ignore[union-attr]
            else:
                params[part.name or ""] = await part.text()  # type: ignore[union-attr]
    elif request.can_read_body:
        params.update(await request.post())
    for name, value in list(params.items()):
        if isinstance(value, str) and name not in STRING_PARAMS:
            with contextlib.suppress(ValueError):
                params[name] = json.loads(value)
    return params, filename, content


def _body(code: int, description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description}


def _error(code: int, description: str) -> web.Response:
    return web.json_response(_body(code, description), status=code)


@contextlib.asynccontextmanager
async def running(application: Any, poll_timeout: float = 5.0) -> AsyncIterator[None]:
    """Run a PTB Application against the fake the way run_polling would (post_init included).

    Stops in the safe order: updater, application, then (the caller) the server. The note
    「请求已收到，正在排队」 that a slow request gets after a few seconds is off unless the test
    sets `application.bot_data["queued_after"]`: on a busy machine it would come at random.
    """
    application.bot_data.setdefault("queued_after", float("inf"))
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)  # initialize() does not call it
    await application.updater.start_polling(poll_interval=0, timeout=poll_timeout)
    await application.start()
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()


def lawbot_services(
    api: FakeBotApi, data_dir: Path, *, parts: dict[str, Any] | None = None, **overrides: Any
) -> Any:
    """Services for a lawbot pointed at `api`, with its data under `data_dir`.

    Project knowledge and prompts are used; settings fields as keywords (allowed_users=[1]),
    ready-made parts in `parts` (e.g. {"knowledge": kb}).
    """
    from bot.services import Services
    from bot.settings import Settings

    root = Path(__file__).resolve().parents[2]
    fields: dict[str, Any] = {
        "data_dir": data_dir,
        "knowledge_dir": root / "knowledge",
        "prompts_dir": root / "prompts",
        **api.settings_kwargs(),
        **overrides,
    }
    return Services(Settings(_env_file=None, **fields), **(parts or {}))  # type: ignore[call-arg]
