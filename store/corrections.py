"""What an administrator's corrections read and write, inside the caller's transaction.

Every writing function takes the Session of the application function that runs the use case
(app.corrections), so the change, its Correction row and the re-plan commit together or not at
all. `reapply_corrections` is the one call ingest makes on a re-import: the latest correction of
each task field is applied again to the new version's task, so an administrator's value wins
over the extractor's. `corrections` lists the trail.
"""
from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, delete, or_, update
from sqlmodel import Session, select

from extract.unitnames import unit_aliases, unit_key, unit_kind
from store.errors import StoreError, UnknownDocument, UnknownUnit
from store.milestones import Milestone, effective_due
from store.models import (
    Chat,
    Correction,
    Deadline,
    Document,
    DueSource,
    ExtensionRequest,
    Invite,
    PendingQuestion,
    Reminder,
    ReminderState,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitKind,
    UnitRole,
)
from store.outbox import apply_task_status


class CorrectionField(enum.StrEnum):
    TITLE = "title"
    DUE = "due"  # an administrator's due date (ISO), or None: the plan's own again
    MILESTONES = "milestones"  # JSON list of {"due": ISO or null, "phrase": str}
    UNIT_ROLE = "unit_role"  # the unit's role on the task, None when it has none
    STATUS = "status"
    SNOOZED_UNTIL = "snoozed_until"  # a task's or a unit's
    ARCHIVED = "archived"  # a document's: "yes" / None
    UNIT_NAME = "unit_name"
    UNIT_ALIAS = "unit_alias"
    UNIT_MERGED = "unit_merged"  # old: the merged unit's name, new: the unit it became part of
    OVERDUE_QUIET_THROUGH = "overdue_quiet_through"  # a task's overdue notices stopped (`quiet`) up to this date
    HISTORY_SINCE = "history_since"  # a document that came in as history from this day


# The task fields a re-import applies again; the rest (status, snoozes) stay on the kept task row.
REAPPLIED = (CorrectionField.TITLE, CorrectionField.DUE, CorrectionField.MILESTONES, CorrectionField.UNIT_ROLE)


class CorrectionError(StoreError):
    """A correction the store refuses; `reason` is a catalogue key under [corrections]."""

    def __init__(self, reason: str, **values: object) -> None:
        self.reason = reason
        self.values = values
        super().__init__(f"{reason}: {values}")

    def text(self, texts, escape=str) -> str:
        """The refusal in the catalogue's words (`texts`: bot.i18n.Catalogue); a status by its name."""
        values = {k: texts.text(f"status.{v}") if k == "status" else escape(str(v)) for k, v in self.values.items()}
        return texts.text(f"corrections.{self.reason}", **values)


@dataclass(frozen=True)
class Actor:
    """Who makes a correction, and through which interface."""

    source: str  # "cli" | "chat" | "sheet"
    name: str  # the login name, or "tg:<user id> <display name>"
    # In chat: the Telegram user and the Chat row, which the task's history (status reports) names.
    telegram_user_id: int | None = None
    chat_id: int | None = None
    display_name: str | None = None

    @classmethod
    def telegram(cls, user_id: int | None, display_name: str | None, chat_id: int | None = None) -> Actor:
        """An administrator in chat, as the audit trail names them: user id, then the shown name."""
        name = f"tg:{user_id if user_id is not None else '?'} {display_name or ''}".strip()
        return cls("chat", name, user_id, chat_id, display_name)

    @property
    def history_name(self) -> str:
        """The name the task's history shows: the person's, or the login on the command line."""
        return self.display_name or self.name


@dataclass(frozen=True)
class TaskState:
    task_id: int
    document_id: int
    seq: int
    label: str
    title: str
    status: TaskStatus
    effective_due: date | None
    due_source: DueSource | None
    snoozed_until: date | None


@dataclass(frozen=True)
class UnitRef:
    unit_id: int
    name: str


