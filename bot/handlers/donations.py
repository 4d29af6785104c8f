"""The donation drive: /tangsach catalogues a donated copy (donor → book → số ĐKCB → save) and
thanks the donor; /quyengop shows the class board, starts and ends the drive."""

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.circulation import class_part
from bot.circulation import message as push_message
from bot.context import BotContext
from bot.core.donations import next_accession, prefix_counts, split_accession, typed_prefix
from bot.core.inventory import is_accession_like
from bot.core.roles import Action, may
from bot.core.rotation import DayError, parse_future_day
from bot.core.suggestions import MAX_AUTHOR, MAX_TITLE, Problem, check, is_skip
from bot.handlers.common import chat_id_of, draft_of, forget, one_button, permitted, remove_buttons
from bot.handlers.dialogs import dialog
from bot.handlers.groups import school_class
from bot.jobs import donations as board_jobs
from db import catalog, groups, readers
from db import donations as store
from db.donations import DonationOutcome, NewDonation
from db.outbox import NewMessage, enqueue_many
from db.search import search_titles

log = logging.getLogger(__name__)

PREFIX = "tg"
PICK_READER = f"{PREFIX}:r"
TYPED_NAME = f"{PREFIX}:n"
NO_CLASS = f"{PREFIX}:c"
PICK_TITLE = f"{PREFIX}:b"
NEW_TITLE = f"{PREFIX}:bn"
SKIP_AUTHOR = f"{PREFIX}:ba"
PICK_NUMBER = f"{PREFIX}:a"
SAVE = f"{PREFIX}:ok"
DROP = f"{PREFIX}:no"
MORE = f"{PREFIX}:more"
DONOR, DONOR_CLASS, BOOK, NEW_AUTHOR, ACCESSION, CONFIRM = range(6)
DRAFT = "donation_draft"
LAST_DONOR = "donation_last_donor"
MAX_NAME = 80
READER_CHOICES = 8
TITLE_CHOICES = 6
NUMBER_CHOICES = 6
CONVERSATION_TIMEOUT = 30 * 60
DONOR_FIELDS = ("donor_name", "class_name", "reader_id")


