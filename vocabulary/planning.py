"""Values the planner reads and writes. Plain frozen dataclasses: `store/` builds the inputs
from its tables and stores the outputs, `scheduler/` plans with them; nothing here touches a
database or a chat."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

from vocabulary import ReminderKind


@dataclass(frozen=True)
class TaskToPlan:
    """One task as the planner sees it."""

    task_id: int
    document_id: int
    status: str  # a vocabulary.TaskStatus value
    effective_due: date | None
    units: tuple[tuple[int, str], ...]  # (unit_id, role) with role "lead" | "responsible" | "cooperating"
    # The task's open milestones after the current one (store.milestones.reminded_dues): each is
    # reminded like the effective due date, so a unit hears of the next milestone in time even
    # while the current one is late.
    later_dues: tuple[date, ...] = ()
    recurrence_freqs: tuple[str, ...] = ()  # vocabulary.RECURRENCE_FREQS values
    # Partial policies (same keys as the [reminders] config table); the task's wins over the document's.
    document_overrides: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    task_overrides: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    # No overdue notice (nor escalation) for a due date on or before this day: an administrator
    # stopped them (`deadline-bot quiet`), or the plan came in as history and they were late already.
    overdue_quiet_through: date | None = None
    polls: bool = True  # False for a plan imported as history: nobody is asked about a closed year
    # An administrator's snoozes: nothing about the task is sent before `snoozed_until` (a local
    # date), nothing to a unit before its date in `unit_snoozes` (unit_id -> date).
    snoozed_until: date | None = None
    unit_snoozes: Mapping[int, date] = field(default_factory=lambda: MappingProxyType({}))
    # Units whose own share is done (TaskUnit.status): they are no longer reminded or polled while
    # the task stays open for the others.
    done_unit_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ChatToPlan:
    """A chat that may receive reminders: bound to a unit, or an administrators' chat."""

    chat_id: int  # the Chat row's id (not Telegram's chat id)
    unit_id: int | None  # None for an administrators' chat
    is_admin: bool
    active: bool = True
    # The collective units ("各市州政府") whose member the chat's unit is: the chat also receives
    # what is addressed to them (store.directory keeps the membership).
    member_of: tuple[int, ...] = ()


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
