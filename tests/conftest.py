"""Shared fixtures: a clean LAWBOT_* environment for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
SHARED_DIR = PROJECT_ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _clean_lawbot_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's LAWBOT_* variables or .env file."""
    for name in list(os.environ):
        if name.startswith("LAWBOT_"):
            monkeypatch.delenv(name)
    yield
