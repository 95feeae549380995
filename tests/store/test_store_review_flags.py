"""Review flags kept in the database with the document version they were read from."""
from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete
from sqlmodel import select

from extract.model import ReviewFlag
from plan_builders import business_plan, sha
from store.db import session_scope
from store.errors import InvalidPlan, UnknownDocument
from store.ingest import ingest_plan
from store.models import Document, ReviewFlag as StoredReviewFlag, Task
from store.queries import review_flags


def flagged(plan, *flags: ReviewFlag):
    return replace(plan, review_flags=list(flags))


def stored(engine) -> list[tuple[int, int | None, str, dict]]:
    with session_scope(engine) as session:
        rows = session.exec(select(StoredReviewFlag, Task.seq).outerjoin(Task, Task.id == StoredReviewFlag.task_id)
                            .order_by(StoredReviewFlag.id)).all()
        return [(flag.document_id, seq, flag.code, flag.params) for flag, seq in rows]


def test_flags_are_stored_with_their_task_and_values_at_ingest(engine):
    plan = flagged(business_plan(), ReviewFlag("no_issue_date"), ReviewFlag("task_without_units", task=3),
                   ReviewFlag("deadline_without_date", task=2, values=(("phrase", "适时"),)))
    outcome = ingest_plan(engine, plan, sha("a"))
    assert stored(engine) == [(outcome.document_id, None, "no_issue_date", {}),
                              (outcome.document_id, 3, "task_without_units", {}),
                              (outcome.document_id, 2, "deadline_without_date", {"phrase": "适时"})]
    listed = review_flags(engine)
    # The plan's own flags first, then by task.
    assert [(f.task_seq, f.code, f.params) for f in listed] == [
        (None, "no_issue_date", ()), (2, "deadline_without_date", (("phrase", "适时"),)),
        (3, "task_without_units", ())]
    assert {f.document_title for f in listed} == {"示例市2031年营商环境改进工作方案"}


def test_a_new_version_replaces_the_flags_and_an_unchanged_file_writes_none(engine):
    first = ingest_plan(engine, flagged(business_plan(), ReviewFlag("task_without_units", task=3)), sha("v1"))
    again = ingest_plan(engine, flagged(business_plan(), ReviewFlag("task_without_units", task=3)), sha("v1"))
    assert again.kind == "unchanged" and len(stored(engine)) == 1
    # The same plan without task 3's flag but with a new one on task 1.
    second_plan = flagged(business_plan(), ReviewFlag("units_from_subject", task=1))
    skipped = ingest_plan(engine, second_plan, sha("v2"))
    assert skipped.kind == "changed" and [code for *_, code, _ in stored(engine)] == ["task_without_units"]
    second = ingest_plan(engine, second_plan, sha("v2"), on_change="replace")
    assert second.kind == "replaced" and second.document_id != first.document_id
    assert stored(engine) == [(second.document_id, 1, "units_from_subject", {})]
    assert [f.code for f in review_flags(engine, document_id=first.document_id)] == []


def test_flags_go_with_their_document(engine):
    outcome = ingest_plan(engine, flagged(business_plan(), ReviewFlag("no_issue_date"),
                                          ReviewFlag("task_without_units", task=3)), sha("a"))
    with session_scope(engine) as session:
        session.exec(delete(Task).where(Task.document_id == outcome.document_id))
        session.exec(delete(Document).where(Document.id == outcome.document_id))
    assert stored(engine) == []


def test_a_failed_ingest_stores_no_flag(engine):
    too_long = flagged(business_plan(), ReviewFlag("x" * 41))
    with pytest.raises(InvalidPlan):
        ingest_plan(engine, too_long, sha("a"))
    assert stored(engine) == []


def test_flags_of_an_unknown_document_are_refused(engine):
    with pytest.raises(UnknownDocument):
        review_flags(engine, document_id=99)
