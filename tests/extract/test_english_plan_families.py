"""Shapes of English government plans, each a family the extractor reads however it arrives
(issue 9, the sixth held-out round): plans of our own writing, fictional bodies and places."""
from __future__ import annotations

from datetime import date

from extract.document import ListItem, Paragraph, prose_paragraphs_of
from extract.model import ExtractedPlan
from extract.plan import extract_document
from extract.reading import read_document_bytes


def _plan(text: str, name: str = "plan.txt") -> ExtractedPlan:
    return extract_document(read_document_bytes(text.encode("utf-8"), name))


def _task(plan: ExtractedPlan, label: str):
    return next(t for t in plan.tasks if t.label == label)


# A bureau's agenda printed as a hard-wrapped text file: a dot-leader contents list, numbered
# background paragraphs, lettered groups "(A)" between a part and its numbered initiatives, and
# the owner only ever the subject of the sentence that carries the date.
WRAPPED_AGENDA = """Harbour Data Office

Open Harbour Data Agenda 2028

2 February 2028

CONTENTS

1.  Purpose ............................................................ 1
2.  Initiatives for 2028 ............................................... 2
    (A) Releasing data ................................................. 2
    (B) Using data well ................................................ 3
3.  Monitoring ......................................................... 4

1.  PURPOSE

1.1  This Agenda lists the initiatives that bureaux and departments will take forward in
2028 to release more harbour data and to use it better in daily operations and planning.

2.  INITIATIVES FOR 2028

(A) Releasing data

2.1  Berth occupancy feed
     The Marine Department will publish a live berth occupancy feed for every public pier
     before the end of June 2028, and will review its accuracy each quarter.

2.2  Tide gauge archive
     The Hydrographic Office will digitise the paper tide gauge records held for the Fellowship
     Piers in Q3 2028 and release them under an open licence.

(B) Using data well

2.3  Data stewards
     The Port Works Department will name a data steward for each of its divisions by
     30 September 2028.

3.  MONITORING

3.1  The Office will report progress on this Agenda to the Harbour Board every year, and the
Agenda will be reviewed as necessary.
"""


def test_contents_entries_with_dot_leaders_are_no_items():
    plan = _plan(WRAPPED_AGENDA)
    assert not any("....." in t.title for t in plan.tasks)


def test_lettered_groups_hold_the_numbered_initiatives_under_a_part():
    plan = _plan(WRAPPED_AGENDA)
    assert [t.label for t in plan.tasks] == ["2.1", "2.2", "2.3"]
    assert _task(plan, "2.1").title == "Berth occupancy feed"


def test_hard_wrapped_prose_is_one_paragraph_whatever_case_the_next_line_opens_with():
    blocks = prose_paragraphs_of(
        "The Hydrographic Office will digitise the paper tide gauge records held for the Fellowship\n"
        "Piers in Q3 2028 and release them under an open licence.\n"
        "\n"
        "Indicator                      Baseline      Target\n"
        "Datasets released on the portal of the Harbour Data Office   40   90\n")
    assert blocks[0] == Paragraph("The Hydrographic Office will digitise the paper tide gauge records held for "
                                  "the Fellowship Piers in Q3 2028 and release them under an open licence.")
    assert len(blocks) == 5  # the aligned table's rows stay apart (and the last line's break)
    plan = _plan(WRAPPED_AGENDA)
    assert _task(plan, "2.2").responsible_units == ["Hydrographic Office"]
    assert [d.due for d in _task(plan, "2.3").deadlines] == [date(2028, 9, 30)]


def test_a_table_printed_one_cell_per_line_wraps_nothing():
    text = ("Action\nLead\nPartners\nTimeframe\n"
            "Map the coastal hazards of all fourteen beaches of the Shire using the newest projections.\n"
            "Strategic Planning\n"
            "Coastal Catchment Authority, Department of Environment and Water\n"
            "December 2026\n")
    assert [b.text for b in prose_paragraphs_of(text) if isinstance(b, Paragraph)] == text.strip().split("\n")


