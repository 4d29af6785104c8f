"""The campaign calendar for the librarian: /chiendich, each campaign's card, edits, decisions."""

import html
from collections.abc import Callable, Coroutine
from dataclasses import replace
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
from bot.context import BotContext
from bot.core.campaigns import (
    APPROVED,
    CAMPAIGN_AUDIENCES,
    DECIDABLE,
    GRADES,
    MAX_BOOKS,
    MAX_MESSAGE,
    MAX_TEXT,
    MAX_TITLE,
    SKIPPED,
    AudienceKind,
    current_year,
    format_clock,
    next_occurrence,
    parse_audience,
    parse_clock,
    parse_day_month,
    visible_length,
)
from bot.core.roles import Action, may
from bot.core.textfold import normalize
from bot.handlers.broadcasts import TypingFor, offer_books, open_dialog, send_payload
from bot.handlers.dialogs import DIALOG_TIMEOUT, dialog
from bot.jobs import campaigns as jobs
from db import campaigns as store
from db.campaigns import CampaignRecord, Edit, NewCampaign

PREFIX = "cp"
EDIT_TITLE, EDIT_MESSAGE, EDIT_DATE, EDIT_TIME, BOOK_QUERY, NEW_TITLE, NEW_DATE, NEW_MESSAGE = (
    range(8)
)
EDITING = "campaign_editing"
NEW = "campaign_new"
CARD_MESSAGE_LENGTH = 1500
LIST_LENGTH = 3800
DIALOG = "campaign"
ID = r"(\d{1,12})"


# --- guards and small helpers --------------------------------------------------------------


async def _librarian(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    if may(await context.identity(update), Action.CAMPAIGNS):
        return True
    await context.refuse(update, "campaigns")
    return False


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


async def _campaign(update: Update, context: BotContext) -> CampaignRecord | None:
    """The campaign the button names; a stale or forged id is answered kindly."""
    assert context.match is not None
    campaign = await store.get_campaign(context.db, int(context.match[1]))
    if campaign is None:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.CAMPAIGN_NOT_FOUND, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(texts.CAMPAIGN_NOT_FOUND)
    return campaign


async def _pressed(
    update: Update, context: BotContext, *, forget: bool = True
) -> CampaignRecord | None:
    """The campaign a librarian's button names; None once anyone else is refused or it is gone."""
    if not await _librarian(update, context):
        return None
    if forget:
        _forget(context)
    return await _campaign(update, context)


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=f"{PREFIX}:{data}")


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# --- the list and the card -----------------------------------------------------------------


async def list_text(context: BotContext) -> tuple[str, InlineKeyboardMarkup]:
    """Every campaign by its coming date, with its status and this year's decision."""
    now = context.now()
    today = now.date()
    campaigns = await store.list_campaigns(context.db)
    runs = await store.runs_in_years(context.db, (today.year, today.year + 1))
    dated = sorted(
        ((next_occurrence(c.day, c.month, today), c) for c in campaigns),
        key=lambda pair: (pair[0], pair[1].id),
    )
    lines = [texts.CAMPAIGN_LIST_HEADER.format(count=len(campaigns))]
    rows = []
    for day, campaign in dated:
        run = runs.get((campaign.id, day.year))
        line = texts.CAMPAIGN_LIST_LINE.format(
            marker=texts.CAMPAIGN_STATUS[campaign.status].split(" ", 1)[0],
            date=texts.format_date(day),
            title=html.escape(campaign.title),
            run=f" · {texts.RUN_STATUS[run.status]}" if run else "",
        )
        if sum(len(text) + 1 for text in lines) + len(line) < LIST_LENGTH:
            lines.append(line)
        rows.append([_button(f"{day:%d/%m} {_short(campaign.title, 40)}", f"o:{campaign.id}")])
    lines.append(texts.CAMPAIGN_LIST_HINT if campaigns else texts.CAMPAIGN_LIST_EMPTY)
    rows.append([_button(texts.BUTTON_NEW_CAMPAIGN, "n")])
    return "\n".join(lines), InlineKeyboardMarkup(rows[-100:])


