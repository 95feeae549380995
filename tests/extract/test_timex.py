from datetime import date

from extract.timex import clause_quote, find_deadlines, find_recurrences


def _dues(text: str, plan_year: int | None = 2024, language: str = "zh") -> list[tuple[str, date]]:
    return [(d.phrase, d.due) for d in find_deadlines(text, plan_year, language)]


def test_year_end_phrase_resolves_to_december_31():
    assert _dues("2019年年底前，完成全部清理工作。") == [("2019年年底前", date(2019, 12, 31))]


def test_short_year_end_phrase_resolves_to_december_31():
    assert _dues("2026年底前建成统一平台。") == [("2026年底前", date(2026, 12, 31))]


def test_hedge_is_kept_in_the_phrase():
    assert _dues("力争2027年年底前实现全覆盖。") == [("力争2027年年底前", date(2027, 12, 31))]


def test_year_before_means_end_of_that_year():
    assert _dues("2030年前实现督察全覆盖。") == [("2030年前", date(2030, 12, 31))]


def test_within_the_year_uses_the_plans_year():
    assert _dues("推进公开，年内实现统一查询。", plan_year=2022) == [("年内", date(2022, 12, 31))]


def test_first_half_and_first_quarter_use_the_plans_year():
    assert _dues("上半年完成改造，第一季度报送方案。", plan_year=2025) == [
        ("上半年", date(2025, 6, 30)), ("第一季度", date(2025, 3, 31))]


def test_month_end_phrase_resolves_to_last_day_of_month():
    assert _dues("2024年2月底前报送清单。") == [("2024年2月底前", date(2024, 2, 29))]


def test_month_without_year_uses_the_plans_year():
    assert _dues("6月底前完成。", plan_year=2021) == [("6月底前", date(2021, 6, 30))]


def test_year_that_opens_a_clause_is_a_target():
    # (a year before the plan's own names past work: see test_timex_families)
    assert _dues("深化改革，2018年实现“一网通办”。", plan_year=2017) == [("2018年", date(2018, 12, 31))]


def test_plan_name_period_is_not_a_deadline():
    assert _dues("对照《法治政府建设实施纲要（2021—2025年）》要求推进。") == []


def test_year_inside_a_plan_name_is_not_a_deadline():
    assert _dues("落实市人大常委会2024年立法工作计划。") == []


def test_since_year_is_not_a_deadline():
    assert _dues("开展2019年以来规范性文件清理。") == []


def test_durations_and_timely_are_not_deadlines():
    assert _dues("三年内完成，及时报告，按时公开。") == []


def test_relative_phrase_without_plan_year_is_skipped():
    assert _dues("年内完成。", plan_year=None) == []


def test_english_by_end_of_year():
    assert _dues("Publish the register by end of 2025.", language="en") == [("by end of 2025", date(2025, 12, 31))]


def test_english_absolute_date():
    assert _dues("Adopt the code by 30 June 2025.", language="en") == [("by 30 June 2025", date(2025, 6, 30))]


def test_english_quarter_end():
    assert _dues("Install gauges by the end of Q3 2024.", language="en") == [("by the end of Q3 2024", date(2024, 9, 30))]


def test_english_within_the_year_uses_the_plans_year():
    assert _dues("Open five centres within the year.", plan_year=2027, language="en") == [("within the year", date(2027, 12, 31))]


def test_quote_is_the_clause_the_phrase_governs():
    text = "建立台账，2019年年底前，完成对全部中介服务的清理，逐步公开。"
    start = text.index("2019")
    assert clause_quote(text, start, start + len("2019年年底前")) == "2019年年底前，完成对全部中介服务的清理"


def test_recurrences_map_to_frequencies():
    text = "每年组织培训，每季度通报进展，定期开展演练，严格执行年度报告制度，负责人任期内至少培训一次。"
    assert [(r.phrase, r.freq) for r in find_recurrences(text)] == [
        ("每年", "yearly"), ("每季度", "quarterly"), ("定期", "periodic"), ("年度报告", "yearly"), ("任期内至少", "term")]


def test_irregular_checks_and_quarter_deadlines_are_not_recurrences():
    assert find_recurrences("不定期开展抽查，三季度完成。") == []


def test_english_recurrences():
    found = find_recurrences("Report quarterly to the board and review the plan every year.", "en")
    assert [(r.phrase, r.freq) for r in found] == [("quarterly", "quarterly"), ("every year", "yearly")]


def test_completion_label_value_is_the_deadline():
    assert _dues("开展清理。\n完成时限：2027年6月底前") == [("2027年6月底前", date(2027, 6, 30))]


def test_month_alone_after_a_completion_label_is_the_end_of_that_month():
    assert _dues("完成时限：2027年9月") == [("2027年9月", date(2027, 9, 30))]


def test_ongoing_completion_values_give_no_deadline():
    assert _dues("完成时限：长期坚持") == []
    assert _dues("完成时限：持续推进") == []


def test_english_deadline_label_value_needs_no_by():
    assert _dues("Deadline: 31 March 2027", 2027, "en") == [("31 March 2027", date(2027, 3, 31))]


