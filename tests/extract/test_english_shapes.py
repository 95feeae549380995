"""English plan families read end to end: actions as Markdown or plain headings with labelled
fields, milestone and action tables, owners printed as the subject of a commitment, unit lists.

Every plan here is invented for these tests (fictional places and bodies, our own wording).
"""
from __future__ import annotations

from datetime import date

from extract.document import Heading, ListItem, document_text, task_table
from extract.markdown import looks_like_markdown, markdown_blocks
from extract.plan import extract_plan
from extract.reading import read_document_bytes
from extract.subjects import commitment_owners, dated_sentence_owners, subject_owners
from extract.tables import Cell, column_kind


def task_table_lines(rows) -> list[str] | None:
    """The rows as a task table's text, or None when they are not a task table."""
    table = task_table(rows)
    return None if table is None else document_text([table]).split("\n")


def extracted(text: str, name: str = "plan.txt"):
    return extract_plan(read_document_bytes(text.encode("utf-8"), name).text, name)


def dues(task) -> list[date]:
    """The dated deadlines ("within 90 days of …" names no date that can be known)."""
    return [d.due for d in task.deadlines if d.due is not None]


def units(task) -> tuple[list[str], list[str], list[str]]:
    return task.lead_units, task.responsible_units, task.cooperating_units


def flags(plan) -> dict[int | None, set[str]]:
    out: dict[int | None, set[str]] = {}
    for flag in plan.review_flags:
        out.setdefault(flag.task, set()).add(flag.code)
    return out


# --- actions as headings, fields as labelled bullets or lines --------------------------------

HEADING_ACTIONS = """# Kestrel Bay Open Services Action Plan 2026

## Theme 1: Services people can find

### Action 1. Publish a catalogue of every council service

- **Lead:** Digital Services Office
- **Supported by:** Finance Department, Legal Team
- **Due:** 30 June 2026

### Action 2. Retire the old booking portal

- **Owner:** Infrastructure Team
- **Partners:** Records Office
- **Due:** by the end of September 2026

####Action 03: Train every front-desk clerk in the new catalogue

Lead agency: People and Culture Department
Deadline: December 2026

## Theme 2: Open data

Action 4: Release the monthly spending data
Owner: Finance Department
Due: March 2027
"""


def test_actions_printed_as_headings_are_tasks_with_their_labelled_fields():
    plan = extracted(HEADING_ACTIONS, "plan.md")
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("1", "1", "Publish a catalogue of every council service"),
        ("2", "1", "Retire the old booking portal"),
        ("3", "1", "Train every front-desk clerk in the new catalogue"),
        ("4", "2", "Release the monthly spending data"),
    ]
    assert [units(t) for t in plan.tasks] == [
        (["Digital Services Office"], [], ["Finance Department", "Legal Team"]),
        (["Infrastructure Team"], [], ["Records Office"]),
        (["People and Culture Department"], [], []),
        (["Finance Department"], [], []),
    ]
    assert [dues(t) for t in plan.tasks] == [
        [date(2026, 6, 30)], [date(2026, 9, 30)], [date(2026, 12, 31)], [date(2027, 3, 31)]]


def test_the_same_actions_in_a_text_file_read_the_same():
    as_markdown = extracted(HEADING_ACTIONS, "plan.md")
    as_text = extracted(HEADING_ACTIONS, "plan.txt")
    assert [(t.label, t.title, units(t), dues(t)) for t in as_text.tasks] == [
        (t.label, t.title, units(t), dues(t)) for t in as_markdown.tasks]


HARD_WRAPPED = """## 04 Commitments

We make six commitments, grouped under three aims.

### Aim: Better records

####Action 01: The Records Office will digitise the planning archive

{include action01-notes.md}

-   the Records Office will scan every planning file from 1990
    onwards by March 2027
-   Service Owners will check each scanned file

[How teams are responding »](/records/01/)
{: .response-link}

####Action 02: Archive boxes will be moved to the new store

Estates Team will:

-   move the boxes by
    October 2026
-   keep a register of
    every box

Earlier this year the Estates Team surveyed the old store. Cabinet
Services will also review the lease.
"""


