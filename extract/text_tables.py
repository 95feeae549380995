"""Task tables that arrive as plain text, put back into rows for the one table path (tables.py).

A table copied from a web page or a Word file and pasted as text arrives in one of three shapes:

- one cell per line: the header cells on lines of their own ("序号", "重点任务", "牵头单位",
  "完成时限"), then the rows cell by cell;
- one row per line, cells separated by tabs;
- one row per line, columns aligned with runs of spaces.

Each is recognised by its header, read with the header vocabulary of data/tables.toml (a
header names a task column and a unit or deadline column), and its rows become a table block
of the document model (extract/document.py), as an HTML or .docx table does. Everything else is
left as it was. Linear in the number of lines.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from extract.patterns import compiled
from extract.segment import numbered
from extract.tables import Cell, column_kind, is_task_header, table_header
from extract.vocabulary import alternation, table

_UNITS = {"lead", "responsible", "cooperating"}
# A unit cell longer than this is a sentence, not a list of bodies.
_LONGEST_UNIT_CELL = 80
# A header of one cell per line has at least this many cells.
_FEWEST_HEADER_CELLS = 3
# More header cells than this is a list of words, not a table's header.
_MOST_HEADER_CELLS = 16
_TAB = re.compile(r"\t+")
_NOT_WORD = re.compile(r"[^\w#/]+")
_NOT_A_HEADER_CELL = re.compile(r"[：:。；;，,！？]")
# Longer than any header cell (tables.toml's longest_en): such a line is never one.
_LONGEST_HEADER_CELL = 60
# Aligned columns are two or more spaces (or one ideographic space) apart.
_ALIGNED = re.compile(r"(?: {2,}|\u3000+)")


@cache
def _header_word() -> re.Pattern:
    """Any header word of data/tables.toml, spaces and punctuation removed."""
    words = {_NOT_WORD.sub("", word.lower()) for kind in table("tables")["columns"].values()
             for language in ("zh", "en") for word in kind[language]}
    return compiled(alternation(filter(None, words)))


def _may_name_a_column(text: str) -> bool:
    """A cheap test that rules out most lines before `column_kind` (which tries every header
    word in turn) is asked: a line holding no header word names no column."""
    return bool(_header_word().search(_NOT_WORD.sub("", text.lower())))


def _header_cell_kind(line: str) -> str | None:
    """What column a line alone names, if it is a header cell ("牵头单位"), not a numbered
    heading that holds a header word ("一、重点任务")."""
    line = line.strip()
    # A header cell is a short name: never a labelled note ("责任单位：市财政局") or a sentence.
    if not line or len(line) > _LONGEST_HEADER_CELL or _NOT_A_HEADER_CELL.search(line):
        return None
    if not _may_name_a_column(line):
        return None
    if "\t" in line or _ALIGNED.search(line) or numbered(line) is not None:
        return None  # empty, a row of several cells, or a numbered heading
    return column_kind(line)


def _is_task_table(rows: list[list[Cell]]) -> bool:
    return len(rows) > 1 and table_header(rows) is not None


def _is_section_line(line: str) -> bool:
    item = numbered(line)
    return item is not None and item.style in table("structure")["sections"]["styles"]


def _section_row(text: str, width: int) -> list[Cell]:
    return [Cell(text)] + [Cell(text, from_left=True)] * (width - 1)


def _one_cell_per_line(lines: list[str], at: int) -> tuple[list[str] | None, int]:
    """The table starting at line `at` if its header is printed one cell per line, and where it
    ends; else None and the end of the run of header-word lines (no later start in that run
    can be a header either, so the run is read once)."""
    kinds: list[str | None] = []
    names: list[str] = []
    end = scan = at
    # Blank lines may stand between the cells (a Word file gives each its own paragraph).
    while scan < len(lines):
        if lines[scan].strip():
            if (kind := _header_cell_kind(lines[scan])) is None:
                break
            kinds.append(kind)
            names.append(lines[scan].strip())
            end = scan + 1
        scan += 1
    if not _FEWEST_HEADER_CELLS <= len(kinds) <= _MOST_HEADER_CELLS or not is_task_header(kinds):
        return None, max(end, at + 1)
    header_end = end
    header = [Cell(name) for name in names]
    rows: list[list[Cell]] = [header]
    if kinds[0] == "number":
        end = _rows_by_number(lines, end, kinds, rows)
    else:
        end = _rows_by_count(lines, end, kinds, rows)
    return (rows, end) if _is_task_table(rows) else (None, header_end)


_ROW_NUMBER = re.compile(r"\d{1,5}(?:\.\d{1,3}){0,3}")


def _first_row_numbers() -> frozenset[str]:
    """How a numbered table's first row may be numbered: 1, or 1.1 / 1.1.1 where rows are numbered
    within themes."""
    return frozenset({"1", "1.1", "1.1.1"})


def _next_row_numbers(number: str) -> frozenset[str]:
    """The numbers the row after `number` may carry: 3 → 4; 1.2 → 1.3, or 2.1 when a new theme
    begins; 1.2.3 → 1.2.4, 1.3.1, 2.1.1."""
    parts = [int(p) for p in number.split(".")]
    return frozenset(".".join(map(str, [*parts[:level], parts[level] + 1] + [1] * (len(parts) - level - 1)))
                     for level in range(len(parts)))


@cache
def _continued_markers() -> frozenset[str]:
    return frozenset(_NOT_WORD.sub("", word.lower()) for word in table("tables")["continued"]["markers"])


def _past_continuation(lines: list[str], at: int, header: list[str]) -> int | None:
    """Where the table goes on after a continuation at `at`: a marker line ("（续表）"), the header
    printed again, or both; None when no continuation stands there."""
    i = at
    if re.sub(r"\d+", "", _NOT_WORD.sub("", lines[i].lower())) in _continued_markers():
        i += 1
    repeated, j = 0, i
    while j < len(lines) and repeated < len(header):
        if lines[j].strip():
            if lines[j].strip() != header[repeated]:
                break
            repeated += 1
        j += 1
    if repeated == len(header):
        return j
    return i if i > at else None


def _rows_by_number(lines: list[str], start: int, kinds: list[str | None], rows: list[list[Cell]]) -> int:
    """Rows that open with their number (1, 2, 3…, or 1.1, 1.2, 2.1… within themes): a cell that
    runs over several lines joins the widest text column, section lines ("二、加强监管",
    "Theme 2: Heat") between rows become section rows, and a continuation ("（续表）" and the
    header again) between rows is passed over."""
    width = len(kinds)
    header = [cell.text for cell in rows[0]]
    expected = _first_row_numbers()
    i = start
    while i < len(lines):
        line = lines[i].strip()
        if not line:
            i += 1
            continue
        if (after := _past_continuation(lines, i, header)) is not None:
            i = after
            continue
        if _is_section_line(line) and line not in expected:
            rows.append(_section_row(line, width))
            i += 1
            continue
        if line not in expected or not _ROW_NUMBER.fullmatch(line):
            break
        following_numbers = _next_row_numbers(line)
        # The row runs to the next row's number, a section line, or, for the last row, one
        # line per column.
        cells = [line]
        j = i + 1
        while j < len(lines):
            following = lines[j].strip()
            if following and (after := _past_continuation(lines, j, header)) is not None:
                j = after  # a row cut by a page break goes on under the repeated header
                continue
            if following in following_numbers or (_is_section_line(following) and following not in following_numbers):
                break
            if following:
                cells.append(following)
            j += 1
            if len(cells) == width and (j >= len(lines) or lines[j].strip() not in following_numbers):
                # A full row not followed by the next number: the table ended with this row
                # unless more of this row's lines come before that number.
                ahead = _next_number_within(lines, j, following_numbers, width)
                if ahead is None:
                    break
        rows.append(_fit(cells, kinds))
        expected = following_numbers
        i = j
    return i


def _next_number_within(lines: list[str], start: int, numbers: frozenset[str], width: int) -> int | None:
    """Where one of `numbers` stands within the next `width` non-empty lines, if it does."""
    seen = 0
    for j in range(start, len(lines)):
        text = lines[j].strip()
        if not text:
            continue
        if text in numbers:
            return j
        seen += 1
        if seen >= width:
            return None
    return None


def _rows_by_count(lines: list[str], start: int, kinds: list[str | None], rows: list[list[Cell]]) -> int:
    """Without a number column, every `width` non-empty lines are a row, as long as they read as
    one: nothing marks where such a table ends, so the prose after it must not become rows."""
    width = len(kinds)
    i = start
    while True:
        cells, j = [], i
        while j < len(lines) and len(cells) < width:
            if lines[j].strip():
                cells.append(lines[j].strip())
            j += 1
        if len(cells) < width or _header_cell_kind(cells[0]) is not None or not _reads_as_row(cells, kinds):
            return i
        rows.append([Cell(text) for text in cells])
        i = j


def _reads_as_row(cells: list[str], kinds: list[str | None]) -> bool:
    """Unit cells are short lists of names, not sentences; a deadline cell names a time."""
    for text, kind in zip(cells, kinds):
        if kind in _UNITS and (len(text) > _LONGEST_UNIT_CELL or "。" in text or numbered(text)):
            return False
        if kind == "deadline" and not _reads_as_time(text):
            return False
    return True


def _reads_as_time(text: str) -> bool:
    """Whether a cell holds a deadline or a recurrence ("2027年6月底前", "每季度", "By 31 March 2027")."""
    from extract.timex import find_deadlines, find_recurrences  # imported here: dateparser is slow to load

    language = "en" if text.isascii() else "zh"
    # Any year will do: the question is whether a time is named, not which date it is.
    return bool(find_deadlines(text, 2000, language) or find_recurrences(text, language))


def _fit(cells: list[str], kinds: list[str | None]) -> list[Cell]:
    """A row of one cell per column from its lines: extra lines belong to the task text (the
    second column, after the number); when lines are missing, an empty cell was dropped in the
    paste, and a last line naming a time still belongs to a last deadline column."""
    width = len(kinds)
    if len(cells) > width:
        extra = len(cells) - width
        cells = [cells[0], "\n".join(cells[1:2 + extra]), *cells[2 + extra:]]
    elif len(cells) < width and len(cells) > 2 and kinds[-1] == "deadline" and _reads_as_time(cells[-1]):
        cells = cells[:-1] + [""] * (width - len(cells)) + cells[-1:]
    return [Cell(text) for text in cells] + [Cell("")] * (width - len(cells))


def _separated(lines: list[str], at: int, separator: re.Pattern) -> tuple[list[str], int] | None:
    """The table at line `at` if it is printed one row per line with `separator` between cells."""
    header = [cell.strip() for cell in separator.split(lines[at].strip())]
    if not 2 <= len(header) <= _MOST_HEADER_CELLS:
        return None
    kinds = [column_kind(cell) for cell in header]
    if not is_task_header(kinds):
        return None
    width = len(header)
    rows = [[Cell(text) for text in header]]
    end = at + 1
    while end < len(lines) and lines[end].strip():
        line = lines[end]
        cells = [cell.strip() for cell in separator.split(line.strip())]
        if len(cells) == 1 and not line[:1].isspace():
            if not _is_section_line(cells[0]):
                break
            rows.append(_section_row(cells[0], width))
        else:
            if line[:1].isspace() and len(cells) < width:
                cells = [""] + cells  # a continuation line: the number cell is empty
            rows.append([Cell(text) for text in cells[:width]] + [Cell("")] * (width - len(cells)))
        end += 1
    return (rows, end) if _is_task_table(rows) else None


_ALIGNED_CELL = re.compile(r"\S+(?: \S+)*")
_RULE_LINE = re.compile(r"[-=+|_ ]+")


def _aligned_by_position(lines: list[str], at: int) -> tuple[list[str], int] | None:
    """An English table aligned with spaces, read by where its header cells start: a cell's text
    belongs to the column it stands under, so an empty cell mid-row stays empty, and a line whose
    number column is blank continues the row above, cell by cell (a cell wrapped onto the next
    line: "Community" / "Development Councils"). Positions are trusted only in ASCII text, where
    one character is one column; CJK text is left to `_separated`."""
    header_line = lines[at].rstrip()
    if not header_line.isascii():
        return None
    header = [(match.start(), match.group()) for match in _ALIGNED_CELL.finditer(header_line)]
    if not 2 <= len(header) <= _MOST_HEADER_CELLS:
        return None
    kinds = [column_kind(name) for _, name in header]
    if not is_task_header(kinds):
        return None
    starts = [start for start, _ in header]
    width = len(header)
    rows = [[Cell(name) for _, name in header]]
    texts: list[list[str]] = []
    end = at + 1
    while end < len(lines) and lines[end].strip():
        line = lines[end].rstrip()
        end += 1
        if _RULE_LINE.fullmatch(line):
            continue  # the rule under the header
        cells = [""] * width
        for match in _ALIGNED_CELL.finditer(line):
            if not any(abs(match.start() - start) <= 1 for start in starts):
                return None  # not left-aligned under the header (centred, or tabs expanded): by runs of spaces
            # The column whose header starts at or before the text (a cell may sit a space early).
            column = max((k for k, start in enumerate(starts) if start <= match.start() + 1), default=0)
            cells[column] = f"{cells[column]} {match.group()}".strip()
        if not cells[0] and texts:
            texts[-1] = [f"{above} {more}".strip() for above, more in zip(texts[-1], cells)]
        elif cells[0] and not any(cells[1:]) and _is_section_line(cells[0]):
            texts.append([cells[0]] * width)
        else:
            texts.append(cells)
    for cells in texts:
        if len(set(cells)) == 1 and width > 1 and _is_section_line(cells[0]):
            rows.append(_section_row(cells[0], width))
        else:
            rows.append([Cell(text) for text in cells])
    return (rows, end) if _is_task_table(rows) else None


def text_tables(lines: list[str]) -> Iterator[tuple[int, int, list[list[Cell]]]]:
    """Where task tables pasted as plain text stand in the lines: (start, end, rows)."""
    i = 0
    while i < len(lines):
        line = lines[i]
        found = None
        if _header_cell_kind(line) is not None:
            rows, end = _one_cell_per_line(lines, i)
            if rows is None:
                # A short run may hold a line above the header that also names a column ("Action
                # table" above "No. / Action / Lead"): the header may start at the next line. A long
                # run is skipped whole, so reading stays linear.
                i += 1 if end - i <= _MOST_HEADER_CELLS + 1 else end - i
                continue
            found = rows, end
        # A row of cells (tabs or aligned columns) that names a column; the cheap test first.
        tabbed, aligned = "\t" in line.strip(), _ALIGNED.search(line.strip())
        if found is None and (tabbed or aligned) and _may_name_a_column(line):
            if tabbed:
                found = _separated(lines, i, _TAB)
            if found is None and aligned:
                found = _aligned_by_position(lines, i) or _separated(lines, i, _ALIGNED)
        if found is not None:
            rows, end = found
            yield i, end, rows
            i = max(end, i + 1)
            continue
        i += 1
