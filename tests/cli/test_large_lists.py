"""Lists at scale: 70,000 tasks listed on PostgreSQL (and SQLite) without parameter-limit errors,
CSV / JSON / JSON Lines streamed whole, a terminal given the first page; on SQLite with a low
variable limit, every query that takes a list of task ids still answers."""
from __future__ import annotations

import csv
import io
import json
import os
import pty
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from bench.databases import load_large_plan
from store import corrections, queries
from store.db import make_engine
from store.models import Task

AS_OF = date(2026, 12, 5)
LARGE = 70_000


def test_seventy_thousand_tasks_list_in_every_format(cli, database_url):
    load_large_plan(database_url, LARGE, AS_OF, body_chars=200)
    engine = make_engine(database_url)
    try:
        overdue_count = queries.overdue_list(engine, AS_OF).count()
    finally:
        engine.dispose()
    assert 0.4 * LARGE < overdue_count < 0.45 * LARGE

    lines = cli("tasks", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == LARGE
    first = json.loads(lines[0])
    assert first["id"] == 1 and len(first["units"]) == 2 and first["deadline_phrase"]
    assert len({json.loads(line)["id"] for line in lines}) == LARGE

    rows = list(csv.reader(io.StringIO(cli("overdue", "--as-of", AS_OF.isoformat(), "--format", "csv").stdout)))
    assert rows[0][0].startswith("\ufeff") and len(rows) - 1 == overdue_count

    listed = json.loads(cli("due", "--within", "365d", "--as-of", AS_OF.isoformat(), "--format", "json").stdout)
    assert len(listed) > 0.5 * LARGE and all(task["status"] != "done" for task in listed[:1000])

    page = cli("overdue", "--as-of", AS_OF.isoformat(), "--limit", "20").stdout
    assert f"（{overdue_count} 项）" in page and f"还有 {overdue_count - 20} 条未显示" in page

    units = json.loads(cli("units", "--format", "json").stdout)
    assert sum(u["lead"] + u["responsible"] for u in units) == 2 * LARGE


def test_id_lists_stay_under_a_low_sqlite_variable_limit(tmp_path):
    url = f"sqlite:///{tmp_path / 'low-limit.sqlite3'}"
    from store.db import upgrade_database

    upgrade_database(url)
    load_large_plan(url, 3_000, AS_OF, body_chars=10)
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def low_limit(dbapi_connection, _record):
        # SQLite's historical limit: an id list bound one variable each fails past 999 of them.
        dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    engine.dispose()  # connections opened before the listener keep the default limit
    try:
        assert len(queries.tasks(engine)) == 3_000
        assert queries.overdue_list(engine, AS_OF).count() == len(queries.overdue(engine, AS_OF))
        assert sum(u.lead_count for u in queries.units(engine)) == 3_000
        with Session(engine) as session:
            ids = list(session.exec(select(Task.id)).all())
            assert corrections.extracted_titles(session, ids) == {}
            assert corrections.printed_units_and_milestones(session, ids) == ({}, {})
            assert len(corrections.set_archived(session, 1, None)) == 3_000
    finally:
        engine.dispose()


def test_a_terminal_gets_the_first_page_and_how_to_see_more(database_url, tmp_path):
    load_large_plan(database_url, 120, AS_OF, body_chars=10)
    config = tmp_path / "en.toml"
    config.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    env = {**os.environ, "DEADLINE_BOT_DATABASE_URL": database_url, "COLUMNS": "200"}

    def on_terminal(*args: str) -> str:
        controller, terminal = pty.openpty()
        with subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main()", "--config", str(config),
                               *args], stdout=terminal, stderr=subprocess.PIPE, env=env, cwd=tmp_path) as child:
            os.close(terminal)
            chunks = []
            while True:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            assert child.wait(timeout=120) == 0, child.stderr.read()
        os.close(controller)
        return b"".join(chunks).decode()

    everything = on_terminal("tasks", "--all")
    paged = on_terminal("tasks")
    assert "Tasks (120)" in paged and "70 more not shown (120 in all)" in paged
    assert "│ 50 " in paged and "│ 51 " not in paged
    assert "│ 120 " in everything and "more not shown" not in everything
    assert "│ 10 " in on_terminal("tasks", "--limit", "10")
