"""What every chat handler shares: the dependencies kept in bot_data, the chat a message came
from, the HTML reply, who is reporting, and the re-plan hook a use case runs in its transaction.

Handler modules import these from here, never from one another, so no module of handlers is
another's library and the order they are registered in says nothing about what they share.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update, User
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from app import access
from bot.config import Settings
from bot.telegram_notifier import clip_html
from store import chats
from store.db import Engine

# How long a person waits for the re-plan their action asked for before being answered anyway
# (the re-plan then finishes in the background: scheduler.service.ReminderService.replan_within).
REPLAN_BUDGET_SECONDS = 10.0


@dataclass
class BotDeps:
    """What the handlers need, kept in application.bot_data["deps"]."""

    engine: Engine
    settings: Settings
    clock: Callable[[], datetime]
    # The language each bound chat was last seen with: what answer_failure speaks when the
    # database, which keeps it, cannot be asked.
    languages: dict[int, str] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def is_admin_user(self, user_id: int | None) -> bool:
        return access.is_admin_user(self.settings.admin_user_ids, user_id)

    def may_administer(self, user_id: int | None, chat_type: str | None, known: chats.ChatInfo | None) -> bool:
        """The one rule for administrators' actions (app.access.may_administer): a listed
        administrator user, in a private chat or in an administrators' chat."""
        return access.may_administer(self.settings.admin_user_ids, user_id, chat_type,
                                     known is not None and known.is_admin)

    def actor(self, update: Update, known: chats.ChatInfo | None) -> access.Actor:
        """Who is acting in this update, as the application layer sees them."""
        user = update.effective_user
        return access.chat_actor(self.settings.admin_user_ids, user and user.id, update.effective_chat.type,
                                 chat_id=known and known.id, unit_id=known and known.unit_id,
                                 in_admin_chat=known is not None and known.is_admin, user_name=reporter_name(user))


def deps_of(context: ContextTypes.DEFAULT_TYPE) -> BotDeps:
    return context.bot_data["deps"]


def today_of(deps: BotDeps) -> date:
    """Today in the plan's time zone, by the bot's clock."""
    return deps.clock().astimezone(deps.zone).date()


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer in the update's chat: HTML, clipped to Telegram's limit, not quoting the message."""
    await update.effective_message.reply_text(clip_html(text), parse_mode=ParseMode.HTML, reply_markup=markup,
                                              do_quote=False)


async def bound_chat(engine: Engine, telegram_chat_id: int) -> chats.ChatInfo | None:
    """The chat's row if it is active and bound (to a unit, or as the administrators' chat), else None."""
    info = await asyncio.to_thread(chats.chat_by_telegram_id, engine, telegram_chat_id)
    if info is None or not info.active or (info.unit_id is None and not info.is_admin):
        return None
    return info


async def known_chat(deps: BotDeps, update: Update) -> chats.ChatInfo | None:
    """The chat's row if it is bound and active; None means: ignore this update."""
    info = await bound_chat(deps.engine, update.effective_chat.id)
    if info is not None:
        deps.languages[info.telegram_chat_id] = info.language
    return info


def reporter_name(user: User | None) -> str | None:
    """The name a report keeps of who sent it: "王 科长 (@wang_kz)", or just "王 科长".

    The full name is what colleagues recognise, but anyone can type any full name (two people
    may both be "王 科长"); the @username is unique to the account, so it is kept alongside when
    there is one. Telegram caps a full name at 129 characters and a username at 32, well within
    the column's 200; the store clips anyway.
    """
    if user is None:
        return None
    return f"{user.full_name} (@{user.username})" if user.username else user.full_name


def replanner(context: ContextTypes.DEFAULT_TYPE) -> chats.Replanner | None:
    """What re-plans a task's reminders inside the transaction of its status report (None without the engine)."""
    service = context.bot_data.get("reminders")
    return None if service is None else service.replan_in
