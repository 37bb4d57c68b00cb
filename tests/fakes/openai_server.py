"""A fake OpenAI-compatible chat server on 127.0.0.1 for driving the real langchain-openai client.

Replies come from a queue: a canned text (sent as one JSON body, or as server-sent events when
the client asks to stream), an HTTP error, or one of the faults real endpoints and proxies show:
garbage bytes, an HTML page, JSON without `choices`, a reply that never arrives, or one that
drips a byte at a time. Waiting faults wait on an event released at stop; only the drip sleeps
(briefly, inside the server). Every request body is kept, and `disconnected` is set when the
client hangs up on a streamed reply (`arrived` when a request comes in), so tests can check that an abandoned request was closed.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

from aiohttp import web
from langchain_openai import ChatOpenAI

Fault = Literal["", "hang", "garbage", "html", "no_choices", "drip", "endless"]
HTML_PAGE = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"
)


@dataclass(frozen=True)
class CannedReply:
    """One queued answer: `text` with `status` 200, an error `status`, or a `fault`."""

    text: str = ""
    status: int = 200
    fault: Fault = ""


class FakeOpenAIServer:
    """POST /v1/chat/completions answers from a queue of CannedReply (default: an error)."""

    def __init__(self, *, drip_interval: float = 0.05) -> None:
        self.replies: deque[CannedReply] = deque()
        self.requests: list[dict[str, Any]] = []
        self.arrived = asyncio.Event()
        self.disconnected = asyncio.Event()
        self.drip_interval = drip_interval
        self._released = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def reply(self, text: str) -> None:
        self.replies.append(CannedReply(text=text))

    def fail(self, status: int = 500) -> None:
        self.replies.append(CannedReply(status=status))

    def hang(self) -> None:
        self.replies.append(CannedReply(fault="hang"))

    def fault(self, fault: Fault) -> None:
        """garbage | html | no_choices (HTTP 200, unusable body), drip (headers, then one byte
        per interval), endless (a valid stream that never ends), hang (nothing at all)."""
        self.replies.append(CannedReply(fault=fault))

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}/v1"
        return self.base_url

    async def stop(self) -> None:
        self._released.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        self.arrived.set()
        canned = self.replies.popleft() if self.replies else CannedReply(status=500)
        if canned.fault == "hang":
            await self._released.wait()
            return web.json_response({"error": {"message": "released"}}, status=503)
        if canned.fault == "garbage":
            return web.Response(body=bytes(range(256)) * 4, content_type="application/json")
        if canned.fault == "html":
            return web.Response(text=HTML_PAGE, content_type="text/html")
        if canned.fault == "no_choices":
            return web.json_response({"id": "x", "object": "chat.completion", "model": "fake"})
        if canned.fault in ("drip", "endless"):
            return await self._trickle(request, canned.fault)
        if canned.status != 200:
            error = {"message": "fake server error", "type": "server_error", "code": None}
            return web.json_response({"error": error}, status=canned.status)
        if body.get("stream"):
            return await self._stream(request, canned.text)
        return web.json_response(self._completion(body, canned.text))

    def _completion(self, body: dict[str, Any], text: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "fake"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }

    @staticmethod
    def _chunk(content: str, finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": {"content": content}, "finish_reason": finish}
        event = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0,
                 "model": "fake", "choices": [choice]}  # fmt: skip
        return f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode()

    async def _open_stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        return response

    async def _stream(self, request: web.Request, text: str) -> web.StreamResponse:
        response = await self._open_stream(request)
        for start in range(0, len(text), 7):
            await response.write(self._chunk(text[start : start + 7]))
        await response.write(self._chunk("", "stop"))
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response

    async def _trickle(self, request: web.Request, fault: Fault) -> web.StreamResponse:
        """Headers at once, then a byte (drip) or a new clause (endless) per interval until the
        client hangs up; the hang-up sets `disconnected`."""
        response = await self._open_stream(request)
        sent = 0
        try:
            while not self._released.is_set():
                sent += 1
                await response.write(
                    b" " if fault == "drip" else self._chunk(f"推进第{sent}项工作，")
                )
                await asyncio.sleep(self.drip_interval)  # the fake's own pace, not the test's
        except (ConnectionResetError, ConnectionError):
            self.disconnected.set()
        if request.transport is None or request.transport.is_closing():
            self.disconnected.set()
        return response

    def user_prompt(self, index: int = -1) -> str:
        """The last user message of one received request."""
        messages = self.requests[index]["messages"]
        return next(m["content"] for m in reversed(messages) if m["role"] == "user")


def chat_model(server: FakeOpenAIServer, *, timeout: float = 5.0) -> ChatOpenAI:
    """The real client against the fake, built as bot/services.py builds it."""
    return ChatOpenAI(
        base_url=server.base_url,
        api_key="not-needed",  # type: ignore[arg-type]
        model="fake-model",
        temperature=0.3,
        timeout=timeout,
        max_retries=0,
        extra_body={"max_tokens": 321},
    )
