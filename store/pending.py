"""What the bot waits for in a chat, kept in the database so a restart forgets nothing: questions
asked with ForceReply ("which date do you propose?") and plan files previewed under ✅ / 🔁 / ❌.

Both are keyed by the bot's message (chat id, message id): a reply to that message, or a press
under it, finds the row. Like store.chats, every function takes an Engine, runs one short
transaction and returns frozen dataclasses. Old rows count as gone: a question after
QUESTION_TTL, a preview after IMPORT_TTL; they are deleted whenever the table is looked at.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, select, update

from store.db import dialect_insert
from store.models import PendingImport, PendingQuestion

# The kinds of question; a reply is only read as the answer its kind expects.
EXTENSION_DATE = "extension_date"
SEND_BACK_REASON = "send_back_reason"  # why the office sends a task awaiting 销号 back (bot.completion_commands)

# A unit may answer a question days later (a weekend, a holiday week); a plan preview is checked
# the same day, and after two days the file on the administrator's desk may well have changed.
QUESTION_TTL = timedelta(days=14)
IMPORT_TTL = timedelta(hours=48)

QuestionKey = tuple[int, int]  # (telegram chat id, message id of the question)


@dataclass(frozen=True)
class OpenQuestion:
    telegram_chat_id: int
    message_id: int
    kind: str
    task_id: int
    unit_id: int | None
    asked_at: datetime


@dataclass(frozen=True)
class WaitingImport:
    """A previewed plan file: its decoded text, to be extracted again on confirmation."""

    telegram_chat_id: int
    message_id: int
    source_name: str
    source_text: str
    content_sha256: str
    on_change: str  # "skip" for a new plan, "replace" for a new version of a stored one
    created_by: int | None
    created_at: datetime


# --- questions ------------------------------------------------------------------------------


def remember_question(engine: Engine, telegram_chat_id: int, message_id: int, kind: str, task_id: int,
                      unit_id: int | None, now: datetime) -> None:
    """Keep the question the bot just sent; a row already under this message is replaced."""
    row = dict(telegram_chat_id=telegram_chat_id, message_id=message_id, kind=kind, task_id=task_id,
               unit_id=unit_id, asked_at=now)
    with engine.begin() as conn:
        conn.execute(_upsert(conn, PendingQuestion, row))


def find_question(engine: Engine, telegram_chat_id: int, message_id: int, now: datetime) -> OpenQuestion | None:
    """The open question sent as this message, or None (never asked, answered, or too old)."""
    with engine.begin() as conn:
        conn.execute(delete(PendingQuestion).where(PendingQuestion.asked_at < now - QUESTION_TTL))
        row = conn.execute(
            select(PendingQuestion.telegram_chat_id, PendingQuestion.message_id, PendingQuestion.kind,
                   PendingQuestion.task_id, PendingQuestion.unit_id, PendingQuestion.asked_at)
            .where(PendingQuestion.telegram_chat_id == telegram_chat_id, PendingQuestion.message_id == message_id)
        ).first()
    return OpenQuestion(*row) if row is not None else None


def forget_question_in(conn: Connection, question: QuestionKey) -> None:
    """Inside the caller's transaction: the question is answered (see store.extensions.request_extension)."""
    telegram_chat_id, message_id = question
    conn.execute(delete(PendingQuestion).where(PendingQuestion.telegram_chat_id == telegram_chat_id,
                                               PendingQuestion.message_id == message_id))


# --- plan previews --------------------------------------------------------------------------


def save_import(engine: Engine, telegram_chat_id: int, message_id: int, source_name: str, source_text: str,
                content_sha256: str, on_change: str, created_by: int | None, now: datetime) -> None:
    """Keep a previewed plan under its summary message; a row already under it is replaced."""
    row = dict(telegram_chat_id=telegram_chat_id, message_id=message_id, source_name=source_name,
               source_text=source_text, content_sha256=content_sha256, on_change=on_change,
               created_by=created_by, created_at=now)
    with engine.begin() as conn:
        conn.execute(_upsert(conn, PendingImport, row))


