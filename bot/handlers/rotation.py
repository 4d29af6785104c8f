"""Book rotation (/luanchuyen): batches of copies lent to a class book corner or another library.

A new batch (destination → return date) is filled by typing accession numbers or scanning
labels, then handed over (its copies become rotated_out) with a printable list; later it is
checked back in the same way, with a summary of what is still out.
"""

import asyncio
import html
import logging
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import BotContext
from bot.core.inventory import MAX_BATCH, split_accessions
from bot.core.roles import Action, may
from bot.core.rotation import DayError, destination_of, parse_future_day
from bot.handlers.common import (
    chat_id_of,
    dialog_waiting,
    one_button,
    permitted,
    remove_buttons,
    shorten,
    typed_accessions,
)
from bot.handlers.desk import candidates_message
from bot.handlers.dialogs import dialog
from bot.services.desk import read_typed_list
from db import catalog
from db import rotation as store
from db.rotation import AddOutcome, BackOutcome, BatchRecord, ItemResult

log = logging.getLogger(__name__)

PREFIX = "lc"
NEW = f"{PREFIX}:new"
ADD = f"{PREFIX}:add"
CLOSE = f"{PREFIX}:close"
CONFIRM_CLOSE = f"{PREFIX}:close!"
DROP = f"{PREFIX}:drop"
CONFIRM_DROP = f"{PREFIX}:drop!"
CHECK_IN = f"{PREFIX}:in"
DONE = f"{PREFIX}:done"
PAUSE = f"{PREFIX}:pause"
PRINT = f"{PREFIX}:print"
PICK = f"{PREFIX}:pick"
KEEP = f"{PREFIX}:keep"
DESTINATION, RETURN_DATE = range(2)
# Typed accession numbers are caught before the features' handlers (group 0) and before an
# inventory session's, only from a librarian filling or checking in a batch.
SCAN_GROUP = -8
# What the librarian is doing now: ("add" | "in", batch id); a scanned label goes there.
MODE = "rotation_mode"
ADDING_MODE, RECEIVING_MODE = "add", "in"
DRAFT = "rotation_draft"
MESSAGE_LIMIT = 4000
LISTED = 30