def test_hard_wrapped_markdown_actions_keep_whole_headings_and_bullets():
    plan = extracted(HARD_WRAPPED)
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("1", None, "The Records Office will digitise the planning archive"),
        ("2", None, "Archive boxes will be moved to the new store"),
    ]
    assert [d.phrase for d in plan.tasks[0].deadlines] == ["by March 2027"]
    assert dues(plan.tasks[1]) == [date(2026, 10, 31)]
    assert "{include" not in plan.tasks[0].body and "response-link" not in plan.tasks[0].body
    assert plan.tasks[0].text_start.startswith("the Records Office will scan")


def test_owners_come_from_the_subjects_of_heading_bullets_and_list_lines_and_are_flagged():
    plan = extracted(HARD_WRAPPED)
    # "Service Owners" is a post, "Archive boxes" a passive's subject, "Cabinet Services" is in
    # the explanatory prose: none of them is an owner.
    assert [t.responsible_units for t in plan.tasks] == [["Records Office"], ["Estates Team"]]
    assert flags(plan)[1] >= {"units_from_subject"} and flags(plan)[2] >= {"units_from_subject"}


def test_action_heading_over_milestone_items_is_their_section():
    text = """# Tern Valley Data Action Plan 2026

### Action 7: Shared dashboards

The Data Council will lead this work across agencies.

7.1 Build a dashboard prototype. Lead: Data Council. Due: 30 September 2026.

7.2 Publish the dashboard code. Lead: Digital Office. Due: 31 December 2026.
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.section, t.lead_units) for t in plan.tasks] == [
        ("7.1", "7", ["Data Council"]), ("7.2", "7", ["Digital Office"])]


def test_action_heading_with_its_own_fields_keeps_its_points_in_its_body():
    text = """# Moss End Waste Plan 2026

### Action 3. Cut landfill waste

- Lead: Waste Services
- Due: 31 October 2026

1. Survey the collection rounds.
2. Add a food waste round.

### Action 4. Open a reuse shop

- Lead: Waste Services
- Due: 31 March 2027
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.title, t.lead_units, dues(t)) for t in plan.tasks] == [
        ("3", "Cut landfill waste", ["Waste Services"], [date(2026, 10, 31)]),
        ("4", "Open a reuse shop", ["Waste Services"], [date(2027, 3, 31)])]
    assert "Add a food waste round" in plan.tasks[0].body


# --- milestone and action tables --------------------------------------------------------------

MILESTONE_TABLE = """# 2026 Data Sharing Action Plan

### Action 5: Common data standards

| **Milestone** | **Measure** | **Target Date** | **Responsible Party** |
|---|---|---|---|
| **5.1** Agree a common address format | Completion | March 31, 2026 | Geodata Board |
| **5.2** Publish the format guide | Completion | Within 90 days of the completion of 5.1 | Required for all agencies |
| **5.3** Train data stewards | Number trained | September 30, 2026 | CIO and Records Management Councils, as well as other interagency bodies |
"""


def test_milestone_table_rows_are_tasks_with_party_and_target_date():
    plan = extracted(MILESTONE_TABLE)
    assert [(t.label, t.section, t.title) for t in plan.tasks] == [
        ("5.1", "5", "Agree a common address format"),
        ("5.2", "5", "Publish the format guide"),
        ("5.3", "5", "Train data stewards"),
    ]
    assert [t.responsible_units for t in plan.tasks] == [
        ["Geodata Board"], ["all agencies"], ["CIO and Records Management Councils", "other interagency bodies"]]
    assert [dues(t) for t in plan.tasks] == [[date(2026, 3, 31)], [], [date(2026, 9, 30)]]


def test_milestone_column_is_the_task_the_date_or_a_step_by_its_neighbours():
    def kinds(*header: str) -> list[str | None]:
        written = task_table_lines([[Cell(h) for h in header], [Cell(f"cell {i}") for i in range(len(header))]])
        assert written is not None
        return written

    # No other column names the work: the milestone is the task.
    assert kinds("Milestone", "Target Date", "Responsible Party") == [
        "1. cell 0.", "Responsible: cell 2; Deadline: cell 1."]
    # No other column dates it: the milestone is the deadline.
    assert kinds("Action", "Owner", "Milestone") == ["1. cell 0.", "Lead: cell 1; Deadline: cell 2."]
    # Both present: the milestone is a step of the task.
    assert kinds("Action", "Milestone", "Owner", "Timescale") == [
        "1. cell 0. cell 1.", "Lead: cell 2; Deadline: cell 3."]


