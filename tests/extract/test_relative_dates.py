"""Relative dates in answers ("下月底", "两周后", "next Friday"), counted from today; never in plans."""
from datetime import date

import pytest

from extract.relative import find_relative_dates
from extract.timex import find_deadlines
from store.extensions import parse_proposed_due

MONDAY = date(2026, 6, 1)
SUNDAY_MONTH_END = date(2026, 5, 31)
SATURDAY = date(2026, 6, 6)
DECEMBER = date(2026, 12, 30)  # a Wednesday
JANUARY_END = date(2026, 1, 31)  # a Saturday

CASES = [
    # phrase, today, expected
    ("下月底", MONDAY, date(2026, 7, 31)),
    ("下月底", SUNDAY_MONTH_END, date(2026, 6, 30)),
    ("下月底", DECEMBER, date(2027, 1, 31)),
    ("下个月底前", DECEMBER, date(2027, 1, 31)),
    ("本月底", MONDAY, date(2026, 6, 30)),
    ("本月底", SUNDAY_MONTH_END, date(2026, 5, 31)),  # today itself: the caller refuses it
    ("本月底", DECEMBER, date(2026, 12, 31)),
    ("月底前", MONDAY, date(2026, 6, 30)),
    ("月底前", JANUARY_END, date(2026, 1, 31)),
    ("这个月末", DECEMBER, date(2026, 12, 31)),
    ("下周五", MONDAY, date(2026, 6, 12)),  # the Friday of next calendar week, even on a Monday
    ("下周五", SUNDAY_MONTH_END, date(2026, 6, 5)),  # weeks start on Monday
    ("下周五", DECEMBER, date(2027, 1, 8)),
    ("下星期一", SATURDAY, date(2026, 6, 8)),
    ("本周五前", MONDAY, date(2026, 6, 5)),
    ("本周五前", SATURDAY, date(2026, 6, 12)),  # this week's Friday has passed: the coming one
    ("本周五前", SUNDAY_MONTH_END, date(2026, 6, 5)),
    ("这周五", DECEMBER, date(2027, 1, 1)),
    ("礼拜天", MONDAY, date(2026, 6, 7)),
    ("本周内", MONDAY, date(2026, 6, 7)),
    ("两周后", MONDAY, date(2026, 6, 15)),
    ("两周后", SUNDAY_MONTH_END, date(2026, 6, 14)),
    ("两周后", DECEMBER, date(2027, 1, 13)),
    ("10天后", MONDAY, date(2026, 6, 11)),
    ("10天后", DECEMBER, date(2027, 1, 9)),
    ("十天后", SUNDAY_MONTH_END, date(2026, 6, 10)),
    ("30日内", MONDAY, date(2026, 7, 1)),
    ("30日内", SUNDAY_MONTH_END, date(2026, 6, 30)),
    ("30日内", DECEMBER, date(2027, 1, 29)),
    ("三十天之内", MONDAY, date(2026, 7, 1)),
    ("一个月后", MONDAY, date(2026, 7, 1)),
    ("一个月后", JANUARY_END, date(2026, 2, 28)),  # the month's last day when it has no 31st
    ("一个月后", DECEMBER, date(2027, 1, 30)),
    ("两个月内", SUNDAY_MONTH_END, date(2026, 7, 31)),
    ("半个月内", MONDAY, date(2026, 6, 16)),
    ("半年内", DECEMBER, date(2027, 6, 30)),
    ("下季度末", MONDAY, date(2026, 9, 30)),
    ("下季度末", SUNDAY_MONTH_END, date(2026, 9, 30)),
    ("下季度末", DECEMBER, date(2027, 3, 31)),
    ("本季度末", JANUARY_END, date(2026, 3, 31)),
    ("年底前", MONDAY, date(2026, 12, 31)),
    ("年底前", DECEMBER, date(2026, 12, 31)),
    ("今年年底", SUNDAY_MONTH_END, date(2026, 12, 31)),
    ("明年底", DECEMBER, date(2027, 12, 31)),
    ("明年3月底", MONDAY, date(2027, 3, 31)),
    ("明年3月底", DECEMBER, date(2027, 3, 31)),
    ("明年二月", SUNDAY_MONTH_END, date(2027, 2, 28)),
    ("下月15日", DECEMBER, date(2027, 1, 15)),
    ("下个月15号", SUNDAY_MONTH_END, date(2026, 6, 15)),
    ("next Friday", MONDAY, date(2026, 6, 12)),  # as "下周五"
    ("next Friday", SUNDAY_MONTH_END, date(2026, 6, 5)),
    ("next Friday", DECEMBER, date(2027, 1, 8)),
    ("by Friday", SATURDAY, date(2026, 6, 12)),
    ("this Friday", MONDAY, date(2026, 6, 5)),
    ("end of next month", MONDAY, date(2026, 7, 31)),
    ("end of next month", SUNDAY_MONTH_END, date(2026, 6, 30)),
    ("by the end of next month", DECEMBER, date(2027, 1, 31)),
    ("in two weeks", MONDAY, date(2026, 6, 15)),
    ("in two weeks", DECEMBER, date(2027, 1, 13)),
    ("in a month", JANUARY_END, date(2026, 2, 28)),
    ("within 30 days", MONDAY, date(2026, 7, 1)),
    ("within 30 days", DECEMBER, date(2027, 1, 29)),
    ("within the next thirty days", SUNDAY_MONTH_END, date(2026, 6, 30)),
    ("end of this month", MONDAY, date(2026, 6, 30)),
    ("end of this month", DECEMBER, date(2026, 12, 31)),
    ("End of the quarter", SUNDAY_MONTH_END, date(2026, 6, 30)),
    ("延到下月底，需等待省级审批", MONDAY, date(2026, 7, 31)),
]


