"""Listing and revoking invites over real HTTP: /invite → /invites → /revoke → the link binds nothing."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from store import chats
from store.db import session_scope
from store.models import Invite
from tests.telegram.conftest import ADMIN_USER, add_unit, eventually, running_bot
from tests.telegram.test_e2e_commands import ask, bind_unit, buttons_of

LINK = re.compile(r"https://t\.me/deadline_test_bot\?start=([A-Za-z0-9_-]+)")
INVITE_ID = re.compile(r"邀请编号 #(\d+)")


async def test_an_administrator_lists_and_revokes_an_invite_and_its_link_is_refused(bot_api, settings, engine,
                                                                                     clock):
    add_unit(engine, "省司法厅")
    async with running_bot(settings, engine, clock):
        created = (await ask(bot_api, ADMIN_USER, "/invite 省司法厅", user_id=ADMIN_USER, kind="private"))
        text = created.params["text"]
        code, invite_id = LINK.search(text).group(1), int(INVITE_ID.search(text).group(1))
        assert f"/revoke {invite_id}" in text

        listed = (await ask(bot_api, ADMIN_USER, "/invites", user_id=ADMIN_USER, kind="private")).params["text"]
        print("\n--- /invites ---\n" + listed)
        assert "未使用的邀请（1 个）" in listed and f"<b>#{invite_id}</b> 省司法厅" in listed
        assert f"用户 {ADMIN_USER}" in listed and "2026-06-01 09:30" in listed and "2026-06-04 09:30" in listed
        assert code not in listed

        revoked = await ask(bot_api, ADMIN_USER, f"/revoke {invite_id}", user_id=ADMIN_USER, kind="private")
        assert revoked.params["text"] == f"🚫 已撤销邀请 #{invite_id}（省司法厅）：这个链接不能再绑定聊天。"
        again = await ask(bot_api, ADMIN_USER, f"/revoke {invite_id}", user_id=ADMIN_USER, kind="private")
        assert again.params["text"] == f"邀请 #{invite_id} 已撤销过了。"

        refused = await ask(bot_api, -4001, f"/start {code}", user_id=501)
        assert refused.params["text"] == "这个邀请链接已被管理员撤销，不能再使用。请向管理员索取新的邀请链接。"
        empty = await ask(bot_api, ADMIN_USER, "/invites", user_id=ADMIN_USER, kind="private")
        assert empty.params["text"].endswith("没有未使用的邀请。")
    assert chats.chat_by_telegram_id(engine, -4001) is None
    with session_scope(engine) as session:
        invite = session.execute(select(Invite)).scalar_one()
    assert invite.created_by == ADMIN_USER and invite.revoked_at is not None and invite.used_at is None


async def test_units_and_strangers_may_neither_list_nor_revoke_invites(bot_api, settings, engine, clock):
    add_unit(engine, "省司法厅")
    bind_unit(engine, clock, "省司法厅", -5001)
    waiting = chats.create_invite(engine, "省司法厅", timedelta(hours=72), clock(), created_by=ADMIN_USER)
    async with running_bot(settings, engine, clock):
        for chat_id, kind in ((777, "private"), (-5001, "group")):
            for command in ("/invites", f"/revoke {waiting.invite_id}", "/invites 省司法厅"):
                answer = await ask(bot_api, chat_id, command, user_id=chat_id if kind == "private" else 501,
                                   kind=kind)
                assert answer.params["text"] == "只有管理员可以使用这个命令。", command
                assert not buttons_of(answer)
    assert [i.id for i in chats.outstanding_invites(engine, clock())] == [waiting.invite_id]


async def test_many_invites_page_and_a_unit_filter_and_usage_answers(bot_api, settings, engine, clock):
    add_unit(engine, "省司法厅")
    add_unit(engine, "省财政厅")
    made = [chats.create_invite(engine, "省司法厅", timedelta(hours=72), clock() + timedelta(minutes=n))
            for n in range(12)]
    finance = chats.create_invite(engine, "省财政厅", timedelta(hours=72), clock())
    async with running_bot(settings, engine, clock):
        first = await ask(bot_api, ADMIN_USER, "/invites", user_id=ADMIN_USER, kind="private")
        assert "（13 个）" in first.params["text"] and "第 1/2 页" in first.params["text"]
        assert buttons_of(first) == ["pg:invites::1"]
        bot_api.add_callback(ADMIN_USER, first.result["message_id"], "pg:invites::1", user_id=ADMIN_USER)
        turned = await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_USER), what="page 2")
        assert "第 2/2 页" in turned[0].params["text"] and f"#{made[-1].invite_id}</b>" in turned[0].params["text"]

        only = (await ask(bot_api, ADMIN_USER, "/invites 省财政厅", user_id=ADMIN_USER, kind="private")).params["text"]
        assert "<b>省财政厅</b> 未使用的邀请（1 个）" in only and f"#{finance.invite_id}</b>" in only
        unknown = await ask(bot_api, ADMIN_USER, "/invites 省不存在厅", user_id=ADMIN_USER, kind="private")
        assert unknown.params["text"] == "没有名为“省不存在厅”的单位。"
        usage = await ask(bot_api, ADMIN_USER, "/revoke", user_id=ADMIN_USER, kind="private")
        assert usage.params["text"].startswith("用法：/revoke")
        missing = await ask(bot_api, ADMIN_USER, "/revoke 99999", user_id=ADMIN_USER, kind="private")
        assert missing.params["text"] == "没有编号为 99999 的邀请。"
