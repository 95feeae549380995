"""The dispatcher with a recording notifier and a fake clock: nothing sleeps, every send is timed."""
from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from scheduler.dispatch import Dispatcher, RetryPolicy, TickResult
from scheduler.model import ReminderKind
from scheduler.notify import ChatGone, ChatMoved, RateLimited, TransientError
from scheduler.ratelimit import RateLimits, SendLimiter, SlidingWindow
from store.db import session_scope
from store.models import Chat, ChatKind, ReminderState, Task, TaskStatus, UnitRole
from store.outbox import set_task_status, sync_planned_reminders
from tests.scheduler.outbox_builders import (
    WINDOW,
    add_chat,
    add_document,
    add_task,
    add_unit,
    planned,
    reminders,
    states,
    telegram_id,
)
from tests.scheduler.recording import FakeClock, PlainComposer, RecordingNotifier

START = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def notifier(clock):
    return RecordingNotifier(clock)


@pytest.fixture
def composer():
    return PlainComposer()


@pytest.fixture
def dispatcher(engine, clock, notifier, composer):
    return make_dispatcher(engine, clock, notifier, composer)


def make_dispatcher(engine, clock, notifier, composer=None, **options) -> Dispatcher:
    options = {"worker_id": "w1", "draw": lambda: 0.0, **options}
    return Dispatcher(engine, notifier, composer or PlainComposer(), clock=clock, sleep=clock.sleep, **options)


@pytest.fixture
def world(engine):
    document = add_document(engine)
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, document, units=((unit, UnitRole.LEAD),), deadlines=(("6月底前", date(2031, 6, 30)),))
    chat = add_chat(engine, unit_id=unit, kind=ChatKind.GROUP)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    return dict(document=document, unit=unit, task=task, chat=chat, admin=admin)


def plan(engine, *reminders_):
    return sync_planned_reminders(engine, list(reminders_), *WINDOW)


def max_in_window(times: list[datetime], seconds: float) -> int:
    """The most sends that fall in any window [t, t + seconds)."""
    times = sorted(times)
    best = 0
    for i, start in enumerate(times):
        best = max(best, sum(1 for t in times[i:] if (t - start).total_seconds() < seconds))
    return best


async def run_ticks(dispatcher: Dispatcher, clock: FakeClock, count: int, every: timedelta):
    results = []
    for _ in range(count):
        results.append(await dispatcher.tick())
        clock.advance(every.total_seconds())
    return results


# --- exactly once in normal operation -------------------------------------------------------


async def test_nothing_is_sent_twice_over_many_ticks(engine, dispatcher, clock, notifier):
    document = add_document(engine)
    chats, tasks = [], []
    for u in range(4):
        unit = add_unit(engine, f"单位{u}")
        chats.append(add_chat(engine, unit_id=unit, kind=ChatKind.PRIVATE))
        tasks += [(add_task(engine, document, units=((unit, UnitRole.LEAD),), due=date(2031, 7, 31)), chats[-1])
                  for _ in range(5)]
    plan(engine, *[
        planned(f"r:{task}:{k}", chat_id=chat, task_id=task, send_at=START + timedelta(hours=7 * k + task % 5),
                due_date=date(2031, 7, 31))
        for task, chat in tasks for k in range(4)
    ])

    await run_ticks(dispatcher, clock, count=6 * 30, every=timedelta(minutes=10))

    rows = reminders(engine)
    assert {r.state for r in rows} == {ReminderState.SENT}
    assert len(notifier.sent) == len(rows) == 80
    assert len({r.message_id for r in rows}) == 80
    assert all(r.sent_at >= r.send_at for r in rows)


async def test_planning_twice_after_sending_sends_nothing_new(engine, dispatcher, world, notifier):
    reminder = planned("r1", chat_id=world["chat"], task_id=world["task"], unit_id=world["unit"])
    assert plan(engine, reminder).inserted == 1
    await dispatcher.tick()
    result = plan(engine, reminder)
    assert (result.inserted, result.unchanged) == (0, 1)
    await dispatcher.tick()
    assert len(notifier.sent) == 1
    assert len(reminders(engine)) == 1


# --- what is not sent -----------------------------------------------------------------------


