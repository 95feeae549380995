"""A corrections sheet waiting under its diff message (store.pending.save_sheet / take_sheet), on
SQLite and (with DEADLINE_BOT_TEST_DATABASE_URL) PostgreSQL."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from store.pending import IMPORT_TTL, save_sheet, take_import, take_sheet

NOW = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)
CHAT = -100_778


def save(engine, message_id=20, now=NOW):
    save_sheet(engine, CHAT, message_id, "任务表.xlsx", '[["任务ID"], ["1"]]', "a" * 64, 900001, now)


def test_the_first_press_takes_the_sheet_and_a_later_one_is_told_it_was_answered(engine):
    save(engine)
    state, sheet = take_sheet(engine, CHAT, 20, NOW)
    assert state == "taken" and (sheet.source_name, sheet.cells_json, sheet.diff_sha256, sheet.created_by) == (
        "任务表.xlsx", '[["任务ID"], ["1"]]', "a" * 64, 900001)
    assert take_sheet(engine, CHAT, 20, NOW) == ("answered", None)
    assert take_sheet(engine, CHAT, 21, NOW) == ("expired", None)  # nothing ever waited there


def test_an_old_sheet_is_expired_and_the_plan_import_never_takes_a_sheet(engine):
    save(engine, message_id=20)
    save(engine, message_id=21)
    assert take_import(engine, CHAT, 21, NOW) is None  # a sheet is not a plan preview
    assert take_sheet(engine, CHAT, 20, NOW + IMPORT_TTL + timedelta(seconds=1)) == ("expired", None)
    assert take_sheet(engine, CHAT, 21, NOW + IMPORT_TTL + timedelta(seconds=1)) == ("expired", None)


def test_of_two_presses_at_once_exactly_one_takes_the_sheet(engine):
    save(engine)
    with ThreadPoolExecutor(max_workers=2) as pool:
        states = sorted(state for state, _ in pool.map(lambda _: take_sheet(engine, CHAT, 20, NOW), range(2)))
    assert states == ["answered", "taken"]
