"""What the chat commands ask that store.queries does not answer yet: one unit's open tasks, a
task with its history, the rows the tallies count (app.progress counts them, with the
scheduler's traffic light), and an immediate poll.

Like the rest of store/, every function runs one short transaction and returns frozen dataclasses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, or_, select
from sqlmodel import Session

from store import outbox
from store.directory import answered_by_clause
from store.models import (
    CLOSED_STATUSES,
    Chat,
    Deadline,
    Document,
    StatusReport,
    Task,
    TaskPeriod,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitMember,
    UnitRole,
)
from store.queries import TaskDue, task_dues, task_rows_select
from vocabulary import ReminderKind
from vocabulary.planning import PlannedReminder

_OPEN = [s.value for s in TaskStatus if s not in CLOSED_STATUSES]


def open_tasks_of_unit(engine: Engine, unit_id: int) -> list[TaskDue]:
    """Open tasks of active documents that name the unit or a collective it belongs to, soonest
    due first (no due date last); a task whose share the unit reported done is no longer open for it."""
    with Session(engine) as session:
        rows = session.exec(
            task_rows_select()
            .where(
                Task.status.in_(_OPEN),
                Document.superseded_by_id.is_(None),
                Task.id.in_(select(TaskUnit.task_id).where(answered_by_clause(unit_id),
                                                           TaskUnit.status != TaskStatus.DONE)),
            )
            .order_by(Task.effective_due.is_(None), Task.effective_due, Task.document_id, Task.seq)
        ).all()
        return task_dues(session, rows)


def unit_name(engine: Engine, unit_id: int) -> str | None:
    with engine.connect() as conn:
        return conn.execute(select(Unit.name).where(Unit.id == unit_id)).scalar()


# --- one task, in full ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportEntry:
    """One StatusReport: who (unit, Telegram user), when, what, and the note."""

    unit_name: str | None
    telegram_user_id: int | None
    status: TaskStatus
    note: str
    reported_at: datetime
    telegram_user_name: str | None = None  # None in reports recorded before names were kept
    milestone: str | None = None  # a done report that met a milestone: its phrase as printed


@dataclass(frozen=True)
class TaskDetail:
    task_id: int
    label: str
    title: str
    status: TaskStatus
    document_title: str
    effective_due: date | None
    units: tuple[tuple[str, UnitRole], ...]  # lead units first
    # (phrase as printed, due date, when it was met or None), earliest first, undated last
    deadlines: tuple[tuple[str, date | None, datetime | None], ...]
    reports: tuple[ReportEntry, ...]  # oldest first
    # Each unit's own status on its share (TaskUnit.status), in the order of `units`.
    shares: tuple[tuple[str, TaskStatus], ...] = ()


def task_detail(engine: Engine, task_id: int, unit_id: int | None = None) -> TaskDetail | None:
    """The task with its units, deadlines and reports; None if there is no such task, or (with
    unit_id) if the task does not name that unit."""
    with Session(engine) as session:
        if unit_id is not None and session.exec(
            select(TaskUnit.id).where(TaskUnit.task_id == task_id, answered_by_clause(unit_id))
        ).first() is None:
            return None
        rows = session.exec(task_rows_select().where(Task.id == task_id)).all()
        if not rows:
            return None
        (due,) = task_dues(session, rows)
        deadlines = session.exec(
            select(Deadline.phrase, Deadline.due, Deadline.met_at).where(Deadline.task_id == task_id)
            # Undated milestones last, the same on SQLite and PostgreSQL (which order NULLs apart).
            .order_by(Deadline.due.is_(None), Deadline.due, Deadline.id)
        ).all()
        reports = session.exec(
            select(Unit.name, StatusReport.telegram_user_id, StatusReport.status, StatusReport.note,
                   StatusReport.reported_at, StatusReport.telegram_user_name, StatusReport.id)
            .outerjoin(Unit, Unit.id == StatusReport.unit_id)
            .where(StatusReport.task_id == task_id)
            .order_by(StatusReport.reported_at, StatusReport.id)
        ).all()
        share_rows = session.exec(
            select(Unit.name, TaskUnit.status).join(Unit, Unit.id == TaskUnit.unit_id)
            .where(TaskUnit.task_id == task_id).order_by(TaskUnit.id)
        ).all()
        share_of = {name: TaskStatus(status) for name, status in share_rows}
        # A done report that completed a period of a recurring duty: that period's due date.
        period_of = {report_id: due.isoformat() for report_id, due in session.exec(
            select(TaskPeriod.report_id, TaskPeriod.due).where(TaskPeriod.task_id == task_id))}
    # A done report met the milestones whose met_at is its instant (they are written together).
    met_by: dict[datetime, str] = {}
    for phrase, _, met_at in deadlines:
        if met_at is not None:
            met_by[met_at] = f"{met_by[met_at]}；{phrase}" if met_at in met_by else phrase
    return TaskDetail(
        task_id=due.task_id, label=due.label, title=due.title, status=due.status,
        document_title=due.document_title, effective_due=due.effective_due, units=due.units,
        deadlines=tuple((phrase, day, met_at) for phrase, day, met_at in deadlines),
        reports=tuple(ReportEntry(name, user, TaskStatus(status), note or "", at, user_name,
                                  (met_by.get(at) or period_of.get(report_id)) if status == TaskStatus.DONE else None)
                      for name, user, status, note, at, user_name, report_id in reports),
        shares=tuple((name, share_of[name]) for name in dict.fromkeys(name for name, _ in due.units)
                     if name in share_of),
    )


# --- poll now -------------------------------------------------------------------------------


def enqueue_poll_now(engine: Engine, task_id: int, now: datetime) -> int:
    """A POLL reminder due now for every active chat of every unit the task names (a collective's
    through its members' chats, as the planner sends them), but those whose share is done; how many.

    Raises LookupError if there is no such task. The dedupe key carries the instant, so asking
    again later polls again, while the same request stored twice sends once.
    """
    with engine.connect() as conn:
        if conn.execute(select(Task.id).where(Task.id == task_id)).first() is None:
            raise LookupError(f"no task with id {task_id}")
        found = conn.execute(
            select(Chat.id, Chat.unit_id, TaskUnit.unit_id, Task.effective_due)
            .select_from(TaskUnit)
            .join(Task, Task.id == TaskUnit.task_id)
            .outerjoin(UnitMember, UnitMember.collective_id == TaskUnit.unit_id)
            .join(Chat, or_(Chat.unit_id == TaskUnit.unit_id, Chat.unit_id == UnitMember.member_id))
            # A unit done with its share is not asked how it is going.
            .where(TaskUnit.task_id == task_id, TaskUnit.status != TaskStatus.DONE, Chat.active.is_(True))
            .order_by(Chat.id, TaskUnit.id)
        ).all()
    # One poll per chat: about the chat's own share when the task names its unit, else its collective's.
    by_chat: dict[int, tuple[int, date | None]] = {}
    for chat_id, chat_unit, task_unit, due in found:
        if chat_id not in by_chat or task_unit == chat_unit:
            by_chat[chat_id] = (task_unit, due)
    rows = [(chat_id, unit_id, due) for chat_id, (unit_id, due) in by_chat.items()]
    stamp = now.strftime("%Y%m%dT%H%M%S")
    planned = [
        PlannedReminder(dedupe_key=f"poll-now:t{task_id}:c{chat_id}:{stamp}", kind=ReminderKind.POLL, send_at=now,
                        task_id=task_id, unit_id=unit_id, chat_id=chat_id, due_date=due)
        for chat_id, unit_id, due in rows
    ]
    if not planned:
        return 0
    # The window is this one instant and this task only: the sync must not cancel anything else.
    return outbox.sync_planned_reminders(engine, planned, now, now + timedelta(microseconds=1), [task_id]).inserted


# --- rows for the tallies (app.progress counts them) ----------------------------------------


def task_stat_rows(engine: Engine) -> tuple[list, list]:
    """The active plans' tasks as (task id, status, due, document id, title, source name) rows, and
    their units as (task id, unit name) rows."""
    with engine.connect() as conn:
        tasks = conn.execute(
            select(Task.id, Task.status, Task.effective_due, Document.id, Document.title, Document.source_name)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None))
            .order_by(Document.id, Task.seq)
        ).all()
        task_units = conn.execute(
            select(TaskUnit.task_id, Unit.name)
            .join(Unit, Unit.id == TaskUnit.unit_id)
            .join(Task, Task.id == TaskUnit.task_id)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None))
        ).all()
    return tasks, task_units


def unit_task_rows(engine: Engine, unit_id: int) -> tuple[str, list]:
    """One unit's name and its tasks in the active plans as (status, due, task id) rows."""
    with engine.connect() as conn:
        name = conn.execute(select(Unit.name).where(Unit.id == unit_id)).scalar() or ""
        rows = conn.execute(
            select(Task.status, Task.effective_due).distinct()
            .add_columns(Task.id)
            .join(TaskUnit, TaskUnit.task_id == Task.id)
            .join(Document, Document.id == Task.document_id)
            .where(TaskUnit.unit_id == unit_id, Document.superseded_by_id.is_(None))
        ).all()
    return name, rows


def unit_ids_of_task(engine: Engine, task_id: int) -> list[int]:
    """The units the task names, by id (none for an unknown task)."""
    with engine.connect() as conn:
        return list(conn.execute(
            select(TaskUnit.unit_id).where(TaskUnit.task_id == task_id).order_by(TaskUnit.unit_id)
        ).scalars())
