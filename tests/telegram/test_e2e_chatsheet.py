"""An edited corrections sheet sent back to the bot over real HTTP: exported with /export, three
cells changed in openpyxl, the diff under ✅ 写入 / ✖ 取消, applied in one transaction and audited,
standing after the plan is imported again; and every way a press or a file is refused."""
from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlmodel import select

from app.corrections import Actor, edit_task
from bot.i18n import Catalogue
from store.corrections import corrections as audit_trail
from store.db import session_scope
from store.ingest import ingest_plan
from store.models import Document, Task, TaskStatus
from tests.store.plan_builders import plan, sha, task
from tests.telegram.conftest import ADMIN_USER, eventually, running_bot
from tests.telegram.test_e2e_export_import import start_admin_chat

ADMIN_CHAT = ADMIN_USER
ZH = Catalogue("zh-CN")


def three_tasks(note: str = ""):
    return plan([task(1, "完善行政复议案件审理机制", lead=("省司法厅",), due=(("2031年6月底前", date(2031, 6, 30)),),
                      body=f"完善行政复议案件审理机制的具体要求。{note}"),
                 task(2, "清理规范性文件", lead=("省财政厅",), due=(("2031年9月底前", date(2031, 9, 30)),)),
                 task(3, "健全投诉处理机制", lead=("省司法厅",), cooperating=("省财政厅",))])


def tasks_by_seq(engine) -> dict[int, Task]:
    with session_scope(engine) as session:
        return {t.seq: t for t in session.exec(select(Task).join(Document, Document.id == Task.document_id)
                                                          .where(Document.superseded_by_id.is_(None))).all()}


async def exported_xlsx(bot_api) -> bytes:
    before = len(bot_api.calls_to("sendDocument", ADMIN_CHAT))
    bot_api.add_message(ADMIN_CHAT, "/export", user_id=ADMIN_USER)
    calls = await eventually(lambda: len(bot_api.calls_to("sendDocument", ADMIN_CHAT)) >= before + 2
                             and bot_api.calls_to("sendDocument", ADMIN_CHAT), what="the export")
    return next(c.params["document"] for c in calls[before:] if c.params["document_name"].endswith(".xlsx"))


