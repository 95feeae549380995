"""Extension requests, the export of all tasks, and the dry run of an import sent through the bot.

Like store.chats, every function takes an Engine, runs one short transaction and returns
frozen dataclasses; nothing here knows about Telegram beyond its numeric ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import Connection, Engine, select, update

from extract.model import ExtractedPlan
from extract.relative import find_relative_dates
from extract.timex import find_deadlines
from store.chats import NotUnitsTask, Replanner, task_card_in
from store.db import session_scope
from store.errors import StoreError
from store import notices
from store.chats import clip_user_name
from store.models import (
    CLOSED_STATUSES,
    Chat,
    Document,
    DueSource,
    ExtensionRequest,
    ExtensionState,
    Reminder,
    ReminderState,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitRole,
)
from store.outbox import apply_task_status
from store.pending import QuestionKey, forget_question_in
from store.shares import set_share_status_in

# --- reading a proposed date ----------------------------------------------------------------

_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
# A bare date ("9月30日") is no deadline in a plan's text, but in an answer to "by when?" it is one:
# the extractor reads it once "前" follows.
_BARE_DATE = re.compile(r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}[日号]|底|末|中旬|上旬|下旬)?")


def parse_proposed_due(answer: str, plan_year: int, *, today: date) -> date | None:
    """The date a unit proposes in free text, or None.

    Tried in order: an ISO date ("2026-09-30"); an absolute expression, read as in a plan with
    the plan's year ("6月底", "9月30日", "2026年10月底前"); a relative one counted from today
    ("下月底", "两周后", "next Friday"; see extract.relative). The absolute reading is made with
    the relative phrases blanked out, so the "3月底" of "明年3月底" is next year's and "年底前"
    or "by the end of the year" means this year's end, not the plan's year's.
    """
    text = answer.strip()
    iso = _ISO_DATE.search(text)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    relative = find_relative_dates(text, today)
    masked = list(text)
    for phrase in relative:
        masked[phrase.start:phrase.end] = "，" * (phrase.end - phrase.start)
    return _absolute_due("".join(masked), plan_year) or (relative[0].due if relative else None)


def _absolute_due(text: str, plan_year: int) -> date | None:
    found = find_deadlines(text, plan_year, "zh") or find_deadlines(text, plan_year, "en")
    if not found:
        bare = _BARE_DATE.search(text)
        if bare:
            found = find_deadlines(bare.group(0) + "前", plan_year, "zh")
    return found[0].due if found else None


def task_plan_year(engine: Engine, task_id: int, today: date) -> int:
    """The year a proposed "6月底" refers to: the plan's period end or issue year, else this year."""
    with engine.connect() as conn:
        row = conn.execute(
            select(Document.period_end, Document.issued_on, Task.effective_due)
            .join(Task, Task.document_id == Document.id).where(Task.id == task_id)
        ).first()
    if row is None:
        return today.year
    anchor = row[0] or row[1] or row[2]
    return anchor.year if anchor else today.year


# --- extension requests ---------------------------------------------------------------------


class ExtensionError(StoreError):
    """Base of why an extension request cannot be decided."""


class UnknownExtension(ExtensionError):
    def __init__(self, request_id: int) -> None:
        super().__init__(f"no extension request {request_id}")


class AlreadyDecided(ExtensionError):
    def __init__(self, request_id: int, state: ExtensionState) -> None:
        super().__init__(f"extension request {request_id} is {state.value} already")
        self.state = state


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    task_id: int
    label: str
    title: str
    document_title: str
    effective_due: date | None  # the task's due date now (after an approval: the proposed one)
    proposed_due: date
    unit_name: str
    reason: str
    telegram_user_id: int | None
    state: ExtensionState


@dataclass(frozen=True)
class AdminChat:
    telegram_chat_id: int
    language: str


