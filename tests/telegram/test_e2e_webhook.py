"""Webhook mode: Telegram posts updates to the bot's own HTTP endpoint, which checks the secret."""
from __future__ import annotations

import socket
from dataclasses import replace
from datetime import timedelta

import httpx

from bot.app import build_application
from bot.config import WebhookSettings
from store import chats
from tests.telegram.conftest import add_unit, eventually


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_updates_posted_to_the_webhook_with_the_secret_are_handled(bot_api, settings, engine, clock):
    add_unit(engine, "县统计局")
    invite = chats.create_invite(engine, "县统计局", timedelta(hours=1), clock())
    webhook = WebhookSettings(url="https://bot.example.invalid/hook/dlb", port=free_port(), secret="s3cret_Value")
    application = build_application(replace(settings, webhook=webhook), engine, start_reminders=False, clock=clock)
    async with application:
        await application.start()
        await application.updater.start_webhook(listen=webhook.listen, port=webhook.port, url_path=webhook.path,
                                                webhook_url=webhook.url, secret_token=webhook.secret)
        try:
            registered = bot_api.calls_to("setWebhook")[-1].params
            assert registered["url"] == webhook.url and registered["secret_token"] == webhook.secret

            endpoint = f"http://127.0.0.1:{webhook.port}/{webhook.path}"
            update = bot_api.add_message(5501, f"/start {invite.code}")
            async with httpx.AsyncClient() as client:
                forged = await client.post(endpoint, json=update, headers={
                    "X-Telegram-Bot-Api-Secret-Token": "wrong"})
                assert forged.status_code == 403
                accepted = await client.post(endpoint, json=update, headers={
                    "X-Telegram-Bot-Api-Secret-Token": webhook.secret})
                assert accepted.status_code == 200
            answer = await eventually(lambda: bot_api.calls_to("sendMessage", 5501), what="the binding answer")
            assert "县统计局" in answer[-1].params["text"]
            assert len(answer) == 1  # the forged post was dropped
        finally:
            await application.updater.stop()
            await application.stop()
    assert chats.chat_by_telegram_id(engine, 5501).unit_name == "县统计局"
