"""Telegram handlers: each reads the update, calls into app/ (or store/ to read), and replies from the catalogues.

Access control is server-side and happens before anything is written, in the bot.access
decorator every command and button handler wears:
- a chat that is not bound (to a unit, or as the administrators' chat) gets answers to /start
  and /help only; everything else it sends is ignored;
- a button press is checked against the chat's unit: the task must name that unit, whatever
  the callback data says;
- only the Telegram users listed in telegram.admin_user_ids can make administrators' chats; what
  administrators may do afterwards is app.access's one rule (bot.access applies it to handlers).
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from app import status as status_reports
from bot.access import for_anyone, for_bound_chats, for_unit_members
from bot.compose import TaskView, closed_text, escape, milestone_met_text, recorded_text, task_text
from bot.context import BotDeps, deps_of, known_chat, replanner, reply
from bot.i18n import DEFAULT_LANGUAGE, Catalogue
from bot.keyboards import (
    OTHER_STATUS_PRESS,
    buttons_of,
    due_of_status_data,
    is_list_keyboard,
    list_keyboard_after_report,
    parse_status_data,
    reopen_buttons,
    status_buttons,
)
from bot.menu import publish_admin_menu
from bot.telegram_notifier import clip_html, keyboard
from store import chats, outbox
from store.errors import database_unavailable, first_line
from store.models import TaskStatus

log = logging.getLogger(__name__)

LANGUAGE_CODES = {"zh": "zh-CN", "zh-cn": "zh-CN", "cn": "zh-CN", "中文": "zh-CN", "en": "en", "english": "en"}


# --- binding --------------------------------------------------------------------------------


@for_anyone
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start CODE binds the chat to the invite's unit; an administrator's /start makes an admins' chat."""
    deps = deps_of(context)
    chat, user = update.effective_chat, update.effective_user
    title = chat.title or chat.full_name
    if context.args:
        try:
            info = await asyncio.to_thread(chats.redeem_invite, deps.engine, context.args[0], chat.id, chat.type,
                                           title, DEFAULT_LANGUAGE, deps.clock())
        except chats.InviteError as error:
            log.info("invite refused in chat %s: %s", chat.id, error)
            # A revoked link gets its own sentence: the holder should ask again, not retry.
            key = "tg.invite_revoked" if isinstance(error, chats.RevokedInvite) else "tg.invite_invalid"
            await reply(update, Catalogue(DEFAULT_LANGUAGE).text(key))
            return
        log.info("chat %s bound to unit %s", chat.id, info.unit_id)
        await reply(update, Catalogue(info.language).text("tg.bound", unit=escape(info.unit_name)))
        _replan_soon(context)
        return
    if deps.is_admin_user(user and user.id):
        info = await asyncio.to_thread(chats.bind_admin_chat, deps.engine, chat.id, chat.type, title,
                                       DEFAULT_LANGUAGE, deps.clock())
        await reply(update, Catalogue(info.language).text("tg.admin_bound"))
        _replan_soon(context)
        await publish_admin_menu(context.bot, chat.id)  # a refusal is only logged
        return
    known = await known_chat(deps, update)
    texts = Catalogue(known.language if known else DEFAULT_LANGUAGE)
    await reply(update, texts.text("tg.help" if known else "tg.stranger"))


@for_anyone
async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    deps = deps_of(context)
    known = await known_chat(deps, update)
    texts = Catalogue(known.language if known else DEFAULT_LANGUAGE)
    # Each reader is told the commands they can use, and no others.
    parts = [texts.text("tg.help")]
    if known is not None and known.unit_id is not None:
        parts.append(texts.text("cmd.help_unit"))
    user = update.effective_user
    if deps.may_administer(user and user.id, update.effective_chat.type, known):
        parts.append(texts.text("cmd.help_admin") + "\n" + texts.text("units.help_admin"))
    await reply(update, "\n\n".join(parts))


@for_bound_chats
async def language(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                   texts: Catalogue) -> None:
    """/lang en | /lang zh: the chat's language for everything the bot sends it."""
    user = update.effective_user
    if known.unit_id is None and not deps.may_administer(user and user.id, update.effective_chat.type, known):
        await reply(update, texts.text("cmd.admin_only"))  # an admins' chat's setting
        return
    wanted = LANGUAGE_CODES.get((context.args[0] if context.args else "").lower())
    if wanted is None:
        await reply(update, texts.text("tg.lang_usage"))
        return
    await asyncio.to_thread(chats.set_chat_language, deps.engine, known.id, wanted)
    await reply(update, Catalogue(wanted).text("tg.lang_set"))


