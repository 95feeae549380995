"""Generate the binary test plans of heldout7 (.docx, .xlsx, .pdf).

Test-data generator only. Run with the project venv:
    /work/main/.venv/bin/python make_files.py
All plans are invented (fictional places and bodies).
"""
import datetime as dt
import os

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

HERE = os.path.dirname(os.path.abspath(__file__))


def out(name):
    return os.path.join(HERE, name)


# ---------------------------------------------------------------------------
# zh_qingdan_qinghe.docx — county 任务清单 with a 6-column table
# ---------------------------------------------------------------------------
QINGHE_ROWS = [
    ("一、提升政务服务效能",),
    ("1", "推行“高效办成一件事”集成服务。新增企业开办、不动产登记等8个“一件事”套餐，实现一次告知、一表申请、一次办结。",
     "县委常委、常务副县长 周立川", "县政务服务中心", "县市场监管局、县自然资源局、县税务局", "2026年第三季度"),
    ("2", "推进工程建设项目审批提速。社会投资低风险项目审批时限压减至15个工作日以内。",
     "副县长 韩晓东", "县住房城乡建设局", "县自然资源局、县发展改革局", "9月中旬前"),
    ("3", "深化“12345”热线企业诉求办理。企业诉求办结率达到98%以上，每月通报办理情况。",
     "副县长 韩晓东", "县政务服务中心", "县直各相关部门", "即日起至2026年12月"),
    ("二、优化市场环境",),
    ("4", "开展涉企违规收费专项整治。全面清理行业协会商会、中介机构违规收费行为，建立问题清单并逐项整改。",
     "副县长 林秋雁", "县市场监管局", "县发展改革局、县财政局", "2026年6月底前"),
    ("5", "清理拖欠企业账款。建立机关事业单位拖欠中小企业账款台账，按季度动态清零。",
     "县委常委、常务副县长 周立川", "县工业和信息化局", "县财政局、县审计局", "2026年11月30日前"),
    ("6", "落实公平竞争审查制度。对新出台涉及经营主体经济活动的政策措施100%开展公平竞争审查。",
     "副县长 林秋雁", "县市场监管局", "县司法局", "长期坚持"),
    ("三、强化要素保障",),
    ("7", "推进工业用地“标准地”出让。新增工业用地全部按“标准地”供应，实现“拿地即开工”。",
     "副县长 韩晓东", "县自然资源局", "县工业园区管委会", "上半年"),
    ("8", "强化企业融资服务。每季度举办一次政银企对接会，扩大普惠小微贷款投放。",
     "副县长 林秋雁", "县金融服务中心", "人行青禾支行、县农商银行", "持续推进"),
    ("9", "开展“千名干部帮千企”活动。县级领导干部分包联系重点企业，及时协调解决企业生产经营困难。",
     "县委书记 郑远山、县长 苏明哲", "县委组织部、县工业和信息化局", "各乡镇人民政府", "10月下旬"),
    ("四、加强法治保障",),
    ("10", "规范涉企行政执法检查。推行“综合查一次”，全年涉企检查次数同比下降30%以上。",
     "副县长 林秋雁", "县司法局", "县直各行政执法部门", "2026年12月31日前"),
]


