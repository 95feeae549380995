"""Time expressions in a task: deadlines ("2017年年底前", "by 30 June 2025") and repeating duties ("每年").

Chinese policy phrases are read with a small grammar over the tables in data/timewords.toml
(dateparser knows neither "年底前" nor "年内"); absolute English dates, once isolated, go to
dateparser. Nothing here guesses: an expression that does not resolve to a day is left out.

A time phrase is no target when a short verb and 的 follow it ("2000年底前建成的小区" describes
which estates) or a repeating word precedes it ("每年11月底前", "by 30 June each year": the slot of
a yearly duty, which find_recurrences reports). Dates long before the plan's year are not dropped
for their age: the plan's year may be the end of a multi-year plan, and the review flag
"deadline_before_issue" already shows a stale date to an administrator.

Dates may be printed in Chinese numerals ("二〇一九年六月底前", "九月底前"); a month ending word is
still required, so enumerations ("一是", "二是") and a signature date never read as deadlines.

An English plan's financial year is read from its preamble (metadata.py) and passed in as a
FiscalYear: "2024–25", "FY2026", "Q3 FY2026" and a bare "by Q4" are then dated by it. Without one,
"2025/26" ends on 31 March (timewords.toml) and fiscal quarters are left unread.

Relative words count from the plan's year: "次年3月底前" is March of the next year, "用两年时间"
the end of plan year + 1. Recurrences use the schema's frequencies only; intervals it has no word
for ("每周", "biennially") are "periodic" (see the table's comment).
"""
from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import dateparser
from dateutil.easter import easter
from lunardate import LunarDate

from extract.memo import per_document
from extract.model import Deadline, Recurrence
from extract.numerals import chinese_to_int
from extract.patterns import compiled
from extract.responsibility import english_full_stop, notes
from extract.vocabulary import alternation, deadline_labels, table

# Longest quote, in characters (Chinese) or letters (English); a longer clause is cut here.
QUOTE_CHARS = 40
QUOTE_CHARS_EN = 100
_CLAUSE_BREAK_ZH = compiled(r"[。；;，,！？!?\n]")
_LEADING_COMMAS = ("，", ",")
_CJK = r"\u3400-\u9fff"
_CN_NUMERAL_BEFORE = "0123456789０１２３４５６７８９一二三四五六七八九十两几每年半多个数近"
# Numbers as a plan may print them in a date: "2019" / "二〇一九", "6" / "六", "30" / "三十".
YEAR_NUMERAL = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})"
MONTH_NUMERAL = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
DAY_NUMERAL = r"(?:\d{1,2}|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
# "first" / "1st" quarter, compared by their first three letters.
_QUARTER_WORDS = ["fir", "sec", "thi", "fou", "1st", "2nd", "3rd", "4th"]
_MONTH_NAMES = "january|february|march|april|may|june|july|august|september|october|november|december"
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december"
           "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")


@cache
def _clause_break_en() -> re.Pattern:
    # "Lead: Dept. of Justice" — an abbreviation's stop does not close the clause.
    return compiled(rf"{english_full_stop()}|[;!?](?=\s|$)|,(?=\s)|\n")


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    due: date | None
    flags: tuple[str, ...] = ()


# Review flag codes a deadline may carry (ReviewFlag.code; worded in bot/locales "review.<code>").
UNDATED = "deadline_without_date"
AMBIGUOUS_DAY_MONTH = "ambiguous_day_month"


def date_number(text: str) -> int:
    """A date's number in Arabic or Chinese numerals ("2019", "二〇一九", "三十")."""
    return int(text) if text.isdigit() else chinese_to_int(text) or 0


def last_day(year: int, month: int, day: int = 0) -> date | None:
    """The day, or with day 0 the month's last day; None where the calendar has no such day."""
    try:
        return date(year, month, day or calendar.monthrange(year, month)[1])
    except ValueError:
        return None




@cache
def _zh() -> dict:
    return table("timewords")["zh"]


