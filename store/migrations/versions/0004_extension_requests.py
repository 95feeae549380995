"""Extension requests: a unit proposes a later due date, an administrator decides once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("proposed_due", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_extension_request_task_id_task"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_extension_request_unit_id_unit")),
        sa.ForeignKeyConstraint(["chat_id"], ["chat.id"], name=op.f("fk_extension_request_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension_request")),
    )
    for column in ("task_id", "unit_id", "chat_id"):
        op.create_index(op.f(f"ix_extension_request_{column}"), "extension_request", [column])


def downgrade() -> None:
    for column in ("task_id", "unit_id", "chat_id"):
        op.drop_index(op.f(f"ix_extension_request_{column}"), table_name="extension_request")
    op.drop_table("extension_request")
