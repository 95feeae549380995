"""Hostile files cost a bounded amount to read and end in one line; big plans are not truncated."""
import io
import json
import subprocess
import sys
import zipfile

import pytest

from extract.limits import MAX_TABLE_CELLS
from extract.plan import extract_plan
from extract.reading import InputTooLarge, UnreadableDocument, read_document_bytes

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="peak memory read from /proc")

# Peak resident memory allowed for reading one hostile file in a fresh interpreter: the
# interpreter and the extraction imports take 50-90 MiB; on main these files took 1.8-6.2 GB.
PEAK_RSS_BOUND_MIB = 400

_READ_IN_CHILD = """
import json, sys
from extract.reading import UnreadableDocument, read_document
try:
    read_document(sys.argv[1])
    outcome = "read"
except UnreadableDocument as error:
    outcome = str(error)
# VmHWM belongs to this process image; ru_maxrss would carry over the forking parent's peak.
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"outcome": outcome, "peak_mib": peak_kib / 1024}))
"""


def _read_in_child(path) -> dict:
    """Read the file in a fresh interpreter, so its peak memory is this file's alone."""
    result = subprocess.run([sys.executable, "-c", _READ_IN_CHILD, str(path)], capture_output=True,
                            text=True, timeout=300, check=True)
    return json.loads(result.stdout)


