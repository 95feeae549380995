"""Task tables: a plan printed as a table, written out as the prose the rest of extraction reads.

A 任务分工方案 is very often a table (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限) and an
English action plan one too (Action | Lead | Partners | Timeline). Rather than a second
extraction path, each data row becomes what a prose plan prints:

    1.推进企业开办一日办结。整合登记、刻章等环节。
    牵头单位：县市场监管局；责任单位：县税务局；配合单位：县公安局；完成时限：2027年6月底前。

so segmentation, responsibility notes and deadline labels work unchanged. A row spanning the
table ("一、深化重点领域改革") becomes a section heading ("## 一、深化重点领域改革").

Rows that continue a task (an empty or vertically merged number cell, or without a number
column an empty or merged task cell) add their measures to that task as a further line, and
only the units and deadlines it does not have yet: a merged cell that python-docx repeats in
every row it spans is never written twice into one task. A merged unit cell shared by several
numbered tasks does belong to each of them, and each gets it.

Which header words name which column, and the labels rows are written under, live in
data/tables.toml. A table whose header names no task column and no unit or deadline column is
not a task table: `table_header` returns None and the reader keeps the table as rows of text.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache

from extract.limits import MAX_TASK_TABLE_COLUMNS
from extract.memo import per_document
from extract.patterns import compiled
from extract.segment import numbered
from extract.vocabulary import alternation, table

_ROLES = ("lead", "responsible", "cooperating")
_TASK_TEXT = ("task", "measures")
_CJK = r"\u3400-\u9fff"
_CHINESE_NUMERAL = re.compile(r"[一二三四五六七八九十百零〇两]+")
# A text ending like this is a finished sentence; anything else gets a full stop, so that the
# next line is never glued to it as the rest of a paragraph cut by a page break.
_SENTENCE_END = re.compile(r"[。！？!?.]$")
_TRAILING_SEPARATORS = "；;，,、：: "
# Spaces between two Chinese names in a unit cell separate units ("市财政局 市税务局").
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}）)])[ \u3000]+(?=[{_CJK}（(])")
# A header cell, compared: lower case, punctuation and spaces folded to one space.
_HEADER_NOISE = re.compile(r"[^\w#/]+")
# Section rows are printed as Markdown headings at this depth: a heading is a section to
# segment.py whatever number it carries, and closes the sections opened before the table.
_SECTION_MARKS = "##"
# Markdown pipe tables: the delimiter row under the header ("|---|:---:|").
# "---|---" or, as psql and plain-text tables print it, "----+----": "+" joins the columns' dashes.
_MD_DELIMITER = re.compile(r"^\s*[|+]?\s*:?-+:?\s*(?:[|+]\s*:?-+:?\s*)+[|+]?\s*$")
_MD_CELL_BREAK = re.compile(r"<br\s*/?>", re.I)
_LABELLED_VALUE = re.compile(r"[:：]\s*[^\s*_:：]")


@dataclass(frozen=True)
class Cell:
    """One position of a table's grid."""
    text: str  # the cell's paragraphs joined by "\n"
    from_above: bool = False  # the lower part of a vertically merged cell; text repeats the one above
    from_left: bool = False  # the right part of a horizontally merged cell; text repeats the one left


@dataclass(frozen=True)
class TableHeader:
    """What a task table's header says: the kind of every column and where the data rows begin."""
    kinds: tuple[str | None, ...]  # column kind from data/tables.toml, None for any other column
    names: tuple[str, ...]  # header text per column, for columns written under their own name
    first_data_row: int
    language: str  # "zh" or "en": which labels rows are written under
    captions: tuple[str, ...] = ()  # a title row above the header ("重点任务分工表"), kept as a line

    @property
    def header_rows(self) -> tuple[int, ...]:
        """The rows the header takes (a caption row above it excluded)."""
        return tuple(range(len(self.captions), self.first_data_row))


@cache
def _vocabulary() -> dict:
    return table("tables")


def _fold(text: str) -> str:
    return _HEADER_NOISE.sub(" ", text.lower()).strip()


@cache
def _header_words() -> list[tuple[str, str]]:
    """(folded word, kind), longest first."""
    pairs = [(_fold(word), kind) for kind, words in _vocabulary()["columns"].items()
             for language in ("zh", "en") for word in words[language]]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


