"""Undo what conversion and page breaks did to a plan's text, so later steps see whole paragraphs.

The result is the text every quote and `text_start` is copied from: paragraphs joined by
one newline, page furniture dropped, words split across a page break rejoined.
"""
from __future__ import annotations

import re
from functools import cache

from extract.patterns import compiled
from extract.vocabulary import deadline_labels, role_labels, table

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A clock time wedged between two Chinese characters is a print stamp, not text.
_STRAY_TIME = re.compile(rf"(?<=[{_CJK}])\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?=[{_CJK}])")
# A paragraph that ends like this is complete; anything else was cut by a page break.
_COMPLETE_END = re.compile(r"[。；;：:！!？?…）)”’】」』》\]]$|[.!?]$")
_SENTENCE_INSIDE = re.compile(r"[。；;]|[.!?]\s")
# Long enough to be running text rather than a heading, when it has no full stop yet.
_RUNNING_TEXT_CHARS = 50
# The tail of a unit list that a page break pushed onto the next page is short.
_SHORT_TAIL_CHARS = 30
# A bulleted line opens an item of its own, whatever the line before it lacks.
_BULLET = re.compile(r"^[-*+•·▪●◦]\s+\S")


@cache
def _heading() -> re.Pattern:
    return compiled(table("structure")["headings"]["pattern"])


@cache
def _any_numbering() -> re.Pattern:
    """Any numbering style of structure.toml, as one pattern (tried once per line, not once per style)."""
    return compiled("|".join(f"(?:{row['pattern'].replace('(?P<number>', '(?:')})"
                             for row in table("structure")["numbering"]))


@cache
def _any_junk_line() -> re.Pattern:
    return compiled("|".join(f"(?:{p})" for p in table("structure")["junk_lines"]["patterns"]), re.IGNORECASE)


def starts_numbered_item(paragraph: str) -> bool:
    """True when the paragraph opens with an item number such as "（三）", "4.", "一、", "(b)", or is a heading."""
    return is_heading(paragraph) or bool(_any_numbering().match(paragraph))


def is_heading(paragraph: str) -> bool:
    """True for a Markdown heading line ("## 2. Accountability")."""
    return bool(_heading().match(paragraph))


def without_heading_marks(paragraph: str) -> str:
    """The paragraph without its Markdown heading marks ("# 2026 Plan" -> "2026 Plan")."""
    match = _heading().match(paragraph)
    return paragraph[match.end():].strip() if match else paragraph


def _clean_line(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "")
    # Heading marks stay: a Markdown heading is a section, which segment.py needs to know.
    line = line.replace("**", "").strip()
    return _STRAY_TIME.sub("", line).strip()


def _is_junk(line: str) -> bool:
    return bool(_any_junk_line().match(line))


def without_item_number(paragraph: str) -> str:
    """"1. 总体要求" -> "总体要求"."""
    # The first style that matches, as `_any_numbering` tries them in the table's order.
    if match := _any_numbering().match(paragraph):
        return paragraph[match.end():]
    return paragraph


# How much of a growing paragraph's start and end the joining rules look at. Every rule asks
# about a short stretch (an item number, a role label, the last unit name, the last character),
# so a bounded window keeps rejoining linear in the text however many lines one paragraph takes.
_WINDOW = 80
_UNIT_SEPARATORS = re.compile(r"[、，,；;:：]")
_SENTENCE_STOPS = re.compile(r"[。；;]")