def test_english_quarter_and_mid_year_targets():
    assert _dues("Finish the audit by Q2 2026.", 2026, "en") == [("by Q2 2026", date(2026, 6, 30))]
    assert _dues("Open the hub by mid-2026.", 2026, "en") == [("by mid-2026", date(2026, 6, 30))]


def test_english_end_of_month_and_no_later_than_targets():
    assert _dues("Adopt the code by the end of March 2026.", 2026, "en") == [
        ("by the end of March 2026", date(2026, 3, 31))]
    assert _dues("Submit it no later than 31 March 2026.", 2026, "en") == [
        ("no later than 31 March 2026", date(2026, 3, 31))]


def test_english_recurrence_words_give_frequencies():
    text = "Review the register annually, report each quarter and publish figures monthly."
    assert [(r.phrase, r.freq) for r in find_recurrences(text, "en")] == [
        ("annually", "yearly"), ("each quarter", "quarterly"), ("monthly", "monthly")]


def test_english_end_dash_month_target():
    assert _dues("Replace the buses by end-June 2027.", 2027, "en") == [("by end-June 2027", date(2027, 6, 30))]


def test_date_describing_what_was_built_is_no_deadline():
    text = "以2005年底前竣工的农贸市场为重点，2026年底前完成提升改造。"
    assert _dues(text, plan_year=2026) == [("2026年底前", date(2026, 12, 31))]


def test_date_describing_earlier_policies_is_no_deadline():
    assert _dues("全面清理2018年以前印发的规范性文件。") == []


def test_date_whose_object_carries_de_is_still_a_deadline():
    assert _dues("2025年底前完成平台的对接。") == [("2025年底前", date(2025, 12, 31))]


def test_month_after_every_year_is_a_yearly_duty_not_a_deadline():
    text = "每年于4月底前报送上年度统计报表。"
    assert _dues(text) == []
    assert [r.freq for r in find_recurrences(text)] == ["yearly"]


def test_deadline_label_restating_the_texts_date_and_frequency_is_listed_once():
    text = "每年组织一次应急演练，2025年底前修订预案。\n完成时限：每年10月底前，2025年12月底前。"
    assert _dues(text) == [("2025年底前", date(2025, 12, 31))]
    assert [(r.phrase, r.freq) for r in find_recurrences(text)] == [("每年", "yearly")]


def test_two_yearly_duties_in_the_text_both_stay():
    text = "纳入年度绩效考核，每年发布评估报告。"
    assert [(r.phrase, r.freq) for r in find_recurrences(text)] == [("年度绩效考核", "yearly"), ("每年", "yearly")]


def test_english_end_of_month_without_year_uses_the_plans_year():
    assert _dues("Every school registers its boilers by the end of March.", 2026, "en") == [
        ("by the end of March", date(2026, 3, 31))]
    assert _dues("Submit the audit before 15 October.", 2026, "en") == [("before 15 October", date(2026, 10, 15))]


def test_english_month_slot_of_a_yearly_duty_is_no_deadline():
    text = "The board publishes its accounts by 30 September each year."
    assert _dues(text, 2026, "en") == []
    assert [r.freq for r in find_recurrences(text, "en")] == ["yearly"]


def test_english_once_a_quarter_and_annual_assessment_recur():
    text = "Inspectors visit each depot once a quarter, and results feed the annual performance assessment."
    assert [r.freq for r in find_recurrences(text, "en")] == ["quarterly", "yearly"]


def test_every_two_months_and_fortnightly_are_periodic():
    assert [r.freq for r in find_recurrences("每双月召开一次联席会议，每两个月通报进度，实行双周调度。")] == [
        "periodic", "periodic", "periodic"]
    text = "The panel meets bi-monthly; the forum meets bimonthly; officers report every two months."
    assert [r.freq for r in find_recurrences(text, "en")] == ["periodic", "periodic", "periodic"]


def test_english_yearly_and_half_yearly_phrasings_recur():
    text = "Fees are reviewed each fiscal year; the board meets every six months and tours sites at least once a year."
    assert [r.freq for r in find_recurrences(text, "en")] == ["yearly", "semiannual", "yearly"]
    assert [r.freq for r in find_recurrences("Officers publish a monthly bulletin.", "en")] == ["monthly"]


def test_ongoing_is_neither_deadline_nor_recurrence():
    text = "Keep the register up to date. Target date: Ongoing"
    assert _dues(text, 2026, "en") == []
    assert find_recurrences(text, "en") == []


def test_us_dates_after_labels_and_by_are_deadlines():
    assert _dues("Open the depot by March 31, 2026.", 2025, "en") == [("by March 31, 2026", date(2026, 3, 31))]
    assert [d for _, d in _dues("Open the depot. *Target date:* June 30, 2026", 2025, "en")] == [date(2026, 6, 30)]


