"""Say what will happen: /remind outside working hours says when the poll goes; /status takes the
buttons' Chinese words; a failed /export tells the administrator one line and logs once."""
from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from store.db import session_scope
from store.models import HolidayNotice, HolidayNoticeDay, StatusReport, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_admins, bind_unit

UNIT_GROUP = -5301


async def test_remind_outside_working_hours_says_when_the_poll_goes(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=90),
                                       TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", UNIT_GROUP)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        during = await ask(bot_api, ADMIN_USER, f"/remind {task}", user_id=ADMIN_USER, kind="private")
        # Friday 2026-06-05, 19:30 in Shanghai: the poll waits for Monday morning.
        clock.now = datetime(2026, 6, 5, 11, 30, tzinfo=UTC)
        friday = await ask(bot_api, ADMIN_USER, f"/remind {task}", user_id=ADMIN_USER, kind="private")
    assert "将在下一次发送时发出" in during.params["text"]
    assert "将于 6月8日（周一）09:00 发出" in friday.params["text"], friday.params["text"]


async def test_remind_on_an_official_day_off_counts_the_stored_calendar(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=90),
                                       TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", UNIT_GROUP)
    bind_admins(engine, clock)
    with session_scope(engine) as session:  # an imported notice: Monday 8 June is a day off this year
        notice = HolidayNotice(year=2026, title="放假安排", source_name="notice.txt", content_sha256="a" * 64)
        session.add(notice)
        session.flush()
        session.add(HolidayNoticeDay(notice_id=notice.id, day=date(2026, 6, 8), working=False, festival="端午节"))
    clock.now = datetime(2026, 6, 5, 11, 30, tzinfo=UTC)
    async with running_bot(settings, engine, clock):
        answer = await ask(bot_api, ADMIN_USER, f"/remind {task}", user_id=ADMIN_USER, kind="private")
    assert "将于 6月9日（周二）09:00 发出" in answer.params["text"], answer.params["text"]


async def test_status_takes_the_buttons_chinese_words(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    first, second = add_plan(engine, "计划", [
        ("甲", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=30), TaskStatus.OPEN),
        ("乙", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=30), TaskStatus.OPEN),
    ])
    bind_unit(engine, clock, "省司法厅", UNIT_GROUP)
    async with running_bot(settings, engine, clock):
        await ask(bot_api, UNIT_GROUP, f"/status {first} 推进中 初稿已成", user_id=502)
        await ask(bot_api, UNIT_GROUP, f"/status {second} 有困难", user_id=502)
        usage = await ask(bot_api, UNIT_GROUP, f"/status {second} 差不多", user_id=502)
    with session_scope(engine) as session:
        reports = [(r.task_id, r.status, r.note) for r in
                   session.execute(select(StatusReport).order_by(StatusReport.id)).scalars()]
    assert reports == [(first, "in_progress", "初稿已成"), (second, "blocked", "")]
    assert "已完成|推进中|有困难" in usage.params["text"]


async def test_a_failed_export_tells_the_administrator_once_and_logs_once(bot_api, settings, engine, clock, caplog):
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "计划", [("甲", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=30), TaskStatus.OPEN)])
    bind_admins(engine, clock)
    caplog.set_level(logging.WARNING)
    async with running_bot(settings, engine, clock):
        bot_api.fail(ADMIN_USER, 502, "Bad Gateway", times=1)  # the upload fails, the answer after it does not
        answer = await ask(bot_api, ADMIN_USER, "/export", user_id=ADMIN_USER, kind="private")
        await eventually(lambda: bot_api.calls_to("sendDocument", ADMIN_USER), what="the upload tried")
    assert answer.params["text"] == "导出未能发送（网络或 Telegram 出错），请稍后再试 /export。"
    assert len(bot_api.calls_to("sendMessage", ADMIN_USER)) == 1  # one line, not a second generic one
    logged = [r for r in caplog.records if r.levelno >= logging.WARNING and "Bad Gateway" in r.getMessage()]
    assert len(logged) == 1 and logged[0].name == "bot.exports"
    assert not [r for r in caplog.records if "could not handle update" in r.getMessage()]
