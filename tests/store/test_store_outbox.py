"""The outbox tables and functions, on SQLite and (with DEADLINE_BOT_TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

import os
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from scheduler.model import ReminderKind
from store.db import make_engine, session_scope
from store.models import Chat, ChatKind, Document, ReminderState, Task, TaskStatus, UnitRole
from store.outbox import (
    cancel_pending_for_task,
    cancel_reminders,
    chats_to_plan,
    claim_due_reminders,
    deactivate_chat,
    delivery_details,
    enqueue_chat_lost_notices,
    mark_failed,
    mark_retry,
    mark_sent,
    release_claims,
    set_task_status,
    sync_planned_reminders,
    tasks_to_plan,
)
from tests.scheduler.outbox_builders import (
    WINDOW,
    add_chat,
    add_document,
    add_task,
    add_unit,
    planned,
    reminders,
    states,
)

NOW = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


@pytest.fixture
def world(engine):
    """A document with two tasks, a unit with a chat, and an administrators' chat."""
    document = add_document(engine)
    unit = add_unit(engine, "省司法厅")
    first = add_task(engine, document, units=((unit, UnitRole.LEAD),), deadlines=(("6月底前", date(2031, 6, 30)),))
    second = add_task(engine, document, units=((unit, UnitRole.RESPONSIBLE),))
    chat = add_chat(engine, unit_id=unit)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    return dict(document=document, unit=unit, first=first, second=second, chat=chat, admin=admin)


def count_writes(engine):
    writes = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return writes


# --- planner inputs -------------------------------------------------------------------------


def test_tasks_to_plan_loads_units_recurrences_and_overrides_in_bulk(engine):
    document = add_document(engine, overrides={"offsets_days": [14, 3]})
    old = add_document(engine)
    unit, other = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    task = add_task(engine, document, units=((unit, UnitRole.LEAD), (other, UnitRole.COOPERATING)),
                    recurrences=("yearly",), overrides={"poll": False})
    plain = add_task(engine, document, due=None)
    add_task(engine, old)
    with session_scope(engine) as session:  # a superseded version is never planned
        session.get(Document, old).superseded_by_id = document

    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    planned_tasks = tasks_to_plan(engine)

    assert [t.task_id for t in planned_tasks] == [task, plain]
    first = planned_tasks[0]
    assert first.units == ((unit, "lead"), (other, "cooperating"))
    assert first.recurrence_freqs == ("yearly",)
    assert dict(first.document_overrides) == {"offsets_days": [14, 3]}
    assert dict(first.task_overrides) == {"poll": False}
    assert planned_tasks[1].effective_due is None and planned_tasks[1].units == ()
    assert len(statements) == 4  # tasks, units, recurrences, milestones: not one query per task
    assert [t.task_id for t in tasks_to_plan(engine, task_ids=[plain])] == [plain]


def test_chats_to_plan_lists_unit_and_admin_chats(engine, world):
    deactivate_chat(engine, world["chat"], "blocked", NOW)
    chats = chats_to_plan(engine)
    assert [(c.chat_id, c.unit_id, c.is_admin, c.active) for c in chats] == [
        (world["chat"], world["unit"], False, False),
        (world["admin"], None, True, True),
    ]


# --- sync -----------------------------------------------------------------------------------


def test_sync_inserts_new_keys_and_skips_rows_without_a_chat(engine, world):
    plan = [
        planned("a", chat_id=world["chat"], task_id=world["first"], unit_id=world["unit"]),
        planned("b", chat_id=world["chat"], task_id=world["second"], unit_id=world["unit"]),
        planned("no-chat", chat_id=None, task_id=world["second"], unit_id=world["unit"]),
    ]
    result = sync_planned_reminders(engine, plan, *WINDOW)
    assert (result.inserted, result.cancelled, result.unchanged) == (2, 0, 0)
    rows = reminders(engine)
    assert [(r.dedupe_key, r.state, r.attempts, r.kind) for r in rows] == [
        ("a", ReminderState.PENDING, 0, ReminderKind.REMINDER),
        ("b", ReminderState.PENDING, 0, ReminderKind.REMINDER),
    ]
    assert rows[0].send_at == NOW and rows[0].created_at.tzinfo is not None


