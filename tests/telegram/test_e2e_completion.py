"""Completion per unit over real HTTP: a task with a lead and two cooperating units. A cooperating
unit's ✅ does not close it; the lead's ✅ does, or puts it before the office, whose ✅ 销号 closes it
and whose ↩ sends it back with a reason; an old button on a closed task is refused with its own
message, and an administrator is offered to reopen it."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select

from bot.app import build_dispatcher, build_reminder_service
from store.db import session_scope
from store.models import Correction, StatusReport, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import ask, bind_unit
from tests.telegram.test_e2e_reminders import buttons_of, replan

LEAD_GROUP, HELPER_A_GROUP, HELPER_B_GROUP = -4101, -4102, -4103
ADMIN_CHAT = ADMIN_USER  # the administrator's private chat with the bot


def task_status(engine, task_id):
    with session_scope(engine) as session:
        return session.get(Task, task_id).status


def reports_count(engine):
    with session_scope(engine) as session:
        return len(session.execute(select(StatusReport.id)).all())


def three_units(engine, clock):
    lead, a, b = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅"), add_unit(engine, "省人社厅")
    task = add_task(engine, title="建立行政复议听证制度",
                    units=((lead, UnitRole.LEAD), (a, UnitRole.COOPERATING), (b, UnitRole.COOPERATING)))
    for name, group in (("省司法厅", LEAD_GROUP), ("省财政厅", HELPER_A_GROUP), ("省人社厅", HELPER_B_GROUP)):
        bind_unit(engine, clock, name, group)
    return task


async def send_reminders(settings, engine, clock, application):
    """Plan and send: each group's latest message is its reminder about the task, with its buttons."""
    replan(settings, engine, clock)
    await build_dispatcher(settings, engine, application.bot, clock=clock).tick()


def last_message(bot_api, chat_id):
    return bot_api.calls_to("sendMessage", chat_id)[-1]


async def press(bot_api, chat_id, message, data, *, user_id, what):
    """Press a button under the bot's message; the edit of that message, once it comes."""
    before = len(bot_api.calls_to("editMessageText", chat_id))
    bot_api.add_callback(chat_id, message.result["message_id"], data, user_id=user_id, first_name="王")
    edits = await eventually(lambda: len(bot_api.calls_to("editMessageText", chat_id)) > before
                             and bot_api.calls_to("editMessageText", chat_id), what=what)
    return edits[-1]


async def start_admin_chat(bot_api):
    bot_api.add_message(ADMIN_CHAT, "/start", user_id=ADMIN_USER)
    await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_CHAT), what="the admin chat")


