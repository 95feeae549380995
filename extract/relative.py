"""Relative dates in an answer ("下月底", "两周后", "next Friday"), counted from today.

A separate entry point from extract.timex on purpose: in a plan "30日内" counts from some event
the plan names, so find_deadlines never reads these; only an answer to "which date do you
propose?" does, and then "today" is the day it is read (in the plan's time zone).

The words are rows of data/relative_dates.toml. dateparser does the arithmetic of durations
("in two weeks", "within 30 days" and, rewritten to that form, "两周后", "30日内"); it knows
neither period ends ("end of next month", "下季度末") nor Chinese week words, and it reads
"next Friday" as the coming Friday, so those are resolved here.

Conventions:
- Weeks start on Monday. "下周五" / "next Friday" is the Friday of next calendar week, even on
  a Monday; "本周五" / "周五" / "this Friday" is the Friday of this week, and once that has
  passed (on a Saturday or Sunday, where "本周五前" is ambiguous) the coming Friday.
- "两周后" is today + 14 days, "30日内" / "within 30 days" today + 30: "after" and "within"
  name the same last day. "一个月后" is the same day next month, or that month's last day
  ("一个月后" on 31 January is 28 February); "半个月" is 15 days, "半年" 6 months.
- "月底前" / "年底前" / "本周内" with no shift word mean the current month, year, week; on the
  last day of the month "月底前" is today itself, which the caller may refuse.
- "明年3月底", "明年3月" end that month; "下月15日" is that day of next month.
Nothing here guesses: "尽快", "下次", "下周" (no day), "next time" give nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

import dateparser

from extract.numerals import chinese_to_int
from extract.patterns import compiled
from extract.timex import last_day
from extract.vocabulary import alternation, table

_CN_NUMBER = r"\d{1,4}|[零〇一二两三四五六七八九十百]{1,4}"
_CN_DAY_OR_MONTH = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# A shift-less period or weekday right after one of these is part of something else:
# "6月底", "三个月内", "每周五", "上周五" (past), "一年内" (a duration).
_NOT_BEFORE_BARE = "0123456789０１２３４５６７８９零〇一二两三四五六七八九十百几半个年月第每上"


@dataclass(frozen=True)
class RelativeDate:
    phrase: str  # as written, e.g. "下月底"
    start: int
    end: int
    due: date




@cache
def _words() -> dict:
    return table("relative_dates")


@cache
def _zh_patterns() -> dict[str, re.Pattern]:
    zh = _words()["zh"]
    shifts, years, periods = (alternation(zh[k]) for k in ("shifts", "years", "periods"))
    ends = alternation({e for words in zh["ends"].values() for e in words})
    durations = zh["durations"]
    return {
        # "明年3月底", "今年10月", "明年3月15日"
        "year_month": compiled(rf"(?P<year>{years})\s*(?P<month>{_CN_DAY_OR_MONTH})\s*月"
                               rf"(?:\s*(?P<day>{_CN_DAY_OR_MONTH})\s*[日号]|底|末|份)?"),
        # "下月15日", "下个月15号"
        "month_day": compiled(rf"(?P<shift>{shifts})月\s*(?P<day>{_CN_DAY_OR_MONTH})\s*[日号]"),
        # "下月底", "本季度末", "明年年底", "年底前", "本周内"
        "period_end": compiled(rf"(?:(?P<year>{years})|(?P<shift>{shifts})?(?P<period>{periods}))(?P<end>{ends})"),
        # "下周五", "本周五前", "星期天"
        "weekday": compiled(rf"(?P<shift>{shifts})?(?:周|星期|礼拜)(?P<day>{alternation(zh['weekdays'])})"),
        # "两周后", "30日内", "一个月后", "半个月内"
        "duration": compiled(rf"(?P<amount>{_CN_NUMBER}|半)(?P<unit>{alternation(durations['units'])})"
                             rf"(?P<after>{alternation(durations['after'])})"),
    }


@cache
def _en_patterns() -> dict[str, re.Pattern]:
    en = _words()["en"]
    shifts, periods = alternation(en["shifts"]), alternation(en["periods"])
    number = alternation(en["numbers"])
    return {
        "period_end": compiled(rf"\bend\s+of\s+(?:(?P<shift>{shifts})\s+)?(?P<period>{periods})\b", re.I),
        "weekday": compiled(rf"\b(?:(?P<shift>{shifts})\s+)?(?P<day>{alternation(en['weekdays'])})\b", re.I),
        "duration": compiled(rf"\b(?:{alternation(en['duration_lead_ins'])})\s+"
                             rf"(?P<amount>\d{{1,4}}|(?:{number})(?:[\s-](?:{number}))?)\s+"
                             rf"(?P<unit>{alternation(en['units'])})\b", re.I),
    }


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _period_end(unit: str, shift: int, today: date) -> date:
    """The last day of the current week/month/quarter/year moved `shift` periods on."""
    if unit == "week":
        return today - timedelta(days=today.weekday()) + timedelta(days=7 * shift + 6)
    if unit == "month":
        return last_day(*_add_months(today.year, today.month, shift))
    if unit == "quarter":
        last_month = (today.month - 1) // 3 * 3 + 3
        return last_day(*_add_months(today.year, last_month, 3 * shift))
    return date(today.year + shift, 12, 31)


def _weekday(day: int, shift: int | None, today: date) -> date:
    """Day `day` (Monday 0) of this week or, with shift 1, of next week; a passed one rolls on."""
    target = today - timedelta(days=today.weekday()) + timedelta(days=7 * (shift or 0) + day)
    return target + timedelta(days=7) if not shift and target < today else target


def _in(amount: int | str, unit: str, today: date) -> date | None:
    """dateparser's reading of "in <amount> <unit>" counted from today."""
    plural = "" if str(amount).lower() in ("1", "a", "an", "one") else "s"
    parsed = dateparser.parse(f"in {amount} {unit.rstrip('s')}{plural}", languages=["en"],
                              settings={"RELATIVE_BASE": datetime.combine(today, time())})
    return parsed.date() if parsed else None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else chinese_to_int(text)


