"""Chinese plan shapes met on unseen plans (heldout7), each as a family on a plan of our own
writing: units labelled by office (牵头科室), dates spelled as a span from now, a scheduled month or a
year inside a clause, owners of a duty due on a day of every period or named alongside in a later
clause, and a ledger's fill-in instructions and update date."""
from __future__ import annotations

from datetime import date

from extract.plan import extract_document
from extract.reading import read_document_bytes
from extract.responsibility import subject_units
from extract.timex import find_deadlines, recurring_due_slots


def _plan(text: str, name: str = "plan.txt"):
    return extract_document(read_document_bytes(text.encode("utf-8"), name))


OFFICE_PLAN = """松岭街道2027年社区服务提质工作方案
一、重点任务
1. 建设便民服务站。5月底前建成便民服务站3个。（牵头科室：社区服务办公室；责任单位：各社区居委会；配合科室：财务所）
2. 整治背街小巷。9月底前完成12条小巷整治。（牵头处室：城建科；配合处室：综合执法队）
松岭街道办事处
2027年1月8日
"""


def test_units_labelled_by_office_take_the_role_their_label_names():
    first, second = _plan(OFFICE_PLAN).tasks
    assert (first.lead_units, first.responsible_units, first.cooperating_units) == (
        ["社区服务办公室"], ["各社区居委会"], ["财务所"])
    assert (second.lead_units, second.cooperating_units) == (["城建科"], ["综合执法队"])


def test_a_span_from_now_is_due_when_it_ends():
    (found,) = find_deadlines("完成时限：即日起至2027年10月", 2027, "zh")
    assert found.due == date(2027, 10, 31)


def test_a_month_the_work_is_scheduled_in_is_due_when_it_ends():
    (found,) = find_deadlines("市局将于2027年11月组织开展绩效评价。", 2027, "zh")
    assert found.due == date(2027, 11, 30)
    # How things stand at a month is no schedule.
    assert find_deadlines("截至2027年3月，已建成站点20个。", 2027, "zh") == []


def test_a_year_given_for_completing_part_of_the_work_is_due_when_it_ends():
    found = find_deadlines("新建泵站5座，其中2027年6月底前建成3座，其余2座2029年建成。", 2027, "zh")
    assert [f.due for f in found] == [date(2027, 6, 30), date(2029, 12, 31)]
    # A year that describes what was built sets no target.
    assert find_deadlines("对2027年建成的泵站开展验收。", 2027, "zh") == []


def test_a_duty_due_on_a_day_of_every_period_names_its_owner():
    assert recurring_due_slots("各区县于每月5日前报送进展，每季度末汇总。") == ["每月5日前", "每季度末"]
    text = "实行月调度，各市级供水主管部门于每月5日前报送上月进展情况。"
    assert subject_units(text, recurring_due_slots(text)) == ["各市级供水主管部门"]
    # A duty that only recurs, with no day it is due on, names no owner this way.
    assert recurring_due_slots("市监督科每季度组织一次明察暗访。") == []


def test_a_subject_doing_the_same_work_in_a_later_clause_shares_the_deadline():
    text = "各市级供水主管部门于2028年1月15日前报送年度总结，市供水集团一并报送。"
    assert subject_units(text, ["2028年1月15日前"]) == ["各市级供水主管部门", "市供水集团"]


LEDGER = """松岭市2027年重点工作督办台账
填报单位：松岭市人民政府督查室	更新日期：2027年4月6日
1.建成智慧停车平台。
牵头单位：市交通局；完成时限：2027年9月底前。
2.完成城区雨污分流改造。
牵头单位：市住建局；完成时限：2027年11月底前。

填表说明：
1. 完成时限以市政府确定的时间为准。
2. 进展情况由牵头单位按月报送。
"""


def test_a_ledgers_fill_in_instructions_are_no_tasks_and_its_update_date_dates_it():
    plan = _plan(LEDGER)
    assert [t.title for t in plan.tasks] == ["建成智慧停车平台", "完成城区雨污分流改造"]
    assert plan.document.issued_on == date(2027, 4, 6)
    # Only with nothing else to go by: a signature date wins over it.
    plan = _plan(LEDGER.replace("\n\n填表说明", "\n松岭市人民政府督查室\n2027年3月20日\n\n填表说明"))
    assert plan.document.issued_on == date(2027, 3, 20)
