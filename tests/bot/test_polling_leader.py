"""The polling leader: a holder that cannot renew stops polling before its lease could lapse,
and polls again once it holds the lease again."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.leader import POLLING_LEASE, PollingLeader
from store.leases import acquire_lease, lease_holder, release_lease
from tests.telegram.conftest import eventually

TTL = timedelta(seconds=0.6)


async def test_a_leader_that_cannot_renew_stops_polling_and_resumes_when_it_leads_again(engine):
    leader = PollingLeader(engine, "a", ttl=TTL)
    events: list[str] = []

    async def start() -> None:
        events.append("start")

    async def stop() -> None:
        events.append("stop")

    await leader.wait_until_leader()
    leader.keep(start, stop)
    await asyncio.sleep(0.5)  # two renewals
    assert leader.leading and events == []
    assert lease_holder(engine, POLLING_LEASE, datetime.now(UTC)) == "a"

    real = leader.try_acquire

    async def database_away():
        return None

    leader.try_acquire = database_away
    await eventually(lambda: events == ["stop"], what="polling to stop")
    # It stopped before its lease could lapse: nobody else could have been polling yet.
    assert lease_holder(engine, POLLING_LEASE, datetime.now(UTC)) in ("a", None)

    await eventually(lambda: acquire_lease(engine, POLLING_LEASE, "b", datetime.now(UTC), TTL * 10),
                     what="b to take the lapsed lease")
    leader.try_acquire = real
    await asyncio.sleep(0.5)
    assert events == ["stop"] and not leader.leading  # b holds it: a waits
    release_lease(engine, POLLING_LEASE, "b")
    await eventually(lambda: events == ["stop", "start"], what="polling to start again")
    assert leader.leading
    await leader.release()
    assert lease_holder(engine, POLLING_LEASE, datetime.now(UTC)) is None
