"""A plan's new version sent to the bot: the preview shows which task becomes which, and
replacing it keeps every task's id and status."""
from __future__ import annotations

from sqlalchemy import select

from store.db import session_scope
from store.models import Task, TaskStatus
from tests.telegram.conftest import ADMIN_USER, eventually, running_bot
from tests.telegram.test_e2e_export_import import ADMIN_CHAT, PLAN, start_admin_chat, summaries

# The same plan with an item inserted at the top: every later item's number moves down one.
INSERTED = "（一）建设全省一体化数据底座。2027年5月底前完成数据目录编制。（牵头单位：省大数据管理局）\n\n"
RENUMBERED = (PLAN.replace("（二）", "（三）").replace("（一）", "（二）").replace("（三）优化", "（四）优化")
              .replace("一、夯实基础支撑\n\n", "一、夯实基础支撑\n\n" + INSERTED))


def task_rows(engine) -> dict[str, tuple[int, str, TaskStatus]]:
    with session_scope(engine) as session:
        return {t.title: (t.id, t.label, t.status) for t in session.execute(select(Task)).scalars()}


async def test_new_version_preview_lists_the_matching_and_replacing_keeps_ids(bot_api, settings, engine, clock):
    async with running_bot(settings, engine, clock):
        await start_admin_chat(bot_api)
        bot_api.add_document(ADMIN_CHAT, PLAN.encode("utf-8"), "v1.txt", user_id=ADMIN_USER)
        first = (await eventually(lambda: summaries(bot_api), what="the summary"))[-1]
        bot_api.add_callback(ADMIN_CHAT, first.result["message_id"], "imp:c", user_id=ADMIN_USER)
        await eventually(lambda: bot_api.calls_to("editMessageText", ADMIN_CHAT), what="the import")
        before = task_rows(engine)
        with session_scope(engine) as session:
            cloud = session.get(Task, before["推进政务云资源整合"][0])
            cloud.status = TaskStatus.IN_PROGRESS
            session.add(cloud)

        bot_api.add_document(ADMIN_CHAT, RENUMBERED.encode("utf-8"), "v2.txt", user_id=ADMIN_USER)
        second = (await eventually(lambda: len(summaries(bot_api)) == 2 and summaries(bot_api), what="v2"))[-1]
        text = second.params["text"]
        assert "原样保留 0 项，有变动 3 项，新增 1 项，删去 0 项" in text
        assert "一、第1项 → 一、第2项：推进政务云资源整合" in text
        assert "二、第3项 → 二、第4项：优化“一网通办”平台功能" in text
        bot_api.add_callback(ADMIN_CHAT, second.result["message_id"], "imp:r", user_id=ADMIN_USER)
        await eventually(lambda: len(bot_api.calls_to("editMessageText", ADMIN_CHAT)) == 2, what="the replacement")

    after = task_rows(engine)
    assert {title: after[title][0] for title in before} == {title: row[0] for title, row in before.items()}
    assert after["推进政务云资源整合"][1:] == ("2", TaskStatus.IN_PROGRESS)
    assert after["建设全省一体化数据底座"][0] not in {row[0] for row in before.values()}
