"""The tables: one SQLModel class per record in DESIGN.md that the current features need.

Enumerated values (task status, unit role, where a due date came from) are stored as plain
strings, not database enums, so the schema is the same on SQLite and PostgreSQL and adding a
value never needs an ALTER TYPE.

There are deliberately no ORM relationships: ingest and the queries load what they need with
explicit selects, which keeps the number of round trips visible.
"""
# No `from __future__ import annotations`: SQLModel reads the field annotations at class creation.
import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

# The shared words live in vocabulary; importing them here keeps store.models.TaskStatus & co. working.
from vocabulary import CLOSED_STATUSES, REPORTABLE_STATUSES, ReminderKind, TaskStatus, UnitRole  # noqa: F401

# Deterministic constraint names, so later migrations (and SQLite batch mode, which
# recreates tables) can refer to constraints by name on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Room for every TaskStatus value (migration 0014 widened the columns from 20).
STATUS_CHARS = 32


class DueSource(enum.StrEnum):
    EXPLICIT = "explicit"  # the earliest open (not yet met) dated deadline printed in the task
    PERIOD_END = "period_end"  # no deadline printed: the plan's period end
    ADMIN = "admin"  # set by an administrator; a re-import never overwrites it


class UnitKind(enum.StrEnum):
    SINGLE = "single"
    COLLECTIVE = "collective"  # "各市州政府": a group of bodies, not one liaison


class EnumAsText(TypeDecorator):
    """A str enum stored as its value in a VARCHAR column and read back as the enum."""

    impl = sa.String
    cache_ok = True

    def __init__(self, enum_class: type[enum.StrEnum], length: int = 20) -> None:
        super().__init__(length=length)
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        # Validate on the way in: a typo in a status must fail here, not sit in the table.
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


class UtcDateTime(TypeDecorator):
    """An instant stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, PostgreSQL does; this makes both hand back the same aware value.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: instants must carry a time zone")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Document(SQLModel, table=True):
    """One imported version of a plan. A re-import with replace supersedes it."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    title: str | None = Field(default=None, max_length=500)
    issuer: str | None = Field(default=None, max_length=300)
    doc_number: str | None = Field(default=None, max_length=100)
    issued_on: date | None = None
    period_end: date | None = None
    language: str = Field(max_length=8)
    source_name: str = Field(max_length=500)
    content_sha256: str = Field(max_length=64, unique=True)
    imported_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    # Set when a newer version replaced this one; NULL means this version is the active one.
    superseded_by_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    superseded_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A partial reminder policy (keys of the [reminders] config table) for every task of this plan.
    reminder_overrides: dict | None = Field(default=None, sa_type=sa.JSON)
    # The day the plan came in as history (its period had ended, or its tasks were long overdue):
    # no overdue notice for a due date before it, no polls. NULL: a current plan.
    history_since: date | None = None
    # Set when an administrator archived the plan: none of its tasks is reminded any more.
    archived_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Unit(SQLModel, table=True):
    """A responsible body, one row across all documents."""

    __tablename__ = "unit"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)  # the canonical name, as first printed
    key: str = Field(max_length=300, unique=True)  # extract.unitnames.unit_key(name)
    kind: UnitKind = Field(default=UnitKind.SINGLE, sa_type=EnumAsText(UnitKind, 16))
    # Nothing is sent to the unit before this local date (an administrator's snooze).
    snoozed_until: date | None = None
    # Whom the supervising office calls when the chat stays silent; set by an administrator.
    contact_person: str | None = Field(default=None, max_length=100)
    contact_phone: str | None = Field(default=None, max_length=40)


class UnitAlias(SQLModel, table=True):
    """Another name the unit answers to, e.g. "省大数据管理局" for "省政府办公厅（省大数据管理局）"."""

    __tablename__ = "unit_alias"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", index=True)
    alias: str = Field(max_length=300)
    key: str = Field(max_length=300, unique=True)


