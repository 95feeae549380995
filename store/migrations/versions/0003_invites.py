"""Invites: one-time codes, stored hashed, that bind a Telegram chat to a unit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Only the sha256 of a code is stored (unique), so a leaked database cannot bind chats.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_by_chat_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_invite_unit_id_unit"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["used_by_chat_id"], ["chat.id"], name=op.f("fk_invite_used_by_chat_id_chat")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_invite_code_hash")),
    )
    op.create_index(op.f("ix_invite_unit_id"), "invite", ["unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_invite_unit_id"), table_name="invite")
    op.drop_table("invite")
