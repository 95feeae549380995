"""Histories show people, not numbers: a tap keeps the reporter's name, and /task shows it,
escaped, to the unit and to the administrators; reports from before names were kept show the id."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from telegram import User

from app.status import record_status
from bot.app import build_dispatcher
from bot.context import reporter_name
from store import chats
from store.db import session_scope
from store.models import StatusReport, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import ask, bind_admins
from tests.telegram.test_e2e_reminders import bind, buttons_of, replan

NAME = "<b>王</b> 科长"
ESCAPED = "&lt;b&gt;王&lt;/b&gt; 科长"


def test_the_reporters_name_is_the_full_name_with_the_username_when_there_is_one():
    assert reporter_name(User(503, "<b>王</b>", False, last_name="科长", username="wang_kz")) == \
        "<b>王</b> 科长 (@wang_kz)"
    assert reporter_name(User(503, "王", False, last_name="科长")) == "王 科长"
    assert reporter_name(None) is None


async def test_a_tap_shows_the_reporters_escaped_name_in_the_units_and_the_admins_history(
        bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="完善行政复议案件审理机制", units=((unit, UnitRole.LEAD),))
    group = -4101
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "省司法厅", group)
        bound = chats.chat_by_telegram_id(engine, group)
        # A report from before names were kept: only the user id.
        record_status(engine, task, bound.id, unit, 501, TaskStatus.IN_PROGRESS, clock() - timedelta(days=1))
        replan(settings, engine, clock)
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        reminder = bot_api.calls_to("sendMessage", group)[-1]

        bot_api.add_callback(group, reminder.result["message_id"], buttons_of(reminder)[0][0], user_id=503,
                             first_name=NAME)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", group), what="the edit"))[0]
        assert ESCAPED in edit.params["text"]

        units_view = (await ask(bot_api, group, f"/task {task}", user_id=503)).params["text"]
        bind_admins(engine, clock)
        admins_view = (await ask(bot_api, ADMIN_USER, f"/task {task}", user_id=ADMIN_USER, kind="private")
                       ).params["text"]

    with session_scope(engine) as session:
        old, tap = session.execute(select(StatusReport).order_by(StatusReport.reported_at)).scalars()
    assert (old.telegram_user_id, old.telegram_user_name) == (501, None)
    assert (tap.telegram_user_id, tap.telegram_user_name, tap.status) == (503, NAME, TaskStatus.DONE)
    for view in (units_view, admins_view):
        assert "省司法厅（用户 501）：推进中" in view
        assert f"省司法厅（{ESCAPED}）：已完成" in view
        assert NAME not in view and "用户 503" not in view
    print("\n--- /task in the unit's chat ---\n" + units_view + "\n--- /task in the administrators' chat ---\n"
          + admins_view)