def make_qinghe():
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(12)

    def para(text, center=False, bold=False, right=False):
        p = doc.add_paragraph()
        r = p.add_run(text)
        r.bold = bold
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if right:
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        return p

    para("青禾县人民政府办公室", center=True, bold=True)
    para("青政办发〔2026〕7号", center=True)
    para("青禾县人民政府办公室关于印发《青禾县2026年优化营商环境重点任务清单》的通知", center=True, bold=True)
    para("各乡镇人民政府，县直各部门：")
    para("　　《青禾县2026年优化营商环境重点任务清单》已经县政府第42次常务会议研究同意，现印发给你们，"
         "请各牵头单位会同配合单位细化措施、压实责任，确保各项任务按时完成。")
    para("　　附件：1.青禾县2026年优化营商环境重点任务清单")
    para("　　　　　2.各单位联络员名单")
    para("青禾县人民政府办公室", right=True)
    para("2026年3月12日", right=True)
    para("（此件公开发布）")
    doc.add_page_break()
    para("附件1")
    para("青禾县2026年优化营商环境重点任务清单", center=True, bold=True)

    header = ("序号", "工作任务", "责任领导", "牵头单位", "配合单位", "完成时间")
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for i, h in enumerate(header):
        table.rows[0].cells[i].text = h
    for row in QINGHE_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:  # section row: merged across all columns
            merged = cells[0].merge(cells[5])
            merged.text = row[0]
        else:
            for i, v in enumerate(row):
                cells[i].text = v

    doc.add_page_break()
    para("附件2")
    para("各单位联络员名单", center=True, bold=True)
    t2 = doc.add_table(rows=1, cols=4)
    t2.style = "Table Grid"
    for i, h in enumerate(("单位", "联络员", "职务", "联系电话")):
        t2.rows[0].cells[i].text = h
    for r in (("县政务服务中心", "王晨", "综合科科长", "0935-5210XXX"),
              ("县市场监管局", "李婷", "办公室主任", "0935-5213XXX"),
              ("县自然资源局", "赵一鸣", "副局长", "0935-5216XXX")):
        cells = t2.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v
    para("青禾县人民政府办公室　　　　　　2026年3月12日印发")
    doc.save(out("zh_qingdan_qinghe.docx"))


# ---------------------------------------------------------------------------
# en_actionplan_northmere.docx — state action plan, Action | Lead | Partners | Timeframe
# ---------------------------------------------------------------------------
NORTHMERE_ROWS = [
    ("Theme 1: Protect and restore wetlands",),
    ("1.1 Complete a statewide inventory of wetlands larger than one hectare, including a condition rating for each site",
     "Department of Water and Catchments", "Northmere Environment Protection Authority; universities", "2026–27"),
    ("1.2 List 20 priority wetlands as protected areas under the Northmere Environment Act",
     "Northmere Environment Protection Authority", "Department of Water and Catchments", "Q2 2026"),
    ("1.3 Restore 1,500 hectares of drained wetland on public land",
     "Parks Northmere", "Traditional Owner corporations, catchment management authorities", "Medium term (1–3 years)"),
    ("Theme 2: Water for wetlands",),
    ("2.1 Deliver environmental water to the 12 priority wetlands each year",
     "Department of Water and Catchments", "Catchment management authorities", "Ongoing"),
    ("2.2 Review the wetland water allocation rules in the Northern Basin water sharing plan",
     "Department of Water and Catchments", "Irrigators' Council of Northmere", "Short term (0–12 months)"),
    ("Theme 3: Community and knowledge",),
    ("3.1 Establish a Wetland Watch citizen science program with annual monitoring events",
     "Northmere Museum and Science Centre", "Landcare Northmere; local councils", "2027–28"),
    ("3.2 Fund Traditional Owner-led cultural mapping of wetland sites",
     "Department of Premier and Cabinet (Aboriginal Affairs)", "Traditional Owner corporations", "By 30 June 2027"),
    ("3.3 Publish an annual public report card on wetland condition",
     "Department of Water and Catchments", "Northmere Environment Protection Authority", "Annually from 2027"),
    ("3.4 Evaluate the plan and recommend priorities for the next plan",
     "Department of Water and Catchments", "All partner agencies", "2029–30"),
]


