"""Time-expression families of issue 9: dates in figures, parts of months, festivals, ranges,
several milestones, durations from a stated start or an event. Every phrase here is invented."""
from datetime import date

from extract.timex import (AMBIGUOUS_DAY_MONTH, UNDATED, FiscalYear, PlanDates, festival_day_en, festival_day_zh,
                          find_deadlines, find_recurrences, plan_span)


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


def test_a_span_of_years_after_a_deadline_label_is_due_when_it_ends():
    assert _dues("完成时限：2025—2027年") == [("2025—2027年", date(2027, 12, 31))]
    assert _dues("实施方案（2025—2027年）") == []


def test_a_part_of_a_month_after_a_deadline_label_is_its_day():
    assert _dues("牵头单位：区商务局；完成时限：5月中旬。") == [("5月中旬", date(2025, 5, 20))]
    assert _dues("完成时限：2026年3月上旬") == [("2026年3月上旬", date(2026, 3, 10))]


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


def test_a_years_occasion_without_a_calendar_day_is_a_deadline_without_date():
    # The school or the utility sets the day, not the calendar: flagged, never 31 December.
    found = find_deadlines("2027年秋季学期开学前完成食堂改造，2026年供暖季前完成管网检修。", 2026, "zh")
    assert [(d.phrase, d.due, d.flags) for d in found] == [
        ("2027年秋季学期开学前", None, (UNDATED,)), ("2026年供暖季前", None, (UNDATED,))]
    assert _dues("开学前完成校舍排查。") == []


def test_a_bare_year_before_the_plans_year_names_past_work():
    assert _dues("2024年受损堤防在汛期到来前修复加固。", plan_year=2025) == []
    assert _dues("2026年建成智慧平台。", plan_year=2025) == [("2026年", date(2026, 12, 31))]


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


# --- English ---------------------------------------------------------------------------------

def _en(text: str, plan_year: int | None = 2026, **kw) -> list[tuple[str, date | None]]:
    return _dues(text, plan_year, "en", **kw)


def test_english_dates_in_figures_take_the_order_a_number_over_12_shows():
    assert _en("The register is opened by 28/02/2027.") == [("by 28/02/2027", date(2027, 2, 28))]
    assert _en("The register is opened by 02/28/2027.") == [("by 02/28/2027", date(2027, 2, 28))]
    assert _en("Tenders close before 2027/01/15.") == [("before 2027/01/15", date(2027, 1, 15))]


def test_an_ambiguous_day_month_order_is_read_day_first_and_flagged():
    found = find_deadlines("Councils report by 05/06/2027.", 2026, "en")
    assert [(d.due, d.flags) for d in found] == [(date(2027, 6, 5), (AMBIGUOUS_DAY_MONTH,))]


def test_an_ambiguous_date_in_a_labelled_cell_keeps_its_flag():
    found = find_deadlines("Due: 04/07/2027", 2026, "en")
    assert [(d.due, d.flags) for d in found] == [(date(2027, 7, 4), (AMBIGUOUS_DAY_MONTH,))]


def test_english_festivals():
    assert _en("Grit bins are filled before Christmas.") == [("before Christmas", date(2026, 12, 24))]
    assert _en("The trail reopens by Easter 2027.") == [("by Easter 2027", date(2027, 3, 28))]
    assert _en("Accounts are closed before the New Year.") == [("before the New Year", date(2026, 12, 31))]


def test_a_uk_financial_quarter_of_a_split_year():
    assert _en("Phase two goes live in Q3 2027/28.") == [("in Q3 2027/28", date(2027, 12, 31))]
    assert _en("Savings are banked by the end of the first quarter of 2026/27.") == [
        ("by the end of the first quarter of 2026/27", date(2026, 6, 30))]


def test_a_duration_after_an_undated_event_has_no_date_and_is_flagged():
    found = find_deadlines("Publish the register within 90 days of the completion of the audit.", 2026, "en")
    assert [(d.phrase, d.due, d.flags) for d in found] == [
        ("within 90 days of the completion of the audit", None, (UNDATED,))]
    assert _en("Adopt a code within six months of adoption of the statute.") == [
        ("within six months of adoption of the statute", None)]


