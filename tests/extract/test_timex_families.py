"""Time-expression families of issue 9: dates in figures, parts of months, festivals, ranges,
several milestones, durations from a stated start or an event. Every phrase here is invented."""
from datetime import date

from extract.timex import (AMBIGUOUS_DAY_MONTH, UNDATED, festival_day_zh, find_deadlines, plan_span)


def _dues(text: str, plan_year: int | None = 2025, language: str = "zh", **kw) -> list[tuple[str, date | None]]:
    return [(d.phrase, d.due) for d in find_deadlines(text, plan_year, language, **kw)]


# --- dates in figures -------------------------------------------------------------------------

def test_dotted_slashed_and_dashed_dates_with_a_limit_word_are_that_day():
    assert _dues("各街道于2026.3.15前报送台账，2026/04/30前完成整改，2026-05-20之前验收。") == [
        ("2026.3.15前", date(2026, 3, 15)), ("2026/04/30前", date(2026, 4, 30)),
        ("2026-05-20之前", date(2026, 5, 20))]


def test_a_date_in_figures_without_a_limit_word_in_prose_is_no_deadline():
    # a reference or a signature date, not a target
    assert _dues("依据2024.06.01印发的办法执行。") == []


def test_a_deadline_label_takes_a_date_in_figures_or_a_month_in_figures():
    assert _dues("完成时限：2026-09-15") == [("2026-09-15", date(2026, 9, 15))]
    assert _dues("完成时限：2026.11") == [("2026.11", date(2026, 11, 30))]


def test_an_impossible_date_in_figures_is_left_out():
    assert _dues("2026.02.30前完成。") == []


# --- parts of a month ------------------------------------------------------------------------

def test_early_middle_and_late_month_are_the_10th_20th_and_last_day():
    assert _dues("4月上旬启动，2026年5月中旬前评审，6月下旬完成验收。") == [
        ("4月上旬", date(2025, 4, 10)), ("2026年5月中旬前", date(2026, 5, 20)), ("6月下旬", date(2025, 6, 30))]


# --- festivals -------------------------------------------------------------------------------

def test_spring_festival_follows_the_lunar_calendar_of_the_year():
    assert festival_day_zh("春节", 2026) == date(2026, 2, 17)
    assert festival_day_zh("中秋节", 2025) == date(2025, 10, 6)
    assert _dues("走访慰问困难群众，春节前发放到位。", plan_year=2024) == [("春节前", date(2024, 2, 9))]


def test_a_printed_year_dates_the_festival_and_is_not_a_deadline_of_its_own():
    assert _dues("2027年春节前完成欠薪清零。") == [("2027年春节前", date(2027, 2, 5))]


def test_national_day_and_new_year_festivals_are_the_day_before():
    assert _dues("国庆节前完成景区检查，元旦前完成年度盘点。", plan_year=2026) == [
        ("国庆节前", date(2026, 9, 30)), ("元旦前", date(2026, 12, 31))]


def test_qingming_follows_the_solar_term():
    assert festival_day_zh("清明节", 2024) == date(2024, 4, 4)
    assert festival_day_zh("清明节", 2026) == date(2026, 4, 5)


def test_after_a_festival_sets_no_limit():
    assert _dues("春节后组织复工检查。") == []


# --- ranges ----------------------------------------------------------------------------------

def test_a_range_of_days_is_due_at_its_end():
    assert _dues("8月1日至10月31日开展夏季攻势专项行动。") == [("8月1日至10月31日", date(2025, 10, 31))]


def test_a_range_of_months_is_due_at_the_end_of_its_last_month():
    assert _dues("2026年3—5月集中开展排查。") == [("2026年3—5月", date(2026, 5, 31))]


def test_a_range_across_years_and_in_figures():
    assert _dues("2025年11月至2026年2月实施冬季保供。") == [("2025年11月至2026年2月", date(2026, 2, 28))]
    assert _dues("2026.6.1-2026.8.31开展防汛演练。") == [("2026.6.1-2026.8.31", date(2026, 8, 31))]


def test_a_range_of_the_past_year_is_data_not_a_target():
    assert _dues("统计口径为上一年度1月至12月的数据。") == []


# --- several milestones ----------------------------------------------------------------------

def test_every_milestone_of_a_task_is_kept_in_order():
    assert _dues("3月底前摸清底数，9月中旬前形成初稿，年底前印发实施。", plan_year=2026) == [
        ("3月底前", date(2026, 3, 31)), ("9月中旬前", date(2026, 9, 20)), ("年底前", date(2026, 12, 31))]


# --- durations -------------------------------------------------------------------------------

def test_n_years_from_a_stated_start_year_end_with_its_last_year():
    assert _dues("2024年起3年内建成100个口袋公园。") == [("2024年起3年内", date(2026, 12, 31))]
    assert _dues("自2026年起五年内完成改造。") == [("自2026年起五年内", date(2030, 12, 31))]


def test_a_bare_duration_counts_from_the_plans_stated_start():
    assert _dues("4年内培育500家专精特新企业。", span_start=2023) == [("4年内", date(2026, 12, 31))]


def test_a_bare_duration_without_a_stated_start_is_not_read():
    assert _dues("4年内培育500家专精特新企业。") == []


def test_the_length_of_a_benefit_or_a_past_window_is_no_deadline():
    assert _dues("入选人才3年内享受租房补贴，近3年内无违法记录。", span_start=2023) == []


def test_a_duration_after_an_undated_event_is_kept_without_a_date_and_flagged():
    found = find_deadlines("方案印发后60日内，各区报送实施细则。", 2025)
    assert [(d.phrase, d.due, d.flags) for d in found] == [("方案印发后60日内", None, (UNDATED,))]


def test_a_duration_after_a_dated_event_counts_from_that_day():
    assert _dues("自2026年3月10日起30日内完成公示。") == [("自2026年3月10日起30日内", date(2026, 4, 9))]
    assert _dues("自2026年1月31日起1个月内完成备案。") == [("自2026年1月31日起1个月内", date(2026, 2, 28))]


def test_a_plans_span_is_read_once_from_its_text():
    span = plan_span(["一、目标", "2021年起5年内，建成一批示范街区。", "二、任务"])
    assert (span.start, span.end) == (2021, date(2025, 12, 31))
    assert plan_span(["2021年起5年内建成A。", "2022年起3年内建成B。"]) is None


def test_from_a_year_each_year_is_a_recurrence_only():
    assert _dues("2027年起，每年3月底前报送上年度评估报告。") == []
