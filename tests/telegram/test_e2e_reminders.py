"""Reminders and one-tap answers over real HTTP: bind -> reminder -> tap -> note, other units'
tasks refused, a chat that blocked the bot, a group that became a supergroup."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import build_dispatcher
from scheduler.calendar import WorkingCalendar
from scheduler.service import replan_reminders
from store import chats
from store.db import session_scope
from store.models import Chat, Reminder, StatusReport, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot

TITLE = "完善行政复议<案件>审理机制"


def replan(settings, engine, clock, horizon_days=30):
    policy = settings.reminders
    return replan_reminders(engine, policy, WorkingCalendar.from_policy(policy), clock(), timedelta(days=1),
                            timedelta(days=horizon_days))


async def bind(bot_api, engine, clock, unit_name, chat_id, *, kind="group", user_id=501):
    invite = chats.create_invite(engine, unit_name, timedelta(hours=72), clock())
    before = len(bot_api.calls_to("sendMessage", chat_id))
    bot_api.add_message(chat_id, f"/start {invite.code}", user_id=user_id, chat_kind=kind)
    await eventually(lambda: len(bot_api.calls_to("sendMessage", chat_id)) > before, what="the binding answer")
    return invite.code


def buttons_of(call):
    return [[b["callback_data"] for b in row] for row in call.params["reply_markup"]["inline_keyboard"]]


def states_of(engine, task_id):
    with session_scope(engine) as session:
        return sorted(r.state.value for r in session.execute(select(Reminder).where(Reminder.task_id == task_id))
                      .scalars())


async def test_bind_remind_tap_done_and_add_a_note(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title=TITLE, units=((unit, UnitRole.LEAD),))
    transcript = []
    group = -4001
    async with running_bot(settings, engine, clock) as application:
        code = await bind(bot_api, engine, clock, "省司法厅", group)
        transcript += [f"[群 {group}] 用户501 → /start {code[:6]}…",
                       f"[群 {group}] 机器人 → {bot_api.calls_to('sendMessage', group)[-1].params['text']}"]

        replan(settings, engine, clock)
        result = await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        assert result.messages_sent == 1
        reminder = bot_api.calls_to("sendMessage", group)[-1]
        text = reminder.params["text"]
        rows = [[b["text"] for b in row] for row in reminder.params["reply_markup"]["inline_keyboard"]]
        transcript.append(f"[群 {group}] 机器人 → {text}\n    按钮：{rows}")
        assert "完善行政复议&lt;案件&gt;审理机制" in text  # the task's own text is escaped
        assert "2026-06-08" in text and "还剩 7 天" in text
        assert "牵头" in text and "6月8日前完成" in text and "2026年法治政府建设工作要点" in text
        assert reminder.params["parse_mode"] == "HTML"
        labels = [b["text"] for row in reminder.params["reply_markup"]["inline_keyboard"] for b in row]
        assert labels == ["✅ 已完成", "🔄 推进中", "⚠️ 有困难", "📅 申请延期"]
        assert all(len(d.encode()) <= 64 for row in buttons_of(reminder) for d in row)
        assert "pending" in states_of(engine, task)  # later reminders (1 day before, due day) are waiting

        message_id = reminder.result["message_id"]
        bot_api.add_callback(group, message_id, buttons_of(reminder)[0][0], user_id=502, first_name="<b>李</b>")
        transcript.append(f"[群 {group}] 用户502 «<b>李</b>» 点击 ✅ 已完成")
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", group), what="the edit"))[0]
        answer = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the answer"))[0]
        transcript.append(f"[群 {group}] 机器人 改写消息 → {edit.params['text']}")
        transcript.append(f"[群 {group}] 机器人 回应点击 → {answer.params.get('text')}")
        assert "&lt;b&gt;李&lt;/b&gt;" in edit.params["text"] and "已完成" in edit.params["text"]
        assert "reply_markup" not in edit.params or not edit.params["reply_markup"]  # done: no more buttons
        assert "已完成" in answer.params["text"]

        bot_api.add_message(group, "已于5月底印发《审理规范》", user_id=502, chat_kind="group",
                            reply_to_message_id=message_id)
        transcript.append(f"[群 {group}] 用户502 回复 → 已于5月底印发《审理规范》")
        saved = await eventually(lambda: len(bot_api.calls_to("sendMessage", group)) == 3
                                 and bot_api.calls_to("sendMessage", group)[-1], what="the note's answer")
        transcript.append(f"[群 {group}] 机器人 → {saved.params['text']}")
        assert "说明已记录" in saved.params["text"]

        # The administrator asks how the unit is doing, in a private chat with the bot.
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), what="the admin's welcome")
        bot_api.add_message(ADMIN_USER, "/unit 省司法厅", user_id=ADMIN_USER)
        transcript.append(f"[私聊 {ADMIN_USER}] 管理员 → /unit 省司法厅")
        status_page = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_USER)) >= 2
                                       and bot_api.calls_to("sendMessage", ADMIN_USER)[-1], what="/unit's answer")
        transcript.append(f"[私聊 {ADMIN_USER}] 机器人 → {status_page.params['text']}")
        assert "省司法厅：完成 1 · 未完成 0 · 逾期 0" in status_page.params["text"]
        assert "未完成任务（0 项）" in status_page.params["text"]

    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        status = session.get(Task, task).status
    assert (report.task_id, report.unit_id, report.telegram_user_id, report.status) == (task, unit, 502, "done")
    assert report.note == "已于5月底印发《审理规范》" and report.reported_at == clock()
    assert status == TaskStatus.DONE
    assert "pending" not in states_of(engine, task) and "cancelled" in states_of(engine, task)
    print("\n--- transcript: bind → reminder → tap → note → admin query ---\n" + "\n".join(transcript))


async def test_a_unit_cannot_answer_for_another_units_task(bot_api, settings, engine, clock):
    ours, theirs = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    own_task = add_task(engine, title="我们的任务", units=((ours, UnitRole.LEAD),))
    other_task = add_task(engine, title="别人的任务", units=((theirs, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "省司法厅", -4001)
        replan(settings, engine, clock)
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        message_id = bot_api.calls_to("sendMessage", -4001)[-1].result["message_id"]
        # Forged callback data: our message, their task.
        bot_api.add_callback(-4001, message_id, f"st:{other_task}:d", user_id=502)
        answer = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the refusal"))[0]
    assert "不是本单位的任务" in answer.params["text"]
    assert not bot_api.calls_to("editMessageText")
    with session_scope(engine) as session:
        assert session.execute(select(StatusReport)).first() is None
        assert session.get(Task, other_task).status == TaskStatus.OPEN
        assert session.get(Task, own_task).status == TaskStatus.OPEN


async def test_a_chat_that_blocked_the_bot_is_deactivated_and_admins_are_told(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    add_task(engine, title="任务", units=((unit, UnitRole.RESPONSIBLE),))
    async with running_bot(settings, engine, clock) as application:
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), what="the admin's welcome")
        await bind(bot_api, engine, clock, "省司法厅", 601, kind="private", user_id=601)
        bot_api.block(601)
        replan(settings, engine, clock)
        dispatcher = build_dispatcher(settings, engine, application.bot, clock=clock)
        first = await dispatcher.tick()
        assert first.chats_lost == 1
        clock.advance(1)
        await dispatcher.tick()
    with session_scope(engine) as session:
        chat = session.execute(select(Chat).where(Chat.telegram_chat_id == 601)).scalar_one()
    assert not chat.active and "blocked" in chat.deactivated_reason
    notice = bot_api.calls_to("sendMessage", ADMIN_USER)[-1].params["text"]
    assert "省司法厅" in notice and "deadline-bot invite 省司法厅" in notice
    assert settings.telegram_token not in chat.deactivated_reason


async def test_a_group_that_became_a_supergroup_is_followed(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="任务", units=((unit, UnitRole.RESPONSIBLE),))
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "省司法厅", -4001)
        bot_api.migrate(-4001, -1009990004001, times=1)
        replan(settings, engine, clock)
        dispatcher = build_dispatcher(settings, engine, application.bot, clock=clock)
        result = await dispatcher.tick()
    # Handed back when Telegram named the new chat, and sent there later in the same tick.
    assert result.deferred and result.messages_sent == 1
    assert bot_api.calls_to("sendMessage", -1009990004001)
    assert chats.chat_by_telegram_id(engine, -1009990004001).unit_name == "省司法厅"
    assert "sent" in states_of(engine, task)


async def test_the_running_bot_plans_and_sends_on_its_own(bot_api, settings, engine, clock):
    """What `deadline-bot run` assembles: post_init starts the reminder engine in the bot's loop."""
    from bot.app import build_application

    unit = add_unit(engine, "省司法厅")
    add_task(engine, title="自动提醒的任务", units=((unit, UnitRole.LEAD),))
    code = chats.create_invite(engine, "省司法厅", timedelta(hours=1), clock()).code
    chats.redeem_invite(engine, code, -4001, "group", "群", "zh-CN", clock())
    application = build_application(settings, engine, clock=clock)
    async with application:
        await application.post_init(application)
        try:
            sent = await eventually(lambda: bot_api.calls_to("sendMessage", -4001), timeout=10,
                                    what="the reminder engine's first send")
        finally:
            await application.post_shutdown(application)
    assert "自动提醒的任务" in sent[0].params["text"]
    assert "reminders" not in application.bot_data
    assert bot_api.calls_to("setMyCommands")  # and the "/" menus were published at start


