"""Whole plans in shapes the corpus does not show: invented snippets, read end to end."""
from __future__ import annotations

from datetime import date

from extract.plan import extract_plan

DIVISION_OF_TASKS = """松江县人民政府办公室关于印发《松江县优化营商环境重点任务分工方案》的通知

松政办发〔2027〕9号

松江县人民政府办公室
二〇二七年三月八日

松江县优化营商环境重点任务分工方案

一、提升政务服务效能
（一）推行企业开办一日办结。整合登记、刻章、申领发票等环节，实现全程网上办理。
牵头单位：县市场监管局
责任单位：县税务局、县公安局
完成时限：2027年6月底前
（二）建设综合窗口。推进无差别综合受理，压减窗口数量。
牵头单位：县政务服务中心
完成时限：长期坚持
二、规范监管执法
（三）推行包容审慎监管。制定轻微违法不予处罚清单，并动态调整。
责任单位：县司法局、各执法部门
完成时限：2027年9月
（四）开展涉企收费检查。清理违规收费项目。
牵头单位：县发展改革局；责任单位：县财政局；完成时限：持续推进
"""

ENGLISH_ACTIONS = """Riverside Borough Climate Action Plan 2027

Adopted by Riverside Borough Council on 12 January 2027. Reference: RBC/CAP/2027-1.

Action 1: Retrofit council buildings. Insulate every council-owned school by Q2 2027 and report energy use annually.
Owner: Property Services
Supporting: Finance Department

Action 2: Publish emissions data. Publish the borough emissions inventory no later than 31 March 2027 and refresh it each quarter.
Lead agency: Environment Team

Action 3: Expand cycle lanes.
3.1 Design the network. Agree the route map by mid-2027.
Lead agency: Highways Department
3.2 Build the first routes. Open two routes by the end of September 2027 and publish usage counts monthly.
Lead agency: Highways Department
Supporting: Parks Service
"""


def test_labelled_lines_after_item_give_units_and_deadline():
    plan = extract_plan(DIVISION_OF_TASKS, "division.txt")
    first, second, third, fourth = plan.tasks
    assert (first.lead_units, first.responsible_units) == (["县市场监管局"], ["县税务局", "县公安局"])
    assert [(d.phrase, d.due) for d in first.deadlines] == [("2027年6月底前", date(2027, 6, 30))]
    assert third.responsible_units == ["县司法局", "各执法部门"]
    assert [d.due for d in third.deadlines] == [date(2027, 9, 30)]
    assert (fourth.lead_units, fourth.responsible_units) == (["县发展改革局"], ["县财政局"])


def test_ongoing_completion_values_are_not_deadlines():
    plan = extract_plan(DIVISION_OF_TASKS, "division.txt")
    assert plan.tasks[1].lead_units == ["县政务服务中心"]
    assert plan.tasks[1].deadlines == [] and plan.tasks[3].deadlines == []


def test_division_of_tasks_plan_items_and_sections():
    plan = extract_plan(DIVISION_OF_TASKS, "division.txt")
    assert [(t.section, t.label, t.title) for t in plan.tasks] == [
        ("一", "1", "推行企业开办一日办结"), ("一", "2", "建设综合窗口"),
        ("二", "3", "推行包容审慎监管"), ("二", "4", "开展涉企收费检查")]


def test_chinese_numeral_signature_date_is_the_issue_date():
    meta = extract_plan(DIVISION_OF_TASKS, "division.txt").document
    assert meta.issued_on == date(2027, 3, 8)
    assert (meta.issuer, meta.doc_number) == ("松江县人民政府办公室", "松政办发〔2027〕9号")


def test_english_action_numbering_owner_and_supporting_labels():
    plan = extract_plan(ENGLISH_ACTIONS, "riverside.txt")
    assert [(t.section, t.label) for t in plan.tasks] == [(None, "1"), (None, "2"), ("3", "3.1"), ("3", "3.2")]
    first, second, design, build = plan.tasks
    assert (first.lead_units, first.cooperating_units) == (["Property Services"], ["Finance Department"])
    assert second.lead_units == ["Environment Team"]
    assert (build.lead_units, build.cooperating_units) == (["Highways Department"], ["Parks Service"])


def test_english_deadline_phrases_resolve_to_days():
    plan = extract_plan(ENGLISH_ACTIONS, "riverside.txt")
    first, second, design, build = plan.tasks
    assert [(d.phrase, d.due) for d in first.deadlines] == [("by Q2 2027", date(2027, 6, 30))]
    assert [(d.phrase, d.due) for d in second.deadlines] == [("no later than 31 March 2027", date(2027, 3, 31))]
    assert [(d.phrase, d.due) for d in design.deadlines] == [("by mid-2027", date(2027, 6, 30))]
    assert [(d.phrase, d.due) for d in build.deadlines] == [("by the end of September 2027", date(2027, 9, 30))]


def test_english_recurrence_words():
    first, second, _design, build = extract_plan(ENGLISH_ACTIONS, "riverside.txt").tasks
    assert [r.freq for r in first.recurrences] == ["yearly"]
    assert [r.freq for r in second.recurrences] == ["quarterly"]
    assert [r.freq for r in build.recurrences] == ["monthly"]


def test_english_issuer_date_and_reference_in_a_sentence():
    meta = extract_plan(ENGLISH_ACTIONS, "riverside.txt").document
    assert (meta.issuer, meta.issued_on, meta.doc_number) == (
        "Riverside Borough Council", date(2027, 1, 12), "RBC/CAP/2027-1")
    assert meta.period_end == date(2027, 12, 31)
