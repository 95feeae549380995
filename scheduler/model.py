"""Values the planner reads and writes. Plain frozen dataclasses: `store/` builds the inputs
from its tables and stores the outputs; nothing here touches a database or a chat."""
from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType


class ReminderKind(enum.StrEnum):
    REMINDER = "reminder"  # before each open milestone's due date (30 / 7 / 1 days by default)
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"  # on the first working day after the due date, then every N working days
    ESCALATION = "escalation"  # the first overdue notice, sent to the lead units and the administrators
    POLL = "poll"  # "how is it going?" with one-tap answers
    DIGEST = "digest"  # the administrators' weekly summary
    CHAT_LOST = "chat_lost"  # tells administrators that a unit's chat blocked or removed the bot
    HOLIDAYS_MISSING = "holidays_missing"  # a year begins without official holiday data (due_date: its 1 January)
    OUTAGE = "outage"  # tells administrators that reminders cannot go out, and how many wait
    OUTAGE_OVER = "outage_over"  # tells them that delivery resumed


# Outbox rows that something other than the planner asked for (an administrator's /remind, a lost
# chat's notice). Their keys start like this; re-planning never cancels them.
UNPLANNED_KEY_PREFIXES = ("poll-now:", "chat_lost:", "outage:", "holidays_missing:")


@dataclass(frozen=True)
class TaskToPlan:
    """One task as the planner sees it."""

    task_id: int
    document_id: int
    status: str  # store.models.TaskStatus value
    effective_due: date | None
    units: tuple[tuple[int, str], ...]  # (unit_id, role) with role "lead" | "responsible" | "cooperating"
    # The task's open milestones after the current one (store.milestones.reminded_dues): each is
    # reminded like the effective due date, so a unit hears of the next milestone in time even
    # while the current one is late.
    later_dues: tuple[date, ...] = ()
    recurrence_freqs: tuple[str, ...] = ()  # extract.model.RECURRENCE_FREQS values
    # Partial policies (same keys as the [reminders] config table); the task's wins over the document's.
    document_overrides: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    task_overrides: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    # No overdue notice (nor escalation) for a due date on or before this day: an administrator
    # stopped them (`deadline-bot quiet`), or the plan came in as history and they were late already.
    overdue_quiet_through: date | None = None
    polls: bool = True  # False for a plan imported as history: nobody is asked about a closed year


@dataclass(frozen=True)
class ChatToPlan:
    """A chat that may receive reminders: bound to a unit, or an administrators' chat."""

    chat_id: int  # the Chat row's id (not Telegram's chat id)
    unit_id: int | None  # None for an administrators' chat
    is_admin: bool
    active: bool = True


@dataclass(frozen=True)
class PlannedReminder:
    """One message the policy asks for. The dedupe key makes planning twice insert nothing."""

    dedupe_key: str
    kind: ReminderKind
    send_at: datetime  # an aware instant in UTC
    task_id: int | None  # None for a digest
    unit_id: int | None  # the unit addressed; None for administrators
    chat_id: int | None  # None: the unit has no chat bound yet (the preview shows it; it is never stored)
    due_date: date | None  # the milestone's due date the reminder is about, when it is about one
