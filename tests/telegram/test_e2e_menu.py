"""The "/" command menus over real HTTP: zh-CN for everyone, English for English clients, and the
administrators' commands only in administrators' chats."""
from __future__ import annotations

import logging
import re

from sqlalchemy import create_engine
from telegram.ext import CommandHandler

from bot.app import HANDLER_MODULES, build_application
from bot.i18n import Catalogue
from bot.menu import ADMIN_COMMANDS, UNIT_COMMANDS, publish_command_menus, publish_command_menus_or_warn
from store import chats
from tests.telegram.conftest import ADMIN_USER, eventually, running_bot

ADMINS_GROUP = -7001


def menus(bot_api) -> dict[tuple[object, str | None], list[str]]:
    """{(scope chat id or "default", language_code): [command, ...]} of the lists the server accepted."""
    recorded = {}
    for call in bot_api.calls_to("setMyCommands"):
        if call.result is not True:
            continue
        scope = call.params.get("scope") or {"type": "default"}
        where = scope.get("chat_id", scope["type"])
        recorded[(where, call.params.get("language_code") or None)] = call.params["commands"]
    return recorded


def names(commands) -> list[str]:
    return [c["command"] for c in commands]


async def test_menus_in_both_languages_and_admin_commands_only_for_administrators(bot_api, settings, engine,
                                                                                   clock):
    chats.bind_admin_chat(engine, ADMINS_GROUP, "group", "督查室", "zh-CN", clock())
    async with running_bot(settings, engine, clock) as application:
        outcome = await publish_command_menus(application.bot, engine, settings.admin_user_ids)
    assert (outcome.published, outcome.failed) == (6, 0)
    recorded = menus(bot_api)
    assert set(recorded) == {("default", None), ("default", "en"), (ADMIN_USER, None), (ADMIN_USER, "en"),
                             (ADMINS_GROUP, None), (ADMINS_GROUP, "en")}

    zh, en = recorded[("default", None)], recorded[("default", "en")]
    assert names(zh) == names(en) == list(UNIT_COMMANDS)
    assert "upcoming" not in names(zh)
    by_name = {c["command"]: c["description"] for c in zh}
    assert by_name["tasks"] == "本单位未完成的任务"
    assert {c["command"]: c["description"] for c in en}["tasks"] == "Your unit's open tasks"

    for chat_id in (ADMIN_USER, ADMINS_GROUP):
        admin = names(recorded[(chat_id, None)])
        assert "upcoming" in admin and "revoke" in admin and admin[:len(UNIT_COMMANDS)] == list(UNIT_COMMANDS)
        assert names(recorded[(chat_id, "en")]) == admin
    admin_menu = {c["command"]: c["description"] for c in recorded[(ADMIN_USER, None)]}
    assert admin_menu["revoke"] == "撤销邀请：/revoke 邀请编号"
    assert admin_menu["reopen"] == "重新打开已办结的任务：/reopen 任务编号"


async def test_a_refused_list_is_a_warning_and_the_others_are_still_published(bot_api, settings, engine, clock,
                                                                              caplog, tmp_path):
    # An admin user who never opened a chat with the bot: Telegram knows no such chat.
    bot_api.fail(ADMIN_USER, 400, "Bad Request: chat not found")
    chats.bind_admin_chat(engine, ADMINS_GROUP, "group", "督查室", "zh-CN", clock())
    async with running_bot(settings, engine, clock) as application:
        outcome = await publish_command_menus(application.bot, engine, settings.admin_user_ids)
        unreachable = create_engine(f"sqlite:///{tmp_path}/no-such-dir/deadline.sqlite3")
        with caplog.at_level(logging.WARNING, logger="bot.menu"):
            await publish_command_menus_or_warn(application.bot, unreachable, settings.admin_user_ids)
    assert (outcome.published, outcome.failed) == (4, 2)
    assert (ADMINS_GROUP, None) in menus(bot_api) and (ADMIN_USER, None) not in menus(bot_api)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == ["command menu (zh-CN) for chat 900001 not published: Chat not found",
                        "command menu (en) for chat 900001 not published: Chat not found",
                        "command menus not published"]


def test_every_menu_entry_is_a_registered_command_with_a_short_description_in_both_languages():
    registered = {command for module in HANDLER_MODULES for handler in module.HANDLERS
                  if isinstance(handler, CommandHandler) for command in handler.commands}
    assert set(UNIT_COMMANDS + ADMIN_COMMANDS) <= registered
    assert len(UNIT_COMMANDS + ADMIN_COMMANDS) == len(set(UNIT_COMMANDS + ADMIN_COMMANDS)) <= 100
    for language in ("zh-CN", "en"):
        texts = Catalogue(language)
        for name in UNIT_COMMANDS + ADMIN_COMMANDS:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", name)
            assert 1 <= len(texts.text(f"menu.{name}")) <= 256 and "\n" not in texts.text(f"menu.{name}")


def test_every_registered_command_but_start_is_in_a_menu_and_administrators_commands_in_theirs(settings, engine):
    application = build_application(settings, engine, start_reminders=False)
    handlers = [h for group in application.handlers.values() for h in group if isinstance(h, CommandHandler)]
    registered = {command for handler in handlers for command in handler.commands}
    assert registered - {"start"} == set(UNIT_COMMANDS + ADMIN_COMMANDS)
    administrators_only = {command for handler in handlers if getattr(handler.callback, "administrators_only", False)
                           for command in handler.commands}
    assert administrators_only == set(ADMIN_COMMANDS)


async def test_a_chat_that_becomes_an_administrators_chat_gets_the_admin_menu_at_once(bot_api, settings, engine,
                                                                                       clock):
    new_group = -7002
    strangers = -7003
    async with running_bot(settings, engine, clock):
        bot_api.add_message(strangers, "/start", user_id=12345, chat_kind="group")
        bot_api.add_message(new_group, "/start", user_id=ADMIN_USER, chat_kind="group")
        await eventually(lambda: (new_group, "en") in menus(bot_api), what="the group's menus")
    recorded = menus(bot_api)
    assert "upcoming" in names(recorded[(new_group, None)])
    assert names(recorded[(new_group, "en")]) == names(recorded[(new_group, None)])
    # Only that chat got a menu: a stranger's /start publishes nothing.
    assert {where for where, _ in recorded} == {new_group}