def _narrow_pdf() -> bytes:
    """A city plan of our own set by reportlab in a narrow frame: a centred title over two lines,
    paragraphs with space between them, run-in notes wrapped wherever the line runs out."""
    import io

    from reportlab.lib.pagesizes import letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as Para, SimpleDocTemplate

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceBefore=6)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=18, leading=22, alignment=1)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=letter, leftMargin=78, rightMargin=190)
    doc.build([
        Para("Storm Drain Renewal Implementation Plan", title),
        Para("City of Fern Hollow Public Works Department", body),
        Para("Action 1.1 Survey the storm drains", body),
        Para("Crews will inspect every storm drain in the older districts and record its state on the map.", body),
        Para("Accountable: Drainage Operations Division. Contributing: Geographic Information Systems "
             "Office; Fern Hollow Housing Authority. Target: June 30, 2027.", body),
    ])
    return buffer.getvalue()


def test_pdf_paragraphs_end_where_space_opens_and_wrapped_names_rejoin_with_their_space():
    text = read_document_bytes(_narrow_pdf(), "plan.pdf").text
    lines = text.split("\n")
    assert "Storm Drain Renewal Implementation Plan" in lines  # a centred title wrapped over two lines
    assert "Crews will inspect every storm drain in the older districts and record its state on the map." in lines
    assert any(line.startswith("Accountable: Drainage Operations Division. Contributing: Geographic Information "
                               "Systems Office; Fern Hollow Housing Authority.") for line in lines)


def test_accountable_leads_and_contributing_units_cooperate():
    plan = _plan(read_document_bytes(_narrow_pdf(), "plan.pdf").text)
    task = _task(plan, "1.1")
    assert task.lead_units == ["Drainage Operations Division"]
    assert task.cooperating_units == ["Geographic Information Systems Office", "Fern Hollow Housing Authority"]


# A web page's council plan: its preamble sits under a numbered "1. Introduction" (a heading the
# page prints as a plain numbered line), stating July–June financial years; a lead cell "Joint: X and
# Y"; a milestone counted from the signing printed at the foot.
COUNCIL_PAGE = """<html><body>
<h1>Stormwater Action Plan 2025–2027</h1>
<p>Tarn Valley District Council</p>
<h2>1. Introduction</h2>
<p>This plan covers the 2025/26 and 2026/27 financial years (1 July 2025 to 30 June 2027). Financial
years in this plan run from 1 July to 30 June.</p>
<h2>2. Actions</h2>
<p>A1 Review the stormwater bylaw.</p>
<p>Lead: Joint: Tarn Valley District Council and Kereru Regional Council; Deadline: 2025/26.</p>
<p>A2 Sign the maintenance contract.</p>
<p>Lead: Infrastructure Team; Deadline: Within 30 days of the signing of this plan.</p>
<p>Signed on 2 September 2025</p>
</body></html>"""


def test_a_preamble_under_a_numbered_introduction_states_the_financial_year():
    plan = _plan(COUNCIL_PAGE, "plan.html")
    assert plan.document.period_end == date(2027, 6, 30)
    assert [d.due for d in _task(plan, "A1").deadlines] == [date(2026, 6, 30)]


def test_joint_before_a_lead_list_is_no_part_of_a_name():
    plan = _plan(COUNCIL_PAGE, "plan.html")
    assert _task(plan, "A1").lead_units == ["Tarn Valley District Council", "Kereru Regional Council"]


def test_an_event_a_task_counts_from_may_be_dated_anywhere_in_the_plan():
    plan = _plan(COUNCIL_PAGE, "plan.html")
    assert [d.due for d in _task(plan, "A2").deadlines] == [date(2025, 10, 2)]


