from datetime import date

from extract.metadata import detect_language, period_end, read_head
from extract.normalize import paragraphs

COVER = """成都市人民政府办公厅
关于印发成都市2025年数字政府建设
工作要点的通知
成办函〔2025〕8号

各区（市）县政府，市政府各部门：

现将《成都市2025年数字政府建设工作要点》印发给你们，请认真贯彻执行。

成都市人民政府办公厅
2025年2月14日

成都市2025年数字政府建设工作要点

一、夯实数字底座
"""


def _head(text: str):
    return read_head(paragraphs(text), detect_language(text))


def test_cover_notice_spread_over_lines_gives_issuer_and_title():
    meta = _head(COVER).meta
    assert meta.issuer == "成都市人民政府办公厅"
    assert meta.title == "成都市2025年数字政府建设工作要点"


def test_doc_number_on_its_own_line_is_found():
    assert _head(COVER).meta.doc_number == "成办函〔2025〕8号"


def test_date_under_signature_is_the_issue_date():
    assert _head(COVER).meta.issued_on == date(2025, 2, 14)


def test_body_starts_after_the_plans_own_title():
    head = _head(COVER)
    assert paragraphs(COVER)[head.body_start] == "一、夯实数字底座"


def test_annual_plan_ends_on_december_31_of_its_year():
    assert period_end("广东省2026年普法工作要点") == date(2026, 12, 31)


def test_multi_year_plan_ends_with_its_last_year():
    assert period_end("江西省法治社会建设实施方案（2021—2025年）") == date(2025, 12, 31)


def test_labelled_issue_date_wins_over_later_dates():
    text = "成文日期 :2024-07-01\n某某县2024年工作要点\n一、任务\n2024年8月1日"
    assert _head(text).meta.issued_on == date(2024, 7, 1)


def test_chinese_numeral_date_line_is_read():
    text = "某某市2024年工作要点\n某某市人民政府\n二〇二四年三月五日"
    assert _head(text).meta.issued_on == date(2024, 3, 5)


def test_no_doc_number_gives_none():
    text = "中共某某县委关于印发《某某县2023年法治建设工作要点》的通知\n2023年5月8日\n某某县2023年法治建设工作要点"
    assert _head(text).meta.doc_number is None


def test_english_plan_metadata():
    text = "Harbour City Waste Reduction Action Plan 2026\nIssued by: Harbour City Council\nDate: 3 February 2026\n1. Collection"
    meta = _head(text).meta
    assert detect_language(text) == "en"
    assert (meta.title, meta.issuer) == ("Harbour City Waste Reduction Action Plan 2026", "Harbour City Council")
    assert (meta.issued_on, meta.period_end) == (date(2026, 2, 3), date(2026, 12, 31))


def test_first_short_line_is_the_title_when_nothing_else_names_one():
    text = "某某区2025年河湖治理重点工作\n1.清理河道。完成清淤。（责任单位：区水务局）"
    head = _head(text)
    assert head.meta.title == "某某区2025年河湖治理重点工作"
    assert head.meta.period_end == date(2025, 12, 31)


def test_chinese_numeral_date_after_a_label_is_read():
    text = "成文日期：二〇二七年十二月三十一日\n某某县2028年工作要点\n一、任务"
    assert _head(text).meta.issued_on == date(2027, 12, 31)


def test_english_issuer_and_date_in_a_sentence():
    text = ("Northgate Water Plan 2027\nPublished by the Northgate Water Board on 4 March 2027. Reference: NWB-27-3.\n"
            "1. Leaks")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on, meta.doc_number) == ("Northgate Water Board", date(2027, 3, 4), "NWB-27-3")


def test_markdown_title_loses_its_heading_marks():
    text = "# Northgate Water Plan 2027\n\n## 1. Leaks\n"
    assert _head(text).meta.title == "Northgate Water Plan 2027"


