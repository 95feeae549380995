"""What a unit's chat can ask: /tasks, /task ID, /status ID done|progress|blocked [note].

A unit sees only the tasks that name it; the check is on the server (store.reports), whatever
the chat typed. Lists longer than one page get ◀ / ▶ buttons whose callback data
("pg:<command>:<arg>:<page>") is checked like a status button's: the arg is the unit's id,
and a chat may page only its own unit's list. The page machinery here is shared with
bot.admin_commands.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from app import status as status_reports
from bot.compose import days_text, escape, milestone_met_text
from bot.handlers import (
    BotDeps,
    _chat,
    _reply,
    answer_closed_task,
    deps_of,
    replanner,
    share_lines,
)
from bot.i18n import Catalogue
from bot.ids import is_stored_id, parse_number
from bot.keyboards import Buttons
from bot.telegram_notifier import clip_html, keyboard
from scheduler.policy import ReminderPolicy
from scheduler.traffic import TrafficLight, traffic_light
from store import reports
from store.models import CLOSED_STATUSES, TaskStatus
from store.queries import TaskDue

log = logging.getLogger(__name__)

PAGE_SIZE = 10
TITLE_CHARS = 80  # a list line shows the start of a long task title; /task ID shows all of it
PAGE_CHARS = 3300  # a page's items, leaving room for the title, the page count and HTML escapes' slack
LINE_UNITS = 5  # a list line names the first units; /task ID names them all
LIGHTS = {TrafficLight.GREEN: "🟢", TrafficLight.YELLOW: "🟡", TrafficLight.RED: "🔴"}
NO_LIGHT = "⚪"
STATUS_WORDS = status_reports.STATUS_WORDS  # the words /status takes, as `deadline-bot report` does
_PAGE_DATA = re.compile(r"^pg:([a-z]{1,12}):([0-9]*):([0-9]{1,6})$")


# --- pages (pure) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    items: tuple[str, ...]
    number: int  # 0-based, clamped into range
    count: int  # how many pages in all (at least 1)


def page_of(items: Sequence[str], number: int, size: int = PAGE_SIZE, budget: int = PAGE_CHARS) -> Page:
    """The number-th page of items (an out-of-range number shows the nearest page).

    A page holds at most `size` items and, beyond its first, no more than `budget` characters:
    Telegram refuses a message over 4,096, and escaped titles can be long.
    """
    bounds = page_bounds(items, size, budget)
    number = min(max(number, 0), len(bounds) - 1)
    start, end = bounds[number]
    return Page(tuple(items[start:end]), number, len(bounds))


def page_bounds(items: Sequence[str], size: int = PAGE_SIZE, budget: int = PAGE_CHARS) -> list[tuple[int, int]]:
    """(start, end) of every page, filled greedily; always at least one (maybe empty) page."""
    bounds, start, used = [], 0, 0
    for index, item in enumerate(items):
        cost = len(item) + 1
        if index > start and (index - start >= size or used + cost > budget):
            bounds.append((start, index))
            start, used = index, 0
        used += cost
    bounds.append((start, len(items)))
    return bounds


def page_data(command: str, arg: int | str | None, number: int) -> str:
    data = f"pg:{command}:{'' if arg is None else arg}:{number}"
    if len(data.encode()) > 64:  # Telegram's limit on callback data
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse_page_data(data: str | None) -> tuple[str, int | None, int] | None:
    """(command, arg or None, page) from a page button's data, or None if it is not one (or names no row)."""
    match = _PAGE_DATA.match(data or "")
    if match is None:
        return None
    command, arg, number = match.groups()
    if arg and not is_stored_id(int(arg)):  # forged: the arg is a unit id or a number of days
        return None
    return command, int(arg) if arg else None, int(number)


def page_buttons(command: str, arg: int | None, page: Page, texts: Catalogue) -> Buttons:
    row = []
    if page.number > 0:
        row.append((texts.text("cmd.prev"), page_data(command, arg, page.number - 1)))
    if page.number < page.count - 1:
        row.append((texts.text("cmd.next"), page_data(command, arg, page.number + 1)))
    return (tuple(row),) if row else ()


