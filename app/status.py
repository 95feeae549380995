"""Report a status: a unit's member says how its task stands (✅ / 🔄 / ⛔ / 📅, or /status ID WORD,
or `deadline-bot report` for a unit that phoned it in), and adds notes to what they said.

The rules in one place: only what REPORTABLE_STATUSES lists may be reported (cancelling is an
administrator's correction); only on a task that names the actor's unit; the report, the task's
new status, a met milestone and the re-planned reminders are written in one transaction
(store.chats.record_status, given the caller's `replan`).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from app.access import Actor, may_be_stored_id
from store import chats, queries, reports
from store.chats import MilestoneAlreadyMet, NotUnitsTask, RecordedReport, Replanner
from vocabulary import REPORTABLE_STATUSES, TaskStatus

__all__ = ["STATUS_WORDS", "MilestoneAlreadyMet", "NotReportable", "NotUnitsTask", "RecordedReport", "add_note",
           "report_status", "unit_named_on_task"]

# The words a status is typed with, in chat (/status ID WORD) and on the command line (report ID WORD);
# an extension is asked for with its date (app.extensions), not with a word.
STATUS_WORDS = {"done": TaskStatus.DONE, "progress": TaskStatus.IN_PROGRESS, "blocked": TaskStatus.BLOCKED}


class NotReportable(ValueError):
    """A status a unit cannot report (open, cancelled): an administrator's decision."""

    def __init__(self, status: str) -> None:
        super().__init__(f"a unit cannot report {status!r}")
        self.status = status


def report_status(engine: Engine, actor: Actor, task_id: int, status: TaskStatus | str, now: datetime, *,
                  note: str = "", shown_due: date | None = None, replan: Replanner | None = None) -> RecordedReport:
    """Record the actor's unit's status on the task, with its note; raises NotReportable,
    NotUnitsTask (not the unit's task, or no unit at all) or MilestoneAlreadyMet (✅ on a
    milestone met since `shown_due` was shown; nothing is written)."""
    if status not in {s.value for s in REPORTABLE_STATUSES}:
        raise NotReportable(str(status))
    if actor.unit_id is None or not may_be_stored_id(task_id):
        raise NotUnitsTask(task_id, actor.unit_id)
    return chats.record_status(engine, task_id, actor.chat_id, actor.unit_id, actor.user_id, TaskStatus(status), now,
                               note, telegram_user_name=actor.user_name, replan=replan, shown_due=shown_due)


def add_note(engine: Engine, actor: Actor, task_id: int, note: str, now: datetime) -> int | None:
    """A note on the task from the actor's chat, under the actor's name; the report's id, or None
    when the task is not the actor's unit's."""
    if actor.unit_id is None or actor.chat_id is None or not may_be_stored_id(task_id):
        return None
    return chats.attach_note(engine, actor.chat_id, actor.unit_id, task_id, note, now,
                             telegram_user_id=actor.user_id, telegram_user_name=actor.user_name)


def unit_named_on_task(engine: Engine, task_id: int, unit_name: str) -> int:
    """The id of the unit called `unit_name` (name or alias) that the task names, for an
    administrator reporting on a unit's behalf; raises UnknownUnit or NotUnitsTask."""
    named = set(queries.find_unit_ids(engine, unit_name))
    on_task = [unit_id for unit_id in reports.unit_ids_of_task(engine, task_id) if unit_id in named] \
        if may_be_stored_id(task_id) else []
    if not on_task:
        raise NotUnitsTask(task_id, min(named))
    return on_task[0]
