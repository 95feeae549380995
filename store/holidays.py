"""Holiday notices an administrator imported.

A notice is stored whole for its year (importing the year again replaces it, in one
transaction). The working calendar built from them, and the administrators' notice that a year
begins without official data, are the scheduler's: scheduler/stored_calendar.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, delete, insert, select

from extract.holiday_notice import HolidayNotice as ReadNotice
from store.models import HolidayNotice, HolidayNoticeDay

# The outbox key of the notice that a year has no official data (vocabulary.UNPLANNED_KEY_PREFIXES).
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
