"""Outbox rows about an extension request: queued in the transaction that stores or decides it,
read back (with what the message says) when the dispatcher sends them.

The request goes to every active administrators' chat as an EXT_REQUEST, its decision to the
requesting chat as an EXT_DECISION. Neither names a task (task_id is NULL): each is a message
of its own, never collapsed into a reminder about the task, and it is told even when the task
was closed meanwhile. Their keys start with vocabulary.UNPLANNED_KEY_PREFIXES' "ext_request:" /
"ext_decision:", so a planning run never cancels them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select

from store.db import insert_ignoring_duplicates
from store.idlists import id_conditions
from store.models import Chat, Document, ExtensionRequest, Reminder, ReminderKind, ReminderState, Task, Unit

REQUEST_KEY = "ext_request:"
DECISION_KEY = "ext_decision:"
EXTENSION_KINDS = (ReminderKind.EXT_REQUEST, ReminderKind.EXT_DECISION)


@dataclass(frozen=True)
class ExtensionNotice:
    """What a message about an extension request says, read when it is sent."""

    request_id: int
    task_id: int
    label: str
    title: str
    document_title: str
    effective_due: date | None  # the task's due date now (after an approval: the proposed one)
    proposed_due: date
    unit_name: str
    reason: str
    requested_by: str | None  # the asker's name as Telegram gave it
    state: str  # store.models.ExtensionState value
    decided_at: datetime | None


def enqueue_request_in(conn: Connection, request_id: int, unit_id: int, now: datetime) -> int:
    """An EXT_REQUEST, due now, to every active administrators' chat; how many rows were new."""
    admins = conn.execute(select(Chat.id).where(Chat.is_admin.is_(True), Chat.active.is_(True))
                          .order_by(Chat.id)).scalars().all()
    return _enqueue(conn, ReminderKind.EXT_REQUEST, f"{REQUEST_KEY}{request_id}", request_id, unit_id, admins, now)


def enqueue_decision_in(conn: Connection, request_id: int, now: datetime) -> int:
    """An EXT_DECISION, due now, to the chat that asked (if the bot may still write there)."""
    chat_id, unit_id, active = conn.execute(
        select(ExtensionRequest.chat_id, ExtensionRequest.unit_id, Chat.active)
        .join(Chat, Chat.id == ExtensionRequest.chat_id).where(ExtensionRequest.id == request_id)).one()
    return _enqueue(conn, ReminderKind.EXT_DECISION, f"{DECISION_KEY}{request_id}", request_id, unit_id,
                    [chat_id] if active else [], now)


def _enqueue(conn: Connection, kind: ReminderKind, key: str, request_id: int, unit_id: int,
             chat_ids: Sequence[int], now: datetime) -> int:
    rows = [
        {"dedupe_key": f"{key}:to:{chat_id}", "kind": kind, "task_id": None, "unit_id": unit_id,
         "chat_id": chat_id, "due_date": None, "send_at": now, "state": ReminderState.PENDING, "attempts": 0,
         "created_at": now, "extension_id": request_id}
        for chat_id in chat_ids
    ]
    if not rows:
        return 0
    return len(conn.execute(insert_ignoring_duplicates(conn, Reminder.__table__, "dedupe_key")
                            .returning(Reminder.id), rows).all())


def extension_notices_in(conn: Connection, request_ids: Sequence[int]) -> dict[int, ExtensionNotice]:
    """The requests these rows tell of, by id; a request deleted since (with its task) is absent."""
    found: dict[int, ExtensionNotice] = {}
    for among in id_conditions(conn, ExtensionRequest.id, request_ids):
        for row in conn.execute(
            select(ExtensionRequest.id, ExtensionRequest.task_id, Task.label, Task.title, Document.title,
                   Document.source_name, Task.effective_due, ExtensionRequest.proposed_due, Unit.name,
                   ExtensionRequest.reason, ExtensionRequest.telegram_user_name, ExtensionRequest.state,
                   ExtensionRequest.decided_at)
            .join(Task, Task.id == ExtensionRequest.task_id)
            .join(Document, Document.id == Task.document_id)
            .join(Unit, Unit.id == ExtensionRequest.unit_id)
            .where(among)
        ):
            found[row[0]] = ExtensionNotice(
                request_id=row[0], task_id=row[1], label=row[2], title=row[3], document_title=row[4] or row[5],
                effective_due=row[6], proposed_due=row[7], unit_name=row[8], reason=row[9] or "",
                requested_by=row[10], state=str(row[11]), decided_at=row[12])
    return found
