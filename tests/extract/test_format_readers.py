"""Every format reaches the same table path: .xlsx 台账, layout-aware PDF, tables pasted as text."""
import datetime as dt
import io

import pytest

from extract.plan import extract_plan
from extract.reading import read_document_bytes


def _ledger_xlsx() -> bytes:
    """A 任务台账 of our own: a title row, a note, a two-row gap, merged section rows, date cells."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    sheet.append(["青川县2027年营商环境改革任务台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(["填报单位：县发展改革局"])
    sheet.append([])
    sheet.append(["序号", "重点任务", "牵头单位", "责任单位", "完成时限"])
    sheet.append(["一、优化政务服务"])
    sheet.merge_cells("A5:E5")
    sheet.append([1, "推行企业开办一网通办。", "县市场监管局", "县税务局\n县公安局", dt.datetime(2027, 6, 30)])
    sheet.append([2, "压缩工程建设项目审批时间。", "县住建局", "县自然资源局", dt.date(2027, 9, 30)])
    sheet.append(["二、加强监管执法"])
    sheet.merge_cells("A8:E8")
    sheet.append([3, "推行跨部门联合抽查。", "县市场监管局", "县农业农村局", "2027年12月底前"])
    sheet.append([4, "建立信用修复机制。", None, None, None])
    sheet.merge_cells("C9:C10")
    sheet.merge_cells("D9:D10")
    sheet.merge_cells("E9:E10")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_ledger_becomes_sections_numbered_items_and_labelled_notes():
    document = read_document_bytes(_ledger_xlsx(), "ledger.xlsx")
    assert document.format == "xlsx"
    assert document.text.split("\n") == [
        "青川县2027年营商环境改革任务台账",
        "填报单位：县发展改革局",
        "## 一、优化政务服务",
        "1.推行企业开办一网通办。",
        "牵头单位：县市场监管局；责任单位：县税务局、县公安局；完成时限：2027-06-30。",
        "2.压缩工程建设项目审批时间。",
        "牵头单位：县住建局；责任单位：县自然资源局；完成时限：2027-09-30。",
        "## 二、加强监管执法",
        "3.推行跨部门联合抽查。",
        "牵头单位：县市场监管局；责任单位：县农业农村局；完成时限：2027年12月底前。",
        "4.建立信用修复机制。",
        "牵头单位：县市场监管局；责任单位：县农业农村局；完成时限：2027年12月底前。",
    ]


def test_xlsx_ledger_extracts_tasks_with_units():
    document = read_document_bytes(_ledger_xlsx(), "ledger.xlsx")
    plan = extract_plan(document.text, document.name)
    assert [t.title for t in plan.tasks] == ["推行企业开办一网通办", "压缩工程建设项目审批时间", "推行跨部门联合抽查",
                                             "建立信用修复机制"]
    assert plan.tasks[0].lead_units == ["县市场监管局"]
    assert plan.tasks[0].responsible_units == ["县税务局", "县公安局"]
    assert plan.tasks[3].lead_units == ["县市场监管局"]


def test_xlsx_without_extension_is_recognised_by_content():
    assert read_document_bytes(_ledger_xlsx(), "upload").format == "xlsx"


def test_sheet_without_task_table_is_kept_as_rows():
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["指标", "分值"])
    workbook.active.append(["营商环境满意度", 10])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_document_bytes(buffer.getvalue(), "scores.xlsx").text == "指标\t分值\n营商环境满意度\t10"


def test_old_excel_gets_a_specific_reason():
    from extract.reading import UnreadableDocument

    with pytest.raises(UnreadableDocument, match=r"\.xlsx"):
        read_document_bytes(b"\xd0\xcf\x11\xe0", "old.xls")


ONE_CELL_PER_LINE = """关于做好2027年优化营商环境工作的通知
一、重点任务
序号
重点任务
牵头单位
责任单位
完成时限
1
推行企业开办一网通办，
全程网上办理。
县市场监管局
县税务局
2027年6月底前
2
压缩工程建设项目审批时间。
县住建局
县自然资源局
2027年9月底前
二、监管执法
3
推行跨部门联合抽查。
县市场监管局
县农业农村局
2027年12月底前
各乡镇要抓好贯彻落实。"""


def test_table_pasted_one_cell_per_line_is_read_as_a_table():
    text = read_document_bytes(ONE_CELL_PER_LINE.encode(), "pasted.txt").text
    assert text.split("\n") == [
        "关于做好2027年优化营商环境工作的通知",
        "一、重点任务",
        "1.推行企业开办一网通办，全程网上办理。",
        "牵头单位：县市场监管局；责任单位：县税务局；完成时限：2027年6月底前。",
        "2.压缩工程建设项目审批时间。",
        "牵头单位：县住建局；责任单位：县自然资源局；完成时限：2027年9月底前。",
        "## 二、监管执法",
        "3.推行跨部门联合抽查。",
        "牵头单位：县市场监管局；责任单位：县农业农村局；完成时限：2027年12月底前。",
        "各乡镇要抓好贯彻落实。",
    ]
    plan = extract_plan(text, "pasted.txt")
    assert [(t.title, t.lead_units, [d.due.isoformat() for d in t.deadlines]) for t in plan.tasks] == [
        ("推行企业开办一网通办，全程网上办理", ["县市场监管局"], ["2027-06-30"]),
        ("压缩工程建设项目审批时间", ["县住建局"], ["2027-09-30"]),
        ("推行跨部门联合抽查", ["县市场监管局"], ["2027-12-31"]),
    ]


def test_tab_separated_table_is_read_as_a_table():
    pasted = ("序号\t重点任务\t牵头单位\t完成时限\n"
              "1\t建立政务服务好差评制度。\t县政务服务中心\t2027年3月底前\n"
              "2\t推进证照分离改革。\t县市场监管局\t2027年6月底前\n")
    text = read_document_bytes(pasted.encode(), "tabs.txt").text.strip()
    assert text.split("\n") == ["1.建立政务服务好差评制度。", "牵头单位：县政务服务中心；完成时限：2027年3月底前。",
                                "2.推进证照分离改革。", "牵头单位：县市场监管局；完成时限：2027年6月底前。"]


def test_space_aligned_english_table_is_read_as_a_table():
    pasted = ("No.  Action                                   Lead              Deadline\n"
              "1    Publish the open data register.          Digital Office    30 June 2027\n"
              "2    Train every front-desk officer.          People Team       31 December 2027\n")
    text = read_document_bytes(pasted.encode(), "aligned.txt").text.strip()
    assert text.split("\n") == ["1. Publish the open data register.", "Lead: Digital Office; Deadline: 30 June 2027.",
                                "2. Train every front-desk officer.", "Lead: People Team; Deadline: 31 December 2027."]


def test_space_aligned_table_with_cells_wrapped_onto_continuation_lines():
    pasted = ("Ref   Action                          Lead agency    Partners            Target\n"
              "----  ------------------------------  -------------  ------------------  ----------\n"
              "1     Map every flood-prone culvert   Water          Roads Office,       by Q3 2027\n"
              "      in the valley                   Authority      Parish Councils\n"
              "2     Publish the drainage atlas      Roads Office                       2028\n")
    text = read_document_bytes(pasted.encode(), "aligned.txt").text.strip()
    assert text.split("\n") == [
        "1. Map every flood-prone culvert in the valley.",
        "Lead: Water Authority; Partners: Roads Office, Parish Councils; Deadline: by Q3 2027.",
        "2. Publish the drainage atlas.", "Lead: Roads Office; Deadline: 2028."]


def test_an_aligned_table_not_left_aligned_under_its_header_is_still_read_by_runs_of_spaces():
    pasted = ("  No.        Action                        Lead          Deadline\n"
              "1    Publish the open data register.    Digital Office    30 June 2027\n")
    text = read_document_bytes(pasted.encode(), "aligned.txt").text.strip()
    assert text.split("\n") == ["1. Publish the open data register.", "Lead: Digital Office; Deadline: 30 June 2027."]


def test_lines_of_header_words_without_rows_stay_as_they_were():
    text = "重点任务\n牵头单位\n完成时限\n以上内容另行通知。"
    assert read_document_bytes(text.encode(), "words.txt").text == text


def _wrapped_pdf(paragraphs_by_page: list[list[str]], chars_per_line: int = 24) -> bytes:
    """A PDF of our own in STSong-Light: each paragraph indented two characters and wrapped at a
    fixed width (cutting names and dates wherever the line runs out), a running header, and a
    page number at the foot of every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    size, left = 12, 72
    for page_number, paragraphs in enumerate(paragraphs_by_page, start=1):
        pdf.setFont("STSong-Light", 9)
        pdf.drawString(left, 800, "青川县人民政府办公室文件")
        pdf.drawString(290, 40, f"- {page_number} -")
        pdf.setFont("STSong-Light", size)
        y = 760
        for paragraph in paragraphs:
            # Set as a typesetter does: a line takes characters while the next one still fits,
            # the first line indented two characters.
            width, indent, chunk = chars_per_line * size, 2 * size, ""
            for char in paragraph + "\n":
                if char == "\n" or pdfmetrics.stringWidth(chunk + char, "STSong-Light", size) > width - indent:
                    pdf.drawString(left + indent, y, chunk)
                    y -= 20
                    indent, chunk = 0, ""
                chunk += char.strip()
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_lines_wrapped_mid_name_are_rejoined_and_page_furniture_dropped():
    first = "1.推进企业开办全程网上办理，压缩开办时间至一个工作日以内。责任单位：县市场监督管理局、县税务局。"
    second = "2.完善信用修复机制，2027年6月底前出台具体办法。牵头单位：县发展和改革局。"
    pdf = _wrapped_pdf([[first], [second]])
    text = read_document_bytes(pdf, "wrapped.pdf").text
    lines = [line for line in text.split("\n") if line]
    assert lines == [first, second]


