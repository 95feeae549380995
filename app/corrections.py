"""An administrator's corrections: one function per use case, called by the command line, the
chat commands and the spreadsheet import alike.

Each validates its input, writes the change and its Correction row in one transaction, and
re-plans the reminders of the tasks it touched inside that transaction (`replan`, when given):
a correction that fails anywhere — an unknown task in a range of twenty, a refused re-plan —
leaves nothing behind. Errors are CorrectionError (a catalogue key under [corrections] with its
values), UnknownUnit or UnknownDocument.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine
from sqlmodel import Session

from app import status as status_rules
from store import corrections as store
from store.corrections import Actor, CorrectionError, CorrectionField
from store.db import session_scope
from store.errors import UnknownUnit
from store.models import CLOSED_STATUSES, Deadline, TaskStatus, UnitRole

__all__ = [
    "Actor", "Corrected", "CorrectionError", "Replanner", "add_unit_alias", "archive_document", "assign_units",
    "close_task", "edit_task", "merge_units", "parse_numbers", "parse_role", "rename_unit", "reopen_task",
    "cancel_task", "snooze_task", "snooze_unit", "unassign_unit", "UNCHANGED", "TaskChange", "apply_task_changes",
]

# Re-plans these tasks' reminders inside the caller's transaction (scheduler.service.replan_in_transaction).
Replanner = Callable[[Connection, list[int]], object]

# The words a role may be given in, on the command line, in chat and in a spreadsheet cell.
ROLE_WORDS: dict[str, UnitRole] = {
    "lead": UnitRole.LEAD, "牵头": UnitRole.LEAD, "牵头单位": UnitRole.LEAD,
    "responsible": UnitRole.RESPONSIBLE, "负责": UnitRole.RESPONSIBLE, "责任": UnitRole.RESPONSIBLE,
    "责任单位": UnitRole.RESPONSIBLE,
    "cooperating": UnitRole.COOPERATING, "配合": UnitRole.COOPERATING, "配合单位": UnitRole.COOPERATING,
    "参与": UnitRole.COOPERATING, "协办": UnitRole.COOPERATING,
}

MAX_TASKS_AT_ONCE = 5000


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()  # "leave this field as it is", where None means "clear it"


@dataclass(frozen=True)
class Corrected:
    """What a correction did: how many values changed, on which tasks, and what was left as it was."""

    changed: int
    task_ids: tuple[int, ...] = ()
    unchanged: int = 0
    reminders_cancelled: int = 0
    unit_name: str | None = None  # the unit the correction was about, as stored
    unit_created: bool = False
    extra: dict = field(default_factory=dict)


def parse_role(text: str) -> UnitRole:
    role = ROLE_WORDS.get(text.strip().lower())
    if role is None:
        raise CorrectionError("bad_role", role=text)
    return role


_RANGE = re.compile(r"^(\d+)(?:\s*[-–~～至]\s*(\d+))?$")


def parse_numbers(text: str) -> list[int]:
    """"1-23", "3,5,7-9" (also with Chinese commas) -> the numbers, in order, each once."""
    numbers: list[int] = []
    for part in re.split(r"[,，、\s]+", text.strip()):
        if not part:
            continue
        match = _RANGE.match(part)
        if not match:
            raise CorrectionError("bad_tasks", tasks=text)
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first or last - first >= MAX_TASKS_AT_ONCE:
            raise CorrectionError("bad_tasks", tasks=text)
        numbers.extend(range(first, last + 1))
    if not numbers:
        raise CorrectionError("bad_tasks", tasks=text)
    return list(dict.fromkeys(numbers))


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _replan(session: Session, replan: Replanner | None, task_ids: Sequence[int]) -> None:
    if replan is not None and task_ids:
        session.flush()
        replan(session.connection(), sorted(set(task_ids)))


def _task_ids(session: Session, task_ids: Sequence[int] | None, document_id: int | None,
              seqs: Sequence[int] | None) -> list[int]:
    """Tasks named by id, or by their numbers within one document."""
    if document_id is not None:
        return store.task_ids_by_seq(session, document_id, list(seqs or ()))
    for task_id in task_ids or ():
        store.task_state(session, task_id)  # raises for an unknown id
    return list(dict.fromkeys(task_ids or ()))


# --- task fields ----------------------------------------------------------------------------


def edit_task(engine: Engine, actor: Actor, task_id: int, *, title: str | None = None,
              due: date | None | _Unchanged = UNCHANGED,
              milestones: Sequence[tuple[date | None, str]] | None = None, note: str = "",
              replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Edit a task's title, due date (None: the plan's own again) and/or milestones."""
    now = _now(now)
    if title is not None and not title.strip():
        raise CorrectionError("blank_title")
    phrase_limit = Deadline.__table__.c.phrase.type.length
    for _, phrase in milestones or ():
        if len(phrase) > phrase_limit:
            raise CorrectionError("too_long", field="milestone", limit=phrase_limit)
    if title is None and due is UNCHANGED and milestones is None:
        raise CorrectionError("nothing_to_edit")
    with session_scope(engine) as session:
        task = store.task_state(session, task_id)
        changed = 0
        where = {"document_id": task.document_id, "task_id": task_id, "now": now, "note": note}
        if title is not None and title.strip() != task.title:
            store.set_title(session, task_id, title.strip())
            store.record(session, actor, CorrectionField.TITLE, old=task.title, new=title.strip(), **where)
            changed += 1
        if milestones is not None:
            old = store.milestones_text(session, task_id)
            new = store.milestones_json(milestones)
            if old != new:
                store.set_milestones(session, task_id, milestones)
                store.record(session, actor, CorrectionField.MILESTONES, old=old, new=new, **where)
                changed += 1
        if due is not UNCHANGED:
            admin_due = task.effective_due if task.due_source == "admin" else None
            if due != admin_due:
                store.set_admin_due(session, task_id, due)
                old_due = task.effective_due.isoformat() if task.effective_due else None
                store.record(session, actor, CorrectionField.DUE, old=old_due,
                             new=due.isoformat() if due else None, **where)
                changed += 1
        _replan(session, replan, [task_id] if changed else [])
    return Corrected(changed=changed, task_ids=(task_id,), unchanged=0 if changed else 1)


