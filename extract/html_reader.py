"""HTML -> the document model's blocks in one streaming pass, in time and memory linear in the page.

A tree library is not used here on purpose: BeautifulSoup's `insert_after` and `find_parent`
walk the tree, so a page nested 20,000 deep took 22 s, and lxml's HTML parser silently drops
everything nested deeper than 256 (2,048 with huge_tree) elements, losing text without a word.
The stdlib tokenizer feeds a stack of open elements instead: each element is pushed and popped
once, text goes straight to the output (where a heading or a list item starts and ends is marked
in it), and a table's cells are remembered as slices of that output until the table ends, when a
task table replaces them as one `Table` block. Every line of the output is then one block:
a heading (h1–h6), a list item (an <ol>'s items numbered from its start), a paragraph. A table
that is not a task table (page layout, a data table) stays as the lines of its cells.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from extract.document import Block, Cell, ListItem, Paragraph, Table, bounded_span, heading, task_table
from extract.limits import MAX_HTML_ELEMENTS, MAX_TABLE_CELLS, MAX_TASK_TABLE_COLUMNS, InputTooLarge

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
_HEADINGS = {f"h{level}": level for level in range(1, 7)}


@dataclass(frozen=True)
class _Mark:
    """Where the lines that follow in the output start to belong to a heading, a list item or plain text."""
    height: int  # stack height of the element it opened, 0 for plain text
    level: int = 0  # a heading's level
    item: bool = False
    label: str = ""  # the list item's number ("4."), given to the first line after the mark
    depth: int = 0  # the list item's nesting depth


_PLAIN = _Mark(0)


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
        self.out: list[str | _Mark | Table] = []
        self.marks: list[_Mark] = []  # open headings and list items, innermost last
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
        height = len(self.stack) + 1
        if tag == "li":
            label = ""
            if self.lists and self.lists[-1] is not None:
                number = _ordinal(attrs.get("value"), self.lists[-1])
                self.lists[-1] = number + 1
                label = f"{number}."
            self.marks.append(_Mark(height, item=True, label=label, depth=max(len(self.lists) - 1, 0)))
            self.out.append(self.marks[-1])
        elif tag in _HEADINGS:
            self.marks.append(_Mark(height, level=_HEADINGS[tag]))
            self.out.append(self.marks[-1])
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
                rowspan, colspan = bounded_span(attrs.get("rowspan")), bounded_span(attrs.get("colspan"))
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
                found = task_table(self._grid(table))
                if found is not None:
                    del self.out[table.start:]
                    self.out.append(found)
        if tag in HTML_BLOCK_ELEMENTS:
            self.out.append("\n")
        if self.marks and self.marks[-1].height == height:
            self.marks.pop()
            # Back in the enclosing item or heading: its number was printed before its first line.
            self.out.append(replace(self.marks[-1], label="") if self.marks else _PLAIN)

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
                raw = _flow_text(self.out[cell.start:cell.end if cell.end is not None else len(self.out)])
                text = "\n".join(line for line in (re.sub(r"\s+", " ", part.replace("\xa0", " ")).strip()
                                                   for part in raw.split("\n")) if line)
                for offset in range(cell.colspan):
                    if cell.rowspan > 1:
                        spanning[len(cells)] = (cell.rowspan - 1, text)
                    cells.append(Cell(text, from_left=offset > 0))
            fill_from_above()
            grid.append(cells)
        return grid

    def blocks(self) -> list[Block]:
        self._pop_to_height(0)
        blocks: list[Block] = []
        mark, label, line = _PLAIN, None, []  # label: the item's number, until its first line ends

        def end_line() -> None:
            nonlocal label
            text = re.sub(r" {2,}", " ", "".join(line).replace("\xa0", " ").strip())
            line.clear()
            if label:
                blocks.append(ListItem(label, text, mark.depth))
            elif not text:
                pass
            elif mark.level:
                blocks.append(heading(mark.level, text))
            elif mark.item:
                blocks.append(ListItem("", text, mark.depth))
            else:
                blocks.append(Paragraph(text))
            label = None

        for piece in self.out:
            if isinstance(piece, _Mark):
                mark, label = piece, piece.label or None
            elif isinstance(piece, Table):
                if line:
                    end_line()
                blocks.append(piece)
            else:
                first, *rest = piece.split("\n")
                line.append(first)
                for more in rest:
                    end_line()
                    line.append(more)
        end_line()
        return blocks


def _flow_text(pieces) -> str:
    """Output pieces as text: a list item's number printed before its text, as a page shows it."""
    return "".join(piece if isinstance(piece, str) else f"{piece.label} " if isinstance(piece, _Mark) and piece.label
                   else "" for piece in pieces)


def _width(table: _Table) -> int:
    return max((sum(cell.colspan for cell in row) for row in table.rows), default=0)


def _ordinal(value, default: int) -> int:
    try:
        return max(0, min(int(str(value).strip()), 1_000_000))
    except (TypeError, ValueError):
        return default


def html_blocks(markup: str, name: str = "page.html") -> list[Block]:
    """The visible content of an HTML page as blocks, one per line a browser shows; scripts and styles dropped."""
    parser = _PlanTextParser(name)
    parser.feed(markup)
    parser.close()
    return parser.blocks()


_TITLE_ELEMENT = re.compile(r"<title[^>]*>(?P<text>[^<]{1,300})</title>", re.I)
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+")


def page_site_name(markup: str) -> str | None:
    """The site a page's <title> names after its own ("Climate Plan | Farrowby City Council"):
    on a body's own site, the body that publishes the page. None where the title has one part."""
    from html import unescape

    match = _TITLE_ELEMENT.search(markup[:20_000])
    parts = _TITLE_PARTS.split(_SPACES.sub(" ", unescape(match["text"])).strip()) if match else []
    return parts[-1].strip() if len(parts) >= 2 and parts[-1].strip() else None

