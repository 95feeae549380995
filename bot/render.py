"""Turns query results into what the command line prints: a rich table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence, TextIO

from rich.table import Table

from bot.i18n import Catalogue

FORMATS = ("table", "csv", "json")


@dataclass(frozen=True)
class TaskRow:
    """One task as every output format shows it; built from store.queries.TaskDue."""

    task_id: int
    document_id: int
    document_title: str
    label: str
    title: str
    status: str
    effective_due: date | None
    due_source: str | None
    deadline_phrase: str | None
    units: tuple[tuple[str, str], ...]  # (unit name, role)


def days_left_text(due: date | None, as_of: date, texts: Catalogue) -> str:
    if due is None:
        return ""
    days = (due - as_of).days
    if days > 0:
        return texts.text("days.left", days=days)
    if days == 0:
        return texts.text("days.today")
    return texts.text("days.overdue", days=-days)


def units_text(units: Iterable[tuple[str, str]], texts: Catalogue) -> str:
    """"省财政厅（牵头）、各市州政府" — the role is shown only where it is not plain responsibility."""
    parts = []
    for name, role in units:
        parts.append(name if role == "responsible" else f"{name}（{texts.text(f'role.{role}')}）")
    return "、".join(parts)


def due_source_text(row: TaskRow, texts: Catalogue) -> str:
    source = texts.text(f"due_source.{row.due_source or 'none'}")
    return f"{source}：{row.deadline_phrase}" if row.due_source == "explicit" and row.deadline_phrase else source


def task_json(r: TaskRow) -> dict:
    """One task as JSON, with stable English keys for scripts."""
    return {
        "id": r.task_id,
        "document": {"id": r.document_id, "title": r.document_title},
        "label": r.label,
        "title": r.title,
        "units": [{"name": name, "role": role} for name, role in r.units],
        "effective_due": r.effective_due.isoformat() if r.effective_due else None,
        "due_source": r.due_source,
        "deadline_phrase": r.deadline_phrase,
        "status": r.status,
    }


def tasks_as_json(rows: Sequence[TaskRow]) -> str:
    """A JSON array, one object per task, with stable English keys for scripts."""
    return json.dumps([task_json(r) for r in rows], ensure_ascii=False, indent=2)


def write_json_array(objects: Iterable[object], out: TextIO) -> None:
    """The bytes of print(json.dumps(list(objects), ensure_ascii=False, indent=2)), written one
    object at a time, so that the list is never held whole."""
    opened = False
    for value in objects:
        # Indentation is the only newline json.dumps writes: one inside a string is escaped.
        out.write(",\n  " if opened else "[\n  ")
        out.write(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        opened = True
    out.write("\n]\n" if opened else "[]\n")


def write_json_lines(objects: Iterable[object], out: TextIO) -> None:
    """JSON Lines: one compact object per line."""
    for value in objects:
        out.write(json.dumps(value, ensure_ascii=False) + "\n")


# Excel and WPS read a CSV without a byte-order mark in the system's code page, which turns
# every Chinese cell into mojibake; with one they read UTF-8.
CSV_BOM = "\ufeff"


def task_header(texts: Catalogue) -> list[str]:
    return [texts.text(f"column.{c}") for c in ("id", "due", "source", "task", "units", "document", "status")]


def task_cells(r: TaskRow, texts: Catalogue) -> list[object]:
    return [r.task_id, r.effective_due.isoformat() if r.effective_due else "", due_source_text(r, texts),
            f"{r.label}. {r.title}", units_text(r.units, texts), r.document_title, texts.text(f"status.{r.status}")]


def tasks_as_csv(rows: Sequence[TaskRow], texts: Catalogue) -> str:
    return records_as_csv(task_header(texts), [task_cells(r, texts) for r in rows])


def write_csv(header: Sequence[str], records: Iterable[Sequence[object]], out: TextIO) -> None:
    """What records_as_csv returns, written one record at a time."""
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for record in records:
        writer.writerow(record)


def tasks_as_table(rows: Sequence[TaskRow], as_of: date, title: str | None, texts: Catalogue, *,
                   single_document: bool | None = None, caption: bool = True) -> Table:
    """The tasks as one table. A long listing is printed as several tables, one per block of rows:
    it then says whether the whole listing is of one plan, and only the last block has the caption."""
    # One plan's tasks name their plan once, in the caption, so a phone-width terminal keeps
    # room for what differs from row to row.
    documents = {r.document_title for r in rows}
    if single_document is None:
        single_document = len(documents) == 1
    table = Table(title=title, caption=next(iter(documents)) if single_document and caption and documents else None)
    columns = ["id", "due", "days", "source", "task", "units"] + ([] if single_document else ["document"])
    for column in columns + ["status"]:
        table.add_column(texts.text(f"column.{column}"), overflow="fold")
    for r in rows:
        cells = [str(r.task_id), r.effective_due.isoformat() if r.effective_due else "",
                 days_left_text(r.effective_due, as_of, texts), due_source_text(r, texts),
                 f"{r.label}. {r.title}", units_text(r.units, texts)]
        if not single_document:
            cells.append(r.document_title)
        table.add_row(*cells, texts.text(f"status.{r.status}"))
    return table


def records_as_csv(header: Sequence[str], records: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    write_csv(header, records, out)
    return out.getvalue()


def records_as_table(title: str | None, header: Sequence[str], records: Sequence[Sequence[object]]) -> Table:
    table = Table(title=title)
    for column in header:
        table.add_column(column, overflow="fold")
    for record in records:
        table.add_row(*("" if v is None else str(v) for v in record))
    return table
