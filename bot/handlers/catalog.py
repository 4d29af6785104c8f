"""Search the catalog and open title cards: /tim, plain text in private chats, result buttons."""

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import texts, views
from bot.context import BotContext
from bot.handlers import broadcasts
from bot.handlers.borrowing import borrow_button
from db import catalog, loans
from db.search import search_titles

MAX_REMEMBERED_SEARCHES = 20


async def search_command(update: Update, context: BotContext) -> None:
    """Search for the words after /tim."""
    message = update.effective_message
    assert message is not None
    query = " ".join(context.args or [])
    if not query.strip():
        await message.reply_text(texts.SEARCH_ASK)
        return
    await reply_with_results(message, context, query)


async def search_text(update: Update, context: BotContext) -> None:
    """Treat plain text in a private chat as a search."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await reply_with_results(message, context, message.text)


async def reply_with_results(message: Message, context: BotContext, query: str) -> None:
    """Answer with the first page of results and remember the query for paging."""
    result = await search_titles(context.db, query, limit=views.PAGE_SIZE, offset=0)
    text, markup = views.search_page(result, page=0)
    sent = await message.reply_text(text, reply_markup=markup)
    if result.hits and context.chat_data is not None:
        searches: dict[int, str] = context.chat_data.setdefault("searches", {})
        searches[sent.message_id] = query
        while len(searches) > MAX_REMEMBERED_SEARCHES:
            del searches[next(iter(searches))]


async def turn_page(update: Update, context: BotContext) -> None:
    """Show another page of the results this message holds."""
    query = update.callback_query
    assert query is not None and query.data is not None and context.match is not None
    page = int(context.match[1])
    message = query.message
    searches = (context.chat_data or {}).get("searches", {})
    text_query = searches.get(message.message_id) if message else None
    if text_query is None or not isinstance(message, Message):
        await query.answer(texts.SEARCH_EXPIRED, show_alert=True)
        return
    result = await search_titles(
        context.db, text_query, limit=views.PAGE_SIZE, offset=page * views.PAGE_SIZE
    )
    if not result.hits:
        await query.answer(texts.SEARCH_EXPIRED, show_alert=True)
        return
    text, markup = views.search_page(result, page=page)
    await query.answer()
    await message.edit_text(text, reply_markup=markup)


async def open_title(update: Update, context: BotContext) -> None:
    """Send the card of the title whose button was pressed."""
    query = update.callback_query
    assert query is not None and context.match is not None
    await query.answer()
    if query.message is not None:
        await send_title_card(query.message.chat.id, context, int(context.match[1]))


async def send_title_card(chat_id: int, context: BotContext, title_id: int) -> None:
    """Send a title card, or say kindly that the title is gone."""
    title = await catalog.get_title(context.db, title_id)
    if title is None:
        await context.bot.send_message(chat_id, texts.TITLE_NOT_FOUND)
        return
    copies = await catalog.copies_of_title(context.db, title_id)
    card = views.title_card(title, copies, context.deep_link(f"book_{title_id}"))
    free = await loans.free_copies(context.db.conn, title_id)
    rows = [[borrow_button(title_id, free)]] if copies else []
    rows += await broadcasts.title_card_rows(context, chat_id, title_id)
    markup = InlineKeyboardMarkup(rows) if rows else None
    await context.bot.send_message(chat_id, card, reply_markup=markup)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("tim", search_command),
        MessageHandler(
            filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT,
            search_text,
        ),
        CallbackQueryHandler(turn_page, pattern=rf"^{views.SEARCH_PAGE}:(\d{{1,4}})$"),
        CallbackQueryHandler(open_title, pattern=rf"^{views.OPEN_TITLE}:(\d{{1,12}})$"),
    ]
