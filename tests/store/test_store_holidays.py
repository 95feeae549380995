"""Imported holiday notices, the calendar built from them, and the administrators' warning,
on SQLite and (with DEADLINE_BOT_TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from extract.holiday_notice import read_holiday_notice
from scheduler.calendar import CalendarSource
from scheduler.model import ReminderKind
from scheduler.policy import policy_from_mapping
from scheduler.service import replan_reminders
from scheduler.stored_calendar import enqueue_missing_year_warnings, stored_calendar
from store.holidays import save_notice, stored_notice
from store.models import ChatKind, ReminderState
from tests.scheduler.outbox_builders import add_chat, reminders

SHA = "0" * 64
NOW = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, four weeks before 2027

# Invented: the dates of a 2027 notice as it might read.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""

# Invented: a 2026 notice that disagrees with chinese-calendar, to see which one wins.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
一、植树节：3月12日（周四）放假。3月14日（周六）上班。
"""


def test_an_imported_notice_is_the_calendar_of_its_year(engine):
    policy = policy_from_mapping({})
    before = stored_calendar(engine, policy)
    assert before.year_source(2027) is CalendarSource.HOLIDAYS_ESTIMATE
    assert not before.is_working_day(date(2027, 2, 9))  # the package's estimate has Spring Festival off
    assert not before.is_working_day(date(2027, 1, 31))  # but knows no make-up Sunday

    saved = save_notice(engine, read_holiday_notice(NOTICE_2027), "notice.txt", SHA, NOW)
    assert (saved.year, saved.replaced, saved.holidays, saved.workdays) == (2027, False, 17, 4)
    calendar = stored_calendar(engine, policy)
    assert calendar.year_source(2027) is CalendarSource.NOTICE and calendar.has_official_data(2027)
    assert calendar.is_working_day(date(2027, 1, 31))  # make-up Sunday
    assert not calendar.is_working_day(date(2027, 2, 11))
    assert calendar.is_working_day(date(2027, 5, 4))  # the notice has no 劳动节 item: a plain Tuesday
    assert calendar.next_working_day(date(2027, 2, 5)) == date(2027, 2, 12)


def test_importing_a_year_again_replaces_it_whole(engine):
    save_notice(engine, read_holiday_notice(NOTICE_2027), "first.txt", SHA, NOW)
    shorter = NOTICE_2027.split("\n二、")[0] + "\n"
    saved = save_notice(engine, read_holiday_notice(shorter), "second.txt", SHA, NOW + timedelta(hours=1))
    assert saved.replaced and saved.holidays == 3 and saved.workdays == 0
    notice = stored_notice(engine, 2027)
    assert notice.source_name == "second.txt" and len(notice.days) == 3
    assert stored_calendar(engine, policy_from_mapping({})).is_working_day(date(2027, 1, 31)) is False


def test_the_notice_wins_over_chinese_calendar_and_the_config_wins_over_the_notice(engine):
    save_notice(engine, read_holiday_notice(NOTICE_2026), "2026.txt", SHA, NOW)
    calendar = stored_calendar(engine, policy_from_mapping({}))
    assert not calendar.is_working_day(date(2026, 3, 12))  # a Thursday the (invented) notice gives off
    assert calendar.is_working_day(date(2026, 3, 14))
    assert calendar.is_working_day(date(2026, 10, 1))  # the notice is the whole year, and it lists no 国庆节
    configured = stored_calendar(engine, policy_from_mapping({"extra_workdays": ["2026-03-12"],
                                                               "extra_holidays": ["2026-03-14"]}))
    assert configured.is_working_day(date(2026, 3, 12)) and not configured.is_working_day(date(2026, 3, 14))


def test_administrators_are_told_four_weeks_before_a_year_without_official_data(engine):
    admins = [add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE), add_chat(engine, is_admin=True)]
    add_chat(engine)  # an unbound group: not told
    calendar = stored_calendar(engine, policy_from_mapping({}))
    assert enqueue_missing_year_warnings(engine, calendar, NOW - timedelta(days=1)) == 0  # five weeks ahead
    assert enqueue_missing_year_warnings(engine, calendar, NOW) == 2
    enqueue_missing_year_warnings(engine, calendar, NOW + timedelta(days=3))  # once per year and chat
    rows = reminders(engine)
    assert sorted(r.chat_id for r in rows) == sorted(admins)
    assert {(r.kind, r.due_date, r.state) for r in rows} == {
        (ReminderKind.HOLIDAYS_MISSING, date(2027, 1, 1), ReminderState.PENDING)}


def test_no_warning_once_the_notice_is_imported(engine):
    add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    save_notice(engine, read_holiday_notice(NOTICE_2027), "notice.txt", SHA, NOW)
    assert enqueue_missing_year_warnings(engine, stored_calendar(engine, policy_from_mapping({})), NOW) == 0


def test_planning_warns_and_a_later_plan_neither_cancels_nor_repeats_the_warning(engine):
    add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    policy = policy_from_mapping({})
    calendar = stored_calendar(engine, policy)
    for hours in (0, 1):
        replan_reminders(engine, policy, calendar, NOW + timedelta(hours=hours), timedelta(days=14),
                         timedelta(days=2))
    warnings = [r for r in reminders(engine) if r.kind is ReminderKind.HOLIDAYS_MISSING]
    assert [r.state for r in warnings] == [ReminderState.PENDING]


def test_a_notice_imported_while_the_bot_runs_reaches_its_calendar_at_the_next_plan(engine):
    policy = policy_from_mapping({})
    calendar = stored_calendar(engine, policy)
    assert not calendar.is_working_day(date(2027, 1, 31))
    save_notice(engine, read_holiday_notice(NOTICE_2027), "notice.txt", SHA, NOW)
    replan_reminders(engine, policy, calendar, NOW, timedelta(days=14), timedelta(days=2))
    assert calendar.is_working_day(date(2027, 1, 31))


async def test_the_warning_is_sent_once_to_each_administrators_chat_through_the_outbox(engine):
    from bot.compose import CatalogueComposer
    from scheduler.dispatch import Dispatcher
    from tests.scheduler.recording import FakeClock, RecordingNotifier

    admins = {add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE), add_chat(engine, is_admin=True, language="en")}
    enqueue_missing_year_warnings(engine, stored_calendar(engine, policy_from_mapping({})), NOW)
    clock = FakeClock(NOW)
    notifier = RecordingNotifier(clock)
    dispatcher = Dispatcher(engine, notifier, CatalogueComposer(), clock=clock, sleep=clock.sleep, worker_id="w1",
                            draw=lambda: 0.0)
    await dispatcher.tick()
    await dispatcher.tick()
    assert len(notifier.sent) == 2 and all("2027" in s.message.text for s in notifier.sent)
    assert {r.chat_id for r in reminders(engine) if r.state is ReminderState.SENT} == admins