async def card(context: BotContext, campaign: CampaignRecord) -> tuple[str, InlineKeyboardMarkup]:
    """A campaign with everything it will send, and the buttons to change it."""
    now = context.now()
    year, moment = jobs.next_send(campaign, now)
    run = await store.get_run(context.db, campaign.id, year)
    books = await store.book_facts(context.db, campaign.book_ids)
    book_lines = "".join(
        texts.CAMPAIGN_BOOK_LINE.format(
            number=number,
            title=html.escape(book.title),
            author=f" — {html.escape(book.author)}" if book.author else "",
        )
        for number, book in enumerate(books, 1)
    )
    message = html.escape(_short(campaign.message, CARD_MESSAGE_LENGTH))
    text = texts.CAMPAIGN_CARD.format(
        title=html.escape(campaign.title),
        day_month=f"{campaign.day:02d}/{campaign.month:02d}",
        time=jobs.send_time_text(campaign),
        next_date=texts.format_date(moment.date()),
        audience=jobs.audience_name(parse_audience(campaign.audience)),
        lead_days=campaign.lead_days,
        status=texts.CAMPAIGN_STATUS[campaign.status],
        run=texts.RUN_STATUS[run.status if run else ""],
        message=message or texts.CAMPAIGN_NO_MESSAGE,
        count=len(books),
        limit=MAX_BOOKS,
        books=book_lines or texts.CAMPAIGN_NO_BOOKS,
    )
    cid = campaign.id
    paused = campaign.status == "paused"
    rows = [
        [
            _button(texts.BUTTON_EDIT_TITLE, f"t:{cid}"),
            _button(texts.BUTTON_EDIT_MESSAGE, f"m:{cid}"),
        ],
        [_button(texts.BUTTON_EDIT_DATE, f"d:{cid}"), _button(texts.BUTTON_EDIT_TIME, f"h:{cid}")],
        [_button(texts.BUTTON_EDIT_AUDIENCE, f"a:{cid}")],
        [
            _button(texts.BUTTON_ADD_BOOK, f"b:{cid}"),
            _button(texts.BUTTON_REMOVE_BOOK, f"r:{cid}"),
        ],
        [
            _button(
                texts.BUTTON_RESUME if paused else texts.BUTTON_PAUSE,
                f"st:{cid}:{'active' if paused else 'paused'}",
            ),
            _button(texts.BUTTON_PREVIEW, f"v:{cid}"),
        ],
    ]
    if run is None or run.status in DECIDABLE:
        rows.append(
            [
                _button(texts.BUTTON_APPROVE_RUN, f"ok:{cid}:{year}:c"),
                _button(texts.BUTTON_SKIP_RUN, f"no:{cid}:{year}:c"),
            ]
        )
    rows.append([_button(texts.BUTTON_BACK_TO_LIST, "l")])
    return text, InlineKeyboardMarkup(rows)


async def _send_card(context: BotContext, chat_id: int, campaign_id: int, note: str = "") -> None:
    campaign = await store.get_campaign(context.db, campaign_id)
    if campaign is None:
        await context.bot.send_message(chat_id, texts.CAMPAIGN_NOT_FOUND)
        return
    text, markup = await card(context, campaign)
    if note:
        await context.bot.send_message(chat_id, note)
    await context.bot.send_message(chat_id, text, reply_markup=markup)


async def _edit_into_card(update: Update, context: BotContext, campaign_id: int) -> None:
    """Turn the message the button was on into the campaign's card."""
    query = update.callback_query
    assert query is not None
    campaign = await store.get_campaign(context.db, campaign_id)
    if campaign is None:
        await query.answer(texts.CAMPAIGN_NOT_FOUND, show_alert=True)
        return
    text, markup = await card(context, campaign)
    if isinstance(query.message, Message) and query.message.text is not None:
        await query.message.edit_text(text, reply_markup=markup)
    else:
        await context.bot.send_message(_chat_id(update), text, reply_markup=markup)
    await query.answer()