def _replan_soon(context: ContextTypes.DEFAULT_TYPE) -> None:
    """A newly bound chat hears about its tasks now, not at the next planning run."""
    service = context.bot_data.get("reminders")
    if service is not None:
        context.application.create_task(service.replan(), name="replan after binding")


def invite_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


async def chat_migrated(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: follow it to its new id."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat.id
    if await asyncio.to_thread(chats.follow_migrated_chat, deps_of(context).engine, old, new):
        log.info("chat %s moved to %s", old, new)


async def bot_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was removed from a group or blocked in a private chat: stop writing there, tell the admins."""
    change = update.my_chat_member
    if change.new_chat_member.status not in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED):
        return
    deps = deps_of(context)
    known = await known_chat(deps, update)
    if known is None:
        return
    reason = "bot was blocked by the user" if change.chat.type == "private" else "bot was removed from the chat"
    now = deps.clock()
    if await asyncio.to_thread(outbox.deactivate_chat, deps.engine, known.id, reason, now):
        log.info("chat %s lost: %s", known.id, reason)  # the administrators' notices are queued with it


# --- the tap and the note -------------------------------------------------------------------


@for_unit_members(quiet=True)
async def status_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                        texts: Catalogue) -> None:
    """✅ / 🔄 / ⚠️ (📅 is bot.extensions.extension_button's: the patterns are disjoint)."""
    await record_status_press(update, context, deps, known, texts)


async def record_status_press(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                              texts: Catalogue) -> None:
    """A status button pressed in a unit's chat: check the unit owns the task, record, redraw the
    message, invite a note."""
    query = update.callback_query
    parsed = parse_status_data(query.data)
    if parsed is None:
        await query.answer(texts.text("tg.unknown_button"))
        return
    task_id, status = parsed
    user = query.from_user
    now = deps.clock()
    try:
        recorded = await asyncio.to_thread(status_reports.report_status, deps.engine, deps.actor(update, known),
                                           task_id, status, now, replan=replanner(context),
                                           shown_due=due_of_status_data(query.data),
                                           verify_done=deps.settings.verify_done)
    except status_reports.TaskClosed as closed:
        await answer_closed_task(update, deps, known, texts, closed)
        return
    except status_reports.NotUnitsTask:
        log.warning("chat %s (unit %s) pressed a button of task %s: refused", known.id, known.unit_id, task_id)
        await query.answer(texts.text("tg.refused"), show_alert=True)
        return
    except status_reports.MilestoneAlreadyMet:
        await query.answer(texts.text("tg.milestone_already_met"))
        return
    shown = buttons_of(query.message)
    if is_list_keyboard(shown):
        # A list of several tasks keeps its text: only this task's row shows what was recorded.
        after = list_keyboard_after_report(shown, task_id, status, recorded.share_status is TaskStatus.DONE)
        try:
            await query.edit_message_reply_markup(reply_markup=keyboard(after))
        except BadRequest as error:
            log.info("could not edit the list in chat %s: %s", known.id, error.message)
        await query.answer(texts.text("batch.answered", id=task_id, status=texts.text(f"status.{status.value}")))
        return
    today = now.astimezone(deps.zone).date()
    hint = texts.text("tg.note_hint")
    if status is TaskStatus.EXTENSION_REQUESTED:
        hint = texts.text("tg.extension_hint") + "\n" + hint
    text = "\n".join([
        task_text(TaskView.of_card(recorded.card), texts, today),
        "",
        recorded_text(texts, user.full_name, now.astimezone(deps.zone), status.value),
        *([milestone_met_text(recorded.milestone, texts, today)] if recorded.milestone else []),
        *share_lines(recorded, texts),
        hint,
    ])
    # A unit done with its share has nothing more to press; a met milestone leaves its buttons for the next one.
    buttons = () if recorded.share_status is TaskStatus.DONE else status_buttons(task_id, texts,
                                                                                  recorded.card.effective_due)
    try:
        await query.edit_message_text(clip_html(text), parse_mode=ParseMode.HTML, reply_markup=keyboard(buttons))
    except BadRequest as error:  # too old to edit, or unchanged: the report is recorded all the same
        log.info("could not edit the message in chat %s: %s", known.id, error.message)
    if recorded.milestone is not None:
        await query.answer(texts.text("tg.answered_milestone", next_due=recorded.milestone.next_due.isoformat()))
    else:
        await query.answer(texts.text("tg.answered", status=texts.text(f"status.{status.value}")))


def share_lines(recorded: status_reports.ReportOutcome, texts: Catalogue) -> list[str]:
    """What a report did beyond itself: the task waits for 销号, or stays open for the lead units."""
    if recorded.card.status is TaskStatus.AWAITING_VERIFICATION:
        return [texts.text("completion.awaiting_verification")]
    if recorded.share_status is TaskStatus.DONE and recorded.card.status is not TaskStatus.DONE:
        return [texts.text("completion.share_done_task_open")]
    return []


async def answer_closed_task(update: Update, deps: BotDeps, known: chats.ChatInfo, texts: Catalogue,
                             closed: status_reports.TaskClosed) -> None:
    """A report on a closed task changed nothing: the press is answered, the chat is told so in a
    message of its own, the old message loses its buttons, and an administrator is offered to reopen."""
    query = update.callback_query
    user = update.effective_user
    may_reopen = deps.may_administer(user and user.id, update.effective_chat.type, known)
    text = "\n".join([closed_text(closed.status.value, closed.closed_at, closed.verified, texts, deps.zone,
                                  pressed=query is not None),
                      texts.text("completion.closed_offer_reopen" if may_reopen else "completion.closed_ask_admin")])
    if query is not None:
        await query.answer(texts.text("completion.closed_answer"))
        try:
            await query.edit_message_reply_markup(reply_markup=None)
        except BadRequest as error:  # too old to edit: the refusal below says it all the same
            log.info("could not clear the buttons in chat %s: %s", known.id, error.message)
    await reply(update, text, keyboard(reopen_buttons(closed.task_id, texts)) if may_reopen else None)


async def note_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reply to the bot's message about a task: a note in the task's history, under its writer's name.

    What bot.reply_router does with a reply that answers no question of the bot's."""
    deps = deps_of(context)
    message = update.effective_message
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    known = await known_chat(deps, update)
    if known is None or known.unit_id is None:
        return
    task_ids = await asyncio.to_thread(chats.tasks_of_message, deps.engine, known.id, replied.message_id)
    if not task_ids:
        return
    texts = Catalogue(known.language)
    if len(task_ids) > 1:  # a list of several tasks: which one the note is about cannot be known
        await reply(update, texts.text("batch.note_which_task", id=task_ids[0]))
        return
    task_id = task_ids[0]
    report_id = await asyncio.to_thread(status_reports.add_note, deps.engine, deps.actor(update, known), task_id,
                                        message.text, deps.clock())
    if report_id is not None:
        await reply(update, texts.text("tg.note_saved"))


# --- what no handler could finish ----------------------------------------------------------


async def answer_failure(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """PTB's error handler: a chat whose update could not be handled hears one line, never silence.

    While the database is down every handler fails at its first query; the chat is told to try
    again later, and the next update after the database is back is answered as usual (the engine
    checks a pooled connection before use, so nothing needs a restart). The line is in the language
    the chat had when it was last heard from (the default for a chat not heard from since the start).
    """
    error = context.error
    if database_unavailable(error):
        log.warning("database unavailable: %s", first_line(error))
        key = "tg.db_unavailable"
    elif not isinstance(update, Update):  # polling or a background task: nobody to answer
        log.warning("error outside any update: %s", error, exc_info=not isinstance(error, TelegramError))
        return
    else:
        log.error("could not handle update %s", update.update_id, exc_info=error)
        key = "tg.failed"
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    text = Catalogue(deps_of(context).languages.get(update.effective_chat.id, DEFAULT_LANGUAGE)).text(key)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(text, do_quote=False)
    except TelegramError as failure:
        log.info("could not tell chat %s: %s", update.effective_chat.id, failure)


HANDLERS = (
    CommandHandler("start", start),
    CommandHandler("help", help_command),
    CommandHandler("lang", language),
    CallbackQueryHandler(status_button, pattern=OTHER_STATUS_PRESS),
    MessageHandler(filters.StatusUpdate.MIGRATE, chat_migrated),
    ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
)
