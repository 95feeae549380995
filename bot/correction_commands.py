"""Administrators' corrections in chat: /assign, /close, /cancel, /reopen, /snooze and /edit.

Each handler parses what was typed, calls the same app.corrections function the command line
calls (with the running service's in-transaction re-plan) and answers with one line from the
[corrections] catalogue section. Only administrators (bot.access) get past the first line.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Sequence
from datetime import date

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

import app.corrections as corrections
from bot.access import for_administrators
from bot.compose import escape
from bot.context import BotDeps, replanner, reply, reporter_name
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_number
from store.corrections import CorrectionError
from store.errors import UnknownDocument, UnknownUnit
from store.models import UnitRole

log = logging.getLogger(__name__)

CREATE_WORDS = ("new", "新建", "--create")
NONE_WORDS = ("none", "无", "-")


def chat_actor(update: Update) -> corrections.Actor:
    """The administrator as the audit trail names them: Telegram user id, then the shown name."""
    user = update.effective_user
    return corrections.Actor.telegram(user.id if user else None, reporter_name(user) if user else None)


async def _correct(update: Update, texts: Catalogue, call: Callable[[], corrections.Corrected]
                   ) -> corrections.Corrected | None:
    """Run the use case off the event loop; a refusal is answered here and gives None."""
    try:
        return await asyncio.to_thread(call)
    except CorrectionError as error:
        await reply(update, error.text(texts, escape))
    except UnknownUnit as error:
        await reply(update, texts.text("corrections.chat_unknown_unit", name=escape(error.name)))
    except UnknownDocument as error:
        await reply(update, texts.text("corrections.unknown_document", id=error.document_id))
    return None


def _task_id(arg: str | None) -> int | None:
    number = parse_number(arg)
    return number if is_stored_id(number) else None


def _day(text: str) -> date | None:
    """A date as typed; raises ValueError. None for "none"."""
    if text.strip().lower() in NONE_WORDS:
        return None
    return date.fromisoformat(text.strip())


_DOCUMENT_SEQS = re.compile(r"^#?(\d+)[:：](.+)$")


def parse_targets(text: str) -> dict:
    """"12,14-16" (task ids) or "3:1-23" (document 3, its tasks 1 to 23), as app.corrections takes them."""
    match = _DOCUMENT_SEQS.match(text.strip())
    if match:
        document_id = int(match[1])
        if not is_stored_id(document_id):
            raise UnknownDocument(document_id)
        return {"document_id": document_id, "seqs": corrections.parse_numbers(match[2])}
    ids = corrections.parse_numbers(text)
    bad = [i for i in ids if not is_stored_id(i)]
    if bad:
        raise CorrectionError("unknown_task", id=bad[0])
    return {"task_ids": ids}


@for_administrators
async def assign_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/assign TASKS UNIT [ROLE] [new]: the unit gets the role (lead unless given) on each task."""
    args = list(context.args or ())
    create = bool(args) and args[-1].lower() in CREATE_WORDS
    if create:
        args.pop()
    role = corrections.ROLE_WORDS.get(args[-1].lower()) if len(args) >= 3 else None
    if role is not None:
        args.pop()
    if len(args) < 2:
        await reply(update, texts.text("corrections.chat_assign_usage"))
        return
    unit = " ".join(args[1:])
    role = role or UnitRole.LEAD
    actor, replan = chat_actor(update), replanner(context)

    def call():
        return corrections.assign_units(deps.engine, actor, unit, role, create=create, replan=replan,
                                        **parse_targets(args[0]))

    done = await _correct(update, texts, call)
    if done is None:
        return
    lines = [texts.text("corrections.unit_created", unit=escape(done.unit_name))] if done.unit_created else []
    lines.append(texts.text("corrections.assigned", unit=escape(done.unit_name), role=texts.text(f"role.{role.value}"),
                            count=done.changed, unchanged=done.unchanged))
    await reply(update, "\n".join(lines))


