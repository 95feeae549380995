"""What administrators can ask in chat: /upcoming [days], /overdue, /unit NAME, /doc [ID], /stats,
/remind ID, /digest, /invite UNIT, /invites [UNIT] and /revoke ID.

Who counts as an administrator is bot.access's rule (a listed user, in a private chat or an
administrators' chat); everyone else gets one line of refusal and nothing else. Page buttons
under these lists are checked again when pressed.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from app import progress
from bot.access import for_administrators
from bot.compose import DIGEST_DAYS, escape
from bot.context import BotDeps, reply, today_of
from bot.handlers import invite_link
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_number, parse_task_id
from bot.paging import parse_page_data, send_page
from bot.task_view import short, task_line
from scheduler.traffic import TrafficLight
from store import chats, queries, reports
from store.errors import UnknownDocument, UnknownUnit

log = logging.getLogger(__name__)

DEFAULT_UPCOMING_DAYS = 14
MAX_UPCOMING_DAYS = 366
STATS_PAGE_SIZE = 25


# --- the lists ------------------------------------------------------------------------------


async def _send_upcoming(update: Update, deps: BotDeps, texts: Catalogue, days: int, number: int) -> None:
    today = today_of(deps)
    tasks = await asyncio.to_thread(queries.due_within, deps.engine, today, days)
    items = [task_line(t, texts, today, deps.settings.reminders, with_units=True) for t in tasks]
    title = texts.text("cmd.upcoming_title", days=days, count=len(tasks))
    await send_page(update, texts, title, items, "upcoming", days, number)


async def _send_overdue(update: Update, deps: BotDeps, texts: Catalogue, number: int) -> None:
    today = today_of(deps)
    tasks = await asyncio.to_thread(queries.overdue, deps.engine, today)
    items = [task_line(t, texts, today, deps.settings.reminders, with_units=True) for t in tasks]
    await send_page(update, texts, texts.text("cmd.overdue_title", count=len(tasks)), items, "overdue", None,
                    number)


async def _send_unit(update: Update, deps: BotDeps, texts: Catalogue, unit_id: int, number: int) -> None:
    """How the unit is doing: its tally (done, open, overdue, lights), then its open tasks."""
    today = today_of(deps)
    tasks, tally = await asyncio.gather(
        asyncio.to_thread(reports.open_tasks_of_unit, deps.engine, unit_id),
        asyncio.to_thread(progress.unit_tally, deps.engine, unit_id, today, deps.settings.reminders))
    items = [task_line(t, texts, today, deps.settings.reminders) for t in tasks]
    title = "\n".join((tally_line(tally, texts),
                       texts.text("cmd.tasks_title", unit=escape(short(tally.name)), count=len(tasks))))
    await send_page(update, texts, title, items, "unit", unit_id, number)


async def _send_documents(update: Update, deps: BotDeps, texts: Catalogue, number: int) -> None:
    documents = [d for d in await asyncio.to_thread(queries.documents, deps.engine) if d.is_active]
    items = [texts.text("cmd.doc_line", id=d.document_id, title=escape(short(d.title)), open=d.open_task_count,
                        total=d.task_count) for d in documents]
    await send_page(update, texts, texts.text("cmd.docs_title", count=len(documents)), items, "doc", None, number,
                    empty_key="cmd.no_docs")


async def _send_document(update: Update, deps: BotDeps, texts: Catalogue, document_id: int, number: int) -> None:
    try:
        tasks = await asyncio.to_thread(queries.tasks, deps.engine, document_id)
    except UnknownDocument:
        await reply(update, texts.text("cmd.doc_unknown", id=document_id))
        return
    today = today_of(deps)
    items = [task_line(t, texts, today, deps.settings.reminders, with_units=True) for t in tasks]
    plan = tasks[0].document_title if tasks else str(document_id)
    title = texts.text("cmd.doc_tasks_title", plan=escape(short(plan)), count=len(tasks))
    await send_page(update, texts, title, items, "doc", document_id, number)


def invite_line(invite: chats.InviteInfo, texts: Catalogue, zone: ZoneInfo) -> str:
    """#3 省司法厅 / made when, by whom, valid until when; never the code, which is shown only once."""
    def when(instant: datetime) -> str:
        return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    by = (texts.text("cmd.invite_by_user", user=invite.created_by) if invite.created_by is not None
          else texts.text("cmd.invite_by_cli"))
    return texts.text("cmd.invite_line", id=invite.id, unit=escape(short(invite.unit_name)),
                      created=when(invite.created_at), by=by, expires=when(invite.expires_at))


