"""Chat commands over real HTTP: a unit's /tasks, /task and /status; administrators' /upcoming,
/overdue, /unit, /doc, /stats, /remind and /digest; pages and who may turn them."""
from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy import select

from bot.app import build_dispatcher
from extract.unitnames import unit_key
from store import chats
from store.db import session_scope
from store.models import (
    Deadline,
    Document,
    Reminder,
    StatusReport,
    Task,
    TaskStatus,
    TaskUnit,
    UnitAlias,
    UnitRole,
)
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_reminders import replan, states_of

TODAY = date(2026, 6, 1)  # conftest's MONDAY_MORNING in Shanghai
_documents = itertools.count(1)


def add_plan(engine, title, tasks):
    """One document with tasks given as (title, ((unit id, role), ...), due or None, status); their ids."""
    with session_scope(engine) as session:
        n = next(_documents)
        document = Document(title=title, language="zh", source_name=f"cmd{n}.txt", content_sha256=f"c{n:063x}")
        session.add(document)
        session.flush()
        ids = []
        for seq, (task_title, units, due, status) in enumerate(tasks, 1):
            task = Task(document_id=document.id, seq=seq, label=f"（{seq}）", title=task_title, effective_due=due,
                        status=status)
            session.add(task)
            session.flush()
            session.add_all(TaskUnit(task_id=task.id, unit_id=u, role=r) for u, r in units)
            ids.append(task.id)
        return ids


def bind_unit(engine, clock, unit_name, chat_id):
    code = chats.create_invite(engine, unit_name, timedelta(hours=1), clock()).code
    return chats.redeem_invite(engine, code, chat_id, "group", f"group{chat_id}", "zh-CN", clock())


def bind_admins(engine, clock, chat_id=ADMIN_USER):
    return chats.bind_admin_chat(engine, chat_id, "private", "admins", "zh-CN", clock())


async def ask(bot_api, chat_id, text, *, user_id=501, kind="group"):
    """Send a command from the chat; the bot's answer (the next sendMessage to that chat)."""
    before = len(bot_api.calls_to("sendMessage", chat_id))
    bot_api.add_message(chat_id, text, user_id=user_id, chat_kind=kind)
    calls = await eventually(lambda: len(bot_api.calls_to("sendMessage", chat_id)) > before
                             and bot_api.calls_to("sendMessage", chat_id), what=f"the answer to {text}")
    return calls[before]


def buttons_of(call):
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]