def test_pdf_plan_extracts_units_cut_by_the_wrap():
    first = "1.推进企业开办全程网上办理，压缩开办时间至一个工作日以内。责任单位：县市场监督管理局、县税务局。"
    text = read_document_bytes(_wrapped_pdf([[first]]), "one.pdf").text
    plan = extract_plan(text, "one.pdf")
    assert plan.tasks[0].responsible_units == ["县市场监督管理局", "县税务局"]


def test_traditional_plan_is_matched_in_simplified_and_its_original_kept():
    traditional = "（一）推動數據共享。責任單位：縣數據資源管理局、縣財政局；完成時限：2027年6月底前。"
    document = read_document_bytes(traditional.encode("utf-8"), "trad.txt")
    assert document.original_text == traditional
    assert document.text == "（一）推动数据共享。责任单位：县数据资源管理局、县财政局；完成时限：2027年6月底前。"
    plan = extract_plan(document.text, document.name)
    assert plan.tasks[0].responsible_units == ["县数据资源管理局", "县财政局"]
    assert plan.tasks[0].deadlines[0].due.isoformat() == "2027-06-30"


def test_simplified_plan_is_left_as_written():
    simplified = "（一）推动数据共享。责任单位：县数据资源管理局。"
    document = read_document_bytes(simplified.encode("utf-8"), "simp.txt")
    assert document.text == simplified and document.original_text is None


