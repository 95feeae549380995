"""Ids no row can have (beyond the integer column, beyond 64 bits, superscript digits), typed or
forged into button data: every one gets a one-line answer, none reaches a query."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ids import MAX_ID, is_stored_id, parse_id, parse_number
from store.models import TaskStatus, UnitRole
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import TODAY, add_plan, ask, bind_admins, bind_unit

HUGE = ("99999999999", "99999999999999999999", str(MAX_ID + 1))


@pytest.mark.parametrize("text, number", [("12", 12), ("#12", 12), ("0", 0), ("²", None), ("٣", None), ("-3", None),
                                          ("1e3", None), ("", None), (None, None), ("9" * 25, int("9" * 25))])
def test_numbers_are_ascii_digits_of_any_length(text, number):
    assert parse_number(text) == number


def test_only_ids_a_row_can_have_pass():
    assert [is_stored_id(n) for n in (None, 0, 1, MAX_ID, MAX_ID + 1, 10 ** 20)] == [False, False, True, True,
                                                                                     False, False]
    assert parse_id("#7") == 7 and parse_id(str(MAX_ID + 1)) is None and parse_id("²") is None


async def test_every_id_beyond_the_column_gets_one_line(bot_api, settings, engine, clock):
    unit = add_unit(engine, "省司法厅")
    add_plan(engine, "计划", [("任务", ((unit, UnitRole.LEAD),), TODAY + timedelta(days=3), TaskStatus.OPEN)])
    bind_unit(engine, clock, "省司法厅", -5001)
    bind_admins(engine, clock)
    async with running_bot(settings, engine, clock):
        answers = {}
        for huge in HUGE:
            for text in (f"/task {huge}", f"/doc {huge}", f"/remind {huge}", f"/revoke {huge}"):
                answers[text] = await ask(bot_api, ADMIN_USER, text, user_id=ADMIN_USER, kind="private")
            for text in (f"/task {huge}", f"/status {huge} done", f"/extend {huge}"):
                answers["unit " + text] = await ask(bot_api, -5001, text, user_id=501)
        for text in ("/upcoming ²", "/upcoming ٣", "/upcoming 99999999999999999999"):
            answers[text] = await ask(bot_api, ADMIN_USER, text, user_id=ADMIN_USER, kind="private")
        for text in ("/task ²", "/status ² done", "/extend ²"):
            answers["unit " + text] = await ask(bot_api, -5001, text, user_id=501)

        # Forged button data, in the unit's chat and the administrator's.
        under = bot_api.add_message(-5001, "x", user_id=501, chat_kind="group")["message"]
        mine = bot_api.add_message(ADMIN_USER, "x", user_id=ADMIN_USER)["message"]
        for huge in HUGE:
            bot_api.add_callback(-5001, under["message_id"], f"st:{huge}:d", user_id=501)
            bot_api.add_callback(-5001, under["message_id"], f"st:{huge}:x", user_id=501)
            bot_api.add_callback(-5001, under["message_id"], f"pg:tasks:{huge}:0", user_id=501)
            bot_api.add_callback(ADMIN_USER, mine["message_id"], f"pg:unit:{huge}:0", user_id=ADMIN_USER)
            bot_api.add_callback(ADMIN_USER, mine["message_id"], f"ext:{huge}:a", user_id=ADMIN_USER)
        pressed = 5 * len(HUGE)
        taps = await eventually(lambda: len(bot_api.calls_to("answerCallbackQuery")) >= pressed
                                and bot_api.calls_to("answerCallbackQuery"), what="every press answered")
    for text, answer in answers.items():
        line = answer.params["text"]
        print(f"{text} → {line}")
        assert line.count("\n") <= 1 and 0 < len(line) < 120, text  # a usage line may carry its example
        assert "出错" not in line, text  # answered by the handler, not by the error handler's last resort
    assert all(t.params.get("text") for t in taps)  # "unknown button" or a refusal, never a silent spinner