@cache
def _zh_patterns() -> dict[str, re.Pattern]:
    zh = _zh()
    points = zh["points"]
    hedges = alternation(zh["hedges"])
    year_points = alternation(k for k in points if k.startswith("年"))
    free_points = alternation(points)
    relative = alternation(zh["this_year"] + zh["next_year"])
    month_ends = alternation(zh["month_suffixes"]["ends"])
    lead_ins = alternation(zh["lead_ins"])
    numeric_sep = "|".join(map(re.escape, zh["numeric_dates"]["separators"]))
    joiners = alternation(zh["ranges"]["joiners"])
    fest = zh["festivals"]
    festivals = alternation([*fest["lunar"], *fest["solar"], *zh["festival_terms"]])
    durations = zh["durations"]
    count = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
    within = alternation(durations["within"])
    return {
        # "力争2022年年底前", "2025年前", "2023年上半年"
        "year_point": compiled(rf"(?:{hedges})?(?P<year>{YEAR_NUMERAL})\s*(?P<point>{year_points})"),
        # "今年底前", "本年度内" — the plan's year named in words
        "relative_point": compiled(rf"(?:{hedges})?(?P<rel>{relative})(?P<point>{year_points.replace('年', '')}|{free_points})"),
        # "2023年9月底前", "6月30日前", "次年3月底前"
        # "二〇一九年六月底前", "九月底前": the same in Chinese numerals. A month ending is required, so
        # "一是…" or a signature date ("二〇一九年三月八日") is no deadline.
        "month": compiled(rf"(?:{hedges})?(?:(?P<year>{YEAR_NUMERAL})\s*年\s*|(?P<rel>{relative}))?(?P<month>{MONTH_NUMERAL})\s*月\s*(?:(?P<day>{DAY_NUMERAL})\s*日)?\s*(?P<end>{month_ends})"),
        # "力争用两年时间建成…"
        "year_span": compiled(rf"(?:{hedges})?(?:{alternation(zh['year_spans']['before'])})"
                              rf"(?P<count>\d{{1,2}}|[一二两三四五六七八九十]{{1,2}})"
                              rf"(?:{alternation(zh['year_spans']['after'])})"),
        # "年内", "上半年", "一季度" with no year: the plan's year
        "free_point": compiled(rf"(?:{hedges})?(?P<point>{free_points})"),
        # "完成时限：2027年6月": after a deadline label a month or day alone is the deadline
        "labelled_date": compiled(rf"(?:(?P<year>\d{{4}})\s*年\s*)?(?P<month>\d{{1,2}})\s*月\s*(?:(?P<day>\d{{1,2}})\s*日)?\s*(?:{month_ends})?"
                                  rf"|(?P<nyear>\d{{4}})\s*(?P<sep>{numeric_sep})\s*(?P<nmonth>\d{{1,2}})"
                                  rf"(?:\s*(?P=sep)\s*(?P<nday>\d{{1,2}}))?(?![\d.])\s*日?\s*(?:{month_ends})?"),
        # "2017年实现…": a year that opens a clause
        "month_after_year": compiled(rf"\s*(?P<month>{MONTH_NUMERAL})\s*月份?(?:\s*(?P<day>{DAY_NUMERAL})\s*[日号])?"),
        # "截止2025年10月", "最迟于9月15日": a limit word before a month or a day that has no end word
        "limited": compiled(rf"(?:{alternation(zh['limit_before'])})\s*(?:于|到|至)?\s*(?:(?P<year>{YEAR_NUMERAL})\s*年\s*)?"
                            rf"(?P<month>{MONTH_NUMERAL})\s*月份?\s*(?:(?P<day>{DAY_NUMERAL})\s*[日号])?"),
        "bare_year": compiled(rf"(?P<hedge>(?:{hedges})?(?:{lead_ins})?)(?P<year>\d{{4}})\s*年"),
        # "…建成的老旧小区": a short verb and 的 after a time phrase make it describe things
        "attributive": compiled(rf"\s*(?:{alternation(zh['attributive']['before_verb'])})?"
                                rf"[{_CJK}]{{1,{zh['attributive']['longest_verb']}}}"
                                rf"{re.escape(zh['attributive']['marker'])}"),
        # "每年11月底前": the slot a duty recurs in
        "recurring_slot": compiled(rf"(?:{alternation(zh['recurring_slot']['before'])})"
                                   rf"(?:{alternation(zh['recurring_slot']['joiners'])})?\s*$"),
        # "2025.10.31前", "2025/09/30前", "2025-08-15前": a day in figures; a limit word must follow
        "numeric": compiled(rf"(?<![\d.／/\-－])(?P<year>\d{{4}})\s*(?P<sep>{numeric_sep})\s*(?P<month>\d{{1,2}})"
                            rf"\s*(?P=sep)\s*(?P<day>\d{{1,2}})(?![\d.])\s*日?\s*(?P<end>{month_ends})?"),
        # "10月上旬", "2025年3月中旬前": a part of a month
        "month_part": compiled(rf"(?:{hedges})?(?:(?P<year>{YEAR_NUMERAL})\s*年\s*|(?P<rel>{relative}))?"
                               rf"(?P<month>{MONTH_NUMERAL})\s*月\s*(?P<part>{alternation(zh['month_parts'])})"
                               rf"(?:{month_ends})?"),
        # "7月1日至9月30日", "2025年7月—9月", "7—9月", "2025年7月1日至2026年6月30日": due at the end
        "range": compiled(rf"(?:(?P<y1>{YEAR_NUMERAL})\s*年\s*)?(?P<m1>{MONTH_NUMERAL})\s*(?P<mo1>月)?\s*(?:(?P<d1>{DAY_NUMERAL})\s*[日号])?"
                          rf"\s*(?:{joiners})\s*"
                          rf"(?:(?P<y2>{YEAR_NUMERAL})\s*年\s*)?(?:(?P<m2>{MONTH_NUMERAL})\s*月\s*)?(?:(?P<d2>{DAY_NUMERAL})\s*[日号])?"
                          rf"(?:{month_ends})?"),
        "numeric_range": compiled(rf"(?<![\d.])(?P<y1>\d{{4}})(?P<sep>{numeric_sep})(?P<m1>\d{{1,2}})(?P=sep)(?P<d1>\d{{1,2}})"
                                  rf"\s*(?:{joiners})\s*(?:(?P<y2>\d{{4}})(?P=sep))?(?P<m2>\d{{1,2}})(?P=sep)"
                                  rf"(?P<d2>\d{{1,2}})(?![\d.])\s*日?(?:{month_ends})?"),
        # "| 完善制度 | 市司法局 | 2025年6月 |": a table cell holding only a month or a day
        "cell_date": compiled(rf"(?<=[|\t])\s*(?:(?P<year>{YEAR_NUMERAL})\s*年\s*(?P<month>{MONTH_NUMERAL})\s*月\s*(?:(?P<day>{DAY_NUMERAL})\s*日)?"
                              rf"|(?P<nyear>\d{{4}})\s*(?P<sep>{numeric_sep})\s*(?P<nmonth>\d{{1,2}})(?:\s*(?P=sep)\s*(?P<nday>\d{{1,2}}))?)"
                              rf"\s*(?:{month_ends})?\s*(?=[|\t]|$)", re.M),
        "past_before": compiled(rf"(?:{alternation(zh['ranges']['past_before'])})\s*$"),
        # "春节前", "2026年国庆节前", "元旦前": the day before the festival
        "festival": compiled(rf"(?:{hedges})?(?:(?P<year>{YEAR_NUMERAL})\s*年\s*|(?P<rel>{relative}))?"
                             rf"(?P<fest>{festivals})(?:{alternation(zh['festivals']['before'])})"),
        # "2026年春季学期开学前", "2025年供暖季前": a dated year's occasion whose day no calendar gives
        "undated_occasion": compiled(rf"(?:{hedges})?(?P<year>{YEAR_NUMERAL})\s*年\s*"
                                     rf"(?:{alternation(zh['undated_occasions']['words'])})"
                                     rf"(?:{alternation(zh['festivals']['before'])})"),
        # "2012年起5年内", "自2025年起3年内", "从2020年开始用三年时间": N years from a stated start
        "stated_span": compiled(rf"(?:{alternation(durations['start_before'])})?(?P<start>{YEAR_NUMERAL})\s*"
                                rf"(?:{alternation(durations['start_after'])})\s*[，,]?\s*(?:用|在)?\s*"
                                rf"(?P<count>{count})\s*(?:个)?\s*年\s*(?:{within})"),
        # "5年内", "三年之内": counted from the start the plan states, if it states one
        "years_within": compiled(rf"(?P<count>{count})\s*(?:个)?\s*年\s*(?:之内|以内|内)"),
        # "印发后30日内", "结案后一年内", "自…之日起60个工作日内": after an event
        "after_event": compiled(rf"(?P<mark>{alternation(durations['event_marks'])})\s*(?P<count>{count})\s*"
                                rf"(?P<unit>{alternation(durations['units'])})\s*(?:之内|以内|内)"),
        "benefit": compiled(rf"\s*(?:{alternation(durations['benefits'])})"),
        "cn_full_date": compiled(rf"(?P<year>{YEAR_NUMERAL})\s*年\s*(?P<month>{MONTH_NUMERAL})\s*月\s*(?P<day>{DAY_NUMERAL})\s*[日号]"
                                 rf"|(?P<nyear>\d{{4}})(?P<sep>{numeric_sep})(?P<nmonth>\d{{1,2}})(?P=sep)(?P<nday>\d{{1,2}})"),
        # spans that are names or periods, never deadlines
        "book_title": compiled(r"《[^《》]*》|〈[^〈〉]*〉"),
        "year_range": compiled(r"\d{4}\s*年?\s*[-—–~～至到]\s*\d{4}\s*年?"),
    }


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    """Book titles, year ranges and responsibility notes: they name things, never deadlines."""
    spans = [m.span() for key in ("book_title", "year_range") for m in _zh_patterns()[key].finditer(text)]
    for note in notes(text):
        at = text.find(note)
        if at >= 0:
            spans.append((at, at + len(note)))
    return spans


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _opens_clause(text: str, at: int) -> bool:
    before = text[:at].rstrip(" ")
    return not before or before[-1] in "。；;，,：:、\n（(”“\"'"


def _relative_year(word: str | None, plan_year: int | None) -> int | None:
    """The year "今年" / "次年" (or no word) names in a plan for plan_year."""
    if plan_year is None:
        return None
    return plan_year + (1 if word in _zh()["next_year"] else 0)


