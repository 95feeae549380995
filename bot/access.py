"""Who may act as an administrator in chat: the one rule, in one place.

An administrator's action — every list (/upcoming, /overdue, /unit, /doc, /stats, /invites,
/task in an administrators' chat, the pages under them), every write (/remind, /revoke, /invite,
/digest, /export, /import and its buttons, extension decisions) — is allowed when both hold:

- the Telegram user is listed in telegram.admin_user_ids, and
- the chat is a private chat (the administrator's own) or an administrators' chat
  (BotDeps.may_administer, which /help also asks before it lists these commands).

A member of an administrators' group who is not listed reads nothing and changes nothing: the
group shows what the bot posts on its own (digests, escalations, extension requests), but its
lists are for the listed administrators, as the decision buttons are. A listed administrator in
a unit's chat is a member of that unit there: the unit's members would read what they asked.

Every command and button handler is wrapped by one of the decorators below, which says who it is
for (its `audience`): anyone (/start, /help), any bound chat, a unit's members, or administrators.
The decorator decides before the handler runs; tests/telegram/test_e2e_access.py finds every
registered handler without one.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes

from bot.context import BotDeps, deps_of, known_chat, reply
from bot.i18n import DEFAULT_LANGUAGE, Catalogue
from store.chats import ChatInfo

log = logging.getLogger(__name__)

AdminHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, BotDeps, Catalogue], Awaitable[None]]
ChatHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE, BotDeps, ChatInfo, Catalogue], Awaitable[None]]
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]

# Who a handler is for: the `audience` its decorator marks it with.
ANYONE = "anyone"
BOUND_CHATS = "bound chats"
UNIT_MEMBERS = "unit members"
ADMINISTRATORS = "administrators"


async def administrator_texts(update: Update, deps: BotDeps, *, quiet: bool = False) -> Catalogue | None:
    """The chat's catalogue if an administrator is asking; otherwise None, after one line of refusal
    (or none at all with `quiet`, for what is not addressed to the bot, like a file shared in a group)."""
    known = await known_chat(deps, update)
    user = update.effective_user
    texts = Catalogue(known.language if known else DEFAULT_LANGUAGE)
    if deps.may_administer(user and user.id, update.effective_chat.type, known):
        return texts
    log.info("user %s in chat %s asked for an administrator's action: refused", user and user.id,
             update.effective_chat.id)
    if quiet:
        return None
    if update.callback_query is not None:
        await update.callback_query.answer(texts.text("cmd.admin_only"), show_alert=True)
    else:
        await reply(update, texts.text("cmd.admin_only"))
    return None


def for_administrators(handler: AdminHandler | None = None, *, quiet: bool = False):
    """The PTB callback that runs `handler` (with deps and the chat's catalogue) for administrators
    only; anyone else is refused by administrator_texts. The callback is marked
    `administrators_only`, so tests can find every administrator's handler among those registered."""
    def decorate(handler: AdminHandler) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
        @functools.wraps(handler)
        async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            deps = deps_of(context)
            texts = await administrator_texts(update, deps, quiet=quiet)
            if texts is not None:
                await handler(update, context, deps, texts)
        callback.administrators_only = True
        callback.audience = ADMINISTRATORS
        return callback
    return decorate(handler) if handler is not None else decorate


def for_anyone(handler: Callback) -> Callback:
    """Marks a handler any chat may reach, bound or not (/start binds a chat, /help answers strangers)."""
    handler.audience = ANYONE
    return handler


def for_bound_chats(handler: ChatHandler) -> Callback:
    """The PTB callback that runs `handler` (with deps, the chat's row and its catalogue) in a bound
    chat, a unit's or the administrators'; an unbound chat is ignored (a press only stops spinning)."""
    @functools.wraps(handler)
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        deps = deps_of(context)
        known = await known_chat(deps, update)
        if known is None:
            await _ignore(update)
            return
        await handler(update, context, deps, known, Catalogue(known.language))
    callback.audience = BOUND_CHATS
    return callback


def for_unit_members(handler: ChatHandler | None = None, *, quiet: bool = False):
    """The PTB callback that runs `handler` in a chat bound to a unit. An unbound chat is ignored; the
    administrators' chat hears that the command is a unit's (or nothing with `quiet`)."""
    def decorate(handler: ChatHandler) -> Callback:
        @functools.wraps(handler)
        async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            deps = deps_of(context)
            known = await known_chat(deps, update)
            if known is None or (known.unit_id is None and quiet):
                await _ignore(update)
                return
            texts = Catalogue(known.language)
            if known.unit_id is None:
                await reply(update, texts.text("cmd.unit_only"))
                return
            await handler(update, context, deps, known, texts)
        callback.audience = UNIT_MEMBERS
        return callback
    return decorate(handler) if handler is not None else decorate


async def _ignore(update: Update) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()  # only stops the button's spinner
