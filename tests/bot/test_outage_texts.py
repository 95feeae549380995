"""What the administrators read about an outage, in both languages, in the plan's time zone."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.compose import CatalogueComposer
from scheduler.model import ReminderKind
from scheduler.notify import ChatAddress, Delivery, OutageNotice

STARTED = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
ENDED = datetime(2026, 12, 4, 2, 47, tzinfo=UTC)


def notice(kind: ReminderKind, language: str, cause: str = "telegram", ended=None) -> Delivery:
    return Delivery(chat=ChatAddress(1, 42, "private", language), kind=kind, kinds=(kind,), reminder_ids=(1,),
                    now=ENDED, outage=OutageNotice(cause, STARTED, ended, 37, "Bad Gateway <502>"))


@pytest.mark.parametrize("language, began, over", [
    ("zh-CN", "自 2026-12-04 10:00 起，Telegram 无法送达消息（Bad Gateway &lt;502&gt;）。\n目前有 37 条提醒等待发送",
     "Telegram 自 2026-12-04 10:00 至 2026-12-04 10:47（约 47 分钟）无法送达消息。\n等待中的 37 条提醒现在补发"),
    ("en", "Since 2026-12-04 10:00, Telegram has not accepted messages (Bad Gateway &lt;502&gt;).\n37 reminders",
     "from 2026-12-04 10:00 to 2026-12-04 10:47 (about 47 minutes).\nThe 37 waiting reminders go out now"),
])
def test_an_outage_is_told_with_its_span_and_the_reminders_waiting(language, began, over):
    composer = CatalogueComposer("Asia/Shanghai")
    assert began in composer.compose(notice(ReminderKind.OUTAGE, language)).text
    assert over in composer.compose(notice(ReminderKind.OUTAGE_OVER, language, ended=ENDED)).text


def test_a_database_outage_says_so():
    text = CatalogueComposer().compose(notice(ReminderKind.OUTAGE_OVER, "zh-CN", "database", ENDED)).text
    assert "数据库自 2026-12-04 10:00 至 2026-12-04 10:47" in text and "期间未发送任何提醒" in text