async def _send_invites(update: Update, deps: BotDeps, texts: Catalogue, unit_id: int | None, number: int) -> None:
    unit_ids = None if unit_id is None else [unit_id]
    invites = await asyncio.to_thread(chats.outstanding_invites, deps.engine, deps.clock(), unit_ids)
    items = [invite_line(i, texts, deps.zone) for i in invites]
    if unit_id is None:
        title = texts.text("cmd.invites_title", count=len(items))
    else:
        name = await asyncio.to_thread(reports.unit_name, deps.engine, unit_id)
        title = texts.text("cmd.invites_unit_title", unit=escape(short(name or "")), count=len(items))
    await send_page(update, texts, title, items, "invites", unit_id, number, empty_key="cmd.no_invites")


def tally_line(tally: progress.Tally, texts: Catalogue) -> str:
    return texts.text("stats.line", name=escape(short(tally.name)), done=tally.done, open=tally.open,
                      overdue=tally.overdue, green=tally.lights.get(TrafficLight.GREEN, 0),
                      yellow=tally.lights.get(TrafficLight.YELLOW, 0), red=tally.lights.get(TrafficLight.RED, 0))


def stats_items(stats: progress.Stats, texts: Catalogue) -> list[str]:
    """The /stats lines: a heading and one line per plan, then a heading and one line per unit."""
    items = [texts.text("stats.by_plan"), *(tally_line(t, texts) for t in stats.by_plan)]
    if stats.by_unit:
        items += [texts.text("stats.by_unit"), *(tally_line(t, texts) for t in stats.by_unit)]
    return items


async def _send_stats(update: Update, deps: BotDeps, texts: Catalogue, number: int) -> None:
    today = today_of(deps)
    stats = await asyncio.to_thread(progress.task_stats, deps.engine, today, deps.settings.reminders)
    items = stats_items(stats, texts) if stats.by_plan else []
    await send_page(update, texts, texts.text("stats.title", today=today.isoformat()), items, "stats", None, number,
                    size=STATS_PAGE_SIZE, empty_key="stats.nothing")


# --- commands -------------------------------------------------------------------------------


@for_administrators
async def upcoming_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                           texts: Catalogue) -> None:
    """/upcoming [days]: open tasks due within the next days (14 unless given)."""
    args = context.args or ()
    days = parse_number(args[0]) if args else DEFAULT_UPCOMING_DAYS
    if days is None or days > MAX_UPCOMING_DAYS:
        await reply(update, texts.text("cmd.upcoming_usage", max=MAX_UPCOMING_DAYS))
        return
    await _send_upcoming(update, deps, texts, days, 0)


@for_administrators
async def overdue_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                          texts: Catalogue) -> None:
    await _send_overdue(update, deps, texts, 0)


@for_administrators
async def unit_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                       texts: Catalogue) -> None:
    """/unit NAME: the unit's open tasks (name or alias); an unknown name gets the close matches."""
    name = " ".join(context.args or ()).strip()
    if not name:
        await reply(update, texts.text("cmd.unit_usage"))
        return
    unit_id = await _unit_named(update, deps, texts, name)
    if unit_id is not None:
        await _send_unit(update, deps, texts, unit_id, 0)


async def _unit_named(update: Update, deps: BotDeps, texts: Catalogue, name: str) -> int | None:
    """The unit's id (by name or alias); None after telling the chat the close matches, if any."""
    try:
        unit_ids = await asyncio.to_thread(queries.find_unit_ids, deps.engine, name)
    except UnknownUnit as error:
        if error.suggestions:
            await reply(update, texts.text("cmd.unit_suggest", name=escape(name),
                                            names=escape(texts.text("cmd.list_sep").join(error.suggestions))))
        else:
            await reply(update, texts.text("cmd.unit_unknown", name=escape(name)))
        return None
    return unit_ids[0]


@for_administrators
async def doc_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                      texts: Catalogue) -> None:
    """/doc: the active plans; /doc ID: that plan's tasks."""
    if not context.args:
        await _send_documents(update, deps, texts, 0)
        return
    document_id = parse_task_id(context.args)
    if document_id is None:
        await reply(update, texts.text("cmd.doc_usage"))
        return
    if not is_stored_id(document_id):
        await reply(update, texts.text("cmd.doc_unknown", id=document_id))
        return
    await _send_document(update, deps, texts, document_id, 0)


@for_administrators
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                        texts: Catalogue) -> None:
    await _send_stats(update, deps, texts, 0)


