"""The reminder policy: when reminders, polls and digests go out, as one frozen value.

The `[reminders]` table of the config file builds it (`policy_from_mapping`); a document or a
task may carry a partial table of the task-level keys that `ReminderPolicy.with_overrides`
applies on top. Every key, its default and its one-line description live in `_KEYS` below,
so a new setting is one new row there plus one field.
"""
from __future__ import annotations

import dataclasses
import re
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from vocabulary import RECURRENCE_FREQS

ROLES = ("lead", "responsible", "cooperating")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CADENCE_UNITS = ("working_days", "weeks", "months")


@dataclass(frozen=True)
class CadenceStep:
    """One pace of overdue notices: every `every` working days, weeks or months, `notices` times.

    The first step starts with the first overdue notice (the first working day after the due
    date); each later step's first notice comes one of its own intervals after the last notice of
    the step before. `notices` None: the step repeats for as long as the task stays overdue.
    """

    every: int
    unit: str  # one of CADENCE_UNITS
    notices: int | None = None


# Every 3 working days for about two weeks, then weekly for about a month, then monthly.
DEFAULT_OVERDUE_CADENCE = (CadenceStep(3, "working_days", 4), CadenceStep(1, "weeks", 4), CadenceStep(1, "months"))


class PolicyError(ValueError):
    """A bad reminder setting, said in one line that starts with the key, e.g. "reminders.send_time: ..."."""


@dataclass(frozen=True)
class ReminderPolicy:
    """What DESIGN.md's "Reminder policy" asks for; the defaults are its defaults."""

    # Days before the effective due date; each one is sent at send_time on that day, moved back to
    # the previous working day when the day is off.
    offsets_days: tuple[int, ...] = (30, 7, 1)
    send_time: time = time(9, 0)
    due_day_notice: bool = True
    overdue_notices: bool = True
    overdue_cadence: tuple[CadenceStep, ...] = DEFAULT_OVERDUE_CADENCE
    escalate_first_overdue: bool = True
    monthly_poll: bool = True
    # freq -> months whose first working day polls tasks with that recurrence. Yearly obligations
    # are polled twice in the last quarter: early enough to act (October), and once more before
    # the year closes (December). Quarterly ones in the last month of each quarter.
    recurrence_poll_months: tuple[tuple[str, tuple[int, ...]], ...] = (
        ("quarterly", (3, 6, 9, 12)),
        ("yearly", (10, 12)),
    )  # sorted by freq, as parsing leaves it
    remind_roles: tuple[str, ...] = ("lead", "responsible", "cooperating")
    poll_roles: tuple[str, ...] = ("lead", "responsible")
    escalation_roles: tuple[str, ...] = ("lead",)
    yellow_within_days: int = 7
    digest_weekday: str = "monday"
    digest_time: time = time(9, 0)
    working_hours_start: time = time(9, 0)
    working_hours_end: time = time(18, 0)
    timezone: str = "Asia/Shanghai"
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    # A plan imported after its period ended, or whose dated tasks were all due more than this
    # many days before the import, comes in as history (no overdue notices for what was already
    # late, no polls) unless the administrator asks for it as current.
    history_after_overdue_days: int = 90

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)  # ZoneInfo caches instances per key

    def poll_months_for(self, freq: str) -> tuple[int, ...]:
        for name, months in self.recurrence_poll_months:
            if name == freq:
                return months
        return ()

    def with_overrides(self, mapping: Mapping[str, object], where: str = "overrides") -> ReminderPolicy:
        """This policy with a partial per-document or per-task table applied; only task-level keys may appear."""
        for name in mapping:
            if name in _KEYS and not _KEYS[name].per_task:
                raise PolicyError(f"{where}.{name}: can be set only in the [reminders] table, "
                                  f"not per document or task")
        return _build(self, mapping, where)

    def as_mapping(self) -> dict[str, object]:
        """The policy as a TOML-ready table (times as "HH:MM"); policy_from_mapping reads it back."""
        return {name: key.to_toml(getattr(self, name)) for name, key in _KEYS.items()}


DEFAULT_POLICY = ReminderPolicy()


