"""`deadline-bot quiet`, `remind-policy`, and `ingest` bringing a finished plan in as history."""
from __future__ import annotations

import json

import pytest

# An invented plan whose year has long ended: imported today it would flood every unit with
# overdue notices about work done or dropped years ago.
OLD_PLAN = """2019年样例县法治政府建设工作要点

一、依法履职

1. 清理行政许可事项。2019年6月底前完成。（牵头单位：县司法局；责任单位：县财政局）

2. 公布权责清单。2019年9月底前完成。（责任单位：县政务服务中心）

3. 开展执法检查。2019年底前完成。（责任单位：县市场监管局）
"""


@pytest.fixture
def old_plan(tmp_path):
    path = tmp_path / "old.txt"
    path.write_text(OLD_PLAN, encoding="utf-8")
    return str(path)


def summary(cli, first="2026-01-01", last="2026-03-31") -> dict[str, dict]:
    result = cli("schedule", "--from", first, "--to", last, "--summary", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return {row["month"]: row for row in json.loads(result.stdout)}


def test_a_finished_plan_comes_in_as_history_and_sends_nothing(cli, old_plan):
    result = cli("ingest", "--as-of", "2026-01-01", old_plan)
    assert result.exit_code == 0
    assert "已按历史计划导入" in result.stderr and "--current" in result.stderr
    total = summary(cli)["合计"]
    assert total["overdue"] == total["escalation"] == total["poll"] == 0


def test_asked_for_as_current_a_finished_plan_is_nagged_at_the_slowed_pace(cli, old_plan):
    assert cli("ingest", "--current", "--as-of", "2026-01-01", old_plan).exit_code == 0
    months = summary(cli)
    # Six years overdue: one notice a month per unit (4 units), not one every three working days.
    assert [months[m]["overdue"] for m in ("2026-01", "2026-02", "2026-03")] == [4, 4, 4]
    assert months["2026-01"]["poll"] > 0


def test_imported_while_it_ran_the_plan_is_current(cli, old_plan):
    assert cli("ingest", "--as-of", "2019-03-01", old_plan).exit_code == 0
    months = summary(cli, "2019-07-01", "2019-07-31")
    assert months["2019-07"]["overdue"] >= 2 and months["2019-07"]["poll"] > 0


def test_quiet_stops_one_tasks_overdue_notices_and_undo_resumes_them(cli, old_plan):
    assert cli("ingest", "--current", old_plan).exit_code == 0
    before = summary(cli)["合计"]["overdue"]

    quiet = cli("quiet", "1")
    assert quiet.exit_code == 0 and "已停止逾期提醒" in quiet.stdout and "deadline-bot quiet 1 --undo" in quiet.stdout
    assert summary(cli)["合计"]["overdue"] == before - 2 * 3  # task 1's two units, three months
    assert "未作改动" in cli("quiet", "1").stdout

    undo = cli("quiet", "1", "--undo")
    assert undo.exit_code == 0 and "恢复逾期提醒" in undo.stdout
    assert summary(cli)["合计"]["overdue"] == before


def test_quiet_on_an_unknown_task_is_one_line_and_exit_code_2(cli, old_plan):
    assert cli("ingest", old_plan).exit_code == 0
    result = cli("quiet", "99")
    assert result.exit_code == 2 and result.stderr.strip() == "没有编号为 99 的任务。"


def test_remind_policy_prints_the_cadence_steps_in_the_users_language(cli, tmp_path):
    assert "2. 然后每 1 周一次，共 4 次" in cli("remind-policy").stdout
    config = tmp_path / "en.toml"
    config.write_text('[general]\nlanguage = "en"\n[reminders]\n'
                      'overdue_cadence = [{ every = "2 working days", notices = 3 }, { every = "2 weeks", notices = 2 }]\n',
                      encoding="utf-8")
    lines = cli("--config", str(config), "remind-policy").stdout.splitlines()
    assert "  1. every 2 working day(s), 3 notice(s) in all, the first one included" in lines
    assert "  2. then every 2 week(s), 2 notice(s)" in lines
    assert "  After that, no more overdue notices." in lines


def test_a_bad_cadence_in_the_config_is_one_line_naming_the_key(cli, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text('[reminders]\noverdue_cadence = [{ every = "3 days" }]\n', encoding="utf-8")
    result = cli("--config", str(config), "remind-policy")
    assert result.exit_code == 2
    assert "reminders.overdue_cadence" in result.stderr and len(result.stderr.strip().splitlines()) == 1
