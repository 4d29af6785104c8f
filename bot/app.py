"""The one place that wires the Application: builder, defaults, handlers in order, services."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, time

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot import texts
from bot.circulation import Circulation
from bot.config import Config
from bot.context import AppState, BotApplication, BotContext
from bot.handlers import (
    accounts,
    approvals,
    borrowing,
    broadcasts,
    campaigns,
    catalog,
    desk,
    donations,
    errors,
    groups,
    inventory,
    privacy,
    registers,
    reports,
    rotation,
    start,
    suggestions,
    visits,
    year_turn,
)
from bot.handlers import team as team_handlers
from bot.jobs import campaigns as campaign_jobs
from bot.jobs import donations as donation_jobs
from bot.jobs import holds, reminders
from bot.jobs import privacy as privacy_jobs
from bot.jobs import rotation as rotation_jobs
from bot.jobs import team as team_jobs
from bot.jobs import year_turn as year_turn_jobs
from bot.jobs.delivery import DeliveryWorker
from bot.updates import PerChatUpdateProcessor
from db.connection import Database

log = logging.getLogger(__name__)

HOLDS_CHECK_TIME = time(6, 30)


def build_application(config: Config) -> BotApplication:
    """Build the Application for config; the database opens in post_init."""
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    builder = (
        ApplicationBuilder()
        .token(config.telegram.token.reveal())
        .base_url(config.telegram.base_url)
        .base_file_url(config.telegram.base_file_url)
        .context_types(ContextTypes(context=BotContext, bot_data=AppState))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=config.library.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
    )
    if config.telegram.rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))  # type: ignore[arg-type]
    application: BotApplication = builder.build()  # type: ignore[assignment]
    application.bot_data.config = config
    application.bot_data.db = Database(config.database_path)
    application.bot_data.clock = lambda: datetime.now(config.library.timezone)

    # Order matters: the desk dialog first (it may own the next text or /start link_),
    # then greeting and deep links, features, plain-text search, the catch-all button.
    application.add_handlers(desk.handlers())
    application.add_handlers(start.handlers())
    application.add_handlers(accounts.handlers())
    application.add_handlers(approvals.handlers())
    application.add_handlers(borrowing.handlers())
    application.add_handlers(groups.handlers())
    # feature-handlers: reminders
    application.add_handlers(campaigns.handlers())
    application.add_handlers(broadcasts.handlers())
    application.add_handlers(team_handlers.handlers())
    application.add_handlers(visits.handlers())
    application.add_handlers(reports.handlers())
    application.add_handlers(registers.handlers())
    application.add_handlers(inventory.handlers())
    application.add_handlers(inventory.session_handlers(), group=inventory.SESSION_GROUP)
    application.add_handlers(suggestions.handlers())
    application.add_handlers(donations.handlers())
    application.add_handlers(rotation.handlers())
    application.add_handlers(rotation.scan_handlers(), group=rotation.SCAN_GROUP)
    application.add_handlers(year_turn.handlers())
    application.add_handlers(privacy.handlers())
    application.add_handlers(catalog.handlers())
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
    return application


async def post_init(application: BotApplication) -> None:
    """Open the database, start delivery and the daily jobs, publish the command menu."""
    state = application.bot_data
    await state.db.open()
    state.bot_username = application.bot.username
    state.delivery = DeliveryWorker(
        state.db, application.bot, rate_per_second=state.config.delivery.rate_per_second
    )
    await state.delivery.start()
    state.circulation = Circulation(state.db, state.config, state.delivery.notify)
    assert application.job_queue is not None
    application.job_queue.run_daily(
        holds.expire_holds,
        HOLDS_CHECK_TIME,
        name="expire-holds",
        job_kwargs={"misfire_grace_time": None},
    )
    application.job_queue.run_once(holds.expire_holds, 0, name="expire-holds-at-start")
    # feature-jobs: groups
    reminders.schedule(application, state.config.reminders)
    await campaign_jobs.schedule(application)
    team_jobs.schedule(application)
    # feature-jobs: visits
    # feature-jobs: reports
    # feature-jobs: registers
    # feature-jobs: inventory
    donation_jobs.schedule(application)
    rotation_jobs.schedule(application)
    year_turn_jobs.schedule(application)
    privacy_jobs.schedule(application)

    commands = [BotCommand(name, description) for name, description in texts.COMMANDS]
    await application.bot.set_my_commands(commands, scope=BotCommandScopeDefault())
    log.info("bot @%s ready", application.bot.username)


async def post_stop(application: BotApplication) -> None:
    """Let the sends in flight finish while the bot's HTTP client is still open."""
    if hasattr(application.bot_data, "delivery"):
        await application.bot_data.delivery.stop()


async def post_shutdown(application: BotApplication) -> None:
    """Close the database."""
    await application.bot_data.db.close()


@asynccontextmanager
async def running(application: BotApplication, *, poll_timeout: int = 10) -> AsyncIterator[None]:
    """Run the Application's polling inside the current event loop, as run_polling would."""
    assert application.updater is not None
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.updater.start_polling(
        poll_interval=0.0, timeout=poll_timeout, drop_pending_updates=False
    )
    await application.start()
    try:
        yield
    finally:
        if application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
