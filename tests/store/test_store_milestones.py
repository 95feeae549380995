"""A task with several milestones: a done report meets one at a time, in one transaction with
the report and the re-planned reminders; a re-import keeps what was met."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from app.status import TaskClosed, record_status, reopen_task
from plan_builders import plan, sha, task
from scheduler.calendar import WorkingCalendar
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import replan_in_transaction, replan_reminders
from store import chats, extensions
from store.db import session_scope
from store.ingest import ingest_plan
from store.milestones import MilestoneMet
from store.models import Deadline, DueSource, Reminder, ReminderState, StatusReport, Task, TaskStatus
from store.reports import task_detail

JUNE, SEPTEMBER, DECEMBER = date(2031, 6, 30), date(2031, 9, 30), date(2031, 12, 31)
# Early June in Shanghai: the June milestone's 7- and 1-day reminders and its due-day notice lie ahead.
NOW = datetime(2031, 6, 2, 1, 30, tzinfo=UTC)
POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
CALENDAR = WorkingCalendar.from_policy(POLICY)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=240)  # far enough to hold December's rows too
UNIT = "示例市数据局"


def two_milestones(engine, *, due=(("6月底前", JUNE), ("年底前", DECEMBER)), content="v1"):
    """The unit's task with these milestones, a chat bound to the unit, reminders planned: (task id, chat)."""
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,), due=due)]), sha(content))
    invite = chats.create_invite(engine, UNIT, timedelta(hours=1), NOW)
    chat = chats.redeem_invite(engine, invite.code, -7001, "group", "数据局", "zh-CN", NOW)
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    with session_scope(engine) as session:
        return session.exec(select(Task.id)).one(), chat


def replan(conn, task_ids):
    return replan_in_transaction(conn, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON, task_ids)


def done(engine, task_id, chat, *, at=NOW, hook=replan):
    return record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.DONE, at, replan=hook)


def task_state(engine, task_id):
    with session_scope(engine) as session:
        stored = session.get(Task, task_id)
        return stored.status, stored.effective_due, stored.due_source


def met(engine) -> dict[str, datetime | None]:
    with session_scope(engine) as session:
        return {d.phrase: d.met_at for d in session.exec(select(Deadline).order_by(Deadline.id))}


def pending_dues(engine) -> dict[date, int]:
    """Pending reminders about tasks' milestones (not the notices about an extension request), by due date."""
    counts: dict[date, int] = {}
    with session_scope(engine) as session:
        for reminder in session.exec(select(Reminder).where(Reminder.state == ReminderState.PENDING,
                                                            Reminder.task_id.is_not(None))):
            counts[reminder.due_date] = counts.get(reminder.due_date, 0) + 1
    return counts


def test_done_on_the_first_of_two_milestones_moves_the_due_date_and_replans(engine):
    task_id, chat = two_milestones(engine)
    before = pending_dues(engine)
    assert before[JUNE] > 0 and before[DECEMBER] > 0

    recorded = done(engine, task_id, chat)

    assert recorded.milestone == MilestoneMet("6月底前", JUNE, "年底前", DECEMBER)
    assert task_state(engine, task_id) == (TaskStatus.IN_PROGRESS, DECEMBER, DueSource.EXPLICIT)
    assert recorded.card.status is TaskStatus.IN_PROGRESS and recorded.card.deadline_phrase == "年底前"
    assert met(engine) == {"6月底前": NOW, "年底前": None}
    # The June rows are cancelled as met, the December ones stay as planned.
    assert pending_dues(engine) == {DECEMBER: before[DECEMBER]}
    with session_scope(engine) as session:
        reasons = {r.last_error for r in session.exec(select(Reminder).where(Reminder.due_date == JUNE))}
        assert reasons == {chats.MILESTONE_MET}
        assert session.exec(select(StatusReport.status)).all() == [TaskStatus.DONE]


