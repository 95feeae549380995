"""/import (administrators only, bot.access): a plan file sent by an administrator, previewed, then confirmed.

The bot downloads the document, reads and extracts it in a process of its own with a time
budget (bot.budget: other chats are answered meanwhile, a hostile file costs one line), and
answers with a summary and the review flags (worded like the command line's) under ✅ 确认导入 / ❌ 取消 — or 🔁 替换旧版 when
another version of the plan is stored. The decoded text waits in the store (store.pending),
keyed by the summary message, so only a press under that message in that chat can import it,
after a restart as well, for up to two days. Pressing takes the row in one statement, so a
second press finds nothing; confirming extracts the text again (extraction is pure) and ingests
it in one transaction. Every step is a function of app.plans, the same the command line calls;
this module only renders.
"""
from __future__ import annotations

import asyncio
import logging
import re

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from app.plans import import_plan, preview_import, read_plan, reextract_plan
from bot import chatsheet_commands
from bot.replies import close_with_line, reply_html
from bot.access import for_administrators
from bot.budget import OverBudget, WorkFailed, run_with_budget
from bot.compose import escape
from bot.context import BotDeps, REPLAN_BUDGET_SECONDS
from bot.i18n import Catalogue
from bot.review_view import review_counts, review_text
from bot.telegram_notifier import clip_html, keyboard
from bot.version_view import version_lines
from extract.model import ExtractedPlan
from store import pending
from store.errors import StoreError

log = logging.getLogger(__name__)

_ANSWER = re.compile(r"^imp:([crx])$")
# Telegram lets bots download files up to 20 MB; plans are far smaller.
MAX_BYTES = 20 * 1024 * 1024
# Reading and extracting a real plan takes a second or two; a file that needs far longer is odd
# or hostile, and gets one line instead of a worker busy for ever.
EXTRACTION_SECONDS = 60.0
# Flags listed one by one under their counts in the preview; the rest are counted only.
PREVIEW_FLAGS = 10
# Changed tasks listed (old label → new label) in the preview of a new version; the rest are counted.
PREVIEW_PAIRS = 10


# The functions the worker runs, looked up at each import: tests put slow ones in their place.
READ_AND_EXTRACT = read_plan
EXTRACT_PLAN = reextract_plan


def summary_text(plan: ExtractedPlan, texts: Catalogue) -> str:
    """What the administrator checks before confirming: metadata, counts, review flags."""
    meta = plan.document
    unknown = texts.text("import.unknown")
    units = {name for t in plan.tasks for name in (*t.lead_units, *t.responsible_units, *t.cooperating_units)}
    lines = [texts.text(
        "import.summary", file=escape(plan.source), title=escape(meta.title or unknown),
        issuer=escape(meta.issuer or unknown),
        period_end=meta.period_end.isoformat() if meta.period_end else unknown,
        tasks=len(plan.tasks), units=len(units), deadlines=sum(len(t.deadlines) for t in plan.tasks))]
    flags = plan.review_flags
    if not flags:
        lines.append(texts.text("import.no_flags"))
        return "\n".join(lines)
    # Counts first, then a few flags in full: a long plan's hundred flags would fill a phone's screen.
    counts = review_counts([flag.code for flag in flags], texts)
    lines.append(texts.text("import.review_counts", counts=escape(texts.text("import.count_sep").join(counts))))
    lines += [texts.text("import.review", flag=escape(review_text(flag, texts))) for flag in flags[:PREVIEW_FLAGS]]
    if len(flags) > PREVIEW_FLAGS:
        lines.append(texts.text("import.review_more", count=len(flags) - PREVIEW_FLAGS))
    return "\n".join(lines)


@for_administrators
async def import_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    await update.effective_message.reply_text(texts.text("import.usage"), do_quote=False)


