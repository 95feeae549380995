"""The live reminder engine: APScheduler 3.11 jobs in the caller's asyncio event loop.

Two jobs. "plan" turns the stored tasks into Reminder rows for [now - lookback, now + horizon)
(the weekly digest is one of those rows, so it survives restarts and is deduplicated like the
rest); "dispatch" claims the due rows and sends them. Both are coalesced with one instance at a
time: after downtime each job runs once, not once per missed interval, and the outbox itself
remembers what fell due, so a restart neither loses nor floods. Anything can ask for an
immediate re-plan (an import, a status change, a chat binding) with `replan()`.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Connection, Engine

from scheduler.calendar import WorkingCalendar
from scheduler.dispatch import Dispatcher
from scheduler.planner import plan_reminders
from scheduler.policy import ReminderPolicy
from scheduler import stored_calendar
from store import outbox
from store.db import InTransaction

log = logging.getLogger("deadline_bot.scheduler")

PLAN_JOB = "plan"
DISPATCH_JOB = "dispatch"


def replan_reminders(engine: Engine, policy: ReminderPolicy, calendar: WorkingCalendar, now: datetime,
                     lookback: timedelta, horizon: timedelta,
                     task_ids: Iterable[int] | None = None, *, refresh_calendar: bool = True) -> outbox.SyncResult:
    """Plan [now - lookback, now + horizon) from the store and make the outbox match it; tell the
    administrators when a year begins without official holiday data. The calendar is given the
    stored holiday notices first, unless `refresh_calendar` is False (it was just read)."""
    if refresh_calendar:
        stored_calendar.refresh_calendar(engine, calendar)  # a notice imported since the last run counts now
    scope = None if task_ids is None else sorted(set(task_ids))
    tasks = outbox.tasks_to_plan(engine, scope)
    chats = outbox.chats_to_plan(engine)
    start, end = now - lookback, now + horizon
    planned = plan_reminders(tasks, chats, policy, calendar, start, end, now=now)
    result = outbox.sync_planned_reminders(engine, planned, start, end, scope)
    stored_calendar.enqueue_missing_year_warnings(engine, calendar, now, policy.zone)
    return result


def replan_in_transaction(conn: Connection, policy: ReminderPolicy, calendar: WorkingCalendar, now: datetime,
                          lookback: timedelta, horizon: timedelta, task_ids: Iterable[int]) -> outbox.SyncResult:
    """replan_reminders for these tasks inside the caller's open transaction: a status report and
    the reminders it changes commit together, or roll back together."""
    within = InTransaction(conn)
    scope = sorted(set(task_ids))
    start, end = now - lookback, now + horizon
    planned = plan_reminders(outbox.tasks_to_plan(within, scope), outbox.chats_to_plan(within), policy, calendar,
                             start, end, now=now)
    return outbox.sync_planned_reminders(within, planned, start, end, scope)


class ReminderService:
    """Owns the AsyncIOScheduler; start() inside a running event loop, stop() before it closes.

    `calendar_is_current`: the calendar was just read from the store (scheduler.stored_calendar.stored_calendar),
    so the first planning run need not read the holiday notices again.
    """

    def __init__(self, engine: Engine, dispatcher: Dispatcher, policy: ReminderPolicy, *,
                 calendar: WorkingCalendar | None = None, calendar_is_current: bool = False,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 tick: timedelta = timedelta(seconds=30), plan_every: timedelta = timedelta(minutes=15),
                 lookback: timedelta = timedelta(days=14), horizon: timedelta = timedelta(days=2)) -> None:
        self.engine = engine
        self.dispatcher = dispatcher
        self.policy = policy
        self.calendar = calendar or WorkingCalendar.from_policy(policy)
        self._calendar_is_current = calendar is not None and calendar_is_current
        self.clock = clock
        self.tick = tick
        self.plan_every = plan_every
        self.lookback = lookback
        self.horizon = horizon
        self._scheduler: AsyncIOScheduler | None = None
        self._plan_lock = asyncio.Lock()
        self._overrunning: set[asyncio.Task] = set()
        self._ticks: set[asyncio.Future] = set()  # a tick in flight, shielded from the scheduler's shutdown

    async def replan(self, task_ids: Iterable[int] | None = None) -> outbox.SyncResult:
        """Re-plan now (all tasks, or these); planning runs in a thread so the bot stays responsive."""
        async with self._plan_lock:
            refresh, self._calendar_is_current = not self._calendar_is_current, False
            result = await asyncio.to_thread(replan_reminders, self.engine, self.policy, self.calendar,
                                             self.clock(), self.lookback, self.horizon, task_ids,
                                             refresh_calendar=refresh)
        if result.inserted or result.cancelled or result.revived:
            log.info("planned reminders: %d new, %d cancelled, %d revived", result.inserted, result.cancelled,
                     result.revived)
        return result

    def replan_in(self, conn: Connection, task_ids: Iterable[int]) -> outbox.SyncResult:
        """Re-plan these tasks inside the caller's transaction (app.status.report_status's `replan`)."""
        return replan_in_transaction(conn, self.policy, self.calendar, self.clock(), self.lookback, self.horizon,
                                     task_ids)

    async def replan_within(self, seconds: float, task_ids: Iterable[int] | None = None) -> outbox.SyncResult | None:
        """Re-plan, waiting at most `seconds` for it: a person waits for the answer that follows.

        A re-plan that overruns (a very large store, a slow database) goes on to its end in the
        background, since stopping it half-way would leave the outbox half-synced; the caller
        answers at once and gets None.
        """
        run = asyncio.ensure_future(self.replan(task_ids))
        try:
            return await asyncio.wait_for(asyncio.shield(run), seconds)
        except TimeoutError:
            log.warning("re-planning overran its budget of %g s; it goes on in the background", seconds)
            self._overrunning.add(run)
            run.add_done_callback(self._overrunning.discard)
            return None

    async def _plan_job(self) -> None:
        try:
            await self.replan()
        except Exception:  # a failed run must not stop the schedule; the next one tries again
            log.exception("planning reminders failed")

    async def _dispatch_job(self) -> None:
        # APScheduler cancels a running coroutine job when it shuts down. A tick cut between
        # Telegram accepting a message and the row being marked sent would send it again once
        # the claim lapses, so the tick runs shielded and stop() waits for it (dispatcher.shutdown).
        tick = asyncio.ensure_future(self._tick())
        self._ticks.add(tick)
        tick.add_done_callback(self._ticks.discard)
        await asyncio.shield(tick)

    async def _tick(self) -> None:
        try:
            await self.dispatcher.tick()
        except Exception:
            log.exception("dispatching reminders failed")

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone=UTC)
        # coalesce + one instance: a job that missed many runs (downtime, a long tick) runs once;
        # misfire_grace_time=None: however late, it still runs, since the outbox holds the work.
        job = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        scheduler.add_job(self._plan_job, "interval", seconds=self.plan_every.total_seconds(), id=PLAN_JOB,
                          next_run_time=datetime.now(UTC), **job)
        scheduler.add_job(self._dispatch_job, "interval", seconds=self.tick.total_seconds(), id=DISPATCH_JOB,
                          next_run_time=datetime.now(UTC) + timedelta(seconds=1), **job)
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self) -> None:
        """No new runs; the send in flight finishes and unsent claims go back to the queue."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        await self.dispatcher.shutdown()
        if self._ticks:  # a tick that had not taken the dispatcher's lock yet
            await asyncio.gather(*self._ticks)
