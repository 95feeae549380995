"""Chats and what happens in them: invites that bind a chat to a unit (created, listed, revoked,
redeemed), administrators' chats, languages, and the status reports units send with one tap.

Like store.outbox, every function takes an Engine, runs one short transaction and returns
frozen dataclasses; nothing here knows about Telegram beyond its numeric ids.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Engine, select, update

from store.directory import answering_unit_in
from store.errors import StoreError
from store.models import (
    REPORTABLE_STATUSES,
    Chat,
    ChatKind,
    Document,
    Invite,
    Reminder,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitRole,
)
from store.milestones import MilestoneMet, current_phrases_in
from store.queries import find_unit_ids

# The statuses a unit may report with a button; "cancelled" is an administrator's decision.
REPORTABLE = REPORTABLE_STATUSES  # the shared vocabulary's; kept under its old name
# StatusReport.telegram_user_name's length (migration 0005).
USER_NAME_CHARS = 200


class InviteError(StoreError):
    """Base of why an invite code binds nothing, or an invite cannot be revoked.

    invite_id is set when the invite was named by its id (revoke_invite), None when by its code;
    reason names the case in one word, for the catalogues' keys.
    """

    reason = "invalid"

    def __init__(self, message: str, invite_id: int | None = None) -> None:
        super().__init__(message if invite_id is None else f"invite {invite_id}: {message}")
        self.invite_id = invite_id


class UnknownInvite(InviteError):
    reason = "unknown"

    def __init__(self, invite_id: int | None = None) -> None:
        super().__init__("no such invite code" if invite_id is None else "no such invite", invite_id)


class ExpiredInvite(InviteError):
    reason = "expired"

    def __init__(self, invite_id: int | None = None) -> None:
        super().__init__("the invite code has expired", invite_id)


class UsedInvite(InviteError):
    reason = "used"

    def __init__(self, invite_id: int | None = None) -> None:
        super().__init__("the invite code was used already", invite_id)


class RevokedInvite(InviteError):
    reason = "revoked"

    def __init__(self, invite_id: int | None = None) -> None:
        super().__init__("the invite code was revoked", invite_id)


class NotUnitsTask(StoreError):
    """The task does not name the chat's unit: the chat may not report on it."""

    def __init__(self, task_id: int, unit_id: int | None) -> None:
        super().__init__(f"task {task_id} does not belong to unit {unit_id}")
        self.task_id = task_id
        self.unit_id = unit_id


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


# --- invites --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedInvite:
    code: str  # shown once; only its hash is stored
    unit_id: int
    unit_name: str
    expires_at: datetime
    invite_id: int  # what /revoke and `deadline-bot revoke-invite` take


def create_invite(engine: Engine, unit_name: str, valid_for: timedelta, now: datetime,
                  created_by: int | None = None) -> CreatedInvite:
    """A fresh single-use code for the unit (by name or alias); raises UnknownUnit.

    created_by is the administrator's Telegram user id (None from the command line).
    """
    unit_ids = find_unit_ids(engine, unit_name)
    with engine.begin() as conn:
        return new_invite_in(conn, unit_ids[0], valid_for, now, created_by)


def new_invite_in(conn: Connection, unit_id: int, valid_for: timedelta, now: datetime,
                  created_by: int | None = None) -> CreatedInvite:
    """create_invite for a unit id, inside the caller's transaction."""
    # Deep-link parameters allow [A-Za-z0-9_-], up to 64 characters.
    code = secrets.token_urlsafe(18)
    expires_at = now + valid_for
    name = conn.execute(select(Unit.name).where(Unit.id == unit_id)).scalar_one()
    invite_id = conn.execute(Invite.__table__.insert().values(
        code_hash=hash_code(code), unit_id=unit_id, created_at=now, expires_at=expires_at,
        created_by=created_by)).inserted_primary_key[0]
    return CreatedInvite(code=code, unit_id=unit_id, unit_name=name, expires_at=expires_at, invite_id=invite_id)


