"""Scratch databases for one benchmark run: a SQLite file in a temp dir, or a database created on
the given PostgreSQL server (through an AUTOCOMMIT connection) and dropped afterwards."""
from __future__ import annotations

import argparse
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from store.db import make_engine, normalize_url

POSTGRES_URL_VARIABLE = "DEADLINE_BOT_BENCH_POSTGRES_URL"


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" | "postgresql"
    server_url: str | None  # the PostgreSQL server to create scratch databases on


def add_backend_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL even if a URL is known")
    parser.add_argument("--postgres-url", default=os.environ.get(POSTGRES_URL_VARIABLE) or None,
                        help=f"a PostgreSQL server to benchmark too (default: ${POSTGRES_URL_VARIABLE})")


def backends_from(options: argparse.Namespace) -> list[Backend]:
    chosen = [Backend("sqlite", None)]
    if options.postgres_url and not options.sqlite_only:
        chosen.append(Backend("postgresql", options.postgres_url))
    return chosen


@contextmanager
def scratch_database(backend: Backend, label: str) -> Iterator[str]:
    """The URL (password included) of an empty database that exists for the block only."""
    if backend.name == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"deadline-bot-{label}-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"
        return
    server = normalize_url(backend.server_url)
    name = f"deadline_bot_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def server_version(url: str) -> str:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                return "SQLite " + connection.exec_driver_sql("select sqlite_version()").scalar()
            return connection.exec_driver_sql("show server_version").scalar().split()[0].join(("PostgreSQL ", ""))
    finally:
        engine.dispose()


# --- a large plan, loaded in bulk ---------------------------------------------------------------

LARGE_PLAN_UNITS = 300


def load_large_plan(url: str, tasks: int, as_of: date, body_chars: int = 2000, seed: int = 20261205) -> dict[str, int]:
    """One current plan of `tasks` tasks in a migrated, empty database, by bulk Core inserts
    (10,000 rows a statement batch): 44% overdue as of `as_of` (as in issue 12's measurement),
    the rest due within a year, 5% done; each task a body of body_chars characters (which no
    listing prints), two units (lead, responsible) of 300 and one dated milestone. Returns row counts."""
    import random

    from sqlalchemy import insert

    from store.models import Deadline, Document, Task, TaskUnit, Unit, UnitAlias

    rng = random.Random(seed)
    engine = make_engine(url)
    body = ("为进一步推进相关工作落实，" * (body_chars // 13 + 1))[:body_chars]
    try:
        with engine.begin() as conn:
            conn.execute(insert(Document), [{
                "id": 1, "title": "大规模基准方案", "language": "zh", "source_name": "large.txt",
                "content_sha256": "1" * 64, "period_end": date(as_of.year + 1, 12, 31),
                "imported_at": datetime(as_of.year, 1, 1, tzinfo=UTC)}])
            conn.execute(insert(Unit), [{"id": u, "name": f"省第{u}厅", "key": f"省第{u}厅", "kind": "single"}
                                        for u in range(1, LARGE_PLAN_UNITS + 1)])
            conn.execute(insert(UnitAlias), [{"unit_id": u, "alias": f"第{u}厅", "key": f"第{u}厅"}
                                             for u in range(1, LARGE_PLAN_UNITS + 1, 10)])
            for start in range(1, tasks + 1, 10_000):
                ids = range(start, min(start + 10_000, tasks + 1))
                dues = {t: as_of + timedelta(days=rng.randint(-365, -1) if rng.random() < 0.44 else rng.randint(0, 365))
                        for t in ids}
                conn.execute(insert(Task), [{
                    "id": t, "document_id": 1, "seq": t, "label": f"{t}.", "title": f"推进第{t}项重点工作",
                    "body": body, "status": "done" if rng.random() < 0.05 else "open", "effective_due": dues[t],
                    "due_source": "explicit"} for t in ids])
                conn.execute(insert(TaskUnit), [
                    {"task_id": t, "unit_id": unit, "role": role}
                    for t in ids
                    for unit, role in zip(rng.sample(range(1, LARGE_PLAN_UNITS + 1), 2), ("lead", "responsible"))])
                conn.execute(insert(Deadline), [{"task_id": t, "phrase": f"{dues[t].year}年{dues[t].month}月底前",
                                                 "due": dues[t], "quote": ""} for t in ids])
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return {"task": tasks, "task_unit": 2 * tasks, "deadline": tasks, "unit": LARGE_PLAN_UNITS}
