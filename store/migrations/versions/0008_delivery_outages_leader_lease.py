"""Delivery outages told to the administrators, and the leader lease for long polling.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

`delivery_outage` remembers an outage (Telegram unreachable, or the database) once for all
processes: `open_cause` holds the cause while the outage lasts and is NULL afterwards, so the
unique constraint allows one open outage per cause and any number of ended ones (NULLs are
distinct on SQLite and PostgreSQL alike). `reminder.outage_id` points a notice at the outage it
tells of; it is added without a foreign key so that SQLite adds it without rebuilding the
outbox. `leader_lease` is one row per role ("polling"): who holds it and until when.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_outage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cause", sa.String(length=16), nullable=False),
        sa.Column("open_cause", sa.String(length=16), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waiting", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_outage")),
        sa.UniqueConstraint("open_cause", name=op.f("uq_delivery_outage_open_cause")),
    )
    op.create_table(
        "leader_lease",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leader_lease")),
    )
    op.add_column("reminder", sa.Column("outage_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("outage_id")
    op.drop_table("leader_lease")
    op.drop_table("delivery_outage")