@dataclass(frozen=True)
class InviteInfo:
    """An invite as administrators see it; never its code, which is shown once at creation."""

    id: int
    unit_id: int
    unit_name: str
    created_at: datetime
    expires_at: datetime
    created_by: int | None


def _outstanding(now: datetime):
    """The conditions of an invite that could still bind a chat."""
    return Invite.used_at.is_(None), Invite.revoked_at.is_(None), Invite.expires_at > now


def outstanding_invites(engine: Engine, now: datetime, unit_ids: Collection[int] | None = None) -> list[InviteInfo]:
    """Invites not used, revoked or expired at now (of these units, if given), oldest first."""
    statement = (
        select(Invite.id, Invite.unit_id, Unit.name, Invite.created_at, Invite.expires_at, Invite.created_by)
        .join(Unit, Unit.id == Invite.unit_id)
        .where(*_outstanding(now))
        .order_by(Invite.created_at, Invite.id)
    )
    if unit_ids is not None:
        statement = statement.where(Invite.unit_id.in_(list(unit_ids)))
    with engine.connect() as conn:
        return [InviteInfo(*row) for row in conn.execute(statement)]


def revoke_invite(engine: Engine, invite_id: int, now: datetime) -> InviteInfo:
    """Withdraw an outstanding invite so its code binds nothing; raises an InviteError naming invite_id.

    The conditional UPDATE is the guarantee: a code redeemed at the same moment is either
    used (and the revocation fails with UsedInvite) or revoked (and the redemption fails).
    """
    with engine.begin() as conn:
        taken = conn.execute(
            update(Invite).where(Invite.id == invite_id, *_outstanding(now)).values(revoked_at=now)
        ).rowcount
        row = conn.execute(
            select(Invite.id, Invite.unit_id, Unit.name, Invite.created_at, Invite.expires_at, Invite.created_by,
                   Invite.used_at, Invite.revoked_at)
            .join(Unit, Unit.id == Invite.unit_id)
            .where(Invite.id == invite_id)
        ).first()
    if row is None:
        raise UnknownInvite(invite_id)
    if not taken:
        if row.used_at is not None:
            raise UsedInvite(invite_id)
        raise RevokedInvite(invite_id) if row.revoked_at is not None else ExpiredInvite(invite_id)
    return InviteInfo(*row[:6])


@dataclass(frozen=True)
class ChatInfo:
    id: int
    telegram_chat_id: int
    kind: ChatKind
    title: str | None
    unit_id: int | None
    unit_name: str | None
    is_admin: bool
    language: str
    active: bool


def redeem_invite(engine: Engine, code: str, telegram_chat_id: int, chat_kind: str, title: str | None,
                  language: str, now: datetime) -> ChatInfo:
    """Bind the chat to the invite's unit and use the code up; raises an InviteError.

    The conditional UPDATE is the single-use guarantee: of two chats redeeming the same code at
    once, only one matches "not used yet".
    """
    digest = hash_code(code)
    with engine.begin() as conn:
        taken = conn.execute(
            update(Invite).where(Invite.code_hash == digest, *_outstanding(now)).values(used_at=now)
        ).rowcount
        if not taken:
            row = conn.execute(select(Invite.used_at, Invite.revoked_at).where(Invite.code_hash == digest)).first()
            if row is None:
                raise UnknownInvite()
            if row.used_at is not None:
                raise UsedInvite()
            raise RevokedInvite() if row.revoked_at is not None else ExpiredInvite()
        unit_id = conn.execute(select(Invite.unit_id).where(Invite.code_hash == digest)).scalar_one()
        chat_id = _upsert_chat(conn, telegram_chat_id, chat_kind, title, language, now, unit_id=unit_id)
        conn.execute(update(Invite).where(Invite.code_hash == digest).values(used_by_chat_id=chat_id))
        return _chat_info(conn, Chat.id == chat_id)


