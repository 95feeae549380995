"""What the dispatcher needs from a chat channel, and nothing more.

A channel (Telegram in `bot/`, later e-mail or WeCom) is one small class with one `send`
method; it turns its own failures into the typed errors below, which the dispatcher knows how
to handle. Composing the text is a separate seam (`MessageComposer`), also implemented in
`bot/`, so `scheduler/` never holds a user-facing sentence.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from scheduler.model import ReminderKind


@dataclass(frozen=True)
class ChatAddress:
    """Where a message goes."""

    chat_id: int  # the Chat row's id
    telegram_chat_id: int
    kind: str  # "private" | "group" | "supergroup" | "channel"
    language: str  # "zh-CN" | "en"

    @property
    def is_group(self) -> bool:
        return self.kind in ("group", "supergroup", "channel")


@dataclass(frozen=True)
class OutgoingMessage:
    """Text plus an inline keyboard: rows of (label, callback_data)."""

    text: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


@dataclass(frozen=True)
class OutageNotice:
    """What a notice about a delivery outage tells: since when, until when, how many wait."""

    cause: str  # store.models.OutageCause value: "telegram" | "database"
    started_at: datetime
    ended_at: datetime | None
    waiting: int
    error: str | None = None


@dataclass(frozen=True)
class DeliveryItem:
    """One task of a message that lists several: its most urgent kind and what its line shows."""

    task_id: int
    kind: ReminderKind
    label: str
    title: str
    status: str
    due: date | None  # the milestone the reminders were planned for, else the task's current one
    effective_due: date | None
    unit_id: int | None
    late_units: tuple[str, ...] = ()  # an escalation: the units whose share is not done yet


@dataclass(frozen=True)
class Delivery:
    """One message to compose: every due reminder for one task in one chat, collapsed, or (with
    `items`) every due reminder for several tasks in one chat, listed.

    `kind` is the most urgent of `kinds`; the task fields are read at send time, so the
    message tells the current state, not the state when the reminders were planned.
    """

    chat: ChatAddress
    kind: ReminderKind
    kinds: tuple[ReminderKind, ...]  # every kind collapsed into this message, most urgent first
    reminder_ids: tuple[int, ...]
    now: datetime  # the instant of sending (UTC); "overdue by N days" is computed from it
    task_id: int | None = None
    task_label: str | None = None
    task_title: str | None = None
    task_status: str | None = None  # store.models.TaskStatus value
    document_title: str | None = None
    effective_due: date | None = None
    deadline_phrase: str | None = None  # the printed phrase of the milestone the message is about
    deadline_quote: str | None = None  # the sentence of the plan that milestone was read from
    due_date: date | None = None  # the due date the reminders were planned for
    unit_id: int | None = None
    unit_name: str | None = None
    unit_role: str | None = None  # "lead" | "responsible" | "cooperating" | None
    outage: OutageNotice | None = None  # for OUTAGE and OUTAGE_OVER notices
    # VERIFY_REQUEST and SENT_BACK: the note of the report they tell of (a send-back's reason), and who wrote it.
    report_note: str | None = None
    report_user_name: str | None = None
    late_units: tuple[str, ...] = ()  # an escalation: the units whose share is not done yet
    # A message listing several tasks, most urgent first, and which page of the chat's list it is.
    items: tuple[DeliveryItem, ...] = ()
    page: int = 1
    pages: int = 1


class MessageComposer(Protocol):
    def compose(self, delivery: Delivery) -> OutgoingMessage: ...


class Notifier(Protocol):
    async def send(self, chat: ChatAddress, message: OutgoingMessage) -> int:
        """Send the message; return the channel's message id or raise a NotifierError."""
        ...


class NotifierError(Exception):
    """Base class of what a Notifier may raise; anything else is treated as transient."""


class RateLimited(NotifierError):
    """The channel asked us to wait (Telegram's 429 with retry_after)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited; retry after {retry_after:g} s")
        self.retry_after = retry_after


class ChatGone(NotifierError):
    """Permanent: the bot was blocked, kicked, or the chat was deleted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ChatMoved(NotifierError):
    """A group became a supergroup under a new id; resend there."""

    def __init__(self, new_telegram_chat_id: int) -> None:
        super().__init__(f"chat moved to {new_telegram_chat_id}")
        self.new_telegram_chat_id = new_telegram_chat_id


class MessageRejected(NotifierError):
    """Permanent for this message, not for the chat: the channel refuses it as it is (a bad request)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TransientError(NotifierError):
    """Worth retrying later: network trouble, a 5xx, a timeout.

    `maybe_delivered`: the request reached the channel and no answer came back in time (a read
    timeout), so the message may have gone out; retrying may repeat it. Telegram offers no way to
    ask, nor an idempotency key: this is the one window where a reminder may arrive twice.
    """

    def __init__(self, reason: str, *, maybe_delivered: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.maybe_delivered = maybe_delivered