def assign_units(engine: Engine, actor: Actor, unit: str, role: UnitRole, *, task_ids: Sequence[int] | None = None,
                 document_id: int | None = None, seqs: Sequence[int] | None = None, create: bool = False,
                 note: str = "", replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Give the unit this role on each task (replacing another role it had there); with `create`,
    a unit nobody knows yet is created first."""
    now = _now(now)
    role = UnitRole(role)
    with session_scope(engine) as session:
        ids = _task_ids(session, task_ids, document_id, seqs)
        if not ids:
            raise CorrectionError("bad_tasks", tasks="")
        created = False
        try:
            found = store.unit_named(session, unit)
        except UnknownUnit:
            if not create:
                raise
            found = store.create_unit(session, unit)
            created = True
        changed: list[int] = []
        for task_id in ids:
            roles = store.roles_of(session, task_id, found.unit_id)
            if roles == [role]:
                continue
            task = store.task_state(session, task_id)
            store.set_unit_role(session, task_id, found.unit_id, role)
            store.record(session, actor, CorrectionField.UNIT_ROLE, now=now, document_id=task.document_id,
                         task_id=task_id, unit_id=found.unit_id, old=",".join(roles) or None, new=role.value,
                         note=note)
            changed.append(task_id)
        _replan(session, replan, changed)
    return Corrected(changed=len(changed), task_ids=tuple(changed), unchanged=len(ids) - len(changed),
                     unit_name=found.name, unit_created=created)


def unassign_unit(engine: Engine, actor: Actor, unit: str, *, task_ids: Sequence[int] | None = None,
                  document_id: int | None = None, seqs: Sequence[int] | None = None, note: str = "",
                  replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Take the unit off each task (whatever its role there)."""
    now = _now(now)
    with session_scope(engine) as session:
        ids = _task_ids(session, task_ids, document_id, seqs)
        found = store.unit_named(session, unit)
        changed: list[int] = []
        for task_id in ids:
            roles = store.roles_of(session, task_id, found.unit_id)
            if not roles:
                continue
            task = store.task_state(session, task_id)
            store.set_unit_role(session, task_id, found.unit_id, None)
            store.record(session, actor, CorrectionField.UNIT_ROLE, now=now, document_id=task.document_id,
                         task_id=task_id, unit_id=found.unit_id, old=",".join(roles), new=None, note=note)
            changed.append(task_id)
        if ids and not changed:
            raise CorrectionError("unit_not_on_task", unit=found.name)
        _replan(session, replan, changed)
    return Corrected(changed=len(changed), task_ids=tuple(changed), unchanged=len(ids) - len(changed),
                     unit_name=found.name)


# --- status ---------------------------------------------------------------------------------


def _set_status(engine: Engine, actor: Actor, task_id: int, status: TaskStatus, *, allowed_from, refusal: str,
                note: str, replan: Replanner | None, now: datetime | None) -> Corrected:
    now = _now(now)
    with session_scope(engine) as session:
        task = store.task_state(session, task_id)
        if task.status not in allowed_from:
            raise CorrectionError(refusal, id=task_id, status=task.status.value)
        if status is TaskStatus.OPEN:
            # A reopening follows the completion rules (app.status.reopen_in): done shares are in
            # progress again, the 销号 is forgotten, the status is derived from the shares.
            session.flush()
            status = status_rules.reopen_in(session.connection(), task_id, now)
            session.expire_all()
            cancelled = 0
        else:
            # Closing or cancelling leaves the shares as the units reported them: the task is
            # closed over them, and a later reopening starts from what they said.
            cancelled = store.set_status(session, task_id, status, now)
            if task.status is TaskStatus.AWAITING_VERIFICATION and status is TaskStatus.DONE:
                # Closing what a unit reported done is the office's 销号, whichever way it is given.
                session.flush()
                status_rules.mark_verified_in(session.connection(), task_id, actor.telegram_user_id, now)
        store.record(session, actor, CorrectionField.STATUS, now=now, document_id=task.document_id, task_id=task_id,
                     old=task.status.value, new=status.value, note=note)
        # The task's history (/task, the export) shows who closed or reopened it, as after a 销号 button.
        session.flush()
        status_rules.office_report_in(session.connection(), task_id, actor.chat_id, actor.telegram_user_id,
                                      actor.history_name, status, note, now)
        _replan(session, replan, [task_id])
    return Corrected(changed=1, task_ids=(task_id,), reminders_cancelled=cancelled)


_OPEN_STATUSES = tuple(s for s in TaskStatus if s not in CLOSED_STATUSES)


def close_task(engine: Engine, actor: Actor, task_id: int, *, note: str = "", replan: Replanner | None = None,
               now: datetime | None = None) -> Corrected:
    """Mark the task done (by the office): its pending reminders are cancelled."""
    return _set_status(engine, actor, task_id, TaskStatus.DONE, allowed_from=_OPEN_STATUSES, refusal="already_closed",
                       note=note, replan=replan, now=now)


def cancel_task(engine: Engine, actor: Actor, task_id: int, *, note: str = "", replan: Replanner | None = None,
                now: datetime | None = None) -> Corrected:
    """Cancel the task (no longer required): its pending reminders are cancelled."""
    return _set_status(engine, actor, task_id, TaskStatus.CANCELLED, allowed_from=_OPEN_STATUSES,
                       refusal="already_closed", note=note, replan=replan, now=now)


def reopen_task(engine: Engine, actor: Actor, task_id: int, *, note: str = "", replan: Replanner | None = None,
                now: datetime | None = None) -> Corrected:
    """Open a done or cancelled task again: re-planning gives it its reminders back. Its units'
    done shares are in progress again and its status is derived from them (app.status.reopen_in)."""
    return _set_status(engine, actor, task_id, TaskStatus.OPEN, allowed_from=CLOSED_STATUSES, refusal="not_closed",
                       note=note, replan=replan, now=now)


# --- documents and snoozes ------------------------------------------------------------------


def archive_document(engine: Engine, actor: Actor, document_id: int, *, archived: bool = True, note: str = "",
                     replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Archive a plan (no more reminders for any of its tasks) or bring it back."""
    now = _now(now)
    with session_scope(engine) as session:
        was = store.document_archived_at(session, document_id)
        if (was is not None) == archived:
            raise CorrectionError("already_archived" if archived else "not_archived", id=document_id)
        task_ids = store.set_archived(session, document_id, now if archived else None)
        store.record(session, actor, CorrectionField.ARCHIVED, now=now, document_id=document_id,
                     old="yes" if was else None, new="yes" if archived else None, note=note)
        _replan(session, replan, task_ids)
    return Corrected(changed=1, task_ids=tuple(task_ids))


def snooze_task(engine: Engine, actor: Actor, task_id: int, until: date | None, *, note: str = "",
                replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Nothing about the task is sent before `until` (a local date); None lifts the snooze."""
    now = _now(now)
    with session_scope(engine) as session:
        task = store.task_state(session, task_id)
        if task.snoozed_until == until:
            return Corrected(changed=0, task_ids=(task_id,), unchanged=1)
        store.set_task_snooze(session, task_id, until)
        store.record(session, actor, CorrectionField.SNOOZED_UNTIL, now=now, document_id=task.document_id,
                     task_id=task_id, old=_iso(task.snoozed_until), new=_iso(until), note=note)
        _replan(session, replan, [task_id])
    return Corrected(changed=1, task_ids=(task_id,))


def snooze_unit(engine: Engine, actor: Actor, unit: str, until: date | None, *, note: str = "",
                replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Nothing is sent to the unit before `until` (a local date); None lifts the snooze."""
    now = _now(now)
    with session_scope(engine) as session:
        found = store.unit_named(session, unit)
        old = store.unit_snooze(session, found.unit_id)
        if old == until:
            return Corrected(changed=0, unchanged=1, unit_name=found.name)
        store.set_unit_snooze(session, found.unit_id, until)
        store.record(session, actor, CorrectionField.SNOOZED_UNTIL, now=now, unit_id=found.unit_id, old=_iso(old),
                     new=_iso(until), note=note)
        task_ids = store.task_ids_of_unit(session, found.unit_id)
        _replan(session, replan, task_ids)
    return Corrected(changed=1, task_ids=tuple(task_ids), unit_name=found.name)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# --- units ----------------------------------------------------------------------------------


def merge_units(engine: Engine, actor: Actor, merged: str, into: str, *, note: str = "",
                replan: Replanner | None = None, now: datetime | None = None) -> Corrected:
    """Fold the unit `merged` into `into`: tasks, chats and history move, its names stay as aliases."""
    now = _now(now)
    with session_scope(engine) as session:
        gone = store.unit_named(session, merged)
        kept = store.unit_named(session, into)
        if gone.unit_id == kept.unit_id:
            raise CorrectionError("merge_same")
        task_ids = store.merge_units(session, gone.unit_id, kept.unit_id)
        store.record(session, actor, CorrectionField.UNIT_MERGED, now=now, unit_id=kept.unit_id, old=gone.name,
                     new=kept.name, note=note)
        _replan(session, replan, task_ids)
    return Corrected(changed=1, task_ids=tuple(task_ids), unit_name=kept.name, extra={"merged": gone.name})


def rename_unit(engine: Engine, actor: Actor, unit: str, new_name: str, *, note: str = "",
                now: datetime | None = None) -> Corrected:
    """Give the unit a new canonical name; the old one stays an alias."""
    now = _now(now)
    limit = 300
    if len(new_name.strip()) > limit:
        raise CorrectionError("too_long", field="unit", limit=limit)
    with session_scope(engine) as session:
        found = store.unit_named(session, unit)
        if new_name.strip() == found.name:
            return Corrected(changed=0, unchanged=1, unit_name=found.name)
        old = store.rename_unit(session, found.unit_id, new_name)
        store.record(session, actor, CorrectionField.UNIT_NAME, now=now, unit_id=found.unit_id, old=old,
                     new=new_name.strip(), note=note)
    return Corrected(changed=1, unit_name=new_name.strip(), extra={"old": old})


def add_unit_alias(engine: Engine, actor: Actor, unit: str, alias: str, *, note: str = "",
                   now: datetime | None = None) -> Corrected:
    """Another name the unit answers to (in imports, commands and spreadsheets)."""
    now = _now(now)
    if len(alias.strip()) > 300:
        raise CorrectionError("too_long", field="alias", limit=300)
    with session_scope(engine) as session:
        found = store.unit_named(session, unit)
        store.add_alias(session, found.unit_id, alias)
        store.record(session, actor, CorrectionField.UNIT_ALIAS, now=now, unit_id=found.unit_id, old=None,
                     new=alias.strip(), note=note)
    return Corrected(changed=1, unit_name=found.name)



# --- many changes at once (a corrected spreadsheet) ------------------------------------------


@dataclass(frozen=True)
class TaskChange:
    """What a corrected spreadsheet row asks for one task; None / UNCHANGED: leave that field."""

    task_id: int
    title: str | None = None
    due: date | None | _Unchanged = UNCHANGED
    milestones: tuple[tuple[date | None, str], ...] | None = None
    roles: tuple[tuple[str, UnitRole | None], ...] = ()  # (unit name, its role; None: off the task)
    status: TaskStatus | None = None


_STATUS_USE_CASES = {TaskStatus.DONE: close_task, TaskStatus.CANCELLED: cancel_task, TaskStatus.OPEN: reopen_task}


def apply_task_changes(engine: Engine, actor: Actor, changes: Sequence[TaskChange], *, create_units: bool = False,
                       replan: Replanner | None = None, now: datetime | None = None) -> int:
    """Apply every change through the use cases above, all in ONE transaction: each is audited as
    if made alone, and one that is refused rolls back all of them. Returns the values changed."""
    now = _now(now)
    changed = 0
    with engine.begin() as conn:
        # Each use case opens its session on this connection: its commit is folded into this
        # transaction, which commits once every change went through.
        for change in changes:
            if change.title is not None or change.due is not UNCHANGED or change.milestones is not None:
                changed += edit_task(conn, actor, change.task_id, title=change.title, due=change.due,
                                     milestones=change.milestones, replan=replan, now=now).changed
            for unit, role in change.roles:
                if role is None:
                    changed += unassign_unit(conn, actor, unit, task_ids=[change.task_id], replan=replan,
                                             now=now).changed
                else:
                    changed += assign_units(conn, actor, unit, role, task_ids=[change.task_id], create=create_units,
                                            replan=replan, now=now).changed
            if change.status is not None:
                changed += _STATUS_USE_CASES[change.status](conn, actor, change.task_id, replan=replan, now=now).changed
    return changed
