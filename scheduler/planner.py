"""Planning: tasks + chats + policy + calendar + a window of time -> the reminders due in it.

`plan_reminders` is pure: it reads values and returns values, and "now" is only ever the window.
The live service plans [now - lookback, now + horizon) and lets the store insert what is new by
dedupe key; the preview (`preview_reminders`) plans one local day at a time.

Decisions the policy leaves open, made here:

- Milestones. Every open milestone is reminded: the effective due date (the current milestone,
  or an administrator's date standing in for it) and each later open one in `later_dues`, each
  with its own before-due, due-day, overdue and escalation rows, told apart by the due date in
  their keys. Meeting a milestone moves the effective due date on; its rows are no longer planned.
- Shares. A unit whose own share of the task is done (`done_unit_ids`) gets nothing more about
  it, neither reminders nor polls nor the escalation, while the task stays open for the others;
  a task waiting for the office's verification is reminded to nobody.
- Who gets what. Reminders before the due date, due-day and overdue notices go to every unit
  whose role is in `policy.remind_roles` (lead, responsible and cooperating by default: a
  cooperating unit that never hears of the deadline cannot help meet it). Polls go to the roles in
  `policy.poll_roles` (lead and responsible by default): DESIGN.md asks the responsible units,
  and only the units answerable for the task should be asked "how is it going?". A unit holding
  two roles on one task is addressed once.
- Chats. One row per active chat bound to the unit; a unit without an active chat gets one
  row with chat_id None (the preview shows "no chat bound yet"; the store never stores it).
  A collective unit ("各市州政府") is reached through its members: every active chat bound to a
  member (ChatToPlan.member_of) gets the collective's rows, addressed to the collective (its unit
  id in the row and the key), besides any chat bound to the collective itself.
  Inactive chats get nothing. Administrators' rows go to each active administrators' chat and
  there is no placeholder when there is none.
- Days off. A before-due reminder that falls on a day off moves back to the previous working
  day. The due-day notice of a due date that is a day off goes out, as DUE_TODAY, on the last
  working day before it (the message names the date): a deadline in the National Day week is
  announced before people leave, not after. When several before-due reminders and the due-day
  notice land on the same working day, that recipient gets one message: the due-day notice if it
  is among them, else the reminder nearest the due date.
- Staleness. A before-due or due-day notice is about the future; it is not produced once its due
  date is before "today" (the local date of `now`, or of the window's last instant when no `now`
  is given): after downtime the overdue notice replaces it instead of a flood of stale
  reminders. The live service passes `now`, so a pending row missing from its plan really is no
  longer wanted (task closed, due date moved, chat unbound, policy changed) and may be cancelled.
- Overdue. The first notice is on the first working day after the due date, then as
  `policy.overdue_cadence` says, slowing down step by step (every 3 working days, then weekly,
  then monthly by default; `overdue_notice_days`). The first one also produces ESCALATION rows
  for the units in `policy.escalation_roles` (the lead) and every administrators' chat; a task
  without a lead unit escalates to the administrators only. `policy.overdue_notices` false, or a
  due date on or before the task's `overdue_quiet_through` (an administrator's quiet, a plan
  imported as history), drops both; the before-due and due-day notices of later milestones stay.
- History. A task whose `polls` is false (its plan came in as history) is never polled.
- Polls. Monthly: the first working day of each month (a make-up Saturday counts: it is a
  working day). Recurring obligations: the first working day of each month listed for their
  recurrence in `policy.recurrence_poll_months` (yearly: October and December; quarterly: March,
  June, September, December). A task due for several polls on one day gets one poll. A poll is
  about the task, not its due date: its key and due_date leave the due date out, so moving the
  due date does not re-poll.
- Digest. One per administrators' chat per week, on `policy.digest_weekday` (Monday) or, when
  that is a day off, the next working day of the same Monday-to-Sunday week (none if there is none).
- Overrides. The document's partial policy, then the task's, via ReminderPolicy.with_overrides. An
  override that does not validate is logged and ignored (the rest of the plan still goes out);
  the store should validate overrides when it writes them.

Dedupe keys are "{kind}:t{task}:u{unit}:c{chat}:due{due}:on{local send day}" ("-" for none);
polls drop the due part and digests are "digest:c{chat}:on{day}". Same input, same keys; a moved
due date changes the keys of every before-due, due-day, overdue and escalation row.
"""
from __future__ import annotations

