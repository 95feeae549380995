"""What a unit reads about milestones, in both languages: the reminder names its milestone, a done
report that met one names the next, the task view ticks the met ones."""
from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.compose import QUOTE_CHARS, CatalogueComposer, milestone_met_text
from bot.i18n import Catalogue
from bot.task_view import task_detail_text
from scheduler.model import ReminderKind
from scheduler.notify import ChatAddress, Delivery
from scheduler.policy import DEFAULT_POLICY
from store.milestones import MilestoneMet
from store.models import TaskStatus, UnitRole
from store.reports import TaskDetail

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
TODAY = date(2026, 6, 1)
JUNE, DECEMBER = date(2026, 6, 30), date(2026, 12, 31)


def reminder(language: str, quote: str, kind=ReminderKind.REMINDER) -> Delivery:
    return Delivery(chat=ChatAddress(1, 42, "group", language), kind=kind, kinds=(kind,), reminder_ids=(1,), now=NOW,
                    task_id=5, task_label="（三）", task_title="出台管理办法", task_status="in_progress",
                    effective_due=JUNE, due_date=DECEMBER, deadline_phrase="年底前<出台>", deadline_quote=quote,
                    unit_id=7, unit_name="省司法厅", unit_role="lead")


@pytest.mark.parametrize("language, due, phrase, quote", [
    ("zh-CN", "截止日期：2026-12-31", "原文期限：“年底前&lt;出台&gt;”", "原文：6月底前完成调研，年底前出台办法"),
    ("en", "Due: 2026-12-31", "Deadline as written: “年底前&lt;出台&gt;”", "In the plan: 6月底前完成调研，年底前出台办法"),
])
def test_a_reminder_names_the_milestone_it_is_about_not_the_tasks_current_one(language, due, phrase, quote):
    text = CatalogueComposer().compose(reminder(language, "6月底前完成调研，年底前出台办法")).text
    assert due in text and phrase in text and quote in text
    assert "2026-06-30" not in text


def test_a_long_quote_is_clipped_and_a_quote_that_is_only_the_phrase_is_not_repeated():
    text = CatalogueComposer().compose(reminder("zh-CN", "长" * 500, ReminderKind.OVERDUE)).text
    assert "长" * (QUOTE_CHARS - 1) + "…" in text and "长" * QUOTE_CHARS not in text
    assert "原文：" not in CatalogueComposer().compose(reminder("zh-CN", "年底前<出台>")).text


@pytest.mark.parametrize("language, expected", [
    ("zh-CN", "🏁 阶段目标已完成：“6月底前”（2026-06-30）\n➡️ 下一个节点：“年底前&amp;”，截止 2026-12-31（还剩 213 天）"),
    ("en", "🏁 Milestone met: “6月底前” (2026-06-30)\n➡️ Next milestone: “年底前&amp;”, due 2026-12-31 (213 days left)"),
])
def test_a_met_milestone_is_told_with_the_next_one(language, expected):
    met = MilestoneMet(phrase="6月底前", due=JUNE, next_phrase="年底前&", next_due=DECEMBER)
    assert expected in milestone_met_text(met, Catalogue(language), TODAY)


def detail(status: TaskStatus, deadlines) -> TaskDetail:
    return TaskDetail(task_id=5, label="（三）", title="出台管理办法", status=status, document_title="要点",
                      effective_due=DECEMBER, units=(("省司法厅", UnitRole.LEAD),), deadlines=deadlines, reports=())


def test_the_task_view_ticks_met_milestones_and_points_at_the_current_one():
    deadlines = (("6月底前", JUNE, datetime(2026, 6, 20, 2, 0, tzinfo=UTC)), ("年底前", DECEMBER, None),
                 ("印发后60日内", None, None))
    text = task_detail_text(detail(TaskStatus.IN_PROGRESS, deadlines), Catalogue("en"), TODAY, DEFAULT_POLICY,
                            ZoneInfo("Asia/Shanghai"))
    assert "✓ Deadline as printed: “6月底前” → 2026-06-30 (met 2026-06-20)" in text
    assert "➡️ Deadline as printed: “年底前” → 2026-12-31 (current milestone)" in text
    assert "\nDeadline as printed: “印发后60日内” → no due date" in text


def test_one_milestone_or_a_closed_task_gets_no_pointer():
    one = task_detail_text(detail(TaskStatus.OPEN, (("年底前", DECEMBER, None),)), Catalogue("zh-CN"), TODAY,
                           DEFAULT_POLICY, ZoneInfo("Asia/Shanghai"))
    closed = task_detail_text(detail(TaskStatus.CANCELLED, (("6月底前", JUNE, None), ("年底前", DECEMBER, None))),
                              Catalogue("zh-CN"), TODAY, DEFAULT_POLICY, ZoneInfo("Asia/Shanghai"))
    assert "➡️" not in one and "➡️" not in closed and "✓" not in one


def test_the_done_button_carries_the_due_date_it_was_drawn_with():
    from bot.keyboards import due_of_status_data, parse_status_data, status_buttons

    (done_button, progress), _ = status_buttons(7, Catalogue(), JUNE)
    assert done_button[1] == "st:7:d:20260630" and progress[1] == "st:7:p"
    assert parse_status_data(done_button[1]) == (7, TaskStatus.DONE) and due_of_status_data(done_button[1]) == JUNE
    assert due_of_status_data("st:7:d") is None and due_of_status_data("st:7:d:20261399") is None
    assert parse_status_data("st:7:d:2026063") is None
