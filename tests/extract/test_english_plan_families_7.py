"""Families of English plan shapes met in the seventh held-out round (issue 9): federal milestone
plans kept in fiscal years, action tables with financial-year and term timeframes, owners written
as the subject of a sentence, and the issuer printed beside the title or in a page's <title>.
Plans of our own writing, fictional bodies and places."""
from __future__ import annotations

from datetime import date

from extract.model import ExtractedPlan
from extract.plan import extract_document
from extract.reading import read_document_bytes


def _plan(text: str, name: str = "plan.txt") -> ExtractedPlan:
    return extract_document(read_document_bytes(text.encode("utf-8"), name))


def _task(plan: ExtractedPlan, label: str):
    return next(t for t in plan.tasks if t.label == label)


def _dues(plan: ExtractedPlan) -> dict[str, list[date | None]]:
    return {t.label: [d.due for d in t.deadlines] for t in plan.tasks}


# A federal implementation plan: the name over two lines, fiscal years stated in the plural,
# "Milestone N.M" items under "Objective N" under a numbered part, a budget table flattened to lines.
MILESTONES = """Harbour Sensor Network Strategy
Implementation Plan, FY2031–FY2032
Department of Harbour Works

1. Purpose
This plan sets out milestones for fiscal years 2031 and 2032. Fiscal years run from 1 October to 30 September.
2. Milestones
Objective 1: Build the sensor backbone
Milestone 1.1: Install tide sensors on every public pier. Lead: Office of Harbour Data
Supporting: Port Engineering Division
Target date: Q3 FY31
Milestone 1.2: Publish the sensor data standard.
Lead: Office of Harbour Data
Target date: by the end of FY2032
Objective 2: Use the data
Milestone 2.1: Train berth planners to read the sensor dashboards.
Lead: Port Engineering Division
Target date: FY2032
Appendix A: Budget (thousands)
Objective FY2031 FY2032
Objective 1 1,200 900
Objective 2 300 450
"""


def test_milestones_under_objectives_are_the_tasks_and_their_objective_is_the_section():
    plan = _plan(MILESTONES)
    assert [(t.label, t.section) for t in plan.tasks] == [("1.1", "1"), ("1.2", "1"), ("2.1", "2")]
    assert _task(plan, "1.1").lead_units == ["Office of Harbour Data"]
    assert _task(plan, "1.1").cooperating_units == ["Port Engineering Division"]


def test_fiscal_years_stated_in_the_plural_date_fiscal_quarters_and_years():
    plan = _plan(MILESTONES)
    assert _dues(plan) == {"1.1": [date(2031, 6, 30)], "1.2": [date(2032, 9, 30)], "2.1": [date(2032, 9, 30)]}
    assert plan.document.period_end == date(2032, 9, 30)


def test_a_plan_name_continued_on_a_second_line_is_one_title():
    assert _plan(MILESTONES).document.title == "Harbour Sensor Network Strategy Implementation Plan, FY2031–FY2032"


# An action table as a Word file flattens it: one line per action and one for its fields.
ACTION_TABLE = """Wrenmoor Lakes Action Plan 2031–2034

Department of Lakes and Rivers, Government of Wrenmoor

Released: 1 May 2031

How to read the actions

Financial-year timeframes (for example 2031–32) run from 1 July to 30 June. Short term means within 12 months of release.

Actions

1.1 Map every lake larger than five hectares.
Lead: Department of Lakes and Rivers; Partners: universities; Deadline: 2031–32.
1.2 Run a citizen lake watch with annual monitoring events.
Lead: Wrenmoor Museum; Partners: Landcare Wrenmoor; Deadline: Short term (0–12 months).
1.3 Restore 400 hectares of lake shore.
Lead: Parks Wrenmoor; Partners: catchment authorities; Deadline: Medium term (1–3 years).
"""


def test_financial_year_timeframes_follow_a_hyphened_statement_of_the_year():
    assert _dues(_plan(ACTION_TABLE))["1.1"] == [date(2032, 6, 30)]


def test_a_term_printed_with_its_span_counts_from_the_plans_release():
    dues = _dues(_plan(ACTION_TABLE))
    assert dues["1.2"] == [date(2032, 5, 1)]
    assert dues["1.3"] == [date(2034, 5, 1)]


def test_annual_events_recur_yearly():
    assert [r.freq for r in _task(_plan(ACTION_TABLE), "1.2").recurrences] == ["yearly"]


def test_a_body_then_its_government_on_the_byline_is_issued_by_the_body():
    assert _plan(ACTION_TABLE).document.issuer == "Department of Lakes and Rivers"


