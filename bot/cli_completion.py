"""`deadline-bot verify | send-back`: the office's completion decisions from the command line,
through the same app.status functions the chat's buttons call; importing this module registers
the commands on bot.cli's app. (`deadline-bot reopen` is bot.cli_corrections', with the same rule.)"""
from __future__ import annotations

from datetime import UTC, datetime

import typer

from bot.cli import app
from bot.cli_common import EXIT_FAILED, EXIT_USAGE, CommandFailed, migrated_engine, replan_now, running_command

_TASK_ID = typer.Argument(..., metavar="ID", help="任务编号 / Task id.")


def _decide(ctx: typer.Context, task_id: int, decide) -> None:
    """Run one decision and print its line; a task in the wrong state is one line and a non-zero exit."""
    from app import status

    with running_command(ctx) as (settings, texts):
        engine = migrated_engine(settings)
        try:
            key, decision = decide(status, engine)
        except status.NotAwaitingVerification as exc:
            if exc.status is None:
                raise CommandFailed(texts.text("completion.unknown_task", id=task_id), EXIT_USAGE) from None
            raise CommandFailed(texts.text("completion.not_awaiting", status=texts.text(f"status.{exc.status}")),
                                EXIT_FAILED) from None
        replan_now(engine, settings)
        print(texts.text(key, id=task_id, count=decision.units_told,
                         status=texts.text(f"status.{decision.status}")))


@app.command("verify")
def verify(ctx: typer.Context, task_id: int = _TASK_ID) -> None:
    """销号：确认待销号的任务已完成 / Verify a task awaiting verification: it is done."""
    _decide(ctx, task_id, lambda status, engine: (
        "completion.cli_verified", status.verify_task(engine, task_id, None, None, datetime.now(UTC))))


@app.command("send-back")
def send_back(
    ctx: typer.Context,
    task_id: int = _TASK_ID,
    reason: str = typer.Option(..., "--reason", help="退回理由，发给牵头单位 / The reason, sent to the units."),
) -> None:
    """退回待销号的任务并说明理由 / Send a task awaiting verification back to its units with a reason."""
    if not reason.strip():
        with running_command(ctx) as (_, texts):
            raise CommandFailed(texts.text("completion.cli_reason_empty"), EXIT_USAGE)
    _decide(ctx, task_id, lambda status, engine: (
        "completion.cli_sent_back", status.send_back(engine, task_id, None, None, reason, datetime.now(UTC))))
