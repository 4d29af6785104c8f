"""Librarian broadcasts: /thongbao, its scheduled list, and the title card's Giới thiệu sách."""

import html
from datetime import datetime
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts, views
from bot.context import BotContext
from bot.core.campaigns import (
    BROADCAST_AUDIENCES,
    GRADES,
    MAX_BOOKS,
    MAX_CAPTION,
    MAX_TEXT,
    Audience,
    AudienceKind,
    WhenError,
    fits,
    parse_audience,
    parse_class,
    parse_send_moment,
    visible_length,
)
from bot.core.roles import Action, may
from bot.core.textfold import normalize
from bot.core.wording import round_limit
from bot.handlers.dialogs import DIALOG_TIMEOUT, dialog
from bot.jobs import campaigns as jobs
from db import accounts, catalog
from db import campaigns as store
from db.campaigns import BroadcastRecord, NewBroadcast
from db.search import search_titles

PREFIX = "tb"
CANCEL_SCHEDULED = "tbx"
PROMOTE = "gt"
AUDIENCE, CLASS_NAME, TEXT, PHOTO, BOOKS, PREVIEW, WHEN = range(7)
DRAFT = "broadcast_draft"
SEARCH_LIMIT = 8
SUMMARY_LENGTH = 60
MAX_LISTED = 20
DIALOG = "broadcast"


# --- shared with the campaign screens ------------------------------------------------------

# The dialog (campaign edit or broadcast) each librarian opened last: only it reads their
# typing, so a /thongbao opened in the middle of an edit does not feed the edit its text.
_typing_owner: dict[int, str] = {}


class TypingFor(filters.UpdateFilter):
    """Lets a person's messages through only to the dialog they opened last."""

    __slots__ = ("dialog",)

    def __init__(self, dialog: str) -> None:
        super().__init__(name=f"TypingFor({dialog})")
        self.dialog = dialog

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and _typing_owner.get(user.id) == self.dialog


def open_dialog(update: Update, dialog: str) -> None:
    """Give the person's next messages to this dialog."""
    if update.effective_user is not None:
        _typing_owner[update.effective_user.id] = dialog


async def send_payload(bot: Bot, chat_id: int, body: dict[str, Any]) -> Message:
    """Send an outbox-style payload directly (a preview of exactly what will go out)."""
    markup = body.get("reply_markup")
    options: dict[str, Any] = {"parse_mode": body.get("parse_mode")}
    if markup:
        options["reply_markup"] = InlineKeyboardMarkup.de_json(markup)
    if body["method"] == "sendPhoto":
        return await bot.send_photo(chat_id, body["photo"], caption=body["caption"], **options)
    return await bot.send_message(chat_id, body["text"], **options)


def book_choices(prefix: str, hits: list[Any]) -> InlineKeyboardMarkup:
    """Buttons to pick one of the titles a search found (ids in the data, names on the face)."""
    rows = []
    for hit in hits:
        author = f" — {hit.author}" if hit.author else ""
        label = views.availability(hit.on_shelf, hit.total).split(" ", 1)[0]
        face = f"{label} {hit.title}{author}"
        rows.append([InlineKeyboardButton(face[:60], callback_data=f"{prefix}:{hit.title_id}")])
    return InlineKeyboardMarkup(rows)


