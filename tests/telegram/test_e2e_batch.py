"""Fewer, clearer messages over real HTTP: everything due for one chat in one send is one list
(#id first, a compact button row per task, paged at ten tasks), a press records its own task only,
a reply to a list is not taken as a note on some task, and an escalation names the late units and
gives administrators buttons that work for them and for nobody else.

The transcripts printed here (run with -s) are docs/transcripts/month_start_poll.md and
docs/transcripts/escalation.md."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.app import build_dispatcher
from scheduler.model import ReminderKind
from store import chats
from store.db import session_scope
from store.models import Reminder, ReminderState, StatusReport, Task, TaskStatus, UnitRole
from store.outbox import sync_planned_reminders
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import bind, replan
from vocabulary.planning import PlannedReminder

ADMINS_GROUP = -7101
MEMBER = 556  # in the administrators' group, not listed in admin_user_ids


def shown(call) -> str:
    """A message as the fake Telegram server received it: its text, then each button row."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    buttons = ["    [" + " | ".join(f"{b['text']} ⟨{b['callback_data']}⟩" for b in row) + "]" for row in rows]
    return "\n".join([call.params["text"], *buttons])


def rows_of(call) -> list[list[str]]:
    return [[b["callback_data"] for b in row] for row in (call.params.get("reply_markup") or {}).get(
        "inline_keyboard", [])]


def plan_now(engine, clock, *rows: tuple[str, ReminderKind, int, int | None, int, date | None]) -> None:
    now = clock()
    sync_planned_reminders(engine, [
        PlannedReminder(dedupe_key=key, kind=kind, send_at=now - timedelta(minutes=1), task_id=task, unit_id=unit,
                        chat_id=chat, due_date=due)
        for key, kind, task, unit, chat, due in rows], now - timedelta(days=1), now + timedelta(days=1))


def reports(engine) -> list[tuple[int, str, str]]:
    with session_scope(engine) as session:
        return [(r.task_id, r.status.value, r.note) for r in session.execute(
            select(StatusReport).order_by(StatusReport.id)).scalars()]