def test_action_owner_timescale_header_words():
    assert [column_kind(w) for w in ("Action", "Owner", "Timescale", "Target Date", "Responsible Party",
                                     "Milestone", "Lead agency", "Supporting agencies")] == [
        "task", "lead", "deadline", "deadline", "responsible", "task", "lead", "cooperating"]


def test_action_owner_timescale_table_in_a_text_file():
    text = """Brindle Parish Council Action Plan 2026

| Action | Owner | Timescale |
|---|---|---|
| Repair the play area fence | Parish Clerk's Office | by June 2026 |
| Plant forty street trees | Green Spaces Team | 30 November 2026 |
"""
    plan = extracted(text)
    assert [(t.label, t.title, t.lead_units, dues(t)) for t in plan.tasks] == [
        ("1", "Repair the play area fence", ["Parish Clerk's Office"], [date(2026, 6, 30)]),
        ("2", "Plant forty street trees", ["Green Spaces Team"], [date(2026, 11, 30)]),
    ]


# --- owners as sentence subjects --------------------------------------------------------------

def test_subject_owners_name_bodies_not_posts_things_or_the_plans_voice():
    assert subject_owners("- departments will publish a plan") == ["departments"]
    assert subject_owners("The Harbour Authority will dredge the channel") == ["Harbour Authority"]
    assert subject_owners("Regional Skills Service will:") == ["Regional Skills Service"]
    assert subject_owners("The CDO will publish the inventory") == ["CDO"]
    assert subject_owners("From May 2026, the Lands Office will continue to:") == ["Lands Office"]
    assert subject_owners("the Survey Group in the Lands Office will map the coast") == [
        "Survey Group in the Lands Office"]
    assert subject_owners("Service Owners will check each file") == []
    assert subject_owners("all new online services will meet the standard") == []
    assert subject_owners("Quarterly reports of all agencies will be published") == []
    assert subject_owners("We will consult residents") == []
    assert subject_owners("It will:") == []
    assert subject_owners("The government will respond") == []
    assert subject_owners("Local offices will be offered training") == []


def test_two_owners_joined_by_and_unless_they_share_a_head_noun():
    assert subject_owners("The CDO and the Data Council will agree a schedule") == ["CDO", "Data Council"]
    assert subject_owners("CIO and Chief Data Officer Councils will coordinate") == [
        "CIO and Chief Data Officer Councils"]
    assert subject_owners("Regional and district planning boards will adopt it") == [
        "Regional and district planning boards"]
    assert subject_owners("The Water Board, in partnership with the farmers, will restore the banks") == ["Water Board"]


def test_commitment_owners_read_title_bullets_and_list_lines_once_each_in_order():
    body = ("- Departments will name a lead\n"
            "Most departments will need help with this, and the Ministry will fund it.\n"
            "- departments will report monthly\n"
            "Training Unit will:\n"
            "- run the courses")
    assert commitment_owners("All agencies will adopt the standard", body) == [
        "All agencies", "Departments", "Training Unit"]


def test_owner_of_a_dated_sentence_when_no_line_names_one():
    text = """Fenwick Ports Plan 2026

1. Modernise the harbour gates.
The gate mechanism is forty years old. The Harbour Authority will replace both gates by 31 August 2026.

2. Clear the silted berths.
Dredging of berths 3 and 4 is overdue and will be let by tender.
"""
    plan = extracted(text)
    assert [t.responsible_units for t in plan.tasks] == [["Harbour Authority"], []]
    assert "units_from_subject" in flags(plan)[1]
    assert "units_from_subject" not in flags(plan).get(2, set())


def test_a_note_wins_over_subjects():
    text = """Fenwick Ports Plan 2026

1. Modernise the harbour gates. The Harbour Authority will replace both gates by 31 August 2026.
Lead: Ports Engineering Team
"""
    plan = extracted(text)
    assert units(plan.tasks[0]) == (["Ports Engineering Team"], [], [])
    assert not any(f.code == "units_from_subject" for f in plan.review_flags)


# --- English unit lists -----------------------------------------------------------------------

def test_unit_list_with_acronyms_and_a_shared_head_noun():
    text = """Corran Digital Plan 2026

1. Join up benefit claims. Lead: DWP; Partners: HMRC and Cabinet Office, Finance and Legal Teams.
2. Share fraud data. Lead: Audit Office; Partners: CIO and Chief Data Officer Councils.
"""
    plan = extracted(text)
    assert units(plan.tasks[0]) == (["DWP"], [], ["HMRC", "Cabinet Office", "Finance and Legal Teams"])
    assert units(plan.tasks[1]) == (["Audit Office"], [], ["CIO and Chief Data Officer Councils"])