def test_planning_the_same_input_twice_writes_nothing(engine, world):
    plan = [planned(f"k{i}", chat_id=world["chat"], task_id=world["first"]) for i in range(50)]
    sync_planned_reminders(engine, plan, *WINDOW)
    before = [(r.id, r.state, r.last_error) for r in reminders(engine)]

    writes = count_writes(engine)
    result = sync_planned_reminders(engine, plan, *WINDOW)

    assert writes == []
    assert (result.inserted, result.cancelled, result.unchanged) == (0, 0, 50)
    assert [(r.id, r.state, r.last_error) for r in reminders(engine)] == before


def test_sync_cancels_pending_rows_the_plan_dropped_within_window_and_scope(engine, world):
    inside = datetime(2031, 6, 1, tzinfo=UTC)
    outside = datetime(2032, 6, 1, tzinfo=UTC)
    sync_planned_reminders(engine, [
        planned("keep", chat_id=world["chat"], task_id=world["first"], send_at=inside),
        planned("drop", chat_id=world["chat"], task_id=world["first"], send_at=inside),
        planned("later", chat_id=world["chat"], task_id=world["first"], send_at=outside),
        planned("other-task", chat_id=world["chat"], task_id=world["second"], send_at=inside),
    ], *WINDOW)

    result = sync_planned_reminders(
        engine, [planned("keep", chat_id=world["chat"], task_id=world["first"], send_at=inside)], *WINDOW,
        task_ids=[world["first"]],
    )

    assert result.cancelled == 1
    assert states(engine) == {"keep": "pending", "drop": "cancelled", "later": "pending", "other-task": "pending"}


def test_sync_leaves_rows_the_planner_did_not_ask_for(engine, world):
    inside = datetime(2031, 6, 1, tzinfo=UTC)
    sync_planned_reminders(engine, [
        planned("poll-now:t1:c1:20310601", chat_id=world["chat"], task_id=world["first"], send_at=inside),
        planned("chat_lost:9:2031:to:1", chat_id=world["chat"], send_at=inside),
        planned("reminder:planned", chat_id=world["chat"], task_id=world["first"], send_at=inside),
    ], *WINDOW)

    assert sync_planned_reminders(engine, [], *WINDOW).cancelled == 1
    assert states(engine) == {"poll-now:t1:c1:20310601": "pending", "chat_lost:9:2031:to:1": "pending",
                              "reminder:planned": "cancelled"}


def test_sync_never_revives_sent_cancelled_or_failed_rows(engine, world):
    plan = [planned(k, chat_id=world["chat"], task_id=world["first"]) for k in ("sent", "cancelled", "failed")]
    sync_planned_reminders(engine, plan, *WINDOW)
    ids = {r.dedupe_key: r.id for r in reminders(engine)}
    mark_sent(engine, [ids["sent"]], 7, NOW)
    cancel_reminders(engine, [ids["cancelled"]], "test")
    mark_failed(engine, [ids["failed"]], "test")

    result = sync_planned_reminders(engine, plan, *WINDOW)

    assert (result.inserted, result.unchanged) == (0, 3)
    assert states(engine) == {"sent": "sent", "cancelled": "cancelled", "failed": "failed"}


def test_sync_handles_a_large_plan_in_chunks(engine, world):
    plan = [planned(f"bulk:{i}", chat_id=world["chat"], task_id=world["first"],
                    send_at=NOW + timedelta(minutes=i)) for i in range(12_345)]
    assert sync_planned_reminders(engine, plan, *WINDOW).inserted == 12_345
    result = sync_planned_reminders(engine, plan[:-345], *WINDOW)
    assert (result.inserted, result.cancelled, result.unchanged) == (0, 345, 12_000)


# --- task status ----------------------------------------------------------------------------


def test_done_task_stops_pending_reminders(engine, world):
    sync_planned_reminders(engine, [
        planned("first-1", chat_id=world["chat"], task_id=world["first"]),
        planned("first-2", chat_id=world["chat"], task_id=world["first"], send_at=NOW + timedelta(days=7)),
        planned("second", chat_id=world["chat"], task_id=world["second"]),
    ], *WINDOW)
    set_task_status(engine, world["first"], TaskStatus.IN_PROGRESS)
    assert set(states(engine).values()) == {"pending"}

    set_task_status(engine, world["first"], TaskStatus.DONE)

    assert states(engine) == {"first-1": "cancelled", "first-2": "cancelled", "second": "pending"}
    with session_scope(engine) as session:
        task = session.get(Task, world["first"])
        assert task.status is TaskStatus.DONE and task.status_changed_at is not None
    assert cancel_pending_for_task(engine, world["second"]) == 1


