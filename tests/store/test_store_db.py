"""Engine setup, sessions and migrations on SQLite and (in CI) PostgreSQL."""
from __future__ import annotations

from pathlib import Path

from datetime import date

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.script import ScriptDirectory
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel, select

import store.db as store_db
from store.db import newest_revision
from store.db import alembic_config, check_database, make_engine, normalize_url, session_scope, upgrade_database
from store.errors import DatabaseUnavailable
from store.models import Document, Task, TaskStatus


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(Task(document_id=999, seq=1, label="1", title="无主任务"))


def test_plain_postgresql_url_uses_psycopg():
    assert normalize_url("postgresql://bot@db.example/deadlines").drivername == "postgresql+psycopg"
    assert normalize_url("postgresql+psycopg://bot@db.example/deadlines").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.sqlite3").drivername == "sqlite"


def test_unreachable_database_error_hides_password():
    # Port 1 on localhost refuses connections at once.
    engine = make_engine("postgresql://bot:s3cret-pw@127.0.0.1:1/deadlines")
    with pytest.raises(DatabaseUnavailable) as caught:
        check_database(engine)
    assert "s3cret-pw" not in str(caught.value)
    assert "127.0.0.1:1/deadlines" in str(caught.value)
    with pytest.raises(DatabaseUnavailable) as caught:
        upgrade_database(engine)
    assert "s3cret-pw" not in str(caught.value)


def test_migrations_match_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_twice_is_harmless(engine):
    scripts = ScriptDirectory.from_config(alembic_config())
    upgrade_database(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == \
            scripts.get_current_head()
    # One line of migrations, numbered 0001, 0002, … with no branches.
    revisions = [script.revision for script in scripts.walk_revisions()]
    assert sorted(revisions) == [f"{n:04d}" for n in range(1, len(revisions) + 1)]


def test_session_scope_commits_on_success_and_rolls_back_on_error(engine):
    def document(sha: str) -> Document:
        return Document(title="t", language="zh", source_name="a.txt", content_sha256=sha, issued_on=date(2031, 1, 1))

    with session_scope(engine) as session:
        session.add(document("a" * 64))
    with pytest.raises(RuntimeError):
        with session_scope(engine) as session:
            session.add(document("b" * 64))
            session.flush()
            raise RuntimeError("boom")
    with session_scope(engine) as session:
        assert [d.content_sha256[0] for d in session.exec(select(Document)).all()] == ["a"]


def test_status_is_stored_as_plain_text_and_read_back_as_enum(engine):
    with session_scope(engine) as session:
        document = Document(title="t", language="zh", source_name="a.txt", content_sha256="c" * 64)
        session.add(document)
        session.flush()
        session.add(Task(document_id=document.id, seq=1, label="1", title="任务", status=TaskStatus.BLOCKED))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT status FROM task")).scalar() == "blocked"
    with session_scope(engine) as session:
        assert session.exec(select(Task)).one().status is TaskStatus.BLOCKED


def test_failed_sqlite_migration_leaves_the_schema_untouched(tmp_path, monkeypatch):
    from alembic.operations import Operations

    def failing_create_index(self, *args, **kwargs):
        raise RuntimeError("simulated failure after the first CREATE TABLE")

    monkeypatch.setattr(Operations, "create_index", failing_create_index)
    engine = make_engine(f"sqlite:///{tmp_path / 'half.sqlite3'}")

    with pytest.raises(RuntimeError, match="simulated"):
        upgrade_database(engine)

    assert sa.inspect(engine).get_table_names() == []
    with engine.connect() as connection:  # the pooled connection got its foreign keys back
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_each_migration_file_is_named_after_its_revision_so_the_quick_head_check_holds():
    # store.db.newest_revision reads the head from the file names; Alembic reads it from the scripts.
    scripts = ScriptDirectory.from_config(alembic_config())
    for script in scripts.walk_revisions():
        assert Path(script.path).name.startswith(f"{script.revision}_")
    assert newest_revision() == scripts.get_current_head()


def test_the_quick_head_check_says_no_for_a_store_one_migration_behind(engine):
    upgrade_database(engine)
    with engine.connect() as connection:
        assert store_db.is_at_head(connection)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"),
                           {"v": f"{int(newest_revision()) - 1:04d}"})
    with engine.connect() as connection:
        assert not store_db.is_at_head(connection)