def test_task_table_inside_a_layout_table_is_read_as_a_task_table():
    markup = ("<table><tr><td>导航</td><td><p>关于印发重点任务的通知</p>"
              "<table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>"
              "<tr><td>1</td><td>推进数据共享。</td><td>市数据局</td></tr></table>"
              "</td></tr></table>")
    text = read_document_bytes(markup.encode(), "layout.html").text
    assert "1.推进数据共享。\n牵头单位：市数据局。" in text


def test_traditional_task_table_in_html_is_read_as_a_task_table():
    markup = ("<table><tr><th>序號</th><th>重點任務</th><th>牽頭單位</th><th>完成時限</th></tr>"
              "<tr><td>1</td><td>推動數據共享。</td><td>縣數據資源管理局</td><td>2027年6月底前</td></tr></table>")
    document = read_document_bytes(markup.encode(), "trad.html")
    assert document.text.split("\n") == ["1.推动数据共享。", "牵头单位：县数据资源管理局；完成时限：2027年6月底前。"]


def test_word_file_with_a_table_pasted_one_cell_per_paragraph_is_read_as_a_table():
    import docx

    document = docx.Document()
    for text in ["某县2027年数字政府建设任务清单", "序号", "重点任务", "牵头单位", "完成时限",
                 "1", "建成一体化政务数据平台。", "县数据局", "2027年6月底前",
                 "2", "推行高频事项掌上办理。", "县政务服务中心", "2027年9月底前"]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document_bytes(buffer.getvalue(), "cells.docx").text
    plan = extract_plan(text, "cells.docx")
    assert [(t.title, t.lead_units) for t in plan.tasks] == [("建成一体化政务数据平台", ["县数据局"]),
                                                            ("推行高频事项掌上办理", ["县政务服务中心"])]


