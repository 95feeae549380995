"""Shapes of English government plans, each a family the extractor reads however it arrives
(issue 9, the sixth held-out round): plans of our own writing, fictional bodies and places."""
from __future__ import annotations

from datetime import date

from extract.document import Paragraph, prose_paragraphs_of
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
