"""Nagging with an end: task.overdue_quiet_through, document.history_since.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

An administrator can stop a task's overdue notices (`deadline-bot quiet`): the task keeps the
last due date they cover, cleared when the task is closed. A plan imported after its period
ended comes in as history: the document keeps the day it was imported as such. Each of these
decisions leaves an audit row in the correction table (0012). Nullable columns, which SQLite adds
in place.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("task", sa.Column("overdue_quiet_through", sa.Date(), nullable=True))
    op.add_column("document", sa.Column("history_since", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("history_since")
    with op.batch_alter_table("task") as batch:
        batch.drop_column("overdue_quiet_through")