def _chinese_deadlines(text: str, plan_year: int | None, span_start: int | None = None) -> list[_Found]:
    pats, zh = _zh_patterns(), _zh()
    points = zh["points"]
    blocked = _blocked_spans(text)
    taken: list[tuple[int, int]] = []
    found: list[_Found] = []

    def keep(start: int, end: int, due: date | None, flags: tuple[str, ...] = ()) -> None:
        if (due or UNDATED in flags) and not (_overlaps((start, end), blocked) or _overlaps((start, end), taken)):
            taken.append((start, end))
            # Taken all the same, so that a shorter reading of the same words ("2000年") is not tried.
            if not _describes_or_recurs(text, start, end):
                found.append(_Found(start, end, due, flags))

    # Longest forms first: a range's first day, a span's start year or a festival's year are
    # parts of them, never deadlines of their own.
    for m in pats["cell_date"].finditer(text):
        keep(m.start(), m.end(), last_day(*_year_month_day(m)))
    for key in ("numeric_range", "range"):
        for m in pats[key].finditer(text):
            if pats["past_before"].search(text[:m.start()]):
                taken.append(m.span())
            elif (due := _range_end(m, plan_year)) is not None:
                keep(m.start(), m.end(), due)
    for m in pats["stated_span"].finditer(text):
        keep(m.start(), m.end(), _years_from(date_number(m["start"]), date_number(m["count"])))
    for m in pats["festival"].finditer(text):
        if m["year"] is None and m["rel"] is None and m.start() and text[m.start() - 1] in _CN_NUMERAL_BEFORE:
            continue  # "十五一前" is no 五一
        if text.startswith("后", m.end()):
            continue  # "春节前后" is around the festival, no limit
        year = date_number(m["year"]) if m["year"] else _relative_year(m["rel"], plan_year)
        if year:
            day = festival_day_zh(m["fest"], year)
            keep(m.start(), m.end(), day - timedelta(days=1) if day else None)
    for m in pats["undated_occasion"].finditer(text):
        keep(m.start(), m.end(), None, (UNDATED,))
    for m in pats["numeric"].finditer(text):
        if m["end"]:
            keep(m.start(), m.end(), _day(int(m["year"]), int(m["month"]), int(m["day"])))
    for m in pats["month_part"].finditer(text):
        year = date_number(m["year"]) if m["year"] else _relative_year(m["rel"], plan_year)
        if year:
            keep(m.start(), m.end(), last_day(year, date_number(m["month"]), zh["month_parts"][m["part"]]))
    for m in pats["limited"].finditer(text):
        year = date_number(m["year"]) if m["year"] else plan_year
        if year:
            keep(m.start(), m.end(), last_day(year, date_number(m["month"]), date_number(m["day"] or "0")))
    for m in pats["year_point"].finditer(text):
        month, day = points[m["point"]]
        keep(m.start(), m.end(), last_day(date_number(m["year"]), month, day))
    for m in pats["month"].finditer(text):
        year = date_number(m["year"]) if m["year"] else _relative_year(m["rel"], plan_year)
        month = date_number(m["month"])
        if year and 1 <= month <= 12:
            keep(m.start(), m.end(), last_day(year, month, date_number(m["day"] or "0")))
    for m in pats["year_span"].finditer(text):
        count = int(m["count"]) if m["count"].isdigit() else chinese_to_int(m["count"])
        if plan_year and count:
            keep(m.start(), m.end(), date(plan_year + count - 1, 12, 31))
    for m in pats["relative_point"].finditer(text):
        if plan_year:
            year = _relative_year(m["rel"], plan_year)
            point = m["point"] if m["point"] in points else "年" + m["point"]
            if point in points:
                month, day = points[point]
                keep(m.start(), m.end(), last_day(year, month, day))
    for m in pats["after_event"].finditer(text):
        # "毕业后2年内的高校毕业生" describes who, "3年内享受补贴" is a benefit: neither is a target
        if not pats["benefit"].match(text, m.end()) and not text.startswith("的", m.end()):
            start = _event_start(text, m.start())
            since = _full_date_zh(text[start:m.start()])
            due = _add(since, date_number(m["count"]), _zh()["durations"]["units"][m["unit"]]) if since else None
            keep(start, m.end(), due, () if due else (UNDATED,))
    for m in pats["years_within"].finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if span_start and before not in zh["durations"]["not_after"] and not pats["benefit"].match(text, m.end()):
            keep(m.start(), m.end(), _years_from(span_start, date_number(m["count"])))
    for m in pats["free_point"].finditer(text):
        if plan_year and (m.start() == 0 or text[m.start() - 1] not in _CN_NUMERAL_BEFORE):
            month, day = points[m["point"]]
            keep(m.start(), m.end(), last_day(plan_year, month, day))
    not_after = (*zh["not_after_year"], *zh["festivals"]["lunar"], *zh["festivals"]["solar"], *zh["festival_terms"])
    for m in pats["bare_year"].finditer(text):
        rest = text[m.end():].lstrip(" ")
        if rest.startswith(not_after):
            continue
        if not _opens_clause(text, m.start()) and (m["hedge"] or not rest.startswith(tuple(zh["year_completions"]))):
            continue
        if plan_year and int(m["year"]) < plan_year:
            continue  # "2023年水毁工程…" in a 2024 plan names last year's work, no target
        if month := pats["month_after_year"].match(text, m.end()):
            # "2025年6月完成验收" is a month given for completing it; "2025年9月1日起施行" is a date
            # that names a day with no limit word, as a date of issue or a start does.
            if not month["day"] and 1 <= (number := date_number(month["month"])) <= 12:
                keep(m.start(), month.end(), last_day(int(m["year"]), number, 0))
            continue
        keep(m.start(), m.end(), date(int(m["year"]), 12, 31))
    return found


@dataclass(frozen=True)
class PlanSpan:
    """The years a plan states it runs for: "2012年起5年内" is 2012 to 2016-12-31."""
    start: int
    end: date


def plan_span(paragraphs: list[str]) -> PlanSpan | None:
    """The span of years the plan's text states ("2012年起5年内", "自2025年起3年内"), if it states one:
    two different spans are for an administrator to settle, not for a guess."""
    spans = {PlanSpan(date_number(m["start"]), end) for para in paragraphs
             for m in _zh_patterns()["stated_span"].finditer(para)
             if (end := _years_from(date_number(m["start"]), date_number(m["count"])))}
    return spans.pop() if len(spans) == 1 else None


def _year_month_day(m: re.Match, year: int | None = None) -> tuple[int | None, int, int]:
    """A matched day's year, month and day (0 where it prints none), whether in words or figures
    ("2025年6月30日", "二〇二五年六月") or in figures and separators ("2025.6.30", the n- groups);
    `year` where the match prints none."""
    if m["nyear"]:
        return int(m["nyear"]), int(m["nmonth"]), int(m["nday"] or 0)
    return date_number(m["year"]) if m["year"] else year, date_number(m["month"]), date_number(m["day"] or "0")


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _years_from(start: int, count: int) -> date | None:
    """The end of N years of which `start` is the first: "2012年起5年内" -> 2016-12-31."""
    return date(start + count - 1, 12, 31) if start and count else None


def _range_end(m: re.Match, plan_year: int | None) -> date | None:
    """The last day of "7月1日至9月30日" / "7—9月" / "2025.7.1-2025.9.30", or None if it is none."""
    if not (m["m2"] or m["d2"]):
        return None
    if "mo1" in m.re.groupindex and not m["mo1"] and (m["d1"] or not m["m2"]):
        return None  # "7—9月" needs the second month; "3-5日" alone is no range of months
    year = date_number(m["y2"] or m["y1"] or "0") or plan_year
    month = date_number(m["m2"] or m["m1"])
    if not year or not 1 <= month <= 12:
        return None
    return last_day(year, month, date_number(m["d2"] or "0"))


def _range_follows(text: str, at: int) -> bool:
    """Whether a range joiner and a second date follow text[:at] ("2025年7月" + "至9月")."""
    m = _zh_patterns()["range"].match(text)
    return bool(m and m.end() > at and _range_end(m, 2000))


def _event_start(text: str, at: int) -> int:
    """Where the event a duration hangs on begins: the start of its clause, at most 24 characters back."""
    left = max((b.end() for b in _CLAUSE_BREAK_ZH.finditer(text, 0, at)), default=0)
    return max(left, at - 24)


def _full_date_zh(text: str) -> date | None:
    """The one day printed in text ("自2025年3月1日起"), if there is exactly one."""
    days = set()
    for m in _zh_patterns()["cn_full_date"].finditer(text):
        days.add(_day(*_year_month_day(m)))
    days.discard(None)
    return days.pop() if len(days) == 1 else None


def _add(since: date, count: int, unit: str) -> date | None:
    """since plus count units (days, weeks, months, years); None for working days, which need the
    holiday calendar of a year the plan may not be in."""
    if unit == "days":
        return since + timedelta(days=count)
    if unit == "weeks":
        return since + timedelta(weeks=count)
    if unit in ("months", "years"):
        months = since.month - 1 + count * (12 if unit == "years" else 1)
        year, month = since.year + months // 12, months % 12 + 1
        return date(year, month, min(since.day, calendar.monthrange(year, month)[1]))
    return None