def _docx_bomb(unzipped_mib: int) -> bytes:
    """A .docx whose document part unzips to `unzipped_mib` MiB of one repeated paragraph."""
    paragraph = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    body = paragraph * (unzipped_mib * 2**20 // len(paragraph))
    document = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body>' + body + b"</w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


@linux_only
def test_docx_zip_bomb_is_refused_in_one_line_with_bounded_memory(tmp_path):
    path = tmp_path / "bomb.docx"
    path.write_bytes(_docx_bomb(300))
    assert path.stat().st_size < 2 * 2**20  # a small file that unzips to 300 MiB
    result = _read_in_child(path)
    assert result["outcome"].startswith("bomb.docx: ") and "MiB" in result["outcome"]
    assert "\n" not in result["outcome"]
    assert result["peak_mib"] < PEAK_RSS_BOUND_MIB


def test_docx_of_millions_of_small_elements_is_refused_before_a_tree_is_built():
    data = _docx_bomb(60)  # under the size limits, but ~7 million elements
    with pytest.raises(InputTooLarge, match="XML elements"):
        read_document_bytes(data, "many.docx")


@linux_only
def test_html_table_of_huge_spans_is_refused_with_bounded_memory(tmp_path):
    cell = '<td rowspan="100" colspan="100">x</td>'
    rows = "".join("<tr>" + cell * 10 + "</tr>" for _ in range(200))
    path = tmp_path / "spans.html"
    path.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
    result = _read_in_child(path)
    assert result["outcome"] == f"spans.html: a table spans more than {MAX_TABLE_CELLS:,} cells"
    assert result["peak_mib"] < PEAK_RSS_BOUND_MIB


def test_html_with_too_many_elements_is_refused(monkeypatch):
    monkeypatch.setattr("extract.html_reader.MAX_HTML_ELEMENTS", 1_000)  # the mechanism, not the figure
    markup = "<p>x</p>" * 1_001
    with pytest.raises(InputTooLarge, match="more than 1,000 HTML elements"):
        read_document_bytes(markup.encode(), "huge.html")


def test_deeply_nested_html_keeps_its_innermost_text():
    depth = 30_000
    markup = "<html><body>" + "<div>" * depth + "最里层的文字" + "</div>" * depth + "<p>之后的段落</p></body></html>"
    text = read_document_bytes(markup.encode(), "deep.html").text
    assert text.split("\n") == ["最里层的文字", "之后的段落"]


def test_unclosed_cells_and_rows_close_at_the_next_one():
    markup = ("<table><tr><th>序号<th>重点任务<th>牵头单位<th>完成时限"
              "<tr><td>1<td>推进数据共享。<td>市数据局<td>2027年6月底前</table>")
    text = read_document_bytes(markup.encode(), "open.html").text
    assert text.split("\n") == ["1.推进数据共享。", "牵头单位：市数据局；完成时限：2027年6月底前。"]


def test_every_limit_error_is_an_unreadable_document():
    assert issubclass(InputTooLarge, UnreadableDocument)


def _numbered_plan(count: int) -> str:
    lines = ["某市重点工作任务清单", "一、重点任务"]
    lines += [f"{n}. 推进第{n}项工作。责任单位：市第{n % 7 + 1}局。" for n in range(1, count + 1)]
    return "\n".join(lines)


def test_ten_thousand_numbered_tasks_extract_as_ten_thousand():
    plan = extract_plan(_numbered_plan(10_000), "big.txt")
    assert len(plan.tasks) == 10_000
    assert [plan.tasks[i].label for i in (0, 998, 999, 9_999)] == ["1", "999", "1000", "10000"]
    assert plan.tasks[-1].title == "推进第10000项工作"
    assert plan.tasks[-1].responsible_units == [f"市第{10_000 % 7 + 1}局"]


def test_many_wrapped_lines_make_one_paragraph():
    text = "\n".join(["The council will"] + [f"publish part {n} of the register and" for n in range(20_000)] + ["finish."])
    paragraphs = read_document_bytes(text.encode(), "wrapped.txt").text
    from extract.normalize import paragraphs as rejoin
    joined = rejoin(paragraphs)
    assert len(joined) == 1 and joined[0].endswith("and finish.")


def _docx_with_table(rows: list[list[str]]) -> "docx.Document":
    import docx

    document = docx.Document()
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for row, texts in zip(table.rows, rows):  # table.cell(r, c) is linear in the table: too slow here
        for cell, text in zip(row.cells, texts):
            cell.text = text
    return document


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_table_of_huge_grid_spans_is_refused():
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rows = [["序号", "重点任务", "牵头单位"]] + [["1", "推进数据共享。", "市数据局"]] * 600
    document = _docx_with_table(rows)
    for tr in document.tables[0]._tbl.tr_lst[1:]:
        grid_span = OxmlElement("w:gridSpan")
        grid_span.set(qn("w:val"), "100000")  # clamped to MAX_TABLE_SPAN, and counted
        tr.tc_lst[1].get_or_add_tcPr().append(grid_span)
    with pytest.raises(InputTooLarge, match=f"a table spans more than {MAX_TABLE_CELLS:,} cells"):
        read_document_bytes(_saved(document), "wide.docx")


def test_docx_vertically_merged_unit_cell_belongs_to_every_task_it_spans():
    rows = [["序号", "重点任务", "牵头单位", "完成时限"]]
    rows += [[str(n), f"推进第{n}项工作。", "市司法局", "2027年6月底前"] for n in range(1, 301)]
    document = _docx_with_table(rows)
    table = document.tables[0]
    table.cell(1, 2).merge(table.cell(300, 2))  # one lead cell over all 300 rows
    table.cell(1, 2).text = "市司法局"
    plan = extract_plan(read_document_bytes(_saved(document), "merged.docx").text, "merged.docx")
    assert len(plan.tasks) == 300
    assert all(task.lead_units == ["市司法局"] for task in plan.tasks)


def test_xlsx_zip_bomb_is_refused_before_openpyxl_reads_it():
    cell = b'<c t="inlineStr"><is><t>x</t></is></c>'
    sheet = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             b"<sheetData><row>" + cell * (80 * 2**20 // len(cell)) + b"</row></sheetData></worksheet>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>')
        package.writestr("xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(InputTooLarge, match="unzips to more than"):
        read_document_bytes(buffer.getvalue(), "ledger.xlsx")



def test_thousands_of_items_restarting_at_one_do_not_nest_ever_deeper():
    # Each short "（一）" line once opened a level under the one before: 1,000 of them overflowed
    # the recursion limit (a traceback instead of a plan), and the outline walk was quadratic.
    plan = extract_plan("\n".join("（一）推进工作" for _ in range(3_000)), "ones.txt")
    assert len(plan.tasks) >= 2_990


def test_zip_directory_that_understates_a_part_is_not_inflated_past_its_word():
    import struct

    data = bytearray(_docx_bomb(200))
    directory = data.index(b"PK\x01\x02", data.index(b"word/document.xml") - 100)
    while not data[directory + 46:].startswith(b"word/document.xml"):
        directory = data.index(b"PK\x01\x02", directory + 4)
    struct.pack_into("<I", data, directory + 24, 4096)  # the directory now claims 4 KiB unzipped
    with pytest.raises(UnreadableDocument) as raised:
        read_document_bytes(bytes(data), "liar.docx")
    assert str(raised.value) == "liar.docx: not a valid .docx file"


def test_table_wider_than_any_task_table_is_kept_as_rows_without_reading_its_header():
    from extract.limits import MAX_TASK_TABLE_COLUMNS

    width = MAX_TASK_TABLE_COLUMNS + 1
    header = "<tr><th>序号</th><th>重点任务</th><th>牵头单位</th>" + "<th>x</th>" * (width - 3) + "</tr>"
    row = "<tr><td>1</td><td>推进数据共享。</td><td>市数据局</td>" + "<td>y</td>" * (width - 3) + "</tr>"
    text = read_document_bytes(f"<table>{header}{row}</table>".encode(), "wide.html").text
    assert text.startswith("序号\t重点任务\t牵头单位\tx")


def test_a_pipe_table_wider_than_any_task_table_stays_as_it_was():
    # The width bound lives in table_header, so Markdown tables meet it as HTML/.docx ones do.
    from extract.limits import MAX_TASK_TABLE_COLUMNS

    extra = MAX_TASK_TABLE_COLUMNS - 1
    header = "| 序号 | 重点任务 | 牵头单位 | " + " | ".join(f"备注{i}" for i in range(extra)) + " |"
    rule = "|" + "---|" * (extra + 3)
    row = "| 1 | 完善制度 | 市司法局 | " + " | ".join("" for _ in range(extra)) + " |"
    text = "\n".join([header, rule, row])
    assert "牵头单位：市司法局" not in read_document_bytes(text.encode(), "wide.txt").text
    narrow = "\n".join(["| 序号 | 重点任务 | 牵头单位 |", "|---|---|---|", "| 1 | 完善制度 | 市司法局 |"])
    assert "牵头单位：市司法局" in read_document_bytes(narrow.encode(), "narrow.txt").text
