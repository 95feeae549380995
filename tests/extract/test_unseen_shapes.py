"""Invented plans in phrasings the corpus does not use: an English city action plan, a Chinese
实施方案 full of recurring duties and relative dates, and responsibility notes written as prose."""
from __future__ import annotations

from datetime import date

from extract.plan import extract_plan
from extract.responsibility import read_responsibility
from extract.timex import find_deadlines, find_recurrences

ENGLISH_ACTION_PLAN = """City of Larkmoor Rule of Law Action Plan 2026

Issued by the Larkmoor City Government on 15 February 2026.

Part 1. Strengthen legal services

Action 1.1 Open neighbourhood legal aid desks. Open twelve desks by end of Q2 2026 and report caseloads every quarter.
Lead: Dept. of Justice; Support: Finance Bureau, Public Security Bureau

Action 1.2 Review municipal regulations. Complete the review of all municipal regulations by 30 September 2026 and publish the list annually.
Responsible: Legal Affairs Office

Action 1.3 Train frontline officers. Train every law enforcement officer no later than June 2026 and hold refresher courses twice a year. (Lead agency: Human Resources Bureau)

Part 2. Make enforcement transparent

Action 2.1 Publish enforcement data. Publish enforcement statistics weekly on the city portal within 2026.
Lead: Public Security Bureau; Support: Data Centre

Action 2.2 Evaluate the plan. Commission an independent evaluation every two years and submit the first report by the end of the year.
Lead: Dept. of Justice

Action 2.3 Handle complaints. Respond to complaints about enforcement on an ongoing basis and audit the register biennially.
Responsible: Office of the Ombudsman; Support: St. Mary's District Office
"""

IMPLEMENTATION_PLAN = """青川市人民政府办公室关于印发《青川市公共法律服务体系建设实施方案》的通知

青政办发〔2026〕12号

青川市人民政府办公室
2026年3月10日

青川市公共法律服务体系建设实施方案

一、完善服务网络
（一）建设村（社区）法律服务站点。2026年第三季度完成全部站点挂牌，每周开展一次驻点服务。（市司法局负责，各区政府落实）
（二）推进法律援助便民化。2026年上半年出台援助事项清单，每半年向社会公布一次办理情况。由市司法局牵头，市财政局、市人社局配合。
（三）健全调解组织。2026年12月31日前实现调解组织全覆盖，每两年开展一次等级评定。
责任单位：市司法局；配合单位：市民政局、市总工会
二、强化服务保障
（四）落实经费保障。每年年底前将所需经费列入下一年度预算，次年3月底前报送经费使用情况。（市财政局牵头，各有关单位配合）
（五）加强队伍建设。2027年6月前完成全市法律服务人员轮训，每季度末通报培训进度。市住建局、市城管局按职责分工负责。
（六）开展监督检查。定期组织专项检查，6月30日前报送阶段性情况，年内完成整改。（市发展改革委负责，各区政府落实）
（七）推动工作常态化。常态化开展普法宣传，今年年底完成评估；力争用两年时间建成全覆盖体系。（各有关单位）
"""

PROSE_NOTES = """白石县2026年法治政府建设工作要点

一、依法履行政府职能
1.规范行政决策程序。全面落实重大行政决策目录管理，覆盖所有村（社区）。
2.推进行政复议体制改革。由县司法局牵头，县财政局、县人社局配合，2026年9月底前完成。
3.清理证明事项。各乡镇要认真贯彻落实。（县发展改革局负责，各乡镇政府落实）
4.开展执法检查。每年组织一次执法案卷评查。
责任单位：县司法局；配合单位：县公安局、县市场监管局
5.加强城市管理执法。推行综合执法，县住建局、县城管局按职责分工负责。
6.深化普法宣传。全年开展主题宣传活动，营造良好氛围（各有关单位）。
7.强化督查问责。督促各部门落实。
"""


def _units(task) -> tuple[list[str], list[str], list[str]]:
    return task.lead_units, task.responsible_units, task.cooperating_units


def _dues(task) -> list[tuple[str, date]]:
    return [(d.phrase, d.due) for d in task.deadlines]


def _freqs(task) -> list[tuple[str, str]]:
    return [(r.phrase, r.freq) for r in task.recurrences]


# English action plan


def test_english_labels_keep_abbreviated_unit_names_whole():
    tasks = extract_plan(ENGLISH_ACTION_PLAN, "larkmoor.txt").tasks
    assert _units(tasks[0]) == (["Dept. of Justice"], [], ["Finance Bureau", "Public Security Bureau"])
    assert _units(tasks[4]) == (["Dept. of Justice"], [], [])
    assert _units(tasks[5]) == ([], ["Office of the Ombudsman"], ["St. Mary's District Office"])


def test_english_role_labels_inline_and_in_parentheses():
    tasks = extract_plan(ENGLISH_ACTION_PLAN, "larkmoor.txt").tasks
    assert _units(tasks[1]) == ([], ["Legal Affairs Office"], [])
    assert _units(tasks[2]) == (["Human Resources Bureau"], [], [])
    assert _units(tasks[3]) == (["Public Security Bureau"], [], ["Data Centre"])


def test_english_deadline_phrases():
    tasks = extract_plan(ENGLISH_ACTION_PLAN, "larkmoor.txt").tasks
    assert [_dues(t) for t in tasks] == [
        [("by end of Q2 2026", date(2026, 6, 30))],
        [("by 30 September 2026", date(2026, 9, 30))],
        [("no later than June 2026", date(2026, 6, 30))],
        [("within 2026", date(2026, 12, 31))],
        [("by the end of the year", date(2026, 12, 31))],
        [],
    ]


