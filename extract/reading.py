"""Bytes -> the document model and its text: the first step of extraction.

A plan arrives as a .txt/.md/.html/.docx/.xlsx/.pdf file in whatever encoding its author's
machine used (UTF-8, GBK from an older Windows desktop, UTF-16 from Notepad). One reader per
format (html_reader, markdown, pdf_reader, xlsx_reader, .docx and plain text here) turns the file
into the blocks of document.py; a task table, however it arrives (HTML, .docx, .xlsx, a Markdown
pipe table, or pasted as plain text: see text_tables.py), is a table block, any other table stays
as rows of text. Traditional characters and another era's years are converted for matching.
Everything after this module sees the blocks and their one rendering, a normalized `str`
(document.document_text), so the rules never meet encodings or formats. What a file may cost to read is bounded (limits.py).
No network, no database: the only I/O is reading the one file in `read_document`.
"""
from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePath

from charset_normalizer import from_bytes

from extract.document import (Block, Paragraph, Table, bounded_span, document_text, heading, map_text,
                              prose_paragraphs_of, spaced, task_table, with_tables_in_text, without_contents_lists)
from extract.errors import InputTooLarge, UnreadableDocument
from extract.html_reader import html_blocks, page_site_name
from extract.memo import new_document
from extract.limits import (MAX_TABLE_CELLS, MAX_XML_ELEMENTS, MAX_ZIP_MEMBER_BYTES, MAX_ZIP_MEMBERS,
                            MAX_ZIP_TOTAL_BYTES)
from extract.pdf_reader import pdf_blocks
from extract.markdown import looks_like_markdown, markdown_blocks
from extract.era import Edit, era_of, in_common_era
from extract.script import AsPrinted, script_map
from extract.tables import Cell, pipe_tables
from extract.text_tables import text_tables
from extract.vocabulary import table

__all__ = ["InputTooLarge", "SourceDocument", "UnreadableDocument", "read_document", "read_document_bytes"]

FORMAT_BY_SUFFIX = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

# Formats people will try to send that we cannot read; a precise reason saves them a guess.
UNSUPPORTED_SUFFIXES = {
    ".doc": "old Word .doc files are not supported (save it as .docx)",
    ".wps": "WPS .wps files are not supported (save it as .docx)",
    ".xls": "old Excel .xls files are not supported (save it as .xlsx)",
    ".et": "WPS .et spreadsheets are not supported (save it as .xlsx)",
}

# Byte-order marks, longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Multibyte East Asian codecs charset-normalizer may name for Chinese bytes. On short
# GBK texts it often answers cp949 (Korean) or big5, so its guess is only a hint there.
EAST_ASIAN_CODECS = frozenset({
    "gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn",
    "big5", "big5hkscs", "cp950",
    "cp949", "euc_kr", "johab", "iso2022_kr",
    "shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932",
    "euc_jp", "euc_jis_2004", "euc_jisx0213", "iso2022_jp",
})
BIG5_CODECS = frozenset({"big5", "big5hkscs", "cp950"})

# Share of non-ASCII characters that must fall in the GB2312 block (the 7,445 characters
# of everyday Simplified Chinese) before gb18030 bytes are believed to be Chinese text.
# Real plans score close to 1.0; Big5 or Latin-1 bytes read as GBK score far lower.
SIMPLIFIED_CHINESE_MIN_SHARE = 0.8

# Share of Chinese characters that exist only in traditional script above which a plan is read
# as traditional and converted for matching. Traditional plans run at 15-30%; a simplified plan
# quoting an old name or a Hong Kong body stays far below.
TRADITIONAL_MIN_SHARE = 0.05

# Above this share of control characters (tab and line breaks excepted) decoded "text"
# is really binary that happened to decode.
CONTROL_CHARACTER_MAX_SHARE = 0.05

