"""Administrators' corrections in chat over real HTTP: /assign, /close, /cancel, /reopen, /snooze, /edit."""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from store.corrections import corrections as audit_trail
from store.db import session_scope
from store.ingest import ingest_plan
from store.models import Task, TaskStatus, TaskUnit, Unit
from tests.store.plan_builders import plan, sha, task
from tests.telegram.conftest import ADMIN_USER, running_bot
from tests.telegram.test_e2e_commands import ask


def unitless_plan():
    return plan([task(1, "完善政务服务事项清单", due=(("2026年6月底前", date(2026, 6, 30)),)),
                 task(2, "推进电子证照互认"), task(3, "健全投诉处理机制")], period_end=date(2026, 12, 31))


def stored(engine):
    with session_scope(engine) as session:
        tasks = {t.seq: t for t in session.exec(select(Task)).all()}
        units = {(tu.task_id, name, str(tu.role)) for tu, name in session.exec(
            select(TaskUnit, Unit.name).join(Unit, Unit.id == TaskUnit.unit_id)).all()}
    return tasks, units


async def test_administrators_correct_tasks_in_chat_and_each_change_is_audited(bot_api, settings, engine, clock):
    document_id = ingest_plan(engine, unitless_plan(), sha("chat-v1")).document_id

    async def admin(text):
        return (await ask(bot_api, ADMIN_USER, text, user_id=ADMIN_USER, kind="private")).params["text"]

    async with running_bot(settings, engine, clock):
        unknown = await admin(f"/assign {document_id}:1-3 示例市司法局 牵头")
        assigned = await admin(f"/assign {document_id}:1-3 示例市司法局 牵头 新建")
        closed = await admin("/close 1 已核实")
        closed_again = await admin("/close 1")
        reopened = await admin("/reopen 1")
        cancelled = await admin("/cancel 3 不再要求")
        edited = await admin("/edit 2 title 全面推进电子证照互认")
        due = await admin("/edit 2 due 2026-09-30")
        snoozed = await admin("/snooze 示例市司法局 2026-07-01")
        usage = await admin("/edit 2 due tomorrow")
        refused = (await ask(bot_api, -7001, "/close 2", user_id=777)).params["text"]

    assert unknown == "没有叫“示例市司法局”的单位。"
    assert "已新建单位：示例市司法局" in assigned and "3 项任务" in assigned
    assert closed.startswith("任务 1 已办结") and "已是“已完成”状态" in closed_again
    assert reopened == "任务 1 已重新打开，提醒恢复。" and cancelled.startswith("任务 3 已取消")
    assert edited == due == "任务 2 已修改（1 项），已记入更正记录。"
    assert snoozed == "示例市司法局 的提醒暂停至 2026-07-01（当天恢复）。"
    assert usage.startswith("用法：/edit") and refused == "只有管理员可以使用这个命令。"
    tasks, units = stored(engine)
    assert {(t, n, r) for t, n, r in units} == {(tasks[s].id, "示例市司法局", "lead") for s in (1, 2, 3)}
    assert [tasks[s].status for s in (1, 2, 3)] == [TaskStatus.OPEN, TaskStatus.OPEN, TaskStatus.CANCELLED]
    assert (tasks[2].title, tasks[2].effective_due) == ("全面推进电子证照互认", date(2026, 9, 30))
    trail = audit_trail(engine)
    assert len(trail) == 3 + 3 + 2 + 1  # assignments, statuses, edits, the snooze
    assert {e.source for e in trail} == {"chat"} and all(e.actor.startswith(f"tg:{ADMIN_USER}") for e in trail)
    assert [e.note for e in trail if e.field == "status"] == ["已核实", "", "不再要求"]