async def offer_books(
    context: BotContext,
    message: Message,
    prefix: str,
    none_markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Search the catalog for the typed words and offer the titles found, or say none was."""
    query_text = message.text or ""
    result = await search_titles(context.db, query_text, limit=SEARCH_LIMIT)
    if not result.hits:
        await message.reply_text(
            texts.NO_BOOK_FOUND.format(query=views.echo_query(query_text)),
            reply_markup=none_markup,
        )
        return
    await message.reply_text(texts.PICK_BOOK, reply_markup=book_choices(prefix, result.hits))


def when_text(moment: datetime) -> str:
    """A moment as "hh:mm ngày dd/mm/yyyy"."""
    return f"{moment.strftime('%H:%M')} ngày {texts.format_date(moment.date())}"


# --- guards --------------------------------------------------------------------------------


async def _librarian(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    if may(await context.identity(update), Action.BROADCAST):
        return True
    await context.refuse(update, "broadcast")
    return False


def _draft(context: BotContext) -> dict[str, Any] | None:
    return context.user_data.get(DRAFT) if context.user_data is not None else None


async def _gone(update: Update) -> int:
    """The draft is missing (the bot restarted, or an old button): say so and stop."""
    query = update.callback_query
    if query is not None:
        await query.answer(texts.BROADCAST_DRAFT_GONE, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(texts.BROADCAST_DRAFT_GONE)
    return ConversationHandler.END


async def _open_draft(
    update: Update, context: BotContext, needs: str | None = None
) -> dict[str, Any] | None:
    """The librarian's draft (holding needs, if named); None once refused or told it is gone."""
    if not await _librarian(update, context):
        return None
    draft = _draft(context)
    if draft is None or (needs is not None and needs not in draft):
        await _gone(update)
        return None
    return draft


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


# --- the title card's button ---------------------------------------------------------------


async def title_card_rows(
    context: BotContext, chat_id: int, title_id: int
) -> list[list[InlineKeyboardButton]]:
    """The "Giới thiệu sách" row for a title card shown to a librarian in private, else none."""
    if chat_id <= 0:
        return []
    identity = await accounts.identity_of(
        context.db, chat_id, config_librarian=chat_id in context.config.library.librarians
    )
    if not may(identity, Action.BROADCAST):
        return []
    return [[InlineKeyboardButton(texts.BUTTON_PROMOTE, callback_data=f"{PROMOTE}:{title_id}")]]


# --- the conversation ----------------------------------------------------------------------


def _audience_keyboard() -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(texts.AUDIENCE_BUTTONS[kind], callback_data=f"{PREFIX}:a:{kind}")
        for kind in BROADCAST_AUDIENCES
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


async def start(update: Update, context: BotContext) -> int:
    """List the scheduled broadcasts, then start a new one: who should get it?"""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    scheduled = (await store.scheduled_broadcasts(context.db))[:MAX_LISTED]
    if scheduled:
        zone = context.config.library.timezone
        lines = [texts.BROADCAST_SCHEDULED_HEADER.format(count=len(scheduled))]
        rows = []
        for broadcast in scheduled:
            lines.append(
                texts.BROADCAST_SCHEDULED_LINE.format(
                    id=broadcast.id,
                    when=when_text(broadcast.send_at.astimezone(zone)),
                    audience=jobs.audience_name(parse_audience(broadcast.audience)),
                    summary=views.echo_query(await _summary(context, broadcast)),
                )
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        texts.BUTTON_CANCEL_SCHEDULED.format(id=broadcast.id),
                        callback_data=f"{CANCEL_SCHEDULED}:{broadcast.id}",
                    )
                ]
            )
        await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))
    context.user_data[DRAFT] = {"kind": "message", "books": []}
    open_dialog(update, DIALOG)
    await message.reply_text(texts.BROADCAST_ASK_AUDIENCE, reply_markup=_audience_keyboard())
    return AUDIENCE


async def _summary(context: BotContext, broadcast: BroadcastRecord) -> str:
    if broadcast.kind == "book":
        title = await catalog.get_title(context.db, broadcast.book_ids[0])
        return f"📖 {title.title}" if title else "📖"
    return broadcast.text[:SUMMARY_LENGTH]


async def promote(update: Update, context: BotContext) -> int:
    """Introduce the title of this card: ask who should get it."""
    query = update.callback_query
    assert query is not None and context.match is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    if _chat_id(update) <= 0:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return ConversationHandler.END
    title = await catalog.get_title(context.db, int(context.match[1]))
    if title is None:
        await query.answer(texts.TITLE_NOT_FOUND, show_alert=True)
        return ConversationHandler.END
    context.user_data[DRAFT] = {"kind": "book", "books": [title.id]}
    open_dialog(update, DIALOG)
    await context.bot.send_message(
        _chat_id(update),
        texts.BOOK_INTRO_ASK_AUDIENCE.format(title=html.escape(title.title)),
        reply_markup=_audience_keyboard(),
    )
    await query.answer()
    return AUDIENCE


async def pick_audience(update: Update, context: BotContext) -> int:
    """Take the audience; a grade or a class still needs naming."""
    query = update.callback_query
    assert query is not None and context.match is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    state = await _take_audience(update, context, draft, AudienceKind(context.match[1]))
    await query.answer()
    return state


async def _take_audience(
    update: Update, context: BotContext, draft: dict[str, Any], kind: AudienceKind
) -> int:
    if kind is AudienceKind.GRADE:
        grades = [
            InlineKeyboardButton(
                texts.GRADE_BUTTON.format(grade=grade), callback_data=f"{PREFIX}:g:{grade}"
            )
            for grade in GRADES
        ]
        await context.bot.send_message(
            _chat_id(update), texts.ASK_GRADE, reply_markup=InlineKeyboardMarkup([grades])
        )
        return AUDIENCE
    if kind is AudienceKind.CLASS:
        await context.bot.send_message(_chat_id(update), texts.BROADCAST_ASK_CLASS)
        return CLASS_NAME
    return await _audience_chosen(update, context, draft, Audience(kind))


