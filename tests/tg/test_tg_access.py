"""Who may use the bot: listed users in private chats, listed groups, admins always."""

from __future__ import annotations

from bot.tg.access import AccessPolicy, refusal_text

POLICY = AccessPolicy(
    allowed_users=frozenset({1}), admin_users=frozenset({2}), allowed_chats=frozenset({-100})
)


def test_listed_users_and_admins_are_allowed_in_private_chats() -> None:
    assert POLICY.allows(1, 1, "private")
    assert POLICY.allows(2, 2, "private")
    assert not POLICY.allows(3, 3, "private")


def test_only_admins_are_admins() -> None:
    assert POLICY.is_admin(2)
    assert not POLICY.is_admin(1)
    assert not POLICY.is_admin(None)


def test_groups_are_served_only_when_listed_for_any_member() -> None:
    assert POLICY.allows(3, -100, "supergroup")
    assert not POLICY.allows(1, -200, "group")


def test_an_empty_policy_refuses_everyone_and_says_it_is_not_configured() -> None:
    empty = AccessPolicy()

    assert not empty.is_configured
    assert not empty.allows(1, 1, "private")
    assert not empty.allows(None, None, None)


def test_refusal_shows_the_ids_and_nothing_else() -> None:
    assert "<code>7</code>" in refusal_text(7, 7, is_group=False)
    assert "本群 ID：<code>-5</code>" in refusal_text(7, -5, is_group=True)
