"""The words every package shares: task statuses, unit roles, reminder kinds, recurrence
frequencies, and the plain records the planner reads and writes (vocabulary.planning).

Every package may import this one, and it imports nothing of theirs: that is what lets
`store/` store a reminder's kind without importing `scheduler/`, and the planner read a task's
status without importing the ORM. A new value is added here, once.
"""
from __future__ import annotations

import enum


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    EXTENSION_REQUESTED = "extension_requested"
    DONE = "done"
    CANCELLED = "cancelled"
    # The lead units said done and the office verifies before it counts ([workflow] verify_done).
    AWAITING_VERIFICATION = "awaiting_verification"


# A task in one of these states needs no reminder and is never due or overdue.
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)

# What a unit may report on its share; cancelling (and any other status) is an administrator's decision.
REPORTABLE_STATUSES = (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.EXTENSION_REQUESTED)

# Open statuses that ask for someone's attention even when the due date is far off.
NEEDS_ATTENTION_STATUSES = (TaskStatus.BLOCKED, TaskStatus.EXTENSION_REQUESTED)


class UnitRole(enum.StrEnum):
    LEAD = "lead"  # 牵头
    RESPONSIBLE = "responsible"  # 负责 / 责任单位
    COOPERATING = "cooperating"  # 配合 / 参与


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
    VERIFY_REQUEST = "verify_request"  # the lead units said done: an administrator verifies (销号) or sends it back
    SENT_BACK = "sent_back"  # an administrator sent a done task back to its units, with a reason
    EXT_REQUEST = "ext_request"  # a unit asks for a later due date: the administrators decide (with buttons)
    EXT_DECISION = "ext_decision"  # the administrators' decision on an extension request, to the unit


# Outbox rows that something other than the planner asked for (an administrator's /remind, a lost
# chat's notice). Their keys start like this; re-planning never cancels them.
UNPLANNED_KEY_PREFIXES = ("poll-now:", "chat_lost:", "outage:", "holidays_missing:", "verify:", "sent_back:",
                          "ext_request:", "ext_decision:")

# The words a unit may report a status with (/status ID WORD, `deadline-bot report`): the buttons'
# own Chinese labels, their short forms, and English. Matched after lower-casing.
STATUS_WORDS: dict[str, TaskStatus] = {
    "已完成": TaskStatus.DONE, "完成": TaskStatus.DONE, "done": TaskStatus.DONE,
    "推进中": TaskStatus.IN_PROGRESS, "进行中": TaskStatus.IN_PROGRESS, "progress": TaskStatus.IN_PROGRESS,
    "in_progress": TaskStatus.IN_PROGRESS,
    "有困难": TaskStatus.BLOCKED, "困难": TaskStatus.BLOCKED, "blocked": TaskStatus.BLOCKED,
}

# How often a duty recurs, as the extractor reads it and the policy configures it.
RECURRENCE_FREQS = ("yearly", "semiannual", "quarterly", "monthly", "periodic", "term")

__all__ = [
    "CLOSED_STATUSES",
    "NEEDS_ATTENTION_STATUSES",
    "RECURRENCE_FREQS",
    "REPORTABLE_STATUSES",
    "STATUS_WORDS",
    "UNPLANNED_KEY_PREFIXES",
    "ReminderKind",
    "TaskStatus",
    "UnitRole",
]