def festival_day_zh(name: str, year: int) -> date | None:
    """The day of a Chinese festival in a year: 春节 by the lunisolar calendar, 国庆节 on 1 October,
    元旦 on 1 January of the year after (the New Year that closes `year`), 清明 by the solar term."""
    zh = _zh()
    if name in zh["festivals"]["lunar"]:
        month, day = zh["festivals"]["lunar"][name]
        try:
            return LunarDate(year, month, day).to_solar_date()
        except ValueError:
            return None
    if name in zh["festivals"]["solar"]:
        month, day, years_after = zh["festivals"]["solar"][name]
        return date(year + years_after, month, day)
    month, constant = zh["festival_terms"][name]
    short = year % 100
    return date(year, month, math.floor(short * 0.2422 + constant) - short // 4) if 2001 <= year <= 2099 else None


@cache
def _recurring_due_slot() -> re.Pattern:
    slot = _zh()["recurring_slot"]
    ends = alternation(_zh()["month_suffixes"]["ends"])
    return compiled(rf"(?:{alternation(slot['before'])})(?:{alternation(slot['joiners'])})?\s*"
                    rf"(?:(?:{MONTH_NUMERAL})\s*月\s*)?(?:(?:{DAY_NUMERAL})\s*[日号]\s*(?:{ends})|(?:{ends}))")


def recurring_due_slots(text: str) -> list[str]:
    """"每月5日前", "每年11月底前", "每季度末": a duty due on a set day of every period, as printed.
    Such a slot is no deadline of its own (see _describes_or_recurs), but it dates the duty as one does."""
    return [m.group() for m in _recurring_due_slot().finditer(text)]


def _describes_or_recurs(text: str, start: int, end: int) -> bool:
    """True when the time phrase text[start:end] is no target: it describes things ("2000年底前建成的
    小区") or is the slot of a repeating duty ("每年11月底前")."""
    pats = _zh_patterns()
    return bool(pats["attributive"].match(text, end) or pats["recurring_slot"].search(text[:start]))


@dataclass(frozen=True)
class PlanDates:
    """What the plan's head says about its own time: its days date an event of the plan itself
    ("within 30 days of the signing of this plan", "within three months of the end of this plan"),
    the hemisphere it states dates its seasons, and its unambiguous dates in figures show in which
    order it writes the ambiguous ones."""
    issued_on: date | None = None
    period_end: date | None = None
    # The plan counts its seasons in the southern hemisphere ("Autumn 2027" ends with May).
    southern_seasons: bool = False
    # The order its dates in figures show ("month_first" for "12/31/2023"), see numeric_order().
    numeric_order: str | None = None
    # The plan's whole text: an event a task counts from may be dated outside the task, in a
    # foreword ("which the Board adopted on 3 March 2025") or at the foot ("Signed on 12 August 2024").
    text: str = ""


@dataclass(frozen=True)
class FiscalYear:
    """A plan's financial year, as its preamble states it: the month and day it ends on.

    "FY2026" is the year that ends in 2026 (July 2025 - June 2026 for a year ending 30 June), and
    "2024–25" the one that ends in 2025. Without a statement, "2025/26" keeps the table's reading
    (split_year_end, 31 March) and "FY2026" or a quarter of one is left unread.
    """
    end_month: int
    end_day: int
    # Where the plan says so ("FY2026 is 1 April 2026 to 31 March 2027"), "FY2026" names the
    # year it starts in, and ends in the next calendar year.
    named_by_start: bool = False

    def ending_in(self, fy: int) -> int:
        """The calendar year in which the fiscal year labelled "FY<fy>" ends."""
        return fy + 1 if self.named_by_start and (self.end_month, self.end_day) != (12, 31) else fy

    def year_end(self, year: int) -> date | None:
        return last_day(year, self.end_month, self.end_day)

    def quarter_end(self, quarter: int, year: int) -> date | None:
        """The last day of quarter 1-4 of the fiscal year that ends in year."""
        months_before = 3 * (4 - quarter)
        month, year = self.end_month - months_before, year
        if month < 1:
            month, year = month + 12, year - 1
        return last_day(year, month, 0)


@cache
def _fiscal_abbreviation() -> str:
    """"FY", "FFY", "SFY": the abbreviations a fiscal year's label opens with, as a group."""
    return rf"(?:{alternation(table('timewords')['en']['fiscal_abbreviations'])})"


@cache
def _fiscal_patterns_en() -> list[tuple[re.Pattern, str]]:
    """What a plan with a stated financial year adds: "in Q3 FY2026", "by end of FY2026", "by Q4"
    (a quarter of the plan's own fiscal year) and "by 2026–27" (a year spanning two, any dash)."""
    en = table("timewords")["en"]
    lead = rf"(?:{alternation(en['lead_ins'])})"
    year_lead = rf"(?:{alternation(en['year_lead_ins'])})"
    end_of = r"(?:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?)"
    return [
        # "Q2 FY2026", "FY2026 Q2", "the second quarter of FY26", "by end of fiscal year 2026"
        (compiled(rf"\b{lead}\s+{end_of}?(?:(?:Q(?P<q>[1-4])|(?P<qword>first|second|third|fourth|1st|2nd|3rd|4th)"
                  rf"\s+quarter)\s+(?:of\s+)?(?:the\s+)?)?(?:{_fiscal_abbreviation()}\s?|(?:fiscal|financial)\s+year\s+)"
                  rf"(?P<fy>\d{{4}}|\d{{2}})\b(?!\s*[/–—-]\s*\d)(?:,?\s*Q(?P<q_after>[1-4])\b)?(?!\s*[-–—]\s*{_fiscal_abbreviation()})",
                  re.I), "fiscal"),
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?:end\s+of\s+)?Q(?P<q>[1-4])\b(?![-–—/\s]*(?:{_fiscal_abbreviation()}|\d))", re.I),
         "fiscal_quarter"),
        # "by 2026–27", "by FY2027-28": a fiscal year spanning two, named by both
        (compiled(rf"\b(?:{year_lead}|(?:by|before)\s+{end_of})\s*(?:{_fiscal_abbreviation()}\s?)?(?P<year>\d{{4}})\s*[/–—-]\s*(?P<year2>\d{{4}}|\d{{2}})\b",
                  re.I), "split_year"),
    ]