async def show_list(update: Update, context: BotContext) -> int:
    """/chiendich: the year's campaigns in date order."""
    message = update.effective_message
    assert message is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _forget(context)
    text, markup = await list_text(context)
    await message.reply_text(text, reply_markup=markup)
    return ConversationHandler.END


async def back_to_list(update: Update, context: BotContext) -> int:
    """« Danh sách: the card becomes the list again."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _forget(context)
    text, markup = await list_text(context)
    if isinstance(query.message, Message) and query.message.text is not None:
        await query.message.edit_text(text, reply_markup=markup)
    await query.answer()
    return ConversationHandler.END


async def open_card(update: Update, context: BotContext) -> int:
    """Open a campaign from the list (in place) or from a preview (as a new message)."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _forget(context)
    if context.match[0].startswith(f"{PREFIX}:o:"):
        await _edit_into_card(update, context, int(context.match[1]))
        return ConversationHandler.END
    campaign = await _campaign(update, context)
    if campaign is not None:
        await _send_card(context, _chat_id(update), campaign.id)
        await query.answer()
    return ConversationHandler.END


# --- buttons that change a campaign at once ------------------------------------------------


def _saved(edit: Edit) -> str:
    return texts.CAMPAIGN_SAVED + (texts.CAMPAIGN_UNAPPROVED if edit.unapproved else "")


async def set_status(update: Update, context: BotContext) -> int:
    """Pause or resume a campaign."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _forget(context)
    campaign_id = int(context.match[1])
    if not (await store.update_campaign(context.db, campaign_id, status=context.match[2])).found:
        await query.answer(texts.CAMPAIGN_NOT_FOUND, show_alert=True)
        return ConversationHandler.END
    await jobs.run_pass(context, context.now())
    await _edit_into_card(update, context, campaign_id)
    return ConversationHandler.END


async def ask_audience(update: Update, context: BotContext) -> int:
    """Offer the audiences a campaign may have."""
    query = update.callback_query
    assert query is not None
    campaign = await _pressed(update, context)
    if campaign is None:
        return ConversationHandler.END
    buttons = []
    for kind in CAMPAIGN_AUDIENCES:
        data = f"g:{campaign.id}" if kind is AudienceKind.GRADE else f"as:{campaign.id}:{kind}"
        buttons.append(_button(texts.AUDIENCE_BUTTONS[kind], data))
    await context.bot.send_message(
        _chat_id(update),
        texts.CAMPAIGN_PICK_AUDIENCE.format(title=html.escape(campaign.title)),
        reply_markup=InlineKeyboardMarkup([buttons[:2], buttons[2:]]),
    )
    await query.answer()
    return ConversationHandler.END


async def ask_grade(update: Update, context: BotContext) -> int:
    """Offer the grades for a campaign's audience."""
    query = update.callback_query
    assert query is not None
    campaign = await _pressed(update, context, forget=False)
    if campaign is None:
        return ConversationHandler.END
    grades = [
        _button(texts.GRADE_BUTTON.format(grade=grade), f"as:{campaign.id}:grade:{grade}")
        for grade in GRADES
    ]
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.ASK_GRADE, reply_markup=InlineKeyboardMarkup([grades]))
    await query.answer()
    return ConversationHandler.END


