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