def column_kind(header_cell: str) -> str | None:
    """What a header cell names: "number", "task", "measures", a role, "deadline", "officer", or None.

    A milestone column names the work where nothing else does, so on its own it reads as "task";
    beside the other header cells `_kinds` may make it the deadline or a step instead."""
    kind = _column_kind(header_cell)
    return "task" if kind == "milestone" else kind


@cache
def _header_word_rows() -> tuple[dict[str, str], tuple[tuple[str, str, str, re.Pattern | None], ...]]:
    """The header words as `_column_kind` tries them, built once: {spaceless word: kind} for a cell
    that is one word (the longest word's kind where two fold alike), and (word, kind, spaceless word,
    pattern) longest first, the pattern a Latin word's, found between word boundaries."""
    whole: dict[str, str] = {}
    rows = []
    for word, kind in _header_words():
        spaceless = word.replace(" ", "")
        whole.setdefault(spaceless, kind)
        latin = None if re.search(f"[{_CJK}]", word) else compiled(rf"(?<![\w#]){re.escape(word)}(?![\w#])")
        rows.append((word, kind, spaceless, latin))
    return whole, tuple(rows)


@per_document()
def _column_kind(header_cell: str) -> str | None:
    # "Lead: Finance Team" is a labelled value, not a header cell naming a column.
    if _LABELLED_VALUE.search(header_cell):
        return None
    folded = _fold(header_cell)
    longest = _vocabulary()["header"]["longest_zh" if re.search(f"[{_CJK}]", folded) else "longest_en"]
    if not folded or len(folded) > longest:
        return None
    spaceless = folded.replace(" ", "")
    whole, rows = _header_word_rows()
    if spaceless in whole:
        return whole[spaceless]
    # "重点任务及具体措施": the word that comes first names the column.
    found = []
    for word, kind, spaceless_word, latin in rows:
        if latin is None:
            at = spaceless.find(spaceless_word)
        else:
            match = latin.search(folded)
            at = match.start() if match else -1
        if at >= 0:
            found.append((at, -len(word), kind))
    return min(found)[2] if found else None


def _kinds(row: list[Cell]) -> list[str | None]:
    return _resolve_milestones([None if cell.from_left else _column_kind(cell.text) for cell in row])


def _resolve_milestones(kinds: list[str | None]) -> list[str | None]:
    """What a "Milestone" column holds depends on its neighbours: the work itself where no other
    column names it ("Milestone | Target Date | Responsible Party"), the date where no other column
    gives one ("Commitment | Lead team | Milestone"), else a step of the task's text."""
    if "milestone" not in kinds:
        return kinds
    first = kinds.index("milestone")
    if "task" not in kinds:
        role = "task"
    elif "deadline" not in kinds:
        role = "deadline"
    else:
        role = "milestone"  # a step, or the task itself under a grouping action: the rows decide
    # Only one column is the task; any further milestone column is a date or a step.
    later = "deadline" if role == "task" and "deadline" not in kinds else "measures" if role == "task" else role
    return [(role if i == first else later) if kind == "milestone" else kind for i, kind in enumerate(kinds)]


def is_task_header(kinds) -> bool:
    """Whether a header's column kinds make a task table: a task column, and a unit or deadline one."""
    present = set(kinds)
    return bool(present & set(_TASK_TEXT)) and bool(present & {*_ROLES, "deadline"})


def _is_sub_header(upper: list[Cell], lower: list[Cell], lower_kinds: list[str | None]) -> bool:
    """A second header row under merged header cells ("责任分工" over "牵头单位 | 配合单位")."""
    new_words = 0
    for above, cell, kind in zip(upper, lower, lower_kinds):
        if not cell.text or cell.from_left:
            continue
        if cell.from_above or cell.text == above.text:
            continue
        if kind is None:
            return False
        new_words += 1
    return new_words > 0


