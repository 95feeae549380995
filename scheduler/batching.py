"""Which due reminders of one chat leave together as one message, and how long lists are paged.

Everything due for one chat at one send is one message: each task a line with its own row of
buttons, in sections by urgency. Telegram caps a message at 4,096 characters and an inline
keyboard is unreadable past a phone screen, so a long list is split into pages of at most
`TASKS_PER_MESSAGE` tasks (the composer keeps each line short enough for a page to fit).
A message asking for a decision on one task (a verification request, a send-back) stays a
message of its own, and so does every message not about a task (digests, notices).

The dispatcher groups claimed rows with these rules, and `deadline-bot schedule --summary`
counts planned rows with them, so the preview counts the messages that will really be sent.
"""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from scheduler.model import ReminderKind

# Kinds a list message carries, in the order of its sections (most urgent first).
LISTED_KINDS = (ReminderKind.ESCALATION, ReminderKind.OVERDUE, ReminderKind.DUE_TODAY, ReminderKind.REMINDER,
                ReminderKind.POLL)
# Ten rows of four buttons is about what a phone shows without scrolling past the text.
TASKS_PER_MESSAGE = 10

_T = TypeVar("_T")


def listed(kinds: Iterable[ReminderKind]) -> bool:
    """True when a task's rows in a chat can go in a list: none of them asks for a decision of its own."""
    return all(kind in LISTED_KINDS for kind in kinds)


def section_rank(kind: ReminderKind) -> int:
    return LISTED_KINDS.index(kind) if kind in LISTED_KINDS else -1


def pages(items: Sequence[_T], size: int = TASKS_PER_MESSAGE) -> list[Sequence[_T]]:
    """The items split into pages of at most `size`, in order."""
    return [items[start:start + size] for start in range(0, len(items), size)] or []


def count_messages(rows: Iterable[tuple[Hashable, datetime, int | None, ReminderKind]]) -> dict[tuple, int]:
    """Messages per (recipient, send instant) for rows (recipient, send_at, task id, kind), as the
    dispatcher would send them if each instant's rows were claimed together."""
    tasks: dict[tuple, dict[int, set[ReminderKind]]] = defaultdict(lambda: defaultdict(set))
    others: dict[tuple, set[ReminderKind]] = defaultdict(set)
    for recipient, send_at, task_id, kind in rows:
        if task_id is None:
            others[(recipient, send_at)].add(kind)  # collapsed per kind, as the dispatcher does
        else:
            tasks[(recipient, send_at)][task_id].add(kind)
    counts: dict[tuple, int] = {key: len(kinds) for key, kinds in others.items()}
    for key, by_task in tasks.items():
        in_list = sum(listed(kinds) for kinds in by_task.values())
        alone = len(by_task) - in_list
        counts[key] = counts.get(key, 0) + alone + math.ceil(in_list / TASKS_PER_MESSAGE)
    return counts
