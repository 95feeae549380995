"""The questions the CLI and the bot ask, answered as frozen dataclasses.

No ORM object leaves this module: callers get plain values that stay valid after the
session is closed. Each query loads its tasks, then the units and deadlines of all of
them in one query each, never one query per task.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, case, func, or_
from sqlmodel import Session, select

from extract.unitnames import unit_key
from store.errors import UnknownDocument, UnknownUnit
from store.milestones import current_phrases_in
from store.models import (
    Chat,
    CLOSED_STATUSES,
    Document,
    DueSource,
    ReviewFlag,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitKind,
    UnitRole,
)


@dataclass(frozen=True)
class TaskDue:
    """One task as the due/overdue lists and the task listing show it."""

    task_id: int
    document_id: int
    document_title: str
    seq: int
    label: str
    section: str | None
    title: str
    status: TaskStatus
    effective_due: date | None
    due_source: DueSource | None
    deadline_phrase: str | None  # the printed phrase of the current milestone (earliest open dated deadline), if any
    units: tuple[tuple[str, UnitRole], ...]  # (unit name, role), lead units first


@dataclass(frozen=True)
class UnitSummary:
    unit_id: int
    name: str
    kind: UnitKind
    aliases: tuple[str, ...]
    lead_count: int  # tasks of active documents where the unit has this role
    responsible_count: int
    cooperating_count: int
    open_count: int  # distinct tasks of active documents, not done or cancelled


@dataclass(frozen=True)
class DocumentSummary:
    document_id: int
    title: str  # the printed title, or the source file name when the plan has none
    issuer: str | None
    doc_number: str | None
    issued_on: date | None
    period_end: date | None
    language: str
    source_name: str
    imported_at: datetime
    superseded_by_id: int | None  # None: this is the active version
    task_count: int
    open_task_count: int

    @property
    def is_active(self) -> bool:
        return self.superseded_by_id is None

    @property
    def superseded(self) -> bool:
        return self.superseded_by_id is not None


def due_within(
    engine: Engine, as_of: date, days: int, unit: str | None = None, document_id: int | None = None
) -> list[TaskDue]:
    """Open tasks of active documents due from as_of through as_of + days, soonest first."""
    if days < 0:
        raise ValueError("days must not be negative")
    window = (Task.effective_due >= as_of, Task.effective_due <= as_of + timedelta(days=days))
    return _open_tasks(engine, window, unit, document_id)


def overdue(engine: Engine, as_of: date, unit: str | None = None, document_id: int | None = None) -> list[TaskDue]:
    """Open tasks of active documents whose effective due date is before as_of, oldest first."""
    return _open_tasks(engine, (Task.effective_due < as_of,), unit, document_id)


def tasks(engine: Engine, document_id: int | None = None) -> list[TaskDue]:
    """Every task of one document (any status), or of all active documents, in plan order."""
    with Session(engine) as session:
        statement = task_rows_select()
        if document_id is None:
            statement = statement.where(Document.superseded_by_id.is_(None))
        else:
            _require_document(session, document_id)
            statement = statement.where(Task.document_id == document_id)
        rows = session.exec(statement.order_by(Task.document_id, Task.seq)).all()
        return task_dues(session, rows)


@dataclass(frozen=True)
class StoredFlag:
    """One stored review flag; `task_id` and `task_seq` are None for a flag about the whole plan."""

    document_id: int
    document_title: str
    task_id: int | None
    task_seq: int | None
    code: str
    params: tuple[tuple[str, str], ...]


def review_flags(engine: Engine, document_id: int | None = None) -> list[StoredFlag]:
    """The review flags of one document, or of all active documents: plan-level first, then by task."""
    with Session(engine) as session:
        statement = (
            select(ReviewFlag, Task.seq, Document.title, Document.source_name)
            .join(Document, Document.id == ReviewFlag.document_id)
            .outerjoin(Task, Task.id == ReviewFlag.task_id)
        )
        if document_id is None:
            statement = statement.where(Document.superseded_by_id.is_(None))
        else:
            _require_document(session, document_id)
            statement = statement.where(ReviewFlag.document_id == document_id)
        # NULL seqs (plan-level flags) first on both backends.
        rows = session.exec(statement.order_by(ReviewFlag.document_id, case((Task.seq.is_(None), 0), else_=1),
                                               Task.seq, ReviewFlag.id)).all()
        return [StoredFlag(document_id=flag.document_id, document_title=title or source, task_id=flag.task_id,
                           task_seq=seq, code=flag.code, params=tuple((flag.params or {}).items()))
                for flag, seq, title, source in rows]


def units(engine: Engine) -> list[UnitSummary]:
    """Every unit with its aliases and how many tasks of active documents it carries, by name."""
    with Session(engine) as session:
        all_units = session.exec(select(Unit).order_by(Unit.name)).all()
        aliases: dict[int, list[str]] = defaultdict(list)
        for unit_id, alias in session.exec(select(UnitAlias.unit_id, UnitAlias.alias).order_by(UnitAlias.id)).all():
            aliases[unit_id].append(alias)

        active_task_units = (
            select(TaskUnit.unit_id, TaskUnit.role, TaskUnit.task_id, Task.status)
            .join(Task, Task.id == TaskUnit.task_id)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None))
        )
        role_counts: dict[int, dict[UnitRole, int]] = defaultdict(dict)
        open_tasks: dict[int, set[int]] = defaultdict(set)
        for unit_id, role, task_id, status in session.exec(active_task_units).all():
            role_counts[unit_id][role] = role_counts[unit_id].get(role, 0) + 1
            if status not in CLOSED_STATUSES:
                open_tasks[unit_id].add(task_id)

        return [
            UnitSummary(
                unit_id=u.id,
                name=u.name,
                kind=u.kind,
                aliases=tuple(aliases[u.id]),
                lead_count=role_counts[u.id].get(UnitRole.LEAD, 0),
                responsible_count=role_counts[u.id].get(UnitRole.RESPONSIBLE, 0),
                cooperating_count=role_counts[u.id].get(UnitRole.COOPERATING, 0),
                open_count=len(open_tasks[u.id]),
            )
            for u in all_units
        ]


def documents(engine: Engine) -> list[DocumentSummary]:
    """Every stored document, newest import first, with its task counts."""
    with Session(engine) as session:
        is_open = case((Task.status.not_in([s.value for s in CLOSED_STATUSES]), 1), else_=0)
        counts = {
            document_id: (total, open_count)
            for document_id, total, open_count in session.exec(
                select(Task.document_id, func.count(Task.id), func.coalesce(func.sum(is_open), 0)).group_by(
                    Task.document_id
                )
            ).all()
        }
        return [
            DocumentSummary(
                document_id=d.id,
                title=d.title or d.source_name,
                issuer=d.issuer,
                doc_number=d.doc_number,
                issued_on=d.issued_on,
                period_end=d.period_end,
                language=d.language,
                source_name=d.source_name,
                imported_at=d.imported_at,
                superseded_by_id=d.superseded_by_id,
                task_count=counts.get(d.id, (0, 0))[0],
                open_task_count=int(counts.get(d.id, (0, 0))[1]),
            )
            for d in session.exec(select(Document).order_by(Document.imported_at.desc(), Document.id.desc())).all()
        ]


def chat_titles(engine: Engine) -> dict[int, str]:
    """Chat row id -> the chat's title (or its Telegram id when it has none), for listings."""
    with Session(engine) as session:
        rows = session.exec(select(Chat.id, Chat.title, Chat.telegram_chat_id)).all()
    return {chat_id: title or str(telegram_id) for chat_id, title, telegram_id in rows}


