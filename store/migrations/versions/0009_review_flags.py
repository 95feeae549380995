"""Review flags kept with the document they were read from.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

`review_flag` holds what the extractor asks an administrator to check (a task without a
unit, a deadline without a date, a unit list without its closing bracket…): one row per flag,
`task_id` NULL for a flag about the whole plan, `params` the placeholders its catalogue text
needs. Rows go with their document or task (ON DELETE CASCADE).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], name=op.f("fk_review_flag_document_id_document"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_review_flag_task_id_task"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_flag")),
    )
    op.create_index(op.f("ix_review_flag_document_id"), "review_flag", ["document_id"])
    op.create_index(op.f("ix_review_flag_task_id"), "review_flag", ["task_id"])
    op.create_index(op.f("ix_review_flag_code"), "review_flag", ["code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_review_flag_code"), table_name="review_flag")
    op.drop_index(op.f("ix_review_flag_task_id"), table_name="review_flag")
    op.drop_index(op.f("ix_review_flag_document_id"), table_name="review_flag")
    op.drop_table("review_flag")
