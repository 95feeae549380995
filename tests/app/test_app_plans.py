"""app.plans: the import pipeline both interfaces call — read, preview, ingest, re-plan."""
from __future__ import annotations

from datetime import UTC, date, datetime

from app.plans import BatchReplan, import_plan as pipeline_import, preview_import, read_plan, read_plan_file
from scheduler.policy import DEFAULT_POLICY

PLAN = """2031年样例县依法行政工作要点

样例县人民政府办公室
2031年2月3日

一、完善制度

1. 清理规范性文件。2031年6月底前完成现行规范性文件全面清理。（牵头单位：县司法局）

2. 推进政务公开。年内建成政务公开专区。（责任单位：县政务服务中心）
"""
# A new version: an item inserted at the top, the two others renumbered.
VERSION_2 = PLAN.replace("2. 推进", "3. 推进").replace(
    "1. 清理", "1. 编制权责清单。2031年5月底前公布权责清单。（牵头单位：县委编办）\n\n2. 清理")


def import_plan(engine, plan, sha, on_change="skip", *, replan, import_day=date(2031, 3, 1)):
    return pipeline_import(engine, plan, sha, on_change, import_day=import_day, current=False, policy=DEFAULT_POLICY,
                           by="test", now=datetime(2031, 3, 1, 2, tzinfo=UTC), replan=replan).outcome


def test_reading_an_unreadable_file_says_why_in_one_line(tmp_path):
    reading = read_plan_file(tmp_path / "missing.txt", "missing.txt")
    assert (reading.plan, reading.source) == (None, None)
    assert reading.unreadable.startswith("missing.txt: ") and "\n" not in reading.unreadable
    assert read_plan(b"", "empty.txt").unreadable == "empty.txt: the file is empty"


def test_import_replans_only_when_the_store_changed(engine):
    calls = []
    first = read_plan(PLAN.encode(), "v1.txt")

    assert import_plan(engine, first.plan, first.source.sha256, replan=lambda: calls.append("v1")).kind == "created"
    assert import_plan(engine, first.plan, first.source.sha256, replan=lambda: calls.append("again")).kind == "unchanged"
    second = read_plan(VERSION_2.encode(), "v2.txt")
    assert import_plan(engine, second.plan, second.source.sha256, replan=lambda: calls.append("skip")).kind == "changed"
    assert import_plan(engine, second.plan, second.source.sha256, "replace",
                       replan=lambda: calls.append("v2")).kind == "replaced"

    assert calls == ["v1", "v2"]


def test_preview_of_a_new_version_shows_its_matching_and_writes_nothing(engine):
    first = read_plan(PLAN.encode(), "v1.txt")
    import_plan(engine, first.plan, first.source.sha256, replan=lambda: None)
    second = read_plan(VERSION_2.encode(), "v2.txt")

    preview = preview_import(engine, second.plan, second.source.sha256)

    assert preview.kind == "changed"
    changes = preview.changes
    assert (changes.kept, changes.added, changes.dropped) == (0, 1, 0)
    assert [(c.old_label, c.new_label, c.reworded) for c in changes.changed] == [("1", "2", False), ("2", "3", False)]
    assert preview_import(engine, first.plan, first.source.sha256).kind == "unchanged"


def test_a_plan_whose_period_has_ended_comes_in_as_history(engine):
    reading = read_plan(PLAN.encode(), "v1.txt")

    imported = pipeline_import(engine, reading.plan, reading.source.sha256, import_day=date(2033, 6, 1),
                               current=False, policy=DEFAULT_POLICY, by="test",
                               now=datetime(2033, 6, 1, 2, tzinfo=UTC), replan=lambda: None)

    assert (imported.outcome.kind, imported.history) == ("created", True)


def test_a_batch_replans_once_at_its_end():
    calls = []
    batch = BatchReplan(lambda: calls.append(1))
    batch.run()
    batch.request()
    batch.request()
    batch.run()
    batch.run()
    assert calls == [1]
