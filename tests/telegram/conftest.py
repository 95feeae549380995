"""Fixtures for the Telegram tests: the local Bot API server, settings pointing at it, a bot
running long polling against it in the test's event loop, and rows to talk about."""
from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine
from telegram.ext import Application

from bot.app import build_application
from bot.config import DeliverySettings, Settings
from extract.unitnames import unit_key
from scheduler.ratelimit import RateLimits
from store.db import session_scope
from store.models import Deadline, Document, Task, TaskUnit, Unit, UnitRole
from tests.scheduler.recording import FakeClock
from tests.telegram.bot_api_server import BotApiServer

ADMIN_USER = 900001
# Monday 2026-06-01, 09:30 in Shanghai: a working day, inside working hours.
MONDAY_MORNING = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def timedelta_time_periods(monkeypatch) -> None:
    """PTB 23's behaviour (time periods as timedelta), which the notifier handles, without 22's warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def bot_api() -> BotApiServer:
    with BotApiServer() as server:
        yield server
    assert not server.errors, f"the Bot API test server failed: {server.errors!r}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY_MORNING)


# The local server has no flood control: the scenarios send a few messages per chat in quick
# succession, and Telegram's one-per-second would only make them wait. The shared limiter keeps
# the real limits in test_e2e_rate_limit.py, which uses TELEGRAMS_LIMITS.
TELEGRAMS_LIMITS = RateLimits()
SCENARIO_LIMITS = RateLimits(overall_per_second=100, per_chat_per_second=50, per_group_per_minute=1000)


@pytest.fixture
def settings(bot_api, database_url) -> Settings:
    return Settings(database_url=database_url, telegram_token=bot_api.token, telegram_base_url=bot_api.base_url,
                    telegram_base_file_url=bot_api.base_file_url, admin_user_ids=(ADMIN_USER,),
                    delivery=DeliverySettings(limits=SCENARIO_LIMITS))


@asynccontextmanager
async def running_bot(settings: Settings, engine: Engine, clock: Callable[[], datetime]) -> AsyncIterator[Application]:
    """The application polling the local server, reminders not started (tests tick by hand)."""
    application = build_application(settings, engine, start_reminders=False, clock=clock)
    async with application:
        await application.start()
        await application.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


async def eventually(condition: Callable[[], object], timeout: float = 20.0, what: str = "condition"):
    """Poll until condition() is truthy; its value, or fail after timeout seconds.

    The wait ends as soon as the condition holds, so a generous timeout costs nothing on a pass;
    5 s failed on a 2-core machine shared with other test runs (an import and extraction in chat).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def add_unit(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        unit = Unit(name=name, key=unit_key(name))
        session.add(unit)
        session.flush()
        return unit.id


def add_task(engine: Engine, *, title: str, units: tuple[tuple[int, UnitRole], ...], due: date = date(2026, 6, 8),
             phrase: str | None = "6月8日前完成", plan_title: str = "2026年法治政府建设工作要点") -> int:
    with session_scope(engine) as session:
        n = next(_counter)
        document = Document(title=plan_title, language="zh", source_name=f"plan{n}.txt",
                            content_sha256=f"{n:064x}")
        session.add(document)
        session.flush()
        task = Task(document_id=document.id, seq=1, label="（一）", title=title, effective_due=due)
        session.add(task)
        session.flush()
        for unit_id, role in units:
            session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role))
        if phrase:
            session.add(Deadline(task_id=task.id, phrase=phrase, due=due))
        return task.id
