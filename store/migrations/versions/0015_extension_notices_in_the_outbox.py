"""Extension requests and decisions go to Telegram through the outbox.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

reminder.extension_id lets an EXT_REQUEST (to the administrators) or an EXT_DECISION (to the
unit) name the request it tells of; extension_request.telegram_user_name keeps who asked, since
the administrators' copy is composed when it is sent, not when the request was stored.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("extension_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("extension_request") as batch:
        batch.add_column(sa.Column("telegram_user_name", sa.String(length=200), nullable=True))


def downgrade() -> None:
    # The rows that name a request say nothing without it: they are dropped with the column.
    op.execute("DELETE FROM reminder WHERE kind IN ('ext_request', 'ext_decision')")
    with op.batch_alter_table("extension_request") as batch:
        batch.drop_column("telegram_user_name")
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("extension_id")
