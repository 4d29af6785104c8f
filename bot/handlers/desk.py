"""At the desk: copy cards from QR labels, lending to a reader, returns, lost or damaged copies."""

import html
import re
from collections.abc import Callable, Sequence

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
from bot.circulation import Outcome, Result, class_part
from bot.context import BotContext
from bot.core.accession import take_accession
from bot.core.roles import Action, may
from bot.handlers.borrowing import refusal_text
from bot.handlers.catalog import send_title_card
from bot.handlers.common import remove_buttons
from bot.handlers.dialogs import dialog
from bot.services.desk import Standing, copy_standing
from bot.services.privacy import record_view
from bot.services.year_turn import leavers_recall_lines
from db import accounts, catalog, loans, readers
from db.catalog import CopyRecord

LEND = "ln"
RETURN = "rt"
MARK = "mk"
CONFIRM_MARK = "mc"
PICK_READER = "lr"
DROP_CONFIRM = "dkno"
# Notes typed after /mat or /hong, kept while the librarian picks which copy a number means.
MARK_NOTES = "mark_notes"
CANDIDATE_TITLE_LENGTH = 36
# Typed numbers of one message asked about at once: more buttons than this is a wall.
MAX_AMBIGUOUS = 5
CHOOSING_READER = 0
LINK_PAYLOAD = re.compile(r"^link_([A-Za-z0-9_-]{10,60})$")


