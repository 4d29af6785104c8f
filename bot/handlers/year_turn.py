"""The librarian turns the school year in chat: /namhocmoi, a preview, Xác nhận or Hủy."""

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.core.roles import Action
from bot.handlers.common import permitted, remove_buttons
from bot.services.year_turn import (
    TurnOutcome,
    apply_turn,
    details_text,
    preview_turn,
    refusal_text,
    summary_text,
)

log = logging.getLogger(__name__)

CONFIRM = "yt"
CANCEL = "yx"
# Chat messages stay far below Telegram's 4096 characters; the details go in a file.
SUMMARY_LIMIT = 3500


def _escaped(text: str) -> str:
    return html.escape(text[:SUMMARY_LIMIT])


async def new_year(update: Update, context: BotContext) -> None:
    """Preview the turn into the school year typed (default: the current one)."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if not await permitted(update, context, Action.YEAR_TURN, "year_turn"):
        return
    today = context.now().date()
    year_text = " ".join(context.args or []) or context.config.calendar.school_year_of(today).name
    report = await preview_turn(context.db, context.config, year_text, today)
    if report.outcome is not TurnOutcome.PREVIEW:
        await message.reply_text(_escaped(refusal_text(report)))
        return
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.BUTTON_YEAR_TURN_CONFIRM,
                    callback_data=f"{CONFIRM}:{report.start_year}:{report.digest}",
                ),
                InlineKeyboardButton(texts.BUTTON_YEAR_TURN_CANCEL, callback_data=CANCEL),
            ]
        ]
    )
    text = f"{_escaped(summary_text(report))}\n\n{texts.YEAR_TURN_CONFIRM_HINT}"
    await message.reply_text(text, reply_markup=buttons)
    await context.bot.send_document(
        message.chat.id,
        details_text(report).encode("utf-8"),
        filename=texts.YEAR_TURN_DETAILS_FILE.format(year=report.year),
        caption=texts.YEAR_TURN_DETAILS_CAPTION.format(year=report.year),
    )


async def confirm(update: Update, context: BotContext) -> None:
    """Apply the previewed turn, only if the plan is still the one previewed."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await permitted(update, context, Action.YEAR_TURN, "year_turn"):
        return
    start = int(context.match[1])
    identity = await context.identity(update)
    report = await apply_turn(
        context.db,
        context.config,
        f"{start}-{start + 1}",
        context.now(),
        applied_by=identity.user_id,
        digest=context.match[2],
    )
    if report.outcome is not TurnOutcome.APPLIED:
        await query.answer(refusal_text(report)[:200], show_alert=True)
        return
    log.info("year turn %s applied by user %s", report.year, identity.user_id)
    context.bot_data.delivery.notify()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(_escaped(summary_text(report)))


async def cancel(update: Update, context: BotContext) -> None:
    """Drop the preview; nothing changes."""
    query = update.callback_query
    assert query is not None
    if not await permitted(update, context, Action.YEAR_TURN, "year_turn"):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await remove_buttons(query.message)
        await query.message.reply_text(texts.YEAR_TURN_CANCELLED)


def handlers() -> list[BaseHandler]:
    return [
        # The preview names every student: it is shown in the librarian's private chat only.
        CommandHandler("namhocmoi", new_year, filters.ChatType.PRIVATE),
        CallbackQueryHandler(confirm, pattern=rf"^{CONFIRM}:(\d{{4}}):([0-9a-f]{{10}})$"),
        CallbackQueryHandler(cancel, pattern=rf"^{CANCEL}$"),
    ]
