"""The unit directory: a unit's contact person and phone, and the members of a collective unit.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

Contacts are two nullable columns on unit (added in place on SQLite). unit_member pairs a
collective ("各市州政府") with each body that belongs to it; deleting either unit drops the pair.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("unit", sa.Column("contact_person", sa.String(length=100), nullable=True))
    op.add_column("unit", sa.Column("contact_phone", sa.String(length=40), nullable=True))
    op.create_table(
        "unit_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collective_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["collective_id"], ["unit.id"], name=op.f("fk_unit_member_collective_id_unit"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["unit.id"], name=op.f("fk_unit_member_member_id_unit"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_member")),
        sa.UniqueConstraint("collective_id", "member_id", name=op.f("uq_unit_member_collective_id_member_id")),
    )
    op.create_index(op.f("ix_unit_member_collective_id"), "unit_member", ["collective_id"])
    op.create_index(op.f("ix_unit_member_member_id"), "unit_member", ["member_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_member_member_id"), table_name="unit_member")
    op.drop_index(op.f("ix_unit_member_collective_id"), table_name="unit_member")
    op.drop_table("unit_member")
    with op.batch_alter_table("unit") as batch:
        batch.drop_column("contact_phone")
        batch.drop_column("contact_person")
