"""Reminder state in SQLite: subscriptions, custom reminders, paused chats, confirmations, sent log.

The sent log is the guarantee that a reminder goes out at most once, across restarts and across
processes sharing the file: a sender first *claims* (chat, key, occurrence date, lead) with
INSERT OR IGNORE in one short transaction and only sends if it got the row.

Policy for a failed send: the claim is kept and marked "failed"; a later run may re-claim it
(atomically, same transaction) after a pause that doubles with each attempt (1, 2, 4 … up to
30 minutes), for as long as the reminder's day lasts (only today's reminders are ever due). A
rate limit (HTTP 429) is not a failure: the sender waits as Telegram asks and sends again. A
chat that blocked the bot is paused and its claim marked "blocked" (never retried).

A crash between claim and send leaves the claim "sending": that reminder is not sent again,
because Telegram may already have delivered it (at most once wins over at least once). Such a
claim older than INTERRUPTED_AFTER is listed by `interrupted()`, shown by
`lawbot reminders status` and logged at start-up, so an admin can tell the chat by hand.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.core.database import Database
from bot.core.errors import InputError

MAX_RETRY_PAUSE = timedelta(minutes=30)
INTERRUPTED_AFTER = timedelta(minutes=10)  # a send takes seconds; a 429 wait rarely minutes
MAX_CUSTOM_PER_CHAT = 50
MAX_CUSTOM_TEXT = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id       INTEGER PRIMARY KEY,
    categories    TEXT,               -- JSON list, NULL = all categories
    leads         TEXT,               -- JSON list of days, NULL = each date's own leads
    workdays_only INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL       -- UTC ISO; reminders scheduled earlier are not sent
);
CREATE TABLE IF NOT EXISTS custom_reminders (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: keys in sent_log stay unique
    chat_id    INTEGER NOT NULL,
    due_at     TEXT NOT NULL,         -- UTC ISO
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS custom_by_due ON custom_reminders(due_at);
CREATE TABLE IF NOT EXISTS paused_chats (
    chat_id   INTEGER PRIMARY KEY,
    reason    TEXT NOT NULL,
    paused_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS confirmed_dates (
    key        TEXT NOT NULL,
    year       INTEGER NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT,
    PRIMARY KEY (key, year)
);
CREATE TABLE IF NOT EXISTS sent_log (
    chat_id         INTEGER NOT NULL,
    reminder_key    TEXT NOT NULL,    -- calendar key, or custom:<id>
    occurrence_date TEXT NOT NULL,
    lead            INTEGER NOT NULL,
    status          TEXT NOT NULL,    -- sending | sent | failed | blocked
    attempts        INTEGER NOT NULL DEFAULT 1,
    claimed_at      TEXT NOT NULL,
    UNIQUE (chat_id, reminder_key, occurrence_date, lead)
);
"""


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    categories: tuple[str, ...] | None  # None = all
    leads: tuple[int, ...] | None  # None = each date's own lead times
    workdays_only: bool  # move a reminder on a weekend/holiday to the previous working day
    created_at: datetime


@dataclass(frozen=True)
class CustomReminder:
    id: int
    chat_id: int
    when: datetime  # aware, UTC
    text: str

    @property
    def key(self) -> str:
        return f"custom:{self.id}"


@dataclass(frozen=True)
class SentKey:
    """Identity of one reminder message in the sent log."""

    chat_id: int
    reminder_key: str
    occurrence_date: date
    lead: int


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return moment.astimezone(UTC).isoformat()


