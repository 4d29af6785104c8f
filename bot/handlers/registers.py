"""The librarian exports the Circular 16 registers to Excel: /soluu, then one button a register."""

import html
import tempfile
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.core.roles import Action, may
from bot.register_years import (
    EARLIEST_YEAR,
    REGISTER_NAMES,
    capitalized,
    current_start_year,
    file_name,
    parse_school_year,
)
from bot.services.privacy import record_view

REGISTER = "sl"
REGISTERS_MENU = "slm"


def registers_markup(start_year: int) -> InlineKeyboardMarkup:
    """One button per register of the school year starting in start_year (also for /baocao)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    capitalized(texts.REGISTER_TITLES[name].lower()),
                    callback_data=f"{REGISTER}:{name}:{start_year}",
                )
            ]
            for name in REGISTER_NAMES
        ]
    )


async def show_registers(update: Update, context: BotContext) -> None:
    """List the registers of this school year (or of the year given) as buttons."""
    message = update.effective_message
    assert message is not None
    if not may(await context.identity(update), Action.EXPORT_REGISTERS):
        await context.refuse(update, "export_registers")
        return
    if message.chat.type != ChatType.PRIVATE:
        await message.reply_text(texts.REGISTERS_PRIVATE_ONLY)
        return
    today = context.now().date()
    start_year = current_start_year(context.config.calendar, today)
    if context.args:
        given = " ".join(context.args)
        try:
            start_year = parse_school_year(given)
        except ValueError:
            start_year = 0
        if not EARLIEST_YEAR <= start_year <= today.year + 1:
            await message.reply_text(
                texts.REGISTER_BAD_SCHOOL_YEAR.format(text=html.escape(given.strip()[:40]))
            )
            return
    await send_menu(message.chat.id, context, start_year)


async def send_menu(chat_id: int, context: BotContext, start_year: int) -> None:
    """Send the list of registers of a school year as buttons."""
    await context.bot.send_message(
        chat_id,
        texts.REGISTERS_MENU.format(
            year=f"{start_year}-{start_year + 1}", previous=f"{start_year - 1}-{start_year}"
        ),
        reply_markup=registers_markup(start_year),
    )


async def menu_button(update: Update, context: BotContext) -> None:
    """Offer the registers from a report's button (librarians only)."""
    query = update.callback_query
    assert query is not None
    if not may(await context.identity(update), Action.EXPORT_REGISTERS):
        await context.refuse(update, "export_registers")
        return
    await query.answer()
    if query.message is not None and query.message.chat.type == ChatType.PRIVATE:
        start_year = current_start_year(context.config.calendar, context.now().date())
        await send_menu(query.message.chat.id, context, start_year)


async def send_register(update: Update, context: BotContext) -> None:
    """Build the chosen register and send it as an .xlsx document to the librarian."""
    query = update.callback_query
    user = update.effective_user
    assert query is not None and context.match is not None and user is not None
    if not may(await context.identity(update), Action.EXPORT_REGISTERS):
        await context.refuse(update, "export_registers")
        return
    name, start_year = context.match[1], int(context.match[2])
    today = context.now().date()
    if name not in REGISTER_NAMES or not EARLIEST_YEAR <= start_year <= today.year + 1:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    await query.answer(texts.REGISTER_PREPARING)
    # Registers name readers: they go to the librarian's private chat, wherever pressed.
    await context.bot.send_chat_action(user.id, ChatAction.UPLOAD_DOCUMENT)
    # openpyxl loads on the first export, not at start: most days nobody asks for one.
    from bot.registers import export_register

    with tempfile.TemporaryDirectory(prefix="thuvien-") as folder:
        path = Path(folder) / file_name(name, start_year)
        result = await export_register(
            context.db, context.config, name, path, today=today, start_year=start_year
        )
        with path.open("rb") as document:
            await context.bot.send_document(
                user.id,
                document,
                filename=path.name,
                caption=texts.REGISTER_CAPTION.format(
                    title=capitalized(result.title.lower()), year=result.year, rows=result.lines
                ),
            )
    await record_view(
        context.db,
        context.now(),
        done_by=user.id,
        via="telegram",
        action="register",
        detail=f"{result.title.lower()} {result.year}",
    )


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("soluu", show_registers),
        CallbackQueryHandler(menu_button, pattern=rf"^{REGISTERS_MENU}$"),
        CallbackQueryHandler(send_register, pattern=rf"^{REGISTER}:([a-z-]{{2,12}}):(\d{{4}})$"),
    ]
