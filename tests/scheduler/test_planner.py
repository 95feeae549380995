"""plan_reminders: which messages go to whom, when, under which dedupe key."""
from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduler.calendar import WorkingCalendar, next_working_instant
from scheduler.model import ChatToPlan, ReminderKind, TaskToPlan
from scheduler.planner import plan_reminders, preview_reminders
from scheduler.policy import DEFAULT_POLICY, policy_from_mapping

SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = timezone.utc
LEAD, RESPONSIBLE, COOPERATING = 7, 8, 9
LEAD_CHAT, RESPONSIBLE_CHAT, COOPERATING_CHAT, ADMIN_CHAT = 70, 80, 90, 1
UNIT_CHATS = (ChatToPlan(LEAD_CHAT, LEAD, False), ChatToPlan(RESPONSIBLE_CHAT, RESPONSIBLE, False),
              ChatToPlan(COOPERATING_CHAT, COOPERATING, False))
ALL_CHATS = UNIT_CHATS + (ChatToPlan(ADMIN_CHAT, None, True),)
# Most tests look at one task's reminders: no monthly polls in the way unless a test asks.
NO_MONTHLY_POLL = DEFAULT_POLICY.with_overrides({"monthly_poll": False})


def a_task(due: date | None, *, task_id: int = 42, status: str = "open", units=((LEAD, "lead"),),
           **more) -> TaskToPlan:
    return TaskToPlan(task_id=task_id, document_id=3, status=status, effective_due=due, units=units, **more)


def preview(tasks, first: date, last: date, chats=UNIT_CHATS, policy=NO_MONTHLY_POLL, calendar=None):
    calendar = calendar or WorkingCalendar.from_policy(policy)
    return preview_reminders(tasks, chats, policy, calendar, first, last)


def local_day(row) -> date:
    return row.send_at.astimezone(SHANGHAI).date()


def days_of(rows, kind: ReminderKind, chat_id=LEAD_CHAT) -> list[date]:
    return [local_day(r) for r in rows if r.kind is kind and r.chat_id == chat_id]


# ---- the 2023 National Day holiday: 09-29..10-06 off, Sat 10-07 and Sun 10-08 working ----------

def test_one_day_reminder_before_a_make_up_sunday_goes_on_the_make_up_saturday():
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 9, 1), date(2023, 10, 8))
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 9, 8), date(2023, 9, 28), date(2023, 10, 7)]
    assert days_of(rows, ReminderKind.DUE_TODAY) == [date(2023, 10, 8)]


def test_one_day_reminder_inside_the_holiday_moves_back_to_the_last_working_day_before_it():
    policy = DEFAULT_POLICY.with_overrides({"offsets_days": [1], "due_day_notice": False})
    rows = preview([a_task(date(2023, 10, 6))], date(2023, 9, 20), date(2023, 10, 6), policy=policy)
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 9, 28)]


def test_reminders_collapsing_on_one_working_day_send_one_message():
    # due 10-06 (a holiday): 7 days before (09-29) and 1 day before (10-05) are off, as is the due
    # day itself; all three land on 09-28, and the unit hears once, with the due-day notice.
    rows = preview([a_task(date(2023, 10, 6))], date(2023, 9, 20), date(2023, 10, 6))
    on_28th = [r for r in rows if local_day(r) == date(2023, 9, 28)]
    assert [(r.kind, r.chat_id) for r in on_28th] == [(ReminderKind.DUE_TODAY, LEAD_CHAT)]


def test_seven_day_reminder_for_a_holiday_due_date_falls_on_the_friday_before():
    # 2023-10-01 minus 7 days is Sunday 09-24 (an ordinary weekend): moved back to Friday 09-22.
    rows = preview([a_task(date(2023, 10, 1))], date(2023, 8, 25), date(2023, 10, 1))
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 9, 1), date(2023, 9, 22)]


def test_due_day_notice_of_a_holiday_due_date_goes_on_the_last_working_day_before_it():
    rows = preview([a_task(date(2023, 10, 1))], date(2023, 9, 25), date(2023, 10, 1))
    assert [(r.kind, local_day(r), r.due_date) for r in rows if r.chat_id == LEAD_CHAT] == [
        (ReminderKind.DUE_TODAY, date(2023, 9, 28), date(2023, 10, 1))]


