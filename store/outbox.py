"""The reminder outbox: what the planner reads, how its output is stored, and how the
dispatcher claims, settles and explains rows.

Every function takes an Engine and runs its own short transaction; values out are frozen
dataclasses. Lists of ids or keys are sent to the database in chunks, so a plan of
300,000 reminders stays within every backend's parameter limit and never loads one row at a time.

The claim is the lock (as in healthchecks' sendalerts): a row moves pending -> claimed in one
conditional UPDATE with a lease (claimed_until); whoever's UPDATE matched owns it. A worker
that dies leaves the row claimed, and when the lease lapses another worker claims it again,
so a crash costs at most a duplicate of what was in flight, never a lost reminder.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import TypeVar

from sqlalchemy import Connection, Engine, and_, func, or_, select, update

from store import milestones
from store.db import insert_ignoring_duplicates
from store.models import (
    CLOSED_STATUSES,
    Chat,
    ChatKind,
    Deadline,
    DeliveryOutage,
    Document,
    Recurrence,
    Reminder,
    ReminderState,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitMember,
    UnitRole,
    utc_now,
)
from vocabulary import UNPLANNED_KEY_PREFIXES, ReminderKind
from vocabulary.planning import ChatToPlan, PlannedReminder, TaskToPlan

# Well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
CHUNK = 1000
INSERT_CHUNK = 5000
ANALYZE_AFTER_INSERTING = 10_000

_T = TypeVar("_T")


def _chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --- what the planner reads -----------------------------------------------------------------


def tasks_to_plan(engine: Engine, task_ids: Iterable[int] | None = None) -> list[TaskToPlan]:
    """Tasks of active (not superseded) documents, with units, recurrences and overrides; ordered by id."""
    wanted = None if task_ids is None else sorted(set(task_ids))
    query = (
        select(Task.id, Task.document_id, Task.status, Task.effective_due, Task.reminder_overrides,
               Document.reminder_overrides, Task.overdue_quiet_through, Document.history_since,
               Task.snoozed_until)
        .join(Document, Document.id == Task.document_id)
        .where(Document.superseded_by_id.is_(None), Document.archived_at.is_(None))
        .order_by(Task.id)
    )
    with engine.connect() as conn:
        if wanted is None:
            rows = conn.execute(query).all()
        else:
            rows = [row for chunk in _chunks(wanted) for row in conn.execute(query.where(Task.id.in_(chunk)))]
            rows.sort(key=lambda row: row[0])
        ids = [row[0] for row in rows]
        units: dict[int, list[tuple[int, str]]] = defaultdict(list)
        done_units: dict[int, set[int]] = defaultdict(set)
        freqs: dict[int, list[str]] = defaultdict(list)
        milestones_of: dict[int, list[milestones.Milestone]] = defaultdict(list)
        unit_snoozes: dict[int, dict[int, date]] = defaultdict(dict)
        for chunk in _chunks(ids):
            for task_id, unit_id, role, share, unit_until in conn.execute(
                select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role, TaskUnit.status, Unit.snoozed_until)
                .join(Unit, Unit.id == TaskUnit.unit_id)
                .where(TaskUnit.task_id.in_(chunk))
                .order_by(TaskUnit.task_id, TaskUnit.id)
            ):
                units[task_id].append((unit_id, str(role)))
                if share == TaskStatus.DONE:
                    done_units[task_id].add(unit_id)
                if unit_until is not None:
                    unit_snoozes[task_id][unit_id] = unit_until
            for task_id, freq in conn.execute(
                select(Recurrence.task_id, Recurrence.freq)
                .where(Recurrence.task_id.in_(chunk))
                .order_by(Recurrence.task_id, Recurrence.id)
            ):
                if freq not in freqs[task_id]:
                    freqs[task_id].append(freq)
            for task_id, due, met_at in conn.execute(
                select(Deadline.task_id, Deadline.due, Deadline.met_at)
                .where(Deadline.task_id.in_(chunk), Deadline.due.is_not(None))
            ):
                milestones_of[task_id].append(milestones.Milestone(due, met_at is not None))
    return [
        TaskToPlan(
            task_id=task_id,
            document_id=document_id,
            status=str(status),
            effective_due=due,
            units=tuple(units[task_id]),
            later_dues=milestones.reminded_dues(due, milestones_of[task_id])[1:],
            recurrence_freqs=tuple(freqs[task_id]),
            document_overrides=MappingProxyType(dict(document_overrides or {})),
            task_overrides=MappingProxyType(dict(task_overrides or {})),
            overdue_quiet_through=_quiet_through(quiet_through, history_since),
            polls=history_since is None,
            snoozed_until=snoozed_until,
            unit_snoozes=MappingProxyType(unit_snoozes.get(task_id, {})),
            done_unit_ids=frozenset(done_units.get(task_id, ())),
        )
        for (task_id, document_id, status, due, task_overrides, document_overrides, quiet_through, history_since,
             snoozed_until) in rows
    ]


def _quiet_through(task_quiet: date | None, history_since: date | None) -> date | None:
    """The last due date whose overdue notices stay unsent: the administrator's, or for a plan that
    came in as history every due date before its import."""
    dates = [d for d in (task_quiet, history_since and history_since - timedelta(days=1)) if d is not None]
    return max(dates) if dates else None


def chats_to_plan(engine: Engine) -> list[ChatToPlan]:
    """Every chat bound to a unit or to the administrators, inactive ones flagged, each with the
    collectives its unit belongs to; ordered by id."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Chat.id, Chat.unit_id, Chat.is_admin, Chat.active)
            .where(or_(Chat.unit_id.is_not(None), Chat.is_admin))
            .order_by(Chat.id)
        ).all()
        collectives_of: dict[int, list[int]] = defaultdict(list)
        for member_id, collective_id in conn.execute(
            select(UnitMember.member_id, UnitMember.collective_id).order_by(UnitMember.collective_id)
        ):
            collectives_of[member_id].append(collective_id)
    return [ChatToPlan(chat_id=i, unit_id=u, is_admin=a, active=act,
                       member_of=tuple(collectives_of.get(u, ())) if u is not None else ())
            for i, u, a, act in rows]


