"""Questions and imports that wait for an answer survive a restart; reporters' names; revoked invites.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_question",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_pending_question_task_id_task"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_pending_question_unit_id_unit"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_question")),
        sa.UniqueConstraint("telegram_chat_id", "message_id", name=op.f("uq_pending_question_telegram_chat_id_message_id")),
    )
    op.create_index(op.f("ix_pending_question_task_id"), "pending_question", ["task_id"])
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("on_change", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_import")),
        sa.UniqueConstraint("telegram_chat_id", "message_id", name=op.f("uq_pending_import_telegram_chat_id_message_id")),
    )
    with op.batch_alter_table("status_report") as batch:
        batch.add_column(sa.Column("telegram_user_name", sa.String(length=200), nullable=True))
    with op.batch_alter_table("invite") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("created_by", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invite") as batch:
        batch.drop_column("created_by")
        batch.drop_column("revoked_at")
    with op.batch_alter_table("status_report") as batch:
        batch.drop_column("telegram_user_name")
    op.drop_table("pending_import")
    op.drop_index(op.f("ix_pending_question_task_id"), table_name="pending_question")
    op.drop_table("pending_question")
