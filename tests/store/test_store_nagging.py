"""Nagging with an end, in the store: an administrator's quiet and a plan that comes in as history,
each written with its audit row and the re-planned outbox in one transaction."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app import reminders
from plan_builders import plan, sha, task
from scheduler.calendar import WorkingCalendar
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import replan_in_transaction, replan_reminders
from store import chats, nagging, outbox
from store.db import session_scope
from store.ingest import IngestOutcome, ingest_plan
from store.models import Reminder, ReminderKind, ReminderState, Task, TaskStatus

JUNE, DECEMBER = date(2031, 6, 30), date(2031, 12, 31)
# Mid-August in Shanghai: the June milestone has been overdue for six weeks.
NOW = datetime(2031, 8, 12, 1, 30, tzinfo=UTC)
TODAY = date(2031, 8, 12)
POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
CALENDAR = WorkingCalendar.from_policy(POLICY)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=150)
UNIT = "示例市数据局"


def overdue_task(engine, *, due=(("6月底前", JUNE), ("年底前", DECEMBER))):
    """A task overdue on its June milestone, a chat bound to its unit, reminders planned: (task id, chat)."""
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,), due=due)]), sha("v1"))
    invite = chats.create_invite(engine, UNIT, timedelta(hours=1), NOW)
    chat = chats.redeem_invite(engine, invite.code, -7001, "group", "数据局", "zh-CN", NOW)
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    with session_scope(engine) as session:
        return session.exec(select(Task.id)).one(), chat


def replan(conn, task_ids):
    return replan_in_transaction(conn, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON, task_ids)


def pending(engine, kind: ReminderKind, due: date | None = None) -> int:
    with session_scope(engine) as session:
        rows = session.exec(select(Reminder).where(Reminder.state == ReminderState.PENDING,
                                                   Reminder.kind == kind)).all()
        return sum(1 for r in rows if due is None or r.due_date == due)


def audit(engine) -> list[tuple]:
    from store.nagging import nagging_changes

    return [(c.changed_by, c.task_id, c.document_id, c.field, c.old_value, c.new_value)
            for c in nagging_changes(engine)]


def imported(document_id, kind="created"):
    return IngestOutcome(kind=kind, document_id=document_id, title="", task_count=1, new_unit_count=0,
                         deadline_count=1, message="")


def quiet(engine, task_id, hook=replan):
    return reminders.quiet_overdue_notices(engine, task_id, today=TODAY, by="cli:tester", now=NOW, replan=hook)


def test_quiet_cancels_the_pending_overdue_notices_and_writes_its_audit_row(engine):
    task_id, _chat = overdue_task(engine)
    assert pending(engine, ReminderKind.OVERDUE, JUNE) > 0

    change = quiet(engine, task_id)

    assert change.changed and change.after == TODAY
    assert pending(engine, ReminderKind.OVERDUE, JUNE) == 0
    # The December milestone is not covered: its before-due reminders stay.
    assert pending(engine, ReminderKind.REMINDER, DECEMBER) > 0
    assert audit(engine) == [("cli:tester", task_id, None, "overdue_quiet_through", None, "2031-08-12")]


def test_undo_brings_the_overdue_notices_back(engine):
    task_id, _chat = overdue_task(engine)
    before = pending(engine, ReminderKind.OVERDUE, JUNE)
    quiet(engine, task_id)

    change = reminders.resume_overdue_notices(engine, task_id, by="telegram:9", now=NOW, replan=replan)

    assert change.changed and change.after is None
    assert pending(engine, ReminderKind.OVERDUE, JUNE) == before
    assert [row[3:] for row in audit(engine)] == [("overdue_quiet_through", None, "2031-08-12"),
                                                 ("overdue_quiet_through", "2031-08-12", None)]


def test_quiet_twice_and_undo_of_a_loud_task_write_nothing(engine):
    task_id, _chat = overdue_task(engine)
    assert not reminders.resume_overdue_notices(engine, task_id, by="cli", now=NOW, replan=replan).changed
    quiet(engine, task_id)
    assert not quiet(engine, task_id).changed
    assert len(audit(engine)) == 1


def test_a_failing_replan_leaves_the_task_loud_and_no_audit_row(engine):
    task_id, _chat = overdue_task(engine)

    def broken(conn, task_ids):
        replan(conn, task_ids)
        raise RuntimeError("planner failed")

    with pytest.raises(RuntimeError):
        quiet(engine, task_id, hook=broken)
    assert audit(engine) == []
    assert pending(engine, ReminderKind.OVERDUE, JUNE) > 0
    assert outbox.tasks_to_plan(engine)[0].overdue_quiet_through is None


def test_closing_a_quiet_task_ends_the_quiet_so_reopened_it_is_nagged_again(engine):
    task_id, _chat = overdue_task(engine, due=(("6月底前", JUNE),))
    quiet(engine, task_id)
    assert pending(engine, ReminderKind.OVERDUE) == 0

    outbox.set_task_status(engine, task_id, TaskStatus.DONE, NOW)
    outbox.set_task_status(engine, task_id, TaskStatus.OPEN, NOW)
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)

    assert outbox.tasks_to_plan(engine)[0].overdue_quiet_through is None
    assert pending(engine, ReminderKind.OVERDUE) > 0


def test_quiet_refuses_an_unknown_or_closed_task_and_writes_nothing(engine):
    task_id, _chat = overdue_task(engine)
    with pytest.raises(reminders.UnknownTask):
        quiet(engine, task_id + 100)
    outbox.set_task_status(engine, task_id, TaskStatus.CANCELLED, NOW)
    with pytest.raises(reminders.TaskClosed):
        quiet(engine, task_id)
    assert audit(engine) == []


def test_a_quiet_task_keeps_its_quiet_across_a_reimport(engine):
    task_id, _chat = overdue_task(engine)
    quiet(engine, task_id)
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,),
                                   due=(("6月底前", JUNE), ("年底前", DECEMBER)), body="修订后的要求。")]),
                sha("v2"), on_change="replace")
    [planned] = outbox.tasks_to_plan(engine)
    assert planned.task_id == task_id and planned.overdue_quiet_through == TODAY


def test_a_finished_plan_comes_in_as_history_without_overdue_notices_or_polls(engine):
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,), due=(("6月底前", date(2017, 6, 30)),))],
                             period_end=date(2017, 12, 31)), sha("old"))
    invite = chats.create_invite(engine, UNIT, timedelta(hours=1), NOW)
    chats.redeem_invite(engine, invite.code, -7001, "group", "数据局", "zh-CN", NOW)
    [document_id] = {t.document_id for t in outbox.tasks_to_plan(engine)}

    history = reminders.settle_imported_plan(engine, imported(document_id), import_day=TODAY, current=False,
                                             policy=DEFAULT_POLICY, by="cli:tester", now=NOW, replan=replan)
    replan_reminders(engine, DEFAULT_POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)

    assert history
    [planned] = outbox.tasks_to_plan(engine)
    assert not planned.polls and planned.overdue_quiet_through == TODAY - timedelta(days=1)
    assert pending(engine, ReminderKind.OVERDUE) == pending(engine, ReminderKind.POLL) == 0
    assert [row[2:] for row in audit(engine)] == [(document_id, "history_since", None, "2031-08-12")]


def test_asked_for_as_current_a_finished_plan_is_nagged(engine):
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,), due=(("6月底前", date(2017, 6, 30)),))],
                             period_end=date(2017, 12, 31)), sha("old"))
    invite = chats.create_invite(engine, UNIT, timedelta(hours=1), NOW)
    chats.redeem_invite(engine, invite.code, -7001, "group", "数据局", "zh-CN", NOW)
    [document_id] = {t.document_id for t in outbox.tasks_to_plan(engine)}

    assert not reminders.settle_imported_plan(engine, imported(document_id), import_day=TODAY, current=True,
                                              policy=DEFAULT_POLICY, by="cli", now=NOW)
    replan_reminders(engine, DEFAULT_POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)

    assert pending(engine, ReminderKind.OVERDUE) > 0 and audit(engine) == []


def test_a_current_plan_stays_current(engine):
    task_id, _chat = overdue_task(engine)
    [document_id] = {t.document_id for t in outbox.tasks_to_plan(engine)}
    assert nagging.plan_dates(engine, document_id).dues == (JUNE, DECEMBER)
    assert not reminders.settle_imported_plan(engine, imported(document_id), import_day=TODAY, current=False,
                                              policy=DEFAULT_POLICY, by="cli", now=NOW)
    assert outbox.tasks_to_plan(engine)[0].polls


def test_importing_the_same_plan_again_leaves_its_standing_as_it_was_decided(engine):
    # Imported in 2031 while current; the same file again years later is "unchanged", not history.
    task_id, _chat = overdue_task(engine)
    [document_id] = {t.document_id for t in outbox.tasks_to_plan(engine)}
    assert not reminders.settle_imported_plan(engine, imported(document_id, "unchanged"), import_day=date(2040, 1, 1),
                                              current=False, policy=DEFAULT_POLICY, by="cli", now=NOW)
    assert outbox.tasks_to_plan(engine)[0].polls and audit(engine) == []