def test_seasons_are_due_when_the_season_ends():
    assert [d for _, d in _dues("Milestone: Spring 2026", 2025, "en")] == [date(2026, 5, 31)]
    assert _dues("Open the kiosk by Summer 2025.", 2025, "en") == [("by Summer 2025", date(2025, 8, 31))]
    assert [d for _, d in _dues("Milestone: First report published Autumn 2025", 2025, "en")] == [date(2025, 11, 30)]
    assert _dues("Finish by Fall 2025.", 2025, "en") == [("by Fall 2025", date(2025, 11, 30))]
    assert _dues("Finish by Winter 2025.", 2025, "en") == [("by Winter 2025", date(2026, 2, 28))]


def test_a_season_or_month_that_work_starts_in_is_no_deadline():
    assert _dues("Collect garden waste from Autumn 2025.", 2025, "en") == []
    assert _dues("Starting in June 2026, the kiosk opens daily.", 2025, "en") == []
    assert _dues("Milestone: Rounds run from Spring 2026", 2025, "en") == []
    assert _dues("Two workshops were held in the spring of 2025.", 2025, "en") == []


def test_end_of_a_split_year_is_31_march_of_its_second_year():
    assert _dues("Clear the backlog by the end of 2025/26.", 2025, "en") == [
        ("by the end of 2025/26", date(2026, 3, 31))]
    assert _dues("Clear the backlog by the end of 2025/27.", 2025, "en") == []


def test_fiscal_quarters_are_not_read_as_calendar_quarters():
    assert _dues("Go live in Q2 FY2026.", 2025, "en") == []
    assert _dues("Finish by the end of FY2026.", 2025, "en") == []
    assert _dues("Go live in Q2 2026.", 2025, "en") == [("in Q2 2026", date(2026, 6, 30))]


def test_a_date_inside_a_milestones_words_is_its_deadline():
    assert [d for _, d in _dues("Milestone: Kiosk opens Autumn 2025", 2025, "en")] == [date(2025, 11, 30)]
    assert [d for _, d in _dues("Deadline: 2026", 2025, "en")] == [date(2026, 12, 31)]


def test_chinese_numeral_year_and_month_read_like_digits():
    assert _dues("县政府二〇二三年八月底前完成台账清理。", plan_year=2023) == [
        ("二〇二三年八月底前", date(2023, 8, 31))]


def test_chinese_numeral_month_alone_is_of_the_plans_year():
    assert _dues("一是开展排查，十一月底前形成报告；二是建立机制。", plan_year=2023) == [
        ("十一月底前", date(2023, 11, 30))]


def test_chinese_numeral_day_before_a_month_ending_word():
    assert _dues("于二〇二三年五月二十日前报送。", plan_year=2023) == [("二〇二三年五月二十日前", date(2023, 5, 20))]


def test_chinese_numerals_without_a_deadline_word_are_no_deadline():
    assert _dues("一是加强领导，二是三项制度落实到位。二〇二三年四月九日", plan_year=2023) == []


def test_chinese_numeral_month_after_each_year_is_a_recurring_slot():
    assert _dues("每年二月底前报送上年度总结。", plan_year=2023) == []


def test_end_and_a_year_in_a_timeline_cell_is_that_years_last_day():
    assert _dues("Timeline: End 2027", language="en") == [("End 2027", date(2027, 12, 31))]
    assert _dues("Timeline: end-2027", language="en") == [("end-2027", date(2027, 12, 31))]


def test_by_end_and_a_year_without_of_is_that_years_last_day():
    assert _dues("The register will be live by end 2027.", language="en") == [("by end 2027", date(2027, 12, 31))]


def _fiscal_dues(text: str, plan_year: int = 2025) -> list[tuple[str, date]]:
    from extract.timex import FiscalYear
    return [(d.phrase, d.due) for d in find_deadlines(text, plan_year, "en", FiscalYear(6, 30))]


def test_split_year_follows_the_plans_stated_financial_year():
    assert _fiscal_dues("Timeframe: Short term (2025–26)") == [("2025–26", date(2026, 6, 30))]
    assert _fiscal_dues("Finish the survey by 2026-27.") == [("by 2026-27", date(2027, 6, 30))]


def test_split_year_without_a_stated_financial_year_ends_on_31_march():
    assert _dues("Finish the survey by the end of 2025/26.", language="en") == [
        ("by the end of 2025/26", date(2026, 3, 31))]


def test_fiscal_year_and_its_quarters_in_a_fiscal_year_plan():
    assert _fiscal_dues("Open the depot in Q2 FY2027.") == [("in Q2 FY2027", date(2026, 12, 31))]
    assert _fiscal_dues("Target date: End of FY2026") == [("End of FY2026", date(2026, 6, 30))]
    assert _fiscal_dues("Cut waiting times by Q3.", plan_year=2026) == [("by Q3", date(2026, 3, 31))]


def test_fiscal_year_span_without_a_lead_word_is_no_deadline():
    assert _fiscal_dues("Submit the FY2027–FY2031 programme with the budget.") == []


def test_each_school_year_recurs_yearly():
    assert [r.freq for r in find_recurrences("Run the safety lesson each school year.", "en")] == ["yearly"]