def test_issued_by_sentence_inside_a_task_is_not_the_issuer():
    text = "Eastfield Library Plan 2027\n1. Guides. Reprint the guide published by the Friends Group on 2 May 2020."
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on) == (None, None)


ENGLISH_COVER = """Office of the Northvale County Executive

Circular on Issuing the Northvale Road Safety Work Plan 2026

NCE [2026] No. 4

To all county departments:

The Northvale Road Safety Work Plan 2026 is hereby issued to you. Please implement it.

Office of the Northvale County Executive
Issued 2 February 2026

Northvale Road Safety Work Plan 2026

Part I — Key Tasks

Task 1: Repaint crossings. Repaint all school crossings by the end of May. (Responsible: County Roads Office)
"""


def test_english_cover_notice_gives_the_plans_own_title_issuer_and_number():
    head = _head(ENGLISH_COVER)
    meta = head.meta
    assert meta.title == "Northvale Road Safety Work Plan 2026"
    assert (meta.issuer, meta.doc_number, meta.issued_on) == (
        "Office of the Northvale County Executive", "NCE [2026] No. 4", date(2026, 2, 2))
    assert paragraphs(ENGLISH_COVER)[head.body_start] == "Part I — Key Tasks"


def test_english_number_with_its_year_first_on_a_line_of_its_own():
    text = "Eastfield Flood Plan 2027\n[2027] No. 9\n1. Dredge the river. Finish by May. (Lead: Rivers Office)"
    assert _head(text).meta.doc_number == "[2027] No. 9"


def test_long_english_signature_above_the_date_is_the_issuer():
    text = ("Riverside Housing Action Plan 2026\n1. Repair roofs. Repair 200 roofs. (Lead: Housing Office)\n"
            "Department of Housing and Community Services of Riverside Borough\nDate: 5 March 2026")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on) == ("Department of Housing and Community Services of Riverside Borough",
                                             date(2026, 3, 5))


def test_labelled_doc_number_in_a_footer_below_the_signature():
    text = ("东川市2026年消防安全工作要点\n一、压实责任\n（一）健全责任体系。修订责任清单。（责任单位：市消防救援支队）\n"
            "东川市消防安全委员会\n2026年3月2日\n发文字号：东消委〔2026〕2号")
    meta = _head(text).meta
    assert (meta.doc_number, meta.issuer, meta.issued_on) == ("东消委〔2026〕2号", "东川市消防安全委员会", date(2026, 3, 2))


NO_YEAR_WITH_WHOLE_PLAN_DEADLINE = """西岭县河道保洁任务分工方案
西岭县人民政府办公室  2026年4月9日印发
为持续改善河道环境，制定本方案。各项任务除已明确时限外，原则上于2027年6月底前完成。
（一）清理河道垃圾。每月开展一次集中清理。（责任单位：县水利局）
"""


def test_issuer_before_the_printed_on_date_when_nothing_else_names_one():
    assert _head(NO_YEAR_WITH_WHOLE_PLAN_DEADLINE).meta.issuer == "西岭县人民政府办公室"


def test_title_without_a_year_takes_the_whole_plans_deadline_from_the_preamble():
    head = _head(NO_YEAR_WITH_WHOLE_PLAN_DEADLINE)
    assert head.meta.period_end == date(2027, 6, 30)
    assert head.period_end_from_text
    # "年内" still means the year of issue, not the year the whole plan ends.
    assert head.plan_year == 2026


def test_title_without_a_year_takes_the_term_its_preamble_states():
    text = ("青川市人民政府关于推进智慧农业发展的实施意见\n青府发〔2026〕9号\n"
            "为加快智慧农业发展，提出如下意见。本意见实施期限为2026—2028年。\n"
            "一、重点任务\n（一）建设农业大数据平台。2026年底前上线。（市农业农村局负责）")
    head = _head(text)
    assert head.meta.period_end == date(2028, 12, 31)
    assert head.period_end_from_text