def test_due_day_notice_on_a_working_due_date():
    rows = preview([a_task(date(2023, 9, 27))], date(2023, 9, 27), date(2023, 9, 27))
    assert days_of(rows, ReminderKind.DUE_TODAY) == [date(2023, 9, 27)]


def test_first_overdue_notice_is_the_first_working_day_after_the_holiday_then_every_three_working_days():
    rows = preview([a_task(date(2023, 9, 28))], date(2023, 9, 29), date(2023, 10, 20))
    # working days after 09-28: 10-07, 10-08, 10-09, 10-10, 10-11, 10-12, 10-13, 10-16, ...
    assert days_of(rows, ReminderKind.OVERDUE) == [date(2023, 10, 7), date(2023, 10, 10), date(2023, 10, 13),
                                                   date(2023, 10, 18)]


def test_overdue_notices_continue_in_a_window_long_after_the_due_date():
    # One unending pace (the old overdue_every_working_days = 3); the default slows down instead
    # (tests/scheduler/test_overdue_cadence.py).
    policy = NO_MONTHLY_POLL.with_overrides({"overdue_every_working_days": 3})
    calendar = WorkingCalendar()
    rows = preview([a_task(date(2023, 9, 28))], date(2024, 3, 1), date(2024, 3, 31), calendar=calendar,
                   policy=policy)
    days = days_of(rows, ReminderKind.OVERDUE)
    assert days and all(calendar.working_days_between(date(2023, 10, 7), d) % 3 == 0 for d in days)
    assert [calendar.working_days_between(a, b) for a, b in zip(days, days[1:])] == [3] * (len(days) - 1)


def test_send_at_is_nine_in_shanghai_which_is_one_in_utc():
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 10, 7), date(2023, 10, 7))
    assert rows and all(r.send_at == datetime(2023, 10, 7, 1, 0, tzinfo=UTC) for r in rows)
    assert all(r.send_at.utcoffset() == timedelta(0) for r in rows)


def test_every_planned_instant_is_inside_working_hours_on_a_working_day():
    calendar = WorkingCalendar()
    tasks = [a_task(date(2023, 9, 1) + timedelta(days=i), task_id=i, recurrence_freqs=("yearly",),
                    units=((LEAD, "lead"), (RESPONSIBLE, "responsible"))) for i in range(60)]
    rows = preview(tasks, date(2023, 9, 1), date(2023, 12, 31), calendar=calendar)
    assert rows
    assert all(next_working_instant(r.send_at, DEFAULT_POLICY, calendar) == r.send_at for r in rows)


# ---- who receives what -------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_done_and_cancelled_tasks_get_nothing(status):
    task = a_task(date(2023, 10, 8), status=status, recurrence_freqs=("yearly",))
    assert preview([task], date(2023, 9, 1), date(2023, 12, 31)) == []


def test_blocked_task_still_gets_reminders():
    rows = preview([a_task(date(2023, 10, 8), status="blocked")], date(2023, 10, 7), date(2023, 10, 7))
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 10, 7)]


def test_every_unit_role_gets_before_due_reminders():
    units = ((LEAD, "lead"), (RESPONSIBLE, "responsible"), (COOPERATING, "cooperating"))
    rows = preview([a_task(date(2023, 10, 8), units=units)], date(2023, 10, 7), date(2023, 10, 7))
    assert sorted((r.unit_id, r.chat_id) for r in rows) == [
        (LEAD, LEAD_CHAT), (RESPONSIBLE, RESPONSIBLE_CHAT), (COOPERATING, COOPERATING_CHAT)]


def test_escalation_goes_to_lead_units_and_admins_on_the_first_overdue_notice_only():
    units = ((LEAD, "lead"), (RESPONSIBLE, "responsible"), (COOPERATING, "cooperating"))
    rows = preview([a_task(date(2023, 9, 28), units=units)], date(2023, 9, 29), date(2023, 10, 20), chats=ALL_CHATS)
    escalations = [r for r in rows if r.kind is ReminderKind.ESCALATION]
    assert sorted((r.unit_id, r.chat_id) for r in escalations if r.unit_id) == [(LEAD, LEAD_CHAT)]
    assert [(r.unit_id, r.chat_id) for r in escalations if r.unit_id is None] == [(None, ADMIN_CHAT)]
    assert {local_day(r) for r in escalations} == {date(2023, 10, 7)}
    overdue_on_first_day = {r.unit_id for r in rows if r.kind is ReminderKind.OVERDUE
                            and local_day(r) == date(2023, 10, 7)}
    assert overdue_on_first_day == {LEAD, RESPONSIBLE, COOPERATING}


