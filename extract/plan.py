"""Read a whole plan: metadata, tasks, units, deadlines, recurrences, and what an admin should check."""
from __future__ import annotations

from extract.memo import new_document
from extract.metadata import DocumentHead, detect_language, read_head
from extract.model import ExtractedPlan, ExtractedTask, ReviewFlag
from extract.normalize import paragraphs
from extract.notecheck import unclosed_unit_list
from extract.responsibility import (NoteConventions, only_notes, read_conventions, read_responsibility,
                                     subject_responsibility)
from extract.reading import SourceDocument
from extract.script import in_original_script
from extract.segment import Segment, only_fields, segment_tasks, text_start
from extract.subjects import commitment_owners, dated_sentence_owners, dated_sentence_partners
from extract.timex import PlanDates, find_deadlines, find_recurrences, recurring_due_slots


def _task(seq: int, segment: Segment, head: DocumentHead, language: str,
          conventions: NoteConventions = NoteConventions(), plan_dates: PlanDates | None = None) -> ExtractedTask:
    units = read_responsibility(segment.text, conventions)
    if units.is_empty() and segment.group_note:
        units = read_responsibility(segment.group_note, conventions)
    deadlines = find_deadlines(segment.text, head.plan_year, language, head.fiscal_year, head.span_start,
                               plan_dates)
    recurrences = find_recurrences(segment.text, language)
    # An item without a note may still name its owner as the subject of its deadline's sentence.
    # In English also the subject of a commitment: its heading, bullets and "X will:" lines (subjects.py).
    subjects: list[str] = []
    joined: list[str] = []  # "X会同Y于…": Y cooperates
    if units.is_empty() and language == "zh":
        # "各省级部门于每月5日前报送": a duty due on a day of every period names its owner as a deadline does.
        owners = subject_responsibility(segment.text, [d.phrase for d in deadlines if d.due is not None]
                                        + recurring_due_slots(segment.text))
        subjects, joined = owners.responsible, owners.cooperating
    elif units.is_empty():
        # The subject of a sentence carrying a recurrence owns it too ("The OGCDO will audit … each year").
        phrases = [d.phrase for d in deadlines] + [r.phrase for r in recurrences]
        subjects = (commitment_owners(segment.title, segment.body)
                    or dated_sentence_owners(segment.text, phrases))
        joined = dated_sentence_partners(segment.text, phrases) if subjects else []
    return ExtractedTask(
        seq=seq,
        label=segment.label,
        section=segment.section,
        title=segment.title,
        # "对…给予支持。（市财政局负责）": where only a note follows the title, the item's own text locates it.
        # So does a body of labelled lines only ("Lead: …", "Target date: …").
        text_start=text_start(segment.text if only_notes(segment.body) or only_fields(segment.body)
                              else (segment.body or segment.title), language),
        body=segment.body,
        lead_units=units.lead,
        responsible_units=units.responsible or subjects,
        cooperating_units=units.cooperating or joined,
        deadlines=deadlines,
        recurrences=recurrences,
        units_from_subject=bool(subjects),
        unclosed_unit_list=not units.is_empty() and unclosed_unit_list(segment.text),
    )


def review_flags(tasks: list[ExtractedTask], head: DocumentHead) -> list[ReviewFlag]:
    """What an administrator should check before trusting the import."""
    flags: list[ReviewFlag] = []
    meta = head.meta
    for code, missing in (("no_tasks", not tasks), ("no_title", meta.title is None),
                          ("no_period_end", meta.period_end is None), ("no_issue_date", meta.issued_on is None)):
        if missing:
            flags.append(ReviewFlag(code))
    if head.period_end_from_text and meta.period_end:
        flags.append(ReviewFlag("period_end_from_text", values=(("due", meta.period_end.isoformat()),)))
    without_units = [t for t in tasks if not (t.lead_units or t.responsible_units or t.cooperating_units)]
    if tasks and len(without_units) == len(tasks):
        flags.append(ReviewFlag("no_task_has_units"))
    else:
        flags += [ReviewFlag("task_without_units", task=t.seq) for t in without_units]
    flags += [ReviewFlag("units_from_subject", task=t.seq) for t in tasks if t.units_from_subject]
    flags += [ReviewFlag("unclosed_unit_list", task=t.seq) for t in tasks if t.unclosed_unit_list]
    for t in tasks:
        for d in t.deadlines:
            flags += [ReviewFlag(code, task=t.seq, values=(("phrase", d.phrase),)) for code in d.flags]
            if d.due is None:
                continue
            values = (("due", d.due.isoformat()), ("phrase", d.phrase))
            if meta.period_end and d.due > meta.period_end:
                flags.append(ReviewFlag("deadline_after_period_end", task=t.seq, values=values))
            if meta.issued_on and d.due < meta.issued_on:
                flags.append(ReviewFlag("deadline_before_issue", task=t.seq, values=values))
    return flags


def extract_plan(text: str, source: str, site_name: str | None = None) -> ExtractedPlan:
    """Everything the gold schema asks for, read from a plan's decoded text (and, for a web page,
    the site its <title> names)."""
    new_document()
    language = detect_language(text)
    paras = paragraphs(text)
    head = read_head(paras, language, site_name)
    segments = segment_tasks(paras[head.body_start:], language)
    tasks = []
    # A convention on how notes read ("排在第一位的部门为牵头部门，下同") holds from the item that
    # states it on, or for every item where the text before the first item states it.
    body = "\n".join(paras[head.body_start:])
    conventions = read_conventions(body[:body.find(segments[0].text)] if segments and segments[0].text in body else "")
    # What the head says about the plan's time, and the order its dates in figures are written in.
    plan_dates = PlanDates(head.meta.issued_on, head.meta.period_end, head.southern_seasons, head.numeric_order,
                           "\n".join(paras))
    for seq, segment in enumerate(segments, start=1):
        conventions = conventions | read_conventions(segment.text)
        tasks.append(_task(seq, segment, head, language, conventions, plan_dates))
    return ExtractedPlan(source=source, language=language, document=head.meta, tasks=tasks,
                         review_flags=review_flags(tasks, head))


def table_flags(document: SourceDocument) -> list[ReviewFlag]:
    """A flag for every task table whose header row was inferred rather than named by the header
    vocabulary: which column holds the task, the units and the deadline is then a guess."""
    return [ReviewFlag("table_header_guessed",
                       values=(("header", " | ".join(table.header.names[column] for column, kind in
                                                     enumerate(table.kinds) if kind)),))
            for table in document.tables if table.header_guessed]


def extract_document(document: SourceDocument) -> ExtractedPlan:
    """A read document's plan, its own words in the file's own script (extract/script.py)."""
    plan = extract_plan(document.text, document.name, document.site_name)
    plan.review_flags += table_flags(document)
    return in_original_script(plan, document.as_printed)