# --- the Markdown reader ----------------------------------------------------------------------

def test_markdown_blocks_become_one_line_each():
    text = ("---\ntitle: Draft\n---\n\n#Not a heading\n\n##Heading without space\n\n"
            "A paragraph that an editor wrapped at its margin, just\nBefore a capital.\n\n"
            "- a bullet\n  wrapped\n- **Lead:** Team\n\nTitle line\nDue: 1 May 2026\n\n"
            "Issued by the Parish Office\n12 May 2026\n\n第一行。\n第二行。\n")
    blocks = markdown_blocks(text)
    assert [b for b in blocks if isinstance(b, Heading)] == [Heading(2, "", "Heading without space", marked=True)]
    assert [b for b in blocks if isinstance(b, ListItem)] == [ListItem("-", "a bullet wrapped"),
                                                              ListItem("-", "**Lead:** Team")]
    assert document_text(blocks).split("\n\n") == [
        "title: Draft", "#Not a heading", "## Heading without space",
        "A paragraph that an editor wrapped at its margin, just Before a capital.",
        "- a bullet wrapped", "- **Lead:** Team", "Title line\nDue: 1 May 2026",
        "Issued by the Parish Office\n12 May 2026", "第一行。\n第二行。\n"]


def test_plain_prose_is_not_taken_for_markdown():
    assert not looks_like_markdown("一、总体要求\n\n（一）第一项。\n# 单独一行\n")
    assert looks_like_markdown("## One\n\ntext\n\n## Two\n")
    assert looks_like_markdown("# Plan\n\n- one\n- two\n")


# --- more ways of numbering an action -------------------------------------------------------

def test_numbered_heading_with_a_note_of_its_own_is_a_task():
    text = """# Ashby Library Plan 2026

## Actions

### 1. Extend opening hours

- **Lead:** Library Service
- **Due:** 31 May 2026

### 2. Open a maker space

- **Lead:** Library Service
- **Partners:** Ashby College
- **Due:** November 2026
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.title, units(t), dues(t)) for t in plan.tasks] == [
        ("1", "Extend opening hours", (["Library Service"], [], []), [date(2026, 5, 31)]),
        ("2", "Open a maker space", (["Library Service"], [], ["Ashby College"]), [date(2026, 11, 30)]),
    ]


def test_initiatives_recommendations_and_titles_on_the_next_line():
    text = """Greyhaven County Climate Action Plan 2026-2028

Initiative 1: Solar schools
Responsible: Education Department
Due: by September 2027

RECOMMENDATION 2 – CREATE A CLIMATE FUND
Owner: Finance Department
By when: December 2026

Key Action 3
Plant 5,000 trees
Lead: Parks Service
Due: Autumn 2026
"""
    plan = extracted(text)
    assert [(t.label, t.title, units(t)) for t in plan.tasks] == [
        ("1", "Solar schools", ([], ["Education Department"], [])),
        ("2", "CREATE A CLIMATE FUND", (["Finance Department"], [], [])),
        ("3", "Plant 5,000 trees", (["Parks Service"], [], [])),
    ]
    assert [dues(t) for t in plan.tasks] == [[date(2027, 9, 30)], [date(2026, 12, 31)], [date(2026, 11, 30)]]


def test_lettered_themes_with_coded_actions_and_three_level_numbers():
    coded = """Greyhaven Nature Plan 2026

Theme A: Buildings

A.1 Retrofit county offices. (Lead: Facilities Department; Partners: Energy Agency)

A.2 Publish a retrofit guide. Lead: Planning Department.

Theme B: Nature

B.1 Plant 5,000 trees. Lead: Parks Service.
"""
    assert [(t.label, t.section) for t in extracted(coded).tasks] == [("A.1", "A"), ("A.2", "A"), ("B.1", "B")]
    decimal = """Greyhaven Nature Plan 2026

1.1 Healthier buildings

1.1.1 Retrofit county offices. Lead: Facilities Department.

1.1.2 Publish a retrofit guide. Lead: Planning Department.

1.2 Greener streets

