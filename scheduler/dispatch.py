"""The dispatcher: claim due reminders, collapse them into one message per chat (a list of its
tasks, paged: scheduler.batching) or per task that needs a decision, send
within Telegram's limits, and settle every row (sent, retry later, failed, dropped).

One `tick()` is one pass; APScheduler (wired in `bot/`) calls it every few seconds. A pass
goes on while rows are due, claiming more as its queue runs low, so Telegram's limits (the
SendLimiter), not the tick interval or the claim size, set the pace. Up to `max_in_flight`
sends are in flight at once, never two to one chat, and each chat's messages leave in the
order their rows fell due. A worker killed mid-send duplicates at most the messages in flight
(whose rows it had not yet marked sent; one with the class's default of 1), and the claim
lease hands everything else to the next worker.

Nothing is given up silently. A row fails only for a permanent error (the chat is gone, the
message is refused as it is, or a bug repeated `max_attempts` times); a transient error (5xx,
timeout, network) keeps it pending with capped backoff until it goes out, goes stale (a
before-due reminder whose date passed) or rides along with the next message about its task. A
run of failures with nothing getting through is an outage, told to the administrators once it
lasts `outage_notice_after`, and again when it ends (store.outages). The database is the
record: a claim is renewed just before each send, so a message whose outcome could not be
written is not sent; a message sent when the database then went away is remembered in memory
and recorded before anything else is sent.
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from scheduler.batching import TASKS_PER_MESSAGE, listed, pages, section_rank
from scheduler.model import ReminderKind
from scheduler.notify import (
    ChatAddress,
    ChatGone,
    ChatMoved,
    Delivery,
    DeliveryItem,
    MessageComposer,
    MessageRejected,
    Notifier,
    OutageNotice,
    RateLimited,
    TransientError,
)
from scheduler.ratelimit import RateLimits, SendLimiter
from scheduler.retry import RetryPolicy
from store import digest, outages, outbox
from store.notices import EXTENSION_KINDS
from store.errors import database_unavailable, first_line
from store.models import CLOSED_STATUSES, ChatKind, OutageCause

log = logging.getLogger(__name__)

# Most urgent first: a collapsed message speaks with the voice of its most urgent kind.
URGENCY = (
    # A message that asks for a decision on the task (销号, or a send-back's reason) keeps its buttons
    # and its words when an escalation or a reminder about the same task is due with it.
    ReminderKind.VERIFY_REQUEST,
    ReminderKind.SENT_BACK,
    ReminderKind.ESCALATION,
    ReminderKind.OVERDUE,
    ReminderKind.DUE_TODAY,
    ReminderKind.REMINDER,
    ReminderKind.POLL,
    ReminderKind.EXT_REQUEST,
    ReminderKind.EXT_DECISION,
    ReminderKind.DIGEST,
    ReminderKind.CHAT_LOST,
    ReminderKind.HOLIDAYS_MISSING,
    ReminderKind.OUTAGE_OVER,
    ReminderKind.OUTAGE,
)
# Reminders about an upcoming due date say nothing useful once the date has passed.
BEFORE_DUE_KINDS = (ReminderKind.REMINDER, ReminderKind.DUE_TODAY)


@dataclass(frozen=True)
class TickResult:
    claimed: int = 0  # rows claimed this tick
    messages_sent: int = 0
    reminders_sent: int = 0  # rows marked sent (several per message when collapsed)
    dropped: int = 0  # rows cancelled: task closed, before-due reminder gone stale
    deferred: int = 0  # rows handed back for later without counting an attempt (rate limits)
    retried: int = 0  # rows to retry after a transient error
    failed: int = 0
    chats_lost: int = 0
    released: int = 0  # rows handed back unsent at shutdown
    in_doubt: int = 0  # rows whose send timed out after Telegram may have accepted it (retried)
    unrecorded: int = 0  # rows sent whose sending could not be recorded yet (the database is away)
    database_down: bool = False  # the tick stopped because the database could not be reached
    # Set when the tick did nothing because now is outside working hours: when sending may resume.
    paused_until: datetime | None = None


@dataclass
class _Counts:
    claimed: int = 0
    messages_sent: int = 0
    reminders_sent: int = 0
    dropped: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    chats_lost: int = 0
    released: int = 0
    in_doubt: int = 0
    unrecorded: int = 0
    database_down: bool = False
    # Tick-local: consecutive transient failures, and when to retry what the tick stopped short of.
    failures_in_a_row: int = 0
    hold_until: datetime | None = None
    got_through: bool = False
    back_at: datetime | None = None  # the soonest a row this tick handed back for a rate limit is due again

    def coming_back(self, at: datetime) -> None:
        self.back_at = at if self.back_at is None else min(self.back_at, at)

    def result(self) -> TickResult:
        return TickResult(**{k: v for k, v in vars(self).items() if k in TickResult.__dataclass_fields__})


@dataclass
class _Group:
    details: list[outbox.DeliveryDetails] = field(default_factory=list)
    # A list of several tasks (scheduler.batching), and which page of the chat's list it is.
    listed: bool = False
    page: int = 1
    pages: int = 1

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(d.reminder_id for d in self.details)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Dispatcher:
    def __init__(
        self,
        engine: Engine,
        notifier: Notifier,
        composer: MessageComposer,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        worker_id: str | None = None,
        limits: RateLimits = RateLimits(),
        limiter: SendLimiter | None = None,
        retry: RetryPolicy = RetryPolicy(),
        in_working_hours: Callable[[datetime], datetime] | None = None,
        lease: timedelta = timedelta(minutes=5),
        batch_size: int = 200,
        max_in_flight: int = 1,
        max_wait: timedelta = timedelta(seconds=5),
        plan_timezone: ZoneInfo = ZoneInfo("Asia/Shanghai"),
        draw: Callable[[], float] = random.random,
        outage_notice_after: timedelta = timedelta(minutes=5),
        failures_before_pause: int = 3,
        tasks_per_message: int = TASKS_PER_MESSAGE,
    ) -> None:
        self.engine = engine
        self.notifier = notifier
        self.composer = composer
        self.clock = clock
        self.sleep = sleep
        self.worker_id = worker_id or default_worker_id()
        self.retry = retry
        self.in_working_hours = in_working_hours
        self.lease = lease
        self.batch_size = batch_size
        self.max_in_flight = max_in_flight
        # A chat whose own limit asks for a longer wait (a group's 20 per minute) is handed back
        # with next_attempt_at instead of holding the whole tick, and its claims, hostage.
        self.max_wait = max_wait
        self.plan_timezone = plan_timezone
        self.draw = draw
        # A limiter the caller shares with its other sends (the bot's replies), or one of the
        # dispatcher's own that keeps time by the dispatcher's clock.
        self.limiter = limiter or SendLimiter(limits, clock=lambda: self.clock().timestamp())
        self.outage_notice_after = outage_notice_after
        # After this many transient failures in a row a tick stops: the channel is down, and
        # trying every other chat would only spend the tick on timeouts.
        self.failures_before_pause = failures_before_pause
        # A chat's list of tasks is paged at this many per message (scheduler.batching).
        self.tasks_per_message = tasks_per_message
        self._tick_lock = asyncio.Lock()
        self._last_slot = float("-inf")  # the limiter's time of this dispatcher's last send (see _spaced)
        self._stopping = False
        # Messages sent whose rows could not be marked sent: (ids, message id, sent at).
        self._unrecorded: list[tuple[list[int], int | None, datetime]] = []
        self._failing_since: datetime | None = None  # first transient failure of the current run
        self._last_failure = ""
        self._database_down_since: datetime | None = None
        self._database_error = ""

    async def tick(self) -> TickResult:
        """One pass: claim, drop what is stale, collapse, send within limits, settle every row.

        The pass goes on while rows are due: it claims more as its queue runs low, so the rate
        limiter, not the tick interval or the claim size, sets the pace.
        """
        if self._stopping or self._tick_lock.locked():
            return TickResult()
        async with self._tick_lock:
            now = self.clock()
            # Whatever went out while the database was away is recorded before anything else is sent.
            if self._unrecorded and not await self._record_unrecorded():
                return TickResult(unrecorded=sum(len(ids) for ids, _, _ in self._unrecorded), database_down=True)
            if self.in_working_hours is not None:
                allowed = self.in_working_hours(now)
                if allowed > now:
                    return TickResult(paused_until=allowed)
            counts = _Counts()
            open_ids: set[int] = set()
            try:
                await self._deliver(counts, open_ids)
            except SQLAlchemyError as error:
                self._database_failed(self.clock(), error)
                counts.database_down = True
            finally:
                # Shutdown, an error, or a tick cut short: nothing stays claimed by a worker that moved on.
                if open_ids and not counts.database_down:
                    try:
                        counts.released += await asyncio.to_thread(
                            outbox.release_claims, self.engine, sorted(open_ids), next_attempt_at=counts.hold_until)
                    except SQLAlchemyError as error:  # the claims lapse with their lease instead
                        self._database_failed(self.clock(), error)
                        counts.database_down = True
            if not counts.claimed:
                return TickResult(database_down=counts.database_down)
            if not counts.database_down:
                await self._note_channel_health(counts)
            result = counts.result()
            log.info("dispatch tick: %s", result)
            return result

    async def tick_after_current(self) -> TickResult:
        """A tick for what was queued a moment ago (an extension request, a /remind): where tick()
        skips while another tick runs, this one waits for it to end first, since that tick may
        have claimed before the new rows were committed. A tick that starts meanwhile sees them."""
        async with self._tick_lock:
            pass
        return await self.tick()

    async def _claim_more(self, queue: _ChatQueue, counts: _Counts, open_ids: set[int]) -> int:
        """Claim the next due rows into `queue`; the number of rows claimed (0: nothing is due)."""
        now = self.clock()
        # A few seconds' worth at a time: processes sharing the database then share the work to
        # its end, instead of one holding a long queue while the others have nothing left to claim.
        limit = min(self.batch_size, self._queue_chats)
        try:
            claimed = await asyncio.to_thread(
                outbox.claim_due_reminders, self.engine, now, self.worker_id, self.lease, limit)
        except SQLAlchemyError as error:
            self._database_failed(now, error)
            counts.database_down = True
            return 0
        await self._database_is_back(now)
        if not claimed:
            return 0
        counts.claimed += len(claimed)
        ids = {c.reminder_id for c in claimed}
        open_ids.update(ids)
        details = await asyncio.to_thread(outbox.delivery_details, self.engine, sorted(ids))
        queue.add(await self._triage(details, now, counts, open_ids), claimed_at=now)
        return len(claimed)

    # --- outages ---------------------------------------------------------------------------

    def _database_failed(self, now: datetime, error: SQLAlchemyError) -> None:
        """The database is away: sending stops until it is back. Any other database error is a bug,
        raised again (the tick is logged with its traceback), not an outage."""
        if not database_unavailable(error):
            raise error
        if self._database_down_since is None:
            log.warning("the database cannot be reached; sending stops until it can: %s", first_line(error))
            self._database_down_since = now
        self._database_error = first_line(error)

    async def _database_is_back(self, now: datetime) -> None:
        since = self._database_down_since
        if since is None:
            return
        try:
            await asyncio.to_thread(outages.record_past_outage, self.engine, OutageCause.DATABASE, since, now,
                                    self.outage_notice_after, self._database_error)
        except SQLAlchemyError as error:
            self._database_failed(now, error)
            return
        log.info("the database is back (away since %s)", since.isoformat(timespec="seconds"))
        self._database_down_since = None

    async def _channel_works(self) -> None:
        self._failing_since = None
        ended = await asyncio.to_thread(outages.delivery_working, self.engine, OutageCause.TELEGRAM, self.clock())
        if ended is not None:
            log.info("delivery works again (failing since %s)", ended.started_at.isoformat(timespec="seconds"))

    async def _note_channel_health(self, counts: _Counts) -> None:
        """Failures and nothing through: the outage goes on, and is told once it has lasted."""
        now = self.clock()
        try:
            if not counts.got_through and self._failing_since is not None and counts.retried:
                told = await asyncio.to_thread(outages.delivery_failing, self.engine, OutageCause.TELEGRAM,
                                               self._failing_since, now, self.outage_notice_after,
                                               self._last_failure)
                if told:
                    log.warning("delivery has failed since %s; the administrators are told",
                                self._failing_since.isoformat(timespec="seconds"))
        except SQLAlchemyError as error:
            self._database_failed(now, error)

    async def _record_unrecorded(self) -> bool:
        """Mark sent what went out while the database was away; False while it still cannot be."""
        while self._unrecorded:
            ids, message_id, sent_at = self._unrecorded[0]
            try:
                await asyncio.to_thread(outbox.mark_sent, self.engine, ids, message_id, sent_at)
            except SQLAlchemyError as error:
                self._database_failed(self.clock(), error)
                return False
            self._unrecorded.pop(0)
        return True

    async def shutdown(self) -> None:
        """Start no new send, let the one in flight finish, hand unsent claims back."""
        self._stopping = True
        async with self._tick_lock:
            # Messages sent while the database was away are recorded now if it is back: otherwise
            # their rows would be sent again once their claims lapse.
            if self._unrecorded and not await self._record_unrecorded():
                log.error("stopping with reminders sent but not recorded (the database is away): %s; they "
                          "will be sent again when their claims lapse",
                          sorted(i for ids, _, _ in self._unrecorded for i in ids))

    # --- triage ---------------------------------------------------------------------------

    async def _triage(
        self, details: Sequence[outbox.DeliveryDetails], now: datetime, counts: _Counts, open_ids: set[int]
    ) -> list[_Group]:
        today = now.astimezone(self.plan_timezone).date()
        closed, stale, inactive, unknown = [], [], [], []
        groups: dict[tuple, _Group] = defaultdict(_Group)
        for d in details:
            due = d.due_date or d.effective_due
            if not d.chat_active:
                inactive.append(d.reminder_id)
            elif d.task_id is not None and d.task_status in CLOSED_STATUSES:
                closed.append(d.reminder_id)
            elif d.kind in BEFORE_DUE_KINDS and due is not None and due < today:
                stale.append(d.reminder_id)  # the overdue notice replaces it
            elif d.kind in EXTENSION_KINDS and d.extension is None:
                unknown.append(d.reminder_id)  # the request went with its task
            else:
                # One message per task and chat carries the current state; rows not about a
                # task (digests, lost chats) collapse per kind, unit and chat; each extension
                # request is a message of its own.
                key = ("task", d.task_id, d.chat_id) if d.task_id is not None else (
                    d.kind, d.unit_id, d.chat_id, d.outage_id, d.extension_id)
                groups[key].details.append(d)
        for ids, settle in (
            (closed, lambda ids: outbox.cancel_reminders(self.engine, ids, "task closed")),
            (stale, lambda ids: outbox.cancel_reminders(self.engine, ids, "due date passed before it was sent")),
            (inactive, lambda ids: outbox.mark_failed(self.engine, ids, "chat inactive")),
            (unknown, lambda ids: outbox.cancel_reminders(self.engine, ids, "extension request deleted")),
        ):
            if ids:
                await asyncio.to_thread(settle, ids)
                open_ids.difference_update(ids)
        counts.dropped += len(closed) + len(stale) + len(unknown)
        counts.failed += len(inactive)
        return _listed_by_chat(list(groups.values()), self.tasks_per_message)

    def _delivery(self, group: _Group, now: datetime) -> Delivery:
        rows = sorted(group.details, key=lambda d: (URGENCY.index(d.kind), d.send_at, d.reminder_id))
        first = rows[0]
        kinds = tuple(dict.fromkeys(d.kind for d in rows))
        if group.listed:
            return Delivery(
                chat=ChatAddress(first.chat_id, first.telegram_chat_id, str(first.chat_kind), first.language),
                kind=first.kind, kinds=kinds, reminder_ids=tuple(sorted(d.reminder_id for d in rows)), now=now,
                unit_id=first.unit_id, unit_name=first.unit_name,
                items=tuple(_item(task_rows) for task_rows in _by_task(group.details)),
                page=group.page, pages=group.pages)
        return Delivery(
            chat=ChatAddress(first.chat_id, first.telegram_chat_id, str(first.chat_kind), first.language),
            kind=first.kind,
            kinds=kinds,
            reminder_ids=tuple(sorted(d.reminder_id for d in rows)),
            now=now,
            task_id=first.task_id,
            task_label=first.task_label,
            task_title=first.task_title,
            task_status=None if first.task_status is None else str(first.task_status),
            document_title=first.document_title,
            effective_due=first.effective_due,
            deadline_phrase=first.deadline_phrase,
            deadline_quote=first.deadline_quote,
            due_date=first.due_date,
            unit_id=first.unit_id,
            unit_name=first.unit_name,
            unit_role=None if first.unit_role is None else str(first.unit_role),
            outage=None if first.outage_started_at is None else OutageNotice(
                cause=first.outage_cause or "", started_at=first.outage_started_at, ended_at=first.outage_ended_at,
                waiting=first.outage_waiting or 0, error=first.outage_error),
            report_note=first.report_note,
            report_user_name=first.report_user_name,
            late_units=first.late_units,
            extension=first.extension,
        )

    # --- sending --------------------------------------------------------------------------

    async def _deliver(self, counts: _Counts, open_ids: set[int]) -> None:
        """Claim, and send what was claimed, until nothing is due (or the tick must stop).

        Up to `max_in_flight` sends at once, never two to one chat: each chat's messages leave
        one after the other, in the order their rows fell due. Chats take turns; a chat whose
        own limits ask for a wait lets the others go first, or is handed back for later when the
        wait is longer than `max_wait`.
        """
        queue = _ChatQueue()
        in_flight: dict[asyncio.Task, _Group] = {}
        busy: set[int] = set()  # chats with a send in flight
        gone: dict[int, str] = {}  # chats lost during this tick, with the reason
        may_claim, exhausted = True, False
        forced: int | None = None  # a chat to send to whatever the limiter says (its clock stood still)
        max_wait = self.max_wait.total_seconds()
        try:
            while not self._stopping and not counts.database_down:
                if may_claim and counts.hold_until is not None:
                    may_claim = False  # the channel keeps failing: the rest waits for a later tick
                if may_claim and not exhausted and queue.wants_more(busy, self._queue_chats, self._queue_rows):
                    if not self._may_send_now():
                        may_claim = False
                    else:
                        exhausted = not await self._claim_more(queue, counts, open_ids)
                        continue
                # Pick the first chat, in turn, that may be written to now.
                now = self.clock()
                chosen, soonest, soonest_chat = None, None, None
                reminders_pending = any(g.details[0].outage_id is None for g in in_flight.values()) or (
                    counts.hold_until is None and queue.has_reminders())
                for chat_id in queue.chats():
                    if chat_id in busy:
                        continue
                    group, claimed_at = queue.peek(chat_id)
                    first = group.details[0]
                    if first.outage_id is None and counts.hold_until is not None:
                        continue  # the channel keeps failing; a notice about it still gets its one try
                    if first.outage_id is not None and reminders_pending:
                        continue  # the first reminder through ends the outage and cancels its notices
                    if chat_id in gone:
                        await self._fail_for_lost_chat(queue.take_all(chat_id), gone[chat_id], counts, open_ids)
                        continue
                    if now > claimed_at + self.lease / 2:
                        # Past half the lease another worker may soon claim these rows again: hand
                        # them back rather than risk sending them twice, and claim no more this tick.
                        ids = queue.take_all(chat_id)
                        counts.released += await asyncio.to_thread(outbox.release_claims, self.engine, ids)
                        open_ids.difference_update(ids)
                        may_claim = False
                        continue
                    address, is_group = first.telegram_chat_id, first.chat_kind != ChatKind.PRIVATE
                    wait = 0.0 if chat_id == forced else self.limiter.chat_wait_before(address, is_group)
                    if wait > max_wait:
                        # The chat's own limits (and a 429 it earned) ask for a long wait: hand its
                        # rows back with next_attempt_at instead of holding the tick and the claims.
                        ids = queue.take_all(chat_id)
                        resume = now + timedelta(seconds=wait)
                        await asyncio.to_thread(outbox.release_claims, self.engine, ids, next_attempt_at=resume)
                        open_ids.difference_update(ids)
                        counts.deferred += len(ids)
                        counts.coming_back(resume)
                        continue
                    if wait <= 0:
                        chosen = chat_id
                        break
                    if soonest is None or wait < soonest:
                        soonest, soonest_chat = wait, chat_id
                forced = None
                if chosen is None:
                    if soonest is None and not in_flight:
                        # Nothing left this tick can send: look once more for rows that came due.
                        if may_claim and self._may_send_now() and not counts.database_down:
                            if await self._claim_more(queue, counts, open_ids):
                                exhausted = False
                                continue
                            # Rows a 429 or a chat's limit handed back a moment ago: wait for them
                            # rather than leave them to the next tick.
                            back_at, counts.back_at = counts.back_at, None
                            if back_at is not None and back_at - self.clock() <= self.max_wait:
                                await self.sleep(max(0.0, (back_at - self.clock()).total_seconds()))
                                continue
                        break
                    before = self.limiter.clock()
                    await self._wait_for(in_flight, soonest)
                    if soonest is not None and not in_flight and self.limiter.clock() <= before:
                        forced = soonest_chat  # a clock that stood still while we slept (a test's)
                    continue
                if len(in_flight) >= self.max_in_flight:
                    await self._wait_for(in_flight, None)
                    continue
                group, _ = queue.pop(chosen)
                busy.add(chosen)
                task = asyncio.create_task(self._send_one(group, counts, open_ids, gone))
                in_flight[task] = group
                task.add_done_callback(lambda t, chat=chosen: (in_flight.pop(t, None), busy.discard(chat)))
                await asyncio.sleep(0)  # let the send start at its slot
        finally:
            if in_flight:
                for outcome in await asyncio.gather(*in_flight, return_exceptions=True):
                    if isinstance(outcome, BaseException):
                        log.error("settling a send failed", exc_info=outcome)

    @property
    def _queue_chats(self) -> int:
        # Enough chats queued that the overall limit, not one chat's, is what sends wait for.
        return max(2 * self.limiter.limits.overall_per_second, 2 * self.max_in_flight)

    @property
    def _queue_rows(self) -> int:
        # Bounded, so that what is claimed leaves well within half its lease.
        return 4 * self.batch_size

    def _may_send_now(self) -> bool:
        return self.in_working_hours is None or self.in_working_hours(self.clock()) <= self.clock()

    async def _wait_for(self, in_flight: dict[asyncio.Task, _Group], seconds: float | None) -> None:
        """Until a send in flight ends or `seconds` have passed, whichever comes first."""
        waiters: set[asyncio.Future] = set(in_flight)
        timer = asyncio.ensure_future(self.sleep(seconds)) if seconds is not None else None
        if timer is not None:
            waiters.add(timer)
        if not waiters:
            return
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
        if timer is not None and not timer.done():
            timer.cancel()

    async def _send_one(self, group: _Group, counts: _Counts, open_ids: set[int], gone: dict[int, str]) -> None:
        try:
            await self._confirm_and_send(group, counts, open_ids, gone)
        except SQLAlchemyError as error:
            # Nothing more is sent in this tick; the rows stay claimed and come back with the lease.
            self._database_failed(self.clock(), error)
            counts.database_down = True

    async def _confirm_and_send(self, group: _Group, counts: _Counts, open_ids: set[int], gone: dict[int, str]) -> None:
        # The last word before sending is a write: if the database cannot take it, the outcome
        # of the send could not be recorded either, so nothing is sent. It also drops rows that
        # another worker recorded meanwhile (after our lease lapsed).
        still_ours = set(await asyncio.to_thread(
            outbox.confirm_claims, self.engine, group.ids, self.worker_id, self.clock(), self.lease))
        if len(still_ours) < len(group.ids):
            open_ids.difference_update(set(group.ids) - still_ours)
            group = replace(group, details=[d for d in group.details if d.reminder_id in still_ours])
            if not group.details:
                return
        first = group.details[0]
        # The slot is taken last, just before the request leaves, so that the sends reach Telegram
        # spaced as the limiter spaced them. Re-checked after every sleep: the bot's replies share
        # the limiter and may have taken the slot meanwhile.
        await self._spaced()
        await self.limiter.acquire(first.telegram_chat_id, first.chat_kind != ChatKind.PRIVATE, sleep=self.sleep)
        if first.chat_id in gone:
            await self._fail_for_lost_chat(group.ids, gone[first.chat_id], counts, open_ids)
            return
        if self._stopping or counts.database_down or (counts.hold_until is not None and first.outage_id is None):
            return  # still in open_ids: handed back when the tick ends
        delivery = self._delivery(group, self.clock())
        if delivery.kind is ReminderKind.DIGEST:
            # The composer reads nothing: what the digest lists is read here, off the event loop.
            today = delivery.now.astimezone(self.plan_timezone).date()
            delivery = replace(delivery, digest=await asyncio.to_thread(digest.admin_digest, self.engine, today))
        ids = list(delivery.reminder_ids)
        try:
            message = self.composer.compose(delivery)
            message_id = await self.notifier.send(delivery.chat, message)
        except RateLimited as error:
            until = self.clock() + timedelta(seconds=error.retry_after)
            self.limiter.pause(delivery.chat.telegram_chat_id, error.retry_after)
            await asyncio.to_thread(outbox.mark_retry, self.engine, ids, until, str(error), count_attempt=False)
            counts.deferred += len(ids)
            counts.coming_back(until)
        except ChatGone as error:
            gone[delivery.chat.chat_id] = error.reason
            await self._lose_chat(delivery.chat, error.reason, ids, counts)
        except ChatMoved as error:
            await asyncio.to_thread(outbox.move_chat, self.engine, delivery.chat.chat_id, error.new_telegram_chat_id)
            await asyncio.to_thread(outbox.release_claims, self.engine, ids)
            counts.deferred += len(ids)
        except MessageRejected as error:
            log.warning("reminders %s were refused for good: %s", ids, error.reason)
            await asyncio.to_thread(outbox.mark_failed, self.engine, ids, f"refused: {error.reason}",
                                    count_attempt=True)
            counts.failed += len(ids)
        except TransientError as error:
            await self._retry_transient(group, error, counts)
        except Exception as error:  # anything a channel failed to classify: a bug worth a traceback
            log.warning("sending reminders %s failed: %s", ids, error, exc_info=True)
            await self._retry_or_fail(group, str(error) or type(error).__name__, counts)
        else:
            # Sent is sent: these rows must never be handed back, even if recording it fails.
            open_ids.difference_update(ids)
            counts.messages_sent += 1
            counts.reminders_sent += len(ids)
            counts.failures_in_a_row = 0
            await self._record_sent(ids, message_id, counts)
            if not counts.got_through and not counts.database_down and delivery.outage is None:
                # The first reminder through ends any outage at once, before this tick sends an
                # opening notice that would arrive just ahead of the closing one. A notice about
                # the outage getting through proves nothing about the chats that fail.
                counts.got_through = True
                await self._channel_works()
        open_ids.difference_update(ids)

    async def _spaced(self) -> None:
        """Wait until 1/overall_per_second has passed since this dispatcher's last send.

        A sliding window alone lets a whole second's worth leave at once each time the window
        turns; the network then shifts a few of them into Telegram's next second, which answers
        429. Evenly spaced sends keep a margin of a whole interval instead.
        """
        gap = 1 / self.limiter.limits.overall_per_second
        while (wait := self._last_slot + gap - (before := self.limiter.clock())) > 0:
            await self.sleep(wait)
            if self.limiter.clock() <= before:
                break  # a clock that stood still while we slept (a test's) cannot tell us more
        self._last_slot = self.limiter.clock()

    async def _record_sent(self, ids: list[int], message_id: int, counts: _Counts) -> None:
        # The database may be briefly away: try a few times at once, then remember the rows and
        # record them before anything else is sent (the next tick starts with that).
        for attempt in range(4):
            try:
                await asyncio.to_thread(outbox.mark_sent, self.engine, ids, message_id, self.clock())
                return
            except SQLAlchemyError as error:
                if not database_unavailable(error):
                    raise
                if attempt == 3:
                    log.warning("reminders %s were sent but cannot be recorded yet; sending stops until "
                                "they are", ids)
                    self._unrecorded.append((ids, message_id, self.clock()))
                    self._database_failed(self.clock(), error)
                    counts.unrecorded += len(ids)
                    counts.database_down = True
                    return
                log.warning("recording reminders %s as sent failed; retrying", ids)
                await self.sleep(0.5 * 2**attempt)

    async def _retry_transient(self, group: _Group, error: TransientError, counts: _Counts) -> None:
        """Back off, capped, and keep the rows pending: they are wanted until sent, stale or carried."""
        ids = list(group.ids)
        now = self.clock()
        attempt = max(d.attempts for d in group.details) + 1
        reason = error.reason
        if error.maybe_delivered:
            # Telegram may have the message: say so on the row, the retry may repeat it.
            reason = f"{reason} (may have been delivered)"
            counts.in_doubt += len(ids)
            log.warning("sending reminders %s timed out after the request was written; the retry may "
                        "deliver them twice", ids)
        else:
            log.info("sending reminders %s failed, will retry: %s", ids, error.reason)
        await asyncio.to_thread(outbox.mark_retry, self.engine, ids, now + self.retry.delay(attempt, self.draw),
                                reason)
        counts.retried += len(ids)
        self._failing_since = self._failing_since or now
        self._last_failure = error.reason
        counts.failures_in_a_row += 1
        if counts.failures_in_a_row >= self.failures_before_pause and counts.hold_until is None:
            counts.hold_until = now + self.retry.delay(1, self.draw)

    async def _retry_or_fail(self, group: _Group, error: str, counts: _Counts) -> None:
        ids = list(group.ids)
        attempt = max(d.attempts for d in group.details) + 1
        if attempt >= self.retry.max_attempts:
            await asyncio.to_thread(outbox.mark_failed, self.engine, ids, error, count_attempt=True)
            counts.failed += len(ids)
            return
        next_at = self.clock() + self.retry.delay(attempt, self.draw)
        await asyncio.to_thread(outbox.mark_retry, self.engine, ids, next_at, error)
        counts.retried += len(ids)

    async def _fail_for_lost_chat(
        self, ids: Sequence[int], reason: str, counts: _Counts, open_ids: set[int]
    ) -> None:
        # deactivate_chat failed them already, unless another worker deactivated the chat first.
        await asyncio.to_thread(outbox.mark_failed, self.engine, ids, f"chat gone: {reason}")
        open_ids.difference_update(ids)
        counts.failed += len(ids)

    async def _lose_chat(self, chat: ChatAddress, reason: str, ids: list[int], counts: _Counts) -> None:
        now = self.clock()
        flipped = await asyncio.to_thread(outbox.deactivate_chat, self.engine, chat.chat_id, reason, now)
        # Another worker may have deactivated it first; these rows are still ours to fail.
        await asyncio.to_thread(outbox.mark_failed, self.engine, ids, f"chat gone: {reason}")
        counts.failed += len(ids)
        if flipped:  # the administrators' CHAT_LOST notices were queued in the same transaction
            counts.chats_lost += 1


class _ChatQueue:
    """Claimed groups per chat, each chat's in the order its rows fell due; chats take turns."""

    def __init__(self) -> None:
        self._by_chat: dict[int, deque[tuple[_Group, datetime]]] = {}
        self.rows = 0

    def add(self, groups: list[_Group], claimed_at: datetime) -> None:
        # Notices about an outage go last: the first reminder through ends the outage and cancels them.
        def order(group: _Group) -> tuple:
            return (group.details[0].outage_id is not None, min((d.send_at, d.reminder_id) for d in group.details))

        for group in sorted(groups, key=order):
            self._by_chat.setdefault(group.details[0].chat_id, deque()).append((group, claimed_at))
            self.rows += len(group.details)

    def wants_more(self, busy: set[int], chats: int, rows: int) -> bool:
        waiting = sum(1 for chat in self._by_chat if chat not in busy)
        return waiting < chats and self.rows < rows

    def chats(self) -> list[int]:
        return list(self._by_chat)

    def has_reminders(self) -> bool:
        return any(g.details[0].outage_id is None for q in self._by_chat.values() for g, _ in q)

    def peek(self, chat_id: int) -> tuple[_Group, datetime]:
        return self._by_chat[chat_id][0]

    def pop(self, chat_id: int) -> tuple[_Group, datetime]:
        """The chat's next group; the chat goes to the back of the turn order."""
        groups = self._by_chat.pop(chat_id)
        group = groups.popleft()
        if groups:
            self._by_chat[chat_id] = groups
        self.rows -= len(group[0].details)
        return group

    def take_all(self, chat_id: int) -> list[int]:
        """Every queued row of the chat, taken out of the queue."""
        ids = [i for group, _ in self._by_chat.pop(chat_id, ()) for i in group.ids]
        self.rows -= len(ids)
        return ids