def find_unit_ids(engine: Engine, name: str) -> list[int]:
    """Ids of the units whose printed name or an alias matches name; raises UnknownUnit if none."""
    with Session(engine) as session:
        return _unit_ids(session, name)


def _open_tasks(engine: Engine, conditions: Sequence, unit: str | None, document_id: int | None) -> list[TaskDue]:
    with Session(engine) as session:
        statement = task_rows_select().where(
            *conditions,
            Task.status.not_in([s.value for s in CLOSED_STATUSES]),
            Document.superseded_by_id.is_(None),
            Document.archived_at.is_(None),  # an archived plan is nobody's due or overdue work
        )
        if document_id is not None:
            _require_document(session, document_id)
            statement = statement.where(Task.document_id == document_id)
        if unit is not None:
            unit_ids = _unit_ids(session, unit)
            statement = statement.where(
                Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(unit_ids)))
            )
        rows = session.exec(statement.order_by(Task.effective_due, Task.document_id, Task.seq)).all()
        return task_dues(session, rows)


def task_rows_select():
    """Tasks with their document's title and source name, ready for task_dues."""
    return select(Task, Document.title, Document.source_name).join(Document, Document.id == Task.document_id)


def task_dues(session: Session, rows) -> list[TaskDue]:
    """TaskDue values for rows of task_rows_select, with units and deadline phrases loaded in bulk."""
    task_ids = [task.id for task, _, _ in rows]
    units_by_task = _units_by_task(session, task_ids)
    phrase_by_task = _current_deadline_phrases(session, task_ids)
    return [
        TaskDue(
            task_id=task.id,
            document_id=task.document_id,
            document_title=title or source_name,
            seq=task.seq,
            label=task.label,
            section=task.section,
            title=task.title,
            status=task.status,
            effective_due=task.effective_due,
            due_source=task.due_source,
            deadline_phrase=phrase_by_task.get(task.id),
            units=tuple(units_by_task.get(task.id, ())),
        )
        for task, title, source_name in rows
    ]


