"""Importing a plan: read → extract → ingest → settle → re-plan, the one way a plan file enters the store.

The command line (`deadline-bot ingest`) and the chat import (bot.imports) both go through these
functions and only render what they return. The chat import takes the steps at two moments — it
reads and previews when the file arrives (in a worker process with a time budget), and ingests
when an administrator confirms — so the pipeline is offered step by step rather than as one call.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine

from app.reminders import settle_imported_plan
from extract.model import ExtractedPlan
from extract.plan import extract_document, extract_plan
from extract.reading import SourceDocument, UnreadableDocument, read_document_bytes
from scheduler.policy import ReminderPolicy
from store.extensions import ImportKind, import_kind
from store.ingest import IngestOutcome, OnChange, VersionChanges, ingest_plan, version_changes

@dataclass(frozen=True)
class PlanReading:
    """A file read and extracted: its text and plan, or why it cannot be read (crosses a process boundary)."""

    source: SourceDocument | None
    plan: ExtractedPlan | None
    unreadable: str | None = None


def read_plan(data: bytes, name: str) -> PlanReading:
    """Bytes of a plan file → its text and plan (pure, so it can run in a worker process)."""
    try:
        source = read_document_bytes(data, name)
    except UnreadableDocument as error:
        return PlanReading(None, None, str(error))
    return PlanReading(source, extract_document(source))


def read_plan_file(path: Path, name: str) -> PlanReading:
    """A plan file on disk, stored and reported under `name` (a printable form of its file name)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return PlanReading(None, None, str(UnreadableDocument(name, f"cannot read ({error.strerror or error})")))
    return read_plan(data, name)


def reextract_plan(text: str, name: str) -> ExtractedPlan:
    """The plan of a text read earlier (extraction is pure: the same text gives the same plan)."""
    return extract_plan(text, name)


@dataclass(frozen=True)
class ImportPreview:
    """What importing would do: a new plan, these very bytes again, or a new version of a stored plan
    (with what replacing it would keep, change, add and drop)."""

    kind: ImportKind
    changes: VersionChanges | None = None


def preview_import(engine: Engine, plan: ExtractedPlan, content_sha256: str) -> ImportPreview:
    """What import_plan would find, without writing anything."""
    kind = import_kind(engine, plan, content_sha256)
    return ImportPreview(kind, version_changes(engine, plan) if kind == "changed" else None)


@dataclass(frozen=True)
class PlanImport:
    """What importing did: the ingest's outcome, and whether a finished plan came in as history."""

    outcome: IngestOutcome
    history: bool


def import_plan(engine: Engine, plan: ExtractedPlan, content_sha256: str, on_change: OnChange = "skip", *,
                import_day: date, current: bool, policy: ReminderPolicy, by: str, now: datetime,
                replan: Callable[[], object]) -> PlanImport:
    """Store the plan (one transaction, store.ingest); bring it in as history when its period has
    ended, unless `current` (app.reminders.settle_imported_plan); re-plan when the store changed.

    `replan` is the interface's way to re-plan (the command line plans from its settings, the bot
    through its running scheduler); a batch may pass BatchReplan.request to plan once at its end.
    """
    outcome = ingest_plan(engine, plan, content_sha256, on_change=on_change)
    history = settle_imported_plan(engine, outcome, import_day=import_day, current=current, policy=policy, by=by,
                                   now=now)
    if outcome.stored_document:  # the stored tasks differ: the outbox must follow
        replan()
    return PlanImport(outcome, history)


class BatchReplan:
    """Re-plan requests from the imports of one batch, answered by one re-plan at its end."""

    def __init__(self, replan: Callable[[], object]) -> None:
        self._replan = replan
        self.requested = False

    def request(self) -> None:
        self.requested = True

    def run(self) -> None:
        """Re-plan once if any import of the batch asked for it."""
        if self.requested:
            self.requested = False
            self._replan()
