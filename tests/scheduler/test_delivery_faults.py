"""Faults the dispatcher must ride out without losing or doubling a reminder: a Bot API outage
longer than max_attempts, a refused message, a database that goes away mid-tick, a reopened task."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError

from scheduler.calendar import WorkingCalendar
from scheduler.dispatch import Dispatcher, RetryPolicy
from scheduler.model import ReminderKind
from scheduler.notify import MessageRejected, TransientError
from scheduler.policy import DEFAULT_POLICY
from scheduler.ratelimit import RateLimits
from scheduler.service import replan_reminders
from store import outages, outbox
from store.models import ChatKind, OutageCause, ReminderState, TaskStatus, UnitRole
from store.outbox import set_task_status, sync_planned_reminders
from tests.scheduler.outbox_builders import (
    WINDOW,
    add_chat,
    add_document,
    add_task,
    add_unit,
    planned,
    reminders,
    telegram_id,
)
from tests.scheduler.recording import FakeClock, PlainComposer, RecordingNotifier

START = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
FAST = RateLimits(1000, 1000, 1000)


class OutageNotifier(RecordingNotifier):
    """Every send raises `error` while `down`; records what got through."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.down = False
        self.error: BaseException = TransientError("Bad Gateway")

    async def send(self, chat, message):
        if self.down:
            self.attempts.append((self.clock(), chat.telegram_chat_id))
            raise self.error
        return await super().send(chat, message)


def make_dispatcher(engine, clock, notifier, **options) -> Dispatcher:
    # One task per message (a chat's list paged at one task a page): these tests count messages per
    # task and chat, and need several messages per chat to exercise faults between them.
    options = {"worker_id": "w1", "draw": lambda: 0.0, "limits": FAST, "tasks_per_message": 1, **options}
    return Dispatcher(engine, notifier, PlainComposer(), clock=clock, sleep=clock.sleep, **options)


@pytest.fixture
def clock():
    return FakeClock(START)


@pytest.fixture
def many(engine):
    """Six units with a chat each, four tasks each (two reminders due per task), and an admin chat."""
    document = add_document(engine)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    rows, pairs = [], set()
    for u in range(6):
        unit = add_unit(engine, f"单位{u}")
        chat = add_chat(engine, unit_id=unit, kind=ChatKind.PRIVATE)
        for _ in range(4):
            task = add_task(engine, document, units=((unit, UnitRole.LEAD),), due=date(2031, 7, 31))
            pairs.add((task, chat))
            rows += [planned(f"r:{task}:{k}", chat_id=chat, task_id=task, unit_id=unit, due_date=date(2031, 7, 31),
                             send_at=START - timedelta(minutes=k)) for k in range(2)]
    sync_planned_reminders(engine, rows, *WINDOW)
    return dict(admin=admin, pairs=pairs)


def messages_per_pair(notifier, composer_texts=None) -> Counter:
    return Counter((int(s.message.text.split("|")[1]), s.chat.chat_id) for s in notifier.sent
                   if s.message.text.split("|")[1] != "None")


async def test_a_bot_api_outage_longer_than_max_attempts_loses_nothing_and_doubles_nothing(engine, clock, many):
    notifier = OutageNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier, retry=RetryPolicy(max_attempts=3),
                                 outage_notice_after=timedelta(minutes=5))
    notifier.down = True

    results = []
    for _ in range(40):  # twenty minutes of 500s, a tick every 30 s
        results.append(await dispatcher.tick())
        clock.advance(30)

    assert notifier.sent == [] and sum(r.failed for r in results) == 0
    assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.PENDING}
    assert max(r.attempts for r in reminders(engine)) > 3  # well past max_attempts, still wanted
    # Each failing tick stopped after three attempts instead of trying every chat (the outage
    # notice to the administrators gets its own try).
    admin_tg = telegram_id(engine, many["admin"])
    to_units = [(at - START) // timedelta(seconds=30) for at, chat in notifier.attempts if chat != admin_tg]  # per tick
    assert max(Counter(to_units).values()) == 3
    [outage] = outages.outages(engine)
    assert (outage.cause, outage.ended_at, outage.waiting) == (OutageCause.TELEGRAM, None, 48)
    assert outage.announced_at is not None and outage.announced_at - outage.started_at >= timedelta(minutes=5)

    notifier.down = False
    for _ in range(12):
        await dispatcher.tick()
        clock.advance(30)

    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})
    assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.SENT}
    # The administrators hear once that it ended (the opening notice never got out: this one says both).
    to_admin = [s.message.text.split("|")[0] for s in notifier.sent if s.chat.chat_id == many["admin"]]
    assert to_admin == ["outage_over"]
    assert outages.outages(engine)[0].ended_at is not None