@dataclass(frozen=True)
class SourceDocument:
    name: str  # the file's name, e.g. "plan.txt"
    text: str  # the blocks as segmentation reads them; normalized: NFC, "\n" line ends, no BOM, no NUL
    sha256: str  # of `text` as UTF-8, so one plan saved as GBK or UTF-8 hashes the same
    encoding: str  # "utf-8", "gb18030", "utf-16", ... or "docx" / "xlsx" / "pdf" for container formats
    format: str  # "txt", "md", "html", "docx", "xlsx" or "pdf"
    # The text as the file wrote it, when that was in traditional characters or another era's
    # years (`text` is then its simplified, Common Era form, which extraction matches on); None
    # when the two are the same.
    original_text: str | None = None
    # For such a plan, how to write its quotes back as the file did
    # (`extract.script.in_original_script(plan, document.as_printed)`); None otherwise.
    as_printed: AsPrinted | None = field(default=None, compare=False, hash=False)
    # The document model `text` is written from (extract/document.py), in simplified characters.
    blocks: tuple[Block, ...] = field(default=(), compare=False, hash=False)
    # A web page's site as its <title> names it ("… | Farrowby City Council"); None for other formats.
    site_name: str | None = field(default=None, compare=False, hash=False)

    @property
    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]


def read_document(path: Path) -> SourceDocument:
    """Read one plan file from disk and return its normalized text."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(path.name, f"cannot read ({error.strerror or error})") from error
    return read_document_bytes(data, path.name)


def read_document_bytes(data: bytes, name: str) -> SourceDocument:
    """Turn a file's bytes into a `SourceDocument`; `name` picks the format by extension."""
    if not data:
        raise UnreadableDocument(name, "the file is empty")
    new_document()
    document_format = detect_format(data, name)
    site_name = None
    if document_format in ("docx", "xlsx"):
        merged = check_package(data, name, document_format)
        if document_format == "docx":
            blocks, encoding = docx_blocks(data, name), "docx"
        else:
            from extract.xlsx_reader import xlsx_blocks  # imported here: only workbooks need it

            blocks, encoding = xlsx_blocks(data, name, merged), "xlsx"
    elif document_format == "pdf":
        blocks, encoding = pdf_blocks(data, name), "pdf"
    else:
        text, encoding = decode_text(data, name)
        if document_format == "html":
            blocks, site_name = html_blocks(text, name), page_site_name(text)
        elif document_format == "md" or looks_like_markdown(text):
            # Markdown turns up in .txt files too (pasted from editors, chat and repositories).
            blocks = markdown_blocks(text)
        else:
            blocks = prose_paragraphs_of(text)
    if document_format in ("docx", "xlsx", "pdf", "html"):
        blocks = map_text(blocks, normalize_text)
    blocks = without_contents_lists(blocks, table("structure")["contents"]["headings"])
    original_text, as_printed = None, None
    text = document_text(blocks)
    traditional = looks_traditional(text)
    matched = to_simplified(text) if traditional else text
    era = era_of(matched)
    if traditional or era:
        # The rules and vocabularies (header words included) are written in simplified
        # characters and read four-digit years: match on the converted text, keep what the file
        # says. A table block reads its header again from the converted cells; a table the reader
        # could not take for a task table under traditional headers is rows of text, which the
        # text-table pass below reads.
        original_text = text
        if traditional:
            blocks = map_text(blocks, to_simplified)
        edits: list[Edit] = []
        if era:
            blocks = map_text(blocks, lambda block: in_common_era(block, era)[0])
            matched, edits = in_common_era(matched, era)
        as_printed = AsPrinted(original_text, matched, tuple(edits),
                               script_map(original_text, to_simplified) if traditional else None)
    if document_format in ("txt", "md"):
        # Pipe tables turn up in .txt files too, pasted from Markdown editors and chat.
        blocks = with_tables_in_text(blocks, pipe_tables)
    # Any format may hold a table copied from a page or a Word file as plain text: one cell per
    # line, tab-separated or in aligned columns.
    blocks = with_tables_in_text(blocks, text_tables)
    text = document_text(blocks)
    if not text.strip():
        reason = ("the file contains only whitespace" if document_format in ("txt", "md")
                  else "the document contains no text")
        raise UnreadableDocument(name, reason)
    return SourceDocument(
        name=name,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        encoding=encoding,
        format=document_format,
        original_text=original_text,
        as_printed=as_printed,
        blocks=tuple(blocks),
        site_name=site_name,
    )


