"""PDF -> the document model's paragraphs, from where each line sits on its page (pdfminer.six's layout analysis).

A PDF keeps no paragraphs, only positioned lines, so a plain text dump cuts sentences, unit
names and dates wherever the line ran out ("市场监" / "管局", "2027年6" / "月底前") and
prints the running header, footer and page number of every page between them. Position tells
them apart:

- a line that reaches the right edge of the text column and is followed by one that starts at
  the left margin (not indented as a new paragraph is) was wrapped: the two are one line;
- a line at the top or bottom of its page whose text, digits aside, recurs at the top or bottom
  of other pages is a running header or footer; a bare page number there is one too.
"""
from __future__ import annotations

import io
import logging
import re
from collections import Counter
from dataclasses import dataclass

from extract.document import Block, paragraphs_of
from extract.errors import InputTooLarge, UnreadableDocument
from extract.limits import MAX_PDF_PAGES
from extract.normalize import starts_numbered_item

# Lines at each end of a page looked at for running headers and footers.
FURNITURE_LINES = 2
# A header or footer recurs on at least this share of the pages (and on two at least).
FURNITURE_MIN_SHARE = 0.5
# Points within which a header or footer sits at the same height on every page.
FURNITURE_HEIGHT_TOLERANCE = 6
# A line ends this many of its own characters short of the column's right edge, or less, to count
# as filled (wrapped) rather than ended.
WRAP_SLACK_CHARS = 1.5
# A gap between two lines larger than this many times the page's usual line pitch is a paragraph's end.
PARAGRAPH_GAP = 1.3
# A line's usual leading, as a multiple of its height: the pitch of a paragraph set in a larger size.
LEADING = 1.2
# A centred line starts at least this many points right of the column's left edge, and its middle
# is within this many points of the column's.
CENTRED_INDENT = 20
CENTRED_TOLERANCE = 6
# pdfminer logs every oddity of a damaged file as a warning; the user gets one line from us instead.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

_PAGE_NUMBER = re.compile(r"^[-—－–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[-—－–\s]*$")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    top: float  # y of the line's top edge, from the page's bottom
    bottom: float = 0.0  # y of its bottom edge

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def char_width(self) -> float:
        return (self.x1 - self.x0) / max(len(self.text), 1)


def _page_lines(data: bytes, name: str) -> list[list[_Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    pages: list[list[_Line]] = []
    for number, page in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams()), start=1):
        if number > MAX_PDF_PAGES:
            raise InputTooLarge(name, f"more than {MAX_PDF_PAGES:,} pages")
        lines: list[_Line] = []
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            for line in element:
                if isinstance(line, LTTextLine) and (text := " ".join(line.get_text().split())):
                    lines.append(_Line(text, line.x0, line.x1, line.y1, line.y0))
        pages.append(lines)
    return pages


def _furniture_key(line: _Line) -> tuple[str, int]:
    # Running furniture repeats its words, digits aside, at one height on every page.
    return re.sub(r"\d+", "#", line.text.replace(" ", "")), round(line.top / FURNITURE_HEIGHT_TOLERANCE)


def _without_furniture(pages: list[list[_Line]]) -> list[list[_Line]]:
    """The pages without running headers, footers and page numbers."""
    def ends(lines: list[_Line]) -> list[_Line]:
        by_height = sorted(lines, key=lambda line: -line.top)
        return by_height[:FURNITURE_LINES] + by_height[-FURNITURE_LINES:]

    seen = Counter()
    for lines in pages:
        seen.update({_furniture_key(line) for line in ends(lines)})
    needed = max(2, FURNITURE_MIN_SHARE * len(pages))
    out = []
    for lines in pages:
        edge = {id(line) for line in ends(lines)}
        out.append([line for line in lines
                    if id(line) not in edge
                    or not (seen[_furniture_key(line)] >= needed or _PAGE_NUMBER.match(line.text))])
    return out


def _joined(left: str, right: str) -> str:
    if left.endswith("-") and left[-2:-1].isalpha() and right[:1].islower():
        return left[:-1] + right  # "imple-" + "ment"
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        # Latin words wrap at a space; a figure cut inside Chinese text ("共1" / "2项") does not.
        return left + right if re.search(r"[\u3400-\u9fff]\d*$", left) else f"{left} {right}"
    if left[-1:] in _LATIN_WORD_ENDS and right[:1].isascii() and right[:1].isalnum():
        return f"{left} {right}"  # "… the meter." + "Accountable: …", "contractors," + "Streets …"
    return left + right


