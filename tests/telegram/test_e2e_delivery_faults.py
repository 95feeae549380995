"""Delivery faults over real HTTP against the local Bot API server: an outage of the Bot API
longer than max_attempts, and a Bot API that answers sends more slowly than a read may wait."""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.compose import CatalogueComposer
from bot.telegram_notifier import TelegramNotifier
from scheduler.dispatch import Dispatcher, RetryPolicy
from scheduler.ratelimit import RateLimits
from store.models import ChatKind, ReminderState, UnitRole
from store.outbox import sync_planned_reminders
from tests.scheduler.outbox_builders import WINDOW, add_chat, add_document, add_task, add_unit, planned, reminders
from tests.scheduler.recording import FakeClock
from tests.telegram.conftest import MONDAY_MORNING
from store.db import session_scope
from store.models import Chat

FAST = RateLimits(1000, 1000, 1000)


def seed(engine, units: int, tasks_per_unit: int) -> tuple[dict[int, int], int]:
    """Two due rows per (task, chat); returns reminder id -> Telegram chat id, and the admin chat."""
    document = add_document(engine)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    rows = []
    for u in range(units):
        unit = add_unit(engine, f"单位{u}")
        chat = add_chat(engine, unit_id=unit, kind=ChatKind.GROUP)
        for _ in range(tasks_per_unit):
            task = add_task(engine, document, units=((unit, UnitRole.LEAD),))
            rows += [planned(f"t{task}k{k}", chat_id=chat, task_id=task, unit_id=unit,
                             send_at=MONDAY_MORNING - timedelta(minutes=k)) for k in range(2)]
    sync_planned_reminders(engine, rows, *WINDOW)
    with session_scope(engine) as session:
        telegram = dict(session.execute(select(Chat.id, Chat.telegram_chat_id)).all())
    return {r.id: telegram[r.chat_id] for r in reminders(engine)}, telegram[admin]


def dispatcher(engine, bot, clock, **options) -> Dispatcher:
    notifier = TelegramNotifier(bot, send_timeout=options.pop("send_timeout", 30.0))
    return Dispatcher(engine, notifier, CatalogueComposer(), clock=clock, sleep=clock.sleep, worker_id="e2e",
                      limits=FAST, draw=lambda: 0.0, **options)


async def test_a_bot_api_500_longer_than_max_attempts_then_recovery_delivers_every_reminder_once(bot_api, engine):
    tg_of, admin_tg = seed(engine, units=4, tasks_per_unit=3)
    clock = FakeClock(MONDAY_MORNING)
    bot_api.outage_status = 500
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        worker = dispatcher(engine, bot, clock, retry=RetryPolicy(max_attempts=2))
        for _ in range(24):  # twelve minutes of 500s
            result = await worker.tick()
            assert result.failed == 0
            clock.advance(30)
        assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.PENDING}
        assert max(r.attempts for r in reminders(engine)) > 2
        assert [c for c in bot_api.calls_to("sendMessage") if c.result] == []  # nothing got through

        bot_api.outage_status = None
        for _ in range(10):
            await worker.tick()
            clock.advance(30)

    per_chat = Counter(c.chat_id for c in bot_api.calls_to("sendMessage") if c.result)
    units = Counter(tg for tg in tg_of.values() if tg != admin_tg)
    # Two rows per task, three tasks per chat: one list per unit chat, sent once, every row sent with it.
    assert {chat: per_chat[chat] for chat in units} == {chat: 1 for chat in units}
    assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.SENT}
    to_admin = [c.params["text"] for c in bot_api.calls_to("sendMessage", admin_tg) if c.result]
    assert len(to_admin) == 1 and "提醒发送已恢复" in to_admin[0]


@pytest.mark.parametrize("send_timeout, messages", [(5.0, 1), (0.3, 2)])
async def test_a_bot_api_slower_than_a_read_timeout(bot_api, engine, send_timeout, messages):
    """With the send's own, longer timeout one message goes out. With a send timeout shorter than
    the Bot API's answer (PTB's default for every request is 5 s) the message Telegram accepted is
    sent again: the at-least-once window, marked on the row."""
    tg_of, _ = seed(engine, units=1, tasks_per_unit=1)
    clock = FakeClock(MONDAY_MORNING)
    bot_api.send_delay = 1.0
    request = HTTPXRequest(read_timeout=0.3, write_timeout=0.3, connect_timeout=1.0)
    async with Bot(bot_api.token, base_url=bot_api.base_url, request=request) as bot:
        worker = dispatcher(engine, bot, clock, send_timeout=send_timeout)
        first = await worker.tick()
        clock.advance(minutes=1)
        bot_api.send_delay = 0.0
        await worker.tick()

    await asyncio.sleep(1.2)  # the server records a slow send once it has answered it
    assert len(bot_api.calls_to("sendMessage")) == messages
    assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.SENT}
    if messages == 1:
        assert (first.messages_sent, first.in_doubt) == (1, 0)
    else:
        assert (first.messages_sent, first.in_doubt) == (0, 2)
