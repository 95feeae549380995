"""Administrators' corrections (app.corrections over store.corrections), on SQLite and PostgreSQL:
each writes its change and its audit row in one transaction with the re-plan, and outlives a
re-import of the plan."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

import app.corrections as corrections
from plan_builders import plan, sha, task
from scheduler.calendar import WorkingCalendar
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import replan_in_transaction, replan_reminders
from store.corrections import CorrectionError
from store.corrections import corrections as audit_trail
from store.db import session_scope
from store.errors import UnknownUnit
from store.ingest import ingest_plan
from store.models import (
    Chat,
    ChatKind,
    Correction,
    Deadline,
    Document,
    DueSource,
    Reminder,
    ReminderState,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitRole,
)
from store.outbox import tasks_to_plan
from store.queries import overdue

ADMIN = corrections.Actor(source="cli", name="tester")
POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
CALENDAR = WorkingCalendar.from_policy(POLICY)
# 2031-06-20 09:30 in Shanghai: the 7-day notice before a 2031-06-30 deadline is due soon after.
NOW = datetime(2031, 6, 20, 1, 30, tzinfo=UTC)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=30)


def replanner(conn, task_ids):
    return replan_in_transaction(conn, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON, task_ids)


def unitless_plan(extra: str = ""):
    """Three tasks and no unit at all, like a plan that leaves the assignment to the office."""
    return plan([
        task(1, "完善政务服务事项清单", due=(("2031年6月底前", date(2031, 6, 30)),)),
        task(2, "推进电子证照互认"),
        task(3, "健全投诉处理机制" + extra),
    ])


def tasks_of(engine, document_id: int) -> dict[int, Task]:
    with session_scope(engine) as session:
        return {t.seq: t for t in session.exec(select(Task).where(Task.document_id == document_id)).all()}


def roles(engine, task_id: int) -> set[tuple[str, str]]:
    with session_scope(engine) as session:
        return {(name, str(role)) for name, role in session.exec(
            select(Unit.name, TaskUnit.role).join(Unit, Unit.id == TaskUnit.unit_id).where(TaskUnit.task_id == task_id)
        ).all()}


def count(engine, table) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def bind_chat(engine, unit_name: str) -> int:
    with session_scope(engine) as session:
        unit_id = session.exec(select(Unit.id).where(Unit.name == unit_name)).one()
        chat = Chat(telegram_chat_id=-4242, kind=ChatKind.GROUP, unit_id=unit_id, title="群")
        session.add(chat)
        session.flush()
        return chat.id


def pending_before(engine, task_id: int, day: date) -> int:
    """Pending reminders of the task to be sent before the local day."""
    start = datetime(day.year, day.month, day.day, tzinfo=POLICY.zone)
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Reminder).where(
            Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING, Reminder.send_at < start)).one()


def reminder_states(engine, task_id: int) -> list[str]:
    with session_scope(engine) as session:
        return sorted(str(s) for s in session.exec(select(Reminder.state).where(Reminder.task_id == task_id)).all())


# --- assigning ------------------------------------------------------------------------------


def test_bulk_assign_gives_the_unit_its_role_on_every_task_with_one_audit_row_each(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id

    done = corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id,
                                    seqs=corrections.parse_numbers("1-3"), create=True, replan=replanner)

    assert (done.changed, done.unit_created, done.unit_name) == (3, True, "示例市司法局")
    for t in tasks_of(engine, document_id).values():
        assert roles(engine, t.id) == {("示例市司法局", "lead")}
    trail = audit_trail(engine, document_id=document_id)
    assert [(e.field, e.old_value, e.new_value, e.actor) for e in trail] == [("unit_role", None, "lead", "tester")] * 3
    # The same assignment again changes nothing and records nothing.
    again = corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id,
                                     seqs=[1, 2, 3])
    assert (again.changed, again.unchanged) == (0, 3)
    assert count(engine, Correction) == 3


def test_assigning_an_unknown_unit_without_create_is_refused(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    with pytest.raises(UnknownUnit):
        corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id, seqs=[1])
    assert count(engine, Unit) == 0


def test_a_range_with_one_unknown_task_writes_nothing_at_all(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id

    with pytest.raises(CorrectionError) as refused:
        corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id,
                                 seqs=[1, 2, 99], create=True, replan=replanner)

    assert refused.value.reason == "unknown_seqs"
    assert (count(engine, Unit), count(engine, TaskUnit), count(engine, Correction)) == (0, 0, 0)


def test_a_failing_replan_rolls_back_the_change_and_its_audit_row(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    first = tasks_of(engine, document_id)[1]

    def broken_replan(conn, task_ids):
        raise RuntimeError("planner failed")

    with pytest.raises(RuntimeError):
        corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id, seqs=[1, 2],
                                 create=True, replan=broken_replan)
    with pytest.raises(RuntimeError):
        corrections.edit_task(engine, ADMIN, first.id, title="新的标题", due=date(2031, 3, 1), replan=broken_replan)

    assert (count(engine, Unit), count(engine, TaskUnit), count(engine, Correction)) == (0, 0, 0)
    assert tasks_of(engine, document_id)[1].title == first.title
    assert tasks_of(engine, document_id)[1].effective_due == first.effective_due


def test_change_and_remove_a_units_role(engine):
    document_id = ingest_plan(engine, plan([task(1, "推进电子证照互认", lead=("示例市数据局",),
                                                 cooperating=("示例市税务局",))]), sha("v1")).document_id
    task_id = tasks_of(engine, document_id)[1].id

    corrections.assign_units(engine, ADMIN, "示例市税务局", UnitRole.RESPONSIBLE, task_ids=[task_id])
    corrections.unassign_unit(engine, ADMIN, "示例市数据局", task_ids=[task_id])

    assert roles(engine, task_id) == {("示例市税务局", "responsible")}
    assert [(e.unit_name, e.old_value, e.new_value) for e in audit_trail(engine, task_id=task_id)] == [
        ("示例市税务局", "cooperating", "responsible"), ("示例市数据局", "lead", None)]


# --- editing, and re-import -----------------------------------------------------------------


def test_corrections_stand_after_the_plan_is_imported_again(engine):
    document_id = ingest_plan(engine, plan([
        task(1, "完善政务服务事项清单", lead=("示例市政务服务中心",), due=(("2031年6月底前", date(2031, 6, 30)),)),
        task(2, "推进电子证照互认", lead=("示例市数据局",), cooperating=("示例市税务局",)),
        task(3, "健全投诉处理机制"),
    ]), sha("v1")).document_id
    first, second, third = (tasks_of(engine, document_id)[n] for n in (1, 2, 3))
    corrections.edit_task(engine, ADMIN, first.id, title="完善并公布政务服务事项清单", due=date(2031, 5, 15))
    corrections.edit_task(engine, ADMIN, second.id,
                          milestones=[(date(2031, 4, 30), "4月底前"), (date(2031, 10, 31), "10月底前")])
    corrections.assign_units(engine, ADMIN, "示例市税务局", UnitRole.LEAD, task_ids=[second.id])
    corrections.unassign_unit(engine, ADMIN, "示例市数据局", task_ids=[second.id])
    corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, task_ids=[third.id], create=True)
    corrections.close_task(engine, ADMIN, third.id)

    def check(document_id: int) -> None:
        tasks = tasks_of(engine, document_id)
        assert [tasks[n].id for n in (1, 2, 3)] == [first.id, second.id, third.id]
        assert tasks[1].title == "完善并公布政务服务事项清单"
        assert (tasks[1].effective_due, tasks[1].due_source) == (date(2031, 5, 15), DueSource.ADMIN)
        assert (tasks[2].effective_due, tasks[2].due_source) == (date(2031, 4, 30), DueSource.EXPLICIT)
        with session_scope(engine) as session:
            assert sorted(session.exec(select(Deadline.due, Deadline.phrase).where(Deadline.task_id == second.id))
                          .all()) == [(date(2031, 4, 30), "4月底前"), (date(2031, 10, 31), "10月底前")]
        assert roles(engine, second.id) == {("示例市税务局", "lead")}
        assert roles(engine, third.id) == {("示例市司法局", "lead")}
        assert tasks[3].status == TaskStatus.DONE

    check(document_id)
    # The new version prints the same three tasks (one more line in the third's text): the
    # extractor's title, deadline and units come back, and the administrator's win again.
    changed = plan([
        task(1, "完善政务服务事项清单", lead=("示例市政务服务中心",), due=(("2031年6月底前", date(2031, 6, 30)),)),
        task(2, "推进电子证照互认", lead=("示例市数据局",), cooperating=("示例市税务局",)),
        task(3, "健全投诉处理机制", body="健全投诉处理机制，限时办结。"),
    ])
    outcome = ingest_plan(engine, changed, sha("v2"), on_change="replace")
    assert (outcome.kind, outcome.kept_task_count) == ("replaced", 3)
    # The preview compares what the plans print: tasks 1 and 2 print the same as before, whatever
    # the administrator changed on them; only the third's text changed.
    assert (outcome.changes.kept, [c.new_label for c in outcome.changes.changed]) == (2, ["3"])
    check(outcome.document_id)
    outcome = ingest_plan(engine, changed, sha("v3"), on_change="replace")
    check(outcome.document_id)
    # Re-imports add nothing to the trail: it holds what administrators did.
    assert count(engine, Correction) == 7


def test_clearing_an_administrators_due_date_gives_the_plans_back(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    first = tasks_of(engine, document_id)[1]
    corrections.edit_task(engine, ADMIN, first.id, due=date(2031, 9, 1))
    corrections.edit_task(engine, ADMIN, first.id, due=None)
    again = tasks_of(engine, document_id)[1]
    assert (again.effective_due, again.due_source) == (date(2031, 6, 30), DueSource.EXPLICIT)
    outcome = ingest_plan(engine, unitless_plan("。"), sha("v2"), on_change="replace")
    assert tasks_of(engine, outcome.document_id)[1].effective_due == date(2031, 6, 30)


# --- status, archive, snooze ----------------------------------------------------------------


def test_close_cancels_pending_reminders_and_reopen_brings_them_back(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    first = tasks_of(engine, document_id)[1]
    corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, task_ids=[first.id], create=True)
    bind_chat(engine, "示例市司法局")
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert "pending" in reminder_states(engine, first.id)

    closed = corrections.close_task(engine, ADMIN, first.id, note="已核实", replan=replanner)
    assert closed.reminders_cancelled > 0 and "pending" not in reminder_states(engine, first.id)
    with pytest.raises(CorrectionError) as refused:
        corrections.cancel_task(engine, ADMIN, first.id)
    assert refused.value.reason == "already_closed"

    corrections.reopen_task(engine, ADMIN, first.id, replan=replanner)
    assert tasks_of(engine, document_id)[1].status == TaskStatus.OPEN
    assert "pending" in reminder_states(engine, first.id)
    assert [(e.old_value, e.new_value, e.note) for e in audit_trail(engine, task_id=first.id)
            if e.field == "status"] == [("open", "done", "已核实"), ("done", "open", "")]


def test_archiving_a_plan_stops_its_reminders_and_survives_a_reimport(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, document_id=document_id, seqs=[1, 2, 3],
                             create=True)
    bind_chat(engine, "示例市司法局")
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    first = tasks_of(engine, document_id)[1]
    assert "pending" in reminder_states(engine, first.id)

    corrections.archive_document(engine, ADMIN, document_id, replan=replanner)

    assert "pending" not in reminder_states(engine, first.id)
    assert [t for t in tasks_to_plan(engine) if t.document_id == document_id] == []
    assert overdue(engine, date(2032, 1, 10)) == []
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert "pending" not in reminder_states(engine, first.id)
    outcome = ingest_plan(engine, unitless_plan("。"), sha("v2"), on_change="replace")
    with session_scope(engine) as session:
        assert session.get(Document, outcome.document_id).archived_at is not None
    assert tasks_to_plan(engine) == []

    corrections.archive_document(engine, ADMIN, outcome.document_id, archived=False, replan=replanner)
    assert "pending" in reminder_states(engine, first.id)


def test_snoozing_a_task_or_a_unit_holds_its_reminders_back_until_the_date(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    first = tasks_of(engine, document_id)[1]
    corrections.assign_units(engine, ADMIN, "示例市司法局", UnitRole.LEAD, task_ids=[first.id], create=True)
    bind_chat(engine, "示例市司法局")
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert "pending" in reminder_states(engine, first.id)

    # Before the last overdue notice at the quick pace (14 July): the weekly one after it is past the horizon.
    snoozed = date(2031, 7, 10)
    assert pending_before(engine, first.id, snoozed) > 0
    corrections.snooze_task(engine, ADMIN, first.id, snoozed, replan=replanner)
    assert pending_before(engine, first.id, snoozed) == 0
    assert "pending" in reminder_states(engine, first.id)  # what comes after the date still goes
    corrections.snooze_task(engine, ADMIN, first.id, None, replan=replanner)
    assert pending_before(engine, first.id, snoozed) > 0

    corrections.snooze_unit(engine, ADMIN, "示例市司法局", snoozed, replan=replanner)
    assert pending_before(engine, first.id, snoozed) == 0
    (planned,) = [t for t in tasks_to_plan(engine) if t.task_id == first.id]
    assert dict(planned.unit_snoozes).values() and set(dict(planned.unit_snoozes).values()) == {date(2031, 7, 10)}
    assert [e.new_value for e in audit_trail(engine) if e.field == "snoozed_until"] == [
        "2031-07-10", None, "2031-07-10"]


# --- units ----------------------------------------------------------------------------------


def test_merging_units_moves_their_tasks_and_keeps_the_names_as_aliases(engine):
    document_id = ingest_plan(engine, plan([
        task(1, "推进电子证照互认", lead=("示例市政府办公室",)),
        task(2, "健全投诉处理机制", lead=("示例市政府办公室（示例市大数据局）",)),
    ]), sha("v1")).document_id
    tasks = tasks_of(engine, document_id)

    done = corrections.merge_units(engine, ADMIN, "示例市政府办公室（示例市大数据局）", "示例市政府办公室")

    assert done.unit_name == "示例市政府办公室"
    assert roles(engine, tasks[2].id) == {("示例市政府办公室", "lead")}
    assert count(engine, Unit) == 1
    with session_scope(engine) as session:
        aliases = set(session.exec(select(UnitAlias.alias)).all())
    assert "示例市政府办公室（示例市大数据局）" in aliases and "示例市大数据局" in aliases
    # A new version printing the merged name finds the unit that stayed.
    outcome = ingest_plan(engine, plan([
        task(1, "推进电子证照互认", lead=("示例市政府办公室",)),
        task(2, "健全投诉处理机制", lead=("示例市大数据局",)),
    ]), sha("v2"), on_change="replace")
    assert count(engine, Unit) == 1 and outcome.new_unit_count == 0


def test_renaming_a_unit_keeps_the_old_name_as_an_alias(engine):
    ingest_plan(engine, plan([task(1, "推进电子证照互认", lead=("示例市数据局",))]), sha("v1"))
    corrections.rename_unit(engine, ADMIN, "示例市数据局", "示例市数据资源管理局")
    corrections.add_unit_alias(engine, ADMIN, "示例市数据资源管理局", "市数据资源局")
    with pytest.raises(CorrectionError) as refused:
        corrections.add_unit_alias(engine, ADMIN, "示例市数据局", "市数据资源局")
    assert refused.value.reason == "alias_taken"
    with session_scope(engine) as session:
        assert session.exec(select(Unit.name)).all() == ["示例市数据资源管理局"]
        assert set(session.exec(select(UnitAlias.alias)).all()) >= {"示例市数据局", "市数据资源局"}
    assert [e.field for e in audit_trail(engine)] == ["unit_name", "unit_alias"]


def test_task_numbers_are_read_as_ranges_and_lists():
    assert corrections.parse_numbers("1-3,5，7") == [1, 2, 3, 5, 7]
    for bad in ("", "3-1", "a", "1--2"):
        with pytest.raises(CorrectionError):
            corrections.parse_numbers(bad)
    assert corrections.parse_role("牵头") is UnitRole.LEAD
    with pytest.raises(CorrectionError):
        corrections.parse_role("boss")


def test_a_batch_of_changes_is_one_transaction_each_change_audited(engine):
    document_id = ingest_plan(engine, unitless_plan(), sha("v1")).document_id
    first, second = tasks_of(engine, document_id)[1], tasks_of(engine, document_id)[2]
    good = corrections.TaskChange(task_id=first.id, title="完善并公布政务服务事项清单",
                                  roles=(("示例市司法局", UnitRole.LEAD),))
    refused = corrections.TaskChange(task_id=second.id, status=TaskStatus.OPEN)  # it is not closed

    with pytest.raises(CorrectionError):
        corrections.apply_task_changes(engine, ADMIN, [good, refused], create_units=True, replan=replanner)
    assert (count(engine, Correction), count(engine, Unit)) == (0, 0)
    assert tasks_of(engine, document_id)[1].title == first.title

    closing = corrections.TaskChange(task_id=second.id, status=TaskStatus.DONE, due=date(2031, 8, 1))
    changed = corrections.apply_task_changes(engine, ADMIN, [good, closing], create_units=True, replan=replanner)
    assert changed == 4
    assert [e.field for e in audit_trail(engine)] == ["title", "unit_role", "due", "status"]
    assert tasks_of(engine, document_id)[2].status == TaskStatus.DONE
