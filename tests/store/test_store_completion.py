"""Completion per unit on a real database: each unit reports its own share, the lead decides, the
office verifies or sends back, a closed task refuses old buttons; the reminders follow the shares."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from app.status import (
    NotAwaitingVerification,
    TaskClosed,
    reopen_task,
    record_status,
    send_back,
    verify_task,
)
from app import corrections
from extract.model import Recurrence as ExtractedRecurrence
from plan_builders import plan, sha, task
from scheduler.calendar import WorkingCalendar
from scheduler.model import ReminderKind
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import replan_in_transaction, replan_reminders
from store import chats, extensions, outbox
from store.db import alembic_config, session_scope, upgrade_database
from store.ingest import ingest_plan
from store.models import Correction, Reminder, ReminderState, StatusReport, Task, TaskPeriod, TaskStatus, TaskUnit
from store.reports import enqueue_poll_now, open_tasks_of_unit, task_detail

NOW = datetime(2031, 6, 2, 1, 30, tzinfo=UTC)  # a Monday morning in Shanghai
DUE = date(2031, 6, 30)
POLICY = DEFAULT_POLICY
CALENDAR = WorkingCalendar.from_policy(POLICY)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=60)
LEAD, HELPER_A, HELPER_B = "示例市司法局", "示例市财政局", "示例市人社局"


def replan(conn, task_ids):
    return replan_in_transaction(conn, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON, task_ids)


def bind(engine, name, chat_id):
    invite = chats.create_invite(engine, name, timedelta(hours=1), NOW)
    return chats.redeem_invite(engine, invite.code, chat_id, "group", name, "zh-CN", NOW)


@pytest.fixture
def world(engine):
    """A task led by one unit with two cooperating units, each unit's chat bound, an administrators' chat."""
    ingest_plan(engine, plan([task(1, "建立行政复议听证制度", lead=(LEAD,), cooperating=(HELPER_A, HELPER_B),
                                    due=(("6月底前", DUE),))]), sha("completion"))
    lead, helper_a, helper_b = bind(engine, LEAD, -1001), bind(engine, HELPER_A, -1002), bind(engine, HELPER_B, -1003)
    admins = chats.bind_admin_chat(engine, -9001, "group", "督查室", "zh-CN", NOW)
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id)).one()
    return dict(task=task_id, lead=lead, a=helper_a, b=helper_b, admins=admins)


def report(engine, world, who, status, *, at=NOW, verify_done=False, note=""):
    chat = world[who]
    return record_status(engine, world["task"], chat.id, chat.unit_id, 500, status, at, note, replan=replan,
                         verify_done=verify_done)


def status_of(engine, task_id):
    with session_scope(engine) as session:
        return session.get(Task, task_id).status


def shares_of(engine, task_id):
    with session_scope(engine) as session:
        return {unit_id: status for unit_id, status in session.exec(
            select(TaskUnit.unit_id, TaskUnit.status).where(TaskUnit.task_id == task_id))}


def pending_by_chat(engine, task_id):
    with session_scope(engine) as session:
        found = {}
        for chat_id, kind in session.exec(select(Reminder.chat_id, Reminder.kind).where(
                Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING)):
            found.setdefault(chat_id, set()).add(ReminderKind(kind))
        return found


def test_a_cooperating_units_done_is_recorded_but_does_not_close_the_task(engine, world):
    recorded = report(engine, world, "a", TaskStatus.DONE)

    assert recorded.share_status is TaskStatus.DONE
    assert recorded.card.status is TaskStatus.IN_PROGRESS
    assert status_of(engine, world["task"]) is TaskStatus.IN_PROGRESS
    assert shares_of(engine, world["task"])[world["a"].unit_id] is TaskStatus.DONE
    # Its reminders stop; the lead's and the other cooperating unit's stay.
    pending = pending_by_chat(engine, world["task"])
    assert world["a"].id not in pending
    assert world["lead"].id in pending and world["b"].id in pending
    # A re-plan does not bring them back, nor does an administrator's /remind, and its list leaves it out.
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert enqueue_poll_now(engine, world["task"], NOW + timedelta(minutes=5)) == 2
    assert world["a"].id not in pending_by_chat(engine, world["task"])
    assert open_tasks_of_unit(engine, world["a"].unit_id) == []
    assert [t.task_id for t in open_tasks_of_unit(engine, world["b"].unit_id)] == [world["task"]]


def test_the_leads_done_closes_the_task_without_verification(engine, world):
    report(engine, world, "a", TaskStatus.DONE)
    recorded = report(engine, world, "lead", TaskStatus.DONE, at=NOW + timedelta(hours=1))

    assert recorded.card.status is TaskStatus.DONE and not recorded.awaiting_verification
    assert status_of(engine, world["task"]) is TaskStatus.DONE
    assert pending_by_chat(engine, world["task"]) == {}  # everyone's reminders stop, B's included


def test_with_verification_the_leads_done_awaits_the_office_and_verify_closes_it(engine, world):
    recorded = report(engine, world, "lead", TaskStatus.DONE, verify_done=True, note="已印发")

    assert recorded.awaiting_verification
    assert status_of(engine, world["task"]) is TaskStatus.AWAITING_VERIFICATION
    # The units hear no more; the administrators' chat gets the request, naming the report.
    assert pending_by_chat(engine, world["task"]) == {world["admins"].id: {ReminderKind.VERIFY_REQUEST}}
    with session_scope(engine) as session:
        request = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.VERIFY_REQUEST)).one()
    [details] = outbox.delivery_details(engine, [request.id])
    assert (details.report_note, details.unit_id) == ("已印发", world["lead"].unit_id)
    # A re-plan keeps it (the planner never asked for it) and plans nothing for the units.
    replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON)
    assert pending_by_chat(engine, world["task"]) == {world["admins"].id: {ReminderKind.VERIFY_REQUEST}}

    decision = verify_task(engine, world["task"], world["admins"].id, 900001, NOW + timedelta(hours=2),
                           user_name="督查室 张")
    assert decision.status is TaskStatus.DONE
    with session_scope(engine) as session:
        stored = session.get(Task, world["task"])
        assert (stored.verified_by, stored.verified_at) == (900001, NOW + timedelta(hours=2))
        office = session.exec(select(StatusReport).where(StatusReport.unit_id.is_(None))).one()
        assert (office.status, office.telegram_user_id) == (TaskStatus.DONE, 900001)
    assert pending_by_chat(engine, world["task"]) == {}
    with pytest.raises(NotAwaitingVerification):  # a second 销号 (another administrator, an old button)
        verify_task(engine, world["task"], world["admins"].id, 900002, NOW + timedelta(hours=3))


def test_a_lead_taking_its_done_back_withdraws_the_verification_request(engine, world):
    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)
    report(engine, world, "lead", TaskStatus.BLOCKED, verify_done=True, at=NOW + timedelta(minutes=5))

    assert status_of(engine, world["task"]) is TaskStatus.BLOCKED
    assert ReminderKind.VERIFY_REQUEST not in pending_by_chat(engine, world["task"]).get(world["admins"].id, set())
    with pytest.raises(NotAwaitingVerification):
        verify_task(engine, world["task"], world["admins"].id, 900001, NOW + timedelta(hours=1))


def test_a_task_sent_back_goes_to_the_lead_with_the_reason(engine, world):
    report(engine, world, "a", TaskStatus.DONE, verify_done=True)
    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)

    decision = send_back(engine, world["task"], world["admins"].id, 900001, "  缺少听证规则文本 ", NOW, replan=replan)

    assert decision.status is TaskStatus.IN_PROGRESS and decision.units_told == 1
    shares = shares_of(engine, world["task"])
    assert shares[world["lead"].unit_id] is TaskStatus.IN_PROGRESS
    assert shares[world["a"].unit_id] is TaskStatus.DONE  # a cooperating unit's own answer stands
    pending = pending_by_chat(engine, world["task"])
    assert ReminderKind.SENT_BACK in pending[world["lead"].id]
    assert ReminderKind.VERIFY_REQUEST not in pending.get(world["admins"].id, set())  # the request is withdrawn
    assert world["a"].id not in pending
    with session_scope(engine) as session:
        notice = session.exec(select(Reminder).where(Reminder.kind == ReminderKind.SENT_BACK)).one()
    [details] = outbox.delivery_details(engine, [notice.id])
    assert details.report_note == "缺少听证规则文本"
    with pytest.raises(NotAwaitingVerification):
        send_back(engine, world["task"], world["admins"].id, 900001, "再退一次", NOW)
    with pytest.raises(ValueError):
        send_back(engine, world["task"], world["admins"].id, 900001, "  ", NOW)


def test_a_report_on_a_closed_task_is_refused_and_writes_nothing(engine, world):
    report(engine, world, "lead", TaskStatus.DONE)
    with session_scope(engine) as session:
        reports_before = len(session.exec(select(StatusReport)).all())

    for who, status in (("a", TaskStatus.IN_PROGRESS), ("lead", TaskStatus.BLOCKED), ("b", TaskStatus.DONE)):
        with pytest.raises(TaskClosed) as refused:
            report(engine, world, who, status, at=NOW + timedelta(days=1))
        assert refused.value.status is TaskStatus.DONE and refused.value.closed_at == NOW

    assert status_of(engine, world["task"]) is TaskStatus.DONE
    with session_scope(engine) as session:
        assert len(session.exec(select(StatusReport)).all()) == reports_before


def test_reopening_a_done_task_gives_every_unit_its_reminders_back(engine, world):
    report(engine, world, "a", TaskStatus.DONE)
    report(engine, world, "lead", TaskStatus.DONE)

    decision = reopen_task(engine, world["task"], world["admins"].id, 900001, NOW, replan=replan)

    assert decision.status is TaskStatus.IN_PROGRESS
    assert set(shares_of(engine, world["task"]).values()) == {TaskStatus.IN_PROGRESS, TaskStatus.OPEN}
    assert {world["lead"].id, world["a"].id, world["b"].id} <= set(pending_by_chat(engine, world["task"]))


def test_a_blocked_cooperating_unit_shows_on_the_task_until_the_lead_is_done(engine, world):
    report(engine, world, "b", TaskStatus.BLOCKED)
    assert status_of(engine, world["task"]) is TaskStatus.BLOCKED
    report(engine, world, "lead", TaskStatus.DONE)
    assert status_of(engine, world["task"]) is TaskStatus.DONE


def test_a_reimport_keeps_each_units_share(engine, world):
    report(engine, world, "a", TaskStatus.DONE)
    ingest_plan(engine, plan([task(1, "建立行政复议听证制度", lead=(LEAD,), cooperating=(HELPER_A, HELPER_B),
                                    due=(("6月底前", DUE),), body="改过的正文。")]), sha("completion v2"),
                on_change="replace")
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id).where(Task.status != TaskStatus.CANCELLED)).one()
    assert shares_of(engine, task_id)[world["a"].unit_id] is TaskStatus.DONE
    assert shares_of(engine, task_id)[world["lead"].unit_id] is TaskStatus.OPEN


def downgrade(engine, revision):
    config = alembic_config()
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # batch mode rebuilds tables: no cascades while it does
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.downgrade(config, revision)


def test_migration_0014_gives_each_share_its_units_last_report(engine):
    downgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO document (id, language, source_name, content_sha256, imported_at) "
                             "VALUES (1, 'zh', 'p.txt', 'x', :now)"), {"now": NOW})
        for unit_id in (1, 2, 3):
            conn.execute(sa.text("INSERT INTO unit (id, name, key, kind) VALUES (:i, :n, :n, 'single')"),
                         {"i": unit_id, "n": f"单位{unit_id}"})
        for task_id, status in ((1, "done"), (2, "in_progress")):
            conn.execute(sa.text("INSERT INTO task (id, document_id, seq, label, title, body, status, "
                                 "status_changed_at) VALUES (:t, 1, :t, :l, '任务', '', :s, :now)"),
                         {"t": task_id, "l": str(task_id), "s": status, "now": NOW})
            for unit_id, role in ((1, "lead"), (2, "cooperating"), (3, "cooperating")):
                conn.execute(sa.text("INSERT INTO task_unit (task_id, unit_id, role) VALUES (:t, :u, :r)"),
                             {"t": task_id, "u": unit_id, "r": role})
        for task_id, unit_id, status, hours in ((2, 1, "blocked", 1), (2, 1, "in_progress", 2), (2, 2, "done", 3),
                                                (1, 1, "done", 4)):
            conn.execute(sa.text("INSERT INTO status_report (task_id, unit_id, status, note, reported_at) "
                                 "VALUES (:t, :u, :s, '', :at)"),
                         {"t": task_id, "u": unit_id, "s": status, "at": NOW + timedelta(hours=hours)})
    engine.dispose()
    upgrade_database(engine)

    with session_scope(engine) as session:
        shares = {(t, u): (s, at) for t, u, s, at in session.exec(
            select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.status, TaskUnit.reported_at))}
    assert shares[(2, 1)] == (TaskStatus.IN_PROGRESS, NOW + timedelta(hours=2))  # its last word
    assert shares[(2, 2)] == (TaskStatus.IN_PROGRESS, NOW + timedelta(hours=3))  # done on a task still open: a milestone
    assert shares[(2, 3)] == (TaskStatus.OPEN, None)
    assert shares[(1, 1)] == (TaskStatus.DONE, NOW + timedelta(hours=4))
    assert shares[(1, 3)] == (TaskStatus.DONE, NOW)  # a done task: every share done, as of its closing


def test_two_leads_reporting_done_at_the_same_moment_close_the_task(engine, database_backend):
    if database_backend != "postgresql":
        pytest.skip("concurrent writers are what PostgreSQL is for; SQLite has one writer at a time")
    import threading

    ingest_plan(engine, plan([task(1, "联合制定办法", lead=(LEAD, HELPER_A))]), sha("two leads"))
    first, second = bind(engine, LEAD, -2001), bind(engine, HELPER_A, -2002)
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id)).one()
    start = threading.Barrier(2)
    errors = []

    def lead_says_done(chat):
        start.wait()
        try:
            record_status(engine, task_id, chat.id, chat.unit_id, 500, TaskStatus.DONE, NOW)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=lead_says_done, args=(chat,)) for chat in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert status_of(engine, task_id) is TaskStatus.DONE


def yearly_report_plan(body=""):
    yearly = task(1, "每年12月底前报送法治政府建设年度报告", lead=(LEAD,), due=(("每年12月底前", date(2031, 12, 31)),),
                  body=body)
    yearly.recurrences.append(ExtractedRecurrence(phrase="每年", freq="yearly", quote="每年12月底前报送"))
    return plan([yearly], period_end=date(2033, 12, 31))


def test_a_yearly_duty_is_one_instance_per_year_each_reported_on_its_own(engine):
    ingest_plan(engine, yearly_report_plan(), sha("yearly"))
    chat = bind(engine, LEAD, -3001)
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id)).one()

    def done(at):
        return record_status(engine, task_id, chat.id, chat.unit_id, 500, TaskStatus.DONE, at, replan=replan)

    first = done(NOW)
    assert (first.milestone.due, first.milestone.next_due) == (date(2031, 12, 31), date(2032, 12, 31))
    assert (first.card.status, first.card.effective_due) == (TaskStatus.IN_PROGRESS, date(2032, 12, 31))
    assert first.share_status is TaskStatus.IN_PROGRESS  # next year's report is the lead's again
    # A new reading of the same plan keeps the task at the next year's report.
    ingest_plan(engine, yearly_report_plan(body="改过的正文。"), sha("yearly v2"), on_change="replace")
    with session_scope(engine) as session:
        assert session.get(Task, task_id).effective_due == date(2032, 12, 31)

    second = done(NOW + timedelta(days=400))
    assert second.card.effective_due == date(2033, 12, 31)
    last = done(NOW + timedelta(days=800))  # the plan's last year: its report closes the duty
    assert last.milestone is None and last.card.status is TaskStatus.DONE
    with session_scope(engine) as session:
        assert sorted(session.exec(select(TaskPeriod.due).where(TaskPeriod.task_id == task_id))) == [
            date(2031, 12, 31), date(2032, 12, 31), date(2033, 12, 31)]
    # The history says which year each report was for.
    assert [r.milestone for r in task_detail(engine, task_id).reports] == ["每年12月底前", "2032-12-31", "2033-12-31"]


def test_a_decided_extension_no_longer_holds_the_task_in_extension_requested(engine, world):
    report(engine, world, "lead", TaskStatus.EXTENSION_REQUESTED)
    request = extensions.request_extension(engine, world["task"], world["lead"].id, world["lead"].unit_id, 500,
                                           date(2031, 7, 31), "等待审批", NOW)
    extensions.decide_extension(engine, request.id, False, 900001, NOW + timedelta(hours=1))

    assert shares_of(engine, world["task"])[world["lead"].unit_id] is TaskStatus.IN_PROGRESS
    report(engine, world, "a", TaskStatus.IN_PROGRESS, at=NOW + timedelta(hours=2))
    assert status_of(engine, world["task"]) is TaskStatus.IN_PROGRESS


# --- with main's nagging, corrections, unit directory and versions ------------------------------


def quiet_through(engine, task_id):
    with session_scope(engine) as session:
        return session.get(Task, task_id).overdue_quiet_through


def make_quiet(engine, task_id, through):
    with session_scope(engine) as session:
        session.get(Task, task_id).overdue_quiet_through = through


def test_closing_by_the_shares_or_by_verification_ends_an_administrators_quiet(engine, world):
    # store.outbox.apply_task_status clears the quiet when a task closes; completion's closing
    # paths (the last deciding done, the office's 销号) must go through it, so a reopened task is nagged again.
    make_quiet(engine, world["task"], DUE)
    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)
    assert quiet_through(engine, world["task"]) == DUE  # awaiting 销号 is not closed yet
    verify_task(engine, world["task"], world["admins"].id, 900001, NOW + timedelta(hours=1))
    assert quiet_through(engine, world["task"]) is None

    reopen_task(engine, world["task"], world["admins"].id, 900001, NOW + timedelta(hours=2))
    make_quiet(engine, world["task"], DUE)
    report(engine, world, "lead", TaskStatus.DONE, at=NOW + timedelta(hours=3))
    assert status_of(engine, world["task"]) is TaskStatus.DONE
    assert quiet_through(engine, world["task"]) is None


def test_a_corrections_reopen_follows_the_share_rules(engine, world):
    from app import corrections
    from store.corrections import Actor as CorrectionActor
    from store.models import Correction

    report(engine, world, "a", TaskStatus.DONE)
    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)
    verify_task(engine, world["task"], world["admins"].id, 900001, NOW + timedelta(hours=1))

    corrections.reopen_task(engine, CorrectionActor("cli", "admin"), world["task"], replan=replan,
                            now=NOW + timedelta(hours=2))

    # Not "open" with done shares, which the next report would close again at once: the done
    # shares are in progress, the 销号 is forgotten, and the status is derived from the shares.
    assert status_of(engine, world["task"]) is TaskStatus.IN_PROGRESS
    assert TaskStatus.DONE not in shares_of(engine, world["task"]).values()
    with session_scope(engine) as session:
        assert session.get(Task, world["task"]).verified_at is None
        assert session.exec(select(Correction.new_value).where(Correction.task_id == world["task"])).one() \
            == "in_progress"
    assert {world["lead"].id, world["a"].id, world["b"].id} <= set(pending_by_chat(engine, world["task"]))


def test_a_corrections_close_of_a_task_awaiting_verification_withdraws_the_request(engine, world):
    from app import corrections
    from store.corrections import Actor as CorrectionActor

    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)
    corrections.close_task(engine, CorrectionActor("cli", "admin"), world["task"], replan=replan)
    assert status_of(engine, world["task"]) is TaskStatus.DONE
    assert pending_by_chat(engine, world["task"]) == {}
    with pytest.raises(TaskClosed):
        report(engine, world, "a", TaskStatus.IN_PROGRESS)


def test_a_reimport_that_changes_a_units_role_keeps_its_share(engine, world):
    report(engine, world, "a", TaskStatus.DONE)
    ingest_plan(engine, plan([task(1, "建立行政复议听证制度", lead=(LEAD, HELPER_A), cooperating=(HELPER_B,),
                                    due=(("6月底前", DUE),))]), sha("completion v2, A leads too"),
                on_change="replace")
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id).where(Task.status != TaskStatus.CANCELLED)).one()
    assert task_id == world["task"]  # the kept task keeps its id (store.task_matching)
    assert shares_of(engine, task_id)[world["a"].unit_id] is TaskStatus.DONE
    # A now decides with the lead: the lead's done closes the task.
    report(engine, world, "lead", TaskStatus.DONE)
    assert status_of(engine, task_id) is TaskStatus.DONE


def audit_and_history(engine, task_id):
    """(field, old, new, source) of the correction rows; (status, user id, user name) of the office's reports."""
    with session_scope(engine) as session:
        audit = [(c.field, c.old_value, c.new_value, c.source) for c in session.exec(
            select(Correction).where(Correction.task_id == task_id).order_by(Correction.id))]
        history = [(r.status, r.telegram_user_id, r.telegram_user_name) for r in session.exec(
            select(StatusReport).where(StatusReport.task_id == task_id, StatusReport.unit_id.is_(None))
            .order_by(StatusReport.id))]
    return audit, history


