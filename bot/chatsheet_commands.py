"""An edited corrections sheet sent back to the bot: the dry-run diff under ✅ 写入 / ✖ 取消.

bot.imports hands every .xlsx or .csv an administrator sends here first; what decides is the
content (a header naming the task id column, as bot.correction_sheet reads it), not the name or
the caption, so a plan laid out as a table still goes to the plan import. The sheet is read in
bot.budget's worker under the plan import's limits, diffed against the store by the same
function the command line's import-corrections uses, and its cells wait in store.pending under
the diff message. ✅ reads them again: if the diff is no longer the one shown (someone changed a
task meanwhile), nothing is written; otherwise app.corrections.apply_task_changes writes every
change in one transaction, each audited under the Telegram user with source "chat".
"""
from __future__ import annotations

import asyncio
import json
import logging
import re
from pathlib import PurePath

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, ContextTypes

from app.corrections import apply_task_changes
from bot.access import for_administrators
from bot.budget import OverBudget, WorkFailed, run_with_budget
from bot.compose import escape
from bot.correction_commands import chat_actor
from bot.correction_sheet import (SHEET_SUFFIXES, SheetReading, UnreadableSheet, corrections_cells, diff_fingerprint,
                                  read_corrections)
from bot.context import BotDeps, replanner
from bot.i18n import Catalogue
from bot.replies import close_with_line, reply_html
from bot.telegram_notifier import clip_html, keyboard
from store import pending
from store.corrections import CorrectionError
from store.errors import StoreError, UnknownUnit

log = logging.getLogger(__name__)

_ANSWER = re.compile(r"^sht:([ax])$")
# Reading a sheet takes well under a second; the plan import's budget bounds an odd one.
READING_SECONDS = 60.0
# A phone shows about this many lines without scrolling far; the rest are counted.
DIFF_LINES = 12
PROBLEM_LINES = 8
VALUE_CHARS = 40

# The worker's function, looked up at each sheet: tests put a slow one in its place.
READ_CELLS = corrections_cells


async def sheet_document(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue,
                         name: str, data: bytes) -> bool:
    """Answer an administrator's corrections sheet; False (nothing said) for any other file."""
    if PurePath(name).suffix.lower() not in SHEET_SUFFIXES:
        return False
    message = update.effective_message
    try:
        rows = await run_with_budget(READ_CELLS, data, name, seconds=READING_SECONDS)
    except OverBudget as error:
        await reply_html(message, texts.text("chatsheet.too_slow", file=escape(name), seconds=f"{error.seconds:g}"))
        return True
    except WorkFailed as error:
        log.info("sheet %s in chat %s unreadable: %s", name, update.effective_chat.id, error)
        # The worker sends back "UnreadableSheet: NAME: why"; the line names the file once already.
        detail = _one_line(error).removeprefix("UnreadableSheet: ").removeprefix(f"{name}: ")
        await reply_html(message, texts.text("chatsheet.unreadable", file=escape(name), detail=escape(detail)))
        return True
    if rows is None:
        return False  # not a corrections sheet: a plan, for bot.imports
    try:
        reading = await asyncio.to_thread(read_corrections, deps.engine, rows, texts)
    except UnreadableSheet as error:
        await reply_html(message, texts.text("chatsheet.unreadable", file=escape(name), detail=escape(_one_line(error))))
        return True
    text = diff_text(name, reading, texts)
    if reading.unreadable or not reading.diff:
        await reply_html(message, text)
        return True
    sent = await message.reply_text(
        clip_html(text), parse_mode=ParseMode.HTML, do_quote=False,
        reply_markup=keyboard((((texts.text("chatsheet.button_apply"), "sht:a"),
                                (texts.text("chatsheet.button_cancel"), "sht:x")),)))
    user = update.effective_user
    await asyncio.to_thread(pending.save_sheet, deps.engine, sent.chat_id, sent.message_id, name,
                            json.dumps(rows, ensure_ascii=False), diff_fingerprint(reading), user and user.id,
                            deps.clock())
    return True


