"""Markdown plans -> the document model's blocks, so the paragraphs later steps read are the author's own.

A plan written in Markdown says where its paragraphs end (a blank line, a heading, a list
marker) but wraps its source lines wherever the author's editor did, often before a capital
("…supported by" / "Cabinet Office through…"), which the plain-text rejoining in normalize.py
cannot tell from a new paragraph. So a text that reads as Markdown is parsed with markdown-it-py
and every block becomes one block of the document model, written on one line, a blank line
between blocks:

- a heading keeps its level, written as "#" marks with a space after them even where the author
  left none ("####Action 01: …"): segment.py nests headings by their marks;
- a list item keeps its marker ("-", "1."): a bullet under an action is a commitment, where
  prose around it is explanation;
- inline markup becomes its text: links their words, images their alt text; emphasis marks
  stay as printed (normalize.py and the label patterns read through them);
- a pipe table that is a task table becomes a table block (tables.py reads its rows); other
  tables, HTML blocks and code stay as printed;
- inside one block, lines are joined only where an editor wrapped one paragraph (see _own_lines);
  a line that opens a labelled field ("Lead: …", "Due: …", "牵头单位：…") or a numbered item is
  always a line of its own: authors type those under a title without a blank line;
- site directives ("{: .class}", "{% include x %}", "{include x.md}") and front-matter fences are
  not text: the patterns are in data/structure.toml [markdown].
"""
from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from extract.document import Block, Break, ListItem, Paragraph, heading, spaced, with_tables_in_text
from extract.patterns import compiled
from extract.tables import pipe_tables
from extract.vocabulary import alternation, table

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# "####Action 01" is a heading to its author, though CommonMark wants a space after the marks.
# A lone "#" before a word stays text ("#1 priority").
_TIGHT_HEADING = re.compile(r"^( {0,3})(#{2,6})(?=[^\s#])")
_HEADING_LINE = re.compile(r"^ {0,3}(?:#{1,6}[ \t]+\S|#{2,6}[^\s#])")
_LIST_LINE = re.compile(r"^ {0,3}(?:[-*+•][ \t]+\S|\d{1,3}[.)][ \t]+\S)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:[^\n]*\n){1,40}?---[ \t]*\n")
# A source line this long, or longer, was wrapped by an editor when the paragraph goes on below it.
_WRAPPED_LINE = 40
# How many headings, or a heading and list items, make a text Markdown rather than prose.
_MARKDOWN_HEADINGS = 2
_MARKDOWN_LIST_ITEMS = 2


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


@cache
def _directives() -> list[re.Pattern]:
    return [compiled(p) for p in table("structure")["markdown"]["directives"]]


@cache
def _own_line() -> re.Pattern:
    """A line that is a field or an item of its own, though no blank line sets it apart."""
    roles, times, columns = table("roles"), table("timewords"), table("tables")["columns"]
    labels = [w for row in roles["labels"] for w in row["words"]]
    labels += times["deadline_labels"]["zh"] + times["deadline_labels"]["en"]
    # A column's header word is a field's label when printed as "Timing: …".
    labels += [w for words in columns.values() for language in ("zh", "en") for w in words[language] if len(w) > 2]
    label = alternation(labels)
    numbers = "|".join(row["pattern"].removeprefix("^").replace("(?P<number>", "(?:")
                       for row in table("structure")["numbering"])
    # Labels in any case ("DUE:"); numbers as the numbering styles print them.
    return compiled(rf"^(?:[*_]{{0,3}}(?i:{label})[*_]{{0,3}}\s*[:：]|(?:{numbers}))")


def looks_like_markdown(text: str) -> bool:
    """Headings, or a heading and a list, printed with Markdown marks."""
    lines = text.split("\n")
    headings = sum(1 for line in lines if _HEADING_LINE.match(line))
    items = sum(1 for line in lines if _LIST_LINE.match(line))
    return (headings >= _MARKDOWN_HEADINGS or (headings and items >= _MARKDOWN_LIST_ITEMS)
            or bool(_FRONT_MATTER.match(text)))