async def _librarian(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    if may(await context.identity(update), Action.DESK):
        return True
    await context.refuse(update, "desk")
    return False


async def copy_card(context: BotContext, copy: CopyRecord) -> tuple[str, InlineKeyboardMarkup]:
    """Render a copy for the librarian: title, status, who has it, and the desk buttons."""
    title = await catalog.get_title(context.db, copy.title_id)
    holder = ""
    async with context.db.transaction() as conn:
        active = await loans.active_loan_of_copy(conn, copy.id)
    if active is not None:
        reader = await readers.get_reader(context.db, active.reader_id)
        name = html.escape(reader.full_name) if reader else "?"
        klass = class_part(reader.class_name) if reader else ""
        if active.state == "open" and active.due_on is not None:
            holder = texts.COPY_HOLDER_LOAN.format(
                reader=name, class_part=klass, due=texts.format_date(active.due_on)
            )
        elif active.held_until is not None:
            holder = texts.COPY_HOLDER_HOLD.format(
                reader=name, class_part=klass, until=texts.format_date(active.held_until)
            )
    text = texts.COPY_CARD.format(
        accession=html.escape(copy.accession),
        title=html.escape(title.title if title else ""),
        status=texts.COPY_STATUS.get(copy.status, copy.status),
        holder=holder,
        location=html.escape(copy.location or "—"),
    )
    rows = [
        [
            InlineKeyboardButton(texts.BUTTON_LEND, callback_data=f"{LEND}:{copy.id}"),
            InlineKeyboardButton(texts.BUTTON_RETURN, callback_data=f"{RETURN}:{copy.id}"),
        ],
        [
            InlineKeyboardButton(texts.BUTTON_LOST, callback_data=f"{MARK}:{copy.id}:lost"),
            InlineKeyboardButton(texts.BUTTON_DAMAGED, callback_data=f"{MARK}:{copy.id}:damaged"),
        ],
    ]
    return text, InlineKeyboardMarkup(rows)


async def open_copy(update: Update, context: BotContext, accession: str) -> None:
    """A copy's QR label: the desk card for a librarian, the title card for anyone else."""
    message = update.effective_message
    assert message is not None
    copy = await catalog.find_copy(context.db, accession)
    if copy is None:
        await message.reply_text(
            texts.COPY_NOT_FOUND.format(accession=html.escape(accession[:60]))
        )
        return
    if not may(await context.identity(update), Action.DESK):
        await send_title_card(message.chat.id, context, copy.title_id)
        return
    text, markup = await copy_card(context, copy)
    await message.reply_text(text, reply_markup=markup)


async def _copy_from_args(
    update: Update, context: BotContext, command: str, typed: str | None = None
) -> CopyRecord | None:
    """The copy the accession number after a command names; else say why there is none.

    Several copies carry a bare number: they are offered as buttons, each pressing the
    button the command would (lend, take back, mark).
    """
    message = update.effective_message
    assert message is not None
    accession = " ".join(context.args or []) if typed is None else typed
    if not accession.strip():
        await message.reply_text(texts.DESK_USAGE.format(command=command))
        return None
    found = await catalog.find_copies(context.db, accession)
    if len(found) == 1:
        return found[0]
    if not found:
        await message.reply_text(
            texts.COPY_NOT_FOUND.format(accession=html.escape(accession[:60]))
        )
        return None
    text, markup = await candidates_message(
        context, [(accession, found)], lambda copy: _candidate_data(command, copy)
    )
    await message.reply_text(text, reply_markup=markup)
    return None


async def candidates_message(
    context: BotContext,
    ambiguous: Sequence[tuple[str, Sequence[CopyRecord]]],
    data_of: Callable[[CopyRecord], str],
) -> tuple[str, InlineKeyboardMarkup]:
    """Ask which copy each typed number means: one button per candidate copy.

    Used wherever an accession number is typed (the desk, stocktaking, rotation); data_of
    gives the button what choosing that copy does there.
    """
    lines, rows = [], []
    for typed, copies in ambiguous[:MAX_AMBIGUOUS]:
        lines.append(
            texts.ACCESSION_CANDIDATES.format(
                typed=html.escape(typed[:40]),
                count=len(copies),
                example=html.escape(copies[0].accession),
            )
        )
        for copy in copies:
            title = await catalog.get_title(context.db, copy.title_id)
            label = texts.ACCESSION_CANDIDATE.format(
                accession=copy.accession, title=_short(title.title if title else "")
            )
            rows.append([InlineKeyboardButton(label, callback_data=data_of(copy))])
    if len(ambiguous) > MAX_AMBIGUOUS:
        lines.append(texts.ACCESSION_MORE_AMBIGUOUS.format(count=len(ambiguous) - MAX_AMBIGUOUS))
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _candidate_data(command: str, copy: CopyRecord) -> str:
    if command == "chomuon":
        return f"{LEND}:{copy.id}"
    if command == "tra":
        return f"{RETURN}:{copy.id}"
    return f"{CONFIRM_MARK}:{copy.id}:{'lost' if command == 'mat' else 'damaged'}"


def _short(text: str) -> str:
    if len(text) <= CANDIDATE_TITLE_LENGTH:
        return text
    return text[: CANDIDATE_TITLE_LENGTH - 1] + "…"


async def lend_command(update: Update, context: BotContext) -> int:
    """Start lending the copy typed after /chomuon."""
    if not await _librarian(update, context):
        return ConversationHandler.END
    copy = await _copy_from_args(update, context, "chomuon")
    if copy is None:
        return ConversationHandler.END
    return await _ask_reader(update, context, copy)


async def lend_button(update: Update, context: BotContext) -> int:
    """Start lending the copy whose card was pressed."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    copy = await catalog.get_copy(context.db, int(context.match[1]))
    await query.answer()
    if copy is None:
        return ConversationHandler.END
    return await _ask_reader(update, context, copy)


async def _ask_reader(update: Update, context: BotContext, copy: CopyRecord) -> int:
    """Ask who borrows the copy, once it is known the copy can go out (else say why not)."""
    chat = update.effective_chat
    assert chat is not None and context.user_data is not None
    title = await catalog.get_title(context.db, copy.title_id)
    fields = {
        "accession": html.escape(copy.accession),
        "title": html.escape(title.title if title else ""),
    }
    standing = await copy_standing(context.db, copy)
    reader = standing.reader
    holder = {
        "reader": html.escape(reader.full_name) if reader else "?",
        "class_part": class_part(reader.class_name) if reader else "",
    }
    if standing.standing is Standing.ON_LOAN:
        due = texts.format_date(standing.due_on) if standing.due_on else "—"
        await context.bot.send_message(
            chat.id,
            texts.LEND_BLOCKED_ON_LOAN.format(**fields, **holder, due=due),
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton(texts.BUTTON_RETURN, callback_data=f"{RETURN}:{copy.id}")]]
            ),
        )
        return ConversationHandler.END
    if standing.standing is Standing.UNAVAILABLE:
        status = texts.COPY_STATUS.get(copy.status, copy.status)
        await context.bot.send_message(
            chat.id, texts.LEND_BLOCKED_UNAVAILABLE.format(**fields, status=status)
        )
        return ConversationHandler.END
    context.user_data["lending_copy"] = copy.id
    if standing.standing is Standing.HELD and reader is not None:
        until = texts.format_date(standing.held_until) if standing.held_until else "—"
        label = texts.BUTTON_LEND_TO_HOLDER.format(reader=reader.full_name)
        await context.bot.send_message(
            chat.id,
            texts.LEND_HELD_NOTICE.format(**fields, **holder, until=until),
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=f"{PICK_READER}:{reader.id}")]]
            ),
        )
    await context.bot.send_message(chat.id, texts.ASK_READER.format(**fields))
    return CHOOSING_READER


async def find_reader(update: Update, context: BotContext) -> int:
    """Look up the reader the librarian typed; offer the matches as buttons."""
    message = update.effective_message
    assert message is not None and message.text is not None
    found = await readers.find_readers(context.db, message.text, include_left=True)
    if not found:
        await message.reply_text(
            texts.ASK_READER_AGAIN.format(query=html.escape(message.text[:60]))
        )
        return CHOOSING_READER
    if len(found) == 1:
        await _lend_to(update, context, found[0].id)
        return ConversationHandler.END
    buttons = [
        [
            InlineKeyboardButton(
                f"{reader.full_name} – {reader.class_name or reader.code}"
                + (texts.YEAR_TURN_LEFT_MARK if reader.left_on else ""),
                callback_data=f"{PICK_READER}:{reader.id}",
            )
        ]
        for reader in found
    ]
    await message.reply_text(texts.PICK_READER, reply_markup=InlineKeyboardMarkup(buttons))
    return CHOOSING_READER


async def pick_reader(update: Update, context: BotContext) -> int:
    """Lend to the reader picked from the matches."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return ConversationHandler.END
    await query.answer()
    await _lend_to(update, context, int(context.match[1]))
    return ConversationHandler.END


async def scanned_card(update: Update, context: BotContext) -> int:
    """The reader's card QR scanned while lending: identify the reader, keep the token unspent."""
    message = update.effective_message
    assert message is not None
    match = LINK_PAYLOAD.match(context.args[0]) if context.args else None
    reader_id = (
        await accounts.reader_of_token(context.db, match[1], context.now()) if match else None
    )
    if reader_id is None:
        await message.reply_text(texts.LINK_REFUSED["unknown"])
        return CHOOSING_READER
    await _lend_to(update, context, reader_id)
    return ConversationHandler.END


async def _lend_to(update: Update, context: BotContext, reader_id: int) -> None:
    chat = update.effective_chat
    assert chat is not None and context.user_data is not None
    copy_id = context.user_data.pop("lending_copy", None)
    copy = await catalog.get_copy(context.db, copy_id) if copy_id else None
    if copy is None:
        await context.bot.send_message(chat.id, texts.BUTTON_EXPIRED)
        return
    identity = await context.identity(update)
    result = await context.circulation.lend(
        copy.accession, reader_id, identity.user_id, context.now()
    )
    await context.bot.send_message(chat.id, lend_text(result, copy.accession))


def lend_text(result: Result, accession: str) -> str:
    """Put the outcome of a desk loan into words."""
    acc = html.escape(accession)
    if result.outcome is Outcome.DONE:
        assert result.reader is not None and result.due_on is not None
        return texts.LENT.format(
            reader=html.escape(result.reader.full_name),
            class_part=class_part(result.reader.class_name),
            accession=acc,
            title=html.escape(result.title),
            due=texts.format_date(result.due_on),
        )
    if result.outcome is Outcome.REFUSED:
        return refusal_text(result, at_desk=True)
    if result.outcome is Outcome.ON_LOAN:
        return texts.LEND_REFUSED["on_loan"].format(accession=acc)
    if result.outcome is Outcome.HELD_FOR_OTHER:
        name = result.reader.full_name if result.reader else "?"
        return texts.LEND_REFUSED["held_for_other"].format(accession=acc, reader=html.escape(name))
    if result.outcome is Outcome.UNAVAILABLE:
        return texts.LEND_REFUSED["unavailable"].format(
            accession=acc, status=texts.COPY_STATUS.get(result.status, result.status)
        )
    return texts.BUTTON_EXPIRED


async def cancel_dialog(update: Update, context: BotContext) -> int:
    """Leave the lending dialog."""
    message = update.effective_message
    if context.user_data is not None:
        context.user_data.pop("lending_copy", None)
    if message is not None:
        await message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


def return_text(result: Result, accession: str) -> str:
    """Put the outcome of a return into words."""
    if result.outcome is not Outcome.DONE:
        return texts.NOT_ON_LOAN.format(accession=html.escape(accession))
    reader = result.reader
    text = texts.RETURNED.format(
        accession=html.escape(result.accession),
        title=html.escape(result.title),
        reader=html.escape(reader.full_name) if reader else "?",
        class_part=class_part(reader.class_name) if reader else "",
        late=texts.RETURNED_LATE.format(days=result.late_days) if result.late_days else "",
    )
    if result.next_reader is not None:
        text += texts.RETURNED_NEXT.format(
            reader=html.escape(result.next_reader.full_name),
            class_part=class_part(result.next_reader.class_name),
        )
    return text


async def return_command(update: Update, context: BotContext) -> None:
    """Take back the copy typed after /tra."""
    message = update.effective_message
    assert message is not None
    if not await _librarian(update, context):
        return
    copy = await _copy_from_args(update, context, "tra")
    if copy is not None:
        result = await context.circulation.take_back(copy.accession, context.now())
        await message.reply_text(return_text(result, copy.accession))


async def return_button(update: Update, context: BotContext) -> None:
    """Take back the copy whose card was pressed."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return
    copy = await catalog.get_copy(context.db, int(context.match[1]))
    await query.answer()
    if copy is not None and isinstance(query.message, Message):
        result = await context.circulation.take_back(copy.accession, context.now())
        await query.message.reply_text(return_text(result, copy.accession))


async def ask_mark(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm marking a copy lost or damaged."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return
    copy = await catalog.get_copy(context.db, int(context.match[1]))
    await query.answer()
    status = context.match[2]
    if copy is None or not isinstance(query.message, Message):
        return
    confirm = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    texts.BUTTON_CONFIRM, callback_data=f"{CONFIRM_MARK}:{copy.id}:{status}"
                ),
                InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=DROP_CONFIRM),
            ]
        ]
    )
    await query.message.reply_text(
        texts.ASK_MARK.format(
            accession=html.escape(copy.accession), status=texts.COPY_STATUS[status]
        ),
        reply_markup=confirm,
    )


async def confirm_mark(update: Update, context: BotContext) -> None:
    """Mark the copy lost or damaged after confirmation."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _librarian(update, context):
        return
    copy = await catalog.get_copy(context.db, int(context.match[1]))
    await query.answer()
    if copy is None or not isinstance(query.message, Message):
        return
    notes = context.user_data.get(MARK_NOTES, {}) if context.user_data is not None else {}
    await remove_buttons(query.message)
    await _mark(query.message, context, copy, context.match[2], notes.pop(copy.id, ""))


async def drop_confirm(update: Update, context: BotContext) -> None:
    """Leave a confirm step without doing anything."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.CONFIRM_DROPPED)


async def mark_command(update: Update, context: BotContext) -> None:
    """Mark a copy lost (/mat) or damaged (/hong), with an optional note after the number."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if not await _librarian(update, context):
        return
    command = message.text.split()[0].lstrip("/").split("@")[0]
    typed, rest = take_accession(list(context.args or []))
    note = " ".join(rest)[:500]
    copy = await _copy_from_args(update, context, command, typed)
    if copy is None:
        if note and context.user_data is not None:
            for copy_id in await _candidate_ids(context, typed):
                context.user_data.setdefault(MARK_NOTES, {})[copy_id] = note
        return
    status = "lost" if command == "mat" else "damaged"
    await _mark(message, context, copy, status, note)


async def _candidate_ids(context: BotContext, typed: str) -> list[int]:
    found = await catalog.find_copies(context.db, typed) if typed.strip() else []
    return [copy.id for copy in found] if len(found) > 1 else []


async def _mark(
    message: Message, context: BotContext, copy: CopyRecord, status: str, note: str
) -> None:
    await context.circulation.mark_copy(copy.accession, status, note, context.now())
    await message.reply_text(
        texts.MARKED.format(
            accession=html.escape(copy.accession), status=texts.COPY_STATUS[status]
        )
    )


async def recall(update: Update, context: BotContext) -> None:
    """List the textbooks lent for the year that must come back before the deadline."""
    message = update.effective_message
    assert message is not None
    if not may(await context.identity(update), Action.RECALL_LIST):
        await context.refuse(update, "recall")
        return
    calendar = context.config.calendar
    today = context.now().date()
    deadline = calendar.year_end_deadline(calendar.school_year_of(today))
    items = await loans.whole_year_loans(context.db, deadline)
    leavers = await leavers_recall_lines(context.db)
    if not items and not leavers:
        await message.reply_text(texts.RECALL_EMPTY)
        return
    lines = [texts.RECALL_HEADER.format(deadline=texts.format_date(deadline), count=len(items))]
    for loan, name, class_name in items[:150]:
        lines.append(
            texts.RECALL_LINE.format(
                class_name=html.escape(class_name or "—"),
                reader=html.escape(name),
                accession=html.escape(loan.accession),
                title=html.escape(loan.title[:40]),
            )
        )
    text = "\n".join(lines + leavers)
    while len(text) > 4000:
        text = text[: text.rfind("\n")]
    await message.reply_text(text)
    if update.effective_user is not None:
        await record_view(
            context.db,
            context.now(),
            done_by=update.effective_user.id,
            via="telegram",
            action="recall_list",
        )


def _lending_dialog() -> ConversationHandler:
    return dialog(
        entry_points=[
            CommandHandler("chomuon", lend_command),
            CallbackQueryHandler(lend_button, pattern=rf"^{LEND}:(\d{{1,12}})$"),
        ],
        states={
            CHOOSING_READER: [
                CommandHandler("start", scanned_card, filters.Regex(r"^/start link_")),
                MessageHandler(filters.TEXT & ~filters.COMMAND, find_reader),
                CallbackQueryHandler(pick_reader, pattern=rf"^{PICK_READER}:(\d{{1,12}})$"),
            ]
        },
        fallbacks=[CommandHandler("huy", cancel_dialog)],
        name="lending",
    )


def handlers() -> list[BaseHandler]:
    lending = _lending_dialog()
    return [
        lending,
        CommandHandler("tra", return_command),
        CommandHandler(["mat", "hong"], mark_command),
        CommandHandler("thuhoi", recall),
        CallbackQueryHandler(return_button, pattern=rf"^{RETURN}:(\d{{1,12}})$"),
        CallbackQueryHandler(ask_mark, pattern=rf"^{MARK}:(\d{{1,12}}):(lost|damaged)$"),
        CallbackQueryHandler(
            confirm_mark, pattern=rf"^{CONFIRM_MARK}:(\d{{1,12}}):(lost|damaged)$"
        ),
        CallbackQueryHandler(drop_confirm, pattern=rf"^{DROP_CONFIRM}$"),
    ]
