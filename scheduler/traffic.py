"""The traffic light the digest and the task lists show next to each task.

A closed task (done or cancelled) has no light at all: None, so lists can leave the cell empty
rather than show a misleading green. Otherwise red beats yellow beats green:
red once the due date is past; yellow when it is due within `policy.yellow_within_days`
days (today included) or the unit reported it blocked or asked for an extension; green for
the rest of the open work, including tasks without a due date.
"""
from __future__ import annotations

import enum
from datetime import date

from scheduler.policy import ReminderPolicy
from vocabulary import CLOSED_STATUSES, NEEDS_ATTENTION_STATUSES

_CLOSED = frozenset(CLOSED_STATUSES)
_NEEDS_ATTENTION = frozenset(NEEDS_ATTENTION_STATUSES)


class TrafficLight(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def traffic_light(status: str, effective_due: date | None, today: date,
                  policy: ReminderPolicy) -> TrafficLight | None:
    """Red, yellow or green for an open task; None for a done or cancelled one."""
    if status in _CLOSED:
        return None
    if effective_due is not None and effective_due < today:
        return TrafficLight.RED
    if status in _NEEDS_ATTENTION:
        return TrafficLight.YELLOW
    if effective_due is not None and (effective_due - today).days <= policy.yellow_within_days:
        return TrafficLight.YELLOW
    return TrafficLight.GREEN
