"""Answers that the import and the corrections-sheet handlers give alike: an HTML reply, and the
answered preview closed with its outcome as the last line."""
from __future__ import annotations

import logging

from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.compose import escape
from bot.telegram_notifier import clip_html

log = logging.getLogger(__name__)


async def reply_html(message, text: str) -> None:
    await message.reply_text(clip_html(text), parse_mode=ParseMode.HTML, do_quote=False)


async def close_with_line(query, line: str, what: str) -> None:
    """The answered message gets the outcome as its last line and loses its buttons; `what` names it in the log."""
    try:
        await query.edit_message_text(clip_html(escape(query.message.text or "") + "\n\n" + line),
                                      parse_mode=ParseMode.HTML, reply_markup=None)
    except TelegramError as error:
        log.info("could not edit %s: %s", what, error)