def test_a_duration_counts_from_the_printed_day_of_its_event():
    assert _en("The compact was signed on 3 March 2027. Partners name liaisons within 30 days of signing.") == [
        ("within 30 days of signing", date(2027, 4, 2))]
    assert _en("Comments are due within two weeks of 1 June 2027.") == [
        ("within two weeks of 1 June 2027", date(2027, 6, 15))]


def test_an_undated_review_period_is_kept_without_a_date():
    assert _en("All desks are moved by the end of the next spending review period.") == [
        ("by the end of the next spending review period", None)]


def test_start_points_are_no_deadlines_but_a_latest_start_is():
    assert _en("From May 2027 the depot opens on Sundays.") == []
    assert _en("Weekend collections run in June 2027 onwards.") == []
    assert _en("Work on the depot will start by May 2027.") == [("by May 2027", date(2027, 5, 31))]


def test_history_and_forecasts_are_no_deadlines():
    assert _en("In March 2025, the council held its first hackathon.") == []
    assert _en("A new strategy is likely to be published in October 2026.") == []
    assert _en("Guidance was issued in May 2025 saying that councils should share data.") == []


def test_a_present_passive_commitment_is_a_deadline():
    assert _en("The portal is made available in the second half of 2027.") == [
        ("in the second half of 2027", date(2027, 12, 31))]


def test_english_years_months_and_seasons():
    assert _en("Depots will be electrified by end of 2028, meters replaced by November 2027 "
               "and the pilot closed by summer 2027.") == [
        ("by end of 2028", date(2028, 12, 31)), ("by November 2027", date(2027, 11, 30)),
        ("by summer 2027", date(2027, 8, 31))]


# --- the plan: flags and the stated span ------------------------------------------------------

def test_a_plan_flags_undated_deadlines_and_exports_them_with_a_null_due():
    from extract.model import plan_to_json
    from extract.plan import extract_plan

    text = ("关于推进社区书屋建设的实施意见\n一、总体目标\n1.目标。2024年起3年内，建成一批社区书屋。\n"
            "二、重点任务\n2.书屋建设项目。3年内建成社区书屋200个。（牵头单位：市文旅局）\n"
            "3.制度建设项目。本意见印发后90日内出台管理办法。（牵头单位：市文旅局）\n")
    extracted = extract_plan(text, "plan.txt")
    assert extracted.document.period_end == date(2026, 12, 31)
    tasks = {t.label: t for t in extracted.tasks}
    assert [(d.phrase, d.due) for d in tasks["2"].deadlines] == [("3年内", date(2026, 12, 31))]
    assert [d.due for d in tasks["3"].deadlines] == [None]
    assert any(f.code == UNDATED and f.task == tasks["3"].seq for f in extracted.review_flags)
    exported = {t["label"]: t for t in plan_to_json(extracted)["tasks"]}
    assert exported["3"]["deadlines"][0]["due"] is None


def test_a_limit_word_makes_a_month_or_a_day_a_deadline_but_as_of_does_not():
    assert _dues("截止2026年10月完成摸底，最迟于11月15日上报。") == [
        ("截止2026年10月", date(2026, 10, 31)), ("最迟于11月15日", date(2025, 11, 15))]
    assert _dues("截至2024年6月，全市已建成驿站30个。") == []


def test_a_year_and_month_opening_a_clause_is_that_months_target_and_a_start_day_is_none():
    assert _dues("2026年5月完成主体工程。") == [("2026年5月", date(2026, 5, 31))]
    assert _dues("本办法2026年3月1日起施行。") == []
    assert _dues("2026年春节期间做好值班。") == []


def test_english_ordinals_early_late_and_financial_years():
    assert _en("Councils report by 30th June 2027.") == [("by 30th June 2027", date(2027, 6, 30))]
    assert _en("The depot is rebuilt by late 2027, the fleet by early 2028.") == [
        ("by late 2027", date(2027, 12, 31)), ("by early 2028", date(2028, 3, 31))]
    assert _en("by early intervention") == []
    assert _en("Meters are replaced during 2027/28 and pumps in 2028-29.") == [
        ("during 2027/28", date(2028, 3, 31)), ("in 2028-29", date(2029, 3, 31))]