async def test_a_short_blip_is_not_told(engine, clock, many):
    notifier = OutageNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    notifier.down = True
    await dispatcher.tick()
    clock.advance(60)
    notifier.down = False
    for _ in range(4):
        await dispatcher.tick()
        clock.advance(30)
    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})
    assert not [s for s in notifier.sent if s.chat.chat_id == many["admin"]]


async def test_an_outage_told_while_it_lasts_is_told_again_when_it_ends(engine, clock, many):
    notifier = OutageNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier, outage_notice_after=timedelta(minutes=2))
    admin_tg = telegram_id(engine, many["admin"])

    class PartlyDown(OutageNotifier):  # the unit chats fail, the administrators' chat works
        async def send(self, chat, message):
            if chat.telegram_chat_id != admin_tg:
                self.attempts.append((self.clock(), chat.telegram_chat_id))
                raise TransientError("Gateway Timeout")
            return await RecordingNotifier.send(self, chat, message)

    dispatcher.notifier = partly = PartlyDown(clock)
    for _ in range(10):
        await dispatcher.tick()
        clock.advance(30)
    dispatcher.notifier = notifier
    for _ in range(6):
        await dispatcher.tick()
        clock.advance(30)

    kinds = [s.message.text.split("|")[0] for s in partly.sent + notifier.sent if s.chat.chat_id == many["admin"]]
    assert kinds == ["outage", "outage_over"]
    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})


async def test_a_refused_message_fails_its_rows_and_the_chat_stays(engine, clock, many):
    notifier = RecordingNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    task, chat = sorted(many["pairs"])[0]
    notifier.fail(telegram_id(engine, chat), MessageRejected("Bad Request: can't parse entities"))

    result = await dispatcher.tick()

    assert result.failed == 2
    failed = [r for r in reminders(engine) if r.state is ReminderState.FAILED]
    assert {r.task_id for r in failed} == {task} and failed[0].last_error.startswith("refused: Bad Request")
    assert result.messages_sent == len(many["pairs"]) - 1


async def test_one_message_per_task_and_chat_whatever_the_batch_size(engine, clock, many):
    notifier = RecordingNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier, batch_size=3)
    for _ in range(30):
        await dispatcher.tick()
    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})


# --- the database goes away -----------------------------------------------------------------


def database_down(*args, **kwargs):
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("connection refused"))


async def test_nothing_is_sent_when_the_claim_cannot_be_confirmed(engine, clock, many, monkeypatch):
    notifier = RecordingNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    real_confirm = outbox.confirm_claims
    monkeypatch.setattr(outbox, "confirm_claims", database_down)

    result = await dispatcher.tick()

    assert result.database_down and notifier.sent == []
    monkeypatch.setattr(outbox, "confirm_claims", real_confirm)
    clock.advance(minutes=6)  # the claims lapse with their lease
    for _ in range(3):
        await dispatcher.tick()
    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})
    assert {r.state for r in reminders(engine) if r.task_id} == {ReminderState.SENT}