def test_a_pdf_line_near_the_edge_ends_its_paragraph_where_space_opens_below_it():
    from extract.pdf_reader import _Line, _paragraph_lines

    page = [_Line("Field crews will confirm the material of every service connection on the", 78, 405, 452, 442),
            _Line("public and the customer side of the meter.", 78, 376, 440, 430),
            # 18 points below, not 12: a new paragraph, though "Accountable:" would not have fitted
            _Line("Accountable: Asset Management Division. Contributing: Geographic", 78, 379, 422, 412),
            _Line("Information Systems Office. Target: June 30, 2023.", 78, 310, 410, 400)]
    assert _paragraph_lines([page]) == [
        "Field crews will confirm the material of every service connection on the public and the customer side "
        "of the meter.",
        "Accountable: Asset Management Division. Contributing: Geographic Information Systems Office. "
        "Target: June 30, 2023."]


# A US city's plan on the federal fiscal year (October–September), its title naming no year: the
# span comes from the fiscal years the preamble says it covers; "FFY" labels its years.
FEDERAL_FISCAL_PLAN = """Storm Drain Renewal Implementation Plan

City of Fern Hollow Public Works Department

Its milestones use the federal fiscal year (FFY), which runs from October 1 to September 30. The plan covers FFY2026 and FFY2027.

Action 1.1 Survey the storm drains
Crews will inspect every storm drain in the older districts.
Accountable: Drainage Operations Division. Target: End of Q2 FFY2026.

Action 1.2 Reline the trunk sewers
Reline 12 miles of trunk sewer by the end of FFY2027.
Accountable: Capital Projects Division. Target: Q1 FFY2027.
"""


def test_federal_fiscal_years_and_quarters_read_by_the_stated_year():
    plan = _plan(FEDERAL_FISCAL_PLAN)
    assert [d.due for d in _task(plan, "1.1").deadlines] == [date(2026, 3, 31)]
    assert sorted(d.due for d in _task(plan, "1.2").deadlines) == [date(2026, 12, 31), date(2027, 9, 30)]


def test_a_plan_covering_fiscal_years_ends_with_the_last_of_them():
    assert _plan(FEDERAL_FISCAL_PLAN).document.period_end == date(2027, 9, 30)


def test_a_span_of_years_in_the_title_ends_with_the_stated_financial_year():
    text = ("# Community Transport Delivery Plan 2026 to 2027\n\n"
            "Dates refer to the financial year, which runs from 1 April to 31 March.\n\n"
            "#### Action 01: Fund rural minibuses\n\n- **Owner:** Transport Unit\n- **Due:** Q2 2026/27\n")
    assert _plan(text, "plan.md").document.period_end == date(2027, 3, 31)
    # a day the preamble prints past the financial year's end says the plan runs on to it
    later = text.replace("31 March.", "31 March. The plan runs until 31 December 2027.")
    assert _plan(later, "plan.md").document.period_end == date(2027, 12, 31)


def test_a_contents_list_is_no_part_of_the_plan_however_it_is_printed():
    text = ("# Community Transport Delivery Plan 2026 to 2027\n\n## Contents\n\n1. Foreword\n2. How this plan works\n"
            "3. Strand 1: Rural routes\n\n## Foreword\n\nThis plan was agreed by the Transport Board.\n\n"
            "## How this plan works\n\nDates refer to the financial year, which runs from 1 April to 31 March.\n\n"
            "## Strand 1: Rural routes\n\n#### Action 01: Fund rural minibuses\n\n- **Owner:** Transport Unit\n"
            "- **Due:** Q2 2026/27\n")
    document = read_document_bytes(text.encode(), "plan.md")
    assert [b.text for b in document.blocks if isinstance(b, ListItem)] == ["**Owner:** Transport Unit", "**Due:** Q2 2026/27"]
    plan = _plan(text, "plan.md")
    assert [t.label for t in plan.tasks] == ["1"]
    assert [d.due for d in plan.tasks[0].deadlines] == [date(2026, 9, 30)]


