"""Extension requests in chat: 📅 申请延期 (or /extend ID) → the unit proposes a date → administrators decide.

The question the bot asks is kept in the store (store.pending, keyed by chat and message id),
so a reply still finds its task after a restart; the reply is the proposed date, read with the
extractor's time expressions, and storing the request forgets the question in the same
transaction. The 📅 button has a pattern of its own (bot.keyboards.EXTENSION_PRESS, disjoint
from the other status buttons'): it records the status as any status button does and then asks;
bot.reply_router hands this module the replies that answer its question. Both checks that matter
are made on the server: the task must name the chat's unit, and only an administrator may decide
(bot.access refuses anyone else before the handler runs, and app.extensions checks again). The
rules are app.extensions'; this module parses and renders.
"""
from __future__ import annotations

import asyncio
import logging
import re

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from app import extensions as extension_requests
from bot.compose import escape
from bot.access import for_administrators, for_unit_members
from bot.context import BotDeps, deps_of, known_chat, replanner
from bot.handlers import record_status_press
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_number
from bot.keyboards import EXTENSION_PRESS, parse_status_data
from bot.telegram_notifier import clip_html, keyboard
from store import chats, extensions, pending
from store.models import CLOSED_STATUSES

log = logging.getLogger(__name__)

_DECISION = re.compile(r"^ext:([0-9]+):([ar])$")


def decision_data(request_id: int, approve: bool) -> str:
    return f"ext:{request_id}:{'a' if approve else 'r'}"


async def _ask(context: ContextTypes.DEFAULT_TYPE, telegram_chat_id: int, card: chats.TaskCard,
               texts: Catalogue, prefix: str = "") -> None:
    """Ask the unit for a date; the answer is a reply to this very message."""
    due = card.effective_due.isoformat() if card.effective_due else "—"
    text = prefix + texts.text("ext.ask", label=escape(card.label), title=escape(card.title), due=due)
    sent = await context.bot.send_message(telegram_chat_id, clip_html(text), parse_mode=ParseMode.HTML,
                                          reply_markup=ForceReply(selective=False))
    deps = deps_of(context)
    await asyncio.to_thread(pending.remember_question, deps.engine, telegram_chat_id, sent.message_id,
                            pending.EXTENSION_DATE, card.task_id, card.unit_id, deps.clock())


@for_unit_members(quiet=True)
async def extension_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                           texts: Catalogue) -> None:
    """📅 申请延期: the status is recorded as for any status button; then the bot asks for the date."""
    await record_status_press(update, context, deps, known, texts)
    parsed = parse_status_data(update.callback_query.data)
    if parsed is None:  # record_status_press answered it as an unknown button
        return
    task_id = parsed[0]
    card = await asyncio.to_thread(chats.task_card, deps.engine, task_id, known.unit_id)
    if card is None or card.status in CLOSED_STATUSES:  # record_status_press refused it
        return
    await _ask(context, update.effective_chat.id, card, texts)


@for_unit_members(quiet=True)
async def extend_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                         texts: Catalogue) -> None:
    """/extend ID: the same question as the button, for a task of this chat's unit."""
    arg = (context.args or [""])[0]
    task_id = parse_number(arg)
    if task_id is None:
        await update.effective_message.reply_text(texts.text("ext.usage"), do_quote=False)
        return
    card = None
    if is_stored_id(task_id):
        card = await asyncio.to_thread(chats.task_card, deps.engine, task_id, known.unit_id)
    if card is None:
        await update.effective_message.reply_text(texts.text("ext.not_found", task=escape(arg)),
                                                  parse_mode=ParseMode.HTML, do_quote=False)
        return
    await _ask(context, update.effective_chat.id, card, texts)