def make_northmere():
    doc = Document()
    doc.add_heading("Northmere Wetlands Recovery Action Plan 2026–2030", level=0)
    doc.add_paragraph("Department of Water and Catchments, Government of Northmere")
    doc.add_paragraph("Released: 1 March 2026")
    doc.add_heading("Minister's message", level=1)
    doc.add_paragraph(
        "Wetlands are the kidneys of our landscape. Since European settlement Northmere has lost more than "
        "half of its freshwater wetlands. This plan sets out how government agencies, Traditional Owners and "
        "communities will work together to protect what remains and restore what we can.")
    doc.add_paragraph("Hon. Daniel Okafor MP, Minister for Water")
    doc.add_heading("Goals", level=1)
    for g in ("No net loss of wetland area in Northmere by 2030.",
              "Improve the condition of 50 per cent of priority wetlands.",
              "Increase community participation in wetland care."):
        doc.add_paragraph(g, style="List Bullet")
    doc.add_heading("How to read the action table", level=1)
    doc.add_paragraph(
        "Financial-year timeframes (for example 2026–27) run from 1 July to 30 June. Quarters are calendar "
        "quarters. Short term means within 12 months of the release of this plan; medium term means within "
        "one to three years of its release. Ongoing actions have no end date.")
    doc.add_heading("Actions", level=1)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for i, h in enumerate(("Action", "Lead agency", "Partners", "Timeframe")):
        table.rows[0].cells[i].text = h
    for row in NORTHMERE_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:
            m = cells[0].merge(cells[3])
            m.text = row[0]
        else:
            for i, v in enumerate(row):
                cells[i].text = v
    doc.add_heading("Appendix A: Wetland types in Northmere", level=1)
    t2 = doc.add_table(rows=1, cols=3)
    t2.style = "Table Grid"
    for i, h in enumerate(("Wetland type", "Area (ha)", "Share of total")):
        t2.rows[0].cells[i].text = h
    for r in (("Freshwater marsh", "84,200", "41%"), ("Floodplain lake", "52,900", "26%"),
              ("Peatland", "31,300", "15%"), ("Saline wetland", "36,600", "18%")):
        cells = t2.add_row().cells
        for i, v in enumerate(r):
            cells[i].text = v
    doc.add_paragraph("© State of Northmere 2026. This work is licensed under a Creative Commons Attribution 4.0 licence.")
    doc.save(out("en_actionplan_northmere.docx"))


# ---------------------------------------------------------------------------
# zh_duban_luming.xlsx — 督办台账, columns in a different order, date cells + text
# ---------------------------------------------------------------------------
D = dt.datetime
LUMING_ROWS = [
    ("一、稳增长促发展",),
    ("1", D(2026, 6, 30), "市发展改革委", "谋划储备重大项目120个，年度完成固定资产投资增长6%以上。",
     "市财政局、市自然资源局", "副市长 陈嘉树", "每月25日前报送", "已储备项目96个", None),
    ("2", "2026年9月底前", "市商务局", "举办第三届鹿鸣消费季活动，带动社会消费品零售总额增长5%。",
     "市文广旅局、各区县人民政府", "副市长 陈嘉树", "每季度末报送", "活动方案已印发", None),
    ("3", D(2026, 10, 31), "市工信局", "推动20家规上工业企业实施智能化改造。",
     "市科技局", "副市长 吴雪松", "每月25日前报送", "已启动12家", None),
    ("二、惠民生补短板",),
    ("4", "年底前", "市教育局", "新建改扩建中小学校8所，新增学位6000个。",
     "市住建局、市自然资源局", "副市长 许蔓", "每季度末报送", "5所已开工", None),
    ("5", D(2026, 8, 15), "市人社局", "举办高校毕业生专场招聘会10场以上。",
     "市教育局、团市委", "副市长 许蔓", "每月25日前报送", "已举办4场", None),
    ("6", "2026年12月20日前", "市卫健委", "完成15个乡镇卫生院达标提质改造。",
     "市发展改革委、市财政局", "副市长 许蔓", "每季度末报送", "", "省级民生实事"),
    ("三、深化改革",),
    ("7", "长期", "市数据局", "推进政务数据共享，部门间数据共享需求满足率达到95%。",
     "市直各部门", "副市长 吴雪松", "每半年报送", "", None),
    ("8", D(2026, 9, 30), "市国资委", "完成市属国有企业功能界定与分类改革。",
     "市财政局", "常务副市长 高启明", "每季度末报送", "方案待审议", None),
    ("9", "2026年11月", "市司法局", "出台《鹿鸣市行政规范性文件管理办法》。",
     "市政府办公室", "常务副市长 高启明", "每月25日前报送", "已完成征求意见", None),
]


