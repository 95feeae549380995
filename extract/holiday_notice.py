"""The State Council's yearly holiday notice -> that year's days off and make-up working days.

"国务院办公厅关于2027年部分节假日安排的通知" lists, festival by festival, the days off
("一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。") and the weekend days worked instead
("1月4日（星期日）上班。"). Dates are read with the extractor's own date fragments (timex: Arabic
or Chinese numerals); the words live in data/holiday_notice.toml. The year comes from the title.

Nothing is guessed: a date whose bracketed weekday contradicts it, a span that runs backwards, a
notice without a year or without a single day off is refused with one line naming the place. A
date printed without a year belongs to the notice's year, or to the year before when its weekday
says so (元旦 days at the end of December) or when a span crosses New Year.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from extract.timex import DAY_NUMERAL, MONTH_NUMERAL, YEAR_NUMERAL, date_number
from extract.vocabulary import alternation, table

# A notice lists a few dozen days; a span longer than this is a misreading, not a holiday.
LONGEST_SPAN_DAYS = 31


class NoticeError(ValueError):
    """The text is not a holiday notice this reader can trust; str() is one line saying where."""


@dataclass(frozen=True)
class NoticeDay:
    day: date
    working: bool  # True: a make-up working day (调休上班); False: a day off
    festival: str  # the item's name as printed ("元旦", "春节"), "" when the notice gives none


@dataclass(frozen=True)
class HolidayNotice:
    year: int
    title: str
    days: tuple[NoticeDay, ...]  # ordered by day

    @property
    def holidays(self) -> tuple[date, ...]:
        return tuple(d.day for d in self.days if not d.working)

    @property
    def workdays(self) -> tuple[date, ...]:
        return tuple(d.day for d in self.days if d.working)




@cache
def _words() -> dict:
    return table("holiday_notice")["zh"]


@cache
def _patterns() -> dict[str, re.Pattern]:
    w = _words()
    return {
        "title": re.compile(rf"(?P<year>{YEAR_NUMERAL})\s*年\s*(?:{alternation(w['title_words'])})"),
        # A festival item: "一、元旦：", "（二）春节：", "2. 清明节:" at the start of a line
        "festival": re.compile(rf"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+\s*[、.．])"
                               rf"\s*(?P<name>[^\n：:]{{1,20}}?)\s*(?:{alternation(w['festival_separators'])})",
                               re.MULTILINE),
        # "2027年1月1日（周五）", "3日（周日）": the year and month may be left to the previous date
        "date": re.compile(rf"(?:(?P<year>{YEAR_NUMERAL})\s*年\s*)?(?:(?P<month>{MONTH_NUMERAL})\s*月\s*)?(?P<day>{DAY_NUMERAL})\s*日"
                           rf"(?:\s*[（(](?P<note>[^（）()]*)[）)])?"),
        "range": re.compile(rf"\s*(?:{alternation(w['range_words'])})\s*"),
        "sentence": re.compile(rf"[^{re.escape(''.join(w['sentence_breaks']))}\n]+"),
        "clause": re.compile(rf"[^{re.escape(''.join(w['clause_breaks']))}]+"),
        "weekday": re.compile(rf"(?:{alternation(w['weekday_prefixes'])})\s*(?P<day>{alternation(w['weekdays'])})"),
    }


def read_holiday_notice(text: str, source: str = "notice") -> HolidayNotice:
    """The notice's year, title and days; NoticeError (one line, naming `source`) when it cannot be read."""
    pats, words = _patterns(), _words()
    title_match = pats["title"].search(text)
    if title_match is None:
        raise NoticeError(f"{source}: no title with the year (e.g. \"国务院办公厅关于2027年部分节假日安排的通知\")")
    year = date_number(title_match["year"])
    line_start = text.rfind("\n", 0, title_match.start()) + 1
    line_end = text.find("\n", title_match.end())
    title = text[line_start:line_end if line_end >= 0 else len(text)].strip()

    items = [(m.start(), m["name"].strip()) for m in pats["festival"].finditer(text)]
    item_starts = [at for at, _name in items]
    found: dict[date, NoticeDay] = {}
    for sentence in pats["sentence"].finditer(text):
        if any(word in sentence[0] for word in words["advice_words"]):
            continue
        for clause_match in pats["clause"].finditer(sentence[0]):
            clause, start = clause_match[0], sentence.start() + clause_match.start()
            working = any(word in clause for word in words["work_words"])
            off = any(word in clause for word in words["off_words"])
            if working or off:
                item = bisect.bisect_right(item_starts, start) - 1
                festival = items[item][1] if item >= 0 else ""
                _add_days(found, _clause_days(clause, year, source), working, festival, source)
    if not any(not d.working for d in found.values()):

        raise NoticeError(f"{source}: no days off found (expected lines like \"元旦：1月1日至3日放假调休\")")
    for day in found:
        if not date(year - 1, 12, 1) <= day <= date(year + 1, 1, 31):
            raise NoticeError(f"{source}: {day.isoformat()} lies outside the notice's year {year}")
    return HolidayNotice(year=year, title=title, days=tuple(found[d] for d in sorted(found)))


