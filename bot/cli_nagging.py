"""Nagging with an end, on the command line: `deadline-bot quiet TASK [--undo]` and
`deadline-bot remind-policy`. Thin shells over app.reminders (`deadline-bot ingest` brings a
finished plan in as history through app.plans.import_plan)."""
from __future__ import annotations

import getpass
from datetime import UTC, datetime, timedelta

import typer

from bot.cli import app
from bot.cli_common import EXIT_USAGE, CommandFailed, migrated_engine, running_command, stdout, today_in
from bot.config import Settings
from bot.i18n import Catalogue
from bot.task_view import quiet_text
from scheduler.policy import ReminderPolicy


def cli_actor() -> str:
    """Who acted, for the audit row: the login running the command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no login name in a bare container
        return "cli"


def cli_replanner(engine, settings: Settings):
    """Re-plans given tasks inside the caller's transaction (store.chats.Replanner), as the service would."""
    from scheduler.service import replan_in_transaction
    from scheduler.stored_calendar import stored_calendar

    policy, delivery = settings.reminders, settings.delivery
    calendar = stored_calendar(engine, policy)

    def replan(conn, task_ids):
        return replan_in_transaction(conn, policy, calendar, datetime.now(UTC), timedelta(days=delivery.lookback_days),
                                     timedelta(days=delivery.horizon_days), task_ids)
    return replan


@app.command()
def quiet(
    ctx: typer.Context,
    task_id: int = typer.Argument(..., metavar="TASK", help="任务编号 / Task id."),
    undo: bool = typer.Option(False, "--undo", help="恢复逾期提醒 / Resume its overdue notices."),
) -> None:
    """停止（或 --undo 恢复）某项任务的逾期提醒 / Stop (or --undo: resume) one task's overdue notices."""
    from app import reminders

    with running_command(ctx) as (settings, texts):
        engine = migrated_engine(settings)
        now = datetime.now(UTC)
        try:
            if undo:
                change = reminders.resume_overdue_notices(engine, task_id, by=cli_actor(), now=now,
                                                          replan=cli_replanner(engine, settings))
            else:
                change = reminders.quiet_overdue_notices(engine, task_id, today=today_in(settings), by=cli_actor(),
                                                         now=now, replan=cli_replanner(engine, settings))
        except reminders.UnknownTask:
            raise CommandFailed(texts.text("nagging.task_unknown", id=task_id), EXIT_USAGE) from None
        except reminders.TaskClosed as closed:
            raise CommandFailed(texts.text("nagging.task_closed", id=task_id,
                                           status=texts.text(f"status.{closed.status.value}"))) from None
        print(quiet_text(change, texts, texts.text("nagging.undo_cli", id=task_id)))


@app.command("remind-policy")
def remind_policy(ctx: typer.Context) -> None:
    """显示当前生效的提醒策略 / The reminder policy in effect, in words (config [reminders])."""
    with running_command(ctx) as (settings, texts):
        stdout.print("\n".join(policy_lines(settings.reminders, texts)), markup=False, highlight=False)


def policy_lines(policy: ReminderPolicy, texts: Catalogue) -> list[str]:
    """The policy in the reader's language: before-due, due day, the overdue cadence step by step, polls."""
    hhmm = lambda t: t.strftime("%H:%M")  # noqa: E731
    sep = texts.text("nagging.role_sep")
    roles = lambda names: sep.join(texts.text(f"role.{r}") for r in names)  # noqa: E731
    lines = [texts.text("nagging.policy_title")]
    if policy.offsets_days:
        lines.append(texts.text("nagging.before_due", days=sep.join(str(d) for d in policy.offsets_days),
                                time=hhmm(policy.send_time)))
    else:
        lines.append(texts.text("nagging.no_before_due"))
    lines.append(texts.text("nagging.due_day" if policy.due_day_notice else "nagging.no_due_day"))
    if not policy.overdue_notices:
        lines.append(texts.text("nagging.overdue_off"))
    else:
        lines.append(texts.text("nagging.overdue_first"))
        for number, step in enumerate(policy.overdue_cadence, 1):
            key = "nagging.step_first" if number == 1 else "nagging.step"
            if step.notices is None:
                key += "_forever"
            lines.append(texts.text(key, number=number, every=step.every, notices=step.notices,
                                    unit=texts.text(f"nagging.unit_{step.unit}")))
        if policy.overdue_cadence[-1].notices is not None:
            lines.append(texts.text("nagging.ends"))
        if policy.escalate_first_overdue:
            lines.append(texts.text("nagging.escalation", roles=roles(policy.escalation_roles)))
    lines.append(texts.text("nagging.polls", roles=roles(policy.poll_roles)) if policy.monthly_poll
                 else texts.text("nagging.no_polls"))
    lines.append(texts.text("nagging.history_rule", days=policy.history_after_overdue_days))
    lines.append(texts.text("nagging.quiet_hint"))
    lines.append(texts.text("nagging.hours", start=hhmm(policy.working_hours_start),
                            end=hhmm(policy.working_hours_end), zone=policy.timezone))
    return lines
