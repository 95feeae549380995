"""Telegram's sending limits as sliding windows: at most N sends in any W seconds.

A sliding window (the last N send instants) is stricter than a token bucket of the same rate,
which lets a full bucket burst and then refill inside the same second; Telegram counts
per window, so this is the shape that never trips a 429 by construction.

Telegram counts every message the bot writes, whoever asked for it, so one SendLimiter is
shared by the reminder dispatcher and the bot's replies and edits (bot.ratelimit). It keeps
its own time source, monotonic seconds by default: limits are about real elapsed time, never
about the business clock, which tests freeze and which jumps when the wall clock is set.
"""
from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Defaults from Telegram's bot FAQ, with a little room under each."""

    overall_per_second: int = 29
    per_chat_per_second: int = 1
    per_group_per_minute: int = 20


class SlidingWindow:
    """At most `limit` events in any `seconds`-long window; instants are plain seconds (monotonic)."""

    def __init__(self, limit: int, seconds: float) -> None:
        if limit < 1 or seconds <= 0:
            raise ValueError("a window needs a positive limit and length")
        self.limit = limit
        self.seconds = seconds
        self._events: deque[float] = deque()

    def wait_before(self, at: float) -> float:
        """Seconds to wait after `at` before one more event keeps the window's promise."""
        self._forget_before(at)
        if len(self._events) < self.limit:
            return 0.0
        return max(0.0, self._events[-self.limit] + self.seconds - at)

    def record(self, at: float) -> None:
        self._events.append(at)

    def idle_at(self, at: float) -> bool:
        self._forget_before(at)
        return not self._events

    def _forget_before(self, at: float) -> None:
        while self._events and self._events[0] <= at - self.seconds:
            self._events.popleft()


class SendLimiter:
    """The overall window, one window per chat, and a per-minute window per group chat.

    Chats are Telegram chat ids. `acquire` waits for a slot and takes it; the check and the
    record happen with no await between them, so concurrent senders in one event loop never
    both take the last slot. `pause` holds a chat after Telegram answered 429 with retry_after.
    """

    def __init__(self, limits: RateLimits = RateLimits(), clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self.clock = clock
        self._overall = SlidingWindow(limits.overall_per_second, 1.0)
        self._per_chat: dict[int, SlidingWindow] = {}
        self._per_group: dict[int, SlidingWindow] = {}
        self._paused_until: dict[int, float] = {}

    def wait_before(self, chat: int, is_group: bool, at: float | None = None) -> float:
        at = self.clock() if at is None else at
        return max(self._overall.wait_before(at), self.chat_wait_before(chat, is_group, at))

    def chat_wait_before(self, chat: int, is_group: bool, at: float | None = None) -> float:
        """The wait this chat's own limits (and a pause Telegram asked for) impose, ignoring the overall one."""
        at = self.clock() if at is None else at
        wait = max(self._chat_window(chat).wait_before(at), self._paused_until.get(chat, at) - at)
        if is_group:
            wait = max(wait, self._group_window(chat).wait_before(at))
        return max(0.0, wait)

    async def acquire(self, chat: int, is_group: bool,
                      sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> float:
        """Wait until one more message to `chat` keeps every limit, and count it; the time waited."""
        waited = 0.0
        while (wait := self.wait_before(chat, is_group)) > 0:
            before = self.clock()
            await sleep(wait)
            waited += wait
            if self.clock() <= before:
                break  # a clock that stood still while we slept (a test's) cannot tell us more
        self.record(chat, is_group)
        return waited

    def pause(self, chat: int, seconds: float) -> None:
        """Telegram said "retry after `seconds`" for this chat: nobody writes to it before then."""
        until = self.clock() + seconds
        self._paused_until[chat] = max(until, self._paused_until.get(chat, until))

    def record(self, chat: int, is_group: bool, at: float | None = None) -> None:
        at = self.clock() if at is None else at
        self._overall.record(at)
        self._chat_window(chat).record(at)
        if is_group:
            self._group_window(chat).record(at)
        self._forget_idle_chats(at)

    def _chat_window(self, chat: int) -> SlidingWindow:
        if chat not in self._per_chat:
            self._per_chat[chat] = SlidingWindow(self.limits.per_chat_per_second, 1.0)
        return self._per_chat[chat]

    def _group_window(self, chat: int) -> SlidingWindow:
        if chat not in self._per_group:
            self._per_group[chat] = SlidingWindow(self.limits.per_group_per_minute, 60.0)
        return self._per_group[chat]

    def _forget_idle_chats(self, at: float) -> None:
        # Keeps memory proportional to the chats written to in the last minute.
        if len(self._per_chat) + len(self._per_group) + len(self._paused_until) < 1024:
            return
        for windows in (self._per_chat, self._per_group):
            for chat in [c for c, w in windows.items() if w.idle_at(at)]:
                del windows[chat]
        for chat in [c for c, until in self._paused_until.items() if until <= at]:
            del self._paused_until[chat]