def test_no_escalation_when_the_policy_turns_it_off():
    policy = NO_MONTHLY_POLL.with_overrides({"escalate_first_overdue": False})
    rows = preview([a_task(date(2023, 9, 28))], date(2023, 10, 7), date(2023, 10, 7), policy=policy, chats=ALL_CHATS)
    assert [r.kind for r in rows if r.task_id] == [ReminderKind.OVERDUE]


def test_unit_without_chat_yields_one_row_with_no_chat():
    rows = preview([a_task(date(2023, 10, 8), units=((55, "responsible"),))], date(2023, 10, 7), date(2023, 10, 7))
    assert [(r.kind, r.unit_id, r.chat_id) for r in rows] == [(ReminderKind.REMINDER, 55, None)]
    assert ":u55:c-:" in rows[0].dedupe_key


def test_unit_with_two_chats_gets_a_row_in_each():
    chats = (ChatToPlan(70, LEAD, False), ChatToPlan(71, LEAD, False))
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 10, 7), date(2023, 10, 7), chats=chats)
    assert sorted(r.chat_id for r in rows) == [70, 71]


def test_inactive_chats_get_nothing():
    chats = (ChatToPlan(70, LEAD, False, active=False), ChatToPlan(71, LEAD, False),
             ChatToPlan(1, None, True, active=False))
    rows = preview([a_task(date(2023, 9, 28))], date(2023, 10, 7), date(2023, 10, 9), chats=chats)
    assert rows and {r.chat_id for r in rows} == {71}


def test_unit_whose_only_chat_is_inactive_shows_as_unbound():
    chats = (ChatToPlan(70, LEAD, False, active=False),)
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 10, 7), date(2023, 10, 7), chats=chats)
    assert [(r.unit_id, r.chat_id) for r in rows] == [(LEAD, None)]


# ---- dedupe keys -------------------------------------------------------------------------------

def test_key_names_kind_task_unit_chat_due_and_send_day():
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 10, 7), date(2023, 10, 7))
    assert [r.dedupe_key for r in rows] == ["reminder:t42:u7:c70:due2023-10-08:on2023-10-07"]


def test_same_input_planned_twice_gives_identical_rows():
    units = ((LEAD, "lead"), (RESPONSIBLE, "responsible"))
    tasks = [a_task(date(2023, 10, 8) + timedelta(days=i), task_id=i, units=units) for i in range(30)]
    first = preview(tasks, date(2023, 9, 1), date(2023, 11, 30))
    again = preview(list(reversed(tasks)), date(2023, 9, 1), date(2023, 11, 30))
    assert first == again
    assert len({r.dedupe_key for r in first}) == len(first)


def test_moved_due_date_changes_reminder_keys_but_not_poll_keys():
    before = preview([a_task(date(2023, 10, 31))], date(2023, 10, 1), date(2023, 10, 31), policy=DEFAULT_POLICY)
    after = preview([a_task(date(2023, 11, 30))], date(2023, 10, 1), date(2023, 10, 31), policy=DEFAULT_POLICY)
    keys_before = {r.dedupe_key for r in before if r.kind is not ReminderKind.POLL}
    keys_after = {r.dedupe_key for r in after if r.kind is not ReminderKind.POLL}
    assert keys_before and keys_after and not keys_before & keys_after
    assert ({r.dedupe_key for r in before if r.kind is ReminderKind.POLL}
            == {r.dedupe_key for r in after if r.kind is ReminderKind.POLL} != set())


def test_rows_are_sorted_by_send_at_then_key():
    units = ((LEAD, "lead"), (RESPONSIBLE, "responsible"))
    rows = preview([a_task(date(2023, 10, 8), task_id=i, units=units) for i in range(5)],
                   date(2023, 9, 1), date(2023, 10, 31))
    assert rows == sorted(rows, key=lambda r: (r.send_at, r.dedupe_key))


# ---- polls and digest ---------------------------------------------------------------------------