def record(session: Session, actor: Actor, field: CorrectionField, *, now: datetime, document_id: int | None = None,
           task_id: int | None = None, unit_id: int | None = None, old: str | None = None, new: str | None = None,
           note: str = "") -> None:
    """The audit row of one change."""
    session.add(Correction(**_audit_values(actor, field, now, document_id, task_id, unit_id, old, new, note)))


def record_in(conn, actor: Actor, field: CorrectionField, *, now: datetime, document_id: int | None = None,
              task_id: int | None = None, unit_id: int | None = None, old: str | None = None,
              new: str | None = None, note: str = "") -> None:
    """`record` inside a Core transaction (the completion rules work on a connection)."""
    conn.execute(Correction.__table__.insert().values(
        **_audit_values(actor, field, now, document_id, task_id, unit_id, old, new, note)))


def _audit_values(actor: Actor, field: CorrectionField, now: datetime, document_id: int | None,
                  task_id: int | None, unit_id: int | None, old: str | None, new: str | None, note: str) -> dict:
    return dict(made_at=now, source=actor.source, actor=actor.name[:200], document_id=document_id, task_id=task_id,
                unit_id=unit_id, field=field.value, old_value=old, new_value=new, note=note)


# --- looking things up ----------------------------------------------------------------------


def task_state(session: Session, task_id: int) -> TaskState:
    task = session.get(Task, task_id)
    if task is None:
        raise CorrectionError("unknown_task", id=task_id)
    return _state(task)


def _state(task: Task) -> TaskState:
    return TaskState(task.id, task.document_id, task.seq, task.label, task.title, TaskStatus(task.status),
                     task.effective_due, task.due_source, task.snoozed_until)


def task_ids_by_seq(session: Session, document_id: int, seqs: Sequence[int]) -> list[int]:
    """The ids of the document's tasks numbered `seqs`, in that order; every one must exist."""
    if session.get(Document, document_id) is None:
        raise UnknownDocument(document_id)
    found = dict(session.exec(select(Task.seq, Task.id).where(Task.document_id == document_id)).all())
    missing = [seq for seq in seqs if seq not in found]
    if missing:
        raise CorrectionError("unknown_seqs", document=document_id, seqs=", ".join(map(str, missing[:10])))
    return [found[seq] for seq in seqs]


def unit_named(session: Session, name: str) -> UnitRef:
    """The unit whose name or alias is `name`; raises UnknownUnit."""
    key = unit_key(name)
    row = session.exec(
        select(Unit.id, Unit.name).outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(or_(Unit.key == key, UnitAlias.key == key)).order_by(Unit.id)
    ).first()
    if row is None:
        from store.queries import close_unit_names  # the one rule for "did you mean"

        raise UnknownUnit(name, close_unit_names(session, name))
    return UnitRef(*row)


def _key_owner(session: Session, key: str) -> int | None:
    """The unit that a name with this key already denotes (by its name or an alias)."""
    return session.exec(
        select(Unit.id).outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(or_(Unit.key == key, UnitAlias.key == key)).order_by(Unit.id)
    ).first()


def create_unit(session: Session, name: str) -> UnitRef:
    """A new unit with its aliases (as an import would create it); the name must be new."""
    name = name.strip()
    key = unit_key(name)
    if not key:
        raise CorrectionError("blank_unit")
    if _key_owner(session, key) is not None:
        raise CorrectionError("unit_exists", name=name)
    if len(name) > Unit.__table__.c.name.type.length:
        raise CorrectionError("too_long", field="unit", limit=Unit.__table__.c.name.type.length)
    unit = Unit(name=name, key=key, kind=UnitKind(unit_kind(name)))
    session.add(unit)
    session.flush()
    for alias in unit_aliases(name):
        alias_key = unit_key(alias)
        if alias_key != key and _key_owner(session, alias_key) is None:
            session.add(UnitAlias(unit_id=unit.id, alias=alias, key=alias_key))
            session.flush()
    return UnitRef(unit.id, unit.name)


# --- task fields ----------------------------------------------------------------------------