_ROLE_ORDER = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


def _units_by_task(session: Session, task_ids: list[int]) -> dict[int, list[tuple[str, UnitRole]]]:
    if not task_ids:
        return {}
    rows = session.exec(
        select(TaskUnit.task_id, Unit.name, TaskUnit.role)
        .join(Unit, Unit.id == TaskUnit.unit_id)
        .where(TaskUnit.task_id.in_(task_ids))
        .order_by(TaskUnit.task_id, TaskUnit.id)
    ).all()
    result: dict[int, list[tuple[str, UnitRole]]] = defaultdict(list)
    for task_id, name, role in sorted(rows, key=lambda r: (r[0], _ROLE_ORDER[r[2]])):
        result[task_id].append((name, role))
    return result


def _current_deadline_phrases(session: Session, task_ids: list[int]) -> dict[int, str]:
    return current_phrases_in(session.connection(), task_ids) if task_ids else {}


def _unit_ids(session: Session, name: str) -> list[int]:
    key = unit_key(name)
    ids = session.exec(
        select(Unit.id)
        .outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(or_(Unit.key == key, UnitAlias.key == key))
        .distinct()
    ).all()
    if ids:
        return list(ids)
    raise UnknownUnit(name, close_unit_names(session, name))


def close_unit_names(session: Session, name: str, limit: int = 5) -> tuple[str, ...]:
    """Unit names that contain, or look like, what was typed."""
    names = list(session.exec(select(Unit.name)).all())
    names += [a for a in session.exec(select(UnitAlias.alias)).all()]
    key = unit_key(name)
    containing = [n for n in names if key and key in unit_key(n)]
    similar = difflib.get_close_matches(name, names, n=limit, cutoff=0.5)
    return tuple(dict.fromkeys(containing + similar))[:limit]


def _require_document(session: Session, document_id: int) -> None:
    if session.get(Document, document_id) is None:
        raise UnknownDocument(document_id)
