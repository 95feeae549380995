"""The corrections spreadsheet: every task as a row an administrator can edit in Excel or WPS,
and the edited file read back into app.corrections.TaskChange values with a readable diff.

The rows are /export's (bot.exports.export_rows) with the task id in front and the milestones
and review flags behind, so the chat export and this one never disagree about a task. Editable
columns: title, units (「省司法厅（牵头）；省财政厅（配合）」), due date, status (done, cancelled or
open again) and milestones (「2026-06-30 6月底前；2026-12-31 年底前」). A blank cell leaves its
field as it is. Headers are matched in either language, so a sheet exported in English can be
read back by a Chinese deployment.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.corrections import ROLE_WORDS, UNCHANGED, TaskChange
from bot.exports import COLUMNS, export_rows
from bot.i18n import Catalogue
from scheduler.policy import ReminderPolicy
from store import corrections as store_corrections
from store import queries
from store.extensions import tasks_for_export
from store.models import CLOSED_STATUSES, TaskStatus, UnitRole

LANGUAGES = ("zh-CN", "en")
# Column key -> catalogue key of its header.
HEADERS = {"id": "corrections.sheet_id", **{c: f"export.{c}" for c in COLUMNS},
           "milestones": "corrections.sheet_milestones", "review": "corrections.sheet_review"}
EDITABLE = ("title", "units", "due", "status", "milestones")
SEPARATORS = re.compile(r"[；;\n]+")


class UnreadableSheet(Exception):
    """The file is not a corrections sheet at all (no task id column, not xlsx or csv)."""


# --- writing ---------------------------------------------------------------------------------


def sheet_rows(engine, texts: Catalogue, today: date, policy: ReminderPolicy, zone: ZoneInfo,
               document_id: int | None = None) -> list[list[str]]:
    """The header and one row per task of the active plans (or of one of them)."""
    tasks = tasks_for_export(engine)
    if document_id is not None:
        documents = store_corrections.task_document_ids(engine, [t.task_id for t in tasks])
        tasks = [t for t in tasks if documents.get(t.task_id) == document_id]
    base = export_rows(tasks, texts, today, policy, zone)
    milestones = store_corrections.milestones_by_task(engine, [t.task_id for t in tasks])
    flags: dict[int, list[str]] = {}
    for flag in queries.review_flags(engine, document_id):
        if flag.task_id is not None:
            flags.setdefault(flag.task_id, []).append(_flag_text(flag, texts))
    rows = [[texts.text(HEADERS["id"]), *base[0], texts.text(HEADERS["milestones"]), texts.text(HEADERS["review"])]]
    for task, row in zip(tasks, base[1:]):
        rows.append([str(task.task_id), *row, milestones_cell(milestones.get(task.task_id, [])),
                     "；".join(flags.get(task.task_id, []))])
    return rows


def _flag_text(flag, texts: Catalogue) -> str:
    try:
        return texts.text(f"review.{flag.code}", task=flag.task_seq, **dict(flag.params))
    except (KeyError, IndexError):  # a code or placeholder newer than the catalogue
        return flag.code


def milestones_cell(milestones: list[tuple[date | None, str]]) -> str:
    return "；".join(f"{due.isoformat() if due else '?'} {phrase}" for due, phrase in milestones)


# --- reading ---------------------------------------------------------------------------------


def read_sheet(path: Path) -> list[list[str]]:
    """The cells of an .xlsx (first sheet) or .csv file as text, header row first."""
    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise UnreadableSheet(f"{path.name}: not .xlsx or .csv")
    return load_sheet(path.read_bytes(), path.name)


SHEET_SUFFIXES = (".xlsx", ".csv")


def load_sheet(data: bytes, name: str) -> list[list[str]]:
    """The cells of an .xlsx (first sheet) or .csv file's bytes as text, header row first; the
    command line and the chat (in a worker with a time budget) both read a sheet through here.
    A file beyond the plan import's limits (extract.limits) raises UnreadableSheet naming it."""
    from extract.errors import InputTooLarge, UnreadableDocument
    from extract.limits import MAX_SHEET_CELLS
    from extract.reading import check_package

    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            check_package(data, name, "xlsx")  # zip bombs and element floods, before openpyxl sees it
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InputTooLarge, UnreadableDocument) as error:
            raise UnreadableSheet(str(error)) from None
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise UnreadableSheet(f"{name}: {error}") from None
        try:
            rows, cells = [], 0
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_SHEET_CELLS:
                    raise UnreadableSheet(f"{name}: more than {MAX_SHEET_CELLS:,} cells")
                rows.append([_cell_text(value) for value in row])
            return rows
        except UnreadableSheet:
            raise
        except Exception as error:
            raise UnreadableSheet(f"{name}: {error}") from None
        finally:
            workbook.close()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")  # saved again by Excel on a Chinese Windows
            except UnicodeDecodeError:
                raise UnreadableSheet(f"{name}: neither UTF-8 nor GB18030 text") from None
        rows, cells = [], 0
        try:
            for row in csv.reader(io.StringIO(text)):
                cells += len(row)
                if cells > MAX_SHEET_CELLS:
                    raise UnreadableSheet(f"{name}: more than {MAX_SHEET_CELLS:,} cells")
                rows.append([_uncsv_safe(cell) for cell in row])
        except csv.Error as error:
            raise UnreadableSheet(f"{name}: {error}") from None
        return rows
    raise UnreadableSheet(f"{name}: not .xlsx or .csv")


