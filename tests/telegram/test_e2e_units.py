"""The unit directory over real HTTP: a collective's reminder reaches each bound member's chat, a
member's ✅ answers for the collective, and /units shows administrators who is bound, page by page."""
from __future__ import annotations

from sqlalchemy import select

from app.directory import change_members
from bot.app import build_dispatcher
from store import chats
from store.db import session_scope
from store.models import StatusReport, Task, TaskStatus, Unit, UnitKind, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import ask, bind_admins, bind_unit, buttons_of
from tests.telegram.test_e2e_reminders import replan

LANZHOU_GROUP, TIANSHUI_GROUP = -5101, -5102


async def test_a_collectives_reminder_reaches_each_member_and_one_members_done_closes_its_share(
        bot_api, settings, engine, clock):
    collective = add_unit(engine, "各市州政府")
    with session_scope(engine) as session:
        session.get(Unit, collective).kind = UnitKind.COLLECTIVE
    task = add_task(engine, title="清理涉企规范性文件", units=((collective, UnitRole.RESPONSIBLE),))
    change_members(engine, "各市州政府", ["兰州市人民政府", "天水市人民政府"], [], clock())
    lanzhou = bind_unit(engine, clock, "兰州市人民政府", LANZHOU_GROUP)
    bind_unit(engine, clock, "天水市人民政府", TIANSHUI_GROUP)
    async with running_bot(settings, engine, clock) as application:
        replan(settings, engine, clock)
        result = await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        assert result.messages_sent == 2
        reminders = {chat: bot_api.calls_to("sendMessage", chat)[-1] for chat in (LANZHOU_GROUP, TIANSHUI_GROUP)}
        for call in reminders.values():
            assert "清理涉企规范性文件" in call.params["text"] and "各市州政府" in call.params["text"]

        reminder = reminders[LANZHOU_GROUP]
        bot_api.add_callback(LANZHOU_GROUP, reminder.result["message_id"], buttons_of(reminder)[0], user_id=502)
        answer = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the answer"))[0]
        assert "已完成" in answer.params["text"]

        # The administrators' directory: who is bound to what, and the collective through its member.
        bind_admins(engine, clock)
        for n in range(12):  # enough units for a second page
            add_unit(engine, f"测试局{n:02d}")
        first = await ask(bot_api, ADMIN_USER, "/units", user_id=ADMIN_USER, kind="private")
        text = first.params["text"]
        assert "单位名录（15 个：已绑定 3，未绑定 12）" in text
        assert "🟢 <b>兰州市人民政府</b> · 未完成 0 项" in text and "group-5101（群）" in text
        assert "<b>各市州政府</b>（集合单位）" in text and "group-5101（群），经成员兰州市人民政府" in text
        assert "成员 2 个：兰州市人民政府、天水市人民政府" in text and "第 1/2 页" in text
        assert buttons_of(first) == ["pg:units::1"]
        bot_api.add_callback(ADMIN_USER, first.result["message_id"], "pg:units::1", user_id=ADMIN_USER)
        turned = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_USER), what="page 2"))[0]
        assert "第 2/2 页" in turned.params["text"] and "⚪ <b>测试局11</b>" in turned.params["text"]
        helped = await ask(bot_api, ADMIN_USER, "/help", user_id=ADMIN_USER, kind="private")
        assert "/units [未绑定] 单位名录" in helped.params["text"]
        unbound = await ask(bot_api, ADMIN_USER, "/units 未绑定", user_id=ADMIN_USER, kind="private")
        assert "只列未绑定的单位" in unbound.params["text"] and "兰州市人民政府" not in unbound.params["text"]
        assert buttons_of(unbound) == ["pg:units:1:1"]

    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert (report.unit_id, report.chat_id, report.status) == (collective, lanzhou.id, TaskStatus.DONE)
        assert session.get(Task, task).status is TaskStatus.DONE
