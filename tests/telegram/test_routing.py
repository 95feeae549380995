"""Handlers are found by what they match, never by the order they were registered in.

Every update the bot can receive is taken by exactly one registered handler (across all groups),
and the scenarios where replies and buttons used to depend on the order (a note, a proposed date,
a send-back reason, the 📅 button) still work with the handler modules registered backwards or
shuffled.
"""
from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from telegram import CallbackQuery, Chat, Document, Message, Update, User
from telegram.ext import BaseHandler, CommandHandler

import bot.app
from bot.app import build_application
from bot.keyboards import status_data
from store.models import TaskStatus
# The scenarios are the modules' own tests, run again here (imported as modules, so pytest does
# not collect them a second time under this file's name).
from tests.telegram import test_e2e_completion, test_e2e_extensions, test_e2e_proposed_dates, test_e2e_reminders

USER = User(42, "王", False)
CHAT = Chat(-5001, "group")
WHEN = datetime(2026, 6, 1, tzinfo=UTC)

# Callback data the bot draws (status buttons with and without the due date a ✅ carries, page
# buttons of every list, decisions, verification, reopening, import and sheet previews) and forged
# data a client could send: each must reach one handler, the forged ones to be refused there.
DRAWN = [status_data(7, status) for status in TaskStatus if status in (
    TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.EXTENSION_REQUESTED)] + [
    status_data(7, TaskStatus.DONE, WHEN.date()),
    "pg:tasks:3:1", "pg:upcoming:14:1", "pg:overdue::0", "pg:unit:3:2", "pg:doc:5:1", "pg:stats::1",
    "pg:invites::1", "pg:units::1", "ext:9:a", "ext:9:r", "vf:7:v", "vf:7:b", "ro:7",
    "imp:c", "imp:r", "imp:x", "sht:a", "sht:x",
]
FORGED = ["st:7:x:20260601", "st:7:q", "st:x", "st:", "st:99999999999999999999:x", "vf:7:q", "ro:", "pg:tasks:"]


def all_handlers(application) -> list[BaseHandler]:
    return [handler for group in application.handlers.values() for handler in group]


def takers(application, update: Update) -> list[str]:
    return [handler.callback.__name__ for handler in all_handlers(application) if handler.check_update(update)]


def press(data: str) -> Update:
    return Update(1, callback_query=CallbackQuery("1", USER, "chat-instance", data=data,
                                                  message=Message(5, WHEN, CHAT, text="任务")))


def message(**kwargs) -> Update:
    return Update(1, message=Message(6, WHEN, CHAT, from_user=USER, **kwargs))


@pytest.fixture(params=["as shipped", "reversed", "shuffled"])
def application(request, monkeypatch, settings, engine):
    monkeypatch.setattr(bot.app, "HANDLER_MODULES", ordered(request.param))
    return build_application(settings, engine, start_reminders=False)


def ordered(order: str) -> tuple:
    modules = list(bot.app.HANDLER_MODULES)
    if order == "reversed":
        modules.reverse()
    elif order == "shuffled":
        random.Random(11).shuffle(modules)
    return tuple(modules)


@pytest.mark.parametrize("data", DRAWN + FORGED)
def test_every_button_press_is_taken_by_exactly_one_handler(application, data):
    assert len(takers(application, press(data))) == 1, takers(application, press(data))


def test_the_extension_button_and_the_other_status_buttons_have_their_own_handlers(application):
    assert takers(application, press(status_data(7, TaskStatus.EXTENSION_REQUESTED))) == ["extension_button"]
    for status in (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED):
        assert takers(application, press(status_data(7, status))) == ["status_button"]


def test_a_text_reply_is_read_by_one_handler_that_routes_it(application):
    replied = Message(5, WHEN, CHAT, text="请提出新的期限")
    assert takers(application, message(text="2026-12-31", reply_to_message=replied)) == ["text_reply"]


def test_other_messages_are_taken_by_one_handler_each(application):
    assert takers(application, message(document=Document("f", "u", file_name="计划.docx"))) == ["plan_document"]
    assert takers(application, message(migrate_to_chat_id=-100500)) == ["chat_migrated"]
    assert takers(application, message(text="随便说说")) == []  # not a reply, not a command: nobody's


def test_no_command_is_registered_twice(application):
    commands = [c for h in all_handlers(application) if isinstance(h, CommandHandler) for c in h.commands]
    assert len(commands) == len(set(commands))


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
@pytest.mark.parametrize("scenario", [
    test_e2e_reminders.test_bind_remind_tap_done_and_add_a_note,
    test_e2e_extensions.test_request_approve_moves_the_due_date_and_replans,
    test_e2e_extensions.test_request_by_command_and_reject,
    test_e2e_proposed_dates.test_a_past_date_is_refused_and_a_relative_one_counts_from_today,
    test_e2e_completion.test_the_office_sends_a_task_back_with_a_reason_the_lead_hears,
], ids=lambda scenario: scenario.__name__.removeprefix("test_"))
async def test_reply_and_button_scenarios_do_not_depend_on_registration_order(order, scenario, monkeypatch,
                                                                             bot_api, settings, engine, clock):
    monkeypatch.setattr(bot.app, "HANDLER_MODULES", ordered(order))
    await scenario(bot_api, settings, engine, clock)
