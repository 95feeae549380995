"""Working days and working hours.

Which days are working days, the first source that speaks for a day deciding:

1. the days the administrators listed in the config (reminders.extra_holidays / extra_workdays):
   a deployment's own exceptions (a provincial day off) win over everything;
2. a State Council notice an administrator imported (`deadline-bot holidays import`): for its
   year it is the whole calendar (its days off, its make-up working days, otherwise Monday to
   Friday); the few days it lists in a neighbouring year (元旦 at the end of December) count too;
3. the `chinese_calendar` package (2004-2026 in 1.11; it raises NotImplementedError outside);
4. the `holidays` package: with the official substitutions of that year where it has them,
   otherwise its estimate (the statutory days, moved off weekends, without make-up working days);
5. Monday to Friday.

A year decided by 4's estimate or by 5 has no official data: it logs one warning (per calendar,
per year, unless the administrators listed days of it), and `years_without_official_data` tells
the service which years to warn the administrators about in chat. Apart from that warning every
method is pure; each year is worked out once and memoised. `use_notices` swaps in the notices
stored now, with a fresh memo, in one assignment (the dispatcher may read while the planner swaps).
"""
from __future__ import annotations

import bisect
import enum
import logging
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone

import chinese_calendar

from scheduler.policy import ReminderPolicy

logger = logging.getLogger("deadline_bot.scheduler")

_ONE_DAY = timedelta(days=1)


class _Year:
    """One year's working days, as ordinals, for O(log n) arithmetic."""

    __slots__ = ("ordinals", "flags", "first_ordinal")

    def __init__(self, working: list[date], year: int) -> None:
        self.first_ordinal = date(year, 1, 1).toordinal()
        days_in_year = date(year + 1, 1, 1).toordinal() - self.first_ordinal
        self.ordinals = [d.toordinal() for d in working]
        flags = bytearray(days_in_year)
        for ordinal in self.ordinals:
            flags[ordinal - self.first_ordinal] = 1
        self.flags = bytes(flags)


class CalendarSource(enum.StrEnum):
    """Where a year's working days come from (the order of the module docstring)."""

    NOTICE = "notice"
    CHINESE_CALENDAR = "chinese_calendar"
    HOLIDAYS = "holidays"
    HOLIDAYS_ESTIMATE = "holidays_estimate"
    WEEKENDS = "weekends"

    @property
    def official(self) -> bool:
        return self in (CalendarSource.NOTICE, CalendarSource.CHINESE_CALENDAR, CalendarSource.HOLIDAYS)


class _Notices:
    """The imported notices with the years worked out from them; replaced whole, never changed."""

    __slots__ = ("given", "years", "days", "memo")

    def __init__(self, notices: Mapping[int, Mapping[date, bool]]) -> None:
        self.given = {year: dict(days) for year, days in notices.items()}
        self.years = frozenset(notices)
        days: dict[date, bool] = {}
        for year in sorted(notices):  # a later year's notice speaks last for a day both list
            days.update(notices[year])
        self.days = days
        self.memo: dict[int, _Year] = {}