async def _librarian(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    return await permitted(update, context, Action.ROTATION, "rotation")


def _user_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _set_mode(context: BotContext, mode: str | None, batch_id: int = 0) -> None:
    assert context.user_data is not None
    if mode is None:
        context.user_data.pop(MODE, None)
    else:
        context.user_data[MODE] = (mode, batch_id)


def _batch_id(context: BotContext) -> int:
    assert context.match is not None
    return int(context.match[1])


async def _batch_from(
    update: Update, context: BotContext, status: str | None, gone: str
) -> BatchRecord | None:
    """For a librarian's button: the batch it names, if it is (still) in that status."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return None
    batch = await store.get_batch(context.db, _batch_id(context))
    if batch is None or (status is not None and batch.status != status):
        await query.answer(gone, show_alert=True)
        return None
    return batch


async def _leave_buttons(update: Update, context: BotContext) -> None:
    """Stop taking scans and take the buttons off the message pressed."""
    query = update.callback_query
    assert query is not None
    _set_mode(context, None)
    await query.answer()
    if isinstance(query.message, Message):
        await remove_buttons(query.message)


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _batch_line(batch: BatchRecord) -> str:
    return texts.ROTATION_BATCH_LINE[batch.status].format(
        number=batch.id,
        destination=html.escape(batch.destination),
        due=texts.format_date(batch.return_on),
        items=batch.items,
        out=batch.out,
    )


async def menu(update: Update, context: BotContext) -> int:
    """List the batches being filled or out, with their buttons and "a new batch"."""
    message = update.effective_message
    assert message is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    _set_mode(context, None)
    batches = await store.active_batches(context.db)
    rows = []
    for batch in batches:
        if batch.status == store.OPEN:
            rows.append(
                [
                    _button(
                        texts.BUTTON_ROTATION_ADD.format(number=batch.id), f"{ADD}:{batch.id}"
                    ),
                    _button(texts.BUTTON_ROTATION_DROP, f"{DROP}:{batch.id}"),
                ]
            )
        else:
            rows.append(
                [
                    _button(
                        texts.BUTTON_ROTATION_CHECK_IN.format(number=batch.id),
                        f"{CHECK_IN}:{batch.id}",
                    ),
                    _button(texts.BUTTON_ROTATION_PRINT, f"{PRINT}:{batch.id}"),
                ]
            )
    rows.append([_button(texts.BUTTON_ROTATION_NEW, NEW)])
    lines = [texts.ROTATION_MENU_HEADER]
    lines += [_batch_line(batch) for batch in batches] or [texts.ROTATION_MENU_EMPTY]
    await message.reply_text("\n".join(lines), reply_markup=InlineKeyboardMarkup(rows))
    return ConversationHandler.END


async def new_batch(update: Update, context: BotContext) -> int:
    """Begin a new batch: ask where it goes."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    await query.answer()
    _set_mode(context, None)
    context.user_data[DRAFT] = {}
    await context.bot.send_message(chat_id_of(update), texts.ROTATION_ASK_DESTINATION)
    return DESTINATION


async def take_destination(update: Update, context: BotContext) -> int:
    """Keep the destination: a class's book corner or a library."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        await message.reply_text(texts.BUTTON_EXPIRED)
        return ConversationHandler.END
    destination = destination_of(message.text)
    if destination is None:
        await message.reply_text(texts.ROTATION_BAD_DESTINATION)
        return DESTINATION
    name = destination.name or texts.ROTATION_CLASS_CORNER.format(
        class_name=destination.class_name
    )
    draft.update(destination=name, class_name=destination.class_name)
    await message.reply_text(texts.ROTATION_ASK_RETURN.format(destination=html.escape(name)))
    return RETURN_DATE


async def take_return_date(update: Update, context: BotContext) -> int:
    """Keep the return date and open the batch for copies."""
    message = update.effective_message
    assert message is not None and message.text is not None and context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict) or "destination" not in draft:
        await message.reply_text(texts.BUTTON_EXPIRED)
        return ConversationHandler.END
    now = context.now()
    try:
        return_on = parse_future_day(message.text[:20], now.date())
    except DayError as error:
        await message.reply_text(texts.ROTATION_BAD_DAY[error.problem.value])
        return RETURN_DATE
    if not await _librarian(update, context):
        return ConversationHandler.END
    batch = await store.create_batch(
        context.db,
        destination=draft["destination"],
        class_name=draft["class_name"],
        return_on=return_on,
        user_id=_user_id(update),
        now=now,
    )
    context.user_data.pop(DRAFT, None)
    log.info("user %s opened rotation batch %s", _user_id(update), batch.id)
    await message.reply_text(
        texts.ROTATION_CREATED.format(
            number=batch.id,
            destination=html.escape(batch.destination),
            due=texts.format_date(batch.return_on),
        )
    )
    await _start_adding(update, context, batch)
    return ConversationHandler.END


def _adding_markup(batch_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [_button(texts.BUTTON_ROTATION_CLOSE, f"{CLOSE}:{batch_id}")],
            [
                _button(texts.BUTTON_ROTATION_PAUSE, f"{PAUSE}:{batch_id}"),
                _button(texts.BUTTON_ROTATION_DROP, f"{DROP}:{batch_id}"),
            ],
        ]
    )


async def _start_adding(update: Update, context: BotContext, batch: BatchRecord) -> None:
    _set_mode(context, ADDING_MODE, batch.id)
    await context.bot.send_message(
        chat_id_of(update),
        texts.ROTATION_ADDING.format(number=batch.id, items=batch.items),
        reply_markup=_adding_markup(batch.id),
    )


async def add_button(update: Update, context: BotContext) -> None:
    """Go on filling a batch that is still open."""
    query = update.callback_query
    assert query is not None
    batch = await _batch_from(update, context, store.OPEN, texts.ROTATION_NOT_OPEN)
    if batch is None:
        return
    await query.answer()
    await _start_adding(update, context, batch)


async def pause(update: Update, context: BotContext) -> None:
    """Stop filling the batch for now; it stays open for later (/luanchuyen)."""
    batch = await _batch_from(update, context, store.OPEN, texts.ROTATION_NOT_OPEN)
    if batch is None:
        return
    await _leave_buttons(update, context)
    await context.bot.send_message(
        chat_id_of(update), texts.ROTATION_PAUSED.format(number=batch.id)
    )


def _fit(lines: list[str]) -> str:
    """Join lines under Telegram's limit, saying how many were left out."""
    kept: list[str] = []
    size = 0
    for index, line in enumerate(lines):
        if size + len(line) + 1 > MESSAGE_LIMIT - 60:
            kept.append(texts.ROTATION_MORE_LINES.format(count=len(lines) - index))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def _result_line(result: ItemResult) -> str:
    title = shorten(result.title, 48)
    return texts.ROTATION_ITEM[result.outcome].format(
        accession=html.escape(result.accession[:40]),
        title=html.escape(title),
        status=texts.COPY_STATUS.get(result.status, result.status),
    )


async def add_copies(
    update: Update, context: BotContext, batch_id: int, accessions: Sequence[str]
) -> None:
    """Add copies to the open batch and say how it went."""
    chat_id = chat_id_of(update)
    results = await store.add_copies(context.db, batch_id, accessions, context.now())
    batch = await store.get_batch(context.db, batch_id)
    if results is None or batch is None:
        _set_mode(context, None)
        await context.bot.send_message(chat_id, texts.ROTATION_NOT_OPEN)
        return
    added = sum(result.outcome == AddOutcome.ADDED for result in results)
    shown = [r for r in results if len(results) == 1 or r.outcome != AddOutcome.ADDED]
    lines = [texts.ROTATION_ADDED.format(added=added, total=len(results), items=batch.items)]
    lines += [_result_line(result) for result in shown]
    await context.bot.send_message(chat_id, _fit(lines), reply_markup=_adding_markup(batch_id))


async def typed_numbers(update: Update, context: BotContext) -> None:
    """Accession numbers typed while filling or checking in a batch go to that batch."""
    message = update.effective_message
    assert message is not None and message.text is not None
    mode = context.user_data.get(MODE) if context.user_data is not None else None
    if not isinstance(mode, tuple) or dialog_waiting(update, context, SCAN_GROUP):
        return
    if not may(await context.identity(update), Action.ROTATION):
        _set_mode(context, None)
        return
    accessions = split_accessions(message.text)
    if len(accessions) > MAX_BATCH:
        await message.reply_text(
            texts.ROTATION_TOO_MANY.format(count=len(accessions), limit=MAX_BATCH)
        )
    else:
        await _take(update, context, mode, accessions)
    raise ApplicationHandlerStop


async def record_rotation_scan(update: Update, context: BotContext, accession: str) -> bool:
    """A copy's label scanned while the librarian fills or checks in a batch: record it there.

    False when no batch is in hand, so /start goes on to its other uses of the label.
    """
    mode = context.user_data.get(MODE) if context.user_data is not None else None
    if not isinstance(mode, tuple) or not may(await context.identity(update), Action.ROTATION):
        return False
    await _take(update, context, mode, [accession])
    return True


async def _take(
    update: Update, context: BotContext, mode: tuple[str, int], accessions: Sequence[str]
) -> None:
    """Add the copies to the batch being filled, or check them in to the one coming back."""
    kind, batch_id = mode
    typed = await read_typed_list(context.db, accessions)
    if typed.ambiguous:
        text, markup = await candidates_message(
            context, typed.ambiguous, lambda copy: f"{PICK}:{kind}:{batch_id}:{copy.id}"
        )
        await context.bot.send_message(chat_id_of(update), text, reply_markup=markup)
        if not typed.accessions:
            return
    accessions = typed.accessions
    if kind == ADDING_MODE:
        await add_copies(update, context, batch_id, accessions)
    else:
        await check_in_copies(update, context, batch_id, accessions)


async def pick_copy(update: Update, context: BotContext) -> None:
    """Add or check in the copy chosen for a typed number that several copies carry."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return
    copy = await catalog.get_copy(context.db, int(context.match[3]))
    await query.answer()
    if copy is not None:
        await _take(update, context, (context.match[1], int(context.match[2])), [copy.accession])


async def keep_batch(update: Update, context: BotContext) -> None:
    """Leave a confirm step (hand over, drop) without doing anything."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.CONFIRM_DROPPED)


def _confirm(label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=data),
                InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=KEEP),
            ]
        ]
    )