async def test_a_units_tasks_shows_only_its_own_open_tasks_with_lights(bot_api, settings, engine, clock):
    ours, theirs = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    add_plan(engine, "2026年工作要点", [
        ("完善<复议>机制", ((ours, UnitRole.LEAD),), TODAY + timedelta(days=30), TaskStatus.OPEN),
        ("清理规范性文件", ((ours, UnitRole.COOPERATING), (theirs, UnitRole.LEAD)), TODAY - timedelta(days=2),
         TaskStatus.OPEN),
        ("已经完成的任务", ((ours, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.DONE),
        ("别人的任务", ((theirs, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.OPEN),
    ])
    bind_unit(engine, clock, "省司法厅", -5001)
    async with running_bot(settings, engine, clock):
        answer = await ask(bot_api, -5001, "/tasks")
    text = answer.params["text"]
    print("\n--- /tasks ---\n" + text)
    assert "省司法厅" in text and "（2 项）" in text
    assert "完善&lt;复议&gt;机制" in text and "清理规范性文件" in text
    assert "别人的任务" not in text and "已经完成的任务" not in text
    assert text.index("清理规范性文件") < text.index("完善&lt;复议&gt;机制")  # overdue first
    assert "🔴" in text and "逾期 2 天" in text and "🟢" in text and "还剩 30 天" in text
    assert answer.params["parse_mode"] == "HTML" and not buttons_of(answer)


async def test_task_shows_the_units_own_task_and_refuses_another_units(bot_api, settings, engine, clock):
    ours, theirs = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    own, other = add_plan(engine, "2026年工作要点", [
        ("完善复议机制", ((ours, UnitRole.LEAD), (theirs, UnitRole.COOPERATING)), TODAY + timedelta(days=5),
         TaskStatus.OPEN),
        ("财政厅的任务", ((theirs, UnitRole.LEAD),), TODAY + timedelta(days=5), TaskStatus.OPEN),
    ])
    with session_scope(engine) as session:
        session.add(Deadline(task_id=own, phrase="6月底前", due=TODAY + timedelta(days=5)))
    bind_unit(engine, clock, "省司法厅", -5001)
    async with running_bot(settings, engine, clock):
        refused = await ask(bot_api, -5001, f"/task {other}")
        shown = await ask(bot_api, -5001, f"/task {own}")
    assert refused.params["text"] == f"编号 {other} 不是本单位的任务。"
    text = shown.params["text"]
    print("\n--- /task ---\n" + text)
    assert "完善复议机制" in text and "2026年工作要点" in text and "“6月底前”" in text
    assert "省司法厅（牵头）" in text and "省财政厅（配合）" in text
    assert "未开始" in text and "进度记录：暂无" in text and "🟡" in text


async def test_status_done_records_the_report_with_its_note_and_cancels_reminders(bot_api, settings, engine,
                                                                                   clock):
    ours, theirs = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    task, other = add_plan(engine, "2026年工作要点", [
        ("完善复议机制", ((ours, UnitRole.LEAD),), TODAY + timedelta(days=7), TaskStatus.OPEN),
        ("财政厅的任务", ((theirs, UnitRole.LEAD),), TODAY + timedelta(days=7), TaskStatus.OPEN),
    ])
    bind_unit(engine, clock, "省司法厅", -5001)
    replan(settings, engine, clock)
    assert "pending" in states_of(engine, task)
    async with running_bot(settings, engine, clock):
        refused = await ask(bot_api, -5001, f"/status {other} done")
        usage = await ask(bot_api, -5001, f"/status {task} finished")
        recorded = await ask(bot_api, -5001, f"/status {task} done 已印发《<审理>规范》", user_id=502)
        history = await ask(bot_api, -5001, f"/task {task}")
    assert "不是本单位的任务" in refused.params["text"]
    assert "用法" in usage.params["text"]
    assert "已完成" in recorded.params["text"] and f"#{task}" in recorded.params["text"]
    with session_scope(engine) as session:
        report = session.execute(select(StatusReport)).scalar_one()
        assert session.get(Task, task).status == TaskStatus.DONE
        assert session.get(Task, other).status == TaskStatus.OPEN
    assert (report.task_id, report.unit_id, report.telegram_user_id, report.status) == (task, ours, 502, "done")
    assert report.telegram_user_name == "user502"  # the harness's first name for user 502
    assert report.note == "已印发《<审理>规范》" and report.reported_at == clock()
    assert "pending" not in states_of(engine, task) and "cancelled" in states_of(engine, task)
    text = history.params["text"]
    assert "省司法厅（user502）：已完成" in text and "说明：已印发《&lt;审理&gt;规范》" in text


async def test_strangers_and_units_are_refused_administrators_commands(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "计划", [("任务", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    async with running_bot(settings, engine, clock):
        for chat_id, kind in ((777, "private"), (-5001, "group")):
            for command in ("/upcoming", "/overdue", "/stats", "/unit 省司法厅", "/remind 1", "/digest", "/doc"):
                answer = await ask(bot_api, chat_id, command, user_id=chat_id if kind == "private" else 501,
                                   kind=kind)
                assert answer.params["text"] == "只有管理员可以使用这个命令。", command
                assert not buttons_of(answer)
        stranger_tasks = len(bot_api.calls_to("sendMessage", 777))
        bot_api.add_message(777, "/tasks", user_id=777)
        await ask(bot_api, 777, "/upcoming", user_id=777)  # one more refusal: /tasks was ignored
    assert len(bot_api.calls_to("sendMessage", 777)) == stranger_tasks + 1
    with session_scope(engine) as session:
        assert session.execute(select(Reminder)).first() is None


async def test_an_administrator_lists_upcoming_and_overdue_tasks(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    lead = ((unit, UnitRole.LEAD),)
    add_plan(engine, "计划", [
        ("三天后到期", lead, TODAY + timedelta(days=3), TaskStatus.OPEN),
        ("二十天后到期", lead, TODAY + timedelta(days=20), TaskStatus.IN_PROGRESS),
        ("已经逾期", lead, TODAY - timedelta(days=4), TaskStatus.BLOCKED),
        ("逾期但已完成", lead, TODAY - timedelta(days=4), TaskStatus.DONE),
        ("没有期限", lead, None, TaskStatus.OPEN),
    ])
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        default = (await ask(bot_api, ADMIN_USER, "/upcoming", user_id=ADMIN_USER, kind="private")).params["text"]
        month = (await ask(bot_api, ADMIN_USER, "/upcoming 30", user_id=ADMIN_USER, kind="private")).params["text"]
        bad = (await ask(bot_api, ADMIN_USER, "/upcoming soon", user_id=ADMIN_USER, kind="private")).params["text"]
        late = (await ask(bot_api, ADMIN_USER, "/overdue", user_id=ADMIN_USER, kind="private")).params["text"]
        # A configured admin user is an administrator in a private chat or an administrators' chat only:
        # in any other group its members would read the list.
        elsewhere = (await ask(bot_api, -6001, "/overdue", user_id=ADMIN_USER)).params["text"]
    print("\n--- /upcoming ---\n" + default + "\n--- /overdue ---\n" + late)
    assert "14 天内" in default and "三天后到期" in default and "二十天后到期" not in default
    assert "省司法厅（牵头）" in default and "🟡" in default
    assert "三天后到期" in month and "二十天后到期" in month and "已经逾期" not in month
    assert "用法" in bad
    assert "已经逾期" in late and "逾期 4 天" in late and "🔴" in late
    assert "逾期但已完成" not in late and "三天后到期" not in late and "没有期限" not in late
    assert elsewhere == "只有管理员可以使用这个命令。"


async def test_stats_counts_per_plan_and_per_unit(bot_api, settings, engine, clock):
    justice, finance = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    add_plan(engine, "法治政府计划", [
        ("甲", ((justice, UnitRole.LEAD),), TODAY - timedelta(days=1), TaskStatus.OPEN),
        ("乙", ((justice, UnitRole.LEAD), (finance, UnitRole.COOPERATING)), TODAY + timedelta(days=3),
         TaskStatus.OPEN),
        ("丙", ((finance, UnitRole.LEAD),), TODAY + timedelta(days=60), TaskStatus.DONE),
    ])
    add_plan(engine, "营商环境计划", [
        ("丁", ((finance, UnitRole.LEAD),), TODAY + timedelta(days=60), TaskStatus.OPEN),
    ])
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        text = (await ask(bot_api, ADMIN_USER, "/stats", user_id=ADMIN_USER, kind="private")).params["text"]
    print("\n--- /stats ---\n" + text)
    assert "法治政府计划：完成 1 · 未完成 2 · 逾期 1 · 🟢0 🟡1 🔴1" in text
    assert "营商环境计划：完成 0 · 未完成 1 · 逾期 0 · 🟢1 🟡0 🔴0" in text
    assert "省司法厅：完成 0 · 未完成 2 · 逾期 1 · 🟢0 🟡1 🔴1" in text
    assert "省财政厅：完成 1 · 未完成 2 · 逾期 0 · 🟢1 🟡1 🔴0" in text
    assert text.index("按计划") < text.index("法治政府计划") < text.index("按单位") < text.index("省司法厅")


async def test_a_long_list_pages_and_only_the_chat_that_asked_can_turn_them(bot_api, settings, engine, clock):
    justice, finance = add_unit(engine, "省司法厅"), add_unit(engine, "省财政厅")
    with session_scope(engine) as session:
        session.add(UnitAlias(unit_id=justice, alias="司法厅", key=unit_key("司法厅")))
    add_plan(engine, "长计划", [
        (f"第{n:02d}项任务" + "很长的标题" * 40, ((justice, UnitRole.LEAD),), TODAY + timedelta(days=n),
         TaskStatus.OPEN) for n in range(1, 26)
    ])
    add_plan(engine, "另一计划", [("财政任务", ((finance, UnitRole.LEAD),), TODAY, TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    bind_unit(engine, clock, "省财政厅", -5002)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        first = await ask(bot_api, ADMIN_USER, "/unit 司法厅", user_id=ADMIN_USER, kind="private")
        assert buttons_of(first) == [f"pg:unit:{justice}:1"]
        assert "第 1/3 页" in first.params["text"] and "第01项" in first.params["text"]
        assert "第11项" not in first.params["text"] and len(first.params["text"]) <= 4096
        bot_api.add_callback(ADMIN_USER, first.result["message_id"], f"pg:unit:{justice}:1", user_id=ADMIN_USER)
        edit = (await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_USER), what="page 2"))[0]
        assert "第 2/3 页" in edit.params["text"] and "第11项" in edit.params["text"]
        assert "第10项" not in edit.params["text"]
        assert buttons_of(edit) == [f"pg:unit:{justice}:0", f"pg:unit:{justice}:2"]
        assert [b["text"] for b in edit.params["reply_markup"]["inline_keyboard"][0]] == ["◀ 上一页", "下一页 ▶"]

        ours = await ask(bot_api, -5001, "/tasks")
        assert buttons_of(ours) == [f"pg:tasks:{justice}:1"]
        theirs = await ask(bot_api, -5002, "/tasks")
        # Forged presses in the finance office's chat: the justice office's list, and an admins' list.
        bot_api.add_callback(-5002, theirs.result["message_id"], f"pg:tasks:{justice}:1", user_id=601)
        bot_api.add_callback(-5002, theirs.result["message_id"], "pg:unit:%d:1" % justice, user_id=601)
        answers = await eventually(lambda: len(bot_api.calls_to("answerCallbackQuery")) >= 3
                                   and bot_api.calls_to("answerCallbackQuery"), what="the refusals")
        bot_api.add_callback(-5001, ours.result["message_id"], f"pg:tasks:{justice}:2", user_id=501)
        own_edit = (await eventually(lambda: bot_api.calls_to("editMessageText", -5001), what="our page 3"))[0]
    refusals = [a.params.get("text") for a in answers[1:3]]
    assert refusals == ["这个列表不属于本聊天，无法翻页。", "只有管理员可以使用这个命令。"]
    assert not bot_api.calls_to("editMessageText", -5002)
    assert "第 3/3 页" in own_edit.params["text"] and "第25项" in own_edit.params["text"]
    assert buttons_of(own_edit) == [f"pg:tasks:{justice}:1"]


async def test_remind_queues_a_poll_that_the_next_tick_sends(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.RESPONSIBLE),), TODAY + timedelta(days=90),
                                       TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock) as application:
        queued = await ask(bot_api, ADMIN_USER, f"/remind {task}", user_id=ADMIN_USER, kind="private")
        unknown = await ask(bot_api, ADMIN_USER, "/remind 99999", user_id=ADMIN_USER, kind="private")
        with session_scope(engine) as session:
            row = session.execute(select(Reminder)).scalar_one()
            assert (row.kind, row.state, row.task_id, row.unit_id) == ("poll", "pending", task, unit)
            assert row.dedupe_key.startswith(f"poll-now:t{task}:c")
        result = await build_dispatcher(settings, engine, application.bot, clock=clock).tick()
    assert "1 个聊天" in queued.params["text"]
    assert unknown.params["text"] == "没有编号为 99999 的任务。"
    assert result.messages_sent == 1
    poll = bot_api.calls_to("sendMessage", -5001)[-1]
    assert "进度询问" in poll.params["text"] and "完善复议机制" in poll.params["text"]
    assert buttons_of(poll)[0].startswith(f"st:{task}:d")  # ✅ also carries the due date it was drawn with
    assert states_of(engine, task) == ["sent"]


async def test_doc_lists_plans_and_one_plans_tasks_and_digest_answers_now(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "法治<政府>计划", [
        ("甲", ((unit, UnitRole.LEAD),), TODAY - timedelta(days=1), TaskStatus.OPEN),
        ("乙", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.DONE),
    ])
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        plans = (await ask(bot_api, ADMIN_USER, "/doc", user_id=ADMIN_USER, kind="private")).params["text"]
        with session_scope(engine) as session:
            document_id = session.execute(select(Document.id)).scalar_one()
        one = (await ask(bot_api, ADMIN_USER, f"/doc {document_id}", user_id=ADMIN_USER, kind="private"))
        missing = (await ask(bot_api, ADMIN_USER, "/doc 4242", user_id=ADMIN_USER, kind="private")).params["text"]
        digest = (await ask(bot_api, ADMIN_USER, "/digest", user_id=ADMIN_USER, kind="private")).params["text"]
    assert f"#{document_id}</b> 法治&lt;政府&gt;计划：未完成 1 / 共 2 项" in plans
    assert "甲" in one.params["text"] and "乙" in one.params["text"] and "⚪" in one.params["text"]
    assert missing == "没有编号为 4242 的计划。"
    assert "工作汇总" in digest and "已逾期 1 项" in digest and "🔴 <b>#1</b>" in digest and "/overdue" in digest
