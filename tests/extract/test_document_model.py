"""Every format becomes the same blocks, and the text segmentation reads is their one rendering.
Invented plans."""
from __future__ import annotations

import dataclasses
import io

import pytest

from bot.i18n import Catalogue
from extract.document import (Break, Heading, ListItem, Paragraph, Table, bounded_span, document_text,
                              paragraphs_of, with_tables_in_text)
from extract.limits import MAX_TABLE_SPAN
from extract.plan import extract_document
from extract.reading import read_document_bytes
from extract.text_tables import text_tables


def _kinds(blocks) -> list[str]:
    return [type(block).__name__ for block in blocks]


def _tables(document) -> list[Table]:
    return [block for block in document.blocks if isinstance(block, Table)]


def test_the_text_is_the_rendering_of_the_blocks_in_every_format():
    for data, name in ((_html(), "p.html"), (_markdown().encode(), "p.md"), (_docx(), "p.docx"),
                       (_xlsx(), "p.xlsx"), (_cells_pasted_as_text().encode(), "p.txt")):
        document = read_document_bytes(data, name)
        assert document.blocks and document.text == document_text(document.blocks)


def _html() -> str:
    return ("<h1>Elmsworth Parks Plan 2028</h1><h2>1. Playgrounds</h2><p>Some context.</p>"
            "<ol start=\"4\"><li>Resurface the play areas.<ul><li>east park first</li></ul></li>"
            "<li>Replace the swings.</li></ol>"
            "<table><tr><th>No.</th><th>Action</th><th>Lead</th><th>Deadline</th></tr>"
            "<tr><td>1</td><td>Plant 200 trees.</td><td rowspan=\"2\">Parks Team</td><td>March 2028</td></tr>"
            "<tr><td>2</td><td>Repair the fences.</td><td>June 2028</td></tr></table>").encode()


def test_html_headings_list_items_and_task_tables_are_blocks():
    blocks = read_document_bytes(_html(), "parks.html").blocks
    assert blocks[:3] == (Heading(1, "", "Elmsworth Parks Plan 2028"), Heading(2, "1", "1. Playgrounds"),
                          Paragraph("Some context."))
    # An <ol>'s items are numbered from its start; a nested list's items keep no number.
    assert [b for b in blocks if isinstance(b, ListItem)] == [
        ListItem("4.", "Resurface the play areas.", 0), ListItem("", "east park first", 1),
        ListItem("5.", "Replace the swings.", 0)]
    table, = [b for b in blocks if isinstance(b, Table)]
    assert table.kinds == ("number", "task", "lead", "deadline") and table.header_rows == (0,)
    # The rowspan is expanded: the second row's lead cell repeats the merged one.
    assert table.rows[2][2].text == "Parks Team" and table.rows[2][2].from_above
    assert not table.header_guessed


def _markdown() -> str:
    return ("# Wexford Libraries Plan\n\n## Action 1: Opening hours\n\n- Extend hours\n  - on Saturdays\n\n"
            "| Action | Lead | Due |\n|---|---|---|\n| Open a reading room | Library Service | May 2028 |\n")


