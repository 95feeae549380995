"""The two invented plans in examples/, read against the answers counted by hand in examples/README.md."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extract.plan import extract_plan
from extract.reading import read_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# seq: (section, label, lead, responsible, cooperating, deadlines as (phrase, due), recurrence freqs)
CITY_TASKS = {
    1: ("一", "1", [], ["市司法局", "市住房城乡建设局", "市民政局"], [],
        [("2026年6月底前", "2026-06-30"), ("2026年年底前", "2026-12-31")], []),
    2: ("一", "2", ["市司法局"], ["各县区政府", "市直各部门"], [], [("上半年", "2026-06-30")], []),
    3: ("一", "3", ["市政府办公室"], [], ["市司法局"], [("第三季度", "2026-09-30")], []),
    4: ("二", "1", ["市发展改革委"], ["市市场监管局", "市政务服务中心"], [], [("力争2026年9月底前", "2026-09-30")], []),
    5: ("二", "2", [], ["市政府办公室（市大数据管理局）", "市政务服务中心"], [], [("年内", "2026-12-31")], []),
    6: ("二", "3", ["市司法局"], [], ["市市场监管局", "市生态环境局", "市应急管理局"], [], []),
    7: ("三", "4", [], ["市司法局", "各行政执法部门"], [], [("2026年6月底前", "2026-06-30")], []),
    8: ("三", "5", ["市公安局"], [], ["市交通运输局"], [("2026年年底前", "2026-12-31")], []),
    9: ("三", "6", [], ["市司法局"], [], [], ["quarterly"]),
    10: ("四", "1", [], ["市政府办公室", "市直各部门"], [], [("年内", "2026-12-31")], []),
    11: ("四", "2", ["市财政局"], ["市审计局", "市统计局"], [], [("2026年11月底前", "2026-11-30")], []),
    12: ("四", "3", [], ["市政府办公室", "各县区政府"], [], [], ["periodic"]),
    13: ("四", "4", [], ["市司法局"], [], [], []),
    14: ("五", "7", [], ["各县区政府", "市直各部门"], [], [], ["yearly"]),
    15: ("五", "8", ["市司法局"], [], ["市委宣传部", "市人力资源社会保障局"], [("2026年10月底前", "2026-10-31")], []),
    16: ("五", "9", ["市司法局"], ["市委组织部", "市政府督查室"], [], [("2026年12月15日前", "2026-12-15")], []),
}

# action: (section, lead, responsible, deadline dues, recurrence freqs)
COUNTY_ACTIONS = {
    1: ("1", ["County Executive Office"], ["Digital Services Team", "all county departments"], ["2026-06-30"], []),
    2: ("1", ["Digital Services Team"], ["Customer Contact Centre"], ["2026-12-31"], []),
    3: ("1", ["Planning and Building Department"], ["Licensing Office", "Finance Department"], ["2026-09-30"], []),
    4: ("2", ["County Executive Office"], [], [], ["quarterly"]),
    5: ("2", ["Finance Department"], ["Digital Services Team"], ["2026-12-31"], []),
    6: ("2", ["Democratic Services"], ["County Executive Office"], ["2026-06-30"], []),
    7: ("2", ["Human Resources"], ["all county departments"], [], []),
}


def _plan(name: str):
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip(f"{path} not found")
    document = read_document(path)
    return extract_plan(document.text, document.name)


@pytest.fixture(scope="module")
def city_plan():
    return _plan("example-city-2026-work-points.txt")


@pytest.fixture(scope="module")
def county_plan():
    return _plan("2026-sample-county-action-plan.md")


def test_city_example_document_fields(city_plan):
    doc = city_plan.document
    assert (doc.title, doc.issuer, doc.doc_number) == (
        "2026年示例市法治政府建设工作要点", "示例市人民政府办公室", "示政办发〔2026〕12号")
    assert (doc.issued_on, doc.period_end) == (date(2026, 2, 16), date(2026, 12, 31))
    assert city_plan.review_flags == []


def test_city_example_finds_all_sixteen_tasks_in_three_numbering_styles(city_plan):
    assert len(city_plan.tasks) == 16
    assert [(t.section, t.label) for t in city_plan.tasks] == [(v[0], v[1]) for v in CITY_TASKS.values()]


@pytest.mark.parametrize("seq", sorted(CITY_TASKS))
def test_city_example_task_units_deadlines_and_recurrences(city_plan, seq):
    section, label, lead, responsible, cooperating, deadlines, freqs = CITY_TASKS[seq]
    task = city_plan.tasks[seq - 1]
    assert (task.seq, task.section, task.label) == (seq, section, label)
    assert (task.lead_units, task.responsible_units, task.cooperating_units) == (lead, responsible, cooperating)
    assert [(d.phrase, d.due.isoformat()) for d in task.deadlines] == deadlines
    assert [r.freq for r in task.recurrences] == freqs


def test_city_example_titles_of_one_line_items_stop_at_the_first_full_stop(city_plan):
    assert city_plan.tasks[3].title == "持续优化法治化营商环境"
    assert city_plan.tasks[9].title == "自觉接受人大监督和政协民主监督"
    assert city_plan.tasks[0].title == "加强重点领域立法"


def test_county_example_document_fields_come_from_prose(county_plan):
    doc = county_plan.document
    assert (doc.title, doc.issuer, doc.doc_number) == (
        "Sample County 2026 Open Government Action Plan", "Sample County Executive Office", "SCEO-2026-04")
    assert (doc.issued_on, doc.period_end) == (date(2026, 2, 16), date(2026, 12, 31))
    assert county_plan.review_flags == []


def test_county_example_has_seven_actions_and_no_heading_tasks(county_plan):
    assert [t.label for t in county_plan.tasks] == [str(n) for n in COUNTY_ACTIONS]
    assert "Services" not in [t.title for t in county_plan.tasks]


@pytest.mark.parametrize("action", sorted(COUNTY_ACTIONS))
def test_county_example_action_units_deadlines_and_recurrences(county_plan, action):
    section, lead, responsible, dues, freqs = COUNTY_ACTIONS[action]
    task = county_plan.tasks[action - 1]
    assert (task.section, task.lead_units, task.responsible_units) == (section, lead, responsible)
    assert [d.due.isoformat() for d in task.deadlines] == dues
    assert [r.freq for r in task.recurrences] == freqs
