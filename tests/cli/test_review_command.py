"""`deadline-bot tasks --review`: the flags stored at ingest, worded, for the tasks that have them."""
from __future__ import annotations

import json
from pathlib import Path

# An invented plan: task 1's note never closes its bracket, task 2 names no unit, task 3 is clean.
PLAN = """2031年样例县优化服务工作要点

一、重点任务

1. 推进证照联办。2031年6月底前上线联办系统。（牵头单位：县市场监管局；责任单位：县政务服务中心

2. 压缩审批时限。2031年9月底前完成流程再造。

3. 加强监督检查。2031年11月底前开展专项检查。（责任单位：县司法局）
"""

# The next version: the bracket closed, task 2 given a unit.
PLAN_V2 = PLAN.replace("县政务服务中心\n", "县政务服务中心）\n").replace(
    "完成流程再造。", "完成流程再造。（责任单位：县发展改革局）")


def plan_file(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_review_lists_only_flagged_tasks_with_worded_flags(cli, tmp_path):
    assert cli("ingest", str(plan_file(tmp_path, "plan.txt", PLAN))).exit_code == 0
    result = cli("tasks", "--review")
    assert result.exit_code == 0, result.output
    assert "推进证照联办" in result.stdout and "压缩审批时限" in result.stdout
    assert "加强监督检查" not in result.stdout
    assert "缺少右括号" in result.stdout and "没有写明责任单位" in result.stdout
    # The plan-level flag (no date of issue) is listed once, for its document.
    assert "没有找到成文日期" in result.stdout
    config = tmp_path / "en.toml"
    config.write_text('[general]\nlanguage = "en"\n', encoding="utf-8")
    english = cli("--config", str(config), "tasks", "--review").stdout
    assert "never closes" in english and "names no responsible unit" in english


def test_review_json_carries_codes_values_and_texts(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path, "plan.txt", PLAN)))
    data = json.loads(cli("tasks", "--review", "--format", "json").stdout)
    by_title = {t["title"]: t for t in data["tasks"]}
    assert set(by_title) == {"推进证照联办", "压缩审批时限"}
    assert [f["code"] for f in by_title["推进证照联办"]["review"]] == ["unclosed_unit_list"]
    assert [f["code"] for f in by_title["压缩审批时限"]["review"]] == ["task_without_units"]
    assert all(f["text"] for t in data["tasks"] for f in t["review"])
    [document] = data["documents"]
    assert "no_issue_date" in [f["code"] for f in document["review"]]


def test_review_after_a_new_version_shows_the_new_reading(cli, tmp_path):
    cli("ingest", str(plan_file(tmp_path, "plan.txt", PLAN)))
    assert cli("ingest", "--on-change", "replace", str(plan_file(tmp_path, "plan2.txt", PLAN_V2))).exit_code == 0
    data = json.loads(cli("tasks", "--review", "--format", "json").stdout)
    assert data["tasks"] == []
    assert [f["code"] for d in data["documents"] for f in d["review"]] == ["no_issue_date"]
    table = cli("tasks", "--review")
    assert "推进证照联办" not in table.stdout and "没有找到成文日期" in table.stdout


def test_review_with_nothing_flagged_says_so(cli):
    result = cli("tasks", "--review")
    assert result.exit_code == 0 and "没有需要核对的地方" in result.stdout