@cache
def _traditional_only() -> frozenset[str]:
    """Characters only traditional text uses: OpenCC's traditional-to-simplified table less
    those that are also simplified characters (乾, 著, 麼 map to themselves in some words)."""
    import opencc  # imported here: only this check and the conversion need it

    table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
    keys, kept = set(), set()
    for row in table.read_text(encoding="utf-8").splitlines():
        key, _, values = row.partition("\t")
        if key:
            keys.add(key)
            kept.update(values.split())
    return frozenset(keys - kept)


_CHINESE = re.compile("[\u4e00-\u9fff]+")


@cache
def _traditional_in_range() -> re.Pattern:
    """Runs of the traditional-only characters that `looks_traditional` counts."""
    return re.compile("[" + "".join(sorted(c for c in _traditional_only() if "\u4e00" <= c <= "\u9fff")) + "]+")


def looks_traditional(text: str) -> bool:
    """Whether the text is written in traditional characters (enough of its Chinese characters
    exist only in traditional script; a simplified plan quoting one old name is not)."""
    # Counted by `re` in runs rather than character by character in Python.
    chinese = sum(map(len, _CHINESE.findall(text)))
    in_traditional = sum(map(len, _traditional_in_range().findall(text))) if chinese else 0
    return chinese > 0 and in_traditional >= TRADITIONAL_MIN_SHARE * chinese


@cache
def _to_simplified_converter():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """The text in simplified characters (OpenCC's traditional-to-simplified, words first)."""
    return _to_simplified_converter().convert(text)


def detect_format(data: bytes, name: str) -> str:
    """The document format: by extension, else by the file's leading bytes, else plain text."""
    suffix = PurePath(name).suffix.lower()
    if suffix in FORMAT_BY_SUFFIX:
        return FORMAT_BY_SUFFIX[suffix]
    if suffix in UNSUPPORTED_SUFFIXES:
        raise UnreadableDocument(name, UNSUPPORTED_SUFFIXES[suffix])
    # Telegram and e-mail sometimes strip or mangle the extension; the content still knows.
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and (kind := _package_kind(data)):
        return kind
    return "txt"  # reading it as text tells whether it is text


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode text-file bytes to normalized text; returns (text, encoding name)."""
    if not data:
        raise UnreadableDocument(name, "the file is empty")
    text, encoding = _decode(data, name)
    if _looks_binary(text):
        raise UnreadableDocument(name, "not a text document (binary content)")
    return normalize_text(text), encoding


def normalize_text(text: str) -> str:
    """NFC, "\\n" line ends, leading BOM and NUL characters removed."""
    text = text.removeprefix("\ufeff").replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for mark, codec in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec), codec.removesuffix("-sig")
            except UnicodeDecodeError as error:
                raise UnreadableDocument(name, f"not valid {codec.removesuffix('-sig').upper()} "
                                               "despite its byte-order mark") from error
    # Without a BOM, NUL never occurs in the 8-bit encodings plans are saved in.
    if b"\x00" in data:
        raise UnreadableDocument(name, "not a text document (binary content)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data, name)


def _decode_legacy(data: bytes, name: str) -> tuple[str, str]:
    """Bytes that are not UTF-8: GBK/GB18030 if they read as Chinese, else the detector's guess."""
    # Every plan this bot is built for is mainland Chinese or English, and the detector
    # misjudges short Chinese texts, so gb18030 (a superset of GBK and GB2312) goes first
    # whenever the bytes decode cleanly under it and the result reads as Simplified Chinese.
    gb_text = _strict_decode(data, "gb18030")
    if gb_text is not None and _looks_like_simplified_chinese(gb_text):
        return gb_text, "gb18030"
    best = from_bytes(data).best()
    if best is None or best.encoding in EAST_ASIAN_CODECS:
        # Bytes that read as GBK but not as Simplified Chinese may be genuine Big5.
        if best is not None and best.encoding in BIG5_CODECS:
            big5_text = _strict_decode(data, best.encoding)
            if big5_text is not None:
                return big5_text, best.encoding
        if gb_text is not None:
            return gb_text, "gb18030"
        guessed = None if best is None else _strict_decode(data, best.encoding)
        if guessed is None:
            raise UnreadableDocument(name, "not a text document (unrecognised encoding)")
        return guessed, best.encoding
    guessed = _strict_decode(data, best.encoding)
    if guessed is None:
        raise UnreadableDocument(name, "not a text document (unrecognised encoding)")
    return guessed, best.encoding


