"""Completion per unit: each unit's own status on its share, the office's verification (销号),
the periods of a recurring duty reported one by one.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05

task_unit.status / reported_at hold what the unit itself last reported; app.status derives the
task's status from them. task.verified_at / verified_by record the office's 销号; reminder.report_id
lets a verification request or a send-back name the report it tells of. The status columns grow
from 20 to 32 characters for "awaiting_verification". task_period keeps each period of a
recurring duty reported done.

The data step gives every share the status its unit last reported on the task (a "done" that
met a milestone of a task still open counts as in progress: that milestone is behind it), and
every share of a done task "done", so the task's derived status is the one it has today: nothing
a user sees changes with the upgrade.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.alter_column("status", existing_type=sa.String(length=20), type_=sa.String(length=32),
                           existing_nullable=False)
        batch.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("verified_by", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("status_report") as batch:
        batch.alter_column("status", existing_type=sa.String(length=20), type_=sa.String(length=32),
                           existing_nullable=False)
    with op.batch_alter_table("task_unit") as batch:
        batch.add_column(sa.Column("status", sa.String(length=32), nullable=False, server_default="open"))
        batch.add_column(sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("reminder") as batch:
        batch.add_column(sa.Column("report_id", sa.Integer(), nullable=True))
    op.create_table(
        "task_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], name=op.f("fk_task_period_task_id_task"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_period")),
        sa.UniqueConstraint("task_id", "due", name=op.f("uq_task_period_task_id_due")),
    )
    op.create_index(op.f("ix_task_period_task_id"), "task_period", ["task_id"])
    _shares_from_reports(op.get_bind())


def _shares_from_reports(conn) -> None:
    task = sa.table("task", sa.column("id"), sa.column("status"), sa.column("status_changed_at"))
    task_unit = sa.table("task_unit", sa.column("id"), sa.column("task_id"), sa.column("unit_id"),
                         sa.column("status"), sa.column("reported_at"))
    report = sa.table("status_report", sa.column("id"), sa.column("task_id"), sa.column("unit_id"),
                      sa.column("status"), sa.column("reported_at"))
    latest: dict[tuple[int, int], tuple[str, object]] = {}
    for task_id, unit_id, status, at in conn.execute(
        sa.select(report.c.task_id, report.c.unit_id, report.c.status, report.c.reported_at)
        .where(report.c.unit_id.is_not(None))
        .order_by(report.c.reported_at, report.c.id)
    ):
        latest[(task_id, unit_id)] = (status, at)
    task_status = {task_id: (status, at) for task_id, status, at in conn.execute(
        sa.select(task.c.id, task.c.status, task.c.status_changed_at))}
    for share_id, task_id, unit_id in conn.execute(sa.select(task_unit.c.id, task_unit.c.task_id,
                                                             task_unit.c.unit_id)):
        status, at = latest.get((task_id, unit_id), ("open", None))
        closed_as, closed_at = task_status.get(task_id, ("open", None))
        if closed_as == "done":
            status, at = "done", at or closed_at
        elif status == "done":
            status = "in_progress"
        if status != "open" or at is not None:
            conn.execute(sa.update(task_unit).where(task_unit.c.id == share_id).values(status=status, reported_at=at))


def downgrade() -> None:
    # The narrower column has no room for the new status: a task waiting for 销号 was reported done.
    op.execute("UPDATE task SET status = 'done' WHERE status = 'awaiting_verification'")
    op.execute("UPDATE status_report SET status = 'done' WHERE status = 'awaiting_verification'")
    op.drop_index(op.f("ix_task_period_task_id"), table_name="task_period")
    op.drop_table("task_period")
    with op.batch_alter_table("reminder") as batch:
        batch.drop_column("report_id")
    with op.batch_alter_table("task_unit") as batch:
        batch.drop_column("reported_at")
        batch.drop_column("status")
    with op.batch_alter_table("status_report") as batch:
        batch.alter_column("status", existing_type=sa.String(length=32), type_=sa.String(length=20),
                           existing_nullable=False)
    with op.batch_alter_table("task") as batch:
        batch.drop_column("verified_by")
        batch.drop_column("verified_at")
        batch.alter_column("status", existing_type=sa.String(length=32), type_=sa.String(length=20),
                           existing_nullable=False)
