"""Rebuild the Chinese binary held-out plans of round 6 (blind6a) from the text kept here.

Test-data generator only: `.venv/bin/python tests/extract/heldout6/make_files_zh.py`
(needs openpyxl, python-docx and reportlab in the venv). The places and bodies are invented;
the wording is ours.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------------------
# .xlsx: a provincial department's 任务台账 (merged title / section / note rows,
# real Excel dates in some 完成时限 cells, text in others) and an indicator sheet.

XLSX_NAME = "zh_dongyu_transport_ledger_2027.xlsx"
XLSX_TITLE = "东屿省交通运输厅2027年重点工作任务台账"
XLSX_META = "编制单位：东屿省交通运输厅办公室　　　　编制日期：2027年1月18日"
XLSX_HEADER = ["序号", "重点任务", "工作措施", "牵头处室", "配合单位", "完成时限", "备注"]
# Rows: a section string, or (no, task, measures, lead, partners, due, note, date format).
XLSX_ROWS: list = [
    "一、交通基础设施建设",
    (1, "推进沿海高速公路扩容工程", "完成年度投资48亿元，9月底前完成主线路基工程，年底前完成路面工程的50%。",
     "综合规划处", "建设管理处、省高速公路集团", dt.date(2027, 12, 31), "", "yyyy/m/d"),
    (2, "普通国省道提质改造", "改造提升普通国省道220公里，创建“美丽公路”示范路段10条。",
     "公路处", "各设区市交通运输局", "2027年11月底前", "", None),
    (3, "港区铁路专用线建设", "开工建设北港区、东港区铁路专用线2条，打通港口集疏运“最后一公里”。",
     "港航管理处", "省发展改革委、省铁路投资集团", "2027年第二季度", "力争提前开工", None),
    "二、运输服务提升",
    (4, "城乡客运一体化", "新增农村客运公交化线路60条，建制村通客车率保持100%。",
     "运输服务处", "各设区市交通运输局", "每季度", "每季度调度一次进展", None),
    (5, "春运服务保障", "春节前完成全省客运站安检设施和应急运力检查，保障旅客平安有序出行。",
     "运输服务处", "安全监督处、省公路事业发展中心", dt.date(2027, 2, 5), "", 'yyyy"年"m"月"d"日"'),
    (6, "交通物流降本增效", "研究出台交通物流降本增效十条措施，推动多式联运量增长15%。",
     "综合规划处、财务审计处", "省商务厅", "2027年6月底前", "", None),
    "三、行业治理能力提升",
    (7, "执法规范化建设", "开展交通运输执法案卷评查，每半年通报一次评查结果。",
     "法规处", "省交通运输综合执法总队", "长期坚持", "", None),
    (8, "安全生产隐患排查", "5月下旬前完成全部在建项目安全隐患排查，建立问题整改清单。",
     "安全监督处", "建设管理处、各设区市交通运输局", dt.date(2027, 5, 31), "", "yyyy/m/d"),
    (9, "交通运输数字化转型", "10月底前建成省交通运输数据资源中心；自2027年起2年内实现重点营运车辆动态数据全接入。",
     "科技信息处", "省交通运输事务中心", dt.date(2027, 10, 31), "", 'yyyy"年"m"月"d"日"'),
    (10, "目标责任考核", "开展年度交通运输目标责任考核，考核结果与评先评优挂钩。",
     "人事处", "机关各处室、厅属各单位", "2027年12月中旬", "", None),
]
XLSX_NOTE = "备注：1.完成时限栏为具体日期的，以该日为限。2.各牵头处室于每月5日前向厅办公室报送工作进展，逾期未完成的须书面说明原因。"
XLSX_INDICATORS = [
    ("序号", "指标", "分值", "考核方式"),
    (1, "重点项目年度投资完成率", 30, "统计报表"),
    (2, "农村客运公交化线路开通数", 20, "实地核查"),
    (3, "执法案卷评查合格率", 20, "案卷抽查"),
    (4, "安全生产责任事故起数", 30, "事故统计"),
]


def xlsx_cell_text(value, fmt) -> str:
    """How a reader sees a cell (used by the annotator's checks)."""
    if isinstance(value, dt.date):
        if fmt == "yyyy/m/d":
            return f"{value.year}/{value.month}/{value.day}"
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def build_xlsx() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "任务台账"
    width = len(XLSX_HEADER)
    ws.append([XLSX_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([XLSX_META])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append(XLSX_HEADER)
    for row in XLSX_ROWS:
        if isinstance(row, str):
            ws.append([row])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            ws.cell(r, 1).font = Font(bold=True)
            continue
        no, task, measures, lead, partners, due, note, fmt = row
        ws.append([no, task, measures, lead, partners, due, note or None])
        r = ws.max_row
        if isinstance(due, dt.date):
            ws.cell(r, 6).number_format = fmt
        for c in range(1, width + 1):
            ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="center")
    ws.append([XLSX_NOTE])
    r = ws.max_row
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    for col, w in zip("ABCDEFG", (6, 22, 48, 16, 26, 16, 16)):
        ws.column_dimensions[col].width = w
    ind = wb.create_sheet("考核指标")
    for row in XLSX_INDICATORS:
        ind.append(list(row))
    wb.save(HERE / XLSX_NAME)


def xlsx_text() -> str:
    lines = [XLSX_TITLE, XLSX_META, "\t".join(XLSX_HEADER)]
    for row in XLSX_ROWS:
        if isinstance(row, str):
            lines.append(row)
        else:
            no, task, measures, lead, partners, due, note, fmt = row
            lines.append("\t".join([str(no), task, measures, lead, partners, xlsx_cell_text(due, fmt), note]))
    lines.append(XLSX_NOTE)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# .docx: a city 实施方案 with prose tasks under 二、重点任务 and a Word table of
# projects under 三、 (a merged 牵头单位 cell, a 时间节点 cell of two paragraphs).

DOCX_NAME = "zh_shuangqiao_childcare_2023_2025.docx"
DOCX_NOTICE = [
    ("title", "双桥市人民政府办公室关于印发双桥市促进3岁以下婴幼儿照护服务发展实施方案（2023—2025年）的通知"),
    ("center", "双政办发〔2023〕21号"),
    ("body", "各县（市、区）人民政府，双桥高新区管委会，市政府各部门："),
    ("body", "　　《双桥市促进3岁以下婴幼儿照护服务发展实施方案（2023—2025年）》已经市政府第18次常务会议审议通过，现印发给你们，请认真组织实施。"),
    ("right", "双桥市人民政府办公室"),
    ("right", "2023年5月12日"),
    ("body", "　　（此件公开发布）"),
]
DOCX_PLAN = [
    ("title", "双桥市促进3岁以下婴幼儿照护服务发展实施方案（2023—2025年）"),
    ("body", "　　为加快建立普惠可及、覆盖城乡的婴幼儿照护服务体系，减轻家庭育儿负担，结合我市实际，制定本方案。"),
    ("h1", "一、总体目标"),
    ("body", "　　到2025年，全市每千人口拥有3岁以下婴幼儿托位数达到4.5个，普惠托位占比达到60%以上，每个县（市、区）至少建成1所具有示范效应的公办托育服务机构。"),
    ("h1", "二、重点任务"),
    ("body", "　　（一）扩大普惠托育服务供给。鼓励用人单位、幼儿园和社会力量举办普惠托育机构，2023年底前每个县（市、区）至少建成1所公办托育机构。（牵头单位：市卫生健康委；配合单位：市发展改革委、市财政局，各县（市、区）人民政府）"),
    ("body", "　　（二）推进社区嵌入式托育。新建住宅小区按标准配套建设托育服务设施，与住宅同步规划、同步验收、同步交付；老城区通过购置、置换、租赁等方式补齐，2024年上半年完成。（牵头单位：市住房城乡建设局；配合单位：市自然资源和规划局；市民政局参与）"),
    ("body", "　　（三）加强托育从业人员队伍建设。将育婴员、保育师纳入职业技能培训补贴范围，自2023年起3年内培训托育从业人员3000人次。（市人力资源社会保障局负责，市教育局、市卫生健康委指导）"),
    ("body", "　　（四）强化托育机构监管。建立托育机构备案和信息公示制度，每季度开展一次安全隐患排查，每年开展一次服务质量评估。（牵头单位：市卫生健康委；配合单位：市市场监管局、市消防救援支队）"),
    ("body", "　　（五）落实支持政策。对普惠托育机构按每个新增托位给予一次性建设补助，中秋节前完成首批补助资金拨付。（市财政局会同市卫生健康委负责）"),
    ("body", "　　（六）推进医育结合。推动妇幼保健机构为托育机构提供卫生保健指导，2024年底前实现托育机构医疗卫生指导全覆盖。（市卫生健康委牵头，各县（市、区）人民政府配合）"),
    ("h1", "三、重点项目清单"),
    ("body", "　　以下重点项目纳入市级重点民生项目管理，实行清单化推进。"),
    ("table", None),
    ("h1", "四、保障措施"),
    ("body", "　　加强组织领导。建立市促进婴幼儿照护服务发展联席会议制度，市卫生健康委每半年向市政府报告一次工作进展。"),
    ("body", "　　强化督导评估。将婴幼儿照护服务发展情况纳入对各县（市、区）的年度综合考核，考核办法另行制定。"),
]
DOCX_TABLE_HEADER = ["序号", "项目名称", "建设内容", "牵头单位", "配合单位", "时间节点"]
# 牵头单位 of rows 1 and 2 is one vertically merged cell; a "\n" in 时间节点 is a second paragraph.
DOCX_TABLE_ROWS = [
    ["1", "市托育综合服务中心", "建设集示范、培训、指导于一体的市级托育综合服务中心，设置托位200个。",
     "市卫生健康委", "市发展改革委、市住房城乡建设局", "2023年10月底前开工\n2024年12月底前建成"],
    ["2", "托育从业人员实训基地", "依托双桥职业技术学院建设托育实训基地，年培训能力1000人次。",
     "市卫生健康委", "市教育局", "2024年6月底前"],
    ["3", "社区嵌入式托育服务点", "在50个城市社区建设嵌入式托育服务点。",
     "各县（市、区）人民政府", "市住房城乡建设局、市民政局", "2025年9月底前"],
    ["4", "用人单位办托试点", "在产业园区开展用人单位办托试点5个。",
     "市总工会", "市卫生健康委、双桥高新区管委会", "2023年第四季度"],
    ["5", "托育服务信息平台", "建成托育机构备案、监管、预约一体化信息平台。",
     "市数据资源局", "市卫生健康委", "2024.03.31前"],
]


def build_docx() -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "双桥市人民政府办公室文件"

    def emit(kind: str, text: str | None) -> None:
        if kind == "table":
            add_table()
            return
        if kind == "h1":
            doc.add_heading(text, level=1)
            return
        p = doc.add_paragraph()
        run = p.add_run(text)
        if kind == "title":
            run.bold = True
            run.font.size = Pt(18)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def add_table() -> None:
        table = doc.add_table(rows=1 + len(DOCX_TABLE_ROWS), cols=len(DOCX_TABLE_HEADER))
        table.style = "Table Grid"
        for c, h in enumerate(DOCX_TABLE_HEADER):
            table.cell(0, c).text = h
        for r, row in enumerate(DOCX_TABLE_ROWS, start=1):
            for c, value in enumerate(row):
                if r == 2 and c == 3:
                    continue  # covered by the merged cell above
                cell = table.cell(r, c)
                first, *rest = value.split("\n")
                cell.text = first
                for more in rest:
                    cell.add_paragraph(more)
        table.cell(1, 3).merge(table.cell(2, 3))

    for kind, text in DOCX_NOTICE:
        emit(kind, text)
    doc.add_page_break()
    for kind, text in DOCX_PLAN:
        emit(kind, text)
    doc.add_paragraph("附件：双桥市婴幼儿照护服务工作联系人名单")
    doc.save(HERE / DOCX_NAME)


def docx_text() -> str:
    lines = [t for _, t in DOCX_NOTICE]
    for kind, text in DOCX_PLAN:
        if kind == "table":
            lines.append("\t".join(DOCX_TABLE_HEADER))
            lines += ["\t".join(row) for row in DOCX_TABLE_ROWS]
        else:
            lines.append(text)
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# .pdf: a ministry-level 工作要点 typeset at a fixed width, so that unit names and
# dates break across lines; a running header and "第 n 页 共 m 页" on every page,
# and an appendix indicator table that is not a task list.

PDF_NAME = "zh_haidao_bureau_2020_yaodian.pdf"
PDF_HEADER = "国家海岛保护管理局　国海岛发〔2020〕4号"
PDF_WIDTH = 34  # full-width characters per line; ASCII counts as half
PDF_PARAS = [
    ("title", "国家海岛保护管理局关于印发《2020年海岛保护与利用工作要点》的通知"),
    ("center", "国海岛发〔2020〕4号"),
    ("body", "各沿海省、自治区、直辖市海岛主管部门，局机关各司室、直属各单位："),
    ("body", "　　现将《2020年海岛保护与利用工作要点》印发给你们，请结合实际认真贯彻落实。"),
    ("right", "国家海岛保护管理局"),
    ("right", "2020年2月26日"),
    ("title", "2020年海岛保护与利用工作要点"),
    ("body", "　　2020年海岛保护与利用工作的总体要求是：坚持生态优先、节约集约利用，统筹推进海岛保护制度建设、生态修复和监视监测，不断提升海岛治理能力。"),
    ("h", "一、完善海岛保护制度体系"),
    ("body", "　　1.修订无居民海岛开发利用审批办法。系统评估现行办法实施情况，6月底前完成调研，年底前出台办法。（局政策法规司牵头，局生态保护司、局规划发展司配合）"),
    ("body", "　　2.编制海岛保护分类名录。组织开展海岛分类核定，2020年第二季度完成名录初稿，按程序征求意见后发布。（局规划发展司牵头，各沿海省级海岛主管部门负责）"),
    ("body", "　　3.建立海岛保护督察制度。制定督察工作规程，每年对不少于3个沿海省份开展督察，督察结果向社会公开。（局督察办公室负责）"),
    ("h", "二、加强海岛生态保护修复"),
    ("body", "　　4.实施海岛生态保护修复项目。推进12个海岛生态修复项目建设，三季度末前完成全部项目中期评估。（局生态保护司牵头，国家海岛保护研究院参与）"),
    ("body", "　　5.开展海岛岸线整治。完成受损岸线整治修复40公里，2020年11月中旬前完成工程验收。(牵头单位:局生态保护司;责任单位:各沿海省级海岛主管部门)"),
    ("body", "　　6.推进领海基点海岛保护。完成领海基点海岛保护范围选划，2020.09.30前报批。（局规划发展司负责，局海岛监视监测中心协同）"),
    ("h", "三、提升海岛监视监测能力"),
    ("body", "　　7.建设海岛监视监测系统二期。完成系统部署、联调和试运行，2020年10月底前上线运行。（局海岛监视监测中心牵头，局办公室（局信息中心）配合）"),
    ("body", "　　8.开展海岛统计调查。组织开展2019年度海岛统计调查，2020-08-15前汇总上报，每季度更新海岛基础数据库。（局规划发展司负责，各沿海省级海岛主管部门配合）"),
    ("h", "四、强化宣传与队伍保障"),
    ("body", "　　9.开展全国海岛保护宣传周活动。7月1日至7月7日集中开展海岛保护宣传，发布典型案例。（局办公室牵头，局直属各单位参与）"),
    ("body", "　　10.加强海岛管理队伍建设。举办海岛管理业务培训班2期，2020年12月上旬前完成。（局人事司负责，国家海岛保护研究院配合）"),
    ("body", "　　各单位要于每季度末向局办公室报送工作进展，年底前报送全年工作总结。"),
    ("body", "　　附件：2020年海岛保护工作考核指标"),
    ("table", "序号　指标　　　　　　　　　　分值　考核方式"),
    ("table", "1　　海岛保护规划实施率　　　　30　　材料审核"),
    ("table", "2　　生态修复项目完成率　　　　40　　现场核查"),
    ("table", "3　　监视监测数据报送及时率　　30　　系统监测"),
]


def _cells(ch: str) -> float:
    return 0.5 if ord(ch) < 128 else 1.0


def wrap(text: str, width: float = PDF_WIDTH) -> list[str]:
    lines, line, used = [], "", 0.0
    for ch in text:
        # Closing punctuation never starts a line (kinsoku), so it may overhang.
        if used + _cells(ch) > width and ch not in "，。、；：）》”);:":
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += _cells(ch)
    if line:
        lines.append(line)
    return lines


def pdf_lines() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for kind, text in PDF_PARAS:
        if kind in ("body",):
            out += [("body", l) for l in wrap(text)]
        else:
            out.append((kind, text))
    return out


def build_pdf() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    lines = pdf_lines()
    per_page = 32
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    c = canvas.Canvas(str(HERE / PDF_NAME), pagesize=A4)
    for n, page in enumerate(pages, start=1):
        c.setFont("STSong-Light", 9)
        c.drawString(72, height - 40, PDF_HEADER)
        y = height - 80
        for kind, text in page:
            size = 15 if kind == "title" else 12
            c.setFont("STSong-Light", size)
            if kind == "title" or kind == "center":
                c.drawCentredString(width / 2, y, text)
            elif kind == "right":
                c.drawRightString(width - 80, y, text)
            else:
                c.drawString(90 if kind != "h" else 96, y, text)
            y -= 22
        c.setFont("STSong-Light", 9)
        c.drawCentredString(width / 2, 36, f"第 {n} 页 共 {len(pages)} 页")
        c.showPage()
    c.save()


def pdf_text() -> str:
    return "\n".join(t for _, t in pdf_lines())


if __name__ == "__main__":
    build_xlsx()
    build_docx()
    build_pdf()
