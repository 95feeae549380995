"""Printing listings that may be long (due, overdue, tasks, units): a terminal gets the first page
and a line saying how to see more; CSV, JSON and JSON Lines are written row by row as the store
yields them, so memory does not grow with the number of rows."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import Enum
from itertools import islice
from typing import Protocol

import typer
from rich.console import Console

from bot.i18n import Catalogue
from bot.render import (TaskRow, records_as_table, task_cells, task_header, task_json, tasks_as_table, write_csv,
                        write_json_array, write_json_lines)

# Rows a terminal shows unless --limit or --all says otherwise.
PAGE = 50
# Rows per rich table when a long table is printed whole: rich measures every cell of a table
# before printing it, so one table of 40,000 rows held them all (and half a gigabyte).
TABLE_BLOCK = 1000


class ListFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


# The options every list command takes.
FORMAT_OPTION = typer.Option(ListFormat.table, "--format", help="table | csv | json | jsonl")
LIMIT_OPTION = typer.Option(None, "--limit", min=1, help="最多显示多少条（终端默认 50）/ "
                                                         "At most this many rows (a terminal shows 50 by default).")
ALL_OPTION = typer.Option(False, "--all", help="全部显示 / Every row, also on a terminal.")


class TaskListing(Protocol):
    """What store.queries.TaskList offers (kept structural: this module loads nothing of the store)."""

    def count(self) -> int: ...

    def document_count(self) -> int: ...

    def rows(self, limit: int | None = None) -> Iterator: ...


def row_limit(fmt: ListFormat, limit: int | None, show_all: bool, terminal: bool) -> int | None:
    """How many rows to print: all with --all, else --limit, else a page on a terminal's table."""
    if show_all:
        return None
    if limit is not None:
        return limit
    return PAGE if fmt is ListFormat.table and terminal else None


def task_row(r) -> TaskRow:
    """A store.queries.TaskDue as the renderers take it."""
    return TaskRow(task_id=r.task_id, document_id=r.document_id, document_title=r.document_title,
                   label=r.label, title=r.title, status=r.status, effective_due=r.effective_due,
                   due_source=r.due_source, deadline_phrase=r.deadline_phrase, units=tuple(r.units))


def print_task_listing(listing: TaskListing, fmt: ListFormat, limit: int | None, title: Callable[[int], str],
                       as_of: date, texts: Catalogue, console: Console) -> None:
    """The listing in the chosen format, its first `limit` rows (all for None); `title(count)`
    heads a table."""
    rows = (task_row(r) for r in listing.rows(limit))
    if fmt is ListFormat.json:
        write_json_array((task_json(r) for r in rows), sys.stdout)
    elif fmt is ListFormat.jsonl:
        write_json_lines((task_json(r) for r in rows), sys.stdout)
    elif fmt is ListFormat.csv:
        write_csv(task_header(texts), (task_cells(r, texts) for r in rows), sys.stdout)
    else:
        total = listing.count()
        if total == 0:
            console.print(title(0), markup=False)
            console.print(texts.text("message.nothing"), markup=False)
            return
        shown = total if limit is None else min(limit, total)
        if shown <= TABLE_BLOCK:
            console.print(tasks_as_table(list(rows), as_of, title(total), texts))
        else:
            single = listing.document_count() == 1
            for number, block in enumerate(_blocks(rows, TABLE_BLOCK)):
                last = (number + 1) * TABLE_BLOCK >= shown
                console.print(tasks_as_table(block, as_of, title(total) if number == 0 else None, texts,
                                             single_document=single, caption=last))
        _more_line(total, shown, texts, console)


def print_record_listing(items: Iterable, total: int, fmt: ListFormat, limit: int | None, *, header: list[str],
                         cells: Callable[[object], tuple], as_json: Callable[[object], dict], title: str,
                         empty: str, texts: Catalogue, console: Console) -> None:
    """A listing of other things (units), like print_task_listing: `cells(item)` is its table and
    CSV row, `as_json(item)` its JSON object; `total` is how many there are in all."""
    items = islice(items, limit) if limit is not None else iter(items)
    if fmt is ListFormat.json:
        write_json_array((as_json(i) for i in items), sys.stdout)
    elif fmt is ListFormat.jsonl:
        write_json_lines((as_json(i) for i in items), sys.stdout)
    elif fmt is ListFormat.csv:
        write_csv(header, (cells(i) for i in items), sys.stdout)
    elif total == 0:
        console.print(empty, markup=False)
    else:
        for number, block in enumerate(_blocks((cells(i) for i in items), TABLE_BLOCK)):
            console.print(records_as_table(title if number == 0 else None, header, block))
        _more_line(total, total if limit is None else min(limit, total), texts, console)


def _more_line(total: int, shown: int, texts: Catalogue, console: Console) -> None:
    if shown < total:
        console.print(texts.text("lists.more", rest=total - shown, total=total), markup=False, highlight=False)


def _blocks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while block := list(islice(iterator, size)):
        yield block
