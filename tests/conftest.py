"""Shared fixtures: a clean LAWBOT_* environment, a real knowledge base, Services on tmp dirs."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from bot.core.knowledge.catalog import Catalog
from bot.core.knowledge.embeddings import E5Embedder, Embedder
from bot.core.knowledge.lexical import SynonymTable
from bot.core.knowledge.retrieval import KnowledgeBase
from bot.services import Services
from bot.settings import Settings
from tests.fakes.botapi import FakeBotApi

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
PROMPTS_DIR = PROJECT_ROOT / "prompts"
SHARED_DIR = PROJECT_ROOT.parent / "shared"


def open_knowledge_base(
    data_dir: Path, embedder: Embedder, *, synonyms: SynonymTable | None = None
) -> KnowledgeBase:
    """A real KnowledgeBase on embedded Chroma under `data_dir` (a second call reopens it)."""
    client = chromadb.PersistentClient(
        path=str(data_dir / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    return KnowledgeBase(
        index_dir=data_dir / "index",
        chroma=client,
        embedder=embedder,
        synonyms=synonyms,
        uploads_dir=data_dir / "uploads",
    )


@pytest.fixture(autouse=True)
def _clean_lawbot_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's LAWBOT_* variables or .env file."""
    for name in list(os.environ):
        if name.startswith("LAWBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(PROJECT_ROOT)
    yield


@pytest.fixture(scope="session")
def embedder() -> E5Embedder:
    """The default bundled embedding model, loaded once per test run."""
    return E5Embedder()


@pytest.fixture(scope="session")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory, embedder: E5Embedder) -> KnowledgeBase:
    """A real knowledge base (embedded Chroma + BM25) built from the bundled knowledge/."""
    kb = open_knowledge_base(
        tmp_path_factory.mktemp("kb"),
        embedder,
        synonyms=SynonymTable.load(KNOWLEDGE_DIR / "synonyms.toml"),
    )
    report = kb.ingest(Catalog.knowledge(KNOWLEDGE_DIR), root="knowledge")
    assert not report.errors, report.errors
    return kb


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A fake Telegram Bot API server on 127.0.0.1 (see tests/fakes/botapi.py)."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings on a fresh data dir, ignoring any .env; keyword arguments override fields."""

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": tmp_path / "data",
            "knowledge_dir": KNOWLEDGE_DIR,
            "prompts_dir": PROMPTS_DIR,
        }
        values.update(overrides)
        return Settings(_env_file=None, **values)  # type: ignore[call-arg]

    return build


@pytest.fixture
def services(
    make_settings: Callable[..., Settings], knowledge_base: KnowledgeBase
) -> Iterator[Services]:
    """Services on a tmp data dir that share the session's knowledge base (offline LLM)."""
    built = Services(make_settings(), knowledge=knowledge_base)
    yield built
    built.close()
