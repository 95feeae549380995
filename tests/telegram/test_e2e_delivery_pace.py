"""The local Bot API server keeps Telegram's flood limits when asked, and the dispatcher, with
several sends in flight over real HTTP, delivers every reminder once through it."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta

from telegram import Bot

from bot.telegram_notifier import TelegramNotifier
from scheduler.dispatch import Dispatcher
from scheduler.notify import OutgoingMessage
from store.models import ChatKind, ReminderState, UnitRole
from store.outbox import sync_planned_reminders
from tests.scheduler.outbox_builders import WINDOW, add_chat, add_document, add_task, add_unit, planned, reminders
from tests.telegram.bot_api_server import BotApiServer


def send(server: BotApiServer, chat_id: int) -> tuple[int, dict]:
    request = urllib.request.Request(f"{server.base_url}{server.token}/sendMessage", method="POST",
                                     data=json.dumps({"chat_id": chat_id, "text": "x"}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_message_over_a_limit_is_refused_with_retry_after_and_not_delivered():
    with BotApiServer(limits=(3, 1, 2)) as server:
        assert send(server, 11)[0] == 200
        status, body = send(server, 11)  # the same private chat within a second
        assert (status, body["parameters"]["retry_after"]) == (429, 1)
        assert [send(server, -21)[0] for _ in range(2)] == [200, 429]  # a group: once a second too
        assert send(server, 12)[0] == 200
        status, body = send(server, 13)  # a fourth accepted within a second: over the overall limit
        assert status == 429 and body["description"].startswith("Too Many Requests")
        assert server.rate_limited == 3
        assert len([c for c in server.calls_to("sendMessage") if c.result]) == 3


def test_a_group_past_its_messages_per_minute_waits_most_of_a_minute():
    with BotApiServer(limits=(100, 100, 2)) as server:
        assert [send(server, -31)[0] for _ in range(2)] == [200, 200]
        status, body = send(server, -31)
        assert status == 429 and 55 <= body["parameters"]["retry_after"] <= 60


class IdsComposer:
    def compose(self, delivery):
        return OutgoingMessage(text="ids " + ",".join(map(str, delivery.reminder_ids)))


async def test_several_sends_in_flight_through_the_limited_server_deliver_each_row_once(engine):
    document = add_document(engine)
    now = datetime.now(UTC)
    rows = []
    for c in range(30):
        unit = add_unit(engine, f"单位{c}")
        chat = add_chat(engine, unit_id=unit, kind=ChatKind.PRIVATE if c % 3 else ChatKind.GROUP)
        for k in range(2):
            task = add_task(engine, document, units=((unit, UnitRole.LEAD),), due=(now + timedelta(days=9)).date())
            rows.append(planned(f"t{task}", chat_id=chat, task_id=task, unit_id=unit, send_at=now - timedelta(minutes=2 - k),
                                due_date=(now + timedelta(days=9)).date()))
    sync_planned_reminders(engine, rows, *WINDOW)
    with BotApiServer(limits=(30, 1, 20), send_delay=0.02) as server:
        async with Bot(server.token, base_url=server.base_url) as bot:
            dispatcher = Dispatcher(engine, TelegramNotifier(bot), IdsComposer(), worker_id="pace", max_in_flight=8,
                                    tasks_per_message=1)  # every row its own message: the most sends
            for _ in range(10):  # a 429 (a loaded machine's jitter) hands a row back for a second or so
                await dispatcher.tick()
                if {r.state for r in reminders(engine)} == {ReminderState.SENT}:
                    break
        delivered = Counter(int(i) for c in server.calls_to("sendMessage") if c.result
                            for i in c.params["text"].removeprefix("ids ").split(","))
    assert {r.state for r in reminders(engine)} == {ReminderState.SENT}
    assert set(delivered) == {r.id for r in reminders(engine)} and set(delivered.values()) == {1}
