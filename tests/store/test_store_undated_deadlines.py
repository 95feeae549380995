"""A milestone whose day the plan does not give ("印发后30日内") is stored without a date."""
from __future__ import annotations

from datetime import date

from sqlmodel import select

from extract.model import Deadline as ExtractedDeadline
from plan_builders import plan, sha, task
from store.db import session_scope
from store.ingest import ingest_plan
from store.models import Deadline, DueSource, Task


def _stored(engine) -> tuple[Task, list[Deadline]]:
    with session_scope(engine) as session:
        stored = session.exec(select(Task)).one()
        return stored, list(session.exec(select(Deadline).order_by(Deadline.id)).all())


def test_an_undated_milestone_is_stored_and_the_dated_one_sets_the_due_date(engine):
    one = task(1, "修订管理办法", due=(("2031年9月底前", date(2031, 9, 30)),))
    one.deadlines.insert(0, ExtractedDeadline(phrase="印发后60日内", due=None, quote="印发后60日内报送细则"))
    ingest_plan(engine, plan([one]), sha("v1"))

    stored, deadlines = _stored(engine)
    assert [(d.phrase, d.due) for d in deadlines] == [("印发后60日内", None), ("2031年9月底前", date(2031, 9, 30))]
    assert (stored.effective_due, stored.due_source) == (date(2031, 9, 30), DueSource.EXPLICIT)


def test_a_task_with_only_an_undated_milestone_falls_back_to_the_period_end(engine):
    one = task(1, "报送实施细则")
    one.deadlines.append(ExtractedDeadline(phrase="印发后60日内", due=None, quote="印发后60日内报送细则"))
    ingest_plan(engine, plan([one], period_end=date(2031, 12, 31)), sha("v1"))

    stored, _ = _stored(engine)
    assert (stored.effective_due, stored.due_source) == (date(2031, 12, 31), DueSource.PERIOD_END)
