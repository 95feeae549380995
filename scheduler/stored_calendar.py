"""The working calendar as the store knows it: the policy's listed days, the holiday notices an
administrator imported (store.holidays), then the packages (see scheduler/calendar.py for the
order). The administrators are told in chat, once per year and chat, when a year is about to
begin (or has begun) without official data.
"""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from scheduler.calendar import WorkingCalendar, years_without_official_data
from scheduler.policy import ReminderPolicy
from store.holidays import WARNING_KEY_PREFIX, notice_days
from store.outbox import enqueue_admin_notices
from vocabulary import ReminderKind

log = logging.getLogger("deadline_bot.scheduler")

# How long before 1 January the administrators hear that the coming year has no official data.
WARN_BEFORE = timedelta(weeks=4)


def stored_calendar(engine: Engine, policy: ReminderPolicy) -> WorkingCalendar:
    """The working calendar: the policy's listed days, the imported notices, then the packages."""
    calendar = WorkingCalendar.from_policy(policy)
    refresh_calendar(engine, calendar)
    return calendar


def refresh_calendar(engine: Engine, calendar: WorkingCalendar) -> None:
    """Give the calendar the notices stored now (one imported while the bot runs counts at the next run)."""
    try:
        notices = notice_days(engine)
    except SQLAlchemyError as error:  # the database is away: keep what the calendar knows, try next run
        log.warning("could not read the imported holiday notices: %s", type(error).__name__)
        return
    calendar.use_notices(notices)


def enqueue_missing_year_warnings(engine: Engine, calendar: WorkingCalendar, now: datetime,
                                  zone: ZoneInfo | str = "Asia/Shanghai") -> int:
    """Queue, for every active administrators' chat, one notice per year that begins within four
    weeks (or has begun) without official holiday data; returns how many rows were new."""
    today = now.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()
    years = years_without_official_data(calendar, today, WARN_BEFORE)
    if not years:
        return 0
    with engine.begin() as conn:
        # One per year and chat, ever: the key outlives re-planning (UNPLANNED_KEY_PREFIXES); the
        # due date names the year the message is about.
        return sum(enqueue_admin_notices(conn, ReminderKind.HOLIDAYS_MISSING, f"{WARNING_KEY_PREFIX}{year}", now,
                                         due_date=date(year, 1, 1))
                   for year in years)
