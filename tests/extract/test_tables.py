"""Task tables (.docx, HTML, Markdown) read end to end: one task per row, units and deadlines by column.

Every plan here is invented for these tests.
"""
from __future__ import annotations

import io
from datetime import date

import docx

from extract.document import document_text, task_table
from extract.plan import extract_plan
from extract.reading import read_document_bytes
from extract.tables import Cell, column_kind


def task_table_lines(rows) -> list[str] | None:
    """The rows as a task table's text, or None when they are not a task table."""
    table = task_table(rows)
    return None if table is None else document_text([table]).split("\n")


def extracted(data: bytes, name: str):
    return extract_plan(read_document_bytes(data, name).text, name)


def deadlines(task) -> list[date]:
    return [d.due for d in task.deadlines]


# --- .docx ---------------------------------------------------------------------------------

DOCX_HEADER = ("序号", "重点任务", "具体措施", "牵头单位", "责任单位", "配合单位", "完成时限")
DOCX_ROWS = [
    DOCX_HEADER,
    "一、深化重点领域改革",
    ("1", "推行企业登记全程电子化", "打通登记、税务、社保数据接口。", "市市场监管局", "各区县政府", "市税务局", "2026年9月底前"),
    ("2", "开展涉企收费专项检查", "清理违规收费项目并向社会公布。", None, "市财政局", "市发展改革委、市审计局", "长期坚持"),
    ("3", "完善重大行政决策程序", "编制年度决策事项目录。", "市司法局", "市政府办公室", "", "2026年6月底前"),
    (None, None, "每季度通报目录执行情况。", "市司法局", "", "市统计局", "每季度"),
    "二、强化执法监督",
    ("4", "开展执法案卷评查", "抽查各执法部门案卷。", "市司法局", "各执法部门", "", "2026年11月30日前"),
    ("5", "推行柔性执法清单", "公布不予处罚事项清单。", "市市场监管局", "", "市城管局\n市生态环境局", "2026年底前"),
]


def division_table_docx() -> bytes:
    """A 任务分工方案 whose tasks are a table: section rows span the table, one lead cell spans
    tasks 1-2, and task 3's number and title cells span its two measure rows."""
    document = docx.Document()
    for line in ("青枫市人民政府办公室关于印发《青枫市2026年营商环境改革任务分工方案》的通知",
                 "青政办发〔2026〕7号",
                 "各区县人民政府，市政府各部门：现将任务分工方案印发给你们，请认真组织实施。",
                 "青枫市2026年营商环境改革任务分工方案"):
        document.add_paragraph(line)
    table = document.add_table(rows=len(DOCX_ROWS), cols=len(DOCX_HEADER))
    for r, values in enumerate(DOCX_ROWS):
        if isinstance(values, str):
            table.cell(r, 0).merge(table.cell(r, len(DOCX_HEADER) - 1)).text = values
            continue
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value
    table.cell(2, 3).merge(table.cell(3, 3)).text = "市市场监管局"
    table.cell(4, 0).merge(table.cell(5, 0)).text = "3"
    table.cell(4, 1).merge(table.cell(5, 1)).text = "完善重大行政决策程序"
    document.add_paragraph("青枫市人民政府办公室")
    document.add_paragraph("2026年3月2日")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_task_table_gives_one_task_per_numbered_row():
    plan = extracted(division_table_docx(), "division.docx")
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("1", "一", "推行企业登记全程电子化"),
        ("2", "一", "开展涉企收费专项检查"),
        ("3", "一", "完善重大行政决策程序"),
        ("4", "二", "开展执法案卷评查"),
        ("5", "二", "推行柔性执法清单"),
    ]
    assert plan.document.title == "青枫市2026年营商环境改革任务分工方案"


def test_docx_columns_give_lead_responsible_and_cooperating_units():
    first, second, _third, fourth, fifth = extracted(division_table_docx(), "division.docx").tasks
    assert (first.lead_units, first.responsible_units, first.cooperating_units) == (
        ["市市场监管局"], ["各区县政府"], ["市税务局"])
    assert second.cooperating_units == ["市发展改革委", "市审计局"]
    assert (fourth.lead_units, fourth.responsible_units, fourth.cooperating_units) == (["市司法局"], ["各执法部门"], [])
    # One unit per paragraph of the cell.
    assert fifth.cooperating_units == ["市城管局", "市生态环境局"]