@cache
def _en_patterns() -> list[tuple[re.Pattern, str]]:
    en = table("timewords")["en"]
    points = alternation(en["points"])
    lead = rf"(?:{alternation(en['lead_ins'])})"
    year_lead = rf"(?:{alternation(en['year_lead_ins'])})"
    fiscal = rf"(?!\s*(?:of\s+)?(?:the\s+)?(?:{alternation(en['fiscal_markers'])}))"
    season_lead = rf"(?:{alternation(en['season_lead_ins'])})"
    date_text = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
                 rf"|\d{{4}}-\d{{2}}-\d{{2}}|(?:the\s+end\s+of\s+|end[-\s])?(?:{_MONTHS})\.?\s+\d{{4}})")
    durations = en["durations"]
    count = rf"\d{{1,3}}|{alternation(durations['numbers'])}"
    quarter_words = r"(?:Q(?P<q>[1-4])|(?P<qword>first|second|third|fourth)\s+quarter)"
    return [
        # "within 60 days of the completion of …", "no later than 30 days after signing"
        (compiled(rf"\b(?:{alternation(durations['lead_ins'])})\s+(?P<count>{count})\s+"
                  rf"(?P<unit>{alternation(durations['units'])})\s+(?:{alternation(durations['anchors'])})\s+"
                  rf"(?P<event>[^.;:,\n()|\t]+)", re.I), "duration"),
        # "by the end of the 2026 school year (18 December 2026)": a period whose day the plan prints
        # beside it in brackets is due on that day
        (compiled(rf"\b(?:by|before)\s+(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?[^()\n.;|]{{1,40}}?\s*"
                  rf"\(\s*(?P<date>{date_text})\s*\)", re.I), "date"),
        # "Short term (0–12 months)": a term's span from the plan's date of issue
        (compiled(rf"\b(?:{alternation(en['term_spans'])})\s*\(\s*(?:\d{{1,2}}\s*(?:[-–—]|to)\s*)?"
                  rf"(?P<count>\d{{1,2}})\s*(?P<unit>months?|years?)\s*\)", re.I), "term_span"),
        # "by 31/10/2025", "before 2025/09/30": a day in figures
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?P<a>\d{{1,4}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep)(?P<c>\d{{2,4}})\b(?![/.]\d)",
                  re.I), "numeric"),
        # "before Christmas", "by Easter 2026", "ahead of the New Year"
        (compiled(rf"\b(?P<lead>{alternation(en['festival_lead_ins'])})\s+(?:the\s+)?"
                  rf"(?P<fest>{alternation(en['festivals'])})(?:\s+(?:of\s+)?(?P<year>\d{{4}}))?\b", re.I), "festival"),
        # "in Q3 2013/14", "by the end of the third quarter of 2025/26": a quarter of a year spanning two
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?:end\s+of\s+(?:the\s+)?)?{quarter_words}\s+(?:of\s+)?"
                  rf"(?P<year>\d{{4}})\s*[/–—-]\s*(?P<year2>\d{{4}}|\d{{2}})\b", re.I), "split_quarter"),
        # "by the end of the next spending review period": a period whose day the plan does not give
        (compiled(rf"\b(?:by|before)\s+(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:(?:next|current|this|present)\s+)?"
                  rf"(?:{alternation(en['undated_periods'])})\b", re.I), "undated"),
        # "| Publish the playbook | Completion | December 31, 2021 | CDO Council |": a table cell that
        # holds a date and nothing else is the row's date column, read as if "by" stood before it
        (compiled(rf"(?<=[|\t])[ *_]*(?P<date>{date_text})[ *_.]*(?=[|\t]|$)", re.I | re.M), "date"),
        # "from June to September 2026", "between April and June 2026", "by June 2026 – December 2026":
        # a span of months ends when its last month does
        (compiled(rf"\b(?:(?P<between>between)|{lead}|{alternation(en['range_starts'])})\s+(?:the\s+)?"
                  rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:{_MONTHS})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?"
                  rf"\s*(?:[-–—]|\b(?:{alternation(en['range_joiners'])})\b|(?(between)\band\b|(?!)))\s*"
                  rf"(?P<date>{date_text})\b", re.I), "date"),
        # "2026 Q3", "by 2026-Q3": a calendar quarter printed after its year
        (compiled(rf"\b{lead}\s+(?P<year>\d{{4}})\s*[-/ ]?\s*Q(?P<q>[1-4])\b{fiscal}", re.I), "year_quarter"),
        # "start in April 2013 or earlier": the latest start, with its words
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?P<date>{date_text})\b(?:\s+or\s+(?:earlier|sooner|before))?", re.I), "date"),
        # "Q2–Q3 2026", "H1 to H2 2027": a range of points is due at its end
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?:end\s+of\s+)?(?:{points})\s*(?:[-–—]|to)\s*(?P<point>{points})"
                  rf"[\s-]+(?:of\s+)?(?P<year>\d{{4}})\b{fiscal}", re.I), "point"),
        (compiled(rf"\b{lead}\s+(?:the\s+)?(?:end\s+of\s+|close\s+of\s+)?(?:the\s+)?(?P<point>{points})"
                  rf"(?:[\s-]+(?:of\s+)?(?P<year>\d{{4}}))?\b{fiscal}", re.I), "point"),
        # "by the end of 2025/26", "before the end of the financial year 2025/26", "by the end of the
        # 2025-26 financial year": a financial year that spans two calendar years (a dash joins two digits only)
        (compiled(rf"\b(?:{year_lead}|(?:by|before)\s+(?:the\s+)?(?:end|close)(?:\s+of\s+|-))\s*"
                  rf"(?:the\s+)?(?:(?:financial|fiscal)\s+year\s+)?"
                  rf"(?P<year>\d{{4}})\s*(?:/\s*(?P<year2>\d{{4}}|\d{{2}})|[-–—](?P<short>\d{{2}}))\b(?![-–/]\d)"
                  rf"(?:\s+(?:financial|fiscal)\s+year\b)?", re.I), "split_year"),
        # "by the end of this plan", "before the end of the plan period": the plan's own period end
        (compiled(rf"\b(?:by|before)\s+(?:the\s+)?(?:end|close)\s+of\s+(?:{alternation(en['own_period'])})\b",
                  re.I), "plan_end"),
        # "by FY2027-28": the FY mark makes a dash between a year and its next one's last digits a
        # financial year too
        (compiled(rf"\b(?:{year_lead}|(?:by|before)\s+(?:the\s+)?(?:end|close)(?:\s+of\s+|-))\s*"
                  rf"{_fiscal_abbreviation()}\s?(?P<year>\d{{4}})\s*[/–—-]\s*(?P<year2>\d{{4}}|\d{{2}})\b", re.I), "split_year"),
        # "during 2013/14", "in 2013-14": work within a financial year is due when it ends; a dash
        # joins a two-digit year only ("2013-2014" may be two calendar years)
        (compiled(rf"\b(?:{alternation(en['split_year_in'])})\s+(?:the\s+)?(?:financial\s+year\s+|fiscal\s+year\s+|{_fiscal_abbreviation()}\s?)?"
                  rf"(?P<year>\d{{4}})\s*(?:/\s*(?P<year2>\d{{4}}|\d{{2}})|[-–—](?P<short>\d{{2}}))\b(?![-–/]\d)", re.I),
         "split_year"),
        (compiled(rf"\b{season_lead}\s+(?:the\s+)?(?:(?:end|close)\s+of\s+(?:the\s+)?)?"
                  rf"(?P<season>{alternation(en['seasons'])})\s+(?:of\s+)?(?P<year>\d{{4}})"
                  rf"(?:\s*[/–—-]\s*\d{{2,4}})?\b", re.I), "season"),
        # "by the end of 2026", "by end-2026", "by end of calendar year 2023", and a timeline cell's
        # "End 2026" (read with "by" before it)
        (compiled(rf"\b(?:by|before)\s+(?:the\s+)?(?:end|close)(?:\s+of\s+|\s*-\s*|\s+)"
                  rf"(?:(?:{alternation(en['year_words'])})\s+)?(?P<year>\d{{4}})\b(?!\s*[-–/]\s*\d)",
                  re.I), "year_end"),
        (compiled(rf"\b{year_lead}\s+(?P<year>\d{{4}})\b(?![-–/]\d)", re.I), "year_end"),
        (compiled(rf"\b(?:{alternation(en['this_year'])})\b", re.I), "this_year"),
        # "by the end of June", "before 30 September": the plan's year, as "6月底前" is
        (compiled(rf"\b(?:{alternation(en['month_lead_ins'])})\s+(?:the\s+)?(?:(?:end|close)\s+of\s+|end[-\s])?"
                  rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?P<month>{_MONTHS})\.?"
                  rf"(?:\s+(?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?)?\b(?!\.?,?\s*\d)", re.I), "month"),
    ]


def _english_deadlines(text: str, plan_year: int | None, fiscal: FiscalYear | None = None,
                       plan_dates: PlanDates | None = None) -> list[_Found]:
    en = table("timewords")["en"]
    points = en["points"]
    found: list[_Found] = []
    taken: list[tuple[int, int]] = []
    # A stated financial year is read first, so that "by Q4" is its quarter, not the calendar's.
    for pattern, kind in (_fiscal_patterns_en() if fiscal else []) + _en_patterns():
        for m in pattern.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            due: date | None = None
            flags: tuple[str, ...] = ()
            if kind == "duration":
                due = _duration_due_en(m, text, plan_dates)
                flags = () if due else (UNDATED,)
            elif kind == "undated":
                flags = (UNDATED,)
            elif kind == "term_span":
                issued = plan_dates.issued_on if plan_dates else None
                unit = "months" if m["unit"].lower().startswith("month") else "years"
                due = _add(issued, int(m["count"]), unit) if issued else None
                flags = () if due else (UNDATED,)
            elif kind == "numeric":
                due, flags = numeric_date_en(m["a"], m["b"], m["c"], plan_dates.numeric_order if plan_dates else None)
            elif kind == "festival":
                year = int(m["year"]) if m["year"] else plan_year
                day = festival_day_en(m["fest"], year) if year else None
                before = m["lead"].lower() in en["festival_before"]
                due = day - timedelta(days=1) if day and before else day
            elif kind == "split_quarter":
                quarter = _quarter(m)
                end = fiscal or FiscalYear(*en["split_year_end"])
                year_end = _split_year_end(int(m["year"]), m["year2"], [end.end_month, end.end_day])
                due = end.quarter_end(quarter, year_end.year) if year_end else None
            elif kind == "date":
                month_text = re.sub(r"^(?:the\s+end\s+of\s+|end[-\s])", "", m["date"], flags=re.I)
                due = english_day(month_text, month_end=True)
            elif kind == "point":
                year = int(m["year"]) if m["year"] else plan_year
                # "by early 2014" is a point of that year; "by early intervention" is none
                if year and (m["year"] or m["point"].lower() not in en["points_need_year"]):
                    month, day = points[m["point"].lower()]
                    due = last_day(year, month, day)
            elif kind == "split_year":
                end = [fiscal.end_month, fiscal.end_day] if fiscal else en["split_year_end"]
                second = m["year2"] or (m["short"] if "short" in m.re.groupindex else None)
                due = _split_year_end(int(m["year"]), second, end) if second else None
            elif kind == "fiscal":
                year = fiscal.ending_in(int(m["fy"]) if len(m["fy"]) == 4 else 2000 + int(m["fy"]))
                quarter = _quarter(m)
                due = fiscal.quarter_end(quarter, year) if quarter else fiscal.year_end(year)
            elif kind == "fiscal_quarter":
                due = fiscal.quarter_end(int(m["q"]), plan_year) if plan_year else None
            elif kind == "season":
                seasons = en["seasons_southern"] if plan_dates and plan_dates.southern_seasons else en["seasons"]
                month, day, years_after = seasons[m["season"].lower()]
                due = last_day(int(m["year"]) + years_after, month, day)
            elif kind == "plan_end":
                due = plan_dates.period_end if plan_dates else None
            elif kind == "year_quarter":
                month, day = points[f"q{m['q']}"]
                due = last_day(int(m["year"]), month, day)
            elif kind == "this_year":
                due = date(plan_year, 12, 31) if plan_year else None
            elif kind == "month":
                due = _month_of_plan_year(m, plan_year)
            else:
                due = date(int(m["year"]), 12, 31)
            if due or UNDATED in flags:
                taken.append(m.span())
                if not (_recurring_slot_en(text, m.start(), m.end()) or _starts_work_en(text, m.start(), m.end())
                        or _lasting_en(text, m.start()) or _forecast_en(text, m.start())
                        or _history_en(text, m.start(), m.end())):
                    found.append(_Found(m.start(), m.end(), due, flags))
    return found


