"""`deadline-bot assign | edit | close | archive | snooze | corrections …`: corrections from the command line."""
from __future__ import annotations

import json

import pytest

# A plan that names no unit at all: the office assigns them after the import.
PLAN = """2023年样例县法治政府建设工作要点

一、制度建设

1. 清理规范性文件。2023年10月8日前完成清理。

2. 推进政务公开。

3. 规范行政执法。
"""


@pytest.fixture
def cli(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    # As of the plan's own year: imported today, a 2023 plan would come in as history.
    assert cli("ingest", str(plan), "--as-of", "2023-09-01").exit_code == 0
    return cli


def summary_total(cli, last: str = "2024-01-31") -> int:
    rows = json.loads(cli("schedule", "--from", "2023-09-01", "--to", last, "--document", "1", "--summary",
                          "--format", "json").stdout)
    return rows[-1]["total"]


def test_assigning_a_unit_to_every_task_makes_the_schedule_non_empty(cli):
    assert summary_total(cli) == 0

    result = cli("assign", "--document", "1", "--tasks", "1-3", "--unit", "县司法局", "--role", "lead", "--create")

    assert result.exit_code == 0, result.output
    assert "县司法局" in result.stdout and "3" in result.stdout
    assert summary_total(cli) > 0
    trail = json.loads(cli("corrections", "--format", "json").stdout)
    assert [(c["task_id"], c["unit"], c["field"], c["new"], c["source"]) for c in trail] == [
        (1, "县司法局", "unit_role", "lead", "cli"), (2, "县司法局", "unit_role", "lead", "cli"),
        (3, "县司法局", "unit_role", "lead", "cli")]


def test_an_unknown_task_number_is_one_line_and_nothing_is_written(cli):
    result = cli("assign", "--document", "1", "--tasks", "1-9", "--unit", "县司法局", "--create")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "4, 5, 6, 7, 8, 9" in result.stderr
    assert json.loads(cli("corrections", "--format", "json").stdout) == []
    assert cli("units", "--format", "json").stdout.strip() in ("[]", "")
    unknown = cli("assign", "--task", "1", "--unit", "县司法局")  # no --create: a typo, not a new unit
    assert unknown.exit_code == 2 and "县司法局" in unknown.stderr


def test_corrections_stand_after_a_changed_plan_replaces_the_old(cli, tmp_path):
    assert cli("assign", "--document", "1", "--tasks", "1-3", "--unit", "县司法局", "--create").exit_code == 0
    assert cli("edit", "2", "--title", "全面推进政务公开", "--due", "2023-11-30", "--note", "督查室核定").exit_code == 0
    assert cli("close", "3").exit_code == 0
    changed = tmp_path / "plan-v2.txt"
    changed.write_text(PLAN + "\n4. 加强执法监督。\n", encoding="utf-8")

    result = cli("ingest", str(changed), "--on-change", "replace")

    assert result.exit_code == 0, result.output
    tasks = {int(t["label"]): t for t in json.loads(cli("tasks", "--document", "2", "--format", "json").stdout)}
    assert tasks[2]["title"] == "全面推进政务公开" and tasks[2]["effective_due"] == "2023-11-30"
    assert tasks[3]["status"] == "done"
    assert all(tasks[n]["units"] == [{"name": "县司法局", "role": "lead"}] for n in (1, 2, 3))
    assert tasks[4]["units"] == []
    listed = cli("corrections", "--task", "2").stdout
    assert "全面推进政务公开" in listed and "督查室核定" in listed


def test_status_archive_and_snooze_commands(cli):
    assert cli("assign", "--document", "1", "--tasks", "1-3", "--unit", "县司法局", "--create").exit_code == 0
    assert cli("close", "1").exit_code == 0
    again = cli("close", "1")
    assert again.exit_code == 2 and "1" in again.stderr
    assert cli("reopen", "1").exit_code == 0
    assert cli("snooze", "--unit", "县司法局", "--until", "2024-01-01").exit_code == 0
    assert summary_total(cli, "2023-12-31") == 0  # nothing before the first of January
    assert summary_total(cli) > 0
    assert cli("snooze", "--unit", "县司法局", "--until", "none").exit_code == 0
    assert summary_total(cli, "2023-12-31") > 0
    assert cli("archive", "1").exit_code == 0
    assert summary_total(cli) == 0
    bad = cli("snooze", "--task", "1", "--until", "tomorrow")
    assert bad.exit_code == 2 and "--until" in bad.stderr
    for args in (("snooze", "--task", "99999999999", "--until", "none"), ("close", "99999999999"),
                 ("assign", "--task", "99999999999", "--unit", "县司法局")):
        huge = cli(*args)
        assert huge.exit_code == 2 and "99999999999" in huge.stderr
