"""Purchase suggestions (/degoisach): a reader suggests a book (title → author → why), the
librarian sees them ranked, decides on each (the suggesters are told) and exports the list."""

import asyncio
import html
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts, views
from bot.circulation import message as push_message
from bot.context import BotContext
from bot.core.roles import Action, may
from bot.core.suggestions import (
    MAX_AUTHOR,
    MAX_REASON,
    MAX_TITLE,
    Problem,
    Proposal,
    check,
    is_skip,
)
from bot.core.wording import Address, capitalised
from bot.handlers.common import draft_of, forget, one_button, permitted, shorten
from bot.handlers.dialogs import DIALOG_TIMEOUT, dialog
from bot.services.voice import voice_of
from db import suggestions as store
from db.suggestions import LATER, OPEN, ORDERED, CatalogMatch, SuggestionRecord

log = logging.getLogger(__name__)

PREFIX = "dx"
EXPORT = f"{PREFIX}:xls"
SKIP_AUTHOR = f"{PREFIX}:sa"
SKIP_REASON = f"{PREFIX}:sr"
DECISIONS = {"o": store.ORDERED, "l": store.LATER, "d": store.DECLINED}
TITLE, AUTHOR, REASON = range(3)
DRAFT = "suggestion_draft"
LIST_LIMIT = 20
# A list of LIST_LIMIT lines this short stays one message, with room for the decisions noted.
TITLE_SHOWN = 70
AUTHOR_SHOWN = 30
MESSAGE_LIMIT = 4000
EXPORT_WORDS = ("xuat", "excel", "xuất")


def _item_line(record: SuggestionRecord, held: CatalogMatch | None) -> str:
    """A suggestion as typed, and the catalog's title when it names one the library holds."""
    held_part = ""
    if held is not None:
        template = texts.SUGGESTION_HELD if held.copies else texts.SUGGESTION_IN_CATALOG
        held_part = template.format(
            title=html.escape(shorten(held.title, TITLE_SHOWN)), copies=held.copies
        )
    return texts.SUGGESTION_LINE.format(
        id=record.id,
        title=html.escape(shorten(record.title, TITLE_SHOWN)),
        author=f" — {html.escape(shorten(record.author, AUTHOR_SHOWN))}" if record.author else "",
        votes=record.votes,
        later=texts.SUGGESTION_LATER_MARK if record.status == LATER else "",
        held=held_part,
    )


def _decision_row(suggestion_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            label.format(id=suggestion_id), callback_data=f"{PREFIX}:{suggestion_id}:{code}"
        )
        for code, label in texts.SUGGESTION_BUTTONS.items()
    ]


async def show_list(update: Update, context: BotContext) -> None:
    """Show the librarian the suggestions, most wanted first, each with its decision buttons."""
    message = update.effective_message
    assert message is not None
    records = await store.ranked(context.db, limit=LIST_LIMIT)
    counts = await store.count_by_status(context.db)
    header = texts.SUGGESTION_LIST_HEADER.format(
        open=counts[OPEN], later=counts[LATER], ordered=counts[ORDERED]
    )
    rows = [_decision_row(record.id) for record in records]
    rows.append([InlineKeyboardButton(texts.BUTTON_SUGGESTION_EXPORT, callback_data=EXPORT)])
    if not records:
        await message.reply_text(
            f"{header}\n\n{texts.SUGGESTION_LIST_EMPTY}", reply_markup=InlineKeyboardMarkup(rows)
        )
        return
    held = await store.catalog_matches(context.db, records)
    lines = [header, "", *(_item_line(record, held.get(record.id)) for record in records)]
    if counts[OPEN] + counts[LATER] > len(records):
        lines.append(
            texts.SUGGESTION_LIST_MORE.format(count=counts[OPEN] + counts[LATER] - len(records))
        )
    await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))


async def start(update: Update, context: BotContext) -> int:
    """Begin a suggestion for a linked reader; show the list to the librarian."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    identity = await context.identity(update)
    if may(identity, Action.REVIEW_SUGGESTIONS):
        if context.args and context.args[0].casefold() in EXPORT_WORDS:
            await _send_export(message.chat.id, context)
        else:
            await show_list(update, context)
        return ConversationHandler.END
    if identity.reader_id is None:
        await message.reply_text(texts.NOT_LINKED)
        return ConversationHandler.END
    if not may(identity, Action.SUGGEST_BOOK):
        await context.refuse(update, "suggest_book")
        return ConversationHandler.END
    user = update.effective_user
    voice = await voice_of(
        context.db,
        identity,
        user.first_name if user else "",
        context.config.library.librarian_address,
    )
    you = voice.form or Address.TEACHER
    context.user_data[DRAFT] = {"you": you}
    await message.reply_text(texts.SUGGESTION_ASK_TITLE.format(you=you, You=capitalised(you)))
    return TITLE


def _you(draft: dict[str, Any]) -> dict[str, str]:
    """The reader's form of address, for the texts that speak to them ({you}, {You})."""
    you = str(draft.get("you") or Address.TEACHER)
    return {"you": you, "You": capitalised(you)}


