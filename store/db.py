"""Engines, sessions and schema migrations.

SQLite (a single file) is the default; PostgreSQL is used through psycopg 3 when a
deployment outgrows one file. Everything above this module gets an Engine from
`make_engine` and never builds one itself, so the SQLite pragmas are always in force.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, Insert, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlmodel import Session

if TYPE_CHECKING:
    from alembic.config import Config

from store.defaults import DEFAULT_DATABASE_URL, MAX_ROW_ID
from store.errors import DatabaseUnavailable, redacted_url

__all__ = [
    "DEFAULT_DATABASE_URL",
    "Engine",  # the handle the layers above pass around, so they need not import sqlalchemy
    "MAX_ROW_ID",
    "check_database",
    "dialect_insert",
    "insert_ignoring_duplicates",
    "make_engine",
    "normalize_url",
    "redacted_url",
    "session_scope",
    "upgrade_database",
]

# The bot, the scheduler and several CLI runs may write at the same moment; wait for the lock
# instead of failing with "database is locked". An import with its re-planning can hold the
# write lock for several seconds on a busy machine, so the wait is generous.
SQLITE_BUSY_TIMEOUT_MS = 60_000

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def normalize_url(url: str | URL) -> URL:
    """The URL with a driver SQLAlchemy will use: plain postgresql:// means psycopg 3."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUnavailable(str(url), "not a database URL") from error
    # Without this, "postgresql://" would pick psycopg2, which is not installed.
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL = DEFAULT_DATABASE_URL) -> Engine:
    """An Engine for a SQLite file (WAL, foreign keys on) or a PostgreSQL server."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "sqlite":
        # The driver's own timeout covers the first statements of a connection (the WAL pragma
        # needs the lock too), before busy_timeout below is set.
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    # pre_ping: a server restart must not surface as an error on the next reminder tick.
    return create_engine(parsed, pool_pre_ping=True)


def _configure_sqlite_connection(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # WAL lets readers (queries, the bot) proceed while the scheduler writes.
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        # SQLite ignores REFERENCES clauses unless told otherwise, per connection.
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def check_database(engine: Engine) -> None:
    """Raise DatabaseUnavailable unless a connection can be opened and used."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        raise DatabaseUnavailable(engine.url, _reason(error)) from error


def _reason(error: OperationalError) -> str:
    # The driver's first line says what failed (refused, unknown database, bad password)
    # without echoing the connection string.
    return str(error.orig).strip().splitlines()[0] if error.orig else "connection failed"


def dialect_insert(conn: Connection, table: Table) -> Insert:
    """An INSERT into `table` in the connection's own dialect, which can say ON CONFLICT (SQLite or PostgreSQL)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def insert_ignoring_duplicates(conn: Connection, table: Table, *key: str) -> Insert:
    """INSERT ... ON CONFLICT (key) DO NOTHING: a row whose key is stored already is left as it is."""
    return dialect_insert(conn, table).on_conflict_do_nothing(index_elements=list(key))


def alembic_config() -> Config:
    from alembic.config import Config  # only a command that migrates pays for Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_database(engine_or_url: Engine | str | URL, revision: str = "head") -> None:
    """Bring the schema up to `revision` (the newest by default); safe to run on every start.

    All steps run in one transaction: a migration that fails leaves the schema as it was,
    on SQLite too.
    """
    engine = engine_or_url if isinstance(engine_or_url, Engine) else make_engine(engine_or_url)
    try:
        with engine.connect() as connection:
            if revision == "head" and is_at_head(connection):
                # Every command starts here; one that finds nothing to do must not queue for
                # SQLite's write lock behind a running import.
                connection.rollback()
                return
            connection.rollback()
            config = alembic_config()
            if connection.dialect.name == "sqlite":
                _upgrade_sqlite(connection, config, revision)
            else:
                with connection.begin():
                    _run_upgrade(connection, config, revision)
    except OperationalError as error:
        raise DatabaseUnavailable(engine.url, _reason(error)) from error
    finally:
        if engine is not engine_or_url:
            engine.dispose()


def is_at_head(connection: Connection) -> bool:
    """Whether the store's schema is the newest."""
    # Every command asks this first. Reading Alembic's scripts costs more than most commands'
    # own work; a store whose one version is the newest file's number needs none of it.
    if _stored_versions(connection) == {newest_revision()}:
        return True
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(ScriptDirectory.from_config(alembic_config()).get_heads())


MIGRATIONS = Path(__file__).parent / "migrations" / "versions"


def newest_revision() -> str:
    """The highest-numbered migration file's revision: each file is named after its revision
    ("0015_….py" holds revision "0015", tests/store/test_store_db.py checks it), one chain."""
    return max(path.name.split("_", 1)[0] for path in MIGRATIONS.glob("[0-9]*_*.py"))


def _stored_versions(connection: Connection) -> set[str]:
    try:
        return {row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")}
    except DBAPIError:  # a new store: no table yet
        connection.rollback()
        return set()


def _run_upgrade(connection: Connection, config: Config, revision: str) -> None:
    from alembic import command

    # env.py migrates over this connection instead of building its own engine.
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _upgrade_sqlite(connection: Connection, config: Config, revision: str) -> None:
    """SQLite's own recipe for schema changes (sqlite.org/lang_altertable.html, section 7).

    Batch migrations rebuild a table by copying it and dropping the original; with foreign
    keys on, that DROP would cascade into the child rows. So: keys off (only possible
    outside a transaction), one explicit transaction (Python's sqlite3 would otherwise run
    each DDL statement on its own), a foreign_key_check before committing, keys back on.
    """
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        with connection.begin():
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            _run_upgrade(connection, config, revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows with dangling foreign keys: {broken[:5]}")
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block ends normally and rolls back when it raises."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


class InTransaction:
    """An Engine stand-in whose connect() and begin() hand out one connection already in a transaction.

    The store's functions each open their own transaction on an Engine; given this instead, they
    run inside the caller's, so a status report and the reminders it re-plans commit together or
    not at all. Only connect(), begin() and dialect are offered: nothing else is needed, and a
    function that wanted more (dispose, a second connection) would be wrong to run here.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def dialect(self):
        return self.conn.dialect

    def connect(self):
        return nullcontext(self.conn)

    def begin(self):
        return nullcontext(self.conn)
