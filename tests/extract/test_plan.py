from datetime import date

from extract import extract_plan
from extract.model import ReviewFlag, plan_to_json

ENGLISH_PLAN = """Lakeside District Road Safety Action Plan 2025

Issued by: Lakeside District Council
Date: 20 January 2025

This plan sets the council's road safety priorities for the year.

1. Background

Road injuries rose last year.

2. Safer streets

2.1 School zones. Introduce 20 mph zones around all schools by 31 August 2025. (Lead: Highways Department; Responsible: Schools Office, Police Liaison Unit)

2.2 Crossings. Upgrade ten pedestrian crossings by the end of Q2 2025 and report progress quarterly. (Highways Department to lead, with the Disability Forum)

3. Education

3.1 Cycle training. Offer free cycle training within the year.
Responsible units: Leisure Services and Schools Office
"""

CHINESE_PLAN = """某某县人民政府办公室关于印发《某某县2026年营商环境工作要点》的通知

某政办发〔2026〕3号

某某县人民政府办公室
2026年2月1日

某某县2026年营商环境工作要点

一、优化服务
1.推行网上办理。年内实现高频事项全程网办。（牵头单位：县数据局；责任单位：各乡镇）
2.开展宣传。每季度开展一次政策宣讲。
"""


def test_english_plan_extracts_tasks_units_and_deadlines():
    plan = extract_plan(ENGLISH_PLAN, "lakeside.txt")
    assert plan.language == "en"
    assert [t.label for t in plan.tasks] == ["2.1", "2.2", "3.1"]
    first, second, third = plan.tasks
    assert first.lead_units == ["Highways Department"]
    assert first.responsible_units == ["Schools Office", "Police Liaison Unit"]
    assert [d.due for d in first.deadlines] == [date(2025, 8, 31)]
    assert second.cooperating_units == ["Disability Forum"]
    assert [d.due for d in second.deadlines] == [date(2025, 6, 30)]
    assert [r.freq for r in second.recurrences] == ["quarterly"]
    assert third.responsible_units == ["Leisure Services", "Schools Office"]
    assert [d.due for d in third.deadlines] == [date(2025, 12, 31)]
    assert plan.document.period_end == date(2025, 12, 31)


def test_task_without_units_is_flagged_for_review():
    plan = extract_plan(CHINESE_PLAN, "plan.txt")
    assert ReviewFlag("task_without_units", task=2) in plan.review_flags


def test_plan_json_has_the_gold_shape():
    data = plan_to_json(extract_plan(CHINESE_PLAN, "plan.txt"))
    assert data["document"] == {"title": "某某县2026年营商环境工作要点", "issuer": "某某县人民政府办公室",
                                "doc_number": "某政办发〔2026〕3号", "issued_on": "2026-02-01", "period_end": "2026-12-31"}
    first = data["tasks"][0]
    assert (first["seq"], first["label"], first["section"], first["title"]) == (1, "1", "一", "推行网上办理")
    assert first["deadlines"] == [{"phrase": "年内", "due": "2026-12-31", "quote": "年内实现高频事项全程网办"}]


def test_empty_text_is_flagged_as_having_no_tasks():
    plan = extract_plan("", "empty.txt")
    assert plan.tasks == [] and ReviewFlag("no_tasks") in plan.review_flags


def test_period_end_read_from_the_preamble_is_flagged_for_review():
    text = ("北岭县垃圾分类任务分工方案\n为推进垃圾分类，制定本方案。各项任务原则上于2027年12月底前完成。\n"
            "（一）建设分类设施。新建投放点100个。（责任单位：县城管局）")
    plan = extract_plan(text, "beiling.txt")
    assert plan.document.period_end == date(2027, 12, 31)
    assert ReviewFlag("period_end_from_text", values=(("due", "2027-12-31"),)) in plan.review_flags
    assert not any(f.code == "no_period_end" for f in plan.review_flags)


