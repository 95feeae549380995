"""Holiday notices imported by an administrator (the State Council's yearly 节假日安排).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "holiday_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("source_name", sa.String(length=500), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_notice")),
        sa.UniqueConstraint("year", name=op.f("uq_holiday_notice_year")),
    )
    op.create_table(
        "holiday_notice_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("festival", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["notice_id"], ["holiday_notice.id"],
                                name=op.f("fk_holiday_notice_day_notice_id_holiday_notice"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_notice_day")),
        sa.UniqueConstraint("notice_id", "day", name=op.f("uq_holiday_notice_day_notice_id_day")),
    )
    op.create_index(op.f("ix_holiday_notice_day_notice_id"), "holiday_notice_day", ["notice_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_holiday_notice_day_notice_id"), table_name="holiday_notice_day")
    op.drop_table("holiday_notice_day")
    op.drop_table("holiday_notice")
