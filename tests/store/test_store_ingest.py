"""Ingesting extracted plans: idempotence, unit identity, versions, atomicity."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

import store.ingest
from plan_builders import business_plan, plan, sha, task
from store.db import session_scope
from store.ingest import ingest_plan
from store.models import (
    Deadline,
    Document,
    DueSource,
    Recurrence,
    Task,
    TaskStatus,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitKind,
    UnitRole,
)
from store.queries import due_within

ALL_TABLES = (Document, Unit, UnitAlias, Task, TaskUnit, Deadline, Recurrence)


def row_counts(engine) -> dict[str, int]:
    with session_scope(engine) as session:
        return {t.__tablename__: session.exec(select(func.count()).select_from(t)).one() for t in ALL_TABLES}


def tasks_by_title(engine) -> dict[str, Task]:
    with session_scope(engine) as session:
        return {t.title: t for t in session.exec(select(Task)).all()}


def set_status(engine, task_id: int, status: TaskStatus) -> None:
    with session_scope(engine) as session:
        stored = session.get(Task, task_id)
        stored.status = status
        session.add(stored)


def test_new_plan_creates_document_tasks_units_and_deadlines(engine):
    outcome = ingest_plan(engine, business_plan(), sha("v1"))

    assert outcome.kind == "created"
    assert (outcome.task_count, outcome.deadline_count) == (3, 3)
    # 市场监管局, 税务局, 政务服务中心（数据资源局）, 各区县人民政府, 司法局
    assert outcome.new_unit_count == 5
    assert row_counts(engine) == {
        "document": 1, "unit": 5, "unit_alias": 2, "task": 3, "task_unit": 6, "deadline": 3, "recurrence": 0,
    }


def test_effective_due_is_earliest_deadline_else_period_end(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    stored = tasks_by_title(engine)

    assert (stored["压减开办企业时间"].effective_due, stored["压减开办企业时间"].due_source) == (
        date(2031, 6, 30), DueSource.EXPLICIT)
    assert stored["推行电子证照互认"].effective_due == date(2031, 3, 31)
    assert (stored["健全营商环境投诉机制"].effective_due, stored["健全营商环境投诉机制"].due_source) == (
        date(2031, 12, 31), DueSource.PERIOD_END)


def test_task_without_deadline_or_period_end_has_no_due_date(engine):
    ingest_plan(engine, plan([task(1, "长期坚持的工作")], period_end=None), sha("v1"))
    stored = tasks_by_title(engine)["长期坚持的工作"]
    assert (stored.effective_due, stored.due_source, stored.status) == (None, None, TaskStatus.OPEN)


def test_same_plan_twice_changes_no_row_counts(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    before = row_counts(engine)

    second = ingest_plan(engine, business_plan(), sha("v1"))

    assert row_counts(engine) == before
    assert second.kind == "unchanged"
    assert second.document_id == first.document_id
    assert (second.task_count, second.new_unit_count, second.deadline_count) == (3, 0, 3)


def test_unit_found_by_alias(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    other = plan(
        [task(1, "开放公共数据目录", lead=("示例市数据资源局",), due=(("2031年5月底前", date(2031, 5, 31)),))],
        title="示例市公共数据开放实施方案",
        doc_number="示政办发〔2031〕9号",
    )

    outcome = ingest_plan(engine, other, sha("other"))

    assert outcome.new_unit_count == 0
    with session_scope(engine) as session:
        units = session.exec(select(Unit).where(Unit.name.contains("数据资源局"))).all()
    assert [u.name for u in units] == ["示例市政务服务中心（示例市数据资源局）"]
    # ...and the query by the short name finds the tasks of both documents.
    found = due_within(engine, date(2031, 1, 1), 365, unit="示例市数据资源局")
    assert [t.title for t in found] == ["推行电子证照互认", "开放公共数据目录", "压减开办企业时间"]


def test_unit_spellings_differing_in_width_and_spaces_share_one_row(engine):
    spaced = plan([task(1, "甲", lead=("示例市 税务局",)), task(2, "乙", lead=("示例市税务局",))])
    outcome = ingest_plan(engine, spaced, sha("spaced"))
    assert outcome.new_unit_count == 1


def test_collective_unit_is_marked_collective(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    with session_scope(engine) as session:
        kinds = {u.name: u.kind for u in session.exec(select(Unit)).all()}
    assert kinds["各区县人民政府"] is UnitKind.COLLECTIVE
    assert kinds["示例市司法局"] is UnitKind.SINGLE


def test_changed_plan_is_reported_not_doubled(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    before = row_counts(engine)
    revised = business_plan()
    revised.tasks.append(task(4, "新增的一项任务"))

    outcome = ingest_plan(engine, revised, sha("v2"))

    assert outcome.kind == "changed"
    assert outcome.document_id == first.document_id
    assert str(first.document_id) in outcome.message and "replace" in outcome.message
    assert row_counts(engine) == before


def test_changed_plan_is_recognised_by_title_and_issuer_without_doc_number(engine):
    first = ingest_plan(engine, plan([task(1, "甲")], doc_number=None), sha("v1"))
    outcome = ingest_plan(engine, plan([task(1, "甲"), task(2, "乙")], doc_number=None), sha("v2"))
    assert (outcome.kind, outcome.document_id) == ("changed", first.document_id)


def test_replace_keeps_status_of_matching_tasks(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    before = tasks_by_title(engine)
    set_status(engine, before["压减开办企业时间"].id, TaskStatus.IN_PROGRESS)

    revised = business_plan()
    revised.tasks[0] = replace(
        revised.tasks[0], seq=1, body="新的要求。", lead_units=["示例市司法局"],
        deadlines=[replace(revised.tasks[0].deadlines[0], phrase="2031年8月底前", due=date(2031, 8, 31))],
    )
    del revised.tasks[1]  # 推行电子证照互认 is dropped from the plan
    revised.tasks[1].seq = 2
    revised.tasks.append(task(3, "建立企业服务专员制度", label="3"))

    outcome = ingest_plan(engine, revised, sha("v2"), on_change="replace")

    assert outcome.kind == "replaced"
    assert (outcome.kept_task_count, outcome.cancelled_task_count) == (2, 1)
    after = tasks_by_title(engine)
    kept = after["压减开办企业时间"]
    assert kept.id == before["压减开办企业时间"].id
    assert kept.status is TaskStatus.IN_PROGRESS
    assert (kept.document_id, kept.body, kept.effective_due) == (outcome.document_id, "新的要求。", date(2031, 8, 31))
    assert after["推行电子证照互认"].status is TaskStatus.CANCELLED
    assert after["建立企业服务专员制度"].status is TaskStatus.OPEN
    with session_scope(engine) as session:
        old = session.get(Document, first.document_id)
        assert old.superseded_by_id == outcome.document_id
        lead_of_kept = session.exec(
            select(Unit.name).join(TaskUnit).where(TaskUnit.task_id == kept.id, TaskUnit.role == UnitRole.LEAD)
        ).all()
        assert lead_of_kept == ["示例市司法局"]
        assert session.exec(select(Deadline.phrase).where(Deadline.task_id == kept.id)).all() == ["2031年8月底前"]


def test_replace_keeps_a_due_date_set_by_an_administrator(engine):
    ingest_plan(engine, business_plan(), sha("v1"))
    with session_scope(engine) as session:
        stored = session.exec(select(Task).where(Task.title == "压减开办企业时间")).one()
        stored.effective_due, stored.due_source = date(2031, 10, 15), DueSource.ADMIN
        session.add(stored)

    ingest_plan(engine, replace(business_plan(), source="plan-v2.txt"), sha("v2"), on_change="replace")

    stored = tasks_by_title(engine)["压减开办企业时间"]
    assert (stored.effective_due, stored.due_source) == (date(2031, 10, 15), DueSource.ADMIN)


def test_reimporting_a_superseded_version_writes_nothing(engine):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    ingest_plan(engine, business_plan(), sha("v2"), on_change="replace")
    before = row_counts(engine)

    outcome = ingest_plan(engine, business_plan(), sha("v1"), on_change="replace")

    assert (outcome.kind, outcome.document_id) == ("unchanged", first.document_id)
    assert row_counts(engine) == before


def test_failed_ingest_leaves_nothing_behind(engine, monkeypatch):
    real_unit_kind = store.ingest.unit_kind

    def unit_kind_failing_on_the_last_task(name: str) -> str:
        if name == "示例市司法局":  # first seen in task 3, after tasks 1 and 2 were flushed
            raise RuntimeError("simulated failure mid-ingest")
        return real_unit_kind(name)

    monkeypatch.setattr(store.ingest, "unit_kind", unit_kind_failing_on_the_last_task)

    with pytest.raises(RuntimeError, match="mid-ingest"):
        ingest_plan(engine, business_plan(), sha("v1"))

    assert set(row_counts(engine).values()) == {0}


def test_failed_replace_leaves_the_old_version_active(engine, monkeypatch):
    first = ingest_plan(engine, business_plan(), sha("v1"))
    before = row_counts(engine)
    monkeypatch.setattr(store.ingest, "_clear_task_children", lambda session, t: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        ingest_plan(engine, business_plan(), sha("v2"), on_change="replace")

    assert row_counts(engine) == before
    with session_scope(engine) as session:
        assert session.get(Document, first.document_id).superseded_by_id is None


def test_unknown_on_change_is_rejected(engine):
    with pytest.raises(ValueError):
        ingest_plan(engine, business_plan(), sha("v1"), on_change="merge")


def test_concurrent_imports_of_one_file_store_it_once(engine):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    start = Barrier(4)

    def import_once(_):
        start.wait()
        return ingest_plan(engine, business_plan(), sha("v1")).kind

    with ThreadPoolExecutor(max_workers=4) as pool:
        kinds = sorted(pool.map(import_once, range(4)))

    assert kinds == ["created", "unchanged", "unchanged", "unchanged"]
    assert row_counts(engine)["document"] == 1 and row_counts(engine)["unit"] == 5


def test_an_import_of_the_same_file_committed_between_the_lookups_is_unchanged(engine, monkeypatch):
    # The interleaving the test above meets by chance under load, forced: another import of
    # this very file commits after the content lookup and before the version lookup.
    from concurrent.futures import ThreadPoolExecutor

    original = store.ingest.previous_version
    raced = []

    def previous_version_after_a_rival_commit(session, plan_):
        if not raced:
            raced.append(True)
            with ThreadPoolExecutor(max_workers=1) as rival:
                assert rival.submit(ingest_plan, engine, business_plan(), sha("v1")).result().kind == "created"
        return original(session, plan_)

    monkeypatch.setattr(store.ingest, "previous_version", previous_version_after_a_rival_commit)
    assert ingest_plan(engine, business_plan(), sha("v1")).kind == "unchanged"
    assert row_counts(engine)["document"] == 1


def test_overlong_unit_name_is_refused_the_same_way_on_every_backend(engine):
    from store.errors import InvalidPlan

    runaway = plan([task(1, "甲", lead=("示例" * 200,))])
    with pytest.raises(InvalidPlan, match="name"):
        ingest_plan(engine, runaway, sha("runaway"))
    assert set(row_counts(engine).values()) == {0}


def test_plan_with_repeated_sequence_numbers_is_refused(engine):
    from store.errors import InvalidPlan

    with pytest.raises(InvalidPlan):
        ingest_plan(engine, plan([task(1, "甲"), task(1, "乙")]), sha("dup"))


def test_concurrent_replacements_leave_one_active_version(engine):
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    ingest_plan(engine, business_plan(), sha("v1"))
    start = Barrier(3)

    def replace_with(version: str):
        start.wait()
        return ingest_plan(engine, business_plan(), sha(version), on_change="replace").kind

    with ThreadPoolExecutor(max_workers=3) as pool:
        kinds = list(pool.map(replace_with, ["v2", "v3", "v4"]))

    assert kinds == ["replaced"] * 3
    with session_scope(engine) as session:
        active = session.exec(select(Document).where(Document.superseded_by_id.is_(None))).all()
        assert len(active) == 1
        assert len(session.exec(select(Task).where(Task.document_id == active[0].id)).all()) == 3