def _status_handler(use_case: Callable, usage_key: str, done_key: str):
    @for_administrators
    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
        args = context.args or ()
        task_id = _task_id(args[0]) if args else None
        if not args or parse_number(args[0]) is None:
            await reply(update, texts.text(usage_key))
            return
        if task_id is None:
            await reply(update, texts.text("corrections.unknown_task", id=escape(args[0])))
            return
        note, actor, replan = " ".join(args[1:]), chat_actor(update), replanner(context)
        done = await _correct(update, texts, lambda: use_case(deps.engine, actor, task_id, note=note, replan=replan))
        if done is not None:
            await reply(update, texts.text(done_key, id=task_id, cancelled=done.reminders_cancelled))
    return command


close_command = _status_handler(corrections.close_task, "corrections.chat_close_usage", "corrections.closed")
cancel_command = _status_handler(corrections.cancel_task, "corrections.chat_cancel_usage", "corrections.cancelled")
reopen_command = _status_handler(corrections.reopen_task, "corrections.chat_reopen_usage", "corrections.reopened")


@for_administrators
async def snooze_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                         texts: Catalogue) -> None:
    """/snooze TASK DATE or /snooze UNIT DATE ("none" lifts it)."""
    args = context.args or ()
    if len(args) < 2:
        await reply(update, texts.text("corrections.chat_snooze_usage"))
        return
    try:
        until = _day(args[-1])
    except ValueError:
        await reply(update, texts.text("corrections.chat_snooze_usage"))
        return
    actor, replan = chat_actor(update), replanner(context)
    number = parse_number(args[0]) if len(args) == 2 else None
    if number is not None:
        if not is_stored_id(number):
            await reply(update, texts.text("corrections.unknown_task", id=number))
            return
        done = await _correct(update, texts, lambda: corrections.snooze_task(deps.engine, actor, number, until,
                                                                             replan=replan))
        what = texts.text("corrections.task_ref", id=number)
    else:
        unit = " ".join(args[:-1])
        done = await _correct(update, texts, lambda: corrections.snooze_unit(deps.engine, actor, unit, until,
                                                                             replan=replan))
        what = escape(done.unit_name) if done else ""
    if done is not None:
        await reply(update, texts.text("corrections.snoozed", what=what, until=until.isoformat()) if until
                     else texts.text("corrections.unsnoozed", what=what))


def parse_milestones(text: str) -> list[tuple[date | None, str]]:
    """"2026-06-30=6月底前；2026-12-31=年底前" (? for an undated one); raises ValueError."""
    milestones = []
    for part in re.split(r"[;；\n]+", text):
        if not part.strip():
            continue
        day, sep, phrase = part.partition("=")
        if not sep or not phrase.strip():
            raise ValueError(part)
        milestones.append((None if day.strip() == "?" else date.fromisoformat(day.strip()), phrase.strip()))
    if not milestones:
        raise ValueError(text)
    return milestones


@for_administrators
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps,
                       texts: Catalogue) -> None:
    """/edit TASK title TEXT | due DATE | milestones DATE=PHRASE；…"""
    args: Sequence[str] = context.args or ()
    task_id = _task_id(args[0]) if args else None
    what = args[1].lower() if len(args) > 1 else ""
    value = " ".join(args[2:]).strip()
    if task_id is None or what not in ("title", "due", "milestones", "标题", "截止", "节点") or not value:
        await reply(update, texts.text("corrections.chat_edit_usage"))
        return
    changes: dict = {}
    try:
        if what in ("title", "标题"):
            changes["title"] = value
        elif what in ("due", "截止"):
            changes["due"] = _day(value)
        else:
            changes["milestones"] = parse_milestones(value)
    except ValueError:
        await reply(update, texts.text("corrections.chat_edit_usage"))
        return
    actor, replan = chat_actor(update), replanner(context)
    done = await _correct(update, texts, lambda: corrections.edit_task(deps.engine, actor, task_id, replan=replan,
                                                                       **changes))
    if done is not None:
        await reply(update, texts.text("corrections.edited" if done.changed else "corrections.unchanged",
                                        id=task_id, count=done.changed))


HANDLERS = (
    CommandHandler("assign", assign_command),
    CommandHandler("close", close_command),
    CommandHandler("cancel", cancel_command),
    CommandHandler("reopen", reopen_command),
    CommandHandler("snooze", snooze_command),
    CommandHandler("edit", edit_command),
)
