"""Errors raised by the core. Their messages are shown to users, so they are in Chinese."""

from __future__ import annotations


class LawbotError(Exception):
    """Base class: str(error) is a complete, polite Chinese message fit for a user."""


class DocumentError(LawbotError):
    """A file could not be read: unsupported, corrupt, empty or without a text layer."""


class InputError(LawbotError):
    """The user's input cannot be used as given (empty, too long, unparseable)."""


class ConfigError(LawbotError):
    """The configuration or a bundled data file is wrong."""


class KnowledgeError(LawbotError):
    """The knowledge index is missing or unusable (e.g. not built yet)."""


class KnowledgeUnavailable(KnowledgeError):
    """The vector store (a Chroma server) cannot be reached right now; nothing was changed."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message or "知识库服务暂时无法连接，请稍后再试（管理员请检查 Chroma 服务是否在运行）。"
        )