async def test_a_cooperating_units_done_does_not_close_the_task_the_leads_does(bot_api, settings, engine, clock):
    task = three_units(engine, clock)
    async with running_bot(settings, engine, clock) as application:
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await send_reminders(settings, engine, clock, application)
        reminders = {group: last_message(bot_api, group) for group in (LEAD_GROUP, HELPER_A_GROUP, HELPER_B_GROUP)}
        done = f"st:{task}:d:20260608"
        assert buttons_of(reminders[HELPER_A_GROUP])[0][0] == done

        edit = await press(bot_api, HELPER_A_GROUP, reminders[HELPER_A_GROUP], done, user_id=602,
                           what="the cooperating unit's edit")
        assert "本单位的部分已记录为完成" in edit.params["text"] and "推进中" in edit.params["text"]
        assert not edit.params.get("reply_markup")  # its part is done: nothing more to press
        assert task_status(engine, task) is TaskStatus.IN_PROGRESS

        edit = await press(bot_api, LEAD_GROUP, reminders[LEAD_GROUP], done, user_id=601, what="the lead's edit")
        assert "已完成" in edit.params["text"] and "待牵头单位" not in edit.params["text"]
        assert task_status(engine, task) is TaskStatus.DONE

        # The other cooperating unit presses 🔄 on its old message: refused in a message of its own.
        reports = reports_count(engine)
        bot_api.add_callback(HELPER_B_GROUP, reminders[HELPER_B_GROUP].result["message_id"],
                             buttons_of(reminders[HELPER_B_GROUP])[0][1], user_id=603)
        refusal = await eventually(lambda: len(bot_api.calls_to("sendMessage", HELPER_B_GROUP)) > 1
                                   and last_message(bot_api, HELPER_B_GROUP), what="the refusal")
        assert "已于 2026-06-01 办结（已完成）" in refusal.params["text"]
        assert "本次点击未作任何更改" in refusal.params["text"] and "请联系管理员" in refusal.params["text"]
        assert not refusal.params.get("reply_markup")  # only an administrator is offered to reopen
        answer = await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                           if c.params.get("text") == "任务已办结，未作更改。"], what="the answer")
        assert answer
        cleared = await eventually(lambda: bot_api.calls_to("editMessageReplyMarkup", HELPER_B_GROUP),
                                   what="the old buttons cleared")
        assert cleared

        # 📅 on the old message asks for no date, and /status is refused the same way.
        sent = len(bot_api.calls_to("sendMessage", HELPER_B_GROUP))
        bot_api.add_callback(HELPER_B_GROUP, reminders[HELPER_B_GROUP].result["message_id"],
                             buttons_of(reminders[HELPER_B_GROUP])[1][1], user_id=603)
        await eventually(lambda: len(bot_api.calls_to("sendMessage", HELPER_B_GROUP)) > sent, what="📅 refused")
        answer = await ask(bot_api, HELPER_B_GROUP, f"/status {task} progress 还在做", user_id=603)
        assert "已于 2026-06-01 办结（已完成），本次报告未作任何更改" in answer.params["text"]
        assert all("未作任何更改" in c.params["text"]
                   for c in bot_api.calls_to("sendMessage", HELPER_B_GROUP)[sent:])  # no date asked
        assert task_status(engine, task) is TaskStatus.DONE

        # The administrator reopens it in the own private chat with the corrections' /reopen: its
        # audit row is a Correction, and the task's history gets the office's entry, as after 🔓.
        bot_api.add_message(ADMIN_CHAT, f"/reopen {task}", user_id=ADMIN_USER)
        reopened = await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_CHAT), what="the reopening")
        assert "已重新打开" in reopened[-1].params["text"]
    assert reports_count(engine) == reports + 1  # the old buttons wrote nothing; the reopening one entry
    with session_scope(engine) as session:
        assert session.execute(select(Correction.new_value).where(Correction.task_id == task)).scalars().all() \
            == ["in_progress"]
    assert task_status(engine, task) is TaskStatus.IN_PROGRESS