async def ask_close(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm handing the batch over."""
    query = update.callback_query
    assert query is not None
    batch = await _batch_from(update, context, store.OPEN, texts.ROTATION_NOT_OPEN)
    if batch is None:
        return
    if not batch.items:
        await query.answer(texts.ROTATION_EMPTY_BATCH, show_alert=True)
        return
    await query.answer()
    await context.bot.send_message(
        chat_id_of(update),
        texts.ROTATION_ASK_CLOSE.format(
            number=batch.id, items=batch.items, destination=html.escape(batch.destination)
        ),
        reply_markup=_confirm(texts.BUTTON_ROTATION_CONFIRM_CLOSE, f"{CONFIRM_CLOSE}:{batch.id}"),
    )


async def close(update: Update, context: BotContext) -> None:
    """Hand the batch over: its copies become rotated_out; send the list to print."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return
    batch_id = _batch_id(context)
    today = context.now().date()
    closed = await store.close_batch(context.db, batch_id, today)
    if closed is None:
        await query.answer(texts.ROTATION_NOT_OPEN, show_alert=True)
        return
    log.info("user %s handed rotation batch %s over", query.from_user.id, batch_id)
    await _leave_buttons(update, context)
    text = texts.ROTATION_CLOSED.format(
        number=batch_id,
        sent=closed.sent,
        destination=html.escape(closed.batch.destination),
        due=texts.format_date(closed.batch.return_on),
    )
    if closed.dropped:
        text += texts.ROTATION_DROPPED.format(
            accessions=", ".join(html.escape(a) for a in closed.dropped[:LISTED])
        )
    await context.bot.send_message(chat_id_of(update), text)
    await _send_list(chat_id_of(update), context, closed.batch)


async def ask_drop(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm dropping a batch still being filled."""
    query = update.callback_query
    assert query is not None
    batch = await _batch_from(update, context, store.OPEN, texts.ROTATION_NOT_OPEN)
    if batch is None:
        return
    await query.answer()
    await context.bot.send_message(
        chat_id_of(update),
        texts.ROTATION_ASK_DROP.format(number=batch.id, items=batch.items),
        reply_markup=_confirm(texts.BUTTON_ROTATION_CONFIRM_DROP, f"{CONFIRM_DROP}:{batch.id}"),
    )


async def drop(update: Update, context: BotContext) -> None:
    """Drop a batch still being filled; no copy has left."""
    query = update.callback_query
    assert query is not None
    if not await _librarian(update, context):
        return
    batch_id = _batch_id(context)
    if not await store.cancel_batch(context.db, batch_id):
        await query.answer(texts.ROTATION_NOT_OPEN, show_alert=True)
        return
    log.info("user %s dropped rotation batch %s", query.from_user.id, batch_id)
    _set_mode(context, None)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.ROTATION_DROPPED_BATCH.format(number=batch_id))


async def check_in_button(update: Update, context: BotContext) -> None:
    """Begin taking a batch back: scanned or typed copies return to the shelf."""
    query = update.callback_query
    assert query is not None
    batch = await _batch_from(update, context, store.OUT, texts.ROTATION_NOT_OUT)
    if batch is None:
        return
    await query.answer()
    _set_mode(context, RECEIVING_MODE, batch.id)
    await context.bot.send_message(
        chat_id_of(update),
        texts.ROTATION_RECEIVING.format(
            number=batch.id, destination=html.escape(batch.destination), out=batch.out
        ),
        reply_markup=_receiving_markup(batch.id),
    )


def _receiving_markup(batch_id: int) -> InlineKeyboardMarkup:
    return one_button(texts.BUTTON_ROTATION_DONE, f"{DONE}:{batch_id}")


async def check_in_copies(
    update: Update, context: BotContext, batch_id: int, accessions: Sequence[str]
) -> None:
    """Take copies back and say what is still out; checking in stops when all are back."""
    chat_id = chat_id_of(update)
    outcome = await store.check_in(context.db, batch_id, accessions, context.now().date())
    if outcome is None:
        _set_mode(context, None)
        await context.bot.send_message(chat_id, texts.ROTATION_NOT_OUT)
        return
    results, batch = outcome
    back = sum(result.outcome == BackOutcome.BACK for result in results)
    shown = [r for r in results if len(results) == 1 or r.outcome != BackOutcome.BACK]
    lines = [texts.ROTATION_BACK.format(back=back, total=len(results))]
    lines += [_result_line(result) for result in shown]
    if batch.status == store.RETURNED:
        _set_mode(context, None)
        lines.append(texts.ROTATION_ALL_BACK.format(number=batch.id, items=batch.items))
        await context.bot.send_message(chat_id, _fit(lines))
        return
    lines.append(texts.ROTATION_STILL_OUT_COUNT.format(out=batch.out, items=batch.items))
    await context.bot.send_message(chat_id, _fit(lines), reply_markup=_receiving_markup(batch.id))


async def done(update: Update, context: BotContext) -> None:
    """Stop checking in for now: list the copies still out."""
    batch = await _batch_from(update, context, None, texts.ROTATION_NOT_OUT)
    if batch is None:
        return
    await _leave_buttons(update, context)
    if batch.status == store.RETURNED:
        text = texts.ROTATION_ALL_BACK.format(number=batch.id, items=batch.items)
    else:
        items = await store.batch_items(context.db, batch.id)
        missing = [item.accession for item in items if item.returned_on is None]
        listed = ", ".join(html.escape(a) for a in missing[:LISTED])
        if len(missing) > LISTED:
            listed += texts.ROTATION_MORE.format(count=len(missing) - LISTED)
        text = texts.ROTATION_STILL_OUT.format(
            number=batch.id,
            out=batch.out,
            items=batch.items,
            due=texts.format_date(batch.return_on),
            accessions=listed,
        )
    await context.bot.send_message(chat_id_of(update), text)


async def print_list(update: Update, context: BotContext) -> None:
    """Send a batch's list as an Excel sheet to print and sign."""
    query = update.callback_query
    assert query is not None
    batch = await _batch_from(update, context, None, texts.BUTTON_EXPIRED)
    if batch is None:
        return
    await query.answer()
    await _send_list(chat_id_of(update), context, batch)


async def _send_list(chat_id: int, context: BotContext, batch: BatchRecord) -> None:
    # openpyxl loads on the first list, not at start: it is a large part of the bot's memory.
    from bot.book_lists import rotation_file_name, rotation_workbook

    items = await store.batch_items(context.db, batch.id)
    library = context.config.library
    data = await asyncio.to_thread(
        rotation_workbook,
        batch,
        items,
        school=library.school,
        library=library.name,
        made_on=context.now().date(),
    )
    await context.bot.send_document(
        chat_id,
        document=data,
        filename=rotation_file_name(batch),
        caption=texts.ROTATION_LIST_CAPTION.format(
            number=batch.id, destination=html.escape(batch.destination), items=len(items)
        ),
    )


async def leave(update: Update, context: BotContext) -> int:
    """Leave the dialog (/huy); a batch being filled stays open for later."""
    _set_mode(context, None)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.ROTATION_LEFT)
    return ConversationHandler.END


def _conversation() -> ConversationHandler:
    text = filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND
    return dialog(
        entry_points=[
            CommandHandler("luanchuyen", menu, filters.ChatType.PRIVATE),
            CallbackQueryHandler(new_batch, pattern=rf"^{NEW}$"),
        ],
        states={
            DESTINATION: [MessageHandler(text, take_destination)],
            RETURN_DATE: [MessageHandler(text, take_return_date)],
        },
        fallbacks=[CommandHandler("huy", leave)],
        name="rotation",
    )


def handlers() -> list[BaseHandler]:
    """The /luanchuyen dialog and the batches' buttons."""
    conversation = _conversation()
    batch = r":(\d{1,12})$"
    return [
        conversation,
        CallbackQueryHandler(add_button, pattern=rf"^{ADD}{batch}"),
        CallbackQueryHandler(pause, pattern=rf"^{PAUSE}{batch}"),
        CallbackQueryHandler(ask_close, pattern=rf"^{CLOSE}{batch}"),
        CallbackQueryHandler(close, pattern=rf"^{CONFIRM_CLOSE}{batch}"),
        CallbackQueryHandler(ask_drop, pattern=rf"^{DROP}{batch}"),
        CallbackQueryHandler(drop, pattern=rf"^{CONFIRM_DROP}{batch}"),
        CallbackQueryHandler(check_in_button, pattern=rf"^{CHECK_IN}{batch}"),
        CallbackQueryHandler(done, pattern=rf"^{DONE}{batch}"),
        CallbackQueryHandler(print_list, pattern=rf"^{PRINT}{batch}"),
        CallbackQueryHandler(
            pick_copy,
            pattern=rf"^{PICK}:({ADDING_MODE}|{RECEIVING_MODE}):(\d{{1,12}}):(\d{{1,12}})$",
        ),
        CallbackQueryHandler(keep_batch, pattern=rf"^{KEEP}$"),
    ]


def scan_handlers() -> list[BaseHandler]:
    """Typed accession numbers of a batch in hand; register in SCAN_GROUP."""
    return [MessageHandler(typed_accessions(), typed_numbers)]