def test_docx_lead_cell_merged_over_two_tasks_belongs_to_each():
    first, second, *_ = extracted(division_table_docx(), "division.docx").tasks
    assert first.lead_units == second.lead_units == ["市市场监管局"]


def test_docx_deadline_column_gives_dates_and_leaves_standing_duties_undated():
    tasks = extracted(division_table_docx(), "division.docx").tasks
    assert [deadlines(t) for t in tasks] == [
        [date(2026, 9, 30)], [], [date(2026, 6, 30)], [date(2026, 11, 30)], [date(2026, 12, 31)]]
    assert tasks[0].deadlines[0].phrase == "2026年9月底前"


def test_docx_row_continuing_a_merged_task_adds_its_measure_without_repeating_units():
    third = extracted(division_table_docx(), "division.docx").tasks[2]
    assert "编制年度决策事项目录" in third.body and "每季度通报目录执行情况" in third.body
    assert third.body.count("完善重大行政决策程序") == 0  # the merged title is written once, as the title
    assert third.body.count("市司法局") == 1
    assert (third.lead_units, third.responsible_units, third.cooperating_units) == (
        ["市司法局"], ["市政府办公室"], ["市统计局"])
    assert {r.freq for r in third.recurrences} == {"quarterly"}


def contacts_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("青枫市2026年法治政府建设工作要点")
    document.add_paragraph("一、推进依法行政")
    document.add_paragraph("（一）清理规范性文件。2026年6月底前完成全面清理。（责任单位：市司法局）")
    document.add_paragraph("（二）开展执法培训。每年组织一次全员轮训。（责任单位：各执法部门）")
    document.add_paragraph("联络人名单")
    table = document.add_table(rows=3, cols=3)
    for r, values in enumerate([("单位", "联系人", "联系电话"), ("市司法局", "林晓", "0000-1234567"),
                                ("市财政局", "周航", "0000-7654321")]):
        for c, value in enumerate(values):
            table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_table_without_task_header_stays_one_tab_joined_line_per_row():
    document = read_document_bytes(contacts_docx(), "plan.docx")
    assert "单位\t联系人\t联系电话\n\n市司法局\t林晓\t0000-1234567\n\n市财政局\t周航\t0000-7654321" in document.text
    plan = extract_plan(document.text, "plan.docx")
    assert [(t.title, t.responsible_units) for t in plan.tasks] == [
        ("清理规范性文件", ["市司法局"]), ("开展执法培训", ["各执法部门"])]


# --- HTML ----------------------------------------------------------------------------------

HTML_PLAN = """<html><head><title>澜川县</title></head><body>
<h1>澜川县2026年数字政府建设工作要点</h1>
<table border="1">
<thead>
<tr><th rowspan="2">序号</th><th rowspan="2">工作任务</th><th colspan="2">责任分工</th><th rowspan="2">时间节点</th></tr>
<tr><th>牵头单位</th><th>配合单位</th></tr>
</thead>
<tbody>
<tr><td colspan="5"><strong>一、夯实数据底座</strong></td></tr>
<tr><td>1</td><td>建成县级政务数据共享平台</td><td rowspan="2">县数据局</td><td>县财政局</td><td>2026年10月底前</td></tr>
<tr><td>2</td><td>编制公共数据开放目录，<br>每半年更新一次</td><td>各乡镇人民政府</td><td>2026年6月30日前</td></tr>
<tr><td colspan="5">二、提升服务效能</td></tr>
<tr><td>3</td><td>推行“一件事一次办”</td><td>县政务服务中心</td><td>县人力资源社会保障局<br>县医保局</td><td>每季度</td></tr>
</tbody></table>
</body></html>"""


def test_html_table_with_two_header_rows_and_spans():
    plan = extracted(HTML_PLAN.encode("utf-8"), "plan.html")
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("1", "一", "建成县级政务数据共享平台"),
        ("2", "一", "编制公共数据开放目录，每半年更新一次"),
        ("3", "二", "推行“一件事一次办”"),
    ]
    assert [(t.lead_units, t.cooperating_units) for t in plan.tasks] == [
        (["县数据局"], ["县财政局"]),
        (["县数据局"], ["各乡镇人民政府"]),
        (["县政务服务中心"], ["县人力资源社会保障局", "县医保局"]),
    ]
    assert [deadlines(t) for t in plan.tasks] == [[date(2026, 10, 31)], [date(2026, 6, 30)], []]
    assert [r.freq for r in plan.tasks[2].recurrences] == ["quarterly"]