def make_luming():
    wb = Workbook()
    ws = wb.active
    ws.title = "督办台账"
    ws.append(["鹿鸣市2026年市政府重点工作督办台账"])
    ws.merge_cells("A1:I1")
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填报单位：鹿鸣市人民政府督查室", None, None, None, None, None, "更新日期：2026年5月10日"])
    ws.merge_cells("A2:F2")
    ws.merge_cells("G2:I2")
    ws.append(["编号", "完成时限", "牵头单位", "重点工作事项", "协办单位", "分管市领导", "进展报送要求", "进展情况", "备注"])
    fmt_cn = 'yyyy"年"m"月"d"日"'
    fmt_slash = "yyyy/m/d"
    n_date = 0
    for row in LUMING_ROWS:
        if len(row) == 1:
            ws.append([row[0]])
            r = ws.max_row
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=9)
            ws.cell(r, 1).font = Font(bold=True)
            continue
        ws.append(list(row))
        r = ws.max_row
        c = ws.cell(r, 2)
        if isinstance(c.value, dt.datetime):
            c.number_format = fmt_cn if n_date % 2 == 0 else fmt_slash
            n_date += 1
    for col, w in zip("ABCDEFGHI", (6, 16, 14, 48, 26, 18, 16, 18, 12)):
        ws.column_dimensions[col].width = w
    ws2 = wb.create_sheet("填表说明")
    for line in ("填表说明：",
                 "1. 完成时限以市政府常务会议确定的时间为准，不得擅自调整。",
                 "2. 进展情况由牵头单位按要求报送，市政府督查室汇总后按月通报。",
                 "3. 备注栏注明“省级民生实事”的事项同时接受省级督查。"):
        ws2.append([line])
    wb.save(out("zh_duban_luming.xlsx"))


# ---------------------------------------------------------------------------
# PDFs: wrapped lines, running header/footer, page numbers
# ---------------------------------------------------------------------------
def wrap_zh(text, width):
    """Hard-wrap a Chinese paragraph at `width` characters (first line indented by 2)."""
    lines, cur = [], "　　"
    for ch in text:
        cur += ch
        if len(cur) >= width:
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    return lines


def wrap_en(text, width):
    words, lines, cur = text.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def render_pdf(path, blocks, font, size, leading, per_page, header=None, footer=None):
    """blocks: list of (kind, text) with kind in {'line', 'blank', 'page'}."""
    c = canvas.Canvas(path, pagesize=A4)
    w, h = A4
    pages, cur = [], []
    for kind, text in blocks:
        if kind == "page":
            pages.append(cur)
            cur = []
            continue
        cur.append(text if kind == "line" else "")
        if len(cur) >= per_page:
            pages.append(cur)
            cur = []
    if cur:
        pages.append(cur)
    total = len(pages)
    for n, lines in enumerate(pages, 1):
        c.setFont(font, size)
        if header:
            c.drawString(60, h - 40, header)
        y = h - 80
        for line in lines:
            c.drawString(60, y, line)
            y -= leading
        if footer:
            c.drawCentredString(w / 2, 30, footer(n, total))
        c.showPage()
    c.save()


