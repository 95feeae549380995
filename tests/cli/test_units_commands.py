"""`deadline-bot unit-contact`, `unit-members`, `units --unbound` and `invite --all-unbound`, end to end."""
from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta

from store import chats
from tests.telegram.conftest import add_task, add_unit
from store.models import UnitRole


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def bind(engine, unit_name: str, telegram_chat_id: int) -> None:
    invite = chats.create_invite(engine, unit_name, timedelta(hours=72), now())
    chats.redeem_invite(engine, invite.code, telegram_chat_id, "group", "群", "zh-CN", now())


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:  # the BOM Excel and WPS need
        return list(csv.reader(handle))


def test_units_unbound_lists_the_units_no_chat_reaches_with_their_open_tasks(cli, engine):
    justice, finance = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    add_task(engine, title="任务一", units=((justice, UnitRole.LEAD), (finance, UnitRole.COOPERATING)))
    add_task(engine, title="任务二", units=((justice, UnitRole.LEAD),))
    bind(engine, "省财政厅", -4001)
    listed = json.loads(cli("units", "--unbound", "--format", "json").stdout)
    assert [(u["name"], u["open"]) for u in listed] == [("省司法厅", 2)]
    table = cli("units", "--unbound").stdout
    assert "没有绑定聊天的单位（1 个，未完成任务 2 项）" in table
    assert len(json.loads(cli("units", "--format", "json").stdout)) == 2  # without the option: every unit


def test_invite_all_unbound_writes_one_link_per_unit_and_a_second_run_revokes_the_first(cli, engine, tmp_path):
    for name in ("省司法厅", "省财政厅", "省民政厅"):
        add_unit(engine, name)
    bind(engine, "省民政厅", -4001)
    result = cli("invite", "--all-unbound", "--out", "invites.csv")
    assert result.exit_code == 0, result.output
    assert "已为 2 个单位生成邀请" in result.stdout and "撤销旧邀请 0 个" in result.stdout
    first = read_csv(tmp_path / "invites.csv")
    assert first[0] == ["单位", "邀请链接", "有效期至"]
    assert sorted(row[0] for row in first[1:]) == ["省司法厅", "省财政厅"]
    assert all(row[1].startswith("/start ") for row in first[1:])  # no token configured: no t.me link

    second_run = cli("invite", "--all-unbound", "--out", "invites.csv")
    assert "撤销旧邀请 2 个" in second_run.stdout
    second = read_csv(tmp_path / "invites.csv")
    assert len(second) == 3 and {r[1] for r in second[1:]}.isdisjoint({r[1] for r in first[1:]})
    assert len(chats.outstanding_invites(engine, now())) == 2  # one valid invite per unit


def test_invite_all_unbound_refuses_a_missing_directory_and_writes_nothing(cli, engine, tmp_path):
    add_unit(engine, "省司法厅")
    result = cli("invite", "--all-unbound", "--out", str(tmp_path / "no" / "invites.csv"))
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert chats.outstanding_invites(engine, now()) == []
    assert cli("invite").exit_code == 2  # neither a unit nor --all-unbound


def test_unit_members_adds_lists_and_removes_and_unit_contact_sets_the_contact(cli, engine):
    add_unit(engine, "各市州政府")
    added = cli("unit-members", "各市州政府", "--add", "兰州市人民政府", "天水市人民政府")
    assert added.exit_code == 0, added.output
    assert "新建单位：兰州市人民政府、天水市人民政府" in added.stdout
    removed = cli("unit-members", "各市州政府", "--remove", "天水市人民政府")
    assert "新增成员 0 个，移除 1 个" in removed.stdout
    assert cli("unit-members", "各市州政府").stdout.strip() == "各市州政府 的成员（1 个）：兰州市人民政府"
    refused = cli("unit-members", "各市州政府", "兰州市人民政府")
    assert refused.exit_code == 2 and "用法" in refused.stderr

    contact = cli("unit-contact", "兰州市人民政府", "--person", "李科长", "--phone", "0931-8888888")
    assert contact.stdout.strip() == "兰州市人民政府：联系人 李科长，电话 0931-8888888"
    bad = cli("unit-contact", "兰州市人民政府", "--phone", "李科长")
    assert bad.exit_code == 2 and "phone" in bad.stderr
    listed = json.loads(cli("units", "--unbound", "--format", "json").stdout)
    assert {u["name"]: u["contact_phone"] for u in listed}["兰州市人民政府"] == "0931-8888888"