def policy_from_mapping(mapping: Mapping[str, object], where: str = "reminders") -> ReminderPolicy:
    """Validate a [reminders] table (all keys optional) into a policy; PolicyError names the bad key."""
    if not isinstance(mapping, Mapping):
        raise PolicyError(f"{where}: expected a table of reminder settings, got {mapping!r}")
    return _build(DEFAULT_POLICY, mapping, where)


# The key overdue_cadence replaced; a config that still sets it keeps its old meaning (one pace, no slowing down).
LEGACY_OVERDUE_KEY = "overdue_every_working_days"


def _build(base: ReminderPolicy, mapping: Mapping[str, object], where: str) -> ReminderPolicy:
    changes: dict[str, Any] = {}
    if LEGACY_OVERDUE_KEY in mapping:
        if "overdue_cadence" in mapping:
            raise PolicyError(f"{where}.{LEGACY_OVERDUE_KEY}: set overdue_cadence or this key, not both")
        try:
            every = _whole_number(mapping[LEGACY_OVERDUE_KEY], 1)
        except _Bad as bad:
            raise PolicyError(f"{where}.{LEGACY_OVERDUE_KEY}: expected a whole number of working days, "
                              f"got {mapping[LEGACY_OVERDUE_KEY]!r}" + (f" ({bad})" if str(bad) else "")) from None
        changes["overdue_cadence"] = (CadenceStep(every, "working_days"),)
        mapping = {name: value for name, value in mapping.items() if name != LEGACY_OVERDUE_KEY}
    for name, value in mapping.items():
        key = _KEYS.get(name)
        if key is None:
            raise PolicyError(f"{where}.{name}: unknown key (see config.example.toml)")
        try:
            changes[name] = key.parse(value)
        except _Bad as bad:
            raise PolicyError(f"{where}.{name}: expected {key.expected}, got {value!r}"
                              + (f" ({bad})" if str(bad) else "")) from None
    policy = dataclasses.replace(base, **changes)
    _check_consistency(policy, where)
    return policy


def _check_consistency(policy: ReminderPolicy, where: str) -> None:
    start, end = policy.working_hours_start, policy.working_hours_end
    if start >= end:
        raise PolicyError(f"{where}.working_hours_end: {_hhmm(end)} is not after "
                          f"working_hours_start {_hhmm(start)}")
    for name in ("send_time", "digest_time"):
        moment = getattr(policy, name)
        if not start <= moment < end:
            raise PolicyError(f"{where}.{name}: {_hhmm(moment)} is outside working hours "
                              f"{_hhmm(start)}-{_hhmm(end)}")
    both = sorted(set(policy.extra_holidays) & set(policy.extra_workdays))
    if both:
        raise PolicyError(f"{where}.extra_workdays: {both[0].isoformat()} is also listed in extra_holidays")


# ---- parsing one value per key -------------------------------------------------------------

class _Bad(Exception):
    """A value of the wrong shape; the message (if any) adds why."""


def _whole_number(value: object, minimum: int) -> int:
    # bool is an int in Python, but `true` is never a number of days.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Bad()
    if value < minimum:
        raise _Bad(f"must be at least {minimum}")
    return value


def _list_of(value: object, item: Callable[[object], Any]) -> tuple[Any, ...]:
    if not isinstance(value, (list, tuple)):
        raise _Bad()
    return tuple(item(v) for v in value)


def _offsets(value: object) -> tuple[int, ...]:
    days = _list_of(value, lambda v: _whole_number(v, 1))
    # Largest first, like the defaults; repeats would plan the same message twice.
    return tuple(sorted(set(days), reverse=True))


_HHMM = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def _time_of_day(value: object) -> time:
    if isinstance(value, time):  # TOML's local time, e.g. send_time = 09:00:00
        return value.replace(tzinfo=None)
    if isinstance(value, str) and (match := _HHMM.fullmatch(value.strip())):
        return time(int(match[1]), int(match[2]))
    raise _Bad()


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise _Bad()
    return value


def _months(value: object) -> tuple[int, ...]:
    def month(v: object) -> int:
        m = _whole_number(v, 1)
        if m > 12:
            raise _Bad(f"{m} is not a month")
        return m
    return tuple(sorted(set(_list_of(value, month))))