def corrections_cells(data: bytes, name: str) -> list[list[str]] | None:
    """The sheet's cells if it is a corrections sheet (its header names the task id column, in
    either language), None for any other spreadsheet (a plan laid out as a table). Raises
    UnreadableSheet. Run in bot.budget's worker by the chat, so it returns plain lists."""
    rows = load_sheet(data, name)
    columns = _header_keys(rows[0]) if rows else {}
    if "id" not in columns.values():
        return None
    # Only the columns read_corrections reads, every row kept so row numbers stay the sheet's:
    # this is what waits in the database until ✅, and a wide sheet's other columns would bloat it.
    keep = sorted(i for i, key in columns.items() if key in ("id", *EDITABLE))
    return [[row[i] if i < len(row) else "" for i in keep] for row in rows]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a date Excel recognised as one
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _uncsv_safe(cell: str) -> str:
    # bot.exports.csv_safe put an apostrophe before a formula start; the text is what follows it.
    return cell[1:] if len(cell) > 1 and cell[0] == "'" and cell[1] in "=+-@\t\r" else cell.strip()


@dataclass(frozen=True)
class DiffLine:
    row: int  # the sheet's row number, as the spreadsheet shows it
    task_id: int
    field: str  # "title" | "units" | "due" | "status" | "milestones"
    old: str
    new: str


@dataclass
class SheetReading:
    changes: list[TaskChange] = field(default_factory=list)
    diff: list[DiffLine] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)  # (row number, catalogue text)


def _header_keys(header: list[str]) -> dict[int, str]:
    names = {Catalogue(language).text(key).strip().lower(): column
             for language in LANGUAGES for column, key in HEADERS.items()}
    return {index: names[cell.strip().lower()] for index, cell in enumerate(header) if cell.strip().lower() in names}


def _status_words() -> dict[str, TaskStatus]:
    words = {s.value: s for s in TaskStatus}
    for language in LANGUAGES:
        words.update({Catalogue(language).text(f"status.{s.value}").lower(): s for s in TaskStatus})
    return words


def parse_units(cell: str) -> list[tuple[str, UnitRole]]:
    """「省司法厅（牵头）；省财政厅（配合）」 -> names with roles; a bare name is a responsible unit.
    Raises ValueError with the part it could not read."""
    units = []
    for part in SEPARATORS.split(cell):
        part = part.strip()
        if not part:
            continue
        match = re.match(r"^(.*?)\s*[（(]([^（）()]+)[）)]$", part)
        if match and match[2].strip().lower() in ROLE_WORDS:
            if not match[1].strip():
                raise ValueError(part)
            units.append((match[1].strip(), ROLE_WORDS[match[2].strip().lower()]))
        else:  # "省政府办公厅（省大数据管理局）": the bracket is part of the name
            units.append((part, UnitRole.RESPONSIBLE))
    return units


def parse_milestones_cell(cell: str) -> list[tuple[date | None, str]]:
    """「2026-06-30 6月底前；? 另行通知」 -> (due, phrase) pairs; raises ValueError."""
    milestones = []
    for part in SEPARATORS.split(cell):
        part = part.strip()
        if not part:
            continue
        day, _, phrase = part.partition(" ")
        if not phrase.strip():
            raise ValueError(part)
        milestones.append((None if day == "?" else date.fromisoformat(day), phrase.strip()))
    return milestones


