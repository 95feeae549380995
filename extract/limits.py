"""How much work one plan file may cause, whatever its size on disk.

A file's size says little about the cost of reading it: 1 MiB of .docx can unzip to gigabytes,
86 KB of HTML with rowspan/colspan 100 filled a grid of 1.8 GB. Reading refuses such files with
`InputTooLarge` (one line naming the file and the limit) before paying for them. The limits are
set far above what a plan needs (the 10,000-task plans of bench/extract_scaling_bench.py in .html,
.docx and .xlsx use at most a third of each) while bounding what one file can cost: a .docx at the
element limit takes about 300 MiB to read; one that would cost more is refused.
"""
from __future__ import annotations

from extract.errors import InputTooLarge

__all__ = [
    "InputTooLarge", "MAX_ZIP_MEMBERS", "MAX_ZIP_MEMBER_BYTES", "MAX_ZIP_TOTAL_BYTES", "MAX_XML_ELEMENTS",
    "MAX_HTML_ELEMENTS", "MAX_TABLE_CELLS", "MAX_TABLE_SPAN",
    "MAX_TASK_TABLE_COLUMNS", "MAX_PDF_PAGES", "MAX_SHEET_CELLS",
]

# .docx / .xlsx packages, checked from the zip directory before anything is decompressed
# (zipfile never inflates a member past the size its directory entry declares).
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024  # one unzipped part (word/document.xml, a sheet)
MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024  # all parts together, images included
# XML elements of the parts that are parsed into trees (the document body, a sheet): counted
# by a streaming pass that keeps no tree, so the count is checked before a tree is built.
MAX_XML_ELEMENTS = 1_000_000

# HTML: start tags in the page.
MAX_HTML_ELEMENTS = 2_000_000
# Tables (HTML, .docx, .xlsx): grid positions a table may fill once its merged cells are
# expanded, and the largest row- or colspan honoured (a larger one is clamped to it).
MAX_TABLE_CELLS = 500_000
MAX_TABLE_SPAN = 1_000
# A table wider than this is kept as rows of text without asking whether it is a task table:
# every header cell is looked up in the header vocabulary, which for a row of 400,000 one-letter
# cells took minutes. Task tables have 3 to 15 columns.
MAX_TASK_TABLE_COLUMNS = 64

# PDF pages read (the text layer of each is kept in memory until the page furniture is found).
MAX_PDF_PAGES = 3_000
# Spreadsheet cells read from one workbook (all sheets).
MAX_SHEET_CELLS = 2_000_000