async def test_with_verification_the_leads_done_waits_for_the_offices_verify(bot_api, settings, engine, clock):
    settings = dataclasses.replace(settings, verify_done=True)
    task = three_units(engine, clock)
    async with running_bot(settings, engine, clock) as application:
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await start_admin_chat(bot_api)
        await send_reminders(settings, engine, clock, application)
        helper = last_message(bot_api, HELPER_A_GROUP)
        await press(bot_api, HELPER_A_GROUP, helper, buttons_of(helper)[0][0], user_id=602, what="helper's edit")
        assert task_status(engine, task) is TaskStatus.IN_PROGRESS

        lead = last_message(bot_api, LEAD_GROUP)
        edit = await press(bot_api, LEAD_GROUP, lead, buttons_of(lead)[0][0], user_id=601, what="the lead's edit")
        assert "等待管理员销号" in edit.params["text"]
        assert task_status(engine, task) is TaskStatus.AWAITING_VERIFICATION

        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        request = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                   and last_message(bot_api, ADMIN_CHAT), what="the verification request")
        assert "待销号" in request.params["text"] and "省司法厅 报告已完成" in request.params["text"]
        assert buttons_of(request) == [[f"vf:{task}:v", f"vf:{task}:b"]]

        # Someone who is not an administrator presses ✅ 销号: refused, nothing changes.
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], f"vf:{task}:v", user_id=555)
        await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                  if "只有管理员" in (c.params.get("text") or "")], what="the refusal")
        assert task_status(engine, task) is TaskStatus.AWAITING_VERIFICATION

        edit = await press(bot_api, ADMIN_CHAT, request, f"vf:{task}:v", user_id=ADMIN_USER, what="销号")
        assert "已销号" in edit.params["text"] and not edit.params.get("reply_markup")
        assert task_status(engine, task) is TaskStatus.DONE
        detail = await ask(bot_api, ADMIN_CHAT, f"/task {task}", user_id=ADMIN_USER, kind="private")
        assert "各单位进度：省司法厅 已完成、省财政厅 已完成、省人社厅 未开始" in detail.params["text"]
        assert "管理员（王）：已完成" in detail.params["text"]  # the 销号 in the history, under the office

        # The old request pressed again: its own message, and the administrator may reopen.
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], f"vf:{task}:v", user_id=ADMIN_USER)
        again = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                 and last_message(bot_api, ADMIN_CHAT), what="the answer to an old 销号")
        assert "不是待销号状态" in again.params["text"] and buttons_of(again) == [[f"ro:{task}"]]
        # And a unit's old button on the verified task says it was verified.
        helper_b = last_message(bot_api, HELPER_B_GROUP)
        bot_api.add_callback(HELPER_B_GROUP, helper_b.result["message_id"], buttons_of(helper_b)[1][0], user_id=603)
        refusal = await eventually(lambda: len(bot_api.calls_to("sendMessage", HELPER_B_GROUP)) > 1
                                   and last_message(bot_api, HELPER_B_GROUP), what="the refusal")
        assert "销号办结" in refusal.params["text"]

        # 🔓 under the answer reopens it.
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_callback(ADMIN_CHAT, again.result["message_id"], f"ro:{task}", user_id=ADMIN_USER)
        reopened = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                    and last_message(bot_api, ADMIN_CHAT), what="the reopening")
        assert "已重新打开任务" in reopened.params["text"]
    assert task_status(engine, task) is TaskStatus.IN_PROGRESS
    with session_scope(engine) as session:
        assert session.get(Task, task).verified_at is None


async def test_the_office_sends_a_task_back_with_a_reason_the_lead_hears(bot_api, settings, engine, clock):
    settings = dataclasses.replace(settings, verify_done=True)
    task = three_units(engine, clock)
    async with running_bot(settings, engine, clock) as application:
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await start_admin_chat(bot_api)
        await send_reminders(settings, engine, clock, application)
        lead = last_message(bot_api, LEAD_GROUP)
        await press(bot_api, LEAD_GROUP, lead, buttons_of(lead)[0][0], user_id=601, what="the lead's edit")
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        request = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                   and last_message(bot_api, ADMIN_CHAT), what="the verification request")

        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], f"vf:{task}:b", user_id=ADMIN_USER)
        question = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                    and last_message(bot_api, ADMIN_CHAT), what="the question")
        assert "退回" in question.params["text"] and "建立行政复议听证制度" in question.params["text"]
        assert question.params["reply_markup"]["force_reply"]
        assert task_status(engine, task) is TaskStatus.AWAITING_VERIFICATION  # nothing happens before the reason

        bot_api.add_message(ADMIN_CHAT, "缺少听证规则的正式文本", user_id=ADMIN_USER,
                            reply_to_message_id=question.result["message_id"])
        told = await eventually(lambda: "已退回" in last_message(bot_api, ADMIN_CHAT).params["text"]
                                and last_message(bot_api, ADMIN_CHAT), what="the send-back confirmed")
        assert "缺少听证规则的正式文本" in told.params["text"]
        assert task_status(engine, task) is TaskStatus.IN_PROGRESS

        before = len(bot_api.calls_to("sendMessage", LEAD_GROUP))
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        notice = await eventually(lambda: len(bot_api.calls_to("sendMessage", LEAD_GROUP)) > before
                                  and last_message(bot_api, LEAD_GROUP), what="the lead told")
        assert "任务被退回" in notice.params["text"] and "退回理由：缺少听证规则的正式文本" in notice.params["text"]
        assert buttons_of(notice)[0][0].startswith(f"st:{task}:d")  # to report again
        # Nobody else hears of it: the cooperating units did not say done for the task.
        assert all("任务被退回" not in c.params["text"] for group in (HELPER_A_GROUP, HELPER_B_GROUP)
                   for c in bot_api.calls_to("sendMessage", group))