class WorkingCalendar:
    """Which days are working days. A frozen view of its lists; `use_notices` swaps the notices."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = (),
                 notices: Mapping[int, Mapping[date, bool]] | None = None) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        overlap = self._extra_holidays & self._extra_workdays
        if overlap:
            raise ValueError(f"{min(overlap).isoformat()} is listed both as a holiday and as a workday")
        self._listed_years = {d.year for d in self._extra_holidays | self._extra_workdays}
        self._notices = _Notices(notices or {})

    def use_notices(self, notices: Mapping[int, Mapping[date, bool]]) -> None:
        """Follow these imported notices from now on (all of them: year -> {day: working})."""
        fresh = _Notices(notices)
        if fresh.given != self._notices.given:  # unchanged: keep the memo
            self._notices = fresh

    def year_source(self, year: int) -> CalendarSource:
        """Where `year`'s days off come from (before the administrators' listed days)."""
        return _official_rule(year, self._notices.years)[0]

    def has_official_data(self, year: int) -> bool:
        """False for a year only estimated or counted by weekends, unless the config lists days of it."""
        return self.year_source(year).official or year in self._listed_years

    @classmethod
    def from_policy(cls, policy: ReminderPolicy) -> WorkingCalendar:
        return cls(policy.extra_holidays, policy.extra_workdays)

    # ---- the questions ---------------------------------------------------------------------

    def is_working_day(self, day: date) -> bool:
        year = self._year(day.year)
        return bool(year.flags[day.toordinal() - year.first_ordinal])

    def previous_working_day(self, day: date) -> date:
        """The last working day on or before `day`."""
        ordinal = day.toordinal()
        year_number = day.year
        while True:
            year = self._year(year_number)
            at = bisect.bisect_right(year.ordinals, ordinal)
            if at:
                return date.fromordinal(year.ordinals[at - 1])
            year_number -= 1
            self._check_search(year_number, day)

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day`."""
        ordinal = day.toordinal()
        year_number = day.year
        while True:
            year = self._year(year_number)
            at = bisect.bisect_left(year.ordinals, ordinal)
            if at < len(year.ordinals):
                return date.fromordinal(year.ordinals[at])
            year_number += 1
            self._check_search(year_number, day)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n > 0), before it (n < 0), or `day` itself (n == 0).

        `day` itself need not be a working day: add_working_days(due, 1) is the first working day after due.
        """
        if n == 0:
            return day
        ordinal = day.toordinal()
        year_number = day.year
        year = self._year(year_number)
        if n > 0:
            # index of the first working day strictly after `day`, then step n - 1 further
            index = bisect.bisect_right(year.ordinals, ordinal) + n - 1
            empty_years = 0
            while index >= len(year.ordinals):
                index -= len(year.ordinals)
                empty_years = self._count_empty(year, empty_years)
                year_number += 1
                year = self._year(year_number)
        else:
            index = bisect.bisect_left(year.ordinals, ordinal) + n
            empty_years = 0
            while index < 0:
                empty_years = self._count_empty(year, empty_years)
                year_number -= 1
                year = self._year(year_number)
                index += len(year.ordinals)
        return date.fromordinal(year.ordinals[index])

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in [start, end)."""
        if end <= start:
            return 0
        count = 0
        for year_number in range(start.year, end.year + 1):
            year = self._year(year_number)
            low = bisect.bisect_left(year.ordinals, start.toordinal())
            high = bisect.bisect_left(year.ordinals, end.toordinal())
            count += high - low
        return count

    def first_working_day_of_month(self, year: int, month: int) -> date | None:
        """None only when the administrators declared the whole month off."""
        first = date(year, month, 1)
        found = self.next_working_day(first)
        return found if (found.year, found.month) == (year, month) else None

    def first_working_day_of_week(self, day: date) -> date | None:
        """The first working day of the Monday-to-Sunday week holding `day`; None if that week has none."""
        monday = day - timedelta(days=day.weekday())
        found = self.next_working_day(monday)
        return found if (found - monday).days < 7 else None

    def working_days(self, start: date, end: date) -> list[date]:
        """The working days in [start, end), in order."""
        found: list[date] = []
        for year_number in range(start.year, end.year + 1):
            year = self._year(year_number)
            low = bisect.bisect_left(year.ordinals, start.toordinal())
            high = bisect.bisect_left(year.ordinals, end.toordinal())
            found.extend(date.fromordinal(o) for o in year.ordinals[low:high])
        return found

    # ---- building one year -----------------------------------------------------------------

    def _year(self, year_number: int) -> _Year:
        notices = self._notices  # one read: the memo always belongs to these notices
        year = notices.memo.get(year_number)
        if year is None:
            year = notices.memo[year_number] = _Year(self._working_days_of(year_number, notices), year_number)
        return year

    def _working_days_of(self, year_number: int, notices: _Notices) -> list[date]:
        day = date(year_number, 1, 1)
        end = date(year_number + 1, 1, 1)
        source, official = _official_rule(year_number, notices.years)
        if not source.official and year_number not in self._listed_years:
            logger.warning("No official public-holiday calendar for %d (%s): import the State Council's notice "
                           "with `deadline-bot holidays import`, or list that year's holidays and make-up "
                           "workdays in reminders.extra_holidays and reminders.extra_workdays",
                           year_number, "estimated by the holidays package" if source is
                           CalendarSource.HOLIDAYS_ESTIMATE else "counting only weekends as days off",
                           # For whoever tells a person in their own language (the command line).
                           extra={"missing_year": year_number, "calendar_source": source.value})
        listed = notices.days
        working = []
        while day < end:
            if day in self._extra_workdays:
                working.append(day)
            elif day not in self._extra_holidays and listed.get(day, official(day)):
                working.append(day)
            day += _ONE_DAY
        return working

    @staticmethod
    def _check_search(year_number: int, origin: date) -> None:
        # A year with no working day at all can only come from a misconfigured holiday list; stop
        # rather than walk the calendar to date.max.
        if abs(year_number - origin.year) > 2:
            raise ValueError(f"no working day within two years of {origin.isoformat()}")

    @staticmethod
    def _count_empty(year: _Year, empty_so_far: int) -> int:
        # Stepping many working days crosses whole years (an overdue count years after its due
        # date); only a run of years without any working day means a misconfigured holiday list.
        empty = empty_so_far + 1 if not year.ordinals else 0
        if empty > 2:
            raise ValueError(f"no working day in three years up to {date.fromordinal(year.first_ordinal).year}")
        return empty


