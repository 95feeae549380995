"""One access rule for every administrator's action (bot.access), over real HTTP.

The commands and buttons are enumerated from the handlers the application registers, so a new
administrator's command is covered the day it is added: it must be refused to an ordinary
member of an administrators' group, or the test fails.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import access
from bot.app import build_application
from bot.menu import ADMIN_COMMANDS
from store import chats, extensions
from store.db import session_scope
from store.models import ExtensionRequest, Invite, Reminder, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_unit

ADMINS_GROUP = -7001
MEMBER = 555  # in the administrators' group, not in admin_user_ids
REFUSAL = "只有管理员可以使用这个命令。"
SECRET = "只给管理员看的任务标题"
# Commands anyone may send (answered with help), and a unit's own: in an administrators' chat the
# latter concern no unit and touch nothing. Every other registered command is an administrator's.
EVERYONE = {"start", "help"}
UNIT_ONLY = {"tasks", "status", "extend"}
# Callback data that reaches each administrator's button handler (by the callback's name).
ADMIN_BUTTONS = {"admin_page": "pg:upcoming:14:1", "decision_button": "ext:{request}:a", "import_answer": "imp:c",
                 "verify_button": "vf:{task}:v", "reopen_button": "ro:{task}",
                 "units_page": "pg:units::1", "sheet_answer": "sht:a", "escalation_button": "es:r:{task}"}
UNIT_BUTTONS = {"status_button", "extension_button", "tasks_page"}


def registered(settings, engine):
    application = build_application(settings, engine, start_reminders=False)
    return [h for group in application.handlers.values() for h in group]


def test_every_command_not_for_everyone_or_units_is_an_administrators_and_marked_so(settings, engine):
    handlers = registered(settings, engine)
    commands = {c for h in handlers if isinstance(h, CommandHandler) for c in h.commands}
    marked = {c for h in handlers if isinstance(h, CommandHandler) and getattr(h.callback, "administrators_only",
                                                                                False) for c in h.commands}
    assert set(ADMIN_COMMANDS) <= commands
    assert set(ADMIN_COMMANDS) <= marked  # every command the admins' menu lists goes through bot.access
    buttons = {h.callback.__name__ for h in handlers if isinstance(h, CallbackQueryHandler)}
    assert buttons == set(ADMIN_BUTTONS) | UNIT_BUTTONS, "a new button: say whose it is"
    assert {h.callback.__name__ for h in handlers if isinstance(h, CallbackQueryHandler)
            and getattr(h.callback, "administrators_only", False)} == set(ADMIN_BUTTONS)


def test_every_command_and_button_says_who_it_is_for_through_bot_access(settings, engine):
    handlers = [h for h in registered(settings, engine) if isinstance(h, (CommandHandler, CallbackQueryHandler))]
    unmarked = sorted(h.callback.__name__ for h in handlers if not hasattr(h.callback, "audience"))
    assert unmarked == [], "wrap these in a bot.access decorator"
    audience = {c: h.callback.audience for h in handlers if isinstance(h, CommandHandler) for c in h.commands}
    assert {c for c, who in audience.items() if who == access.ANYONE} == EVERYONE
    assert {c for c, who in audience.items() if who == access.UNIT_MEMBERS} == UNIT_ONLY
    assert {c for c, who in audience.items() if who == access.ADMINISTRATORS} >= set(ADMIN_COMMANDS)
    assert {h.callback.__name__ for h in handlers if h.callback.audience == access.UNIT_MEMBERS} >= {
        "status_button", "extension_button"}


async def test_an_ordinary_member_of_the_administrators_group_is_refused_everything(bot_api, settings, engine,
                                                                                    clock):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [(SECRET, ((unit, UnitRole.LEAD),), TODAY - timedelta(days=2),
                                          TaskStatus.OPEN)])
    unit_chat = bind_unit(engine, clock, "省司法厅", -5001)
    admins = chats.bind_admin_chat(engine, ADMINS_GROUP, "group", "督查室", "zh-CN", clock())
    invite = chats.create_invite(engine, "省司法厅", timedelta(hours=72), clock(), created_by=ADMIN_USER)
    request = extensions.request_extension(engine, task, unit_chat.id, unit, 502, date(2026, 7, 31), "等待审批",
                                           clock())
    handlers = registered(settings, engine)
    commands = sorted({c for h in handlers if isinstance(h, CommandHandler) for c in h.commands}
                      - EVERYONE - UNIT_ONLY)
    arguments = {"unit": "省司法厅", "invite": "省司法厅", "invites": "省司法厅", "lang": "en",
                 "revoke": str(invite.invite_id), "remind": str(task), "task": str(task), "doc": "1",
                 "reopen": str(task)}
    async with running_bot(settings, engine, clock):
        for command in commands:
            text = f"/{command} {arguments.get(command, '')}".strip()
            answer = await ask(bot_api, ADMINS_GROUP, text, user_id=MEMBER)
            assert answer.params["text"] == REFUSAL, text
            assert not answer.params.get("reply_markup"), text
        for command in sorted(UNIT_ONLY):  # a unit's commands: at most a line saying they are for units
            bot_api.add_message(ADMINS_GROUP, f"/{command} {task} done", user_id=MEMBER, chat_kind="group")
        await ask(bot_api, ADMINS_GROUP, "/help", user_id=MEMBER)  # one chat's updates are handled in order
        assert not [c for c in bot_api.calls_to("sendMessage", ADMINS_GROUP) if SECRET in c.params["text"]]

        # The buttons under administrators' messages, pressed by the member.
        under = bot_api.add_message(ADMINS_GROUP, "（一条消息）", user_id=ADMIN_USER, chat_kind="group")["message"]
        for name, data in sorted(ADMIN_BUTTONS.items()):
            bot_api.add_callback(ADMINS_GROUP, under["message_id"], data.format(request=request.id, task=task), user_id=MEMBER)
        refusals = await eventually(
            lambda: len(answers := [c for c in bot_api.calls_to("answerCallbackQuery")
                                    if c.params.get("text") == REFUSAL]) >= len(ADMIN_BUTTONS) and answers,
            what="the buttons refused")
        assert all(c.params["show_alert"] for c in refusals)

        # A plan file from the member: not addressed to the bot, so no answer and no download at all.
        bot_api.add_document(ADMINS_GROUP, "某县2027年工作要点\n\n1. 做一件事。\n".encode(), "plan.txt", user_id=MEMBER,
                             chat_kind="group")
        # Updates of one chat are handled in order: once this is answered, the file was seen.
        await ask(bot_api, ADMINS_GROUP, "/help", user_id=MEMBER)
        assert not bot_api.calls_to("getFile")

        # The same commands from the listed administrator in the same group are answered.
        listed = await ask(bot_api, ADMINS_GROUP, "/overdue", user_id=ADMIN_USER)
        assert "已逾期的任务（1 项）" in listed.params["text"]

    with session_scope(engine) as session:
        assert session.execute(select(Reminder)).first() is None  # /remind queued nothing
        stored = session.execute(select(Invite)).scalars().all()
        assert len(stored) == 2 and all(i.revoked_at is None for i in stored)  # the unit's and ours: no new, none revoked
        assert session.execute(select(ExtensionRequest.state)).scalar_one() == "pending"
    assert chats.chat_by_telegram_id(engine, ADMINS_GROUP).language == admins.language == "zh-CN"  # /lang en


async def test_a_listed_administrator_in_a_units_group_is_not_an_administrator_there(bot_api, settings, engine,
                                                                                     clock):
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "计划", [("别的单位也在的任务", ((unit, UnitRole.LEAD),), TODAY - timedelta(days=2),
                               TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    async with running_bot(settings, engine, clock):
        for text in ("/overdue", "/invites", "/export", "/revoke 1"):
            answer = await ask(bot_api, -5001, text, user_id=ADMIN_USER)
            assert answer.params["text"] == REFUSAL, text
        # In the administrator's own private chat, bound or not, the same command is answered.
        own = await ask(bot_api, ADMIN_USER, "/overdue", user_id=ADMIN_USER, kind="private")
    assert "别的单位也在的任务" in own.params["text"]
