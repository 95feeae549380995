"""`deadline-bot report`: an administrator records a unit's status through the same application
function the chat's buttons call (app.status.report_status), end to end on the test database."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from store.db import session_scope
from store.models import Reminder, ReminderState, StatusReport, Task, TaskStatus, UnitRole
from tests.scheduler.outbox_builders import add_chat
from tests.telegram.conftest import add_task, add_unit


def stored(engine, task_id):
    with session_scope(engine) as session:
        task = session.get(Task, task_id)
        reports = session.execute(select(StatusReport.unit_id, StatusReport.status, StatusReport.note,
                                         StatusReport.chat_id)).all()
        pending = session.execute(select(Reminder.id).where(Reminder.task_id == task_id,
                                                            Reminder.state == ReminderState.PENDING)).all()
        return task.status, [tuple(r) for r in reports], len(pending)


def test_report_records_the_units_status_and_replans(cli, engine):
    justice = add_unit(engine, "省司法厅")
    finance = add_unit(engine, "省财政厅")
    # Due soon, so the planner has reminders to cancel once the task is done.
    task = add_task(engine, title="完善行政复议案件审理机制",
                    units=((justice, UnitRole.LEAD), (finance, UnitRole.COOPERATING)), due=date.today() + timedelta(days=1), phrase=None)
    add_chat(engine, unit_id=justice)

    result = cli("report", str(task), "progress", "--unit", "省司法厅", "--note", "已完成初稿")
    assert result.exit_code == 0, result.output
    assert f"#{task}" in result.stdout and "省司法厅" in result.stdout and "推进中" in result.stdout
    status, reports, pending = stored(engine, task)
    assert (status, reports) == (TaskStatus.IN_PROGRESS, [(justice, TaskStatus.IN_PROGRESS, "已完成初稿", None)])
    assert pending > 0  # re-planned with the report: the unit's chat will hear of tomorrow's due date

    result = cli("report", str(task), "done", "--unit", "省司法厅")
    assert result.exit_code == 0, result.output
    status, reports, pending = stored(engine, task)
    assert status is TaskStatus.DONE and len(reports) == 2 and pending == 0


def test_report_refuses_a_unit_the_task_does_not_name_a_bad_word_and_an_unknown_unit(cli, engine):
    justice = add_unit(engine, "省司法厅")
    add_unit(engine, "省教育厅")
    task = add_task(engine, title="完善行政复议案件审理机制", units=((justice, UnitRole.LEAD),))

    refused = cli("report", str(task), "done", "--unit", "省教育厅")
    assert refused.exit_code == 2 and "省教育厅" in refused.stderr and len(refused.stderr.splitlines()) == 1
    bad_word = cli("report", str(task), "cancelled", "--unit", "省司法厅")
    assert bad_word.exit_code == 2 and "done、progress 或 blocked" in bad_word.stderr
    unknown = cli("report", str(task), "done", "--unit", "省交通厅")
    assert unknown.exit_code == 2
    no_task = cli("report", "999", "done", "--unit", "省司法厅")
    assert no_task.exit_code == 2 and "#999" in no_task.stderr
    assert stored(engine, task)[:2] == (TaskStatus.OPEN, [])