# Owners as sentence subjects, with their partners written round the verb.
SUBJECTS = """Fellmoor Cycling Safety Plan 2031-2033

Published by the Office of the Minister for Transport
Adopted by Cabinet on 3 March 2031

Actions

1. Protect cyclists in town centres. Working with local councils, the Department of Roads will build 20 protected crossings by 30 June 2032.

2. Review the cycling test. The Licensing Authority will, in consultation with the Road Safety Commission, introduce a new test before 1 July 2032.

3. Audit school routes. Local councils will audit every school route by the end of the 2031 school year (17 December 2031).

4. Speed cameras. The Department of Roads and the Fellmoor Police Service will jointly add cameras to four corridors by the end of 2032. The Police Service will publish camera data every quarter.
"""


def test_partners_working_with_the_subject_cooperate_in_any_case():
    task = _task(_plan(SUBJECTS), "1")
    assert (task.responsible_units, task.cooperating_units) == (["Department of Roads"], ["local councils"])


def test_an_aside_right_after_the_modal_leaves_the_subject_the_owner():
    task = _task(_plan(SUBJECTS), "2")
    assert (task.responsible_units, task.cooperating_units) == (["Licensing Authority"], ["Road Safety Commission"])


def test_a_periods_day_printed_in_brackets_dates_it():
    task = _task(_plan(SUBJECTS), "3")
    assert [d.due for d in task.deadlines] == [date(2031, 12, 17)]
    assert task.responsible_units == ["Local councils"]


def test_a_body_named_again_by_its_short_name_is_one_owner():
    assert _task(_plan(SUBJECTS), "4").responsible_units == ["Department of Roads", "Fellmoor Police Service"]


# A Markdown strategy: the partnership under the title, its board endorsing; "Responsibility:" lines.
STRATEGY = """# Wrenfold Digital Skills Strategy 2031–2033

*Wrenfold Valley Partnership*
*Endorsed by the Partnership Board on 3 May 2031*

## 1. Recommendations

**Recommendation 1.** Open a digital help desk in every library.

- **Responsibility:** Libraries Wrenfold (lead), working with the Valley Volunteer Centre
- **Timing:** Pilot within six months of endorsement
"""


def test_the_body_under_the_title_issues_what_its_board_endorsed():
    assert _plan(STRATEGY, "strategy.md").document.issuer == "Wrenfold Valley Partnership"


def test_working_with_in_a_responsibility_line_cooperates():
    task = _plan(STRATEGY, "strategy.md").tasks[0]
    assert (task.lead_units, task.cooperating_units) == (["Libraries Wrenfold"], ["Valley Volunteer Centre"])


def test_a_duration_from_endorsement_counts_from_the_day_the_board_endorsed_it():
    assert [d.due for d in _plan(STRATEGY, "strategy.md").tasks[0].deadlines] == [date(2031, 11, 3)]


PAGE = """<!DOCTYPE html><html lang="en-GB"><head><title>Heat Action Plan 2031 to 2033 | Wrenfold Borough Council</title></head>
<body><main><h1>Heat Action Plan 2031 to 2033</h1>
<p>Approved by Cabinet: 4 March 2031</p>
<h2>Priority 1: Cool spaces</h2>
<dl><dt>C1. Open cool rooms in libraries</dt><dd>Open twelve cool rooms during heat alerts.</dd>
<dd>Lead: Libraries Service</dd><dd>Target: by 30 June 2031</dd></dl>
</main></body></html>"""


def test_a_page_naming_only_the_organ_that_approved_it_is_issued_by_the_site_its_title_names():
    assert _plan(PAGE, "plan.html").document.issuer == "Wrenfold Borough Council"


YEAR_OF_COMMITMENT = """Fellmoor Cycling Safety Plan 2031-2033

Adopted by Cabinet on 3 March 2031

Actions

1. Evaluate the plan. The Department of the Premier will commission an independent evaluation in 2033, ahead of the next plan.

2. Keep the counts. The cycle counts began in 2029 and will go on each year.

3. Keep the counters. In 2029 the council installed twelve counters, which it will keep running.
"""


def test_the_year_a_commitment_is_to_be_done_in_is_its_deadline_where_the_task_gives_no_other():
    plan = _plan(YEAR_OF_COMMITMENT)
    assert _dues(plan) == {"1": [date(2033, 12, 31)], "2": [], "3": []}
    assert _task(plan, "1").responsible_units == ["Department of the Premier"]


FIELDS_ONLY = """Fellmoor Library Plan 2031

Actions

1. Open a maker space in the central library.
Lead: Libraries Service
Partners: Fellmoor College
Due: 30 June 2031
"""


def test_an_item_whose_body_is_only_labelled_lines_is_found_again_by_its_own_text():
    assert _plan(FIELDS_ONLY).tasks[0].text_start.startswith("Open a maker space")
