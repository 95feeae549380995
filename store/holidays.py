"""Holiday notices an administrator imported, and the working calendar built from them.

A notice is stored whole for its year (importing the year again replaces it, in one
transaction); the calendar reads every stored notice and, for those years, follows them before
any package (see scheduler/calendar.py for the order). The administrators are told in chat, once
per year and chat, when a year is about to begin (or has begun) without official data.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from extract.holiday_notice import HolidayNotice as ReadNotice
from scheduler.calendar import WorkingCalendar, years_without_official_data
from scheduler.model import ReminderKind
from scheduler.policy import ReminderPolicy
from store.models import HolidayNotice, HolidayNoticeDay
from store.outbox import enqueue_admin_notices

log = logging.getLogger("deadline_bot.store")

# How long before 1 January the administrators hear that the coming year has no official data.
WARN_BEFORE = timedelta(weeks=4)
WARNING_KEY_PREFIX = "holidays_missing:"


@dataclass(frozen=True)
class SavedNotice:
    year: int
    replaced: bool  # a notice of that year was stored before and is now replaced
    holidays: int
    workdays: int


@dataclass(frozen=True)
class StoredNotice:
    year: int
    title: str
    source_name: str
    imported_at: datetime
    days: tuple[tuple[date, bool, str], ...]  # (day, working, festival), by day


def save_notice(engine: Engine, notice: ReadNotice, source_name: str, content_sha256: str,
                now: datetime) -> SavedNotice:
    """Store the notice as its year's calendar, replacing an earlier import of that year."""
    with engine.begin() as conn:
        replaced = conn.execute(delete(HolidayNotice).where(HolidayNotice.year == notice.year)).rowcount
        notice_id = conn.execute(
            insert(HolidayNotice).values(year=notice.year, title=notice.title[:500], source_name=source_name[:500],
                                         content_sha256=content_sha256, imported_at=now)
            .returning(HolidayNotice.id)
        ).scalar_one()
        # The days of a replaced notice went with it (ON DELETE CASCADE).
        conn.execute(insert(HolidayNoticeDay), [
            {"notice_id": notice_id, "day": d.day, "working": d.working, "festival": d.festival[:100]}
            for d in notice.days
        ])
    return SavedNotice(notice.year, bool(replaced), len(notice.holidays), len(notice.workdays))


def stored_notice(engine: Engine, year: int) -> StoredNotice | None:
    """The imported notice of `year`, with its days; None when none was imported."""
    with engine.connect() as conn:
        row = conn.execute(
            select(HolidayNotice.id, HolidayNotice.title, HolidayNotice.source_name, HolidayNotice.imported_at)
            .where(HolidayNotice.year == year)
        ).one_or_none()
        if row is None:
            return None
        days = conn.execute(
            select(HolidayNoticeDay.day, HolidayNoticeDay.working, HolidayNoticeDay.festival)
            .where(HolidayNoticeDay.notice_id == row.id).order_by(HolidayNoticeDay.day)
        ).all()
    return StoredNotice(year, row.title, row.source_name, row.imported_at, tuple(tuple(d) for d in days))


def notice_days(engine: Engine) -> dict[int, dict[date, bool]]:
    """Every stored notice: year -> {day: working}, as WorkingCalendar takes them."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(HolidayNotice.year, HolidayNoticeDay.day, HolidayNoticeDay.working)
            .join(HolidayNoticeDay, HolidayNoticeDay.notice_id == HolidayNotice.id)
        ).all()
    by_year: dict[int, dict[date, bool]] = {}
    for year, day, working in rows:
        by_year.setdefault(year, {})[day] = working
    return by_year


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
