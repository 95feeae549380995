"""Administrators' corrections: the audit table, archived plans, snoozes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

`correction` is the trail of every change an administrator makes (who, when, which task, unit,
deadline or document, which field, old and new value); a re-import reads it to apply the
administrator's values again. `document.archived_at` stops a plan's reminders;
`task.snoozed_until` and `unit.snoozed_until` hold a task's or a unit's reminders back until a
date. The columns are nullable, which SQLite adds in place without rebuilding the tables.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("document", sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("unit", sa.Column("snoozed_until", sa.Date(), nullable=True))
    op.add_column("task", sa.Column("snoozed_until", sa.Date(), nullable=True))
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_correction_document_id_document")),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_correction_task_id_task"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_correction_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
    )
    op.create_index(op.f("ix_correction_made_at"), "correction", ["made_at"])
    op.create_index(op.f("ix_correction_document_id"), "correction", ["document_id"])
    op.create_index(op.f("ix_correction_task_id"), "correction", ["task_id"])
    op.create_index(op.f("ix_correction_unit_id"), "correction", ["unit_id"])


def downgrade() -> None:
    for column in ("unit_id", "task_id", "document_id", "made_at"):
        op.drop_index(op.f(f"ix_correction_{column}"), table_name="correction")
    op.drop_table("correction")
    for table in ("task", "unit"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("snoozed_until")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("archived_at")
