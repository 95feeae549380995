"""Binding chats over real HTTP: administrators, invites, deep links, strangers."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from store.db import session_scope
from store.models import Chat, Invite
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot

LINK = re.compile(r"https://t\.me/deadline_test_bot\?start=([A-Za-z0-9_-]+)")


def texts_to(bot_api, chat_id):
    return [c.params["text"] for c in bot_api.calls_to("sendMessage", chat_id)]


async def test_admin_invites_and_the_deep_link_binds_a_group(bot_api, settings, engine, clock):
    add_unit(engine, "省司法厅")
    async with running_bot(settings, engine, clock):
        bot_api.add_message(ADMIN_USER, "/start", user_id=ADMIN_USER)
        await eventually(lambda: texts_to(bot_api, ADMIN_USER), what="the admin's welcome")
        bot_api.add_message(ADMIN_USER, "/invite 省司法厅", user_id=ADMIN_USER)
        reply = await eventually(lambda: len(texts_to(bot_api, ADMIN_USER)) == 2 and texts_to(bot_api, ADMIN_USER)[1])
        code = LINK.search(reply).group(1)

        bot_api.add_message(-4001, f"/start {code}", user_id=501, chat_kind="group", chat_title="司法厅联络群")
        bound = await eventually(lambda: texts_to(bot_api, -4001), what="the binding answer")
        assert "省司法厅" in bound[0] and "绑定成功" in bound[0]

        # Single use: a second chat with the same code binds nothing.
        bot_api.add_message(-4002, f"/start {code}", user_id=502, chat_kind="group")
        refused = await eventually(lambda: texts_to(bot_api, -4002), what="the refusal")
        assert "无效" in refused[0]

    with session_scope(engine) as session:
        chats = {c.telegram_chat_id: c for c in session.execute(select(Chat)).scalars()}
        invite = session.execute(select(Invite)).scalar_one()
    assert chats[ADMIN_USER].is_admin and chats[ADMIN_USER].unit_id is None
    group = chats[-4001]
    assert group.unit_id is not None and group.kind == "group" and group.title == "司法厅联络群"
    assert -4002 not in chats
    assert invite.used_by_chat_id == chats[-4001].id and code not in invite.code_hash


async def test_a_stranger_gets_a_short_explanation_and_nothing_else(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        bot_api.add_message(777, "/start", user_id=777)
        bot_api.add_message(777, "/start not-a-code", user_id=777)
        bot_api.add_message(777, "/lang en", user_id=777)
        bot_api.add_message(777, "/invite 省司法厅", user_id=777)
        bot_api.add_message(777, "hello?", user_id=777)
        bot_api.add_message(777, "/help", user_id=777)
        # Updates are handled in order: once /help is answered, everything before it was handled.
        await eventually(lambda: any("/lang" in t for t in texts_to(bot_api, 777)), what="the answer to /help")
    answers = texts_to(bot_api, 777)
    # /start, /start bad-code, the administrators' refusal every administrator's command gets (bot.access),
    # /help; the rest is ignored
    assert len(answers) == 4
    assert "邀请链接" in answers[0] and "无效" in answers[1] and answers[2] == "只有管理员可以使用这个命令。"
    assert "/lang" in answers[3]
    assert all(len(a) < 200 for a in answers)
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(Chat)).scalar() == 0



async def test_lang_switches_a_bound_chat_to_english(bot_api, settings, engine, clock):
    from datetime import timedelta

    from store import chats as store_chats

    add_unit(engine, "省司法厅")
    code = store_chats.create_invite(engine, "省司法厅", timedelta(hours=1), clock()).code
    async with running_bot(settings, engine, clock):
        bot_api.add_message(601, f"/start {code}", user_id=601)
        bot_api.add_message(601, "/lang en", user_id=601)
        bot_api.add_message(601, "/help", user_id=601)
        answers = await eventually(lambda: len(texts_to(bot_api, 601)) == 3 and texts_to(bot_api, 601))
    assert "绑定成功" in answers[0]  # binding answers in zh-CN
    assert answers[1] == "Language set to English." and "reminds your unit" in answers[2]
    assert store_chats.chat_by_telegram_id(engine, 601).language == "en"