def test_english_recurrences_map_onto_the_schema_frequencies():
    """Weekly and biennial duties have no word of their own in the schema: they are "periodic",
    with the interval kept in the phrase; "on an ongoing basis" is a continuous duty, not a recurrence."""
    tasks = extract_plan(ENGLISH_ACTION_PLAN, "larkmoor.txt").tasks
    assert [_freqs(t) for t in tasks] == [
        [("every quarter", "quarterly")],
        [("annually", "yearly")],
        [("twice a year", "semiannual")],
        [("weekly", "periodic")],
        [("every two years", "periodic")],
        [("biennially", "periodic")],
    ]


def test_bare_year_needs_a_target_word():
    assert [d.due for d in find_deadlines("Publish the map no later than 2027.", 2026, "en")] == [date(2027, 12, 31)]
    assert find_deadlines("The city adopted its first plan in 2020.", 2026, "en") == []


def test_quote_runs_past_an_abbreviation():
    [deadline] = find_deadlines("Hand the file to the Dept. of Justice by 30 June 2026.", 2026, "en")
    assert deadline.quote == "Hand the file to the Dept. of Justice by 30 June 2026"


# Chinese implementation plan


def test_relative_and_quarter_deadlines_in_an_implementation_plan():
    tasks = extract_plan(IMPLEMENTATION_PLAN, "qingchuan.txt").tasks
    assert [_dues(t) for t in tasks] == [
        [("2026年第三季度", date(2026, 9, 30))],
        [("2026年上半年", date(2026, 6, 30))],
        [("2026年12月31日前", date(2026, 12, 31))],
        [("次年3月底前", date(2027, 3, 31))],
        [("2027年6月前", date(2027, 6, 30))],
        [("6月30日前", date(2026, 6, 30)), ("年内", date(2026, 12, 31))],
        [("今年年底", date(2026, 12, 31)), ("力争用两年时间", date(2027, 12, 31))],
    ]


def test_next_year_month_is_the_year_after_the_plan():
    """"次年3月底前" in a 2026 plan: the first report falls in March 2027, not March 2026."""
    assert [d.due for d in find_deadlines("次年3月底前报送情况", 2026)] == [date(2027, 3, 31)]
    assert [d.due for d in find_deadlines("今年9月底前完成", 2026)] == [date(2026, 9, 30)]


def test_span_of_years_counts_the_plan_year_as_the_first():
    """"用三年时间" in a 2026 plan means 2026, 2027 and 2028, as "用三年时间（2018—2020年）" is printed."""
    assert [d.due for d in find_deadlines("用三年时间基本建成", 2026)] == [date(2028, 12, 31)]
    assert [d.due for d in find_deadlines("力争用2年左右时间完成", 2026)] == [date(2027, 12, 31)]


def test_chinese_recurrences_of_every_interval():
    tasks = extract_plan(IMPLEMENTATION_PLAN, "qingchuan.txt").tasks
    assert [_freqs(t) for t in tasks] == [
        [("每周", "periodic")],
        [("每半年", "semiannual")],
        [("每两年", "periodic")],
        [("每年", "yearly")],
        [("每季度", "quarterly")],
        [("定期", "periodic")],
        [],
    ]


def test_recurring_period_end_is_not_a_one_off_deadline():
    """"每年年底前" repeats; it gives no single due date, and "每季度末" no 一季度-style date."""
    assert find_deadlines("每年年底前报送，每季度末通报", 2026) == []
    assert [(r.phrase, r.freq) for r in find_recurrences("每年年底前报送，每季度末通报")] == [
        ("每年", "yearly"), ("每季度", "quarterly")]


def test_ongoing_duty_is_neither_deadline_nor_recurrence():
    assert find_recurrences("常态化开展普法宣传") == [] and find_deadlines("常态化开展普法宣传", 2026) == []


def test_implementation_plan_units():
    tasks = extract_plan(IMPLEMENTATION_PLAN, "qingchuan.txt").tasks
    assert [_units(t) for t in tasks] == [
        ([], ["市司法局", "各区政府"], []),
        (["市司法局"], [], ["市财政局", "市人社局"]),
        ([], ["市司法局"], ["市民政局", "市总工会"]),
        (["市财政局"], [], ["各有关单位"]),
        ([], ["市住建局", "市城管局"], []),
        ([], ["市发展改革委", "各区政府"], []),
        ([], ["各有关单位"], []),
    ]


# Responsibility written as prose


def test_prose_responsibility_sentences():
    tasks = extract_plan(PROSE_NOTES, "baishi.txt").tasks
    assert [_units(t) for t in tasks] == [
        ([], [], []),
        (["县司法局"], [], ["县财政局", "县人社局"]),
        ([], ["县发展改革局", "各乡镇政府"], []),
        ([], ["县司法局"], ["县公安局", "县市场监管局"]),
        ([], ["县住建局", "县城管局"], []),
        ([], ["各有关单位"], []),
        ([], [], []),
    ]


def test_deadline_after_a_prose_note_is_still_read():
    tasks = extract_plan(PROSE_NOTES, "baishi.txt").tasks
    assert _dues(tasks[1]) == [("2026年9月底前", date(2026, 9, 30))]


def test_place_in_closing_brackets_is_not_a_unit():
    assert read_responsibility("全面推行目录管理，覆盖所有村（社区）。").is_empty()
    assert read_responsibility("完成全部站点挂牌（见附件2）。").is_empty()


def test_instruction_ending_in_a_role_word_is_not_a_note():
    assert read_responsibility("督促各部门落实。").is_empty()
    assert read_responsibility("各地区各部门要认真贯彻落实。").is_empty()


def test_english_bare_closing_parenthetical_of_bodies():
    assert read_responsibility("Publish the register (Finance Bureau, Audit Office).").responsible == [
        "Finance Bureau", "Audit Office"]