1.2.1 Plant 5,000 trees. Lead: Parks Service.
"""
    assert [(t.label, t.section, t.title) for t in extracted(decimal).tasks] == [
        ("1.1.1", "1.1", "Retrofit county offices"), ("1.1.2", "1.1", "Publish a retrofit guide"),
        ("1.2.1", "1.2", "Plant 5,000 trees")]


def test_more_english_header_words():
    assert [column_kind(w) for w in ("Action No.", "Action owner", "Owner(s)", "Who", "What", "When",
                                     "Supported by", "Delivery partners", "Target completion date",
                                     "Start date", "Status")] == [
        "number", "lead", "lead", "responsible", "task", "deadline", "cooperating", "cooperating",
        "deadline", "start", None]


def test_a_start_date_column_is_no_deadline():
    rows = [[Cell(h) for h in ("Action", "Lead", "Start date", "End date")],
            [Cell(c) for c in ("Open the depot", "Fleet Team", "April 2026", "March 2027")]]
    assert task_table_lines(rows) == ["1. Open the depot. Start date: April 2026.", "Lead: Fleet Team; Deadline: March 2027."]


def test_an_article_after_and_opens_a_second_name():
    text = """Corran Digital Plan 2026

1. Run skills sessions. Lead: Library Service; Partners: Adult Learning Team, Age Concern Corran and the Friends of Corran Library.
"""
    assert units(extracted(text).tasks[0]) == (
        ["Library Service"], [], ["Adult Learning Team", "Age Concern Corran", "Friends of Corran Library"])


# --- the same families in other formats -------------------------------------------------------

def test_html_action_headings_with_labelled_list_items_and_a_prose_owner():
    html = """<html><body>
<h1>Linfield Borough Digital Inclusion Action Plan 2026</h1>
<h2>Priority 1: Skills</h2>
<h3>Action 1.1 Free digital skills sessions in every library</h3>
<ul><li><strong>Lead:</strong> Library Service</li><li><strong>Partners:</strong> Adult Learning Team</li>
<li><strong>Due:</strong> 31 March 2027</li></ul>
<h3>Action 1.2 Device loan scheme</h3>
<p>The Housing Department will lend 200 tablets to tenants by 30 September 2026.</p>
<h2>Priority 2: Access</h2>
<h3>Action 2.1 Public wifi in community centres</h3>
<ul><li><strong>Lead:</strong> IT Services</li><li><strong>Due:</strong> December 2026</li></ul>
</body></html>"""
    plan = extracted(html, "plan.html")
    assert [(t.label, t.section, t.title, units(t), dues(t)) for t in plan.tasks] == [
        ("1.1", "1", "Free digital skills sessions in every library",
         (["Library Service"], [], ["Adult Learning Team"]), [date(2027, 3, 31)]),
        ("1.2", "1", "Device loan scheme", ([], ["Housing Department"], []), [date(2026, 9, 30)]),
        ("2.1", "2", "Public wifi in community centres", (["IT Services"], [], []), [date(2026, 12, 31)]),
    ]
    assert "units_from_subject" in flags(plan)[2]


def test_bold_action_lines_and_nested_bullet_fields_in_markdown():
    text = """# Linfield Borough Digital Inclusion Action Plan 2026

**Action 1.1: Free digital skills sessions in every library**
*Lead:* Library Service
*Due:* 31 March 2027

- Action 2: Public wifi in community centres
  - Lead: IT Services
  - Due: December 2026
- Action 3: Digital champions network
  - Lead: Volunteer Centre
  - Due: June 2026
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.title, t.lead_units, dues(t)) for t in plan.tasks] == [
        ("1.1", "Free digital skills sessions in every library", ["Library Service"], [date(2027, 3, 31)]),
        ("2", "Public wifi in community centres", ["IT Services"], [date(2026, 12, 31)]),
        ("3", "Digital champions network", ["Volunteer Centre"], [date(2026, 6, 30)]),
    ]


def test_longer_english_field_labels():
    text = """Corran Digital Plan 2026

1. Publish the open data register.
Responsible Party: Data Office
Delivery partners: Records Office

2. Replace the library catalogue.
Action owner: Library Service
Supported by: IT Services
"""
    plan = extracted(text)
    assert [units(t) for t in plan.tasks] == [
        ([], ["Data Office"], ["Records Office"]), (["Library Service"], [], ["IT Services"])]


