"""The composer is pure: extension notices and the digest are composed from the Delivery alone
(CatalogueComposer holds no engine and no callable that could read one)."""
from __future__ import annotations

import inspect
from datetime import UTC, date, datetime

from bot.compose import CatalogueComposer
from scheduler.notify import ChatAddress, Delivery
from store.digest import Digest, DigestTask, DigestUnit
from store.notices import ExtensionNotice
from vocabulary import ReminderKind

NOW = datetime(2026, 6, 1, 1, 30, tzinfo=UTC)
TODAY = date(2026, 6, 1)


def delivery(kind: ReminderKind, language: str = "zh-CN", **fields) -> Delivery:
    return Delivery(chat=ChatAddress(1, 42, "private", language), kind=kind, kinds=(kind,), reminder_ids=(1,),
                    now=NOW, **fields)


def notice(state: str = "pending") -> ExtensionNotice:
    return ExtensionNotice(request_id=7, task_id=12, label="（一）", title="清理<规范性>文件", document_title="要点",
                           effective_due=date(2026, 6, 8), proposed_due=date(2026, 10, 31), unit_name="省司法厅",
                           reason="需等待审批", requested_by="王", state=state, decided_at=None)


def test_the_composer_takes_nothing_that_could_read_the_database():
    assert list(inspect.signature(CatalogueComposer).parameters) == ["timezone", "policy"]


def test_a_request_carries_its_buttons_until_it_is_decided():
    message = CatalogueComposer().compose(delivery(ReminderKind.EXT_REQUEST, extension=notice()))
    assert "清理&lt;规范性&gt;文件" in message.text and "2026-10-31" in message.text and "王" in message.text
    assert [data for row in message.buttons for _, data in row] == ["ext:7:a", "ext:7:r"]
    decided = CatalogueComposer().compose(delivery(ReminderKind.EXT_REQUEST, extension=notice("approved")))
    assert decided.buttons == () and "已处理过" in decided.text


def test_the_decision_tells_the_unit_the_due_date_now():
    approved = CatalogueComposer().compose(delivery(ReminderKind.EXT_DECISION, "en", extension=notice("approved")))
    assert "approved" in approved.text.lower() and "2026-06-08" in approved.text and approved.buttons == ()
    rejected = CatalogueComposer().compose(delivery(ReminderKind.EXT_DECISION, extension=notice("rejected")))
    assert "未获批准" in rejected.text


def test_a_long_digest_is_trimmed_to_one_message_and_says_how_many_more():
    tasks = tuple(DigestTask(i, f"（{i}）", "长" * 80, "open", date(2026, 5, 1), True, False, i % 3 == 0)
                  for i in range(1, 301))
    listed = Digest(TODAY, 7, (DigestUnit("省司法厅", tasks[:150]), DigestUnit(None, tasks[150:])),
                    overdue=300, due_soon=0, blocked=100, extensions=0)
    text = CatalogueComposer().compose(delivery(ReminderKind.DIGEST, digest=listed)).text
    assert len(text) <= 4096
    shown = text.count("🔴 <b>#")
    assert 10 < shown < 300 and f"另有 {300 - shown} 项未列出" in text
    assert text.endswith("完整清单：/overdue 已逾期 · /upcoming 近期到期")


def test_an_empty_digest_says_so_in_english_too():
    text = CatalogueComposer().compose(delivery(ReminderKind.DIGEST, "en", digest=Digest(TODAY, 7, (), 0, 0, 0, 0))).text
    assert "Nothing is overdue" in text and "/upcoming" in text


def test_a_digest_line_reads_id_then_the_plans_label_without_running_them_together():
    tasks = (DigestTask(12, "3", "全面推进政务公开", "open", date(2026, 5, 29), True, False, False),)
    listed = Digest(TODAY, 7, (DigestUnit("省司法厅", tasks),), overdue=1, due_soon=0, blocked=0, extensions=0)
    text = CatalogueComposer().compose(delivery(ReminderKind.DIGEST, digest=listed)).text
    assert "🔴 <b>#12</b> · 3. 全面推进政务公开 · 截止 2026-05-29（逾期 3 天）" in text
