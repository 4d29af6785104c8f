"""Greeting, help and the deep links that /start carries: book_, copy_, link_, visit."""

import html
import re

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.core.payloads import COPY_PREFIX, VISIT_PAYLOAD, accession_from_payload
from bot.core.roles import roles_of
from bot.handlers.accounts import link_account
from bot.handlers.catalog import send_title_card
from bot.handlers.desk import open_copy
from bot.handlers.inventory import record_copy_scan
from bot.handlers.rotation import record_rotation_scan
from bot.handlers.visits import record_desk_visit
from db import accounts

BOOK_PAYLOAD = re.compile(r"^book_(\d{1,12})$")
LINK_PAYLOAD = re.compile(r"^link_([A-Za-z0-9_-]{10,60})$")


async def start(update: Update, context: BotContext) -> None:
    """Greet the person, or open what the deep link points at."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    payload = context.args[0] if context.args else ""
    if book := BOOK_PAYLOAD.match(payload):
        await send_title_card(message.chat.id, context, int(book[1]))
    elif link := LINK_PAYLOAD.match(payload):
        await link_account(update, context, link[1])
    elif payload == VISIT_PAYLOAD:
        await record_desk_visit(update, context)
    elif payload.startswith(COPY_PREFIX):
        try:
            accession = accession_from_payload(payload)
        except ValueError:
            await message.reply_text(texts.UNKNOWN_START)
            return
        if not (
            await record_rotation_scan(update, context, accession)
            or await record_copy_scan(update, context, accession)
        ):
            await open_copy(update, context, accession)
    elif payload:
        await message.reply_text(texts.UNKNOWN_START)
    else:
        if user is not None and message.chat.type == "private":
            await accounts.touch_account(context.db, user.id, message.chat.id, user.full_name)
            await context.refresh_command_menu(user.id)
        await message.reply_text(
            texts.GREETING.format(
                name=html.escape(user.first_name) if user else "bạn",
                library=context.config.library.name,
                opening_hours=context.config.library.opening_hours,
            )
        )


async def show_help(update: Update, context: BotContext) -> None:
    """Explain what the bot can do."""
    message = update.effective_message
    assert message is not None
    commands = texts.commands_for(roles_of(await context.identity(update)))
    await message.reply_text(
        texts.HELP.format(
            library=context.config.library.name,
            opening_hours=context.config.library.opening_hours,
        )
        + texts.HELP_COMMANDS
        + "\n".join(f"/{name} — {html.escape(description)}" for name, description in commands)
    )


def handlers() -> list[BaseHandler]:
    return [CommandHandler("start", start), CommandHandler("huongdan", show_help)]