async def test_a_unit_with_29_open_tasks_gets_one_list_paged_on_the_months_first_working_morning(
        bot_api, settings, engine, clock):
    unit = add_unit(engine, "中川镇")
    tasks = [add_task(engine, title=f"落实第{n}项工作措施，按季度报送进展情况", units=((unit, UnitRole.RESPONSIBLE),),
                      due=date(2026, 11, 30), phrase="11月底前") for n in range(1, 30)]
    group = -4101
    transcript = []
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "中川镇", group)
        before = len(bot_api.calls_to("sendMessage", group))
        replan(settings, engine, clock)  # 2026-06-01, a Monday: the month's first working morning
        result = await build_dispatcher(settings, engine, application.bot, clock=clock).tick()

        sent = bot_api.calls_to("sendMessage", group)[before:]
        assert (result.messages_sent, result.reminders_sent, len(sent)) == (3, 29, 3)  # not 29 messages
        transcript += [f"[群 {group}] 机器人 →\n{shown(call)}\n" for call in sent]
        listed = [data for call in sent for data in rows_of(call)]
        # Every task once, its id first on its line and on its row of buttons, ten rows a page at most.
        assert sorted(int(row[0].split(":")[1]) for row in listed) == sorted(tasks)
        assert [len(rows_of(call)) for call in sent] == [10, 10, 9]
        for call in sent:
            text = call.params["text"]
            assert len(text) <= 4096 and "中川镇：" in text and "进度询问" in text
            for row in call.params["reply_markup"]["inline_keyboard"]:
                task = int(row[0]["callback_data"].split(":")[1])
                assert row[0]["text"] == f"#{task} ✅" and f"<b>#{task}</b> · （一）落实第" in text
                assert all(len(b["callback_data"].encode()) < 64 for b in row)
        assert "（第 1/3 页）" in sent[0].params["text"] and "（第 3/3 页）" in sent[2].params["text"]
        with session_scope(engine) as session:
            rows = session.execute(select(Reminder).where(Reminder.kind == "poll", Reminder.send_at <= clock())
                                   ).scalars().all()  # next month's polls are planned too, pending
        # Every row is recorded sent, with the id of the message (page) that listed its task.
        page_of = {int(data[0].split(":")[1]): call.result["message_id"] for call in sent for data in rows_of(call)}
        assert {(r.task_id, r.state, r.message_id) for r in rows} == {
            (t, ReminderState.SENT, page_of[t]) for t in tasks}

        # A press on one task's row records that task only, and leaves the list as it was but for that row.
        first_page = sent[0]
        pressed_task = int(rows_of(first_page)[2][0].split(":")[1])
        bot_api.add_callback(group, first_page.result["message_id"], rows_of(first_page)[2][1], user_id=502,
                             first_name="李")
        transcript.append(f"[群 {group}] 用户502 «李» 在第 1 页点击 #{pressed_task} 的 🔄")
        edit = (await eventually(lambda: bot_api.calls_to("editMessageReplyMarkup", group), what="the edit"))[0]
        answer = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the answer"))[0]
        transcript.append(f"[群 {group}] 机器人 回应点击 → {answer.params.get('text')}")
        transcript.append(f"[群 {group}] 机器人 改写按钮 → 第 3 行：" + " | ".join(
            b["text"] for b in edit.params["reply_markup"]["inline_keyboard"][2]))
        assert not bot_api.calls_to("editMessageText", group)  # the list's text stays
        assert f"#{pressed_task} 已记录：推进中" in answer.params["text"]
        new_rows = edit.params["reply_markup"]["inline_keyboard"]
        assert len(new_rows) == 10 and new_rows[2][1]["text"] == "🔄 ✔"
        assert [[b["text"] for b in row] for i, row in enumerate(new_rows) if i != 2] == [
            [b["text"] for b in row] for i, row in enumerate(first_page.params["reply_markup"]["inline_keyboard"])
            if i != 2]
        assert reports(engine) == [(pressed_task, "in_progress", "")]

        # A reply to the list cannot be a note on "the" task: the chat is told how to write one.
        bot_api.add_message(group, "已完成初稿", user_id=502, chat_kind="group",
                            reply_to_message_id=first_page.result["message_id"])
        transcript.append(f"[群 {group}] 用户502 回复第 1 页 → 已完成初稿")
        told = await eventually(lambda: len(bot_api.calls_to("sendMessage", group)) == before + 4
                                and bot_api.calls_to("sendMessage", group)[-1], what="the answer to the reply")
        transcript.append(f"[群 {group}] 机器人 → {told.params['text']}")
        assert "列出了多项任务" in told.params["text"] and "/status" in told.params["text"]
        assert reports(engine) == [(pressed_task, "in_progress", "")]  # no note was written anywhere
    with session_scope(engine) as session:
        assert {session.get(Task, t).status for t in tasks if t != pressed_task} == {TaskStatus.OPEN}
    print("\n--- transcript: month-start poll for a unit with 29 open tasks ---\n" + "\n".join(transcript))


async def test_mixed_kinds_for_one_chat_are_one_message_in_sections_most_urgent_first(bot_api, settings, engine,
                                                                                         clock):
    unit = add_unit(engine, "省司法厅")
    late = add_task(engine, title="清理规范性文件", units=((unit, UnitRole.LEAD),), due=date(2026, 5, 25))
    today = add_task(engine, title="印发审理规范", units=((unit, UnitRole.LEAD),), due=date(2026, 6, 1))
    polled = add_task(engine, title="推进政务公开", units=((unit, UnitRole.LEAD),), due=date(2026, 9, 30))
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "省司法厅", -4102)
        chat = chats.chat_by_telegram_id(engine, -4102).id
        plan_now(engine, clock, ("p", ReminderKind.POLL, polled, unit, chat, None),
                 ("d", ReminderKind.DUE_TODAY, today, unit, chat, date(2026, 6, 1)),
                 ("o", ReminderKind.OVERDUE, late, unit, chat, date(2026, 5, 25)))
        result = await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
    assert result.messages_sent == 1
    text = bot_api.calls_to("sendMessage", -4102)[-1].params["text"]
    order = [text.index(word) for word in ("任务已逾期", f"#{late}</b>", "今天到期", f"#{today}</b>", "进度询问",
                                           f"#{polled}</b>")]
    assert order == sorted(order)
    assert "逾期 7 天" in text and "今天到期" in text