# --- storing the plan -----------------------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    inserted: int  # new dedupe keys stored as pending rows
    cancelled: int  # pending rows in the window the plan no longer asks for
    unchanged: int  # planned keys already stored (in any state: a sent reminder is never resent)
    revived: int = 0  # cancelled rows the plan asks for again (the task was reopened): pending once more


def sync_planned_reminders(
    engine: Engine,
    planned: Sequence[PlannedReminder],
    window_start: datetime,
    window_end: datetime,
    task_ids: Iterable[int] | None = None,
) -> SyncResult:
    """Make the outbox match the plan for [window_start, window_end) (and these tasks, if given).

    New keys are inserted; pending rows in the window whose key the plan no longer holds are
    cancelled; a planned key stored as cancelled because its task was closed or the plan had
    dropped it is pending again (a reopened task gets its reminders back); other stored rows are
    left as they are. Planning the same input twice writes nothing.
    """
    by_key: dict[str, PlannedReminder] = {}
    for reminder in planned:
        if reminder.chat_id is not None:  # no chat bound yet: shown in previews, never stored
            by_key.setdefault(reminder.dedupe_key, reminder)
    scope = None if task_ids is None else sorted(set(task_ids))
    now = utc_now()
    with engine.begin() as conn:
        keys = sorted(by_key)
        stored: set[str] = set()
        revivable: list[int] = []
        for chunk in _chunks(keys):
            for row_id, key, state, reason in conn.execute(
                select(Reminder.id, Reminder.dedupe_key, Reminder.state, Reminder.last_error)
                .where(Reminder.dedupe_key.in_(chunk))
            ):
                stored.add(key)
                if state == ReminderState.CANCELLED and _revivable(reason):
                    revivable.append(row_id)
        new = [by_key[key] for key in keys if key not in stored]
        revived = 0
        for chunk in _chunks(sorted(revivable)):
            # The plan asks for it again (a reopened task, a chat bound again): pending, as new.
            revived += conn.execute(
                update(Reminder)
                .where(Reminder.id.in_(chunk), Reminder.state == ReminderState.CANCELLED)
                .values(state=ReminderState.PENDING, attempts=0, next_attempt_at=None, last_error=None,
                        claimed_by=None, claimed_until=None)
            ).rowcount
        for chunk in _chunks(new, INSERT_CHUNK):
            conn.execute(_insert_ignoring_duplicates(conn), [_row(reminder, now) for reminder in chunk])
        if conn.dialect.name == "postgresql" and len(new) >= ANALYZE_AFTER_INSERTING:
            # Until autovacuum gets to it, PostgreSQL plans the next key lookups as if the table
            # were still small (sequential scans, seconds per chunk); fresh statistics fix that now.
            conn.exec_driver_sql("ANALYZE reminder")

        in_window = select(Reminder.id, Reminder.dedupe_key).where(
            Reminder.state == ReminderState.PENDING,
            Reminder.send_at >= window_start,
            Reminder.send_at < window_end,
            *(Reminder.dedupe_key.not_like(f"{prefix}%") for prefix in UNPLANNED_KEY_PREFIXES),
        )
        if scope is None:
            candidates = conn.execute(in_window).all()
        else:
            candidates = [
                row for chunk in _chunks(scope) for row in conn.execute(in_window.where(Reminder.task_id.in_(chunk)))
            ]
        unplanned = sorted(row_id for row_id, key in candidates if key not in by_key)
        cancelled = 0
        for chunk in _chunks(unplanned):
            cancelled += conn.execute(
                update(Reminder)
                .where(Reminder.id.in_(chunk), Reminder.state == ReminderState.PENDING)
                .values(state=ReminderState.CANCELLED, last_error=NO_LONGER_PLANNED)
            ).rowcount
    return SyncResult(inserted=len(new), cancelled=cancelled, unchanged=len(keys) - len(new) - revived,
                      revived=revived)


