"""A deadline may have no knowable day ("within 60 days of the completion of …"): due is nullable.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deadline") as batch:
        batch.alter_column("due", existing_type=sa.Date(), nullable=True)


def downgrade() -> None:
    # An undated deadline has no day to keep in a NOT NULL column; it goes with the downgrade.
    op.execute("DELETE FROM deadline WHERE due IS NULL")
    with op.batch_alter_table("deadline") as batch:
        batch.alter_column("due", existing_type=sa.Date(), nullable=False)
