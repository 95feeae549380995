"""Questions and plan previews the bot waits on, on SQLite and (with DEADLINE_BOT_TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from store.db import session_scope
from store.extensions import request_extension
from store.models import Chat, PendingImport, PendingQuestion, UnitRole
from store.pending import (
    EXTENSION_DATE,
    IMPORT_TTL,
    QUESTION_TTL,
    find_question,
    remember_question,
    save_import,
    take_import,
)
from tests.scheduler.outbox_builders import add_chat, add_document, add_task, add_unit

NOW = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)
CHAT = -100_777


@pytest.fixture
def task(engine):
    """A task of one unit: (task id, unit id)."""
    unit = add_unit(engine, "省司法厅")
    return add_task(engine, add_document(engine), units=((unit, UnitRole.LEAD),)), unit


def rows(engine, model) -> int:
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def save(engine, message_id=10, *, text="一、工作要点", now=NOW, on_change="skip"):
    save_import(engine, CHAT, message_id, "plan.txt", text, "ab" * 32, on_change, 900001, now)


def test_a_question_is_found_by_its_message_in_its_chat(engine, task):
    task_id, unit = task
    remember_question(engine, CHAT, 41, EXTENSION_DATE, task_id, unit, NOW)
    found = find_question(engine, CHAT, 41, NOW + timedelta(days=1))
    assert (found.telegram_chat_id, found.message_id, found.kind, found.task_id, found.unit_id, found.asked_at) == (
        CHAT, 41, EXTENSION_DATE, task_id, unit, NOW)
    assert find_question(engine, CHAT, 42, NOW) is None
    assert find_question(engine, -1, 41, NOW) is None


def test_asking_again_under_the_same_message_replaces_the_question(engine, task):
    task_id, unit = task
    other = add_task(engine, add_document(engine), units=((unit, UnitRole.LEAD),))
    remember_question(engine, CHAT, 41, EXTENSION_DATE, task_id, unit, NOW)
    remember_question(engine, CHAT, 41, EXTENSION_DATE, other, unit, NOW + timedelta(minutes=1))
    assert find_question(engine, CHAT, 41, NOW).task_id == other
    assert rows(engine, PendingQuestion) == 1


def test_a_question_older_than_two_weeks_is_gone(engine, task):
    task_id, unit = task
    remember_question(engine, CHAT, 41, EXTENSION_DATE, task_id, unit, NOW)
    remember_question(engine, CHAT, 42, EXTENSION_DATE, task_id, unit, NOW + timedelta(days=7))
    assert find_question(engine, CHAT, 41, NOW + QUESTION_TTL - timedelta(seconds=1)) is not None
    assert find_question(engine, CHAT, 41, NOW + QUESTION_TTL + timedelta(seconds=1)) is None
    assert rows(engine, PendingQuestion) == 1  # the old one was deleted on the way; the newer one stays


def test_storing_the_request_forgets_the_question_it_answers(engine, task):
    task_id, unit = task
    chat = add_chat(engine, unit_id=unit)
    with session_scope(engine) as session:
        telegram_chat_id = session.get(Chat, chat).telegram_chat_id
    remember_question(engine, telegram_chat_id, 41, EXTENSION_DATE, task_id, unit, NOW)
    remember_question(engine, telegram_chat_id, 43, EXTENSION_DATE, task_id, unit, NOW)
    request_extension(engine, task_id, chat, unit, 502, date(2031, 7, 31), "6月底", NOW,
                      answers=(telegram_chat_id, 41))
    assert find_question(engine, telegram_chat_id, 41, NOW) is None
    assert find_question(engine, telegram_chat_id, 43, NOW) is not None


def test_a_saved_import_is_taken_once(engine):
    save(engine, text="一、工作要点\n（一）推进政务云资源整合。", on_change="replace")
    taken = take_import(engine, CHAT, 10, NOW + timedelta(hours=1))
    assert (taken.telegram_chat_id, taken.message_id, taken.source_name, taken.source_text, taken.content_sha256,
            taken.on_change, taken.created_by, taken.created_at) == (
        CHAT, 10, "plan.txt", "一、工作要点\n（一）推进政务云资源整合。", "ab" * 32, "replace", 900001, NOW)
    assert take_import(engine, CHAT, 10, NOW + timedelta(hours=1)) is None
    assert rows(engine, PendingImport) == 0


def test_an_import_is_taken_only_under_its_own_message(engine):
    save(engine)
    assert take_import(engine, CHAT, 11, NOW) is None
    assert take_import(engine, -1, 10, NOW) is None
    assert take_import(engine, CHAT, 10, NOW) is not None


def test_saving_again_under_the_same_message_replaces_the_import(engine):
    save(engine, text="第一版")
    save(engine, text="第二版", on_change="replace")
    assert rows(engine, PendingImport) == 1
    taken = take_import(engine, CHAT, 10, NOW)
    assert (taken.source_text, taken.on_change) == ("第二版", "replace")


def test_an_import_older_than_two_days_is_gone(engine):
    save(engine, message_id=10)
    save(engine, message_id=11, now=NOW + timedelta(hours=24))
    later = NOW + IMPORT_TTL + timedelta(seconds=1)
    assert take_import(engine, CHAT, 10, later) is None
    assert rows(engine, PendingImport) == 1  # the old one was deleted on the way
    assert take_import(engine, CHAT, 11, later) is not None
    save(engine, message_id=12)
    assert take_import(engine, CHAT, 12, NOW + IMPORT_TTL - timedelta(seconds=1)) is not None


def test_two_presses_at_once_take_the_import_once(engine):
    save(engine)
    start = threading.Barrier(2)

    def press():
        start.wait()
        return take_import(engine, CHAT, 10, NOW)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: press(), range(2)))
    assert sorted(r is not None for r in results) == [False, True]
