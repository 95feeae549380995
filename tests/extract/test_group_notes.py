"""Notes that assign a whole group of items: a line after the group ("以上任务由X牵头，Y配合。")
or a note on the group's heading ("（二）…（X牵头，Y配合）"). The numbered items under the
sub-headings are the tasks, and each item without a note of its own takes its group's units.
Invented plan, fictional bodies."""
from __future__ import annotations

from extract.plan import extract_document, extract_plan
from extract.reading import read_document_bytes
from extract.responsibility import section_note

GROUPED_NOTES = """云湾省气象服务局2026年工作要点

一、夯实监测基础

（一）加密地面观测
　　1.新建自动气象站40个，8月底前完成验收。
　　2.更新雷达标校设备，每季度开展一次标校。
　　以上任务由综合观测处牵头，计划财务处、各市气象局配合。

（二）提升数据质量（数据中心牵头，各市气象局配合）
　　1.建立观测数据质量评分制度，按月更新评分结果。
　　2.完成历史资料数字化2万页，10月底前入库。

二、加强作风建设

（三）改进会风文风
　　1.精简会议文件，全年会议数量压减10%。（办公室负责）
　　2.开展作风建设专项检查，11月底前完成。
　　上述工作由机关党委承担，人事处会同办公室做好指导协调。
"""


def _units(task):
    return task.lead_units, task.responsible_units, task.cooperating_units


def test_items_under_sub_headings_are_the_tasks():
    plan = extract_plan(GROUPED_NOTES, "grouped.txt")
    assert [(t.section, t.label) for t in plan.tasks] == [
        ("一", "1"), ("一", "2"), ("一", "1"), ("一", "2"), ("二", "1"), ("二", "2")]
    assert plan.tasks[0].title == "新建自动气象站40个，8月底前完成验收"


def test_a_line_after_the_group_assigns_every_item_of_it():
    first, second = extract_plan(GROUPED_NOTES, "grouped.txt").tasks[:2]
    for task in (first, second):
        assert _units(task) == (["综合观测处"], [], ["计划财务处", "各市气象局"])


def test_a_note_on_the_heading_assigns_the_items_under_it():
    for task in extract_plan(GROUPED_NOTES, "grouped.txt").tasks[2:4]:
        assert _units(task) == (["数据中心"], [], ["各市气象局"])


def test_an_item_with_its_own_note_keeps_it():
    own, grouped = extract_plan(GROUPED_NOTES, "grouped.txt").tasks[4:]
    assert _units(own) == ([], ["办公室"], [])
    # 承担 and 指导协调 carry responsibility; 会同 joins a cooperating body.
    assert _units(grouped) == ([], ["机关党委", "人事处"], ["办公室"])


def test_the_group_line_is_no_part_of_the_last_items_text():
    task = extract_plan(GROUPED_NOTES, "grouped.txt").tasks[1]
    assert "以上任务" not in task.body
    assert [r.freq for r in task.recurrences] == ["quarterly"]


def test_monthly_as_a_manner_word():
    task = extract_plan(GROUPED_NOTES, "grouped.txt").tasks[2]
    assert [(r.phrase, r.freq) for r in task.recurrences] == [("按月", "monthly")]


def test_section_note_needs_its_opener_and_units():
    assert section_note("以上工作均由县水利局负责。") == "县水利局负责。"
    assert section_note("以上任务要抓紧落实。") is None
    assert section_note("由县水利局牵头。") is None


# How long work runs, written inside the unit bracket: no unit, no deadline.
NO_DATE_IN_BRACKET = """青川市2026年智慧交通行动计划

一、重点任务
　　（1）完善信号灯联网控制。推进主城区信号灯联网改造。（市公安局交警支队负责，长期坚持）
　　（2）推广公交电子站牌。新增电子站牌300块。（市交通运输局牵头，各区人民政府配合，持续推进）
　　（3）开展运行评价。将智慧交通建设纳入各区年度综合发展考核。（市发展改革委负责）
"""


def test_no_date_words_in_a_unit_bracket_are_no_units():
    first, second, _third = extract_plan(NO_DATE_IN_BRACKET, "nodate.txt").tasks
    assert _units(first) == ([], ["市公安局交警支队"], [])
    assert _units(second) == (["市交通运输局"], [], ["各区人民政府"])
    assert first.deadlines == [] and second.deadlines == []


def test_a_yearly_assessment_named_by_its_subject():
    third = extract_plan(NO_DATE_IN_BRACKET, "nodate.txt").tasks[2]
    assert [(r.phrase, r.freq) for r in third.recurrences] == [("年度综合发展考核", "yearly")]
    plan = extract_plan(NO_DATE_IN_BRACKET.replace("各区年度", "2026年度"), "nodate.txt")
    assert plan.tasks[2].recurrences == []


# A tab-separated ledger closed by a numbered notes block, its number on a line of fields.
LEDGER_WITH_NOTES = """松塘县2026年重点工作督办台账
编制单位：松塘县人民政府办公室\t编制日期：2026年2月3日\t文号：松办字〔2026〕7号

序号\t督办事项\t责任单位\t办结时限
1\t建成城东污水处理厂\t县住建局\t2026年10月31日
2\t完成农村公路养护\t县交通运输局\t2026年11月30日

注：1.各责任单位每月20日前报送进展。
2.联系人：县政府办公室　电话：0000-1234567
"""


def _ledger():
    return extract_document(read_document_bytes(LEDGER_WITH_NOTES.encode(), "ledger.txt"))


def test_a_numbered_notes_block_is_no_task_and_no_part_of_the_last():
    plan = _ledger()
    assert [t.title for t in plan.tasks] == ["建成城东污水处理厂", "完成农村公路养护"]
    assert plan.tasks[-1].recurrences == []


def test_a_labelled_number_on_the_line_of_fields_under_the_title():
    assert _ledger().document.doc_number == "松办字〔2026〕7号"


def test_a_years_share_of_the_target_is_a_deadline():
    plan = extract_plan("""柳川市2026—2027年充电设施建设方案

一、重点任务
1.建设公共充电桩600个，其中2026年建成250个。（市发展改革委负责）
2.完成老旧小区充电改造40个，其中2024年已完成10个。（市住建局负责）
""", "share.txt")
    assert [(d.phrase, d.due.isoformat()) for d in plan.tasks[0].deadlines] == [("其中2026年", "2026-12-31")]
    assert plan.tasks[1].deadlines == []  # a year before the plan's reports work done, no target


def test_a_sub_groups_note_is_not_its_neighbours():
    plan = extract_plan("""石门县2026年水利工作要点

一、加强水利建设

（一）推进水库除险加固
　　1.完成小型水库除险加固8座，10月底前完工。
　　2.更新水库雨水情测报设施。
　　以上任务由县水利局负责，各乡镇人民政府配合。

（二）提升农村供水保障
　　1.新建农村供水管网30公里。
　　2.开展农村供水水质检测。（县卫健局负责）
""", "neighbours.txt")
    assert [t.responsible_units for t in plan.tasks] == [["县水利局"], ["县水利局"], [], ["县卫健局"]]


def test_carrying_the_cost_assigns_no_work():
    plan = extract_plan("""石门县2026年校舍改造方案

一、重点任务
1.完成8所学校校舍改造，所需经费由县财政局承担。
2.完成3所学校操场改造。（县教育局负责）
""", "cost.txt")
    assert plan.tasks[0].responsible_units == []
