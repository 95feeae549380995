"""Shared database fixtures for every test package (store, cli, later scheduler and bot).

Which server the tests use is decided by one environment variable:

- unset: each test gets a fresh SQLite file under its tmp_path;
- DEADLINE_BOT_TEST_DATABASE_URL=postgresql+psycopg://user@host:port/db: each test gets a
  fresh database created on that server (through an AUTOCOMMIT connection to the given
  database) and dropped afterwards, so tests never see each other's rows.

Either way the database is migrated to head before the test starts.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from store.db import make_engine, normalize_url, upgrade_database

POSTGRES_URL_VARIABLE = "DEADLINE_BOT_TEST_DATABASE_URL"


def _server_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


@pytest.fixture
def database_url(tmp_path) -> Iterator[str]:
    """URL (str, password included) of a fresh, migrated, empty database for this test only.

    Pass it to the code under test, e.g. DEADLINE_BOT_DATABASE_URL={database_url} for the command line,
    or build an engine with store.db.make_engine(database_url).
    """
    server = _server_url()
    if server is None:
        url = f"sqlite:///{tmp_path / 'deadline-bot.sqlite3'}"
        upgrade_database(url)
        yield url
        return

    admin_url = normalize_url(server)
    name = f"deadline_bot_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.set(database=name).render_as_string(hide_password=False)
        upgrade_database(url)
        yield url
    finally:
        with admin.connect() as connection:
            # FORCE: an engine the test forgot to dispose must not keep the database alive.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def engine(database_url) -> Iterator[Engine]:
    """An Engine (store.db.make_engine) on this test's fresh database; disposed after the test."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def database_backend() -> str:
    """"postgresql" when the suite runs against a server, else "sqlite"."""
    return "postgresql" if _server_url() else "sqlite"
