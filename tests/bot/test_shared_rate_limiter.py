"""One limiter for reminders and replies: PTB's hook (bot.ratelimit) in front of the shared
SendLimiter, with a fake time source, so nothing here waits for real."""
from __future__ import annotations

import pytest
from telegram.error import RetryAfter

from bot.ratelimit import ALREADY_COUNTED, SharedRateLimiter, is_group_chat, writes_into_chat
from scheduler.ratelimit import RateLimits, SendLimiter


class FakeSeconds:
    """A monotonic time source; `sleep` advances it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def timedelta_time_periods(monkeypatch) -> None:
    """PTB 23's retry_after (a timedelta), which the hook handles, without 22's warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def seconds() -> FakeSeconds:
    return FakeSeconds()


@pytest.fixture
def limiter(seconds) -> SendLimiter:
    return SendLimiter(RateLimits(overall_per_second=25, per_chat_per_second=1, per_group_per_minute=20),
                       clock=seconds)


def telegram_call(log: list, answer=None):
    async def callback(*args, **kwargs):
        log.append(kwargs)
        if isinstance(answer, Exception):
            raise answer
        return answer or {"ok": True}
    return callback


async def request(hook: SharedRateLimiter, endpoint: str, data: dict, log: list, *, answer=None, rl=None):
    return await hook.process_request(telegram_call(log, answer), (), {"endpoint": endpoint}, endpoint, data, rl)


async def test_two_replies_to_one_chat_are_a_second_apart(limiter, seconds):
    hook, log = SharedRateLimiter(limiter, sleep=seconds.sleep), []
    start = seconds()
    await request(hook, "sendMessage", {"chat_id": 42, "text": "a"}, log)
    await request(hook, "editMessageText", {"chat_id": 42, "message_id": 1, "text": "b"}, log)
    await request(hook, "sendMessage", {"chat_id": 43, "text": "c"}, log)  # another chat: no wait
    assert len(log) == 3
    assert seconds.slept == [pytest.approx(1.0)]
    assert seconds() - start == pytest.approx(1.0)


async def test_a_reply_waits_for_the_slot_a_reminder_took_and_counted_sends_pass(limiter, seconds):
    hook, log = SharedRateLimiter(limiter, sleep=seconds.sleep), []
    await limiter.acquire(-1001, True, sleep=seconds.sleep)  # the dispatcher sent a reminder there
    # The dispatcher's own send says it was counted: it neither waits nor counts again.
    await request(hook, "sendMessage", {"chat_id": -1001, "text": "reminder"}, log, rl=ALREADY_COUNTED)
    assert seconds.slept == []
    await request(hook, "sendMessage", {"chat_id": -1001, "text": "reply"}, log)
    assert seconds.slept == [pytest.approx(1.0)]


async def test_requests_that_write_into_no_chat_are_not_counted(limiter, seconds):
    hook, log = SharedRateLimiter(limiter, sleep=seconds.sleep), []
    for _ in range(5):
        await request(hook, "answerCallbackQuery", {"callback_query_id": "1"}, log)
        await request(hook, "getFile", {"file_id": "f"}, log)
    assert seconds.slept == [] and len(log) == 10
    assert limiter.wait_before(42, False) == 0.0


async def test_a_short_retry_after_pauses_the_chat_for_everyone_and_is_tried_once_more(limiter, seconds):
    attempts = []

    async def flaky(*args, **kwargs):
        attempts.append(seconds())
        if len(attempts) == 1:
            raise RetryAfter(3)
        return {"ok": True}

    hook = SharedRateLimiter(limiter, sleep=seconds.sleep)
    assert await hook.process_request(flaky, (), {}, "sendMessage", {"chat_id": 7}, None) == {"ok": True}
    assert attempts[1] - attempts[0] == pytest.approx(3.0)


async def test_a_long_retry_after_is_raised_and_the_dispatcher_sees_the_pause(limiter, seconds):
    hook, log = SharedRateLimiter(limiter, sleep=seconds.sleep), []
    with pytest.raises(RetryAfter):
        await request(hook, "sendMessage", {"chat_id": 7}, log, answer=RetryAfter(60))
    assert len(log) == 1
    assert limiter.chat_wait_before(7, False) == pytest.approx(60.0)
    assert limiter.chat_wait_before(8, False) == 0.0


async def test_group_chats_keep_twenty_a_minute_across_replies(limiter, seconds):
    hook, log = SharedRateLimiter(limiter, sleep=seconds.sleep), []
    start = seconds()
    for n in range(21):
        await request(hook, "sendMessage", {"chat_id": -5, "text": str(n)}, log)
    # 20 a minute: the 21st message goes 60 s after the first.
    assert seconds() - start == pytest.approx(60.0)


def test_what_counts_as_a_chat_write_and_a_group():
    assert writes_into_chat("sendDocument", {"chat_id": 1})
    assert writes_into_chat("editMessageReplyMarkup", {"chat_id": 1})
    assert not writes_into_chat("answerCallbackQuery", {"callback_query_id": "x"})
    assert not writes_into_chat("setMyCommands", {"commands": []})
    assert not writes_into_chat("sendMessage", {"inline_message_id": "x"})
    assert is_group_chat(-100123) and is_group_chat("@channel") and not is_group_chat(42)
