"""`deadline-bot export` and `import-corrections`: the spreadsheet round trip of issue 10."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

PLAN = """2023年样例县法治政府建设工作要点

一、制度建设

1. 清理规范性文件。2023年10月8日前完成清理。（牵头单位：县司法局）

2. 推进政务公开。（责任单位：县政务服务中心）

3. 规范行政执法。（牵头单位：县司法局；配合单位：县财政局）
"""


@pytest.fixture
def cli(cli, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN, encoding="utf-8")
    # As of the plan's own year: imported today, a 2023 plan would come in as history (an audited decision).
    assert cli("ingest", str(plan), "--as-of", "2023-09-01").exit_code == 0
    return cli


def edit_cells(source, target, edits):
    """edits: (task id, header, value); the row is found by the task id column."""
    workbook = load_workbook(source)
    sheet = workbook.active
    columns = {cell.value: cell.column for cell in sheet[1]}
    rows = {str(sheet.cell(row=r, column=columns["任务ID"]).value): r for r in range(2, sheet.max_row + 1)}
    for task_id, header, value in edits:
        sheet.cell(row=rows[str(task_id)], column=columns[header], value=value)
    workbook.save(target)


def trail(cli):
    return json.loads(cli("corrections", "--format", "json").stdout)


def tasks(cli, document):
    return {int(t["label"]): t for t in json.loads(cli("tasks", "--document", str(document), "--format", "json").stdout)}


def test_export_edit_dry_run_apply_and_reimport(cli, tmp_path):
    exported = cli("export", "--format", "xlsx", "--out", str(tmp_path / "tasks.xlsx"))
    assert exported.exit_code == 0 and "3" in exported.stdout
    header = [c.value for c in load_workbook(tmp_path / "tasks.xlsx").active[1]]
    assert header[0] == "任务ID" and "节点（日期 原文）" in header and "待核查" in header
    edit_cells(tmp_path / "tasks.xlsx", tmp_path / "edited.xlsx", [
        (1, "任务", "全面清理规范性文件"),
        (2, "责任单位", "县政务服务中心（牵头）；县司法局（配合）"),
        (3, "截止日期", "2023-11-30"),
    ])

    dry = cli("import-corrections", str(tmp_path / "edited.xlsx"))

    assert dry.exit_code == 0, dry.output
    assert "全面清理规范性文件" in dry.stdout and "县司法局（配合）" in dry.stdout and "2023-11-30" in dry.stdout
    assert "--apply" in dry.stdout and trail(cli) == []

    applied = cli("import-corrections", str(tmp_path / "edited.xlsx"), "--apply")

    assert applied.exit_code == 0, applied.output
    assert {(c["task_id"], c["field"], c["source"]) for c in trail(cli)} == {
        (1, "title", "sheet"), (2, "unit_role", "sheet"), (3, "due", "sheet")}
    assert len(trail(cli)) == 3 + 1  # the centre's role changed, the bureau was added
    again = cli("import-corrections", str(tmp_path / "edited.xlsx"))
    assert "没有差异" in again.stdout  # applied: the sheet and the record agree

    changed = tmp_path / "plan-v2.txt"
    changed.write_text(PLAN + "\n4. 加强执法监督。\n", encoding="utf-8")
    assert cli("ingest", str(changed), "--on-change", "replace").exit_code == 0
    after = tasks(cli, 2)
    assert after[1]["title"] == "全面清理规范性文件"
    assert sorted((u["name"], u["role"]) for u in after[2]["units"]) == [("县司法局", "cooperating"),
                                                                        ("县政务服务中心", "lead")]
    assert (after[3]["effective_due"], after[3]["due_source"]) == ("2023-11-30", "admin")


def test_unreadable_rows_are_listed_and_nothing_is_applied(cli, tmp_path):
    cli("export", "--out", str(tmp_path / "tasks.xlsx"))
    edit_cells(tmp_path / "tasks.xlsx", tmp_path / "edited.xlsx", [
        (1, "任务", "全面清理规范性文件"),  # readable, but must not be applied alone
        (2, "截止日期", "下个月"),
        (3, "责任单位", "县审计局（牵头）"),  # nobody knows this unit
        (3, "任务ID", "999"),
    ])

    result = cli("import-corrections", str(tmp_path / "edited.xlsx"), "--apply")

    assert result.exit_code == 1
    assert "第 3 行" in result.stderr and "下个月" in result.stderr and "第 4 行" in result.stderr
    assert "什么都没有写入" in result.stderr
    assert trail(cli) == [] and tasks(cli, 1)[1]["title"] == "清理规范性文件"
    created = cli("import-corrections", str(tmp_path / "edited.xlsx"), "--apply", "--create-units")
    assert created.exit_code == 1  # the other rows are still unreadable


def test_a_file_that_is_not_an_export_is_one_line(cli, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("名称,日期\n甲,2023-01-01\n", encoding="utf-8")
    result = cli("import-corrections", str(other))
    assert result.exit_code == 1 and "任务ID" in result.stderr and result.stderr.count("\n") == 1


def test_csv_round_trip_keeps_a_formula_looking_title_as_text(cli, tmp_path):
    assert cli("edit", "1", "--title", "=1+1 清理").exit_code == 0
    cli("export", "--format", "csv", "--out", str(tmp_path / "tasks.csv"))
    text = (tmp_path / "tasks.csv").read_text("utf-8-sig")
    assert "'=1+1 清理" in text
    assert "没有差异" in cli("import-corrections", str(tmp_path / "tasks.csv")).stdout