def _problem_text(problem: Problem, limit: int, what: str) -> str:
    if problem is Problem.TOO_LONG:
        return texts.SUGGESTION_TOO_LONG.format(what=what, limit=limit)
    return texts.SUGGESTION_EMPTY.format(what=what)


async def _optional(update: Update, message: Message, limit: int, what: str) -> str | None:
    """The typed answer, empty when skipped; None once the reader is told what is wrong."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        return ""
    if message.text is None or is_skip(message.text):
        return ""
    value, problem = check(message.text, limit)
    if problem is not None:
        await message.reply_text(_problem_text(problem, limit, what))
        return None
    return value


async def take_title(update: Update, context: BotContext) -> int:
    """Keep the title; if the library already has the book, say so and stop."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None and message.text is not None
    if draft is None:
        await message.reply_text(texts.BUTTON_EXPIRED)
        return ConversationHandler.END
    title, problem = check(message.text, MAX_TITLE)
    if problem is not None:
        await message.reply_text(_problem_text(problem, MAX_TITLE, texts.SUGGESTION_WHAT_TITLE))
        return TITLE
    title_id = await store.library_title(context.db, title)
    if title_id is not None:
        forget(context, DRAFT)
        await message.reply_text(
            texts.SUGGESTION_IN_LIBRARY.format(title=html.escape(title)),
            reply_markup=one_button(
                texts.BUTTON_SUGGESTION_SEE_TITLE, f"{views.OPEN_TITLE}:{title_id}"
            ),
        )
        return ConversationHandler.END
    draft["title"] = title
    await message.reply_text(
        texts.SUGGESTION_ASK_AUTHOR.format(title=html.escape(title), **_you(draft)),
        reply_markup=one_button(texts.BUTTON_SKIP, SKIP_AUTHOR),
    )
    return AUTHOR


async def take_author(update: Update, context: BotContext) -> int:
    """Keep the author (or none), then ask why."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None
    if draft is None or "title" not in draft:
        await message.reply_text(texts.BUTTON_EXPIRED)
        return ConversationHandler.END
    author = await _optional(update, message, MAX_AUTHOR, texts.SUGGESTION_WHAT_AUTHOR)
    if author is None:
        return AUTHOR
    draft["author"] = author
    await context.bot.send_message(
        message.chat.id,
        texts.SUGGESTION_ASK_REASON.format(**_you(draft)),
        reply_markup=one_button(texts.BUTTON_SKIP, SKIP_REASON),
    )
    return REASON


async def take_reason(update: Update, context: BotContext) -> int:
    """Keep the reason (or none) and record the suggestion, merged with similar ones."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None
    if draft is None or "author" not in draft:
        await message.reply_text(texts.BUTTON_EXPIRED)
        return ConversationHandler.END
    reason = await _optional(update, message, MAX_REASON, texts.SUGGESTION_WHAT_REASON)
    if reason is None:
        return REASON
    identity = await context.identity(update)
    if identity.reader_id is None or not may(identity, Action.SUGGEST_BOOK):
        forget(context, DRAFT)
        await context.refuse(update, "suggest_book")
        return ConversationHandler.END
    proposal = Proposal(draft["title"], draft["author"])
    result = await store.suggest(context.db, proposal, reason, identity.reader_id, context.now())
    forget(context, DRAFT)
    you = _you(draft)
    record = result.suggestion
    log.info(
        "reader %s suggested #%s (merged=%s, counted=%s)",
        identity.reader_id,
        record.id,
        result.merged,
        result.counted,
    )
    if not result.counted:
        template = texts.SUGGESTION_ALREADY_YOURS
    elif result.merged:
        template = texts.SUGGESTION_MERGED
    else:
        template = texts.SUGGESTION_SAVED
    text = template.format(title=html.escape(record.title), votes=record.votes, **you)
    if record.status == ORDERED:
        text += texts.SUGGESTION_ALREADY_ORDERED
    await context.bot.send_message(message.chat.id, text)
    return ConversationHandler.END