def take_import(engine: Engine, telegram_chat_id: int, message_id: int, now: datetime) -> WaitingImport | None:
    """Remove and return the plan waiting under this summary, or None (taken already, or too old).

    DELETE ... RETURNING is the claim: of two presses of ✅, only one gets the row back.
    """
    with engine.begin() as conn:
        conn.execute(delete(PendingImport).where(PendingImport.created_at < now - IMPORT_TTL))
        row = conn.execute(
            delete(PendingImport)
            .where(PendingImport.telegram_chat_id == telegram_chat_id, PendingImport.message_id == message_id,
                   PendingImport.on_change.in_(("skip", "replace")))
            .returning(PendingImport.telegram_chat_id, PendingImport.message_id, PendingImport.source_name,
                       PendingImport.source_text, PendingImport.content_sha256, PendingImport.on_change,
                       PendingImport.created_by, PendingImport.created_at)
        ).first()
    return WaitingImport(*row) if row is not None else None


# --- corrections sheets (bot.chatsheet_commands) ------------------------------------------------
# An edited corrections sheet waits in the same table as a plan preview, told apart by its
# on_change: its cells as JSON in source_text and the fingerprint of the diff shown in
# content_sha256. An answered sheet stays as a tombstone until IMPORT_TTL, so a second press
# is told "already answered" rather than "expired".
SHEET = "sheet"
SHEET_ANSWERED = "sheet:answered"


@dataclass(frozen=True)
class WaitingSheet:
    telegram_chat_id: int
    message_id: int
    source_name: str
    cells_json: str
    diff_sha256: str
    created_by: int | None
    created_at: datetime


def save_sheet(engine: Engine, telegram_chat_id: int, message_id: int, source_name: str, cells_json: str,
               diff_sha256: str, created_by: int | None, now: datetime) -> None:
    """Keep a previewed corrections sheet under its diff message."""
    row = dict(telegram_chat_id=telegram_chat_id, message_id=message_id, source_name=source_name[:500],
               source_text=cells_json, content_sha256=diff_sha256, on_change=SHEET, created_by=created_by,
               created_at=now)
    with engine.begin() as conn:
        conn.execute(_upsert(conn, PendingImport, row))


def take_sheet(engine: Engine, telegram_chat_id: int, message_id: int, now: datetime
               ) -> tuple[str, WaitingSheet | None]:
    """("taken", the sheet) for the first press under its message; ("answered", None) for any later
    one; ("expired", None) when nothing (or nothing younger than IMPORT_TTL) waits there.

    The UPDATE ... RETURNING that turns the row into a tombstone is the claim: of two presses, one wins.
    """
    where = (PendingImport.telegram_chat_id == telegram_chat_id, PendingImport.message_id == message_id)
    with engine.begin() as conn:
        conn.execute(delete(PendingImport).where(PendingImport.created_at < now - IMPORT_TTL))
        row = conn.execute(
            update(PendingImport).where(*where, PendingImport.on_change == SHEET).values(on_change=SHEET_ANSWERED)
            .returning(PendingImport.telegram_chat_id, PendingImport.message_id, PendingImport.source_name,
                       PendingImport.source_text, PendingImport.content_sha256, PendingImport.created_by,
                       PendingImport.created_at)
        ).first()
        if row is not None:
            return "taken", WaitingSheet(*row)
        answered = conn.execute(select(PendingImport.id).where(*where, PendingImport.on_change == SHEET_ANSWERED)
                                ).first()
    return ("answered" if answered is not None else "expired"), None


def _upsert(conn: Connection, model, row: dict):
    # A second question under the same message id (a chat that migrated, a re-sent preview)
    # replaces the first instead of failing on the unique (chat, message).
    statement = dialect_insert(conn, model.__table__).values(**row)
    return statement.on_conflict_do_update(
        index_elements=["telegram_chat_id", "message_id"],
        set_={name: statement.excluded[name] for name in row if name not in ("telegram_chat_id", "message_id")},
    )
