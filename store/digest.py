"""What the administrators' digest lists: overdue, due soon, blocked, and extension requests
waiting for a decision, grouped by unit. One read, plain values: the message is composed from
them without touching the database (bot.compose), for the weekly row and /digest alike.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, and_, false, or_, select

from store.idlists import id_conditions
from store.models import (
    CLOSED_STATUSES,
    Document,
    ExtensionRequest,
    ExtensionState,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitRole,
)

# "Due soon" in the digest: the coming week, today included.
DIGEST_DAYS = 7
_ROLE_ORDER = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


@dataclass(frozen=True)
class DigestTask:
    task_id: int
    label: str
    title: str
    status: str  # store.models.TaskStatus value
    effective_due: date | None
    overdue: bool
    due_soon: bool
    blocked: bool
    proposed_due: date | None = None  # a pending extension request's date


@dataclass(frozen=True)
class DigestUnit:
    unit_name: str | None  # None: tasks that name no unit
    tasks: tuple[DigestTask, ...]


@dataclass(frozen=True)
class Digest:
    today: date
    within_days: int
    units: tuple[DigestUnit, ...]  # most overdue first, then by name
    overdue: int
    due_soon: int
    blocked: int
    extensions: int

    @property
    def empty(self) -> bool:
        return not self.units


def admin_digest(engine: Engine, today: date, within_days: int = DIGEST_DAYS) -> Digest:
    """Open tasks of active plans that are overdue, due by today + within_days, blocked, or wait for
    an extension decision; each listed once, under the unit that asked for the extension, else its
    lead (strongest role) unit."""
    horizon = today + timedelta(days=within_days)
    with engine.connect() as conn:
        pending = {task_id: (unit_id, proposed) for task_id, unit_id, proposed in conn.execute(
            select(ExtensionRequest.task_id, ExtensionRequest.unit_id, ExtensionRequest.proposed_due)
            .where(ExtensionRequest.state == ExtensionState.PENDING).order_by(ExtensionRequest.id))}
        rows = conn.execute(
            select(Task.id, Task.label, Task.title, Task.status, Task.effective_due)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None), Document.archived_at.is_(None),
                   Task.status.not_in([s.value for s in CLOSED_STATUSES]),
                   or_(Task.effective_due < today,
                       and_(Task.effective_due >= today, Task.effective_due <= horizon),
                       Task.status == TaskStatus.BLOCKED,
                       Task.id.in_(sorted(pending)) if pending else false()))
            .order_by(Task.effective_due, Task.document_id, Task.seq)
        ).all()
        ids = [row[0] for row in rows]
        leads: dict[int, tuple[int, int]] = {}  # task -> (rank, unit id)
        names: dict[int, str] = {}
        for among in id_conditions(conn, TaskUnit.task_id, ids):
            for task_id, unit_id, role, name in conn.execute(
                select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role, Unit.name)
                .join(Unit, Unit.id == TaskUnit.unit_id)
                .where(among).order_by(TaskUnit.id)
            ):
                names[unit_id] = name
                rank = _ROLE_ORDER[UnitRole(role)]
                if task_id not in leads or rank < leads[task_id][0]:
                    leads[task_id] = (rank, unit_id)
        for unit_id, _ in pending.values():
            if unit_id not in names:
                names[unit_id] = conn.execute(select(Unit.name).where(Unit.id == unit_id)).scalar_one()
    grouped: dict[int | None, list[DigestTask]] = defaultdict(list)
    for task_id, label, title, status, due in rows:
        asked = pending.get(task_id)
        unit_id = asked[0] if asked else (leads[task_id][1] if task_id in leads else None)
        grouped[unit_id].append(DigestTask(
            task_id=task_id, label=label, title=title, status=str(status), effective_due=due,
            overdue=due is not None and due < today, due_soon=due is not None and today <= due <= horizon,
            blocked=status == TaskStatus.BLOCKED, proposed_due=asked[1] if asked else None))
    units = sorted(grouped.items(), key=lambda item: (-sum(t.overdue for t in item[1]), item[0] is None,
                                                      names.get(item[0], "")))
    every = [t for _, tasks in units for t in tasks]
    return Digest(today=today, within_days=within_days,
                  units=tuple(DigestUnit(names.get(unit_id), tuple(tasks)) for unit_id, tasks in units),
                  overdue=sum(t.overdue for t in every), due_soon=sum(t.due_soon for t in every),
                  blocked=sum(t.blocked for t in every), extensions=sum(t.proposed_due is not None for t in every))
