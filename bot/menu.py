"""The "/" command menu Telegram shows beside the message box, in the readers' languages.

Everyone gets the unit commands; administrators get those and theirs, in each listed admin
user's private chat and in every active administrators' chat the store knows. Descriptions come
from the catalogues ([menu]): the zh-CN list is published without a language code, which
Telegram shows to every user whose client language has no list of its own; the English list is
published for language_code "en". The menu follows the reader's Telegram language, not the
chat's /lang: Telegram picks the list, per user, before the bot hears anything.

Telegram keeps the lists between runs; publishing them at every start keeps them in step with
the code and the store; a chat that becomes an administrators' chat gets its menu at once. Nothing here is needed for the bot to work, so bot.app only logs a failure.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeChat
from telegram.error import TelegramError

from bot.i18n import DEFAULT_LANGUAGE, Catalogue
from store.db import Engine
from store.extensions import admin_chats

log = logging.getLogger(__name__)

# In menu order; each name is a registered CommandHandler's command and a [menu] key. Every
# registered command but /start is listed: a command missing here is one nobody finds.
UNIT_COMMANDS = ("tasks", "task", "status", "extend", "lang", "help")
ADMIN_COMMANDS = ("upcoming", "overdue", "unit", "doc", "stats", "export", "import", "remind", "digest",
                  "units", "invite", "invites", "revoke", "assign", "close", "cancel", "reopen", "snooze", "edit",
                  "quiet", "unquiet")
# (catalogue language, language_code the list is published under); None: every other language.
MENU_LANGUAGES = ((DEFAULT_LANGUAGE, None), ("en", "en"))


def command_list(names: Sequence[str], texts: Catalogue) -> list[BotCommand]:
    return [BotCommand(name, texts.text(f"menu.{name}")) for name in names]


@dataclass(frozen=True)
class MenusPublished:
    published: int  # setMyCommands calls Telegram accepted
    failed: int  # calls it refused (e.g. "chat not found": an admin user who never opened the bot)


async def publish_command_menus(bot: Bot, engine: Engine, admin_user_ids: Iterable[int]) -> MenusPublished:
    """Set the default menu and each administrators' chat's menu, in zh-CN and English.

    A refused list is logged and skipped, so one unreachable chat leaves the others' menus set.
    """
    stored = await asyncio.to_thread(admin_chats, engine)
    # An admin user's private chat has the user's id, and is often an administrators' chat as well.
    admin_chat_ids = dict.fromkeys([*admin_user_ids, *(chat.telegram_chat_id for chat in stored)])
    menus: list[tuple[BotCommandScope | None, Sequence[str]]] = [(None, UNIT_COMMANDS)]
    menus += [(BotCommandScopeChat(chat_id), UNIT_COMMANDS + ADMIN_COMMANDS) for chat_id in admin_chat_ids]
    return await _publish(bot, menus)


async def publish_admin_menu(bot: Bot, telegram_chat_id: int) -> MenusPublished:
    """The administrators' menu in one chat, the moment it becomes an administrators' chat."""
    return await _publish(bot, [(BotCommandScopeChat(telegram_chat_id), UNIT_COMMANDS + ADMIN_COMMANDS)])


async def _publish(bot: Bot, menus: Sequence[tuple[BotCommandScope | None, Sequence[str]]]) -> MenusPublished:
    published = failed = 0
    for scope, names in menus:
        for language, language_code in MENU_LANGUAGES:
            try:
                await bot.set_my_commands(command_list(names, Catalogue(language)), scope=scope,
                                          language_code=language_code)
            except TelegramError as error:
                where = "the default scope" if scope is None else f"chat {scope.chat_id}"
                log.warning("command menu (%s) for %s not published: %s", language, where, error)
                failed += 1
            else:
                published += 1
    return MenusPublished(published, failed)


async def publish_command_menus_or_warn(bot: Bot, engine: Engine, admin_user_ids: Iterable[int]) -> None:
    """publish_command_menus for post_init: whatever goes wrong, a warning, and the bot starts anyway."""
    try:
        outcome = await publish_command_menus(bot, engine, admin_user_ids)
    except Exception:  # the store unreachable, the network down: the menu is a convenience, not a duty
        log.warning("command menus not published", exc_info=True)
        return
    log.info("command menus published: %d lists (%d refused)", outcome.published, outcome.failed)