ZH_PDF_PARAS = [
    ("center", "国家农田水利管理局办公室文件"),
    ("center", "农水办发〔2026〕11号"),
    ("blank", ""),
    ("center", "国家农田水利管理局办公室关于开展2026年"),
    ("center", "小型灌区标准化改造提升行动的通知"),
    ("blank", ""),
    ("flush", "各省、自治区、直辖市及新疆生产建设兵团农田水利主管部门："),
    ("p", "为加快补齐农田灌溉设施短板，提升小型灌区管理水平，我局决定2026年在全国开展小型灌区标准化改造提升行动。现将有关事项通知如下。"),
    ("flush", "一、总体目标"),
    ("p", "2026年，全国完成2000处小型灌区标准化改造，改造后灌区灌溉水有效利用系数提高0.01以上，管护责任全面落实。"),
    ("flush", "二、重点任务"),
    ("p", "（一）摸清小型灌区底数。各省级农田水利主管部门组织对辖区内小型灌区开展全面调查，建立灌区名录和问题清单，于2026年6月30日前报送我局农村水利司。"),
    ("p", "（二）编制省级改造实施方案。各省级农田水利主管部门会同同级财政部门编制省级实施方案，明确改造清单、建设标准和资金安排，7月15日前报我局备案。"),
    ("p", "（三）推进工程改造建设。各地要优先改造骨干渠系、渠系建筑物和量测水设施，确保2026年11月底前完成年度改造任务的90%以上。"),
    ("p", "（四）推行标准化管护。各省级农田水利主管部门要指导市县组建灌区管护组织，落实管护经费和管护人员，年底前实现已改造灌区管护责任全覆盖。"),
    ("p", "（五）加强进度调度。实行月调度制度，各省级农田水利主管部门于每月5日前通过全国农村水利管理信息系统报送上月进展情况。"),
    ("p", "（六）开展绩效评价。我局将于2026年12月组织对各省份行动实施情况进行绩效评价，评价结果与下一年度中央补助资金分配挂钩。"),
    ("p", "（七）做好总结报送。各省级农田水利主管部门于2027年1月15日前报送年度行动总结，新疆生产建设兵团水利局一并报送。"),
    ("flush", "三、工作要求"),
    ("p", "各地要高度重视小型灌区改造提升工作，加强组织领导，强化部门协同，严格资金管理，确保改造质量。工作中遇到的重大问题请及时报告我局。"),
    ("p", "联系人：农村水利司灌区处　孟晓禾　010-6320XXXX"),
    ("blank", ""),
    ("right", "国家农田水利管理局办公室"),
    ("right", "2026年4月20日"),
    ("page", ""),
    ("flush", "附件"),
    ("center", "小型灌区基本情况调查表"),
    ("flush", "省份　灌区名称　设计灌溉面积（亩）　有效灌溉面积（亩）　建成年份　是否改造"),
    ("flush", "（填报说明：灌溉面积以2025年统计数据为准，建成年份填写首次建成年份。）"),
]


def make_zh_pdf():
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    blocks = []
    for kind, text in ZH_PDF_PARAS:
        if kind == "p":
            blocks += [("line", ln) for ln in wrap_zh(text, 30)]
        elif kind in ("center", "flush"):
            blocks.append(("line", text))
        elif kind == "right":
            blocks.append(("line", "　" * 16 + text))
        elif kind == "blank":
            blocks.append(("blank", ""))
        elif kind == "page":
            blocks.append(("page", ""))
    render_pdf(out("zh_tongzhi_guanqu.pdf"), blocks, "STSong-Light", 13, 22, 30,
               footer=lambda n, t: f"— {n} —")


