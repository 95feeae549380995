"""`deadline-bot report`: an administrator records a unit's status on its task (a unit that
phoned or wrote it in), through the same application function as the chat's buttons and
/status (app.status.report_status). Registered on the command line's app by bot.cli."""
from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import typer

from bot.cli import app
from bot.cli_common import EXIT_FAILED, EXIT_USAGE, CommandFailed, migrated_engine, running_command


@app.command()
def report(
    ctx: typer.Context,
    task_id: int = typer.Argument(..., metavar="ID", help="任务编号 / Task id."),
    status: str = typer.Argument(..., metavar="STATUS", help="已完成 | 推进中 | 有困难（或 done | progress | blocked）"),
    unit: str = typer.Option(..., "--unit", help="报告的单位（名称或别名）/ The reporting unit (name or alias)."),
    note: str = typer.Option("", "--note", help="说明 / A note kept with the report."),
) -> None:
    """代单位报告任务进展 / Record a unit's status on its task, as its chat's buttons do."""
    from app import status as status_reports
    from app.access import Actor
    from app.replanning import replanner

    with running_command(ctx) as (settings, texts):
        word = status_reports.STATUS_WORDS.get(status.strip().lower())
        if word is None:
            raise CommandFailed(texts.text("app.report_bad_status", status=status), EXIT_USAGE)
        engine = migrated_engine(settings)
        now = datetime.now(UTC)
        try:
            unit_id = status_reports.unit_named_on_task(engine, task_id, unit)
            delivery = settings.delivery
            recorded = status_reports.report_status(
                engine, Actor.command_line(unit_id), task_id, word, now, note=note.strip(),
                replan=replanner(engine, settings.reminders, now, timedelta(days=delivery.lookback_days),
                                 timedelta(days=delivery.horizon_days)),
                verify_done=settings.verify_done)
        except status_reports.TaskClosed as closed:
            # Done, verified or cancelled: a report changes nothing (app.status); `reopen` first.
            when = closed.closed_at.astimezone(zoneinfo.ZoneInfo(settings.timezone)).strftime("%Y-%m-%d") if closed.closed_at else "—"
            key = "completion.closed_refused_verified_command" if closed.verified else \
                "completion.closed_refused_command"
            raise CommandFailed(texts.text(key, when=when, status=texts.text(f"status.{closed.status.value}")),
                                EXIT_FAILED) from None
        except status_reports.NotUnitsTask:
            raise CommandFailed(texts.text("app.report_not_units_task", id=task_id, unit=unit), EXIT_USAGE) from None
        card = recorded.card
        print(texts.text("app.report_recorded", id=task_id, label=card.label, title=card.title, unit=card.unit_name,
                         status=texts.text(f"status.{word.value}"), task_status=texts.text(f"status.{card.status.value}"),
                         due=card.effective_due.isoformat() if card.effective_due else "—"))
        if recorded.milestone is not None:
            met = recorded.milestone
            print(texts.text("app.report_milestone", phrase=met.phrase, due=met.due.isoformat(),
                             next_phrase=met.next_phrase, next_due=met.next_due.isoformat()))