class _Paragraph:
    """A paragraph being rejoined from lines, with what the joining rules ask of it kept up to date.

    Asking the whole paragraph again for every line it takes is quadratic: 40,000 wrapped lines of
    one paragraph took 39 s. Each question is answered from flags updated per line and from the
    paragraph's first and last `_WINDOW` characters.
    """

    def __init__(self, line: str) -> None:
        self.parts = [line]
        self.head = line[:_WINDOW]
        self.end = line[-_WINDOW:]
        self.length = len(line)
        after_number = without_item_number(line)
        self.number_length = len(line) - len(after_number)
        self.has_stop = bool(_SENTENCE_INSIDE.search(after_number))
        self.has_comma = bool(re.search(r"[，,、]", after_number))
        # The start of the text after the last sentence stop, and whether there is a stop at all.
        pieces = _SENTENCE_STOPS.split(line)
        self.has_sentence_stop = len(pieces) > 1
        self.tail_head = pieces[-1][:_WINDOW]

    def add(self, line: str) -> None:
        separator = _join_separator(self, line)
        joined = separator + line
        self.has_stop = self.has_stop or bool(_SENTENCE_INSIDE.search(self.end[-1:] + joined))
        self.has_comma = self.has_comma or bool(re.search(r"[，,、]", joined))
        pieces = _SENTENCE_STOPS.split(joined)
        if len(pieces) > 1:
            self.has_sentence_stop = True
            self.tail_head = pieces[-1][:_WINDOW]
        elif len(self.tail_head) < _WINDOW:
            self.tail_head = (self.tail_head + joined)[:_WINDOW]
        self.parts.append(joined)
        self.length += len(joined)
        if len(self.head) < _WINDOW:
            self.head = (self.head + joined)[:_WINDOW]
        self.end = (self.end + joined)[-_WINDOW:]

    @property
    def text(self) -> str:
        if len(self.parts) > 1:
            self.parts = ["".join(self.parts)]
        return self.parts[0]

    def is_complete(self) -> bool:
        return bool(_COMPLETE_END.search(self.end))

    def tail(self) -> str:
        """The start of what follows the last sentence stop ("…每季度通报。责任单位：X" -> "责任单位：X")."""
        return self.tail_head.strip()

    def last_name_is_stub(self, in_tail: bool) -> bool:
        """Whether the last name of the unit list (of the paragraph, or of its tail) is 3 characters or fewer."""
        end = _SENTENCE_STOPS.split(self.end)[-1] if in_tail else self.end
        # Within the window the answer is exact for anything of 3 characters: a longer name
        # reaching past the window is longer than 3 anyway.
        return len(_UNIT_SEPARATORS.split(end)[-1]) <= 3


def _was_cut(paragraph: _Paragraph) -> bool:
    """A paragraph of running text that stops mid-sentence."""
    if paragraph.is_complete():
        return False
    # The dot of "1. 总体要求" numbers a heading; it does not end a sentence.
    if paragraph.has_stop:
        return True
    # Titles and cover lines run long too, but they rarely hold a comma.
    return paragraph.length - paragraph.number_length >= _RUNNING_TEXT_CHARS and paragraph.has_comma


@cache
def _role_label() -> re.Pattern:
    return compiled(rf"^[（(]?(?:{role_labels()})\s*[:：]", re.I)


@cache
def _deadline_label() -> re.Pattern:
    return compiled(rf"^(?:{deadline_labels()})\s*[:：]", re.I)


def _is_unfinished_unit_list(paragraph: _Paragraph, following: str, in_tail: bool = False) -> bool:
    """"责任单位：市司法局、市" + "场监管局": a unit list cut by a page break, and its short tail.
    A field of its own ("完成期程：持续办理") is no tail, however short the name above it."""
    start = paragraph.tail() if in_tail else paragraph.head
    if (not _role_label().match(start) or _role_label().match(following) or _deadline_label().match(following)
            or paragraph.is_complete()):
        return False
    # Only a stub no unit is named by ("市", "省政") or a dangling separator says the list goes on.
    return (paragraph.last_name_is_stub(in_tail) and len(following) <= _SHORT_TAIL_CHARS
            and not re.search(r"\d|。.", following))


def _continues(paragraph: _Paragraph, following: str) -> bool:
    """Whether `following` is the rest of a paragraph that a page break cut."""
    if starts_numbered_item(following) or is_heading(paragraph.head) or _BULLET.match(following):
        return False
    if _is_unfinished_unit_list(paragraph, following):
        return True
    # A task's closing unit list ("…。责任单位：X牵头，Y配合") needs no full stop to be complete:
    # only a stub name says a page break cut it, else the next line (a closing word, a signature)
    # is a paragraph of its own.
    if paragraph.has_sentence_stop and _role_label().match(paragraph.tail()):
        return _is_unfinished_unit_list(paragraph, following, in_tail=True)
    if following[:1].islower():
        return not paragraph.is_complete()
    return _was_cut(paragraph) and not following[:1].isupper()


def _join_separator(left: _Paragraph, right: str) -> str:
    end = left.end
    if end[-1:].isascii() and end[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        # English lines break between words ("complete a" + "plain-language course"); a number
        # cut inside Chinese text ("共1" + "2项") joins without a space.
        last_token = end.split()[-1]
        first_token = right.split()[0]
        after_chinese = bool(re.search(rf"[{_CJK}]", last_token))
        latin_words = not after_chinese and bool(re.search(r"[A-Za-z]", last_token + first_token))
        return " " if latin_words else ""
    return ""


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs after cleaning and rejoining, in order, none empty."""
    out: list[_Paragraph] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _clean_line(raw)
        if not line or _is_junk(line):
            continue
        if out and _continues(out[-1], line):
            out[-1].add(line)
        else:
            out.append(_Paragraph(line))
    return [paragraph.text for paragraph in out]


def normalize_text(text: str) -> str:
    """The cleaned text: one paragraph per line."""
    return "\n".join(paragraphs(text))
