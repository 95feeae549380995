"""The pure parts of the chat commands: pages, callback data, task lines, stats lines."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.admin_commands import STATS_PAGE_SIZE, stats_items
from bot.i18n import Catalogue
from bot.ids import parse_task_id
from bot.paging import PAGE_SIZE, page_bounds, page_buttons, page_data, page_of, page_text, parse_page_data
from bot.task_view import task_detail_text, task_line
from bot.unit_commands import _note_of
from bot.telegram_notifier import MAX_TEXT
from scheduler.policy import ReminderPolicy
from scheduler.traffic import TrafficLight
from store.models import TaskStatus, UnitRole
from store.queries import TaskDue
from app.progress import tally_tasks
from store.reports import ReportEntry, TaskDetail

TODAY = date(2026, 6, 1)
POLICY = ReminderPolicy()
ZH, EN = Catalogue("zh-CN"), Catalogue("en")


def due(task_id=1, title="完善复议机制", status=TaskStatus.OPEN, effective_due=date(2026, 6, 4), units=()):
    return TaskDue(task_id=task_id, document_id=1, document_title="计划", seq=task_id, label="（一）", section=None,
                   title=title, status=status, effective_due=effective_due, due_source=None, deadline_phrase=None,
                   units=units)


def test_pages_split_the_list_and_clamp_the_number():
    items = [str(n) for n in range(23)]
    assert page_of(items, 0) == page_of(items, -3)
    assert page_of(items, 0).items == tuple(items[:PAGE_SIZE]) and page_of(items, 0).count == 3
    last = page_of(items, 99)
    assert (last.number, last.items) == (2, tuple(items[20:]))
    assert page_of([], 0).count == 1


def test_long_items_make_shorter_pages_so_each_fits_a_message():
    items = ["x" * 1500] * 5 + ["y"] * 3
    assert page_bounds(items, size=10, budget=3300) == [(0, 2), (2, 4), (4, 8)]
    assert page_bounds(["z" * 5000], size=10, budget=3300) == [(0, 1)]  # one item always makes a page
    assert page_bounds([]) == [(0, 0)]


def test_page_buttons_go_back_and_forth_and_vanish_on_a_single_page():
    items = [str(n) for n in range(23)]
    assert page_buttons("unit", 7, page_of(items, 0), ZH) == ((("下一页 ▶", "pg:unit:7:1"),),)
    assert page_buttons("unit", 7, page_of(items, 1), ZH) == ((("◀ 上一页", "pg:unit:7:0"), ("下一页 ▶", "pg:unit:7:2")),)
    assert page_buttons("overdue", None, page_of(items, 2), EN) == ((("◀ Previous", "pg:overdue::1"),),)
    assert page_buttons("tasks", 1, page_of(items[:3], 0), ZH) == ()


def test_page_data_round_trips_and_stays_within_telegrams_64_bytes():
    longest = page_data("upcoming", 9_999_999_999_999_999_999, 999_999)
    assert len(longest.encode()) <= 64
    assert parse_page_data(page_data("unit", 42, 3)) == ("unit", 42, 3)
    assert parse_page_data(page_data("overdue", None, 0)) == ("overdue", None, 0)
    for forged in ("pg:unit:abc:1", "pg:unit:1:-1", "st:1:d", "pg:UNIT:1:1", "pg:unit:1:1:extra", None, ""):
        assert parse_page_data(forged) is None, forged
    with pytest.raises(ValueError):
        page_data("x" * 60, 1, 1)


def test_page_text_counts_pages_only_when_there_is_more_than_one():
    assert page_text("T", page_of(["a", "b"], 0), ZH) == "T\n\na\nb"
    assert page_text("T", page_of([str(n) for n in range(11)], 1), EN).endswith("\n\nPage 2/2")


def test_task_line_has_light_id_label_escaped_title_and_days():
    line = task_line(due(title="<b>复议</b>"), ZH, TODAY, POLICY)
    assert line == "🟡 <b>#1</b> · （一）&lt;b&gt;复议&lt;/b&gt;\n　　截止 2026-06-04（还剩 3 天）"
    assert task_line(due(effective_due=date(2026, 5, 30)), EN, TODAY, POLICY).startswith("🔴")
    assert "no due date" in task_line(due(effective_due=None), EN, TODAY, POLICY)
    assert task_line(due(effective_due=None), EN, TODAY, POLICY).startswith("🟢")
    assert task_line(due(status=TaskStatus.DONE), ZH, TODAY, POLICY).startswith("⚪")


def test_task_line_clips_long_titles_and_long_unit_lists():
    units = tuple((f"第{n}个<单位>", UnitRole.RESPONSIBLE) for n in range(12))
    line = task_line(due(title="长" * 500, units=units), ZH, TODAY, POLICY, with_units=True)
    assert "长" * 79 + "…" in line and "长" * 81 not in line
    assert "第4个&lt;单位&gt;（负责）…" in line and "第5个" not in line


def test_a_full_page_of_worst_case_lines_fits_one_message():
    units = tuple(("省" * 60, UnitRole.LEAD) for _ in range(30))
    items = [task_line(due(task_id=10**17 + n, title="&<>" * 300, units=units), ZH, TODAY, POLICY, with_units=True)
             for n in range(PAGE_SIZE * 2)]
    assert len(page_text("标题" * 50, page_of(items, 0), ZH)) <= MAX_TEXT


def test_task_detail_lists_units_deadlines_and_the_history_with_notes():
    detail = TaskDetail(
        task_id=5, label="（三）", title="清理<文件>", status=TaskStatus.IN_PROGRESS, document_title="计划&要点",
        effective_due=date(2026, 6, 30), units=(("省司法厅", UnitRole.LEAD), ("省财政厅", UnitRole.COOPERATING)),
        deadlines=(("6月底前", date(2026, 6, 30), None),),
        reports=(ReportEntry("省司法厅", 502, TaskStatus.IN_PROGRESS, "已起草<初稿>",
                             datetime(2026, 6, 1, 2, 0, tzinfo=UTC)),),
    )
    text = task_detail_text(detail, ZH, TODAY, POLICY, ZoneInfo("Asia/Shanghai"))
    assert "清理&lt;文件&gt;" in text and "计划&amp;要点" in text
    assert "省司法厅（牵头）、省财政厅（配合）" in text and "“6月底前” → 2026-06-30" in text
    assert "· 2026-06-01 10:00 省司法厅（用户 502）：推进中" in text and "说明：已起草&lt;初稿&gt;" in text


def test_task_ids_and_notes_are_read_from_what_was_typed():
    assert parse_task_id(["12"]) == 12 and parse_task_id(["#12"]) == 12
    assert parse_task_id([]) is None and parse_task_id(["x12"]) is None and parse_task_id(["-1"]) is None
    assert _note_of("/status 12 done  已印发 第二行\n第三行", 3) == "已印发 第二行\n第三行"
    assert _note_of("/status 12 done", 3) == ""


def test_tally_counts_done_open_overdue_and_lights_per_plan_and_unit():
    tasks = [
        (1, "open", date(2026, 5, 30), 1, "计划甲", "a.txt"),
        (2, "blocked", date(2026, 9, 1), 1, "计划甲", "a.txt"),
        (3, "done", date(2026, 5, 1), 1, "计划甲", "a.txt"),
        (4, "open", None, 2, None, "b.txt"),
        (5, "cancelled", None, 2, None, "b.txt"),
    ]
    stats = tally_tasks(tasks, [(1, "乙厅"), (2, "乙厅"), (3, "甲厅"), (4, "甲厅")], TODAY, POLICY)
    plan_a, plan_b = stats.by_plan
    assert (plan_a.name, plan_a.done, plan_a.open, plan_a.overdue) == ("计划甲", 1, 2, 1)
    assert plan_a.lights == {TrafficLight.RED: 1, TrafficLight.YELLOW: 1}
    assert (plan_b.name, plan_b.done, plan_b.open, plan_b.overdue) == ("b.txt", 0, 1, 0)
    assert [u.name for u in stats.by_unit] == ["乙厅", "甲厅"]
    items = stats_items(stats, EN)
    assert items[0] == "<b>By plan</b>" and items[3] == "<b>By unit</b>"
    assert items[1] == "计划甲: done 1 · open 2 · overdue 1 · 🟢0 🟡1 🔴1"
    assert len(page_text("T", page_of(items * 20, 0, STATS_PAGE_SIZE), ZH)) <= MAX_TEXT