async def set_audience(update: Update, context: BotContext) -> int:
    """Give the campaign the chosen audience."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    try:
        audience = parse_audience(context.match[2])
    except ValueError:
        audience = None
    if audience is None or audience.kind not in CAMPAIGN_AUDIENCES:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return ConversationHandler.END
    campaign_id = int(context.match[1])
    edit = await store.update_campaign(context.db, campaign_id, audience=audience.code)
    if not edit.found:
        await query.answer(texts.CAMPAIGN_NOT_FOUND, show_alert=True)
        return ConversationHandler.END
    await jobs.run_pass(context, context.now())
    if edit.unapproved:
        await context.bot.send_message(_chat_id(update), _saved(edit))
    await _edit_into_card(update, context, campaign_id)
    campaign = await store.get_campaign(context.db, campaign_id)
    if campaign is not None and not await jobs.audience_chats(context.db, audience):
        again = _button(texts.BUTTON_EDIT_AUDIENCE, f"a:{campaign_id}")
        await context.bot.send_message(
            _chat_id(update),
            texts.CAMPAIGN_AUDIENCE_UNREACHED.format(
                title=html.escape(campaign.title),
                audience=jobs.audience_name(audience),
                advice=views.audience_advice(audience),
            ),
            reply_markup=InlineKeyboardMarkup([[again]]),
        )
    return ConversationHandler.END


async def ask_remove_book(update: Update, context: BotContext) -> int:
    """Offer the campaign's books, one button each, to take one off."""
    query = update.callback_query
    assert query is not None
    campaign = await _pressed(update, context)
    if campaign is None:
        return ConversationHandler.END
    books = await store.book_facts(context.db, campaign.book_ids)
    if not books:
        await query.answer(texts.CAMPAIGN_NO_BOOKS.strip(), show_alert=True)
        return ConversationHandler.END
    rows = [
        [_button(f"➖ {_short(book.title, 50)}", f"x:{campaign.id}:{book.title_id}")]
        for book in books
    ]
    await context.bot.send_message(
        _chat_id(update), texts.PICK_BOOK_TO_REMOVE, reply_markup=InlineKeyboardMarkup(rows)
    )
    await query.answer()
    return ConversationHandler.END


async def remove_book(update: Update, context: BotContext) -> int:
    """Take the pressed book off the campaign."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    campaign_id, title_id = int(context.match[1]), int(context.match[2])
    edit = await store.remove_campaign_book(context.db, campaign_id, title_id)
    if not edit.found:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return ConversationHandler.END
    if edit.unapproved:
        await context.bot.send_message(_chat_id(update), _saved(edit))
    await _edit_into_card(update, context, campaign_id)
    return ConversationHandler.END


async def preview(update: Update, context: BotContext) -> int:
    """Send the librarian exactly what the campaign would send today."""
    query = update.callback_query
    assert query is not None
    campaign = await _pressed(update, context, forget=False)
    if campaign is None:
        return ConversationHandler.END
    chat_id = _chat_id(update)
    body = await jobs.campaign_payload(context.db, campaign, context.deep_link)
    await send_payload(context.bot, chat_id, body)
    audience = parse_audience(campaign.audience)
    _, moment = jobs.next_send(campaign, context.now())
    count = len(await jobs.audience_chats(context.db, audience))
    await context.bot.send_message(
        chat_id,
        texts.CAMPAIGN_PREVIEW_HERE.format(
            audience=jobs.audience_name(audience),
            count=count,
            time=jobs.send_time_text(campaign),
            date=texts.format_date(moment.date()),
        )
        + jobs.unreached_note(audience, count),
    )
    await query.answer()
    return ConversationHandler.END


async def decide(update: Update, context: BotContext) -> int:
    """Duyệt or Bỏ qua the coming run of a campaign (from its preview or its card)."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.CAMPAIGNS):
        await context.refuse(update, "campaigns")
        return ConversationHandler.END
    _forget(context)
    verb, campaign_id, year = context.match[1], int(context.match[2]), int(context.match[3])
    campaign = await store.get_campaign(context.db, campaign_id)
    now = context.now()
    if campaign is None:
        await query.answer(texts.CAMPAIGN_NOT_FOUND, show_alert=True)
        return ConversationHandler.END
    if year != current_year(jobs.timing_of(campaign), now):
        await query.answer(texts.RUN_NOT_CURRENT, show_alert=True)
        return ConversationHandler.END
    wanted = APPROVED if verb == "ok" else SKIPPED
    status = await store.decide_run(context.db, campaign_id, year, wanted, identity.user_id, now)
    if status != wanted:
        await query.answer(
            texts.RUN_TOO_LATE.format(status=texts.RUN_STATUS.get(status or "", "")),
            show_alert=True,
        )
        return ConversationHandler.END
    await jobs.run_pass(context, now)
    date = jobs.run_date(campaign, year)
    title = html.escape(campaign.title)
    if wanted == APPROVED:
        note = texts.RUN_APPROVED.format(
            title=title, time=jobs.send_time_text(campaign), date=date
        )
    else:
        note = texts.RUN_SKIPPED.format(title=title, date=date)
    if context.match[4]:
        await context.bot.send_message(_chat_id(update), note)
        await _edit_into_card(update, context, campaign_id)
        return ConversationHandler.END
    if isinstance(query.message, Message) and query.message.text is not None:
        await query.message.edit_text(f"{query.message.text_html}\n\n{note}")
    await query.answer()
    return ConversationHandler.END