def roles_of(session: Session, task_id: int, unit_id: int) -> list[UnitRole]:
    return [UnitRole(r) for r in session.exec(
        select(TaskUnit.role).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id).order_by(TaskUnit.id)
    ).all()]


def set_unit_role(session: Session, task_id: int, unit_id: int, role: UnitRole | None) -> None:
    """The unit has exactly this role on the task (none at all for None)."""
    session.exec(delete(TaskUnit).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id))
    if role is not None:
        session.add(TaskUnit(task_id=task_id, unit_id=unit_id, role=role))
    session.flush()


def set_title(session: Session, task_id: int, title: str) -> None:
    session.exec(update(Task).where(Task.id == task_id).values(title=title))


def set_admin_due(session: Session, task_id: int, due: date | None) -> None:
    """An administrator's due date; None gives the task its plan's due date back."""
    task = session.get(Task, task_id)
    if due is not None:
        task.effective_due, task.due_source = due, DueSource.ADMIN
    else:
        task.due_source = None
        _recompute_due(session, task)
    session.add(task)
    session.flush()


def milestones_text(session: Session, task_id: int) -> str:
    """The task's milestones as stored in a Correction: JSON, earliest first, undated last."""
    rows = session.exec(
        select(Deadline.due, Deadline.phrase).where(Deadline.task_id == task_id)
        .order_by(Deadline.due.is_(None), Deadline.due, Deadline.id)
    ).all()
    return milestones_json([(due, phrase) for due, phrase in rows])


def milestones_json(milestones: Iterable[tuple[date | None, str]]) -> str:
    return json.dumps([{"due": due.isoformat() if due else None, "phrase": phrase} for due, phrase in milestones],
                      ensure_ascii=False)


def _milestones_from_json(text: str) -> list[tuple[date | None, str]]:
    return [(date.fromisoformat(m["due"]) if m["due"] else None, m["phrase"]) for m in json.loads(text)]


def set_milestones(session: Session, task_id: int, milestones: Sequence[tuple[date | None, str]]) -> None:
    """Replace the task's deadlines; a milestone printed the same way keeps its met flag."""
    met = {(phrase, due): met_at for phrase, due, met_at in session.exec(
        select(Deadline.phrase, Deadline.due, Deadline.met_at).where(Deadline.task_id == task_id)).all()}
    session.exec(delete(Deadline).where(Deadline.task_id == task_id))
    for due, phrase in milestones:
        session.add(Deadline(task_id=task_id, phrase=phrase, due=due, met_at=met.get((phrase, due))))
    session.flush()
    task = session.get(Task, task_id)
    if task.due_source != DueSource.ADMIN:
        _recompute_due(session, task)
        session.add(task)
        session.flush()


def _recompute_due(session: Session, task: Task) -> None:
    rows = session.exec(select(Deadline.due, Deadline.met_at).where(Deadline.task_id == task.id)).all()
    period_end = session.exec(select(Document.period_end).where(Document.id == task.document_id)).one()
    due = effective_due([Milestone(d, m is not None) for d, m in rows], period_end)
    task.effective_due, task.due_source = due.due, due.source


def set_status(session: Session, task_id: int, status: TaskStatus, now: datetime) -> int:
    """The task's status; closing it cancels its pending reminders (how many)."""
    session.flush()
    cancelled = apply_task_status(session.connection(), task_id, status, now)
    session.expire_all()  # the row changed under the ORM's feet
    return cancelled


def set_task_snooze(session: Session, task_id: int, until: date | None) -> None:
    session.exec(update(Task).where(Task.id == task_id).values(snoozed_until=until))


def task_ids_of_unit(session: Session, unit_id: int) -> list[int]:
    return list(session.exec(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id).distinct()).all())


# --- units ----------------------------------------------------------------------------------


def unit_snooze(session: Session, unit_id: int) -> date | None:
    return session.exec(select(Unit.snoozed_until).where(Unit.id == unit_id)).one()