# Files shared in a group are not addressed to the bot: from anyone else, no answer at all.
@for_administrators(quiet=True)
async def plan_document(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    """A document from an administrator: read, extract, and show the summary with the buttons."""
    message = update.effective_message
    document = message.document
    name = document.file_name or "plan.txt"
    if document.file_size and document.file_size > MAX_BYTES:
        await reply_html(message, texts.text("import.unreadable", reason=escape(f"{name}: larger than 20 MB")))
        return
    file = await context.bot.get_file(document.file_id)
    data = bytes(await file.download_as_bytearray())
    if await chatsheet_commands.sheet_document(update, context, deps, texts, name, data):
        return  # an edited corrections sheet, not a plan
    try:
        extraction = await run_with_budget(READ_AND_EXTRACT, data, name, seconds=EXTRACTION_SECONDS)
    except (OverBudget, WorkFailed) as error:
        log.warning("import of %s in chat %s stopped: %s", name, update.effective_chat.id, error)
        await reply_html(message, texts.text("import.unreadable", reason=escape(_stopped(name, error, texts))))
        return
    if extraction.unreadable is not None:
        await reply_html(message, texts.text("import.unreadable", reason=escape(extraction.unreadable)))
        return
    source, plan = extraction.source, extraction.plan
    preview = await asyncio.to_thread(preview_import, deps.engine, plan, source.sha256)
    kind = preview.kind
    text = summary_text(plan, texts)
    if preview.changes is not None:
        text += "\n\n" + escape("\n".join(version_lines(preview.changes, texts, limit=PREVIEW_PAIRS)))
    if kind == "unchanged":
        await reply_html(message, text + "\n\n" + texts.text("import.unchanged"))
        return
    if kind == "changed":
        text += "\n\n" + texts.text("import.changed")
        go = (texts.text("import.button_replace"), "imp:r")
    else:
        go = (texts.text("import.button_confirm"), "imp:c")
    sent = await message.reply_text(clip_html(text), parse_mode=ParseMode.HTML, do_quote=False,
                                    reply_markup=keyboard(((go, (texts.text("import.button_cancel"), "imp:x")),)))
    user = update.effective_user
    await asyncio.to_thread(pending.save_import, deps.engine, sent.chat_id, sent.message_id, source.name, source.text,
                            source.sha256, "replace" if kind == "changed" else "skip", user and user.id, deps.clock())


@for_administrators
async def import_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    """✅ / 🔁 / ❌ under a summary: only under that message, in that chat, by an administrator."""
    query = update.callback_query
    waiting = await asyncio.to_thread(pending.take_import, deps.engine, query.message.chat_id,
                                      query.message.message_id, deps.clock())
    if waiting is None:
        await query.answer(texts.text("import.expired"), show_alert=True)
        return
    answer = _ANSWER.match(query.data).group(1)
    if answer == "x":
        await _edit(query, texts.text("import.cancelled"))
        await query.answer()
        return
    try:
        plan = await run_with_budget(EXTRACT_PLAN, waiting.source_text, waiting.source_name,
                                     seconds=EXTRACTION_SECONDS)
    except (OverBudget, WorkFailed) as error:
        log.warning("import of %s stopped: %s", waiting.source_name, error)
        await _edit(query, texts.text("import.failed", reason=escape(_stopped(waiting.source_name, error, texts))))
        await query.answer()
        return
    try:
        imported = await asyncio.to_thread(
            import_plan, deps.engine, plan, waiting.content_sha256, waiting.on_change,
            import_day=deps.clock().astimezone(deps.zone).date(), current=False, policy=deps.settings.reminders,
            by=f"telegram:{query.from_user.id}", now=deps.clock(), replan=_replanner(context))
    except (StoreError, ValueError) as error:
        log.warning("import of %s failed: %s", waiting.source_name, error)
        await _edit(query, texts.text("import.failed", reason=escape(str(error))))
        await query.answer()
        return
    outcome = imported.outcome
    done = texts.text("import.done", outcome=texts.text(f"outcome.{outcome.kind}"), title=escape(outcome.title),
                      tasks=outcome.task_count, units=outcome.new_unit_count)
    await _edit(query, done + ("\n" + texts.text("nagging.history_chat") if imported.history else ""))
    await query.answer()


def _replanner(context: ContextTypes.DEFAULT_TYPE):
    """The running scheduler's re-plan, callable from the thread that imports: it waits there (at
    most the budget a person waits for an answer) while the event loop runs the planning."""
    service = context.bot_data.get("reminders")
    loop = asyncio.get_running_loop()

    def replan() -> None:
        if service is not None:
            asyncio.run_coroutine_threadsafe(service.replan_within(REPLAN_BUDGET_SECONDS), loop).result()

    return replan


def _stopped(name: str, error: Exception, texts: Catalogue) -> str:
    if isinstance(error, OverBudget):
        return texts.text("import.too_slow", file=name, seconds=f"{error.seconds:g}")
    return f"{name}: {error}"


async def _edit(query, line: str) -> None:
    await close_with_line(query, line, "the import summary")


HANDLERS = (
    CommandHandler("import", import_command),
    MessageHandler(filters.Document.ALL, plan_document),
    CallbackQueryHandler(import_answer, pattern=_ANSWER),
)