def test_a_latest_start_keeps_its_words():
    assert _en("Design work will start in May 2027 or earlier.") == [("in May 2027 or earlier", date(2027, 5, 31))]


# --- recurrences -----------------------------------------------------------------------------

def test_a_rate_after_a_threshold_is_no_recurrence_but_a_counted_duty_is():
    from extract.timex import find_recurrences

    def freqs(text: str, language: str = "en") -> list[str]:
        return [r.freq for r in find_recurrences(text, language)]

    assert freqs("Depots handling more than 5,000 parcels each month are inspected.") == []
    assert freqs("Each depot files 2 returns each year.") == ["yearly"]
    assert freqs("认定为完成年度计划的地区给予奖励。", "zh") == []


def test_a_table_cell_holding_only_a_date_is_the_rows_deadline():
    assert _en("| **2.1** Publish the playbook | Completion | March 31, 2027 | Data Council |") == [
        ("March 31, 2027", date(2027, 3, 31))]
    assert _en("Publish the playbook\t30 June 2027\tData Council") == [("30 June 2027", date(2027, 6, 30))]
    assert _en("The charter was adopted.\nMarch 2027") == []


def test_a_chinese_table_cell_holding_only_a_month_or_a_day_is_the_rows_deadline():
    assert [d for _, d in _dues("| 3 | 完善值班制度 | 市应急局 | 2026年6月 |")] == [date(2026, 6, 30)]
    assert [d for _, d in _dues("完善值班制度\t市应急局\t2026-09-15")] == [date(2026, 9, 15)]


def test_keeping_records_up_to_date_is_no_history():
    assert _en("Every county registers its wells by the end of June and keeps the records up to date.") == [
        ("by the end of June", date(2026, 6, 30))]


def test_once_in_each_holders_term_recurs_by_term():
    from extract.timex import find_recurrences
    found = find_recurrences("The Clerk reports to the Council at least once in each Mayor's term.", "en")
    assert [(r.phrase, r.freq) for r in found] == [("at least once in each Mayor's term", "term")]


def test_a_yearly_report_form_is_no_recurrence():
    from extract.timex import find_recurrences
    assert find_recurrences("指标来源：财务年报表。", "zh") == []
    assert [r.freq for r in find_recurrences("健全统计年报制度。", "zh")] == ["yearly"]


def test_the_tense_word_nearest_the_phrase_decides_history():
    assert _en("Councils that have not yet done so will publish a plan by May 2027.") == [
        ("by May 2027", date(2027, 5, 31))]
    assert _en("Each council has until 31 March 2027 to publish its register.") == [
        ("until 31 March 2027", date(2027, 3, 31))]


def test_around_a_festival_and_a_described_duration_are_no_deadlines():
    assert _dues("春节前后开展安全检查，离校后2年内的毕业生可申请补贴。") == []


# --- English: holidays on a weekday, calendar years, periods that last, the plan's own events ---

def test_holidays_on_the_nth_weekday_of_their_month():
    assert festival_day_en("Thanksgiving", 2031) == date(2031, 11, 27)
    assert festival_day_en("Memorial Day", 2031) == date(2031, 5, 26)
    assert _dues("Open the warming centre before Thanksgiving 2031.", 2031, "en") == [
        ("before Thanksgiving 2031", date(2031, 11, 26))]


def test_end_of_a_named_calendar_year():
    assert _dues("Submit the grant report by end of calendar year 2031.", 2031, "en") == [
        ("by end of calendar year 2031", date(2031, 12, 31))]


def test_until_ends_a_period_that_lasts_but_has_until_is_a_deadline():
    assert _dues("Open the cold-weather shelter by 1 December 2031 and keep it open until the end of "
                 "February 2032.", 2031, "en") == [("by 1 December 2031", date(2031, 12, 1))]
    assert _dues("The Board has until June 2032 to report.", 2031, "en") == [("until June 2032", date(2032, 6, 30))]