def test_html_table_without_task_header_keeps_todays_text():
    html = "<p>（一）第一项。（责任单位：县财政局）</p><table><tr><th>单位</th><th>电话</th></tr>" \
           "<tr><td>县财政局</td><td>0000-1111111</td></tr></table>"
    text = read_document_bytes(html.encode("utf-8"), "page.html").text
    assert text.split("\n")[-2:] == ["单位\t电话", "县财政局\t0000-1111111"]


# --- Markdown ------------------------------------------------------------------------------

MARKDOWN_PLAN = """# 云岭镇2026年人居环境整治实施方案

云岭镇人民政府 2026年1月20日

| 工作任务 | 责任单位 | 配合单位 | 完成时限 |
| --- | --- | --- | --- |
| 完成农村厕所改造200户 | 镇农业服务中心 | 各村委会 | 2026年8月底前 |
| 建立垃圾分类积分制度 | 镇综合执法队 | | 2026年5月底前 |
| | | 镇财政所 | 长期坚持 |
| 开展村庄清洁行动 | 镇村建办 | 各村委会 | 每月 |
"""


def test_markdown_table_rows_without_numbers_are_numbered_in_order():
    plan = extracted(MARKDOWN_PLAN.encode("utf-8"), "plan.md")
    assert [(t.label, t.title) for t in plan.tasks] == [
        ("1", "完成农村厕所改造200户"), ("2", "建立垃圾分类积分制度"), ("3", "开展村庄清洁行动")]
    assert [(t.responsible_units, t.cooperating_units) for t in plan.tasks] == [
        (["镇农业服务中心"], ["各村委会"]), (["镇综合执法队"], ["镇财政所"]), (["镇村建办"], ["各村委会"])]
    assert [deadlines(t) for t in plan.tasks] == [[date(2026, 8, 31)], [date(2026, 5, 31)], []]
    assert [r.freq for r in plan.tasks[2].recurrences] == ["monthly"]


def test_markdown_table_without_task_header_stays_as_pipes():
    text = "（一）第一项。（责任单位：镇财政所）\n\n| 村 | 户数 |\n| --- | --- |\n| 东坪村 | 120 |\n"
    assert read_document_bytes(text.encode("utf-8"), "plan.md").text == text


ENGLISH_PLAN = """# Harrowgate District Housing Action Plan 2026

Adopted by Harrowgate District Council on 12 January 2026.

| Ref | Action | Lead | Partners | Timeline |
|---|---|---|---|---|
| **Priority 1: Homes** | | | | |
| 1.1 | Open a private-rental licensing scheme | Housing Services | Legal Services, Fire Service | by end of 2026 |
| 1.2 | Publish a register of empty homes | Planning Department | | Q3 2026 |
| **Priority 2: Support** | | | | |
| 2.1 | Review temporary accommodation standards | Housing Services | Health Board | Quarterly |
"""


def test_english_action_table_gives_lead_partners_and_timeline():
    plan = extracted(ENGLISH_PLAN.encode("utf-8"), "plan.md")
    assert plan.language == "en"
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("1.1", "1", "Open a private-rental licensing scheme"),
        ("1.2", "1", "Publish a register of empty homes"),
        ("2.1", "2", "Review temporary accommodation standards"),
    ]
    assert [(t.lead_units, t.cooperating_units) for t in plan.tasks] == [
        (["Housing Services"], ["Legal Services", "Fire Service"]),
        (["Planning Department"], []),
        (["Housing Services"], ["Health Board"]),
    ]
    assert [deadlines(t) for t in plan.tasks] == [[date(2026, 12, 31)], [date(2026, 9, 30)], []]
    assert [r.freq for r in plan.tasks[2].recurrences] == ["quarterly"]


# --- the table reader on its own -----------------------------------------------------------

def test_header_words_name_columns_in_both_languages():
    assert [column_kind(word) for word in ("序 号", "重点任务及具体措施", "牵头单位", "配合单位", "完成时限",
                                           "Lead agency", "Timeline", "No.", "联系电话")] == [
        "number", "task", "lead", "cooperating", "deadline", "lead", "deadline", "number", None]


def test_caption_row_above_the_header_is_kept_as_a_line():
    rows = [[Cell("重点任务分工表"), Cell("重点任务分工表", from_left=True)],
            [Cell("工作任务"), Cell("责任单位")],
            [Cell("修订应急预案"), Cell("区应急管理局")]]
    assert task_table_lines(rows) == ["重点任务分工表", "1.修订应急预案。", "责任单位：区应急管理局。"]


