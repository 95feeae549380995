"""/export and /import over real HTTP: the files an administrator gets, a plan file sent to the
administrators' chat, previewed, confirmed or cancelled; the export's rows on their own."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
from sqlalchemy import select

from app.status import record_status
from bot.exports import csv_bytes, export_rows, xlsx_bytes
from bot.i18n import Catalogue
from scheduler.policy import ReminderPolicy
from store import chats
from store.db import session_scope
from store.extensions import ExportTask, tasks_for_export
from store.models import Document, DueSource, Task, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_task, add_unit, eventually, running_bot

ADMIN_CHAT = ADMIN_USER
ZONE = ZoneInfo("Asia/Shanghai")

PLAN = """海南省2027年数字政府建设工作要点

海南省人民政府办公厅
2027年2月10日

为扎实推进数字政府建设，现提出2027年工作要点如下。

一、夯实基础支撑

（一）推进政务云资源整合。2027年6月底前完成省级部门政务云迁移。（牵头单位：省大数据管理局；配合单位：省财政厅）

（二）完善电子证照共享机制。2027年9月底前实现高频证照互认。（牵头单位：省政务服务中心）

二、提升服务效能

（三）优化“一网通办”平台功能。年底前上线智能导办服务。（牵头单位：省大数据管理局）
"""


def test_export_rows_show_units_due_source_light_and_last_report():
    tasks = [
        ExportTask(task_id=1, plan="工作要点", label="1", title="推进政务云资源整合",
                   units=(("省大数据管理局", UnitRole.LEAD), ("省财政厅", UnitRole.COOPERATING)),
                   effective_due=date(2026, 5, 31), due_source=DueSource.EXPLICIT, status=TaskStatus.IN_PROGRESS,
                   last_report_unit="省大数据管理局", last_report_user=502,
                   last_report_at=datetime(2026, 5, 20, 2, 0, tzinfo=UTC), last_report_note="已完成一半",
                   last_report_user_name="<b>李</b> 科长 (@li_kz)"),
        ExportTask(task_id=2, plan="工作要点", label="2", title="完善电子证照共享机制", units=(),
                   effective_due=None, due_source=None, status=TaskStatus.DONE, last_report_unit=None,
                   last_report_user=None, last_report_at=None, last_report_note=None),
    ]
    rows = export_rows(tasks, Catalogue("zh-CN"), date(2026, 6, 1), ReminderPolicy(), ZONE)
    assert rows[0] == ["所属方案", "编号", "任务", "责任单位", "截止日期", "期限来源", "状态", "红黄绿灯",
                       "最近报告单位", "报告人", "报告人 Telegram 用户 ID", "报告时间", "说明"]
    assert rows[1] == ["工作要点", "1", "推进政务云资源整合", "省大数据管理局（牵头）；省财政厅（配合）", "2026-05-31",
                       "明确期限", "推进中", "红", "省大数据管理局", "<b>李</b> 科长 (@li_kz)", "502", "2026-05-20 10:00",
                       "已完成一半"]
    assert rows[2] == ["工作要点", "2", "完善电子证照共享机制", "", "", "无期限", "已完成", "", "", "", "", "", ""]
    assert csv_bytes(rows).startswith("\ufeff所属方案".encode("utf-8"))


async def start_admin_chat(bot_api):
    bot_api.add_message(ADMIN_CHAT, "/start", user_id=ADMIN_USER)
    await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_CHAT), what="the admin chat")


def test_cells_that_look_like_formulas_stay_text_in_both_files():
    rows = [["标题", "说明"], ["=HYPERLINK(\"http://x\",\"点此\")", "@SUM(A1:A9)"], ["-1", "普通文本"]]

    parsed = list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig"))))
    assert parsed[1] == ["'=HYPERLINK(\"http://x\",\"点此\")", "'@SUM(A1:A9)"]
    assert parsed[2] == ["'-1", "普通文本"]

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows, "任务"))).active
    cell = sheet.cell(row=2, column=1)
    assert (cell.value, cell.data_type) == ("=HYPERLINK(\"http://x\",\"点此\")", "s")
    assert sheet.cell(row=3, column=2).value == "普通文本"


async def test_export_sends_a_csv_and_an_xlsx_of_all_tasks(bot_api, settings, engine, clock):
    unit, other = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    first = add_task(engine, title="完善行政复议案件审理机制", units=((unit, UnitRole.LEAD), (other, UnitRole.COOPERATING)))
    add_task(engine, title="清理规范性文件", units=((other, UnitRole.LEAD),), due=date(2026, 5, 20))
    with session_scope(engine) as session:  # add_task leaves the source open; an ingest would set it
        for task in session.execute(select(Task)).scalars():
            task.due_source = DueSource.EXPLICIT
    invite = chats.create_invite(engine, "省司法厅", timedelta(hours=1), clock())
    info = chats.redeem_invite(engine, invite.code, -5001, "group", "司法厅", "zh-CN", clock())
    record_status(engine, first, info.id, unit, 502, TaskStatus.BLOCKED, clock(), telegram_user_name="李 科长")
    chats.attach_note(engine, info.id, unit, first, "等待编制批复", clock(), telegram_user_id=502)
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_message(ADMIN_CHAT, "/export", user_id=ADMIN_USER)
        csv_call, xlsx_call = await eventually(lambda: len(bot_api.calls_to("sendDocument", ADMIN_CHAT)) == 2
                                               and bot_api.calls_to("sendDocument", ADMIN_CHAT), what="the files")
        # Not an administrator: no files.
        bot_api.add_message(-5001, "/export", user_id=502, chat_kind="group")
        await eventually(lambda: bot_api.calls_to("sendMessage", -5001), what="the refusal")
        assert "只有管理员" in bot_api.calls_to("sendMessage", -5001)[-1].params["text"]
        assert not bot_api.calls_to("sendDocument", -5001)

    assert csv_call.params["document_name"].endswith(".csv") and xlsx_call.params["document_name"].endswith(".xlsx")
    raw = csv_call.params["document"]
    assert raw.startswith(b"\xef\xbb\xbf")
    from_csv = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    from_xlsx = [[cell if cell is not None else "" for cell in row] for row in
                 openpyxl.load_workbook(io.BytesIO(xlsx_call.params["document"])).active.iter_rows(values_only=True)]
    assert from_csv == from_xlsx
    # The corrections sheet's layout: the task id in front, milestones and review flags behind,
    # so an edited copy can be sent back (bot.chatsheet_commands).
    assert from_csv[0][0] == "任务ID" and from_csv[0][-2:] == ["节点（日期 原文）", "待核查"]
    assert sorted(int(row[0]) for row in from_csv[1:]) == sorted(tasks_for_export_ids(engine))
    from_csv = [row[1:-2] for row in from_csv]
    assert len(from_csv) == 3 and from_csv[0][:3] == ["所属方案", "编号", "任务"]
    by_title = {row[2]: row for row in from_csv[1:]}
    blocked = by_title["完善行政复议案件审理机制"]
    assert blocked[3] == "省司法厅（牵头）；省财政厅（配合）"
    assert blocked[4:8] == ["2026-06-08", "明确期限", "有困难", "黄"]
    assert blocked[8:] == ["省司法厅", "李 科长", "502", "2026-06-01 09:30", "等待编制批复"]
    assert by_title["清理规范性文件"][4:8] == ["2026-05-20", "明确期限", "未开始", "红"]
    assert len(tasks_for_export(engine)) == 2


def tasks_for_export_ids(engine) -> list[int]:
    return [t.task_id for t in tasks_for_export(engine)]


def summaries(bot_api):
    return [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT) if c.params.get("reply_markup")]


async def test_import_a_plan_file_confirm_and_then_a_new_version(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "海南数字政府.txt", user_id=ADMIN_USER)
        summary = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        text = summary.params["text"]
        assert "海南省2027年数字政府建设工作要点" in text and "海南省人民政府办公厅" in text and "2027-12-31" in text
        assert "任务 3 项" in text and "涉及单位 3 个" in text and "明确期限 3 个" in text
        assert [[b["callback_data"] for b in row] for row in summary.params["reply_markup"]["inline_keyboard"]] == [
            ["imp:c", "imp:x"]]
        assert bot_api.calls_to("getFile") and bot_api.calls_to("downloadFile")
        with session_scope(engine) as session:
            assert session.execute(select(Task)).first() is None  # nothing before the confirmation

        # Someone who is not an administrator presses ✅: refused.
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=555)
        await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                  if "只有管理员" in (c.params.get("text") or "")], what="the refusal")
        # An administrator in another administrators' chat, forged data: nothing waits there to import.
        other = bot_api.add_message(-6001, "/start", user_id=ADMIN_USER, chat_kind="group")["message"]
        await eventually(lambda: bot_api.calls_to("sendMessage", -6001), what="the other admin chat")
        bot_api.add_callback(-6001, other["message_id"], "imp:c", user_id=ADMIN_USER)
        await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                  if "已失效" in (c.params.get("text") or "")], what="the other chat refused")
        with session_scope(engine) as session:
            assert session.execute(select(Task)).first() is None

        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="the import"))[-1]
        assert "已导入" in edit.params["text"] and "任务 3 项" in edit.params["text"]

        # A changed version of the plan: the button offers replacing the old one.
        bot_api.add_document(ADMIN_CHAT, PLAN.replace("年底前上线", "11月底前上线").encode("utf-8"), "v2.txt",
                             user_id=ADMIN_USER)
        second = (await eventually(lambda: len(summaries(bot_api)) == 2 and summaries(bot_api), what="v2"))[-1]
        assert "另一个版本" in second.params["text"]
        assert second.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "imp:r"
        bot_api.add_callback(ADMIN_CHAT, second.result["message_id"], "imp:r", user_id=ADMIN_USER)
        await eventually(lambda: len(bot_api.calls_to("editMessageText", ADMIN_CHAT)) == 2, what="the replacement")
        assert "已替换旧版" in bot_api.calls_to("editMessageText", ADMIN_CHAT)[-1].params["text"]

    with session_scope(engine) as session:
        documents = session.execute(select(Document).order_by(Document.id)).scalars().all()
        assert [d.superseded_by_id for d in documents] == [documents[1].id, None]
        tasks = session.execute(select(Task).order_by(Task.seq)).scalars().all()
        assert [t.title for t in tasks] == ["推进政务云资源整合", "完善电子证照共享机制", "优化“一网通办”平台功能"]
        assert tasks[2].effective_due == date(2027, 11, 30)


async def test_import_cancel_and_an_unreadable_file(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "plan.txt", user_id=ADMIN_USER)
        summary = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:x", user_id=ADMIN_USER)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="cancel"))[-1]
        assert "已取消导入" in edit.params["text"]
        # The same summary cannot be confirmed after it was cancelled.
        bot_api.add_callback(ADMIN_CHAT, summary.result["message_id"], "imp:c", user_id=ADMIN_USER)
        await eventually(lambda: [c for c in bot_api.calls_to("answerCallbackQuery")
                                  if "已失效" in (c.params.get("text") or "")], what="expired")

        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_document(ADMIN_CHAT, b"   \n\n  ", "empty.txt", user_id=ADMIN_USER)
        answer = await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                                  and bot_api.calls_to("sendMessage", ADMIN_CHAT)[-1], what="unreadable")
        assert "无法读取这个文件" in answer.params["text"] and "empty.txt" in answer.params["text"]
        assert "\n" not in answer.params["text"]
        assert not answer.params.get("reply_markup")

        # A document from someone who is not an administrator, in the administrators' chat: no preview.
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "plan.txt", user_id=555)
        bot_api.add_message(ADMIN_CHAT, "/help", user_id=ADMIN_USER)
        await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before, what="the help")
        assert len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) == before + 1 and len(summaries(bot_api)) == 1
    with session_scope(engine) as session:
        assert session.execute(select(Task)).first() is None