def bind_admin_chat(engine: Engine, telegram_chat_id: int, chat_kind: str, title: str | None, language: str,
                    now: datetime) -> ChatInfo:
    """Make the chat an administrators' chat (keeping any unit it is bound to)."""
    with engine.begin() as conn:
        chat_id = _upsert_chat(conn, telegram_chat_id, chat_kind, title, language, now, is_admin=True)
        return _chat_info(conn, Chat.id == chat_id)


def _upsert_chat(conn: Connection, telegram_chat_id: int, kind: str, title: str | None, language: str,
                 now: datetime, **values) -> int:
    # A chat that blocked the bot and is bound again is active again.
    revived = dict(kind=ChatKind(kind), title=title, active=True, deactivated_at=None, deactivated_reason=None)
    existing = conn.execute(select(Chat.id).where(Chat.telegram_chat_id == telegram_chat_id)).scalar()
    if existing is not None:
        conn.execute(update(Chat).where(Chat.id == existing).values(**revived, **values))
        return existing
    row = {"telegram_chat_id": telegram_chat_id, "language": language, "is_admin": False, "created_at": now,
           **revived, **values}
    return conn.execute(Chat.__table__.insert().values(**row)).inserted_primary_key[0]


def chat_by_telegram_id(engine: Engine, telegram_chat_id: int) -> ChatInfo | None:
    with engine.connect() as conn:
        return _chat_info(conn, Chat.telegram_chat_id == telegram_chat_id)


def _chat_info(conn: Connection, condition) -> ChatInfo | None:
    row = conn.execute(
        select(Chat.id, Chat.telegram_chat_id, Chat.kind, Chat.title, Chat.unit_id, Unit.name, Chat.is_admin,
               Chat.language, Chat.active)
        .outerjoin(Unit, Unit.id == Chat.unit_id)
        .where(condition)
    ).first()
    return None if row is None else ChatInfo(*row)


def set_chat_language(engine: Engine, chat_id: int, language: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(Chat).where(Chat.id == chat_id).values(language=language))


def follow_migrated_chat(engine: Engine, old_telegram_chat_id: int, new_telegram_chat_id: int) -> bool:
    """A group became a supergroup: the chat row follows it, unless the new id is known already."""
    with engine.begin() as conn:
        if conn.execute(select(Chat.id).where(Chat.telegram_chat_id == new_telegram_chat_id)).first():
            return False
        return bool(conn.execute(
            update(Chat).where(Chat.telegram_chat_id == old_telegram_chat_id)
            .values(telegram_chat_id=new_telegram_chat_id, kind=ChatKind.SUPERGROUP)
        ).rowcount)


# --- what a unit sees about a task ----------------------------------------------------------


@dataclass(frozen=True)
class TaskCard:
    """A task as one unit sees it: enough to (re)draw the message about it."""

    task_id: int
    label: str
    title: str
    status: TaskStatus
    document_title: str
    effective_due: date | None
    deadline_phrase: str | None
    unit_id: int
    unit_name: str
    unit_role: UnitRole


_ROLE_RANK = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


def task_card(engine: Engine, task_id: int, unit_id: int) -> TaskCard | None:
    """The task as the unit sees it, or None when the task does not name the unit."""
    with engine.connect() as conn:
        return task_card_in(conn, task_id, unit_id)


def task_card_in(conn: Connection, task_id: int, unit_id: int) -> TaskCard | None:
    """task_card inside the caller's transaction.

    A member of a collective unit named on the task answers for the collective: the card is the
    collective's (its unit_id), so whatever the member reports is written for the collective's share.
    """
    unit_id = answering_unit_in(conn, task_id, unit_id)
    if unit_id is None:
        return None
    roles = conn.execute(
        select(TaskUnit.role).where(TaskUnit.task_id == task_id, TaskUnit.unit_id == unit_id)
    ).scalars().all()
    if not roles:
        return None
    row = conn.execute(
        select(Task.label, Task.title, Task.status, Document.title, Document.source_name, Task.effective_due,
               Unit.name)
        .join(Document, Document.id == Task.document_id)
        .join(Unit, Unit.id == unit_id)
        .where(Task.id == task_id)
    ).one()
    phrase = current_phrases_in(conn, [task_id]).get(task_id)
    return TaskCard(task_id=task_id, label=row[0], title=row[1], status=row[2], document_title=row[3] or row[4],
                    effective_due=row[5], deadline_phrase=phrase, unit_id=unit_id, unit_name=row[6],
                    unit_role=min(roles, key=_ROLE_RANK.__getitem__))


