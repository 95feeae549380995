"""Nagging with an end: the overdue cadence slows down, can be turned off, an administrator's
quiet and a plan imported as history silence it. Pure planning: values in, values out."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from scheduler.calendar import WorkingCalendar
from scheduler.model import ReminderKind
from scheduler.planner import comes_in_as_history, overdue_notice_days
from scheduler.policy import DEFAULT_POLICY, CadenceStep, PolicyError, policy_from_mapping
from tests.scheduler.test_planner import ALL_CHATS, NO_MONTHLY_POLL, a_task, days_of, preview

CALENDAR = WorkingCalendar.from_policy(DEFAULT_POLICY)


def test_default_cadence_is_every_three_working_days_then_weekly_then_monthly():
    # 2023 National Day: 09-29..10-06 off, 10-07 and 10-08 working.
    rows = preview([a_task(date(2023, 9, 28))], date(2023, 9, 29), date(2024, 1, 31))
    assert days_of(rows, ReminderKind.OVERDUE) == [
        date(2023, 10, 7), date(2023, 10, 10), date(2023, 10, 13), date(2023, 10, 18),  # every 3 working days
        date(2023, 10, 25), date(2023, 11, 1), date(2023, 11, 8), date(2023, 11, 15),  # weekly
        date(2023, 12, 15), date(2024, 1, 15)]  # monthly


def test_a_plan_overdue_for_years_gets_one_notice_a_month():
    rows = preview([a_task(date(2017, 12, 31))], date(2023, 1, 1), date(2023, 12, 31))
    per_month = {d.month for d in days_of(rows, ReminderKind.OVERDUE)}
    assert len(days_of(rows, ReminderKind.OVERDUE)) == 12 and per_month == set(range(1, 13))


def test_monthly_notice_on_a_day_off_moves_to_the_next_working_day_without_drifting():
    cadence = (CadenceStep(1, "months"),)
    # due 2023-12-14: first notice Fri 12-15; 2024-02-15 is in the Spring Festival (02-10..02-17
    # off, Sun 02-18 a make-up workday), then back to the 15th.
    days = overdue_notice_days(date(2023, 12, 14), cadence, CALENDAR, date(2023, 12, 1), date(2024, 4, 30))
    assert days == [date(2023, 12, 15), date(2024, 1, 15), date(2024, 2, 18), date(2024, 3, 15), date(2024, 4, 15)]


def test_a_last_step_with_notices_ends_the_nagging():
    policy = NO_MONTHLY_POLL.with_overrides(
        {"overdue_cadence": [{"every": "2 working days", "notices": 2}, {"every": "1 week", "notices": 1}]})
    rows = preview([a_task(date(2023, 11, 1))], date(2023, 11, 1), date(2024, 6, 30), policy=policy)
    assert days_of(rows, ReminderKind.OVERDUE) == [date(2023, 11, 2), date(2023, 11, 6), date(2023, 11, 13)]


def test_overdue_notices_switched_off_send_no_overdue_and_no_escalation():
    policy = NO_MONTHLY_POLL.with_overrides({"overdue_notices": False})
    rows = preview([a_task(date(2023, 11, 1))], date(2023, 10, 1), date(2024, 1, 31), chats=ALL_CHATS,
                   policy=policy)
    kinds = {r.kind for r in rows}
    assert ReminderKind.DUE_TODAY in kinds
    assert not kinds & {ReminderKind.OVERDUE, ReminderKind.ESCALATION}


def test_quiet_task_gets_no_overdue_notice_for_the_due_dates_it_covers_but_a_later_milestone_still_counts():
    quiet = a_task(date(2023, 11, 1), later_dues=(date(2023, 12, 1),), overdue_quiet_through=date(2023, 11, 1))
    rows = preview([quiet], date(2023, 11, 1), date(2023, 12, 10), chats=ALL_CHATS)
    overdue = [(r.kind, r.due_date) for r in rows if r.kind in (ReminderKind.OVERDUE, ReminderKind.ESCALATION)]
    assert overdue and {due for _, due in overdue} == {date(2023, 12, 1)}
    assert (ReminderKind.ESCALATION, date(2023, 12, 1)) in overdue
    # The same task without the quiet is nagged about the first milestone too.
    loud = preview([a_task(date(2023, 11, 1), later_dues=(date(2023, 12, 1),))], date(2023, 11, 1),
                   date(2023, 12, 10), chats=ALL_CHATS)
    assert date(2023, 11, 1) in {r.due_date for r in loud if r.kind is ReminderKind.OVERDUE}


def test_history_task_is_not_polled():
    policy = DEFAULT_POLICY
    rows = preview([a_task(date(2030, 1, 1), polls=False)], date(2023, 11, 1), date(2023, 12, 31), policy=policy)
    assert not [r for r in rows if r.kind is ReminderKind.POLL]
    polled = preview([a_task(date(2030, 1, 1))], date(2023, 11, 1), date(2023, 12, 31), policy=policy)
    assert [r for r in polled if r.kind is ReminderKind.POLL]


def test_plan_whose_period_ended_comes_in_as_history():
    assert comes_in_as_history(date(2017, 12, 31), [date(2017, 6, 30)], date(2023, 5, 1), DEFAULT_POLICY)
    assert not comes_in_as_history(date(2023, 12, 31), [date(2023, 4, 30)], date(2023, 5, 1), DEFAULT_POLICY)


def test_plan_whose_tasks_are_all_long_overdue_comes_in_as_history():
    dues = [date(2022, 6, 30), None, date(2022, 12, 31)]
    assert comes_in_as_history(None, dues, date(2023, 5, 1), DEFAULT_POLICY)  # 121 days after the last
    assert not comes_in_as_history(None, dues, date(2023, 2, 1), DEFAULT_POLICY)  # 32 days
    assert not comes_in_as_history(None, [None], date(2023, 5, 1), DEFAULT_POLICY)
    stricter = policy_from_mapping({"history_after_overdue_days": 30})
    assert comes_in_as_history(None, dues, date(2023, 2, 1), stricter)


def test_cadence_is_read_from_the_config_and_written_back():
    policy = policy_from_mapping({"overdue_cadence": [{"every": "2 working days", "notices": 3},
                                                      {"every": "2 weeks"}]})
    assert policy.overdue_cadence == (CadenceStep(2, "working_days", 3), CadenceStep(2, "weeks"))
    assert policy_from_mapping(policy.as_mapping()) == policy
    assert policy_from_mapping(DEFAULT_POLICY.as_mapping()) == DEFAULT_POLICY


def test_the_old_single_pace_key_still_means_what_it_meant():
    assert policy_from_mapping({"overdue_every_working_days": 5}).overdue_cadence == (CadenceStep(5, "working_days"),)


@pytest.mark.parametrize("cadence, fragment", [
    ([], "at least one step"),
    ([{"every": "3 days"}], "is not \"N working days\""),
    ([{"every": "1 week"}, {"every": "1 month"}], "step 1 repeats for ever"),
    ([{"every": "1 week", "notices": 0}], "notices = 0"),
    ([{"every": "1 week", "times": 2}], "unknown step key 'times'"),
])
def test_bad_cadence_is_one_line_naming_the_key(cadence, fragment):
    with pytest.raises(PolicyError) as error:
        policy_from_mapping({"overdue_cadence": cadence})
    assert str(error.value).startswith("reminders.overdue_cadence:") and fragment in str(error.value)


def test_both_cadence_keys_at_once_is_refused():
    with pytest.raises(PolicyError, match="^reminders.overdue_every_working_days: set overdue_cadence"):
        policy_from_mapping({"overdue_every_working_days": 3, "overdue_cadence": [{"every": "1 week"}]})


@pytest.mark.parametrize("cadence", [
    DEFAULT_POLICY.overdue_cadence,
    (CadenceStep(3, "working_days"),),
    (CadenceStep(2, "weeks"),),
    (CadenceStep(2, "working_days", 3), CadenceStep(1, "weeks", 2), CadenceStep(1, "months", 3)),
])
def test_a_window_long_after_the_due_date_holds_the_same_days_as_walking_from_the_start(cadence):
    # The planner skips years of notices to reach a late window; what it finds must not depend on that.
    rng = random.Random(7)
    for _ in range(300):
        due = date(2016, 1, 1) + timedelta(days=rng.randrange(3000))
        first = due + timedelta(days=rng.randrange(-40, 3000))
        last = first + timedelta(days=rng.randrange(0, 200))
        walked = overdue_notice_days(due, cadence, CALENDAR, date(2000, 1, 1), last)
        assert overdue_notice_days(due, cadence, CALENDAR, first, last) == [d for d in walked if d >= first]