async def answer_proposed_date(update: Update, context: ContextTypes.DEFAULT_TYPE,
                               question: pending.OpenQuestion) -> None:
    """A reply to the bot's question (bot.reply_router found it): read the date, store the request,
    send it to the administrators."""
    message = update.effective_message
    replied = message.reply_to_message
    deps = deps_of(context)
    task_id = question.task_id
    known = await known_chat(deps, update)
    if known is None or known.unit_id is None:
        return
    texts = Catalogue(known.language)
    now = deps.clock()
    card = await asyncio.to_thread(chats.task_card, deps.engine, task_id, known.unit_id)
    if card is None:
        return
    user = message.from_user
    try:
        request = await asyncio.to_thread(extension_requests.request_extension, deps.engine,
                                          deps.actor(update, known), task_id, message.text, now,
                                          now.astimezone(deps.zone).date(),
                                          answers=(message.chat_id, replied.message_id))
    except extension_requests.ProposedDateUnreadable:
        await _ask(context, message.chat_id, card, texts, prefix=texts.text("ext.hint") + "\n")
        return
    except extension_requests.ProposedDateNotLater as error:
        await _ask(context, message.chat_id, card, texts,
                   prefix=texts.text("ext.past", date=error.proposed.isoformat()) + "\n")
        return
    except extension_requests.NotUnitsTask:
        return
    await message.reply_text(texts.text("ext.sent", due=request.proposed_due.isoformat()), parse_mode=ParseMode.HTML,
                             do_quote=False)
    await _tell_admins(context, request, user.full_name if user else "—")


async def _tell_admins(context: ContextTypes.DEFAULT_TYPE, request: extensions.ExtensionInfo, who: str) -> None:
    deps = deps_of(context)
    for admin in await asyncio.to_thread(extensions.admin_chats, deps.engine):
        texts = Catalogue(admin.language)
        text = texts.text(
            "ext.request", unit=escape(request.unit_name), label=escape(request.label), title=escape(request.title),
            plan=escape(request.document_title),
            due=request.effective_due.isoformat() if request.effective_due else "—",
            proposed=request.proposed_due.isoformat(), who=escape(who),
            reason=escape(request.reason) if request.reason else texts.text("ext.no_reason"))
        buttons = (((texts.text("ext.button_approve"), decision_data(request.id, True)),
                    (texts.text("ext.button_reject"), decision_data(request.id, False))),)
        try:
            await context.bot.send_message(admin.telegram_chat_id, clip_html(text), parse_mode=ParseMode.HTML,
                                           reply_markup=keyboard(buttons))
        except TelegramError as error:  # one unreachable admins' chat must not keep the others uninformed
            log.warning("could not send extension request %s to chat %s: %s", request.id, admin.telegram_chat_id,
                        error)


@for_administrators
async def decision_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                          texts: Catalogue) -> None:
    """✅ 批准 / ❌ 驳回: an administrator decides, once."""
    query = update.callback_query
    request_id, code = _DECISION.match(query.data).groups()
    user = query.from_user
    approve = code == "a"
    try:
        # The decision and the re-plan of the task's reminders commit together (replanner).
        decided = await asyncio.to_thread(extension_requests.decide_extension, deps.engine,
                                          deps.actor(update, await known_chat(deps, update)), int(request_id), approve,
                                          deps.clock(), replan=replanner(context))
    except extension_requests.AlreadyDecided as error:
        await query.answer(texts.text("ext.already", state=texts.text(f"ext.state_{error.state.value}")),
                           show_alert=True)
        return
    except extension_requests.UnknownExtension:
        await query.answer(texts.text("tg.unknown_button"))
        return
    due = decided.effective_due.isoformat() if decided.effective_due else "—"
    line = texts.text("ext.approved_admin" if approve else "ext.rejected_admin", who=escape(user.full_name), due=due)
    try:
        await query.edit_message_text(clip_html(escape(query.message.text or "") + "\n\n" + line),
                                      parse_mode=ParseMode.HTML, reply_markup=None)
    except TelegramError as error:
        log.info("could not edit the decision message: %s", error)
    await query.answer(line if len(line) < 200 else None)
    if decided.unit_chat_active:
        unit_texts = Catalogue(decided.unit_chat_language)
        text = unit_texts.text("ext.approved_unit" if approve else "ext.rejected_unit", label=escape(decided.label),
                               title=escape(decided.title), due=due)
        try:
            await context.bot.send_message(decided.unit_telegram_chat_id, clip_html(text), parse_mode=ParseMode.HTML)
        except TelegramError as error:
            log.warning("could not tell chat %s about extension %s: %s", decided.unit_telegram_chat_id,
                        decided.id, error)


HANDLERS = (
    CallbackQueryHandler(extension_button, pattern=EXTENSION_PRESS),
    CallbackQueryHandler(decision_button, pattern=_DECISION),
    CommandHandler("extend", extend_command),
)
