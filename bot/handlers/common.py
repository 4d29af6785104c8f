"""Helpers shared by the donation, suggestion, rotation, inventory and team handlers."""

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler, filters

from bot.context import BotContext
from bot.core.inventory import looks_like_accessions
from bot.core.roles import Action, may
from bot.handlers.errors import is_unchanged_edit


async def permitted(update: Update, context: BotContext, action: Action, refusal: str) -> bool:
    """True when the sender may do the action; anyone else is refused and logged."""
    if may(await context.identity(update), action):
        return True
    await context.refuse(update, refusal)
    return False


def chat_id_of(update: Update) -> int:
    """The id of the chat the update came from."""
    assert update.effective_chat is not None
    return update.effective_chat.id


async def remove_buttons(message: Message) -> None:
    """Take the buttons off a message; one already bare (a second press) is left as it is."""
    try:
        await message.edit_reply_markup(None)
    except BadRequest as error:
        if not is_unchanged_edit(error):
            raise


def one_button(label: str, data: str) -> InlineKeyboardMarkup:
    """A keyboard of a single button."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data)]])


def shorten(text: str, length: int) -> str:
    """The text cut to length characters, with an ellipsis when cut."""
    return text if len(text) <= length else text[: length - 1] + "…"


def draft_of(context: BotContext, key: str) -> dict[str, Any] | None:
    """The dialog's draft kept under key in user_data, if there is one."""
    assert context.user_data is not None
    draft = context.user_data.get(key)
    return draft if isinstance(draft, dict) else None


def forget(context: BotContext, key: str) -> None:
    """Drop what user_data keeps under key."""
    if context.user_data is not None:
        context.user_data.pop(key, None)


def dialog_waiting(update: Update, context: BotContext, group: int) -> bool:
    """Say whether a conversation of a group after this one already waits for the text."""
    for handler_group, group_handlers in context.application.handlers.items():
        if handler_group <= group:
            continue
        for handler in group_handlers:
            if isinstance(handler, ConversationHandler):
                checked = handler.check_update(update)
                if isinstance(checked, tuple) and checked[0] is not None:
                    return True
    return False


class _AccessionList(filters.MessageFilter):
    """Text that lists accession numbers only (anything else stays a catalog search)."""

    def filter(self, message: Message) -> bool:
        """Say whether the message's text is a list of accession numbers."""
        return message.text is not None and looks_like_accessions(message.text)


def typed_accessions() -> filters.BaseFilter:
    """Private messages, typed rather than sent via a bot, that list accession numbers only."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return private & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT & _AccessionList()
