"""Chats, the reminder outbox, status reports, and per-document/per-task reminder overrides.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Reviewed by hand: Telegram ids are BIGINT (supergroup ids exceed 32 bits), enumerated values
are VARCHARs as in 0001, instants are timezone-aware. The outbox's dispatch index is
(state, send_at): "pending and due, oldest first" is one range scan on both backends, and
sent rows, which pile up forever, sit in another part of the index. The two override columns
are nullable, so SQLite adds them with a plain ALTER TABLE (no table rebuild).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("document", sa.Column("reminder_overrides", sa.JSON(), nullable=True))
    op.add_column("task", sa.Column("reminder_overrides", sa.JSON(), nullable=True))

    op.create_table(
        "chat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deactivated_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_chat_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat")),
        sa.UniqueConstraint("telegram_chat_id", name=op.f("uq_chat_telegram_chat_id")),
    )
    op.create_index(op.f("ix_chat_unit_id"), "chat", ["unit_id"])

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_reminder_task_id_task"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_reminder_unit_id_unit")),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], name=op.f("fk_reminder_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_reminder_dedupe_key")),
    )
    op.create_index("ix_reminder_state_send_at", "reminder", ["state", "send_at"])
    op.create_index(op.f("ix_reminder_task_id"), "reminder", ["task_id"])
    op.create_index(op.f("ix_reminder_unit_id"), "reminder", ["unit_id"])
    op.create_index(op.f("ix_reminder_chat_id"), "reminder", ["chat_id"])

    op.create_table(
        "status_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("chat_id", sa.Integer(), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_status_report_task_id_task"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_status_report_unit_id_unit")),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], name=op.f("fk_status_report_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_report")),
    )
    op.create_index(op.f("ix_status_report_task_id"), "status_report", ["task_id"])
    op.create_index(op.f("ix_status_report_unit_id"), "status_report", ["unit_id"])
    op.create_index(op.f("ix_status_report_chat_id"), "status_report", ["chat_id"])


def downgrade() -> None:
    for table in ("status_report", "reminder", "chat"):
        op.drop_table(table)
    # Batch mode: on SQLite the table is copied without the column (store.db keeps foreign keys
    # off meanwhile, so the copy does not cascade); PostgreSQL simply drops the column.
    with op.batch_alter_table("task") as batch:
        batch.drop_column("reminder_overrides")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("reminder_overrides")