# --- edits that take typed text ------------------------------------------------------------


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(EDITING, None)
        context.user_data.pop(NEW, None)


def _ask(prompt: str, state: int) -> Callable[[Update, BotContext], Coroutine[Any, Any, int]]:
    async def ask(update: Update, context: BotContext) -> int:
        query = update.callback_query
        assert query is not None and context.user_data is not None
        campaign = await _pressed(update, context)
        if campaign is None:
            return ConversationHandler.END
        context.user_data[EDITING] = campaign.id
        open_dialog(update, DIALOG)
        await context.bot.send_message(
            _chat_id(update),
            prompt.format(limit=MAX_TITLE if state == EDIT_TITLE else MAX_MESSAGE),
        )
        await query.answer()
        return state

    return ask


async def _typed(update: Update, context: BotContext) -> tuple[Message, int] | None:
    """The typed message and the campaign under edit, for a librarian; None otherwise."""
    message = update.effective_message
    assert message is not None
    if not await _librarian(update, context):
        return None
    campaign_id = (context.user_data or {}).get(EDITING)
    if campaign_id is None:
        await message.reply_text(texts.CAMPAIGN_NOT_FOUND)
        return None
    return message, campaign_id


def _too_long(
    context: BotContext, campaign: CampaignRecord, books: list[Any], **changes: Any
) -> str | None:
    """Say why the campaign's message would not fit one Telegram message, if it would not."""
    text = jobs.campaign_text(replace(campaign, **changes), books, context.deep_link)
    length = visible_length(text)
    if length <= MAX_TEXT:
        return None
    return texts.CAMPAIGN_TOO_LONG.format(over=length - MAX_TEXT)


async def _clean_text(message: Message, limit: int) -> str | None:
    """The typed text in NFC, or None after telling the librarian what is wrong with it."""
    if message.text is None or not message.text.strip():
        await message.reply_text(texts.TEXT_EXPECTED)
        return None
    text = normalize(message.text).strip()
    if len(text) > limit:
        await message.reply_text(texts.TEXT_TOO_LONG.format(length=len(text), limit=limit))
        return None
    return text


async def _save(update: Update, context: BotContext, campaign_id: int, **changes: object) -> int:
    edit = await store.update_campaign(context.db, campaign_id, **changes)
    _forget(context)
    if not edit.found:
        await context.bot.send_message(_chat_id(update), texts.CAMPAIGN_NOT_FOUND)
        return ConversationHandler.END
    await jobs.run_pass(context, context.now())
    await _send_card(context, _chat_id(update), campaign_id, _saved(edit))
    return ConversationHandler.END