def _add_days(found: dict[date, NoticeDay], days: list[date], working: bool, festival: str, source: str) -> None:
    for day in days:
        earlier = found.get(day)
        if earlier is not None and earlier.working != working:
            raise NoticeError(f"{source}: {day.isoformat()} is listed both as a day off and as a working day")
        found[day] = NoticeDay(day, working, festival)


def _clause_days(clause: str, year: int, source: str) -> list[date]:
    """Every day a clause names: single dates, "、" lists and "至" spans."""
    pats = _patterns()
    matches = list(pats["date"].finditer(clause))
    days: list[date] = []
    month: int | None = None
    previous_end: int | None = None
    previous_day: date | None = None
    for m in matches:
        if m["month"]:
            month = date_number(m["month"])
        if month is None:
            raise NoticeError(f"{source}: \"{m[0]}\" has no month")
        spans_from = (previous_day if previous_end is not None
                      and pats["range"].fullmatch(clause[previous_end:m.start()]) else None)
        day = _resolve(m, month, year, source, after=spans_from)
        if spans_from is not None:
            if (day - spans_from).days > LONGEST_SPAN_DAYS:
                raise NoticeError(f"{source}: \"{clause.strip()}\" spans more than {LONGEST_SPAN_DAYS} days")
            days.extend(spans_from + timedelta(days=n) for n in range(1, (day - spans_from).days + 1))
        else:
            days.append(day)
        previous_end, previous_day = m.end(), day
    return days


def _resolve(m: re.Match, month: int, year: int, source: str, after: date | None) -> date:
    """The date a match names. Without a printed year: the notice's year, else the year its
    bracketed weekday fits (a day of late December before 元旦), and a span's end is never before
    its start (it crosses New Year)."""
    day_number = date_number(m["day"])
    weekday = _weekday(m["note"] or "")
    if m["year"]:
        candidates = [date_number(m["year"])]
    elif after is not None:
        candidates = [after.year, after.year + 1]
    else:
        candidates = [year, year - 1, year + 1]
    dates = []
    for candidate in candidates:
        try:
            dates.append(date(candidate, month, day_number))
        except ValueError:
            continue
    if not dates:
        raise NoticeError(f"{source}: \"{m[0]}\" is not a date")
    if after is not None:
        dates = [d for d in dates if d > after] or dates
    if weekday is not None:
        fitting = [d for d in dates if d.weekday() == weekday]
        if not fitting:
            raise NoticeError(f"{source}: \"{m[0]}\": {dates[0].isoformat()} is not that weekday")
        dates = fitting
    chosen = dates[0]
    if after is not None and chosen <= after:
        raise NoticeError(f"{source}: \"{m[0]}\" ends a span before it starts")
    return chosen


def _weekday(note: str) -> int | None:
    match = _patterns()["weekday"].search(note)
    return None if match is None else _words()["weekdays"][match["day"]]
