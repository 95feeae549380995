"""The questions the CLI and the bot ask, answered as frozen dataclasses.

No ORM object leaves this module: callers get plain values that stay valid after the
session is closed. Each query loads its tasks, then the units and deadlines of all of
them in one query each, never one query per task.
"""
from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Engine, case, distinct, func, or_
from sqlmodel import Session, select

from extract.unitnames import unit_key
from store.errors import UnknownDocument, UnknownUnit
from store.idlists import id_conditions
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


class TaskList:
    """A task listing that is counted, and read in batches, without holding all its rows: the
    CLI prints 100,000 tasks as CSV or JSON in constant memory and a terminal's first page at once."""

    def __init__(self, engine: Engine, conditions: Sequence, order: Sequence) -> None:
        self.engine = engine
        self._conditions = tuple(conditions)
        self._order = tuple(order)

    def _statement(self):
        return task_rows_select().where(*self._conditions)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(self._statement().subquery())).scalar_one()

    def document_count(self) -> int:
        """How many documents the listed tasks come from (a table of one plan's tasks names it once)."""
        statement = select(func.count(distinct(Task.document_id))).where(*self._conditions)
        with self.engine.connect() as conn:
            return conn.execute(statement.select_from(Task).join(Document, Document.id == Task.document_id)
                                ).scalar_one()

    def rows(self, limit: int | None = None) -> Iterator[TaskDue]:
        """The tasks in order, the first `limit` of them (all for None), read BATCH at a time
        (a server-side cursor on PostgreSQL), each batch's units and phrases in one query each."""
        statement = self._statement().order_by(*self._order)
        if limit is not None:
            statement = statement.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=BATCH).execute(statement)
            for batch in result.partitions():
                yield from _task_dues(conn, batch)


# Rows read (and TaskDue values built) at a time by TaskList.rows.
BATCH = 500


def due_within_list(engine: Engine, as_of: date, days: int, unit: str | None = None,
                    document_id: int | None = None) -> TaskList:
    """Open tasks of active documents due from as_of through as_of + days, soonest first."""
    if days < 0:
        raise ValueError("days must not be negative")
    window = (Task.effective_due >= as_of, Task.effective_due <= as_of + timedelta(days=days))
    return _open_task_list(engine, window, unit, document_id)


def overdue_list(engine: Engine, as_of: date, unit: str | None = None, document_id: int | None = None) -> TaskList:
    """Open tasks of active documents whose effective due date is before as_of, oldest first."""
    return _open_task_list(engine, (Task.effective_due < as_of,), unit, document_id)


def task_list(engine: Engine, document_id: int | None = None) -> TaskList:
    """Every task of one document (any status), or of all active documents, in plan order."""
    if document_id is None:
        conditions = (Document.superseded_by_id.is_(None),)
    else:
        with Session(engine) as session:
            _require_document(session, document_id)
        conditions = (Task.document_id == document_id,)
    return TaskList(engine, conditions, (Task.document_id, Task.seq))


def due_within(
    engine: Engine, as_of: date, days: int, unit: str | None = None, document_id: int | None = None
) -> list[TaskDue]:
    """Open tasks of active documents due from as_of through as_of + days, soonest first."""
    return list(due_within_list(engine, as_of, days, unit, document_id).rows())


def overdue(engine: Engine, as_of: date, unit: str | None = None, document_id: int | None = None) -> list[TaskDue]:
    """Open tasks of active documents whose effective due date is before as_of, oldest first."""
    return list(overdue_list(engine, as_of, unit, document_id).rows())


def tasks(engine: Engine, document_id: int | None = None) -> list[TaskDue]:
    """Every task of one document (any status), or of all active documents, in plan order."""
    return list(task_list(engine, document_id).rows())


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
    return list(unit_summaries(engine))


def unit_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Unit)).scalar_one()


def unit_summaries(engine: Engine, limit: int | None = None) -> Iterator[UnitSummary]:
    """units(), read BATCH units at a time, each batch's aliases and counts in one query each
    (counted by the database: a unit on 100,000 tasks is one row, not 100,000)."""
    statement = select(Unit.id, Unit.name, Unit.kind).order_by(Unit.name, Unit.id)
    if limit is not None:
        statement = statement.limit(limit)
    with engine.connect() as conn:
        for batch in conn.execution_options(yield_per=BATCH).execute(statement).partitions():
            ids = [row.id for row in batch]
            aliases, counts = _unit_aliases(conn, ids), _unit_counts(conn, ids)
            for unit_id, name, kind in batch:
                lead, responsible, cooperating, open_count = counts.get(unit_id, (0, 0, 0, 0))
                yield UnitSummary(unit_id=unit_id, name=name, kind=kind, aliases=tuple(aliases.get(unit_id, ())),
                                  lead_count=int(lead), responsible_count=int(responsible),
                                  cooperating_count=int(cooperating), open_count=int(open_count))


