"""The database goes away under a running bot and comes back: every chat hears a short line while it
is gone, and normal answers afterwards, without a restart.

SQLite: the file is moved away and a directory put in its place (nothing can open it), then put
back; the pool is emptied when it breaks, as a lost mount or a closed server drops connections.
PostgreSQL: a private server (`.ci/start-postgres`) is stopped with `pg_ctl stop` and started again.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from glob import glob
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from store import chats
from store.db import make_engine, session_scope, upgrade_database
from store.models import StatusReport, TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_admins, bind_unit

UNAVAILABLE = "暂时无法访问数据库，请稍后再试。"
REPOSITORY = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(*args: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else list(args)


class SqliteOutage:
    def __init__(self, url: str, engine) -> None:
        self.path = Path(make_url(url).database)
        self.engine = engine
        self.moved = self.path.with_name(self.path.name + ".away")

    def stop(self) -> None:
        self.engine.dispose()
        self.path.rename(self.moved)
        self.path.mkdir()  # sqlite3 cannot open a directory: "unable to open database file"

    def start(self) -> None:
        self.path.rmdir()
        self.moved.rename(self.path)


class PostgresOutage:
    """A throw-away server of this test's own: stopping the suite's server would stop every test's database."""

    def __init__(self) -> None:
        bins = sorted(glob("/usr/lib/postgresql/*/bin"))
        if not bins or not (REPOSITORY / ".ci" / "start-postgres").exists():
            pytest.skip("no PostgreSQL server binaries")
        self.pg_ctl = f"{bins[-1]}/pg_ctl"
        self.data = f"/tmp/deadline-bot-outage-{uuid.uuid4().hex[:8]}"
        self.port = _free_port()

    def start(self) -> str:
        done = subprocess.run([str(REPOSITORY / ".ci" / "start-postgres"), self.data, str(self.port)],
                              capture_output=True, text=True, check=True, timeout=120)
        return done.stdout.strip().splitlines()[-1]

    def stop(self) -> None:
        subprocess.run(_as_postgres(self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop"), check=True,
                       capture_output=True, timeout=60)

    def remove(self) -> None:
        subprocess.run(_as_postgres(self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop"),
                       capture_output=True, timeout=60)
        shutil.rmtree(self.data, ignore_errors=True)


@contextmanager
def outage_database(database_backend: str, database_url: str) -> Iterator[tuple[str, object]]:
    """(url, outage) with .stop() and .start(): the suite's SQLite file, or a private PostgreSQL server."""
    if database_backend == "sqlite":
        engine = make_engine(database_url)
        try:
            yield engine, SqliteOutage(database_url, engine)
        finally:
            engine.dispose()
        return
    server = PostgresOutage()
    try:
        url = server.start()
        upgrade_database(url)
        engine = make_engine(url)
        try:
            yield engine, server
        finally:
            engine.dispose()
    finally:
        server.remove()


async def test_every_chat_hears_the_database_is_away_then_normal_answers_without_a_restart(
        bot_api, settings, database_url, database_backend, clock):
    with outage_database(database_backend, database_url) as (engine, outage):
        unit = add_unit(engine, "省司法厅")
        (task,) = add_plan(engine, "计划", [("完善复议机制", ((unit, UnitRole.LEAD),), TODAY - timedelta(days=1),
                                               TaskStatus.OPEN)])
        bind_unit(engine, clock, "省司法厅", -5001)
        bind_admins(engine, clock)
        bind_unit(engine, clock, "省司法厅", -5002)
        chats.set_chat_language(engine, chats.chat_by_telegram_id(engine, -5002).id, "en")
        settings = dataclasses.replace(settings, database_url=str(engine.url))
        async with running_bot(settings, engine, clock):
            before = await ask(bot_api, -5001, "/tasks")
            assert "完善复议机制" in before.params["text"]
            under = bot_api.add_message(-5001, "x", user_id=501, chat_kind="group")["message"]
            await ask(bot_api, -5002, "/tasks")  # an English chat, heard from before the outage

            outage.stop()
            away = {}
            for chat_id, text, kind in ((-5001, "/tasks", "group"), (ADMIN_USER, "/overdue", "private"),
                                        (-5001, f"/task {task}", "group"), (ADMIN_USER, "/upcoming", "private"),
                                        (777, "/help", "private")):
                away[text] = await ask(bot_api, chat_id, text, user_id=ADMIN_USER if chat_id == ADMIN_USER else 501,
                                       kind=kind)
            english = await ask(bot_api, -5002, "/tasks")
            bot_api.add_callback(-5001, under["message_id"], f"st:{task}:p", user_id=501)
            tap = (await eventually(lambda: bot_api.calls_to("answerCallbackQuery"), what="the tap answered"))[0]

            outage.start()
            after = await ask(bot_api, -5001, "/tasks")
            overdue = await ask(bot_api, ADMIN_USER, "/overdue", user_id=ADMIN_USER, kind="private")
            bot_api.add_callback(-5001, under["message_id"], f"st:{task}:p", user_id=501)
            await eventually(lambda: len(bot_api.calls_to("answerCallbackQuery")) >= 2, what="the second tap")

        for text, answer in away.items():
            assert answer.params["text"] == UNAVAILABLE, text
        assert english.params["text"] == "The database cannot be reached right now; please try again later."
        assert tap.params["text"] == UNAVAILABLE and tap.params["show_alert"] is True
        assert after.params["text"] == before.params["text"]
        assert "完善复议机制" in overdue.params["text"]
        with session_scope(engine) as session:  # the tap during the outage recorded nothing; the later one did
            reports = session.execute(select(StatusReport.status)).scalars().all()
        assert reports == [TaskStatus.IN_PROGRESS]