import calendar as calendar_module
import contextlib
import gc
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from scheduler.calendar import WorkingCalendar
from scheduler.model import ChatToPlan, PlannedReminder, ReminderKind, TaskToPlan
from scheduler.policy import WEEKDAYS, CadenceStep, PolicyError, ReminderPolicy
from vocabulary import CLOSED_STATUSES, TaskStatus

__all__ = ["comes_in_as_history", "overdue_notice_days", "plan_reminders", "preview_reminders"]

logger = logging.getLogger("deadline_bot.scheduler")

# The closed statuses, and a task waiting for the office's 销号: its units are done with it.
_NOT_REMINDED = frozenset((*CLOSED_STATUSES, TaskStatus.AWAITING_VERIFICATION))
_UTC = timezone.utc
_ONE_DAY = timedelta(days=1)

REMINDER, DUE_TODAY, OVERDUE, ESCALATION, POLL, DIGEST = (
    ReminderKind.REMINDER, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE,
    ReminderKind.ESCALATION, ReminderKind.POLL, ReminderKind.DIGEST)


def plan_reminders(tasks: Sequence[TaskToPlan], chats: Sequence[ChatToPlan], policy: ReminderPolicy,
                   calendar: WorkingCalendar, window_start: datetime,
                   window_end: datetime, now: datetime | None = None) -> list[PlannedReminder]:
    """Every reminder whose send_at lies in [window_start, window_end), sorted by (send_at, dedupe_key).

    `now` decides what is stale (a before-due or due-day notice whose due date is before now's
    local date); without it, the window's last instant does. The live service passes it, so a
    window reaching past a due date still holds the reminders that come before it.
    """
    for name, instant in (("window_start", window_start), ("window_end", window_end), ("now", now)):
        if instant is not None and instant.tzinfo is None:
            raise ValueError(f"{name} must be an aware datetime, got {instant!r}")
    if window_end <= window_start:
        return []
    with _cycle_collector_paused():
        return _without_snoozed(_plan(tasks, chats, policy, calendar, window_start, window_end, now), tasks,
                                policy.zone)