async def test_done_task_stops_pending_reminders(engine, dispatcher, world, notifier):
    plan(engine,
         planned("now", chat_id=world["chat"], task_id=world["task"]),
         planned("later", chat_id=world["chat"], task_id=world["task"], send_at=START + timedelta(days=7)))
    set_task_status(engine, world["task"], TaskStatus.DONE)

    result = await dispatcher.tick()

    assert result.claimed == 0 and notifier.sent == []
    assert states(engine) == {"now": "cancelled", "later": "cancelled"}


async def test_a_task_closed_behind_the_outboxs_back_is_dropped_at_send_time(engine, dispatcher, world, notifier):
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    with session_scope(engine) as session:  # e.g. a re-import cancelled it without touching the outbox
        session.execute(update(Task).where(Task.id == world["task"]).values(status=TaskStatus.CANCELLED))

    result = await dispatcher.tick()

    assert (result.claimed, result.dropped, notifier.sent) == (1, 1, [])
    assert states(engine) == {"r": "cancelled"}


async def test_catch_up_collapses_missed_notices_into_one_message(engine, clock, notifier, composer, world):
    clock.now = datetime(2031, 7, 10, 1, 0, tzinfo=UTC)  # back after ten days down; due 2031-06-30
    task, chat = world["task"], world["chat"]
    plan(engine,
         planned("overdue:1", kind=ReminderKind.OVERDUE, chat_id=chat, task_id=task, send_at=datetime(2031, 7, 1, 1, tzinfo=UTC)),
         planned("overdue:2", kind=ReminderKind.OVERDUE, chat_id=chat, task_id=task, send_at=datetime(2031, 7, 4, 1, tzinfo=UTC)),
         planned("overdue:3", kind=ReminderKind.OVERDUE, chat_id=chat, task_id=task, send_at=datetime(2031, 7, 9, 1, tzinfo=UTC)),
         planned("poll:7", kind=ReminderKind.POLL, chat_id=chat, task_id=task, send_at=datetime(2031, 7, 1, 1, tzinfo=UTC)),
         planned("reminder:1d", kind=ReminderKind.REMINDER, chat_id=chat, task_id=task, send_at=datetime(2031, 6, 29, 1, tzinfo=UTC)),
         planned("admin:overdue:1", kind=ReminderKind.ESCALATION, chat_id=world["admin"], task_id=task,
                 send_at=datetime(2031, 7, 1, 1, tzinfo=UTC)))
    dispatcher = make_dispatcher(engine, clock, notifier, composer)

    result = await dispatcher.tick()

    assert (result.messages_sent, result.reminders_sent, result.dropped) == (2, 5, 1)
    to_unit = [d for d in composer.deliveries if d.chat.chat_id == chat]
    assert len(to_unit) == 1
    assert to_unit[0].kind is ReminderKind.OVERDUE
    assert to_unit[0].kinds == (ReminderKind.OVERDUE, ReminderKind.POLL)
    assert (to_unit[0].task_status, to_unit[0].effective_due, to_unit[0].unit_name) == ("open", date(2031, 6, 30), None)
    rows = {r.dedupe_key: r for r in reminders(engine)}
    assert len({rows[k].message_id for k in ("overdue:1", "overdue:2", "overdue:3", "poll:7")}) == 1
    assert rows["reminder:1d"].state is ReminderState.CANCELLED  # the overdue notice replaced it
    assert rows["admin:overdue:1"].state is ReminderState.SENT
    assert await dispatcher.tick() == type(result)()  # and nothing is left to send


async def test_inactive_chat_rows_fail_without_sending(engine, dispatcher, world, notifier):
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    with session_scope(engine) as session:
        session.execute(update(Chat).where(Chat.id == world["chat"]).values(active=False))
    assert (await dispatcher.tick()).failed == 1
    assert notifier.sent == [] and states(engine) == {"r": "failed"}


async def test_outside_working_hours_rows_stay_pending(engine, clock, notifier, world):
    opens = datetime(2031, 6, 3, 1, 0, tzinfo=UTC)
    dispatcher = make_dispatcher(engine, clock, notifier, in_working_hours=lambda at: max(at, opens))
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))

    result = await dispatcher.tick()

    assert (result.claimed, result.paused_until) == (0, opens)
    assert states(engine) == {"r": "pending"}
    clock.now = opens
    assert (await dispatcher.tick()).messages_sent == 1


# --- failures -------------------------------------------------------------------------------