def _safe_date(year: int, month: int | None, day: int | None) -> date | None:
    if not month or not 1 <= month <= 12:
        return None
    if day is None:
        return last_day(year, month)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _bare_allowed(text: str, at: int) -> bool:
    return at == 0 or text[at - 1] not in _NOT_BEFORE_BARE


def _chinese(text: str, today: date) -> list[RelativeDate]:
    zh, pats = _words()["zh"], _zh_patterns()
    found: list[RelativeDate] = []

    def keep(m: re.Match, due: date | None) -> None:
        if due:
            found.append(RelativeDate(m.group(0), m.start(), m.end(), due))

    for m in pats["year_month"].finditer(text):
        day = _number(m["day"]) if m["day"] else None
        keep(m, _safe_date(today.year + zh["years"][m["year"]], _number(m["month"]), day))
    for m in pats["month_day"].finditer(text):
        year, month = _add_months(today.year, today.month, zh["shifts"][m["shift"]])
        keep(m, _safe_date(year, month, _number(m["day"])))
    for m in pats["period_end"].finditer(text):
        unit = "year" if m["year"] else zh["periods"][m["period"]]
        if m["end"] not in zh["ends"][unit] or not (m["year"] or m["shift"] or _bare_allowed(text, m.start())):
            continue
        shift = zh["years"][m["year"]] if m["year"] else zh["shifts"].get(m["shift"], 0)
        keep(m, _period_end(unit, shift, today))
    for m in pats["weekday"].finditer(text):
        if m["shift"] or _bare_allowed(text, m.start()):
            keep(m, _weekday(zh["weekdays"][m["day"]], zh["shifts"].get(m["shift"]), today))
    durations = zh["durations"]
    for m in pats["duration"].finditer(text):
        if m.start() and text[m.start() - 1] in durations["not_after"]:
            continue
        if m["amount"] == "半":
            if m["unit"] in durations["half"]:
                unit, amount = durations["half"][m["unit"]]
                keep(m, _in(amount, unit, today))
            continue
        unit, per = durations["units"][m["unit"]]
        amount = _number(m["amount"])
        if amount:
            keep(m, _in(amount * per, unit, today))
    return found


def _english(text: str, today: date) -> list[RelativeDate]:
    en, pats = _words()["en"], _en_patterns()
    found: list[RelativeDate] = []
    for m in pats["period_end"].finditer(text):
        shift = en["shifts"][m["shift"].lower()] if m["shift"] else 0
        found.append(RelativeDate(m.group(0), m.start(), m.end(),
                                  _period_end(en["periods"][m["period"].lower()], shift, today)))
    for m in pats["weekday"].finditer(text):
        shift = en["shifts"][m["shift"].lower()] if m["shift"] else None
        found.append(RelativeDate(m.group(0), m.start(), m.end(),
                                  _weekday(en["weekdays"][m["day"].lower()], shift, today)))
    for m in pats["duration"].finditer(text):
        due = _in(m["amount"], m["unit"].lower(), today)
        if due:
            found.append(RelativeDate(m.group(0), m.start(), m.end(), due))
    return found


def find_relative_dates(text: str, today: date) -> list[RelativeDate]:
    """Relative date expressions in an answer, in order; of overlapping ones the longest."""
    candidates = sorted(_chinese(text, today) + _english(text, today), key=lambda r: (r.start, r.start - r.end))
    out: list[RelativeDate] = []
    for r in candidates:
        if not out or r.start >= out[-1].end:
            out.append(r)
    return out
