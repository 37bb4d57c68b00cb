"""A fake OpenAI-compatible chat server on 127.0.0.1 for driving the real langchain-openai client.

Replies come from a queue: a canned text, an HTTP error, or a reply that never arrives (the
client's timeout fires; the handler waits on an event released at stop, it never sleeps).
Every request body is kept so tests can check what the client sent.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class CannedReply:
    """One queued answer: `text` with `status` 200, an error `status`, or `hang` forever."""

    text: str = ""
    status: int = 200
    hang: bool = False


class FakeOpenAIServer:
    """POST /v1/chat/completions answers from a queue of CannedReply (default: an error)."""

    def __init__(self) -> None:
        self.replies: deque[CannedReply] = deque()
        self.requests: list[dict[str, Any]] = []
        self._released = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    def reply(self, text: str) -> None:
        self.replies.append(CannedReply(text=text))

    def fail(self, status: int = 500) -> None:
        self.replies.append(CannedReply(status=status))

    def hang(self) -> None:
        self.replies.append(CannedReply(hang=True))

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

    async def _chat(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        canned = self.replies.popleft() if self.replies else CannedReply(status=500)
        if canned.hang:
            await self._released.wait()
            return web.json_response({"error": {"message": "released"}}, status=503)
        if canned.status != 200:
            error = {"message": "fake server error", "type": "server_error", "code": None}
            return web.json_response({"error": error}, status=canned.status)
        return web.json_response(
            {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": 0,
                "model": body.get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": canned.text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
        )

    def user_prompt(self, index: int = -1) -> str:
        """The last user message of one received request."""
        messages = self.requests[index]["messages"]
        return next(m["content"] for m in reversed(messages) if m["role"] == "user")
