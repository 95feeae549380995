"""How updates are processed: chats concurrently, each chat in order, strangers' floods ignored.

PTB handles one update at a time unless told otherwise; then one slow answer (a stranger's
burst of /help waiting for Telegram's one-message-a-second per chat, an import being read)
holds up every chat. ChatOrderedUpdateProcessor runs updates of different chats side by side
and those of one chat one after another, in the order Telegram sent them: a tap and the note
replying to it, two taps on one task, /lang then /tasks — a chat's conversation keeps its order.

Flood control: a chat that sends more than `flood_limit` updates within a minute and is not
bound (to a unit, or as an administrators' chat) is ignored for as long as it keeps that pace
(every update counts, the ignored ones too), and this is logged once per flood. Bound chats
are never dropped: their members are the bot's users. Whether a chat is bound is asked only
once it is over the limit, and the answer kept for a minute.
"""
from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

FLOOD_WINDOW_SECONDS = 60.0
DEFAULT_FLOOD_LIMIT = 10  # updates a minute from a chat nobody bound; more is not a person asking
# Waiting updates of one chat hold a place each (PTB takes it before do_process_update); bound chats'
# bursts are short and strangers' are cut at the flood limit, so this leaves room for everyone.
DEFAULT_CONCURRENT_UPDATES = 256


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, is_bound: Callable[[int], Awaitable[bool]], *,
                 max_concurrent_updates: int = DEFAULT_CONCURRENT_UPDATES,
                 flood_limit: int = DEFAULT_FLOOD_LIMIT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(max_concurrent_updates)
        self.is_bound = is_bound
        self.flood_limit = flood_limit
        self.clock = clock
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}  # updates holding or waiting for each chat's lock
        self._arrivals: dict[int, deque[float]] = {}
        self._bound: dict[int, tuple[bool, float]] = {}  # chat -> (bound?, when asked)
        self._flooding: set[int] = set()  # chats whose flood was logged
        self._asking: dict[int, asyncio.Future[bool]] = {}  # chat -> the is_bound question under way

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:  # nothing to order it with (e.g. an inline query)
            await coroutine
            return
        if await self._flooded(chat.id):
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # never started: nothing to undo
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

    async def _flooded(self, chat_id: int) -> bool:
        """Count this update; True if the chat is over the limit and bound to nothing.

        Under the limit nothing is awaited, so the update takes its place in the chat's queue
        (the lock) in the order PTB started it, which is the order Telegram sent it.
        """
        now = self.clock()
        arrivals = self._arrivals.setdefault(chat_id, deque())
        while arrivals and arrivals[0] <= now - FLOOD_WINDOW_SECONDS:
            arrivals.popleft()
        arrivals.append(now)
        self._forget_quiet_chats(now)
        if len(arrivals) <= self.flood_limit:
            if len(arrivals) == 1:
                self._flooding.discard(chat_id)  # quiet for a minute: a later flood is logged again
            return False
        if await self._bound_chat(chat_id, now):
            return False
        if chat_id not in self._flooding:
            self._flooding.add(chat_id)
            log.warning("chat %s sent more than %d updates in a minute and is bound to nothing: ignoring it "
                        "while it keeps that pace", chat_id, self.flood_limit)
        return True

    async def _bound_chat(self, chat_id: int, now: float) -> bool:
        known = self._bound.get(chat_id)
        if known is not None and known[1] > now - FLOOD_WINDOW_SECONDS:
            return known[0]
        # One question per chat, however many of its updates wait for the answer: they resume in
        # the order they arrived (a future wakes its waiters in order), so a bound chat's
        # updates still reach their lock in order; shielded, so one cancelled waiter cancels nothing.
        asking = self._asking.get(chat_id)
        if asking is None:
            asking = self._asking[chat_id] = asyncio.ensure_future(self._ask_bound(chat_id, now))
        return await asyncio.shield(asking)

    async def _ask_bound(self, chat_id: int, now: float) -> bool:
        try:
            bound = await self.is_bound(chat_id)
        except Exception:  # the store unreachable: better to answer a stranger than to drop a unit
            log.warning("could not tell whether chat %s is bound", chat_id, exc_info=True)
            return True
        else:
            self._bound[chat_id] = (bound, now)
            return bound
        finally:
            self._asking.pop(chat_id, None)

    def _forget_quiet_chats(self, now: float) -> None:
        # Memory proportional to the chats heard from in the last minute.
        if len(self._arrivals) < 1024:
            return
        for chat_id in [c for c, a in self._arrivals.items() if not a or a[-1] <= now - FLOOD_WINDOW_SECONDS]:
            del self._arrivals[chat_id]
            self._bound.pop(chat_id, None)
            self._flooding.discard(chat_id)
