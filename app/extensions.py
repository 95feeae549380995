"""Request and decide an extension: a unit proposes a later due date for its task, in its own
words ("6月底", "下月底", "2026-09-30"); an administrator approves or rejects it, once.

The rules in one place: the date must be readable and later than today; only a task that names
the requesting unit; only an administrator decides; approval moves the due date (an
administrator's, which a re-import keeps) and re-plans in the same transaction. Telling the
administrators (the request, with its buttons) and the unit (the decision) is queued in the
outbox in that same transaction (store.notices): the dispatcher sends them with retries and
records, and a chat that blocked the bot is noticed like any other.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine

from app.access import Actor, may_be_stored_id, require_administrator
from store import extensions
from store.chats import NotUnitsTask, Replanner
from store.extensions import AlreadyDecided, ExtensionInfo, UnknownExtension
from store.pending import QuestionKey

__all__ = ["AlreadyDecided", "ExtensionInfo", "NotUnitsTask", "ProposedDateNotLater", "ProposedDateUnreadable",
           "UnknownExtension", "decide_extension", "read_proposed_due", "request_extension"]


class ProposedDateUnreadable(ValueError):
    """The answer names no date the bot can read."""


class ProposedDateNotLater(ValueError):
    """The date read ends today or earlier: an extension that extends nothing."""

    def __init__(self, proposed: date) -> None:
        super().__init__(f"{proposed.isoformat()} is not after today")
        self.proposed = proposed


def read_proposed_due(engine: Engine, task_id: int, answer: str, today: date) -> date:
    """The date proposed for the task in `answer`, read with the plan's year; raises
    ProposedDateUnreadable or ProposedDateNotLater."""
    year = extensions.task_plan_year(engine, task_id, today)
    proposed = extensions.parse_proposed_due(answer, year, today=today)
    if proposed is None:
        raise ProposedDateUnreadable(answer)
    if proposed <= today:
        raise ProposedDateNotLater(proposed)
    return proposed


def request_extension(engine: Engine, actor: Actor, task_id: int, answer: str, now: datetime, today: date, *,
                      answers: QuestionKey | None = None, user_name: str | None = None) -> ExtensionInfo:
    """Store the actor's unit's request for a later due date, read from `answer` (kept as its reason),
    mark the task extension_requested and queue the request to every administrators' chat;
    `answers` is the bot's question it replies to, forgotten in the same transaction; `user_name`
    is who asked, as the administrators' copy names them. Raises ProposedDateUnreadable,
    ProposedDateNotLater or NotUnitsTask."""
    if actor.unit_id is None or actor.chat_id is None or not may_be_stored_id(task_id):
        raise NotUnitsTask(task_id, actor.unit_id)
    proposed = read_proposed_due(engine, task_id, answer, today)
    return extensions.request_extension(engine, task_id, actor.chat_id, actor.unit_id, actor.user_id, proposed,
                                        answer.strip(), now, answers=answers, telegram_user_name=user_name)


def decide_extension(engine: Engine, actor: Actor, request_id: int, approve: bool, now: datetime, *,
                     replan: Replanner | None = None) -> ExtensionInfo:
    """Approve or reject a pending request, once, and queue the decision to the chat that asked;
    raises NotAllowed, UnknownExtension or AlreadyDecided. `replan` re-plans the task's reminders
    in the decision's transaction."""
    require_administrator(actor, "decide an extension")
    if not may_be_stored_id(request_id):
        raise UnknownExtension(request_id)
    return extensions.decide_extension(engine, request_id, approve, actor.user_id, now, replan=replan)
