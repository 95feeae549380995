"""Rebuild the binary held-out plans (.xlsx, .docx, .pdf) from the text kept here.

Test-data generator only: `.venv/bin/python tests/extract/heldout4/make_files.py`
(needs openpyxl, python-docx and reportlab in the venv). The places and bodies are
invented; the wording is ours.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- .xlsx 台账
LEDGER_TITLE = "松岭县2026年乡村振兴重点任务台账"
LEDGER_META = "编制单位：松岭县乡村振兴工作领导小组办公室　　编制日期：2026年3月10日"
LEDGER_HEAD = ["序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限", "推进情况"]
D = dt.datetime
LEDGER_ROWS = [
    "一、粮食安全和产业发展",
    ["1", "稳定粮食生产", "全县粮食播种面积稳定在42万亩以上，6月底前完成夏粮收购入库。", "县农业农村局", "各乡镇人民政府", D(2026, 10, 31), ""],
    ["2", "建设高标准农田", "新建高标准农田3.5万亩，同步实施高效节水灌溉1.2万亩。", None, "县财政局、县水利局", D(2026, 11, 30), ""],
    ["3", "做强特色产业", "做强茶叶、食用菌两大主导产业，新培育县级以上农业产业化龙头企业5家。", None, "县工信商务局、县林业局", D(2026, 12, 31), ""],
    "二、乡村建设",
    ["4", "实施农村供水保障工程", "3月底前完成项目招标，完成12个村集中供水工程改造，农村自来水普及率达到96%。", "县水利局", "各乡镇人民政府", D(2026, 9, 30), ""],
    ["5", "推进农村人居环境整治", "农村卫生厕所普及率达到85%，每月开展一次村庄清洁行动。", "县住房城乡建设局", "县生态环境分局、县卫生健康局", "每月", ""],
    ["6", "完善农村公路网络", "新改建农村公路60公里，完成危桥改造8座。", "县交通运输局", "各乡镇人民政府", D(2026, 11, 30), ""],
    ["7", "提升农村电网和通信水平", "完成农村电网改造升级，实现20户以上自然村5G网络全覆盖。", "县发展改革局", "县供电公司、县电信公司", D(2026, 12, 31), ""],
    "三、乡村治理和农民增收",
    ["8", "巩固拓展脱贫攻坚成果", "落实防止返贫动态监测和帮扶机制，每季度开展一次集中排查。", "县乡村振兴局", "各乡镇人民政府", "长期", ""],
    ["9", "发展壮大村级集体经济", "年底前村级集体经济年收入全部达到10万元以上。", "县委组织部", "县农业农村局、县财政局", D(2026, 12, 31), ""],
    ["10", "促进农民就业增收", "开展农村劳动力技能培训3000人次，新增农村劳动力转移就业2000人。", "县人力资源社会保障局", "县农业农村局、各乡镇人民政府", D(2026, 12, 20), ""],
    ["11", "深化农村改革", "稳妥推进第二轮土地承包到期后再延长三十年试点，6月30日前报送试点方案。", "县农业农村局", "县自然资源局、县司法局", D(2026, 12, 31), ""],
    ["12", "加强乡风文明建设", "每年评选一批“最美家庭”等先进典型，修订完善村规民约。", "县委宣传部", "县文明办、县妇联", D(2026, 8, 31), ""],
]
LEDGER_NOTE = "备注：完成时限为最迟完成时间，各责任单位每月25日前向县乡村振兴工作领导小组办公室报送推进情况。"


def build_xlsx() -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "任务台账"
    ncol = len(LEDGER_HEAD)
    ws.append([LEDGER_TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([LEDGER_META])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws.append(LEDGER_HEAD)
    lead_start = None
    for row in LEDGER_ROWS:
        if isinstance(row, str):
            ws.append([row])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
            ws.cell(r, 1).font = Font(bold=True)
            continue
        ws.append(row)
        r = ws.max_row
        # the lead of rows 1-3 is one cell merged downwards, as ledgers do
        if row[3] is not None and row[0] == "1":
            lead_start = r
        if row[0] == "3" and lead_start:
            ws.merge_cells(start_row=lead_start, start_column=4, end_row=r, end_column=4)
        if isinstance(row[5], dt.datetime):
            ws.cell(r, 6).number_format = 'yyyy"年"m"月"d"日"'
    ws.append([LEDGER_NOTE])
    r = ws.max_row
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    for col, width in zip("ABCDEFG", (6, 22, 48, 18, 28, 16, 14)):
        ws.column_dimensions[col].width = width
    wb.save(HERE / "zh_songling_rural_ledger_2026.xlsx")


# ---------------------------------------------------------------- .docx 实施方案
DOCX_FRONT = [
    "和溪县人民政府办公室",
    "和政办发〔2025〕23号",
    "和溪县人民政府办公室关于印发和溪县义务教育优质均衡发展实施方案（2025—2027年）的通知",
    "各乡镇人民政府，县政府各部门：",
    "《和溪县义务教育优质均衡发展实施方案（2025—2027年）》已经县人民政府第31次常务会议研究同意，现印发给你们，请认真组织实施。",
    "和溪县人民政府办公室",
    "2025年5月9日",
]
DOCX_TITLE = "和溪县义务教育优质均衡发展实施方案（2025—2027年）"
DOCX_INTRO = "为推动全县义务教育由基本均衡向优质均衡发展，根据国家和省、市有关部署，结合我县实际，制定本方案。本方案实施期限为2025年至2027年。"
DOCX_SECTIONS = [
    ("一、总体目标", [
        "到2027年，全县义务教育学校办学条件、师资队伍、教育质量全面达到国家优质均衡发展评估标准，通过国家义务教育优质均衡发展县督导评估。",
    ]),
    ("二、重点任务", [
        "（一）优化学校布局。根据学龄人口变化趋势，2025年底前修编全县中小学布局规划，2026年8月底前建成城东九年一贯制学校并投入使用。（牵头单位：县教育体育局；责任单位：县自然资源局、县住房城乡建设局）",
        "（二）加强教师队伍建设。每年补充新教师80名以上，自2025年起3年内实现县域内校长教师交流轮岗比例不低于20%。（牵头单位：县教育体育局；责任单位：县委编办、县人力资源社会保障局、县财政局）",
        "（三）推进集团化办学。组建5个城乡教育共同体，由城区优质学校牵头带动农村学校，2026年6月底前实现结对帮扶全覆盖。（牵头单位：县教育体育局；责任单位：各乡镇人民政府）",
        "（四）提升教育信息化水平。实施智慧校园建设工程，2025年12月底前实现所有中小学千兆网络接入，推动优质数字教育资源进课堂。（牵头单位：县教育体育局；责任单位：县数据资源管理局、县财政局）",
        "（五）落实“双减”工作要求。健全作业管理和课后服务制度，定期开展作业公示和课后服务质量抽查，严肃查处违规校外培训。（牵头单位：县教育体育局；责任单位：县市场监管局、县公安局）",
        "（六）改善薄弱学校办学条件。统筹中央和省级资金实施薄弱学校改造，2027年底前全县义务教育学校生均教学及辅助用房面积等指标全部达标。（牵头单位：县发展改革局；责任单位：县教育体育局、县财政局）",
    ]),
    ("三、重点项目安排", [
        "2025—2027年实施以下重点项目：",
        "TABLE",
    ]),
    ("四、保障措施", [
        "各乡镇、各有关部门要把义务教育优质均衡发展作为重大民生工程，加强组织领导，落实经费保障，县政府教育督导室每半年对实施情况开展一次专项督导，督导结果作为年度考核的重要依据。",
    ]),
]
DOCX_TABLE_HEAD = ["序号", "项目名称", "建设内容", "牵头单位", "配合单位", "完成时限"]
DOCX_TABLE = [
    ["1", "城东九年一贯制学校新建项目", "新建校舍4.2万平方米，设置54个教学班。", "县教育体育局", "县住房城乡建设局、县自然资源局", "2026年8月"],
    ["2", "乡镇寄宿制学校提升项目", "改造12所乡镇寄宿制学校宿舍、食堂和卫生设施。", "县教育体育局", "各乡镇人民政府", "2025年12月"],
    ["3", "中小学校园安全提升项目", "所有中小学实现一键报警和视频监控联网，配齐专职保安。", "县公安局", "县教育体育局", "2025年10月31日前"],
    ["4", "教师周转宿舍建设项目", "在8个乡镇建设教师周转宿舍320套。", "县住房城乡建设局", "县教育体育局、县财政局", "2026年12月"],
    ["5", "学校体育场地改造项目", "为20所中小学新建或改造塑胶运动场。", "县教育体育局", "县财政局", "2026年春季学期开学前"],
    ["6", "县青少年校外活动中心项目", "建成集科技、艺术、体育于一体的校外活动中心。", "团县委", "县教育体育局、县文化旅游局", "2027年6月底前"],
]
DOCX_END = ["附件：和溪县义务教育优质均衡发展主要指标"]


def build_docx() -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)
    for line in DOCX_FRONT:
        doc.add_paragraph(line)
    doc.add_page_break()
    doc.add_heading(DOCX_TITLE, level=1)
    doc.add_paragraph(DOCX_INTRO)
    for head, paras in DOCX_SECTIONS:
        doc.add_heading(head, level=2)
        for p in paras:
            if p != "TABLE":
                doc.add_paragraph(p)
                continue
            table = doc.add_table(rows=1, cols=len(DOCX_TABLE_HEAD))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, DOCX_TABLE_HEAD):
                cell.text = text
            for row in DOCX_TABLE:
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = text
    for line in DOCX_END:
        doc.add_paragraph(line)
    doc.save(HERE / "zh_hexi_schools_2025_2027.docx")


# ---------------------------------------------------------------- .pdf with wraps
PDF_HEADER = "峤山省人民政府办公厅文件"
PDF_FRONT = [
    "峤政办函〔2024〕19号",
    "峤山省人民政府办公厅关于印发峤山省2024年防汛抗旱工作要点的通知",
    "各市、州人民政府，省政府各部门：",
    "经省人民政府同意，现将《峤山省2024年防汛抗旱工作要点》印发给你们，请结合实际认真贯彻落实。",
    "峤山省人民政府办公厅",
    "2024年3月22日",
    "",
    "峤山省2024年防汛抗旱工作要点",
    "2024年全省防汛抗旱工作要坚持人民至上、生命至上，立足防大汛、抗大旱、抢大险、救大灾，全力保障人民群众生命财产安全。",
]
PDF_BODY = [
    "一、健全防汛抗旱责任体系",
    "1.压紧压实防汛责任。汛前逐级明确行政首长责任人，4月15日前在省级媒体公布大中型水库、重点堤防责任人名单。（牵头单位：省防汛抗旱指挥部办公室；责任单位：省水利厅、省应急管理厅、各市州人民政府）",
    "2.修订完善应急预案。4月底前完成省级防汛抗旱应急预案修订，指导各地修订山洪灾害、城市内涝专项预案。（牵头单位：省应急管理厅；责任单位：省水利厅、省住房和城乡建设厅、省自然资源厅）",
    "3.开展汛前隐患排查。组织对水库、堤防、在建工程、地质灾害隐患点开展拉网式排查，5月20日前完成隐患整改销号。（牵头单位：省水利厅；责任单位：省自然资源厅、省交通运输厅、省住房和城乡建设厅）",
    "二、提升监测预报预警能力",
    "4.加强雨水情监测预报。新建和改造自动雨量站320个，汛期每日滚动发布重点流域洪水预报。（牵头单位：省水利厅；责任单位：省气象局、省水文水资源勘测局）",
    "5.完善预警信息发布机制。建立暴雨预警与转移避险联动机制，6月1日前实现预警信息直达村组和责任人。（牵头单位：省气象局；责任单位：省应急管理厅、省通信管理局、省广播电视局）",
    "6.推进山洪灾害防治。完成18个县山洪灾害监测预警系统升级改造，年内完成危险区动态调查。（牵头单位：省水利厅；责任单位：省财政厅、省自然资源厅）",
    "三、加强工程体系建设",
    "7.加快水毁工程修复。2023年水毁水利工程在主汛期前全部修复，确保6月30日前恢复防洪功能。（牵头单位：省水利厅；责任单位：省财政厅、省发展和改革委员会）",
    "8.推进病险水库除险加固。完成46座小型病险水库除险加固主体工程，9月底前完成蓄水安全鉴定。（牵头单位：省水利厅；责任单位：省财政厅、省发展和改革委员会、各市州人民政府）",
    "9.提升城市防洪排涝能力。实施城市内涝治理项目52个，汛前完成城市排水管网清疏，每月开展一次易涝点巡查。（牵头单位：省住房和城乡建设厅；责任单位：省水利厅、省发展和改革委员会）",
    "四、强化抗旱和应急处置",
    "10.做好抗旱水源调度。制定主要江河水量调度方案，7月至9月实行旱情每周会商，保障城乡供水和秋粮灌溉用水。（牵头单位：省水利厅；责任单位：省农业农村厅、省生态环境厅）",
    "11.加强抢险救援队伍建设。组建省级防汛抢险专业队伍12支，5月下旬前完成队伍集结演练，物资储备补充到位。（牵头单位：省应急管理厅；责任单位：省消防救援总队、省粮食和物资储备局、武警峤山省总队）",
    "12.做好灾后恢复重建。受灾地区在灾情稳定后及时开展救助，12月31日前完成倒损民房恢复重建。（牵头单位：省应急管理厅；责任单位：省住房和城乡建设厅、省民政厅、省财政厅）",
]
PDF_END = ["（此件公开发布）", "抄送：省委各部门，省人大常委会办公厅，省政协办公厅。", "峤山省人民政府办公厅　　2024年3月22日印发"]
PDF_CHARS_PER_LINE = 33


def pdf_lines() -> list[str]:
    """Hard-wrap every paragraph at a fixed width, as a typeset page would:
    unit names and dates break wherever the line ends."""
    out: list[str] = []
    for para in PDF_FRONT + PDF_BODY + PDF_END:
        if not para:
            out.append("")
            continue
        text = "　　" + para if not para.startswith(("一、", "二、", "三、", "四、")) else para
        while text:
            out.append(text[:PDF_CHARS_PER_LINE])
            text = text[PDF_CHARS_PER_LINE:]
    return out


def build_pdf() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    width, height = A4
    c = canvas.Canvas(str(HERE / "zh_qiaoshan_flood_2024.pdf"), pagesize=A4)
    c.setTitle("峤山省2024年防汛抗旱工作要点")
    lines = pdf_lines()
    per_page = 34
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    for n, page in enumerate(pages, 1):
        c.setFont("STSong-Light", 9)
        c.drawCentredString(width / 2, height - 40, PDF_HEADER)
        c.line(60, height - 46, width - 60, height - 46)
        c.setFont("STSong-Light", 14)
        y = height - 80
        for line in page:
            c.drawString(60, y, line)
            y -= 21
        c.setFont("STSong-Light", 10)
        c.drawCentredString(width / 2, 36, f"— {n} —")
        c.showPage()
    c.save()


# ---------------------------------------------------------------- English .pdf with hyphenated wraps
EN_PDF_HEADER = "Aldermoor Road Safety Action Plan 2019–2021"
EN_PDF_PARAS = [
    "Province of Aldermoor",
    "Ministry of Transportation and Infrastructure",
    "",
    "Aldermoor Road Safety Action Plan 2019–2021",
    "Released: May 2, 2019",
    "",
    "This action plan sets out what the Province and its partners will do in the next two fiscal years to reduce deaths and serious injuries on Aldermoor roads. It covers the fiscal years 2019/20 and 2020/21; the Province's fiscal year runs from April 1 to March 31, so the plan ends on March 31, 2021. Each action names a lead organization, its partners and its timing.",
    "",
    "Focus Area 1: Safer Roads",
    "Action 1.1 Install median barriers on high-risk divided highways. At least 40 kilometres of cable median barrier will be installed on the corridors with the highest crossover crash rates.",
    "Lead: Ministry of Transportation and Infrastructure. Partners: Aldermoor Highway Maintenance Contractors Association. Timing: 2019/20.",
    "Action 1.2 Lower speed limits in school zones. Municipalities will be able to set a 30 km/h limit in school zones once the regulation is amended, and the amendment will be made by December 31, 2019.",
    "Lead: Ministry of Municipal Affairs. Partners: Union of Aldermoor Municipalities, Ministry of Education. Timing: Q3 2019/20.",
    "Action 1.3 Improve rural intersections. Upgrade lighting and signage at 60 rural intersections, starting with those on school bus routes.",
    "Lead: Ministry of Transportation and Infrastructure. Timing: 2020/21.",
    "",
    "Focus Area 2: Safer Drivers",
    "Action 2.1 Review the graduated licensing program. The review will look at the hours of supervised driving required before a road test and report to the Minister in Fall 2019.",
    "Lead: Aldermoor Motor Licensing Authority. Partners: Aldermoor Driving Schools Association. Timing: Fall 2019.",
    "Action 2.2 Run a distracted driving campaign. A province-wide campaign will run every September, timed with the return to school.",
    "Lead: Road Safety Aldermoor. Partners: Aldermoor Police Chiefs Association. Timing: Annually.",
    "Action 2.3 Introduce a medical fitness reporting tool. Physicians will be able to report drivers who are medically unfit through a secure online form, within six months of the Motor Vehicle Amendment Act coming into force.",
    "Lead: Aldermoor Motor Licensing Authority. Partners: College of Physicians and Surgeons of Aldermoor. Timing: Within six months of the Act coming into force.",
    "",
    "Focus Area 3: Enforcement",
    "Action 3.1 Expand automated speed enforcement. Install speed cameras at 25 high-crash locations by March 31, 2020, and publish the camera locations on the Ministry website.",
    "Lead: Ministry of Public Safety and Solicitor General. Partners: Municipal police services. Timing: 2019/20.",
    "Action 3.2 Strengthen impaired driving enforcement. Police will hold roadside checks in every region each month, with additional checks over the holiday season.",
    "Lead: Aldermoor Provincial Police. Timing: Ongoing.",
    "Action 3.3 Publish road safety data. The Ministry will publish an annual road safety report with crash data by region, with the first report released in June 2020.",
    "Lead: Ministry of Transportation and Infrastructure. Partners: Road Safety Aldermoor. Timing: June 2020, then annually.",
    "",
    "Questions about this plan may be sent to roadsafety@aldermoor.example.",
]
EN_PDF_WIDTH = 78


def en_pdf_lines() -> list[str]:
    """Wrap at a fixed width and hyphenate words cut at the margin, as a
    justified page does; names and dates end up split across lines."""
    out: list[str] = []
    for para in EN_PDF_PARAS:
        if not para:
            out.append("")
            continue
        text = para
        while len(text) > EN_PDF_WIDTH:
            cut = EN_PDF_WIDTH
            if text[cut - 1] != " " and text[cut] != " ":
                left = text[:cut - 1].rsplit(" ", 1)
                word_start = len(left[0]) + 1 if len(left) == 2 else 0
                rest = text[cut - 1:].split(" ", 1)[0]
                if cut - 1 - word_start >= 3 and len(rest) >= 3 and rest.isalpha() and text[cut - 2].isalpha():
                    out.append(text[:cut - 1] + "-")
                    text = text[cut - 1:]
                    continue
                cut = word_start
            out.append(text[:cut].rstrip())
            text = text[cut:].lstrip()
        out.append(text)
    return out


def build_en_pdf() -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    width, height = letter
    c = canvas.Canvas(str(HERE / "en_aldermoor_road_safety_2019.pdf"), pagesize=letter)
    c.setTitle("Aldermoor Road Safety Action Plan 2019–2021")
    lines = en_pdf_lines()
    per_page = 40
    pages = [lines[i:i + per_page] for i in range(0, len(lines), per_page)]
    for n, page in enumerate(pages, 1):
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(54, height - 36, EN_PDF_HEADER)
        c.drawRightString(width - 54, height - 36, "Ministry of Transportation and Infrastructure")
        c.setFont("Helvetica", 10.5)
        y = height - 64
        for line in page:
            c.drawString(54, y, line)
            y -= 15
        c.setFont("Helvetica", 8)
        c.drawCentredString(width / 2, 30, f"Page {n} of {len(pages)}")
        c.showPage()
    c.save()


if __name__ == "__main__":
    build_xlsx()
    build_docx()
    build_pdf()
    build_en_pdf()