@pytest.mark.parametrize(("phrase", "today", "expected"), CASES)
def test_relative_phrase_resolves_from_today(phrase, today, expected):
    found = find_relative_dates(phrase, today)
    assert [r.due for r in found][:1] == [expected]


@pytest.mark.parametrize("phrase", [
    "尽快", "下次", "下周", "下周吧", "next time", "as soon as possible", "上周五", "每周五", "每月底",
    "6月底", "9月30日", "9月30日内", "三季度末", "2026年底前", "周末", "we sat down", "in a while",
])
def test_phrases_that_name_no_relative_day(phrase):
    assert find_relative_dates(phrase, MONDAY) == []


def test_a_lone_weekday_name_in_english_is_the_coming_day():
    assert [r.due for r in find_relative_dates("we meet on Sunday", MONDAY)] == [date(2026, 6, 7)]


@pytest.mark.parametrize("text", ["30日内完成整改。", "下月底前报送材料。", "两周后组织验收。",
                                  "Submit the report within 30 days.", "by the end of next month"])
def test_plans_never_read_relative_phrases(text):
    language = "en" if text.isascii() else "zh"
    assert find_deadlines(text, 2026, language) == []


@pytest.mark.parametrize(("answer", "expected"), [
    ("9月30日", date(2026, 9, 30)),
    ("下周五或者9月30日", date(2026, 9, 30)),  # an absolute date wins over any relative reading
    ("最迟两周后，争取9月30日前", date(2026, 9, 30)),
    ("2026-09-30，即下月底", date(2026, 9, 30)),
    ("下月底", date(2026, 7, 31)),
    ("明年3月底", date(2027, 3, 31)),  # "3月底" belongs to "明年", not to the plan's year
    ("next Friday", date(2026, 6, 12)),
    ("6月底", date(2026, 6, 30)),
])
def test_proposed_due_tries_iso_then_absolute_then_relative(answer, expected):
    assert parse_proposed_due(answer, 2026, today=MONDAY) == expected


def test_year_end_in_an_answer_is_this_years_not_the_plans():
    assert parse_proposed_due("年底前", 2025, today=MONDAY) == date(2026, 12, 31)
    assert parse_proposed_due("by the end of the year", 2025, today=MONDAY) == date(2026, 12, 31)
    assert parse_proposed_due("2025年底前", 2025, today=MONDAY) == date(2025, 12, 31)