def _without_snoozed(rows: list[PlannedReminder], tasks: Sequence[TaskToPlan], zone) -> list[PlannedReminder]:
    """The rows an administrator's snooze does not hold back (a task's, or the addressed unit's)."""
    snoozes = {t.task_id: t for t in tasks if t.snoozed_until is not None or t.unit_snoozes}
    if not snoozes:
        return rows
    kept = []
    for row in rows:
        task = snoozes.get(row.task_id)
        if task is not None:
            day = row.send_at.astimezone(zone).date()
            if task.snoozed_until is not None and day < task.snoozed_until:
                continue
            unit_until = task.unit_snoozes.get(row.unit_id) if row.unit_id is not None else None
            if unit_until is not None and day < unit_until:
                continue
        kept.append(row)
    return kept


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    # A big plan allocates millions of rows that all stay alive; each automatic collection would
    # walk every one of them again (measured: more than half the planning time). Planning makes
    # no reference cycles, so pausing the collector frees nothing later than it would have.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _plan(tasks: Sequence[TaskToPlan], chats: Sequence[ChatToPlan], policy: ReminderPolicy,
          calendar: WorkingCalendar, window_start: datetime, window_end: datetime,
          now: datetime | None) -> list[PlannedReminder]:
    window = _Window(policy, calendar, window_start, window_end, now)

    # Chats indexed by unit once, each with its "u{unit}:c{chat}" key part, so the loop over
    # tasks never scans the chat list.
    recipients_of_unit: dict[int, list[tuple[int | None, str]]] = {}
    admin_recipients: list[tuple[int | None, str]] = []
    for chat in chats:
        if not chat.active:
            continue
        if chat.unit_id is not None:
            recipients_of_unit.setdefault(chat.unit_id, []).append((chat.chat_id, f"u{chat.unit_id}:c{chat.chat_id}"))
            for collective_id in chat.member_of:
                recipients_of_unit.setdefault(collective_id, []).append(
                    (chat.chat_id, f"u{collective_id}:c{chat.chat_id}"))
        if chat.is_admin:
            admin_recipients.append((chat.chat_id, f"u-:c{chat.chat_id}"))

    def recipients(unit_id: int) -> list[tuple[int | None, str]]:
        found = recipients_of_unit.get(unit_id)
        if found is None:  # no active chat: one row the preview can show as "no chat bound yet"
            found = recipients_of_unit[unit_id] = [(None, f"u{unit_id}:c-")]
        return found

    # Rows wait as plain tuples in one bucket per send instant (a window holds few distinct
    # instants), so ordering is a sort of key strings per bucket rather than of millions of objects.
    buckets: dict[datetime, list[tuple]] = {}
    schedules = _Schedules(policy, window)
    for task in tasks:
        if task.status in _NOT_REMINDED:
            continue
        schedule = schedules.for_task(task)
        roles_by_unit: dict[int, set[str]] = {}
        done_units = task.done_unit_ids
        for unit_id, role in task.units:
            if unit_id not in done_units:
                roles_by_unit.setdefault(unit_id, set()).add(role)
        task_id = task.task_id
        dues = tuple(dict.fromkeys((task.effective_due, *task.later_dues))) if task.effective_due is not None else ()

        quiet_through = task.overdue_quiet_through
        for due in dues:
            events = schedule.due_events(due)
            if events and quiet_through is not None and due <= quiet_through:
                events = [event for event in events if event[0] is not OVERDUE]
            if events:
                addressed = [(unit_id, recipients(unit_id)) for unit_id, roles in roles_by_unit.items()
                             if not roles.isdisjoint(schedule.remind_roles)]
                for kind, tail, send_at, first_overdue in events:
                    bucket = buckets.setdefault(send_at, [])
                    head = f"{kind.value}:t{task_id}:"
                    for unit_id, unit_recipients in addressed:
                        for chat_id, label in unit_recipients:
                            bucket.append((head + label + tail, kind, task_id, unit_id, chat_id, due))
                    if first_overdue and schedule.policy.escalate_first_overdue:
                        head = f"escalation:t{task_id}:"
                        for unit_id, roles in roles_by_unit.items():
                            if not roles.isdisjoint(schedule.escalation_roles):
                                for chat_id, label in recipients(unit_id):
                                    bucket.append((head + label + tail, ESCALATION, task_id, unit_id, chat_id, due))
                        for chat_id, label in admin_recipients:
                            bucket.append((head + label + tail, ESCALATION, task_id, None, chat_id, due))

        polls = schedule.poll_events(task.recurrence_freqs) if task.polls else ()
        if polls:
            head = f"poll:t{task_id}:"
            for unit_id, roles in roles_by_unit.items():
                if roles.isdisjoint(schedule.poll_roles):
                    continue
                for chat_id, label in recipients(unit_id):
                    for tail, send_at in polls:
                        buckets.setdefault(send_at, []).append(
                            (head + label + tail, POLL, task_id, unit_id, chat_id, None))

    for tail, send_at in window.digest_events():
        for chat_id, _ in admin_recipients:
            buckets.setdefault(send_at, []).append((f"digest:c{chat_id}{tail}", DIGEST, None, None, chat_id, None))

    rows: list[PlannedReminder] = []
    add = rows.append
    for send_at in sorted(buckets):
        bucket = buckets[send_at]
        bucket.sort()  # by dedupe key: keys are unique, so the other fields never decide
        for key, kind, task_id, unit_id, chat_id, due in bucket:
            add(_planned_reminder(key, kind, send_at, task_id, unit_id, chat_id, due))
    return rows


def preview_reminders(tasks: Sequence[TaskToPlan], chats: Sequence[ChatToPlan], policy: ReminderPolicy,
                      calendar: WorkingCalendar, first_day: date, last_day: date) -> list[PlannedReminder]:
    """What would be sent from first_day to last_day (local, inclusive), planned one day at a time."""
    zone = policy.zone
    rows: list[PlannedReminder] = []
    day = first_day
    while day <= last_day:
        start = datetime.combine(day, time(0), tzinfo=zone)
        end = datetime.combine(day + _ONE_DAY, time(0), tzinfo=zone)
        rows.extend(plan_reminders(tasks, chats, policy, calendar, start, end))
        day += _ONE_DAY
    return rows


def comes_in_as_history(period_end: date | None, dues: Iterable[date | None], import_day: date,
                        policy: ReminderPolicy) -> bool:
    """Whether a plan imported on import_day is history: its period ended before that day, or it has
    dated milestones and the latest was due more than policy.history_after_overdue_days before it.

    Reminding the units of a finished year of every task they did not report would be a flood
    about work done or dropped long ago; the administrator can still import it as current.
    """
    if period_end is not None and period_end < import_day:
        return True
    dated = [due for due in dues if due is not None]
    return bool(dated) and max(dated) < import_day - timedelta(days=policy.history_after_overdue_days)