async def _take_text(
    update: Update, context: BotContext, field: str, limit: int, state: int
) -> int:
    """Save typed text into a campaign's field, if it is clean and the message still fits."""
    typed = await _typed(update, context)
    if typed is None:
        return ConversationHandler.END
    message, campaign_id = typed
    text = await _clean_text(message, limit)
    if text is None:
        return state
    campaign = await store.get_campaign(context.db, campaign_id)
    if campaign is not None:
        books = await store.book_facts(context.db, campaign.book_ids)
        if problem := _too_long(context, campaign, books, **{field: text}):
            await message.reply_text(problem)
            return state
    return await _save(update, context, campaign_id, **{field: text})


def _date_changes(text: str) -> dict[str, object]:
    """The day and month a typed date sets; ValueError if it names none."""
    day, month = parse_day_month(text)
    return {"day": day, "month": month}


def _time_changes(text: str) -> dict[str, object]:
    """The send time a typed clock sets; ValueError if it names none."""
    return {"send_time": format_clock(parse_clock(text))}


async def _parsed(
    message: Message, parse: Callable[[str], dict[str, object]], refusal: str
) -> dict[str, object] | None:
    """The changes the typed text makes, or None after echoing it back in the refusal."""
    try:
        return parse(message.text or "")
    except ValueError:
        await message.reply_text(refusal.format(text=views.echo_query(message.text or "")))
        return None


async def _take_parsed(
    update: Update,
    context: BotContext,
    parse: Callable[[str], dict[str, object]],
    refusal: str,
    state: int,
) -> int:
    """Save what the typed text parses to, or ask again with the refusal."""
    typed = await _typed(update, context)
    if typed is None:
        return ConversationHandler.END
    message, campaign_id = typed
    changes = await _parsed(message, parse, refusal)
    if changes is None:
        return state
    return await _save(update, context, campaign_id, **changes)


async def take_title(update: Update, context: BotContext) -> int:
    """Save the typed title."""
    return await _take_text(update, context, "title", MAX_TITLE, EDIT_TITLE)


async def take_message(update: Update, context: BotContext) -> int:
    """Save the typed message, if it fits with the books."""
    return await _take_text(update, context, "message", MAX_MESSAGE, EDIT_MESSAGE)


async def take_date(update: Update, context: BotContext) -> int:
    """Save the typed day and month."""
    return await _take_parsed(update, context, _date_changes, texts.BAD_CAMPAIGN_DATE, EDIT_DATE)


async def take_time(update: Update, context: BotContext) -> int:
    """Save the typed send time."""
    return await _take_parsed(update, context, _time_changes, texts.BAD_CAMPAIGN_TIME, EDIT_TIME)


