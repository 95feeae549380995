"""A milestone's done flag: deadline.met_at.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

A task may have several dated deadlines ("6月底前完成调研，年底前出台办法"); each is a
milestone. `met_at` is the instant (UTC) a unit reported the milestone done, NULL while it is
open. The task's effective due date is its earliest open dated milestone, so a done report on
one milestone moves the task on to the next instead of closing it. Added as a nullable column,
which SQLite adds in place without rebuilding the table.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("deadline", sa.Column("met_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadline") as batch:
        batch.drop_column("met_at")
