"""The unit directory in the store and its use cases: contacts, a collective's members, who a
member answers for, which units no chat reaches, and invites for all of them at once."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app import directory as app_directory
from app import status as app_status  # record_status moved from store.chats with the completion rules
from app.directory import DirectoryError
from store import chats, extensions, outbox, reports
from store.db import session_scope
from store.directory import MembershipError
from store.errors import UnknownUnit
from store.models import (
    ExtensionRequest,
    Invite,
    Reminder,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitKind,
    UnitMember,
    UnitRole,
)
from tests.telegram.conftest import add_task, add_unit

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
HOURS_72 = timedelta(hours=72)


def bind(engine, unit_name: str, telegram_chat_id: int, title: str = "群") -> int:
    invite = chats.create_invite(engine, unit_name, HOURS_72, NOW)
    return chats.redeem_invite(engine, invite.code, telegram_chat_id, "group", title, "zh-CN", NOW).id


def add_collective(engine, name: str) -> int:
    unit_id = add_unit(engine, name)
    with session_scope(engine) as session:
        session.get(Unit, unit_id).kind = UnitKind.COLLECTIVE
    return unit_id


def collective_with_members(engine) -> tuple[int, int, int]:
    """各市州政府 with 兰州市人民政府 and 天水市人民政府 (the latter created by the change)."""
    collective = add_collective(engine, "各市州政府")
    lanzhou = add_unit(engine, "兰州市人民政府")
    change = app_directory.change_members(engine, "各市州政府", ["兰州市人民政府", "天水市人民政府"], [], NOW)
    assert change.created == ("天水市人民政府",) and change.added == 2
    with session_scope(engine) as session:
        tianshui = session.execute(select(Unit.id).where(Unit.name == "天水市人民政府")).scalar_one()
    return collective, lanzhou, tianshui


def test_members_are_added_once_removed_and_a_single_unit_given_members_becomes_collective(engine):
    add_unit(engine, "市政府")  # the vocabulary sees one body; the administrator says otherwise
    app_directory.change_members(engine, "市政府", ["甲县人民政府", "乙县人民政府"], [], NOW)
    again = app_directory.change_members(engine, "市政府", ["甲县人民政府"], ["乙县人民政府"], NOW)
    assert (again.added, again.removed, again.members) == (0, 1, ("甲县人民政府",))
    with session_scope(engine) as session:
        assert session.execute(select(Unit.kind).where(Unit.name == "市政府")).scalar_one() is UnitKind.COLLECTIVE


def test_a_refused_membership_writes_nothing(engine):
    collective_with_members(engine)
    add_collective(engine, "省直各部门")
    with pytest.raises(MembershipError):
        app_directory.change_members(engine, "各市州政府", ["白银市人民政府", "省直各部门"], [], NOW)
    with pytest.raises(MembershipError):
        app_directory.change_members(engine, "各市州政府", ["各市州政府"], [], NOW)
    with pytest.raises(UnknownUnit):
        app_directory.change_members(engine, "各市州政府", [], ["不存在的政府"], NOW)
    with pytest.raises(DirectoryError):
        app_directory.change_members(engine, "各市州政府", ["兰州市人民政府"], ["兰州市人民政府"], NOW)
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(UnitMember)).scalar_one() == 2
        assert session.execute(select(Unit.id).where(Unit.name == "白银市人民政府")).first() is None


def test_a_chat_to_plan_carries_the_collectives_of_its_unit(engine):
    collective, lanzhou, _ = collective_with_members(engine)
    chat = bind(engine, "兰州市人民政府", -5001)
    (planned,) = [c for c in outbox.chats_to_plan(engine) if c.chat_id == chat]
    assert (planned.unit_id, planned.member_of) == (lanzhou, (collective,))


def test_a_members_report_counts_for_the_collectives_share(engine):
    collective, lanzhou, _ = collective_with_members(engine)
    task = add_task(engine, title="清理规范性文件", units=((collective, UnitRole.RESPONSIBLE),))
    chat = bind(engine, "兰州市人民政府", -5001)
    recorded = app_status.record_status(engine, task, chat, lanzhou, 502, TaskStatus.DONE, NOW)
    assert (recorded.card.unit_id, recorded.card.unit_name) == (collective, "各市州政府")
    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert (report.unit_id, report.chat_id) == (collective, chat)  # the chat says which member
        assert session.get(Task, task).status is TaskStatus.DONE
        # The report is the collective's share (app.status's per-unit completion), not the member's.
        assert {(s.unit_id, s.status) for s in session.execute(select(TaskUnit)).scalars()} == \
            {(collective, TaskStatus.DONE)}
    assert chats.attach_note(engine, chat, lanzhou, task, "已清理完毕", NOW, telegram_user_id=502) == recorded.report_id
    assert [t.task_id for t in reports.open_tasks_of_unit(engine, lanzhou)] == []


def test_a_unit_outside_the_collective_still_cannot_report(engine):
    collective, _, _ = collective_with_members(engine)
    outsider = add_unit(engine, "省司法厅")
    task = add_task(engine, title="清理规范性文件", units=((collective, UnitRole.RESPONSIBLE),))
    chat = bind(engine, "省司法厅", -5002)
    with pytest.raises(chats.NotUnitsTask):
        app_status.record_status(engine, task, chat, outsider, 502, TaskStatus.DONE, NOW)
    assert reports.open_tasks_of_unit(engine, outsider) == []


def test_a_member_sees_the_collectives_tasks_among_its_own(engine):
    collective, lanzhou, _ = collective_with_members(engine)
    own = add_task(engine, title="本单位任务", units=((lanzhou, UnitRole.LEAD),), due=date(2026, 6, 20))
    shared = add_task(engine, title="各市州任务", units=((collective, UnitRole.RESPONSIBLE),), due=date(2026, 6, 10))
    assert [t.task_id for t in reports.open_tasks_of_unit(engine, lanzhou)] == [shared, own]
    assert reports.task_detail(engine, shared, lanzhou) is not None


def test_a_collective_is_reached_through_a_bound_member_and_not_invited_while_it_has_members(engine):
    collective_with_members(engine)
    add_collective(engine, "省直各部门")  # a collective without members: its own shared chat may be bound
    add_unit(engine, "省司法厅")
    unreached = {e.name for e in app_directory.unreached_units(engine)}
    assert unreached == {"各市州政府", "兰州市人民政府", "天水市人民政府", "省直各部门", "省司法厅"}
    assert {e.name for e in app_directory.invite_targets(app_directory.unreached_units(engine))} == {
        "兰州市人民政府", "天水市人民政府", "省直各部门", "省司法厅"}
    bind(engine, "兰州市人民政府", -5001, title="兰州法治群")
    entries = {e.name: e for e in app_directory.unit_directory(engine)}
    assert [(c.title, c.via_member) for c in entries["各市州政府"].chats] == [("兰州法治群", "兰州市人民政府")]
    assert {e.name for e in app_directory.unreached_units(engine)} == {"天水市人民政府", "省直各部门", "省司法厅"}


def outstanding_per_unit(engine) -> dict[str, int]:
    counts: dict[str, int] = {}
    for invite in chats.outstanding_invites(engine, NOW):
        counts[invite.unit_name] = counts.get(invite.unit_name, 0) + 1
    return counts


def test_inviting_all_unreached_twice_leaves_one_valid_invite_per_unit(engine):
    for name in ("省司法厅", "省财政厅", "省民政厅"):
        add_unit(engine, name)
    bind(engine, "省民政厅", -5003)
    chats.create_invite(engine, "省司法厅", HOURS_72, NOW)  # handed out one at a time before
    first = app_directory.invite_unreached(engine, HOURS_72, NOW)
    assert sorted(i.unit_name for i in first) == ["省司法厅", "省财政厅"]
    assert sum(i.revoked for i in first) == 1
    second = app_directory.invite_unreached(engine, HOURS_72, NOW + timedelta(minutes=1))
    assert sum(i.revoked for i in second) == 2
    assert outstanding_per_unit(engine) == {"省司法厅": 1, "省财政厅": 1}
    # The newest links are the valid ones: a code from the first run binds nothing now.
    with pytest.raises(chats.RevokedInvite):
        chats.redeem_invite(engine, first[0].code, -6001, "group", "群", "zh-CN", NOW)
    chats.redeem_invite(engine, second[0].code, -6002, "group", "群", "zh-CN", NOW)


def test_invites_that_cannot_be_handed_out_are_not_issued(engine):
    add_unit(engine, "省司法厅")
    kept = chats.create_invite(engine, "省司法厅", HOURS_72, NOW)

    def disk_full(issued) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        app_directory.invite_unreached(engine, HOURS_72, NOW, hand_out=disk_full)
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Invite)).scalar_one() == 1
    assert [i.id for i in chats.outstanding_invites(engine, NOW)] == [kept.invite_id]


def test_a_contact_is_set_cleared_and_refused_when_it_is_no_phone(engine):
    add_unit(engine, "省司法厅")
    change = app_directory.set_unit_contact(engine, "省司法厅", "张科长", "0931-8888888转802")
    assert (change.after.person, change.after.phone) == ("张科长", "0931-8888888转802")
    change = app_directory.set_unit_contact(engine, "省司法厅", None, "")
    assert (change.before.phone, change.after.person, change.after.phone) == ("0931-8888888转802", "张科长", None)
    with pytest.raises(DirectoryError) as refused:
        app_directory.set_unit_contact(engine, "省司法厅", None, "call me")
    assert refused.value.field == "phone"
    (entry,) = app_directory.unit_directory(engine)
    assert (entry.contact_person, entry.contact_phone) == ("张科长", None)


def test_a_member_asks_for_the_collectives_extension(engine):
    collective, lanzhou, _ = collective_with_members(engine)
    task = add_task(engine, title="清理规范性文件", units=((collective, UnitRole.RESPONSIBLE),))
    chat = bind(engine, "兰州市人民政府", -5001)
    info = extensions.request_extension(engine, task, chat, lanzhou, 502, date(2026, 7, 31), "等待审批", NOW)
    with session_scope(engine) as session:
        assert session.get(ExtensionRequest, info.id).unit_id == collective
    assert info.unit_name == "各市州政府"


def test_an_immediate_poll_reaches_each_bound_member_once(engine):
    collective, lanzhou, _ = collective_with_members(engine)
    task = add_task(engine, title="清理规范性文件", units=((collective, UnitRole.RESPONSIBLE), (lanzhou, UnitRole.LEAD)))
    lanzhou_chat = bind(engine, "兰州市人民政府", -5001)
    tianshui_chat = bind(engine, "天水市人民政府", -5002)
    assert reports.enqueue_poll_now(engine, task, NOW) == 2
    with session_scope(engine) as session:
        polls = session.execute(select(Reminder.chat_id, Reminder.unit_id).order_by(Reminder.chat_id)).all()
    assert polls == [(lanzhou_chat, lanzhou), (tianshui_chat, collective)]  # Lanzhou's own share first


def test_a_members_open_tasks_count_its_collectives(engine):
    collective, lanzhou, tianshui = collective_with_members(engine)
    other = add_collective(engine, "各市州党委和政府")
    app_directory.change_members(engine, "各市州党委和政府", ["兰州市人民政府"], [], NOW)
    add_task(engine, title="本单位任务", units=((lanzhou, UnitRole.LEAD),))
    add_task(engine, title="两个集合单位的任务", units=((collective, UnitRole.LEAD), (other, UnitRole.RESPONSIBLE)))
    add_task(engine, title="另一个集合单位的任务", units=((other, UnitRole.LEAD),))
    counts = {e.name: e.open_count for e in app_directory.unit_directory(engine)}
    assert (counts["兰州市人民政府"], counts["天水市人民政府"], counts["各市州政府"]) == (3, 1, 1)


def test_removing_a_member_cancels_the_collectives_pending_reminders_in_its_chat(engine):
    from scheduler.calendar import WorkingCalendar
    from scheduler.policy import DEFAULT_POLICY
    from scheduler.service import replan_in_transaction, replan_reminders

    calendar = WorkingCalendar.from_policy(DEFAULT_POLICY)
    lookback, horizon = timedelta(days=1), timedelta(days=30)

    def replan(conn, task_ids):
        return replan_in_transaction(conn, DEFAULT_POLICY, calendar, NOW, lookback, horizon, task_ids)

    collective, _, _ = collective_with_members(engine)
    task = add_task(engine, title="清理规范性文件", units=((collective, UnitRole.RESPONSIBLE),), due=date(2026, 6, 8))
    chat = bind(engine, "兰州市人民政府", -5001)
    replan_reminders(engine, DEFAULT_POLICY, calendar, NOW, lookback, horizon)

    def states() -> list[str]:
        with session_scope(engine) as session:
            return sorted(str(s) for s in session.execute(
                select(Reminder.state).where(Reminder.task_id == task, Reminder.chat_id == chat)).scalars())

    assert "pending" in states()
    change = app_directory.change_members(engine, "各市州政府", [], ["兰州市人民政府"], NOW, replan)
    assert change.replanned_tasks == 1
    assert "pending" not in states() and "cancelled" in states()
