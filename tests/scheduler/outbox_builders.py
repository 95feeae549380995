"""Rows for outbox tests, written directly: a document with tasks, units, chats, planned reminders."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select

from scheduler.model import PlannedReminder, ReminderKind
from store.db import session_scope
from store.models import Chat, ChatKind, Deadline, Document, Recurrence, Reminder, Task, TaskUnit, Unit, UnitRole

_counter = itertools.count(1)


def add_document(engine: Engine, *, overrides: dict | None = None, title: str = "示例方案") -> int:
    with session_scope(engine) as session:
        n = next(_counter)
        document = Document(
            title=title, language="zh", source_name=f"plan{n}.txt", content_sha256=f"{n:064x}",
            reminder_overrides=overrides,
        )
        session.add(document)
        session.flush()
        return document.id


def add_unit(engine: Engine, name: str) -> int:
    with session_scope(engine) as session:
        unit = Unit(name=name, key=f"{name}-{next(_counter)}")
        session.add(unit)
        session.flush()
        return unit.id


def add_task(
    engine: Engine,
    document_id: int,
    *,
    title: str = "任务",
    due: date | None = date(2031, 6, 30),
    units: tuple[tuple[int, UnitRole], ...] = (),
    deadlines: tuple[tuple[str, date], ...] = (),
    recurrences: tuple[str, ...] = (),
    overrides: dict | None = None,
) -> int:
    with session_scope(engine) as session:
        seq = next(_counter)
        task = Task(document_id=document_id, seq=seq, label=str(seq), title=title, effective_due=due,
                    reminder_overrides=overrides)
        session.add(task)
        session.flush()
        for unit_id, role in units:
            session.add(TaskUnit(task_id=task.id, unit_id=unit_id, role=role))
        for phrase, d in deadlines:
            session.add(Deadline(task_id=task.id, phrase=phrase, due=d))
        for freq in recurrences:
            session.add(Recurrence(task_id=task.id, freq=freq, phrase=freq))
        return task.id


def add_chat(
    engine: Engine, *, unit_id: int | None = None, is_admin: bool = False, kind: ChatKind = ChatKind.GROUP,
    language: str = "zh-CN",
) -> int:
    with session_scope(engine) as session:
        chat = Chat(telegram_chat_id=-100_000 - next(_counter), kind=kind, unit_id=unit_id, is_admin=is_admin,
                    language=language, title="群")
        session.add(chat)
        session.flush()
        return chat.id


def planned(
    key: str,
    *,
    chat_id: int | None,
    task_id: int | None = None,
    unit_id: int | None = None,
    kind: ReminderKind = ReminderKind.REMINDER,
    send_at: datetime = datetime(2031, 6, 2, 1, 0, tzinfo=UTC),
    due_date: date | None = date(2031, 6, 30),
) -> PlannedReminder:
    return PlannedReminder(
        dedupe_key=key, kind=kind, send_at=send_at, task_id=task_id, unit_id=unit_id, chat_id=chat_id,
        due_date=due_date,
    )


WINDOW = (datetime(2031, 1, 1, tzinfo=UTC), datetime(2032, 1, 1, tzinfo=UTC))


def reminders(engine: Engine) -> list[Reminder]:
    with session_scope(engine) as session:
        return list(session.execute(select(Reminder).order_by(Reminder.id)).scalars())


def states(engine: Engine) -> dict[str, str]:
    return {r.dedupe_key: r.state.value for r in reminders(engine)}


def telegram_id(engine: Engine, chat_id: int) -> int:
    with session_scope(engine) as session:
        return session.get(Chat, chat_id).telegram_chat_id


ONE_DAY = timedelta(days=1)
