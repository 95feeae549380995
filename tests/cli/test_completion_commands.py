"""`deadline-bot verify | send-back | reopen`: the office's decisions from the command line, through
app.status as the chat's buttons (reopen through app.corrections, which applies app.status's rule);
a task in the wrong state is one line and a non-zero exit."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.status import record_status
from store import chats
from store.db import make_engine, session_scope
from store.models import Reminder, StatusReport, Task, TaskStatus, UnitRole
from tests.telegram.conftest import add_task, add_unit

NOW = datetime.now(UTC)


def awaiting_task(database_url):
    engine = make_engine(database_url)
    lead, helper = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    task = add_task(engine, title="建立听证制度", units=((lead, UnitRole.LEAD), (helper, UnitRole.COOPERATING)))
    invite = chats.create_invite(engine, "省司法厅", timedelta(hours=1), NOW)
    chat = chats.redeem_invite(engine, invite.code, -3001, "group", "司法厅", "zh-CN", NOW)
    record_status(engine, task, chat.id, lead, 501, TaskStatus.DONE, NOW, verify_done=True)
    return engine, task


def status_of(engine, task):
    with session_scope(engine) as session:
        return session.get(Task, task).status


def test_verify_closes_a_task_awaiting_verification_once(cli, database_url):
    engine, task = awaiting_task(database_url)

    result = cli("verify", str(task))
    assert result.exit_code == 0, result.output
    assert f"任务 {task} 已销号" in result.output
    assert status_of(engine, task) is TaskStatus.DONE

    again = cli("verify", str(task))
    assert again.exit_code == 1 and "不是待销号状态（当前：已完成）" in again.output
    assert cli("verify", "99999").exit_code == 2


def test_send_back_needs_a_reason_and_tells_the_lead(cli, database_url):
    engine, task = awaiting_task(database_url)

    assert cli("send-back", str(task), "--reason", "  ").exit_code == 2
    assert status_of(engine, task) is TaskStatus.AWAITING_VERIFICATION

    result = cli("send-back", str(task), "--reason", "缺少正式文本")
    assert result.exit_code == 0, result.output
    assert "已退回（当前：推进中）" in result.output and "1 个单位聊天" in result.output
    with session_scope(engine) as session:
        assert len(session.exec(select(Reminder).where(Reminder.kind == "sent_back")).all()) == 1
        office = session.exec(select(StatusReport).where(StatusReport.unit_id.is_(None))).one()
        assert office.note == "缺少正式文本"


def test_reopen_opens_a_closed_task_and_refuses_an_open_one(cli, database_url):
    engine, task = awaiting_task(database_url)
    cli("verify", str(task))

    # `reopen` is the corrections' command since the merge with main (one reopen, with its audit
    # row); it applies the completion rule, so the task is in progress again, not open.
    result = cli("reopen", str(task))
    assert result.exit_code == 0, result.output
    assert "已重新打开" in result.output
    assert status_of(engine, task) is TaskStatus.IN_PROGRESS
    with session_scope(engine) as session:
        assert session.get(Task, task).verified_at is None
    refused = cli("reopen", str(task))
    assert refused.exit_code == 2 and "尚未办结" in refused.output