async def test_an_escalation_names_the_late_units_and_its_buttons_work_for_an_administrator_only(
        bot_api, settings, engine, clock):
    justice, finance = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    first = add_task(engine, title="清理规范性文件", units=((justice, UnitRole.LEAD), (finance, UnitRole.RESPONSIBLE)),
                     due=date(2026, 5, 25), phrase="5月25日前")
    second = add_task(engine, title="完善行政复议案件审理机制", units=((justice, UnitRole.LEAD),),
                      due=date(2026, 5, 28), phrase="5月底前")
    transcript = []
    async with running_bot(settings, engine, clock) as application:
        await bind(bot_api, engine, clock, "省司法厅", -4103)
        admins = chats.bind_admin_chat(engine, ADMINS_GROUP, "group", "督查室", "zh-CN", clock())
        plan_now(engine, clock,
                 ("e1", ReminderKind.ESCALATION, first, None, admins.id, date(2026, 5, 25)),
                 ("e2", ReminderKind.ESCALATION, second, None, admins.id, date(2026, 5, 28)))
        dispatcher = build_dispatcher(settings, engine, application.bot, clock=clock)
        assert (await dispatcher.tick()).messages_sent == 1
        escalation = bot_api.calls_to("sendMessage", ADMINS_GROUP)[-1]
        transcript.append(f"[群 {ADMINS_GROUP} 督查室] 机器人 →\n{shown(escalation)}\n")
        text = escalation.params["text"]
        assert "逾期升级" in text
        assert "　　未完成单位：省司法厅、省财政厅（逾期 7 天）\n" in text and "　　未完成单位：省司法厅（逾期 4 天）" in text
        assert rows_of(escalation) == [[f"es:r:{first}", f"es:h:{first}", f"es:o:{first}"],
                                       [f"es:r:{second}", f"es:h:{second}", f"es:o:{second}"]]
        message_id = escalation.result["message_id"]

        # A member of the administrators' group who is not listed changes nothing.
        refusals = len(bot_api.calls_to("answerCallbackQuery"))
        for data in (f"es:r:{first}", f"es:h:{first}"):
            bot_api.add_callback(ADMINS_GROUP, message_id, data, user_id=MEMBER)
        answers = await eventually(lambda: len(bot_api.calls_to("answerCallbackQuery")) >= refusals + 2
                                   and bot_api.calls_to("answerCallbackQuery")[refusals:], what="the refusals")
        assert all(a.params["show_alert"] and "只有管理员" in a.params["text"] for a in answers)
        transcript.append(f"[群 {ADMINS_GROUP}] 成员{MEMBER}（非管理员）点击 🔔 催办 → {answers[0].params['text']}")
        with session_scope(engine) as session:
            assert session.execute(select(Reminder).where(Reminder.kind == "poll")).first() is None
            assert session.get(Task, first).snoozed_until is None

        # The administrator: remind now, hold a week, open the task.
        for data, what in ((f"es:r:{first}", "🔔 催办"), (f"es:h:{second}", "⏸ 7 天"), (f"es:o:{first}", "🔎 详情")):
            count = len(bot_api.calls_to("sendMessage", ADMINS_GROUP))
            bot_api.add_callback(ADMINS_GROUP, message_id, data, user_id=ADMIN_USER)
            said = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMINS_GROUP)) > count
                                    and bot_api.calls_to("sendMessage", ADMINS_GROUP)[-1], what=what)
            transcript.append(f"[群 {ADMINS_GROUP}] 管理员 点击 {what} ⟨{data}⟩\n[群 {ADMINS_GROUP}] 机器人 → "
                              f"{said.params['text']}\n")
        replies = [c.params["text"] for c in bot_api.calls_to("sendMessage", ADMINS_GROUP)[-3:]]
        assert f"已向 1 个单位聊天催办任务 #{first}" in replies[0]
        assert f"任务 #{second} 的提醒已暂停至 2026-06-08" in replies[1]
        assert f"任务编号：#{first}" in replies[2] and "清理规范性文件" in replies[2]
        with session_scope(engine) as session:
            polls = session.execute(select(Reminder).where(Reminder.kind == "poll")).scalars().all()
            assert [(p.task_id, p.unit_id) for p in polls] == [(first, justice)]
            assert session.get(Task, second).snoozed_until == date(2026, 6, 8)
        await dispatcher.tick()
        poll = bot_api.calls_to("sendMessage", -4103)[-1]
        transcript.append(f"[群 -4103 省司法厅] 机器人 →\n{shown(poll)}")
        assert "进度询问" in poll.params["text"] and f"<b>#{first} · （一）清理规范性文件</b>" in poll.params["text"]
    print("\n--- transcript: an escalation to the administrators ---\n" + "\n".join(transcript))
