"""The Telegram Application, assembled once: handlers plus the reminder engine in the same event loop.

`deadline-bot run` calls `build_application(settings, engine).run_polling()`. post_init starts
the ReminderService (planning and dispatching through a TelegramNotifier on the application's
own Bot); post_shutdown stops it, handing unsent claims back to the outbox.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder

from bot.compose import CatalogueComposer
from bot.config import Settings
from bot import (admin_commands, batch_commands, chatsheet_commands, completion_commands, correction_commands,
                 directory_commands, extensions, exports, handlers, imports, nagging_commands, reply_router,
                 unit_commands)
from bot.context import BotDeps, bound_chat
from bot.leader import lead_polling, release_polling
from bot.menu import publish_command_menus_or_warn
from bot.ratelimit import SharedRateLimiter
from bot.telegram_notifier import TelegramNotifier, scrub
from bot.updates import ChatOrderedUpdateProcessor
from scheduler.calendar import WorkingCalendar, next_working_instant
from scheduler.dispatch import Dispatcher
from scheduler.ratelimit import SendLimiter
from scheduler.service import ReminderService
from store import chats
from scheduler.stored_calendar import stored_calendar

log = logging.getLogger("deadline_bot")


class TokenMissing(Exception):
    """No bot token in the config file or DEADLINE_BOT_TOKEN."""


def build_dispatcher(settings: Settings, engine: Engine, bot: Bot, *,
                     clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                     limiter: SendLimiter | None = None, calendar: WorkingCalendar | None = None) -> Dispatcher:
    """A Dispatcher sending through Telegram, within working hours, limits and retries from settings.

    With `limiter` (the one behind the bot's own rate limiter) reminders and replies share
    Telegram's limits; the dispatcher takes the slot, so its sends are not counted twice.
    """
    policy = settings.reminders
    # Shared with the planner, which refreshes it with the imported holiday notices at every run.
    calendar = calendar or stored_calendar(engine, policy)
    if limiter is None and isinstance(getattr(bot, "rate_limiter", None), SharedRateLimiter):
        limiter = bot.rate_limiter.limiter  # the application's bot: share its limiter

    delivery = settings.delivery
    return Dispatcher(
        engine,
        TelegramNotifier(bot, counted_by_caller=limiter is not None, send_timeout=delivery.send_timeout_seconds),
        CatalogueComposer(settings.timezone, policy),
        clock=clock,
        limits=delivery.limits,
        limiter=limiter,
        retry=delivery.retry,
        lease=delivery.lease,
        max_in_flight=delivery.max_in_flight,
        in_working_hours=lambda now: next_working_instant(now, policy, calendar),
        plan_timezone=ZoneInfo(settings.timezone),
        outage_notice_after=timedelta(minutes=delivery.outage_notice_minutes),
    )


def build_reminder_service(settings: Settings, engine: Engine, bot: Bot, *,
                           clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                           limiter: SendLimiter | None = None,
                           calendar: WorkingCalendar | None = None) -> ReminderService:
    """The reminder engine; `calendar`, when given, was just read with scheduler.stored_calendar.stored_calendar."""
    delivery = settings.delivery
    calendar = calendar or stored_calendar(engine, settings.reminders)
    return ReminderService(
        engine, build_dispatcher(settings, engine, bot, clock=clock, limiter=limiter, calendar=calendar),
        settings.reminders,
        calendar=calendar,
        calendar_is_current=True,  # the first planning run does not read the holiday notices again
        clock=clock,
        tick=timedelta(seconds=delivery.tick_seconds),
        plan_every=timedelta(minutes=delivery.plan_every_minutes),
        lookback=timedelta(days=delivery.lookback_days),
        horizon=timedelta(days=delivery.horizon_days),
    )


def build_application(settings: Settings, engine: Engine, *, start_reminders: bool = True,
                      clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Application:
    """The bot with its handlers; with start_reminders the reminder engine runs alongside it."""
    if not settings.telegram_token:
        raise TokenMissing("telegram.token: not set (set DEADLINE_BOT_TOKEN)")
    # One limiter for every message the bot writes: reminders and replies alike.
    limiter = SendLimiter(settings.delivery.limits)

    async def post_init(application: Application) -> None:
        if start_reminders:
            # A database read: off the event loop, like every other read the bot makes.
            calendar = await asyncio.to_thread(stored_calendar, engine, settings.reminders)
            service = build_reminder_service(settings, engine, application.bot, clock=clock, limiter=limiter,
                                             calendar=calendar)
            service.start()
            application.bot_data["reminders"] = service
            log.info("reminder engine started")
        await publish_command_menus_or_warn(application.bot, engine, settings.admin_user_ids)
        if settings.webhook is None and application.updater is not None:
            # run_polling starts polling when this returns: wait here while another process polls.
            await lead_polling(application, engine, settings)

    async def post_shutdown(application: Application) -> None:
        await release_polling(application)
        service: ReminderService | None = application.bot_data.pop("reminders", None)
        if service is not None:
            await service.stop()
            log.info("reminder engine stopped")

    application = (
        ApplicationBuilder()
        .token(settings.telegram_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(SharedRateLimiter(limiter))
        .concurrent_updates(ChatOrderedUpdateProcessor(lambda chat_id: _is_bound(engine, chat_id)))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data["deps"] = BotDeps(engine=engine, settings=settings, clock=clock)
    application.bot_data["limiter"] = limiter
    for module in HANDLER_MODULES:
        application.add_handlers(list(module.HANDLERS))
    application.add_error_handler(handlers.answer_failure)
    return application


async def _is_bound(engine: Engine, telegram_chat_id: int) -> bool:
    return await bound_chat(engine, telegram_chat_id) is not None


# Each module of chat handlers exports HANDLERS, all in one group. No two handlers match the same
# update (disjoint callback patterns, one handler for every text reply: bot.reply_router), so the
# order below is only alphabetical: tests/telegram/test_routing.py registers them in others.
HANDLER_MODULES = (admin_commands, batch_commands, chatsheet_commands, completion_commands, correction_commands,
                   directory_commands, exports, extensions, handlers, imports, nagging_commands, reply_router,
                   unit_commands)


class _ScrubToken(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message, self.token)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def configure_logging(token: str, level: int = logging.INFO) -> None:
    """Log to stderr; never the token (httpx logs every request URL, which carries it)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        handler.addFilter(_ScrubToken(token))


async def bot_username(settings: Settings) -> str:
    """The bot's @username, asked of the Bot API (getMe) with the configured token and base_url."""
    async with Bot(settings.telegram_token, base_url=settings.telegram_base_url) as bot:
        return bot.username