def set_unit_snooze(session: Session, unit_id: int, until: date | None) -> None:
    session.exec(update(Unit).where(Unit.id == unit_id).values(snoozed_until=until))


def add_alias(session: Session, unit_id: int, alias: str) -> None:
    alias = alias.strip()
    key = unit_key(alias)
    if not key:
        raise CorrectionError("blank_unit")
    owner = _key_owner(session, key)
    if owner is not None:
        raise CorrectionError("alias_taken", alias=alias)
    session.add(UnitAlias(unit_id=unit_id, alias=alias, key=key))
    session.flush()


def rename_unit(session: Session, unit_id: int, new_name: str) -> str:
    """The unit's new canonical name; the old one stays an alias, so imports still find it. Returns the old name."""
    new_name = new_name.strip()
    key = unit_key(new_name)
    if not key:
        raise CorrectionError("blank_unit")
    owner = _key_owner(session, key)
    if owner is not None and owner != unit_id:
        raise CorrectionError("unit_exists", name=new_name)
    unit = session.get(Unit, unit_id)
    old_name, old_key = unit.name, unit.key
    # The new name may have been one of the unit's aliases: it is its name now.
    session.exec(delete(UnitAlias).where(UnitAlias.unit_id == unit_id, UnitAlias.key == key))
    session.flush()
    unit.name, unit.key = new_name, key
    session.add(unit)
    session.flush()
    if old_key != key:
        session.add(UnitAlias(unit_id=unit_id, alias=old_name, key=old_key))
        session.flush()
    return old_name


# Every table whose rows point at a unit; a merge points them at the unit that stays.
_UNIT_REFERENCES = ((Chat, Chat.unit_id), (Reminder, Reminder.unit_id), (StatusReport, StatusReport.unit_id),
                    (Invite, Invite.unit_id), (ExtensionRequest, ExtensionRequest.unit_id),
                    (PendingQuestion, PendingQuestion.unit_id), (Correction, Correction.unit_id))


def merge_units(session: Session, merged_id: int, kept_id: int) -> list[int]:
    """Fold one unit into another: its tasks, chats and history move over, its name and aliases
    become the kept unit's aliases, and it is deleted. Returns the ids of the tasks it was on."""
    if merged_id == kept_id:
        raise CorrectionError("merge_same")
    merged = session.get(Unit, merged_id)
    task_ids = task_ids_of_unit(session, merged_id)
    kept_pairs = set(session.exec(select(TaskUnit.task_id, TaskUnit.role).where(TaskUnit.unit_id == kept_id)).all())
    for row in session.exec(select(TaskUnit).where(TaskUnit.unit_id == merged_id)).all():
        if (row.task_id, row.role) in kept_pairs:
            session.delete(row)
        else:
            row.unit_id = kept_id
            session.add(row)
    session.flush()
    # Its pending reminders carry the merged unit in their keys; re-planning makes the kept unit's.
    session.exec(update(Reminder).where(Reminder.unit_id == merged_id, Reminder.state == ReminderState.PENDING)
                 .values(state=ReminderState.CANCELLED, last_error="unit merged"))
    for table, column in _UNIT_REFERENCES:
        session.exec(update(table).where(column == merged_id).values(unit_id=kept_id))
    aliases = session.exec(select(UnitAlias.alias, UnitAlias.key).where(UnitAlias.unit_id == merged_id)).all()
    session.exec(delete(UnitAlias).where(UnitAlias.unit_id == merged_id))
    name, key = merged.name, merged.key
    session.delete(merged)
    session.flush()
    for alias, alias_key in [(name, key), *aliases]:
        if _key_owner(session, alias_key) is None:
            session.add(UnitAlias(unit_id=kept_id, alias=alias, key=alias_key))
            session.flush()
    return task_ids


# --- documents ------------------------------------------------------------------------------


def document_archived_at(session: Session, document_id: int) -> datetime | None:
    document = session.get(Document, document_id)
    if document is None:
        raise UnknownDocument(document_id)
    return document.archived_at