async def pick_grade(update: Update, context: BotContext) -> int:
    """Take the grade whose class groups get the broadcast."""
    query = update.callback_query
    assert query is not None and context.match is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    state = await _audience_chosen(
        update, context, draft, Audience(AudienceKind.GRADE, context.match[1])
    )
    await query.answer()
    return state


async def take_class(update: Update, context: BotContext) -> int:
    """Take the class whose group gets the broadcast."""
    message = update.effective_message
    assert message is not None and message.text is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    class_name = parse_class(message.text)
    if class_name is None:
        await message.reply_text(
            texts.BROADCAST_BAD_CLASS.format(text=views.echo_query(message.text))
        )
        return CLASS_NAME
    return await _audience_chosen(update, context, draft, Audience(AudienceKind.CLASS, class_name))


def _room(context: BotContext, total: int) -> int:
    """What is left of a message (or a caption) of total characters under the heading."""
    heading = texts.BROADCAST_HEADING.format(library=html.escape(context.config.library.name))
    return total - visible_length(heading) - 2


def _text_limit(context: BotContext) -> int:
    """The text's limit as the librarian is told it: round, and within a message's room."""
    return round_limit(_room(context, MAX_TEXT))


def _ready(draft: dict[str, Any]) -> bool:
    """Whether the draft is finished: a book introduction, or a message past its book step."""
    return draft["kind"] == "book" or bool(draft.get("ready"))


def _unreached_markup(draft: dict[str, Any]) -> InlineKeyboardMarkup:
    """Other audiences, a re-check, and (for a draft still to write) composing anyway."""
    rows = list(_audience_keyboard().inline_keyboard)
    last = [InlineKeyboardButton(texts.BUTTON_RECHECK, callback_data=f"{PREFIX}:re")]
    if _ready(draft):
        last.append(InlineKeyboardButton(texts.BUTTON_DISCARD, callback_data=f"{PREFIX}:drop"))
    else:
        last.append(
            InlineKeyboardButton(texts.BUTTON_COMPOSE_ANYWAY, callback_data=f"{PREFIX}:on")
        )
    return InlineKeyboardMarkup([*rows, last])


async def _warn_unreached(update: Update, context: BotContext, draft: dict[str, Any]) -> int:
    """Say the audience reaches nobody, how to fix it, and keep the draft for another choice."""
    audience = parse_audience(draft["audience"])
    await context.bot.send_message(
        _chat_id(update),
        texts.BROADCAST_NO_RECIPIENTS.format(
            audience=jobs.audience_name(audience), advice=views.audience_advice(audience)
        ),
        reply_markup=_unreached_markup(draft),
    )
    return AUDIENCE


async def _audience_chosen(
    update: Update, context: BotContext, draft: dict[str, Any], audience: Audience
) -> int:
    draft["audience"] = audience.code
    if not await jobs.audience_chats(context.db, audience):
        return await _warn_unreached(update, context, draft)
    return await _next_step(update, context, draft)


async def _next_step(update: Update, context: BotContext, draft: dict[str, Any]) -> int:
    """With an audience chosen: the preview of a finished draft, else the text to write."""
    if _ready(draft):
        return await _preview(update, context, draft)
    await context.bot.send_message(
        _chat_id(update),
        texts.BROADCAST_ASK_TEXT.format(
            audience=jobs.audience_name(parse_audience(draft["audience"])),
            limit=_text_limit(context),
        ),
    )
    return TEXT


async def recheck(update: Update, context: BotContext) -> int:
    """Look again whether the chosen audience reaches anyone (a group registered meanwhile)."""
    query = update.callback_query
    assert query is not None
    draft = await _open_draft(update, context, "audience")
    if draft is None:
        return ConversationHandler.END
    if not await jobs.audience_chats(context.db, parse_audience(draft["audience"])):
        await query.answer(texts.BROADCAST_STILL_NO_RECIPIENTS, show_alert=True)
        return AUDIENCE
    state = await _next_step(update, context, draft)
    await query.answer()
    return state


async def compose_anyway(update: Update, context: BotContext) -> int:
    """Write the message now although its audience reaches nobody yet."""
    query = update.callback_query
    assert query is not None
    draft = await _open_draft(update, context, "audience")
    if draft is None:
        return ConversationHandler.END
    state = await _next_step(update, context, draft)
    await query.answer()
    return state


