"""A task's milestones (its dated deadlines) and the one rule that turns them into its due date.

A task printed with "6月底前完成调研，年底前出台办法" has two milestones. The task is due at its
earliest milestone not yet met; a done report on that milestone, while a later one is still
open, marks it met and moves the task on to the next one instead of closing it. The rule is the
pure `effective_due`, used by ingest, re-import and status reports alike; `reminded_dues` says
which dates the planner reminds; the rest of the module reads and writes milestones inside the
caller's transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, select, update

from store.idlists import id_conditions
from store.models import Deadline, Document, DueSource, Recurrence, Task, TaskPeriod


@dataclass(frozen=True)
class Milestone:
    """One deadline as the rule sees it: its day (None when the plan gives none) and whether it is met."""

    due: date | None
    met: bool = False


@dataclass(frozen=True)
class EffectiveDue:
    due: date | None
    source: DueSource | None
    # The task has dated milestones and every one is met: nothing is left to be due.
    all_met: bool = False


def effective_due(milestones: Iterable[Milestone], period_end: date | None,
                  admin_due: date | None = None) -> EffectiveDue:
    """The task's due date: an administrator's date if one was set, else the earliest open dated
    milestone, else (all dated milestones met) the last of them, else the plan's period end."""
    dated = [m for m in milestones if m.due is not None]
    all_met = bool(dated) and all(m.met for m in dated)
    if admin_due is not None:
        return EffectiveDue(admin_due, DueSource.ADMIN, all_met)
    if open_dues := [m.due for m in dated if not m.met]:
        return EffectiveDue(min(open_dues), DueSource.EXPLICIT)
    if dated:
        # Kept, not cleared: a task reopened after its last milestone still shows what it was due by.
        return EffectiveDue(max(m.due for m in dated), DueSource.EXPLICIT, all_met=True)
    if period_end is not None:
        return EffectiveDue(period_end, DueSource.PERIOD_END)
    return EffectiveDue(None, None)


def reminded_dues(effective: date | None, milestones: Iterable[Milestone]) -> tuple[date, ...]:
    """The due dates reminders are planned for, earliest first: the effective due date, and every
    open dated milestone after the current one.

    The current milestone (the earliest open one) is the effective due date, or an administrator's
    date stands in for it (an approved extension moves the milestone at hand, not the later ones).
    """
    if effective is None:
        return ()
    open_dues = sorted({m.due for m in milestones if m.due is not None and not m.met})
    return tuple(sorted({effective, *open_dues[1:]}))


# --- in the caller's transaction ------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    deadline_id: int
    phrase: str
    due: date | None
    quote: str
    met_at: datetime | None

    @property
    def milestone(self) -> Milestone:
        return Milestone(self.due, self.met_at is not None)


def milestones_in(conn: Connection, task_id: int) -> list[MilestoneRow]:
    """The task's deadlines, dated ones by day, undated ones last (the same on every backend)."""
    rows = conn.execute(
        select(Deadline.id, Deadline.phrase, Deadline.due, Deadline.quote, Deadline.met_at)
        .where(Deadline.task_id == task_id)
        .order_by(Deadline.due.is_(None), Deadline.due, Deadline.id)
    ).all()
    return [MilestoneRow(*row) for row in rows]


@dataclass(frozen=True)
class MilestoneMet:
    """A done report met one milestone of several: which one, and what the task is due by now."""

    phrase: str
    due: date
    next_phrase: str
    next_due: date


def meet_current_milestone_in(conn: Connection, task_id: int, now: datetime) -> MilestoneMet | None:
    """A done report on the task: mark its current milestone met.

    When a later open dated milestone remains, the task's due date moves to it (its source back
    to the plan's: an administrator's date stood in for the milestone now met) and the step is
    returned; the caller keeps the task open. Otherwise the last open milestone (if any) is marked
    met and None is returned: the done report closes the task.
    """
    rows = milestones_in(conn, task_id)
    open_dated = [r for r in rows if r.due is not None and r.met_at is None]
    if not open_dated:
        return None
    current_due = open_dated[0].due
    current = [r for r in open_dated if r.due == current_due]  # two phrases for one day are one milestone
    later = [r for r in open_dated if r.due > current_due]
    conn.execute(update(Deadline).where(Deadline.id.in_([r.deadline_id for r in current]),
                                        Deadline.met_at.is_(None)).values(met_at=now))
    if not later:
        return None
    met_ids = {r.deadline_id for r in current}
    after = effective_due([Milestone(r.due, r.met_at is not None or r.deadline_id in met_ids) for r in rows],
                          period_end=None)
    conn.execute(update(Task).where(Task.id == task_id).values(effective_due=after.due, due_source=after.source))
    return MilestoneMet(phrase=_phrases(current), due=current_due, next_phrase=_phrases(
        [r for r in later if r.due == later[0].due]), next_due=later[0].due)


