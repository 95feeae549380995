"""English dates the time grammar isolates are read without dateparser where they are plainly
spaced, and read exactly as dateparser reads them."""
from __future__ import annotations

from datetime import date

import dateparser
import pytest

from extract.memo import new_document
from extract.timex import english_day

PLAIN = ["31 March 2026", "1st of June, 2025", "22nd Sept. 2027", "December 31, 2021", "Jan 9 2030",
         "29 February 2024", "MAY 2026", "sept 2026", "March 2015", "Nov. 2012", "30 June 2100", "3rd JULY 1999"]
NOT_PLAIN = ["31 June 2026", "29 February 2025", "0 March 2026", "2026-03-31", "March\n2026", "31  March 2026"]


@pytest.mark.parametrize("text", PLAIN + NOT_PLAIN)
@pytest.mark.parametrize("month_end", [True, False])
def test_a_day_reads_as_dateparser_reads_it(text, month_end):
    if not month_end and text.split()[0].lower().rstrip(".") in ("may", "sept", "march", "nov"):
        pytest.skip("a month without a day and without month_end is dateparser's own reading (today's day)")
    new_document()
    settings = {"PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["month", "year"]} if month_end else None
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    assert english_day(text, month_end) == (parsed.date() if parsed else None)


def test_plain_days_do_not_go_to_dateparser(monkeypatch):
    new_document()
    monkeypatch.setattr(dateparser, "parse", lambda *args, **kwargs: pytest.fail("dateparser was asked"))
    assert english_day("31st of March, 2026") == date(2026, 3, 31)
    assert english_day("Sept. 2026", month_end=True) == date(2026, 9, 30)
    assert english_day("February 2024", month_end=True) == date(2024, 2, 29)