async def change_audience(update: Update, context: BotContext) -> int:
    """Offer the audiences again from the preview; the draft stays as it is."""
    query = update.callback_query
    assert query is not None
    if await _open_draft(update, context, "audience") is None:
        return ConversationHandler.END
    await context.bot.send_message(
        _chat_id(update), texts.BROADCAST_PICK_OTHER_AUDIENCE, reply_markup=_audience_keyboard()
    )
    await query.answer()
    return AUDIENCE


def _composed(context: BotContext, draft: dict[str, Any], books: list[Any]) -> str:
    return jobs.broadcast_text(
        context.config.library.name, draft["text"], books, context.deep_link
    )


async def take_text(update: Update, context: BotContext) -> int:
    """Take the text of the broadcast, if it fits one message."""
    message = update.effective_message
    assert message is not None and message.text is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    text = normalize(message.text).strip()
    if not text:
        await message.reply_text(texts.TEXT_EXPECTED)
        return TEXT
    length, limit = visible_length(html.escape(text)), _text_limit(context)
    if length > limit:
        await message.reply_text(texts.TEXT_TOO_LONG.format(length=length, limit=limit))
        return TEXT
    draft["text"] = text
    await message.reply_text(texts.BROADCAST_ASK_PHOTO, reply_markup=_skip_markup())
    return PHOTO


async def text_expected(update: Update, context: BotContext) -> int:
    """Anything but text where the text is awaited."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(texts.TEXT_EXPECTED)
    return TEXT


async def take_photo(update: Update, context: BotContext) -> int:
    """Take the photo, if the text fits a caption."""
    message = update.effective_message
    assert message is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    length = visible_length(html.escape(draft["text"]))
    limit = round_limit(_room(context, MAX_CAPTION))
    if length > limit or not fits(_composed(context, draft, []), caption=True):
        await message.reply_text(
            texts.BROADCAST_CAPTION_TOO_LONG.format(limit=limit, length=length),
            reply_markup=_skip_markup(),
        )
        return PHOTO
    draft["photo"] = message.photo[-1].file_id
    return await _ask_books(update, context)


async def skip_photo(update: Update, context: BotContext) -> int:
    """Go on without a photo."""
    query = update.callback_query
    assert query is not None
    draft = await _open_draft(update, context)
    if draft is None:
        return ConversationHandler.END
    draft["photo"] = None
    state = await _ask_books(update, context)
    await query.answer()
    return state


async def photo_expected(update: Update, context: BotContext) -> int:
    """Anything but a photo where the photo is awaited."""
    message = update.effective_message
    assert message is not None
    await message.reply_text(texts.BROADCAST_PHOTO_EXPECTED, reply_markup=_skip_markup())
    return PHOTO


def _skip_markup() -> InlineKeyboardMarkup:
    skip = InlineKeyboardButton(texts.BUTTON_SKIP, callback_data=f"{PREFIX}:skip")
    return InlineKeyboardMarkup([[skip]])


def _done_markup() -> InlineKeyboardMarkup:
    done = InlineKeyboardButton(texts.BUTTON_DONE, callback_data=f"{PREFIX}:done")
    return InlineKeyboardMarkup([[done]])


async def _ask_books(update: Update, context: BotContext) -> int:
    await context.bot.send_message(
        _chat_id(update), texts.BROADCAST_ASK_BOOKS, reply_markup=_done_markup()
    )
    return BOOKS


async def search_books(update: Update, context: BotContext) -> int:
    """Search the catalog for a book to add."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    await offer_books(context, message, f"{PREFIX}:k", _done_markup())
    return BOOKS


async def pick_book(update: Update, context: BotContext) -> int:
    """Add the picked title, if the message still fits."""
    query = update.callback_query
    assert query is not None and context.match is not None
    draft = await _open_draft(update, context, "text")
    if draft is None:
        return ConversationHandler.END
    title_id = int(context.match[1])
    books: list[int] = draft["books"]
    if title_id not in books:
        if len(books) >= MAX_BOOKS:
            await query.answer(texts.BROADCAST_BOOKS_FULL.format(limit=MAX_BOOKS), show_alert=True)
            return BOOKS
        facts = await store.book_facts(context.db, [*books, title_id])
        if not facts or facts[-1].title_id != title_id:
            await query.answer(texts.TITLE_NOT_FOUND, show_alert=True)
            return BOOKS
        if not fits(_composed(context, draft, facts), caption=bool(draft.get("photo"))):
            await query.answer(texts.BROADCAST_BOOK_TOO_LONG, show_alert=True)
            return BOOKS
        books.append(title_id)
    facts = await store.book_facts(context.db, [title_id])
    await context.bot.send_message(
        _chat_id(update),
        texts.BROADCAST_BOOK_ADDED.format(
            title=html.escape(facts[0].title), count=len(books), limit=MAX_BOOKS
        ),
        reply_markup=_done_markup(),
    )
    await query.answer()
    return BOOKS


