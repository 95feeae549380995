"""A task with two milestones over real HTTP: the reminder names its milestone, ✅ meets the first
(the reply names the next, the task stays open, /task ticks it), ✅ again on the last closes the task."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.app import build_dispatcher, build_reminder_service
from scheduler.calendar import WorkingCalendar
from scheduler.service import replan_reminders
from store.db import session_scope
from store.models import Deadline, Reminder, ReminderState, Task, TaskStatus, UnitRole
from tests.telegram.conftest import add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import bind, buttons_of

FIRST, LAST = date(2026, 6, 8), date(2026, 12, 31)
FIRST_QUOTE = "6月8日前完成全省调研，年底前出台管理办法"


def two_milestone_task(engine, unit) -> int:
    task_id = add_task(engine, title="规范行政裁量权基准", units=((unit, UnitRole.LEAD),), due=FIRST, phrase=None)
    with session_scope(engine) as session:
        session.add(Deadline(task_id=task_id, phrase="年底前", due=LAST, quote=FIRST_QUOTE))
        session.add(Deadline(task_id=task_id, phrase="6月8日前", due=FIRST, quote=FIRST_QUOTE))
    return task_id


def task_row(engine, task_id):
    with session_scope(engine) as session:
        task = session.get(Task, task_id)
        return task.status, task.effective_due


def pending_dues(engine, task_id) -> set[date]:
    with session_scope(engine) as session:
        return set(session.execute(select(Reminder.due_date).where(
            Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING,
            Reminder.due_date.is_not(None))).scalars())  # polls are about the task, not a date


async def test_done_meets_one_milestone_at_a_time(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task_id = two_milestone_task(engine, unit)
    group = -4101
    policy = settings.reminders
    async with running_bot(settings, engine, clock) as application:
        # The reminder engine's planner, not started: the handlers re-plan through it.
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await bind(bot_api, engine, clock, "省司法厅", group)
        replan_reminders(engine, policy, WorkingCalendar.from_policy(policy), clock(), timedelta(days=1),
                         timedelta(days=240))
        assert pending_dues(engine, task_id) == {FIRST, LAST}
        await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
        reminder = bot_api.calls_to("sendMessage", group)[-1]
        assert "6月8日前" in reminder.params["text"] and FIRST_QUOTE in reminder.params["text"]
        assert "2026-06-08" in reminder.params["text"]

        # ✅ on the first milestone: recorded, the task moves on to the second and stays open.
        bot_api.add_callback(group, reminder.result["message_id"], buttons_of(reminder)[0][0], user_id=502)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", group), what="the edit"))[-1]
        answer = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the answer"))[-1]
        assert "阶段目标已完成：“6月8日前”（2026-06-08）" in edit.params["text"]
        assert "下一个节点：“年底前”，截止 2026-12-31" in edit.params["text"]
        assert edit.params["reply_markup"]["inline_keyboard"]  # still open: the buttons stay
        assert "2026-12-31" in answer.params["text"]
        assert task_row(engine, task_id) == (TaskStatus.IN_PROGRESS, LAST)
        assert pending_dues(engine, task_id) == {LAST}

        bot_api.add_message(group, f"/task {task_id}", user_id=502, chat_kind="group")
        detail = await eventually(lambda: len(bot_api.calls_to("sendMessage", group)) >= 3
                                  and bot_api.calls_to("sendMessage", group)[-1], what="/task's answer")
        assert "✓ 原文期限：“6月8日前” → 2026-06-08（2026-06-01 已完成）" in detail.params["text"]
        assert "➡️ 原文期限：“年底前” → 2026-12-31（当前节点）" in detail.params["text"]
        assert "：已完成（阶段目标“6月8日前”）" in detail.params["text"]  # the history says what was met

        # The first ✅ tapped a second time (a double tap, an old message): a repeat, nothing written.
        bot_api.add_callback(group, reminder.result["message_id"], buttons_of(reminder)[0][0], user_id=502)
        repeat = await eventually(lambda: len(bot_api.calls_to("answerCallbackQuery")) >= 2
                                  and bot_api.calls_to("answerCallbackQuery")[-1], what="the repeat's answer")
        assert "已记录为完成" in repeat.params["text"]
        assert task_row(engine, task_id) == (TaskStatus.IN_PROGRESS, LAST)

        # ✅ again, on the last milestone: the task is done.
        bot_api.add_callback(group, reminder.result["message_id"], buttons_of(edit)[0][0], user_id=502)
        await eventually(lambda: len(bot_api.calls_to("editMessageText", group)) >= 2, what="the second edit")
        last_edit = bot_api.calls_to("editMessageText", group)[-1]
        assert "阶段目标" not in last_edit.params["text"] and "已完成" in last_edit.params["text"]
        assert not last_edit.params.get("reply_markup") or not last_edit.params["reply_markup"]["inline_keyboard"]
    assert task_row(engine, task_id) == (TaskStatus.DONE, LAST)
    assert pending_dues(engine, task_id) == set()
    with session_scope(engine) as session:
        assert all(d.met_at is not None for d in session.execute(select(Deadline)).scalars())
