"""Nagging with an end, as use cases: stop or resume a task's overdue notices, and bring a freshly
imported plan in as history when it is one. Each validates, writes in one transaction with its
audit row (store.nagging), and re-plans; the CLI and the bot only parse and render.
"""
from __future__ import annotations

from datetime import date, datetime

from scheduler.planner import comes_in_as_history
from scheduler.policy import ReminderPolicy
from store import nagging
from store.nagging import QuietChange, Replanner, TaskClosed, UnknownTask

__all__ = ["QuietChange", "TaskClosed", "UnknownTask", "quiet_overdue_notices", "resume_overdue_notices",
           "settle_imported_plan"]


def quiet_overdue_notices(engine, task_id: int, *, today: date, by: str, now: datetime,
                          replan: Replanner | None = None) -> QuietChange:
    """Stop the task's overdue notices (and escalations): for its current due date, or today if that
    is earlier. A later milestone falling due still gets its own; closing the task ends the quiet.

    Raises UnknownTask, or TaskClosed for a done or cancelled task.
    """
    def through(due: date | None) -> date:
        return today if due is None or due < today else due

    return nagging.set_overdue_quiet(engine, task_id, through, by=by, now=now, replan=replan)


def resume_overdue_notices(engine, task_id: int, *, by: str, now: datetime,
                           replan: Replanner | None = None) -> QuietChange:
    """Undo quiet_overdue_notices: the task is nagged again at the pace its overdue time has reached."""
    return nagging.set_overdue_quiet(engine, task_id, lambda _due: None, by=by, now=now, replan=replan)



def settle_imported_plan(engine, outcome, *, import_day: date, current: bool, policy: ReminderPolicy,
                         by: str, now: datetime, replan: Replanner | None = None) -> bool:
    """After an import (`outcome`: store.ingest.IngestOutcome): a new plan whose period has ended (or
    whose tasks were all long overdue) comes in as history from import_day, unless the administrator
    asked for it as `current`. True when it came in as history."""
    # "unchanged" and "changed" (a new version reported, not applied) leave the stored plan as it
    # was decided when it came in.
    if not outcome.stored_document:
        return False
    document_id = outcome.document_id
    dates = nagging.plan_dates(engine, document_id)
    history = not current and comes_in_as_history(dates.period_end, dates.dues, import_day, policy)
    nagging.set_history_since(engine, document_id, import_day if history else None, by=by, now=now,
                              replan=replan)
    return history
