"""/quiet TASK and /unquiet TASK: an administrator stops or resumes one task's overdue notices.

Same use case as `deadline-bot quiet` (app.reminders); the re-plan runs in its transaction
through the live service when there is one.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from app import reminders
from bot.access import for_administrators
from bot.compose import escape
from bot.context import BotDeps, replanner, reply, today_of
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_task_id
from bot.task_view import quiet_text, short

log = logging.getLogger(__name__)


async def _quiet_or_resume(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue,
                           *, undo: bool) -> None:
    task_id = parse_task_id(context.args or ())
    if task_id is None:
        await reply(update, texts.text("nagging.unquiet_usage" if undo else "nagging.quiet_usage"))
        return
    if not is_stored_id(task_id):
        await reply(update, texts.text("nagging.task_unknown", id=task_id))
        return
    user = update.effective_user
    by = f"telegram:{user.id if user else '-'}"
    try:
        if undo:
            change = await asyncio.to_thread(reminders.resume_overdue_notices, deps.engine, task_id, by=by,
                                             now=deps.clock(), replan=replanner(context))
        else:
            change = await asyncio.to_thread(reminders.quiet_overdue_notices, deps.engine, task_id,
                                             today=today_of(deps), by=by, now=deps.clock(),
                                             replan=replanner(context))
    except reminders.UnknownTask:
        await reply(update, texts.text("nagging.task_unknown", id=task_id))
        return
    except reminders.TaskClosed as closed:
        await reply(update, texts.text("nagging.task_closed", id=task_id,
                                        status=texts.text(f"status.{closed.status.value}")))
        return
    log.info("overdue notices of task %s %s by %s", task_id, "resumed" if undo else "stopped", by)
    shown = type(change)(change.task_id, escape(change.label), escape(short(change.title)), change.before,
                         change.after, change.changed)
    await reply(update, quiet_text(shown, texts, texts.text("nagging.undo_chat", id=task_id)))


@for_administrators
async def quiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                        texts: Catalogue) -> None:
    """/quiet ID: no more overdue notices about the task (until /unquiet, or until it is closed)."""
    await _quiet_or_resume(update, context, deps, texts, undo=False)


@for_administrators
async def unquiet_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                          texts: Catalogue) -> None:
    """/unquiet ID: the task's overdue notices resume."""
    await _quiet_or_resume(update, context, deps, texts, undo=True)


HANDLERS = (
    CommandHandler("quiet", quiet_command),
    CommandHandler("unquiet", unquiet_command),
)