def test_a_ledgers_compiler_and_compilation_date_are_its_issuer_and_date():
    text = ("青川县2026年城乡供水重点任务台账\n编制单位：青川县水务局　　编制日期：2026年2月5日\n"
            "1.改造供水管网。完成管网改造30公里。\n牵头单位：县水务局；完成时限：2026-10-31。")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on) == ("青川县水务局", date(2026, 2, 5))


def test_a_stated_term_may_end_with_a_month():
    text = ("青川市人民政府关于推进智慧农业发展的实施意见\n"
            "为加快智慧农业发展，提出如下意见。本意见执行期限为2026年1月至2027年6月。\n"
            "一、重点任务\n（一）建设农业大数据平台。2026年底前上线。（市农业农村局负责）")
    assert _head(text).meta.period_end == date(2027, 6, 30)


def test_document_number_opening_a_byline_under_the_title():
    text = ("# 青川县2027年智慧水务工作要点\n\n> 青水办〔2027〕3号　青川县水务局　2027年3月6日\n\n"
            "为推进智慧水务建设，制定本要点。\n## 一、重点任务\n### 任务1：建设监测平台\n- **牵头单位**：县水务局")
    from extract.plan import extract_plan
    from extract.reading import read_document_bytes
    plan = extract_plan(read_document_bytes(text.encode(), "plan.md").text, "plan.md")
    assert plan.document.doc_number == "青水办〔2027〕3号"


def test_english_whole_plan_deadline_in_the_preamble():
    text = ("Riverside Tree Planting Plan\nAll actions in this plan are to be completed by 30 June 2027.\n"
            "1. Plant street trees. Plant 500 trees. (Lead: Parks Office)")
    assert _head(text).meta.period_end == date(2027, 6, 30)


def test_a_goal_in_the_preamble_is_not_the_plans_end():
    text = ("西岭县河道保洁任务分工方案\n为改善河道环境，制定本方案。到2027年，全县河道水质明显改善。\n"
            "（一）清理河道垃圾。开展集中清理。（责任单位：县水利局）")
    head = _head(text)
    assert (head.meta.period_end, head.period_end_from_text) == (None, False)


def test_a_year_in_the_title_wins_over_the_preamble():
    text = ("西岭县2026年河道保洁工作要点\n各项任务原则上于2027年6月底前完成。\n"
            "（一）清理河道垃圾。开展集中清理。（责任单位：县水利局）")
    head = _head(text)
    assert (head.meta.period_end, head.period_end_from_text) == (date(2026, 12, 31), False)


def test_numbered_part_heading_is_never_the_title():
    text = ("关于加快推进背街小巷整治的实施意见（2027—2029年）\n各镇人民政府，县政府各部门：\n为改善人居环境，提出如下意见。\n"
            "第一部分　总体要求\n（一）工作目标。到2029年基本完成整治。\n第二部分　保障措施\n"
            "（一）强化组织领导。成立工作专班。责任单位：县住建局\n")
    meta = _head(text).meta
    assert meta.title == "关于加快推进背街小巷整治的实施意见（2027—2029年）"
    assert meta.period_end == date(2029, 12, 31)


def test_doc_number_on_its_own_line_under_the_title_is_read():
    text = "青禾县2027年农村公路养护工作任务清单\n青政办发〔2027〕12号\n现将任务明确如下。\n1.完成桥梁检测。责任单位：县交通局\n"
    assert _head(text).meta.doc_number == "青政办发〔2027〕12号"


def test_doc_number_quoted_in_the_body_is_not_the_plans():
    text = "青禾县2027年农村公路养护工作任务清单\n根据《关于加强养护的通知》（青政发〔2026〕3号）要求，明确如下。\n1.完成桥梁检测。责任单位：县交通局\n"
    assert _head(text).meta.doc_number is None


