"""The bot restarted between a reminder and the tap: the answer still lands, because everything
the tap needs (the chat's binding, the task in the button) lives in the store and the button."""
from __future__ import annotations

from sqlalchemy import select

from bot.app import build_dispatcher
from store.db import session_scope
from store.models import StatusReport, Task, TaskStatus, UnitRole
from tests.telegram.conftest import add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import bind, buttons_of, replan


async def test_a_tap_after_a_restart_is_recorded(bot_api, settings, engine, clock):
    unit = add_unit(engine, "县审计局")
    task = add_task(engine, title="开展专项审计", units=((unit, UnitRole.RESPONSIBLE),))
    chat = 77001
    async with running_bot(settings, engine, clock) as first_run:
        await bind(bot_api, engine, clock, "县审计局", chat, kind="private")
        replan(settings, engine, clock)
        assert (await build_dispatcher(settings, engine, first_run.bot, clock=clock).tick()).messages_sent == 1
    reminder = bot_api.calls_to("sendMessage", chat)[-1]

    # A new process: a new Application, the same database; the liaison taps 🔄 推进中 only now.
    async with running_bot(settings, engine, clock):
        bot_api.add_callback(chat, reminder.result["message_id"], buttons_of(reminder)[0][1], user_id=601)
        await eventually(lambda: bot_api.calls_to("editMessageText", chat), what="the edited reminder")

    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert (report.task_id, report.telegram_user_id, report.status) == (task, 601, TaskStatus.IN_PROGRESS)
        assert session.get(Task, task).status == TaskStatus.IN_PROGRESS
