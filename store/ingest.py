"""Turning an ExtractedPlan into rows: idempotent, one transaction per document.

Three situations, decided before anything is written:
- the same bytes were imported before (same content hash): nothing to do;
- another version of the same plan is stored (same doc_number, or same title and issuer):
  by default nothing is written and the administrator is told how to replace it; with
  on_change="replace" the new version supersedes the old one and tasks that are still in
  the plan keep their id and status, so reminders and status history stay attached. Which
  task is which is decided by content, not by label (store.task_matching): a renumbered
  version keeps every task;
- otherwise: a new document.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Engine, delete, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from extract.model import ExtractedPlan, ExtractedTask
from extract.unitnames import unit_aliases, unit_key, unit_kind
from store.corrections import extracted_titles, printed_units_and_milestones, reapply_corrections
from store.db import session_scope
from store.errors import InvalidPlan
from store.milestones import Milestone, effective_due, next_period_due
from store.task_matching import TaskContent, VersionMatching, match_tasks
from store.models import (
    DueSource,
    Deadline,
    Document,
    Recurrence,
    ReviewFlag as StoredReviewFlag,
    Task,
    TaskPeriod,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitKind,
    UnitRole,
    utc_now,
)

OnChange = Literal["skip", "replace"]
OutcomeKind = Literal["created", "unchanged", "changed", "replaced"]


@dataclass(frozen=True)
class ChangedTask:
    """A task the new version carries over under another label or in other words."""

    old_label: str
    old_section: str | None
    new_label: str
    new_section: str | None
    title: str  # as the new version prints it
    reworded: bool  # title, body, units or deadlines differ, not only the label


@dataclass(frozen=True)
class VersionChanges:
    """A new version against the stored one: tasks kept as they were, changed, new, and dropped."""

    kept: int
    changed: tuple[ChangedTask, ...]
    added: int
    dropped: int


@dataclass(frozen=True)
class IngestOutcome:
    """What ingest_plan did, for the CLI to report."""

    kind: OutcomeKind
    document_id: int  # the new document, or the existing one for "unchanged" and "changed"
    title: str
    task_count: int
    new_unit_count: int
    deadline_count: int
    message: str
    # Only for "replaced": tasks carried over from the old version, and old tasks cancelled.
    kept_task_count: int = 0
    cancelled_task_count: int = 0
    # For "changed" (what replacing would do) and "replaced" (what it did).
    changes: VersionChanges | None = None

    @property
    def stored_document(self) -> bool:
        """A new document was written ("created", "replaced"), not only reported on."""
        return self.kind in ("created", "replaced")


def ingest_plan(
    engine: Engine, plan: ExtractedPlan, content_sha256: str, on_change: OnChange = "skip"
) -> IngestOutcome:
    """Store the plan in one transaction; importing the same content twice writes nothing."""
    if on_change not in ("skip", "replace"):
        raise ValueError(f"on_change must be 'skip' or 'replace', not {on_change!r}")
    _check_plan(plan)
    if not re.fullmatch(r"[0-9a-f]{64}", content_sha256):
        raise ValueError("content_sha256 must be 64 lower-case hex digits")
    for _ in range(_ATTEMPTS - 1):
        try:
            return _ingest_once(engine, plan, content_sha256, on_change)
        except (IntegrityError, _LostRace):
            # Imports raced (same file, the same new unit, or two replacements of one
            # version): the loser's transaction was rolled back whole. Deciding again sees
            # the winner's rows and reports accordingly.
            continue
    # A constraint that fails every time is a bug, not a race: let it surface.
    return _ingest_once(engine, plan, content_sha256, on_change)


# Each retry follows a transaction that committed, so a few suffice even with many importers.
_ATTEMPTS = 5


class _LostRace(Exception):
    """Another transaction superseded the same document first."""


def _check_plan(plan: ExtractedPlan) -> None:
    """Refuse what the database would refuse, with the same message on SQLite and PostgreSQL.

    SQLite ignores VARCHAR lengths and PostgreSQL enforces them; checking here keeps an
    over-long, probably mis-extracted field from importing on one backend and failing on the other.
    """
    seqs = [t.seq for t in plan.tasks]
    if len(seqs) != len(set(seqs)):
        raise InvalidPlan("two tasks share a sequence number")
    meta = plan.document
    checks = [
        (Document.title, meta.title), (Document.issuer, meta.issuer), (Document.doc_number, meta.doc_number),
        (Document.language, plan.language), (Document.source_name, plan.source),
    ]
    for t in plan.tasks:
        checks += [(Task.label, t.label), (Task.section, t.section)]
        checks += [(Unit.name, name) for name in (*t.lead_units, *t.responsible_units, *t.cooperating_units)]
        checks += [(Deadline.phrase, d.phrase) for d in t.deadlines]
        checks += [(Recurrence.phrase, r.phrase) for r in t.recurrences]
        checks += [(Recurrence.freq, r.freq) for r in t.recurrences]
    checks += [(StoredReviewFlag.code, f.code) for f in plan.review_flags]
    for column, value in checks:
        limit = column.type.length
        if value is not None and limit is not None and len(value) > limit:
            raise InvalidPlan(f"{column.key} is longer than {limit} characters: {value[:40]}…")


def _ingest_once(engine: Engine, plan: ExtractedPlan, content_sha256: str, on_change: OnChange) -> IngestOutcome:
    with session_scope(engine) as session:
        same_content = session.exec(select(Document).where(Document.content_sha256 == content_sha256)).first()
        if same_content is not None:
            return _unchanged(session, same_content)
        previous = previous_version(session, plan)
        if previous is not None and previous.content_sha256 == content_sha256:
            # Read outside a transaction snapshot (SQLite before its first write, PostgreSQL's
            # read committed), a concurrent import of this same file can commit between the
            # two lookups: it is the same content all the same.
            return _unchanged(session, previous)
        if previous is not None and on_change == "skip":
            return _changed(session, previous, plan)
        document = _add_document(session, plan, content_sha256)
        units = _UnitResolver(session)
        if previous is None:
            return _create(session, document, plan, units)
        return _replace(session, previous, document, plan, units)


def _create(session: Session, document: Document, plan: ExtractedPlan, units: _UnitResolver) -> IngestOutcome:
    for extracted in plan.tasks:
        _fill_task(session, Task(document_id=document.id, seq=extracted.seq), extracted, plan, units)
    _store_review_flags(session, document, plan)
    return IngestOutcome(
        kind="created",
        document_id=document.id,
        title=_display_title(document),
        task_count=len(plan.tasks),
        new_unit_count=units.created_count,
        deadline_count=_deadline_count(plan),
        message=f"Imported {len(plan.tasks)} tasks as document {document.id}.",
    )


def _unchanged(session: Session, document: Document) -> IngestOutcome:
    task_count = session.exec(select(func.count()).select_from(Task).where(Task.document_id == document.id)).one()
    deadline_count = session.exec(
        select(func.count()).select_from(Deadline).join(Task).where(Task.document_id == document.id)
    ).one()
    note = "" if document.superseded_by_id is None else f" (a version superseded by document {document.superseded_by_id})"
    return IngestOutcome(
        kind="unchanged",
        document_id=document.id,
        title=_display_title(document),
        task_count=task_count,
        new_unit_count=0,
        deadline_count=deadline_count,
        message=f"This file is already stored as document {document.id}{note}; nothing was written.",
    )


def _changed(session: Session, previous: Document, plan: ExtractedPlan) -> IngestOutcome:
    old_tasks, matching = _match_versions(session, previous, plan)
    return IngestOutcome(
        kind="changed",
        document_id=previous.id,
        title=_display_title(previous),
        task_count=len(plan.tasks),
        new_unit_count=0,
        deadline_count=_deadline_count(plan),
        message=(
            f"A different version of this plan is already stored as document {previous.id}; "
            "nothing was written. Re-run with replace to supersede it "
            "(tasks still in the plan keep their status; tasks no longer in it are cancelled)."
        ),
        changes=_version_changes(old_tasks, plan, matching),
    )


def previous_version(session: Session, plan: ExtractedPlan) -> Document | None:
    """The active document this plan is a new version of: same doc_number, else same title and issuer."""
    meta = plan.document
    active = select(Document).where(Document.superseded_by_id.is_(None)).order_by(Document.id.desc())
    if meta.doc_number:
        by_number = session.exec(active.where(Document.doc_number == meta.doc_number)).first()
        if by_number is not None:
            return by_number
    if meta.title:
        return session.exec(
            active.where(Document.title == meta.title, _same_or_both_null(Document.issuer, meta.issuer))
        ).first()
    return None


def version_changes(engine: Engine, plan: ExtractedPlan) -> VersionChanges | None:
    """What replacing the stored version with this plan would keep, change, add and drop; None
    when no other version is stored (reads only)."""
    with session_scope(engine) as session:
        previous = previous_version(session, plan)
        if previous is None:
            return None
        old_tasks, matching = _match_versions(session, previous, plan)
        return _version_changes(old_tasks, plan, matching)


def _same_or_both_null(column, value):
    return column.is_(None) if value is None else column == value


def _add_document(session: Session, plan: ExtractedPlan, content_sha256: str) -> Document:
    meta = plan.document
    document = Document(
        title=meta.title,
        issuer=meta.issuer,
        doc_number=meta.doc_number,
        issued_on=meta.issued_on,
        period_end=meta.period_end,
        language=plan.language,
        source_name=plan.source,
        content_sha256=content_sha256,
    )
    session.add(document)
    session.flush()  # tasks need the id
    return document


def _replace(
    session: Session, previous: Document, document: Document, plan: ExtractedPlan, units: _UnitResolver
) -> IngestOutcome:
    now = utc_now()
    # The claim is the lock: only the transaction that finds the old version still active
    # may supersede it; a concurrent replacement waits here, then loses and starts over.
    claimed = session.exec(
        update(Document)
        .where(Document.id == previous.id, Document.superseded_by_id.is_(None))
        .values(superseded_by_id=document.id, superseded_at=now)
    )
    if claimed.rowcount != 1:
        raise _LostRace()

    old_tasks, matching = _match_versions(session, previous, plan)
    changes = _version_changes(old_tasks, plan, matching)  # before the old tasks take the new labels
    predecessors = {pair.new: old_tasks[pair.old] for pair in matching.pairs}
    tasks_by_old_id: dict[int, int] = {}
    for index, extracted in enumerate(plan.tasks):
        task = predecessors.get(index)
        if task is not None:
            task.document_id = document.id
            task.seq = extracted.seq
            met = _met_milestones(session, task)
            _clear_task_children(session, task)
            tasks_by_old_id[task.id] = task.id  # a kept task keeps its id
        else:
            task, met = Task(document_id=document.id, seq=extracted.seq), {}
        _fill_task(session, task, extracted, plan, units, met)
    reapply_corrections(session, previous.id, document.id, tasks_by_old_id)

    cancelled = 0
    for index in matching.dropped:
        old = old_tasks[index]
        # A finished task stays finished: "done" is a fact about the past, not about the plan.
        if old.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
            old.status = TaskStatus.CANCELLED
            old.status_changed_at = now
            cancelled += 1
        session.add(old)
    # The superseded reading's flags would point at tasks the new version now owns.
    session.exec(delete(StoredReviewFlag).where(StoredReviewFlag.document_id == previous.id))
    _store_review_flags(session, document, plan)

    kept, added = len(matching.pairs), len(matching.added)
    return IngestOutcome(
        kind="replaced",
        document_id=document.id,
        title=_display_title(document),
        task_count=len(plan.tasks),
        new_unit_count=units.created_count,
        deadline_count=_deadline_count(plan),
        message=(
            f"Document {previous.id} is superseded by document {document.id}: "
            f"{kept} tasks kept, {added} added, {cancelled} cancelled."
        ),
        kept_task_count=kept,
        cancelled_task_count=cancelled,
        changes=changes,
    )


def _match_versions(session: Session, previous: Document, plan: ExtractedPlan) -> tuple[list[Task], VersionMatching]:
    """The previous version's tasks in order, and which of them each of the plan's tasks continues (reads only)."""
    old_tasks = list(session.exec(select(Task).where(Task.document_id == previous.id).order_by(Task.seq)).all())
    ids = [task.id for task in old_tasks]
    # An administrator's units, titles and milestones are not what the plan printed: the new
    # version is compared with the printed ones (the corrections are applied again afterwards).
    printed_roles, printed_milestones = printed_units_and_milestones(session, ids)
    unit_keys: dict[int, str] = {}
    units: dict[int, set[tuple[str, str]]] = defaultdict(set)
    # The old version's tasks by subquery, not by id list: a plan of 70,000 tasks would pass the
    # drivers' parameter limits.
    of_previous = select(Task.id).where(Task.document_id == previous.id)
    for task_id, unit_id, role, key in session.exec(
        select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role, Unit.key).join(Unit)
        .where(TaskUnit.task_id.in_(of_previous))
    ).all():
        unit_keys[unit_id] = key
        if unit_id not in printed_roles.get(task_id, {}):
            units[task_id].add((str(role), key))
    for task_id, roles in printed_roles.items():
        for unit_id, role in roles.items():
            if role is not None:
                key = unit_keys.get(unit_id) or session.exec(select(Unit.key).where(Unit.id == unit_id)).first()
                if key is not None:
                    units[task_id].add((role, key))
    deadlines: dict[int, set[tuple[str, date | None]]] = defaultdict(set)
    for task_id, phrase, due in session.exec(
        select(Deadline.task_id, Deadline.phrase, Deadline.due).where(Deadline.task_id.in_(of_previous))
    ).all():
        if task_id not in printed_milestones:
            deadlines[task_id].add((phrase, due))
    for task_id, milestones in printed_milestones.items():
        deadlines[task_id] = {(phrase, due) for due, phrase in milestones}
    # An administrator's title is not the printed one: the new version is compared with what was printed.
    printed_titles = extracted_titles(session, ids)
    old = [TaskContent(t.label, t.section, printed_titles.get(t.id, t.title), t.body, frozenset(units[t.id]),
                       frozenset(deadlines[t.id]))
           for t in old_tasks]
    stored_key = _StoredUnitKeys(session)
    new = [
        TaskContent(
            t.label, t.section, t.title, t.body,
            frozenset((str(role), stored_key(name)) for role, names in _roles(t) for name in names if name.strip()),
            frozenset((d.phrase, d.due) for d in t.deadlines),
        )
        for t in plan.tasks
    ]
    return old_tasks, match_tasks(old, new)


def _roles(task: ExtractedTask) -> tuple[tuple[UnitRole, list[str]], ...]:
    return ((UnitRole.LEAD, task.lead_units), (UnitRole.RESPONSIBLE, task.responsible_units),
            (UnitRole.COOPERATING, task.cooperating_units))


class _StoredUnitKeys:
    """A printed name → the key of the stored unit it names (through its aliases), else its own key; reads only."""

    def __init__(self, session: Session) -> None:
        self._canonical = dict(session.exec(select(UnitAlias.key, Unit.key).join(Unit)).all())

    def __call__(self, printed_name: str) -> str:
        key = unit_key(printed_name)
        return self._canonical.get(key, key)


def _version_changes(old_tasks: list[Task], plan: ExtractedPlan, matching: VersionMatching) -> VersionChanges:
    changed = tuple(
        ChangedTask(old_label=old_tasks[pair.old].label, old_section=old_tasks[pair.old].section,
                    new_label=plan.tasks[pair.new].label, new_section=plan.tasks[pair.new].section,
                    title=plan.tasks[pair.new].title, reworded=pair.reworded)
        for pair in matching.changed_pairs
    )
    return VersionChanges(kept=matching.kept_count, changed=changed, added=len(matching.added),
                          dropped=len(matching.dropped))


def _met_milestones(session: Session, task: Task) -> dict[tuple[str, date | None], datetime]:
    """The task's met milestones by (phrase, due): a milestone the new version prints the same way is the same one."""
    rows = session.exec(
        select(Deadline.phrase, Deadline.due, Deadline.met_at)
        .where(Deadline.task_id == task.id, Deadline.met_at.is_not(None))
    ).all()
    return {(phrase, due): met_at for phrase, due, met_at in rows}