def read_corrections(engine, rows: list[list[str]], texts: Catalogue, create_units: bool = False) -> SheetReading:
    """The changes the sheet asks for, against what is stored now; rows it cannot read are listed
    (a unit nobody knows among them, unless `create_units`)."""
    if not rows:
        raise UnreadableSheet("empty")
    columns = _header_keys(rows[0])
    if "id" not in columns.values():
        raise UnreadableSheet(texts.text("corrections.sheet_no_id", header=texts.text(HEADERS["id"])))
    stored = {t.task_id: t for t in tasks_for_export(engine)}
    milestones = store_corrections.milestones_by_task(engine, list(stored))
    statuses = _status_words()
    reading = SheetReading()
    typed_units: list[str] = []
    parsed_rows = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {columns[i]: value.strip() for i, value in enumerate(row) if i in columns}
        if not any(cells.get(c) for c in ("id", *EDITABLE)):
            continue  # an empty line at the end of the sheet
        try:
            task_id = int(cells.get("id", ""))
        except ValueError:
            reading.unreadable.append((number, texts.text("corrections.sheet_bad_id", value=cells.get("id", ""))))
            continue
        if task_id not in stored:
            reading.unreadable.append((number, texts.text("corrections.sheet_unknown_task", id=task_id)))
            continue
        try:
            units = parse_units(cells["units"]) if cells.get("units") else None
        except ValueError as error:
            reading.unreadable.append((number, texts.text("corrections.sheet_bad_units", value=str(error))))
            continue
        typed_units += [name for name, _ in units or ()]
        parsed_rows.append((number, task_id, cells, units))
    canonical = store_corrections.canonical_unit_names(engine, typed_units)

    for number, task_id, cells, units in parsed_rows:
        task = stored[task_id]
        change: dict = {}
        lines: list[DiffLine] = []
        problems: list[str] = []
        title = cells.get("title")
        if title and title != task.title:
            change["title"] = title
            lines.append(DiffLine(number, task_id, "title", task.title, title))
        if cells.get("milestones"):
            try:
                new = parse_milestones_cell(cells["milestones"])
            except ValueError:
                problems.append(texts.text("corrections.sheet_bad_milestones", value=cells["milestones"]))
            else:
                old = milestones.get(task_id, [])
                if new != old:
                    change["milestones"] = tuple(new)
                    lines.append(DiffLine(number, task_id, "milestones", milestones_cell(old), milestones_cell(new)))
        if cells.get("due"):
            try:
                due = date.fromisoformat(cells["due"])
            except ValueError:
                problems.append(texts.text("corrections.sheet_bad_due", value=cells["due"]))
            else:
                if due != task.effective_due:
                    change["due"] = due
                    lines.append(DiffLine(number, task_id, "due", _iso(task.effective_due), due.isoformat()))
        if cells.get("status"):
            status = statuses.get(cells["status"].lower())
            if status is None:
                problems.append(texts.text("corrections.sheet_bad_status", value=cells["status"]))
            elif status != task.status and not (status is TaskStatus.OPEN and task.status not in CLOSED_STATUSES):
                if status not in (TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.OPEN):
                    problems.append(texts.text("corrections.sheet_bad_status", value=cells["status"]))
                else:
                    change["status"] = status
                    lines.append(DiffLine(number, task_id, "status", task.status.value, status.value))
        if units is not None:
            unknown = [name for name, _ in units if canonical.get(name) is None]
            if unknown and not create_units:
                problems.append(texts.text("corrections.sheet_unknown_unit", names="、".join(unknown)))
            roles, unit_lines = _unit_changes(task.units, units, canonical, texts)
            if roles:
                change["roles"] = tuple(roles)
                lines += [DiffLine(number, task_id, "units", old, new) for old, new in unit_lines]
        if problems:
            reading.unreadable += [(number, problem) for problem in problems]
            continue
        if change:
            reading.changes.append(TaskChange(task_id=task_id, due=change.pop("due", UNCHANGED), **change))
            reading.diff += lines
    return reading


def _unit_changes(current: tuple[tuple[str, UnitRole], ...], typed: list[tuple[str, UnitRole]],
                  canonical: dict[str, str | None], texts: Catalogue
                  ) -> tuple[list[tuple[str, UnitRole | None]], list[tuple[str, str]]]:
    """(unit, role or None) changes and their (old, new) diff texts; a unit nobody knows is kept
    under its typed name (app.corrections refuses it, or creates it when asked)."""
    now: dict[str, set[UnitRole]] = {}
    for name, role in current:
        now.setdefault(name, set()).add(role)
    wanted: dict[str, UnitRole] = {}
    for name, role in typed:
        wanted.setdefault(canonical.get(name) or name, role)
    changes, lines = [], []
    for name, role in wanted.items():
        if now.get(name) != {role}:
            changes.append((name, role))
            lines.append((_roles_text(name, now.get(name), texts), _roles_text(name, {role}, texts)))
    for name, roles in now.items():
        if name not in wanted:
            changes.append((name, None))
            lines.append((_roles_text(name, roles, texts), ""))
    return changes, lines


def _roles_text(name: str, roles: set[UnitRole] | None, texts: Catalogue) -> str:
    """「省司法厅（牵头）」, as the sheet writes it."""
    order = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}
    return "；".join(texts.text("export.unit_role", unit=name, role=texts.text(f"role.{r.value}"))
                    for r in sorted(roles or (), key=order.get))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def diff_fingerprint(reading: SheetReading) -> str:
    """What the administrator saw, as one hash: the diff lines (old values included) and the rows
    it could not read. Read again before applying, a different hash means the data moved meanwhile."""
    import hashlib
    import json

    shown = [[d.row, d.task_id, d.field, d.old, d.new] for d in reading.diff]
    return hashlib.sha256(json.dumps([shown, reading.unreadable], ensure_ascii=False).encode()).hexdigest()
