"""Greeting, help and the deep links that /start carries (book_<id>)."""

import html
import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.handlers.catalog import send_title_card

BOOK_PAYLOAD = re.compile(r"^book_(\d{1,12})$")


async def start(update: Update, context: BotContext) -> None:
    """Greet the person, or open what the deep link points at."""
    message = update.effective_message
    assert message is not None
    payload = context.args[0] if context.args else ""
    if not payload:
        user = update.effective_user
        await message.reply_text(
            texts.GREETING.format(
                name=html.escape(user.first_name) if user else "bạn",
                library=context.config.library.name,
                opening_hours=context.config.library.opening_hours,
            )
        )
        return
    book = BOOK_PAYLOAD.match(payload)
    if book:
        await send_title_card(message.chat.id, context, int(book[1]))
        return
    await message.reply_text(texts.UNKNOWN_START)


async def show_help(update: Update, context: BotContext) -> None:
    """Explain what the bot can do."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(
        texts.HELP.format(
            library=context.config.library.name,
            opening_hours=context.config.library.opening_hours,
        )
    )


def handlers() -> list[BaseHandler]:
    return [CommandHandler("start", start), CommandHandler("huongdan", show_help)]
