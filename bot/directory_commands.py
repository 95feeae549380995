"""/units for administrators: every unit with who is bound to it (chat title or user), its
contact, its members and its open tasks, ten to a page for the hundred-odd units of a year's plans.

Who counts as an administrator is bot.access's rule; the page buttons are checked again when pressed.
"""
from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from app.directory import unit_directory
from bot.access import for_administrators
from bot.compose import escape
from bot.context import BotDeps, reply
from bot.i18n import Catalogue
from bot.paging import parse_page_data, send_page
from bot.task_view import short
from store.directory import BoundChat, DirectoryEntry
from store.models import UnitKind

PAGE_COMMAND = "units"  # the "pg:units::N" page buttons
NAMES_SHOWN = 3  # chats or members named on a unit's line before "and N more"


def chat_label(chat: BoundChat, texts: Catalogue) -> str:
    label = texts.text(f"units.chat_{chat.kind}", title=escape(short(chat.title, 40)))
    if chat.via_member:
        label = texts.text("units.via_member", chat=label, member=escape(short(chat.via_member, 40)))
    return label


def _named(names: list[str], texts: Catalogue) -> str:
    shown = texts.text("cmd.list_sep").join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += texts.text("units.and_more", count=len(names) - NAMES_SHOWN)
    return shown


def unit_item(entry: DirectoryEntry, texts: Catalogue) -> str:
    """One unit: name and open tasks; who is bound; contact; a collective's members."""
    mark = "🟢" if entry.reached else "⚪"
    lines = [texts.text("units.item", mark=mark, name=escape(short(entry.name)), open=entry.open_count,
                        kind="" if entry.kind is UnitKind.SINGLE else texts.text("units.collective_mark"))]
    if entry.chats:
        lines.append(texts.text("units.bound", chats=_named([chat_label(c, texts) for c in entry.chats], texts)))
    else:
        lines.append(texts.text("units.not_bound"))
    if entry.contact_person or entry.contact_phone:
        lines.append(texts.text("units.contact", person=escape(entry.contact_person or "—"),
                                phone=escape(entry.contact_phone or "—")))
    if entry.members:
        lines.append(texts.text("units.members", count=len(entry.members),
                                names=_named([escape(short(m, 40)) for m in entry.members], texts)))
    return "\n".join(lines)


UNBOUND_ONLY = 1  # the page buttons' argument for "/units unbound"
UNBOUND_WORDS = {"unbound", "未绑定"}


async def _send_units(update: Update, deps: BotDeps, texts: Catalogue, number: int, unbound_only: bool) -> None:
    entries = await asyncio.to_thread(unit_directory, deps.engine)
    reached = sum(1 for e in entries if e.reached)
    title = texts.text("units.title", count=len(entries), reached=reached, unreached=len(entries) - reached)
    if unbound_only:
        entries = [e for e in entries if not e.reached]
        title += "\n" + texts.text("units.unbound_only")
    await send_page(update, texts, title, [unit_item(e, texts) for e in entries], PAGE_COMMAND,
                    UNBOUND_ONLY if unbound_only else None, number, empty_key="units.none")


@for_administrators
async def units_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    """/units: the directory, first page; /units unbound: only the units no chat reaches."""
    words = {word.lower() for word in context.args or ()}
    if words - UNBOUND_WORDS:
        await reply(update, texts.text("units.usage"))
        return
    await _send_units(update, deps, texts, 0, bool(words))


@for_administrators
async def units_page(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    """◀ / ▶ under /units."""
    parsed = parse_page_data(update.callback_query.data)
    if parsed is None or parsed[0] != PAGE_COMMAND:
        await update.callback_query.answer(texts.text("tg.unknown_button"))
        return
    await _send_units(update, deps, texts, parsed[2], parsed[1] == UNBOUND_ONLY)


HANDLERS = (
    CommandHandler("units", units_command),
    CallbackQueryHandler(units_page, pattern=rf"^pg:{PAGE_COMMAND}:"),
)
