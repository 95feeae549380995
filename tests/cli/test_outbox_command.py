"""`deadline-bot outbox`: pending / failed / sent per chat, and --retry-failed."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from store.models import ChatKind, ReminderState, UnitRole
from store.outbox import claim_due_reminders, mark_failed, mark_retry, mark_sent, sync_planned_reminders
from tests.scheduler.outbox_builders import WINDOW, add_chat, add_document, add_task, add_unit, planned, reminders


def test_outbox_lists_each_chat_and_retries_what_failed(cli, engine):
    now = datetime.now(UTC)
    document = add_document(engine)
    unit = add_unit(engine, "省司法厅")
    chat = add_chat(engine, unit_id=unit, kind=ChatKind.GROUP)
    admin = add_chat(engine, is_admin=True, kind=ChatKind.PRIVATE)
    tasks = [add_task(engine, document, units=((unit, UnitRole.LEAD),)) for _ in range(4)]
    sync_planned_reminders(engine, [
        planned(f"r{t}", chat_id=chat, task_id=t, unit_id=unit, send_at=now - timedelta(hours=1)) for t in tasks
    ] + [planned("later", chat_id=chat, task_id=tasks[0], send_at=now + timedelta(days=1)),
         planned("admin", chat_id=admin, task_id=tasks[0], send_at=now - timedelta(hours=1))], *WINDOW)
    rows = {r.dedupe_key: r.id for r in reminders(engine)}
    claim_due_reminders(engine, now, "w", timedelta(minutes=5), 100)
    mark_sent(engine, [rows[f"r{tasks[0]}"], rows["admin"]], 11, now)
    mark_failed(engine, [rows[f"r{tasks[1]}"]], "refused: Bad Request: message is too long")
    mark_retry(engine, [rows[f"r{tasks[2]}"], rows[f"r{tasks[3]}"]], now + timedelta(minutes=2), "Bad Gateway")

    listed = {c["chat_id"]: c for c in json.loads(cli("outbox", "--format", "json").stdout)}
    assert (listed[chat]["pending"], listed[chat]["due"], listed[chat]["failed"], listed[chat]["sent"]) == (3, 2, 1, 1)
    assert listed[chat]["unit"] == "省司法厅" and listed[chat]["last_error"] == "Bad Gateway"
    assert (listed[admin]["pending"], listed[admin]["sent"], listed[admin]["admin"]) == (0, 1, True)
    table = cli("outbox").stdout
    assert "发送队列" in table and "省司法厅" in table

    result = cli("outbox", "--retry-failed", "--chat", str(chat), "--format", "json")
    assert "已将 1 条发送失败的提醒重新排队" in result.stdout
    assert {r.state for r in reminders(engine) if r.id == rows[f"r{tasks[1]}"]} == {ReminderState.PENDING}
    assert json.loads(result.stdout[result.stdout.index("["):])[0]["failed"] == 0


def test_an_open_outage_is_shown_though_a_past_one_was_recorded_after_it(cli, engine):
    from store import outages
    from store.models import OutageCause

    now = datetime.now(UTC)
    outages.delivery_failing(engine, OutageCause.TELEGRAM, now - timedelta(minutes=20), now - timedelta(minutes=1),
                             timedelta(hours=1), "Bad Gateway")
    # A database outage seen after the fact is recorded later, already ended: it is the newest row.
    outages.record_past_outage(engine, OutageCause.DATABASE, now - timedelta(minutes=10), now - timedelta(minutes=9),
                               timedelta(hours=1), "connection refused")
    assert [o.cause for o in outages.open_outages(engine)] == [OutageCause.TELEGRAM]
    assert outages.outages(engine, limit=1)[0].cause is OutageCause.DATABASE
    assert OutageCause.TELEGRAM.value in cli("outbox").stdout