def _strict_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_like_simplified_chinese(text: str) -> bool:
    non_ascii = [char for char in text if ord(char) > 0x7F]
    if not non_ascii:
        return False
    in_gb2312 = sum(1 for char in non_ascii if _in_gb2312_block(char))
    return in_gb2312 / len(non_ascii) >= SIMPLIFIED_CHINESE_MIN_SHARE


def _in_gb2312_block(char: str) -> bool:
    # GB2312 is the 0xA1-0xF7 x 0xA1-0xFE corner of GBK; judged by bytes rather than the
    # gb2312 codec because codecs disagree on a few punctuation marks (the em dash).
    encoded = char.encode("gb18030")
    return len(encoded) == 2 and 0xA1 <= encoded[0] <= 0xF7 and encoded[1] >= 0xA1


# Unicode's control characters (category Cc: U+0000-001F, U+007F-009F) less tab and line breaks.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = len(_CONTROL.findall(text))
    return controls > CONTROL_CHARACTER_MAX_SHARE * len(text)


def docx_blocks(data: bytes, name: str) -> list[Block]:
    """Paragraphs (headings by their style) and tables of a .docx in document order, a blank line
    between them. A task table is a table block; any other table gives a paragraph per row, its
    cells tab-joined (merged cells counted once)."""
    import docx  # imported here: only .docx needs it
    from docx.table import Table as DocxTable

    try:
        document = docx.Document(io.BytesIO(data))
        levels = _heading_levels(document)
        blocks: list[Block] = []
        for item in document.iter_inner_content():
            if isinstance(item, DocxTable):
                grid = _docx_table_grid(item, name)
                found = task_table(grid)
                blocks += [found] if found is not None else [Paragraph(row) for row in _docx_table_rows(grid)]
            else:
                text = item.text.strip()
                level = levels.get(item._p.style)
                blocks.append(heading(level, text) if level else Paragraph(text))
    except UnreadableDocument:
        raise
    # A damaged .docx fails wherever zipfile, lxml or python-docx's package reader notice
    # it, each with its own exception type; to the user they all mean the same thing.
    except Exception as error:  # noqa: BLE001
        raise UnreadableDocument(name, "not a valid .docx file") from error
    return spaced(block for block in blocks if isinstance(block, Table) or block.text)


def _heading_levels(document) -> dict[str, int]:
    """{style id: heading level} for the document's heading styles ("Heading 2", "标题 2"), read once:
    python-docx looks a paragraph's style up among all styles every time it is asked."""
    levels = {}
    for style in document.styles:
        name = style.name or ""
        if (found := re.fullmatch(r"(?i)(?:heading|标题)\s*([1-9])", name)) and style.style_id:
            levels[style.style_id] = int(found[1])
    return levels


def _docx_table_rows(grid: list[list[Cell]]) -> list[str]:
    """One line per table row, cells separated by tabs (merged cells counted once)."""
    rows = []
    for row in grid:
        cells: list[str] = []
        for cell in row:
            text = " ".join(cell.text.split("\n"))
            if not cell.from_left and (not cells or cells[-1] != text):
                cells.append(text)
        rows.append("\t".join(cells).strip())
    return rows