def diff_text(name: str, reading: SheetReading, texts: Catalogue) -> str:
    """Counts first, then the first changes and unreadable rows, short enough for a phone (HTML)."""
    tasks = len({d.task_id for d in reading.diff})
    lines = [texts.text("chatsheet.title", file=escape(name), count=len(reading.diff), tasks=tasks,
                        unreadable=len(reading.unreadable))]
    for d in reading.diff[:DIFF_LINES]:
        old, new = (texts.text(f"status.{v}") if v else v for v in (d.old, d.new)) if d.field == "status" \
            else (d.old, d.new)
        lines.append(texts.text("chatsheet.line", row=d.row, task=d.task_id,
                                field=texts.text(f"corrections.sheet_field_{d.field}"),
                                old=escape(_short(old) or texts.text("chatsheet.empty")),
                                new=escape(_short(new) or texts.text("chatsheet.empty"))))
    if len(reading.diff) > DIFF_LINES:
        lines.append(texts.text("chatsheet.more", count=len(reading.diff) - DIFF_LINES))
    for row, problem in reading.unreadable[:PROBLEM_LINES]:
        lines.append(texts.text("chatsheet.row_problem", row=row, problem=escape(_short(problem, 80))))
    if len(reading.unreadable) > PROBLEM_LINES:
        lines.append(texts.text("chatsheet.more_problems", count=len(reading.unreadable) - PROBLEM_LINES))
    if reading.unreadable:
        lines.append(texts.text("chatsheet.not_applied", count=len(reading.unreadable)))
    elif not reading.diff:
        lines.append(texts.text("chatsheet.no_differences"))
    else:
        lines.append(texts.text("chatsheet.confirm"))
    return "\n".join(lines)


@for_administrators
async def sheet_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    """✅ / ✖ under a diff: the first press takes the sheet; later ones, and old buttons, are told why not."""
    query = update.callback_query
    state, sheet = await asyncio.to_thread(pending.take_sheet, deps.engine, query.message.chat_id,
                                           query.message.message_id, deps.clock())
    if sheet is None:
        await query.answer(texts.text(f"chatsheet.{state}"), show_alert=True)
        return
    if _ANSWER.match(query.data).group(1) == "x":
        await _edit(query, texts.text("chatsheet.cancelled"))
        await query.answer()
        return
    actor, replan = chat_actor(update), replanner(context)

    def apply() -> tuple[str, int, int]:
        # Read against the store as it is now: the diff must be the one the administrator saw.
        reading = read_corrections(deps.engine, json.loads(sheet.cells_json), texts)
        if reading.unreadable or diff_fingerprint(reading) != sheet.diff_sha256:
            return "changed", 0, 0
        return "applied", apply_task_changes(deps.engine, actor, reading.changes, replan=replan), len(reading.changes)

    try:
        outcome, count, tasks = await asyncio.to_thread(apply)
    except CorrectionError as error:
        await _edit(query, texts.text("chatsheet.failed", reason=error.text(texts, escape)))
        await query.answer()
        return
    except (UnreadableSheet, UnknownUnit, StoreError, ValueError) as error:
        log.warning("sheet %s not applied: %s", sheet.source_name, error)
        await _edit(query, texts.text("chatsheet.failed", reason=escape(_one_line(error))))
        await query.answer()
        return
    if outcome == "changed":
        await _edit(query, texts.text("chatsheet.changed"))
    else:
        await _edit(query, texts.text("chatsheet.applied", count=count, tasks=tasks))
    await query.answer()


def _short(value: str, limit: int = VALUE_CHARS) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _one_line(error: Exception) -> str:
    return _short(str(error).splitlines()[0] if str(error) else type(error).__name__, 200)


async def _edit(query, line: str) -> None:
    await close_with_line(query, line, "the sheet's diff")


HANDLERS = (CallbackQueryHandler(sheet_answer, pattern=_ANSWER),)
