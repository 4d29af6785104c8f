"""Typed shared state of the Application and the CallbackContext that exposes it."""

from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Config
from db.connection import Database


class AppState:
    """What every handler shares: the configuration and the database owner."""

    config: Config
    db: Database
    bot_username: str = ""


class BotContext(CallbackContext[ExtBot[None], dict, dict, AppState]):
    """CallbackContext with typed access to the shared state."""

    @property
    def config(self) -> Config:
        return self.bot_data.config

    @property
    def db(self) -> Database:
        return self.bot_data.db

    def deep_link(self, payload: str) -> str:
        """Return the t.me link that opens /start with payload in this bot."""
        return f"https://t.me/{self.bot_data.bot_username}?start={payload}"


BotApplication = Application[ExtBot[None], BotContext, dict, dict, AppState, object]
