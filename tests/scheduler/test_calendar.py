"""Working days: the Chinese calendar with 调休, administrators' lists, the holidays package, weekends."""
from __future__ import annotations

import logging
from datetime import date, datetime, timezone

import pytest

from scheduler.calendar import CalendarSource, WorkingCalendar, next_working_instant
from scheduler.policy import DEFAULT_POLICY, policy_from_mapping

# 2023 Mid-Autumn + National Day: 2023-09-29 to 2023-10-06 off; Sat 10-07 and Sun 10-08 make-up workdays.
NATIONAL_DAY_2023_OFF = [date(2023, 9, 29), date(2023, 10, 1), date(2023, 10, 6)]


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.mark.parametrize("day", NATIONAL_DAY_2023_OFF)
def test_national_day_holiday_is_not_a_working_day(calendar, day):
    assert not calendar.is_working_day(day)


@pytest.mark.parametrize("day", [date(2023, 10, 7), date(2023, 10, 8)])
def test_make_up_weekend_is_a_working_day(calendar, day):
    assert calendar.is_working_day(day)


def test_ordinary_weekend_and_weekday(calendar):
    assert not calendar.is_working_day(date(2023, 9, 23))  # Saturday
    assert calendar.is_working_day(date(2023, 9, 22))  # Friday


def test_previous_working_day_skips_back_over_the_holiday(calendar):
    assert calendar.previous_working_day(date(2023, 10, 5)) == date(2023, 9, 28)
    assert calendar.previous_working_day(date(2023, 9, 24)) == date(2023, 9, 22)


def test_previous_and_next_working_day_keep_a_working_day(calendar):
    assert calendar.previous_working_day(date(2023, 9, 28)) == date(2023, 9, 28)
    assert calendar.next_working_day(date(2023, 9, 28)) == date(2023, 9, 28)


def test_next_working_day_lands_on_the_make_up_saturday(calendar):
    assert calendar.next_working_day(date(2023, 9, 29)) == date(2023, 10, 7)


def test_add_working_days_counts_make_up_days_and_skips_holidays(calendar):
    assert calendar.add_working_days(date(2023, 9, 28), 1) == date(2023, 10, 7)
    assert calendar.add_working_days(date(2023, 9, 28), 3) == date(2023, 10, 9)
    assert calendar.add_working_days(date(2023, 10, 7), -1) == date(2023, 9, 28)
    assert calendar.add_working_days(date(2023, 10, 1), 0) == date(2023, 10, 1)


def test_add_working_days_crosses_the_year(calendar):
    # 2023-12-30 .. 2024-01-01 is the New Year break; 2023-12-29 is a Friday.
    assert calendar.add_working_days(date(2023, 12, 29), 1) == date(2024, 1, 2)
    assert calendar.add_working_days(date(2024, 1, 2), -1) == date(2023, 12, 29)


def test_working_days_between_counts_half_open_range(calendar):
    assert calendar.working_days_between(date(2023, 9, 28), date(2023, 10, 9)) == 3  # 9-28, 10-07, 10-08


def test_first_working_day_of_month_may_be_a_make_up_saturday(calendar):
    assert calendar.first_working_day_of_month(2023, 10) == date(2023, 10, 7)
    assert calendar.first_working_day_of_month(2024, 1) == date(2024, 1, 2)


def test_first_working_day_of_week(calendar):
    assert calendar.first_working_day_of_week(date(2023, 10, 4)) == date(2023, 10, 7)
    assert calendar.first_working_day_of_week(date(2023, 9, 22)) == date(2023, 9, 18)


def test_a_year_after_chinese_calendar_uses_the_holidays_estimate_with_one_warning(caplog):
    calendar = WorkingCalendar()
    with caplog.at_level(logging.WARNING, logger="deadline_bot.scheduler"):
        assert not calendar.is_working_day(date(2030, 10, 1))  # National Day, from the holidays package
        assert not calendar.is_working_day(date(2030, 1, 1))  # 元旦
        assert calendar.is_working_day(date(2030, 10, 8))  # an ordinary Tuesday
        assert not calendar.is_working_day(date(2030, 10, 5))  # Saturday
        calendar.add_working_days(date(2030, 3, 1), 40)
    assert calendar.year_source(2030) is CalendarSource.HOLIDAYS_ESTIMATE
    assert not calendar.has_official_data(2030)
    warnings = [r for r in caplog.records if r.name == "deadline_bot.scheduler" and "2030" in r.getMessage()]
    assert len(warnings) == 1


def test_a_year_no_package_knows_falls_back_to_weekends_with_one_warning(caplog):
    calendar = WorkingCalendar()
    with caplog.at_level(logging.WARNING, logger="deadline_bot.scheduler"):
        assert calendar.is_working_day(date(2150, 10, 1))  # a Thursday; no holiday data at all
        assert not calendar.is_working_day(date(2150, 10, 3))  # Saturday
        assert calendar.next_working_day(date(2150, 10, 3)) == date(2150, 10, 5)
        calendar.add_working_days(date(2150, 3, 1), 40)
    assert calendar.year_source(2150) is CalendarSource.WEEKENDS
    warnings = [r for r in caplog.records if r.name == "deadline_bot.scheduler" and "2150" in r.getMessage()]
    assert len(warnings) == 1


def test_administrator_listed_days_win_over_the_package(caplog):
    calendar = WorkingCalendar(extra_holidays=[date(2023, 10, 9)], extra_workdays=[date(2023, 10, 3)])
    assert not calendar.is_working_day(date(2023, 10, 9))  # an ordinary Monday, declared off
    assert calendar.is_working_day(date(2023, 10, 3))  # inside the national holiday, declared working


def test_administrator_lists_cover_an_uncovered_year_without_warning(caplog):
    policy = policy_from_mapping({"extra_holidays": ["2030-10-01", "2030-10-02"], "extra_workdays": ["2030-10-12"]})
    calendar = WorkingCalendar.from_policy(policy)
    with caplog.at_level(logging.WARNING, logger="deadline_bot.scheduler"):
        assert not calendar.is_working_day(date(2030, 10, 1))
        assert calendar.is_working_day(date(2030, 10, 12))  # Saturday
        assert calendar.is_working_day(date(2030, 10, 8))
    assert not caplog.records
    assert calendar.has_official_data(2030)


def test_next_working_instant_keeps_an_instant_inside_working_hours(calendar):
    instant = datetime(2023, 9, 28, 2, 30, tzinfo=timezone.utc)  # 10:30 in Shanghai
    assert next_working_instant(instant, DEFAULT_POLICY, calendar) == instant


def test_next_working_instant_waits_for_the_morning(calendar):
    early = datetime(2023, 9, 27, 23, 0, tzinfo=timezone.utc)  # 07:00 on 9-28 in Shanghai
    assert next_working_instant(early, DEFAULT_POLICY, calendar) == datetime(2023, 9, 28, 1, 0, tzinfo=timezone.utc)


def test_next_working_instant_after_hours_skips_the_holiday(calendar):
    closing = datetime(2023, 9, 28, 10, 0, tzinfo=timezone.utc)  # 18:00 sharp in Shanghai: closed
    assert next_working_instant(closing, DEFAULT_POLICY, calendar) == datetime(2023, 10, 7, 1, 0, tzinfo=timezone.utc)


def test_adding_working_days_crosses_many_years_of_an_old_overdue_task():
    calendar = WorkingCalendar()
    far = calendar.add_working_days(date(2018, 1, 2), 2000)
    assert far.year >= 2025 and calendar.is_working_day(far)
    assert calendar.add_working_days(far, -2000) == date(2018, 1, 2)
