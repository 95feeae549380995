"""TelegramNotifier over real HTTP: HTML, buttons, clipping, and PTB's errors as typed errors."""
from __future__ import annotations

import pytest
from telegram import Bot

from bot.telegram_notifier import MAX_TEXT, TelegramNotifier, clip_html, scrub
from scheduler.notify import (
    ChatAddress,
    ChatGone,
    ChatMoved,
    MessageRejected,
    OutgoingMessage,
    RateLimited,
    TransientError,
)
from tests.telegram.bot_api_server import BotApiServer

MESSAGE = OutgoingMessage("<b>任务</b> 1 &lt; 2", ((("✅ 已完成", "st:1:d"), ("🔄 推进中", "st:1:p")),))


def address(telegram_chat_id: int, kind: str = "private") -> ChatAddress:
    return ChatAddress(chat_id=1, telegram_chat_id=telegram_chat_id, kind=kind, language="zh-CN")


@pytest.fixture
async def notifier(bot_api):
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        yield TelegramNotifier(bot)


async def test_sends_html_with_an_inline_keyboard(bot_api, notifier):
    message_id = await notifier.send(address(42), MESSAGE)
    call = bot_api.calls_to("sendMessage", 42)[0]
    assert call.result["message_id"] == message_id
    assert call.params["text"] == MESSAGE.text and call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "✅ 已完成", "callback_data": "st:1:d"},
                                                                {"text": "🔄 推进中", "callback_data": "st:1:p"}]]}


async def test_a_long_text_is_clipped_to_telegrams_limit(bot_api, notifier):
    await notifier.send(address(42), OutgoingMessage("<b>" + "很长" * 3000 + "</b>"))
    text = bot_api.calls_to("sendMessage", 42)[0].params["text"]
    assert len(text) <= MAX_TEXT and text.endswith("…</b>")


@pytest.mark.parametrize("description", ["Forbidden: bot was blocked by the user",
                                         "Forbidden: bot was kicked from the group chat",
                                         "Forbidden: user is deactivated"])
async def test_a_blocked_or_kicked_bot_means_the_chat_is_gone(bot_api, notifier, description):
    bot_api.block(42, description)
    with pytest.raises(ChatGone) as caught:
        await notifier.send(address(42), MESSAGE)
    assert description.split(": ")[1] in caught.value.reason


async def test_chat_not_found_means_the_chat_is_gone(bot_api, notifier):
    bot_api.fail(42, 400, "Bad Request: chat not found")
    with pytest.raises(ChatGone):
        await notifier.send(address(42), MESSAGE)


async def test_429_is_rate_limited_with_retry_after(bot_api, notifier):
    bot_api.rate_limit(42, retry_after=17)
    with pytest.raises(RateLimited) as caught:
        await notifier.send(address(42), MESSAGE)
    assert caught.value.retry_after == 17
    await notifier.send(address(42), MESSAGE)  # only once


async def test_a_migrated_group_names_its_new_id(bot_api, notifier):
    bot_api.migrate(-42, -1000000000042, times=1)
    with pytest.raises(ChatMoved) as caught:
        await notifier.send(address(-42, "group"), MESSAGE)
    assert caught.value.new_telegram_chat_id == -1000000000042


async def test_network_trouble_is_transient_and_never_shows_the_token():
    server = BotApiServer().start()
    base_url, token = server.base_url, server.token
    server.stop()  # nothing listens there any more
    bot = Bot(token, base_url=base_url)
    with pytest.raises(TransientError) as caught:
        await TelegramNotifier(bot).send(address(42), MESSAGE)
    assert token not in str(caught.value) and token.split(":")[1] not in str(caught.value)


async def test_a_bad_request_refuses_the_message_not_the_chat(bot_api, notifier):
    bot_api.fail(42, 400, "Bad Request: can't parse entities: unsupported start tag", times=1)
    with pytest.raises(MessageRejected) as caught:
        await notifier.send(address(42), MESSAGE)
    assert "parse entities" in caught.value.reason


async def test_a_5xx_is_transient_and_surely_not_delivered(bot_api, notifier):
    bot_api.outage_status = 502
    with pytest.raises(TransientError) as caught:
        await notifier.send(address(42), MESSAGE)
    assert not caught.value.maybe_delivered


async def test_an_answer_later_than_the_send_timeout_may_have_been_delivered(bot_api):
    bot_api.send_delay = 0.5
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        with pytest.raises(TransientError) as caught:
            await TelegramNotifier(bot, send_timeout=0.1).send(address(42), MESSAGE)
    assert caught.value.maybe_delivered


def test_scrub_removes_the_token_and_its_secret_half():
    assert scrub("GET https://api.telegram.org/bot123:ABCDEFGHIJ/x and ABCDEFGHIJ", "123:ABCDEFGHIJ") == \
        "GET https://api.telegram.org/bot<token>/x and <token>"


@pytest.mark.parametrize("text", ["<b>" + "字" * 5000 + "</b>", "a &amp; " * 1000, "<i>x</i>" * 1000,
                                  "<b>" + "x" * 4093 + "</b>"])
def test_clipping_never_breaks_tags_or_entities(text):
    clipped = clip_html(text)
    assert len(clipped) <= MAX_TEXT
    assert clipped.count("<b>") == clipped.count("</b>") and clipped.count("<i>") == clipped.count("</i>")
    assert not clipped.rstrip("…</bi>").endswith("&amp")


def test_short_text_is_left_alone():
    assert clip_html("<b>ok</b>") == "<b>ok</b>"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB 22 warns about int periods; that is the point
def test_retry_after_as_seconds_or_timedelta(monkeypatch):
    from telegram.error import RetryAfter

    notifier = TelegramNotifier(Bot("123:ABCDEFGHIJ"))
    monkeypatch.delenv("PTB_TIMEDELTA", raising=False)
    assert notifier.translate(RetryAfter(5)).retry_after == 5
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    assert notifier.translate(RetryAfter(5)).retry_after == 5


def test_log_lines_never_carry_the_token(caplog):
    import logging

    from bot.app import _ScrubToken

    logger = logging.getLogger("httpx-like")
    caplog.handler.addFilter(_ScrubToken("123:ABCDEFGHIJ"))
    with caplog.at_level(logging.INFO, logger="httpx-like"):
        logger.info("HTTP Request: POST %s", "https://api.telegram.org/bot123:ABCDEFGHIJ/getUpdates")
    assert "ABCDEFGHIJ" not in caplog.text and "bot<token>/getUpdates" in caplog.text
