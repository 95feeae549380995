from extract.normalize import paragraphs
from extract.segment import arabic_label, segment_tasks, split_title


def _segments(text: str, language: str = "zh"):
    return segment_tasks(paragraphs(text), language)


def test_chinese_paren_numbers_become_arabic_labels():
    assert arabic_label("十八", "cn_paren") == "18"
    assert arabic_label("三十二", "cn_paren") == "32"


def test_heading_on_its_own_line_is_the_title():
    segs = _segments("一、强化监管\n（一）完善抽查机制\n全面推行双随机抽查。（责任单位：县市场监管局）")
    assert [(s.label, s.section, s.title) for s in segs] == [("1", "一", "完善抽查机制")]
    assert segs[0].body.startswith("全面推行双随机抽查")


def test_title_runs_to_the_first_full_stop():
    assert split_title("优化企业开办。推行全程网办，压缩时限。", False, "zh") == ("优化企业开办", "推行全程网办，压缩时限。")


def test_half_width_full_stop_ends_a_chinese_title():
    # A plan typed with half-width punctuation ends its titles with "." where "。" would stand.
    assert split_title('开展"清河行动".每季度巡查一次,年底前完成.', False, "zh") == ('开展"清河行动"', "每季度巡查一次,年底前完成.")
    text = "一、治水\n1.整治黑臭水体.新建管网3.5公里,9月底前完工.(牵头单位:区水务局;责任单位:各街道)"
    assert [(s.label, s.title) for s in _segments(text)] == [("1", "整治黑臭水体")]


def test_half_width_sections_and_a_title_stop_before_a_figure():
    text = ("一.强化监管\n1.整治燃气隐患.9月底前完成报警器安装.(牵头单位:区住建局)\n"
            "二.优化服务\n2.推行网上办理.年底前网办率达到90%.(牵头单位:区政务服务中心)")
    assert [(s.label, s.section, s.title) for s in _segments(text)] == [
        ("1", "一", "整治燃气隐患"), ("2", "二", "推行网上办理")]


def test_decimal_point_does_not_end_a_chinese_title():
    assert split_title("投入2.5亿元改造老旧小区", False, "zh")[0] == "投入2.5亿元改造老旧小区"


def test_arabic_items_under_sections_are_tasks():
    text = "一、深化改革\n1. 推进审批改革。压缩时限。\n2. 优化服务。推广网办。\n二、加强监督\n3. 完善监督。强化问责。"
    segs = _segments(text)
    assert [(s.label, s.section) for s in segs] == [("1", "一"), ("2", "一"), ("3", "二")]


def test_guiding_ideology_and_goals_are_not_tasks():
    text = ("一、总体要求\n（一）指导思想\n坚持以人民为中心。\n（二）工作目标\n到2025年基本建成。\n"
            "二、主要任务\n（三）推进依法决策。严格执行决策程序。（责任单位：市司法局）")
    assert [s.label for s in _segments(text)] == ["3"]


def test_level_with_responsibility_notes_holds_the_tasks():
    text = ("一、提升服务\n（一）政务服务\n1．推行一网通办。上线服务。（牵头单位：市数据局）\n"
            "2．推进跨省通办。扩大范围。（牵头单位：市政务服务中心）")
    assert [(s.label, s.section, s.title) for s in _segments(text)] == [("1", "一", "推行一网通办"), ("2", "一", "推进跨省通办")]


def test_signature_and_date_after_last_task_are_not_part_of_it():
    text = "一、任务\n1.加强宣传。开展普法活动。\n某某县人民政府办公室\n2024年1月5日\n（此件公开发布）"
    assert _segments(text)[-1].body == "开展普法活动。"


def test_closing_paragraph_after_last_noted_task_is_dropped():
    text = "一、任务\n（一）加强宣传。开展普法。（责任单位：县司法局）\n各单位要高度重视，确保落实。"
    assert "高度重视" not in _segments(text)[-1].text


def test_english_decimal_items_are_tasks_within_numbered_sections():
    text = "1. Governance\n1.1 Set up a steering group. Meet monthly. (Lead: Mayor's Office)\n2. Housing\n2.1 Build homes. Start works. (Lead: Housing Agency)"
    segs = _segments(text, "en")
    assert [(s.label, s.section, s.title) for s in segs] == [("1.1", "1", "Set up a steering group"), ("2.1", "2", "Build homes")]


