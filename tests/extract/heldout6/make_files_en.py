"""Build the binary English plans of heldout6 (a .docx and a .pdf) from the text held here.

Test-data generator only: `.venv/bin/python tests/extract/heldout6/make_files_en.py`
(needs python-docx and reportlab). The plans are invented; see README_en.md.
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# --- en_south_marrang_remote_mental_health_2026.docx -------------------------------------

AU_TITLE = "Remote Communities Mental Health Action Plan 2026–2028"
AU_ISSUER = "Department of Health and Wellbeing"
AU_INTRO = [
    ("Heading 1", "Minister’s message"),
    (None, "People in our remote communities wait longer for mental health care and travel further "
           "to get it. This plan sets out the actions the South Marrang Government will take over "
           "the next two years, from 1 July 2026 to 30 June 2028."),
    ("Heading 1", "About this plan"),
    (None, "Each action has one lead agency, named in the Lead column, which will work in "
           "collaboration with the partners listed. Timeframes are South Marrang financial years, "
           "which run from 1 July to 30 June (2026–27 ends on 30 June 2027). Seasons are "
           "southern-hemisphere seasons: winter is June to August and spring is September to "
           "November."),
    ("Heading 1", "Actions"),
]
AU_HEAD = ("No.", "Action", "Lead", "In collaboration with", "Timeframe")
# A row of one string is a priority row merged across the table.
AU_ROWS = [
    ("Priority 1: Care closer to home",),
    ("1.1", "Recruit 40 additional mental health clinicians for remote health services, with at "
            "least half based in communities of fewer than 2,000 people",
     "Remote Health Service", "Aboriginal Community Controlled Health Organisations\nRural Doctors Network",
     "2026–27"),
    ("1.2", "Extend the 24-hour telehealth crisis line to every remote community",
     "Statewide Mental Health Line", "Office of Digital Connectivity", "By the end of winter 2027"),
    ("1.3", "Trial fly-in fly-out psychology clinics in the far north",
     "Remote Health Service", "Outback Air Medical Service", "From July to September 2026"),
    ("Priority 2: Community-led prevention",),
    ("2.1", "Co-design a suicide prevention plan with each of the 14 remote communities",
     "Suicide Prevention Office", "Community councils, Aboriginal Community Controlled Health Organisations",
     "By 31 December 2026; each plan reviewed every six months"),
    ("2.2", "Fund community wellbeing grants for local activities that build connection",
     "Department of Health and Wellbeing", "Local government", "Annually – grant round opens each March"),
    ("2.3", "Train 500 community members in mental health first aid",
     "Suicide Prevention Office", "TAFE South Marrang", "2027–28"),
    ("Priority 3: Workforce and accountability",),
    ("3.1", "Publish a remote mental health workforce plan",
     "Workforce Planning Branch", "Universities\nRemote Health Service", "By spring 2026"),
    ("3.2", "Publish outcome data for remote communities on the Commission’s website",
     "Mental Health Commission", "Nil", "Each quarter, from Q1 2026–27"),
    ("3.3", "Commission an independent evaluation of this plan",
     "Mental Health Commission", "Independent evaluator", "Final report by 30 April 2028"),
]
AU_AFTER = [
    ("Heading 1", "Acronyms"),
]
AU_ACRONYMS = [
    ("ACCHO", "Aboriginal Community Controlled Health Organisation"),
    ("FIFO", "Fly-in fly-out"),
    ("TAFE", "Technical and Further Education"),
]
AU_SIGN = ["Approved by the Minister for Mental Health", "Date of issue: 9 June 2026"]


def build_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.sections[0].header.paragraphs[0].text = "South Marrang Government | OFFICIAL"
    doc.add_paragraph(AU_TITLE, style="Title")
    doc.add_paragraph(AU_ISSUER)
    for style, text in AU_INTRO:
        doc.add_paragraph(text, style=style) if style else doc.add_paragraph(text)
    table = doc.add_table(rows=1, cols=len(AU_HEAD))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, AU_HEAD):
        cell.text = text
    for row in AU_ROWS:
        cells = table.add_row().cells
        if len(row) == 1:
            merged = cells[0].merge(cells[-1])
            merged.text = row[0]
            continue
        for cell, text in zip(cells, row):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for style, text in AU_AFTER:
        doc.add_paragraph(text, style=style)
    acro = doc.add_table(rows=1, cols=2)
    acro.style = "Table Grid"
    acro.rows[0].cells[0].text, acro.rows[0].cells[1].text = "Acronym", "Meaning"
    for short, long in AU_ACRONYMS:
        cells = acro.add_row().cells
        cells[0].text, cells[1].text = short, long
    for line in AU_SIGN:
        doc.add_paragraph(line)
    doc.save(path)


# --- en_port_alder_lead_lines_2022.pdf ------------------------------------------------------

US_HEADER = "Port Alder Lead Service Line Replacement Implementation Plan – October 2022"
US_TITLE = "Lead Service Line Replacement Implementation Plan"
US_FRONT = [
    ("h", US_TITLE),
    ("p", "City of Port Alder Water Department"),
    ("p", "Signed: October 3, 2022 – Dana Okafor, Director of Water"),
    ("h2", "Purpose and timeframe"),
    ("p", "This plan sets out how the City will find and replace every lead service line in its "
          "water system. Most of the work is paid for by a federal grant, so its milestones use the "
          "federal fiscal year (FFY), which runs from October 1 to September 30: FFY2023 runs from "
          "October 1, 2022 to September 30, 2023. The plan covers FFY2023 and FFY2024."),
    ("p", "For each action the Accountable unit answers for delivery and the Contributing units "
          "supply staff, data or approvals."),
]
# (goal heading, [(label, title, body, accountable, contributing, target)])
US_GOALS = [
    ("Goal 1. Know where the lead is", [
        ("1.1", "Complete the service line inventory",
         "Field crews and records staff will confirm the material of all 48,000 service connections, "
         "on both the public and the customer side of the meter.",
         "Asset Management Division", "Geographic Information Systems Office; Building Department",
         "End of Q2 FFY2023"),
        ("1.2", "Publish an interactive inventory map",
         "Residents will be able to look up their address and see the material of their line.",
         "Communications Office", "Information Technology Department",
         "Within 30 days of the signing of this plan"),
        ("1.3", "Notify customers served by lead or unknown lines",
         "The first notices will be mailed by November 15, 2022 and the notice will be repeated "
         "annually until the line is replaced.",
         "Customer Service Division", "Communications Office", "November 15, 2022"),
    ]),
    ("Goal 2. Replace the lines", [
        ("2.1", "Replace lead service lines in full",
         "Replace 3,000 lead service lines by the end of FFY2023 and a further 4,000 by the end of "
         "FFY2024, always replacing the public and private sides together.",
         "Capital Projects Division", "licensed contractors, Streets Department",
         "September 30, 2023; September 30, 2024"),
        ("2.2", "Put schools and child care centers first",
         "Complete replacements at all 62 schools and licensed child care centers served by lead "
         "lines by August 1, 2023.",
         "Capital Projects Division", "Port Alder Public Schools, Department of Early Learning",
         "August 1, 2023"),
        ("2.3", "Launch a customer cost assistance program",
         "Homeowners will pay nothing for the private side of the line; landlords will be offered a "
         "zero-interest loan.",
         "Finance Department", "Housing Authority", "Q1 FFY2023"),
    ]),
    ("Goal 3. Be accountable to residents", [
        ("3.1", "Report progress publicly",
         "Post a progress report on the City website each quarter, showing replacements by "
         "neighborhood.",
         "Water Department", "Communications Office", "Quarterly"),
        ("3.2", "Review the equity of the program",
         "Commission an independent review of how replacements are distributed across neighborhoods "
         "by June 30, 2023, and present a corrective action plan to City Council within 60 days of "
         "completion of the review.",
         "Office of Equity", "Water Department", "June 30, 2023"),
        ("3.3", "Report to the State Revolving Fund",
         "Submit the grant report to the State Revolving Fund administrator each year by "
         "December 31.",
         "Finance Department", "Water Department", "Each year by December 31"),
    ]),
]
US_BACK = [
    ("h2", "Appendix: Acronyms"),
    ("p", "FFY – federal fiscal year; GIS – geographic information systems; LSL – lead service "
          "line; SRF – State Revolving Fund."),
    ("p", "Questions: water.plan@portalder.example.gov | (555) 010-2200"),
]


def build_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body, h1, h2 = styles["BodyText"], styles["Title"], styles["Heading2"]

    def page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, LETTER[1] - 0.6 * inch, US_HEADER)
        canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, f"Page {doc.page}")
        canvas.restoreState()

    story = []
    kinds = {"h": h1, "h2": h2, "p": body}
    for kind, text in US_FRONT:
        story.append(Paragraph(text, kinds[kind]))
    for goal, actions in US_GOALS:
        story.append(Paragraph(goal, h2))
        for label, title, text, acc, con, target in actions:
            story.append(Paragraph(f"<b>Action {label} {title}</b>", body))
            story.append(Paragraph(text, body))
            story.append(Paragraph(f"Accountable: {acc}. Contributing: {con}. Target: {target}.", body))
            story.append(Spacer(1, 6))
    for kind, text in US_BACK:
        story.append(Paragraph(text, kinds[kind]))
    # A narrow frame so that sentences and unit names wrap across lines, as in a two-column layout.
    SimpleDocTemplate(str(path), pagesize=LETTER, leftMargin=inch, rightMargin=2.6 * inch,
                      topMargin=inch, bottomMargin=inch, title=US_TITLE).build(
        story, onFirstPage=page, onLaterPages=page)


if __name__ == "__main__":
    build_docx(HERE / "en_south_marrang_remote_mental_health_2026.docx")
    build_pdf(HERE / "en_port_alder_lead_lines_2022.pdf")