def _docx_table_grid(table, name: str) -> list[list[Cell]]:
    """The table's rows as a grid of cells, with where each cell continues a merged one.

    Read from the <w:tc> elements directly, in one pass: python-docx's `row.cells` climbs a
    vertical merge row by row for every row it covers (quadratic in its height) and repeats a
    cell once per grid column of its gridSpan, however large.
    """
    from docx.table import _Cell

    grid: list[list[Cell]] = []
    above: list[tuple[object, str] | None] = []  # per grid column: the merge's first <w:tc>, its text
    positions = 0
    for tr in table._tbl.tr_lst:
        before = bounded_span(tr.grid_before) if tr.grid_before else 0
        cells: list[Cell] = [Cell("")] * before
        roots: list[tuple[object, str] | None] = [None] * before
        for tc in tr.tc_lst:
            span = bounded_span(tc.grid_span)
            positions += span
            if positions > MAX_TABLE_CELLS:
                raise InputTooLarge(name, f"a table spans more than {MAX_TABLE_CELLS:,} cells")
            column = len(cells)
            merged_above = tc.vMerge == "continue" and column < len(above) and above[column] is not None
            if merged_above:
                root = above[column]
            else:
                paragraphs = _Cell(tc, table).paragraphs
                root = (tc, "\n".join(p.text.strip() for p in paragraphs if p.text.strip()))
            for offset in range(span):
                cells.append(Cell(root[1], from_above=merged_above and offset == 0, from_left=offset > 0))
                roots.append(root)
        grid.append(cells)
        above = roots
    return grid


def check_package(data: bytes, name: str, kind: str) -> dict[str, list[str]]:
    """Refuse a .docx/.xlsx whose parts would unzip or parse into far more than the file's size.

    Sizes come from the zip directory, before anything is inflated (zipfile stops every member
    at its declared size, so a lying directory cannot get past this). Then one streaming pass
    counts the XML elements of every part without building a tree, and on the way notes each
    part's merged ranges (`<mergeCell ref="A3:E3">`), which openpyxl's read-only mode does not give.
    Returns {part name: merged ranges} for the parts that have any.
    """
    from xml.parsers import expat

    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError) as error:
        raise UnreadableDocument(name, f"not a valid .{kind} file") from error
    with package:
        members = package.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputTooLarge(name, f"more than {MAX_ZIP_MEMBERS:,} parts in the .{kind} package")
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > MAX_ZIP_MEMBER_BYTES:
                raise InputTooLarge(name, f"part {member.filename} unzips to more than "
                                          f"{MAX_ZIP_MEMBER_BYTES // 2**20} MiB")
        if total > MAX_ZIP_TOTAL_BYTES:
            raise InputTooLarge(name, f"unzips to more than {MAX_ZIP_TOTAL_BYTES // 2**20} MiB")
        elements = 0
        merged: dict[str, list[str]] = {}
        for member in members:
            if not member.filename.endswith((".xml", ".rels")):
                continue
            parser = expat.ParserCreate()
            ranges: list[str] = []

            def start(tag: str, attributes: dict, ranges=ranges) -> None:
                nonlocal elements
                elements += 1
                if tag == "mergeCell" and "ref" in attributes:
                    ranges.append(attributes["ref"])

            parser.StartElementHandler = start
            try:
                with package.open(member) as stream:
                    while chunk := stream.read(1 << 20):
                        parser.Parse(chunk, False)
                        if elements > MAX_XML_ELEMENTS:
                            raise InputTooLarge(name, f"more than {MAX_XML_ELEMENTS:,} XML elements")
                    parser.Parse(b"", True)
            # A damaged member fails in expat, zipfile or zlib; an encrypted one raises RuntimeError,
            # an unknown compression NotImplementedError: to the user all mean the same thing.
            except (expat.ExpatError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError,
                    RuntimeError, NotImplementedError) as error:
                raise UnreadableDocument(name, f"not a valid .{kind} file") from error
            if ranges:
                merged[member.filename] = ranges
    return merged


def _package_kind(data: bytes) -> str | None:
    """"docx" or "xlsx" for a zip package holding a Word document or a workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError):
        return None
    return "docx" if "word/document.xml" in names else "xlsx" if "xl/workbook.xml" in names else None
