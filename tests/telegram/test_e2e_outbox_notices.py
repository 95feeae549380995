"""What the bot says on its own about extension requests goes through the outbox, over real HTTP:
the request reaches the administrators with its buttons, a transient failure is retried, a chat
that blocked the bot is marked lost (and the other administrators told), and the decision
reaches the unit. Plus /digest and the weekly digest row, composed from what the dispatcher read."""
from __future__ import annotations

import asyncio
from datetime import date, timedelta

from sqlalchemy import select

from bot.app import build_dispatcher, build_reminder_service
from store.db import session_scope
from store.models import Chat, Reminder, ReminderKind, ReminderState, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_extensions import force_reply_questions, start_admin_chat
from tests.telegram.test_e2e_reminders import bind, buttons_of

GROUP = -4101
ADMIN_CHAT = ADMIN_USER
ADMIN_GROUP = -5101  # an administrators' group, bound by an administrator's /start there


def rows_of(engine, kind):
    with session_scope(engine) as session:
        return [(r.chat_id, r.state.value, r.attempts, r.last_error) for r in session.execute(
            select(Reminder).where(Reminder.kind == kind).order_by(Reminder.id)).scalars()]


def chat_row(engine, telegram_chat_id):
    with session_scope(engine) as session:
        chat = session.execute(select(Chat).where(Chat.telegram_chat_id == telegram_chat_id)).scalar_one()
        return chat.id, chat.active


async def ask(bot_api, task, answer="2026年10月底前", before_answering=lambda: None):
    """/extend in the unit's group, answered: the request is stored and queued."""
    bot_api.add_message(GROUP, f"/extend {task}", user_id=502, first_name="王", chat_kind="group")
    question = (await eventually(lambda: force_reply_questions(bot_api, GROUP), what="the question"))[-1]
    before_answering()
    bot_api.add_message(GROUP, answer, user_id=502, first_name="王", chat_kind="group",
                        reply_to_message_id=question.result["message_id"])
    await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", GROUP)
                              if "已提交管理员审核" in c.params["text"]], what="the unit's receipt")


def requests_to(bot_api, chat_id):
    return [c for c in bot_api.calls_to("sendMessage", chat_id)
            if c.result and "延期申请" in c.params["text"] and c.params.get("reply_markup")]


async def test_a_transient_failure_is_retried_and_the_decision_reaches_the_unit(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="清理规范性文件", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        service = build_reminder_service(settings, engine, application.bot, clock=clock)
        application.bot_data["reminders"] = service
        await start_admin_chat(bot_api)
        await bind(bot_api, engine, clock, "省司法厅", GROUP)
        await service.replan()
        await service.dispatcher.tick_after_current()  # Monday morning's digest and reminders out of the way
        await ask(bot_api, task, before_answering=lambda: bot_api.fail(ADMIN_CHAT, 502, "Bad Gateway", times=1))
        # The nudged tick met the 502: the row waits out its backoff, nothing was given up.
        admin_chat_id, _ = chat_row(engine, ADMIN_CHAT)
        await eventually(lambda: rows_of(engine, ReminderKind.EXT_REQUEST) == [(admin_chat_id, "pending", 1, "Bad Gateway")],
                         what="the retry pending")
        assert not requests_to(bot_api, ADMIN_CHAT)
        clock.advance(minutes=6)  # past the longest backoff
        await service.dispatcher.tick_after_current()  # the nudged tick may still be settling
        request = requests_to(bot_api, ADMIN_CHAT)[-1]
        text = request.params["text"]
        assert "省司法厅" in text and "2026-10-31" in text and "申请人：王" in text
        assert rows_of(engine, ReminderKind.EXT_REQUEST) == [(admin_chat_id, "sent", 1, "Bad Gateway")]
        approve, _ = buttons_of(request)[0]

        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], approve, user_id=ADMIN_USER,
                             first_name="管理员")
        told = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", GROUP)
                                          if "已批准" in c.params["text"]], what="the unit told"))[0]
        assert "2026-10-31" in told.params["text"] and "清理规范性文件" in told.params["text"]
        unit_chat_id, _ = chat_row(engine, GROUP)
        await eventually(lambda: rows_of(engine, ReminderKind.EXT_DECISION) == [(unit_chat_id, "sent", 0, None)],
                         what="the decision recorded")