def _quarter(m: re.Match) -> int | None:
    """The quarter a match names: "Q2" (before or after its year), "second quarter", "2nd quarter"."""
    for group in ("q", "q_after"):
        if group in m.re.groupindex and m[group]:
            return int(m[group])
    return _QUARTER_WORDS.index(m["qword"].lower()[:3]) % 4 + 1 if m["qword"] else None


def numeric_date_en(a: str, b: str, c: str, order: str | None = None) -> tuple[date | None, tuple[str, ...]]:
    """"2025/09/30" as printed; "31/10/2025" day first and "10/31/2025" month first where a number
    over 12 shows the order; "03/04/2025" in the order the plan's other dates show (`order`, from
    numeric_order()), else day first and flagged as ambiguous."""
    if len(a) == 4:
        return _day(int(a), int(b), int(c)), ()
    if len(c) != 4:
        return None, ()
    first, second, year = int(a), int(b), int(c)
    if first > 12:
        return _day(year, second, first), ()
    if second > 12 or order == "month_first":
        return _day(year, first, second), ()
    return _day(year, second, first), (() if first == second or order == "day_first" else (AMBIGUOUS_DAY_MONTH,))


_NUMERIC_DAY = compiled(r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)\d{4}(?![\d/-]|\.\d)")


def numeric_order(text: str) -> str | None:
    """"month_first" or "day_first" where every date in figures whose numbers show their order
    ("12/31/2023", "31/10/2025") shows the same one: the plan's way of writing a day, by which its
    ambiguous dates ("03/04/2025") are read. None where none shows it, or they disagree."""
    orders = {"day_first" if int(m["a"]) > 12 else "month_first"
              for m in _NUMERIC_DAY.finditer(text) if (int(m["a"]) > 12) != (int(m["b"]) > 12)}
    return orders.pop() if len(orders) == 1 else None


def _nth_weekday(year: int, month: int, weekday: str, nth: int) -> date:
    """"The fourth Thursday of November", "the last Monday of May" (nth -1)."""
    wanted = [d.lower() for d in calendar.day_name].index(weekday.lower())
    days = [week[wanted] for week in calendar.monthcalendar(year, month) if week[wanted]]
    return date(year, month, days[nth - 1 if nth > 0 else nth])


def festival_day_en(name: str, year: int) -> date | None:
    """The day of a festival English plans name: Christmas, Easter (Western), the New Year that
    closes `year`, a holiday on the nth weekday of its month (Thanksgiving)."""
    row = table("timewords")["en"]["festivals"][name.lower()]
    if row == "easter":
        return easter(year)
    if isinstance(row, dict):
        return _nth_weekday(year, row["month"], row["weekday"], row["nth"])
    month, day, years_after = row
    return date(year + years_after, month, day)


def _plan_event_day(event: str, plan_dates: PlanDates | None) -> date | None:
    """The day of an event of the plan itself: "the signing of this plan" is its date of issue,
    "the end of this plan" its period end; None for any other event ("its release")."""
    words = table("timewords")["en"]["durations"]["plan_events"]
    if plan_dates is None or not re.search(rf"\b(?:{alternation(words['plan_words'])})\b", event, re.I):
        return None
    def names(kind: str) -> bool:
        return bool(re.search(rf"^(?:the\s+)?(?:{alternation(words[kind])})\b", event.strip(), re.I))
    if names("issued"):
        return plan_dates.issued_on
    if names("ends"):
        return plan_dates.period_end
    return None


def _duration_due_en(m: re.Match, text: str, plan_dates: PlanDates | None = None) -> date | None:
    """The day "within 30 days of 1 May 2025" or "within 30 days of signing" (signed on a printed
    day) falls on, or "within 30 days of the signing of this plan" (the plan's date of issue);
    None when the event's day is not printed."""
    durations = table("timewords")["en"]["durations"]
    count_text = m["count"].lower()
    count = int(count_text) if count_text.isdigit() else durations["numbers"][count_text]
    unit = durations["units"][m["unit"].lower()]
    since = _date_in_en(m["event"])
    if since is None:
        nouns = [noun for noun in durations["events"] if re.search(rf"\b{noun}\b", m["event"], re.I)]
        verbs = {verb for noun in nouns for verb in durations["events"][noun]}
        since = _dated_event_en(text, verbs) if verbs else None
        if since is None and verbs and plan_dates is not None:
            since = _dated_event_in_plan(plan_dates.text, frozenset(verbs))
    if since is None:
        since = _plan_event_day(m["event"], plan_dates)
    return _add(since, count, unit) if since else None


@cache
def _date_text_en() -> re.Pattern:
    return compiled(rf"\d{{1,2}}\s+(?:{_MONTHS})\.?,?\s+\d{{4}}|(?:{_MONTHS})\.?\s+\d{{1,2}},?\s+\d{{4}}"
                    rf"|\d{{4}}-\d{{2}}-\d{{2}}", re.I)


def _date_in_en(text: str) -> date | None:
    m = _date_text_en().search(text)
    return english_day(m.group()) if m else None


_MONTH_NUMBERS = {**{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
                  **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}, "sept": 9}
# The shapes of a day the English grammar isolates, spaced plainly: "31 March 2026", "31st of March,
# 2026", "March 31, 2026", "Sept. 2026". dateparser reads them the one way there is.
_PLAIN_DAY_EN = re.compile(rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)? (?:of )?(?P<month>{_MONTHS})\.?,? "
                           rf"|(?P<month_first>{_MONTHS})\.?(?: (?P<day_after>\d{{1,2}})(?:st|nd|rd|th)?,?)? )"
                           rf"(?P<year>(?:19|20|21)\d\d)", re.I)


@per_document(maxsize=256)
def english_day(text: str, month_end: bool = False) -> date | None:
    """The day an isolated English date names, as dateparser reads it (`month_end`: a month without a
    day is its last day, and a month and a year are required). A plainly spaced day, month and year
    is read here: dateparser takes a few milliseconds a date, the most of an English plan's reading."""
    if plain := _PLAIN_DAY_EN.fullmatch(text):
        day = plain["day"] or plain["day_after"]
        if day or month_end:
            found = last_day(int(plain["year"]), _MONTH_NUMBERS[(plain["month"] or plain["month_first"]).lower()],
                             int(day or 0))
            if found and (day is None or int(day) > 0):
                return found
    settings = {"PREFER_DAY_OF_MONTH": "last", "REQUIRE_PARTS": ["month", "year"]} if month_end else None
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


@per_document(maxsize=64)
def _dated_event_in_plan(text: str, verbs: frozenset[str]) -> date | None:
    """`_dated_event_en` over a whole plan, once per plan and event: a plan of thousands of "within 30
    days of adoption" items reads its text once (a str keeps its hash, so the key costs nothing)."""
    return _dated_event_en(text, set(verbs))


def _dated_event_en(text: str, verbs: set[str]) -> date | None:
    """The one day the text gives an event ("signed on 1 May 2025"), if it gives exactly one."""
    # "Endorsed by the Partnership Board on 14 April 2026": the body that acted may stand between.
    pattern = re.compile(rf"\b(?:{alternation(verbs)})(?:\s+by\s+(?:the\s+)?[A-Z][^.;\n]{{0,60}}?)?(?:\s+on\s+|\s*:\s*|\s+)(?P<date>{_date_text_en().pattern})", re.I)
    days = {day for m in pattern.finditer(text) if (day := _date_in_en(m["date"]))}
    return days.pop() if len(days) == 1 else None


@cache
def _tense_words_en() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    en = table("timewords")["en"]
    commitment = compiled(rf"\b(?:{alternation(en['commitment_words'])})\b", re.I)
    # "is launched", "are made": a participle after a form of "be" is the present passive of a plan
    participle = "".join(rf"(?<!\b{word}\s)" for word in ("is", "are", "be", "been", "being"))
    history = compiled(rf"{participle}\b(?:{alternation(en['history_words'])})\b", re.I)
    # A task's text holds one paragraph a line (cut lines are rejoined before): a line's end closes a
    # sentence, so a list's "X will:" does not commit the paragraph that follows it.
    stop = compiled(rf"{english_full_stop()}|[;!?](?=\s|$)|\n")
    return commitment, history, stop


