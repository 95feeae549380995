"""`deadline-bot invites` and `deadline-bot revoke-invite`, end to end on the test database."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from store import chats
from tests.telegram.conftest import add_unit

HOURS_72 = timedelta(hours=72)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def test_invites_lists_the_outstanding_ones_in_every_format(cli, engine):
    add_unit(engine, "省司法厅")
    add_unit(engine, "省财政厅")
    justice = chats.create_invite(engine, "省司法厅", HOURS_72, now(), created_by=900001)
    finance = chats.create_invite(engine, "省财政厅", HOURS_72, now())
    used = chats.create_invite(engine, "省司法厅", HOURS_72, now())
    chats.redeem_invite(engine, used.code, -4001, "group", "群", "zh-CN", now())
    chats.create_invite(engine, "省司法厅", timedelta(hours=1), now() - timedelta(hours=2))  # expired

    listed = json.loads(cli("invites", "--format", "json").stdout)
    assert [(i["id"], i["unit"], i["created_by"]) for i in listed] == [
        (justice.invite_id, "省司法厅", 900001), (finance.invite_id, "省财政厅", None)]
    assert datetime.fromisoformat(listed[0]["expires_at"]) == justice.expires_at

    only = json.loads(cli("invites", "--unit", "省财政厅", "--format", "json").stdout)
    assert [i["id"] for i in only] == [finance.invite_id]

    csv_out = cli("invites", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "\ufeff编号,单位,生成时间,有效至,生成人（Telegram 用户 ID）" and len(csv_out) == 3
    table = cli("invites").stdout
    assert "未使用的邀请（2 个）" in table and "省司法厅" in table and "900001" in table
    assert justice.code not in table


def test_no_invites_says_so(cli):
    result = cli("invites")
    assert result.exit_code == 0 and result.stdout.strip() == "没有未使用的邀请。"


def test_unknown_unit_filter_gives_one_line_and_exit_2(cli, engine):
    add_unit(engine, "省司法厅")
    result = cli("invites", "--unit", "不存在的局")
    assert result.exit_code == 2
    assert "不存在的局" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_revoke_invite_withdraws_it_once(cli, engine):
    add_unit(engine, "省司法厅")
    created = chats.create_invite(engine, "省司法厅", HOURS_72, now())
    result = cli("revoke-invite", str(created.invite_id))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"已撤销邀请 #{created.invite_id}（省司法厅），该邀请码不能再绑定聊天。"
    assert json.loads(cli("invites", "--format", "json").stdout) == []
    with pytest.raises(chats.RevokedInvite):
        chats.redeem_invite(engine, created.code, -4001, "group", "群", "zh-CN", now())

    again = cli("revoke-invite", str(created.invite_id))
    assert again.exit_code == 1
    assert again.stderr.strip() == f"ID：邀请 #{created.invite_id} 已撤销过了"


def test_revoke_invite_names_why_it_cannot(cli, engine):
    add_unit(engine, "省司法厅")
    used = chats.create_invite(engine, "省司法厅", HOURS_72, now())
    chats.redeem_invite(engine, used.code, -4001, "group", "群", "zh-CN", now())
    expired = chats.create_invite(engine, "省司法厅", timedelta(hours=1), now() - timedelta(hours=2))

    unknown = cli("revoke-invite", "999")
    assert unknown.exit_code == 2 and unknown.stderr.strip() == "ID：没有编号为 999 的邀请"
    refused = cli("revoke-invite", str(used.invite_id))
    assert refused.exit_code == 1 and refused.stderr.strip() == f"ID：邀请 #{used.invite_id} 已被使用，无法撤销"
    stale = cli("revoke-invite", str(expired.invite_id))
    assert stale.exit_code == 1 and "已过期" in stale.stderr and len(stale.stderr.strip().splitlines()) == 1


def test_english_language_setting_translates_the_listing(cli, engine, tmp_path):
    config = tmp_path / "en.toml"
    config.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    add_unit(engine, "省司法厅")
    chats.create_invite(engine, "省司法厅", HOURS_72, now())
    out = cli("--config", str(config), "invites", "--format", "csv").stdout
    assert out.splitlines()[0] == "\ufeffID,Unit,Created,Valid until,Created by (Telegram user id)"


def test_invite_prints_the_code_and_the_id_that_revokes_it(cli, engine, monkeypatch):
    monkeypatch.delenv("DEADLINE_BOT_TOKEN", raising=False)
    add_unit(engine, "省司法厅")
    result = cli("invite", "省司法厅")
    assert result.exit_code == 0, result.output
    [listed] = json.loads(cli("invites", "--format", "json").stdout)
    assert f"deadline-bot revoke-invite {listed['id']}" in result.stdout
    assert "/start " in result.stdout  # no token: the code to send by hand