# A department's delivery plan: one action with no fields, owned by the subject of its sentence
# (mixed-case acronyms, "DfT and MoJ"); one whose partner's name holds commas.
DELIVERY_PLAN = """# Road Safety Delivery Plan 2026 to 2027

####Action 01: Joint review of speed cameras

DfT and MoJ will jointly commission a review of speed camera placement and publish it by 31 October 2026.

####Action 02: Safer school streets

- **Owner:** DfT
- **Supported by:** Ministry of Housing, Communities and Local Government, local authorities
- **Due:** 31/03/2027
"""


def test_mixed_case_acronyms_are_owners_as_subjects():
    plan = _plan(DELIVERY_PLAN, "plan.md")
    assert _task(plan, "1").responsible_units == ["DfT", "MoJ"]


def test_a_ministry_named_in_a_series_with_commas_is_one_unit():
    plan = _plan(DELIVERY_PLAN, "plan.md")
    assert _task(plan, "2").cooperating_units == ["Ministry of Housing, Communities and Local Government",
                                                   "local authorities"]


def test_owners_written_as_subjects_keep_their_acronym_heads_and_partners():
    plan = _plan(WRAPPED_AGENDA.replace("The Marine Department will publish",
                                        "The Office of the Harbour Data Officer (OHDO) will publish"))
    assert _task(plan, "2.1").responsible_units == ["Office of the Harbour Data Officer (OHDO)"]
    plan = _plan(WRAPPED_AGENDA.replace("The Hydrographic Office will digitise", "The Hydrographic College will digitise"))
    assert _task(plan, "2.2").responsible_units == ["Hydrographic College"]
    plan = _plan(WRAPPED_AGENDA.replace(
        "The Port Works Department will name a data steward for each of its divisions by",
        "The Chief Harbour Officer will name a data steward for each division, in consultation with the Civil "
        "Service Bureau, by"))
    task = _task(plan, "2.3")
    assert (task.responsible_units, task.cooperating_units) == (["Chief Harbour Officer"], ["Civil Service Bureau"])


def test_the_subject_of_a_recurring_duty_owns_it():
    plan = _plan(WRAPPED_AGENDA.replace(
        "     The Port Works Department will name a data steward for each of its divisions by\n     30 September 2028.",
        "     The Port Works Department will audit the data of two divisions each year, in collaboration with\n"
        "     the Efficiency Office."))
    task = _task(plan, "2.3")
    assert (task.responsible_units, task.cooperating_units) == (["Port Works Department"], ["Efficiency Office"])


def test_a_start_however_many_tokens_it_runs_over_is_no_deadline():
    from extract.timex import FiscalYear, find_deadlines

    assert find_deadlines("Deadline: Each quarter, from Q1 2026–27", 2026, "en", FiscalYear(6, 30)) == []


def test_a_yearly_slot_after_a_label_is_no_deadline():
    from extract.timex import find_deadlines

    assert find_deadlines("Target: Each year by December 31.", 2026, "en") == []


def test_a_labelled_span_of_years_is_due_when_its_last_year_ends():
    from extract.timex import find_deadlines

    assert [d.due for d in find_deadlines("**Timeline:** 2027–2028", 2027, "en")] == [date(2028, 12, 31)]


def test_a_letterhead_of_a_government_and_its_bureau_names_the_bureau():
    plan = _plan("Government of the Harbour Territory\n" + WRAPPED_AGENDA.replace(
        "Harbour Data Office\n", "Harbour Data Office\n\nRef.: HDO/DG/01/2028\n", 1))
    assert plan.document.issuer == "Harbour Data Office"
    assert plan.document.title == "Open Harbour Data Agenda 2028"


def test_a_signature_line_at_the_foot_dates_the_plan():
    page = COUNCIL_PAGE.replace("</h1>", "</h1>" + "<p>Background paragraph.</p>" * 45)
    assert _plan(page, "plan.html").document.issued_on == date(2025, 9, 2)
    pdf_head = "Storm Drain Plan 2026\nCity of Fern Hollow Public Works Department\nSigned: March 3, 2026 – A. Byrne, Director\n"
    assert _plan(pdf_head + "Action 1.1 Survey the drains\nAccountable: Drainage Division. Target: June 30, 2026.\n"
                 ).document.issued_on == date(2026, 3, 3)