def request_extension(engine: Engine, task_id: int, chat_id: int, unit_id: int | None, telegram_user_id: int | None,
                      proposed_due: date, reason: str, now: datetime,
                      answers: QuestionKey | None = None, telegram_user_name: str | None = None) -> ExtensionInfo:
    """Store a pending request, mark the task extension_requested and queue the request to every
    administrators' chat (store.notices); raises NotUnitsTask.

    `answers` is the bot's question the request replies to: it is forgotten in the same
    transaction, so a crash never leaves a stored request with its question still open, nor a
    request the administrators are never told of.
    """
    with engine.begin() as conn:
        card = None if unit_id is None else task_card_in(conn, task_id, unit_id)
        if card is None:
            raise NotUnitsTask(task_id, unit_id)
        unit_id = card.unit_id  # a collective's member asks for the collective's share
        if answers is not None:
            forget_question_in(conn, answers)
        request_id = conn.execute(ExtensionRequest.__table__.insert().values(
            task_id=task_id, unit_id=unit_id, chat_id=chat_id, telegram_user_id=telegram_user_id,
            proposed_due=proposed_due, reason=reason, state=ExtensionState.PENDING, requested_at=now,
            telegram_user_name=clip_user_name(telegram_user_name),
        )).inserted_primary_key[0]
        apply_task_status(conn, task_id, TaskStatus.EXTENSION_REQUESTED, now)
        set_share_status_in(conn, task_id, [unit_id], TaskStatus.EXTENSION_REQUESTED, now)
        notices.enqueue_request_in(conn, request_id, unit_id, now)
        return _extension_info(conn, request_id)


