"""The dispatcher: claim due reminders, collapse them into one message per chat (a list of its
tasks, paged: scheduler.batching) or per task that needs a decision, send
within Telegram's limits, and settle every row (sent, retry later, failed, dropped).

One `tick()` is one pass; APScheduler (wired in `bot/`) calls it every few seconds. Sends
leave one at a time by default: a worker killed mid-send then duplicates at most the one
message whose row it had not yet marked sent, and the claim lease hands everything else to
the next worker.

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
from collections import defaultdict
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
from store import outages, outbox
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
    ReminderKind.DIGEST,
    ReminderKind.CHAT_LOST,
    ReminderKind.HOLIDAYS_MISSING,
    ReminderKind.OUTAGE_OVER,
    ReminderKind.OUTAGE,
)
# Reminders about an upcoming due date say nothing useful once the date has passed.
BEFORE_DUE_KINDS = (ReminderKind.REMINDER, ReminderKind.DUE_TODAY)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, capped. Transient errors are retried for as long as the
    reminder is wanted; `max_attempts` only ends errors nobody classified (a bug in a channel)."""

    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    # Short enough that a reminder goes out within minutes of an outage's end (the end also
    # pulls every backed-off row forward, as soon as one message gets through).
    max_delay: timedelta = timedelta(minutes=5)
    jitter: float = 0.5  # the delay is scaled by a random factor in [1 - jitter, 1]

    def delay(self, attempt: int, draw: Callable[[], float] = random.random) -> timedelta:
        """The wait after failed attempt number `attempt` (1 for the first failure)."""
        base = min(self.max_delay, self.first_delay * (2 ** (attempt - 1)))
        return base * (1 - self.jitter * draw())


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
        self._stopping = False
        # Messages sent whose rows could not be marked sent: (ids, message id, sent at).
        self._unrecorded: list[tuple[list[int], int | None, datetime]] = []
        self._failing_since: datetime | None = None  # first transient failure of the current run
        self._last_failure = ""
        self._database_down_since: datetime | None = None
        self._database_error = ""

    async def tick(self) -> TickResult:
        """One pass: claim, drop what is stale, collapse, send within limits, settle every row."""
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
            try:
                claimed = await asyncio.to_thread(
                    outbox.claim_due_reminders, self.engine, now, self.worker_id, self.lease, self.batch_size
                )
            except SQLAlchemyError as error:
                self._database_failed(now, error)
                return TickResult(database_down=True)
            await self._database_is_back(now)
            counts.claimed = len(claimed)
            if not claimed:
                return TickResult()
            open_ids = {c.reminder_id for c in claimed}
            try:
                details = await asyncio.to_thread(outbox.delivery_details, self.engine, sorted(open_ids))
                groups = await self._triage(details, now, counts, open_ids)
                await self._send_all(groups, counts, open_ids, claims_lapse_at=now + self.lease)
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
            if not counts.database_down:
                await self._note_channel_health(counts)
            result = counts.result()
            log.info("dispatch tick: %s", result)
            return result

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
        closed, stale, inactive = [], [], []
        groups: dict[tuple, _Group] = defaultdict(_Group)
        for d in details:
            due = d.due_date or d.effective_due
            if not d.chat_active:
                inactive.append(d.reminder_id)
            elif d.task_id is not None and d.task_status in CLOSED_STATUSES:
                closed.append(d.reminder_id)
            elif d.kind in BEFORE_DUE_KINDS and due is not None and due < today:
                stale.append(d.reminder_id)  # the overdue notice replaces it
            else:
                # One message per task and chat carries the current state; rows not about a
                # task (digests, lost chats) collapse per kind, unit and chat.
                key = ("task", d.task_id, d.chat_id) if d.task_id is not None else (
                    d.kind, d.unit_id, d.chat_id, d.outage_id)
                groups[key].details.append(d)
        for ids, settle in (
            (closed, lambda ids: outbox.cancel_reminders(self.engine, ids, "task closed")),
            (stale, lambda ids: outbox.cancel_reminders(self.engine, ids, "due date passed before it was sent")),
            (inactive, lambda ids: outbox.mark_failed(self.engine, ids, "chat inactive")),
        ):
            if ids:
                await asyncio.to_thread(settle, ids)
                open_ids.difference_update(ids)
        counts.dropped += len(closed) + len(stale)
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
        )

    # --- sending --------------------------------------------------------------------------

    async def _send_all(
        self, groups: list[_Group], counts: _Counts, open_ids: set[int], claims_lapse_at: datetime
    ) -> None:
        in_flight: set[asyncio.Task] = set()
        slots = asyncio.Semaphore(self.max_in_flight)
        gone: dict[int, str] = {}  # chats lost during this tick, with the reason
        try:
            for group in _round_robin_by_chat(groups):
                # Past half the lease another worker may soon claim these rows again: hand the
                # rest back rather than risk sending them twice. The database gone, or the
                # channel failing again and again: stop, the rest waits for a later tick.
                if self._stopping or self.clock() >= claims_lapse_at - self.lease / 2:
                    break
                if counts.database_down:
                    break
                first = group.details[0]
                if counts.hold_until is not None and first.outage_id is None:
                    continue  # the channel keeps failing; a notice about it still gets its one try
                chat, is_group = first.chat_id, first.chat_kind != ChatKind.PRIVATE
                # Limits are Telegram's, so they count per Telegram chat (a moved chat keeps its row).
                address = first.telegram_chat_id
                if chat in gone:
                    await self._fail_for_lost_chat(group.ids, gone[chat], counts, open_ids)
                    continue
                await slots.acquire()
                if counts.hold_until is not None and first.outage_id is None:  # the send before failed
                    slots.release()
                    continue
                now = self.clock()
                # The chat's own limits (and a 429 it earned) may ask for a long wait: hand its
                # rows back with next_attempt_at instead of holding the tick and the claims.
                chat_resume = now + timedelta(seconds=self.limiter.chat_wait_before(address, is_group))
                if chat_resume - now > self.max_wait:
                    slots.release()
                    await asyncio.to_thread(outbox.release_claims, self.engine, group.ids, next_attempt_at=chat_resume)
                    open_ids.difference_update(group.ids)
                    counts.deferred += len(group.ids)
                    continue
                # Re-checked after every sleep: the bot's replies share the limiter and may
                # have taken the slot meanwhile.
                await self.limiter.acquire(address, is_group, sleep=self.sleep)
                if self._stopping or chat in gone or counts.database_down:
                    slots.release()
                    if chat in gone:
                        await self._fail_for_lost_chat(group.ids, gone[chat], counts, open_ids)
                    continue
                sent_at = self.clock()
                task = asyncio.create_task(self._send_one(group, sent_at, counts, open_ids, gone))
                in_flight.add(task)
                task.add_done_callback(lambda t: (in_flight.discard(t), slots.release()))
                await asyncio.sleep(0)  # let the send start at its slot
        finally:
            if in_flight:
                for outcome in await asyncio.gather(*in_flight, return_exceptions=True):
                    if isinstance(outcome, BaseException):
                        log.error("settling a send failed", exc_info=outcome)

    async def _send_one(
        self, group: _Group, sent_at: datetime, counts: _Counts, open_ids: set[int], gone: dict[int, str]
    ) -> None:
        try:
            await self._confirm_and_send(group, sent_at, counts, open_ids, gone)
        except SQLAlchemyError as error:
            # Nothing more is sent in this tick; the rows stay claimed and come back with the lease.
            self._database_failed(self.clock(), error)
            counts.database_down = True

    async def _confirm_and_send(
        self, group: _Group, sent_at: datetime, counts: _Counts, open_ids: set[int], gone: dict[int, str]
    ) -> None:
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
        delivery = self._delivery(group, sent_at)
        ids = list(delivery.reminder_ids)
        try:
            message = self.composer.compose(delivery)
            message_id = await self.notifier.send(delivery.chat, message)
        except RateLimited as error:
            until = self.clock() + timedelta(seconds=error.retry_after)
            self.limiter.pause(delivery.chat.telegram_chat_id, error.retry_after)
            await asyncio.to_thread(outbox.mark_retry, self.engine, ids, until, str(error), count_attempt=False)
            counts.deferred += len(ids)
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


def _round_robin_by_chat(groups: list[_Group]) -> list[_Group]:
    """One message per chat per round, so a chat with fifty tasks does not hold up the others."""
    by_chat: dict[int, list[_Group]] = defaultdict(list)
    # Notices about an outage go last: the first reminder through ends the outage and cancels them.
    def order(group: _Group) -> tuple:
        return (group.details[0].outage_id is not None, min((d.send_at, d.reminder_id) for d in group.details))

    for group in sorted(groups, key=order):
        by_chat[group.details[0].chat_id].append(group)
    queues = list(by_chat.values())
    order: list[_Group] = []
    for round_ in range(max((len(q) for q in queues), default=0)):
        order += [q[round_] for q in queues if round_ < len(q)]
    return order


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
