"""The one error handler, and the answer to buttons nobody handles (stale or forged)."""

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import texts
from bot.context import BotContext

log = logging.getLogger(__name__)


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
    return [CallbackQueryHandler(unknown_button)]
