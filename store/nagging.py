"""The administrator's word on nagging, written with its audit row: a task's overdue notices
stopped or resumed, a plan brought in as history.

Each write runs in one transaction that also re-plans the task's reminders when given a
`replan` (store.chats.Replanner), so the quiet and the cancelled notices commit together.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, select, update

from store.errors import StoreError, UnknownDocument
from store.models import CLOSED_STATUSES, Correction, Deadline, Document, Task, TaskStatus

Replanner = Callable[[Connection, Sequence[int]], object]  # store.chats.Replanner


class UnknownTask(StoreError):
    def __init__(self, task_id: int) -> None:
        super().__init__(f"no task with id {task_id}")
        self.task_id = task_id


class TaskClosed(StoreError):
    """Quiet on a done or cancelled task: it gets no overdue notice anyway, and closing ends a quiet."""

    def __init__(self, task_id: int, status: TaskStatus) -> None:
        super().__init__(f"task {task_id} is {status.value}")
        self.task_id = task_id
        self.status = status


@dataclass(frozen=True)
class QuietChange:
    task_id: int
    label: str
    title: str
    before: date | None  # overdue_quiet_through before the change
    after: date | None  # and after it
    changed: bool  # False: it was already so, nothing was written


def set_overdue_quiet(engine: Engine, task_id: int, through_for: Callable[[date | None], date | None], *,
                      by: str, now: datetime, replan: Replanner | None = None) -> QuietChange:
    """Stop the task's overdue notices for every due date up to through_for(its effective due date)
    (None: resume them), with its audit row and the re-plan in one transaction. Raises UnknownTask,
    TaskClosed."""
    with engine.begin() as conn:
        row = conn.execute(select(Task.status, Task.label, Task.title, Task.overdue_quiet_through,
                                  Task.effective_due).where(Task.id == task_id)).first()
        if row is None:
            raise UnknownTask(task_id)
        status, label, title, before = TaskStatus(row[0]), row[1], row[2], row[3]
        through = through_for(row[4])
        if through is not None and status in CLOSED_STATUSES:
            raise TaskClosed(task_id, status)
        if (before is None) == (through is None) and (through is None or before >= through):
            return QuietChange(task_id, label, title, before, before, changed=False)
        conn.execute(update(Task).where(Task.id == task_id).values(overdue_quiet_through=through))
        conn.execute(Correction.__table__.insert().values(
            made_at=now, **_source_and_actor(by), task_id=task_id, field="overdue_quiet_through",
            old_value=_text(before), new_value=_text(through), note=""))
        if replan is not None:
            replan(conn, [task_id])
    return QuietChange(task_id, label, title, before, through, changed=True)


@dataclass(frozen=True)
class PlanDates:
    """What decides whether a plan comes in as history (scheduler.planner.comes_in_as_history)."""

    document_id: int
    period_end: date | None
    dues: tuple[date, ...]  # every open task's effective due date and open dated milestones
    history_since: date | None


def plan_dates(engine: Engine, document_id: int) -> PlanDates:
    """The document's period end and its open tasks' due dates; raises UnknownDocument."""
    with engine.connect() as conn:
        row = conn.execute(select(Document.period_end, Document.history_since)
                           .where(Document.id == document_id)).first()
        if row is None:
            raise UnknownDocument(document_id)
        open_tasks = select(Task.id).where(Task.document_id == document_id,
                                           Task.status.not_in([s.value for s in CLOSED_STATUSES]))
        dues = {d for (d,) in conn.execute(select(Task.effective_due).where(Task.id.in_(open_tasks)))
                if d is not None}
        dues |= {d for (d,) in conn.execute(select(Deadline.due).where(
            Deadline.task_id.in_(open_tasks), Deadline.due.is_not(None), Deadline.met_at.is_(None)))}
    return PlanDates(document_id, row[0], tuple(sorted(dues)), row[1])


def set_history_since(engine: Engine, document_id: int, since: date | None, *, by: str, now: datetime,
                      replan: Replanner | None = None) -> bool:
    """Mark the plan as history from `since` (None: a current plan), with its audit row and the
    re-plan of its tasks in one transaction; False when it was already so."""
    with engine.begin() as conn:
        row = conn.execute(select(Document.history_since).where(Document.id == document_id)).first()
        if row is None:
            raise UnknownDocument(document_id)
        if row[0] == since:
            return False
        conn.execute(update(Document).where(Document.id == document_id).values(history_since=since))
        conn.execute(Correction.__table__.insert().values(
            made_at=now, **_source_and_actor(by), document_id=document_id, field="history_since",
            old_value=_text(row[0]), new_value=_text(since), note=""))
        if replan is not None:
            task_ids = [t for (t,) in conn.execute(select(Task.id).where(Task.document_id == document_id))]
            replan(conn, task_ids)
    return True


@dataclass(frozen=True)
class NaggingEntry:
    changed_at: datetime
    changed_by: str
    task_id: int | None
    document_id: int | None
    field: str
    old_value: str | None
    new_value: str | None


NAGGING_FIELDS = ("overdue_quiet_through", "history_since")


def nagging_changes(engine: Engine, task_id: int | None = None) -> list[NaggingEntry]:
    """The nagging rows of the audit trail (the correction table), oldest first (of one task, if given)."""
    query = (select(Correction.made_at, Correction.source, Correction.actor, Correction.task_id,
                    Correction.document_id, Correction.field, Correction.old_value, Correction.new_value)
             .where(Correction.field.in_(NAGGING_FIELDS)).order_by(Correction.id))
    if task_id is not None:
        query = query.where(Correction.task_id == task_id)
    with engine.connect() as conn:
        return [NaggingEntry(made_at, _by(source, actor), task, document, field, old, new)
                for made_at, source, actor, task, document, field, old, new in conn.execute(query)]


# `by` as the interfaces give it ("cli:<login>", "telegram:<user id>") and the correction
# table's source ("cli" | "chat" | "sheet") and actor.
_SOURCE_OF_PREFIX = {"cli": "cli", "telegram": "chat"}
_PREFIX_OF_SOURCE = {source: prefix for prefix, source in _SOURCE_OF_PREFIX.items()}


def _source_and_actor(by: str) -> dict[str, str]:
    prefix, _, actor = by.partition(":")
    return {"source": _SOURCE_OF_PREFIX.get(prefix, prefix)[:16], "actor": (actor or by)[:200]}


def _by(source: str, actor: str) -> str:
    return f"{_PREFIX_OF_SOURCE.get(source, source)}:{actor}"


def _text(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