# --- status reports (recorded by app.status.report_status) -----------------------------------


@dataclass(frozen=True)
class RecordedReport:
    report_id: int
    card: TaskCard  # the task after the report
    reminders_cancelled: int
    # A done report that met one milestone of several: which, and the next one (the task stays open).
    milestone: MilestoneMet | None = None


# Re-plans the given tasks' reminders inside the caller's transaction (scheduler.service.ReminderService.replan_in).
Replanner = Callable[[Connection, Sequence[int]], object]
MILESTONE_MET = "milestone met"  # why its reminders were cancelled; never revived: a met milestone stays met


class MilestoneAlreadyMet(StoreError):
    """✅ on a message drawn for a milestone that has been met since (a second tap): nothing is written."""

    def __init__(self, task_id: int, due: date) -> None:
        super().__init__(f"task {task_id}: the milestone due {due.isoformat()} is already met")
        self.task_id = task_id
        self.due = due


def clip_user_name(name: str | None) -> str | None:
    """The name as the column holds it: None for blank, clipped to the column's 200 characters."""
    name = (name or "").strip()
    return name[:USER_NAME_CHARS] or None


def tasks_of_message(engine: Engine, chat_id: int, message_id: int) -> list[int]:
    """The tasks a message the bot sent to this chat was about: one, or several for a list."""
    with engine.connect() as conn:
        return list(conn.execute(
            select(Reminder.task_id).distinct()
            .where(Reminder.chat_id == chat_id, Reminder.message_id == message_id, Reminder.task_id.is_not(None))
            .order_by(Reminder.task_id)
        ).scalars())


def attach_note(engine: Engine, chat_id: int, unit_id: int, task_id: int, note: str, now: datetime, *,
                telegram_user_id: int | None = None, telegram_user_name: str | None = None) -> int | None:
    """A note on the task from this chat, in the audit trail under the person who wrote it; the
    report's id, or None if the task is not the unit's.

    It joins that person's latest report from this chat on the task (the usual case: tap, then
    reply). Anyone else — a colleague in the group, or someone replying without tapping — gets a
    report of their own that repeats the task's current status, so a note never appears under
    someone else's name.
    """
    with engine.begin() as conn:
        card = task_card_in(conn, task_id, unit_id)
        if card is None:
            return None
        unit_id = card.unit_id
        row = conn.execute(
            select(StatusReport.id, StatusReport.note)
            .where(StatusReport.chat_id == chat_id, StatusReport.task_id == task_id,
                   StatusReport.telegram_user_id.is_(None) if telegram_user_id is None
                   else StatusReport.telegram_user_id == telegram_user_id)
            .order_by(StatusReport.reported_at.desc(), StatusReport.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            report_id, existing = row
            text = f"{existing}\n{note}" if existing else note
            conn.execute(update(StatusReport).where(StatusReport.id == report_id).values(note=text))
            return report_id
        return conn.execute(StatusReport.__table__.insert().values(
            task_id=task_id, unit_id=unit_id, chat_id=chat_id, telegram_user_id=telegram_user_id,
            telegram_user_name=clip_user_name(telegram_user_name), status=card.status, note=note, reported_at=now,
        )).inserted_primary_key[0]


@dataclass(frozen=True)
class DigestCounts:
    due_soon: int
    overdue: int


def digest_counts(engine: Engine, today: date, within_days: int) -> DigestCounts:
    """How many open tasks of active plans fall due in [today, today + within_days], and how many are overdue."""
    from store import queries

    return DigestCounts(due_soon=len(queries.due_within(engine, today, within_days)),
                        overdue=len(queries.overdue(engine, today)))
