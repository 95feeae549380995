"""The administrators' buttons under an escalation: 🔔 remind the late units now, ⏸ hold the task's
reminders for a week, 🔎 open the task.

Callback data is "es:<r|h|o>:<task id>" (bot.keyboards), well under Telegram's 64 bytes, and not
trusted: every press is checked again by bot.access, so a member of an administrators' group who
is not listed, or anyone who forges the data, changes nothing.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import CallbackQueryHandler, ContextTypes

import app.corrections as corrections
from bot.access import for_administrators
from bot.correction_commands import chat_actor
from bot.context import BotDeps, replanner, reply, today_of
from bot.i18n import Catalogue
from bot.keyboards import parse_escalation_data
from bot.task_view import task_detail_text
from store import reports
from store.corrections import CorrectionError

log = logging.getLogger(__name__)

# ⏸ holds the task's reminders this long: the late unit has a week before it is told again.
HOLD_DAYS = 7


@for_administrators
async def escalation_button(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                            texts: Catalogue) -> None:
    query = update.callback_query
    parsed = parse_escalation_data(query.data)
    if parsed is None:
        await query.answer(texts.text("tg.unknown_button"))
        return
    action, task_id = parsed
    if action == "open":
        detail = await asyncio.to_thread(reports.task_detail, deps.engine, task_id, None)
        await query.answer()
        if detail is None:
            await reply(update, texts.text("cmd.task_unknown", id=task_id))
        else:
            await reply(update, task_detail_text(detail, texts, today_of(deps), deps.settings.reminders, deps.zone))
        return
    if action == "remind":
        try:
            queued = await asyncio.to_thread(reports.enqueue_poll_now, deps.engine, task_id, deps.clock())
        except LookupError:
            await query.answer(texts.text("cmd.task_unknown", id=task_id), show_alert=True)
            return
        text = texts.text("batch.reminded" if queued else "batch.remind_no_chat", id=task_id, count=queued)
        await query.answer(text)
        await reply(update, text)
        service = context.bot_data.get("reminders")
        if queued and service is not None:
            # As /remind: a planning run that does not know the row would cancel it before the next tick.
            context.application.create_task(service.dispatcher.tick(), name="send the reminder now")
        return
    until = today_of(deps) + timedelta(days=HOLD_DAYS)
    try:
        await asyncio.to_thread(corrections.snooze_task, deps.engine, chat_actor(update), task_id, until,
                                replan=replanner(context), note="escalation")
    except (CorrectionError, LookupError) as error:
        log.info("holding task %s from an escalation was refused: %s", task_id, error)
        await query.answer(texts.text("cmd.task_unknown", id=task_id), show_alert=True)
        return
    text = texts.text("batch.held", id=task_id, until=until.isoformat())
    await query.answer()
    await reply(update, text)


HANDLERS = (
    CallbackQueryHandler(escalation_button, pattern=r"^es:"),
)
