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
from bot.services.voice import Listener, voice_of
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
        await message.reply_text(await _greeting(update, context))


async def _greeting(update: Update, context: BotContext) -> str:
    """The greeting in the voice of the person's role: the librarian, a reader, a stranger."""
    library = context.config.library
    user = update.effective_user
    voice = await voice_of(
        context.db,
        await context.identity(update),
        user.first_name if user else "",
        library.librarian_address,
    )
    fields = {"library": library.name, "opening_hours": library.opening_hours}
    name = html.escape(voice.name)
    if voice.listener is Listener.LIBRARIAN:
        hello = texts.GREETING_LIBRARIAN_HELLO["named" if voice.form else "plain"]
        return texts.GREETING_LIBRARIAN.format(
            hello=hello.format(you=voice.form, name=name), **fields
        )
    if voice.listener is Listener.STRANGER:
        return texts.GREETING.format(name=name, **fields)
    hello = texts.GREETING_HELLO[voice.listener].format(you=voice.form, name=name)
    return texts.GREETING_READER.format(hello=hello, you=voice.form, **fields)


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