def overdue_notice_days(due: date, cadence: Sequence[CadenceStep], calendar: WorkingCalendar,
                        first_day: date, last_day: date) -> list[date]:
    """The days from first_day to last_day (inclusive) on which an open task due on `due` gets an
    overdue notice, following the cadence's steps from the first working day after the due date.

    A step's notices count from its anchor: the first overdue notice for the first step, the last
    notice of the step before for the others. Weekly and monthly notices are a whole number of
    weeks or months after the anchor, a day off moved on to the next working day, so holidays do
    not make them drift.
    """
    found: list[date] = []
    first = calendar.add_working_days(due, 1)
    last: date | None = None  # the day of the latest notice, in or before the window
    for step in cadence:
        anchor, k = (first, 0) if last is None else (last, 1)
        day = anchor  # working days: the step's previous notice (its anchor before the first)
        made = 0
        while step.notices is None or made < step.notices:
            if step.unit == "working_days":
                if k > 0:
                    day = calendar.add_working_days(day, step.every)
                    if step.notices is None and day < first_day:
                        # Repeats for as long as the task is overdue: skip straight to the window
                        # instead of walking years of notices (the service plans every 15 minutes).
                        behind = calendar.working_days_between(day, first_day)
                        day = calendar.add_working_days(day, -(-behind // step.every) * step.every)
            else:
                if step.notices is None:
                    k = max(k, _intervals_well_before(anchor, step, first_day))
                day = calendar.next_working_day(_after(anchor, step, k))
            if day > last_day:
                return found
            if last is None or day > last:  # a long holiday can push two notices onto one day
                if day >= first_day:
                    found.append(day)
                last = day
            made += 1
            k += 1
    return found


def _after(anchor: date, step: CadenceStep, intervals: int) -> date:
    if step.unit == "weeks":
        return anchor + timedelta(weeks=intervals * step.every)
    months = anchor.month - 1 + intervals * step.every
    year, month = anchor.year + months // 12, months % 12 + 1
    return date(year, month, min(anchor.day, calendar_module.monthrange(year, month)[1]))


def _intervals_well_before(anchor: date, step: CadenceStep, first_day: date) -> int:
    """A number of weekly or monthly intervals after `anchor` whose notices all fall before first_day,
    even moved on past the longest run of days off."""
    if step.unit == "weeks":
        return max(0, (first_day - anchor).days // (7 * step.every) - 2)
    return max(0, ((first_day.year - anchor.year) * 12 + first_day.month - anchor.month) // step.every - 2)


_new_row = object.__new__


def _planned_reminder(dedupe_key: str, kind: ReminderKind, send_at: datetime, task_id: int | None,
                      unit_id: int | None, chat_id: int | None, due_date: date | None) -> PlannedReminder:
    """PlannedReminder(...) without the frozen dataclass's per-field object.__setattr__.

    A large plan builds millions of rows and that __init__ costs more than the planning itself;
    filling the instance dict directly gives an equal, equally frozen value at less than half the cost.
    """
    row = _new_row(PlannedReminder)
    row.__dict__.update(dedupe_key=dedupe_key, kind=kind, send_at=send_at, task_id=task_id,
                        unit_id=unit_id, chat_id=chat_id, due_date=due_date)
    return row


# ---- what the window looks like, worked out once per call -----------------------------------

class _Window:
    """The local days of the window and the instants that fall inside it."""

    def __init__(self, policy: ReminderPolicy, calendar: WorkingCalendar, start: datetime, end: datetime,
                 now: datetime | None = None):
        self.policy = policy
        self.calendar = calendar
        self.zone = policy.zone
        self.start = start
        self.end = end
        self.first_day = start.astimezone(self.zone).date()
        # The local date of the window's last instant: "today" for deciding what is already stale.
        self.last_day = (end - timedelta(microseconds=1)).astimezone(self.zone).date()
        # "Today" for deciding what is already stale: now's local date, else the window's last day.
        self.today = now.astimezone(self.zone).date() if now is not None else self.last_day
        self._instants: dict[tuple[date, time], datetime | None] = {}
        self._month_starts: list[tuple[int, date]] | None = None

    def instant(self, day: date, moment: time) -> datetime | None:
        """`moment` local on `day`, in UTC, or None when that falls outside the window."""
        key = (day, moment)
        try:
            return self._instants[key]
        except KeyError:
            pass
        at = datetime.combine(day, moment, tzinfo=self.zone).astimezone(_UTC)
        found = self._instants[key] = at if self.start <= at < self.end else None
        return found

    def month_starts(self) -> list[tuple[int, date]]:
        """(month, first working day) for each month whose first working day lies in the window's days."""
        if self._month_starts is None:
            found = []
            year, month = self.first_day.year, self.first_day.month
            while date(year, month, 1) <= self.last_day:
                day = self.calendar.first_working_day_of_month(year, month)
                if day is not None and self.first_day <= day <= self.last_day:
                    found.append((month, day))
                year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            self._month_starts = found
        return self._month_starts

    def digest_events(self) -> list[tuple[str, datetime]]:
        policy, calendar = self.policy, self.calendar
        weekday = WEEKDAYS.index(policy.digest_weekday)
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        found = []
        while monday <= self.last_day:
            day = calendar.next_working_day(monday + timedelta(days=weekday))
            if (day - monday).days < 7:
                at = self.instant(day, policy.digest_time)
                if at is not None:
                    found.append((f":on{day.isoformat()}", at))
            monday += timedelta(days=7)
        return found


@dataclass
class _Schedule:
    """One effective policy's events in the window, memoised per due date and per recurrence set."""

    policy: ReminderPolicy
    window: _Window

    def __post_init__(self) -> None:
        self.remind_roles = frozenset(self.policy.remind_roles)
        self.poll_roles = frozenset(self.policy.poll_roles)
        self.escalation_roles = frozenset(self.policy.escalation_roles)
        self._due: dict[date, list[tuple[ReminderKind, str, datetime, bool]]] = {}
        self._polls: dict[tuple[str, ...], list[tuple[str, datetime]]] = {}

    def due_events(self, due: date) -> list[tuple[ReminderKind, str, datetime, bool]]:
        """(kind, key tail, send_at, is the first overdue notice) for one due date."""
        found = self._due.get(due)
        if found is None:
            found = self._due[due] = self._work_out_due_events(due)
        return found

    def _work_out_due_events(self, due: date) -> list[tuple[ReminderKind, str, datetime, bool]]:
        policy, window, calendar = self.policy, self.window, self.window.calendar
        due_text = f":due{due.isoformat()}:on"
        events: list[tuple[ReminderKind, str, datetime, bool]] = []
        if due >= window.today:  # otherwise stale: the overdue notice speaks instead
            by_day: dict[date, ReminderKind] = {}
            # Smallest offset last, so it is the one kept when two offsets share a working day.
            for offset in policy.offsets_days:
                by_day[calendar.previous_working_day(due - timedelta(days=offset))] = REMINDER
            if policy.due_day_notice:
                by_day[calendar.previous_working_day(due)] = DUE_TODAY
            for day, kind in sorted(by_day.items()):
                at = window.instant(day, policy.send_time)
                if at is not None:
                    events.append((kind, f"{due_text}{day.isoformat()}", at, False))
        if due < window.last_day and policy.overdue_notices:
            first = calendar.add_working_days(due, 1)
            for day in overdue_notice_days(due, policy.overdue_cadence, calendar, window.first_day, window.last_day):
                at = window.instant(day, policy.send_time)
                if at is not None:
                    events.append((OVERDUE, f"{due_text}{day.isoformat()}", at, day == first))
        return events

    def poll_events(self, freqs: tuple[str, ...]) -> list[tuple[str, datetime]]:
        """(key tail, send_at) of the polls for a task with these recurrences."""
        found = self._polls.get(freqs)
        if found is None:
            policy = self.policy
            months_by_freq = [policy.poll_months_for(freq) for freq in freqs]
            found = []
            for month, day in self.window.month_starts():
                if policy.monthly_poll or any(month in months for months in months_by_freq):
                    at = self.window.instant(day, policy.send_time)
                    if at is not None:
                        found.append((f":on{day.isoformat()}", at))
            self._polls[freqs] = found
        return found


class _Schedules:
    """The schedule of each distinct effective policy; nearly every task shares the base one."""

    def __init__(self, policy: ReminderPolicy, window: _Window) -> None:
        self.base = _Schedule(policy, window)
        self.window = window
        self._by_overrides: dict[tuple[str, str], _Schedule] = {}

    def for_task(self, task: TaskToPlan) -> _Schedule:
        if not task.document_overrides and not task.task_overrides:
            return self.base
        signature = (_signature(task.document_overrides), _signature(task.task_overrides))
        schedule = self._by_overrides.get(signature)
        if schedule is None:
            policy = self.base.policy
            for where, overrides in ((f"document {task.document_id} overrides", task.document_overrides),
                                     (f"task {task.task_id} overrides", task.task_overrides)):
                if overrides:
                    try:
                        policy = policy.with_overrides(overrides, where)
                    except PolicyError as error:
                        logger.warning("ignoring reminder overrides: %s", error)
            schedule = self._by_overrides[signature] = (
                self.base if policy == self.base.policy else _Schedule(policy, self.window))
        return schedule


def _signature(overrides: Mapping[str, object]) -> str:
    return repr(sorted(overrides.items()))