async def test_transient_errors_back_off_capped_and_never_fail_the_row(engine, clock, notifier, world):
    dispatcher = make_dispatcher(engine, clock, notifier,
                                 retry=RetryPolicy(max_attempts=3, first_delay=timedelta(seconds=30),
                                                   max_delay=timedelta(seconds=100)))
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    notifier.fail(telegram_id(engine, world["chat"]), *[TransientError("timeout")] * 6)

    assert (await dispatcher.tick()).retried == 1
    [row] = reminders(engine)
    assert (row.state, row.attempts, row.next_attempt_at, row.last_error) == (
        ReminderState.PENDING, 1, START + timedelta(seconds=30), "timeout")
    clock.advance(29)
    assert (await dispatcher.tick()).claimed == 0
    clock.advance(1)
    assert (await dispatcher.tick()).retried == 1
    assert reminders(engine)[0].next_attempt_at == clock.now + timedelta(seconds=60)  # doubled
    for delay in (60, 100, 100, 100):  # capped, and past max_attempts still pending
        clock.advance(delay)
        assert (await dispatcher.tick()).retried == 1
    clock.advance(100)
    # The reminder, then (due at once, so in the same tick) the administrators' word that delivery works again.
    assert (await dispatcher.tick()).messages_sent == 2
    [row] = [r for r in reminders(engine) if r.dedupe_key == "r"]
    assert (row.state, row.attempts) == (ReminderState.SENT, 6)
    assert len(notifier.attempts) == 8 and [s.chat.chat_id for s in notifier.sent] == [world["chat"], world["admin"]]


async def test_an_unclassified_error_fails_after_max_attempts(engine, clock, notifier, world):
    dispatcher = make_dispatcher(engine, clock, notifier, retry=RetryPolicy(max_attempts=2))
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    notifier.fail(telegram_id(engine, world["chat"]), *[KeyError("bug")] * 3)
    assert (await dispatcher.tick()).retried == 1
    clock.advance(minutes=10)
    assert (await dispatcher.tick()).failed == 1
    assert reminders(engine)[0].state is ReminderState.FAILED


def test_backoff_is_exponential_capped_and_jittered():
    policy = RetryPolicy(first_delay=timedelta(seconds=10), max_delay=timedelta(seconds=100), jitter=0.5)
    assert [policy.delay(n, lambda: 0.0).total_seconds() for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 80, 100]
    assert policy.delay(2, lambda: 1.0) == timedelta(seconds=10)  # full jitter halves it


async def test_rate_limited_honours_retry_after_without_counting_an_attempt(engine, dispatcher, clock, notifier, world):
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    notifier.fail(telegram_id(engine, world["chat"]), RateLimited(12.5))

    assert (await dispatcher.tick()).deferred == 1
    [row] = reminders(engine)
    assert (row.state, row.attempts, row.next_attempt_at) == (ReminderState.PENDING, 0, START + timedelta(seconds=12.5))
    clock.advance(12)
    assert (await dispatcher.tick()).claimed == 0
    clock.advance(0.5)
    assert (await dispatcher.tick()).messages_sent == 1


async def test_a_shared_limiter_makes_a_reminder_wait_for_a_reply_just_sent_to_its_chat(
        engine, clock, notifier, world):
    limiter = SendLimiter(RateLimits(), clock=lambda: clock().timestamp())
    dispatcher = make_dispatcher(engine, clock, notifier, limiter=limiter)
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    chat = telegram_id(engine, world["chat"])
    limiter.record(chat, True)  # the bot answered a command in that chat a moment ago
    clock.advance(0.25)

    assert (await dispatcher.tick()).messages_sent == 1
    assert clock.slept == [pytest.approx(0.75)]
    assert notifier.sent[0].at == START + timedelta(seconds=1)


async def test_retry_after_pauses_the_chat_in_the_shared_limiter(engine, clock, notifier, world):
    limiter = SendLimiter(RateLimits(), clock=lambda: clock().timestamp())
    dispatcher = make_dispatcher(engine, clock, notifier, limiter=limiter)
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    chat = telegram_id(engine, world["chat"])
    notifier.fail(chat, RateLimited(30))

    await dispatcher.tick()
    # The bot's replies to that chat (the same limiter) now wait as well.
    assert limiter.chat_wait_before(chat, True) == pytest.approx(30.0)


