"""Each unit's share of a task (TaskUnit.status) and the outbox rows completion sends.

Reads and writes inside the caller's transaction; the rules that decide what a task's status is
live in app.status, which calls these. Nothing here knows about Telegram beyond chat ids.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select, update

from store.db import insert_ignoring_duplicates
from store.models import Chat, Reminder, ReminderKind, ReminderState, TaskStatus, TaskUnit, UnitRole

# Rows the planner never asks for: re-planning must not cancel them (vocabulary.UNPLANNED_KEY_PREFIXES).
VERIFY_KEY = "verify:"
SENT_BACK_KEY = "sent_back:"
# Why a unit's reminders on the task were cancelled; "task …" is revivable (store.outbox._revivable):
# a share sent back or reopened is planned again.
SHARE_DONE = "task share done"
AWAITING = "task awaiting_verification"


@dataclass(frozen=True)
class ShareRow:
    unit_id: int
    role: UnitRole
    status: TaskStatus


def shares_in(conn: Connection, task_id: int) -> list[ShareRow]:
    """The task's shares, one row per (unit, role) as stored."""
    return [ShareRow(unit_id, UnitRole(role), TaskStatus(status)) for unit_id, role, status in conn.execute(
        select(TaskUnit.unit_id, TaskUnit.role, TaskUnit.status).where(TaskUnit.task_id == task_id)
        .order_by(TaskUnit.id))]


def set_share_status_in(conn: Connection, task_id: int, unit_ids: Collection[int], status: TaskStatus,
                        now: datetime, *, only_from: TaskStatus | None = None) -> list[int]:
    """Set these units' shares of the task (every role they hold) to `status`; with `only_from`, only
    shares in that status. Returns the units whose share changed."""
    if not unit_ids:
        return []
    condition = [TaskUnit.task_id == task_id, TaskUnit.unit_id.in_(sorted(set(unit_ids)))]
    if only_from is not None:
        condition.append(TaskUnit.status == only_from)
    changed = conn.execute(
        update(TaskUnit).where(*condition).values(status=status, reported_at=now).returning(TaskUnit.unit_id)
    ).scalars().all()
    return sorted(set(changed))


def cancel_unit_reminders_in(conn: Connection, task_id: int, unit_ids: Collection[int], reason: str) -> int:
    """Cancel the pending reminders and polls these units get about the task (a share that is done)."""
    if not unit_ids:
        return 0
    return conn.execute(
        update(Reminder)
        .where(Reminder.task_id == task_id, Reminder.unit_id.in_(sorted(set(unit_ids))),
               Reminder.state == ReminderState.PENDING,
               Reminder.kind.not_in([ReminderKind.VERIFY_REQUEST, ReminderKind.SENT_BACK]))
        .values(state=ReminderState.CANCELLED, last_error=reason)
    ).rowcount


def cancel_planned_reminders_in(conn: Connection, task_id: int, reason: str,
                                kinds: Collection[ReminderKind] | None = None) -> int:
    """Cancel the task's pending rows of these kinds (by default every planned kind: not completion's own)."""
    if kinds is None:
        condition = Reminder.kind.not_in([ReminderKind.VERIFY_REQUEST, ReminderKind.SENT_BACK])
    else:
        condition = Reminder.kind.in_(list(kinds))
    return conn.execute(
        update(Reminder)
        .where(Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING, condition)
        .values(state=ReminderState.CANCELLED, last_error=reason)
    ).rowcount


def enqueue_verification_requests_in(conn: Connection, task_id: int, unit_id: int, report_id: int,
                                     now: datetime) -> int:
    """A VERIFY_REQUEST, due now, to every active administrators' chat: the report that completed the task."""
    chats = conn.execute(select(Chat.id).where(Chat.is_admin.is_(True), Chat.active.is_(True))
                         .order_by(Chat.id)).scalars().all()
    return _enqueue(conn, ReminderKind.VERIFY_REQUEST, f"{VERIFY_KEY}t{task_id}:r{report_id}", task_id,
                    [(chat_id, unit_id) for chat_id in chats], report_id, now)


def enqueue_sent_back_in(conn: Connection, task_id: int, unit_ids: Collection[int], report_id: int,
                         now: datetime) -> int:
    """A SENT_BACK notice, due now, to every active chat of these units: the report holds the reason."""
    recipients = conn.execute(
        select(Chat.id, Chat.unit_id).where(Chat.unit_id.in_(sorted(set(unit_ids))), Chat.active.is_(True))
        .order_by(Chat.id)).all()
    return _enqueue(conn, ReminderKind.SENT_BACK, f"{SENT_BACK_KEY}t{task_id}:r{report_id}", task_id,
                    [(chat_id, unit_id) for chat_id, unit_id in recipients], report_id, now)


def _enqueue(conn: Connection, kind: ReminderKind, key: str, task_id: int,
             recipients: list[tuple[int, int | None]], report_id: int, now: datetime) -> int:
    rows = [
        {"dedupe_key": f"{key}:to:{chat_id}", "kind": kind, "task_id": task_id, "unit_id": unit_id,
         "chat_id": chat_id, "due_date": None, "send_at": now, "state": ReminderState.PENDING, "attempts": 0,
         "created_at": now, "report_id": report_id}
        for chat_id, unit_id in recipients
    ]
    if not rows:
        return 0
    return len(conn.execute(insert_ignoring_duplicates(conn, Reminder.__table__, "dedupe_key")
                            .returning(Reminder.id), rows).all())