async def _librarian(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    return await permitted(update, context, Action.RECORD_DONATIONS, "record_donations")


async def _expired(update: Update, context: BotContext) -> int:
    forget(context, DRAFT)
    if update.callback_query is not None:
        await update.callback_query.answer(texts.BUTTON_EXPIRED, show_alert=True)
    else:
        await context.bot.send_message(chat_id_of(update), texts.BUTTON_EXPIRED)
    return ConversationHandler.END


async def start(update: Update, context: BotContext) -> int:
    """Begin recording a donated copy: ask who gave it."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    context.user_data[DRAFT] = {}
    await message.reply_text(texts.DONATION_ASK_DONOR)
    return DONOR


async def again(update: Update, context: BotContext) -> int:
    """Record another copy from the donor of the last one."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    last = context.user_data.get(LAST_DONOR)
    if not isinstance(last, dict):
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return ConversationHandler.END
    await query.answer()
    context.user_data[DRAFT] = dict(last)
    return await _ask_book(update, context)


async def find_donor(update: Update, context: BotContext) -> int:
    """Look the donor up among the readers; offer the matches and "this name as typed"."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None and message.text is not None
    if draft is None:
        return await _expired(update, context)
    name, problem = check(message.text, MAX_NAME)
    if problem is not None:
        await message.reply_text(
            texts.DONATION_NAME_TOO_LONG.format(limit=MAX_NAME)
            if problem is Problem.TOO_LONG
            else texts.DONATION_ASK_DONOR
        )
        return DONOR
    draft["typed_name"] = name
    found = await readers.find_readers(context.db, name, limit=READER_CHOICES)
    rows = [
        [
            InlineKeyboardButton(
                f"{reader.full_name} – {reader.class_name or reader.code}"[:60],
                callback_data=f"{PICK_READER}:{reader.id}",
            )
        ]
        for reader in found
    ]
    rows.append(
        [
            InlineKeyboardButton(
                texts.BUTTON_DONATION_TYPED_NAME.format(name=name[:40]),
                callback_data=TYPED_NAME,
            )
        ]
    )
    text = texts.DONATION_PICK_DONOR if found else texts.DONATION_NO_READER
    await message.reply_text(
        text.format(name=html.escape(name)), reply_markup=InlineKeyboardMarkup(rows)
    )
    return DONOR


async def pick_reader(update: Update, context: BotContext) -> int:
    """The donor is this reader: their name and class are taken from the reader list."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    reader = await readers.get_reader(context.db, int(context.match[1]))
    if draft is None or reader is None or not reader.active:
        return await _expired(update, context)
    await query.answer()
    draft.update(donor_name=reader.full_name, class_name=reader.class_name, reader_id=reader.id)
    return await _ask_book(update, context)


async def take_typed_name(update: Update, context: BotContext) -> int:
    """The donor is not in the reader list: keep the name as typed and ask for the class."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    if draft is None or "typed_name" not in draft:
        return await _expired(update, context)
    await query.answer()
    draft.update(donor_name=draft["typed_name"], reader_id=None)
    await context.bot.send_message(
        chat_id_of(update),
        texts.DONATION_ASK_CLASS.format(name=html.escape(draft["donor_name"])),
        reply_markup=one_button(texts.BUTTON_DONATION_NO_CLASS, NO_CLASS),
    )
    return DONOR_CLASS


async def take_class(update: Update, context: BotContext) -> int:
    """Keep the typed donor's class (or none)."""
    draft = draft_of(context, DRAFT)
    if draft is None or "donor_name" not in draft:
        return await _expired(update, context)
    if update.callback_query is not None:
        if not await _librarian(update, context):
            return ConversationHandler.END
        await update.callback_query.answer()
        draft["class_name"] = ""
        return await _ask_book(update, context)
    message = update.effective_message
    assert message is not None and message.text is not None
    found = school_class(message.text[:40])
    if found is None:
        await message.reply_text(
            texts.DONATION_BAD_CLASS.format(value=html.escape(message.text[:40]))
        )
        return DONOR_CLASS
    draft["class_name"] = found[0]
    return await _ask_book(update, context)


async def _ask_book(update: Update, context: BotContext) -> int:
    draft = draft_of(context, DRAFT)
    assert draft is not None
    await context.bot.send_message(
        chat_id_of(update),
        texts.DONATION_ASK_BOOK.format(
            donor=html.escape(draft["donor_name"]), class_part=class_part(draft["class_name"])
        ),
    )
    return BOOK


async def find_book(update: Update, context: BotContext) -> int:
    """Search the catalog for the typed title; offer the hits and "a new title"."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None and message.text is not None
    if draft is None or "donor_name" not in draft:
        return await _expired(update, context)
    title, problem = check(message.text, MAX_TITLE)
    if problem is not None:
        await message.reply_text(
            texts.DONATION_TITLE_TOO_LONG.format(limit=MAX_TITLE)
            if problem is Problem.TOO_LONG
            else texts.DONATION_TITLE_EMPTY
        )
        return BOOK
    draft["typed_title"] = title
    result = await search_titles(context.db, title, limit=TITLE_CHOICES)
    rows = []
    for hit in result.hits:
        author = f" — {hit.author}" if hit.author else ""
        rows.append(
            [
                InlineKeyboardButton(
                    f"{hit.title}{author}"[:60], callback_data=f"{PICK_TITLE}:{hit.title_id}"
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                texts.BUTTON_DONATION_NEW_TITLE.format(title=title[:40]), callback_data=NEW_TITLE
            )
        ]
    )
    text = texts.DONATION_PICK_TITLE if result.hits else texts.DONATION_NO_TITLE_FOUND
    await message.reply_text(
        text.format(title=html.escape(title)), reply_markup=InlineKeyboardMarkup(rows)
    )
    return BOOK


async def pick_title(update: Update, context: BotContext) -> int:
    """The copy belongs to this catalog title."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    title = await catalog.get_title(context.db, int(context.match[1]))
    if draft is None or title is None or "donor_name" not in draft:
        return await _expired(update, context)
    await query.answer()
    draft.update(title_id=title.id, title=title.title, author=title.author)
    return await _ask_number(update, context)


async def new_title(update: Update, context: BotContext) -> int:
    """The copy is of a title not yet in the catalog: ask its author."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    if draft is None or "typed_title" not in draft:
        return await _expired(update, context)
    await query.answer()
    draft.update(title_id=None, title=draft["typed_title"])
    await context.bot.send_message(
        chat_id_of(update),
        texts.DONATION_ASK_AUTHOR.format(title=html.escape(draft["title"])),
        reply_markup=one_button(texts.BUTTON_SKIP, SKIP_AUTHOR),
    )
    return NEW_AUTHOR


async def take_author(update: Update, context: BotContext) -> int:
    """Keep the new title's author (or none)."""
    draft = draft_of(context, DRAFT)
    if draft is None or "title" not in draft:
        return await _expired(update, context)
    author = ""
    if update.callback_query is not None:
        if not await _librarian(update, context):
            return ConversationHandler.END
        await update.callback_query.answer()
    else:
        message = update.effective_message
        assert message is not None and message.text is not None
        if not is_skip(message.text):
            author, problem = check(message.text, MAX_AUTHOR)
            if problem is not None:
                await message.reply_text(texts.DONATION_AUTHOR_BAD.format(limit=MAX_AUTHOR))
                return NEW_AUTHOR
    draft["author"] = author
    return await _ask_number(update, context)


async def _ask_number(update: Update, context: BotContext, prefix: str | None = None) -> int:
    """Suggest the next free number of the likely prefixes (or of the one typed)."""
    draft = draft_of(context, DRAFT)
    assert draft is not None
    accessions = await store.all_accessions(context.db)
    if prefix is not None:
        prefixes = [prefix]
    else:
        prefixes = [known for known, _ in prefix_counts(accessions)]
        if draft.get("title_id") is not None:
            own = await catalog.copies_of_title(context.db, draft["title_id"])
            mine = [known for known, _ in prefix_counts(copy.accession for copy in own)]
            prefixes = [*mine, *(known for known in prefixes if known not in mine)]
    numbers = [next_accession(known, accessions) for known in prefixes[:NUMBER_CHOICES]]
    draft["numbers"] = numbers
    rows = [
        [InlineKeyboardButton(number, callback_data=f"{PICK_NUMBER}:{index}")]
        for index, number in enumerate(numbers)
    ]
    await context.bot.send_message(
        chat_id_of(update),
        texts.DONATION_ASK_NUMBER.format(title=html.escape(draft["title"])),
        reply_markup=InlineKeyboardMarkup(rows) if rows else None,
    )
    return ACCESSION


async def take_number(update: Update, context: BotContext) -> int:
    """Take a typed number, or a typed prefix (then suggest its next free number)."""
    message = update.effective_message
    draft = draft_of(context, DRAFT)
    assert message is not None and message.text is not None
    if draft is None or "title" not in draft:
        return await _expired(update, context)
    typed = message.text.strip()[:40]
    accessions = await store.all_accessions(context.db)
    prefix = typed_prefix(typed, (known for known, _ in prefix_counts(accessions)))
    if prefix is not None:
        return await _ask_number(update, context, prefix)
    if not is_accession_like(typed) or split_accession(typed) is None:
        await message.reply_text(texts.DONATION_BAD_NUMBER.format(value=html.escape(typed)))
        return ACCESSION
    return await _choose_number(update, context, typed)


async def pick_number(update: Update, context: BotContext) -> int:
    """Use one of the suggested numbers."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    numbers = draft.get("numbers", []) if draft else []
    index = int(context.match[1])
    if draft is None or index >= len(numbers):
        return await _expired(update, context)
    await query.answer()
    return await _choose_number(update, context, numbers[index])


async def _choose_number(update: Update, context: BotContext, accession: str) -> int:
    draft = draft_of(context, DRAFT)
    assert draft is not None
    if await catalog.find_copy(context.db, accession) is not None:
        await context.bot.send_message(
            chat_id_of(update),
            texts.DONATION_NUMBER_TAKEN.format(accession=html.escape(accession)),
        )
        return ACCESSION
    draft["accession"] = catalog.accession_key(accession)
    author = draft.get("author") or ""
    await context.bot.send_message(
        chat_id_of(update),
        texts.DONATION_CONFIRM.format(
            donor=html.escape(draft["donor_name"]),
            class_part=class_part(draft["class_name"]),
            title=html.escape(draft["title"]),
            author=f" — {html.escape(author)}" if author else "",
            new=texts.DONATION_NEW_TITLE_MARK if draft.get("title_id") is None else "",
            accession=html.escape(draft["accession"]),
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(texts.BUTTON_DONATION_SAVE, callback_data=SAVE),
                    InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=DROP),
                ]
            ]
        ),
    )
    return CONFIRM


async def save(update: Update, context: BotContext) -> int:
    """Catalogue the copy as donated, thank a linked donor, offer to record another."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    identity = await context.identity(update)
    if not may(identity, Action.RECORD_DONATIONS):
        await context.refuse(update, "record_donations")
        return ConversationHandler.END
    draft = draft_of(context, DRAFT)
    if draft is None or "accession" not in draft:
        return await _expired(update, context)
    await query.answer()
    donation = NewDonation(
        accession=draft["accession"],
        donor_name=draft["donor_name"],
        donated_on=context.now().date(),
        recorded_by=identity.user_id,
        title_id=draft.get("title_id"),
        title=draft["title"],
        author=draft.get("author") or "",
        reader_id=draft.get("reader_id"),
        class_name=draft["class_name"],
    )
    thanks = push_message(
        texts.DONATION_THANKS.format(
            name=html.escape(donation.donor_name),
            title=html.escape(donation.title),
            accession=html.escape(donation.accession),
        )
    )
    result = await store.record_donation(context.db, donation, thanks)
    if result.outcome is DonationOutcome.TAKEN:
        await context.bot.send_message(
            chat_id_of(update),
            texts.DONATION_NUMBER_TAKEN.format(accession=html.escape(result.accession)),
        )
        return await _ask_number(update, context)
    if result.outcome is DonationOutcome.NO_TITLE:
        await context.bot.send_message(chat_id_of(update), texts.DONATION_TITLE_GONE)
        return await _ask_book(update, context)
    log.info(
        "user %s recorded donated copy %s (donor %s)",
        identity.user_id,
        result.accession,
        donation.reader_id,
    )
    if result.thanked:
        context.bot_data.delivery.notify()
    context.user_data[LAST_DONOR] = {field: draft[field] for field in DONOR_FIELDS}
    forget(context, DRAFT)
    text = texts.DONATION_SAVED.format(
        accession=html.escape(result.accession),
        title=html.escape(donation.title),
        donor=html.escape(donation.donor_name),
        class_part=class_part(donation.class_name),
    )
    if result.thanked:
        text += texts.DONATION_THANKED
    if isinstance(query.message, Message):
        await remove_buttons(query.message)
    await context.bot.send_message(
        chat_id_of(update),
        text,
        reply_markup=one_button(
            texts.BUTTON_DONATION_MORE.format(name=donation.donor_name[:30]), MORE
        ),
    )
    return ConversationHandler.END


async def drop(update: Update, context: BotContext) -> int:
    """Drop the copy being recorded (its Hủy button)."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    forget(context, DRAFT)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def leave(update: Update, context: BotContext) -> int:
    """Leave the dialog (/huy)."""
    forget(context, DRAFT)
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> None:
    """Ask for words when something else arrives in the middle of the dialog."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.DONATION_TEXT_ONLY)


async def drive_command(update: Update, context: BotContext) -> None:
    """Show the board (anyone); start or end the drive (the librarian)."""
    message = update.effective_message
    assert message is not None
    args = [arg.casefold() for arg in context.args or []]
    today = context.now().date()
    if not args:
        drive = await store.current_drive(context.db, today)
        text = await board_jobs.board_text(context.db, context.config, today, drive)
        await message.reply_text(text)
        return
    if args[0] not in ("batdau", "ketthuc"):
        await message.reply_text(texts.DONATION_DRIVE_USAGE)
        return
    identity = await context.identity(update)
    if not may(identity, Action.RECORD_DONATIONS):
        await context.refuse(update, "donation_drive")
        return
    if args[0] == "ketthuc":
        await _end_drive(update, context)
        return
    calendar = context.config.calendar
    if len(args) > 1:
        try:
            ends_on = parse_future_day(args[1][:20], today)
        except DayError as error:
            await message.reply_text(texts.DONATION_DRIVE_BAD_DAY[error.problem.value])
            return
    else:
        ends_on = calendar.school_year_of(today).end
    drive, started = await store.start_drive(context.db, today, ends_on, identity.user_id)
    if not started:
        await message.reply_text(
            texts.DONATION_DRIVE_RUNNING.format(
                start=texts.format_date(drive.starts_on), end=texts.format_date(drive.ends_on)
            )
        )
        return
    log.info("user %s started donation drive %s", identity.user_id, drive.id)
    chats = await groups.class_group_chats(context.db)
    announcement = push_message(
        texts.DONATION_DRIVE_ANNOUNCEMENT.format(
            library=html.escape(context.config.library.name),
            end=texts.format_date(drive.ends_on),
        )
    )
    rows = [NewMessage(f"donations:start:{drive.id}:{chat}", chat, announcement) for chat in chats]
    async with context.db.transaction() as conn:
        announced = await enqueue_many(conn, rows)
    if announced:
        context.bot_data.delivery.notify()
    text = texts.DONATION_DRIVE_STARTED.format(
        start=texts.format_date(drive.starts_on), end=texts.format_date(drive.ends_on)
    )
    if chats:
        text += texts.DONATION_GROUPS_TOLD.format(groups=announced)
    else:
        text += texts.DONATION_NO_GROUPS
    await message.reply_text(text)


async def _end_drive(update: Update, context: BotContext) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    now = context.now()
    drive = await store.end_drive(context.db, now.date(), user.id)
    if drive is None:
        await message.reply_text(texts.DONATION_DRIVE_NONE)
        return
    log.info("user %s ended donation drive %s", user.id, drive.id)
    posted = await board_jobs.post_boards(context.bot_data, now)
    text = texts.DONATION_DRIVE_ENDED.format(
        start=texts.format_date(drive.starts_on), end=texts.format_date(drive.ends_on)
    )
    if posted:
        text += texts.DONATION_BOARD_POSTED.format(groups=posted)
    await message.reply_text(text)


def _conversation() -> ConversationHandler:
    private = filters.ChatType.PRIVATE
    text = private & filters.TEXT & ~filters.COMMAND
    other = private & ~filters.TEXT & ~filters.COMMAND
    return dialog(
        entry_points=[
            CommandHandler("tangsach", start, private),
            CallbackQueryHandler(again, pattern=rf"^{MORE}$"),
        ],
        states={
            DONOR: [
                MessageHandler(text, find_donor),
                CallbackQueryHandler(pick_reader, pattern=rf"^{PICK_READER}:(\d{{1,12}})$"),
                CallbackQueryHandler(take_typed_name, pattern=rf"^{TYPED_NAME}$"),
            ],
            DONOR_CLASS: [
                MessageHandler(text, take_class),
                CallbackQueryHandler(take_class, pattern=rf"^{NO_CLASS}$"),
            ],
            BOOK: [
                MessageHandler(text, find_book),
                CallbackQueryHandler(pick_title, pattern=rf"^{PICK_TITLE}:(\d{{1,12}})$"),
                CallbackQueryHandler(new_title, pattern=rf"^{NEW_TITLE}$"),
            ],
            NEW_AUTHOR: [
                MessageHandler(text, take_author),
                CallbackQueryHandler(take_author, pattern=rf"^{SKIP_AUTHOR}$"),
            ],
            ACCESSION: [
                MessageHandler(text, take_number),
                CallbackQueryHandler(pick_number, pattern=rf"^{PICK_NUMBER}:(\d)$"),
            ],
            CONFIRM: [
                CallbackQueryHandler(save, pattern=rf"^{SAVE}$"),
                CallbackQueryHandler(drop, pattern=rf"^{DROP}$"),
            ],
        },
        fallbacks=[CommandHandler("huy", leave), MessageHandler(other, not_text)],
        name="donation",
        conversation_timeout=CONVERSATION_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """The /tangsach dialog and /quyengop."""
    conversation = _conversation()
    return [conversation, CommandHandler("quyengop", drive_command)]
