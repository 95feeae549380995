"""`deadline-bot schedule`: the preview an administrator reads before going live."""
from __future__ import annotations

import json

import pytest


PLAN_2023 = """2023年样例区依法行政工作要点

一、制度建设

1. 清理规范性文件。2023年10月8日前完成清理。（牵头单位：区司法局；责任单位：区财政局）

2. 推进政务公开。每年发布政务公开年度报告。（责任单位：区政务服务中心）
"""


@pytest.fixture
def cli(cli, tmp_path):
    """The command line with a 2023 plan ingested while it was current (today it would come in as history)."""
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_2023, encoding="utf-8")
    assert cli("ingest", "--as-of", "2023-09-01", str(plan)).exit_code == 0
    return cli


def test_preview_lists_each_message_day_by_day_with_units_without_chats(cli):
    result = cli("schedule", "--from", "2023-09-01", "--to", "2023-10-31", "--format", "json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    cleanup = [r for r in rows if r["task"] and "清理规范性文件" in r["task"]]
    reminders = {(r["date"], r["unit"]) for r in cleanup if r["kind"] == "reminder"}
    # Due on the make-up Sunday 2023-10-08: the 30-day reminder on 09-08, the 7-day one moved back
    # before the National Day holiday to 09-28, the 1-day one on the make-up Saturday 10-07.
    assert {day for day, _ in reminders} == {"2023-09-08", "2023-09-28", "2023-10-07"}
    assert {unit for _, unit in reminders} == {"区司法局", "区财政局"}
    assert all(r["chat"] == "尚未绑定聊天" and r["chat_id"] is None for r in rows)
    assert all(r["time"] == "09:00" for r in rows)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_preview_filters_by_unit(cli):
    rows = json.loads(cli("schedule", "--from", "2023-09-01", "--to", "2023-10-31", "--unit", "区财政局",
                          "--format", "json").stdout)
    assert rows and {r["unit"] for r in rows} == {"区财政局"}


def test_summary_counts_messages_per_month_and_kind(cli):
    rows = json.loads(cli("schedule", "--from", "2023-09-01", "--to", "2023-10-31", "--summary",
                          "--format", "json").stdout)
    by_month = {r["month"]: r for r in rows}
    assert by_month["2023-10"]["escalation"] == 1  # the lead unit's first overdue notice
    assert by_month["2023-10"]["poll"] >= 3  # monthly poll plus the yearly obligation's October poll
    assert by_month["合计"]["total"] == by_month["2023-09"]["total"] + by_month["2023-10"]["total"]


def test_preview_table_is_readable_and_reversed_range_is_refused(cli):
    table = cli("schedule", "--from", "2023-10-07", "--to", "2023-10-07").stdout
    assert "到期提醒" in table and "区司法局" in table and "尚未绑定聊天" in table
    bad = cli("schedule", "--from", "2023-10-07", "--to", "2023-10-01")
    assert bad.exit_code == 2 and "--to" in bad.stderr


def test_a_year_without_official_holidays_is_told_once_in_the_users_language(cli):
    result = cli("schedule", "--from", "2028-01-01", "--to", "2028-01-31", "--summary")
    assert result.exit_code == 0
    told = [line for line in result.stderr.splitlines() if "2028 年没有官方节假日安排" in line]
    assert len(told) == 1 and "holidays import" in told[0]
    assert "No official public-holiday calendar" not in result.output


MANY_TASKS = "2023年样例园区工作要点\n\n" + "\n\n".join(
    f"{n}. 落实第{n}项工作措施。2023年12月31日前完成。（责任单位：园区综合办）" for n in range(1, 24)) + "\n"


def test_summary_counts_one_message_per_unit_and_send_paged_at_ten_tasks(cli, tmp_path):
    plan = tmp_path / "many.txt"
    plan.write_text(MANY_TASKS, encoding="utf-8")
    assert cli("ingest", "--as-of", "2023-09-01", str(plan)).exit_code == 0
    lines = json.loads(cli("schedule", "--from", "2023-11-01", "--to", "2023-11-30", "--unit", "园区综合办",
                           "--format", "json").stdout)
    polls = [r for r in lines if r["kind"] == "poll"]
    assert len(polls) == 23 and len({(r["date"], r["time"]) for r in polls}) == 1  # one morning, 23 tasks
    rows = json.loads(cli("schedule", "--from", "2023-11-01", "--to", "2023-11-30", "--summary", "--per", "unit",
                          "--format", "json").stdout)
    office = {r["month"]: r for r in rows if r["unit"] == "园区综合办"}
    # 23 polls on one morning are one list, paged at ten: three messages, not 23.
    assert (office["2023-11"]["reminders"], office["2023-11"]["messages"]) == (23, 3)
    summary = {r["month"]: r for r in json.loads(cli("schedule", "--from", "2023-11-01", "--to", "2023-11-30",
                                                     "--summary", "--format", "json").stdout)}
    assert summary["2023-11"]["messages"] < summary["2023-11"]["total"]
    assert summary["合计"]["messages"] == sum(r["messages"] for r in rows)