def test_task_level_is_decided_per_section():
    text = ("一、优化营商环境\n（一）压缩开办时间\n推行企业开办一窗通办。（责任单位：区市场监管局）\n"
            "二、提升执法水平\n1.规范执法程序。推行说理式执法。（牵头单位：区司法局）\n"
            "2.加强执法培训。开展全员轮训。（责任单位：区各执法部门）\n"
            "三、加强监督\n1、公开权力清单。动态调整清单。（责任单位：区委编办）")
    segs = _segments(text)
    assert [(s.section, s.label, s.title) for s in segs] == [
        ("一", "1", "压缩开办时间"), ("二", "1", "规范执法程序"), ("二", "2", "加强执法培训"), ("三", "1", "公开权力清单")]


def test_markdown_heading_is_a_section_not_a_task():
    text = ("## 1. Housing\n1. Build starter homes. Start two sites by 30 June 2027.\nLead: Housing Office.\n"
            "## 2. Transport\n2. Fix bus stops. Repair shelters.\nLead: Transport Unit.")
    segs = _segments(text, "en")
    assert [(s.section, s.label, s.title) for s in segs] == [("1", "1", "Build starter homes"), ("2", "2", "Fix bus stops")]


def test_markdown_heading_without_notes_is_still_a_section():
    text = ("# Lakeview Parks Plan 2027\n## 1. Trees\n1. Plant trees. Plant 500 street trees.\n"
            "## 2. Paths\n2. Resurface paths. Resurface the lakeside path.")
    segs = _segments(text, "en")
    assert [(s.section, s.label, s.title) for s in segs] == [("1", "1", "Plant trees"), ("2", "2", "Resurface paths")]


def test_noted_points_under_subsections_are_the_tasks():
    text = ("一、推进数字政府建设\n（一）夯实数据底座\n1.建设数据共享平台。完成平台升级。（牵头单位：州数据局）\n"
            "2.开展数据治理。清理重复数据。（牵头单位：州数据局；责任单位：各县政府）\n"
            "（二）提升网办能力\n3.推行一网通办。扩大网办事项。（责任单位：州政务服务中心）\n"
            "二、强化保障\n4.加强资金保障。统筹安排经费。（责任单位：州财政局）")
    segs = _segments(text)
    assert [(s.section, s.label, s.title) for s in segs] == [
        ("一", "1", "建设数据共享平台"), ("一", "2", "开展数据治理"), ("一", "3", "推行一网通办"), ("二", "4", "加强资金保障")]


def test_note_at_the_end_of_the_last_point_belongs_to_the_item():
    text = ("一、提升服务\n（一）优化审批。围绕重点项目，做好以下工作：\n1.压缩审批时限；\n2.推行容缺受理；\n"
            "3.开展帮办代办。（责任单位：县行政审批局）\n（二）加强宣传。开展政策宣讲。（责任单位：县委宣传部）")
    segs = _segments(text)
    assert [(s.label, s.title) for s in segs] == [("1", "优化审批"), ("2", "加强宣传")]
    assert "开展帮办代办" in segs[0].text


def test_first_second_enumerations_inside_a_body_are_not_tasks():
    text = ("一、加强生态保护\n（一）治理河湖环境\n一是开展河道清淤；二是整治排污口；三是修复岸线植被。\n"
            "一是落实河长巡河制度。\n二是推进智慧河湖建设。（责任单位：县水利局）\n"
            "（二）推进垃圾分类\n在城区全面推行垃圾分类。（责任单位：县住建局）")
    segs = _segments(text)
    assert [s.label for s in segs] == ["1", "2"]
    assert "推进智慧河湖建设" in segs[0].body


def test_action_numbering_and_decimal_points_under_an_action():
    text = ("Action 1: Retrofit libraries. Insulate all branch libraries.\nOwner: Property Services\n"
            "Action 2: Green the fleet.\n2.1 Buy electric vans. Replace ten vans.\nLead agency: Fleet Office\n"
            "2.2 Install chargers. Fit chargers at two depots.\nLead agency: Property Services")
    segs = _segments(text, "en")
    assert [(s.section, s.label, s.title) for s in segs] == [
        (None, "1", "Retrofit libraries"), ("2", "2.1", "Buy electric vans"), ("2", "2.2", "Install chargers")]


