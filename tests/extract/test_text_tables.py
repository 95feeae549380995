"""Tables pasted as plain text one cell per line: how their rows are numbered, and what may stand
above their header. Invented plans."""
from __future__ import annotations

from extract.plan import extract_plan
from extract.reading import read_document_bytes

THEMED_ROWS = """\
Harbour Town Waste Action Plan 2027

Actions
Ref
Action
Lead
Partners
Due
Theme A: Less waste
1.1
Start a food waste collection in the town centre.
Waste Services
Local grocers
March 2027
1.2
Publish a repair café calendar.
Community Team
—
June 2027
Theme B: Clean streets
2.1
Replace litter bins on the promenade.
Parks Team
Harbour Trust
September 2027
"""


def _text(text: str) -> str:
    return read_document_bytes(text.encode(), "rows.txt").text


def test_rows_numbered_within_themes_are_read_as_rows():
    plan = extract_plan(_text(THEMED_ROWS), "themed.txt")
    assert [t.label for t in plan.tasks] == ["1.1", "1.2", "2.1"]
    assert [t.lead_units for t in plan.tasks] == [["Waste Services"], ["Community Team"], ["Parks Team"]]
    assert [d.due.isoformat() for t in plan.tasks for d in t.deadlines] == ["2027-03-31", "2027-06-30", "2027-09-30"]


def test_a_line_above_the_header_that_names_a_column_does_not_hide_the_table():
    # "Actions" alone reads as a header cell; the header itself starts on the next line.
    written = _text(THEMED_ROWS)
    assert "Lead: Waste Services" in written.replace("：", ":")


def test_a_row_number_out_of_sequence_ends_the_table():
    broken = THEMED_ROWS.replace("2.1\n", "7.4\n")
    plan = extract_plan(_text(broken), "broken.txt")
    assert [t.label for t in plan.tasks][:2] == ["1.1", "1.2"]
    assert "7.4" not in [t.label for t in plan.tasks]
