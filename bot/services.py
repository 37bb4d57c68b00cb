"""The only place that turns Settings into working parts. Each part is built on first use.

Edges (CLI, console, Telegram) take a `Services` and use its attributes; core modules never
see Settings.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import cached_property
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.core.calendar.reminders import ReminderStore
    from bot.core.calendar.rules import Calendar
    from bot.core.knowledge.lexical import SynonymTable
    from bot.core.knowledge.retrieval import KnowledgeBase
    from bot.core.report.userstate import UserStore
    from bot.core.report.workspace import ReportWorkspace
    from bot.core.review import Reviewer
    from bot.core.writing.writer import Writer

logger = logging.getLogger(__name__)


class Services:
    """Long-lived parts of the bot, built lazily from one Settings."""

    def __init__(self, settings: Settings, **parts: Any) -> None:
        """`parts` supplies ready-made parts by attribute name (e.g. knowledge=…) instead of
        building them: tests share one knowledge base, a tool can pass its own chat model."""
        self.settings = settings
        unknown = set(parts) - {"knowledge", "chat_model", "writer", "calendar", "reminders",
                                "reviewer", "users", "workspace"}  # fmt: skip
        if unknown:
            raise TypeError(f"unknown parts: {sorted(unknown)}")
        self.__dict__.update(parts)  # cached_property reads the instance dict first

    @cached_property
    def synonyms(self) -> SynonymTable:
        """Everyday words → official terms: the search expands queries with them, and answers
        read questions with them."""
        from bot.core.knowledge.lexical import SynonymTable

        return SynonymTable.load(self.settings.knowledge_dir / "synonyms.toml")

    @cached_property
    def knowledge(self) -> KnowledgeBase:
        from bot.core.knowledge.retrieval import KnowledgeBase

        return KnowledgeBase(
            index_dir=self.settings.index_dir,
            chroma=self._chroma_client,  # connected on first use: a server may be down now
            embedder=self._embedder(),
            synonyms=self.synonyms,
            uploads_dir=self.settings.data_dir / "uploads",
            dense_weight=self.settings.dense_weight,
            keyword_only_kinds=self.settings.keyword_only_kinds,
        )

    @cached_property
    def chat_model(self) -> BaseChatModel | None:
        """ChatOpenAI against the configured endpoint, or None for the offline composer."""
        if not self.settings.llm_base_url:
            return None
        from langchain_openai import ChatOpenAI

        s = self.settings
        # llama.cpp ignores max_completion_tokens (what ChatOpenAI sends for max_tokens),
        # so the limit also goes in the body as the classic max_tokens field.
        return ChatOpenAI(
            base_url=s.llm_base_url,
            api_key=s.llm_api_key if s.llm_api_key.get_secret_value() else "not-needed",
            model=s.llm_model,
            temperature=s.llm_temperature,
            timeout=s.llm_timeout,
            max_retries=0,
            extra_body={"max_tokens": s.llm_max_tokens},
        )

    @cached_property
    def writer(self) -> Writer:
        from bot.core.writing.prompts import load_prompts
        from bot.core.writing.writer import Writer

        return Writer(
            searcher=self.knowledge,
            chat_model=self.chat_model,
            prompts=load_prompts(self.settings.prompts_dir),
            llm_timeout=self.settings.llm_timeout,
            restate_questions=self.settings.llm_restate_questions,
            synonyms=self.synonyms,
            key_dates=self.key_dates,
        )

    def key_dates(self, question: str, today: dt.date) -> list[str]:
        """Cards on the key dates a question asks about, with the dates an admin confirmed."""
        from bot.core.calendar.date_answers import key_date_cards

        exists = self.settings.reminders_db.exists()
        confirmed = self.reminders.confirmed() if exists else None
        return key_date_cards(question, self.calendar, today, confirmed)

    @cached_property
    def calendar(self) -> Calendar:
        from bot.core.calendar.rules import load_calendar

        return load_calendar(
            self.settings.knowledge_dir / "calendar.toml",
            report_deadline=self.settings.report_deadline or None,
        )

    @cached_property
    def reminders(self) -> ReminderStore:
        from bot.core.calendar.reminders import ReminderStore

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return ReminderStore(self.settings.reminders_db)

    @cached_property
    def reviewer(self) -> Reviewer:
        from bot.core.review import load_reviewer

        return load_reviewer(self.settings.knowledge_dir)

    @cached_property
    def users(self) -> UserStore:
        from bot.core.report.userstate import UserStore

        self.settings.data_dir.mkdir(parents=True, exist_ok=True)
        return UserStore(self.settings.users_db)

    @cached_property
    def workspace(self) -> ReportWorkspace:
        """The report workspace: reports in SQLite, drafted by the writer, checked by the reviewer."""
        from bot.core.report.store import ReportStore
        from bot.core.report.workspace import ReportWorkspace

        catalog = self.writer.catalog
        store = ReportStore(self.settings.reports_db, catalog, opening=catalog.report_opening)
        return ReportWorkspace(store, self.writer, self.reviewer)

    def now(self) -> dt.datetime:
        """The current time in the configured time zone: the edges read the clock here and
        pass the time on (the core never reads it)."""
        return dt.datetime.now(ZoneInfo(self.settings.timezone))

    def close(self) -> None:
        """Release what was opened (SQLite connections); safe to call more than once."""
        for name in ("reminders", "users"):
            part = self.__dict__.get(name)
            if part is not None:
                part.close()
        workspace = self.__dict__.get("workspace")
        if workspace is not None:
            workspace.store.close()

    # --- builders that read settings -----------------------------------------------
    def _chroma_client(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        url = self.settings.chroma_url
        if url:
            from urllib.parse import urlparse

            parsed = urlparse(url)
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        self.settings.chroma_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(
            path=str(self.settings.chroma_dir), settings=chroma_settings
        )

    def _embedder(self) -> Any:
        from bot.core.knowledge import embeddings

        s = self.settings
        if s.embedding_backend == "openai":
            return embeddings.OpenAICompatibleEmbedder(
                base_url=s.embedding_base_url,
                model=s.embedding_model,
                api_key=s.embedding_api_key.get_secret_value(),
            )
        if s.embedding_backend == "sentence-transformers":
            return embeddings.SentenceTransformerEmbedder(s.embedding_model)
        if s.embedding_backend == "e5":
            return embeddings.E5Embedder()
        return embeddings.UseEmbedder()
