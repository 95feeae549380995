"""A workbook (.xlsx, a 任务台账) -> the document model's blocks.

Each sheet is a grid. Above its task table a 台账 usually prints a title and a note ("填报单位：",
"2025年重点任务台账"), so the header row is the first row whose cells the header vocabulary of
data/tables.toml reads as a task table, and the rows from there on are one table block; the rows
above it are paragraphs (the title is what metadata.py reads). Merged cells are expanded as the other readers do: the top-left value
repeated, marked as continuing the cell to its left or above, so a merged section row becomes a
section heading and a merged unit cell belongs to every task it spans. Excel date cells become
ISO dates ("2025-06-30"). A sheet with no task table gives one paragraph per row, its cells
tab-joined; a blank line ends each sheet.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib

from extract.errors import InputTooLarge, UnreadableDocument
from extract.limits import MAX_SHEET_CELLS, MAX_TABLE_CELLS, MAX_TASK_TABLE_COLUMNS
from extract.document import Block, Break, Paragraph, task_table
from extract.tables import Cell, column_kind, is_task_header

# Rows searched for the header of a sheet's task table.
HEADER_SEARCH_ROWS = 30
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def xlsx_blocks(data: bytes, name: str, merged_by_part: dict[str, list[str]]) -> list[Block]:
    """Every visible sheet's blocks in workbook order, a blank line between sheets.

    `merged_by_part` maps a sheet's part name ("xl/worksheets/sheet1.xml") to its merged ranges,
    as the package check found them (openpyxl's read-only mode does not read them).
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError, TypeError, zipfile.BadZipFile, zlib.error,
            RuntimeError, NotImplementedError) as error:
        raise UnreadableDocument(name, "not a valid .xlsx file") from error
    sheets: list[list[Block]] = []
    cells_read = 0
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            # The stored dimension ("A1:XFD1048576" once a whole column was formatted) would pad
            # every row to it; the cells actually present are what is read.
            sheet.reset_dimensions()
            rows: list[list[str]] = []
            for row in sheet.iter_rows(values_only=True):
                cells_read += len(row)
                if cells_read > MAX_SHEET_CELLS:
                    raise InputTooLarge(name, f"more than {MAX_SHEET_CELLS:,} cells in the workbook")
                texts = [_cell_text(value) for value in row]
                while texts and not texts[-1]:
                    texts.pop()
                rows.append(texts)
            part = posixpath.normpath(str(getattr(sheet, "_worksheet_path", ""))).lstrip("/")
            grid = _merged_grid(rows, merged_by_part.get(part, []), name)
            sheets.append(_sheet_blocks(grid))
    except UnreadableDocument:
        raise
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, zlib.error, EOFError,
            RuntimeError, NotImplementedError) as error:
        raise UnreadableDocument(name, "not a valid .xlsx file") from error
    finally:
        workbook.close()
    blocks: list[Block] = []
    for sheet in filter(None, sheets):
        blocks += [Break(), *sheet] if blocks else sheet
    return blocks


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a 序号 typed as a number: "3", not "3.0"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _merged_grid(rows: list[list[str]], ranges: list[str], name: str) -> list[list[Cell]]:
    """The sheet as Cells, each merged range's value repeated into every position it covers."""
    width = max((len(row) for row in rows), default=0)
    grid = [[Cell(text) for text in row] + [Cell("")] * (width - len(row)) for row in rows]
    covered = 0
    for ref in ranges:
        corners = ref.split(":")
        matches = [_CELL_REF.match(corner) for corner in corners]
        if len(corners) != 2 or not all(matches):
            continue
        (c1, r1), (c2, r2) = ((_column_index(m[1]), int(m[2]) - 1) for m in matches)
        r2, c2 = min(r2, len(grid) - 1), min(c2, width - 1)
        if r1 > r2 or c1 > c2 or r1 >= len(grid):
            continue
        covered += (r2 - r1 + 1) * (c2 - c1 + 1)
        if covered > MAX_TABLE_CELLS:
            raise InputTooLarge(name, f"merged cells cover more than {MAX_TABLE_CELLS:,} cells")
        text = grid[r1][c1].text
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    grid[r][c] = Cell(text, from_above=r > r1 and c == c1, from_left=c > c1)
    return grid


def _is_header(row: list[Cell]) -> bool:
    # Counted on filled cells: rows are padded to the widest row of the sheet.
    if sum(1 for cell in row if cell.text) > MAX_TASK_TABLE_COLUMNS:
        return False
    return is_task_header(column_kind(cell.text) for cell in row if cell.text and not cell.from_left)


def _plain_rows(rows: list[list[Cell]]) -> list[Block]:
    paragraphs: list[Block] = []
    for row in rows:
        cells = [cell.text.replace("\n", " ") for cell in row if cell.text and not cell.from_left]
        if cells:
            paragraphs.append(Paragraph("\t".join(cells)))
    return paragraphs


def _sheet_blocks(grid: list[list[Cell]]) -> list[Block]:
    header_at = next((i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if _is_header(row)), None)
    if header_at is None:
        return _plain_rows(grid)
    # A header over two rows ("责任分工" above "牵头单位 | 配合单位") is found by tables.py from
    # its upper row, so the search starts one row up when that row is part of the header.
    start = header_at
    if header_at > 0 and any(cell.from_above for cell in grid[header_at]):
        start = header_at - 1
    found = task_table(grid[start:])
    if found is None:
        return _plain_rows(grid)
    return [*_plain_rows(grid[:start]), found]
