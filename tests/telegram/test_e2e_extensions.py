"""Extension requests over real HTTP: 📅 → proposed date → administrators approve or reject;
a non-administrator's press is refused; a request is decided once. Plus the date answers."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.app import build_dispatcher, build_reminder_service
from store.db import session_scope
from store.extensions import parse_proposed_due
from store.models import DueSource, ExtensionRequest, Reminder, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import bind, buttons_of, replan

GROUP = -4001
ADMIN_CHAT = ADMIN_USER  # the administrator's private chat with the bot


@pytest.mark.parametrize(("answer", "expected"), [
    ("6月底", date(2026, 6, 30)),
    ("6月底前，需等待省级审批", date(2026, 6, 30)),
    ("9月30日", date(2026, 9, 30)),
    ("2026年9月30日前", date(2026, 9, 30)),
    ("2026年10月底前", date(2026, 10, 31)),
    ("2026-10-15", date(2026, 10, 15)),
    ("建议延到 2027/1/31", date(2027, 1, 31)),
    ("年底前", date(2026, 12, 31)),
])
def test_proposed_dates_are_read_relative_to_the_plan_year(answer, expected):
    assert parse_proposed_due(answer, 2026, today=date(2026, 6, 1)) == expected


@pytest.mark.parametrize("answer", ["下周吧", "尽快", "2026-02-30", ""])
def test_an_unreadable_answer_gives_no_date(answer):
    assert parse_proposed_due(answer, 2026, today=date(2026, 6, 1)) is None


def force_reply_questions(bot_api, chat_id):
    return [c for c in bot_api.calls_to("sendMessage", chat_id)
            if (c.params.get("reply_markup") or {}).get("force_reply")]


def notice_rows(engine, kind):
    with session_scope(engine) as session:
        return [(r.state.value, r.message_id) for r in
                session.execute(select(Reminder).where(Reminder.kind == kind).order_by(Reminder.id)).scalars()]


def task_row(engine, task_id):
    with session_scope(engine) as session:
        task = session.get(Task, task_id)
        return task.effective_due, task.due_source, task.status


def reminders_of(engine, task_id):
    with session_scope(engine) as session:
        return [(r.state.value, r.due_date) for r in
                session.execute(select(Reminder).where(Reminder.task_id == task_id)).scalars()]


async def start_admin_chat(bot_api):
    bot_api.add_message(ADMIN_CHAT, "/start", user_id=ADMIN_USER)
    await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_CHAT), what="the admin chat")


async def ask_for_extension(bot_api, settings, engine, clock, application, task):
    """Bind the unit, send it its reminder and press 📅; the bot's question."""
    await bind(bot_api, engine, clock, "省司法厅", GROUP)
    replan(settings, engine, clock)
    await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
    reminder = bot_api.calls_to("sendMessage", GROUP)[-1]
    extension = buttons_of(reminder)[1][1]
    assert extension == f"st:{task}:x"
    bot_api.add_callback(GROUP, reminder.result["message_id"], extension, user_id=502, first_name="王")
    return (await eventually(lambda: force_reply_questions(bot_api, GROUP), what="the question"))[-1]