# --- claim and settle -----------------------------------------------------------------------


def test_claim_takes_due_pending_rows_oldest_first(engine, world):
    sync_planned_reminders(engine, [
        planned("late", chat_id=world["chat"], task_id=world["first"], send_at=NOW - timedelta(minutes=1)),
        planned("early", chat_id=world["chat"], task_id=world["first"], send_at=NOW - timedelta(hours=1)),
        planned("future", chat_id=world["chat"], task_id=world["first"], send_at=NOW + timedelta(seconds=1)),
    ], *WINDOW)

    claimed = claim_due_reminders(engine, NOW, "w1", LEASE, limit=10)

    assert [c.dedupe_key for c in claimed] == ["early", "late"]
    assert claim_due_reminders(engine, NOW, "w2", LEASE, limit=10) == []
    row = {r.dedupe_key: r for r in reminders(engine)}["early"]
    assert (row.state, row.claimed_by, row.claimed_until) == (ReminderState.CLAIMED, "w1", NOW + LEASE)


def test_claim_respects_next_attempt_and_takes_a_chat_whole_whatever_the_limit(engine, world):
    document = world["document"]
    tasks = [add_task(engine, document, units=((world["unit"], UnitRole.LEAD),)) for _ in range(5)]
    sync_planned_reminders(engine, [
        planned(f"r{i}", chat_id=world["chat"], task_id=task, send_at=NOW - timedelta(minutes=10 - i))
        for i, task in enumerate(tasks)
    ], *WINDOW)
    first = claim_due_reminders(engine, NOW, "w1", LEASE, limit=2)
    # Everything due for the chat leaves as one message (or its pages): the limit does not split it.
    assert [c.dedupe_key for c in first] == ["r0", "r1", "r2", "r3", "r4"]
    mark_retry(engine, [c.reminder_id for c in first], NOW + timedelta(minutes=1), "boom")

    assert claim_due_reminders(engine, NOW, "w1", LEASE, limit=10) == []
    later = claim_due_reminders(engine, NOW + timedelta(minutes=1), "w1", LEASE, limit=10)
    assert [(c.dedupe_key, c.attempts) for c in later] == [(f"r{i}", 1) for i in range(5)]


def test_what_is_due_for_one_chat_is_claimed_together_whatever_the_limit(engine, world):
    sync_planned_reminders(engine, [
        planned(f"r{i}", chat_id=world["chat"], task_id=world["first"], send_at=NOW - timedelta(minutes=10 - i))
        for i in range(5)
    ] + [planned("other", chat_id=world["chat"], task_id=world["second"], send_at=NOW - timedelta(minutes=1))],
        *WINDOW)

    first = claim_due_reminders(engine, NOW, "w1", LEASE, limit=2)

    assert [c.dedupe_key for c in first] == ["r0", "r1", "r2", "r3", "r4", "other"]
    # The chat is being written to by w1: nobody else claims in it until w1 is done.
    assert claim_due_reminders(engine, NOW, "w2", LEASE, limit=10) == []
    mark_sent(engine, [c.reminder_id for c in first], 7, NOW)
    assert claim_due_reminders(engine, NOW, "w2", LEASE, limit=10) == []


def test_a_row_waiting_out_a_backoff_rides_with_the_next_message_about_its_task(engine, world):
    sync_planned_reminders(engine, [
        planned("old", chat_id=world["chat"], task_id=world["first"], send_at=NOW - timedelta(hours=1)),
        planned("new", chat_id=world["chat"], task_id=world["first"], send_at=NOW),
    ], *WINDOW)
    [old, new] = reminders(engine)
    claim_due_reminders(engine, NOW - timedelta(minutes=30), "w1", LEASE, limit=10)
    mark_retry(engine, [old.id], NOW + timedelta(minutes=5), "Bad Gateway")

    assert sorted(c.dedupe_key for c in claim_due_reminders(engine, NOW, "w1", LEASE, limit=10)) == ["new", "old"]