def _monday_to_friday(day: date) -> bool:
    return day.weekday() < 5


def _official_rule(year: int, notice_years: frozenset[int]) -> tuple[CalendarSource, Callable[[date], bool]]:
    """The source deciding `year` (below the listed days) and its is-working-day rule."""
    if year in notice_years:
        # The notice's own days are looked up before this rule; the rest of its year is Monday-Friday.
        return CalendarSource.NOTICE, _monday_to_friday
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        return CalendarSource.CHINESE_CALENDAR, chinese_calendar.is_workday
    except NotImplementedError:
        pass
    china = _holidays_package(year)
    if not china:  # beyond the package's years it knows no day at all
        return CalendarSource.WEEKENDS, _monday_to_friday
    make_up = frozenset(d for d in china.weekend_workdays if d.year == year)

    def is_working(day: date) -> bool:
        return day in make_up or (day.weekday() < 5 and day not in china)

    # The package knows a year's make-up working days only from its notice; without any it is
    # an estimate from the statutory rules.
    return (CalendarSource.HOLIDAYS if make_up else CalendarSource.HOLIDAYS_ESTIMATE), is_working


def _holidays_package(year: int):
    import holidays

    try:
        return holidays.China(years=year)  # public holidays only: the half-day ones (三八, 五四) are no day off
    except (NotImplementedError, ValueError):
        return None


def years_without_official_data(calendar: WorkingCalendar, today: date, warn_before: timedelta) -> list[int]:
    """This year, and next year once it is `warn_before` away, where the calendar has no official data."""
    years = [today.year]
    if today >= date(today.year + 1, 1, 1) - warn_before:
        years.append(today.year + 1)
    return [year for year in years if not calendar.has_official_data(year)]


def next_working_instant(instant: datetime, policy: ReminderPolicy, calendar: WorkingCalendar) -> datetime:
    """The first instant at or after `instant` inside working hours on a working day, in UTC.

    Working hours are [working_hours_start, working_hours_end) in policy.timezone: a message due at
    18:00 sharp waits for the next working morning.
    """
    if instant.tzinfo is None:
        raise ValueError("next_working_instant needs an aware datetime")
    zone = policy.zone
    local = instant.astimezone(zone)
    day, moment = local.date(), local.time()
    if calendar.is_working_day(day) and moment < policy.working_hours_end:
        if moment >= policy.working_hours_start:
            return instant.astimezone(timezone.utc)
        opening = day
    else:
        opening = calendar.add_working_days(day, 1)
    return datetime.combine(opening, policy.working_hours_start, tzinfo=zone).astimezone(timezone.utc)