def _header(rows: list[list[Cell]]) -> TableHeader | None:
    """The task table's header: its first row, its first two rows, or its second row under a caption."""
    first = _kinds(rows[0])
    second = _kinds(rows[1]) if len(rows) > 1 else []
    candidates = []
    if len({c.text for c in rows[0] if c.text.strip()}) <= 1:
        # One text across the table is its caption ("重点任务分工表"), however task-like it reads.
        first = [None] * len(first)
    elif second and _is_sub_header(rows[0], rows[1], second):
        names = [b.text if b.text and not b.from_above else a.text for a, b in zip(*rows[:2])]
        candidates.append(([b or a for a, b in zip(first, second)], 2, names, ()))
    candidates.append((first, 1, [c.text for c in rows[0]], ()))
    if second:
        caption = "".join(dict.fromkeys(c.text for c in rows[0] if c.text.strip()))
        candidates.append((second, 2, [c.text for c in rows[1]], (caption,) if caption else ()))
    for kinds, first_data_row, names, captions in candidates:
        if is_task_header(kinds):
            language = "zh" if re.search(f"[{_CJK}]", "".join(names)) else "en"
            return TableHeader(tuple(kinds), tuple(names), first_data_row, language, captions)
    return None


def _pad(row: list[Cell], width: int) -> list[Cell]:
    return (row + [Cell("")] * width)[:width]


@cache
def _empty_marks() -> frozenset[str]:
    return frozenset(mark.lower() for mark in _vocabulary()["cells"]["empty"])


def _without_placeholders(row: list[Cell]) -> list[Cell]:
    """The row with cells that only say "nothing here" ("—", "无", "n/a") made empty."""
    return [Cell("", c.from_above, c.from_left) if c.text.strip().lower() in _empty_marks() else c for c in row]


def _join_sentences(paragraphs: list[str], language: str) -> str:
    """Paragraphs of one cell as one line; a paragraph without an end gets one."""
    out = ""
    for paragraph in paragraphs:
        if out and not re.search(r"[。；;：:！？!?，,、.]$", out):
            out += "。" if language == "zh" else "."
        out += (" " if out and language == "en" else "") + paragraph
    return out


def _sentence(text: str, language: str) -> str:
    text = text.rstrip(_TRAILING_SEPARATORS)
    if not text or _SENTENCE_END.search(text):
        return text
    return text + ("。" if language == "zh" else ".")


@cache
def _unit_cell_words() -> tuple[re.Pattern, re.Pattern]:
    cells = _vocabulary()["cells"]
    lead_in = alternation(cells["unit_lead_ins"])
    joiners = alternation(cells["unit_joiners"])
    return compiled(rf"^(?:{lead_in})\s+", re.I), compiled(rf",?\s+(?:{joiners})\s+", re.I)


def _unit_list(text: str, language: str) -> str:
    """A unit cell as one list: one unit per paragraph, or names separated by spaces; words that
    only lead into the names ("Required for all agencies") or join them ("X, as well as Y") go."""
    separator = "、" if language == "zh" else ", "
    names = [_SPACE_BETWEEN_CJK.sub("、", line) for line in text.split("\n")]
    if language == "en":
        lead_in, joiner = _unit_cell_words()
        names = [joiner.sub(", ", lead_in.sub("", name)) for name in names]
    return separator.join(names).rstrip("。.；;，, ")


def _deadline_value(text: str, language: str) -> str:
    return ("，" if language == "zh" else ", ").join(text.split("\n")).rstrip("。.；; ")


def _is_section_number(text: str) -> bool:
    item = numbered(text)
    return item is not None and item.style in table("structure")["sections"]["styles"]


def _item_label(number: str) -> str | None:
    """The row's own number as an item number the segmenter reads ("3" -> "3.", "二" -> "（二）")."""
    if re.fullmatch(r"\d{1,3}", number):
        return f"{number}."
    if re.fullmatch(r"\d{1,2}\.\d{1,2}", number):
        return number
    if _CHINESE_NUMERAL.fullmatch(number):
        return f"（{number}）"
    # Already printed as an item number ("（三）", "4.", "5、", "⑥"), and nothing more.
    # (probed with a capital: a code like "A1" numbers only a sentence, "A1 Provide …")
    item = numbered(number + " X")
    if item is not None and item.rest == "X" and not item.is_heading:
        return number
    return None


