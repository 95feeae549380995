"""Lists longer than one message: pages of items with ◀ / ▶ buttons, shared by every list a chat can ask for.

A page button's callback data is "pg:<command>:<arg>:<page>"; the handler of each command checks
the arg (a unit's id, a number of days) like any other callback data before it turns the page.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import reply
from bot.i18n import Catalogue
from bot.ids import is_stored_id
from bot.keyboards import Buttons
from bot.telegram_notifier import clip_html, keyboard

log = logging.getLogger(__name__)

PAGE_SIZE = 10
PAGE_CHARS = 3300  # a page's items, leaving room for the title, the page count and HTML escapes' slack
PAGE_DATA = re.compile(r"^pg:([a-z]{1,12}):([0-9]*):([0-9]{1,6})$")


@dataclass(frozen=True)
class Page:
    items: tuple[str, ...]
    number: int  # 0-based, clamped into range
    count: int  # how many pages in all (at least 1)


def page_of(items: Sequence[str], number: int, size: int = PAGE_SIZE, budget: int = PAGE_CHARS) -> Page:
    """The number-th page of items (an out-of-range number shows the nearest page).

    A page holds at most `size` items and, beyond its first, no more than `budget` characters:
    Telegram refuses a message over 4,096, and escaped titles can be long.
    """
    bounds = page_bounds(items, size, budget)
    number = min(max(number, 0), len(bounds) - 1)
    start, end = bounds[number]
    return Page(tuple(items[start:end]), number, len(bounds))


def page_bounds(items: Sequence[str], size: int = PAGE_SIZE, budget: int = PAGE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of every page, filled greedily; always at least one (maybe empty) page."""
    bounds, start, used = [], 0, 0
    for index, item in enumerate(items):
        cost = len(item) + 1
        if index > start and (index - start >= size or used + cost > budget):
            bounds.append((start, index))
            start, used = index, 0
        used += cost
    bounds.append((start, len(items)))
    return bounds


def page_data(command: str, arg: int | str | None, number: int) -> str:
    data = f"pg:{command}:{'' if arg is None else arg}:{number}"
    if len(data.encode()) > 64:  # Telegram's limit on callback data
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_page_data(data: str | None) -> tuple[str, int | None, int] | None:
    """(command, arg or None, page) from a page button's data, or None if it is not one (or names no row)."""
    match = PAGE_DATA.match(data or "")
    if match is None:
        return None
    command, arg, number = match.groups()
    if arg and not is_stored_id(int(arg)):  # forged: the arg is a unit id or a number of days
        return None
    return command, int(arg) if arg else None, int(number)


def page_buttons(command: str, arg: int | None, page: Page, texts: Catalogue) -> Buttons:
    row = []
    if page.number > 0:
        row.append((texts.text("cmd.prev"), page_data(command, arg, page.number - 1)))
    if page.number < page.count - 1:
        row.append((texts.text("cmd.next"), page_data(command, arg, page.number + 1)))
    return (tuple(row),) if row else ()


def page_text(title: str, page: Page, texts: Catalogue) -> str:
    lines = [title, "", *page.items]
    if page.count > 1:
        lines += ["", texts.text("cmd.page", page=page.number + 1, pages=page.count)]
    return "\n".join(lines)


async def send_page(update: Update, texts: Catalogue, title: str, items: Sequence[str], command: str,
                    arg: int | None, number: int = 0, size: int = PAGE_SIZE, empty_key: str = "cmd.nothing") -> None:
    """Reply with one page of a list, or (from a page button) redraw the message with it."""
    if not items:
        text, buttons = title + "\n\n" + texts.text(empty_key), ()
    else:
        page = page_of(items, number, size)
        text, buttons = page_text(title, page, texts), page_buttons(command, arg, page, texts)
    query = update.callback_query
    if query is None:
        await reply(update, text, keyboard(buttons))
        return
    try:
        await query.edit_message_text(clip_html(text), parse_mode=ParseMode.HTML, reply_markup=keyboard(buttons))
    except BadRequest as error:  # unchanged (the same page twice) or too old to edit
        log.info("could not turn the page in chat %s: %s", update.effective_chat.id, error.message)
    await query.answer()