async def books_done(update: Update, context: BotContext) -> int:
    """Show the preview."""
    query = update.callback_query
    assert query is not None
    draft = await _open_draft(update, context, "text")
    if draft is None:
        return ConversationHandler.END
    draft["ready"] = True
    state = await _preview(update, context, draft)
    await query.answer()
    return state


def _record(draft: dict[str, Any], user_id: int, moment: datetime) -> BroadcastRecord:
    return BroadcastRecord(
        id=0,
        kind=draft["kind"],
        audience=draft["audience"],
        text=draft.get("text", ""),
        photo=draft.get("photo"),
        send_at=moment,
        status="scheduled",
        created_by=user_id,
        recipients=0,
        book_ids=tuple(draft["books"]),
    )


async def _preview(update: Update, context: BotContext, draft: dict[str, Any]) -> int:
    """Send exactly what will go out, then ask: now or later?"""
    chat_id = _chat_id(update)
    audience = parse_audience(draft["audience"])
    body = await jobs.broadcast_payload(
        context.db,
        context.config.library.name,
        _record(draft, chat_id, context.now()),
        context.deep_link,
    )
    if body is None:
        await context.bot.send_message(chat_id, texts.TITLE_NOT_FOUND)
        return ConversationHandler.END
    count = len(await jobs.audience_chats(context.db, audience))
    await send_payload(context.bot, chat_id, body)
    if not count:
        return await _warn_unreached(update, context, draft)
    buttons = [
        [
            InlineKeyboardButton(texts.BUTTON_SEND_NOW, callback_data=f"{PREFIX}:now"),
            InlineKeyboardButton(texts.BUTTON_SCHEDULE, callback_data=f"{PREFIX}:later"),
        ],
        [
            InlineKeyboardButton(texts.BUTTON_CHANGE_AUDIENCE, callback_data=f"{PREFIX}:aud"),
            InlineKeyboardButton(texts.BUTTON_DISCARD, callback_data=f"{PREFIX}:drop"),
        ],
    ]
    await context.bot.send_message(
        chat_id,
        texts.BROADCAST_PREVIEW_ASK.format(audience=jobs.audience_name(audience), count=count),
        reply_markup=InlineKeyboardMarkup(buttons),
    )
    return PREVIEW


async def _store(
    context: BotContext, draft: dict[str, Any], user_id: int, moment: datetime
) -> int:
    return await store.create_broadcast(
        context.db,
        NewBroadcast(
            audience=draft["audience"],
            text=draft.get("text", ""),
            send_at=moment,
            created_by=user_id,
            created_at=context.now(),
            kind=draft["kind"],
            photo=draft.get("photo"),
            book_ids=tuple(draft["books"]),
        ),
    )


async def send_now(update: Update, context: BotContext) -> int:
    """Put the broadcast in the outbox, one row per recipient."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    draft = context.user_data.pop(DRAFT, None)
    if draft is None or "audience" not in draft:
        return await _gone(update)
    user_id = _chat_id(update)
    broadcast_id = await _store(context, draft, user_id, context.now())
    broadcast = await store.get_broadcast(context.db, broadcast_id)
    assert broadcast is not None
    count = await jobs.start_broadcast(context, broadcast)
    await context.bot.send_message(
        user_id, texts.BROADCAST_QUEUED.format(count=count or 0, id=broadcast_id)
    )
    await query.answer()
    return ConversationHandler.END


async def ask_when(update: Update, context: BotContext) -> int:
    """Ask for the send time."""
    query = update.callback_query
    assert query is not None
    if await _open_draft(update, context) is None:
        return ConversationHandler.END
    example = context.now().replace(hour=7, minute=30)
    await context.bot.send_message(
        _chat_id(update),
        texts.BROADCAST_ASK_WHEN.format(example=example.strftime("%d/%m %H:%M")),
    )
    await query.answer()
    return WHEN


async def take_when(update: Update, context: BotContext) -> int:
    """Schedule the broadcast at the typed moment, in the library's time zone."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    draft = await _open_draft(update, context, "audience")
    if draft is None:
        return ConversationHandler.END
    now = context.now()
    try:
        moment = parse_send_moment(message.text, now)
    except WhenError as refused:
        await message.reply_text(texts.BROADCAST_WHEN_REFUSED[refused.reason])
        return WHEN
    context.user_data.pop(DRAFT, None)
    broadcast_id = await _store(context, draft, _chat_id(update), moment)
    await jobs.replan(context.application, now)
    await message.reply_text(
        texts.BROADCAST_SCHEDULED.format(
            id=broadcast_id,
            when=when_text(moment),
            audience=jobs.audience_name(parse_audience(draft["audience"])),
        )
    )
    return ConversationHandler.END