# Why a row was cancelled, when the reason may pass: a task closed (and reopened since), a plan
# that no longer asked for it (and asks again). A reminder cancelled for good (its due date passed,
# a later message carried it) is never revived: the plan would not ask for it again anyway.
NO_LONGER_PLANNED = "no longer planned"
TASK_CLOSED_PREFIX = "task "


def _revivable(reason: str | None) -> bool:
    return reason is not None and (reason == NO_LONGER_PLANNED or reason.startswith(TASK_CLOSED_PREFIX))


def _insert_ignoring_duplicates(conn: Connection):
    # A concurrent planner may have stored the same key a moment ago: its row wins, quietly.
    return insert_ignoring_duplicates(conn, Reminder.__table__, "dedupe_key")


def _row(reminder: PlannedReminder, now: datetime) -> dict:
    # Core inserts skip SQLModel's Python-side defaults: every NOT NULL column is given here.
    return {
        "dedupe_key": reminder.dedupe_key,
        "kind": ReminderKind(reminder.kind),
        "task_id": reminder.task_id,
        "unit_id": reminder.unit_id,
        "chat_id": reminder.chat_id,
        "due_date": reminder.due_date,
        "send_at": reminder.send_at,
        "state": ReminderState.PENDING,
        "attempts": 0,
        "created_at": now,
    }


# --- task status ----------------------------------------------------------------------------


def cancel_pending_for_task(engine: Engine, task_id: int) -> int:
    """Cancel every pending reminder of the task; return how many."""
    with engine.begin() as conn:
        return _cancel_pending_for_tasks(conn, [task_id], "task closed")


def _cancel_pending_for_tasks(conn: Connection, task_ids: Sequence[int], reason: str) -> int:
    count = 0
    for chunk in _chunks(list(task_ids)):
        count += conn.execute(
            update(Reminder)
            .where(Reminder.task_id.in_(chunk), Reminder.state == ReminderState.PENDING)
            .values(state=ReminderState.CANCELLED, last_error=reason)
        ).rowcount
    return count


def set_task_status(engine: Engine, task_id: int, status: TaskStatus | str, now: datetime | None = None) -> None:
    """Change a task's status; done or cancelled also cancels its pending reminders (same transaction)."""
    with engine.begin() as conn:
        apply_task_status(conn, task_id, status, now or utc_now())


def apply_task_status(conn: Connection, task_id: int, status: TaskStatus | str, now: datetime) -> int:
    """Inside the caller's transaction: set the status; a closed task's pending reminders are
    cancelled. Returns how many reminders were cancelled."""
    status = TaskStatus(status)
    values: dict[str, object] = {"status": status, "status_changed_at": now}
    if status in CLOSED_STATUSES:
        # An administrator's quiet ends with the task: reopened, it is nagged again (DESIGN.md:
        # a reopened task gets its reminders back), at the slowed pace its overdue time has reached.
        values["overdue_quiet_through"] = None
    changed = conn.execute(update(Task).where(Task.id == task_id).values(**values)).rowcount
    if not changed:
        raise LookupError(f"no task with id {task_id}")
    if status in CLOSED_STATUSES:
        return _cancel_pending_for_tasks(conn, [task_id], f"task {status.value}")
    return 0


# --- claiming and settling ------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimedReminder:
    reminder_id: int
    dedupe_key: str
    kind: ReminderKind
    task_id: int | None
    unit_id: int | None
    chat_id: int
    due_date: date | None
    send_at: datetime
    attempts: int


# PostgreSQL advisory lock namespace for "claiming in this chat" (the first of the two int4 keys).
CLAIM_LOCK_NAMESPACE = 0x6462