def _most_urgent(details: Sequence[outbox.DeliveryDetails]) -> outbox.DeliveryDetails:
    return min(details, key=lambda d: (URGENCY.index(d.kind), d.send_at, d.reminder_id))


def _listed_by_chat(groups: list[_Group], per_message: int = TASKS_PER_MESSAGE) -> list[_Group]:
    """Every chat's task groups that can be listed become one list message, paged; a chat with one
    such task keeps the message about that task alone."""
    out: list[_Group] = []
    lists: dict[int, list[_Group]] = defaultdict(list)
    for group in groups:
        first = group.details[0]
        if first.task_id is not None and listed(d.kind for d in group.details):
            lists[first.chat_id].append(group)
        else:
            out.append(group)
    for task_groups in lists.values():
        if len(task_groups) == 1:
            out += task_groups
            continue
        def order(group: _Group) -> tuple:
            top = _most_urgent(group.details)
            due = top.due_date or top.effective_due
            return (section_rank(top.kind), due is None, due or top.send_at.date(), top.task_id)
        chunks = pages(sorted(task_groups, key=order), per_message)
        out += [_Group([d for group in chunk for d in group.details], listed=True, page=number, pages=len(chunks))
                for number, chunk in enumerate(chunks, 1)]
    return out


def _by_task(details: Sequence[outbox.DeliveryDetails]) -> list[list[outbox.DeliveryDetails]]:
    """The rows per task, in the order the list shows them."""
    tasks: dict[int, list[outbox.DeliveryDetails]] = {}
    for d in details:
        tasks.setdefault(d.task_id, []).append(d)
    return list(tasks.values())


def _item(rows: Sequence[outbox.DeliveryDetails]) -> DeliveryItem:
    top = _most_urgent(rows)
    return DeliveryItem(
        task_id=top.task_id, kind=top.kind, label=top.task_label or "", title=top.task_title or "",
        status="open" if top.task_status is None else str(top.task_status),
        due=top.due_date or top.effective_due, effective_due=top.effective_due, unit_id=top.unit_id,
        late_units=top.late_units)