def _recurrence_poll_months(value: object) -> tuple[tuple[str, tuple[int, ...]], ...]:
    if not isinstance(value, Mapping):
        raise _Bad()
    pairs = []
    for freq, months in value.items():
        if freq not in RECURRENCE_FREQS:
            raise _Bad(f"unknown recurrence {freq!r}; known: {', '.join(RECURRENCE_FREQS)}")
        pairs.append((freq, _months(months)))
    return tuple(sorted(pairs))


def _roles(value: object) -> tuple[str, ...]:
    def role(v: object) -> str:
        if v not in ROLES:
            raise _Bad(f"{v!r} is not one of {', '.join(ROLES)}")
        return str(v)
    return tuple(r for r in ROLES if r in set(_list_of(value, role)))


def _weekday(value: object) -> str:
    if not isinstance(value, str) or value.strip().lower() not in WEEKDAYS:
        raise _Bad()
    return value.strip().lower()


def _timezone(value: object) -> str:
    if not isinstance(value, str):
        raise _Bad()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise _Bad("unknown time zone") from None
    return value


def _dates(value: object) -> tuple[date, ...]:
    def one(v: object) -> date:
        if isinstance(v, date) and not isinstance(v, datetime):  # TOML's local date, e.g. 2030-10-01
            return v
        if isinstance(v, str):
            try:
                return date.fromisoformat(v.strip())
            except ValueError:
                pass
        raise _Bad()
    return tuple(sorted(set(_list_of(value, one))))


_EVERY = re.compile(
    r"(\d+)\s*(?:(working[ _]?days?|workdays?|wd|个?工作日)|(weeks?|w|周|星期)|(months?|m|个?月))",
    re.IGNORECASE)


def _cadence(value: object) -> tuple[CadenceStep, ...]:
    steps = _list_of(value, _cadence_step)
    if not steps:
        raise _Bad("needs at least one step; overdue_notices = false turns overdue notices off")
    for number, step in enumerate(steps[:-1], 1):
        if step.notices is None:
            raise _Bad(f"step {number} repeats for ever, so the steps after it would never come; give it notices = N")
    return steps


def _cadence_step(value: object) -> CadenceStep:
    if not isinstance(value, Mapping):
        raise _Bad(f"each step is a table such as {{ every = \"3 working days\", notices = 4 }}, not {value!r}")
    unknown = sorted(set(value) - {"every", "notices"})
    if unknown:
        raise _Bad(f"unknown step key {unknown[0]!r}; a step has every and notices")
    every = value.get("every")
    if isinstance(every, int) and not isinstance(every, bool):
        every = f"{every} working days"
    match = _EVERY.fullmatch(every.strip()) if isinstance(every, str) else None
    if match is None or int(match[1]) < 1:
        raise _Bad(f"every = {every!r} is not \"N working days\", \"N weeks\" or \"N months\" (N at least 1)")
    unit = CADENCE_UNITS[[i for i in (2, 3, 4) if match[i]][0] - 2]
    notices = value.get("notices")
    if notices is not None:
        if isinstance(notices, bool) or not isinstance(notices, int) or notices < 1:
            raise _Bad(f"notices = {notices!r} is not a whole number of at least 1")
    return CadenceStep(int(match[1]), unit, notices)


def _cadence_to_toml(steps: tuple[CadenceStep, ...]) -> list[dict[str, object]]:
    words = {"working_days": "working days", "weeks": "weeks", "months": "months"}
    return [{"every": f"{step.every} {words[step.unit]}", **({} if step.notices is None else {"notices": step.notices})}
            for step in steps]


def _hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


@dataclass(frozen=True)
class _Key:
    doc: str
    expected: str  # completes "expected ..., got 'x'"
    parse: Callable[[object], Any]
    per_task: bool  # may a document or a task override it?
    to_toml: Callable[[Any], object] = lambda v: list(v) if isinstance(v, tuple) else v


def _times_to_toml(v: time) -> str:
    return _hhmm(v)