def _clear_task_children(session: Session, task: Task) -> None:
    # TaskUnit rows are not cleared but reconciled in _fill_task: a unit's share that the new
    # version still gives it is the same row, with whatever the unit reported on it.
    for child in (Deadline, Recurrence):
        session.exec(delete(child).where(child.task_id == task.id))


def _fill_task(session: Session, task: Task, extracted: ExtractedTask, plan: ExtractedPlan, units: _UnitResolver,
               met: dict[tuple[str, date | None], datetime] | None = None) -> None:
    """Copy the extracted text, units, deadlines and recurrences onto the task (new or carried
    over); `met` holds the carried-over task's met milestones by (phrase, due). A carried-over
    task's units keep what they reported on their shares (TaskUnit.status)."""
    met = met or {}
    carried_over = task.id is not None
    task.label = extracted.label
    task.section = extracted.section
    task.title = extracted.title
    task.body = extracted.body
    if task.due_source != DueSource.ADMIN:
        milestones = [Milestone(d.due, (d.phrase, d.due) in met) for d in extracted.deadlines]
        due = effective_due(milestones, plan.document.period_end)
        task.effective_due, task.due_source = due.due, due.source
        # A recurring duty reported for some periods already stays due at the period after them.
        latest = None if task.id is None else session.exec(
            select(func.max(TaskPeriod.due)).where(TaskPeriod.task_id == task.id)).one()
        following = next_period_due(latest, [r.freq for r in extracted.recurrences], plan.document.period_end)
        if following is not None and (task.effective_due is None or following > task.effective_due):
            task.effective_due, task.due_source = following, DueSource.EXPLICIT
    session.add(task)
    session.flush()

    # A dict, not a list: the same body printed twice under two spellings is one share.
    shares = {(units.unit_for(name).id, role): None for role, names in _roles(extracted) for name in names
              if name.strip()}
    existing = {}
    if carried_over:
        existing = {(share.unit_id, share.role): share
                    for share in session.exec(select(TaskUnit).where(TaskUnit.task_id == task.id)).all()}
    # A unit whose role changed gets a new row: what it reported on its share goes with it.
    reported = {share.unit_id: (share.status, share.reported_at) for share in existing.values()}
    for key, share in existing.items():
        if key not in shares:
            session.delete(share)
    for unit_id, role in shares:
        if (unit_id, role) not in existing:
            status, reported_at = reported.get(unit_id, (TaskStatus.OPEN, None))
            session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role, status=status, reported_at=reported_at))
    for deadline in extracted.deadlines:
        session.add(Deadline(task_id=task.id, phrase=deadline.phrase, due=deadline.due, quote=deadline.quote,
                             met_at=met.get((deadline.phrase, deadline.due))))
    for recurrence in extracted.recurrences:
        session.add(Recurrence(task_id=task.id, freq=recurrence.freq, phrase=recurrence.phrase, quote=recurrence.quote))