async def test_request_approve_moves_the_due_date_and_replans(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="完善行政复议案件审理机制", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await start_admin_chat(bot_api)
        question = await ask_for_extension(bot_api, settings, engine, clock, application, task)
        assert "2026-06-08" in question.params["text"]
        await eventually(lambda: task_row(engine, task)[2] == TaskStatus.EXTENSION_REQUESTED, what="the status")
        assert ("pending", date(2026, 6, 8)) in reminders_of(engine, task)

        # An answer the extractor cannot read: a hint and the question again; nothing stored.
        bot_api.add_message(GROUP, "下周吧", user_id=502, chat_kind="group",
                            reply_to_message_id=question.result["message_id"])
        again = (await eventually(lambda: len(force_reply_questions(bot_api, GROUP)) == 2
                                  and force_reply_questions(bot_api, GROUP), what="the question again"))[-1]
        assert "没有看懂" in again.params["text"]

        bot_api.add_message(GROUP, "6月底，需等待省级审批", user_id=502, first_name="王", chat_kind="group",
                            reply_to_message_id=again.result["message_id"])
        request = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                             if c.params.get("reply_markup")], what="the request"))[0]
        text = request.params["text"]
        assert "延期申请" in text and "省司法厅" in text and "2026-06-30" in text and "需等待省级审批" in text
        with session_scope(engine) as session:
            stored = session.execute(select(ExtensionRequest)).scalar_one()
            assert (stored.task_id, stored.unit_id, stored.telegram_user_id, stored.proposed_due, stored.state) == (
                task, unit, 502, date(2026, 6, 30), "pending")
            assert session.execute(select(Task.id)).scalars().all() == [task]
        sent = bot_api.calls_to("sendMessage", GROUP)[-1]
        assert "已提交管理员审核" in sent.params["text"] and "2026-06-30" in sent.params["text"]
        approve, reject = buttons_of(request)[0]
        assert approve == f"ext:{stored.id}:a" and reject == f"ext:{stored.id}:r"
        # The answer to the question is not a note on the report.
        assert not [c for c in bot_api.calls_to("sendMessage", GROUP) if "说明已记录" in c.params["text"]]

        # Someone who is not an administrator presses ✅: refused, nothing changes.
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], approve, user_id=555)
        refusal = (await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                             if "只有管理员" in (c.params.get("text") or "")], what="refusal"))[0]
        assert refusal.params["show_alert"] is True
        assert task_row(engine, task) == (date(2026, 6, 8), None, TaskStatus.EXTENSION_REQUESTED)

        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], approve, user_id=ADMIN_USER,
                             first_name="管理员")
        # Through the outbox, sent at once (the re-planned reminder for the new date may come with it).
        told = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", GROUP)
                                          if "已批准" in c.params["text"]], what="the unit told"))[0]
        assert "2026-06-30" in told.params["text"]
        await eventually(lambda: notice_rows(engine, "ext_decision") == [("sent", told.result["message_id"])],
                         what="the decision recorded as sent")
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="the edit"))[-1]
        assert "已批准" in edit.params["text"] and not edit.params.get("reply_markup")

        # Decided once: a second press changes nothing.
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], reject, user_id=ADMIN_USER)
        await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                  if "已处理过" in (c.params.get("text") or "")], what="already decided")

    assert task_row(engine, task) == (date(2026, 6, 30), DueSource.ADMIN, TaskStatus.IN_PROGRESS)
    with session_scope(engine) as session:
        stored = session.execute(select(ExtensionRequest)).scalar_one()
        assert (stored.state, stored.decided_by) == ("approved", ADMIN_USER)
    rows = reminders_of(engine, task)
    assert ("pending", date(2026, 6, 8)) not in rows and ("cancelled", date(2026, 6, 8)) in rows
    # Re-planned for the new date (the notice's nudge may have sent the first of them already).
    assert {("pending", date(2026, 6, 30)), ("sent", date(2026, 6, 30))} & set(rows)


async def test_request_by_command_and_reject(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="清理规范性文件", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as application:
        # Not started: the request and the decision are sent by the tick they nudge.
        application.bot_data["reminders"] = build_reminder_service(settings, engine, application.bot, clock=clock)
        await start_admin_chat(bot_api)
        await bind(bot_api, engine, clock, "省司法厅", GROUP)
        bot_api.add_message(GROUP, "/extend 99999", user_id=502, chat_kind="group")
        await eventually(lambda: "没有编号为 99999" in bot_api.calls_to("sendMessage", GROUP)[-1].params["text"],
                         what="unknown task")
        bot_api.add_message(GROUP, f"/extend {task}", user_id=502, chat_kind="group")
        question = (await eventually(lambda: force_reply_questions(bot_api, GROUP), what="the question"))[-1]
        bot_api.add_message(GROUP, "2026年10月底前", user_id=502, chat_kind="group",
                            reply_to_message_id=question.result["message_id"])
        request = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                             if c.params.get("reply_markup")], what="the request"))[0]
        assert "2026-10-31" in request.params["text"]
        assert task_row(engine, task)[2] == TaskStatus.EXTENSION_REQUESTED
        before = len(bot_api.calls_to("sendMessage", GROUP))
        bot_api.add_callback(ADMIN_CHAT, request.result["message_id"], buttons_of(request)[0][1],
                             user_id=ADMIN_USER)
        told = await eventually(lambda: len(bot_api.calls_to("sendMessage", GROUP)) > before
                                and bot_api.calls_to("sendMessage", GROUP)[-1], what="the unit told")
    assert "未获批准" in told.params["text"] and "2026-06-08" in told.params["text"]
    assert task_row(engine, task) == (date(2026, 6, 8), None, TaskStatus.IN_PROGRESS)
    with session_scope(engine) as session:
        assert session.execute(select(ExtensionRequest.state)).scalar_one() == "rejected"
