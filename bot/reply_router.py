"""Every text reply to one of the bot's messages, routed by what that message was.

A reply may answer a question the bot asked with ForceReply (store.pending: which date an
extension should move to, why the office sends a task back), or it may be a note on the task a
reminder was about. The question is looked up first and its kind picks the answer; a reply that
answers no open question is a note. One handler reads every reply, so which module reads it no
longer depends on the order the handler modules were registered in.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot import completion_commands, extensions, handlers
from bot.context import deps_of
from store import pending

Answer = Callable[[Update, ContextTypes.DEFAULT_TYPE, pending.OpenQuestion], Awaitable[None]]

# The kind of question (store.pending) -> what reads its answer.
ANSWERS: dict[str, Answer] = {
    pending.EXTENSION_DATE: extensions.answer_proposed_date,
    pending.SEND_BACK_REASON: completion_commands.answer_send_back_reason,
}


async def text_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The answer to the open question the replied-to message asked, else a note on its task."""
    message = update.effective_message
    replied = message.reply_to_message
    if replied is None:
        return
    deps = deps_of(context)
    question = await asyncio.to_thread(pending.find_question, deps.engine, message.chat_id, replied.message_id,
                                       deps.clock())
    answer = ANSWERS.get(question.kind) if question is not None else None
    if answer is not None:
        await answer(update, context, question)
    else:
        await handlers.note_reply(update, context)


HANDLERS = (MessageHandler(filters.REPLY & filters.TEXT & ~filters.COMMAND, text_reply),)
