"""The one place that wires the Application: builder, defaults, handlers in order, services."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import BotCommand, BotCommandScopeDefault, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults

from bot import texts
from bot.config import Config
from bot.context import AppState, BotApplication, BotContext
from bot.handlers import catalog, errors, start
from db.connection import Database

log = logging.getLogger(__name__)


def build_application(config: Config, *, rate_limit: bool = True) -> BotApplication:
    """Build the Application for config; the database opens in post_init."""
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
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if rate_limit:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    application: BotApplication = builder.build()  # type: ignore[assignment]
    application.bot_data.config = config
    application.bot_data.db = Database(config.database_path)

    # Order matters: the greeting and deep links, then features, then the catch-all button.
    application.add_handlers(start.handlers())
    application.add_handlers(catalog.handlers())
    application.add_handlers(errors.handlers())
    application.add_error_handler(errors.on_error)
    return application


async def post_init(application: BotApplication) -> None:
    """Open the database, learn the bot's name and publish the command menu."""
    await application.bot_data.db.open()
    application.bot_data.bot_username = application.bot.username
    commands = [BotCommand(name, description) for name, description in texts.COMMANDS]
    await application.bot.set_my_commands(commands, scope=BotCommandScopeDefault())
    log.info("bot @%s ready", application.bot.username)


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
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