# The single list of what a [reminders] table may contain, in config.example.toml order.
_KEYS: dict[str, _Key] = {
    "offsets_days": _Key(
        "Days before the effective due date to remind each unit; a day off moves back to the previous working day.",
        "a list of whole numbers of days", _offsets, True),
    "send_time": _Key(
        "Local time (HH:MM) at which reminders, due-day and overdue notices and polls are sent.",
        "a time of day as \"HH:MM\"", _time_of_day, True, _times_to_toml),
    "due_day_notice": _Key(
        "Send a notice on the due date (on the last working day before it when the due date is a day off).",
        "true or false", _boolean, True),
    "overdue_notices": _Key(
        "Send overdue notices (and the escalation, which is the first of them); false turns them off.",
        "true or false", _boolean, True),
    "overdue_cadence": _Key(
        "How often overdue notices go out, as steps that slow down: the first notice on the first working "
        "day after the due date; each step repeats `notices` times, the last one without `notices` for as "
        "long as the task is overdue (with `notices`, the notices end after it).",
        "a list of steps such as { every = \"3 working days\", notices = 4 }", _cadence, True, _cadence_to_toml),
    "escalate_first_overdue": _Key(
        "Also send the first overdue notice to the lead units and to every administrators' chat.",
        "true or false", _boolean, True),
    "monthly_poll": _Key(
        "Ask every unit in poll_roles about each open task on the first working day of each month.",
        "true or false", _boolean, True),
    "recurrence_poll_months": _Key(
        "Recurring obligations: months whose first working day polls tasks with that recurrence, "
        "e.g. { yearly = [10, 12], quarterly = [3, 6, 9, 12] }.",
        "a table of recurrence = [months 1-12]", _recurrence_poll_months, True,
        lambda v: {freq: list(months) for freq, months in v}),
    "remind_roles": _Key(
        "Unit roles that receive before-due, due-day and overdue reminders.",
        "a list of roles (lead, responsible, cooperating)", _roles, True),
    "poll_roles": _Key(
        "Unit roles that receive status polls.",
        "a list of roles (lead, responsible, cooperating)", _roles, True),
    "escalation_roles": _Key(
        "Unit roles that receive the escalation of the first overdue notice (administrators always do).",
        "a list of roles (lead, responsible, cooperating)", _roles, True),
    "yellow_within_days": _Key(
        "An open task due within this many days shows yellow (red once overdue).",
        "a whole number of days", lambda v: _whole_number(v, 0), True),
    "digest_weekday": _Key(
        "Weekday of the administrators' digest; on a day off it goes on the next working day of that week.",
        "a weekday name such as \"monday\"", _weekday, False),
    "digest_time": _Key(
        "Local time (HH:MM) of the administrators' weekly digest.",
        "a time of day as \"HH:MM\"", _time_of_day, False, _times_to_toml),
    "working_hours_start": _Key(
        "Local time (HH:MM) from which messages may be sent on a working day.",
        "a time of day as \"HH:MM\"", _time_of_day, False, _times_to_toml),
    "working_hours_end": _Key(
        "Local time (HH:MM) after which nothing is sent until the next working day.",
        "a time of day as \"HH:MM\"", _time_of_day, False, _times_to_toml),
    "timezone": _Key(
        "IANA time zone of due dates, send times and working hours.",
        "an IANA time zone name such as \"Asia/Shanghai\"", _timezone, False),
    "extra_holidays": _Key(
        "Extra days off (YYYY-MM-DD), e.g. public holidays of years the built-in Chinese calendar does not cover.",
        "a list of dates (YYYY-MM-DD)", _dates, False,
        lambda v: [d.isoformat() for d in v]),
    "extra_workdays": _Key(
        "Extra working days (YYYY-MM-DD), e.g. make-up workdays (调休) on a weekend.",
        "a list of dates (YYYY-MM-DD)", _dates, False,
        lambda v: [d.isoformat() for d in v]),
    "history_after_overdue_days": _Key(
        "A plan imported after its period ended, or whose dated tasks were all due more than this many days "
        "before the import, comes in as history: no overdue notices for what was already late, no polls "
        "(`deadline-bot ingest --current` imports it as current).",
        "a whole number of days", lambda v: _whole_number(v, 0), False),
}

assert set(_KEYS) == {f.name for f in dataclasses.fields(ReminderPolicy)}, "every field needs a key"

# key -> one-line English description, for config.example.toml and `--help` texts.
POLICY_KEYS: Mapping[str, str] = {name: key.doc for name, key in _KEYS.items()}
# The keys a document or a task may override.
OVERRIDE_KEYS: frozenset[str] = frozenset(name for name, key in _KEYS.items() if key.per_task)