async def test_chat_gone_deactivates_it_and_informs_every_admin_chat(engine, dispatcher, clock, notifier, composer, world):
    second_admin = add_chat(engine, is_admin=True, kind=ChatKind.GROUP)
    other_task = add_task(engine, world["document"], units=((world["unit"], UnitRole.LEAD),))
    plan(engine,
         planned("r1", chat_id=world["chat"], task_id=world["task"], unit_id=world["unit"]),
         planned("r2", chat_id=world["chat"], task_id=other_task, unit_id=world["unit"]),
         planned("later", chat_id=world["chat"], task_id=world["task"], unit_id=world["unit"],
                 send_at=START + timedelta(days=3)))
    notifier.fail(telegram_id(engine, world["chat"]), ChatGone("Forbidden: bot was kicked from the group chat"))

    result = await dispatcher.tick()

    # The administrators' notices are due at once: the same tick sends them (checked below).
    assert (result.chats_lost, result.failed, result.messages_sent) == (1, 2, 2)
    assert len(notifier.attempts) == 3  # the second message to the gone chat was never tried
    with session_scope(engine) as session:
        chat = session.get(Chat, world["chat"])
        assert (chat.active, chat.deactivated_reason) == (False, "Forbidden: bot was kicked from the group chat")
    assert {k: v for k, v in states(engine).items() if not k.startswith("chat_lost")} == {
        "r1": "failed", "r2": "failed", "later": "failed"}

    clock.advance(1)
    assert (await dispatcher.tick()).messages_sent == 0
    assert {s.chat.chat_id for s in notifier.sent} == {world["admin"], second_admin}
    assert all(d.kind is ReminderKind.CHAT_LOST and d.unit_name == "省司法厅" for d in composer.deliveries[-2:])


async def test_a_group_that_became_a_supergroup_is_followed(engine, dispatcher, clock, notifier, world):
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    notifier.fail(telegram_id(engine, world["chat"]), ChatMoved(-100_777))
    result = await dispatcher.tick()
    # Handed back at once, and sent to the new chat id later in the same tick.
    assert (result.deferred, result.messages_sent) == (1, 1)
    assert notifier.sent[0].chat.telegram_chat_id == -100_777


async def test_an_unexpected_error_is_retried_like_a_transient_one(engine, dispatcher, notifier, world):
    plan(engine, planned("r", chat_id=world["chat"], task_id=world["task"]))
    notifier.fail(telegram_id(engine, world["chat"]), ValueError("bug in a channel"))
    assert (await dispatcher.tick()).retried == 1
    assert reminders(engine)[0].last_error == "bug in a channel"


# --- rate limits ----------------------------------------------------------------------------


async def test_one_message_per_second_per_chat(engine, clock, notifier, world):
    # A page per task: five messages to one chat (a chat's list is otherwise one message).
    dispatcher = make_dispatcher(engine, clock, notifier, tasks_per_message=1)
    document = world["document"]
    tasks = [add_task(engine, document, units=((world["unit"], UnitRole.LEAD),)) for _ in range(5)]
    plan(engine, *[planned(f"r{t}", chat_id=world["admin"], task_id=t) for t in tasks])

    assert (await dispatcher.tick()).messages_sent == 5
    times = [s.at for s in notifier.sent]
    assert all((b - a).total_seconds() >= 1 for a, b in zip(times, times[1:]))
    assert max_in_window(times, 1.0) == 1


async def test_overall_limit_of_29_per_second(engine, dispatcher, notifier, world):
    chats = [add_chat(engine, kind=ChatKind.PRIVATE, is_admin=True) for _ in range(70)]
    plan(engine, *[planned(f"r{c}", chat_id=c, task_id=world["task"]) for c in chats])

    assert (await dispatcher.tick()).messages_sent == 70
    times = [s.at for s in notifier.sent]
    assert max_in_window(times, 1.0) == 29
    assert (times[-1] - times[0]).total_seconds() < 3  # and not slower than it has to be


async def test_a_group_gets_at_most_20_per_minute_and_the_rest_later(engine, clock, notifier, world):
    dispatcher = make_dispatcher(engine, clock, notifier, tasks_per_message=1)  # thirty messages to one group
    tasks = [add_task(engine, world["document"], units=((world["unit"], UnitRole.LEAD),)) for _ in range(30)]
    plan(engine, *[planned(f"r{t}", chat_id=world["chat"], task_id=t) for t in tasks])

    first = await dispatcher.tick()

    assert (first.messages_sent, first.deferred) == (20, 10)
    pending = [r for r in reminders(engine) if r.state is ReminderState.PENDING]
    assert {r.attempts for r in pending} == {0}
    await run_ticks(dispatcher, clock, count=20, every=timedelta(seconds=10))
    times = [s.at for s in notifier.sent]
    assert len(times) == 30 and {r.state for r in reminders(engine)} == {ReminderState.SENT}
    assert max_in_window(times, 60.0) == 20
    assert max_in_window(times, 1.0) == 1