class Task(SQLModel, table=True):
    __tablename__ = "task"
    __table_args__ = (sa.UniqueConstraint("document_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    seq: int
    label: str = Field(max_length=40)
    section: str | None = Field(default=None, max_length=40)
    title: str = Field(sa_type=sa.Text)
    body: str = Field(default="", sa_type=sa.Text)
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=EnumAsText(TaskStatus, STATUS_CHARS), index=True)
    effective_due: date | None = Field(default=None, index=True)
    due_source: DueSource | None = Field(default=None, sa_type=EnumAsText(DueSource, 16))
    status_changed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # A partial reminder policy for this task alone; wins over the document's.
    reminder_overrides: dict | None = Field(default=None, sa_type=sa.JSON)
    # An administrator stopped the overdue notices of every due date up to this one (`quiet`);
    # closing the task clears it, so a reopened task is nagged again.
    overdue_quiet_through: date | None = None
    # Nothing about the task is sent before this local date (an administrator's snooze).
    snoozed_until: date | None = None
    # The office's 销号 (app.status.verify_task): when, and which administrator (Telegram user id).
    verified_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    verified_by: int | None = Field(default=None, sa_type=sa.BigInteger)


class TaskUnit(SQLModel, table=True):
    __tablename__ = "task_unit"
    __table_args__ = (sa.UniqueConstraint("task_id", "unit_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    role: UnitRole = Field(sa_type=EnumAsText(UnitRole, 16))
    # The unit's own status on its share (app.status derives the task's from these).
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=EnumAsText(TaskStatus, STATUS_CHARS),
                               sa_column_kwargs={"server_default": TaskStatus.OPEN.value})
    reported_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Deadline(SQLModel, table=True):
    __tablename__ = "deadline"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    phrase: str = Field(max_length=200)
    due: date | None = None  # None where the plan gives no knowable day ("within 60 days of …")
    quote: str = Field(default="", sa_type=sa.Text)
    # The milestone's done flag: when a unit reported it met; NULL while it is open.
    met_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Recurrence(SQLModel, table=True):
    __tablename__ = "recurrence"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    freq: str = Field(max_length=16)  # one of extract.model.RECURRENCE_FREQS
    phrase: str = Field(max_length=200)
    quote: str = Field(default="", sa_type=sa.Text)


class ReviewFlag(SQLModel, table=True):
    """Something an administrator should check about one imported document (extract.model.ReviewFlag).

    Kept with the document version it was read from: a replacing import writes its own and
    drops the superseded version's, so the flags always describe the text in force.
    """

    __tablename__ = "review_flag"

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE", index=True)
    # NULL for a flag about the whole plan ("no_period_end").
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE", index=True)
    code: str = Field(max_length=40, index=True)  # catalogue key "review.<code>"
    # The placeholders the catalogue text needs beyond the task ({"phrase": "…", "due": "…"}).
    params: dict = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ChatKind(enum.StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"  # a dispatcher is sending it; claimed_until says when the claim lapses
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Chat(SQLModel, table=True):
    """A Telegram chat the bot may write to: bound to a unit, or an administrators' chat."""

    __tablename__ = "chat"

    id: int | None = Field(default=None, primary_key=True)
    telegram_chat_id: int = Field(sa_type=sa.BigInteger, unique=True)
    kind: ChatKind = Field(sa_type=EnumAsText(ChatKind, 16))
    title: str | None = Field(default=None, max_length=300)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    is_admin: bool = False
    language: str = Field(default="zh-CN", max_length=8)  # "zh-CN" | "en"
    # False once the chat blocked or removed the bot; nothing is sent to it any more.
    active: bool = True
    deactivated_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    deactivated_reason: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Reminder(SQLModel, table=True):
    """The outbox: one message the planner asked for, and what became of it."""

    __tablename__ = "reminder"
    # The dispatcher asks "pending and due, oldest first" (and "claimed with a lapsed lease"):
    # with state first, both are one range scan however many rows were sent long ago.
    __table_args__ = (sa.Index("ix_reminder_state_send_at", "state", "send_at"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    kind: ReminderKind = Field(sa_type=EnumAsText(ReminderKind, 16))
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    chat_id: int = Field(foreign_key="chat.id", index=True)
    due_date: date | None = None
    send_at: datetime = Field(sa_type=UtcDateTime)
    state: ReminderState = Field(default=ReminderState.PENDING, sa_type=EnumAsText(ReminderState, 16))
    attempts: int = 0  # failed delivery attempts; a rate limit does not count
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claimed_by: str | None = Field(default=None, max_length=100)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    # A notice about a delivery outage points at it (no foreign key: see migration 0008).
    outage_id: int | None = None
    # A verification request or a send-back points at the StatusReport it tells of (its note is the reason).
    report_id: int | None = None
    # An extension request to the administrators, or its decision to the unit, points at the request.
    extension_id: int | None = None


class OutageCause(enum.StrEnum):
    TELEGRAM = "telegram"  # the chat channel answered 5xx, timed out or could not be reached
    DATABASE = "database"  # the dispatcher could not read or record the outbox


class DeliveryOutage(SQLModel, table=True):
    """A stretch of time when reminders could not go out, told to the administrators once."""

    __tablename__ = "delivery_outage"

    id: int | None = Field(default=None, primary_key=True)
    cause: OutageCause = Field(sa_type=EnumAsText(OutageCause, 16))
    # The cause while the outage lasts, NULL once it ended: unique, so one open outage per cause.
    open_cause: str | None = Field(default=None, max_length=16, unique=True)
    started_at: datetime = Field(sa_type=UtcDateTime)
    last_seen_at: datetime = Field(sa_type=UtcDateTime)
    announced_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    waiting: int = 0  # reminders due and unsent when it was last counted
    last_error: str | None = Field(default=None, sa_type=sa.Text)


class LeaderLease(SQLModel, table=True):
    """Which process holds a role only one may hold at a time (calling getUpdates), and until when."""

    __tablename__ = "leader_lease"

    name: str = Field(max_length=40, primary_key=True)
    holder: str = Field(max_length=100)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    acquired_at: datetime = Field(sa_type=UtcDateTime)


class StatusReport(SQLModel, table=True):
    """Who said what about a task, and when: the audit trail behind Task.status."""

    __tablename__ = "status_report"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    chat_id: int | None = Field(default=None, foreign_key="chat.id", index=True)
    telegram_user_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    # The name Telegram showed for that user when they reported ("李 科长"), so the history
    # reads as people, not numbers; the user id stays the authority.
    telegram_user_name: str | None = Field(default=None, max_length=200)
    status: TaskStatus = Field(sa_type=EnumAsText(TaskStatus, STATUS_CHARS))
    note: str = Field(default="", sa_type=sa.Text)
    reported_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Invite(SQLModel, table=True):
    """A one-time code that binds a chat to a unit; only its sha256 is stored."""

    __tablename__ = "invite"

    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=64, unique=True)
    unit_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    used_by_chat_id: int | None = Field(default=None, foreign_key="chat.id")
    # An administrator withdrew the code before anyone used it (a link sent to the wrong person).
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_by: int | None = Field(default=None, sa_type=sa.BigInteger)  # administrator's Telegram user id


class ExtensionState(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionRequest(SQLModel, table=True):
    """A unit asks for a later due date; an administrator approves or rejects it, once."""

    __tablename__ = "extension_request"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    chat_id: int = Field(foreign_key="chat.id", index=True)
    telegram_user_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    proposed_due: date
    reason: str = Field(default="", sa_type=sa.Text)
    state: ExtensionState = Field(default=ExtensionState.PENDING, sa_type=EnumAsText(ExtensionState, 16))
    requested_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    decided_by: int | None = Field(default=None, sa_type=sa.BigInteger)  # the administrator's Telegram user id
    decided_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Who asked, as the administrators' copy names them: composed when it is sent, not when asked.
    telegram_user_name: str | None = Field(default=None, max_length=200)


class PendingQuestion(SQLModel, table=True):
    """A question the bot asked in a chat and waits for a reply to: "which date do you propose?".

    Keyed by the question message, so the reply (a Telegram reply to that message) finds it after
    a restart as well.
    """

    __tablename__ = "pending_question"
    __table_args__ = (sa.UniqueConstraint("telegram_chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_chat_id: int = Field(sa_type=sa.BigInteger)
    message_id: int = Field(sa_type=sa.BigInteger)
    kind: str = Field(max_length=32)  # "extension_date"
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", ondelete="CASCADE")
    asked_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class PendingImport(SQLModel, table=True):
    """A plan an administrator sent, read and previewed, waiting for ✅ / 🔁 / ❌ under its summary.

    The decoded text is kept, not the extraction: confirming extracts it again (extraction is
    pure), so the stored row never goes stale against a newer extractor.
    """

    __tablename__ = "pending_import"
    __table_args__ = (sa.UniqueConstraint("telegram_chat_id", "message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    telegram_chat_id: int = Field(sa_type=sa.BigInteger)
    message_id: int = Field(sa_type=sa.BigInteger)
    source_name: str = Field(max_length=500)
    source_text: str = Field(sa_type=sa.Text)
    content_sha256: str = Field(max_length=64)
    on_change: str = Field(max_length=16)  # "skip" | "replace"
    created_by: int | None = Field(default=None, sa_type=sa.BigInteger)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class HolidayNotice(SQLModel, table=True):
    """A State Council holiday notice an administrator imported; for its year it is the calendar."""

    __tablename__ = "holiday_notice"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)  # importing a year again replaces its notice
    title: str = Field(max_length=500)
    source_name: str = Field(max_length=500)
    content_sha256: str = Field(max_length=64)
    imported_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class HolidayNoticeDay(SQLModel, table=True):
    """One day a notice lists: off (放假) or a make-up working day (调休上班)."""

    __tablename__ = "holiday_notice_day"
    __table_args__ = (sa.UniqueConstraint("notice_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    notice_id: int = Field(foreign_key="holiday_notice.id", ondelete="CASCADE", index=True)
    day: date
    working: bool
    festival: str = Field(default="", max_length=100)


class Correction(SQLModel, table=True):
    """One change an administrator made to the record: who, when, what, the old and the new value.

    The trail is also the memory a re-import reads: the latest correction of a task's field
    (title, due date, milestones, a unit's role) is applied again to the new version's task, so an
    administrator's value outlives the extractor's. No foreign key on deadline_id: a re-import
    replaces the deadline rows, and the trail must not lose what was said about them.
    """

    __tablename__ = "correction"

    id: int | None = Field(default=None, primary_key=True)
    made_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime, index=True)
    source: str = Field(max_length=16)  # "cli" | "chat" | "sheet"
    actor: str = Field(max_length=200)  # the login name, or the Telegram user id and name
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    deadline_id: int | None = None
    field: str = Field(max_length=40)  # store.corrections.Field value
    old_value: str | None = Field(default=None, sa_type=sa.Text)
    new_value: str | None = Field(default=None, sa_type=sa.Text)
    note: str = Field(default="", sa_type=sa.Text)


class UnitMember(SQLModel, table=True):
    """A body that belongs to a collective unit ("省民政厅" in "省直各部门"): it hears the collective's
    reminders in its own chat, and its answer stands for the collective's share."""

    __tablename__ = "unit_member"
    __table_args__ = (sa.UniqueConstraint("collective_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    collective_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", index=True)
    member_id: int = Field(foreign_key="unit.id", ondelete="CASCADE", index=True)
    added_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class TaskPeriod(SQLModel, table=True):
    """One period of a recurring duty reported done ("每年报告": the 2031 report), each on its own.

    The task stays open for the next period (app.status); a re-import keeps these, and the task's
    due date stays at the period after the last one done.
    """

    __tablename__ = "task_period"
    __table_args__ = (sa.UniqueConstraint("task_id", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE", index=True)
    due: date  # the period's due date
    done_at: datetime = Field(sa_type=UtcDateTime)
    report_id: int | None = None  # the StatusReport that completed it