def _phrases(rows: Sequence[MilestoneRow]) -> str:
    return "；".join(dict.fromkeys(r.phrase for r in rows))


def milestones_about(conn: Connection,
                     pairs: Iterable[tuple[int, date | None]]) -> dict[tuple[int, date], MilestoneRow]:
    """For (task id, due date) pairs: the milestone of that task due that day, if there is one
    (several deadlines printed for one day: the first)."""
    wanted: dict[int, set[date]] = {}
    for task_id, due in pairs:
        if task_id is not None and due is not None:
            wanted.setdefault(task_id, set()).add(due)
    found: dict[tuple[int, date], MilestoneRow] = {}
    for among in id_conditions(conn, Deadline.task_id, wanted):
        for task_id, *row in conn.execute(
            select(Deadline.task_id, Deadline.id, Deadline.phrase, Deadline.due, Deadline.quote, Deadline.met_at)
            .where(among, Deadline.due.is_not(None))
            .order_by(Deadline.task_id, Deadline.due, Deadline.id)
        ):
            if row[2] in wanted[task_id]:
                found.setdefault((task_id, row[2]), MilestoneRow(*row))
    return found


def current_phrases_in(conn: Connection, task_ids: Sequence[int]) -> dict[int, str]:
    """Each task's current milestone as printed: its earliest open dated deadline, else (all met)
    its last dated one, else its first undated one ("印发后60日内": what the plan said, if no day)."""
    rows_by_task: dict[int, list[tuple[date | None, bool, str]]] = {}
    for among in id_conditions(conn, Deadline.task_id, task_ids):
        for task_id, phrase, due, met_at in conn.execute(
            select(Deadline.task_id, Deadline.phrase, Deadline.due, Deadline.met_at)
            .where(among)
            .order_by(Deadline.task_id, Deadline.due.is_(None), Deadline.due, Deadline.id)
        ):
            rows_by_task.setdefault(task_id, []).append((due, met_at is not None, phrase))
    found = {}
    for task_id, rows in rows_by_task.items():
        dated = [(met, phrase) for due, met, phrase in rows if due is not None]
        open_phrases = [phrase for met, phrase in dated if not met]
        found[task_id] = open_phrases[0] if open_phrases else dated[-1][1] if dated else rows[0][2]
    return found


# --- recurring duties: one instance per period ------------------------------------------------

# How long a period of each recurrence lasts, in months; "periodic" and "term" name no length.
PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "yearly": 12}


def next_period_due(due: date | None, freqs: Iterable[str], period_end: date | None) -> date | None:
    """The due date of the period after the one due on `due`: the same day one period later (a
    month's last day stays the last day), while it falls within the plan's period; else None."""
    months = [PERIOD_MONTHS[f] for f in freqs if f in PERIOD_MONTHS]
    if due is None or period_end is None or not months:
        return None
    total = due.month - 1 + min(months)
    year, month = due.year + total // 12, total % 12 + 1
    last_day = _last_day(year, month)
    day = last_day if due.day == _last_day(due.year, due.month) else min(due.day, last_day)
    found = date(year, month, day)
    return found if found <= period_end else None


def _last_day(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def start_next_period_in(conn: Connection, task_id: int, due: date | None, now: datetime,
                         report_id: int | None) -> MilestoneMet | None:
    """Inside the caller's transaction: a done report completed the period of a recurring duty due
    on `due`; when another period follows within the plan, record this one (TaskPeriod), move the
    task's due date to the next and return the step, as for a milestone. None: the last period
    (recorded too), or no recurring duty."""
    freqs_and_phrases = conn.execute(select(Recurrence.freq, Recurrence.phrase)
                                     .where(Recurrence.task_id == task_id).order_by(Recurrence.id)).all()
    period_end = conn.execute(select(Document.period_end).join(Task, Task.document_id == Document.id)
                              .where(Task.id == task_id)).scalar()
    if due is None or not any(f in PERIOD_MONTHS for f, _ in freqs_and_phrases):
        return None
    following = next_period_due(due, [f for f, _ in freqs_and_phrases], period_end)
    current = current_phrases_in(conn, [task_id]).get(task_id)
    # The last period is recorded as well: the duty's history lists every period it was done for.
    conn.execute(TaskPeriod.__table__.insert().values(task_id=task_id, due=due, done_at=now, report_id=report_id))
    if following is None:
        return None
    phrase = next(p for f, p in freqs_and_phrases if f in PERIOD_MONTHS)
    current = current or phrase
    conn.execute(update(Task).where(Task.id == task_id).values(effective_due=following, due_source=DueSource.EXPLICIT))
    return MilestoneMet(phrase=current, due=due, next_phrase=phrase, next_due=following)


def last_period_done_in(conn: Connection, task_id: int) -> date | None:
    """The due date of the latest period of the task reported done, or None."""
    from sqlalchemy import func

    return conn.execute(select(func.max(TaskPeriod.due)).where(TaskPeriod.task_id == task_id)).scalar()
