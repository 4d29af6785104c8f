"""Typed shared state of the Application and the CallbackContext that exposes it."""

import logging
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot import texts
from bot.circulation import Circulation
from bot.config import Config
from bot.core.roles import Identity, roles_of
from bot.jobs.delivery import DeliveryWorker
from db import accounts
from db.connection import Database

log = logging.getLogger(__name__)


class AppState:
    """What every handler shares: configuration, database, clock, circulation, delivery."""

    config: Config
    db: Database
    bot_username: str = ""
    clock: Callable[[], datetime]
    circulation: Circulation
    delivery: DeliveryWorker


class BotContext(CallbackContext[ExtBot[None], dict, dict, AppState]):
    """CallbackContext with typed access to the shared state."""

    @property
    def config(self) -> Config:
        return self.bot_data.config

    @property
    def db(self) -> Database:
        return self.bot_data.db

    @property
    def circulation(self) -> Circulation:
        return self.bot_data.circulation

    def now(self) -> datetime:
        """The current moment in the library's time zone (tests move it)."""
        return self.bot_data.clock()

    def deep_link(self, payload: str) -> str:
        """Return the t.me link that opens /start with payload in this bot."""
        return f"https://t.me/{self.bot_data.bot_username}?start={payload}"

    async def identity(self, update: Update) -> Identity:
        """Look up, on the server, who sent this update and what they may do."""
        user = update.effective_user
        if user is None:
            return Identity(user_id=0)
        return await accounts.identity_of(
            self.db, user.id, config_librarian=user.id in self.config.library.librarians
        )

    async def refuse(self, update: Update, action: str) -> None:
        """Log a refused action and tell the person politely."""
        user = update.effective_user
        log.warning("refused %s for user %s", action, user.id if user else None)
        if update.callback_query is not None:
            await update.callback_query.answer(texts.NOT_ALLOWED, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(texts.NOT_ALLOWED)

    async def refresh_command_menu(self, user_id: int) -> None:
        """Show this person the commands of their roles in their private chat."""
        identity = await accounts.identity_of(
            self.db, user_id, config_librarian=user_id in self.config.library.librarians
        )
        commands = texts.commands_for(roles_of(identity))
        try:
            await self.bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands],
                scope=BotCommandScopeChat(user_id),
            )
        except TelegramError:
            log.warning("could not set the command menu of user %s", user_id, exc_info=True)


BotApplication = Application[ExtBot[None], BotContext, dict, dict, AppState, JobQueue[BotContext]]