def claim_due_reminders(
    engine: Engine, now: datetime, worker_id: str, lease: timedelta, limit: int
) -> list[ClaimedReminder]:
    """Claim whole chat groups of due rows for `lease`, oldest first, until about `limit` rows.

    A chat's group is every pending row about a task in that chat whose send_at has come (rows
    waiting out a backoff included: the message about those tasks carries them), plus rows whose
    claim lapsed; it is claimed when at least one of its rows is ready. Groups are never split,
    so what is due for one chat leaves as one message (or its pages) whatever `limit` is, and a chat
    in which any row is claimed under a live lease is left to its claimer: one process at a
    time writes to a chat, so two processes never send about the same task at once.
    SQLite serialises claimers with BEGIN IMMEDIATE; PostgreSQL takes a transaction-scoped
    advisory lock per chat (skipping chats another claimer is locking) and looks again for live
    claims once it holds it.
    """
    if limit <= 0:
        return []
    with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        # Most ticks find nothing: answer that with a plain read, so an idle dispatcher never
        # takes SQLite's write lock away from the bot.
        anything = _anything_to_claim(conn, now)
        conn.rollback()  # end the read, so the claim below starts a transaction of its own
        if not anything:
            return []
        with conn.begin():
            if not postgres:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            # Chats another worker is sending to (claimed rows are few: a tick's worth per worker).
            # ORDER BY send_at keeps the planner on the (state, send_at) index, as in _anything_to_claim.
            live = select(Reminder.chat_id).where(Reminder.state == ReminderState.CLAIMED,
                                                  Reminder.claimed_until >= now).order_by(Reminder.send_at)
            busy = set(conn.execute(live).scalars())
            oldest: dict[int, datetime] = {}
            for chat_id, send_at in conn.execute(
                select(Reminder.chat_id, Reminder.send_at)
                .where(_lapsed(now))
                .order_by(Reminder.send_at).limit(limit)
            ):
                oldest.setdefault(chat_id, send_at)
            # Grouped by chat_id + 0, an expression: SQLite would otherwise walk the chat_id index,
            # every row ever sent, instead of the (state, send_at) range of what is due.
            chat_expr = (Reminder.chat_id + 0).label("chat")
            for chat_id, send_at in conn.execute(
                select(chat_expr, func.min(Reminder.send_at)).where(*_due_now(now)).group_by(chat_expr)
            ):
                oldest[chat_id] = min(send_at, oldest.get(chat_id, send_at))
            chats = sorted(((at, chat_id) for chat_id, at in oldest.items() if chat_id not in busy))[:limit]
            chats = [(chat_id, at) for at, chat_id in chats]
            ids: list[int] = []
            for chat_id, _ in chats:
                if len(ids) >= limit:
                    break
                if postgres:
                    if not conn.execute(select(func.pg_try_advisory_xact_lock(CLAIM_LOCK_NAMESPACE, chat_id))).scalar():
                        continue  # another worker is claiming in this chat right now
                    # Its claim may have committed between our first look and the lock.
                    if conn.execute(live.where(Reminder.chat_id == chat_id).limit(1)).first() is not None:
                        continue
                ids += _claimable_groups(conn, chat_id, now, limit - len(ids), at_least_one=not ids)
            if not ids:
                return []
            columns = (Reminder.id, Reminder.dedupe_key, Reminder.kind, Reminder.task_id, Reminder.unit_id,
                       Reminder.chat_id, Reminder.due_date, Reminder.send_at, Reminder.attempts)
            rows = [
                row for chunk in _chunks(ids) for row in conn.execute(
                    update(Reminder)
                    .where(Reminder.id.in_(chunk), or_(Reminder.state == ReminderState.PENDING, _lapsed(now)))
                    .values(state=ReminderState.CLAIMED, claimed_by=worker_id, claimed_until=now + lease)
                    .returning(*columns))
            ]
    rows.sort(key=lambda row: (row[7], row[0]))
    return [ClaimedReminder(*row) for row in rows]


def _due_now(now: datetime) -> tuple:
    """Pending rows due now and not waiting out a backoff (the WHERE clause, as a tuple of terms)."""
    return (Reminder.state == ReminderState.PENDING, Reminder.send_at <= now,
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now))


def _lapsed(now: datetime):
    """Claimed rows whose lease has run out (their worker died or stalled): anyone may claim them again."""
    return and_(Reminder.state == ReminderState.CLAIMED, Reminder.claimed_until < now)