@dataclass
class _Task:
    """What has been written for the task being read, so continuation rows do not repeat it."""
    written: dict[int, set[str]] = field(default_factory=dict)

    def is_new(self, column: int, value: str) -> bool:
        seen = self.written.setdefault(column, set())
        if value in seen:
            return False
        seen.add(value)
        return True


class _TableWriter:
    """Writes a task table's data rows out as numbered items and labelled notes."""

    def __init__(self, header: TableHeader, data_rows: list[list[Cell]]):
        self.header = header
        self.width = len(header.kinds)
        self.columns = {kind: [i for i, k in enumerate(header.kinds) if k == kind] for kind in set(header.kinds)}
        self.labels = _vocabulary()["labels"][header.language]
        number_columns = self.columns.get("number", [])
        self.numbered_rows = bool(number_columns) and any(
            row[number_columns[0]].text.strip() for row in data_rows if len(row) > number_columns[0])
        self.task: _Task | None = None
        self.previous: list[Cell] = []
        self.count = 0

    def lines(self, row: list[Cell]) -> list[str]:
        row = _pad(row, self.width)
        if [c.text for c in row] == list(self.header.names):
            return []  # the header repeated where the table crossed a page
        row = _without_placeholders(row)
        if not any(cell.text.strip() for cell in row):
            return []  # an empty row
        if (section := self._section(row)) is not None:
            self.task, self.previous = None, row
            return [f"{_SECTION_MARKS} {section}"]
        heading = self._group_heading(row)
        continues = self.task is not None and not heading and self._continues(row)
        if not continues:
            self.task = _Task()
            self.count += 1
        lines = [line for line in (heading, self._item_line(row, continues), self._note_line(row)) if line]
        self.previous = row
        return lines

    def _group_heading(self, row: list[Cell]) -> str:
        """The section heading a row's grouping action opens, when it opens one."""
        group = self._cell(row, "action_group")
        if group is None or group.from_above or not group.text.strip():
            return ""
        before = self._cell(self.previous, "action_group") if self.previous else None
        if before is not None and before.text == group.text:
            return ""
        return f"{_SECTION_MARKS} {' '.join(group.text.split())}"

    def _section(self, row: list[Cell]) -> str | None:
        """The heading of a row that only names a section of the table."""
        filled = [(i, c) for i, c in enumerate(row) if c.text.strip() and not c.from_left]
        if len({c.text for _i, c in filled}) != 1 or filled[0][1].from_above:
            return None
        column, cell = filled[0]
        text = " ".join(cell.text.split("\n")) if self.header.language == "en" else "".join(cell.text.split("\n"))
        spans_row = len(row) > 1 and all(c.from_left for c in row[column + 1:]) and column == 0
        in_number_column = self.header.kinds[column] == "number" and _item_label(text) is None
        return text if spans_row or in_number_column or _is_section_number(text) else None

    def _cell(self, row: list[Cell], kind: str) -> Cell | None:
        columns = self.columns.get(kind)
        return row[columns[0]] if columns else None

    def _continues(self, row: list[Cell]) -> bool:
        number = self._cell(row, "number")
        if self.numbered_rows and number is not None:
            before = self._cell(self.previous, "number") if self.previous else None
            return (not number.text.strip() or number.from_above
                    or (before is not None and number.text.strip() == before.text.strip()))
        task = self._cell(row, "task")
        if task is None:
            return False
        before = self._cell(self.previous, "task") if self.previous else None
        return not task.text.strip() or task.from_above or (before is not None and task.text == before.text)

    def _item_line(self, row: list[Cell], continues: bool) -> str:
        language = self.header.language
        parts = []
        for i, (kind, cell) in enumerate(zip(self.header.kinds, row)):
            text = cell.text.strip()
            if cell.from_left or not text or kind in (*_ROLES, "deadline", "number", "action_group"):
                continue
            if not self.task.is_new(i, text):
                continue  # a merged cell repeated, or the task's own title on a continuation row
            text = _join_sentences(text.split("\n"), language)
            if kind not in _TASK_TEXT:  # no known kind, or an officer: kept under its own header
                colon = "：" if language == "zh" else ": "
                text = f"{self.header.names[i].strip()}{colon}{text}"
            parts.append(_sentence(text, language))
        body = ("" if language == "zh" else " ").join(parts)
        if continues:
            return body
        own = self._cell(row, "number")
        item = numbered(body)
        if (own is None or not own.text.strip()) and item is not None and not item.is_heading:
            return body  # the task cell opens with its own number ("C5  Bring empty homes back…")
        label = self._label(row)
        return f"{label}{' ' if language == 'en' else ''}{body}"

    def _label(self, row: list[Cell]) -> str:
        number = self._cell(row, "number")
        own = _item_label(number.text.strip()) if number is not None else None
        return own or f"{self.count}."

    def _note_line(self, row: list[Cell]) -> str:
        language = self.header.language
        notes = []
        for kind in (*_ROLES, "deadline"):
            values = []
            for i in self.columns.get(kind, []):
                cell = row[i]
                if cell.from_left or not cell.text.strip():
                    continue
                value = (_deadline_value if kind == "deadline" else _unit_list)(cell.text.strip(), language)
                if value and self.task.is_new(i, value):
                    values.append(value)
            if values:
                colon = "：" if language == "zh" else ": "
                joiner = ("，" if kind == "deadline" else "、") if language == "zh" else ", "
                notes.append(f"{self.labels[kind]}{colon}{joiner.join(values)}")
        if not notes:
            return ""
        return _sentence(("；" if language == "zh" else "; ").join(notes), language)


