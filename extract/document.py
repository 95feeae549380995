"""The one document model every reader gives, and the one renderer that writes it as plan text.

A plan arrives as .txt, .md, .html, .docx, .xlsx or .pdf; each reader turns it into the same
blocks: headings (level and label), paragraphs, list items, tables with header-mapped cells
(merged cells expanded, spans bounded) and the blank lines the source shows (`Break`: between a
Word file's or a Markdown text's paragraphs, between a PDF's pages and a workbook's sheets).
`document_text` writes the blocks as the text segmentation reads: every block on its own lines,
a task table as the numbered items and labelled notes a prose plan prints (tables.py).

A table copied as plain text is found in the lines of the text blocks (`with_tables_in_text`)
and becomes a `Table` block like any other; a table that is already a block is not read again.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from extract.limits import MAX_TABLE_SPAN
from extract.segment import numbered
from extract.tables import Cell, TableHeader, table_header, task_table_text

__all__ = ["Block", "Break", "Cell", "Heading", "ListItem", "Paragraph", "Table", "bounded_span", "document_text", "heading", "map_text", "paragraphs_of", "prose_paragraphs_of", "spaced", "without_contents_lists", "task_table",
           "with_tables_in_text"]


@dataclass(frozen=True)
class Heading:
    level: int  # 1 for the top heading (<h1>, "#", Word's "Heading 1")
    label: str  # the number it opens with ("一", "3", "2.1"), "" when it has none
    text: str  # as printed, its number included
    # Written with its level as Markdown marks ("## 一、…") where the source printed them; a web
    # page's or a Word file's headings are read as their text, their numbering giving the level.
    marked: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str  # lines the source kept apart stay apart ("\n")


@dataclass(frozen=True)
class ListItem:
    label: str  # the marker as printed or numbered: "4.", "-", "" for an unmarked bullet
    text: str
    depth: int = 0  # 0 for an outermost list


@dataclass(frozen=True)
class Break:
    """A blank line: where the source ends a paragraph, a page or a sheet."""


@dataclass(frozen=True)
class Table:
    """A task table: its rows (merged cells repeated into every position they cover) and its header."""
    rows: tuple[tuple[Cell, ...], ...]
    header: TableHeader  # column kinds from the header vocabulary, header rows, the labels' language
    # The header row was inferred (from alignment or position), not named by the vocabulary: the
    # plan is flagged for review ("table_header_guessed").
    header_guessed: bool = False

    @property
    def header_rows(self) -> tuple[int, ...]:
        return self.header.header_rows

    @property
    def kinds(self) -> tuple[str | None, ...]:
        return self.header.kinds

    @cached_property
    def lines(self) -> list[str]:
        """The table as the numbered items and labelled notes a prose plan prints (tables.py);
        written once, however often the document is rendered."""
        return task_table_text(self.rows, self.header)


Block = Heading | Paragraph | ListItem | Break | Table


# A table found in lines of text: lines[start:end] are its rows (a task table's rows).
TableSpan = tuple[int, int, list[list[Cell]]]


def bounded_span(value) -> int:
    """A row- or colspan as a reader may honour it: at least 1, at most MAX_TABLE_SPAN (a rowspan of
    10,000 in a malformed file must not fill a grid that large); unreadable values count as 1."""
    try:
        return max(1, min(int(value), MAX_TABLE_SPAN))
    except (TypeError, ValueError):
        return 1


def task_table(rows: Iterable[Iterable[Cell]], header_guessed: bool = False) -> Table | None:
    """The rows as a task table, or None when the header vocabulary names no task table in them."""
    kept = tuple(tuple(row) for row in rows if row)
    header = table_header(kept)
    return None if header is None else Table(kept, header, header_guessed)


def heading(level: int, text: str, marked: bool = False) -> Heading:
    """A heading labelled with the number it opens with, as the segmenter reads numbers."""
    item = numbered(text)
    return Heading(level, item.number if item is not None else "", text, marked)


def spaced(blocks: Iterable[Block]) -> list[Block]:
    """The blocks with a blank line between each two: how a source that marks its paragraphs
    (a Word file, Markdown) is written."""
    out: list[Block] = []
    for block in blocks:
        if out:
            out.append(Break())
        out.append(block)
    return out


def paragraphs_of(text: str) -> list[Block]:
    """Plain text as blocks: a paragraph per line, a break per blank line."""
    return [Paragraph(line) if line else Break() for line in text.split("\n")]


# A plain-text file wraps its English prose at a fixed width: a line that stops inside a sentence
# where the next line's first word would not have fitted after it ("… will open applications for
# the Fellowship" / "Scheme in Q2 2027 and …") goes on on the next line, whatever case that opens
# with. The width is the file's longest line (less a little slack); runs of spaces inside a line align a table's columns
# and a table printed one cell per line wraps nothing (its lines end short of that width).
_WRAPPED_LINE_CHARS = 60
# A hand-wrapped text fills its lines less evenly than a program does: within a tenth of the width.
_WRAP_SLACK = 10
_ALIGNED_COLUMNS = re.compile(r"\S\s{3,}\S")
_SENTENCE_END = re.compile(r"[.!?:;)\]”’\"']$")
_LATIN_LINE = re.compile(r"^[\x20-\x7e\u00a0-\u024f\u2010-\u2027]+$")


def _wraps_into(line: str, following: str, width: int) -> bool:
    """Whether `following` is the rest of the English sentence `line`, wrapped at `width`, stopped in."""
    first_word = following.split()[0] if following.split() else ""
    line, following = line.rstrip(), following.strip()
    return (len(line.strip()) >= _WRAPPED_LINE_CHARS and len(line) + 1 + len(first_word) > width - width // _WRAP_SLACK
            and not _SENTENCE_END.search(line)
            and bool(_LATIN_LINE.match(line)) and bool(_LATIN_LINE.match(following))
            and (following[:1].isalnum() or following[:1] in "(\"“‘") and numbered(following) is None
            and not _ALIGNED_COLUMNS.search(line.strip()) and not _ALIGNED_COLUMNS.search(following))


def prose_paragraphs_of(text: str) -> list[Block]:
    """Plain text as blocks, as `paragraphs_of`, with English prose wrapped at a fixed width rejoined:
    one paragraph per sentence run, not per printed line."""
    blocks: list[Block] = []
    lines: list[str] = []
    width = max((len(line.rstrip()) for line in text.split("\n") if not _ALIGNED_COLUMNS.search(line.strip())),
                default=0)
    for line in [*text.split("\n"), ""]:
        if lines and line and _wraps_into(lines[-1], line, width):
            lines.append(line)
            continue
        if lines:
            blocks.append(Paragraph(lines[0] + "".join(" " + rest.strip() for rest in lines[1:])))
        lines = [line] if line else []
        if not line:
            blocks.append(Break())
    return blocks[:-1]


_CONTENTS_LEADER = re.compile(r"(?:[.\s…·_]{4,}|\s+)\d{0,4}$")
_NOT_A_WORD = re.compile(r"[\W_]+")
# A contents entry is a heading's words, not a sentence.
_LONGEST_CONTENTS_ENTRY = 100


def _entry_key(text: str) -> str:
    """A contents entry or a heading as compared: no number, leader, page number, marks or case."""
    text = text.strip().lstrip("#").strip()
    item = numbered(text)
    text = item.rest if item is not None and item.rest else text
    return _NOT_A_WORD.sub("", _CONTENTS_LEADER.sub("", text)).lower()


def without_contents_lists(blocks: list[Block], headings: Iterable[str]) -> list[Block]:
    """The blocks without a contents list: the entries under a contents heading (one of `headings`,
    "Contents", "目录") that repeat the headings of the parts below, whether printed as a list, as
    numbered lines or with dot leaders and page numbers. Each entry would otherwise read as a
    numbered item of the plan, or end its preamble before the preamble begins."""
    wanted = {_entry_key(h) for h in headings}
    dropped = False
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        out.append(block)
        i += 1
        # A plan prints one contents list: looking for one more would read the rest again for each
        # "Contents" line a (malformed) file repeats.
        if dropped or not isinstance(block, (Heading, Paragraph)) or _entry_key(block.text) not in wanted:
            continue
        entries, keys, j = [], set(), i
        while j < len(blocks) and isinstance(blocks[j], (ListItem, Paragraph, Break)):
            if not isinstance(blocks[j], Break):
                key = _entry_key(blocks[j].text)
                # The first part's own heading ("1.  PURPOSE" after "1.  Purpose …… 1") ends the list.
                if len(blocks[j].text) > _LONGEST_CONTENTS_ENTRY or "\n" in blocks[j].text or key in keys:
                    break
                entries.append(j)
                keys.add(key)
            j += 1
        if not entries:
            continue
        end = entries[-1] + 1
        later = {_entry_key(line) for b in blocks[end:] for line in block_lines(b)}
        if sum(_entry_key(blocks[k].text) in later for k in entries) * 2 >= len(entries):
            i, dropped = end, True
    return out


def block_lines(block: Block) -> list[str]:
    """The lines one block is written as."""
    if isinstance(block, Paragraph):
        return block.text.split("\n")
    if isinstance(block, Heading):
        marks = "#" * block.level + " " if block.marked else ""
        return (marks + block.text).split("\n")
    if isinstance(block, ListItem):
        return (f"{block.label} {block.text}" if block.label and block.text else block.label or block.text).split("\n")
    if isinstance(block, Table):
        return block.lines
    return [""]


def document_text(blocks: Iterable[Block]) -> str:
    """The blocks as the text segmentation reads: each on its own lines."""
    return "\n".join(line for block in blocks for line in block_lines(block))


def map_text(blocks: Iterable[Block], convert: Callable[[str], str]) -> list[Block]:
    """The blocks with every text (cells included) passed through `convert`; a table's header is
    read again from its converted cells."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = [[_converted(cell, convert) for cell in row] for row in block.rows]
            changed = any(new is not old for new_row, old_row in zip(rows, block.rows) for new, old in zip(new_row, old_row))
            out.append((task_table(rows, block.header_guessed) or block) if changed else block)
        elif isinstance(block, (Paragraph, Heading, ListItem)):
            out.append(replace(block, text=convert(block.text)))
        else:
            out.append(block)
    return out