def test_timeframes_follow_the_financial_year_the_preamble_states():
    text = """Eastbrook Library Renewal Plan 2025–2027

Published by: Eastbrook Shire Council

Timeframes follow the financial year, which ends on 30 June.

1. Refit the branch libraries. Timeframe: Medium term (by 2026–27)
"""
    task = extract_plan(text, "plan.txt").tasks[0]
    assert [d.due for d in task.deadlines] == [date(2027, 6, 30)]


def test_first_listed_convention_holds_from_the_item_that_states_it():
    text = """某某市关于促进夜间经济发展的若干措施
一、主要任务
1.延长营业时间。支持商圈延时经营。（市商务局、市公安局负责，排在第一位的部门为牵头部门，下同）
2.丰富夜间消费。举办夜市活动。（市文旅局、市商务局、各区政府负责）
3.保障交通出行。优化公交线路。（市交通局负责）
"""
    tasks = extract_plan(text, "plan.txt").tasks
    assert [(t.lead_units, t.responsible_units) for t in tasks] == [
        (["市商务局"], ["市公安局"]),
        (["市文旅局"], ["市商务局", "各区政府"]),
        ([], ["市交通局"]),
    ]


def test_item_without_a_note_takes_its_deadline_sentence_subject_and_is_flagged():
    text = """某省2026年养老服务工作要点
一、重点任务
（一）建设服务平台。2026年4月底前，省民政厅建成全省养老服务平台。
（二）开展培训。组织护理员培训。（省人社厅负责）
"""
    plan = extract_plan(text, "plan.txt")
    assert [t.responsible_units for t in plan.tasks] == [["省民政厅"], ["省人社厅"]]
    assert ReviewFlag("units_from_subject", task=1) in plan.review_flags
    assert ReviewFlag("units_from_subject", task=2) not in plan.review_flags


def test_web_page_footer_links_are_not_tasks():
    text = """某市2026年全民阅读工作要点
一、重点任务
1.建设城市书房。年内新建城市书房10家。
2.举办读书节。4月底前举办全民读书节。
扫一扫在手机打开当前页
1. 网站地图
2. 联系我们
3. 隐私声明
"""
    assert [t.title for t in extract_plan(text, "plan.txt").tasks] == ["建设城市书房", "举办读书节"]


def test_first_listed_convention_stated_in_the_preamble_holds_for_every_item():
    text = """某县2026年优化营商环境重点任务清单
为做好今年工作，制定本清单。各项任务中，列在首位的单位为牵头单位。
一、政务服务
1.推行一窗通办。(县政务服务中心、县市场监管局负责)
2.开展帮办代办。【县政务服务中心、各乡镇人民政府按职责分工负责】
"""
    tasks = extract_plan(text, "plan.txt").tasks
    assert [t.lead_units for t in tasks] == [["县政务服务中心"], ["县政务服务中心"]]
    assert [t.responsible_units for t in tasks] == [["县市场监管局"], ["各乡镇人民政府"]]


def test_english_item_without_a_note_takes_the_subject_of_its_dated_sentence():
    text = """Riverside Library Action Plan 2026

1. Extend opening hours. The Library Service will open on Sundays from May 2026.
2. Digitise local archives. The Heritage Team will scan the parish records by 30 September 2026.
"""
    plan = extract_plan(text, "plan.txt")
    assert [t.responsible_units for t in plan.tasks] == [[], ["Heritage Team"]]
    assert ReviewFlag("units_from_subject", task=2) in plan.review_flags


def test_item_of_one_sentence_and_a_note_is_located_by_its_own_text():
    text = """某省关于激励基层担当作为的通知
一、对按时完成改造任务的市县，优先安排补助资金。（省财政厅负责）
二、对营商环境评价靠前的市县，给予用地指标奖励。（省自然资源厅负责）
"""
    tasks = extract_plan(text, "plan.txt").tasks
    assert [t.title for t in tasks] == ["对按时完成改造任务的市县，优先安排补助资金", "对营商环境评价靠前的市县，给予用地指标奖励"]
    assert [t.text_start for t in tasks] == ["对按时完成改造任务的市县，优", "对营商环境评价靠前的市县，给"]