async def test_a_message_sent_just_before_the_database_went_away_is_recorded_before_anything_else_is_sent(
        engine, clock, many, monkeypatch):
    notifier = RecordingNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    real_mark_sent = outbox.mark_sent
    monkeypatch.setattr(outbox, "mark_sent", database_down)

    first = await dispatcher.tick()
    assert (first.messages_sent, first.unrecorded, first.database_down) == (1, 2, True)
    assert (await dispatcher.tick()).database_down  # still away: nothing claimed, nothing sent
    assert len(notifier.sent) == 1

    clock.advance(minutes=10)  # longer than the lease: the rows sent but unrecorded are claimable again
    monkeypatch.setattr(outbox, "mark_sent", real_mark_sent)
    for _ in range(4):
        await dispatcher.tick()

    assert messages_per_pair(notifier) == Counter({pair: 1 for pair in many["pairs"]})
    # The database outage is told once, now that it can be recorded.
    [outage] = outages.outages(engine)
    assert outage.cause is OutageCause.DATABASE and outage.ended_at is not None
    assert [s.message.text.split("|")[0] for s in notifier.sent if s.chat.chat_id == many["admin"]] == ["outage_over"]


async def test_a_statement_the_database_refuses_is_a_bug_raised_not_a_database_outage(engine, clock, many,
                                                                                       monkeypatch):
    def refused(*args, **kwargs):
        raise ProgrammingError("SELECT missing_column", {}, Exception("column does not exist"))

    dispatcher = make_dispatcher(engine, clock, RecordingNotifier(clock))
    real_claim = outbox.claim_due_reminders
    monkeypatch.setattr(outbox, "claim_due_reminders", refused)
    with pytest.raises(ProgrammingError):
        await dispatcher.tick()

    monkeypatch.setattr(outbox, "claim_due_reminders", real_claim)
    assert not (await dispatcher.tick()).database_down
    assert outages.outages(engine) == []  # nothing to record when the database was there all along


# --- a reopened task ------------------------------------------------------------------------


POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})
CALENDAR = WorkingCalendar.from_policy(POLICY)


def test_a_reopened_task_gets_its_reminders_back(engine):
    document = add_document(engine)
    unit = add_unit(engine, "县司法局")
    chat = add_chat(engine, unit_id=unit)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    task = add_task(engine, document, due=date(2031, 6, 11), units=((unit, UnitRole.LEAD),))  # a Wednesday
    now = datetime(2031, 6, 9, 1, 30, tzinfo=UTC)  # Monday: the 1-day reminder is tomorrow
    window = dict(lookback=timedelta(days=14), horizon=timedelta(days=5))

    def replan(at):
        return replan_reminders(engine, POLICY, CALENDAR, at, window["lookback"], window["horizon"])

    def pending_about_the_task():
        return {r.dedupe_key for r in reminders(engine) if r.state is ReminderState.PENDING and r.task_id == task}

    replan(now)
    wanted = pending_about_the_task()
    kinds = {r.kind for r in reminders(engine) if r.dedupe_key in wanted}
    assert {ReminderKind.REMINDER, ReminderKind.DUE_TODAY, ReminderKind.OVERDUE, ReminderKind.ESCALATION} <= kinds

    set_task_status(engine, task, TaskStatus.DONE, now)
    replan(now)
    assert pending_about_the_task() == set()

    set_task_status(engine, task, TaskStatus.IN_PROGRESS, now + timedelta(hours=1))
    result = replan(now + timedelta(hours=1))

    assert result.revived == len(wanted)
    assert pending_about_the_task() == wanted
    assert all(r.attempts == 0 and r.last_error is None for r in reminders(engine) if r.dedupe_key in wanted)
    assert {r.chat_id for r in reminders(engine) if r.kind is ReminderKind.ESCALATION} >= {admin}


async def test_a_clean_stop_records_what_was_sent_while_the_database_was_away(engine, clock, many, monkeypatch):
    notifier = RecordingNotifier(clock)
    dispatcher = make_dispatcher(engine, clock, notifier)
    real_mark_sent = outbox.mark_sent
    monkeypatch.setattr(outbox, "mark_sent", database_down)
    assert (await dispatcher.tick()).unrecorded == 2
    monkeypatch.setattr(outbox, "mark_sent", real_mark_sent)

    await dispatcher.shutdown()

    [sent] = notifier.sent
    rows = [r for r in reminders(engine) if r.message_id == sent.message_id]
    assert len(rows) == 2 and {r.state for r in rows} == {ReminderState.SENT}