PLACEHOLDER_PLAN = """# 松溪镇2026年农村公路养护任务分工

| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |
| --- | --- | --- | --- | --- |
| 1 | 开展桥梁安全排查。每年开展一次桥梁检测。 | 镇交通管理站 | — | 每年9月底前 |
| 2 | 修复水毁路段。2026年6月底前完成修复。 | 镇村建办 | 无 | 2026年6月底前 |
| 3 | 建立养护台账。 | 镇交通管理站 | ／ | - |
"""


def test_placeholder_cells_are_neither_units_nor_deadlines():
    plan = extracted(PLACEHOLDER_PLAN.encode("utf-8"), "plan.md")
    assert [t.cooperating_units for t in plan.tasks] == [[], [], []]
    assert [deadlines(t) for t in plan.tasks] == [[], [date(2026, 6, 30)], []]


def test_every_year_deadline_cell_is_one_yearly_duty():
    plan = extracted(PLACEHOLDER_PLAN.encode("utf-8"), "plan.md")
    assert [(r.phrase, r.freq) for r in plan.tasks[0].recurrences] == [("每年", "yearly")]
    assert [d.phrase for d in plan.tasks[1].deadlines] == ["2026年6月底前"]


PLAIN_TEXT_TABLE_PLAN = """Thornbury Estates Delivery Plan 2025/26

Commitment | Lead officer | Lead team | Milestone
-----------+--------------+-----------+----------
E1  Survey every depot roof. We will inspect each roof. | Head of Estates | Estates Team | Survey done by March 31, 2026
E2  Replace depot boilers. We will fit heat pumps. | Director of Place | Facilities Team | First boiler fitted Autumn 2025
"""


def test_plain_text_table_with_plus_joints_keeps_its_numbers_and_reads_the_lead_team_column():
    plan = extracted(PLAIN_TEXT_TABLE_PLAN.encode("utf-8"), "plan.txt")
    assert [(t.label, t.title) for t in plan.tasks] == [("E1", "Survey every depot roof"),
                                                        ("E2", "Replace depot boilers")]
    assert [(t.lead_units, t.responsible_units, t.cooperating_units) for t in plan.tasks] == [
        (["Estates Team"], [], []), (["Facilities Team"], [], [])]
    assert [deadlines(t) for t in plan.tasks] == [[date(2026, 3, 31)], [date(2025, 11, 30)]]


def test_officer_header_is_no_lead_column():
    assert column_kind("Lead officer") == "officer"
    assert column_kind("Lead team") == "lead"


def test_project_table_names_its_tasks_by_project_name():
    # A 重点项目 table (项目名称 | 建设内容 | 牵头单位 | 配合单位 | 完成时限) lists work as a task table does.
    assert [column_kind(word) for word in ("项目名称", "建设内容", "重点项目")] == ["task", "measures", "task"]
    rows = [[Cell(w) for w in ("序号", "项目名称", "建设内容", "牵头单位", "配合单位", "完成时限")],
            [Cell(w) for w in ("1", "滨河绿道提升项目", "新建绿道6公里。", "区城管局", "区财政局", "2026年10月")],
            [Cell(w) for w in ("2", "社区食堂建设项目", "建成社区食堂15个。", "区民政局", "各街道办事处", "2026年底前")]]
    plan = extract_plan("\n".join(task_table_lines(rows)), "projects.txt")
    assert [(t.title, t.lead_units, t.cooperating_units, deadlines(t)) for t in plan.tasks] == [
        ("滨河绿道提升项目", ["区城管局"], ["区财政局"], [date(2026, 10, 31)]),
        ("社区食堂建设项目", ["区民政局"], ["各街道办事处"], [date(2026, 12, 31)])]


def test_project_table_owner_and_years_columns():
    # "项目单位" is the project's owner, not a second task column; "建设年限" a span due at its end.
    rows = [[Cell(w) for w in ("序号", "项目名称", "项目单位", "建设年限")],
            [Cell(w) for w in ("1", "城西污水处理厂扩建", "区城投公司", "2025—2026年")]]
    task, = extract_plan("\n".join(task_table_lines(rows)), "projects.txt").tasks
    assert (task.title, task.responsible_units, deadlines(task)) == ("城西污水处理厂扩建", ["区城投公司"], [date(2026, 12, 31)])