async def test_an_administrators_chat_that_blocked_the_bot_is_marked_lost(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="清理规范性文件", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        service = build_reminder_service(settings, engine, application.bot, clock=clock)
        application.bot_data["reminders"] = service
        await start_admin_chat(bot_api)
        bot_api.add_message(ADMIN_GROUP, "/start", user_id=ADMIN_USER, chat_kind="group")
        await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_GROUP), what="the admins' group")
        await bind(bot_api, engine, clock, "省司法厅", GROUP)
        bot_api.block(ADMIN_GROUP, "Forbidden: bot was kicked from the group chat")
        await ask(bot_api, task)
        await eventually(lambda: requests_to(bot_api, ADMIN_CHAT), what="the request in the other chat")
        group_id, _ = chat_row(engine, ADMIN_GROUP)
        await eventually(lambda: not chat_row(engine, ADMIN_GROUP)[1], what="the blocked chat marked lost")
        assert [r[:3] for r in rows_of(engine, ReminderKind.EXT_REQUEST) if r[0] == group_id] == [
            (group_id, "failed", 0)]
        # The administrators who can still be reached hear of it, as of any chat that is lost.
        admin_chat_id, _ = chat_row(engine, ADMIN_CHAT)

        async def lost_notice_sent():
            await service.dispatcher.tick_after_current()  # after a tick still in flight, what is due
            return [r[:2] for r in rows_of(engine, ReminderKind.CHAT_LOST)] == [(admin_chat_id, "sent")]

        for _ in range(50):
            if await lost_notice_sent():
                break
            await asyncio.sleep(0.1)
        assert [r[:2] for r in rows_of(engine, ReminderKind.CHAT_LOST)] == [(admin_chat_id, "sent")]
        assert [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT) if "失联" in c.params["text"]
                or "group-5101" in c.params["text"]]


async def test_digest_lists_what_waits_by_unit_the_same_in_chat_and_on_schedule(bot_api, settings, engine, clock):
    justice = add_unit(engine, "省司法厅")
    finance = add_unit(engine, "省财政厅")
    late = add_task(engine, title="清理规范性文件", due=date(2026, 5, 20), units=((justice, UnitRole.LEAD),))
    soon = add_task(engine, title="编制预算", due=date(2026, 6, 5), units=((finance, UnitRole.LEAD),))
    later = add_task(engine, title="远期任务", due=date(2026, 9, 30), units=((finance, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        await start_admin_chat(bot_api)
        with session_scope(engine) as session:
            session.get(Task, later).status = TaskStatus.BLOCKED
        bot_api.add_message(ADMIN_CHAT, "/digest", user_id=ADMIN_USER)
        answer = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                            if "工作汇总" in c.params["text"]], what="the digest"))[-1]
        text = answer.params["text"]
        assert "deadline-bot" not in text and "/upcoming" in text and "/overdue" in text
        assert f"🔴 <b>#{late}</b>" in text and f"🟡 <b>#{soon}</b>" in text and f"<b>#{later}</b>" in text
        assert "有困难" in text and text.index("省司法厅") < text.index(f"#{late}") < text.index("省财政厅")

        # The weekly row: the dispatcher reads the same lists and the composer shows them.
        with session_scope(engine) as session:
            admin_chat_id = session.execute(select(Chat.id).where(Chat.telegram_chat_id == ADMIN_CHAT)).scalar_one()
            session.add(Reminder(dedupe_key="digest:test", kind=ReminderKind.DIGEST, chat_id=admin_chat_id,
                                 send_at=clock() - timedelta(minutes=1), state=ReminderState.PENDING))
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        weekly = bot_api.calls_to("sendMessage", ADMIN_CHAT)[-1]
        assert weekly.params["text"] == text
