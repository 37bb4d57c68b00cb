"""UserStore keeps each user's profile, drafting step and draft across restarts."""

from __future__ import annotations

from pathlib import Path

from bot.core.report.userstate import Draft, UserState, UserStore, draft_body


def test_unknown_user_gets_an_empty_state(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.sqlite3")

    state = store.get(7)

    assert state == UserState(7)
    store.close()


def test_profile_step_and_draft_survive_reopening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "users.sqlite3"
    store = UserStore(path)
    store.set_profile(7, org="仓头乡人民政府", year=2025)
    store.save_draft(7, Draft("正文", "measures", "办了3场讲座", ("《甲》", "《乙》 · 一、")))
    store.set_step(7, "draft_facts", section="problems")
    store.close()

    reopened = UserStore(path)
    state = reopened.get(7)

    assert state.org == "仓头乡人民政府"
    assert state.year == 2025
    assert state.step == "draft_facts"
    assert state.step_section == "problems"
    assert state.draft == Draft("正文", "measures", "办了3场讲座", ("《甲》", "《乙》 · 一、"))
    reopened.close()


def test_setting_only_the_year_keeps_the_org(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "u.sqlite3")
    store.set_profile(1, org="某镇")

    state = store.set_profile(1, year=2024)

    assert (state.org, state.year) == ("某镇", 2024)
    store.close()


def test_saving_a_draft_ends_the_drafting_step(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "u.sqlite3")
    store.set_step(1, "draft_facts", section="measures")

    state = store.save_draft(1, Draft("稿"))

    assert state.step == ""
    assert state.step_section is None
    store.close()


def test_users_do_not_see_each_others_drafts(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "u.sqlite3")
    store.save_draft(1, Draft("甲的稿"))

    assert store.get(2).draft is None
    assert store.get(1).draft == Draft("甲的稿")
    store.close()


def test_draft_body_drops_leading_offline_notices_only() -> None:
    text = "【离线模式：未使用大模型，替换了口语化用词。】\n【离线模式：本稿未使用大模型。】\n正文【待补充：人数】"

    assert draft_body(text) == "正文【待补充：人数】"