def _claimable_groups(conn: Connection, chat_id: int, now: datetime, room: int, at_least_one: bool) -> list[int]:
    """Ids of the chat's groups with a ready row, oldest group first, whole groups only, while
    they fit in `room` rows (the first one always, when `at_least_one`). Every row about a task is
    in one group, the chat's: the dispatcher lists what is due for one chat in one message."""
    in_chat = Reminder.chat_id == chat_id
    # The oldest ready rows say which groups come first; no more than `room` of them can fit.
    # (ORDER BY send_at: the (state, send_at) index, not every row the chat ever had.)
    ready = [
        row for query in (
            select(Reminder.send_at, Reminder.id, Reminder.task_id).where(in_chat, *_due_now(now)),
            select(Reminder.send_at, Reminder.id, Reminder.task_id).where(in_chat, _lapsed(now)),
        ) for row in conn.execute(query.order_by(Reminder.send_at).limit(room))
    ]
    ready = [(row_id, task_id) for _, row_id, task_id in sorted(ready)[:room]]
    order: list[tuple] = []
    for row_id, task_id in ready:
        # A row about no task (a digest, a notice) is a message of its own.
        key = ("tasks",) if task_id is not None else ("row", row_id)
        if key not in order:
            order.append(key)
    members: dict[tuple, list[int]] = {key: [key[1]] for key in order if key[0] == "row"}
    if ("tasks",) in order:
        # Every row about a task that is due, those waiting out a backoff included.
        members[("tasks",)] = list(conn.execute(
            select(Reminder.id).where(
                in_chat, Reminder.task_id.is_not(None),
                or_(and_(Reminder.state == ReminderState.PENDING, Reminder.send_at <= now), _lapsed(now)))
            .order_by(Reminder.id)
        ).scalars())
    ids: list[int] = []
    for key in order:
        group = members.get(key, [])
        if len(ids) + len(group) > room and (ids or not at_least_one):
            break
        ids += group
    return ids


def _anything_to_claim(conn: Connection, now: datetime) -> bool:
    due = select(Reminder.id).where(*_due_now(now))
    lapsed = select(Reminder.id).where(_lapsed(now))
    # ORDER BY send_at keeps the planner on the (state, send_at) index even when statistics say
    # "almost every row is pending" and a table scan looks cheap for the rarer state.
    return any(conn.execute(query.order_by(Reminder.send_at).limit(1)).first() is not None for query in (lapsed, due))


def confirm_claims(engine: Engine, reminder_ids: Sequence[int], worker_id: str, now: datetime,
                   lease: timedelta) -> list[int]:
    """Just before sending: renew the claim on these rows and return those still ours.

    A row another worker recorded as sent meanwhile (after our lease lapsed), or that was
    cancelled, drops out. It is also a write: if the database cannot take it, the message is
    not sent, since its outcome could not be recorded either.
    """
    ids = sorted(set(reminder_ids))
    with engine.begin() as conn:
        return sorted(
            row_id for chunk in _chunks(ids) for row_id in conn.execute(
                update(Reminder)
                .where(Reminder.id.in_(chunk), Reminder.state == ReminderState.CLAIMED,
                       Reminder.claimed_by == worker_id)
                .values(claimed_until=now + lease)
                .returning(Reminder.id)
            ).scalars()
        )


def pull_retries_forward(engine: Engine, now: datetime) -> int:
    """Delivery works again: rows waiting out a backoff after failed attempts become due now."""
    with engine.begin() as conn:
        return conn.execute(
            update(Reminder)
            .where(Reminder.state == ReminderState.PENDING, Reminder.attempts > 0, Reminder.next_attempt_at > now)
            .values(next_attempt_at=now)
        ).rowcount


def count_waiting(conn: Connection, now: datetime) -> int:
    """Reminders due and not yet sent (pending or being sent), notices about outages left out."""
    return conn.execute(
        select(func.count()).select_from(Reminder).where(
            Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
            Reminder.send_at <= now,
            Reminder.kind.not_in([ReminderKind.OUTAGE, ReminderKind.OUTAGE_OVER]),
        )
    ).scalar_one()


def mark_sent(engine: Engine, reminder_ids: Sequence[int], message_id: int | None, now: datetime) -> int:
    """Record that these rows went out as one message; a row already marked sent keeps its first message id."""
    return _update(
        engine, reminder_ids, Reminder.state != ReminderState.SENT,
        state=ReminderState.SENT, sent_at=now, message_id=message_id, claimed_until=None, next_attempt_at=None,
    )


def mark_retry(
    engine: Engine,
    reminder_ids: Sequence[int],
    next_attempt_at: datetime,
    error: str,
    *,
    count_attempt: bool = True,
) -> int:
    """Put claimed rows back to pending until next_attempt_at; a rate limit passes count_attempt=False."""
    values = dict(
        state=ReminderState.PENDING, next_attempt_at=next_attempt_at, last_error=error,
        claimed_by=None, claimed_until=None,
    )
    if count_attempt:
        values["attempts"] = Reminder.attempts + 1
    return _update(engine, reminder_ids, Reminder.state == ReminderState.CLAIMED, **values)


def mark_failed(engine: Engine, reminder_ids: Sequence[int], error: str, *, count_attempt: bool = False) -> int:
    """Give up on rows that are pending or claimed; they are kept, with the error, for the record."""
    values = dict(state=ReminderState.FAILED, last_error=error, claimed_by=None, claimed_until=None)
    if count_attempt:
        values["attempts"] = Reminder.attempts + 1
    return _update(engine, reminder_ids, Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]), **values)