def set_archived(session: Session, document_id: int, at: datetime | None) -> list[int]:
    """Archive the plan (at) or bring it back (None); its task ids. Archiving cancels their
    pending reminders at once, with a reason that lets a plan brought back have them again."""
    session.exec(update(Document).where(Document.id == document_id).values(archived_at=at))
    task_ids = list(session.exec(select(Task.id).where(Task.document_id == document_id)).all())
    if at is not None and task_ids:
        session.exec(update(Reminder).where(Reminder.task_id.in_(task_ids), Reminder.state == ReminderState.PENDING)
                     .values(state=ReminderState.CANCELLED, last_error="task archived"))
    return task_ids


# --- re-import ------------------------------------------------------------------------------


def reapply_corrections(session: Session, previous_document_id: int, document_id: int,
                        tasks_by_old_id: Mapping[int, int]) -> int:
    """After a re-import matched the new version's tasks to the old ones (old task id -> new task
    id), apply each task's latest correction of every reapplied field again, and carry an
    archived plan's archive over to its new version. Returns how many values were applied."""
    session.flush()
    previous = session.get(Document, previous_document_id)
    if previous is not None and previous.archived_at is not None:
        session.exec(update(Document).where(Document.id == document_id).values(archived_at=previous.archived_at))
    if not tasks_by_old_id:
        return 0
    latest: dict[tuple[int, str, int | None], str | None] = {}
    old_ids = sorted(tasks_by_old_id)
    for start in range(0, len(old_ids), 1000):
        for task_id, field, unit_id, new in session.exec(
            select(Correction.task_id, Correction.field, Correction.unit_id, Correction.new_value)
            .where(Correction.task_id.in_(old_ids[start:start + 1000]),
                   Correction.field.in_([f.value for f in REAPPLIED]))
            .order_by(Correction.id)
        ).all():
            latest[(task_id, field, unit_id if field == CorrectionField.UNIT_ROLE else None)] = new
    applied = 0
    # Milestones before the due date: an administrator's date wins over the one they give.
    order = {CorrectionField.TITLE: 0, CorrectionField.MILESTONES: 1, CorrectionField.UNIT_ROLE: 2,
             CorrectionField.DUE: 3}
    for (old_id, field, unit_id), new in sorted(latest.items(), key=lambda item: (item[0][0], order[item[0][1]])):
        task_id = tasks_by_old_id[old_id]
        if field == CorrectionField.TITLE and new:
            set_title(session, task_id, new)
        elif field == CorrectionField.MILESTONES and new is not None:
            set_milestones(session, task_id, _milestones_from_json(new))
        elif field == CorrectionField.UNIT_ROLE and unit_id is not None:
            set_unit_role(session, task_id, unit_id, UnitRole(new) if new else None)
        elif field == CorrectionField.DUE and new:
            set_admin_due(session, task_id, date.fromisoformat(new))
        else:
            continue
        applied += 1
    session.flush()
    session.expire_all()
    return applied


def extracted_titles(session: Session, task_ids: Sequence[int]) -> dict[int, str]:
    """The title each task had before an administrator first corrected it: a re-import matches
    the new version's printed title against this, not against the administrator's wording."""
    if not task_ids:
        return {}
    firsts: dict[int, str] = {}
    for task_id, old in session.exec(
        select(Correction.task_id, Correction.old_value)
        .where(Correction.task_id.in_(list(task_ids)), Correction.field == CorrectionField.TITLE.value)
        .order_by(Correction.id)
    ).all():
        if old is not None:
            firsts.setdefault(task_id, old)
    return firsts