def test_a_reopen_button_and_a_reopen_command_leave_the_same_two_trails(engine, world):
    report(engine, world, "lead", TaskStatus.DONE)
    reopen_task(engine, world["task"], world["admins"].id, 900001, NOW, user_name="督查室 张", replan=replan)
    audit, history = audit_and_history(engine, world["task"])
    assert audit == [("status", "done", "in_progress", "chat")]
    assert history == [(TaskStatus.IN_PROGRESS, 900001, "督查室 张")]

    corrections.close_task(engine, corrections.Actor.telegram(900002, "督查室 李"), world["task"], note="已核实",
                           replan=replan, now=NOW + timedelta(hours=1))
    corrections.reopen_task(engine, corrections.Actor("cli", "zhang"), world["task"], replan=replan,
                            now=NOW + timedelta(hours=2))
    audit, history = audit_and_history(engine, world["task"])
    assert [(old, new) for _, old, new, _ in audit[1:]] == [("in_progress", "done"), ("done", "in_progress")]
    assert history[1:] == [(TaskStatus.DONE, 900002, "督查室 李"), (TaskStatus.IN_PROGRESS, None, "zhang")]


def test_closing_a_task_awaiting_verification_by_command_is_its_verification(engine, world):
    report(engine, world, "lead", TaskStatus.DONE, verify_done=True)
    assert status_of(engine, world["task"]) is TaskStatus.AWAITING_VERIFICATION
    corrections.close_task(engine, corrections.Actor.telegram(900001, "督查室 张"), world["task"], replan=replan,
                           now=NOW + timedelta(hours=1))
    with session_scope(engine) as session:
        stored = session.get(Task, world["task"])
        assert (stored.status, stored.verified_by, stored.verified_at) == (
            TaskStatus.DONE, 900001, NOW + timedelta(hours=1))
    # The old 销号 button now says the task was verified, not merely closed.
    with pytest.raises(TaskClosed) as refused:
        report(engine, world, "lead", TaskStatus.IN_PROGRESS)
    assert refused.value.verified