def cancel_reminders(engine: Engine, reminder_ids: Sequence[int], reason: str) -> int:
    """Cancel rows that are pending or claimed (the task closed, the reminder went stale)."""
    return _update(
        engine, reminder_ids, Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
        state=ReminderState.CANCELLED, last_error=reason, claimed_by=None, claimed_until=None,
    )


def release_claims(engine: Engine, reminder_ids: Sequence[int], *, next_attempt_at: datetime | None = None) -> int:
    """Hand claimed rows back (clean shutdown, or a send deferred by the rate limit) without counting an attempt."""
    return _update(
        engine, reminder_ids, Reminder.state == ReminderState.CLAIMED,
        state=ReminderState.PENDING, claimed_by=None, claimed_until=None, next_attempt_at=next_attempt_at,
    )


def _update(engine: Engine, reminder_ids: Sequence[int], condition, **values) -> int:
    ids = sorted(set(reminder_ids))
    count = 0
    with engine.begin() as conn:
        for chunk in _chunks(ids):
            count += conn.execute(update(Reminder).where(Reminder.id.in_(chunk), condition).values(**values)).rowcount
    return count


# --- chats ----------------------------------------------------------------------------------


def deactivate_chat(engine: Engine, chat_id: int, reason: str, now: datetime) -> bool:
    """Mark the chat inactive, fail its pending and claimed rows and queue the CHAT_LOST notices
    for the administrators, in one transaction; False if it was already inactive.

    One transaction, so no dispatcher tick can see the chat gone and its notices not yet queued.
    """
    with engine.begin() as conn:
        flipped = conn.execute(
            update(Chat)
            .where(Chat.id == chat_id, Chat.active.is_(True))
            .values(active=False, deactivated_at=now, deactivated_reason=reason)
        ).rowcount
        if flipped:
            conn.execute(
                update(Reminder)
                .where(
                    Reminder.chat_id == chat_id,
                    Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]),
                )
                .values(state=ReminderState.FAILED, last_error=f"chat gone: {reason}", claimed_by=None,
                        claimed_until=None)
            )
            _enqueue_chat_lost_notices(conn, chat_id, now)
    return bool(flipped)


def enqueue_chat_lost_notices(engine: Engine, lost_chat_id: int, now: datetime) -> int:
    """A CHAT_LOST reminder, due now, for every active administrators' chat; one per chat lost and
    recipient. Returns how many rows were new."""
    with engine.begin() as conn:
        return _enqueue_chat_lost_notices(conn, lost_chat_id, now)


def _enqueue_chat_lost_notices(conn: Connection, lost_chat_id: int, now: datetime) -> int:
    """enqueue_chat_lost_notices inside the caller's transaction."""
    lost = conn.execute(
        select(Chat.unit_id, Chat.deactivated_at).where(Chat.id == lost_chat_id)
    ).one_or_none()
    if lost is None:
        raise LookupError(f"no chat with id {lost_chat_id}")
    unit_id, deactivated_at = lost
    # The deactivation instant names this loss: a chat re-bound and lost again is news again.
    lost_at = (deactivated_at or now).strftime("%Y%m%dT%H%M%S")
    return enqueue_admin_notices(conn, ReminderKind.CHAT_LOST, f"chat_lost:{lost_chat_id}:{lost_at}", now,
                                 unit_id=unit_id, except_chat_id=lost_chat_id)


def enqueue_admin_notices(conn: Connection, kind: ReminderKind, key: str, now: datetime, *,
                          unit_id: int | None = None, due_date: date | None = None, outage_id: int | None = None,
                          except_chat_id: int | None = None) -> int:
    """Inside the caller's transaction: a `kind` row, due now, for every active administrators' chat
    (but `except_chat_id`), keyed "<key>:to:<chat id>"; a key stored already is left as it is, so
    each notice reaches each chat once. Returns how many rows were new."""
    admins = select(Chat.id).where(Chat.is_admin.is_(True), Chat.active.is_(True))
    if except_chat_id is not None:
        admins = admins.where(Chat.id != except_chat_id)
    rows = [
        {
            "dedupe_key": f"{key}:to:{chat_id}",
            "kind": kind,
            "task_id": None,
            "unit_id": unit_id,
            "chat_id": chat_id,
            "due_date": due_date,
            "send_at": now,
            "state": ReminderState.PENDING,
            "attempts": 0,
            "created_at": now,
            "outage_id": outage_id,
        }
        for chat_id in conn.execute(admins).scalars()
    ]
    if not rows:
        return 0
    # rowcount of a many-row insert is not reliable across drivers; RETURNING lists the new ones.
    return len(conn.execute(_insert_ignoring_duplicates(conn).returning(Reminder.id), rows).all())