def test_monthly_poll_on_the_first_working_day_even_a_make_up_saturday():
    units = ((LEAD, "lead"), (RESPONSIBLE, "responsible"), (COOPERATING, "cooperating"))
    rows = preview([a_task(date(2024, 6, 30), units=units)], date(2023, 9, 1), date(2023, 11, 30),
                   policy=DEFAULT_POLICY)
    polls = [r for r in rows if r.kind is ReminderKind.POLL]
    assert sorted({local_day(r) for r in polls}) == [date(2023, 9, 1), date(2023, 10, 7), date(2023, 11, 1)]
    assert {r.unit_id for r in polls} == {LEAD, RESPONSIBLE}  # cooperating units are not polled
    assert all(r.due_date is None for r in polls)


def test_task_without_due_date_gets_only_polls():
    rows = preview([a_task(None)], date(2023, 9, 1), date(2023, 12, 31), policy=DEFAULT_POLICY)
    assert {r.kind for r in rows if r.chat_id == LEAD_CHAT} == {ReminderKind.POLL}


def test_yearly_obligation_polled_in_october_and_december():
    policy = NO_MONTHLY_POLL
    yearly = a_task(None, recurrence_freqs=("yearly",))
    rows = preview([yearly, a_task(None, task_id=43)], date(2023, 1, 1), date(2023, 12, 31), policy=policy)
    assert [(r.task_id, local_day(r)) for r in rows if r.kind is ReminderKind.POLL] == [
        (42, date(2023, 10, 7)), (42, date(2023, 12, 1))]


def test_quarterly_obligation_polled_in_the_last_month_of_each_quarter():
    policy = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
    rows = preview([a_task(None, recurrence_freqs=("quarterly",))], date(2023, 1, 1), date(2023, 12, 31),
                   policy=policy)
    assert days_of(rows, ReminderKind.POLL) == [date(2023, 3, 1), date(2023, 6, 1), date(2023, 9, 1),
                                                date(2023, 12, 1)]


def test_poll_days_shared_by_monthly_and_yearly_send_one_poll():
    rows = preview([a_task(None, recurrence_freqs=("yearly",))], date(2023, 10, 7), date(2023, 10, 7),
                   policy=DEFAULT_POLICY)
    assert [r.kind for r in rows if r.chat_id == LEAD_CHAT] == [ReminderKind.POLL]


def test_weekly_digest_goes_to_each_admin_chat_on_the_first_working_day_of_the_week():
    chats = (ChatToPlan(1, None, True), ChatToPlan(2, None, True), ChatToPlan(3, None, True, active=False))
    rows = preview([], date(2023, 9, 25), date(2023, 10, 15), chats=chats)
    assert [(r.kind, r.chat_id, local_day(r), r.task_id, r.unit_id) for r in rows] == [
        (ReminderKind.DIGEST, 1, date(2023, 9, 25), None, None),
        (ReminderKind.DIGEST, 2, date(2023, 9, 25), None, None),
        (ReminderKind.DIGEST, 1, date(2023, 10, 7), None, None),  # Monday 10-02 is a holiday
        (ReminderKind.DIGEST, 2, date(2023, 10, 7), None, None),
        (ReminderKind.DIGEST, 1, date(2023, 10, 9), None, None),
        (ReminderKind.DIGEST, 2, date(2023, 10, 9), None, None)]


# ---- calendars, overrides, windows ---------------------------------------------------------------

def test_uncovered_year_plans_with_weekends_and_warns_once(caplog):
    calendar = WorkingCalendar()
    with caplog.at_level(logging.WARNING, logger="deadline_bot.scheduler"):
        rows = preview([a_task(date(2030, 10, 7))], date(2030, 9, 1), date(2030, 10, 7), calendar=calendar)
    # 2030-10-06 is a Sunday: the 1-day reminder moves to Friday 10-04; no National Day known.
    assert days_of(rows, ReminderKind.REMINDER) == [date(2030, 9, 6), date(2030, 9, 30), date(2030, 10, 4)]
    assert len([r for r in caplog.records if "2030" in r.getMessage()]) == 1


def test_administrator_listed_holidays_win():
    policy = policy_from_mapping({"extra_holidays": ["2023-10-07"]})
    rows = preview([a_task(date(2023, 10, 8))], date(2023, 9, 25), date(2023, 10, 8), policy=policy)
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 9, 28)]  # 10-07 declared off
    assert days_of(rows, ReminderKind.DUE_TODAY) == [date(2023, 10, 8)]


