"""The one error handler, and the answers to buttons and commands nobody else handles."""

import contextlib
import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext

log = logging.getLogger(__name__)

# Every command of the bot, menus or not: in a group, one that reaches the end unanswered is
# one that only works in a private chat. Other bots' commands get no answer.
KNOWN_COMMANDS = frozenset(
    name
    for entries in (
        texts.COMMANDS,
        texts.READER_COMMANDS,
        texts.LIBRARIAN_COMMANDS,
        texts.COLLABORATOR_COMMANDS,
        texts.PRINCIPAL_COMMANDS,
    )
    for name, _ in entries
) | {"huy", "mat", "hong", "dangkynhom", "huydangky"}


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a button press no handler knows: old, from another version, or forged."""
    query = update.callback_query
    assert query is not None
    log.warning(
        "unknown callback data %r from user %s",
        (query.data or "")[:64],
        query.from_user.id if query.from_user else None,
    )
    await query.answer(texts.BUTTON_EXPIRED, show_alert=True)


def is_unchanged_edit(error: object) -> bool:
    """Whether Telegram refused an edit because the message already reads that way."""
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


def command_of(message: Message) -> tuple[str, str | None]:
    """The command's name as Telegram marked it, and the bot it names after @, if any."""
    marked = message.parse_entities([MessageEntity.BOT_COMMAND])
    first = min(marked, key=lambda entity: entity.offset, default=None)
    text = marked[first] if first is not None else message.text or ""
    name, _, bot = text.removeprefix("/").partition("@")
    return name.lower(), bot or None


async def unanswered_command(update: Update, context: BotContext) -> None:
    """Answer a command no feature took: private-only in a group, unknown or idle in private."""
    message = update.effective_message
    assert message is not None and message.text is not None
    command, addressee = command_of(message)
    if (
        addressee is not None
        and addressee.lower() != (context.bot_data.bot_username or "").lower()
    ):
        return
    if message.chat.type != ChatType.PRIVATE:
        if command in KNOWN_COMMANDS:
            link = f"https://t.me/{context.bot_data.bot_username}"
            button = InlineKeyboardButton(texts.BUTTON_OPEN_PRIVATE, url=link)
            await message.reply_text(
                texts.COMMAND_PRIVATE_ONLY.format(command=command),
                reply_markup=InlineKeyboardMarkup([[button]]),
            )
        return
    if command == "huy":
        await message.reply_text(texts.NOTHING_TO_CANCEL)
    elif command in KNOWN_COMMANDS:
        await message.reply_text(texts.NOT_ALLOWED)
    else:
        await message.reply_text(texts.UNKNOWN_COMMAND.format(command=html.escape(command[:32])))


async def unanswered_attachment(update: Update, context: BotContext) -> None:
    """Answer a photo, file or sticker that no dialog or scan was waiting for."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(texts.ATTACHMENT_NOT_USED)


async def on_error(update: object, context: BotContext) -> None:
    """Log the traceback first, then tell the person something kind.

    An edit that changes nothing (a button pressed twice, or on a card that is already
    current) is no error to the person: the button is answered quietly.
    """
    if is_unchanged_edit(context.error):
        log.info("an edit changed nothing; the message is already current")
        if isinstance(update, Update) and update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        return
    log.error("error while handling an update", exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.ERROR, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, texts.ERROR)
    except (Forbidden, TelegramError):
        log.warning("could not tell the person about the error", exc_info=True)


def handlers() -> list[BaseHandler]:
    """Register last: they take only what every feature left."""
    return [
        CallbackQueryHandler(unknown_button),
        MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unanswered_command),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.ATTACHMENT,
            unanswered_attachment,
        ),
    ]