def edit_cells(data: bytes, edits: dict[tuple[int, str], str]) -> bytes:
    """{(task id, header text): new value} written into the workbook, as an administrator would in Excel."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    id_column = header.index(ZH.text("corrections.sheet_id"))
    rows = {int(row[id_column].value): row for row in sheet.iter_rows(min_row=2)}
    for (task_id, column), value in edits.items():
        rows[task_id][header.index(column)].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def diffs(bot_api):
    def first_button(call):
        return (call.params.get("reply_markup") or {}).get("inline_keyboard", [[{}]])[0][0].get("callback_data")

    return [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT) if first_button(c) == "sht:a"]


def alerts(bot_api, words: str):
    return [c for c in bot_api.calls_to("answerCallbackQuery") if words in (c.params.get("text") or "")]


async def next_reply(bot_api, before: int, what: str):
    return await eventually(lambda: len(bot_api.calls_to("sendMessage", ADMIN_CHAT)) > before
                            and bot_api.calls_to("sendMessage", ADMIN_CHAT)[-1], what=what)


async def test_an_edited_export_sent_back_is_diffed_applied_audited_and_survives_a_reimport(
        bot_api, settings, engine, clock):
    ingest_plan(engine, three_tasks(), sha("sheet-v1"))
    ids = {seq: t.id for seq, t in tasks_by_seq(engine).items()}
    transcript = []
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        edited = edit_cells(await exported_xlsx(bot_api), {
            (ids[1], ZH.text("export.title")): "完善行政复议案件审理和监督机制",
            (ids[2], ZH.text("export.due")): "2031-10-31",
            (ids[3], ZH.text("export.status")): ZH.text("status.done"),
        })
        bot_api.add_document(ADMIN_CHAT, edited, "任务表.xlsx", user_id=ADMIN_USER)
        diff = (await eventually(lambda: diffs(bot_api), what="the diff"))[-1]
        transcript.append(diff.params["text"])
        assert not audit_trail(engine)  # nothing before ✅

        bot_api.add_callback(ADMIN_CHAT, diff.result["message_id"], "sht:a", user_id=555)
        await eventually(lambda: alerts(bot_api, "只有管理员"), what="a non-administrator refused")
        bot_api.add_callback(ADMIN_CHAT, diff.result["message_id"], "sht:a", user_id=ADMIN_USER)
        applied = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="applied"))[-1]
        transcript.append(applied.params["text"].split("\n\n")[-1])
        bot_api.add_callback(ADMIN_CHAT, diff.result["message_id"], "sht:a", user_id=ADMIN_USER)
        second = (await eventually(lambda: alerts(bot_api, "已经处理过"), what="the second press"))[-1]
        transcript.append(second.params["text"])
    print("\n---\n".join(transcript))

    text = diff.params["text"]
    assert text.startswith("更正表 任务表.xlsx：3 处修改，涉及 3 项任务；无法读取 0 行。")
    assert f"任务 {ids[1]} · 标题：完善行政复议案件审理机制 → 完善行政复议案件审理和监督机制" in text
    assert f"任务 {ids[2]} · 截止日期：2031-09-30 → 2031-10-31" in text
    assert f"任务 {ids[3]} · 状态：未开始 → 已完成" in text
    assert [[b["text"] for b in row] for row in diff.params["reply_markup"]["inline_keyboard"]] == [["✅ 写入", "✖ 取消"]]
    assert "已写入 3 处修改（3 项任务），均已记入更正记录。" in applied.params["text"]
    assert not applied.params.get("reply_markup")
    trail = audit_trail(engine)
    assert sorted((e.task_id, e.field) for e in trail) == sorted(
        [(ids[1], "title"), (ids[2], "due"), (ids[3], "status")])
    assert {e.source for e in trail} == {"chat"} and all(e.actor.startswith(f"tg:{ADMIN_USER}") for e in trail)

    def check(tasks):
        assert tasks[1].title == "完善行政复议案件审理和监督机制"
        assert tasks[2].effective_due == date(2031, 10, 31)
        assert tasks[3].status is TaskStatus.DONE

    check(tasks_by_seq(engine))
    # A changed copy of the plan imported over the old one: the administrator's values stand.
    ingest_plan(engine, three_tasks(note="新增一句。"), sha("sheet-v2"), on_change="replace")
    check(tasks_by_seq(engine))
    assert len(audit_trail(engine)) == 3


async def test_refusals_stale_changed_cancelled_unreadable_and_a_plan_still_imports(bot_api, settings, engine, clock):
    ingest_plan(engine, three_tasks(), sha("sheet-v1"))
    ids = {seq: t.id for seq, t in tasks_by_seq(engine).items()}
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        exported = await exported_xlsx(bot_api)
        due = ZH.text("export.due")

        # The data changes between the diff and ✅: nothing is written.
        bot_api.add_document(ADMIN_CHAT, edit_cells(exported, {(ids[1], due): "2031-07-31"}), "a.xlsx",
                             user_id=ADMIN_USER)
        first = (await eventually(lambda: diffs(bot_api), what="the diff"))[-1]
        edit_task(engine, Actor(source="cli", name="someone"), ids[1], due=date(2031, 8, 31))
        bot_api.add_callback(ADMIN_CHAT, first.result["message_id"], "sht:a", user_id=ADMIN_USER)
        changed = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="changed"))[-1]
        assert "记录已有变动" in changed.params["text"] and "什么都没有写入" in changed.params["text"]
        assert tasks_by_seq(engine)[1].effective_due == date(2031, 8, 31)

        # ✖ cancels; a later ✅ under it is told it was answered.
        bot_api.add_document(ADMIN_CHAT, edit_cells(exported, {(ids[2], due): "2031-11-30"}), "b.xlsx",
                             user_id=ADMIN_USER)
        cancel = (await eventually(lambda: len(diffs(bot_api)) == 2 and diffs(bot_api), what="diff 2"))[-1]
        bot_api.add_callback(ADMIN_CHAT, cancel.result["message_id"], "sht:x", user_id=ADMIN_USER)
        await eventually(lambda: len(bot_api.calls_to("editMessageText", ADMIN_CHAT)) == 2, what="cancelled")
        assert "已取消，什么都没有写入" in bot_api.calls_to("editMessageText", ADMIN_CHAT)[-1].params["text"]
        bot_api.add_callback(ADMIN_CHAT, cancel.result["message_id"], "sht:a", user_id=ADMIN_USER)
        await eventually(lambda: alerts(bot_api, "已经处理过"), what="answered")
        # A button under a message where no sheet waits (forged, or long expired).
        other = bot_api.add_message(ADMIN_CHAT, "/help", user_id=ADMIN_USER)["message"]
        bot_api.add_callback(ADMIN_CHAT, other["message_id"], "sht:a", user_id=ADMIN_USER)
        await eventually(lambda: alerts(bot_api, "已失效"), what="stale")

        # A row it cannot read: listed, and no buttons.
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_document(ADMIN_CHAT, edit_cells(exported, {(ids[2], due): "明年", (ids[3], due): "2031-12-01"}),
                             "c.xlsx", user_id=ADMIN_USER)
        bad_row = await next_reply(bot_api, before, "the unreadable row")
        assert "无法读取 1 行" in bad_row.params["text"] and "第 3 行无法读取" in bad_row.params["text"]
        assert "明年" in bad_row.params["text"] and not bad_row.params.get("reply_markup")

        # Not a workbook, and a sheet beyond the plan import's cell limit: one line each.
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        bot_api.add_document(ADMIN_CHAT, b"PK\x03\x04 not really a zip", "d.xlsx", user_id=ADMIN_USER)
        broken = await next_reply(bot_api, before, "the broken file")
        assert broken.params["text"] == "无法读取更正表 d.xlsx：not a valid .xlsx file"
        before = len(bot_api.calls_to("sendMessage", ADMIN_CHAT))
        header = ",".join([ZH.text("corrections.sheet_id"), ZH.text("export.title")]).encode("utf-8")
        bot_api.add_document(ADMIN_CHAT, header + b"\n" + b"," * 2_100_000, "e.csv", user_id=ADMIN_USER)
        huge = await next_reply(bot_api, before, "the huge file")
        assert huge.params["text"] == "无法读取更正表 e.csv：more than 2,000,000 cells"

        # A plan laid out as a workbook table still goes to the plan import.
        workbook = openpyxl.Workbook()
        workbook.active.append(["示例市2031年政务服务改进任务台账"])
        workbook.active.append(["序号", "重点任务", "牵头单位", "完成时限"])
        workbook.active.append([1, "推行企业开办一网通办。", "市市场监管局", "2031年6月底前"])
        buffer = io.BytesIO()
        workbook.save(buffer)
        bot_api.add_document(ADMIN_CHAT, buffer.getvalue(), "台账.xlsx", user_id=ADMIN_USER)
        summary = await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_CHAT)
                                            if "imp:c" in str(c.params.get("reply_markup"))], what="the plan")
        assert "任务 1 项" in summary[-1].params["text"]

    assert tasks_by_seq(engine)[2].effective_due == date(2031, 9, 30)
    assert [e.field for e in audit_trail(engine)] == ["due"]  # only the command line's edit