def test_chinese_numeral_date_after_the_last_task_is_not_part_of_it():
    text = "一、任务\n（一）加强宣传。开展普法活动。\n某某县人民政府\n二〇二七年三月一日"
    assert _segments(text)[-1].body == "开展普法活动。"


def test_priority_sections_hold_decimal_actions():
    text = ("Priority 1: Cleaner transport\nAction 1.1: Electric buses. Replace 20 buses.\nLead: Transport Authority\n"
            "Priority 2: Monitoring\nAction 2.1: Sensors. Install 40 sensors.\nLead: Environment Office")
    assert [(s.section, s.label, s.title) for s in _segments(text, "en")] == [
        ("1", "1.1", "Electric buses"), ("2", "2.1", "Sensors")]


def test_chinese_part_headings_are_sections():
    text = ("第一部分 夯实基础\n（一）建设数据平台。完成平台升级。（责任单位：州数据局）\n"
            "第二部分 提升服务\n（二）推行一网通办。扩大网办范围。（责任单位：州政务服务中心）")
    assert [(s.section, s.label) for s in _segments(text)] == [("一", "1"), ("二", "2")]


def test_english_title_ends_at_a_stop_after_a_figure():
    assert split_title("Cap bus fares at £2. Every single journey costs no more than £2 until 2027.", False, "en") == (
        "Cap bus fares at £2", "Every single journey costs no more than £2 until 2027.")
    assert split_title("Reach 95%. Nearly all homes get fibre.", False, "en")[0] == "Reach 95%"


def test_english_initials_do_not_end_a_title():
    assert split_title("Follow the U.K. model for the audit: publish every quarter.", False, "en")[0] == (
        "Follow the U.K. model for the audit")


def test_items_under_an_english_general_requirements_part_are_not_tasks():
    text = ("Part I — Overall Requirements\n(a) Working method. Treat every district alike.\n"
            "(b) Targets. By 2027, 95% of calls are answered within a minute.\n"
            "Part II — Key Tasks\nTask 1: Open a help desk. Staff a desk in every library. (Responsible: County Library Service)\n"
            "Task 2: Train staff. Train all desk staff by June. (Responsible: County Personnel Office)")
    assert [(s.section, s.label, s.title) for s in _segments(text, "en")] == [
        ("II", "1", "Open a help desk"), ("II", "2", "Train staff")]


def test_last_task_ends_before_the_closing_charge_and_signature():
    text = ("第一部分　重点任务\n（一）整治路面。修补坑槽。责任单位：县交通局\n第二部分　保障措施\n"
            "（一）加强督查。每月通报。责任单位：县督查室牵头，县住建局配合\n"
            "各乡镇、县直各部门要结合实际抓好贯彻落实，重大情况及时报告。\n青禾县人民政府\n2027年3月1日")
    segs = _segments(text)
    assert [s.title for s in segs] == ["整治路面", "加强督查"]
    assert segs[-1].text.endswith("县住建局配合")


def test_english_coded_commitments_under_capital_themes_are_tasks():
    text = ("THEME 1: CLEANER STREETS\nC1  Sweep every street. We will sweep monthly.\nLead: Street Scene Team\n"
            "C2  Empty litter bins. We will empty bins daily.\nLead: Waste Team\n"
            "THEME 2: SAFER PARKS\nC10 Light the parks. We will fit lamps.\nLead: Parks Team\n")
    segs = _segments(text, "en")
    assert [(s.label, s.section, s.title) for s in segs] == [
        ("C1", "1", "Sweep every street"), ("C2", "1", "Empty litter bins"), ("C10", "2", "Light the parks")]


def test_markdown_action_labels_are_tasks_whatever_list_mark_precedes_them():
    text = ("## Goal 1: Roads\n### Objective 1.1 Keep roads safe\n"
            "- **Action 1.1.1** Repave Elm Street. Repave 3 miles. *Owner:* Roads Division\n"
            "### Objective 1.2 Bridges\n1. **Action 1.2.1** Inspect bridges. Inspect all 40. *Owner:* Bridge Office\n")
    segs = _segments(text, "en")
    assert [(s.label, s.section, s.title) for s in segs] == [
        ("1.1.1", "1", "Repave Elm Street"), ("1.2.1", "1", "Inspect bridges")]


