"""Delivery outages, kept once for every dispatcher process, and the notices that tell of them.

An outage of the chat channel (Telegram answering 5xx, timing out, unreachable) is opened by
the first process that sees a tick fail without a single success, told to the administrators
once it has lasted `notice_after` (with the count of reminders waiting), and closed by the first
tick that gets a message through, which tells them again, with the span. A notice still unsent
when the outage ends is cancelled: the closing notice says both things at once. An outage of
the database cannot be recorded while it lasts (nor can anything be sent: see the dispatcher),
so each process remembers when it began and records it when the database is back; overlapping
reports of several processes become one outage and one notice.

Bookkeeping is rare and tiny, so it is serialised outright: BEGIN IMMEDIATE on SQLite, a
transaction-scoped advisory lock on PostgreSQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, func, select, update

from store.models import DeliveryOutage, OutageCause, Reminder, ReminderState
from store.outbox import count_waiting, enqueue_admin_notices, pull_retries_forward
from vocabulary import ReminderKind

# PostgreSQL advisory lock (namespace, key) serialising outage bookkeeping.
_OUTAGE_LOCK = (0x6462, -1)
_ERROR_LENGTH = 300


@dataclass(frozen=True)
class Outage:
    id: int
    cause: OutageCause
    started_at: datetime
    last_seen_at: datetime
    announced_at: datetime | None
    ended_at: datetime | None
    waiting: int
    last_error: str | None


def _begin_locked(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(*_OUTAGE_LOCK)))
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


_TABLE = DeliveryOutage.__table__


def _open(conn: Connection, cause: OutageCause):
    """The open outage of this cause as a row (attributes named like the columns), or None."""
    return conn.execute(select(_TABLE).where(_TABLE.c.open_cause == cause.value)).first()


def delivery_failing(engine: Engine, cause: OutageCause, since: datetime, now: datetime,
                     notice_after: timedelta, error: str) -> bool:
    """Deliveries have failed since `since` with nothing getting through: open (or extend) the
    outage and, once it has lasted `notice_after`, tell the administrators. True when told now."""
    with engine.connect() as conn, conn.begin():
        _begin_locked(conn)
        outage = _open(conn, cause)
        if outage is None:
            outage_id = conn.execute(
                _TABLE.insert().values(
                    cause=cause, open_cause=cause.value, started_at=since, last_seen_at=now,
                    waiting=0, last_error=error[:_ERROR_LENGTH]),
            ).inserted_primary_key[0]
            started_at, announced = since, False
        else:
            outage_id, started_at, announced = outage.id, outage.started_at, outage.announced_at is not None
        waiting = count_waiting(conn, now)
        values = dict(last_seen_at=now, waiting=waiting, last_error=error[:_ERROR_LENGTH])
        tell = not announced and now - started_at >= notice_after
        if tell:
            values["announced_at"] = now
            _enqueue_notices(conn, outage_id, ReminderKind.OUTAGE, now)
        conn.execute(update(DeliveryOutage).where(DeliveryOutage.id == outage_id).values(**values))
        return tell


def delivery_working(engine: Engine, cause: OutageCause, now: datetime) -> Outage | None:
    """A message got through: close the open outage, if any (returned). If it was told, tell
    that it ended (an unsent opening notice is cancelled: this one carries the span), and let
    the rows waiting out a backoff go now."""
    with engine.connect() as conn:
        if _open(conn, cause) is None:  # the usual case, answered without a lock
            return None
        conn.rollback()
        with conn.begin():
            _begin_locked(conn)
            outage = _open(conn, cause)
            if outage is None:
                return None
            waiting = count_waiting(conn, now)
            conn.execute(update(DeliveryOutage).where(DeliveryOutage.id == outage.id)
                         .values(open_cause=None, ended_at=now, waiting=waiting))
            if outage.announced_at is not None:
                conn.execute(
                    update(Reminder)
                    .where(Reminder.outage_id == outage.id, Reminder.kind == ReminderKind.OUTAGE,
                           Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]))
                    .values(state=ReminderState.CANCELLED, last_error="the outage ended before it was sent",
                            claimed_by=None, claimed_until=None)
                )
                _enqueue_notices(conn, outage.id, ReminderKind.OUTAGE_OVER, now)
            ended = _outage(conn.execute(select(_TABLE).where(_TABLE.c.id == outage.id)).one())
    pull_retries_forward(engine, now)
    return ended


def record_past_outage(engine: Engine, cause: OutageCause, started_at: datetime, ended_at: datetime,
                       notice_after: timedelta, error: str) -> bool:
    """An outage seen by one process, recorded after the fact (the database was away). Reports
    that overlap one already recorded extend it; a new one that lasted `notice_after` is told.
    True when the administrators are told now."""
    with engine.connect() as conn, conn.begin():
        _begin_locked(conn)
        outage = conn.execute(
            select(_TABLE).where(_TABLE.c.cause == cause.value, _TABLE.c.ended_at >= started_at - notice_after,
                                 _TABLE.c.started_at <= ended_at)
            .order_by(_TABLE.c.id.desc())
        ).first()
        if outage is not None:
            conn.execute(update(DeliveryOutage).where(DeliveryOutage.id == outage.id).values(
                started_at=min(outage.started_at, started_at), ended_at=max(outage.ended_at, ended_at)))
            return False
        tell = ended_at - started_at >= notice_after
        outage_id = conn.execute(
            _TABLE.insert().values(
                cause=cause, open_cause=None, started_at=started_at, last_seen_at=ended_at, ended_at=ended_at,
                announced_at=ended_at if tell else None, waiting=count_waiting(conn, ended_at),
                last_error=error[:_ERROR_LENGTH]),
        ).inserted_primary_key[0]
        if tell:
            _enqueue_notices(conn, outage_id, ReminderKind.OUTAGE_OVER, ended_at)
        return tell


def outages(engine: Engine, limit: int = 20) -> list[Outage]:
    """The latest outages, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(_TABLE).order_by(_TABLE.c.id.desc()).limit(limit)).all()
    return [_outage(row) for row in rows]


def open_outages(engine: Engine) -> list[Outage]:
    """The outages still going on (one per cause at most), whatever was recorded after them."""
    with engine.connect() as conn:
        rows = conn.execute(select(_TABLE).where(_TABLE.c.open_cause.is_not(None)).order_by(_TABLE.c.id)).all()
    return [_outage(row) for row in rows]


def _outage(o) -> Outage:
    return Outage(o.id, OutageCause(o.cause), o.started_at, o.last_seen_at, o.announced_at, o.ended_at, o.waiting,
                  o.last_error)


def _enqueue_notices(conn: Connection, outage_id: int, kind: ReminderKind, now: datetime) -> int:
    which = "began" if kind is ReminderKind.OUTAGE else "over"
    return enqueue_admin_notices(conn, kind, f"outage:{outage_id}:{which}", now, outage_id=outage_id)