async def ask_book(update: Update, context: BotContext) -> int:
    """Ask what to search for, unless the campaign has all its books."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    campaign = await _pressed(update, context)
    if campaign is None:
        return ConversationHandler.END
    if len(campaign.book_ids) >= MAX_BOOKS:
        await query.answer(texts.CAMPAIGN_BOOKS_FULL.format(limit=MAX_BOOKS), show_alert=True)
        return ConversationHandler.END
    context.user_data[EDITING] = campaign.id
    open_dialog(update, DIALOG)
    await context.bot.send_message(_chat_id(update), texts.ASK_BOOK_QUERY)
    await query.answer()
    return BOOK_QUERY


async def search_book(update: Update, context: BotContext) -> int:
    """Search the catalog and offer what it found."""
    typed = await _typed(update, context)
    if typed is None:
        return ConversationHandler.END
    message, campaign_id = typed
    await offer_books(context, message, f"{PREFIX}:k:{campaign_id}")
    return BOOK_QUERY


async def pick_book(update: Update, context: BotContext) -> int:
    """Add the picked title to the campaign (checked again: a button may be old or forged)."""
    query = update.callback_query
    assert query is not None and context.match is not None
    campaign = await _pressed(update, context)
    if campaign is None:
        return ConversationHandler.END
    title_id = int(context.match[2])
    if title_id in campaign.book_ids:
        await _send_card(context, _chat_id(update), campaign.id)
        await query.answer()
        return ConversationHandler.END
    books = await store.book_facts(context.db, [*campaign.book_ids, title_id])
    if not books or books[-1].title_id != title_id:
        await query.answer(texts.TITLE_NOT_FOUND, show_alert=True)
        return ConversationHandler.END
    if len(campaign.book_ids) >= MAX_BOOKS:
        await query.answer(texts.CAMPAIGN_BOOKS_FULL.format(limit=MAX_BOOKS), show_alert=True)
        return ConversationHandler.END
    if problem := _too_long(context, campaign, books):
        await query.answer(problem, show_alert=True)
        return ConversationHandler.END
    edit = await store.add_campaign_book(context.db, campaign.id, title_id)
    note = texts.CAMPAIGN_BOOK_ADDED.format(title=html.escape(books[-1].title))
    if edit.unapproved:
        note += texts.CAMPAIGN_UNAPPROVED
    await _send_card(context, _chat_id(update), campaign.id, note)
    await query.answer()
    return ConversationHandler.END


# --- a new campaign ------------------------------------------------------------------------


async def ask_new(update: Update, context: BotContext) -> int:
    """Start a new campaign: its title first."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _forget(context)
    context.user_data[NEW] = {}
    open_dialog(update, DIALOG)
    await context.bot.send_message(
        _chat_id(update), texts.ASK_CAMPAIGN_TITLE.format(limit=MAX_TITLE)
    )
    await query.answer()
    return NEW_TITLE


async def _drafting(update: Update, context: BotContext) -> tuple[Message, dict[str, Any]] | None:
    """The typed message and the new campaign's draft, for a librarian; None otherwise."""
    message = update.effective_message
    assert message is not None
    draft = (context.user_data or {}).get(NEW)
    if not await _librarian(update, context) or draft is None:
        return None
    return message, draft


async def new_title(update: Update, context: BotContext) -> int:
    """Take the new campaign's title; ask its date."""
    drafting = await _drafting(update, context)
    if drafting is None:
        return ConversationHandler.END
    message, draft = drafting
    title = await _clean_text(message, MAX_TITLE)
    if title is None:
        return NEW_TITLE
    draft["title"] = title
    await message.reply_text(texts.ASK_CAMPAIGN_DATE)
    return NEW_DATE


async def new_date(update: Update, context: BotContext) -> int:
    """Take the new campaign's day and month; ask its message."""
    drafting = await _drafting(update, context)
    if drafting is None:
        return ConversationHandler.END
    message, draft = drafting
    date = await _parsed(message, _date_changes, texts.BAD_CAMPAIGN_DATE)
    if date is None:
        return NEW_DATE
    draft.update(date)
    await message.reply_text(texts.ASK_CAMPAIGN_MESSAGE.format(limit=MAX_MESSAGE))
    return NEW_MESSAGE


async def new_message(update: Update, context: BotContext) -> int:
    """Take the new campaign's message and create it (to all class groups, 07:30)."""
    drafting = await _drafting(update, context)
    if drafting is None:
        return ConversationHandler.END
    message, draft = drafting
    text = await _clean_text(message, MAX_MESSAGE)
    if text is None:
        return NEW_MESSAGE
    campaign_id = await store.create_campaign(
        context.db,
        NewCampaign(title=draft["title"], day=draft["day"], month=draft["month"], message=text),
    )
    _forget(context)
    await jobs.run_pass(context, context.now())
    note = texts.CAMPAIGN_CREATED.format(title=html.escape(draft["title"]))
    await _send_card(context, _chat_id(update), campaign_id, note)
    return ConversationHandler.END


