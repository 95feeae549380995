"""How the plans and the units are doing: done / open / overdue and traffic-light counts.

It composes the store's rows with the scheduler's traffic light, which is why it lives here and
not in store/: the CLI and the /stats and /unit commands count the same way.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from scheduler.policy import ReminderPolicy
from scheduler.traffic import TrafficLight, traffic_light
from store import reports
from vocabulary import CLOSED_STATUSES, TaskStatus


@dataclass
class Tally:
    """Tasks of one plan or one unit: done, open, overdue, and the open ones by traffic light."""

    name: str
    done: int = 0
    open: int = 0
    overdue: int = 0
    lights: dict[TrafficLight, int] = field(default_factory=dict)

    def add(self, status: TaskStatus, due: date | None, today: date, policy: ReminderPolicy) -> None:
        if status is TaskStatus.DONE:
            self.done += 1
        if status in CLOSED_STATUSES:
            return
        self.open += 1
        if due is not None and due < today:
            self.overdue += 1
        light = traffic_light(status.value, due, today, policy)
        self.lights[light] = self.lights.get(light, 0) + 1


@dataclass(frozen=True)
class Stats:
    by_plan: tuple[Tally, ...]  # active plans, in import order
    by_unit: tuple[Tally, ...]  # units with tasks in active plans, by name


def task_stats(engine: Engine, today: date, policy: ReminderPolicy) -> Stats:
    """Done / open / overdue and traffic-light counts of the active plans' tasks, per plan and per unit."""
    tasks, task_units = reports.task_stat_rows(engine)
    return tally_tasks(tasks, task_units, today, policy)


def tally_tasks(tasks: Iterable, task_units: Iterable, today: date, policy: ReminderPolicy) -> Stats:
    """Pure: (task id, status, due, document id, title, source name) rows and (task id, unit name) rows."""
    units_of: dict[int, set[str]] = defaultdict(set)
    for task_id, name in task_units:
        units_of[task_id].add(name)
    plans: dict[int, Tally] = {}
    units: dict[str, Tally] = {}
    for task_id, status, due, document_id, title, source_name in tasks:
        status = TaskStatus(status)
        plans.setdefault(document_id, Tally(title or source_name)).add(status, due, today, policy)
        for name in units_of[task_id]:
            units.setdefault(name, Tally(name)).add(status, due, today, policy)
    return Stats(by_plan=tuple(plans.values()), by_unit=tuple(units[name] for name in sorted(units)))


def unit_tally(engine: Engine, unit_id: int, today: date, policy: ReminderPolicy) -> Tally:
    """Done / open / overdue of one unit's tasks in the active plans ("how is 省司法厅 doing")."""
    name, rows = reports.unit_task_rows(engine, unit_id)
    tally = Tally(name)
    for status, due, _ in rows:
        tally.add(TaskStatus(status), due, today, policy)
    return tally
