"""The leader lease: one holder at a time, renewed by its holder, taken over once it lapses."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.leases import acquire_lease, lease_holder, release_lease

NOW = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)
TTL = timedelta(seconds=30)


def test_one_holder_at_a_time_until_the_lease_lapses(engine):
    assert acquire_lease(engine, "polling", "a", NOW, TTL)
    assert not acquire_lease(engine, "polling", "b", NOW + timedelta(seconds=10), TTL)
    assert acquire_lease(engine, "polling", "a", NOW + timedelta(seconds=20), TTL)  # renewed until +50 s
    assert not acquire_lease(engine, "polling", "b", NOW + timedelta(seconds=45), TTL)
    assert lease_holder(engine, "polling", NOW + timedelta(seconds=45)) == "a"
    assert acquire_lease(engine, "polling", "b", NOW + timedelta(seconds=51), TTL)  # a died: b takes over
    assert not acquire_lease(engine, "polling", "a", NOW + timedelta(seconds=52), TTL)
    assert lease_holder(engine, "polling", NOW + timedelta(seconds=52)) == "b"


def test_a_released_lease_is_free_at_once(engine):
    assert acquire_lease(engine, "polling", "a", NOW, TTL)
    assert not release_lease(engine, "polling", "b")
    assert release_lease(engine, "polling", "a")
    assert lease_holder(engine, "polling", NOW) is None
    assert acquire_lease(engine, "polling", "b", NOW, TTL)