def test_unnumbered_heading_with_its_own_fields_is_a_task():
    text = """# Ashby Library Plan 2026

## Foreword

This plan sets out what the library will do this year.

## Extend opening hours

- **Lead:** Library Service
- **Due:** 31 May 2026

## Open a maker space

- **Owner:** Library Service
- **Due:** November 2026
"""
    plan = extracted(text, "plan.md")
    assert [(t.title, t.lead_units, dues(t)) for t in plan.tasks] == [
        ("Extend opening hours", ["Library Service"], [date(2026, 5, 31)]),
        ("Open a maker space", ["Library Service"], [date(2026, 11, 30)]),
    ]


def test_chinese_markdown_headings_with_labelled_bullets():
    text = """# 青禾县2026年数字乡村建设工作要点

## 一、夯实数字基础设施

### （一）推进千兆光网进村

- **牵头单位：** 县工信局
- **配合单位：** 县财政局、各乡镇人民政府
- **完成时限：** 2026年9月底前

### （二）建设村级数据服务站

- **牵头单位：** 县数据局
- **完成时限：** 2026年12月底前

## 二、发展数字产业

### 任务三：培育农村电商主体

新培育电商主体50家。
- 牵头单位：县商务局
- 完成时限：2026年10月底前
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.section, t.title, units(t), dues(t)) for t in plan.tasks] == [
        ("1", "一", "推进千兆光网进村", (["县工信局"], [], ["县财政局", "各乡镇人民政府"]), [date(2026, 9, 30)]),
        ("2", "一", "建设村级数据服务站", (["县数据局"], [], []), [date(2026, 12, 31)]),
        ("3", "二", "培育农村电商主体", (["县商务局"], [], []), [date(2026, 10, 31)]),
    ]


def test_a_due_field_under_the_last_note_belongs_to_the_last_task_but_a_signature_date_does_not():
    text = """Corran Parks Plan 2026

1. Plant 500 trees.
Lead: Parks Service
Due: 30 November 2026

Signed for the Council
Date: 12 March 2026
"""
    plan = extracted(text)
    assert dues(plan.tasks[0]) == [date(2026, 11, 30)]


def test_a_closing_note_is_no_part_of_an_english_title():
    text = """# Corran Housing Plan 2026

### Action 2: Bring empty homes back into use (Lead: Housing Office)

Owners of long-term empty homes will be contacted by June 2026.

### Action 3: Review the (old) allocation policy

- Lead: Housing Office
"""
    plan = extracted(text, "plan.md")
    assert [(t.title, t.lead_units) for t in plan.tasks] == [
        ("Bring empty homes back into use", ["Housing Office"]),
        ("Review the (old) allocation policy", ["Housing Office"])]


def test_milestone_rows_under_a_spanning_action_are_the_tasks():
    text = """# Tern Valley Data Action Plan 2026

| Action | Milestone | Target Date | Responsible Party |
|---|---|---|---|
| Action 7: Shared dashboards | 7.1 Build a dashboard prototype | September 30, 2026 | Data Council |
| | 7.2 Publish the dashboard code | December 31, 2026 | Digital Office |
| Action 8: Data skills | 8.1 Publish a skills playbook | June 30, 2026 | Data Council |
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.section, t.title, t.responsible_units, dues(t)) for t in plan.tasks] == [
        ("7.1", "7", "Build a dashboard prototype", ["Data Council"], [date(2026, 9, 30)]),
        ("7.2", "7", "Publish the dashboard code", ["Digital Office"], [date(2026, 12, 31)]),
        ("8.1", "8", "Publish a skills playbook", ["Data Council"], [date(2026, 6, 30)]),
    ]


def test_a_milestone_beside_an_action_of_its_own_is_a_step_of_it():
    text = """# Tern Valley Fleet Plan 2026

| Action | Milestone | Target Date | Owner |
|---|---|---|---|
| Open the depot | Site handed over | March 2027 | Fleet Team |
| Buy electric vans | Order placed | June 2027 | Fleet Team |
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.title, t.lead_units, dues(t)) for t in plan.tasks] == [
        ("1", "Open the depot", ["Fleet Team"], [date(2027, 3, 31)]),
        ("2", "Buy electric vans", ["Fleet Team"], [date(2027, 6, 30)]),
    ]
    assert "Site handed over" in plan.tasks[0].body


def test_timing_and_timescale_fields_are_deadline_labels():
    text = """Corran Parks Plan 2026

