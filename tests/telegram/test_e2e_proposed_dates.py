"""Proposed dates over real HTTP: a date not after today is refused and the question asked again;
a relative answer ("下月底") is counted from today (the clock's Monday 2026-06-01 in Shanghai)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.app import build_reminder_service
from store.db import session_scope
from store.models import ExtensionRequest, UnitRole
from tests.telegram.conftest import add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_extensions import (
    ADMIN_CHAT,
    GROUP,
    ask_for_extension,
    force_reply_questions,
    start_admin_chat,
)


def stored_requests(engine):
    with session_scope(engine) as session:
        return session.execute(select(ExtensionRequest.proposed_due)).scalars().all()


async def test_a_past_date_is_refused_and_a_relative_one_counts_from_today(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="完善行政复议案件审理机制", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        # Not started: the request goes out with the tick it nudges.
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await start_admin_chat(bot_api)
        question = await ask_for_extension(bot_api, settings, engine, clock, application, task)

        for answer, asked in (("5月31日", 2), ("今天", 3)):
            bot_api.add_message(GROUP, answer, user_id=502, chat_kind="group",
                                reply_to_message_id=question.result["message_id"])
            question = (await eventually(lambda: len(force_reply_questions(bot_api, GROUP)) == asked
                                         and force_reply_questions(bot_api, GROUP), what="the question again"))[-1]
        # "5月31日" is read (and refused); "今天" is no date at all.
        refused = [c.params["text"] for c in force_reply_questions(bot_api, GROUP)]
        assert "2026-05-31 不在今天之后" in refused[1] and "没有看懂" in refused[2]
        assert stored_requests(engine) == []

        bot_api.add_message(GROUP, "下月底，需等待省级审批", user_id=502, chat_kind="group",
                            reply_to_message_id=question.result["message_id"])
        request = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                             if c.params.get("reply_markup")], what="the request"))[0]
        assert "2026-07-31" in request.params["text"]
    assert stored_requests(engine) == [date(2026, 7, 31)]
