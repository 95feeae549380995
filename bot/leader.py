"""Long polling by one process at a time, when several run on one database.

Telegram answers a second concurrent getUpdates with 409 Conflict, so only the holder of the
"polling" lease (store.leases) polls; every process dispatches reminders whatever happens here.
The holder renews the lease every third of its length; a process that dies stops renewing and
another takes the role once the lease lapses. A holder that cannot renew in time (the database
is away, another process took over) stops polling before its lease could have lapsed, and goes
back to waiting for the role. With a webhook none of this applies: Telegram posts each update to
one address, and any process behind it may answer.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from store import leases
from store.db import Engine
from store.errors import first_line

log = logging.getLogger("deadline_bot.leader")

POLLING_LEASE = "polling"


class PollingLeader:
    def __init__(self, engine: Engine, holder: str, *, ttl: timedelta = timedelta(seconds=30),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.engine = engine
        self.holder = holder
        self.ttl = ttl
        self.clock = clock
        self.leading = False
        self._valid_until = 0.0  # monotonic: past this we may have lost the lease without knowing
        self._keeper: asyncio.Task | None = None

    async def try_acquire(self) -> bool | None:
        """True: held now. False: another process holds it. None: the database could not say."""
        started = time.monotonic()
        try:
            held = await asyncio.to_thread(leases.acquire_lease, self.engine, POLLING_LEASE, self.holder,
                                           self.clock(), self.ttl)
        except Exception as error:  # the database is away: we hold nothing we can prove
            log.warning("the polling lease cannot be taken or renewed: %s", first_line(error))
            return None
        if held:
            self._valid_until = started + self.ttl.total_seconds()
        return held

    async def wait_until_leader(self) -> None:
        """Return once this process holds the polling lease (at once, if nobody else does)."""
        announced = False
        while not await self.try_acquire():
            if not announced:
                log.info("another process is polling Telegram; this one dispatches reminders and waits")
                announced = True
            await asyncio.sleep(self.ttl.total_seconds() / 3)
        self.leading = True
        log.info("this process polls Telegram (lease %s)", self.holder)

    def keep(self, start_polling: Callable[[], Awaitable[object]],
             stop_polling: Callable[[], Awaitable[object]]) -> None:
        """Renew in the background; on losing the lease stop polling, wait for it, poll again."""
        self._keeper = asyncio.create_task(self._keep(start_polling, stop_polling))

    async def _keep(self, start_polling, stop_polling) -> None:
        renew_every = self.ttl.total_seconds() / 3
        while True:
            await asyncio.sleep(renew_every)
            held = await self.try_acquire()
            if held:
                continue
            # Not renewed for want of a database: still ours until it may have lapsed.
            if held is None and time.monotonic() + renew_every < self._valid_until:
                continue
            log.warning("the polling lease was lost; polling stops until it is held again")
            self.leading = False
            await stop_polling()
            await self.wait_until_leader()
            await start_polling()

    async def release(self) -> None:
        """Stop renewing and give the lease up, so that another process takes over at once."""
        if self._keeper is not None:
            self._keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keeper
            self._keeper = None
        if self.leading:
            self.leading = False
            with contextlib.suppress(Exception):
                await asyncio.to_thread(leases.release_lease, self.engine, POLLING_LEASE, self.holder)


async def lead_polling(application, engine: Engine, settings) -> None:
    """Wait for the polling lease, then keep it while the application polls (from post_init)."""
    from telegram import Update

    from scheduler.dispatch import default_worker_id

    leader = PollingLeader(engine, default_worker_id(),
                           ttl=timedelta(seconds=settings.delivery.leader_lease_seconds))
    application.bot_data["polling_leader"] = leader
    await leader.wait_until_leader()

    async def start_polling() -> None:
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)

    async def stop_polling() -> None:
        if application.updater.running:
            await application.updater.stop()

    leader.keep(start_polling, stop_polling)


async def release_polling(application) -> None:
    """Give the polling lease up at shutdown (from post_shutdown)."""
    leader: PollingLeader | None = application.bot_data.pop("polling_leader", None)
    if leader is not None:
        await leader.release()