def test_markdown_tokens_become_marked_headings_items_with_depth_and_tables():
    blocks = read_document_bytes(_markdown().encode(), "libraries.md").blocks
    content = [b for b in blocks if not isinstance(b, Break)]
    assert content[:4] == [Heading(1, "", "Wexford Libraries Plan", marked=True),
                           Heading(2, "1", "Action 1: Opening hours", marked=True),
                           ListItem("-", "Extend hours", 0), ListItem("-", "on Saturdays", 1)]
    assert isinstance(content[4], Table) and content[4].kinds == ("task", "lead", "deadline")


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("二、重点任务", level=1)
    document.add_paragraph("按季度调度推进。")
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate([("重点任务", "牵头单位", "完成时限"), ("修订预案。", "县应急局", "2028年6月底前"),
                                 ("开展演练。", "", "2028年9月底前")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.cell(1, 1).merge(table.cell(2, 1))
    document.add_paragraph("三、保障措施")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_heading_styles_and_tables_in_document_order():
    blocks = [b for b in read_document_bytes(_docx(), "plan.docx").blocks if not isinstance(b, Break)]
    assert _kinds(blocks) == ["Heading", "Paragraph", "Table", "Paragraph"]
    assert blocks[0] == Heading(1, "二", "二、重点任务")
    # The vertically merged unit cell belongs to both rows.
    assert [row[1].text for row in blocks[2].rows] == ["牵头单位", "县应急局", "县应急局"]


def _xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["某县2028年重点任务台账"])
    sheet.append(["序号", "重点任务", "责任单位", "完成时限"])
    sheet.append([1, "建设智慧停车平台。", "县城管局", "2028年10月底前"])
    other = workbook.create_sheet("说明")
    other.append(["填表说明"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_sheet_region_is_one_table_below_its_title_and_sheets_are_broken():
    blocks = read_document_bytes(_xlsx(), "ledger.xlsx").blocks
    assert _kinds(blocks) == ["Paragraph", "Table", "Break", "Paragraph"]
    assert blocks[1].kinds == ("number", "task", "responsible", "deadline")


def _cells_pasted_as_text() -> str:
    return ("某区2028年工作要点\n\n序号\n重点任务\n牵头单位\n完成时限\n"
            "1\n推进老旧小区改造。\n区住建局\n2028年6月底前\n2\n整治背街小巷。\n区城管局\n2028年9月底前\n\n结束语。\n")


def test_a_table_pasted_one_cell_per_line_becomes_a_table_block():
    document = read_document_bytes(_cells_pasted_as_text().encode(), "plan.txt")
    assert _kinds(document.blocks) == ["Paragraph", "Break", "Table", "Paragraph", "Break"]
    assert "1.推进老旧小区改造。" in document.text and "牵头单位：区住建局" in document.text


def test_a_block_a_pasted_table_covers_in_part_keeps_its_other_lines():
    blocks = [Paragraph("导语。\n重点任务\n牵头单位\n完成时限\n修订办法。\n区司法局\n2028年5月底前"), Paragraph("尾段。")]
    found = with_tables_in_text(blocks, text_tables)
    assert _kinds(found) == ["Paragraph", "Table", "Paragraph"] and found[0] == Paragraph("导语。")


def test_a_table_already_read_is_not_read_again_with_the_text_around_it():
    table = read_document_bytes(_html(), "parks.html").blocks[-1]
    blocks = paragraphs_of("Action\nLead\nDeadline") + [table]
    found = with_tables_in_text(blocks, text_tables)
    assert found[-1] is table and _kinds(found) == ["Paragraph", "Paragraph", "Paragraph", "Table"]


def test_spans_are_bounded_once_for_every_reader():
    assert bounded_span("3") == 3 and bounded_span(None) == 1 and bounded_span("x") == 1 and bounded_span(0) == 1
    assert bounded_span(10 ** 9) == MAX_TABLE_SPAN


def test_a_header_named_by_the_vocabulary_raises_no_review_flag():
    plan = extract_document(read_document_bytes(_html(), "parks.html"))
    assert not any(flag.code == "table_header_guessed" for flag in plan.review_flags)


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_a_guessed_table_header_is_flagged_for_review_and_worded(language):
    # No reader guesses a header yet (every header is named by data/tables.toml); a table block
    # that says its header was inferred is what such a reader will give.
    document = read_document_bytes(_xlsx(), "ledger.xlsx")
    blocks = tuple(dataclasses.replace(b, header_guessed=True) if isinstance(b, Table) else b for b in document.blocks)
    plan = extract_document(dataclasses.replace(document, blocks=blocks))
    flag, = [flag for flag in plan.review_flags if flag.code == "table_header_guessed"]
    assert flag.task is None and dict(flag.values) == {"header": "序号 | 重点任务 | 责任单位 | 完成时限"}
    texts = Catalogue(language)
    assert "序号 | 重点任务" in texts.text(f"review.{flag.code}", task=flag.task, **dict(flag.values))
    assert texts.text(f"review_count.{flag.code}", count=1)