def test_unnoted_list_in_another_numbering_is_not_tasks_in_a_plan_with_notes():
    text = ("## About this plan\nThe actions draw on:\n1. the 2026 residents survey;\n2. the budget review; and\n"
            "3. two public meetings.\n## Goal 1: Roads\n"
            "- Action 1.1 Repave Elm Street. Owner: Roads Division\n- Action 1.2 Fix lights. Owner: Roads Division\n"
            "- Action 1.3 Clear drains. Owner: Drainage Team\n")
    assert [s.label for s in _segments(text, "en")] == ["1.1", "1.2", "1.3"]


def test_closing_charge_ends_the_last_task_where_tasks_carry_no_notes():
    text = "一、重点任务\n（一）整治路面。修补坑槽。\n（二）清理边沟。疏通排水。\n各乡镇要认真抓好贯彻落实。\n青禾县人民政府\n2027年3月1日"
    assert _segments(text)[-1].text == "清理边沟。疏通排水。"


def test_a_charge_to_every_addressee_by_name_ends_the_last_task():
    text = ("一、重点任务\n1.修缮文化站。（牵头单位：区文旅局）\n2.开展巡查。区督查办每季度巡查一次。\n"
            "各街道、各有关单位要落实专人，每月10日前报送进度。")
    last = _segments(text)[-1]
    assert last.text == "开展巡查。区督查办每季度巡查一次。"


def test_the_last_tasks_deadline_field_is_not_taken_for_the_signature():
    text = ("## 一、重点任务\n### 任务1：建设村级服务站\n建成服务站12个。\n- **牵头单位**：县商务局\n"
            "- **完成时限**：2027年9月30日\n\n县商务局　2027年3月1日印发")
    assert _segments(text)[-1].text.endswith("完成时限：2027年9月30日")


def test_a_quarter_opening_a_line_is_not_an_item_code():
    from extract.segment import numbered
    assert numbered("Q3 Reports are due.") is None
    assert numbered("C3  Reports are due.").number == "C3"


# Things that are not tasks (issue 9): an indicator table, an indicator-system section.

def test_indicator_table_printed_one_cell_per_line_is_not_tasks():
    paras = ["一、重点任务", "（一）建设健康步道。2026年6月底前建成步道20公里。", "（二）开展体质监测。",
             "附件", "全民健身工作考核指标", "一级指标", "二级指标", "分值", "考核方式",
             "一、场地建设", "1.人均体育场地面积", "10", "查阅资料", "2.健身步道长度", "5", "实地查看"]
    assert [s.title for s in segment_tasks(paras, "zh")] == ["建设健康步道", "开展体质监测"]


def test_indicator_table_on_one_line_ends_at_the_next_attachment():
    paras = ["1.修缮校舍。年底前完成。", "2.配备教师。",
             "指标\t分值\t评分标准", "1.校舍达标率\t20\t达标得满分", "2.师生比\t10\t按比例计分",
             "附件2", "任务清单", "3.建设食堂。9月底前完成。"]
    assert [s.title for s in segment_tasks(paras, "zh")] == ["修缮校舍", "配备教师", "建设食堂"]


def test_indicator_system_section_holds_no_tasks():
    paras = ["一、指标体系", "（一）服务质量。服务质量体现机构的核心能力。", "（二）运行效率。效率反映管理水平。",
             "二、重点任务", "（一）建立信息平台。2026年3月底前，省卫生健康委建成平台。"]
    assert [s.title for s in segment_tasks(paras, "zh")] == ["建立信息平台"]


def test_title_opening_with_a_figure_continues_the_numbering():
    paras = ["1.建设公园。新建公园3个。（牵头单位：市园林局）", "2.100个口袋公园项目。年内建成。（牵头单位：市园林局）",
             "2.5万平方米绿地由各区分担。"]
    segs = segment_tasks(paras, "zh")
    assert [(s.label, s.title) for s in segs] == [("1", "建设公园"), ("2", "100个口袋公园项目")]


def test_indicator_columns_in_a_task_table_header_keep_it_a_task_table():
    paras = ["序号", "一级指标", "二级指标", "责任单位", "完成时限",
             "1.提升服务质量。建设服务平台。", "省民政厅", "2026年6月底前"]
    from extract.segment import without_indicator_tables
    assert without_indicator_tables(paras) == paras