def _history_en(text: str, start: int, end: int) -> bool:
    """True where the sentence around text[start:end] tells what happened, not what is to be done:
    "In October 2012, government took the first step", "guidelines were issued in May 2012 that
    government should …". A commitment word before the phrase makes it a commitment ("departments
    that have not yet done so will publish by May 2027"); else a history word before it makes it
    history; with neither before it, the first tense word after it decides."""
    commitment, history, stop = _tense_words_en()
    left = max((m.end() for m in stop.finditer(text, 0, start)), default=0)
    after = stop.search(text, end)
    right = after.start() if after else len(text)
    committed = [m.span() for m in commitment.finditer(text, left, right)]
    # "has until" is a commitment, though "has" alone would be history
    happened = [m.start() for m in history.finditer(text, left, right)
                if not any(a <= m.start() < b for a, b in committed)]
    words = sorted([(a, False) for a, _ in committed] + [(at, True) for at in happened])
    before = [is_history for at, is_history in words if at < start]
    following = [is_history for at, is_history in words if at >= end]
    if before:
        return all(before)
    return bool(following and following[0])


@cache
def _forecast_words_en() -> re.Pattern:
    return compiled(rf"\b(?:{alternation(table('timewords')['en']['forecast_words'])})\b", re.I)


def _forecast_en(text: str, start: int) -> bool:
    """True for "…is likely to be published in November 2012": a forecast in the phrase's clause."""
    left = max((m.end() for m in _clause_break_en().finditer(text, 0, start)), default=0)
    return bool(_forecast_words_en().search(text, left, start))


def _split_year_end(year: int, second: str, end: list[int]) -> date | None:
    """The end of a year "2025/26" or "2025/2026", if the second year follows the first."""
    follows = int(second) == year + 1 if len(second) == 4 else int(second) == (year + 1) % 100
    return last_day(year + 1, end[0], end[1]) if follows else None


@cache
def _start_words_en() -> re.Pattern:
    return compiled(rf"\b(?:{alternation(table('timewords')['en']['start_words'])})\s*$", re.I)


@cache
def _start_words_after_en() -> re.Pattern:
    return compiled(rf"\s*(?:{alternation(table('timewords')['en']['start_words_after'])})\b", re.I)


def _starts_work_en(text: str, start: int, end: int | None = None) -> bool:
    """True for "from Autumn 2025" / "starting in June 2026" / "in April 2014 onwards": when work
    begins, not when it is due."""
    return bool(_start_words_en().search(text[:start])
                or (end is not None and _start_words_after_en().match(text, end)))


def _month_of_plan_year(m: re.Match, plan_year: int | None) -> date | None:
    # With no year to anchor it, only a capitalised name is a month: "by may" is a modal verb.
    if not m["month"][0].isupper():
        return None
    month_text = m["month"].lower()[:3]
    month = next((i for i, name in enumerate(calendar.month_abbr) if name.lower() == month_text), 0)
    if not plan_year or not month:
        return None
    return last_day(plan_year, month, int(m["day"] or m["day_after"] or 0))


@cache
def _lasting_words_en() -> tuple[re.Pattern, re.Pattern]:
    en = table("timewords")["en"]
    return (compiled(rf"(?:{alternation(en['lasting_lead_ins'])})\b", re.I),
            compiled(rf"\b(?:{alternation(en['lasting_deadline_words'])})\s*$", re.I))


def _lasting_en(text: str, start: int) -> bool:
    """True for "keep it open until the end of March 2026": the end of a period something lasts,
    not a deadline; "has until June 2026 to report" is one."""
    lead, deadline_word = _lasting_words_en()
    return bool(lead.match(text, start)) and not deadline_word.search(text[:start])


@cache
def _recurring_words_en() -> tuple[re.Pattern, re.Pattern]:
    en = table("timewords")["en"]
    # "each year by December 31": a lead-in may stand between the recurring words and the slot.
    return (compiled(rf"^[\s,]*(?:{alternation(en['recurring_after'])})\b", re.I),
            compiled(rf"\b(?:{alternation(en['recurring_before'])})[\s,]*(?:(?:{alternation(en['lead_ins'])})\s+)?$",
                     re.I))


def _recurring_slot_en(text: str, start: int, end: int) -> bool:
    """True for "by 31 March each year" / "every year by the end of June": a repeating duty's slot."""
    after, before = _recurring_words_en()
    return bool(after.match(text[end:]) or before.search(text[:start]))


@cache
def _deadline_label() -> re.Pattern:
    labels = deadline_labels()
    # Markdown emphasis may wrap the label ("*Target date:* June 30, 2026"); it is not the value.
    # At a line's start a spaced dash may stand for the colon ("Deadline – 30 June 2026"). The label
    # may stand in square brackets ("【完成时限】2027/09/30"), its value then ending at the next one.
    return compiled(rf"(?:(?<![\w])(?:{labels})[*_]*\s*[:：]|【(?:{labels})】"
                    rf"|^[*_]*(?:{labels})[*_]*\s+[–—](?=\s))[*_]*\s*(?P<value>[^\n；;【]+)", re.I | re.M)


_LABELLED_YEARS = compiled(r"\s*(?P<start>\d{4})\s*年?\s*[-—–~～至到]\s*(?P<end>\d{4})\s*年?\s*")


def _labelled_deadlines(text: str, plan_year: int | None, language: str,
                        fiscal: FiscalYear | None = None, span_start: int | None = None,
                        plan_dates: PlanDates | None = None) -> list[_Found]:
    """The deadlines that deadline labels give ("完成时限：2027年6月底前", "Deadline: 31 March 2026",
    "完成时限：2025-08-15", "完成时限：2025.10")."""
    found: list[_Found] = []
    for label in _deadline_label().finditer(text):
        start, value = label.start("value"), label["value"].rstrip("。. ")
        if span := _LABELLED_YEARS.fullmatch(value):
            # "建设年限：2025—2026年", "Timeline: 2019–2020": the work is due when its last year ends
            if int(span["start"]) <= int(span["end"]):
                found.append(_Found(start, start + span.end(), date(int(span["end"]), 12, 31)))
            continue
        if language == "zh":
            plain = _zh_patterns()["labelled_date"].match(value)
            if plain and _range_follows(value, plain.end()):
                plain = None  # "2025年7月至9月": the range below reads its end
            if plain and value[plain.end():].lstrip().startswith(tuple(_zh()["month_parts"])):
                plain = None  # "6月上旬": the part of the month below reads its day
            if plain:
                year, month, day = _year_month_day(plain, plan_year)
            if plain and year and 1 <= month <= 12:
                due = last_day(year, month, day)
                if due:
                    found.append(_Found(start, start + plain.end(), due))
                    continue
            found += [_Found(start + f.start, start + f.end, f.due, f.flags)
                      for f in _earliest(_chinese_deadlines(value, plan_year, span_start))]
        else:
            found += _english_label_value(value, start, plan_year, fiscal, plan_dates)
    return found


@cache
def _date_starts_en() -> re.Pattern:
    en = table("timewords")["en"]
    words = alternation([*en["seasons"], *en["points"], "end", "close"])
    # "Short term (2024–25)": a financial year in a timeframe's words
    return compiled(rf"\b(?:{words}|{_MONTHS}|\d{{1,2}}\s+(?:{_MONTHS})|\d{{4}}-\d{{2}}-\d{{2}}"
                    rf"|\d{{4}}\s*[/–—]\s*\d{{2}}|{_fiscal_abbreviation()}\s?\d{{4}}|Q[1-4])\b", re.I)


def _english_label_value(value: str, at: int, plan_year: int | None,
                         fiscal: FiscalYear | None = None, plan_dates: PlanDates | None = None) -> list[_Found]:
    """The deadline a label's value gives. It needs no "by": "Target date: June 30, 2026" is read as
    if one stood before it. A milestone's words may hold a date with no lead-in ("Milestone: Grant
    round opens Autumn 2025"); that is read too, unless start words make it the day work begins
    ("from Autumn 2025")."""
    if read := _earliest(_english_deadlines("by " + value, plan_year, fiscal, plan_dates)):
        return [_Found(at + max(f.start - 3, 0), at + f.end - 3, f.due, f.flags) for f in read]
    skipped_to = -1  # the end of a date expression passed over, and of the tokens that continue it
    for m in _date_starts_en().finditer(value):
        if (_starts_work_en(value, m.start()) or _recurring_slot_en(value, m.start(), m.start())
                or (skipped_to >= 0 and not value[skipped_to:m.start()].strip())):
            # when work begins, or the slot of a repeating duty ("annually, each June"), however many
            # tokens it runs over ("from Q1 2026–27")
            skipped_to = m.end()
            continue
        hits = [f for f in _english_deadlines("by " + value[m.start():], plan_year, fiscal) if f.start == 0]
        if hits:
            return [_Found(at + m.start() + max(f.start - 3, 0), at + m.start() + f.end - 3, f.due, f.flags)
                    for f in hits[:1]]
    return []