def test_durations_from_the_plans_own_signing_or_end_count_from_its_head():
    dates = PlanDates(issued_on=date(2031, 2, 10), period_end=date(2032, 6, 30))
    text = ("Within 30 days of the signing of this plan, agencies name a steward. "
            "The review is due within three months of the end of this plan. "
            "Partners sign the charter within 90 days of its release.")
    assert _dues(text, 2031, "en", plan_dates=dates) == [
        ("Within 30 days of the signing of this plan", date(2031, 3, 12)),
        ("within three months of the end of this plan", date(2032, 9, 30)),
        ("within 90 days of its release", None)]
    # Without the plan's days the first two stay undated.
    assert [due for _, due in _dues(text, 2031, "en")] == [None, None, None]


def test_each_season_or_month_recurs_yearly_but_each_may_is_a_modal():
    assert [r.freq for r in find_recurrences("Count rough sleepers each autumn.", "en")] == ["yearly"]
    assert [r.freq for r in find_recurrences("Run the campaign every September.", "en")] == ["yearly"]
    assert find_recurrences("Each may apply for a grant.", "en") == []


def test_a_history_paragraph_after_a_list_of_commitments_is_no_deadline():
    text = ("Harbour Office will:\n- open the new berths\n"
            "In March 2030, the council took the first step towards one harbour authority.\n"
            "Berths will be let by June 2032.")
    assert _dues(text, 2031, "en") == [("by June 2032", date(2032, 6, 30))]


def test_seasons_of_a_plan_that_counts_them_in_the_southern_hemisphere():
    south = PlanDates(southern_seasons=True)
    assert _dues("Deadline: Autumn 2032", 2031, "en", plan_dates=south) == [("Autumn 2032", date(2032, 5, 31))]
    assert _dues("Deadline: Summer 2031", 2031, "en", plan_dates=south) == [("Summer 2031", date(2032, 2, 29))]
    assert _dues("Deadline: Autumn 2032", 2031, "en") == [("Autumn 2032", date(2032, 11, 30))]


def test_an_english_span_of_months_is_due_when_it_ends():
    assert _dues("Consult tenants from June to September 2031.", 2031, "en") == [
        ("from June to September 2031", date(2031, 9, 30))]
    assert _dues("Launch the pilot between April and June 2031.", 2031, "en") == [
        ("between April and June 2031", date(2031, 6, 30))]
    assert _dues("Timeframe: March 2031 – November 2031", 2031, "en") == [
        ("March 2031 – November 2031", date(2031, 11, 30))]
    # "and" joins a span only after "between"
    assert _dues("Inspect the pumps in June and July 2031.", 2031, "en") == []


def test_a_calendar_quarter_after_its_year():
    assert _dues("Deadline: 2031 Q3", 2031, "en") == [("2031 Q3", date(2031, 9, 30))]


def test_english_due_lead_in_more_deadline_labels_financial_years_and_the_plans_end():
    ends = PlanDates(period_end=date(2033, 6, 30))
    assert _dues("The audit is due 30 June 2031.", 2031, "en") == [("due 30 June 2031", date(2031, 6, 30))]
    assert _dues("Target: March 2032", 2031, "en") == [("March 2032", date(2032, 3, 31))]
    assert _dues("When: June 2031", 2031, "en") == [("June 2031", date(2031, 6, 30))]
    assert _dues("Finish by the end of the 2031/32 financial year.", 2031, "en") == [
        ("by the end of the 2031/32 financial year", date(2032, 3, 31))]
    assert _dues("Finish before the end of the financial year 2031-32.", 2031, "en") == [
        ("before the end of the financial year 2031-32", date(2032, 3, 31))]
    assert _dues("Close the fund by the end of this plan.", 2031, "en", plan_dates=ends) == [
        ("by the end of this plan", date(2033, 6, 30))]


def test_more_english_rates_twice_yearly_every_three_months_and_annual_reports_of_any_name():
    def freqs(text: str) -> list[str]:
        return [r.freq for r in find_recurrences(text, "en")]

    assert freqs("Report to the board twice yearly.") == ["semiannual"]
    assert freqs("Publish a semi-annual bulletin.") == ["semiannual"]
    assert freqs("Inspect the pumps every three months.") == ["quarterly"]
    assert freqs("Publish an annual water quality report.") == ["yearly"]
    assert freqs("Set an annual target of 40 homes.") == []


