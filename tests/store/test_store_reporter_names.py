"""Status reports keep the reporter's display name; the history and the export read it back."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from app.status import record_status
from plan_builders import business_plan, sha
from store import chats
from store.db import session_scope
from store.extensions import tasks_for_export
from store.ingest import ingest_plan
from store.models import StatusReport, Task, TaskStatus
from store.reports import task_detail

NOW = datetime(2031, 3, 2, 1, 30, tzinfo=UTC)


def bound_task(engine):
    """The market regulator's task and a chat bound to that unit: (task id, chat)."""
    ingest_plan(engine, business_plan(), sha("v1"))
    invite = chats.create_invite(engine, "示例市市场监管局", timedelta(hours=1), NOW)
    chat = chats.redeem_invite(engine, invite.code, -7001, "group", "市场监管局", "zh-CN", NOW)
    with session_scope(engine) as session:
        task_id = session.exec(select(Task.id).where(Task.title == "压减开办企业时间")).one()
    return task_id, chat


def test_a_report_keeps_the_reporters_name_for_the_history_and_the_export(engine):
    task_id, chat = bound_task(engine)

    record_status(engine, task_id, chat.id, chat.unit_id, 502, TaskStatus.IN_PROGRESS, NOW, "已起草",
                  telegram_user_name="<b>王</b> 科长 (@wang_kz)")

    with session_scope(engine) as session:
        stored = session.exec(select(StatusReport)).one()
    assert (stored.telegram_user_id, stored.telegram_user_name) == (502, "<b>王</b> 科长 (@wang_kz)")
    [entry] = task_detail(engine, task_id).reports
    assert (entry.telegram_user_id, entry.telegram_user_name, entry.note) == (502, "<b>王</b> 科长 (@wang_kz)",
                                                                             "已起草")
    [exported] = [t for t in tasks_for_export(engine) if t.task_id == task_id]
    assert (exported.last_report_user, exported.last_report_user_name) == (502, "<b>王</b> 科长 (@wang_kz)")


def test_reports_without_a_name_read_back_as_none_and_the_latest_name_is_exported(engine):
    task_id, chat = bound_task(engine)

    record_status(engine, task_id, chat.id, chat.unit_id, 501, TaskStatus.BLOCKED, NOW)  # as before 0005
    record_status(engine, task_id, chat.id, chat.unit_id, 503, TaskStatus.IN_PROGRESS, NOW + timedelta(hours=1),
                  telegram_user_name="  ")
    record_status(engine, task_id, chat.id, chat.unit_id, 502, TaskStatus.DONE,
                  NOW + timedelta(hours=2), telegram_user_name="李 科长")

    assert [(r.telegram_user_id, r.telegram_user_name) for r in task_detail(engine, task_id).reports] == [
        (501, None), (503, None), (502, "李 科长")]
    [exported] = [t for t in tasks_for_export(engine) if t.task_id == task_id]
    assert exported.last_report_user_name == "李 科长"


def test_a_name_longer_than_the_column_is_clipped_not_refused(engine):
    task_id, chat = bound_task(engine)

    record_status(engine, task_id, chat.id, chat.unit_id, 502, TaskStatus.DONE, NOW,
                  telegram_user_name="王" * 250)

    [entry] = task_detail(engine, task_id).reports
    assert entry.telegram_user_name == "王" * chats.USER_NAME_CHARS
