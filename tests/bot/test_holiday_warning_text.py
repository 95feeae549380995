"""The administrators' warning about a year without official holiday data, as they read it."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.compose import CatalogueComposer
from bot.i18n import Catalogue
from scheduler.model import ReminderKind
from scheduler.notify import ChatAddress, Delivery


@pytest.mark.parametrize("language, words", [("zh-CN", "deadline-bot holidays import"),
                                             ("en", "deadline-bot holidays import")])
def test_the_warning_names_the_year_and_how_to_import_the_notice(language, words):
    delivery = Delivery(chat=ChatAddress(1, -100, "private", language), kind=ReminderKind.HOLIDAYS_MISSING,
                        kinds=(ReminderKind.HOLIDAYS_MISSING,), reminder_ids=(7,),
                        now=datetime(2026, 12, 4, 1, 0, tzinfo=UTC), due_date=date(2027, 1, 1))
    message = CatalogueComposer().compose(delivery)
    assert "2027" in message.text and words in message.text and message.buttons == ()


def test_both_catalogues_have_every_holidays_text():
    from bot.i18n import _load

    keys = {k for k in _load("zh-CN") if k.startswith("holidays.")}
    assert keys and keys == {k for k in _load("en") if k.startswith("holidays.")}
    assert Catalogue("en").text("reminder_kind.holidays_missing") != Catalogue().text("reminder_kind.holidays_missing")
