"""A Telegram Bot API emulator and a test driver, so the bot runs without Telegram."""

from bot.emulator.driver import ChatUser, Driver, PressResult, application_builder, run_application
from bot.emulator.server import DEFAULT_TOKEN, Emulator

__all__ = [
    "DEFAULT_TOKEN",
    "ChatUser",
    "Driver",
    "Emulator",
    "PressResult",
    "application_builder",
    "run_application",
]
