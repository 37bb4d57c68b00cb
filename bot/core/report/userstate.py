"""Per-user state that must survive a restart: unit name, year, drafting step, current draft.

One SQLite file (bot.core.database); every write commits at once, so a crash loses nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.database import Database

# The writer's offline mode opens its text with a notice line; it is not part of the draft.
_NOTICE_LINE = re.compile(r"\A(?:【离线模式[^】\n]*】[ \t]*\n)+")

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id INTEGER PRIMARY KEY,
    org TEXT,
    year INTEGER,
    step TEXT NOT NULL DEFAULT '',
    step_section TEXT,
    draft_text TEXT,
    draft_section TEXT,
    draft_facts TEXT,
    draft_sources TEXT
)
"""


@dataclass(frozen=True)
class Draft:
    """The user's current draft: its text, what it was written for, and its sources."""

    text: str
    section: str = ""  # section key (writing.sections) or "" for a free text
    facts: str = ""
    sources: tuple[str, ...] = ()  # citations, one per source


def draft_body(text: str) -> str:
    """The text to keep (and export) as a draft: without leading 【离线模式…】 notices."""
    return _NOTICE_LINE.sub("", text.lstrip())


@dataclass(frozen=True)
class UserState:
    """Everything remembered about one user."""

    user_id: int
    org: str | None = None
    year: int | None = None
    step: str = ""  # "" = idle; otherwise what the next plain message answers
    step_section: str | None = None  # the section chosen while drafting
    draft: Draft | None = None


class UserStore:
    """Reads and writes UserState rows; one connection shared under a lock."""

    def __init__(self, db_path: Path) -> None:
        self._db = Database(db_path, SCHEMA)

    def close(self) -> None:
        self._db.close()

    def get(self, user_id: int) -> UserState:
        """The stored state, or an empty one for a user never seen."""
        rows = self._db.read(
            "SELECT org, year, step, step_section, draft_text, draft_section, draft_facts,"
            " draft_sources FROM users WHERE user_id = ?",
            (user_id,),
        )
        if not rows:
            return UserState(user_id)
        org, year, step, step_section, text, section, facts, sources = rows[0]
        draft = None
        if text is not None:
            draft = Draft(text, section or "", facts or "", tuple(json.loads(sources or "[]")))
        return UserState(user_id, org, year, step or "", step_section, draft)

    def save(self, state: UserState) -> None:
        """Write the whole state of one user."""
        draft = state.draft
        values = (
            state.user_id,
            state.org,
            state.year,
            state.step,
            state.step_section,
            draft.text if draft else None,
            draft.section if draft else None,
            draft.facts if draft else None,
            json.dumps(list(draft.sources), ensure_ascii=False) if draft else None,
        )
        with self._db.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO users (user_id, org, year, step, step_section,"
                " draft_text, draft_section, draft_facts, draft_sources)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )

    # --- convenience updates --------------------------------------------------------
    def set_profile(
        self, user_id: int, *, org: str | None = None, year: int | None = None
    ) -> UserState:
        """Change the unit name and/or year (None leaves a field as it is)."""
        state = self.get(user_id)
        state = replace(
            state,
            org=org if org is not None else state.org,
            year=year if year is not None else state.year,
        )
        self.save(state)
        return state

    def set_step(self, user_id: int, step: str, section: str | None = None) -> UserState:
        """Remember what the user's next plain message answers ("" = nothing)."""
        state = replace(self.get(user_id), step=step, step_section=section)
        self.save(state)
        return state

    def save_draft(self, user_id: int, draft: Draft) -> UserState:
        """Keep `draft` as the user's current draft and end any drafting step."""
        state = replace(self.get(user_id), draft=draft, step="", step_section=None)
        self.save(state)
        return state