def _earliest(found: list[_Found]) -> list[_Found]:
    """The first expression of a label's value; a value states one deadline."""
    return sorted(found, key=lambda f: f.start)[:1]


def clause_quote(text: str, start: int, end: int, language: str = "zh") -> str:
    """The clause around text[start:end], copied exactly, at most QUOTE_CHARS long."""
    breaks = _CLAUSE_BREAK_ZH if language == "zh" else _clause_break_en()
    left = max((m.end() for m in breaks.finditer(text, 0, start)), default=0)
    after = breaks.search(text, end)
    right = after.start() if after else len(text)
    if after and not text[end:right].strip() and after.group().strip() in _LEADING_COMMAS:
        # "2017年年底前，完成…": the phrase stands before the clause it governs.
        following = breaks.search(text, after.end())
        right = following.start() if following else len(text)
    limit = QUOTE_CHARS if language == "zh" else QUOTE_CHARS_EN
    quote = text[left:right].strip()
    return quote[:limit] if len(quote) > limit else quote


def find_deadlines(text: str, plan_year: int | None, language: str = "zh",
                   fiscal: FiscalYear | None = None, span_start: int | None = None,
                   plan_dates: PlanDates | None = None) -> list[Deadline]:
    """Explicit time-bound targets in a task's text, in order of appearance; several milestones are
    all kept. fiscal is the plan's stated financial year (English plans); without it "2025/26" ends on
    31 March (timewords.toml). plan_dates say what the plan's head says of its time (its date of issue
    and period end date "within 30 days of the signing of this plan"; PlanDates). span_start is the
    first year of a span the plan states ("2012年起5年内", plan_span()), from which a bare "5年内" counts. A deadline whose day cannot be known ("印发后30日内",
    "within 60 days of the completion of …") has due None and the flag UNDATED."""
    labelled = _labelled_deadlines(text, plan_year, language, fiscal, span_start, plan_dates)
    spans = [(f.start, f.end) for f in labelled]
    found = (_chinese_deadlines(text, plan_year, span_start) if language == "zh"
             else _english_deadlines(text, plan_year, fiscal, plan_dates))
    found = labelled + [f for f in found if not _overlaps((f.start, f.end), spans)]
    if not found and language == "en":
        found = _year_of_commitment_en(text, plan_year)
    out: dict[Deadline, None] = {}  # in order, each once
    for f in _without_restated(sorted(found, key=lambda f: f.start), lambda f: f.due, text, lambda f: f.start):
        deadline = Deadline(phrase=text[f.start:f.end].strip(), due=f.due,
                            quote=clause_quote(text, f.start, f.end, language),
                            flags=f.flags if f.due else tuple(dict.fromkeys((*f.flags, UNDATED))))
        out.setdefault(deadline)
    return list(out)


def _year_of_commitment_en(text: str, plan_year: int | None) -> list[_Found]:
    """"The Department will commission an evaluation in 2028": where a task gives no other time, a
    year its commitment is to be done in, due when that year ends. Only after a commitment word in
    the same sentence, and never a year the plan started from or one already past."""
    commitment, _history, stop = _tense_words_en()
    found: list[_Found] = []
    for m in re.finditer(r"(?<=\s)in\s+(?P<year>(?:19|20)\d{2})\b(?!\s*[-–/]\s*\d|\s*(?:onwards|and\b|to\b))", text):
        sentence_start = max((s.end() for s in stop.finditer(text, 0, m.start())), default=0)
        year = int(m["year"])
        if (commitment.search(text, sentence_start, m.start()) and (plan_year is None or year >= plan_year)
                and not _starts_work_en(text, m.start(), m.end()) and not _history_en(text, m.start(), m.end())):
            found.append(_Found(m.start(), m.end(), date(year, 12, 31), ()))
    return found[:1]


def _label_values(text: str) -> list[tuple[int, int]]:
    """Where the values of deadline labels lie ("完成时限：2025年底前", a table's deadline cell)."""
    return [label.span("value") for label in _deadline_label().finditer(text)]


def _without_restated(items: list, key, text: str, start) -> list:
    """Items in order, less those a deadline label restates: a table's "完成时限：每年11月底前" or
    "2024年12月底前" repeats the 每年 / date its task's text already gives, and is the same duty.
    Two like items that both stand in the text stay: "每年办讲座…每年培训" are two duties."""
    values = _label_values(text)

    def labelled(item) -> bool:
        return any(a <= start(item) < b for a, b in values)

    out: list = []
    # Per key of the items kept, whether one of them stands under a label: an item is restated when
    # a kept one with its key is labelled, or it is labelled itself and one with its key was kept.
    kept_labelled: dict = {}
    for item in items:
        item_key = key(item)
        if item_key in kept_labelled and (kept_labelled[item_key] or labelled(item)):
            continue
        out.append(item)
        kept_labelled[item_key] = kept_labelled.get(item_key, False) or labelled(item)
    return out


@cache
def _recurrence_rows() -> list[tuple[str, str, re.Pattern, str, str, str]]:
    """(phrase, the words it opens with, its pattern, freq, not_before, not_after), longest phrase
    first; built once. A text without the opening words ("每年", "at least once") has no match."""
    rows = [(p, p.split("{")[0], _recurrence_pattern(p), row["freq"], "".join(row.get("not_before", [])),
             "".join(row.get("not_after", [])))
            for row in table("timewords")["recurrences"] for p in row["phrases"]]
    return sorted(rows, key=lambda r: len(r[0]), reverse=True)


@cache
def _recurrence_rows_for(english: bool) -> tuple[tuple[str, str, re.Pattern, str, str, str, bool], ...]:
    """The rows a text of the language is tried with, each with whether it is in Latin letters: an
    English text is tried with every row, a Chinese one with the Chinese rows only."""
    return tuple((*row, row[0].isascii()) for row in _recurrence_rows() if english or not row[0].isascii())


def _recurrence_pattern(phrase: str) -> re.Pattern:
    # "{who}" stands for up to two words naming whose period it is ("each Commissioner's term")
    escaped = (re.escape(phrase).replace(re.escape("{who}"), r"(?:[\w'’-]+\s+){0,2}")
               .replace(re.escape("{season}"), f"(?:{alternation(table('timewords')['en']['seasons'])})")
               .replace(re.escape("{month}"), f"(?:{_MONTH_NAMES})"))
    # "{what}" is what a Chinese duty is about ("年度{what}考核": 年度高质量发展考核)
    escaped = escaped.replace(re.escape("{what}"), r"[\u4e00-\u9fff]{2,8}?")
    return compiled(rf"\b{escaped}\b" if phrase.isascii() else escaped)


@cache
def _threshold_rate() -> re.Pattern:
    words = alternation(table("timewords")["en"]["threshold_before"])
    return compiled(rf"\b(?:{words})\s+[\d,.]+\s+(?:[A-Za-z-]+\s+){{0,2}}$", re.I)


def find_recurrences(text: str, language: str = "zh") -> list[Recurrence]:
    """Repeating obligations in a task's text: one per phrase and clause. A rate after a threshold
    ("over 100,000 transactions each year") sizes things and is none."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Recurrence]] = []
    lowered = text.lower()
    for phrase, opening, pattern, freq, not_before, not_after, latin in _recurrence_rows_for(language == "en"):
        if opening not in (lowered if latin else text):
            continue
        for m in pattern.finditer(lowered if latin else text):
            if (_overlaps(m.span(), taken) or (m.start() and text[m.start() - 1] in not_before)
                    or (m.end() < len(text) and text[m.end()] in not_after)):
                continue
            taken.append(m.span())
            if latin and _threshold_rate().search(text[max(0, m.start() - 80):m.start()]):
                continue
            # "each May" is a month, "each may apply" is not: the text is matched in lower case.
            if "{month}" in phrase and not text[m.start():m.end()].split()[-1][:1].isupper():
                continue
            quote = clause_quote(text, m.start(), m.end(), "zh" if not latin else "en")
            found.append((m.start(), Recurrence(phrase=text[m.start():m.end()], freq=freq, quote=quote)))
    kept = _without_restated(sorted(found, key=lambda pair: pair[0]), lambda pair: pair[1].freq, text,
                             lambda pair: pair[0])
    return list(dict.fromkeys(rec for _, rec in kept))  # in order, each once