# Latin punctuation a wrapped line may end on before the space it wrapped at.
_LATIN_WORD_ENDS = frozenset(".,;:!?)]”’\"'%")


def _filled(line: _Line, following: _Line, right: float) -> bool:
    """Whether `line` ran out of room: the next line's first word (with the punctuation it carries
    and the space before it) would not have fitted after it."""
    first_word = re.match(r"[A-Za-z0-9'’-]+[.,;:!?)\]”’%]*|.", following.text)
    width = len(first_word[0]) + (1 if first_word and first_word[0][:1].isascii() else 0) if first_word else 0
    needed = width * following.char_width
    return right - line.x1 <= max(WRAP_SLACK_CHARS * line.char_width, needed)


def _line_pitch(lines: list[_Line]) -> float | None:
    """The usual distance from one line's top to the next line's on a page: its body text's leading."""
    gaps = Counter(round(a.top - b.top) for a, b in zip(lines, lines[1:]) if a.top > b.top)
    return gaps.most_common(1)[0][0] if gaps else None


def _paragraph_gap(previous: _Line, line: _Line, pitch: float | None) -> bool:
    """Whether more space stands between the two lines than between the lines of a paragraph: the
    next paragraph starts there, however far the previous line ran."""
    # A line set larger than the body (a wrapped heading) has a larger leading of its own.
    return pitch is not None and previous.top - line.top > PARAGRAPH_GAP * max(pitch, LEADING * previous.height)


def _centred_title_lines(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """Two lines of a Latin title set in one size, centred in the column and one under the other
    ("Lead Service Line Replacement" / "Implementation Plan"): one title wrapped."""
    def middle(item: _Line) -> float:
        return (item.x0 + item.x1) / 2

    def latin(item: _Line) -> bool:
        return bool(re.fullmatch(r"[\x20-\x7e\u00a0-\u024f\u2010-\u2027]+", item.text))
    # The first line may fill the column; the one under it, shorter, shows the centring.
    centred = (line.x0 > left + CENTRED_INDENT
               and abs(middle(line) - (left + right) / 2) <= CENTRED_TOLERANCE
               and abs(middle(previous) - middle(line)) <= CENTRED_TOLERANCE)
    return (centred and latin(previous) and latin(line) and previous.height > 0
            and abs(previous.height - line.height) <= 0.1 * previous.height
            and previous.top - line.top <= 1.5 * previous.height)


def _paragraph_lines(pages: list[list[_Line]]) -> list[str]:
    """Lines rejoined where the layout shows a wrap; pages separated by an empty line."""
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    right = max(line.x1 for line in lines)
    left = min(line.x0 for line in lines)
    out: list[str] = []
    previous: _Line | None = None
    for number, page in enumerate(pages):
        pitch = _line_pitch(page)
        for index, line in enumerate(page):
            same_page = index > 0
            wrapped = (previous is not None and out and out[-1] and _filled(previous, line, right)
                       and line.x0 <= left + WRAP_SLACK_CHARS * line.char_width
                       and not starts_numbered_item(line.text)
                       and not (same_page and _paragraph_gap(previous, line, pitch)))
            wrapped = wrapped or bool(previous is not None and same_page and out and out[-1]
                                      and _centred_title_lines(previous, line, left, right))
            if wrapped:
                out[-1] = _joined(out[-1], line.text)
            else:
                if index == 0 and number > 0 and out and out[-1]:
                    out.append("")  # a page break that is not a wrap
                out.append(line.text)
            previous = line
    return out


def pdf_blocks(data: bytes, name: str) -> list[Block]:
    """The PDF's lines as paragraphs, wrapped lines rejoined and page furniture dropped; a blank
    line where a page break does not cut a paragraph."""
    try:
        pages = _page_lines(data, name)
    except UnreadableDocument:
        raise
    except Exception as error:  # noqa: BLE001
        # pdfminer reports damage through PDFSyntaxError, PSEOF, PDFEncryptionError and, deep in
        # the parser, plain ValueError/KeyError/TypeError/AssertionError; to the user they all mean
        # the same thing, except a password.
        if type(error).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"):
            raise UnreadableDocument(name, "the PDF is password-protected") from error
        raise UnreadableDocument(name, "not a valid PDF file") from error
    text = "\n".join(_paragraph_lines(_without_furniture(pages))).strip()
    if not text:
        raise UnreadableDocument(name, "the PDF has no text layer (scanned?)")
    return paragraphs_of(text)
