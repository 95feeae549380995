"""Invites an administrator can list and revoke, on SQLite and (with DEADLINE_BOT_TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store import chats
from store.db import session_scope
from store.models import Invite
from tests.telegram.conftest import add_unit

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


def test_outstanding_invites_leave_out_used_expired_and_revoked_ones(engine):
    add_unit(engine, "省司法厅")
    add_unit(engine, "省财政厅")
    waiting = chats.create_invite(engine, "省司法厅", 72 * HOUR, NOW, created_by=900001)
    used = chats.create_invite(engine, "省司法厅", 72 * HOUR, NOW)
    chats.redeem_invite(engine, used.code, -4001, "group", "群", "zh-CN", NOW)
    expired = chats.create_invite(engine, "省司法厅", HOUR, NOW - 2 * HOUR)
    revoked = chats.create_invite(engine, "省司法厅", 72 * HOUR, NOW)
    chats.revoke_invite(engine, revoked.invite_id, NOW)
    other = chats.create_invite(engine, "省财政厅", 72 * HOUR, NOW + timedelta(minutes=1))

    listed = chats.outstanding_invites(engine, NOW + timedelta(minutes=5))
    assert [i.id for i in listed] == [waiting.invite_id, other.invite_id]
    first = listed[0]
    assert (first.unit_name, first.created_at, first.expires_at, first.created_by) == \
        ("省司法厅", NOW, NOW + 72 * HOUR, 900001)
    assert expired.invite_id not in [i.id for i in listed]

    justice = chats.outstanding_invites(engine, NOW, unit_ids=[waiting.unit_id])
    assert [i.id for i in justice] == [waiting.invite_id]
    # At the instant it expires an invite is no longer outstanding, as redeem_invite sees it.
    assert [i.id for i in chats.outstanding_invites(engine, NOW + 72 * HOUR)] == [other.invite_id]


def test_an_invite_is_revoked_once_and_its_state_explains_a_refusal(engine):
    add_unit(engine, "省司法厅")
    created = chats.create_invite(engine, "省司法厅", HOUR, NOW)
    revoked = chats.revoke_invite(engine, created.invite_id, NOW + timedelta(minutes=1))
    assert (revoked.id, revoked.unit_name) == (created.invite_id, "省司法厅")
    with session_scope(engine) as session:
        stored = session.execute(select(Invite)).scalar_one()
    assert stored.revoked_at == NOW + timedelta(minutes=1) and stored.used_at is None

    with pytest.raises(chats.RevokedInvite) as again:
        chats.revoke_invite(engine, created.invite_id, NOW + timedelta(minutes=2))
    assert again.value.invite_id == created.invite_id
    with pytest.raises(chats.UnknownInvite):
        chats.revoke_invite(engine, created.invite_id + 100, NOW)

    used = chats.create_invite(engine, "省司法厅", HOUR, NOW)
    chats.redeem_invite(engine, used.code, -4001, "group", "群", "zh-CN", NOW)
    with pytest.raises(chats.UsedInvite):
        chats.revoke_invite(engine, used.invite_id, NOW)
    stale = chats.create_invite(engine, "省司法厅", HOUR, NOW)
    with pytest.raises(chats.ExpiredInvite):
        chats.revoke_invite(engine, stale.invite_id, NOW + HOUR)
    with session_scope(engine) as session:
        revoked_ids = session.execute(select(Invite.id).where(Invite.revoked_at.is_not(None))).scalars().all()
    assert revoked_ids == [created.invite_id]


def test_a_revoked_code_binds_no_chat(engine):
    add_unit(engine, "省司法厅")
    created = chats.create_invite(engine, "省司法厅", HOUR, NOW)
    chats.revoke_invite(engine, created.invite_id, NOW)
    with pytest.raises(chats.RevokedInvite):
        chats.redeem_invite(engine, created.code, -4001, "group", "群", "zh-CN", NOW)
    # Revoked and, later, expired as well: the revocation is the reason worth telling.
    with pytest.raises(chats.RevokedInvite):
        chats.redeem_invite(engine, created.code, -4001, "group", "群", "zh-CN", NOW + 2 * HOUR)
    assert chats.chat_by_telegram_id(engine, -4001) is None
    with session_scope(engine) as session:
        assert session.execute(select(Invite.used_at)).scalar_one() is None
