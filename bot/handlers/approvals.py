"""The librarian decides on borrow requests: /duyet, and Duyệt / Từ chối on each request."""

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.circulation import APPROVE, REFUSE, REFUSE_WITH, Outcome, class_part
from bot.context import BotContext
from bot.core.roles import Action, may
from db import loans

KEEP_PENDING = "rfno"


def decision_buttons(request_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            f"{texts.BUTTON_APPROVE} #{request_id}", callback_data=f"{APPROVE}:{request_id}"
        ),
        InlineKeyboardButton(
            f"{texts.BUTTON_REFUSE} #{request_id}", callback_data=f"{REFUSE}:{request_id}"
        ),
    ]


async def pending_queue(update: Update, context: BotContext) -> None:
    """List the requests waiting for a decision, each with its buttons."""
    message = update.effective_message
    assert message is not None
    if not may(await context.identity(update), Action.APPROVE):
        await context.refuse(update, "approve")
        return
    pending = await loans.pending_requests(context.db)
    if not pending:
        await message.reply_text(texts.NO_PENDING)
        return
    lines = [texts.PENDING_HEADER.format(count=len(pending))]
    for request in pending:
        created = request.created_at[8:10] + "/" + request.created_at[5:7]
        lines.append(
            texts.PENDING_LINE.format(
                request_id=request.id,
                reader=html.escape(request.reader_name),
                class_part=class_part(request.class_name),
                title=html.escape(request.title),
                created=created,
            )
        )
    markup = InlineKeyboardMarkup([decision_buttons(request.id) for request in pending])
    await message.reply_text("\n".join(lines), reply_markup=markup)


async def _note_on(message: object, note: str, request_id: int) -> None:
    """Append the decision to the message the buttons were on; keep other requests' buttons."""
    if not isinstance(message, Message):
        return
    decided = {f"{APPROVE}:{request_id}", f"{REFUSE}:{request_id}"}
    rows = [
        row
        for row in (message.reply_markup.inline_keyboard if message.reply_markup else ())
        if not any(button.callback_data in decided for button in row)
    ]
    text = (message.text_html or "") + "\n\n" + note
    await message.edit_text(text[:4000], reply_markup=InlineKeyboardMarkup(rows) if rows else None)


async def approve(update: Update, context: BotContext) -> None:
    """Approve a request: a copy is held and the reader told where and until when."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.APPROVE):
        await context.refuse(update, "approve")
        return
    request_id = int(context.match[1])
    result = await context.circulation.approve(request_id, identity.user_id, context.now())
    if result.outcome in (Outcome.NOT_FOUND, Outcome.NOT_PENDING):
        await query.answer(texts.REQUEST_NOT_PENDING, show_alert=True)
        return
    await query.answer()
    if result.outcome is Outcome.MOVED_TO_LINE:
        note = texts.REQUEST_MOVED_TO_LINE.format(request_id=request_id)
    else:
        assert result.held_until is not None
        note = texts.REQUEST_APPROVED_FOR_LIBRARIAN.format(
            request_id=request_id,
            accession=html.escape(result.accession),
            reader=html.escape(result.extra.get("reader_name", "")),
            until=texts.format_date(result.held_until),
        )
    await _note_on(query.message, note, request_id)


async def ask_reason(update: Update, context: BotContext) -> None:
    """Offer the stock reasons for refusing a request."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not may(await context.identity(update), Action.APPROVE):
        await context.refuse(update, "approve")
        return
    request_id = int(context.match[1])
    async with context.db.transaction() as conn:
        request = await loans.get_request(conn, request_id)
    if request is None or request.status != "pending":
        await query.answer(texts.REQUEST_NOT_PENDING, show_alert=True)
        return
    await query.answer()
    buttons = [
        [InlineKeyboardButton(reason, callback_data=f"{REFUSE_WITH}:{request_id}:{code}")]
        for code, reason in texts.REFUSAL_REASONS.items()
    ]
    buttons.append([InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=KEEP_PENDING)])
    if query.message is not None:
        await context.bot.send_message(
            query.message.chat.id,
            texts.ASK_REFUSAL_REASON.format(
                request_id=request_id, title=html.escape(request.title)
            ),
            reply_markup=InlineKeyboardMarkup(buttons),
        )


async def refuse(update: Update, context: BotContext) -> None:
    """Refuse a request with the chosen reason; the reader is told."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.APPROVE):
        await context.refuse(update, "approve")
        return
    request_id = int(context.match[1])
    result = await context.circulation.refuse(
        request_id, context.match[2], identity.user_id, context.now()
    )
    if result.outcome is not Outcome.DONE:
        await query.answer(texts.REQUEST_NOT_PENDING, show_alert=True)
        return
    await query.answer()
    if query.message is not None:
        note = texts.REQUEST_REFUSED_FOR_LIBRARIAN.format(
            request_id=request_id, reason=html.escape(result.extra["reason"])
        )
        await context.bot.edit_message_text(
            note, chat_id=query.message.chat.id, message_id=query.message.message_id
        )


async def keep_pending(update: Update, context: BotContext) -> None:
    """Leave the refusal without refusing: the request still waits for a decision."""
    query = update.callback_query
    assert query is not None
    if not may(await context.identity(update), Action.APPROVE):
        await context.refuse(update, "approve")
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.REFUSAL_DROPPED)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("duyet", pending_queue),
        CallbackQueryHandler(approve, pattern=rf"^{APPROVE}:(\d{{1,12}})$"),
        CallbackQueryHandler(ask_reason, pattern=rf"^{REFUSE}:(\d{{1,12}})$"),
        CallbackQueryHandler(refuse, pattern=rf"^{REFUSE_WITH}:(\d{{1,12}}):([a-z]{{1,12}})$"),
        CallbackQueryHandler(keep_pending, pattern=rf"^{KEEP_PENDING}$"),
    ]