def _with_milestone_rows(header: TableHeader, data_rows: list[list[Cell]]) -> TableHeader:
    """"Action | Milestone | Target Date | Owner": where one action spans several rows (a merged,
    repeated or empty action cell), each milestone row has its own date and owner and is the task,
    under its action as a section; where every row has an action of its own, the milestone is a
    step of that action's text."""
    if "milestone" not in header.kinds:
        return header
    task = header.kinds.index("task")
    cells = [row[task] if len(row) > task else Cell("") for row in data_rows]
    grouped = any(cell.from_above or not cell.text.strip() or cell.text == before.text
                  for before, cell in zip(cells, cells[1:]))
    if not grouped:
        kinds = ["measures" if kind == "milestone" else kind for kind in header.kinds]
    else:
        kinds = ["action_group" if i == task else "task" if kind == "milestone" else kind
                 for i, kind in enumerate(header.kinds)]
    return replace(header, kinds=tuple(kinds))


def table_header(rows: list[list[Cell]]) -> TableHeader | None:
    """The header of a task table, or None when the rows are not one (nor is a table wider than any
    task table: its header would be looked up cell by cell, whatever the format). Empty rows are
    the caller's to drop."""
    if not rows or max(map(len, rows)) > MAX_TASK_TABLE_COLUMNS:
        return None
    header = _header(rows)
    return None if header is None else _with_milestone_rows(header, rows[header.first_data_row:])


def task_table_text(rows, header: TableHeader) -> list[str]:
    """A task table's rows written out as plan text under its header."""
    lines = list(header.captions)
    data_rows = [list(row) for row in rows[header.first_data_row:]]
    writer = _TableWriter(header, data_rows)
    for row in data_rows:
        lines += writer.lines(row)
    return [line for line in lines if line]


def pipe_tables(lines: list[str]) -> Iterator[tuple[int, int, list[list[Cell]]]]:
    """Where Markdown pipe tables that are task tables stand in the lines: (start, end, rows)."""
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and "|" in lines[i] and _MD_DELIMITER.match(lines[i + 1]):
            end = i + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            rows = [_markdown_row(line) for line in [lines[i], *lines[i + 2:end]]]
            if table_header([row for row in rows if row]) is not None:
                yield i, end, rows
            i = end
            continue
        i += 1


def _markdown_row(line: str) -> list[Cell]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    cells = re.split(r"(?<!\\)\|", line)
    out = []
    for cell in cells:
        cell = _MD_CELL_BREAK.sub("\n", cell.replace("\\|", "|"))
        # Emphasis inside a cell ("**7.1** Make the tool available") is no part of its text.
        paragraphs = [re.sub(r"\*\*|__", "", p).strip().strip("*_").strip() for p in cell.split("\n")]
        out.append(Cell("\n".join(p for p in paragraphs if p)))
    return out
