"""/export (administrators only): every task of the active plans as a CSV and an XLSX file, in the
corrections sheet's layout (bot.correction_sheet), so an edited copy can be sent back.

The rows are built by a pure function from store.extensions.tasks_for_export, so what the
files say is testable without Telegram; both files are written in memory.
"""
from __future__ import annotations

import asyncio
import csv
import io
from datetime import date
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from telegram import InputFile, Update
from telegram.ext import CommandHandler, ContextTypes

from bot.access import for_administrators
from bot.context import BotDeps
from bot.i18n import Catalogue
from scheduler.policy import ReminderPolicy
from scheduler.traffic import traffic_light
from store.extensions import ExportTask

COLUMNS = ("plan", "label", "title", "units", "due", "due_source", "status", "light", "report_by", "report_name",
           "report_user", "report_at", "report_note")


def export_rows(tasks: list[ExportTask], texts: Catalogue, today: date, policy: ReminderPolicy,
                zone: ZoneInfo) -> list[list[str]]:
    """The header and one row per task, in the reader's language."""
    rows = [[texts.text(f"export.{column}") for column in COLUMNS]]
    for task in tasks:
        light = traffic_light(task.status.value, task.effective_due, today, policy)
        units = "；".join(texts.text("export.unit_role", unit=name, role=texts.text(f"role.{role.value}"))
                         for name, role in task.units)
        rows.append([
            task.plan,
            task.label,
            task.title,
            units,
            task.effective_due.isoformat() if task.effective_due else "",
            texts.text(f"due_source.{task.due_source.value if task.due_source else 'none'}"),
            texts.text(f"status.{task.status.value}"),
            texts.text(f"export.light_{light.value}") if light else "",
            task.last_report_unit or "",
            task.last_report_user_name or "",  # blank for old reports: the id column still says who
            str(task.last_report_user) if task.last_report_user is not None else "",
            task.last_report_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if task.last_report_at else "",
            task.last_report_note or "",
        ])
    return rows


# A cell starting with one of these is a formula to Excel and LibreOffice. Titles, names and
# notes are typed by people outside the office, so they must stay text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate: a leading apostrophe before a formula start."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_bytes(rows: list[list[str]]) -> bytes:
    """UTF-8 with a byte-order mark: without it Excel reads the Chinese as mojibake."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([[csv_safe(cell) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list[str]], sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]  # Excel's limit on sheet names
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # openpyxl took a leading "=" for a formula: it is text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@for_administrators
async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE, deps: BotDeps, texts: Catalogue) -> None:
    # The corrections sheet (export_rows with the task id in front): edited and sent back, it is
    # read by bot.chatsheet_commands, as `deadline-bot import-corrections` reads the CLI's export.
    from bot.correction_sheet import sheet_rows

    now = deps.clock()
    rows = await asyncio.to_thread(sheet_rows, deps.engine, texts, now.astimezone(deps.zone).date(),
                                   deps.settings.reminders, deps.zone)
    count = len(rows) - 1
    stamp = now.astimezone(deps.zone).strftime("%Y%m%d-%H%M")
    chat_id = update.effective_chat.id
    await context.bot.send_document(chat_id, InputFile(csv_bytes(rows), filename=f"tasks-{stamp}.csv"),
                                    caption=texts.text("export.caption_csv", count=count))
    data = await asyncio.to_thread(xlsx_bytes, rows, texts.text("export.sheet"))
    await context.bot.send_document(chat_id, InputFile(data, filename=f"tasks-{stamp}.xlsx"),
                                    caption=texts.text("export.caption_xlsx", count=count))


HANDLERS = (CommandHandler("export", export_command),)