def _unit_aliases(conn: Connection, unit_ids: list[int]) -> dict[int, list[str]]:
    rows = []
    for among in id_conditions(conn, UnitAlias.unit_id, unit_ids):
        rows += conn.execute(select(UnitAlias.id, UnitAlias.unit_id, UnitAlias.alias).where(among)).all()
    aliases: dict[int, list[str]] = defaultdict(list)
    for _, unit_id, alias in sorted(rows):
        aliases[unit_id].append(alias)
    return aliases


def _unit_counts(conn: Connection, unit_ids: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """Unit id -> (lead, responsible, cooperating, open) over the tasks of active documents."""
    def with_role(role: UnitRole):
        return func.coalesce(func.sum(case((TaskUnit.role == role, 1), else_=0)), 0)

    is_open = Task.status.not_in([s.value for s in CLOSED_STATUSES])
    counts = {}
    for among in id_conditions(conn, TaskUnit.unit_id, unit_ids):
        counts.update((unit_id, tuple(rest)) for unit_id, *rest in conn.execute(
            select(TaskUnit.unit_id, with_role(UnitRole.LEAD), with_role(UnitRole.RESPONSIBLE),
                   with_role(UnitRole.COOPERATING), func.count(distinct(case((is_open, Task.id)))))
            .join(Task, Task.id == TaskUnit.task_id)
            .join(Document, Document.id == Task.document_id)
            .where(among, Document.superseded_by_id.is_(None))
            .group_by(TaskUnit.unit_id)
        ))
    return counts


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


def _open_task_list(engine: Engine, conditions: Sequence, unit: str | None, document_id: int | None) -> TaskList:
    conditions = [
        *conditions,
        Task.status.not_in([s.value for s in CLOSED_STATUSES]),
        Document.superseded_by_id.is_(None),
        Document.archived_at.is_(None),  # an archived plan is nobody's due or overdue work
    ]
    with Session(engine) as session:
        if document_id is not None:
            _require_document(session, document_id)
            conditions.append(Task.document_id == document_id)
        if unit is not None:
            unit_ids = _unit_ids(session, unit)
            conditions.append(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(unit_ids))))
    return TaskList(engine, conditions, (Task.effective_due, Task.document_id, Task.seq))


def task_rows_select():
    """The columns a task listing shows, with its document's title and source name, ready for
    task_dues. Never the task's body: listings do not print it, and at 100,000 tasks it is most
    of what would be read."""
    return select(
        Task.id.label("task_id"), Task.document_id, Task.seq, Task.label, Task.section, Task.title, Task.status,
        Task.effective_due, Task.due_source, Document.title.label("document_title"), Document.source_name,
    ).join(Document, Document.id == Task.document_id)


def task_dues(session: Session, rows) -> list[TaskDue]:
    """TaskDue values for rows of task_rows_select, with units and deadline phrases loaded in bulk."""
    return _task_dues(session.connection(), rows)


def _task_dues(conn: Connection, rows) -> list[TaskDue]:
    task_ids = [row.task_id for row in rows]
    units_by_task = _units_by_task(conn, task_ids)
    phrase_by_task = current_phrases_in(conn, task_ids) if task_ids else {}
    return [
        TaskDue(
            task_id=row.task_id,
            document_id=row.document_id,
            document_title=row.document_title or row.source_name,
            seq=row.seq,
            label=row.label,
            section=row.section,
            title=row.title,
            status=row.status,
            effective_due=row.effective_due,
            due_source=row.due_source,
            deadline_phrase=phrase_by_task.get(row.task_id),
            units=tuple(units_by_task.get(row.task_id, ())),
        )
        for row in rows
    ]


_ROLE_ORDER = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


def _units_by_task(conn: Connection, task_ids: list[int]) -> dict[int, list[tuple[str, UnitRole]]]:
    rows = []
    for among in id_conditions(conn, TaskUnit.task_id, task_ids):
        rows += conn.execute(
            select(TaskUnit.task_id, Unit.name, TaskUnit.role)
            .join(Unit, Unit.id == TaskUnit.unit_id)
            .where(among)
            .order_by(TaskUnit.task_id, TaskUnit.id)
        ).all()
    result: dict[int, list[tuple[str, UnitRole]]] = defaultdict(list)
    for task_id, name, role in sorted(rows, key=lambda r: (r[0], _ROLE_ORDER[r[2]])):
        result[task_id].append((name, role))
    return result


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
