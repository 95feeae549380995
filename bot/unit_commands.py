"""What a unit's chat can ask: /tasks, /task ID, /status ID done|progress|blocked [note].

A unit sees only the tasks that name it; the check is on the server (store.reports), whatever
the chat typed. Lists longer than one page get ◀ / ▶ buttons (bot.paging) whose arg is the
unit's id, checked like a status button's: a chat may page only its own unit's list.
"""
from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from app import status as status_reports
from bot.access import for_bound_chats, for_unit_members
from bot.compose import escape, milestone_met_text
from bot.context import BotDeps, replanner, reply, today_of
from bot.handlers import answer_closed_task, share_lines
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_task_id
from bot.paging import parse_page_data, send_page
from bot.task_view import short, task_detail_text, task_line
from store import chats, reports

log = logging.getLogger(__name__)

STATUS_WORDS = status_reports.STATUS_WORDS  # the words /status takes, as `deadline-bot report` does


# --- handlers -------------------------------------------------------------------------------


async def _send_unit_tasks(update: Update, deps: BotDeps, texts: Catalogue, unit_id: int, number: int) -> None:
    tasks, name = await asyncio.gather(asyncio.to_thread(reports.open_tasks_of_unit, deps.engine, unit_id),
                                       asyncio.to_thread(reports.unit_name, deps.engine, unit_id))
    today, policy = today_of(deps), deps.settings.reminders
    items = [task_line(task, texts, today, policy) for task in tasks]
    title = texts.text("cmd.tasks_title", unit=escape(short(name or "")), count=len(tasks))
    await send_page(update, texts, title, items, "tasks", unit_id, number, empty_key="cmd.no_tasks")


@for_unit_members
async def tasks_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                        texts: Catalogue) -> None:
    """/tasks: the unit's open tasks, soonest due first, with traffic lights."""
    await _send_unit_tasks(update, deps, texts, known.unit_id, 0)


@for_bound_chats
async def task_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                       texts: Catalogue) -> None:
    """/task ID: one task in full; a unit sees only its own, an administrator any."""
    task_id = parse_task_id(context.args or ())
    if task_id is None:
        await reply(update, texts.text("cmd.task_usage"))
        return
    user = update.effective_user
    # In an administrators' chat any task, but only for an administrator (bot.access).
    as_admin = known.is_admin and deps.may_administer(user and user.id, update.effective_chat.type, known)
    if not as_admin and known.unit_id is None:
        await reply(update, texts.text("cmd.admin_only"))
        return
    detail = None
    if is_stored_id(task_id):
        detail = await asyncio.to_thread(reports.task_detail, deps.engine, task_id, None if as_admin else known.unit_id)
    if detail is None:
        await reply(update, texts.text("cmd.task_unknown" if as_admin else "cmd.task_refused", id=task_id))
        return
    await reply(update, task_detail_text(detail, texts, today_of(deps), deps.settings.reminders, deps.zone))


@for_unit_members
async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                         texts: Catalogue) -> None:
    """/status ID done|progress|blocked [note]: what the buttons do, with the note in the same report."""
    args = context.args or ()
    task_id = parse_task_id(args)
    status = STATUS_WORDS.get(args[1].lower()) if len(args) > 1 else None
    if task_id is None or status is None:
        await reply(update, texts.text("cmd.status_usage"))
        return
    note = _note_of(update.effective_message.text or "", 3)
    now = deps.clock()
    try:
        recorded = await asyncio.to_thread(status_reports.report_status, deps.engine, deps.actor(update, known),
                                           task_id, status, now, note=note, replan=replanner(context),
                                           verify_done=deps.settings.verify_done)
    except status_reports.TaskClosed as closed:
        await answer_closed_task(update, deps, known, texts, closed)
        return
    except status_reports.NotUnitsTask:
        log.warning("chat %s (unit %s) sent /status for task %s: refused", known.id, known.unit_id, task_id)
        await reply(update, texts.text("cmd.task_refused", id=task_id))
        return
    card = recorded.card
    lines = [texts.text("cmd.status_recorded", id=task_id, label=escape(card.label), title=escape(short(card.title)),
                        status=escape(texts.text(f"status.{status.value}")))]
    if recorded.milestone is not None:
        lines.append(milestone_met_text(recorded.milestone, texts, now.astimezone(deps.zone).date()))
    lines += share_lines(recorded, texts)
    # The task's reminders were re-planned with the report, in its transaction (replanner).
    await reply(update, "\n".join(lines))


def _note_of(text: str, words_before: int) -> str:
    """What follows the first words_before words of a command, as typed (line breaks kept)."""
    parts = text.split(None, words_before)
    return parts[words_before].strip() if len(parts) > words_before else ""


@for_bound_chats
async def tasks_page(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, known: chats.ChatInfo,
                     texts: Catalogue) -> None:
    """◀ / ▶ under /tasks: only the unit whose list it is may turn its pages."""
    query = update.callback_query
    parsed = parse_page_data(query.data)
    if parsed is None or parsed[1] is None or parsed[1] != known.unit_id:
        log.warning("chat %s pressed a page button for %r: refused", known.id, query.data)
        await query.answer(texts.text("cmd.page_refused"), show_alert=True)
        return
    await _send_unit_tasks(update, deps, texts, known.unit_id, parsed[2])


HANDLERS = (
    CommandHandler("tasks", tasks_command),
    CommandHandler("task", task_command),
    CommandHandler("status", status_command),
    CallbackQueryHandler(tasks_page, pattern=r"^pg:tasks:"),
)
