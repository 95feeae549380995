"""Warnings the scheduler logs for operators, told to the command line's user in their language.

The calendar logs a year without official holiday data in English, once per calendar, for the
bot's log. A person running `deadline-bot schedule` reads the same warning from the catalogue.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.i18n import Catalogue

CALENDAR_LOGGER = "deadline_bot.scheduler"


class CatalogueWarnings(logging.Handler):
    """Prints a missing-holiday-year record as the catalogue's line; other records as they are."""

    def __init__(self, texts: Catalogue, write: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.texts = texts
        self.write = write
        self.years_told: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        year = getattr(record, "missing_year", None)
        if year is None:
            self.write(record.getMessage())
            return
        if year in self.years_told:  # several calendars in one command: one line per year
            return
        self.years_told.add(year)
        source = self.texts.text(f"holidays.source_{record.calendar_source}")
        self.write(self.texts.text("holidays.missing_year_cli", year=year, source=source))


@contextmanager
def warnings_in(texts: Catalogue, write: Callable[[str], None]) -> Iterator[None]:
    """While the command runs, the calendar's warnings go to `write` in the user's language."""
    logger = logging.getLogger(CALENDAR_LOGGER)
    handler = CatalogueWarnings(texts, write)
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