def page_text(title: str, page: Page, texts: Catalogue) -> str:
    lines = [title, "", *page.items]
    if page.count > 1:
        lines += ["", texts.text("cmd.page", page=page.number + 1, pages=page.count)]
    return "\n".join(lines)


# --- task lines (pure) ----------------------------------------------------------------------


def light_of(status: TaskStatus | str, due: date | None, today: date, policy: ReminderPolicy) -> str:
    light = traffic_light(str(getattr(status, "value", status)), due, today, policy)
    return LIGHTS[light] if light is not None else NO_LIGHT


def short(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def due_text(due: date | None, today: date, texts: Catalogue) -> str:
    if due is None:
        return texts.text("cmd.line_no_due")
    return texts.text("cmd.line_due", due=due.isoformat(), days=escape(days_text(due, today, texts)))


def task_line(task: TaskDue, texts: Catalogue, today: date, policy: ReminderPolicy, *,
              with_units: bool = False) -> str:
    """🟢 #12 （一）title… / due date (days left), and with_units the units and roles."""
    line = texts.text("cmd.task_line", light=light_of(task.status, task.effective_due, today, policy),
                      id=task.task_id, label=escape(task.label), title=escape(short(task.title)),
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
        + texts.text("tg.task", label=escape(detail.label), title=escape(detail.title)),
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


def parse_task_id(args: Sequence[str]) -> int | None:
    """The number a command names ("12" or "#12"), however large: check it with is_stored_id before a query."""
    return parse_number(args[0]) if args else None


# --- sending a page -------------------------------------------------------------------------


def today_of(deps: BotDeps) -> date:
    return deps.clock().astimezone(deps.zone).date()


async def send_page(update: Update, texts: Catalogue, title: str, items: Sequence[str], command: str,
                    arg: int | None, number: int = 0, size: int = PAGE_SIZE, empty_key: str = "cmd.nothing") -> None:
    """Reply with one page of a list, or (from a page button) redraw the message with it."""
    if not items:
        text, buttons = title + "\n\n" + texts.text(empty_key), ()
    else:
        page = page_of(items, number, size)
        text, buttons = page_text(title, page, texts), page_buttons(command, arg, page, texts)
    query = update.callback_query
    if query is None:
        await _reply(update, text, keyboard(buttons))
        return
    try:
        await query.edit_message_text(clip_html(text), parse_mode=ParseMode.HTML, reply_markup=keyboard(buttons))
    except BadRequest as error:  # unchanged (the same page twice) or too old to edit
        log.info("could not turn the page in chat %s: %s", update.effective_chat.id, error.message)
    await query.answer()


# --- handlers -------------------------------------------------------------------------------


async def _unit_chat(update: Update, context: ContextTypes.DEFAULT_TYPE):
    """The chat if it is bound to a unit; a bound chat without one hears why; others are ignored."""
    known = await _chat(deps_of(context), update)
    if known is None:
        return None
    if known.unit_id is None:
        await _reply(update, Catalogue(known.language).text("cmd.unit_only"))
        return None
    return known


async def _send_unit_tasks(update: Update, deps: BotDeps, texts: Catalogue, unit_id: int, number: int) -> None:
    tasks, name = await asyncio.gather(asyncio.to_thread(reports.open_tasks_of_unit, deps.engine, unit_id),
                                       asyncio.to_thread(reports.unit_name, deps.engine, unit_id))
    today, policy = today_of(deps), deps.settings.reminders
    items = [task_line(task, texts, today, policy) for task in tasks]
    title = texts.text("cmd.tasks_title", unit=escape(short(name or "")), count=len(tasks))
    await send_page(update, texts, title, items, "tasks", unit_id, number, empty_key="cmd.no_tasks")


async def tasks_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/tasks: the unit's open tasks, soonest due first, with traffic lights."""
    known = await _unit_chat(update, context)
    if known is not None:
        await _send_unit_tasks(update, deps_of(context), Catalogue(known.language), known.unit_id, 0)


async def task_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/task ID: one task in full; a unit sees only its own, an administrator any."""
    deps = deps_of(context)
    known = await _chat(deps, update)
    if known is None:
        return
    texts = Catalogue(known.language)
    task_id = parse_task_id(context.args or ())
    if task_id is None:
        await _reply(update, texts.text("cmd.task_usage"))
        return
    user = update.effective_user
    # In an administrators' chat any task, but only for an administrator (bot.access).
    as_admin = known.is_admin and deps.may_administer(user and user.id, update.effective_chat.type, known)
    if not as_admin and known.unit_id is None:
        await _reply(update, texts.text("cmd.admin_only"))
        return
    detail = None
    if is_stored_id(task_id):
        detail = await asyncio.to_thread(reports.task_detail, deps.engine, task_id, None if as_admin else known.unit_id)
    if detail is None:
        await _reply(update, texts.text("cmd.task_unknown" if as_admin else "cmd.task_refused", id=task_id))
        return
    await _reply(update, task_detail_text(detail, texts, today_of(deps), deps.settings.reminders, deps.zone))


async def status_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status ID 已完成|推进中|有困难 (or done|progress|blocked, vocabulary.STATUS_WORDS) [note]: what the
    buttons do, with the note in the same report."""
    known = await _unit_chat(update, context)
    if known is None:
        return
    deps = deps_of(context)
    texts = Catalogue(known.language)
    args = context.args or ()
    task_id = parse_task_id(args)
    status = STATUS_WORDS.get(args[1].lower()) if len(args) > 1 else None
    if task_id is None or status is None:
        await _reply(update, texts.text("cmd.status_usage"))
        return
    note = _note_of(update.effective_message.text or "", 3)
    now = deps.clock()
    try:
        recorded = await asyncio.to_thread(status_reports.report_status, deps.engine, deps.actor(update, known),
                                           task_id, status, now, note=note, replan=replanner(context),
                                           verify_done=deps.settings.verify_done)
    except status_reports.TaskClosed as closed:
        await answer_closed_task(update, deps, known, texts, closed)
        return
    except status_reports.NotUnitsTask:
        log.warning("chat %s (unit %s) sent /status for task %s: refused", known.id, known.unit_id, task_id)
        await _reply(update, texts.text("cmd.task_refused", id=task_id))
        return
    card = recorded.card
    lines = [texts.text("cmd.status_recorded", id=task_id, label=escape(card.label), title=escape(short(card.title)),
                        status=escape(texts.text(f"status.{status.value}")))]
    if recorded.milestone is not None:
        lines.append(milestone_met_text(recorded.milestone, texts, now.astimezone(deps.zone).date()))
    lines += share_lines(recorded, texts)
    # The task's reminders were re-planned with the report, in its transaction (replanner).
    await _reply(update, "\n".join(lines))


def _note_of(text: str, words_before: int) -> str:
    """What follows the first words_before words of a command, as typed (line breaks kept)."""
    parts = text.split(None, words_before)
    return parts[words_before].strip() if len(parts) > words_before else ""


async def tasks_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """◀ / ▶ under /tasks: only the unit whose list it is may turn its pages."""
    deps = deps_of(context)
    query = update.callback_query
    known = await _chat(deps, update)
    parsed = parse_page_data(query.data)
    if known is None:
        await query.answer()
        return
    texts = Catalogue(known.language)
    if parsed is None or parsed[1] is None or parsed[1] != known.unit_id:
        log.warning("chat %s pressed a page button for %r: refused", known.id, query.data)
        await query.answer(texts.text("cmd.page_refused"), show_alert=True)
        return
    await _send_unit_tasks(update, deps, texts, known.unit_id, parsed[2])


HANDLERS = (
    CommandHandler("tasks", tasks_command),
    CommandHandler("task", task_command),
    CommandHandler("status", status_command),
    CallbackQueryHandler(tasks_page, pattern=r"^pg:tasks:"),
)