def move_chat(engine: Engine, chat_id: int, new_telegram_chat_id: int) -> None:
    """Follow a group that became a supergroup to its new Telegram id."""
    with engine.begin() as conn:
        conn.execute(update(Chat).where(Chat.id == chat_id).values(telegram_chat_id=new_telegram_chat_id))


# --- what the message says ------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryDetails:
    """One claimed row with everything a message about it needs, read at send time."""

    reminder_id: int
    kind: ReminderKind
    state: ReminderState
    attempts: int
    send_at: datetime
    due_date: date | None
    chat_id: int
    telegram_chat_id: int
    chat_kind: ChatKind
    chat_active: bool
    language: str
    task_id: int | None
    task_label: str | None
    task_title: str | None
    task_status: TaskStatus | None
    document_title: str | None
    effective_due: date | None
    deadline_phrase: str | None  # the printed phrase of the milestone the row is about, else of the current one
    unit_id: int | None
    unit_name: str | None
    unit_role: UnitRole | None  # the unit's strongest role in the task
    deadline_quote: str | None = None  # the sentence that milestone was read from
    outage_id: int | None = None  # notices about a delivery outage: what it was
    outage_cause: str | None = None
    outage_started_at: datetime | None = None
    outage_ended_at: datetime | None = None
    outage_waiting: int | None = None
    outage_error: str | None = None
    # A verification request or a send-back: the report it tells of (Reminder.report_id).
    report_note: str | None = None
    report_user_name: str | None = None
    # An escalation: the task's units whose share is not done yet, strongest role first.
    late_units: tuple[str, ...] = ()


_ROLE_RANK = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}


def delivery_details(engine: Engine, reminder_ids: Sequence[int]) -> list[DeliveryDetails]:
    """The rows with their chat, task, document, unit and role, in three queries per chunk; ordered by id."""
    ids = sorted(set(reminder_ids))
    rows = []
    roles: dict[tuple[int, int], UnitRole] = {}
    late: dict[int, list[tuple[int, str]]] = defaultdict(list)
    query = (
        select(
            Reminder.id, Reminder.kind, Reminder.state, Reminder.attempts, Reminder.send_at, Reminder.due_date,
            Chat.id, Chat.telegram_chat_id, Chat.kind, Chat.active, Chat.language,
            Task.id, Task.label, Task.title, Task.status, Document.title, Document.source_name, Task.effective_due,
            Unit.id, Unit.name,
            Reminder.outage_id, DeliveryOutage.cause, DeliveryOutage.started_at, DeliveryOutage.ended_at,
            DeliveryOutage.waiting, DeliveryOutage.last_error,
            StatusReport.note, StatusReport.telegram_user_name,
        )
        .join(Chat, Chat.id == Reminder.chat_id)
        .outerjoin(StatusReport, StatusReport.id == Reminder.report_id)
        .outerjoin(DeliveryOutage, DeliveryOutage.id == Reminder.outage_id)
        .outerjoin(Task, Task.id == Reminder.task_id)
        .outerjoin(Document, Document.id == Task.document_id)
        .outerjoin(Unit, Unit.id == Reminder.unit_id)
    )
    with engine.connect() as conn:
        for chunk in _chunks(ids):
            rows += conn.execute(query.where(Reminder.id.in_(chunk))).all()
        task_ids = sorted({row[11] for row in rows if row[11] is not None})
        for chunk in _chunks(task_ids):
            for task_id, unit_id, role in conn.execute(
                select(TaskUnit.task_id, TaskUnit.unit_id, TaskUnit.role).where(TaskUnit.task_id.in_(chunk))
            ):
                known = roles.get((task_id, unit_id))
                if known is None or _ROLE_RANK[role] < _ROLE_RANK[known]:
                    roles[(task_id, unit_id)] = role
        escalated = sorted({row[11] for row in rows if row[1] == ReminderKind.ESCALATION and row[11] is not None})
        for chunk in _chunks(escalated):
            for task_id, name, role in conn.execute(
                select(TaskUnit.task_id, Unit.name, TaskUnit.role).join(Unit, Unit.id == TaskUnit.unit_id)
                .where(TaskUnit.task_id.in_(chunk), TaskUnit.status != TaskStatus.DONE).order_by(TaskUnit.id)
            ):
                late[task_id].append((_ROLE_RANK[role], name))
        # A reminder names the milestone it is about (its due date); a poll, the task's current one.
        about = milestones.milestones_about(conn, [(row[11], row[5]) for row in rows])
        phrases = milestones.current_phrases_in(conn, task_ids)
    rows.sort(key=lambda row: row[0])
    return [
        DeliveryDetails(
            reminder_id=r[0], kind=r[1], state=r[2], attempts=r[3], send_at=r[4], due_date=r[5],
            chat_id=r[6], telegram_chat_id=r[7], chat_kind=r[8], chat_active=r[9], language=r[10],
            task_id=r[11], task_label=r[12], task_title=r[13], task_status=r[14],
            document_title=r[15] or r[16], effective_due=r[17],
            deadline_phrase=about[(r[11], r[5])].phrase if (r[11], r[5]) in about else phrases.get(r[11]),
            deadline_quote=about[(r[11], r[5])].quote if (r[11], r[5]) in about else None,
            unit_id=r[18], unit_name=r[19],
            unit_role=roles.get((r[11], r[18])) if r[11] is not None and r[18] is not None else None,
            outage_id=r[20], outage_cause=None if r[21] is None else str(r[21]), outage_started_at=r[22],
            outage_ended_at=r[23], outage_waiting=r[24], outage_error=r[25],
            report_note=r[26], report_user_name=r[27],
            late_units=tuple(dict.fromkeys(name for _, name in sorted(late.get(r[11], []), key=lambda x: x[0]))),
        )
        for r in rows
    ]