def test_more_ways_to_print_a_fiscal_quarter_or_year():
    july_june = FiscalYear(6, 30)
    for text, due in [("Deadline: FY2032 Q2", date(2031, 12, 31)), ("Deadline: Q2 FY32", date(2031, 12, 31)),
                      ("Deadline: second quarter of FY2032", date(2031, 12, 31)), ("Deadline: FY32", date(2032, 6, 30)),
                      ("Finish by end of fiscal year 2032.", date(2032, 6, 30))]:
        assert [d.due for d in find_deadlines(text, 2031, "en", july_june)] == [due], text
    # "financial year 2031/32" is the split year, not financial year 2031
    assert [d.due for d in find_deadlines("Finish by the end of the financial year 2031/32.", 2031, "en",
                                          FiscalYear(3, 31))] == [date(2032, 3, 31)]


def test_national_days_and_the_canadian_thanksgiving():
    assert festival_day_en("Canadian Thanksgiving", 2031) == date(2031, 10, 13)
    assert _dues("Launch the memorial walk ahead of Anzac Day 2032.", 2031, "en") == [
        ("ahead of Anzac Day 2032", date(2032, 4, 24))]


def test_ambiguous_dates_in_figures_follow_the_order_the_plans_other_dates_show():
    from extract.timex import numeric_order

    assert numeric_order("Open by 12/31/2031; close by 03/04/2032.") == "month_first"
    assert numeric_order("Open by 31/12/2031; close by 03/04/2032.") == "day_first"
    assert numeric_order("Open by 12/31/2031; close by 31/12/2031.") is None
    us = PlanDates(numeric_order="month_first")
    assert [(d.due, d.flags) for d in find_deadlines("Deadline: 03/04/2032", 2031, "en", plan_dates=us)] == [
        (date(2032, 3, 4), ())]
    assert [d.flags for d in find_deadlines("Deadline: 03/04/2032", 2031, "en")] == [(AMBIGUOUS_DAY_MONTH,)]
# --- English halves, point ranges, dashed financial years (heldout5 families) ------------------

def test_halves_written_number_first_and_ranges_of_quarters_end_with_their_last_part():
    assert _dues("Timeline: 2H 2027", language="en") == [("2H 2027", date(2027, 12, 31))]
    assert _dues("Hubs open by 1H 2028.", language="en") == [("by 1H 2028", date(2028, 6, 30))]
    assert _dues("Timeline: Q1–Q2 2027", language="en") == [("Q1–Q2 2027", date(2027, 6, 30))]
    assert _dues("Pilots run by Q3-Q4 2026.", language="en") == [("by Q3-Q4 2026", date(2026, 12, 31))]


def test_a_dashed_financial_year_ends_with_the_stated_or_default_year_end():
    from extract.timex import FiscalYear

    assert _dues("Timeline: FY2028-29", language="en") == [("FY2028-29", date(2029, 3, 31))]
    assert _dues("Timeline: 2027–28", language="en") == [("2027–28", date(2028, 3, 31))]
    june = FiscalYear(6, 30)
    assert _dues("Depots are rebuilt by the end of 2027-28.", language="en", fiscal=june) == [
        ("by the end of 2027-28", date(2028, 6, 30))]
    assert _dues("Timeline: FY2028-29", language="en", fiscal=june) == [("FY2028-29", date(2029, 6, 30))]
    # two full calendar years joined by a dash stay unread without a fiscal mark
    assert _dues("Spending rose in 2027-2028 overall.", language="en") == []


def test_a_winter_spanning_two_years_keeps_both_in_its_phrase():
    assert _dues("Timeline: winter 2027–28", language="en") == [("winter 2027–28", date(2028, 2, 29))]


def test_a_season_named_with_each_recurs_yearly():
    from extract.timex import find_recurrences

    assert [r.freq for r in find_recurrences("Host a coding camp for teenagers each summer.", "en")] == ["yearly"]


def test_a_month_after_each_in_a_timeline_is_a_repeating_slot_not_a_deadline():
    assert _dues("Timeline: yearly, each October", language="en") == []
    assert _dues("Timeline: by October 2026", language="en") == [("by October 2026", date(2026, 10, 31))]
