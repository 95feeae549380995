"""The bot restarted while it waited for an answer: the unit's reply to "which date?" and the
administrator's ✅ under a plan preview still land, because what they answer lives in the store."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from bot.app import build_reminder_service
from store.db import session_scope
from store.models import Document, ExtensionRequest, PendingImport, PendingQuestion, Task, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot
from tests.telegram.test_e2e_export_import import PLAN, summaries
from tests.telegram.test_e2e_extensions import GROUP, ask_for_extension, start_admin_chat
from tests.telegram.test_e2e_reminders import buttons_of

ADMIN_CHAT = ADMIN_USER


def count(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def expired_answers(bot_api):
    return [c for c in bot_api.calls_to("answerCallbackQuery") if "已失效" in (c.params.get("text") or "")]


async def test_a_proposed_date_after_a_restart_reaches_the_administrators(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    task = add_task(engine, title="完善行政复议案件审理机制", units=((unit, UnitRole.LEAD),))
    async with running_bot(settings, engine, clock) as first_run:
        await start_admin_chat(bot_api)
        question = await ask_for_extension(bot_api, settings, engine, clock, first_run, task)
        await eventually(lambda: count(engine, PendingQuestion) == 1, what="the question stored")

    # A new process, the same database: the unit answers the question asked before the restart.
    async with running_bot(settings, engine, clock) as second_run:
        second_run.bot_data["reminders"] = build_reminder_service(settings, engine, second_run.bot, clock=clock)
        bot_api.add_message(GROUP, "9月30日，需等待省级审批", user_id=502, first_name="王", chat_kind="group",
                            reply_to_message_id=question.result["message_id"])
        request = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                             if c.params.get("reply_markup")], what="the request"))[0]
        await eventually(lambda: "已提交管理员审核" in bot_api.calls_to("sendMessage", GROUP)[-1].params["text"],
                         what="the unit told")

    assert "延期申请" in request.params["text"] and "2026-09-30" in request.params["text"]
    with session_scope(engine) as session:
        stored = session.execute(select(ExtensionRequest)).scalar_one()
        assert (stored.task_id, stored.unit_id, stored.telegram_user_id, stored.proposed_due, stored.state) == (
            task, unit, 502, date(2026, 9, 30), "pending")
    assert buttons_of(request) == [[f"ext:{stored.id}:a", f"ext:{stored.id}:r"]]
    assert count(engine, PendingQuestion) == 0  # answered: forgotten with the request stored


async def test_a_plan_confirmed_after_a_restart_is_imported_once(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "海南数字政府.txt", user_id=ADMIN_USER)
        summary = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        await eventually(lambda: count(engine, PendingImport) == 1, what="the preview stored")
    assert count(engine, Task) == 0

    async with running_bot(settings, engine, clock):
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="the import"))[-1]
        assert "已导入" in edit.params["text"] and "任务 3 项" in edit.params["text"]
        assert not edit.params.get("reply_markup")

        # The same button pressed again (a second tap, a slow client): expired, nothing more imported.
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        answer = (await eventually(lambda: expired_answers(bot_api), what="expired"))[0]
        assert answer.params["show_alert"] is True

    assert len(bot_api.calls_to("editMessageText", ADMIN_CHAT)) == 1
    assert (count(engine, Document), count(engine, Task), count(engine, PendingImport)) == (1, 3, 0)


async def test_a_plan_preview_expires_after_two_days(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "plan.txt", user_id=ADMIN_USER)
        summary = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        await eventually(lambda: count(engine, PendingImport) == 1, what="the preview stored")
        clock.advance(hours=49)
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        await eventually(lambda: expired_answers(bot_api), what="expired")
    assert (count(engine, Task), count(engine, PendingImport)) == (0, 0)