def test_english_adoption_sentence_gives_issuer_date_and_resolution_number():
    text = ("Fernhill Township Capital Plan 2027\n"
            "Adopted by the Fernhill Township Board of Trustees on March 4, 2027 (Resolution No. 2027-12)\n"
            "- Action 1.1 Repave Elm Street. Owner: Roads Division\n")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on, meta.doc_number) == (
        "Fernhill Township Board of Trustees", date(2027, 3, 4), "Resolution No. 2027-12")


def test_published_label_gives_the_issue_date_and_a_capital_letterhead_the_issuer():
    text = ("OAKVALE BOROUGH COUNCIL\nService Plan 2027\nMaking the Borough Plan work for residents\n"
            "Published: 9 May 2027\nTHEME 1: CLEANER STREETS\nC1  Sweep every street monthly. Lead: Street Scene Team\n")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on) == ("Oakvale Borough Council", date(2027, 5, 9))


def test_subtitle_above_a_published_date_is_not_a_signature():
    text = "Service Plan 2027\nMaking the plan work for residents\nPublished: 9 May 2027\nC1  Sweep streets. Lead: Street Team\n"
    assert _head(text).meta.issuer is None


def test_stated_financial_year_range_gives_the_period_end():
    text = ("Service Plan 2027/28\nThis plan covers the financial year 2027/28 (1 April 2027 to 31 March 2028).\n"
            "THEME 1: CLEANER STREETS\nC1  Sweep streets. Lead: Street Team\n")
    head = _head(text)
    assert head.meta.period_end == date(2028, 3, 31)
    assert head.period_end_from_text


def test_stated_fiscal_year_months_give_the_period_end_of_an_fy_title():
    text = ("# Fernhill Township Operating Plan FY2028\n\nThe Township's fiscal year runs from October 1 to September 30.\n"
            "## Goal 1: Roads\n- Action 1.1 Repave Elm Street. Owner: Roads Division\n")
    assert _head(text).meta.period_end == date(2028, 9, 30)


def test_fiscal_title_without_a_stated_year_keeps_the_calendar_reading():
    text = "Service Plan 2027/28\nThis plan sets out our work.\nC1  Sweep streets. Lead: Street Team\n"
    head = _head(text)
    assert head.meta.period_end == period_end("Service Plan 2027/28")
    assert not head.period_end_from_text


FISCAL_PREAMBLE = """Northvale Flood Resilience Plan 2025–2029

Published March 2025 by the Department of Water and Catchment Services

This plan covers the four financial years from 1 July 2025 to 30 June 2029. The financial year ends on 30 June.

1. Map flood risk. Timeframe: Short term (2025–26)
"""


def test_published_month_and_year_names_the_issuer_but_no_issue_date():
    meta = _head(FISCAL_PREAMBLE).meta
    assert meta.issuer == "Department of Water and Catchment Services"
    assert meta.issued_on is None


def test_stated_range_ending_in_the_titles_last_year_is_the_period_end():
    head = _head(FISCAL_PREAMBLE)
    assert head.meta.period_end == date(2029, 6, 30)
    assert head.period_end_from_text


def test_stated_financial_year_end_is_read_from_the_preamble():
    from extract.timex import FiscalYear
    assert _head(FISCAL_PREAMBLE).fiscal_year == FiscalYear(6, 30)
    assert _head("Harbour Works Plan 2025\n\nAll actions are due in 2025.\n\n1. Dredge the basin.").fiscal_year is None


# Titles however printed (issue 9): the issuer in front, a notice that is the document, a label.

def test_title_opening_with_its_issuer_is_kept_whole_across_a_line_break():
    text = """某省人民政府关于加快
冰雪经济发展的若干意见
某政发〔2026〕7号
各市州人民政府：
一、重点任务
1.建设冰雪场地。新建滑雪场3处。（省体育局负责）
"""
    assert _head(text).meta.title == "某省人民政府关于加快冰雪经济发展的若干意见"