1. Plant 500 trees.
Lead: Parks Service
Timing: March 2027

2. Open a second dog park.
Owner: Parks Service
Timescale: Q2 2026
"""
    assert [dues(t) for t in extracted(text).tasks] == [[date(2027, 3, 31)], [date(2026, 6, 30)]]


def test_a_labelled_value_is_no_header_cell():
    assert [column_kind(w) for w in ("Lead: Finance Team", "Milestone: Portal live by April 2026",
                                     "牵头单位：", "**Lead:**")] == [None, None, "lead", "lead"]


def test_notes_inside_bulleted_sentences_do_not_make_their_heading_a_task():
    text = """# Ashby Estates Plan 2026

## Buildings

- Repair the library roof (Lead: Estates Team; by March 2027)
- Replace the depot boilers (Lead: Estates Team)

## Open a maker space (Lead: Library Service)

The space opens in the old reading room by November 2026.
"""
    plan = extracted(text, "plan.md")
    assert [(t.title, t.lead_units) for t in plan.tasks] == [("Open a maker space", ["Library Service"])]


def test_numbered_headings_that_commit_a_body_are_tasks():
    text = """# Corran Digital Strategy 2026

## 1. Why this matters

Residents expect to deal with us online.

## 2. What we will do

### 2.1 Departments will publish their own digital plans by June 2026

- departments will name a digital lead

### 2.2 The Digital Office will run a shared hosting platform

### 2.3 Better websites for everyone

Our websites are hard to use.
"""
    plan = extracted(text, "plan.md")
    assert [(t.label, t.responsible_units, dues(t)) for t in plan.tasks] == [
        ("2.1", ["Departments"], [date(2026, 6, 30)]), ("2.2", ["Digital Office"], [])]


def test_each_dated_clause_of_a_sentence_gives_its_own_subject():
    sentence = ("The Port Authority and the Tide Office will draft the berth rules by 3 May 2031, "
                "and ferry agencies will adopt them within 60 days of their release.")
    assert dated_sentence_owners(sentence, ["by 3 May 2031", "within 60 days of their release"]) == [
        "Port Authority", "Tide Office", "ferry agencies"]
    # Only the clause that carries the date names its owner.
    assert dated_sentence_owners(sentence, ["by 3 May 2031"]) == ["Port Authority", "Tide Office"]
    # A clause with no subject of its own is the sentence's first subject's.
    assert dated_sentence_owners("The Tide Office will survey the berths, and publish the survey by June 2031.",
                                 ["by June 2031"]) == ["Tide Office"]


def test_run_in_note_wrapped_at_the_line_end_goes_on_on_the_next_line():
    text = """Harbour Works Plan 2031

Action 1.1 Dredge the inner harbour. The channel will be dredged to six metres.
Lead: Ministry of Harbours. Partners: Union of Coastal
Municipalities, Ministry of Fisheries. Timing: June 2031.
Action 1.2 Publish harbour data. The Ministry will publish the data.
Lead: Ministry of Harbours. Partners: Harbour Users
Association. Timing: June 2032, then annually.
"""
    plan = extracted(text)
    assert [t.cooperating_units for t in plan.tasks] == [
        ["Union of Coastal Municipalities", "Ministry of Fisheries"], ["Harbour Users Association"]]
    # The last task's wrapped line is still its own: its date and its recurrence are read.
    assert [d.due for d in plan.tasks[1].deadlines] == [date(2032, 6, 30)]
    assert [r.freq for r in plan.tasks[1].recurrences] == ["yearly"]


def test_a_note_line_followed_by_a_sentence_is_not_joined_to_it():
    from extract.responsibility import continues_note

    assert continues_note("Lead: Ministry of Harbours. Partners: Port Board of", "Westhaven.")
    assert not continues_note("Lead: Ministry of Harbours", "The ministry will tender the dredging work in two lots.")
    assert not continues_note("Lead: Ministry of Harbours", "Partners: Port Board. Timing: 2031.")


def test_a_shire_action_table_with_southern_seasons_and_a_review_after_the_plan_ends():
    text = """# Brindle Point Shire Council

## Urban Cooling Action Plan 2031–32

Published 2 July 2031 by Brindle Point Shire Council

It covers the 2031–32 financial year (1 July 2031 to 30 June 2032). Seasons are Australian seasons.

