"""The live engine end to end: stored tasks -> planner -> outbox -> dispatcher -> notifier,
and the APScheduler jobs that drive it in one event loop."""
from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from scheduler.calendar import WorkingCalendar, next_working_instant
from scheduler.dispatch import Dispatcher
from scheduler.model import ReminderKind
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import ReminderService, replan_reminders
from store.models import ReminderState, TaskStatus, UnitRole
from store.outbox import set_task_status
from tests.scheduler.outbox_builders import add_chat, add_document, add_task, add_unit, reminders
from tests.scheduler.recording import FakeClock, PlainComposer, RecordingNotifier

POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
CALENDAR = WorkingCalendar.from_policy(POLICY)
# Saturday 2023-10-07, 09:30 in Shanghai: a make-up working day after the National Day holiday.
MAKE_UP_SATURDAY = datetime(2023, 10, 7, 1, 30, tzinfo=UTC)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=2)


@pytest.fixture
def task_due_on_make_up_sunday(engine):
    document = add_document(engine)
    unit = add_unit(engine, "县司法局")
    chat = add_chat(engine, unit_id=unit)
    task = add_task(engine, document, due=date(2023, 10, 8), units=((unit, UnitRole.LEAD),))
    return task, chat


def dispatcher_for(engine, clock, notifier) -> Dispatcher:
    return Dispatcher(engine, notifier, PlainComposer(), clock=clock, sleep=clock.sleep, worker_id="test",
                      in_working_hours=lambda instant: next_working_instant(instant, POLICY, CALENDAR))


def replan(engine, now):
    return replan_reminders(engine, POLICY, CALENDAR, now, LOOKBACK, HORIZON)


async def test_stored_task_is_planned_and_its_missed_reminders_go_out_as_one_message(engine,
                                                                                    task_due_on_make_up_sunday):
    task, chat = task_due_on_make_up_sunday
    result = replan(engine, MAKE_UP_SATURDAY)
    # The 7-day reminder (moved back before the holiday to 09-28) fell due while nobody was
    # running; the 1-day reminder is due this morning; the due-day notice is tomorrow, and the
    # two-day horizon already holds Monday's overdue notice and its escalation.
    assert result.inserted == 5
    clock = FakeClock(MAKE_UP_SATURDAY)
    notifier = RecordingNotifier(clock)
    outcome = await dispatcher_for(engine, clock, notifier).tick()
    assert outcome.messages_sent == 1 and outcome.reminders_sent == 2
    assert [s.message.text.split("|")[0] for s in notifier.sent] == ["reminder"]
    pending = [r for r in reminders(engine) if r.state is ReminderState.PENDING]
    assert sorted((r.send_at, r.kind) for r in pending) == [
        (datetime(2023, 10, 8, 1, 0, tzinfo=UTC), ReminderKind.DUE_TODAY),
        (datetime(2023, 10, 9, 1, 0, tzinfo=UTC), ReminderKind.ESCALATION),
        (datetime(2023, 10, 9, 1, 0, tzinfo=UTC), ReminderKind.OVERDUE),
    ]


def test_replanning_unchanged_input_writes_nothing(engine, task_due_on_make_up_sunday):
    replan(engine, MAKE_UP_SATURDAY)
    before = [(r.id, r.state, r.dedupe_key) for r in reminders(engine)]
    again = replan(engine, MAKE_UP_SATURDAY)
    assert (again.inserted, again.cancelled) == (0, 0)
    assert [(r.id, r.state, r.dedupe_key) for r in reminders(engine)] == before


def test_done_task_stops_its_pending_reminders(engine, task_due_on_make_up_sunday):
    task, _ = task_due_on_make_up_sunday
    replan(engine, MAKE_UP_SATURDAY)
    set_task_status(engine, task, TaskStatus.DONE)
    assert {r.state for r in reminders(engine)} == {ReminderState.CANCELLED}
    assert replan(engine, MAKE_UP_SATURDAY).inserted == 0


async def test_nothing_goes_out_on_a_holiday_morning(engine, task_due_on_make_up_sunday):
    replan(engine, MAKE_UP_SATURDAY)
    national_day = datetime(2023, 10, 2, 2, 0, tzinfo=UTC)
    clock = FakeClock(national_day)
    notifier = RecordingNotifier(clock)
    outcome = await dispatcher_for(engine, clock, notifier).tick()
    assert notifier.sent == [] and outcome.paused_until == datetime(2023, 10, 7, 1, 0, tzinfo=UTC)