class ReminderStore:
    """All reminder state in one SQLite file (WAL, one connection, short transactions).

    API for the edges (every `now` is an aware datetime):
        subscribe(chat_id, now=..., categories=None, leads=None, workdays_only=False)
        unsubscribe(chat_id) -> bool           subscription(chat_id) -> Subscription | None
        add_custom(chat_id, when, text, now=...) -> CustomReminder
        list_for(chat_id) -> list[CustomReminder]  (not yet sent, soonest first)
        delete(chat_id, reminder_id) -> bool    (only that chat's own reminder)
        pause(chat_id, reason, now) / resume(chat_id) / is_paused(chat_id)
        confirm_dates(key, year, start, end) / confirmed()  (admin-confirmed announced weeks)
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._db = Database(db_path, _SCHEMA, timeout=15.0)

    def close(self) -> None:
        self._db.close()

    # --- subscriptions -------------------------------------------------------------------
    def subscribe(
        self,
        chat_id: int,
        *,
        now: datetime,
        categories: Sequence[str] | None = None,
        leads: Sequence[int] | None = None,
        workdays_only: bool = False,
    ) -> Subscription:
        """Create or replace the chat's subscription (and un-pause the chat)."""
        if leads is not None and any(not 0 <= lead <= 60 for lead in leads):
            raise InputError("提前天数应在 0 到 60 天之间，例如：7 1 0")
        cats = json.dumps(list(categories), ensure_ascii=False) if categories else None
        lead_json = json.dumps(sorted(set(leads), reverse=True)) if leads else None
        with self._db.write() as db:
            db.execute(
                "INSERT INTO subscriptions VALUES (?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE"
                " SET categories=excluded.categories, leads=excluded.leads,"
                " workdays_only=excluded.workdays_only",
                (chat_id, cats, lead_json, int(workdays_only), _utc(now)),
            )
            db.execute("DELETE FROM paused_chats WHERE chat_id = ?", (chat_id,))
        subscription = self.subscription(chat_id)
        assert subscription is not None
        return subscription

    def unsubscribe(self, chat_id: int) -> bool:
        """Stop calendar reminders for the chat; custom reminders stay. True if it had one."""
        with self._db.write() as db:
            return (
                db.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)).rowcount > 0
            )

    def subscription(self, chat_id: int) -> Subscription | None:
        rows = self._db.read("SELECT * FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return _subscription(rows[0]) if rows else None

    def subscriptions(self) -> list[Subscription]:
        """Subscriptions of chats that are not paused."""
        rows = self._db.read(
            "SELECT * FROM subscriptions WHERE chat_id NOT IN (SELECT chat_id FROM paused_chats)"
            " ORDER BY chat_id"
        )
        return [_subscription(row) for row in rows]

    # --- custom reminders ----------------------------------------------------------------
    def add_custom(
        self, chat_id: int, when: datetime, text: str, *, now: datetime
    ) -> CustomReminder:
        """Store a one-off reminder; `when` must be aware and in the future."""
        text = text.strip()
        if not text:
            raise InputError("提醒内容不能为空，例如：/remind 明天上午9点 提交宪法宣传周活动方案")
        if len(text) > MAX_CUSTOM_TEXT:
            raise InputError(f"提醒内容太长了（{len(text)} 字），请控制在 {MAX_CUSTOM_TEXT} 字以内")
        if when <= now:
            raise InputError("提醒时间已经过去了，请换一个将来的时间")
        with self._db.write() as db:
            (count,) = db.execute(
                "SELECT COUNT(*) FROM custom_reminders WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            if count >= MAX_CUSTOM_PER_CHAT:
                raise InputError(f"每个对话最多保留 {MAX_CUSTOM_PER_CHAT} 条提醒，请先删除一些")
            cursor = db.execute(
                "INSERT INTO custom_reminders (chat_id, due_at, text, created_at)"
                " VALUES (?, ?, ?, ?)",
                (chat_id, _utc(when), text, _utc(now)),
            )
            db.execute("DELETE FROM paused_chats WHERE chat_id = ?", (chat_id,))
        assert cursor.lastrowid is not None
        return CustomReminder(cursor.lastrowid, chat_id, when.astimezone(UTC), text)

    def list_for(self, chat_id: int) -> list[CustomReminder]:
        """The chat's custom reminders that have not gone out yet, soonest first."""
        rows = self._db.read(
            "SELECT id, chat_id, due_at, text FROM custom_reminders c WHERE chat_id = ?"
            " AND NOT EXISTS (SELECT 1 FROM sent_log s WHERE s.chat_id = c.chat_id"
            " AND s.reminder_key = 'custom:' || c.id AND s.status IN ('sent', 'sending'))"
            " ORDER BY due_at, id",
            (chat_id,),
        )
        return [_custom(row) for row in rows]

    def delete(self, chat_id: int, reminder_id: int) -> bool:
        """Delete one of the chat's custom reminders; False if it is not theirs or gone."""
        with self._db.write() as db:
            cursor = db.execute(
                "DELETE FROM custom_reminders WHERE id = ? AND chat_id = ?", (reminder_id, chat_id)
            )
            return cursor.rowcount > 0

    def custom_between(self, start: datetime, end: datetime) -> list[CustomReminder]:
        """Custom reminders of unpaused chats with start <= when <= end."""
        rows = self._db.read(
            "SELECT id, chat_id, due_at, text FROM custom_reminders WHERE due_at >= ?"
            " AND due_at <= ? AND chat_id NOT IN (SELECT chat_id FROM paused_chats)"
            " ORDER BY due_at, id",
            (_utc(start), _utc(end)),
        )
        return [_custom(row) for row in rows]

    # --- paused chats --------------------------------------------------------------------
    def pause(self, chat_id: int, reason: str, now: datetime) -> None:
        with self._db.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO paused_chats VALUES (?, ?, ?)", (chat_id, reason, _utc(now))
            )

    def resume(self, chat_id: int) -> None:
        with self._db.write() as db:
            db.execute("DELETE FROM paused_chats WHERE chat_id = ?", (chat_id,))

    def is_paused(self, chat_id: int) -> bool:
        return bool(self._db.read("SELECT 1 FROM paused_chats WHERE chat_id = ?", (chat_id,)))

    # --- confirmed dates of announced weeks ----------------------------------------------
    def confirm_dates(self, key: str, year: int, start: date, end: date | None) -> None:
        """Record the announced dates of `key` in `year` (replaces an earlier confirmation).

        Check the key against the calendar first (`Calendar.entry(key).announced`).
        """
        if start.year != year or (end is not None and end < start):
            raise InputError("确认的日期有误：开始日期应在该年内，结束日期不能早于开始日期")
        with self._db.write() as db:
            db.execute(
                "INSERT OR REPLACE INTO confirmed_dates VALUES (?, ?, ?, ?)",
                (key, year, start.isoformat(), end.isoformat() if end else None),
            )

    def confirmed(self) -> dict[tuple[str, int], tuple[date, date | None]]:
        """All confirmations, for `Calendar.occurrences(..., confirmed=store.confirmed())`."""
        rows = self._db.read("SELECT key, year, start_date, end_date FROM confirmed_dates")
        return {
            (str(key), int(year)): (
                date.fromisoformat(start),
                date.fromisoformat(end) if end else None,
            )
            for key, year, start, end in rows
        }

    # --- sent log ------------------------------------------------------------------------
    def is_done(self, key: SentKey) -> bool:
        """True if this reminder was sent, is being sent, or will not be retried (blocked)."""
        rows = self._db.read(
            "SELECT status FROM sent_log WHERE chat_id = ? AND reminder_key = ?"
            " AND occurrence_date = ? AND lead = ?",
            _params(key),
        )
        return bool(rows) and rows[0][0] != "failed"

    def claim(self, key: SentKey, now: datetime) -> bool:
        """Atomically take the right to send this reminder; False if someone else has it or
        a failed attempt is still in its pause (see retry_pause)."""
        with self._db.write() as db:
            inserted = db.execute(
                "INSERT OR IGNORE INTO sent_log VALUES (?, ?, ?, ?, 'sending', 1, ?)",
                (*_params(key), _utc(now)),
            ).rowcount
            if inserted:
                return True
            where = " WHERE chat_id = ? AND reminder_key = ? AND occurrence_date = ? AND lead = ?"
            status, attempts, claimed_at = db.execute(
                "SELECT status, attempts, claimed_at FROM sent_log" + where, _params(key)
            ).fetchone()
            if status != "failed":
                return False
            if now < datetime.fromisoformat(claimed_at) + retry_pause(int(attempts)):
                return False
            db.execute(
                "UPDATE sent_log SET status = 'sending', attempts = attempts + 1, claimed_at = ?"
                + where,
                (_utc(now), *_params(key)),
            )
            return True

    def finish(self, key: SentKey, status: str) -> None:
        """Record the outcome of a claimed send: sent | failed | blocked."""
        if status not in ("sent", "failed", "blocked"):
            raise ValueError(f"unknown status {status!r}")
        with self._db.write() as db:
            db.execute(
                "UPDATE sent_log SET status = ? WHERE chat_id = ? AND reminder_key = ?"
                " AND occurrence_date = ? AND lead = ?",
                (status, *_params(key)),
            )

    def sent_count(self) -> int:
        """How many reminders were delivered (for status output and tests)."""
        return int(self._db.read("SELECT COUNT(*) FROM sent_log WHERE status = 'sent'")[0][0])

    def status_counts(self) -> dict[str, int]:
        """How many claims are in each status: sending, sent, failed, blocked."""
        rows = self._db.read("SELECT status, COUNT(*) FROM sent_log GROUP BY status")
        return {str(status): int(count) for status, count in rows}

    def interrupted(self, now: datetime) -> list[tuple[SentKey, datetime]]:
        """Claims left "sending" for longer than INTERRUPTED_AFTER: a run died between claim
        and send, and the reminder may never have arrived. Oldest first."""
        rows = self._db.read(
            "SELECT chat_id, reminder_key, occurrence_date, lead, claimed_at FROM sent_log"
            " WHERE status = 'sending' AND claimed_at < ? ORDER BY claimed_at",
            (_utc(now - INTERRUPTED_AFTER),),
        )
        return [
            (SentKey(int(c), str(k), date.fromisoformat(d), int(lead)), datetime.fromisoformat(t))
            for c, k, d, lead, t in rows
        ]


def retry_pause(attempts: int) -> timedelta:
    """How long a failed reminder waits before the next attempt: 1, 2, 4 … 30 minutes."""
    return min(timedelta(minutes=2 ** min(max(0, attempts - 1), 5)), MAX_RETRY_PAUSE)


def _params(key: SentKey) -> tuple[int, str, str, int]:
    return (key.chat_id, key.reminder_key, key.occurrence_date.isoformat(), key.lead)


def _subscription(row: Any) -> Subscription:
    chat_id, categories, leads, workdays_only, created_at = row
    return Subscription(
        chat_id=int(chat_id),
        categories=tuple(json.loads(categories)) if categories else None,
        leads=tuple(json.loads(leads)) if leads else None,
        workdays_only=bool(workdays_only),
        created_at=datetime.fromisoformat(created_at),
    )


def _custom(row: Any) -> CustomReminder:
    reminder_id, chat_id, due_at, text = row
    return CustomReminder(int(reminder_id), int(chat_id), datetime.fromisoformat(due_at), str(text))
