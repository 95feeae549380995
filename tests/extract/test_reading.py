"""Bytes -> text: encodings, formats, and the one-line errors for files we cannot read.

Every fixture is written into tmp_path from text invented here.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest

from extract.reading import (
    SourceDocument,
    UnreadableDocument,
    decode_text,
    read_document,
    read_document_bytes,
)

PLAN_PARAGRAPH = (
    "三、强化行政执法监督\n"
    "（五）推进执法规范化建设。全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，"
    "2026年9月底前完成全市执法案卷评查工作。（责任单位：市司法局、市市场监管局）\n"
)
# About 40 characters: the length at which charset detectors most often guess Korean.
SHORT_PLAN_LINE = "（十二）年内完成规范性文件清理。（市司法局牵头，各县区政府负责）"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def hand_written_pdf(page_texts: list[str]) -> bytes:
    """A minimal valid PDF whose pages show the given ASCII lines in Helvetica."""
    page_count = len(page_texts)
    font_id = 3 + 2 * page_count
    page_ids = [3 + 2 * i for i in range(page_count)]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % i for i in page_ids)
           + b"] /Count %d >>" % page_count,
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for page_id, text in zip(page_ids, page_texts):
        content = b"BT /F1 12 Tf 72 720 Td (" + text.encode("ascii") + b") Tj ET" if text else b""
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (page_id + 1, font_id)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for object_id in sorted(objects):
        offsets[object_id] = out.tell()
        out.write(b"%d 0 obj\n" % object_id + objects[object_id] + b"\nendobj\n")
    xref_at = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for object_id in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[object_id])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at))
    return out.getvalue()


# --- encodings ---------------------------------------------------------------------------

def test_utf8_plan_is_read_as_utf8(tmp_path):
    document = read_document(write(tmp_path, "plan.txt", PLAN_PARAGRAPH.encode("utf-8")))
    assert document == SourceDocument(
        name="plan.txt",
        text=PLAN_PARAGRAPH,
        sha256=hashlib.sha256(PLAN_PARAGRAPH.encode("utf-8")).hexdigest(),
        encoding="utf-8",
        format="txt",
    )


def test_utf8_byte_order_mark_is_stripped(tmp_path):
    document = read_document(write(tmp_path, "plan.txt", b"\xef\xbb\xbf" + PLAN_PARAGRAPH.encode("utf-8")))
    assert document.text == PLAN_PARAGRAPH
    assert document.encoding == "utf-8"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_gbk_family_plan_paragraph_is_decoded_as_gb18030(tmp_path, codec):
    document = read_document(write(tmp_path, "plan.txt", PLAN_PARAGRAPH.encode(codec)))
    assert document.text == PLAN_PARAGRAPH
    assert document.encoding == "gb18030"


@pytest.mark.parametrize("codec", ["gbk", "gb18030"])
def test_short_gbk_line_is_not_mistaken_for_korean(tmp_path, codec):
    document = read_document(write(tmp_path, "short.txt", SHORT_PLAN_LINE.encode(codec)))
    assert document.text == SHORT_PLAN_LINE
    assert document.encoding == "gb18030"


@pytest.mark.parametrize("text", ["年内完成。", "市司法局负责。", "示政办发〔2026〕12号"])
def test_very_short_gbk_snippets_decode_as_chinese(text):
    assert decode_text(text.encode("gbk"), "snippet.txt") == (text, "gb18030")


def test_big5_traditional_text_is_not_read_as_gbk(tmp_path):
    # Every Big5 byte pair is also valid GBK, so only the characters tell them apart.
    text = "臺北市政府法制局應於年底前完成法規整理，並每季度報告執行情形。"
    document = read_document(write(tmp_path, "plan.txt", text.encode("big5")))
    assert document.original_text == text  # what the file says; `text` is its simplified form
    assert document.encoding == "big5"


def test_gb18030_only_characters_survive(tmp_path):
    # The em dash and a CJK Extension B character are outside GBK's everyday block.
    text = "《示例市法治政府建设规划（2026—2030年）》明确𠀾项任务。"
    document = read_document(write(tmp_path, "plan.txt", text.encode("gb18030")))
    assert document.text == text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_byte_order_mark_is_decoded(tmp_path, codec):
    data = PLAN_PARAGRAPH.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    document = read_document(write(tmp_path, "plan.txt", data))
    assert document.text == PLAN_PARAGRAPH
    assert document.encoding == "utf-16"


def test_latin1_english_plan_uses_the_detected_western_encoding(tmp_path):
    text = "Action 3. The café licensing review will be completed by 30 June 2026.\n" * 3
    document = read_document(write(tmp_path, "plan.txt", text.encode("cp1252")))
    assert document.text == text
    assert document.encoding not in ("utf-8", "gb18030")


def test_same_plan_saved_as_gbk_and_utf8_has_the_same_sha256(tmp_path):
    as_gbk = read_document(write(tmp_path, "gbk.txt", PLAN_PARAGRAPH.encode("gbk")))
    as_utf8 = read_document(write(tmp_path, "utf8.txt", b"\xef\xbb\xbf" + PLAN_PARAGRAPH.replace("\n", "\r\n").encode("utf-8")))
    assert as_gbk.encoding != as_utf8.encoding
    assert as_gbk.sha256 == as_utf8.sha256


def test_different_text_has_a_different_sha256():
    first = read_document_bytes("年内完成。".encode(), "a.txt")
    second = read_document_bytes("上半年完成。".encode(), "a.txt")
    assert first.sha256 != second.sha256


# --- normalization -----------------------------------------------------------------------

def test_crlf_and_lone_cr_become_newlines(tmp_path):
    data = "一、总体要求\r\n（一）第一项。\r（二）第二项。\r\n".encode("utf-8")
    document = read_document(write(tmp_path, "plan.txt", data))
    assert document.text == "一、总体要求\n（一）第一项。\n（二）第二项。\n"


def test_text_is_nfc_normalized():
    decomposed = "Re\u0301sume\u0301 by end of 2026"
    text, _ = decode_text(decomposed.encode("utf-8"), "plan.md")
    assert text == "Résumé by end of 2026"
    assert "\u0301" not in text


def test_markdown_is_kept_as_written(tmp_path):
    markdown = "# 2026 Action Plan\n\n1. **Open data.** Lead: County Office. By 30 June 2026.\n"
    document = read_document(write(tmp_path, "plan.MD", markdown.encode("utf-8")))
    assert document.format == "md"
    assert document.text == markdown


# --- formats -----------------------------------------------------------------------------

def test_html_blocks_become_lines_and_scripts_are_dropped(tmp_path):
    html = (
        "<html><head><title>站点标题</title><style>p {color: red}</style></head><body>"
        "<script>var secret = '不应出现';</script>"
        "<h1>关于印发工作要点的通知</h1>"
        "<p>（一）完善<strong>制度</strong>体系。\n  2026年6月底前完成。</p>"
        "<div>（责任单位：市司法局）<br>（二）第二项。</div>"
        "<table><tr><td>1</td><td>市财政局</td></tr></table>"
        "</body></html>"
    )
    document = read_document(write(tmp_path, "notice.HTM", html.encode("utf-8")))
    assert document.format == "html"
    assert document.text.split("\n") == [
        "关于印发工作要点的通知",
        "（一）完善制度体系。 2026年6月底前完成。",
        "（责任单位：市司法局）",
        "（二）第二项。",
        "1\t市财政局",
    ]
    assert "secret" not in document.text and "color" not in document.text


def test_gbk_html_page_is_decoded(tmp_path):
    html = "<html><body><p>" + SHORT_PLAN_LINE + "</p></body></html>"
    document = read_document(write(tmp_path, "page.html", html.encode("gbk")))
    assert document.text == SHORT_PLAN_LINE
    assert document.encoding == "gb18030"


def build_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("关于印发《2026年示例市工作要点》的通知")
    document.add_paragraph("")
    document.add_paragraph("一、总体要求")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("序号", "任务", "责任单位"), ("1", "清理规范性文件", "市司法局")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    document.add_paragraph("二、保障措施")
    document.save(path)
    return path


def test_docx_paragraphs_and_table_rows_come_in_document_order(tmp_path):
    document = read_document(build_docx(tmp_path / "plan.docx"))
    assert document.format == "docx"
    assert document.encoding == "docx"
    assert document.text == (
        "关于印发《2026年示例市工作要点》的通知\n\n"
        "一、总体要求\n\n"
        # A task table is written out as an item and its note (see tests/extract/test_tables.py).
        "1.清理规范性文件。\n责任单位：市司法局。\n\n"
        "二、保障措施"
    )


def test_docx_without_extension_is_recognised_by_content(tmp_path):
    data = build_docx(tmp_path / "plan.docx").read_bytes()
    document = read_document_bytes(data, "telegram-upload")
    assert document.format == "docx"
    assert "市司法局" in document.text


def test_pdf_page_texts_are_joined_by_a_blank_line(tmp_path):
    pdf = hand_written_pdf(["Action 1. Publish the register by 30 June 2026.", "Action 2. Report every quarter."])
    document = read_document(write(tmp_path, "plan.pdf", pdf))
    assert document.format == "pdf"
    assert document.encoding == "pdf"
    assert document.text == (
        "Action 1. Publish the register by 30 June 2026.\n\nAction 2. Report every quarter."
    )


def test_pdf_without_extension_is_recognised_by_content():
    document = read_document_bytes(hand_written_pdf(["Lead: County Office."]), "upload")
    assert document.format == "pdf"
    assert document.text == "Lead: County Office."


def test_unknown_extension_that_decodes_is_treated_as_text(tmp_path):
    document = read_document(write(tmp_path, "plan.plan", SHORT_PLAN_LINE.encode("gbk")))
    assert document.format == "txt"
    assert document.text == SHORT_PLAN_LINE


def test_bundled_example_plan_reads_as_utf8_with_all_sixteen_task_markers():
    example = Path(__file__).resolve().parents[2] / "examples" / "example-city-2026-work-points.txt"
    document = read_document(example)
    assert (document.format, document.encoding) == ("txt", "utf-8")
    markers = re.findall(r"^\u3000*(?:（[一二三四五六七八九十]+）|\d+[.、])", document.text, re.M)
    assert len(markers) == 16


# --- errors ------------------------------------------------------------------------------

def unreadable_message(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        read_document(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_empty_file_is_unreadable(tmp_path):
    assert unreadable_message(write(tmp_path, "plan.txt", b"")) == "plan.txt: the file is empty"


def test_whitespace_only_file_is_unreadable(tmp_path):
    data = " \r\n\t\u3000\n".encode("utf-8")
    assert unreadable_message(write(tmp_path, "blank.txt", data)) == (
        "blank.txt: the file contains only whitespace"
    )


def test_random_bytes_with_nul_are_binary(tmp_path):
    data = bytes(range(256)) * 4
    assert unreadable_message(write(tmp_path, "x.bin", data)) == (
        "x.bin: not a text document (binary content)"
    )


def test_png_named_txt_is_binary(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    assert unreadable_message(write(tmp_path, "plan.txt", png)) == (
        "plan.txt: not a text document (binary content)"
    )


def test_text_full_of_control_characters_is_binary():
    with pytest.raises(UnreadableDocument, match="binary content"):
        decode_text(b"plan\x01\x02\x03\x04\x05\x06\x07\x08 text", "odd.txt")


def test_missing_file_is_unreadable(tmp_path):
    assert unreadable_message(tmp_path / "missing.txt") == (
        "missing.txt: cannot read (No such file or directory)"
    )


def test_corrupt_docx_is_unreadable(tmp_path):
    assert unreadable_message(write(tmp_path, "bad.docx", b"PK\x03\x04 this is not a zip")) == (
        "bad.docx: not a valid .docx file"
    )


def test_zip_without_word_document_is_not_a_valid_docx(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("notes.txt", "nothing here")
    assert unreadable_message(write(tmp_path, "bad.docx", buffer.getvalue())) == (
        "bad.docx: not a valid .docx file"
    )


def test_docx_with_no_text_is_unreadable(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    assert unreadable_message(path) == "empty.docx: the document contains no text"


def test_pdf_without_text_layer_looks_scanned(tmp_path):
    assert unreadable_message(write(tmp_path, "scan.pdf", hand_written_pdf(["", ""]))) == (
        "scan.pdf: the PDF has no text layer (scanned?)"
    )


def test_corrupt_pdf_is_unreadable(tmp_path):
    assert unreadable_message(write(tmp_path, "broken.pdf", b"%PDF-1.4\nnot really a pdf")) == (
        "broken.pdf: not a valid PDF file"
    )


def test_legacy_word_doc_gets_a_specific_reason(tmp_path):
    ole_header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    assert unreadable_message(write(tmp_path, "plan.doc", ole_header)) == (
        "plan.doc: old Word .doc files are not supported (save it as .docx)"
    )


def test_error_message_never_contains_file_contents(tmp_path):
    secret = "内部绝密草稿"
    data = ("\x01\x02\x03\x04" * 20 + secret).encode("utf-8")
    message = unreadable_message(write(tmp_path, "draft.txt", data))
    assert secret not in message
    assert message.startswith("draft.txt: ")


def test_unreadable_document_keeps_source_and_reason_apart():
    error = UnreadableDocument("plan.txt", "the file is empty")
    assert (error.source, error.reason) == ("plan.txt", "the file is empty")
    assert str(error) == "plan.txt: the file is empty"
