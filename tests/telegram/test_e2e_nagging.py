"""/quiet and /unquiet over real HTTP: an administrator stops and resumes one task's overdue notices."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from store.db import session_scope
from store.models import Document, Reminder, ReminderState, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_admins, bind_unit
from tests.telegram.test_e2e_export_import import ADMIN_CHAT, start_admin_chat, summaries
from tests.telegram.test_e2e_reminders import replan


def pending_overdue(engine, task_id) -> int:
    with session_scope(engine) as session:
        return len(session.execute(select(Reminder).where(
            Reminder.task_id == task_id, Reminder.kind == "overdue",
            Reminder.state == ReminderState.PENDING)).scalars().all())


async def test_an_administrator_quiets_a_task_and_undoes_it(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY - timedelta(days=3),
                                       TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    bind_admins(engine, clock)
    replan(settings, engine, clock)
    assert pending_overdue(engine, task) > 0
    async with running_bot(settings, engine, clock):
        refused = await ask(bot_api, -5001, f"/quiet {task}")
        usage = await ask(bot_api, ADMIN_USER, "/quiet", user_id=ADMIN_USER, kind="private")
        unknown = await ask(bot_api, ADMIN_USER, "/quiet 99999", user_id=ADMIN_USER, kind="private")
        quieted = await ask(bot_api, ADMIN_USER, f"/quiet {task}", user_id=ADMIN_USER, kind="private")
        replan(settings, engine, clock)
        silenced = pending_overdue(engine, task)
        resumed = await ask(bot_api, ADMIN_USER, f"/unquiet {task}", user_id=ADMIN_USER, kind="private")
    replan(settings, engine, clock)

    assert refused.params["text"] == "只有管理员可以使用这个命令。"
    assert "用法" in usage.params["text"]
    assert unknown.params["text"] == "没有编号为 99999 的任务。"
    assert "已停止逾期提醒" in quieted.params["text"] and f"/unquiet {task}" in quieted.params["text"]
    assert silenced == 0
    assert "恢复逾期提醒" in resumed.params["text"]
    assert pending_overdue(engine, task) > 0
    with session_scope(engine) as session:
        assert session.get(Task, task).overdue_quiet_through is None
    from store.nagging import nagging_changes

    changes = nagging_changes(engine)
    assert [(c.changed_by, c.task_id, c.new_value is None) for c in changes] == [
        (f"telegram:{ADMIN_USER}", task, False), (f"telegram:{ADMIN_USER}", task, True)]


OLD_PLAN = """样例县2019年法治政府建设工作要点

一、依法履职

1. 清理行政许可事项。2019年6月底前完成。（牵头单位：县司法局）

2. 公布权责清单。2019年9月底前完成。（牵头单位：县政务服务中心）
"""


async def test_a_finished_plan_sent_in_chat_comes_in_as_history(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, OLD_PLAN.encode("utf-8"), "2019.txt", user_id=ADMIN_USER)
        summary = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="the import"))[-1]
    assert "已导入" in edit.params["text"] and "已按历史计划导入" in edit.params["text"]
    with session_scope(engine) as session:
        [document] = session.execute(select(Document)).scalars().all()
        assert document.history_since == TODAY