def test_task_overrides_change_offsets_for_that_task_only():
    special = a_task(date(2023, 11, 30), task_id=1, task_overrides={"offsets_days": [14]})
    ordinary = a_task(date(2023, 11, 30), task_id=2)
    rows = preview([special, ordinary], date(2023, 10, 1), date(2023, 11, 29))
    reminders = [(r.task_id, local_day(r)) for r in rows if r.kind is ReminderKind.REMINDER]
    assert [d for t, d in reminders if t == 1] == [date(2023, 11, 16)]
    assert [d for t, d in reminders if t == 2] == [date(2023, 10, 31), date(2023, 11, 23), date(2023, 11, 29)]


def test_task_overrides_win_over_document_overrides():
    task = a_task(date(2023, 11, 30), document_overrides={"offsets_days": [14], "send_time": "10:00"},
                  task_overrides={"offsets_days": [2]})
    rows = preview([task], date(2023, 10, 1), date(2023, 11, 29))
    reminders = [r for r in rows if r.kind is ReminderKind.REMINDER]
    assert [local_day(r) for r in reminders] == [date(2023, 11, 28)]
    assert reminders[0].send_at.astimezone(SHANGHAI).time() == time(10, 0)


def test_invalid_overrides_are_logged_and_ignored(caplog):
    task = a_task(date(2023, 10, 8), task_overrides={"offsets_days": "soon"})
    with caplog.at_level(logging.WARNING, logger="deadline_bot.scheduler"):
        rows = preview([task], date(2023, 10, 7), date(2023, 10, 7))
    assert days_of(rows, ReminderKind.REMINDER) == [date(2023, 10, 7)]
    assert "task 42 overrides.offsets_days" in caplog.text


def test_window_is_half_open():
    task = a_task(date(2023, 10, 8))
    nine = datetime(2023, 10, 7, 1, 0, tzinfo=UTC)
    calendar = WorkingCalendar()
    assert plan_reminders([task], ALL_CHATS, DEFAULT_POLICY, calendar, nine, nine + timedelta(hours=1))
    assert not plan_reminders([task], ALL_CHATS, DEFAULT_POLICY, calendar, nine - timedelta(hours=1), nine)


def test_lookback_window_drops_before_due_reminders_whose_due_date_has_passed():
    # Down since 10-07; back on 10-10 looking back a week: the 1-day reminder (10-07) and the
    # due-day notice (10-08) are stale, the overdue notice (10-09) speaks for them.
    now = datetime(2023, 10, 10, 2, 0, tzinfo=UTC)
    rows = plan_reminders([a_task(date(2023, 10, 8))], UNIT_CHATS, NO_MONTHLY_POLL, WorkingCalendar(),
                          now - timedelta(days=7), now + timedelta(hours=1))
    assert [(r.kind, local_day(r)) for r in rows] == [
        (ReminderKind.ESCALATION, date(2023, 10, 9)), (ReminderKind.OVERDUE, date(2023, 10, 9))]


def test_naive_window_is_refused():
    with pytest.raises(ValueError, match="aware"):
        plan_reminders([], [], DEFAULT_POLICY, WorkingCalendar(),
                       datetime(2023, 1, 1), datetime(2023, 1, 2, tzinfo=UTC))


