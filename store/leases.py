"""Leader leases: a role only one process may hold at a time (long polling: Telegram answers a
second getUpdates with 409), decided by one row in the database.

Taking and renewing are the same conditional write (healthchecks' "the claim is the lock"): the
row is ours if it is absent, already ours, or its holder let it lapse. A holder that dies simply
stops renewing, and another process takes the role once the lease has lapsed.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, literal, or_, select, update

from store.db import insert_ignoring_duplicates
from store.models import LeaderLease

_TABLE = LeaderLease.__table__


def acquire_lease(engine: Engine, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease `name` for `ttl`; True if `holder` holds it now."""
    with engine.begin() as conn:
        # RETURNING says whether the row went in (rowcount is -1 with psycopg for this statement).
        inserted = conn.execute(
            insert_ignoring_duplicates(conn, _TABLE, "name")
            .values(name=name, holder=holder, expires_at=now + ttl, acquired_at=now)
            .returning(_TABLE.c.name)
        ).first()
        if inserted is not None:
            return True
        taken = conn.execute(
            update(_TABLE)
            .where(_TABLE.c.name == name, or_(_TABLE.c.holder == holder, _TABLE.c.expires_at < now))
            .values(holder=holder, expires_at=now + ttl,
                    acquired_at=case((_TABLE.c.holder == holder, _TABLE.c.acquired_at), else_=literal(now, _TABLE.c.acquired_at.type)))
        ).rowcount
        return bool(taken)


def release_lease(engine: Engine, name: str, holder: str) -> bool:
    """Give the lease up (a clean shutdown), so that another process need not wait for it to lapse."""
    with engine.begin() as conn:
        return bool(conn.execute(delete(_TABLE).where(_TABLE.c.name == name, _TABLE.c.holder == holder)).rowcount)


def lease_holder(engine: Engine, name: str, now: datetime) -> str | None:
    """Who holds the lease now (None: nobody, or it lapsed)."""
    with engine.connect() as conn:
        row = conn.execute(select(_TABLE.c.holder, _TABLE.c.expires_at).where(_TABLE.c.name == name)).first()
    return None if row is None or row.expires_at < now else row.holder
