"""The due / overdue / units / documents questions, answered as typed values."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event
from sqlmodel import select

from plan_builders import business_plan, plan, sha, task
from store.db import session_scope
from store.errors import UnknownDocument, UnknownUnit
from store.ingest import ingest_plan
from store.models import DueSource, Task, TaskStatus, UnitKind, UnitRole
from store.queries import TaskDue, documents, due_within, overdue, tasks, units


def set_status(engine, title: str, status: TaskStatus) -> None:
    with session_scope(engine) as session:
        stored = session.exec(select(Task).where(Task.title == title)).one()
        stored.status = status
        session.add(stored)


def titles(found: list[TaskDue]) -> list[str]:
    return [t.title for t in found]


def test_due_within_includes_both_ends_of_the_window_in_due_order(engine):
    ingest_plan(engine, business_plan(), sha("v1"))

    assert titles(due_within(engine, date(2031, 3, 31), 91)) == ["推行电子证照互认", "压减开办企业时间"]
    assert titles(due_within(engine, date(2031, 4, 1), 90)) == ["压减开办企业时间"]
    assert titles(due_within(engine, date(2031, 4, 1), 89)) == []


def test_due_within_returns_typed_rows_with_units_and_earliest_phrase(engine):
    outcome = ingest_plan(engine, business_plan(), sha("v1"))

    [first] = due_within(engine, date(2031, 3, 1), 30)

    assert first.document_id == outcome.document_id
    assert first.document_title == "示例市2031年营商环境改进工作方案"
    assert (first.seq, first.label, first.section) == (2, "2", "一")
    assert (first.status, first.due_source) == (TaskStatus.OPEN, DueSource.EXPLICIT)
    assert first.deadline_phrase == "2031年3月底前"
    assert first.units == (("示例市政务服务中心（示例市数据资源局）", UnitRole.RESPONSIBLE),)
    with pytest.raises(AttributeError):
        first.title = "changed"  # frozen: callers cannot mistake it for a live record


def test_units_of_a_task_list_the_lead_first(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    [first] = due_within(engine, date(2031, 6, 30), 0)
    assert first.units[0] == ("示例市市场监管局", UnitRole.LEAD)
    assert {role for _, role in first.units[1:]} == {UnitRole.COOPERATING}


def test_overdue_excludes_done_tasks(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    as_of = date(2032, 1, 1)
    assert titles(overdue(engine, as_of)) == ["推行电子证照互认", "压减开办企业时间", "健全营商环境投诉机制"]

    set_status(engine, "推行电子证照互认", TaskStatus.DONE)
    set_status(engine, "健全营商环境投诉机制", TaskStatus.CANCELLED)
    set_status(engine, "压减开办企业时间", TaskStatus.BLOCKED)

    assert titles(overdue(engine, as_of)) == ["压减开办企业时间"]


def test_task_due_today_is_not_overdue(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    assert "推行电子证照互认" not in titles(overdue(engine, date(2031, 3, 31)))
    assert "推行电子证照互认" in titles(overdue(engine, date(2031, 4, 1)))


def test_queries_ignore_superseded_documents(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    revised = plan([task(1, "压减开办企业时间", lead=("示例市市场监管局",))])
    new = ingest_plan(engine, revised, sha("v2"), on_change="replace")

    # The dropped tasks are cancelled and stay with the superseded version; neither shows up.
    assert [(t.title, t.document_id) for t in overdue(engine, date(2032, 1, 1))] == [
        ("压减开办企业时间", new.document_id)]
    assert titles(tasks(engine)) == ["压减开办企业时间"]


def test_filters_by_document(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    second = ingest_plan(
        engine, plan([task(1, "另一份方案的任务")], title="另一份方案", doc_number=None), sha("other")
    )
    as_of = date(2032, 1, 1)
    assert titles(overdue(engine, as_of, document_id=second.document_id)) == ["另一份方案的任务"]
    assert len(overdue(engine, as_of, document_id=first.document_id)) == 3
    assert titles(tasks(engine, document_id=second.document_id)) == ["另一份方案的任务"]
    with pytest.raises(UnknownDocument):
        overdue(engine, as_of, document_id=9999)


def test_unknown_unit_is_an_error_with_suggestions(engine):
    ingest_plan(engine, business_plan(), sha("v1"))

    with pytest.raises(UnknownUnit) as caught:
        due_within(engine, date(2031, 1, 1), 30, unit="税务局")

    assert caught.value.name == "税务局"
    assert "示例市税务局" in caught.value.suggestions
    with pytest.raises(UnknownUnit) as caught:
        overdue(engine, date(2031, 1, 1), unit="完全无关的名字")
    assert caught.value.suggestions == ()


def test_unit_filter_by_printed_name(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    assert titles(overdue(engine, date(2032, 1, 1), unit="示例市税务局")) == ["压减开办企业时间"]


def test_units_summary_counts_roles_and_open_tasks(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    set_status(engine, "推行电子证照互认", TaskStatus.DONE)

    by_name = {u.name: u for u in units(engine)}

    center = by_name["示例市政务服务中心（示例市数据资源局）"]
    assert center.aliases == ("示例市政务服务中心", "示例市数据资源局")
    assert (center.lead_count, center.responsible_count, center.cooperating_count) == (0, 1, 1)
    assert center.open_count == 1
    assert by_name["各区县人民政府"].kind is UnitKind.COLLECTIVE
    assert (by_name["示例市市场监管局"].lead_count, by_name["示例市市场监管局"].open_count) == (1, 1)


def test_documents_summary(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    set_status(engine, "推行电子证照互认", TaskStatus.DONE)
    second = ingest_plan(engine, business_plan(), sha("v2"), on_change="replace")

    summaries = {d.document_id: d for d in documents(engine)}

    old, new = summaries[first.document_id], summaries[second.document_id]
    assert (old.is_active, old.superseded_by_id, old.task_count) == (False, second.document_id, 0)
    assert (new.is_active, new.task_count, new.open_task_count) == (True, 3, 2)
    assert new.doc_number == "示政办发〔2031〕7号"
    assert new.imported_at.tzinfo is not None


def test_results_load_units_without_a_query_per_task(engine):
    many = plan([task(i, f"任务{i}", lead=(f"示例单位{i}",)) for i in range(1, 21)])
    ingest_plan(engine, many, sha("many"))
    ingest_plan(engine, plan([task(1, "唯一任务", lead=("示例单位1",))], title="小方案", doc_number=None), sha("one"))
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

    overdue(engine, date(2032, 1, 1), document_id=2)
    few = len(statements)
    statements.clear()
    found = overdue(engine, date(2032, 1, 1), document_id=1)

    assert len(found) == 20 and all(t.units for t in found)
    assert len(statements) == few