async def test_a_tick_hands_back_what_it_cannot_send_within_half_its_lease(engine, clock, notifier, world):
    tasks = [add_task(engine, world["document"], units=((world["unit"], UnitRole.LEAD),)) for _ in range(10)]
    plan(engine, *[planned(f"r{t}", chat_id=world["admin"], task_id=t) for t in tasks])
    dispatcher = make_dispatcher(engine, clock, notifier, lease=timedelta(seconds=8), tasks_per_message=1)

    result = await dispatcher.tick()

    # One per second to a private chat: five fit in the first half of an 8 s lease.
    assert (result.claimed, result.messages_sent, result.released) == (10, 5, 5)
    pending = [r for r in reminders(engine) if r.state is ReminderState.PENDING]
    assert len(pending) == 5 and all(r.claimed_by is None and r.attempts == 0 for r in pending)


def test_sliding_window_counts_any_window_not_calendar_seconds():
    window = SlidingWindow(limit=2, seconds=1.0)
    window.record(0.0)
    window.record(0.9)
    assert window.wait_before(0.95) == pytest.approx(0.05)
    assert window.wait_before(1.0) == 0.0
    assert window.wait_before(1.5) == 0.0


# --- several workers, shutdown --------------------------------------------------------------


async def test_two_dispatchers_at_once_send_each_reminder_once(engine, clock, notifier, world):
    chats = [add_chat(engine, kind=ChatKind.PRIVATE, is_admin=True) for _ in range(40)]
    plan(engine, *[planned(f"r{c}", chat_id=c, task_id=world["task"]) for c in chats])
    first = make_dispatcher(engine, clock, notifier, worker_id="a", batch_size=5, limits=RateLimits(1000, 1000, 1000))
    second = make_dispatcher(engine, clock, notifier, worker_id="b", batch_size=5, limits=RateLimits(1000, 1000, 1000))

    for _ in range(10):
        await asyncio.gather(first.tick(), second.tick())

    assert sorted(s.chat.chat_id for s in notifier.sent) == sorted(chats)


async def test_shutdown_lets_the_send_in_flight_finish_and_releases_the_rest(engine, clock, world):
    chats = [add_chat(engine, kind=ChatKind.PRIVATE, is_admin=True) for _ in range(3)]
    plan(engine, *[planned(f"r{c}", chat_id=c, task_id=world["task"]) for c in chats])
    started, finish = asyncio.Event(), asyncio.Event()

    class SlowNotifier(RecordingNotifier):
        async def send(self, chat, message):
            started.set()
            await finish.wait()
            return await super().send(chat, message)

    notifier = SlowNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    tick = asyncio.create_task(dispatcher.tick())
    await started.wait()
    stopping = asyncio.create_task(dispatcher.shutdown())
    await asyncio.sleep(0)
    finish.set()
    await stopping
    result = await tick

    assert (result.messages_sent, result.released) == (1, 2)
    rows = reminders(engine)
    assert sorted(r.state.value for r in rows) == ["pending", "pending", "sent"]
    assert [r.claimed_by for r in rows if r.state is ReminderState.PENDING] == [None, None]
    assert [r.claimed_by for r in rows if r.state is ReminderState.SENT] == ["w1"]  # who sent it stays on record
    assert (await dispatcher.tick()).claimed == 0  # a stopped dispatcher claims nothing


async def test_a_nudge_during_a_tick_waits_for_it_and_sends_what_was_just_queued(engine, dispatcher, world):
    # A tick is running (it claimed before the row below was committed): tick() would skip.
    async with dispatcher._tick_lock:
        plan(engine, planned("nudged", chat_id=world["chat"], task_id=world["task"], send_at=START))
        assert await dispatcher.tick() == TickResult()
        nudge = asyncio.ensure_future(dispatcher.tick_after_current())
        await asyncio.sleep(0)
        assert not nudge.done()
    assert (await nudge).messages_sent == 1
    assert states(engine) == {"nudged": "sent"}