| No. | Action | Lead | Supported by | Timeframe |
| --- | --- | --- | --- | --- |
| 1.1 | Plant 400 street trees in the western suburbs. | Parks Team | Brindle Water | Autumn 2032 |
| 1.2 | Review the tree register. | Parks Team | — | Within three months of the end of this plan |
"""
    plan = extracted(text, "plan.md")
    assert plan.document.period_end == date(2032, 6, 30)
    assert [[d.due for d in t.deadlines] for t in plan.tasks] == [[date(2032, 5, 31)], [date(2032, 9, 30)]]


def test_subjects_of_responsible_for_and_expected_to_commitments():
    assert dated_sentence_owners("The Parks Team is responsible for planting trees by June 2031.",
                                 ["by June 2031"]) == ["Parks Team"]
    assert dated_sentence_owners("Local councils are expected to adopt plans by June 2031.",
                                 ["by June 2031"]) == ["Local councils"]
    # a passive names no actor
    assert dated_sentence_owners("Schools are expected to be inspected by June 2031.", ["by June 2031"]) == []


def test_an_enabled_subject_commits_to_nothing():
    assert subject_owners("Local councils will be able to set lower limits by June 2031.") == []
    assert subject_owners("Harbour agencies will receive grants by June 2031.") == []
    assert subject_owners("Harbour agencies will review the limits by June 2031.") == ["Harbour agencies"]


def test_labels_with_a_spaced_dash_at_a_lines_start():
    plan = extracted("""Harbour Works Plan 2031

1. Dredge the inner harbour.
Lead – Harbour Board
Partners – Pilot Service
Deadline – 30 June 2031
""")
    task = plan.tasks[0]
    assert (task.lead_units, task.cooperating_units, [d.due for d in task.deadlines]) == (
        ["Harbour Board"], ["Pilot Service"], [date(2031, 6, 30)])
    # inside a sentence a dash is no label's
    assert [d.phrase for d in extracted("Harbour Works Plan 2031\n\n1. We lead – with partners – the work by June 2031.\n")
            .tasks[0].deadlines] == ["by June 2031"]
def test_a_fiscal_year_stated_as_named_by_its_start_year_ends_in_the_next_year():
    head = ("COASTAL WATER RESILIENCE PLAN 2027-2029\n\n"
            "The financial year starts on 1 April{note}.\n\n")
    items = ("1. Reline the Marsh Road trunk main. Lead: Water Board; Deadline: FY2027.\n"
             "2. Survey every tidal outfall. Lead: Harbour Office; Deadline: by Q4 FY2028.\n")
    by_start = extracted(head.format(note=" (FY2027 is 1 April 2027 to 31 March 2028)") + items)
    assert [[d.due for d in t.deadlines] for t in by_start.tasks] == [[date(2028, 3, 31)], [date(2029, 3, 31)]]
    by_end = extracted(head.format(note=" (FY2027 is 1 April 2026 to 31 March 2027)") + items)
    assert [[d.due for d in t.deadlines] for t in by_end.tasks] == [[date(2027, 3, 31)], [date(2028, 3, 31)]]


def test_a_duration_from_the_end_of_the_plan_counts_from_the_plans_last_day():
    plan = extracted("Valley Trails Plan 2027-2028\n\nThis plan runs to the end of 2028.\n\n"
                     "1. Waymark the ridge path. Lead: Parks Office; Deadline: by June 2027.\n"
                     "2. Review the plan. Lead: Parks Office; Deadline: within three months of the end of the plan.\n")
    assert plan.document.period_end == date(2028, 12, 31)
    assert [d.due for d in plan.tasks[1].deadlines] == [date(2029, 3, 31)]


def test_coded_row_numbers_of_an_aligned_table_stay_as_printed_under_a_qualified_area_heading():
    plan = extracted("Focus Area B: Safer streets\n\n"
                     "Ref   Action                          Lead agency    Target\n"
                     "B1    Light every underpass           Roads Office   by Q2 2027\n"
                     "B2    Add crossings near schools      Roads Office   2H 2027\n")
    assert [(t.label, t.section) for t in plan.tasks] == [("B1", "B"), ("B2", "B")]
    assert [[d.due for d in t.deadlines] for t in plan.tasks] == [[date(2027, 6, 30)], [date(2027, 12, 31)]]
