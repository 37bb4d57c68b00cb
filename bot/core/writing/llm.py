"""Calling the chat model: one streamed request bounded as a whole, and its reply made fit to show.

The reply is streamed so that giving up (the time limit, a loop, the user leaving) closes the
connection and the server stops generating. Any unusable reply (transport error, timeout, bytes
that are not a completion, nothing said) raises one of `LLM_FAILURES`, which callers turn into the
offline result plus a one-line notice.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator
from contextlib import aclosing
from typing import cast

import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, BaseMessageChunk

logger = logging.getLogger(__name__)

# Why 45 s: a chat user who has waited longer than that usually asks again or leaves, and the
# offline result is ready at once; hosted models write a 600-character draft well inside it.
DEFAULT_TIMEOUT = 45.0


class EmptyReplyError(Exception):
    """The model answered with nothing usable."""


class MalformedReplyError(Exception):
    """The endpoint answered, but not with a chat completion (garbage, an HTML page, no choices)."""


# What a failing call raises: the client's errors (transport errors arrive as
# APIConnectionError / APITimeoutError), the whole-request timeout, or an unusable reply.
LLM_FAILURES = (openai.APIError, TimeoutError, EmptyReplyError, MalformedReplyError)
LLM_FAILED_NOTICE = "大模型暂时无法使用（{reason}），以下为离线模式的结果。"

THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL)
SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]?|\n|$)")
CLAUSE = re.compile(r"[^，,。！？；!?;\n]+")
# Numbering at the start of a sentence: 一、 （一） 1. 1、 （1） ① 第一，
NUMBERING = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+\s*[.．、)）]"
    r"|[①-⑳]|第[一二三四五六七八九十]+[，、])\s*"
)
SENTENCE_ENDS = "。！？!?】〕"
CLOSERS = "”’」』）)"
# A clause this long seen this many times means the model is going round in circles.
LOOP_MIN_CHARS = 4
LOOP_REPEATS = 4
# Sentences shorter than this may repeat on purpose (“是。”); longer ones are dropped when repeated.
REPEAT_MIN_CHARS = 6

_MARKDOWN_LINE = (
    (re.compile(r"(?m)^\s*```.*$\n?"), ""),  # code fences
    (re.compile(r"(?m)^\s*([-*_])(?:\s*\1){2,}\s*$\n?"), ""),  # horizontal rules
    (re.compile(r"(?m)^\s*\|?(?:\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*$\n?"), ""),  # table rulers
    (re.compile(r"(?m)^\s{0,3}#{1,6}\s*"), ""),  # headings
    (re.compile(r"(?m)^\s{0,3}>\s?"), ""),  # quotes
    (re.compile(r"(?m)^\s*[-*+•●▪]\s+"), ""),  # bullets
)
_MARKDOWN_INLINE = (
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__", re.DOTALL), r"\1\2"),
    (re.compile(r"(?<![*\w])\*(?!\s)([^*\n]+?)\*(?!\*)"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
    (re.compile(r"!?\[([^\]\n]+)\]\([^)\n]*\)"), r"\1"),
    (re.compile(r"\*\*|__"), ""),
)


def failure_reason(error: BaseException) -> str:
    """A few words on why the model could not be used, for the notice."""
    if isinstance(error, openai.APITimeoutError | TimeoutError):
        return "请求超时"
    if isinstance(error, openai.APIConnectionError):
        return "无法连接"
    if isinstance(error, openai.APIStatusError):
        return f"服务返回错误 {error.status_code}"
    if isinstance(error, EmptyReplyError):
        return "返回内容为空"
    if isinstance(error, MalformedReplyError | openai.APIResponseValidationError):
        return "返回内容无法识别"
    return "调用出错"


def failure_notice(error: BaseException) -> str:
    return LLM_FAILED_NOTICE.format(reason=failure_reason(error))


def is_looping(text: str) -> bool:
    """Whether the same clause keeps coming back (a small model stuck in a loop)."""
    counts: dict[str, int] = {}
    for match in CLAUSE.finditer(text):
        clause = NUMBERING.sub("", match.group(0)).strip()
        if len(clause) >= LOOP_MIN_CHARS:
            counts[clause] = counts.get(clause, 0) + 1
            if counts[clause] >= LOOP_REPEATS:
                return True
    return False


async def stream_reply(
    chat_model: BaseChatModel, messages: list[BaseMessage], *, timeout: float
) -> str:
    """The model's cleaned reply; `timeout` bounds the whole wait, and a cancelled or abandoned
    request closes its connection (the server stops generating)."""
    parts: list[str] = []
    seen_ends = 0
    try:
        async with asyncio.timeout(timeout):
            # astream is an async generator; aclosing closes it (and its connection) on break.
            stream = cast("AsyncGenerator[BaseMessageChunk, None]", chat_model.astream(messages))
            async with aclosing(stream) as chunks:
                async for chunk in chunks:
                    content = chunk.content
                    piece = content if isinstance(content, str) else str(chunk.text)
                    parts.append(piece)
                    ends = sum(piece.count(mark) for mark in "，。；！？\n")
                    seen_ends += ends
                    if ends and seen_ends >= LOOP_REPEATS and is_looping("".join(parts)):
                        logger.warning("LLM reply loops; stopped reading it")
                        break
    except (ValueError, TypeError, KeyError) as error:
        # How the client reports a 200 whose body is no completion: undecodable bytes, an HTML
        # page, JSON without `choices` ("No generation chunks were returned").
        raise MalformedReplyError(f"{type(error).__name__}: {error}") from error
    text = clean_reply("".join(parts))
    if not text:
        raise EmptyReplyError("empty reply")
    return text


def strip_markdown(text: str) -> str:
    """Plain text from a reply written in Markdown (**bold**, # headings, bullets, fences)."""
    for pattern, replacement in (*_MARKDOWN_LINE, *_MARKDOWN_INLINE):
        text = pattern.sub(replacement, text)
    return text


def _collapse_repeated_clauses(line: str) -> str:
    """“依法行政，依法行政，依法行政，” -> “依法行政，”: a clause repeated back to back."""
    return re.sub(r"([^，,。；;！？!?\n]{2,}[，,、])(?:\1)+", r"\1", line)


def drop_repeats(text: str) -> str:
    """Drop every sentence already said (numbering ignored, so a renumbered loop goes too)."""
    seen: set[str] = set()
    lines = []
    for line in text.split("\n"):
        kept = []
        for match in SENTENCE.finditer(_collapse_repeated_clauses(line)):
            sentence = match.group(0)
            key = re.sub(r"\s+", "", NUMBERING.sub("", sentence)).rstrip("。！？；!?;")
            if len(key) >= REPEAT_MIN_CHARS and key in seen:
                continue
            seen.add(key)
            kept.append(sentence)
        joined = "".join(kept).rstrip()
        if joined or not line.strip():
            lines.append(joined)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ends_sentence(text: str, index: int) -> bool:
    """Whether text[index] closes a sentence (a closing quote or bracket only right after one)."""
    if text[index] in SENTENCE_ENDS:
        return True
    return text[index] in CLOSERS and index > 0 and text[index - 1] in SENTENCE_ENDS


def end_at_sentence(text: str) -> str:
    """Cut an unfinished last sentence (a reply stopped at the token cap or a loop)."""
    text = text.rstrip()
    for index in range(len(text) - 1, -1, -1):
        if _ends_sentence(text, index):
            return text[: index + 1]
    return text


def clean_reply(text: str) -> str:
    """What reaches a user: no reasoning, no Markdown, no repeats, ending at a sentence end."""
    text = THINKING.sub("", text)
    return end_at_sentence(drop_repeats(strip_markdown(text)))
