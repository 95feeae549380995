"""The extractor's output: plain dataclasses, one per concept in ../shared/gold/SCHEMA.md.

These values cross the boundary into `store/` (ingest) and into JSON (`deadline-bot extract`),
so they stay free of database and I/O concerns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Frequencies a recurrence may have (the same words the gold schema uses): kept importable from here.
from vocabulary import RECURRENCE_FREQS  # noqa: F401


@dataclass(frozen=True)
class DocumentMeta:
    title: str | None
    issuer: str | None
    doc_number: str | None
    issued_on: date | None
    period_end: date | None


@dataclass(frozen=True)
class Deadline:
    phrase: str  # the time expression as printed, e.g. "2017年年底前"
    due: date | None  # None where no day can be known ("within 60 days of the completion of …")
    quote: str  # the clause it governs, copied exactly (about 40 characters at most)
    # What an administrator should check about this reading: "deadline_without_date",
    # "ambiguous_day_month" ("03/04/2025"). Codes of ReviewFlag; not part of the gold JSON.
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recurrence:
    phrase: str  # e.g. "每年", "年度述职"
    freq: str  # one of RECURRENCE_FREQS
    quote: str


@dataclass
class ExtractedTask:
    seq: int  # 1-based position among tasks
    label: str  # the item's number as printed, in Arabic digits ("（十八）" -> "18")
    section: str | None  # the enclosing top-level section numeral as printed ("一"), or None
    title: str
    text_start: str  # first 10-15 characters of the body after the title
    body: str  # the full text of the item after the title, responsibility parentheticals included
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    recurrences: list[Recurrence] = field(default_factory=list)
    # The units were read from a sentence's subject, not from a note: worth a reviewer's look.
    units_from_subject: bool = False
    # A responsibility note opens a bracket that never closes: its list may be cut or overrun.
    unclosed_unit_list: bool = False


@dataclass(frozen=True)
class ReviewFlag:
    """Something an administrator should check before trusting an import.

    A code, not a sentence: the command line and the bot word it in the reader's language
    (catalogue key "review.<code>", filled with `task` and `values`).
    """

    code: str  # e.g. "no_period_end", "task_without_units", "deadline_after_period_end"
    task: int | None = None  # the task's seq, where the flag is about one task
    values: tuple[tuple[str, str], ...] = ()  # extra placeholders, e.g. (("due", "2027-01-31"),)


@dataclass
class ExtractedPlan:
    source: str  # the input file's name, e.g. "plan.txt"
    language: str  # "zh" or "en"
    document: DocumentMeta
    tasks: list[ExtractedTask]
    # Things an administrator should look at before trusting the import (one sentence each).
    review_flags: list[ReviewFlag] = field(default_factory=list)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def plan_to_json(plan: ExtractedPlan) -> dict:
    """The plan in exactly the gold JSON shape (../shared/gold/SCHEMA.md)."""
    doc = plan.document
    return {
        "source": plan.source,
        "language": plan.language,
        "document": {
            "title": doc.title,
            "issuer": doc.issuer,
            "doc_number": doc.doc_number,
            "issued_on": _iso(doc.issued_on),
            "period_end": _iso(doc.period_end),
        },
        "tasks": [
            {
                "seq": t.seq,
                "label": t.label,
                "section": t.section,
                "title": t.title,
                "text_start": t.text_start,
                "lead_units": list(t.lead_units),
                "responsible_units": list(t.responsible_units),
                "cooperating_units": list(t.cooperating_units),
                "deadlines": [{"phrase": d.phrase, "due": _iso(d.due), "quote": d.quote} for d in t.deadlines],
                "recurrences": [{"phrase": r.phrase, "freq": r.freq, "quote": r.quote} for r in t.recurrences],
            }
            for t in plan.tasks
        ],
    }