async def leave(update: Update, context: BotContext) -> int:
    """Leave the suggestion (/huy)."""
    forget(context, DRAFT)
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> None:
    """Ask for words when a sticker, photo or file arrives in the middle of a suggestion."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.SUGGESTION_TEXT_ONLY)


async def decide(update: Update, context: BotContext) -> None:
    """Record the librarian's decision on a suggestion; every suggester is told."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.REVIEW_SUGGESTIONS):
        await context.refuse(update, "review_suggestions")
        return
    suggestion_id, status = int(context.match[1]), DECISIONS[context.match[2]]
    record = await store.get_suggestion(context.db, suggestion_id)
    if record is None:
        await query.answer(texts.SUGGESTION_GONE, show_alert=True)
        return
    if record.status == status:
        await query.answer(texts.SUGGESTION_SAME_DECISION, show_alert=True)
        return
    notice = push_message(texts.SUGGESTION_NOTICE[status].format(title=html.escape(record.title)))
    decided = await store.decide(
        context.db, suggestion_id, status, identity.user_id, context.now(), notice
    )
    if decided is None:
        await query.answer(texts.SUGGESTION_GONE, show_alert=True)
        return
    _, told = decided
    log.info("user %s marked suggestion #%s %s", identity.user_id, suggestion_id, status)
    context.bot_data.delivery.notify()
    await query.answer()
    note = texts.SUGGESTION_DECIDED.format(
        id=suggestion_id, decision=texts.SUGGESTION_STATUS[status], told=told
    )
    if isinstance(query.message, Message):
        await _note_on(query.message, note, suggestion_id)


async def _note_on(message: Message, note: str, suggestion_id: int) -> None:
    """Append the decision to the list and drop that suggestion's buttons."""
    decided = {f"{PREFIX}:{suggestion_id}:{code}" for code in DECISIONS}
    rows = [
        row
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        if not any(button.callback_data in decided for button in row)
    ]
    markup = InlineKeyboardMarkup(rows) if rows else None
    text = f"{message.text_html or ''}\n{note}"
    if len(text) <= MESSAGE_LIMIT:
        await message.edit_text(text, reply_markup=markup)
        return
    await message.edit_reply_markup(markup)
    await message.reply_text(note)


async def export(update: Update, context: BotContext) -> None:
    """Send the acquisition list as an Excel file."""
    query = update.callback_query
    assert query is not None
    if not await permitted(update, context, Action.REVIEW_SUGGESTIONS, "review_suggestions"):
        return
    await query.answer()
    if query.message is not None:
        await _send_export(query.message.chat.id, context)


async def _send_export(chat_id: int, context: BotContext) -> None:
    # openpyxl loads on the first list, not at start: it is a large part of the bot's memory.
    from bot.book_lists import acquisition_file_name, acquisition_workbook

    rows = await store.acquisition_list(context.db)
    if not rows:
        await context.bot.send_message(chat_id, texts.SUGGESTION_EXPORT_EMPTY)
        return
    today = context.now().date()
    library = context.config.library
    data = await asyncio.to_thread(
        acquisition_workbook,
        rows,
        school=library.school,
        library=library.name,
        made_on=today,
        zone=library.timezone,
    )
    await context.bot.send_document(
        chat_id,
        document=data,
        filename=acquisition_file_name(today),
        caption=texts.SUGGESTION_EXPORT_CAPTION.format(
            count=len(rows), day=texts.format_date(today)
        ),
    )


async def in_group(update: Update, context: BotContext) -> None:
    """Suggestions are made in private: say so in a group."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.SUGGESTION_PRIVATE_ONLY)


def _conversation() -> ConversationHandler:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    other = private & ~filters.TEXT & ~filters.COMMAND
    return dialog(
        entry_points=[CommandHandler("degoisach", start, private)],
        states={
            TITLE: [MessageHandler(text, take_title), MessageHandler(other, not_text)],
            AUTHOR: [
                MessageHandler(text, take_author),
                CallbackQueryHandler(take_author, pattern=rf"^{SKIP_AUTHOR}$"),
                MessageHandler(other, not_text),
            ],
            REASON: [
                MessageHandler(text, take_reason),
                CallbackQueryHandler(take_reason, pattern=rf"^{SKIP_REASON}$"),
                MessageHandler(other, not_text),
            ],
        },
        fallbacks=[CommandHandler("huy", leave)],
        name="suggestion",
        conversation_timeout=DIALOG_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """The /degoisach dialog, the librarian's decision and export buttons."""
    conversation = _conversation()
    return [
        conversation,
        CommandHandler("degoisach", in_group, filters.ChatType.GROUPS),
        CallbackQueryHandler(decide, pattern=rf"^{PREFIX}:(\d{{1,12}}):([old])$"),
        CallbackQueryHandler(export, pattern=rf"^{EXPORT}$"),
    ]