def printed_units_and_milestones(
    session: Session, task_ids: Sequence[int]
) -> tuple[dict[int, dict[int, str | None]], dict[int, list[tuple[date | None, str]]]]:
    """What the plan printed where an administrator changed it: per task, each corrected unit's
    role before the first correction (None: the plan did not name it), and the milestones before
    the first milestone correction. A new version is compared with these, not with the corrections,
    so that a re-import does not call every corrected task changed."""
    roles: dict[int, dict[int, str | None]] = {}
    milestones: dict[int, list[tuple[date | None, str]]] = {}
    if not task_ids:
        return roles, milestones
    for task_id, field, unit_id, old in session.exec(
        select(Correction.task_id, Correction.field, Correction.unit_id, Correction.old_value)
        .where(Correction.task_id.in_(list(task_ids)),
               Correction.field.in_([CorrectionField.UNIT_ROLE.value, CorrectionField.MILESTONES.value]))
        .order_by(Correction.id)
    ).all():
        if field == CorrectionField.UNIT_ROLE and unit_id is not None:
            roles.setdefault(task_id, {}).setdefault(unit_id, old)
        elif field == CorrectionField.MILESTONES and old is not None and task_id not in milestones:
            milestones[task_id] = _milestones_from_json(old)
    return roles, milestones


# --- the trail ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionEntry:
    correction_id: int
    made_at: datetime
    source: str
    actor: str
    document_id: int | None
    task_id: int | None
    task_label: str | None
    unit_name: str | None
    field: str
    old_value: str | None
    new_value: str | None
    note: str


def corrections(engine: Engine, task_id: int | None = None, document_id: int | None = None) -> list[CorrectionEntry]:
    """The audit trail, oldest first: of one task, one document (its tasks included), or all."""
    with Session(engine) as session:
        statement = (
            select(Correction, Task.label, Unit.name)
            .outerjoin(Task, Task.id == Correction.task_id)
            .outerjoin(Unit, Unit.id == Correction.unit_id)
            .order_by(Correction.made_at, Correction.id)
        )
        if task_id is not None:
            statement = statement.where(Correction.task_id == task_id)
        if document_id is not None:
            statement = statement.where(or_(Correction.document_id == document_id, Task.document_id == document_id))
        rows = session.exec(statement).all()
    return [CorrectionEntry(c.id, c.made_at, c.source, c.actor, c.document_id, c.task_id, label, name, c.field,
                            c.old_value, c.new_value, c.note) for c, label, name in rows]


# --- the spreadsheet round trip -------------------------------------------------------------


def milestones_by_task(engine: Engine, task_ids: Sequence[int]) -> dict[int, list[tuple[date | None, str]]]:
    """Each task's milestones (due, phrase as printed), earliest first, undated last."""
    found: dict[int, list[tuple[date | None, str]]] = {}
    ids = sorted(set(task_ids))
    with Session(engine) as session:
        for start in range(0, len(ids), 1000):
            for task_id, due, phrase in session.exec(
                select(Deadline.task_id, Deadline.due, Deadline.phrase)
                .where(Deadline.task_id.in_(ids[start:start + 1000]))
                .order_by(Deadline.task_id, Deadline.due.is_(None), Deadline.due, Deadline.id)
            ).all():
                found.setdefault(task_id, []).append((due, phrase))
    return found


def canonical_unit_names(engine: Engine, names: Iterable[str]) -> dict[str, str | None]:
    """Each name as typed -> the canonical name of the unit it denotes (by name or alias), or None."""
    out: dict[str, str | None] = {}
    with Session(engine) as session:
        for name in dict.fromkeys(names):
            key = unit_key(name)
            out[name] = session.exec(
                select(Unit.name).outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
                .where(or_(Unit.key == key, UnitAlias.key == key)).order_by(Unit.id)
            ).first() if key else None
    return out


def task_document_ids(engine: Engine, task_ids: Sequence[int]) -> dict[int, int]:
    """Task id -> its document's id, for the ids that name a task."""
    ids = sorted(set(task_ids))
    found: dict[int, int] = {}
    with Session(engine) as session:
        for start in range(0, len(ids), 1000):
            found.update(session.exec(select(Task.id, Task.document_id)
                                      .where(Task.id.in_(ids[start:start + 1000]))).all())
    return found