async def leave(update: Update, context: BotContext) -> int:
    """Leave the edit (/huy)."""
    _forget(context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def text_expected(update: Update, context: BotContext) -> int | None:
    """A photo, sticker or file where typed text is awaited."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.TEXT_EXPECTED)
    return None


# --- wiring --------------------------------------------------------------------------------


def _buttons() -> list[BaseHandler]:
    """The buttons that act at once; inside an edit they also end it."""
    return [
        CallbackQueryHandler(back_to_list, pattern=rf"^{PREFIX}:l$"),
        CallbackQueryHandler(open_card, pattern=rf"^{PREFIX}:[os]:{ID}$"),
        CallbackQueryHandler(set_status, pattern=rf"^{PREFIX}:st:{ID}:(active|paused)$"),
        CallbackQueryHandler(ask_audience, pattern=rf"^{PREFIX}:a:{ID}$"),
        CallbackQueryHandler(ask_grade, pattern=rf"^{PREFIX}:g:{ID}$"),
        CallbackQueryHandler(set_audience, pattern=rf"^{PREFIX}:as:{ID}:([a-z]{{1,16}}(?::\d)?)$"),
        CallbackQueryHandler(ask_remove_book, pattern=rf"^{PREFIX}:r:{ID}$"),
        CallbackQueryHandler(remove_book, pattern=rf"^{PREFIX}:x:{ID}:{ID}$"),
        CallbackQueryHandler(pick_book, pattern=rf"^{PREFIX}:k:{ID}:{ID}$"),
        CallbackQueryHandler(preview, pattern=rf"^{PREFIX}:v:{ID}$"),
        CallbackQueryHandler(decide, pattern=rf"^{PREFIX}:(ok|no):{ID}:(\d{{4}})(:c)?$"),
    ]


def _conversation() -> ConversationHandler:
    mine = filters.ChatType.PRIVATE & ~filters.COMMAND & TypingFor(DIALOG)
    typed = mine & filters.TEXT
    other = mine & ~filters.TEXT

    def state(
        callback: Callable[[Update, BotContext], Coroutine[Any, Any, int]],
    ) -> list[BaseHandler]:
        return [MessageHandler(typed, callback), MessageHandler(other, text_expected)]

    return dialog(
        entry_points=[
            CallbackQueryHandler(
                _ask(texts.ASK_CAMPAIGN_TITLE, EDIT_TITLE), pattern=rf"^{PREFIX}:t:{ID}$"
            ),
            CallbackQueryHandler(
                _ask(texts.ASK_CAMPAIGN_MESSAGE, EDIT_MESSAGE), pattern=rf"^{PREFIX}:m:{ID}$"
            ),
            CallbackQueryHandler(
                _ask(texts.ASK_CAMPAIGN_DATE, EDIT_DATE), pattern=rf"^{PREFIX}:d:{ID}$"
            ),
            CallbackQueryHandler(
                _ask(texts.ASK_CAMPAIGN_TIME, EDIT_TIME), pattern=rf"^{PREFIX}:h:{ID}$"
            ),
            CallbackQueryHandler(ask_book, pattern=rf"^{PREFIX}:b:{ID}$"),
            CallbackQueryHandler(ask_new, pattern=rf"^{PREFIX}:n$"),
        ],
        states={
            EDIT_TITLE: state(take_title),
            EDIT_MESSAGE: state(take_message),
            EDIT_DATE: state(take_date),
            EDIT_TIME: state(take_time),
            BOOK_QUERY: state(search_book),
            NEW_TITLE: state(new_title),
            NEW_DATE: state(new_date),
            NEW_MESSAGE: state(new_message),
        },
        fallbacks=[
            CommandHandler("huy", leave),
            CommandHandler("chiendich", show_list),
            *_buttons(),
        ],
        name="campaign-edit",
        per_chat=False,
        per_user=True,
        conversation_timeout=DIALOG_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """The campaign handlers, the conversation first."""
    conversation = _conversation()
    return [conversation, CommandHandler("chiendich", show_list), *_buttons()]
