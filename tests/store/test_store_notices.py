"""Extension notices in the outbox: queued with the request and the decision, one per recipient,
never cancelled by a planning run, read back with what the message says; and the digest's lists."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from scheduler.calendar import WorkingCalendar
from scheduler.policy import ReminderPolicy
from scheduler.service import replan_reminders
from store import digest, extensions, outbox
from store.db import session_scope
from store.models import Chat, ChatKind, Reminder, ReminderKind, TaskStatus, UnitRole
from tests.scheduler.outbox_builders import add_chat, add_document, add_task, add_unit

NOW = datetime(2031, 6, 2, 1, 30, tzinfo=UTC)  # Monday 09:30 in Shanghai
TODAY = date(2031, 6, 2)


def notices(engine):
    with session_scope(engine) as session:
        return [(r.kind.value, r.chat_id, r.task_id, r.extension_id, r.state.value) for r in session.execute(
            select(Reminder).where(Reminder.kind.in_(["ext_request", "ext_decision"])).order_by(Reminder.id)
        ).scalars()]


def test_the_request_and_the_decision_are_queued_with_them_and_survive_planning(engine):
    document = add_document(engine)
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, document, title="清理文件", due=date(2031, 6, 30), units=((unit, UnitRole.LEAD),))
    group = add_chat(engine, unit_id=unit)
    admins = [add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE) for _ in range(2)]
    gone = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    with session_scope(engine) as session:
        session.get(Chat, gone).active = False  # blocked the bot: nothing is queued there

    request = extensions.request_extension(engine, task, group, unit, 501, date(2031, 9, 30), "等审批", NOW,
                                           telegram_user_name="王")
    assert notices(engine) == [("ext_request", chat, None, request.id, "pending") for chat in admins]
    policy = ReminderPolicy()
    replan_reminders(engine, policy, WorkingCalendar.from_policy(policy), NOW, timedelta(days=14),
                     timedelta(days=2))
    assert [n[-1] for n in notices(engine)] == ["pending", "pending"]  # a plan never asks for them: kept

    extensions.decide_extension(engine, request.id, approve=True, decided_by=900001, now=NOW)
    assert notices(engine)[-1] == ("ext_decision", group, None, request.id, "pending")

    ids = [r.id for r in outbox_rows(engine)]
    details = {d.kind: d for d in outbox.delivery_details(engine, ids)}
    said = details[ReminderKind.EXT_REQUEST].extension
    assert (said.title, said.unit_name, said.requested_by, said.reason, said.state) == (
        "清理文件", "省司法厅", "王", "等审批", "approved")
    assert said.effective_due == said.proposed_due == date(2031, 9, 30)


def outbox_rows(engine):
    with session_scope(engine) as session:
        return list(session.execute(select(Reminder).where(Reminder.extension_id.is_not(None))).scalars())


def test_the_digest_lists_each_task_once_under_the_unit_that_must_act(engine):
    document = add_document(engine)
    lead, helper, asker = add_unit(engine, "甲局"), add_unit(engine, "乙局"), add_unit(engine, "丙局")
    late = add_task(engine, document, title="逾期", due=TODAY - timedelta(days=3),
                    units=((helper, UnitRole.COOPERATING), (lead, UnitRole.LEAD)))
    soon = add_task(engine, document, title="将到期", due=TODAY + timedelta(days=7), units=((helper, UnitRole.LEAD),))
    add_task(engine, document, title="远期", due=TODAY + timedelta(days=8), units=((helper, UnitRole.LEAD),))
    stuck = add_task(engine, document, title="有困难", due=TODAY + timedelta(days=60), units=((helper, UnitRole.LEAD),))
    asked = add_task(engine, document, title="申请延期", due=TODAY + timedelta(days=30),
                     units=((lead, UnitRole.LEAD), (asker, UnitRole.RESPONSIBLE)))
    outbox.set_task_status(engine, stuck, TaskStatus.BLOCKED, NOW)
    chat = add_chat(engine, unit_id=asker)
    extensions.request_extension(engine, asked, chat, asker, 501, TODAY + timedelta(days=90), "", NOW)

    listed = digest.admin_digest(engine, TODAY)
    by_unit = {u.unit_name: [t.task_id for t in u.tasks] for u in listed.units}
    assert by_unit == {"甲局": [late], "乙局": [soon, stuck], "丙局": [asked]}
    assert [u.unit_name for u in listed.units][0] == "甲局"  # the unit with overdue work first
    assert (listed.overdue, listed.due_soon, listed.blocked, listed.extensions) == (1, 1, 1, 1)
    (waiting,) = [u for u in listed.units if u.unit_name == "丙局"][0].tasks
    assert waiting.proposed_due == TODAY + timedelta(days=90) and not waiting.overdue