def test_notice_that_is_itself_the_document_is_its_title():
    text = """某省人民政府办公厅关于做好今冬
明春供暖保障工作的通知
某政办发〔2026〕41号
各市州人民政府：
一、落实供热责任。各地要压实供热企业主体责任。（省住建厅负责）
二、保障燃料供应。（省发展改革委负责）
某省人民政府办公厅
2026年10月8日
"""
    head = _head(text)
    assert head.meta.title == "某省人民政府办公厅关于做好今冬明春供暖保障工作的通知"
    assert head.meta.issuer == "某省人民政府办公厅"


def test_labelled_title_in_a_page_metadata_block():
    text = """索 引 号： 1234/2026-0001 主题分类： 交通
标　　题： 某市人民政府关于改进停车管理的通知
发文字号： 某政发〔2026〕2号 发布日期： 2026年03月02日

一、增加停车泊位。（市交通局负责）
"""
    assert _head(text).meta.title == "某市人民政府关于改进停车管理的通知"


def test_labelled_cover_notice_gives_the_plan_title_and_issuer_without_the_label():
    text = """标题: 某县人民政府办公室关于印发《某县乡村振兴任务清单》的通知
发文字号: 某政办〔2026〕9号

某县人民政府办公室关于印发
《某县乡村振兴任务清单》的通知
各乡镇人民政府：
现将《某县乡村振兴任务清单》印发给你们。
某县人民政府办公室
2026年3月1日
某县乡村振兴任务清单
一、产业发展
"""
    meta = _head(text).meta
    assert (meta.title, meta.issuer) == ("某县乡村振兴任务清单", "某县人民政府办公室")


def test_span_stated_above_the_first_task_ends_the_plan_and_sets_its_year():
    text = """关于实施青年创业扶持计划的意见
一、总体目标
1.目标。2026年起3年内，扶持青年创业项目1000个。
二、主要项目
2.创业孵化项目。建设孵化基地。（牵头单位：市人社局）
3.场地补贴项目。自2027年起5年内给予补贴。（牵头单位：市财政局）
"""
    head = _head(text)
    assert (head.meta.period_end, head.plan_year, head.period_end_from_text) == (date(2028, 12, 31), 2026, True)


def test_span_inside_a_task_is_not_the_plan_period():
    text = """关于实施青年创业扶持计划的意见
一、主要项目
1.场地补贴项目。自2027年起5年内给予补贴。（牵头单位：市财政局）
"""
    assert _head(text).meta.period_end is None


def test_english_title_is_the_opening_heading_not_a_wrapped_prose_line():
    text = """##07 Aims and commitments

We have six commitments.

-   teams will be trained by the Digital Office through a development programme run by the
    Academy
"""
    assert _head(text).meta.title == "Aims and commitments"


def test_english_breadcrumb_and_skip_link_are_not_the_title_and_a_byline_gives_issuer_and_date():
    text = """Skip to main content
Home > Services > Reports
Library Renewal Milestones, Fiscal Year 2031
Marlow Vale Department of Libraries · Issued March 4, 2030
Fiscal Year 2031 runs from July 1, 2030 to June 30, 2031.
1.1 Reopen the east branch.
"""
    meta = _head(text).meta
    assert (meta.title, meta.issuer, meta.issued_on, meta.period_end) == (
        "Library Renewal Milestones, Fiscal Year 2031", "Marlow Vale Department of Libraries",
        date(2030, 3, 4), date(2031, 6, 30))


def test_breadcrumb_with_slashes_naming_a_plan_is_not_the_title():
    text = """Home / Parks / Trees / Action Plan
Urban Forest Action Plan 2031–32
Published 2 July 2031 by Brindle Point Shire Council
It covers the 2031–32 financial year (1 July 2031 to 30 June 2032).
1.1 Plant 400 trees.
"""
    meta = _head(text).meta
    assert (meta.title, meta.issuer, meta.issued_on, meta.period_end) == (
        "Urban Forest Action Plan 2031–32", "Brindle Point Shire Council", date(2031, 7, 2), date(2032, 6, 30))


