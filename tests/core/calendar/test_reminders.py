"""Reminder state and delivery: what is due when, exactly-once sending, blocked chats, restarts."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar.reminder_delivery import (
    ChatBlocked,
    Due,
    deliver_due,
    due_reminders,
    missed_reminders,
)
from bot.core.calendar.reminders import ReminderStore, SentKey, retry_pause
from bot.core.calendar.rules import Calendar, load_calendar
from bot.core.errors import InputError
from bot.core.passages import Passage
from tests.conftest import PROJECT_ROOT

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR_FILE = PROJECT_ROOT / "knowledge" / "calendar.toml"
SUBSCRIBED_AT = datetime(2026, 11, 1, 12, 0, tzinfo=SHANGHAI)
# 2026-11-27 (Fri) 09:00 is 7 days before 国家宪法日 2026-12-04.
WEEK_BEFORE_CONSTITUTION_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=SHANGHAI)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


class FakeSearcher:
    """Returns canned passages and records each query."""

    def __init__(self, passages: Sequence[Passage] = ()) -> None:
        self.passages = list(passages)
        self.calls: list[tuple[str, int, object]] = []

    def search(
        self, query: str, k: int = 5, *, kind: object = None, year: object = None,
        issuer: object = None,
    ) -> list[Passage]:  # fmt: skip
        self.calls.append((query, k, kind))
        return self.passages[:k]


class Outbox:
    """An async `send` that records messages and can refuse chats like a blocked user."""

    def __init__(self, blocked: Sequence[int] = (), failing: Sequence[int] = ()) -> None:
        self.sent: list[tuple[int, str]] = []
        self.blocked = set(blocked)
        self.failing = set(failing)
        self._lock = threading.Lock()

    async def __call__(self, chat_id: int, text: str) -> None:
        if chat_id in self.blocked:
            raise ChatBlocked("Forbidden: bot was blocked by the user")
        if chat_id in self.failing:
            raise ConnectionError("network down")
        with self._lock:
            self.sent.append((chat_id, text))


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return load_calendar(CALENDAR_FILE, report_deadline=None)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "reminders.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[ReminderStore]:
    store = ReminderStore(db_path)
    yield store
    store.close()


def keys(due: Sequence[Due]) -> list[tuple[int, str, int]]:
    return [(item.chat_id, item.key, item.lead) for item in due]


# --- what is due ---------------------------------------------------------------------------


def test_subscriber_gets_the_seven_day_reminder_at_nine(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)

    due = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY)

    assert keys(due) == [(1, "constitution-day", 7)]
    assert "7天后是：国家宪法日" in due[0].text
    assert "2026年12月4日（周五）" in due[0].text


def test_nothing_is_due_before_the_reminder_hour(cal: Calendar, store: ReminderStore) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)

    assert due_reminders(cal, store, at(2026, 11, 27, 8, 59)) == []


def test_reminder_missed_earlier_the_same_day_is_still_due(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)

    assert keys(due_reminders(cal, store, at(2026, 11, 27, 22, 0))) == [(1, "constitution-day", 7)]


def test_reminder_of_an_earlier_day_is_skipped_and_reported_missed(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)
    next_morning = at(2026, 11, 28, 8, 0)

    due = due_reminders(cal, store, next_morning)
    missed = missed_reminders(cal, store, next_morning, days=1)

    assert due == []
    assert keys(missed) == [(1, "constitution-day", 7)]


def test_categories_limit_what_a_chat_receives(cal: Calendar, store: ReminderStore) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT, categories=["报告节点"])

    assert due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY) == []
    assert keys(due_reminders(cal, store, at(2027, 2, 15, 9, 0))) == [(1, "report-submission", 14)]


def test_subscription_lead_times_replace_the_defaults(cal: Calendar, store: ReminderStore) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT, leads=[3])

    assert due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY) == []
    assert ("constitution-day", 3) in [
        (item.key, item.lead) for item in due_reminders(cal, store, at(2026, 12, 1, 9, 0))
    ]


def test_weekend_reminders_move_to_the_previous_working_day_once(
    cal: Calendar, store: ReminderStore
) -> None:
    # 国家公祭日 2026-12-13 is a Sunday: the 1-day (Sat) and same-day (Sun) reminders both
    # move to Friday 12-11 and go out as one message.
    store.subscribe(1, now=SUBSCRIBED_AT, workdays_only=True)
    store.subscribe(2, now=SUBSCRIBED_AT)
    friday = at(2026, 12, 11, 9, 0)

    due = [item for item in due_reminders(cal, store, friday) if item.key == "memorial-day"]

    assert [(item.chat_id, item.occurrence_date) for item in due] == [(1, date(2026, 12, 13))]
    assert "2天后是：南京大屠杀死难者国家公祭日" in due[0].text


def test_reminders_scheduled_before_subscribing_are_not_sent(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=at(2026, 11, 27, 10, 0))

    assert due_reminders(cal, store, at(2026, 11, 27, 11, 0)) == []


def test_estimated_week_says_so_and_confirmation_moves_it(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT, categories=["普法节点"])
    estimated = [i for i in due_reminders(cal, store, at(2026, 11, 24, 9, 0)) if i.lead == 7]

    store.confirm_dates("constitution-week", 2026, date(2026, 11, 30), date(2026, 12, 6))
    before = [i.key for i in due_reminders(cal, store, at(2026, 11, 23, 9, 0))]
    after = [i.key for i in due_reminders(cal, store, at(2026, 11, 24, 9, 0))]

    assert [i.key for i in estimated] == ["constitution-week"]
    assert "预计" in estimated[0].text
    assert "constitution-week" in before
    assert "constitution-week" not in after


def test_reminder_text_has_theme_activities_and_cited_examples(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)
    example = Passage(
        text="我镇在宪法宣传周期间开展宪法进村入户活动十二场。",
        title="某镇2025年法治政府建设情况报告",
        heading="一、主要举措和成效",
        source="reports/a.md",
        kind="report",
        score=1.0,
    )
    searcher = FakeSearcher([example])

    (item,) = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY, searcher)

    assert "主题：弘扬宪法精神" in item.text
    assert "1. 组织机关干部集中学习宪法" in item.text
    assert "宪法进村入户活动十二场" in item.text
    assert "出处：《某镇2025年法治政府建设情况报告》 · 一、主要举措和成效" in item.text
    assert searcher.calls[0][2] == ("report", "uploaded")
    assert "<" not in item.text


def test_reminder_text_says_when_the_knowledge_base_has_nothing(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)

    (empty,) = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY, FakeSearcher())
    (unavailable,) = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY, None)

    assert "暂未找到写这一节点或主题的往年材料" in empty.text
    assert "知识库暂不可用" in unavailable.text


# --- sending exactly once ------------------------------------------------------------------


async def test_second_delivery_of_the_same_items_sends_nothing(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)
    outbox = Outbox()
    due = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY)

    first = await deliver_due(due, store, outbox, now=WEEK_BEFORE_CONSTITUTION_DAY)
    second = await deliver_due(due, store, outbox, now=WEEK_BEFORE_CONSTITUTION_DAY)

    assert (first.sent, second.sent, second.skipped) == (1, 0, 1)
    assert len(outbox.sent) == 1
    assert due_reminders(cal, store, at(2026, 11, 27, 9, 5)) == []


async def test_restart_between_scheduling_and_sending_sends_exactly_once(
    cal: Calendar, db_path: Path
) -> None:
    before = ReminderStore(db_path)
    before.subscribe(1, now=SUBSCRIBED_AT)
    due = due_reminders(cal, before, WEEK_BEFORE_CONSTITUTION_DAY)
    before.close()  # the process stops here
    outbox = Outbox()

    after = ReminderStore(db_path)
    report = await deliver_due(due, after, outbox, now=WEEK_BEFORE_CONSTITUTION_DAY)
    again = due_reminders(cal, after, at(2026, 11, 27, 9, 1))
    after.close()

    assert report.sent == 1
    assert [chat for chat, _ in outbox.sent] == [1]
    assert again == []


def test_claim_taken_before_a_crash_is_not_sent_again(cal: Calendar, db_path: Path) -> None:
    crashed = ReminderStore(db_path)
    crashed.subscribe(1, now=SUBSCRIBED_AT)
    (item,) = due_reminders(cal, crashed, WEEK_BEFORE_CONSTITUTION_DAY)
    assert crashed.claim(item.sent_key, WEEK_BEFORE_CONSTITUTION_DAY)
    crashed.close()  # died before sending

    restarted = ReminderStore(db_path)
    due = due_reminders(cal, restarted, at(2026, 11, 27, 9, 1))
    restarted.close()

    assert due == []


def test_two_stores_on_one_file_racing_send_each_reminder_once(
    cal: Calendar, db_path: Path
) -> None:
    setup = ReminderStore(db_path)
    for chat in range(1, 21):
        setup.subscribe(chat, now=SUBSCRIBED_AT)
    setup.add_custom(7, at(2026, 11, 27, 8, 0), "提交方案", now=SUBSCRIBED_AT)
    setup.close()
    outbox = Outbox()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run_bot_process() -> None:
        store = ReminderStore(db_path)
        try:
            due = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY)
            start.wait()
            asyncio.run(deliver_due(due, store, outbox, now=WEEK_BEFORE_CONSTITUTION_DAY))
        except BaseException as error:
            errors.append(error)
        finally:
            store.close()

    threads = [threading.Thread(target=run_bot_process) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(outbox.sent) == 21
    assert len({(chat, text) for chat, text in outbox.sent}) == 21


async def test_blocked_chat_is_paused_and_others_still_get_theirs(
    cal: Calendar, store: ReminderStore
) -> None:
    for chat in (1, 2, 3):
        store.subscribe(chat, now=SUBSCRIBED_AT)
    outbox = Outbox(blocked=[2])
    due = due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY)

    report = await deliver_due(due, store, outbox, now=WEEK_BEFORE_CONSTITUTION_DAY)
    next_week = due_reminders(cal, store, at(2026, 12, 3, 9, 0))

    assert [chat for chat, _ in outbox.sent] == [1, 3]
    assert report.blocked == [2]
    assert store.is_paused(2)
    assert {item.chat_id for item in next_week} == {1, 3}


async def test_subscribing_again_resumes_a_paused_chat(store: ReminderStore) -> None:
    store.pause(2, "blocked", SUBSCRIBED_AT)

    store.subscribe(2, now=SUBSCRIBED_AT)

    assert not store.is_paused(2)


async def test_failed_send_is_retried_after_pauses_that_double(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)
    outbox = Outbox(failing=[1])
    attempts = 0
    for minute in range(8):
        now = at(2026, 11, 27, 9, minute)
        report = await deliver_due(due_reminders(cal, store, now), store, outbox, now=now)
        attempts += report.failed

    assert attempts == 4  # at 9:00, 9:01, 9:03, 9:07
    assert [retry_pause(n).seconds // 60 for n in (1, 2, 3, 6, 100)] == [1, 2, 4, 30, 30]
    assert outbox.sent == []


async def test_failed_send_goes_out_on_the_next_run_once_the_network_is_back(
    cal: Calendar, store: ReminderStore
) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)
    down, up = Outbox(failing=[1]), Outbox()

    await deliver_due(due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY), store, down,
                      now=WEEK_BEFORE_CONSTITUTION_DAY)  # fmt: skip
    later = at(2026, 11, 27, 9, 1)
    report = await deliver_due(due_reminders(cal, store, later), store, up, now=later)

    assert report.sent == 1
    assert store.sent_count() == 1


# --- custom reminders ----------------------------------------------------------------------


async def test_custom_reminder_is_due_at_its_time_and_sent_once(
    cal: Calendar, store: ReminderStore
) -> None:
    reminder = store.add_custom(5, at(2026, 11, 24, 9, 0), "提交宪法宣传周活动方案",
                                now=at(2026, 11, 23, 20, 0))  # fmt: skip
    outbox = Outbox()

    early = due_reminders(cal, store, at(2026, 11, 24, 8, 59))
    due = due_reminders(cal, store, at(2026, 11, 24, 9, 0))
    await deliver_due(due, store, outbox, now=at(2026, 11, 24, 9, 0))
    later = due_reminders(cal, store, at(2026, 11, 24, 9, 1))

    assert early == []
    assert keys(due) == [(5, reminder.key, 0)]
    assert outbox.sent[0][1].startswith("【提醒】提交宪法宣传周活动方案")
    assert later == []
    assert store.list_for(5) == []


def test_custom_reminders_are_listed_and_only_their_chat_may_delete_them(
    store: ReminderStore,
) -> None:
    now = at(2026, 11, 23, 20, 0)
    later = store.add_custom(5, at(2026, 12, 1, 9, 0), "报送材料", now=now)
    sooner = store.add_custom(5, at(2026, 11, 30, 9, 0), "开会", now=now)

    listed = [r.text for r in store.list_for(5)]
    stolen = store.delete(6, later.id)
    deleted = store.delete(5, later.id)

    assert listed == ["开会", "报送材料"]
    assert (stolen, deleted) == (False, True)
    assert store.list_for(5) == [sooner]


def test_custom_reminder_missed_on_an_earlier_day_is_not_sent_late(
    cal: Calendar, store: ReminderStore
) -> None:
    store.add_custom(5, at(2026, 11, 24, 9, 0), "开会", now=at(2026, 11, 23, 20, 0))

    next_day = at(2026, 11, 25, 9, 0)

    assert due_reminders(cal, store, next_day) == []
    assert [item.chat_id for item in missed_reminders(cal, store, next_day)] == [5]


@pytest.mark.parametrize(
    ("when", "text", "message"),
    [
        (at(2026, 11, 23, 19, 0), "开会", "已经过去"),
        (at(2026, 11, 24, 9, 0), "   ", "不能为空"),
        (at(2026, 11, 24, 9, 0), "长" * 501, "太长"),
    ],
)
def test_bad_custom_reminders_are_refused(
    store: ReminderStore, when: datetime, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        store.add_custom(5, when, text, now=at(2026, 11, 23, 20, 0))

    assert store.list_for(5) == []


def test_unsubscribe_stops_calendar_reminders(cal: Calendar, store: ReminderStore) -> None:
    store.subscribe(1, now=SUBSCRIBED_AT)

    removed = store.unsubscribe(1)

    assert removed
    assert store.subscription(1) is None
    assert due_reminders(cal, store, WEEK_BEFORE_CONSTITUTION_DAY) == []


def test_subscription_round_trips_through_the_database(db_path: Path) -> None:
    first = ReminderStore(db_path)
    first.subscribe(1, now=SUBSCRIBED_AT, categories=["普法节点"], leads=[1, 7], workdays_only=True)
    first.close()

    second = ReminderStore(db_path)
    subscription = second.subscription(1)
    second.close()

    assert subscription is not None
    assert (subscription.categories, subscription.leads, subscription.workdays_only) == (
        ("普法节点",),
        (7, 1),
        True,
    )
    assert subscription.created_at == SUBSCRIBED_AT


def test_sent_key_is_unique_per_chat_reminder_occurrence_and_lead(store: ReminderStore) -> None:
    key = SentKey(1, "constitution-day", date(2026, 12, 4), 7)

    first = store.claim(key, SUBSCRIBED_AT)
    second = store.claim(key, SUBSCRIBED_AT)
    other_lead = store.claim(SentKey(1, "constitution-day", date(2026, 12, 4), 1), SUBSCRIBED_AT)

    assert (first, second, other_lead) == (True, False, True)
