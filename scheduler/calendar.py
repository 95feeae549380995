"""Working days and working hours.

Which days are working days: the Chinese public-holiday calendar with its 调休 make-up workdays,
then the days the administrators listed (these win), else plain weekends.

The `chinese_calendar` package knows 2004-2026 and raises NotImplementedError outside; for such a
year, unless the administrators listed at least one day of it, the calendar falls back to
Monday-Friday and logs one warning (per calendar, per year). Apart from that warning every method
is pure; each year is worked out once and memoised.
"""
from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable
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


class WorkingCalendar:
    """Which days are working days. A frozen view: build a new one when the lists change."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self._extra_holidays = frozenset(extra_holidays)
        self._extra_workdays = frozenset(extra_workdays)
        overlap = self._extra_holidays & self._extra_workdays
        if overlap:
            raise ValueError(f"{min(overlap).isoformat()} is listed both as a holiday and as a workday")
        self._listed_years = {d.year for d in self._extra_holidays | self._extra_workdays}
        self._years: dict[int, _Year] = {}

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
        year = self._years.get(year_number)
        if year is None:
            year = self._years[year_number] = _Year(self._working_days_of(year_number), year_number)
        return year

    def _working_days_of(self, year_number: int) -> list[date]:
        day = date(year_number, 1, 1)
        end = date(year_number + 1, 1, 1)
        try:
            chinese_calendar.is_workday(day)
            official = chinese_calendar.is_workday
        except NotImplementedError:
            if year_number not in self._listed_years:
                logger.warning("No public-holiday calendar for %d: counting only weekends as days off "
                               "(list that year's holidays and make-up workdays in reminders.extra_holidays "
                               "and reminders.extra_workdays)", year_number)
            official = _monday_to_friday
        working = []
        while day < end:
            if day in self._extra_workdays or (official(day) and day not in self._extra_holidays):
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