def test_markdown_body_heading_above_the_title_is_the_issuer_and_an_emphasised_date_is_read():
    text = """# Oxley Borough Council

## Play Spaces Action Plan 2030–2032

*Published: 9 February 2030*

### Action 1. Refurbish two playgrounds
"""
    meta = _head(text).meta
    assert (meta.title, meta.issuer, meta.issued_on) == ("Play Spaces Action Plan 2030–2032", "Oxley Borough Council",
                                                          date(2030, 2, 9))


def test_ministry_line_below_the_title_is_the_issuer_not_the_title_above_the_release_date():
    text = """Coastal Ferries Action Plan 2030–2032
Ministry of Marine Transport
Coastal Ferries Action Plan 2030–2032
Released: June 8, 2030
The fiscal year runs from April 1 to March 31, so the plan ends on March 31, 2032.
Action 1.1 Replace two vessels.
"""
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on, meta.period_end) == ("Ministry of Marine Transport", date(2030, 6, 8),
                                                              date(2032, 3, 31))


def test_fiscal_year_range_in_the_title_ends_with_its_last_year():
    text = """Water Metering Implementation Plan, FY2031–FY2032
The fiscal year runs from July 1 to June 30.
1. Install meters.
"""
    assert _head(text).meta.period_end == date(2032, 6, 30)


def test_a_spaced_section_number_of_the_opening_heading_is_no_part_of_the_title():
    text = """## 07 Aims and commitments

We have six commitments.
"""
    assert _head(text).meta.title == "Aims and commitments"


def test_english_prepared_by_label_and_a_short_issuer_named_in_full_beside_the_title():
    labelled = """Digital Inclusion Strategy 2030–2033
Prepared by: Office of Digital Services
1. Train 500 volunteers.
"""
    assert _head(labelled).meta.issuer == "Office of Digital Services"
    short = """Westbrook County Council
Waste Reduction Action Plan 2030
Approved by Council on 12 March 2030
1. Open two reuse shops.
"""
    meta = _head(short).meta
    assert (meta.issuer, meta.issued_on) == ("Westbrook County Council", date(2030, 3, 12))


def test_english_numeric_issue_date_is_read_day_first_and_a_period_line_under_the_title_ends_it():
    text = """# Road Maintenance Programme

2030–2032

Published: 12/04/2030

## 1. Resurface 40 km of roads
"""
    meta = _head(text).meta
    assert (meta.issued_on, meta.period_end) == (date(2030, 4, 12), date(2032, 12, 31))


def test_english_letterhead_in_title_case_opens_a_cover_letter_and_gives_the_issuer():
    text = """Westbrook Borough Council
Civic Centre, Westbrook WB1 2AA

14 January 2030

Dear Councillor,

Please find enclosed the Housing Delivery Plan 2030/31.

Housing Delivery Plan 2030/31

1. Deliver 200 homes.
"""
    assert _head(text).meta.issuer == "Westbrook Borough Council"


def test_english_name_above_a_breadcrumb_over_the_title_and_an_approval_date_label():
    text = """Westbrook Borough Council
You are here: Home > Housing > Plans
Housing Delivery Plan 2030–2032
Version 2.0
Date of approval: 12 May 2030
1. Deliver 200 homes.
"""
    meta = _head(text).meta
    assert (meta.title, meta.issuer, meta.issued_on) == ("Housing Delivery Plan 2030–2032", "Westbrook Borough Council",
                                                          date(2030, 5, 12))


def test_english_adopted_by_a_body_with_its_date_after_a_colon():
    meta = _head("""Harbour Access Plan 2031–2033
Adopted by Harbour Board: April 8, 2031
1.1 Dredge the channel.
""").meta
    assert (meta.issuer, meta.issued_on) == ("Harbour Board", date(2031, 4, 8))