def test_live_window_reaching_past_the_due_date_keeps_the_reminders_before_it():
    # The live service plans [now - lookback, now + horizon); a task due tomorrow must still get
    # today's one-day reminder and tomorrow's due-day notice, although the window ends after it.
    now = datetime(2023, 10, 10, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    rows = plan_reminders([a_task(date(2023, 10, 11))], UNIT_CHATS, NO_MONTHLY_POLL, WorkingCalendar(),
                          now - timedelta(days=14), now + timedelta(days=3), now=now)
    kinds = {(r.kind, local_day(r)) for r in rows if r.chat_id == LEAD_CHAT}
    assert (ReminderKind.REMINDER, date(2023, 10, 10)) in kinds
    assert (ReminderKind.DUE_TODAY, date(2023, 10, 11)) in kinds
    assert (ReminderKind.OVERDUE, date(2023, 10, 12)) in kinds


def test_reminders_whose_due_date_passed_before_now_are_stale():
    now = datetime(2023, 10, 13, 2, 0, tzinfo=timezone.utc)
    rows = plan_reminders([a_task(date(2023, 10, 11))], UNIT_CHATS, NO_MONTHLY_POLL, WorkingCalendar(),
                          now - timedelta(days=14), now + timedelta(days=3), now=now)
    assert {r.kind for r in rows} <= {ReminderKind.OVERDUE, ReminderKind.ESCALATION}


def test_a_unit_whose_share_is_done_is_no_longer_reminded_polled_or_escalated_to():
    units = ((LEAD, "lead"), (COOPERATING, "cooperating"))
    policy = DEFAULT_POLICY.with_overrides({"poll_roles": ["lead", "cooperating"]})
    everyone = preview([a_task(date(2023, 6, 30), units=units)], date(2023, 6, 1), date(2023, 7, 31),
                       chats=ALL_CHATS, policy=policy)
    helper_done = preview([a_task(date(2023, 6, 30), units=units, done_unit_ids=frozenset({COOPERATING}))],
                          date(2023, 6, 1), date(2023, 7, 31), chats=ALL_CHATS, policy=policy)
    assert {r.kind for r in everyone if r.chat_id == COOPERATING_CHAT} >= {ReminderKind.REMINDER, ReminderKind.POLL}
    assert not [r for r in helper_done if r.chat_id == COOPERATING_CHAT]
    assert [r for r in helper_done if r.chat_id != COOPERATING_CHAT] == \
        [r for r in everyone if r.chat_id != COOPERATING_CHAT]


def test_a_task_awaiting_verification_is_reminded_to_nobody():
    rows = preview([a_task(date(2023, 6, 30), status="awaiting_verification")], date(2023, 6, 1),
                   date(2023, 7, 31), chats=ALL_CHATS)
    assert [r for r in rows if r.task_id is not None] == []


# ---- collective units: reached through their members' chats ---------------------------------

COLLECTIVE, MEMBER_A, MEMBER_B, MEMBER_UNBOUND = 50, 51, 52, 53
MEMBER_A_CHAT, MEMBER_B_CHAT, OTHER_MEMBER_B_CHAT = 510, 520, 521


def test_a_collectives_reminders_go_to_each_bound_members_chat_addressed_to_the_collective():
    chats = (ChatToPlan(MEMBER_A_CHAT, MEMBER_A, False, member_of=(COLLECTIVE,)),
             ChatToPlan(MEMBER_B_CHAT, MEMBER_B, False, member_of=(COLLECTIVE,)),
             ChatToPlan(OTHER_MEMBER_B_CHAT, MEMBER_B, False, active=False, member_of=(COLLECTIVE,)),
             ChatToPlan(ADMIN_CHAT, None, True))
    task = a_task(date(2023, 9, 27), units=((COLLECTIVE, "responsible"),))
    rows = preview([task], date(2023, 9, 20), date(2023, 9, 27), chats=chats)
    due_today = [r for r in rows if r.kind is ReminderKind.DUE_TODAY]
    assert sorted((r.unit_id, r.chat_id) for r in due_today) == [(COLLECTIVE, MEMBER_A_CHAT),
                                                                 (COLLECTIVE, MEMBER_B_CHAT)]
    assert {r.dedupe_key for r in due_today} == {
        f"due_today:t42:u{COLLECTIVE}:c{MEMBER_A_CHAT}:due2023-09-27:on2023-09-27",
        f"due_today:t42:u{COLLECTIVE}:c{MEMBER_B_CHAT}:due2023-09-27:on2023-09-27"}
    # Without members bound the collective is "no chat bound yet", as any unit.
    alone = preview([task], date(2023, 9, 27), date(2023, 9, 27), chats=(ChatToPlan(ADMIN_CHAT, None, True),))
    assert [(r.unit_id, r.chat_id) for r in alone if r.kind is ReminderKind.DUE_TODAY] == [(COLLECTIVE, None)]


def test_a_member_named_on_the_task_itself_hears_its_own_share_and_the_collectives():
    chats = (ChatToPlan(MEMBER_A_CHAT, MEMBER_A, False, member_of=(COLLECTIVE,)),)
    task = a_task(date(2023, 9, 27), units=((COLLECTIVE, "responsible"), (MEMBER_A, "lead")))
    rows = preview([task], date(2023, 9, 27), date(2023, 9, 27), chats=chats)
    assert sorted(r.unit_id for r in rows if r.kind is ReminderKind.DUE_TODAY) == [COLLECTIVE, MEMBER_A]
    assert {r.chat_id for r in rows} == {MEMBER_A_CHAT}
