"""Secrets never reach a log: every log record, from any library, has them replaced.

Installed once by the CLI (`redact_secrets(...)`) through the log-record factory, so it holds
for every logger and handler, including ones added later (an httpx or PTB line carrying the
Bot API URL with the token in it, an exception message quoting that URL …).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

MASK = "[REDACTED]"
_MIN_LENGTH = 6  # shorter values would mask ordinary words


def redact_secrets(secrets: Iterable[str]) -> None:
    """Replace each secret (and its URL-encoded form) in every log record from now on."""
    forms = sorted(
        {
            form
            for secret in secrets
            if len(secret) >= _MIN_LENGTH
            for form in (secret, quote(secret, safe=""))
        },
        key=len,
        reverse=True,
    )
    if not forms:
        return
    base = logging.getLogRecordFactory()
    inner = getattr(base, "__wrapped_factory__", base)  # installing twice does not stack

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = inner(*args, **kwargs)
        _redact_record(record, forms)
        return record

    factory.__wrapped_factory__ = inner  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _redact(text: str, forms: list[str]) -> str:
    for form in forms:
        text = text.replace(form, MASK)
    return text


def _redact_record(record: logging.LogRecord, forms: list[str]) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a bad format string: leave it for logging to report
        return
    redacted = _redact(message, forms)
    if redacted != message:
        record.msg, record.args = redacted, None
    if record.exc_info and record.exc_info[1] is not None:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = _redact(text, forms)  # handlers print exc_text when it is set
    if record.stack_info:
        record.stack_info = _redact(record.stack_info, forms)
