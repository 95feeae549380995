"""One rate limiter, not two fighting: the bot's replies and the reminder dispatcher share
Telegram's per-chat limit in the running application (real HTTP, real monotonic time)."""
from __future__ import annotations

import dataclasses

from bot.app import build_dispatcher
from bot.config import DeliverySettings
from bot.ratelimit import SharedRateLimiter
from store.models import UnitRole
from tests.telegram.conftest import TELEGRAMS_LIMITS, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import bind, replan

GROUP = -4101


async def test_a_reminder_right_after_a_reply_in_the_same_chat_waits_for_the_per_chat_limit(
        bot_api, settings, engine, clock):
    settings = dataclasses.replace(settings, delivery=DeliverySettings(limits=TELEGRAMS_LIMITS))
    unit = add_unit(engine, "省司法厅")
    add_task(engine, title="完善行政复议审理机制", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        assert isinstance(application.bot.rate_limiter, SharedRateLimiter)
        await bind(bot_api, engine, clock, "省司法厅", GROUP)  # the bot's reply: one message to the group
        dispatcher = build_dispatcher(settings, engine, application.bot, clock=clock)
        assert dispatcher.limiter is application.bot.rate_limiter.limiter

        replan(settings, engine, clock)
        assert (await dispatcher.tick()).messages_sent == 1
        bot_api.add_message(GROUP, "/tasks", user_id=501, chat_kind="group")
        await eventually(lambda: len(bot_api.calls_to("sendMessage", GROUP)) == 3, what="the /tasks answer")

    welcome, reminder, answer = bot_api.calls_to("sendMessage", GROUP)
    # Telegram's one message per second per chat, kept across the two senders; the fake business
    # clock stood still all along, so only the shared limiter's own (monotonic) time spaced them.
    assert reminder.at - welcome.at >= 0.9
    assert answer.at - reminder.at >= 0.9
    assert reminder.params.get("reply_markup")  # the reminder itself, with its buttons