def markdown_blocks(text: str) -> list[Block]:
    """The Markdown text's blocks, a blank line (`Break`) between each two and after the last."""
    front = _FRONT_MATTER.match(text)
    head = [line for line in front.group().split("\n")[1:-2]] if front else []
    body = text[front.end():] if front else text
    lines = []
    in_fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if not in_fence and any(p.match(line.strip()) for p in _directives()):
            line = ""
        elif not in_fence:
            line = _TIGHT_HEADING.sub(r"\1\2 ", line)
        lines.append(line)
    source = "\n".join(lines)
    blocks = [Paragraph(line) for line in head] + _blocks(_parser().parse(source), source.split("\n"))
    return [*spaced(block for block in blocks if _written(block)), Break()]


def _written(block: Block) -> bool:
    if isinstance(block, Paragraph):
        return bool(block.text.strip())
    return not isinstance(block, ListItem) or bool(block.label or block.text.strip())


def _blocks(tokens: list[Token], source: list[str]) -> list[Block]:
    out: list[Block] = []
    marker: str | None = None  # a list item's marker, until its first block takes it
    depth = -1  # of the innermost open list
    in_table = False
    for i, token in enumerate(tokens):
        if in_table:
            in_table = token.type != "table_close"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            marker = f"{token.info}{token.markup}"
        elif token.type == "table_open":
            in_table = True
            # A task table becomes a table block; any other table stays as printed.
            out += with_tables_in_text([Paragraph("\n".join(source[token.map[0]:token.map[1]]))], pipe_tables)
        elif token.type == "html_block":
            out.append(Paragraph("\n".join(source[token.map[0]:token.map[1]])))
        elif token.type in ("fence", "code_block"):
            out.append(Paragraph("\n".join(line.strip() for line in token.content.split("\n"))))
        elif token.type == "inline":
            opener = tokens[i - 1]
            # Lines of one block that are not one wrapped paragraph stay consecutive lines, as the
            # author typed them: a table pasted one cell per line is still read as one.
            text = "\n".join(_own_lines(_inline_text(token)))
            if opener.type == "heading_open":
                out.append(heading(int(opener.tag[1:]), text, marked=True))
            elif marker is not None:
                out.append(ListItem(marker, text, max(depth, 0)))
                marker = None
            else:
                out.append(Paragraph(text))
    return out


def _inline_text(token: Token) -> str:
    """The inline content as text: link words, image alt text, code, emphasis marks as printed."""
    text = ""
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            text += child.content
        elif child.type in ("em_open", "em_close", "strong_open", "strong_close"):
            text += child.markup
        elif child.type == "image":
            text += child.content
        elif child.type == "softbreak":
            text += "\n"
        elif child.type == "hardbreak":
            text += "\n\n"
        elif child.type == "html_inline" and re.match(r"<br\s*/?>", child.content, re.I):
            text += "\n\n"
    return text


def _own_lines(text: str) -> list[str]:
    """A block's source lines, joined where they are one paragraph wrapped by an editor.

    Wrapping is only sure where a line runs long, the next opens in lower case or the line ends
    mid-clause; short lines ("Issued by …" over a date) and lines of Chinese text, which no editor
    wraps, stay lines of their own for normalize.py to judge as it does plain text. A line that
    opens a field or an item, or follows a hard break, always starts anew."""
    pieces: list[str] = []
    broken, last = True, ""
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            broken = True
            continue
        wrapped = (len(last) >= _WRAPPED_LINE or line[:1].islower()
                   or (len(last) > 1 and last.endswith((",", ";", "(", "–", "—"))))
        cjk = re.search(rf"[{_CJK}]$", last) or re.match(rf"[{_CJK}]", line)
        if broken or not wrapped or cjk or _own_line().match(line):
            pieces.append(line)
        else:
            pieces[-1] = f"{pieces[-1]} {line}"
        broken, last = False, line
    return pieces or [""]
