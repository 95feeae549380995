"""The Telegram implementation of scheduler.notify.Notifier (healthchecks' transport, in PTB).

One `send`: HTML text clipped to Telegram's 4,096 characters plus an inline keyboard. PTB's
errors become the dispatcher's typed errors: a blocked, kicked or deleted chat is permanent
(`ChatGone`, the chat is deactivated), a group that became a supergroup is followed
(`ChatMoved`), a 429 waits (`RateLimited`), any other bad request is refused for good
(`MessageRejected`: resending the same text cannot help), the network and Telegram's 5xx are
retried (`TransientError`). Sends get a longer timeout than PTB's default for reads: a Bot API
that answers slowly has usually accepted the message, and a timeout there is the one case
where a retry may deliver it twice (`maybe_delivered`). The token is scrubbed from every error
text, since PTB's and httpx's messages may carry the request URL, which contains it.
"""
from __future__ import annotations

import logging
import re

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.ratelimit import ALREADY_COUNTED, retry_after_seconds
from scheduler.notify import (
    ChatAddress,
    ChatGone,
    ChatMoved,
    MessageRejected,
    OutgoingMessage,
    RateLimited,
    TransientError,
)

log = logging.getLogger(__name__)

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4,096
# Seconds to wait for Telegram to answer a send (PTB's default of 5 is for every request).
SEND_TIMEOUT = 30.0

# Telegram's descriptions of chats that will never accept a message again (as healthchecks lists them).
PERMANENT_ERRORS = (
    "bot was blocked by the user",
    "bot was kicked",
    "bot is not a member",
    "chat not found",
    "group chat was deleted",
    "user is deactivated",
    "bot can't initiate conversation",
    "have no rights to send a message",
    "chat_write_forbidden",
)

_TAG = re.compile(r"<(/?)([a-z\-]+)[^>]*>")


def scrub(text: str, token: str) -> str:
    """The text without the bot token (nor its secret half), safe to log or store."""
    if token:
        text = text.replace(token, "<token>")
        secret = token.partition(":")[2]
        if len(secret) >= 8:
            text = text.replace(secret, "<token>")
    return text


def clip_html(text: str, limit: int = MAX_TEXT) -> str:
    """At most `limit` characters of HTML, cut between tags and entities, with open tags closed."""
    if len(text) <= limit:
        return text
    ellipsis = "…"
    budget = limit - len(ellipsis)
    while True:
        cut = text[:budget]
        # Never end inside a tag or an entity.
        last_lt, last_amp = cut.rfind("<"), cut.rfind("&")
        if last_lt > cut.rfind(">"):
            cut = cut[:last_lt]
        if last_amp > cut.rfind(";") and last_amp < len(cut):
            cut = cut[:last_amp]
        open_tags: list[str] = []
        for closing, name in _TAG.findall(cut):
            if closing:
                if open_tags and open_tags[-1] == name:
                    open_tags.pop()
            else:
                open_tags.append(name)
        closing_text = "".join(f"</{name}>" for name in reversed(open_tags))
        result = cut + ellipsis + closing_text
        if len(result) <= limit:
            return result
        budget -= len(result) - limit


def keyboard(buttons: tuple[tuple[tuple[str, str], ...], ...]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in buttons]
    )


class TelegramNotifier:
    """Sends OutgoingMessages through a PTB Bot; raises only scheduler.notify's errors."""

    def __init__(self, bot: Bot, *, counted_by_caller: bool = False, send_timeout: float = SEND_TIMEOUT) -> None:
        """counted_by_caller: the dispatcher took a slot in the bot's shared limiter before each
        send, so the bot's rate limiter must not count the message a second time."""
        self.bot = bot
        self.rate_limit_args = ALREADY_COUNTED if counted_by_caller else None
        self.send_timeout = send_timeout

    async def send(self, chat: ChatAddress, message: OutgoingMessage) -> int:
        try:
            sent = await self.bot.send_message(
                chat_id=chat.telegram_chat_id,
                text=clip_html(message.text),
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                read_timeout=self.send_timeout,
                write_timeout=self.send_timeout,
                **({"rate_limit_args": self.rate_limit_args} if self.rate_limit_args else {}),
            )
        except TelegramError as error:
            raise self.translate(error) from None
        return sent.message_id

    def translate(self, error: TelegramError) -> Exception:
        """The dispatcher's typed error for a PTB error (the token scrubbed from its text)."""
        reason = scrub(error.message, self.bot.token)
        if isinstance(error, RetryAfter):
            return RateLimited(retry_after_seconds(error))
        if isinstance(error, ChatMigrated):
            return ChatMoved(int(error.new_chat_id))
        lowered = reason.lower()
        if isinstance(error, (Forbidden, BadRequest)) and any(p in lowered for p in PERMANENT_ERRORS):
            return ChatGone(reason)
        if isinstance(error, Forbidden):  # any other refusal is just as permanent for this chat
            return ChatGone(reason)
        if isinstance(error, BadRequest):  # the same request would be refused again
            return MessageRejected(reason)
        if isinstance(error, TimedOut):
            # Connecting (or waiting for a pooled connection) timed out: nothing reached Telegram.
            # Writing or waiting for the answer timed out: Telegram may have the message.
            # (PTB raises TimedOut from httpx's exception; its class names say which step timed out.)
            unsent = type(error.__cause__).__name__ in ("ConnectTimeout", "PoolTimeout")
            return TransientError(reason, maybe_delivered=not unsent)
        if isinstance(error, NetworkError):  # TimedOut included; PTB maps 5xx to NetworkError too
            return TransientError(reason)
        return TransientError(f"{type(error).__name__}: {reason}")