def test_xlsx_with_a_whole_sheet_dimension_reads_only_the_cells_present(monkeypatch):
    import zipfile

    # Padded to its dimension, each row would be 16,384 cells and the workbook over this limit.
    monkeypatch.setattr("extract.xlsx_reader.MAX_SHEET_CELLS", 1_000)
    source = zipfile.ZipFile(io.BytesIO(_ledger_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for member in source.infolist():
            data = source.read(member)
            if member.filename.startswith("xl/worksheets/"):
                # What a sheet says once someone formatted whole columns: every row 16,384 wide.
                data = data.replace(b'<dimension ref="A1:E10"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            package.writestr(member, data)
    expected = read_document_bytes(_ledger_xlsx(), "ledger.xlsx").text
    assert read_document_bytes(buffer.getvalue(), "ledger.xlsx").text == expected


def _encrypted_pdf(user_password: str) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=StandardEncryption(user_password, ownerPassword="owner"))
    pdf.drawString(72, 720, "Action 1. Publish the register.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_locked_with_a_password_gets_a_specific_reason():
    from extract.reading import UnreadableDocument

    with pytest.raises(UnreadableDocument) as raised:
        read_document_bytes(_encrypted_pdf("secret"), "locked.pdf")
    assert str(raised.value) == "locked.pdf: the PDF is password-protected"


def test_pdf_encrypted_only_against_editing_is_read():
    assert read_document_bytes(_encrypted_pdf(""), "open.pdf").text == "Action 1. Publish the register."


def test_pasted_row_with_an_empty_cell_keeps_its_deadline_in_the_deadline_column():
    pasted = "\n".join(["序号", "重点任务", "牵头单位", "配合单位", "完成时限",
                        "1", "推进数据共享。", "市数据局", "市财政局", "2027年6月底前",
                        "2", "建立考核机制。", "市委督查室", "2027年9月底前"])  # 配合单位 left empty
    plan = extract_plan(read_document_bytes(pasted.encode(), "gaps.txt").text, "gaps.txt")
    second = plan.tasks[1]
    assert second.lead_units == ["市委督查室"] and second.cooperating_units == []
    assert [d.due.isoformat() for d in second.deadlines] == ["2027-09-30"]


def test_pasted_table_without_a_number_column_ends_where_its_rows_stop_reading_as_rows():
    pasted = "\n".join(["重点任务", "牵头单位", "完成时限",
                        "推进数据共享。", "市数据局", "2027年6月底前",
                        "建立考核机制。", "市委督查室", "2027年9月底前",
                        "各单位要高度重视，切实加强组织领导。", "要加强宣传引导，营造良好氛围。", "本方案自印发之日起施行。"])
    lines = read_document_bytes(pasted.encode(), "plain.txt").text.split("\n")
    assert lines == ["1.推进数据共享。", "牵头单位：市数据局；完成时限：2027年6月底前。",
                     "2.建立考核机制。", "牵头单位：市委督查室；完成时限：2027年9月底前。",
                     "各单位要高度重视，切实加强组织领导。", "要加强宣传引导，营造良好氛围。", "本方案自印发之日起施行。"]


def _damaged(data: bytes, seed: int) -> bytes:
    """The file cut short, with bytes overwritten, or with bytes inserted."""
    import random

    rng = random.Random(seed)
    damaged = bytearray(data)
    if seed % 3 == 0:
        return bytes(damaged[:rng.randrange(1, len(damaged))])
    if seed % 3 == 1:
        for _ in range(rng.randrange(1, 20)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged)
    at = rng.randrange(len(damaged))
    damaged[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 50)))
    return bytes(damaged)


@pytest.mark.parametrize("suffix", ["xlsx", "pdf", "docx"])
def test_damaged_files_are_read_or_refused_in_one_line(suffix):
    from extract.reading import UnreadableDocument

    if suffix == "xlsx":
        data = _ledger_xlsx()
    elif suffix == "pdf":
        data = _wrapped_pdf([["1.推进企业开办全程网上办理。责任单位：县市场监督管理局。"]])
    else:
        import docx

        document = docx.Document()
        document.add_paragraph("1.推进数据共享。责任单位：市数据局。")
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    for seed in range(60):
        try:
            read_document_bytes(_damaged(data, seed), f"damaged.{suffix}")
        except UnreadableDocument as error:
            assert str(error).startswith("damaged.") and "\n" not in str(error)


def test_traditional_plan_quotes_come_back_in_the_files_own_characters():
    from extract.plan import extract_document

    traditional = "（一）推動數據共享。責任單位：縣數據資源管理局；完成時限：2027年6月底前完成平臺對接。"
    document = read_document_bytes(traditional.encode("utf-8"), "trad.txt")
    plan = extract_document(document)
    task = plan.tasks[0]
    assert task.title == "推動數據共享"
    assert task.responsible_units == ["縣數據資源管理局"]  # as the plan prints it
    assert task.deadlines[0].phrase == "2027年6月底前"
    assert "平臺對接" in task.deadlines[0].quote


def test_simplified_plan_has_no_script_to_restore():
    assert read_document_bytes("（一）推动数据共享。".encode(), "simp.txt").as_printed is None


def test_html_ordered_list_items_carry_their_numbers_and_run_in_notes():
    markup = ("<nav><ol><li>Home</li><li>Transport</li></ol></nav>"
              "<h1>Harbour Ferries Improvement Plan</h1><h2>Theme A: Reliability</h2>"
              "<ol><li>Replace the two oldest ferry engines. (Responsible: Ferry Services Agency; "
              "Supporting: Port Works Board; Timeline: by June 30, 2027)</li></ol>"
              "<h2>Theme B: Access</h2><ol start=\"2\"><li>Add step-free ramps at four piers. "
              "(Responsible: Port Works Board; Timeline: by December 31, 2027)</li>"
              "<li value=\"7\">Publish a timetable review.<ol><li>Draft it.</li></ol>"
              "<ol type=\"a\"><li>Consult riders.</li></ol></li></ol>"
              "<footer><ol><li>Contact</li></ol></footer>")
    text = read_document_bytes(markup.encode(), "ferries.html").text
    assert "2. Add step-free ramps" in text and "7. Publish a timetable review." in text
    assert "Home" not in text and "1. Contact" not in text  # a <nav> is menus, never the plan
    assert "1. Draft it." not in text and "1. Consult riders." not in text  # sub-steps keep no numbers
    plan = extract_plan(text, source="ferries.html")
    assert [task.label for task in plan.tasks] == ["1", "2", "7"]
    first, second = plan.tasks[0], plan.tasks[1]
    assert first.responsible_units == ["Ferry Services Agency"] and first.cooperating_units == ["Port Works Board"]
    assert [d.due for d in first.deadlines] == [dt.date(2027, 6, 30)]
    assert second.responsible_units == ["Port Works Board"] and [d.due for d in second.deadlines] == [dt.date(2027, 12, 31)]