async def discard(update: Update, context: BotContext) -> int:
    """Drop the draft."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    context.user_data.pop(DRAFT, None)
    await context.bot.send_message(_chat_id(update), texts.BROADCAST_DISCARDED)
    await query.answer()
    return ConversationHandler.END


async def leave(update: Update, context: BotContext) -> int:
    """Leave the conversation (/huy)."""
    message = update.effective_message
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if message is not None:
        await message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def cancel_scheduled(update: Update, context: BotContext) -> None:
    """Cancel a scheduled broadcast (its Hủy button)."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return
    broadcast_id = int(context.match[1])
    if not await store.cancel_broadcast(context.db, broadcast_id):
        await query.answer(texts.BROADCAST_NOT_CANCELLABLE, show_alert=True)
        return
    await jobs.replan(context.application, context.now())
    await context.bot.send_message(
        _chat_id(update), texts.BROADCAST_CANCELLED.format(id=broadcast_id)
    )
    await query.answer()


def _conversation() -> ConversationHandler:
    mine = filters.ChatType.PRIVATE & ~filters.COMMAND & TypingFor(DIALOG)
    private_text = mine & filters.TEXT
    not_text = mine & ~filters.TEXT
    kinds = "|".join(BROADCAST_AUDIENCES)
    return dialog(
        entry_points=[
            CommandHandler("thongbao", start, filters.ChatType.PRIVATE),
            CallbackQueryHandler(promote, pattern=rf"^{PROMOTE}:(\d{{1,12}})$"),
        ],
        states={
            AUDIENCE: [
                CallbackQueryHandler(pick_audience, pattern=rf"^{PREFIX}:a:({kinds})$"),
                CallbackQueryHandler(pick_grade, pattern=rf"^{PREFIX}:g:([6-9])$"),
                CallbackQueryHandler(recheck, pattern=rf"^{PREFIX}:re$"),
                CallbackQueryHandler(compose_anyway, pattern=rf"^{PREFIX}:on$"),
                CallbackQueryHandler(discard, pattern=rf"^{PREFIX}:drop$"),
            ],
            CLASS_NAME: [MessageHandler(private_text, take_class)],
            TEXT: [
                MessageHandler(private_text, take_text),
                MessageHandler(not_text, text_expected),
            ],
            PHOTO: [
                MessageHandler(mine & filters.PHOTO, take_photo),
                CallbackQueryHandler(skip_photo, pattern=rf"^{PREFIX}:skip$"),
                MessageHandler(mine, photo_expected),
            ],
            BOOKS: [
                MessageHandler(private_text, search_books),
                CallbackQueryHandler(pick_book, pattern=rf"^{PREFIX}:k:(\d{{1,12}})$"),
                CallbackQueryHandler(books_done, pattern=rf"^{PREFIX}:done$"),
            ],
            PREVIEW: [
                CallbackQueryHandler(send_now, pattern=rf"^{PREFIX}:now$"),
                CallbackQueryHandler(ask_when, pattern=rf"^{PREFIX}:later$"),
                CallbackQueryHandler(discard, pattern=rf"^{PREFIX}:drop$"),
                CallbackQueryHandler(change_audience, pattern=rf"^{PREFIX}:aud$"),
            ],
            WHEN: [MessageHandler(private_text, take_when)],
        },
        fallbacks=[CommandHandler("huy", leave)],
        name="broadcast",
        per_chat=False,
        per_user=True,
        conversation_timeout=DIALOG_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """The broadcast handlers, the conversation first."""
    conversation = _conversation()
    return [
        conversation,
        CallbackQueryHandler(cancel_scheduled, pattern=rf"^{CANCEL_SCHEDULED}:(\d{{1,12}})$"),
    ]
