"""ChatOrderedUpdateProcessor: chats side by side, one chat in order, strangers' floods dropped and logged once."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.updates import ChatOrderedUpdateProcessor

_ids = iter(range(1, 10_000))


def update_from(chat_id: int) -> Update:
    n = next(_ids)
    return Update(n, message=Message(n, datetime.now(UTC), Chat(chat_id, "group")))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def never_bound(chat_id: int) -> bool:
    return False


async def test_one_chat_waits_for_its_previous_update_while_another_chat_goes_ahead():
    processor = ChatOrderedUpdateProcessor(never_bound)
    release, done = asyncio.Event(), []

    async def slow(name):
        await release.wait()
        done.append(name)

    async def quick(name):
        done.append(name)

    first = asyncio.create_task(processor.process_update(update_from(-1), slow("a1")))
    second = asyncio.create_task(processor.process_update(update_from(-1), quick("a2")))
    other = asyncio.create_task(processor.process_update(update_from(-2), quick("b1")))
    await other
    assert done == ["b1"]  # chat -2 was not held up by chat -1's slow update
    await asyncio.sleep(0)
    assert done == ["b1"]  # and chat -1's second update waits for its first
    release.set()
    await asyncio.gather(first, second)
    assert done == ["b1", "a1", "a2"]


async def test_a_chat_bound_to_nothing_is_ignored_beyond_the_limit_and_logged_once(caplog):
    asked = []

    async def is_bound(chat_id):
        asked.append(chat_id)
        return chat_id == -5001

    clock = Clock()
    processor = ChatOrderedUpdateProcessor(is_bound, flood_limit=3, clock=clock)
    ran = []

    async def handle(name):
        ran.append(name)

    with caplog.at_level(logging.WARNING, logger="bot.updates"):
        for n in range(6):
            await processor.process_update(update_from(-8001), handle(f"stranger{n}"))
            await processor.process_update(update_from(-5001), handle(f"unit{n}"))
    assert [r for r in ran if r.startswith("stranger")] == ["stranger0", "stranger1", "stranger2"]
    assert [r for r in ran if r.startswith("unit")] == [f"unit{n}" for n in range(6)]  # a bound chat is never dropped
    assert sorted(set(asked)) == [-8001, -5001] and len(asked) == 2  # asked once each, then remembered
    assert len([r for r in caplog.records if "-8001" in r.getMessage()]) == 1

    clock.now += 61  # a quiet minute: the chat is heard again
    await processor.process_update(update_from(-8001), handle("stranger-later"))
    assert ran[-1] == "stranger-later"


async def test_a_busy_bound_chat_keeps_its_order_while_the_store_is_asked_once():
    release = asyncio.Event()
    asked = []

    async def slow_is_bound(chat_id):
        asked.append(chat_id)
        await release.wait()
        return True

    processor = ChatOrderedUpdateProcessor(slow_is_bound, flood_limit=2)
    ran = []

    async def handle(n):
        ran.append(n)

    tasks = [asyncio.create_task(processor.process_update(update_from(-5001), handle(n))) for n in range(6)]
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*tasks)
    assert ran == list(range(6)) and asked == [-5001]