def test_the_replan_in_the_reports_transaction_plans_the_next_milestone(engine):
    # Planned before the December milestone came within reach: only the done report's re-plan adds it.
    ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,),
                                   due=(("6月底前", JUNE), ("年底前", DECEMBER)))]), sha("v1"))
    invite = chats.create_invite(engine, UNIT, timedelta(hours=1), NOW)
    chat = chats.redeem_invite(engine, invite.code, -7001, "group", "数据局", "zh-CN", NOW)
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, timedelta(days=60))
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id)).one()
    assert set(pending_dues(engine)) == {JUNE}

    done(engine, task_id, chat)

    assert set(pending_dues(engine)) == {DECEMBER}


def test_a_failure_mid_way_leaves_nothing_half_written(engine):
    task_id, chat = two_milestones(engine)
    before = pending_dues(engine)

    def broken_replan(conn, task_ids):
        replan(conn, task_ids)  # the outbox is rewritten first, then the failure comes
        raise RuntimeError("planner failed")

    with pytest.raises(RuntimeError):
        done(engine, task_id, chat, hook=broken_replan)

    assert task_state(engine, task_id) == (TaskStatus.OPEN, JUNE, DueSource.EXPLICIT)
    assert met(engine) == {"6月底前": None, "年底前": None}
    assert pending_dues(engine) == before
    with session_scope(engine) as session:
        assert session.exec(select(StatusReport)).all() == []


def test_done_on_the_last_open_milestone_closes_the_task(engine):
    task_id, chat = two_milestones(engine)
    done(engine, task_id, chat)
    later = NOW + timedelta(days=1)

    recorded = done(engine, task_id, chat, at=later)

    assert recorded.milestone is None
    assert task_state(engine, task_id)[0] is TaskStatus.DONE
    assert met(engine) == {"6月底前": NOW, "年底前": later}
    assert pending_dues(engine) == {}


def test_reopening_leaves_met_milestones_met_and_done_again_does_not_reopen(engine):
    task_id, chat = two_milestones(engine)
    done(engine, task_id, chat)
    done(engine, task_id, chat)
    closed_met = met(engine)

    with pytest.raises(TaskClosed):  # ✅ pressed again on an old message: the task stays done
        done(engine, task_id, chat)
    with pytest.raises(TaskClosed):  # and an old 🔄 does not reopen it either
        record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.IN_PROGRESS, NOW, replan=replan)
    assert task_state(engine, task_id)[0] is TaskStatus.DONE

    reopen_task(engine, task_id, None, 900001, NOW, replan=replan)  # an administrator's decision
    assert task_state(engine, task_id)[0] is TaskStatus.IN_PROGRESS
    assert met(engine) == closed_met


def test_three_milestones_are_met_one_at_a_time(engine):
    task_id, chat = two_milestones(engine, due=(("6月底前", JUNE), ("9月底前", SEPTEMBER), ("年底前", DECEMBER)))

    first = done(engine, task_id, chat).milestone
    second = done(engine, task_id, chat, at=NOW + timedelta(hours=1)).milestone

    assert (first.due, first.next_due, second.due, second.next_due) == (JUNE, SEPTEMBER, SEPTEMBER, DECEMBER)
    assert task_state(engine, task_id) == (TaskStatus.IN_PROGRESS, DECEMBER, DueSource.EXPLICIT)
    assert set(pending_dues(engine)) == {DECEMBER}
    detail = task_detail(engine, task_id)
    assert [(phrase, day, met_at is not None) for phrase, day, met_at in detail.deadlines] == [
        ("6月底前", JUNE, True), ("9月底前", SEPTEMBER, True), ("年底前", DECEMBER, False)]
    assert [r.milestone for r in detail.reports] == ["6月底前", "9月底前"]  # the history says what each met