def test_a_lapsed_claim_is_claimed_again(engine, world):
    sync_planned_reminders(engine, [planned("r", chat_id=world["chat"], task_id=world["first"])], *WINDOW)
    assert len(claim_due_reminders(engine, NOW, "dead-worker", LEASE, limit=10)) == 1
    assert claim_due_reminders(engine, NOW + LEASE, "w2", LEASE, limit=10) == []  # not yet lapsed
    again = claim_due_reminders(engine, NOW + LEASE + timedelta(seconds=1), "w2", LEASE, limit=10)
    assert [c.dedupe_key for c in again] == ["r"]
    assert reminders(engine)[0].claimed_by == "w2"


def test_concurrent_claimers_never_share_a_row_nor_split_a_task_group(database_url, engine, world):
    document = world["document"]
    chats = [add_chat(engine, unit_id=world["unit"], kind=ChatKind.PRIVATE) for _ in range(8)]
    tasks = [add_task(engine, document, units=((world["unit"], UnitRole.LEAD),)) for _ in range(10)]
    sync_planned_reminders(engine, [
        planned(f"c{c}t{t}k{k}", chat_id=c, task_id=t, send_at=NOW - timedelta(seconds=k * 7 + t))
        for c in chats for t in tasks for k in range(5)
    ], *WINDOW)
    results: dict[str, list[list]] = {}
    # Every claimer takes its first batch before any takes a second, so the claims interleave
    # however the machine schedules the threads (on a loaded machine one thread once took all).
    start, first_claims_made = threading.Barrier(3, timeout=60), threading.Barrier(3, timeout=60)

    def claimer(name: str) -> None:
        own = make_engine(database_url)
        got: list[list] = []
        start.wait()
        try:
            batch = claim_due_reminders(own, NOW, name, LEASE, limit=7)
            first_claims_made.wait()
            while batch:
                got.append(batch)
                mark_sent(own, [c.reminder_id for c in batch], 1, NOW)  # as a tick does: settle, then claim again
                time.sleep(0.001)  # give the others a turn
                batch = claim_due_reminders(own, NOW, name, LEASE, limit=7)
        finally:
            own.dispose()
            results[name] = got

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    claimed = [c.reminder_id for got in results.values() for batch in got for c in batch]
    assert len(claimed) == len(set(claimed)) == 400
    assert sum(1 for got in results.values() if got) == 3, "the claims interleaved"
    claims_per_group: dict[tuple, int] = {}
    for got in results.values():
        for batch in got:
            for group in {(c.task_id, c.chat_id) for c in batch}:
                claims_per_group[group] = claims_per_group.get(group, 0) + 1
    assert len(claims_per_group) == 80 and set(claims_per_group.values()) == {1}
    results = {name: [c.reminder_id for batch in got for c in batch] for name, got in results.items()}
    owners = {r.id: r.claimed_by for r in reminders(engine)}
    assert all(owners[i] == name for name, got in results.items() for i in got)


def test_mark_sent_keeps_the_first_message_id(engine, world):
    sync_planned_reminders(engine, [planned("r", chat_id=world["chat"], task_id=world["first"])], *WINDOW)
    [claimed] = claim_due_reminders(engine, NOW, "w", LEASE, limit=1)
    assert mark_sent(engine, [claimed.reminder_id], 42, NOW) == 1
    assert mark_sent(engine, [claimed.reminder_id], 43, NOW) == 0
    row = reminders(engine)[0]
    assert (row.state, row.message_id, row.sent_at, row.claimed_until) == (ReminderState.SENT, 42, NOW, None)
    assert release_claims(engine, [claimed.reminder_id]) == 0  # a sent row is never handed back


# --- chats ----------------------------------------------------------------------------------


