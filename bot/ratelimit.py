"""One rate limiter for everything the bot writes: PTB's hook in front of the shared SendLimiter.

Telegram counts a reply to /tasks, an edited reminder and a reminder alike. The dispatcher
already waits for the shared scheduler.ratelimit.SendLimiter before each reminder and says so
with `rate_limit_args=ALREADY_COUNTED`; every other request that writes into a chat (send*,
edit*, copy*, forward*) goes through `process_request` here, which takes a slot in the same
limiter first. Requests that write into no chat (answerCallbackQuery, getFile,
setMyCommands) pass straight through: Telegram does not count them against a chat.

A 429 pauses the chat in the shared limiter, so reminders to it wait as well, and the request
is tried once more if the pause is short; a long pause is the caller's error to handle.
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from scheduler.ratelimit import SendLimiter

log = logging.getLogger(__name__)

# rate_limit_args of a request whose slot the caller took from the shared limiter already.
ALREADY_COUNTED = {"counted": True}

_WRITING_PREFIXES = ("send", "edit", "copy", "forward")
# A reply the user waits for is retried after a 429 only if the wait is this short.
MAX_RETRY_AFTER_SECONDS = 10.0


def writes_into_chat(endpoint: str, data: dict[str, Any]) -> bool:
    return "chat_id" in data and endpoint.startswith(_WRITING_PREFIXES)


def is_group_chat(chat_id: object) -> bool:
    """Groups, supergroups and channels have negative ids (or an @username, which only channels use)."""
    if isinstance(chat_id, str):
        return chat_id.startswith("@") or chat_id.startswith("-")
    return isinstance(chat_id, int) and chat_id < 0


class SharedRateLimiter(BaseRateLimiter[dict]):
    def __init__(self, limiter: SendLimiter,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.limiter = limiter
        self.sleep = sleep

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict | list[dict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict | None,
    ) -> bool | dict | list[dict]:
        if rate_limit_args == ALREADY_COUNTED or not writes_into_chat(endpoint, data):
            return await callback(*args, **kwargs)
        chat_id = data["chat_id"]
        chat = int(chat_id) if isinstance(chat_id, int) or str(chat_id).lstrip("-").isdigit() else hash(chat_id)
        group = is_group_chat(chat_id)
        await self.limiter.acquire(chat, group, sleep=self.sleep)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            seconds = retry_after_seconds(error)
            self.limiter.pause(chat, seconds)
            if seconds > MAX_RETRY_AFTER_SECONDS:
                raise
            log.info("Telegram asked to wait %.1f s before writing to chat %s again", seconds, chat)
            await self.limiter.acquire(chat, group, sleep=self.sleep)
            return await callback(*args, **kwargs)


def retry_after_seconds(error: RetryAfter) -> float:
    # PTB 22 warns that retry_after will become a timedelta; accept both, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