def test_an_administrators_date_stands_in_for_the_milestone_it_extended(engine):
    task_id, chat = two_milestones(engine)
    with session_scope(engine) as session:  # an approved extension of the June milestone
        stored = session.get(Task, task_id)
        stored.effective_due, stored.due_source = date(2031, 7, 31), DueSource.ADMIN
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert set(pending_dues(engine)) >= {date(2031, 7, 31), DECEMBER}

    recorded = done(engine, task_id, chat)

    assert (recorded.milestone.due, recorded.milestone.next_due) == (JUNE, DECEMBER)
    assert task_state(engine, task_id) == (TaskStatus.IN_PROGRESS, DECEMBER, DueSource.EXPLICIT)
    assert set(pending_dues(engine)) == {DECEMBER}


def test_a_reimport_keeps_met_milestones_printed_the_same_way(engine):
    task_id, chat = two_milestones(engine, due=(("6月底前", JUNE), ("9月底前", SEPTEMBER), ("年底前", DECEMBER)))
    done(engine, task_id, chat)
    done(engine, task_id, chat)

    # The new version keeps June, moves September's words, and keeps December.
    new_due = (("6月底前", JUNE), ("9月中旬前", date(2031, 9, 20)), ("年底前", DECEMBER))
    outcome = ingest_plan(engine, plan([task(1, "建设数据共享平台", lead=(UNIT,), due=new_due)]), sha("v2"),
                          on_change="replace")

    assert outcome.kept_task_count == 1
    assert met(engine) == {"6月底前": NOW, "9月中旬前": None, "年底前": None}
    assert task_state(engine, task_id) == (TaskStatus.IN_PROGRESS, date(2031, 9, 20), DueSource.EXPLICIT)


def test_an_approved_extension_moves_the_current_milestone_and_keeps_the_later_ones_reminders(engine):
    task_id, chat = two_milestones(engine)
    december_rows = pending_dues(engine)[DECEMBER]
    request = extensions.request_extension(engine, task_id, chat.id, chat.unit_id, 501, date(2031, 7, 31), "", NOW)

    extensions.decide_extension(engine, request.id, approve=True, decided_by=900001, now=NOW)

    assert pending_dues(engine) == {DECEMBER: december_rows}
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert set(pending_dues(engine)) == {date(2031, 7, 31), DECEMBER}


def test_done_on_a_message_drawn_for_a_milestone_met_since_writes_nothing(engine):
    task_id, chat = two_milestones(engine)
    record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.DONE, NOW, shown_due=JUNE)

    with pytest.raises(chats.MilestoneAlreadyMet):
        record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.DONE, NOW, shown_due=JUNE)

    assert task_state(engine, task_id) == (TaskStatus.IN_PROGRESS, DECEMBER, DueSource.EXPLICIT)
    assert met(engine)["年底前"] is None
    with session_scope(engine) as session:
        assert len(session.exec(select(StatusReport)).all()) == 1
    # Drawn for the current milestone, the same button closes the task.
    record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.DONE, NOW, shown_due=DECEMBER)
    assert task_state(engine, task_id)[0] is TaskStatus.DONE


def test_the_current_phrase_is_the_earliest_open_milestone_else_the_last_met_else_an_undated_one(engine):
    from extract.model import Deadline as ExtractedDeadline
    from store.milestones import current_phrases_in

    undated = task(2, "报送实施细则", lead=(UNIT,))
    undated.deadlines.append(ExtractedDeadline(phrase="印发后60日内", due=None, quote=""))
    task_id, chat = two_milestones(engine)
    ingest_plan(engine, plan([undated], title="另一个方案", doc_number="示政办发〔2031〕9号"), sha("other"))
    with session_scope(engine) as session:
        other_id = session.exec(select(Task.id).where(Task.title == "报送实施细则")).one()

    def phrases():
        with engine.connect() as conn:
            return current_phrases_in(conn, [task_id, other_id])

    assert phrases() == {task_id: "6月底前", other_id: "印发后60日内"}
    done(engine, task_id, chat)
    assert phrases()[task_id] == "年底前"
    done(engine, task_id, chat)
    assert phrases()[task_id] == "年底前"