async def test_a_group_that_removes_the_bot_is_deactivated_at_once(bot_api, settings, engine, clock):
    add_unit(engine, "省司法厅")
    async with running_bot(settings, engine, clock) as application:
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), what="the admin's welcome")
        await bind(bot_api, engine, clock, "省司法厅", -4001)
        bot_api.add_bot_removed(-4001, by_user_id=501)
        await eventually(lambda: not chats.chat_by_telegram_id(engine, -4001).active, what="the deactivation")
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
    assert "省司法厅" in bot_api.calls_to("sendMessage", ADMIN_USER)[-1].params["text"]
    assert len(bot_api.calls_to("sendMessage", -4001)) == 1  # the binding answer, nothing since


async def test_the_migration_notice_moves_the_binding_to_the_supergroup(bot_api, settings, engine, clock):
    add_unit(engine, "省司法厅")
    async with running_bot(settings, engine, clock):
        await bind(bot_api, engine, clock, "省司法厅", -4001)
        bot_api.add_migration(-4001, -1009990004001, user_id=501)
        moved = await eventually(lambda: chats.chat_by_telegram_id(engine, -1009990004001), what="the move")
    assert moved.unit_name == "省司法厅" and moved.kind == "supergroup"
    assert chats.chat_by_telegram_id(engine, -4001) is None
