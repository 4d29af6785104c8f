"""The one error handler, and the answer to buttons nobody handles (stale or forged)."""

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
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


async def on_error(update: object, context: BotContext) -> None:
    """Log the traceback first, then tell the person something kind."""
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
