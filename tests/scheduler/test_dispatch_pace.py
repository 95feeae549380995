"""The dispatcher keeps several sends in flight, never two to one chat, and goes on while rows are due.

A notifier that records how many sends overlap (overall and per chat); the clock is the fake one,
so nothing here depends on how fast the machine is.
"""
from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from scheduler.dispatch import Dispatcher
from scheduler.notify import ChatAddress, OutgoingMessage, RateLimited
from scheduler.ratelimit import RateLimits
from store.models import ChatKind, ReminderState, UnitRole
from store.outbox import sync_planned_reminders
from tests.scheduler.outbox_builders import (
    WINDOW,
    add_chat,
    add_document,
    add_task,
    add_unit,
    planned,
    reminders,
    telegram_id,
)
from tests.scheduler.recording import FakeClock, PlainComposer, RecordingNotifier

START = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
NO_LIMITS = RateLimits(1000, 1000, 1000)  # only the dispatcher's own rules order the sends


class OverlapNotifier(RecordingNotifier):
    """Each send takes a moment (real, a few ms) during which others may start; overlaps are counted."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.now_overall = 0
        self.now_per_chat: Counter[int] = Counter()
        self.most_overall = 0
        self.most_per_chat = 0

    async def send(self, chat: ChatAddress, message: OutgoingMessage) -> int:
        self.now_overall += 1
        self.now_per_chat[chat.chat_id] += 1
        self.most_overall = max(self.most_overall, self.now_overall)
        self.most_per_chat = max(self.most_per_chat, self.now_per_chat[chat.chat_id])
        try:
            await asyncio.sleep(0.005)
            return await super().send(chat, message)
        finally:
            self.now_overall -= 1
            self.now_per_chat[chat.chat_id] -= 1


@pytest.fixture
def clock():
    return FakeClock(START)


def make_dispatcher(engine, clock, notifier, **options) -> Dispatcher:
    # One task per message: these tests count sends per chat (a list message would carry all of a chat's tasks).
    options = {"worker_id": "w1", "draw": lambda: 0.0, "limits": NO_LIMITS, "max_in_flight": 4, "tasks_per_message": 1,
               **options}
    return Dispatcher(engine, notifier, PlainComposer(), clock=clock, sleep=clock.sleep, **options)


def seed(engine, chats: int, tasks_per_chat: int, kind: ChatKind = ChatKind.PRIVATE) -> dict[int, list[int]]:
    """Per chat, its tasks in the order their reminders fall due (each a minute after the one before)."""
    document = add_document(engine)
    order: dict[int, list[int]] = {}
    rows = []
    for c in range(chats):
        unit = add_unit(engine, f"单位{c}")
        chat = add_chat(engine, unit_id=unit, kind=kind)
        order[chat] = []
        for k in range(tasks_per_chat):
            task = add_task(engine, document, units=((unit, UnitRole.LEAD),))
            order[chat].append(task)
            rows.append(planned(f"t{task}", chat_id=chat, task_id=task, unit_id=unit,
                                send_at=START - timedelta(minutes=tasks_per_chat - k)))
    sync_planned_reminders(engine, rows, *WINDOW)
    return order


def task_of(sent) -> int:
    return int(sent.message.text.split("|")[1])


async def test_several_sends_in_flight_never_two_to_one_chat_and_each_chats_order_kept(engine, clock):
    order = seed(engine, chats=2, tasks_per_chat=5)
    notifier = OverlapNotifier(clock)

    result = await make_dispatcher(engine, clock, notifier).tick()

    assert result.messages_sent == 10
    assert notifier.most_per_chat == 1
    assert notifier.most_overall == 2  # both chats at once: one send each
    sent: dict[int, list[int]] = defaultdict(list)
    for s in notifier.sent:
        sent[s.chat.chat_id].append(task_of(s))
    assert sent == order


async def test_in_flight_sends_are_bounded(engine, clock):
    seed(engine, chats=12, tasks_per_chat=1)
    notifier = OverlapNotifier(clock)

    assert (await make_dispatcher(engine, clock, notifier, max_in_flight=3).tick()).messages_sent == 12
    assert notifier.most_overall == 3


async def test_one_tick_goes_on_past_the_claim_size_while_rows_are_due(engine, clock):
    seed(engine, chats=30, tasks_per_chat=2)
    notifier = RecordingNotifier(clock)

    result = await make_dispatcher(engine, clock, notifier, batch_size=5).tick()

    assert (result.claimed, result.messages_sent) == (60, 60)
    assert {r.state for r in reminders(engine)} == {ReminderState.SENT}
    assert Counter(s.chat.chat_id for s in notifier.sent) == Counter({c: 2 for c in {s.chat.chat_id for s in notifier.sent}})


async def test_a_429_still_holds_the_chat_and_keeps_its_rows_pending_while_the_others_go_on(engine, clock):
    order = seed(engine, chats=6, tasks_per_chat=2)
    notifier = OverlapNotifier(clock)
    limited = next(iter(order))
    notifier.fail(telegram_id(engine, limited), RateLimited(30))

    result = await make_dispatcher(engine, clock, notifier).tick()

    assert (result.messages_sent, result.deferred) == (10, 2)
    assert limited not in {s.chat.chat_id for s in notifier.sent}
    held = [r for r in reminders(engine) if r.chat_id == limited]
    assert {(r.state, r.attempts) for r in held} == {(ReminderState.PENDING, 0)}
    # Not before Telegram's 30 s (the fake clock moved a few ms between the two).
    assert all(timedelta(seconds=30) <= r.next_attempt_at - START < timedelta(seconds=31) for r in held)