def admin_chats(engine: Engine) -> list[AdminChat]:
    """The administrators' chats the bot may still write to."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Chat.telegram_chat_id, Chat.language).where(Chat.is_admin.is_(True), Chat.active.is_(True))
            .order_by(Chat.id)
        ).all()
    return [AdminChat(*row) for row in rows]


def decide_extension(engine: Engine, request_id: int, approve: bool, decided_by: int | None, now: datetime, *,
                     replan: Replanner | None = None) -> ExtensionInfo:
    """Approve or reject a pending request, once, in one transaction; raises UnknownExtension or AlreadyDecided.

    Approval moves the task's due date to the proposed one (due_source "admin", which a
    re-import keeps), puts the task back in progress and cancels the pending reminders about the
    old date, so the next planning run plans them for the new date (a later milestone's stay).
    The decision is queued to the chat that asked (store.notices) in the same transaction.
    `replan`, when given, re-plans the task in the same transaction. `decided_by` is the
    administrator's Telegram user id; None on the command line.
    """
    state = ExtensionState.APPROVED if approve else ExtensionState.REJECTED
    with engine.begin() as conn:
        # The conditional UPDATE is the lock: of two administrators deciding at once, one wins.
        claimed = conn.execute(
            update(ExtensionRequest)
            .where(ExtensionRequest.id == request_id, ExtensionRequest.state == ExtensionState.PENDING)
            .values(state=state, decided_by=decided_by, decided_at=now)
        ).rowcount
        if not claimed:
            current = conn.execute(select(ExtensionRequest.state).where(ExtensionRequest.id == request_id)).scalar()
            if current is None:
                raise UnknownExtension(request_id)
            raise AlreadyDecided(request_id, ExtensionState(current))
        task_id, proposed, unit_id = conn.execute(
            select(ExtensionRequest.task_id, ExtensionRequest.proposed_due, ExtensionRequest.unit_id)
            .where(ExtensionRequest.id == request_id)
        ).one()
        # Decided either way, the unit's share is no longer waiting for it (app.status's rules read shares).
        set_share_status_in(conn, task_id, [unit_id], TaskStatus.IN_PROGRESS, now,
                            only_from=TaskStatus.EXTENSION_REQUESTED)
        if approve:
            old_due = conn.execute(select(Task.effective_due).where(Task.id == task_id)).scalar()
            conn.execute(update(Task).where(Task.id == task_id)
                         .values(effective_due=proposed, due_source=DueSource.ADMIN))
            status = conn.execute(select(Task.status).where(Task.id == task_id)).scalar_one()
            if status not in CLOSED_STATUSES:  # finished or cancelled meanwhile: it stays so
                apply_task_status(conn, task_id, TaskStatus.IN_PROGRESS, now)
            # Only the moved date's rows: the task's later milestones keep theirs.
            conn.execute(
                update(Reminder).where(Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING,
                                       Reminder.due_date == old_due)
                .values(state=ReminderState.CANCELLED, last_error="due date moved by an approved extension")
            )
        else:
            status = conn.execute(select(Task.status).where(Task.id == task_id)).scalar_one()
            if status == TaskStatus.EXTENSION_REQUESTED:
                apply_task_status(conn, task_id, TaskStatus.IN_PROGRESS, now)
        notices.enqueue_decision_in(conn, request_id, now)
        if replan is not None:
            replan(conn, [task_id])
        return _extension_info(conn, request_id)


def _extension_info(conn: Connection, request_id: int) -> ExtensionInfo:
    row = conn.execute(
        select(ExtensionRequest.id, ExtensionRequest.task_id, Task.label, Task.title, Document.title,
               Document.source_name, Task.effective_due, ExtensionRequest.proposed_due, Unit.name,
               ExtensionRequest.reason, ExtensionRequest.telegram_user_id, ExtensionRequest.state)
        .join(Task, Task.id == ExtensionRequest.task_id)
        .join(Document, Document.id == Task.document_id)
        .join(Unit, Unit.id == ExtensionRequest.unit_id)
        .where(ExtensionRequest.id == request_id)
    ).one()
    return ExtensionInfo(id=row[0], task_id=row[1], label=row[2], title=row[3], document_title=row[4] or row[5],
                         effective_due=row[6], proposed_due=row[7], unit_name=row[8], reason=row[9],
                         telegram_user_id=row[10], state=ExtensionState(row[11]))


# --- the export -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportTask:
    """One task of an active plan with everything the export shows about it."""

    task_id: int
    plan: str
    label: str
    title: str
    units: tuple[tuple[str, UnitRole], ...]  # (unit name, role), lead first
    effective_due: date | None
    due_source: DueSource | None
    status: TaskStatus
    last_report_unit: str | None
    last_report_user: int | None
    last_report_at: datetime | None
    last_report_note: str | None
    last_report_user_name: str | None = None  # None for reports recorded before names were kept


_ROLE_ORDER = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


def tasks_for_export(engine: Engine) -> list[ExportTask]:
    """All tasks of active (not superseded) plans, by plan and position."""
    with engine.connect() as conn:
        tasks = conn.execute(
            select(Task.id, Document.title, Document.source_name, Task.label, Task.title, Task.effective_due,
                   Task.due_source, Task.status)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None))
            .order_by(Document.id, Task.seq)
        ).all()
        ids = [t[0] for t in tasks]
        units: dict[int, list[tuple[str, UnitRole]]] = {}
        reports: dict[int, tuple] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for task_id, name, role in conn.execute(
                select(TaskUnit.task_id, Unit.name, TaskUnit.role).join(Unit, Unit.id == TaskUnit.unit_id)
                .where(TaskUnit.task_id.in_(chunk)).order_by(TaskUnit.id)
            ):
                units.setdefault(task_id, []).append((name, UnitRole(role)))
            for task_id, unit, user, at, note, user_name in conn.execute(
                select(StatusReport.task_id, Unit.name, StatusReport.telegram_user_id, StatusReport.reported_at,
                       StatusReport.note, StatusReport.telegram_user_name)
                .outerjoin(Unit, Unit.id == StatusReport.unit_id)
                .where(StatusReport.task_id.in_(chunk))
                .order_by(StatusReport.reported_at, StatusReport.id)
            ):
                reports[task_id] = (unit, user, at, note, user_name)  # the latest wins
    out = []
    for task_id, plan, source, label, title, due, source_kind, status in tasks:
        report = reports.get(task_id, (None, None, None, None, None))
        out.append(ExportTask(
            task_id=task_id, plan=plan or source, label=label, title=title,
            units=tuple(sorted(units.get(task_id, ()), key=lambda u: _ROLE_ORDER[u[1]])),
            effective_due=due, due_source=DueSource(source_kind) if source_kind else None,
            status=TaskStatus(status), last_report_unit=report[0], last_report_user=report[1],
            last_report_at=report[2], last_report_note=report[3], last_report_user_name=report[4],
        ))
    return out


# --- an import's dry run --------------------------------------------------------------------

ImportKind = Literal["new", "unchanged", "changed"]


def import_kind(engine: Engine, plan: ExtractedPlan, content_sha256: str) -> ImportKind:
    """What ingest_plan would find: a new plan, these very bytes again, or a new version of a stored plan."""
    from store.ingest import previous_version  # the same rule ingest_plan decides by

    with session_scope(engine) as session:
        if session.execute(select(Document.id).where(Document.content_sha256 == content_sha256)).first() is not None:
            return "unchanged"
        return "changed" if previous_version(session, plan) is not None else "new"
