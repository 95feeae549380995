"""A list of several tasks for one chat (scheduler.batching, bot.compose.list_message): pure texts and keyboards."""
from __future__ import annotations

from datetime import UTC, date, datetime

from bot.compose import CatalogueComposer, label_prefix
from bot.keyboards import is_list_keyboard, list_keyboard_after_report, parse_escalation_data
from scheduler.batching import TASKS_PER_MESSAGE, count_messages, pages
from scheduler.model import ReminderKind
from scheduler.notify import ChatAddress, Delivery, DeliveryItem
from store.models import TaskStatus

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai


def item(task_id: int, kind=ReminderKind.POLL, title="推进政务公开", label="（三）", due=date(2026, 6, 4),
         **fields) -> DeliveryItem:
    return DeliveryItem(task_id=task_id, kind=kind, label=label, title=title, status="open", due=due,
                        effective_due=due, unit_id=fields.pop("unit_id", 4), **fields)


def listing(items, language="zh-CN", unit_id=4, page=1, pages_=1) -> Delivery:
    return Delivery(chat=ChatAddress(1, 42, "group", language), kind=items[0].kind,
                    kinds=tuple(dict.fromkeys(i.kind for i in items)), reminder_ids=tuple(range(len(items))),
                    now=NOW, unit_id=unit_id, unit_name="县司法局", items=tuple(items), page=page, pages=pages_)


def test_each_task_shows_its_id_first_and_the_plans_label_after():
    message = CatalogueComposer().compose(listing([item(12), item(13, label="4", title="清理文件")]))
    assert "<b>#12</b> · （三）推进政务公开 — 截止 2026-06-04，还剩 3 天" in message.text
    assert "<b>#13</b> · 4. 清理文件" in message.text
    assert [row[0] for row in message.buttons] == [("#12 ✅", "st:12:d:20260604"), ("#13 ✅", "st:13:d:20260604")]
    assert [label for label, _ in message.buttons[0]] == ["#12 ✅", "🔄", "⚠️", "📅"]


def test_labels_of_every_shape_read_unambiguously_before_the_title():
    assert [label_prefix(x) for x in ("3", "1.", "（三）", "一、", "(2)", "")] == ["3. ", "1. ", "（三）", "一、", "(2) ",
                                                                                  ""]


def test_sections_come_in_urgency_order_and_english_reads_english():
    message = CatalogueComposer().compose(listing([item(1, ReminderKind.OVERDUE, due=date(2026, 5, 29)),
                                                   item(2, ReminderKind.REMINDER), item(3)], "en"))
    assert message.text.index("Overdue") < message.text.index("Reminder") < message.text.index("Status poll")
    assert "3 days overdue" in message.text and "#2</b> · （三）" in message.text


def test_ten_long_tasks_with_many_late_units_fit_one_telegram_message():
    long = "很长的任务标题" * 100
    units = tuple(f"某某市某某县人民政府办公室第{n}科" * 3 for n in range(8))
    items = [item(n, ReminderKind.ESCALATION, title=long, due=date(2026, 5, 1), unit_id=None, late_units=units)
             for n in range(100_000_000, 100_000_000 + TASKS_PER_MESSAGE)]
    message = CatalogueComposer().compose(listing(items, unit_id=None, page=2, pages_=3))
    assert len(message.text) <= 4096 and "（第 2/3 页）" in message.text
    assert all(len(data.encode()) < 64 for row in message.buttons for _, data in row)
    assert [parse_escalation_data(row[0][1]) for row in message.buttons[:2]] == [
        ("remind", 100_000_000), ("remind", 100_000_001)]


def test_a_report_in_a_list_ticks_its_own_row_and_a_done_share_drops_it():
    buttons = CatalogueComposer().compose(listing([item(12), item(13)])).buttons
    assert is_list_keyboard(buttons) and not is_list_keyboard(buttons[:1])
    ticked = list_keyboard_after_report(buttons, 13, TaskStatus.BLOCKED, done=False)
    assert ticked[0] == buttons[0] and [label for label, _ in ticked[1]] == ["#13 ✅", "🔄", "⚠️ ✔", "📅"]
    assert list_keyboard_after_report(ticked, 13, TaskStatus.DONE, done=True) == buttons[:1]


def test_messages_are_counted_per_chat_and_send_and_paged():
    at = NOW
    rows = [("chat-a", at, task, ReminderKind.POLL) for task in range(23)]
    rows += [("chat-a", at, 0, ReminderKind.OVERDUE), ("chat-b", at, 99, ReminderKind.POLL),
             ("chat-b", at, 98, ReminderKind.VERIFY_REQUEST), ("chat-b", at, None, ReminderKind.DIGEST)]
    assert count_messages(rows) == {("chat-a", at): 3, ("chat-b", at): 3}
    assert [len(p) for p in pages(list(range(23)))] == [10, 10, 3]
