"""Telegram's sending limits as sliding windows: at most N sends in any W seconds.

A sliding window (the last N send instants) is stricter than a token bucket of the same rate,
which lets a full bucket burst and then refill inside the same second; Telegram counts
per window, so this is the shape that never trips a 429 by construction.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Defaults from Telegram's bot FAQ, with a little room under each."""

    overall_per_second: int = 25
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

    Callers ask `wait_before(chat, is_group, at)`, wait that long, then `record` the instant
    they actually sent at; one caller at a time (the dispatcher's single send loop).
    """

    def __init__(self, limits: RateLimits = RateLimits()) -> None:
        self.limits = limits
        self._overall = SlidingWindow(limits.overall_per_second, 1.0)
        self._per_chat: dict[int, SlidingWindow] = {}
        self._per_group: dict[int, SlidingWindow] = {}

    def wait_before(self, chat: int, is_group: bool, at: float) -> float:
        waits = [self._overall.wait_before(at), self._chat_window(chat).wait_before(at)]
        if is_group:
            waits.append(self._group_window(chat).wait_before(at))
        return max(waits)

    def chat_wait_before(self, chat: int, is_group: bool, at: float) -> float:
        """The wait this chat's own limits impose, ignoring the overall one."""
        wait = self._chat_window(chat).wait_before(at)
        if is_group:
            wait = max(wait, self._group_window(chat).wait_before(at))
        return wait

    def record(self, chat: int, is_group: bool, at: float) -> None:
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
        if len(self._per_chat) + len(self._per_group) < 1024:
            return
        for windows in (self._per_chat, self._per_group):
            for chat in [c for c, w in windows.items() if w.idle_at(at)]:
                del windows[chat]