def test_more_english_document_number_labels():
    for line, number in [("Document ID: PLN-2031-004", "PLN-2031-004"), ("Paper number: C/31/12", "C/31/12"),
                         ("Report No. 31-04", "Report No. 31-04")]:
        assert _head(f"Harbour Access Plan 2031–2033\n{line}\n1.1 Dredge the channel.\n").meta.doc_number == number


def test_english_title_over_two_lines_with_a_subtitle_or_a_period_line():
    two_lines = """Westbrook Borough Council
Climate Adaptation
Action Plan 2031–2033
Published 3 March 2031
1.1 Plant trees.
"""
    assert _head(two_lines).meta.title == "Climate Adaptation Action Plan 2031–2033"
    period = "Harbour Access Plan\n2031–2033\n1.1 Dredge the channel.\n"
    assert (_head(period).meta.title, _head(period).meta.period_end) == ("Harbour Access Plan 2031–2033",
                                                                         date(2033, 12, 31))
    subtitle = "Harbour Access Plan 2031–2033: Making our harbours safer\n1.1 Dredge the channel.\n"
    assert _head(subtitle).meta.title == "Harbour Access Plan 2031–2033: Making our harbours safer"
    # a section's label and name is no title
    assert _head("Intro text\nGoal 2: A strategy for growth\n1.1 Dredge.\n").meta.title != "Goal 2: A strategy for growth"


def test_a_numeric_issue_date_follows_the_order_the_plans_other_dates_show():
    text = """Harbour Access Plan 2031–2033
Published: 04/05/2031
1.1 Dredge the channel. Deadline: 12/31/2031
"""
    assert _head(text).meta.issued_on == date(2031, 4, 5)


def test_a_preamble_stating_the_plans_months_ends_its_title_year_early():
    for sentence in ["The plan runs from July 2030 to June 2032.", "The strategy runs to June 2032."]:
        head = _head(f"Harbour Access Strategy 2030–2032\n{sentence}\n1.1 Dredge the channel.\n")
        assert (head.meta.period_end, head.period_end_from_text) == (date(2032, 6, 30), True), sentence
    # a month of another year is some other period's
    other = _head("Harbour Access Plan 2030–2032\nThe old plan ran to June 2029.\n1.1 Dredge the channel.\n")
    assert other.meta.period_end == date(2032, 12, 31)
def test_a_byline_under_the_title_gives_issuer_and_release_date():
    head = _head("Coastal Ferries Accessibility Plan 2027–2029\n\n"
                 "**Harbour Department of Transport** · Published 4 June 2027\n\n"
                 "This plan sets out what we will do.\n\n1. Add ramps at four piers. Lead: Ports Office.")
    assert head.meta.issuer == "Harbour Department of Transport"
    assert head.meta.issued_on == date(2027, 6, 4)
    head = _head("Coastal Ferries Accessibility Plan, 2027–2029\n\nHarbour Department of Transport\n\n"
                 "Released: June 4, 2027\n\nThis plan sets out what we will do.\n\n"
                 "1. Add ramps at four piers. Lead: Ports Office.")
    assert head.meta.issuer == "Harbour Department of Transport"
    assert head.meta.issued_on == date(2027, 6, 4)


def test_a_title_above_the_date_of_issue_is_not_its_signature():
    head = _head("HARBOUR FERRIES PLAN 2027-2029\n\nIssued: 4 June 2027\n\nThis plan sets out what we will do.\n\n"
                 "1. Add ramps at four piers. Lead: Ports Office.")
    assert head.meta.title == "HARBOUR FERRIES PLAN 2027-2029"
    assert head.meta.issuer is None


def test_signature_joined_to_its_date_on_one_line_dates_the_notice():
    # A PDF's text layer (or a web copy) may run the signing body and the date together.
    notice = """示例省水务局办公室关于开展2026年泵站检修行动的通知

各市水务局：

一、重点任务
（一）排查泵站隐患。各市水务局于2026年6月30日前报送排查清单。

示例省水务局办公室2026年4月20日
"""
    assert _head(notice).meta.issued_on == date(2026, 4, 20)
