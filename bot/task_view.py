"""How a task reads in chat: the list line with its traffic light, and the full card /task ID shows.

Pure functions from store rows and a catalogue to HTML text (every user-typed value escaped).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.compose import clipped_to, days_text, escape, label_prefix, light_of, task_ref
from bot.i18n import Catalogue
from scheduler.policy import ReminderPolicy
from store import reports
from store.models import CLOSED_STATUSES
from store.queries import TaskDue

TITLE_CHARS = 80  # a list line shows the start of a long task title; /task ID shows all of it
LINE_UNITS = 5  # a list line names the first units; /task ID names them all


def short(text: str, limit: int = TITLE_CHARS) -> str:
    return clipped_to(text, limit)


def due_text(due: date | None, today: date, texts: Catalogue) -> str:
    if due is None:
        return texts.text("cmd.line_no_due")
    return texts.text("cmd.line_due", due=due.isoformat(), days=escape(days_text(due, today, texts)))


def task_line(task: TaskDue, texts: Catalogue, today: date, policy: ReminderPolicy, *,
              with_units: bool = False) -> str:
    """🟢 #12 · （一）title… / due date (days left), and with_units the units and roles."""
    line = texts.text("cmd.task_line", light=light_of(task.status, task.effective_due, today, policy),
                      id=task.task_id, label=escape(label_prefix(task.label)), title=escape(short(task.title)),
                      due=due_text(task.effective_due, today, texts))
    if with_units and task.units:
        line += "\n" + texts.text("cmd.line_units", units=units_text(task.units, texts, LINE_UNITS))
    return line


def units_text(units: Sequence[tuple[str, object]], texts: Catalogue, limit: int | None = None) -> str:
    """Units with their roles; with limit, the first few and "…" (a list line must stay short)."""
    shown = units if limit is None else units[:limit]
    text = texts.text("cmd.list_sep").join(
        texts.text("cmd.unit_role", unit=escape(short(name)), role=texts.text(f"role.{getattr(role, 'value', role)}"))
        for name, role in shown)
    return text + "…" if len(shown) < len(units) else text


def task_detail_text(detail: reports.TaskDetail, texts: Catalogue, today: date, policy: ReminderPolicy,
                     zone) -> str:
    """Everything about one task: plan, units and roles, deadlines as printed, status, reports."""
    lines = [
        light_of(detail.status, detail.effective_due, today, policy) + " "
        + task_ref(detail.task_id, detail.label, detail.title, texts),
        texts.text("cmd.task_id", id=detail.task_id),
        texts.text("tg.plan", plan=escape(detail.document_title)),
    ]
    if detail.effective_due is not None:
        lines.append(texts.text("tg.due", due=detail.effective_due.isoformat(),
                                days=escape(days_text(detail.effective_due, today, texts))))
    else:
        lines.append(texts.text("tg.no_due"))
    if detail.units:
        lines.append(texts.text("cmd.detail_units", units=units_text(detail.units, texts)))
    # Several milestones: the met ones are ticked and the one the task is due at now is pointed at.
    dated_open = [due for _, due, met_at in detail.deadlines if due is not None and met_at is None]
    several = sum(due is not None for _, due, _ in detail.deadlines) > 1
    current = dated_open[0] if dated_open and several and detail.status not in CLOSED_STATUSES else None
    for phrase, due, met_at in detail.deadlines:
        key = "cmd.deadline_met" if met_at else "cmd.deadline_next" if due is not None and due == current \
            else "cmd.deadline_line"
        lines.append(texts.text(key, phrase=escape(phrase),
                                due=due.isoformat() if due else texts.text("cmd.line_no_due"),
                                met=met_at.astimezone(zone).date().isoformat() if met_at else ""))
    lines.append(texts.text("tg.status", status=escape(texts.text(f"status.{detail.status.value}"))))
    if len(detail.shares) > 1:  # who has said what, when several units share the task
        lines.append(texts.text("completion.shares", shares=texts.text("cmd.list_sep").join(
            texts.text("completion.share", unit=escape(short(name)), status=escape(texts.text(f"status.{status}")))
            for name, status in detail.shares)))
    if not detail.reports:
        lines.append(texts.text("cmd.no_history"))
    else:
        lines.append(texts.text("cmd.history"))
        for report in detail.reports:
            status = escape(texts.text(f"status.{report.status.value}"))
            if report.milestone:
                status = texts.text("cmd.history_milestone", status=status, phrase=escape(report.milestone))
            lines.append(texts.text(
                "cmd.history_line", when=report.reported_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                # A report without a unit is the office's: 销号, a send-back, a reopening.
                unit=escape(report.unit_name or texts.text("completion.office")), who=reporter_text(report, texts),
                status=status))
            if report.note:
                lines.append(texts.text("cmd.history_note", note=escape(report.note)))
    return "\n".join(lines)


def reporter_text(report: reports.ReportEntry, texts: Catalogue) -> str:
    """Who sent a report, escaped (names are typed by users); the user id for reports from before names were kept."""
    if report.telegram_user_name:
        return escape(report.telegram_user_name)
    if report.telegram_user_id is not None:
        return texts.text("cmd.history_user_id", id=report.telegram_user_id)
    return "—"


def quiet_text(change, texts: Catalogue, undo: str) -> str:
    """What a quiet or an undo did, for the command line and the chat alike."""
    values = {"id": change.task_id, "label": change.label, "title": change.title}
    if change.after is not None:
        key = "nagging.quieted" if change.changed else "nagging.already_quiet"
        return texts.text(key, through=change.after.isoformat(), undo=undo, **values)
    return texts.text("nagging.resumed" if change.changed else "nagging.not_quiet", **values)