def _converted(cell: Cell, convert: Callable[[str], str]) -> Cell:
    text = convert(cell.text)
    return cell if text == cell.text else replace(cell, text=text)


def with_tables_in_text(blocks: list[Block], find: Callable[[list[str]], Iterator[TableSpan]]) -> list[Block]:
    """The blocks with the tables `find` sees in the lines of their text made `Table` blocks.

    The lines of a run of text blocks are searched as one text (a table pasted one cell per line
    may run over many paragraphs); a block a table covers in part keeps its other lines as
    paragraphs.
    """
    out: list[Block] = []
    run: list[Block] = []
    for block in [*blocks, None]:
        if block is None or isinstance(block, Table):
            out += _with_found_tables(run, find) if run else []
            run = []
            if block is not None:
                out.append(block)
        else:
            run.append(block)
    return out


def _with_found_tables(run: list[Block], find: Callable[[list[str]], Iterator[TableSpan]]) -> list[Block]:
    lines: list[str] = []
    owners: list[int] = []  # per line, the index of its block in `run`
    for index, block in enumerate(run):
        written = block_lines(block)
        lines += written
        owners += [index] * len(written)
    spans = list(find(lines))
    if not spans:
        return run
    out: list[Block] = []
    at = 0  # the first line not yet given out
    for start, end, rows in spans:
        out += _lines_as_blocks(run, owners, lines, at, start)
        out.append(task_table(rows))
        at = end
    return out + _lines_as_blocks(run, owners, lines, at, len(lines))


def _lines_as_blocks(run: list[Block], owners: list[int], lines: list[str], start: int, end: int) -> list[Block]:
    """Lines start..end as the blocks they came from; a block cut by a table gives its lines as a paragraph."""
    out: list[Block] = []
    i = start
    while i < end:
        owner = owners[i]
        j = i
        while j < end and owners[j] == owner:
            j += 1
        whole = (i == 0 or owners[i - 1] != owner) and (j == len(owners) or owners[j] != owner)
        out.append(run[owner] if whole else Paragraph("\n".join(lines[i:j])))
        i = j
    return out