def test_deactivate_chat_fails_its_rows_and_admins_hear_once(engine, world):
    sync_planned_reminders(engine, [planned("r", chat_id=world["chat"], task_id=world["first"])], *WINDOW)

    assert deactivate_chat(engine, world["chat"], "bot was blocked by the user", NOW) is True
    # The notice is queued with the deactivation, in its transaction: no tick can miss it.
    assert [r.kind.value for r in reminders(engine) if r.dedupe_key.startswith("chat_lost:")] == ["chat_lost"]
    assert deactivate_chat(engine, world["chat"], "again", NOW) is False
    assert enqueue_chat_lost_notices(engine, world["chat"], NOW + timedelta(minutes=1)) == 0  # same loss: same key

    rows = reminders(engine)
    assert [(r.dedupe_key, r.state.value) for r in rows] == [
        ("r", "failed"),
        (f"chat_lost:{world['chat']}:20310602T010000:to:{world['admin']}", "pending"),
    ]
    lost = rows[1]
    assert (lost.kind, lost.chat_id, lost.unit_id, lost.task_id) == (
        ReminderKind.CHAT_LOST, world["admin"], world["unit"], None)
    with session_scope(engine) as session:
        chat = session.get(Chat, world["chat"])
        assert (chat.active, chat.deactivated_reason) == (False, "bot was blocked by the user")


def test_delivery_details_read_task_unit_role_and_chat(engine, world):
    sync_planned_reminders(engine, [
        planned("r", chat_id=world["chat"], task_id=world["first"], unit_id=world["unit"]),
    ], *WINDOW)
    [d] = delivery_details(engine, [reminders(engine)[0].id])
    assert (d.task_title, d.document_title, d.effective_due, d.deadline_phrase) == (
        "任务", "示例方案", date(2031, 6, 30), "6月底前")
    assert (d.unit_name, d.unit_role, d.task_status) == ("省司法厅", UnitRole.LEAD, TaskStatus.OPEN)
    assert (d.chat_id, d.chat_kind, d.language, d.chat_active, d.kind) == (
        world["chat"], ChatKind.GROUP, "zh-CN", True, ReminderKind.REMINDER)
    assert d.telegram_chat_id < 0


# --- the dispatch index ---------------------------------------------------------------------


# 1,000,000 is the promise (run with DEADLINE_BOT_OUTBOX_PERF_ROWS=1000000: about 10 s on SQLite and
# 40 s on PostgreSQL, mostly the insert); the default keeps the suite quick and still checks the plan.
PERF_ROWS = int(os.environ.get("DEADLINE_BOT_OUTBOX_PERF_ROWS", "200000"))


def test_selecting_due_rows_among_many_pending_goes_through_the_state_send_at_index(engine, world, database_backend):
    """PERF_ROWS pending rows, most in the future: the claim takes the due ones through the index.

    How fast it is, is measured by bench/dispatch_selection_bench.py (docs/BENCHMARKS.md), not here."""
    chat = world["chat"]
    with engine.begin() as conn:
        if database_backend == "postgresql":
            conn.execute(sa.text(
                "INSERT INTO reminder (dedupe_key, kind, chat_id, send_at, state, attempts, created_at) "
                "SELECT 'perf:' || n, 'reminder', :chat, :now + n * interval '1 second', 'pending', 0, :now "
                "FROM generate_series(1, :rows) AS n"), {"rows": PERF_ROWS, "chat": chat, "now": NOW - timedelta(seconds=100)})
            conn.execute(sa.text("ANALYZE reminder"))
        else:
            conn.execute(sa.text(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows) "
                "INSERT INTO reminder (dedupe_key, kind, chat_id, send_at, state, attempts, created_at) "
                "SELECT 'perf:' || i, 'reminder', :chat, strftime('%Y-%m-%d %H:%M:%f000', :start, '+' || i || ' seconds'), "
                "'pending', 0, :start FROM n"), {"rows": PERF_ROWS, "chat": chat, "start": "2031-06-02 00:58:20"})
            conn.execute(sa.text("ANALYZE"))
    for attempt in range(2):  # released and claimed again: the same rows
        claimed = claim_due_reminders(engine, NOW, f"w{attempt}", LEASE, limit=200)
        release_claims(engine, [c.reminder_id for c in claimed])
    assert len(claimed) == 100
    with engine.connect() as conn:
        due = "SELECT id FROM reminder WHERE state = 'pending' AND send_at <= :now ORDER BY send_at, id LIMIT 200"
        explain = "EXPLAIN QUERY PLAN " if database_backend == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row) for row in conn.execute(sa.text(explain + due), {"now": NOW}))
    assert "ix_reminder_state_send_at" in plan, plan
