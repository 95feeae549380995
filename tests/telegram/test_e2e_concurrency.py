"""Nobody blocks anybody, over real HTTP: a stranger's flood and an administrator's slow import leave
the other chats answered at once. Orderings are asserted, not timings: "the tap is answered
before the flood's last answer", "the unit's list before the import's summary"."""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import multiprocessing
import time
from datetime import timedelta

from app.plans import PlanReading, read_plan
from bot import imports
from scheduler.ratelimit import RateLimits
from store.models import TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_admins, bind_unit

STRANGERS = -8001
UNIT_CHAT = -5001
PLAN = "某县2027年法治政府建设工作要点\n\n一、总体\n\n1. 完善行政复议机制。（县司法局牵头）2027年6月底前完成。\n"

# Telegram's limits, but a faster per-chat pace, so the flood's answers take two seconds, not ten.
LIMITS = RateLimits(overall_per_second=25, per_chat_per_second=5, per_group_per_minute=20)


def slow_read_and_extract(data: bytes, name: str) -> PlanReading:
    """A file that costs seconds of CPU to read (run in the worker process, like the real one)."""
    until = time.monotonic() + 3
    while time.monotonic() < until:
        pass
    return read_plan(data, name)


def endless_read(data: bytes, name: str) -> PlanReading:
    while True:
        pass


async def test_a_strangers_flood_does_not_hold_up_a_units_tap(bot_api, settings, engine, clock, caplog):
    unit = add_unit(engine, "省司法厅")
    (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=3),
                                           TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", UNIT_CHAT)
    settings = dataclasses.replace(settings, delivery=dataclasses.replace(settings.delivery, limits=LIMITS))
    async with running_bot(settings, engine, clock):
        under = bot_api.add_message(UNIT_CHAT, "x", user_id=501, chat_kind="group")["message"]
        with caplog.at_level(logging.WARNING, logger="bot.updates"):
            for _ in range(25):
                bot_api.add_message(STRANGERS, "/help", user_id=666, chat_kind="group")
            bot_api.add_callback(UNIT_CHAT, under["message_id"], f"st:{task}:p", user_id=501)
            tap = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the tap"))[0]
            flood = await eventually(lambda: len(bot_api.calls_to("sendMessage", STRANGERS)) >= 10
                                     and bot_api.calls_to("sendMessage", STRANGERS), what="the flood's answers")
            await asyncio.sleep(0.3)  # the updates beyond the limit were dropped on arrival: nothing more comes
    tapped = next(c.at for c in bot_api.calls if c.method == "getUpdates" and c.result
                  and any("callback_query" in u for u in c.result))
    print(f"\nflood: tap answered {tap.at - tapped:.2f} s after it was fetched; the flood's 10th answer "
          f"{flood[-1].at - tapped:.2f} s after")
    assert tap.params["text"] == "已记录：推进中"
    assert tap.at < flood[-1].at  # answered while the stranger's answers were still going out
    assert len(bot_api.calls_to("sendMessage", STRANGERS)) == 10  # 25 sent, 10 a minute answered
    assert len([r for r in caplog.records if str(STRANGERS) in r.getMessage()]) == 1  # logged once


async def test_an_administrators_slow_import_does_not_freeze_other_chats(bot_api, settings, engine, clock,
                                                                        monkeypatch):
    monkeypatch.setattr(imports, "READ_AND_EXTRACT", slow_read_and_extract)
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", UNIT_CHAT)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        bot_api.add_document(ADMIN_USER, PLAN.encode(), "慢文件.txt", user_id=ADMIN_USER)
        await eventually(lambda: bot_api.calls_to("downloadFile"), what="the download")
        listed = await ask(bot_api, UNIT_CHAT, "/tasks")
        summary = (await eventually(lambda: [c for c in bot_api.calls_to("sendMessage", ADMIN_USER)
                                             if "导入预览" in c.params["text"]], timeout=30, what="the summary"))[0]
    fetched = bot_api.calls_to("downloadFile")[0].at
    print(f"\nslow import: /tasks answered {listed.at - fetched:.2f} s after the file was downloaded, "
          f"the summary {summary.at - fetched:.2f} s after")
    assert "完善复议机制" in listed.params["text"]
    assert listed.at < summary.at
    assert "任务 1 项" in summary.params["text"]


async def test_a_file_that_reads_for_ever_is_stopped_with_one_line(bot_api, settings, engine, clock, monkeypatch):
    monkeypatch.setattr(imports, "READ_AND_EXTRACT", endless_read)
    monkeypatch.setattr(imports, "EXTRACTION_SECONDS", 1.0)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        bot_api.add_document(ADMIN_USER, PLAN.encode(), "无底洞.html", user_id=ADMIN_USER)
        answer = (await eventually(lambda: bot_api.calls_to("sendMessage", ADMIN_USER), timeout=30,
                                   what="the answer"))[0]
    assert answer.params["text"] == "无法读取这个文件：无底洞.html：读取超过 1 秒，已停止"
    assert not multiprocessing.active_children()