# An agency's work programme: its name, then the plan's, as two top headings; a byline with the
# document's code and the act that adopted it, its date at the end.
WORK_PROGRAMME = """# Southern Reef Monitoring Agency

# Work Programme 2027–2028

Document SRMA/WP/2027-02 · Adopted by the Board of Parties at its Ninth Session, Port Ellis, 4 December 2026

## 1.1 Reef survey

Survey every reef in the region.

**Lead:** Secretariat (Survey Unit)  
**Timeline:** by end of 2027
"""


def test_an_agency_named_above_its_work_programme_issues_it_and_its_byline_dates_and_numbers_it():
    document = _plan(WORK_PROGRAMME, "plan.md").document
    assert (document.issuer, document.doc_number, document.issued_on) == (
        "Southern Reef Monitoring Agency", "SRMA/WP/2027-02", date(2026, 12, 4))


def test_raci_labels_read_as_roles():
    plan = _plan("Storm Drain Plan 2026\n\nAction 1.1 Survey the drains\n"
                 "Accountable: Public Works Department. Responsible: Drainage Division. Consulted: Parks Office. "
                 "Target: June 30, 2026.\n")
    task = _task(plan, "1.1")
    assert (task.lead_units, task.responsible_units, task.cooperating_units) == (
        ["Public Works Department"], ["Drainage Division"], ["Parks Office"])


def test_plural_governments_own_and_technical_support_cooperates():
    plan = _plan(WRAPPED_AGENDA.replace(
        "The Port Works Department will name a data steward for each of its divisions by",
        "County Governments will name a data steward for each division, with technical support from the "
        "Harbour Data Office, by"))
    task = _task(plan, "2.3")
    assert (task.responsible_units, task.cooperating_units) == (["County Governments"], ["Harbour Data Office"])


def test_an_implementation_matrix_names_its_institutions_by_role():
    text = ("NATIONAL YOUTH EMPLOYMENT ACTION PLAN 2025-2027\n\n"
            "| S/N | Activity | Responsible Institution | Collaborating Institutions | Timeline |\n"
            "|-----|----------|-------------------------|----------------------------|----------|\n"
            "| 1 | Establish a youth jobs portal | National Youth Authority | Ministry of Communications, "
            "Data Protection Commission | Q4 2025 |\n")
    task = _task(_plan(text), "1")
    assert (task.responsible_units, task.cooperating_units) == (
        ["National Youth Authority"], ["Ministry of Communications", "Data Protection Commission"])


def test_a_pdf_heading_set_larger_than_the_body_rejoins_its_wrapped_line():
    from extract.pdf_reader import _Line, _paragraph_lines

    page = [_Line("Action 2.1 Replace the lead service lines in the older", 78, 416, 500, 486),
            _Line("neighbourhoods", 78, 190, 483, 469),  # 17 points below: the heading's own leading
            _Line("Crews will replace 3,000 lines by the end of FFY2023, and a further 4,000 by", 78, 414, 460, 450),
            _Line("the end of FFY2024, always replacing the public and the private side of a", 78, 410, 448, 438),
            _Line("line together, so that no household is left with a part of its old line in", 78, 412, 436, 426),
            _Line("the ground.", 78, 130, 424, 414),
            _Line("Accountable: Capital Projects Division.", 78, 260, 406, 396)]
    assert _paragraph_lines([page]) == [
        "Action 2.1 Replace the lead service lines in the older neighbourhoods",
        "Crews will replace 3,000 lines by the end of FFY2023, and a further 4,000 by the end of FFY2024, always "
        "replacing the public and the private side of a line together, so that no household is left with a part "
        "of its old line in the ground.",
        "Accountable: Capital Projects Division."]