@for_administrators
async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/remind ID: a status poll to the task's units now, through the outbox (sent at the next tick)."""
    task_id = parse_task_id(context.args or ())
    if task_id is None:
        await reply(update, texts.text("cmd.remind_usage"))
        return
    try:
        if not is_stored_id(task_id):
            raise LookupError(task_id)
        queued = await asyncio.to_thread(reports.enqueue_poll_now, deps.engine, task_id, deps.clock())
    except LookupError:
        await reply(update, texts.text("cmd.task_unknown", id=task_id))
        return
    await reply(update, texts.text("cmd.remind_queued" if queued else "cmd.remind_no_chat", id=task_id,
                                    count=queued))
    service = context.bot_data.get("reminders")
    if queued and service is not None:
        # Send now rather than at the next tick: until it is sent, a planning run that does not
        # know the row would cancel it (store.outbox.sync_planned_reminders cancels unplanned keys).
        context.application.create_task(service.dispatcher.tick(), name="send /remind now")


@for_administrators
async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/digest: the weekly digest, now, in this chat."""
    counts = await asyncio.to_thread(chats.digest_counts, deps.engine, today_of(deps), DIGEST_DAYS)
    await reply(update, texts.text("tg.digest", days=DIGEST_DAYS, due=counts.due_soon, overdue=counts.overdue))


@for_administrators
async def invite_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/invite UNIT: a single-use deep link that binds a chat to the unit."""
    unit_name = " ".join(context.args or ()).strip()
    if not unit_name:
        await reply(update, texts.text("tg.invite_usage"))
        return
    hours = deps.settings.invite_valid_hours
    user = update.effective_user
    try:
        created = await asyncio.to_thread(chats.create_invite, deps.engine, unit_name, timedelta(hours=hours),
                                          deps.clock(), user.id)
    except UnknownUnit:
        await reply(update, texts.text("tg.invite_unknown_unit", unit=escape(unit_name)))
        return
    link = invite_link(context.bot.username, created.code)
    await reply(update, texts.text("tg.invite_created", unit=escape(created.unit_name), hours=hours,
                                    link=escape(link), id=created.invite_id))


@for_administrators
async def invites_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                          texts: Catalogue) -> None:
    """/invites [UNIT]: the invites nobody has used yet that are neither revoked nor expired."""
    name = " ".join(context.args or ()).strip()
    unit_id = None
    if name:
        unit_id = await _unit_named(update, deps, texts, name)
        if unit_id is None:
            return
    await _send_invites(update, deps, texts, unit_id, 0)


@for_administrators
async def revoke_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/revoke ID: withdraw an unused invite, so its link binds no chat (a link sent to the wrong person)."""
    invite_id = parse_task_id(context.args or ())
    if invite_id is None:
        await reply(update, texts.text("cmd.revoke_usage"))
        return
    if not is_stored_id(invite_id):
        await reply(update, texts.text("cmd.revoke_unknown", id=invite_id))
        return
    try:
        revoked = await asyncio.to_thread(chats.revoke_invite, deps.engine, invite_id, deps.clock())
    except chats.InviteError as error:
        await reply(update, texts.text(f"cmd.revoke_{error.reason}", id=invite_id))
        return
    user = update.effective_user
    log.info("invite %s revoked by user %s in chat %s", invite_id, user and user.id, update.effective_chat.id)
    await reply(update, texts.text("cmd.revoked", id=revoked.id, unit=escape(revoked.unit_name)))


@for_administrators
async def admin_page(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                     texts: Catalogue) -> None:
    """◀ / ▶ under an administrators' list: checked again, since callback data can be forged."""
    parsed = parse_page_data(update.callback_query.data)
    if parsed is None:
        await update.callback_query.answer(texts.text("tg.unknown_button"))
        return
    command, arg, number = parsed
    if command == "upcoming" and arg is not None and arg <= MAX_UPCOMING_DAYS:
        await _send_upcoming(update, deps, texts, arg, number)
    elif command == "overdue":
        await _send_overdue(update, deps, texts, number)
    elif command == "unit" and arg is not None:
        await _send_unit(update, deps, texts, arg, number)
    elif command == "doc":
        if arg is None:
            await _send_documents(update, deps, texts, number)
        else:
            await _send_document(update, deps, texts, arg, number)
    elif command == "stats":
        await _send_stats(update, deps, texts, number)
    elif command == "invites":
        await _send_invites(update, deps, texts, arg, number)
    else:
        await update.callback_query.answer(texts.text("tg.unknown_button"))


HANDLERS = (
    CommandHandler("upcoming", upcoming_command),
    CommandHandler("overdue", overdue_command),
    CommandHandler("unit", unit_command),
    CommandHandler("doc", doc_command),
    CommandHandler("stats", stats_command),
    CommandHandler("remind", remind_command),
    CommandHandler("digest", digest_command),
    CommandHandler("invite", invite_command),
    CommandHandler("invites", invites_command),
    CommandHandler("revoke", revoke_command),
    CallbackQueryHandler(admin_page, pattern=r"^pg:(upcoming|overdue|unit|doc|stats|invites):"),
)