async def test_service_jobs_plan_and_send_in_the_event_loop_and_stop_cleanly(engine, task_due_on_make_up_sunday):
    clock = FakeClock(MAKE_UP_SATURDAY)
    notifier = RecordingNotifier(clock)
    service = ReminderService(engine, dispatcher_for(engine, clock, notifier), POLICY, calendar=CALENDAR,
                              clock=clock, tick=timedelta(seconds=0.05), plan_every=timedelta(hours=1))
    service.start()
    try:
        for _ in range(200):  # the jobs run on APScheduler's own timers; wait for their effect
            if notifier.sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await service.stop()
    assert len(notifier.sent) == 1
    assert not [r for r in reminders(engine) if r.state is ReminderState.CLAIMED]


async def test_a_replan_that_overruns_its_budget_answers_at_once_and_still_finishes(engine, monkeypatch,
                                                                                    task_due_on_make_up_sunday):
    import threading

    import scheduler.service as service_module

    release = threading.Event()
    real = service_module.replan_reminders

    def slow_replan(*args, **kwargs):
        release.wait(10)  # a store so large, or a database so slow, that planning takes a while
        return real(*args, **kwargs)

    monkeypatch.setattr(service_module, "replan_reminders", slow_replan)
    clock = FakeClock(MAKE_UP_SATURDAY)
    service = ReminderService(engine, dispatcher_for(engine, clock, RecordingNotifier(clock)), POLICY,
                              calendar=CALENDAR, clock=clock, lookback=LOOKBACK, horizon=HORIZON)
    assert await service.replan_within(0.2) is None  # the person is answered; planning goes on
    assert reminders(engine) == []
    release.set()
    await asyncio.gather(*service._overrunning)
    assert len(reminders(engine)) == 5  # the overrun re-plan ran to its end


async def test_a_replan_within_its_budget_returns_its_result(engine, task_due_on_make_up_sunday):
    clock = FakeClock(MAKE_UP_SATURDAY)
    service = ReminderService(engine, dispatcher_for(engine, clock, RecordingNotifier(clock)), POLICY,
                              calendar=CALENDAR, clock=clock, lookback=LOOKBACK, horizon=HORIZON)
    result = await service.replan_within(30)
    assert result is not None and result.inserted == 5


async def test_a_calendar_just_read_is_not_read_again_by_the_first_plan_but_by_every_later_one(engine, monkeypatch):
    from scheduler import stored_calendar as holidays

    reads = []
    real = holidays.notice_days
    monkeypatch.setattr(holidays, "notice_days", lambda engine: reads.append(1) or real(engine))
    calendar = holidays.stored_calendar(engine, POLICY)
    clock = FakeClock(MAKE_UP_SATURDAY)
    service = ReminderService(engine, dispatcher_for(engine, clock, RecordingNotifier(clock)), POLICY,
                              calendar=calendar, calendar_is_current=True, clock=clock)
    await service.replan()
    assert len(reads) == 1  # the start-up read only
    await service.replan()
    assert len(reads) == 2  # a notice imported since then counts at the next run


class _SlowNotifier(RecordingNotifier):
    """Telegram that takes a while to answer, so that a stop arrives while a send is in flight."""

    def __init__(self, clock, started: asyncio.Event) -> None:
        super().__init__(clock)
        self.started = started

    async def send(self, chat, message):
        self.started.set()
        await asyncio.sleep(0.3)
        return await super().send(chat, message)


async def test_a_stop_during_a_send_lets_the_send_finish_and_be_recorded(engine, task_due_on_make_up_sunday):
    # APScheduler cancels a running coroutine job on shutdown; the tick must not be cut between
    # Telegram accepting the message and the row being marked sent.
    clock = FakeClock(MAKE_UP_SATURDAY)
    started = asyncio.Event()
    notifier = _SlowNotifier(clock, started)
    service = ReminderService(engine, dispatcher_for(engine, clock, notifier), POLICY, calendar=CALENDAR,
                              clock=clock, tick=timedelta(seconds=0.05), plan_every=timedelta(hours=1))
    service.start()
    try:
        await asyncio.wait_for(started.wait(), 10)
    finally:
        await service.stop()
    assert len(notifier.sent) == 1
    states = {r.state for r in reminders(engine)}
    assert ReminderState.CLAIMED not in states and ReminderState.SENT in states
