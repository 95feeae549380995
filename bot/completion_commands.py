"""The office's side of completion in chat: ✅ 销号 and ↩ 退回 under a verification request, the
reason a send-back asks for, and reopening a closed task with 🔓 under a refusal (/reopen ID is
bot.correction_commands', which follows the same rule: app.status.reopen_in).

Every rule is app.status's; these handlers check who is asking (bot.access), call it and render.
The reason is asked with ForceReply and kept in the store (store.pending), so a reply finds its
task after a restart; bot.reply_router hands this module the replies that answer that question,
and only those, so a reason is never also read as a note or an extension date.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import ForceReply, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from app import status as task_status
from bot.access import for_administrators
from bot.compose import escape
from bot.context import BotDeps, deps_of, known_chat, replanner, reply, reporter_name
from bot.i18n import Catalogue
from bot.keyboards import parse_reopen_data, parse_verify_data, reopen_buttons
from bot.telegram_notifier import clip_html, keyboard
from store import pending, reports
from store.models import CLOSED_STATUSES, TaskStatus

log = logging.getLogger(__name__)



def _status_word(texts: Catalogue, status: TaskStatus | None) -> str:
    return escape(texts.text(f"status.{status.value}")) if status is not None else "—"


async def _not_awaiting(update: Update, texts: Catalogue, error: task_status.NotAwaitingVerification) -> None:
    """An old verification button: answered with a message of its own, and 🔓 when the task is closed."""
    line = texts.text("completion.not_awaiting", status=_status_word(texts, error.status))
    await update.callback_query.answer(texts.text("completion.closed_answer"))
    closed = error.status in CLOSED_STATUSES
    await reply(update, line, keyboard(reopen_buttons(error.task_id, texts)) if closed else None)


async def _append_to_message(update: Update, line: str) -> None:
    """Write the decision under the request and take its buttons away."""
    query = update.callback_query
    try:
        await query.edit_message_text(clip_html(escape(query.message.text or "") + "\n\n" + line),
                                      parse_mode=ParseMode.HTML, reply_markup=None)
    except TelegramError as error:
        log.info("could not edit the verification request: %s", error)


@for_administrators
async def verify_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                        texts: Catalogue) -> None:
    """✅ 销号 closes the task; ↩ 退回 asks for the reason first."""
    query = update.callback_query
    parsed = parse_verify_data(query.data)
    if parsed is None:
        await query.answer(texts.text("tg.unknown_button"))
        return
    task_id, verify = parsed
    known = await known_chat(deps, update)
    user = query.from_user
    if not verify:
        current = await asyncio.to_thread(task_status.current_status, deps.engine, task_id)
        if current is not TaskStatus.AWAITING_VERIFICATION:
            await _not_awaiting(update, texts, task_status.NotAwaitingVerification(task_id, current))
            return
        detail = await asyncio.to_thread(reports.task_detail, deps.engine, task_id)
        label, title = (escape(detail.label), escape(detail.title)) if detail else ("", "")
        sent = await context.bot.send_message(
            update.effective_chat.id, clip_html(texts.text("completion.reason_ask", label=label, title=title)),
            parse_mode=ParseMode.HTML, reply_markup=ForceReply(selective=False))
        await asyncio.to_thread(pending.remember_question, deps.engine, update.effective_chat.id, sent.message_id,
                                pending.SEND_BACK_REASON, task_id, None, deps.clock())
        await query.answer()
        return
    try:
        await asyncio.to_thread(task_status.verify_task, deps.engine, task_id, known and known.id, user.id,
                                deps.clock(), user_name=reporter_name(user), replan=replanner(context))
    except task_status.NotAwaitingVerification as error:
        await _not_awaiting(update, texts, error)
        return
    line = texts.text("completion.verified_admin", who=escape(user.full_name))
    await _append_to_message(update, line)
    await query.answer(line if len(line) < 200 else None)


async def answer_send_back_reason(update: Update, context: ContextTypes.DEFAULT_TYPE,
                                  question: pending.OpenQuestion) -> None:
    """A reply to "why send it back?" (bot.reply_router found it): the reason goes to the units, the
    task back to them. Anyone but an administrator answering is ignored."""
    message = update.effective_message
    replied = message.reply_to_message
    deps = deps_of(context)
    known = await known_chat(deps, update)
    user = message.from_user
    if not deps.may_administer(user and user.id, update.effective_chat.type, known):
        return
    texts = Catalogue(known.language if known else "zh-CN")
    reason = (message.text or "").strip()
    if not reason:
        await reply(update, texts.text("completion.reason_empty"))
        return
    try:
        await asyncio.to_thread(task_status.send_back, deps.engine, question.task_id, known and known.id,
                                user.id, reason, deps.clock(), user_name=reporter_name(user),
                                replan=replanner(context), answers=(message.chat_id, replied.message_id))
    except task_status.NotAwaitingVerification as error:
        await reply(update, texts.text("completion.not_awaiting", status=_status_word(texts, error.status)))
        return
    await reply(update, texts.text("completion.sent_back_admin", who=escape(user.full_name), reason=escape(reason)))


async def _reopen(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue,
                  task_id: int) -> None:
    known = await known_chat(deps, update)
    user = update.effective_user
    try:
        decision = await asyncio.to_thread(task_status.reopen_task, deps.engine, task_id, known and known.id,
                                           user.id, deps.clock(), user_name=reporter_name(user),
                                           replan=replanner(context))
    except task_status.NotClosed as error:
        key = "completion.unknown_task" if error.status is None else "completion.not_closed"
        await reply(update, texts.text(key, id=task_id, status=_status_word(texts, error.status)))
        return
    await reply(update, texts.text("completion.reopened", who=escape(user.full_name), label=escape(decision.label),
                                    title=escape(decision.title), status=_status_word(texts, decision.status)))


@for_administrators
async def reopen_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                        texts: Catalogue) -> None:
    """🔓 under a refusal: the administrator reopens the closed task."""
    query = update.callback_query
    task_id = parse_reopen_data(query.data)
    if task_id is None:
        await query.answer(texts.text("tg.unknown_button"))
        return
    await query.answer()
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError as error:
        log.info("could not clear the reopen button: %s", error)
    await _reopen(update, context, deps, texts, task_id)


HANDLERS = (
    CallbackQueryHandler(verify_button, pattern=r"^vf:"),
    CallbackQueryHandler(reopen_button, pattern=r"^ro:"),
)