EN_PDF_PARAS = [
    ("h", "National Coastal Data Strategy"),
    ("h", "Implementation Plan, FY2026–FY2028"),
    ("line", "Department of Maritime Affairs"),
    ("line", "Office of Coastal Information"),
    ("line", "October 2025"),
    ("blank", ""),
    ("h", "1. Purpose"),
    ("p", "This Implementation Plan translates the goals of the National Coastal Data Strategy into concrete, "
          "time-bound milestones for fiscal years 2026 through 2028. Fiscal years run from 1 October to 30 September; "
          "for example, FY2026 ends on 30 September 2026."),
    ("h", "2. Strategic goals"),
    ("p", "Goal A: Coastal data are findable, accessible and interoperable across the Department. "
          "Goal B: Decision makers at every level can use authoritative coastal hazard data. "
          "Goal C: Coastal data are governed as a strategic asset."),
    ("h", "3. Implementation milestones"),
    ("h", "Objective 1: Build a common coastal data platform"),
    ("m", "Milestone 1.1: Stand up a prototype Coastal Data Hub with five participating bureaus."),
    ("kv", "Lead: Office of Coastal Information (OCI)"),
    ("kv", "Supporting: National Tidal Survey; Coastal Hazards Center"),
    ("kv", "Target date: 30 September 2026"),
    ("m", "Milestone 1.2: Publish data standards for shoreline, bathymetry and water-level data."),
    ("kv", "Lead: National Tidal Survey"),
    ("kv", "Supporting: Office of Coastal Information"),
    ("kv", "Target date: Q3 FY26"),
    ("m", "Milestone 1.3: Migrate 80 percent of legacy coastal datasets to the Coastal Data Hub."),
    ("kv", "Lead: Office of Coastal Information"),
    ("kv", "Supporting: All data-producing bureaus"),
    ("kv", "Target date: by the end of FY2027"),
    ("h", "Objective 2: Improve hazard data for decision makers"),
    ("m", "Milestone 2.1: Release a national coastal flood exposure dataset and update it quarterly thereafter."),
    ("kv", "Lead: Coastal Hazards Center"),
    ("kv", "Supporting: Federal Emergency Readiness Agency (FERA)"),
    ("kv", "Target date: Q2 FY2027"),
    ("m", "Milestone 2.2: Train state coastal managers to use the Coastal Data Hub, holding at least two sessions in each fiscal year."),
    ("kv", "Lead: Office of Coastal Information"),
    ("kv", "Supporting: State coastal management programs"),
    ("kv", "Target date: Ongoing"),
    ("m", "Milestone 2.3: Sign a data-sharing agreement with the Bureau of Ports and Harbors."),
    ("kv", "Lead: Office of the General Counsel"),
    ("kv", "Supporting: Office of Coastal Information; Bureau of Ports and Harbors"),
    ("kv", "Target date: Within 90 days of the launch of the Hub prototype"),
    ("h", "Objective 3: Govern coastal data as a strategic asset"),
    ("m", "Milestone 3.1: Charter a Coastal Data Governance Board chaired by the Chief Data Officer."),
    ("kv", "Lead: Office of the Deputy Secretary"),
    ("kv", "Target date: 31 December 2025"),
    ("m", "Milestone 3.2: Report progress on this plan annually in the Department's Annual Performance Report."),
    ("kv", "Lead: Office of Coastal Information"),
    ("kv", "Target date: First report by the end of FY2026"),
    ("m", "Milestone 3.3: Conduct an independent mid-point review of the Strategy."),
    ("kv", "Lead: Office of Program Evaluation"),
    ("kv", "Supporting: Office of Coastal Information"),
    ("kv", "Target date: FY2027"),
    ("h", "Appendix A: Acronyms"),
    ("line", "CDO   Chief Data Officer"),
    ("line", "FERA  Federal Emergency Readiness Agency"),
    ("line", "OCI   Office of Coastal Information"),
    ("h", "Appendix B: Budget summary (thousands of dollars)"),
    ("line", "Objective        FY2026    FY2027    FY2028"),
    ("line", "Objective 1      4,200     3,100     1,800"),
    ("line", "Objective 2      2,600     2,900     2,400"),
    ("line", "Objective 3        400       350       300"),
]


def make_en_pdf():
    blocks = []
    for kind, text in EN_PDF_PARAS:
        if kind in ("p", "m"):
            blocks += [("line", ln) for ln in wrap_en(text, 88)]
            if kind == "p":
                blocks.append(("blank", ""))
        elif kind == "kv":
            blocks += [("line", "    " + ln) for ln in wrap_en(text, 84)]
        elif kind == "h":
            blocks.append(("line", text))
        elif kind == "line":
            blocks.append(("line", text))
        elif kind == "blank":
            blocks.append(("blank", ""))
    render_pdf(out("en_implplan_coastal.pdf"), blocks, "Helvetica", 10, 15, 44,
               header="National Coastal Data Strategy Implementation Plan FY2026-FY2028",
               footer=lambda n, t: f"Page {n} of {t}")


if __name__ == "__main__":
    make_qinghe()
    make_northmere()
    make_luming()
    make_zh_pdf()
    make_en_pdf()
    print("ok")