def _store_review_flags(session: Session, document: Document, plan: ExtractedPlan) -> None:
    """The plan's review flags as rows of this document, each tied to its task where it has one."""
    task_ids = dict(session.exec(select(Task.seq, Task.id).where(Task.document_id == document.id)).all())
    for flag in plan.review_flags:
        session.add(StoredReviewFlag(document_id=document.id, task_id=task_ids.get(flag.task) if flag.task else None,
                                     code=flag.code, params=dict(flag.values)))
    session.flush()


class _UnitResolver:
    """Finds or creates the one Unit row for a printed name, within one ingest transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.created_count = 0
        self._by_key: dict[str, Unit] = {}

    def unit_for(self, printed_name: str) -> Unit:
        key = unit_key(printed_name)
        if key not in self._by_key:
            self._by_key[key] = self._find(key) or self._create(printed_name, key)
        return self._by_key[key]

    def _find(self, key: str) -> Unit | None:
        return self.session.exec(
            select(Unit)
            .outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
            .where(or_(Unit.key == key, UnitAlias.key == key))
            .order_by(Unit.id)
        ).first()

    def _create(self, printed_name: str, key: str) -> Unit:
        name = printed_name.strip()  # kept as printed: NFKC would turn （） into ()
        unit = Unit(name=name, key=key, kind=UnitKind(unit_kind(name)))
        self.session.add(unit)
        self.session.flush()
        self.created_count += 1
        for alias in unit_aliases(name):
            alias_key = unit_key(alias)
            # An alias that already names another unit would make lookups ambiguous; the
            # existing unit keeps it.
            if alias_key == key or self._find(alias_key) is not None:
                continue
            self.session.add(UnitAlias(unit_id=unit.id, alias=alias, key=alias_key))
            self.session.flush()
        return unit


def _deadline_count(plan: ExtractedPlan) -> int:
    return sum(len(t.deadlines) for t in plan.tasks)


def _display_title(document: Document) -> str:
    return document.title or document.source_name