# --- what administrators see: deadline-bot outbox --------------------------------------------


@dataclass(frozen=True)
class ChatOutbox:
    """One chat's rows in the outbox, counted by state."""

    chat_id: int
    telegram_chat_id: int
    title: str | None
    unit_name: str | None
    is_admin: bool
    active: bool
    pending: int
    due: int  # pending (or being sent) and due now: waiting to go out
    failed: int
    sent: int
    cancelled: int
    oldest_due: datetime | None
    last_error: str | None  # of the latest failed row, else of a pending row that failed an attempt


def outbox_by_chat(engine: Engine, now: datetime, chat_id: int | None = None) -> list[ChatOutbox]:
    """Every chat with rows in the outbox (or this one), with counts per state; ordered by chat id."""
    counts: dict[int, dict[ReminderState, int]] = defaultdict(lambda: defaultdict(int))
    due: dict[int, tuple[int, datetime | None]] = {}
    errors: dict[int, str] = {}
    scope = [] if chat_id is None else [Reminder.chat_id == chat_id]
    with engine.connect() as conn:
        for chat, state, count in conn.execute(
            select(Reminder.chat_id, Reminder.state, func.count()).where(*scope).group_by(Reminder.chat_id,
                                                                                           Reminder.state)
        ):
            counts[chat][state] = count
        for chat, count, oldest in conn.execute(
            select(Reminder.chat_id, func.count(), func.min(Reminder.send_at))
            .where(*scope, Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]), Reminder.send_at <= now)
            .group_by(Reminder.chat_id)
        ):
            due[chat] = (count, oldest)
        # The latest error per chat: failed rows first, then pending rows that failed an attempt.
        for chat, error in conn.execute(
            select(Reminder.chat_id, Reminder.last_error)
            .where(*scope, Reminder.last_error.is_not(None),
                   or_(Reminder.state == ReminderState.FAILED,
                       and_(Reminder.state == ReminderState.PENDING, Reminder.attempts > 0)))
            .order_by(Reminder.chat_id, (Reminder.state == ReminderState.FAILED).desc(), Reminder.id)
        ):
            errors[chat] = error  # the last one written per chat wins: a pending retry's, else a failure's
        chats = conn.execute(
            select(Chat.id, Chat.telegram_chat_id, Chat.title, Unit.name, Chat.is_admin, Chat.active)
            .outerjoin(Unit, Unit.id == Chat.unit_id)
            .where(Chat.id.in_(sorted(counts)) if chat_id is None else Chat.id == chat_id)
            .order_by(Chat.id)
        ).all()
    return [
        ChatOutbox(
            chat_id=c, telegram_chat_id=tg, title=title, unit_name=unit, is_admin=admin, active=active,
            pending=counts[c][ReminderState.PENDING] + counts[c][ReminderState.CLAIMED],
            due=due.get(c, (0, None))[0], failed=counts[c][ReminderState.FAILED], sent=counts[c][ReminderState.SENT],
            cancelled=counts[c][ReminderState.CANCELLED], oldest_due=due.get(c, (0, None))[1],
            last_error=errors.get(c),
        )
        for c, tg, title, unit, admin, active in chats
    ]


def retry_failed(engine: Engine, now: datetime, chat_id: int | None = None) -> int:
    """Queue failed rows again (of active chats, or of this chat), due now; how many."""
    active = select(Chat.id).where(Chat.active.is_(True))
    if chat_id is not None:
        active = active.where(Chat.id == chat_id)
    with engine.begin() as conn:
        return conn.execute(
            update(Reminder)
            .where(Reminder.state == ReminderState.FAILED, Reminder.chat_id.in_(active))
            .values(state=ReminderState.PENDING, attempts=0, next_attempt_at=now, last_error=None,
                    claimed_by=None, claimed_until=None)
        ).rowcount
