"""HTML -> plan text in one streaming pass, in time and memory linear in the page.

A tree library is not used here on purpose: BeautifulSoup's `insert_after` and `find_parent`
walk the tree, so a page nested 20,000 deep took 22 s, and lxml's HTML parser silently drops
everything nested deeper than 256 (2,048 with huge_tree) elements, losing text without a word.
The stdlib tokenizer feeds a stack of open elements instead: each element is pushed and popped
once, text goes straight to the output, and a table's cells are remembered as slices of that
output until the table ends, when a task table is written out as plan text (see tables.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from extract.limits import (MAX_HTML_ELEMENTS, MAX_TABLE_CELLS, MAX_TABLE_SPAN, MAX_TASK_TABLE_COLUMNS,
                            InputTooLarge)
from extract.tables import Cell, task_table_lines

# <nav> holds menus and breadcrumbs, never the plan: a breadcrumb repeating the title would be
# taken for it.
HTML_DROPPED_ELEMENTS = frozenset({"script", "style", "noscript", "template", "head", "nav"})
HTML_BLOCK_ELEMENTS = frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "thead", "tfoot", "tr", "ul", "body", "html",
})
HTML_CELL_ELEMENTS = frozenset({"td", "th"})
# Page chrome: lists inside these are navigation, never numbered plan items.
HTML_CHROME_ELEMENTS = frozenset({"nav", "header", "footer"})
# Elements that never have content or an end tag.
HTML_VOID_ELEMENTS = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})
_SPACES = re.compile(r"[ \t\r\n\f]+")


@dataclass
class _CellSlice:
    start: int  # index in the output where the cell's text begins
    end: int | None
    rowspan: int
    colspan: int


@dataclass
class _Table:
    start: int  # index in the output just after the table's opening line break
    depth: int  # stack height when the table opened
    nested: bool
    holds_table: bool = False
    rows: list[list[_CellSlice]] = field(default_factory=list)
    row_depth: int | None = None  # stack height of the open <tr>, if one is open
    cell_depth: int | None = None  # stack height of the open <td>/<th>, if one is open
    grid_cells: int = 0  # grid positions the spans will fill, counted as cells arrive


class _PlanTextParser(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__(convert_charrefs=True)
        self.name = name
        self.out: list[str] = []
        self.stack: list[str] = []
        self.open_count: dict[str, int] = {}
        self.dropped = 0  # open elements whose content is not shown
        self.pre = 0
        self.tables: list[_Table] = []
        self.elements = 0
        # Open lists, innermost last: the next ordinal of an <ol>, None for a <ul> (or a list in
        # page chrome). An <ol>'s numbers live in the markup ("<ol start=4>"), so they are written
        # into the text for segmentation to see "4. …" as it would in a printed plan.
        self.lists: list[int | None] = []
        self.chrome = 0  # open <nav>/<header>/<footer>: breadcrumbs and link lists are not items

    # -- the stack ---------------------------------------------------------------------------
    def _push(self, tag: str) -> None:
        self.stack.append(tag)
        self.open_count[tag] = self.open_count.get(tag, 0) + 1

    def _pop(self) -> None:
        tag = self.stack.pop()
        self.open_count[tag] -= 1
        self._ended(tag)

    def _pop_to_height(self, height: int) -> None:
        while len(self.stack) > height:
            self._pop()

    # -- tokens -----------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs) -> None:
        self.elements += 1
        if self.elements > MAX_HTML_ELEMENTS:
            raise InputTooLarge(self.name, f"more than {MAX_HTML_ELEMENTS:,} HTML elements")
        if tag == "body" and self.open_count.get("head"):
            while self.open_count.get("head"):
                self._pop()  # a <head> left open: the body is not part of it
        if tag == "br":
            if not self.dropped:
                self.out.append("\n")
            return
        if tag in HTML_VOID_ELEMENTS:
            if tag in HTML_BLOCK_ELEMENTS and not self.dropped:
                self.out.append("\n\n")
            return
        table = self.tables[-1] if self.tables else None
        if table is not None and tag in ("tr", *HTML_CELL_ELEMENTS):
            # A new row or cell closes the one left open ("<td>a<td>b").
            open_at = table.row_depth if tag == "tr" else table.cell_depth
            if open_at is not None:
                self._pop_to_height(open_at - 1)
        self._started(tag, dict(attrs))
        self._push(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in HTML_VOID_ELEMENTS and self.stack and self.stack[-1] == tag:
            self._pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.open_count.get(tag):
            if tag == "br" and not self.dropped:
                self.out.append("\n")  # "</br>" is read as <br> by browsers
            return  # an end tag with nothing to close
        while self.stack[-1] != tag:
            self._pop()
        self._pop()

    def handle_data(self, data: str) -> None:
        if self.dropped:
            return
        self.out.append(data if self.pre else _SPACES.sub(" ", data))

    # -- what elements do -------------------------------------------------------------------
    def _started(self, tag: str, attrs: dict) -> None:
        if tag in HTML_DROPPED_ELEMENTS:
            self.dropped += 1
        if self.dropped:
            return
        if tag == "pre":
            self.pre += 1
        if tag in HTML_BLOCK_ELEMENTS:
            self.out.append("\n")
        if tag in HTML_CHROME_ELEMENTS:
            self.chrome += 1
        elif tag in ("ol", "ul"):
            # Only an outermost list of decimal numbers: a list inside an item is its sub-steps,
            # and "a.", "i." or counting down are not the plan's item numbers.
            ordered = (tag == "ol" and not self.chrome and not self.lists and "reversed" not in attrs
                       and (attrs.get("type") or "1") == "1")
            self.lists.append(_ordinal(attrs.get("start"), 1) if ordered else None)
        elif tag == "li" and self.lists and self.lists[-1] is not None:
            number = _ordinal(attrs.get("value"), self.lists[-1])
            self.lists[-1] = number + 1
            self.out.append(f"{number}. ")
        height = len(self.stack) + 1
        if tag == "table":
            if self.tables:
                self.tables[-1].holds_table = True
            self.tables.append(_Table(len(self.out), height, nested=bool(self.tables)))
        elif self.tables:
            table = self.tables[-1]
            if tag == "tr":
                table.rows.append([])
                table.row_depth = height
            elif tag in HTML_CELL_ELEMENTS and table.row_depth is not None:
                rowspan, colspan = _span(attrs.get("rowspan")), _span(attrs.get("colspan"))
                table.grid_cells += rowspan * colspan
                if table.grid_cells > MAX_TABLE_CELLS:
                    raise InputTooLarge(self.name, f"a table spans more than {MAX_TABLE_CELLS:,} cells")
                table.rows[-1].append(_CellSlice(len(self.out), None, rowspan, colspan))
                table.cell_depth = height

    def _ended(self, tag: str) -> None:
        if tag in HTML_DROPPED_ELEMENTS:
            self.dropped -= 1
            return
        if self.dropped:
            return
        if tag == "pre":
            self.pre -= 1
        if tag in HTML_CHROME_ELEMENTS:
            self.chrome -= 1
        elif tag in ("ol", "ul") and self.lists:
            self.lists.pop()
        height = len(self.stack) + 1
        table = self.tables[-1] if self.tables else None
        if table is not None and tag != "table":
            if tag in HTML_CELL_ELEMENTS and table.cell_depth == height:
                table.rows[-1][-1].end = len(self.out)
                table.cell_depth = None
            elif tag == "tr" and table.row_depth == height:
                table.row_depth = None
        if tag in HTML_CELL_ELEMENTS:
            self.out.append("\t")
        elif tag == "table" and table is not None and table.depth == height:
            self.tables.pop()
            # Government sites lay pages out in tables, so a task table is often nested in one:
            # any table that holds no table of its own may be the task table.
            if not table.holds_table and _width(table) <= MAX_TASK_TABLE_COLUMNS:
                written = task_table_lines(self._grid(table))
                if written is not None:
                    del self.out[table.start:]
                    self.out.append("\n".join(written))
        if tag in HTML_BLOCK_ELEMENTS:
            self.out.append("\n")

    def _grid(self, table: _Table) -> list[list[Cell]]:
        """The table's rows as a grid: row- and colspans repeated into every position they cover."""
        grid: list[list[Cell]] = []
        spanning: dict[int, tuple[int, str]] = {}  # column -> (rows still covered, text)
        for row in table.rows:
            cells: list[Cell] = []

            def fill_from_above() -> None:
                while len(cells) in spanning:
                    left, text = spanning[len(cells)]
                    if left <= 1:
                        del spanning[len(cells)]
                    else:
                        spanning[len(cells)] = (left - 1, text)
                    cells.append(Cell(text, from_above=True))

            for cell in row:
                fill_from_above()
                raw = "".join(self.out[cell.start:cell.end if cell.end is not None else len(self.out)])
                text = "\n".join(line for line in (re.sub(r"\s+", " ", part.replace("\xa0", " ")).strip()
                                                   for part in raw.split("\n")) if line)
                for offset in range(cell.colspan):
                    if cell.rowspan > 1:
                        spanning[len(cells)] = (cell.rowspan - 1, text)
                    cells.append(Cell(text, from_left=offset > 0))
            fill_from_above()
            grid.append(cells)
        return grid

    def text(self) -> str:
        self._pop_to_height(0)
        lines = (line.replace("\xa0", " ").strip() for line in "".join(self.out).split("\n"))
        return "\n".join(re.sub(r" {2,}", " ", line) for line in lines if line)


def _width(table: _Table) -> int:
    return max((sum(cell.colspan for cell in row) for row in table.rows), default=0)


def _ordinal(value, default: int) -> int:
    try:
        return max(0, min(int(str(value).strip()), 1_000_000))
    except (TypeError, ValueError):
        return default


def _span(value) -> int:
    # Clamped: a rowspan of 10,000 in a malformed page must not fill a grid that large.
    try:
        return max(1, min(int(value), MAX_TABLE_SPAN))
    except (TypeError, ValueError):
        return 1


def html_text(markup: str, name: str = "page.html") -> str:
    """Visible text of an HTML page: one line per block element, scripts and styles dropped."""
    parser = _PlanTextParser(name)
    parser.feed(markup)
    parser.close()
    return parser.text()
