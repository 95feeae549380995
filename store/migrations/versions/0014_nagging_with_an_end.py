"""Nagging with an end: task.overdue_quiet_through, document.history_since, nagging_change.

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-05

An administrator can stop a task's overdue notices (`deadline-bot quiet`): the task keeps the
last due date they cover, cleared when the task is closed. A plan imported after its period
ended comes in as history: the document keeps the day it was imported as such. Each of these
decisions leaves an audit row in nagging_change. Nullable columns, which SQLite adds in place.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("task", sa.Column("overdue_quiet_through", sa.Date(), nullable=True))
    op.add_column("document", sa.Column("history_since", sa.Date(), nullable=True))
    op.create_table(
        "nagging_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("task.id", ondelete="CASCADE"), nullable=True),
        sa.Column("document_id", sa.Integer(), sa.ForeignKey("document.id", ondelete="CASCADE"), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.String(length=40), nullable=True),
        sa.Column("new_value", sa.String(length=40), nullable=True),
    )
    op.create_index("ix_nagging_change_task_id", "nagging_change", ["task_id"])
    op.create_index("ix_nagging_change_document_id", "nagging_change", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_nagging_change_document_id", table_name="nagging_change")
    op.drop_index("ix_nagging_change_task_id", table_name="nagging_change")
    op.drop_table("nagging_change")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("history_since")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("overdue_quiet_through")
