"""Readers borrow from the phone: ask for a title or join its line, see and manage their books."""

import html
import re
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.circulation import Outcome, Result
from bot.context import BotContext
from bot.core.loan_rules import Code
from bot.core.roles import Action, may
from db import loans

BORROW = "b"
RENEW = "rn"
CANCEL = "cx"

_TAGS = re.compile(r"<[^>]+>")


def borrow_button(title_id: int, on_shelf: int) -> InlineKeyboardButton:
    label = texts.BUTTON_BORROW if on_shelf else texts.BUTTON_WAIT
    return InlineKeyboardButton(label, callback_data=f"{BORROW}:{title_id}")


def refusal_text(result: Result, *, at_desk: bool = False) -> str:
    """Put a refused borrow or renewal into words (at_desk: for the librarian lending)."""
    decision = result.decision
    assert decision is not None
    if decision.code is Code.LEFT_SCHOOL:
        if at_desk and result.reader is not None and result.reader.left_on:
            return texts.YEAR_TURN_DESK_LEFT.format(
                reader=html.escape(result.reader.full_name),
                class_name=html.escape(result.reader.class_name or "—"),
                left_on=texts.format_date(date.fromisoformat(result.reader.left_on)),
            )
        return texts.YEAR_TURN_BORROW_LEFT
    if decision.code is Code.NOT_LENDABLE:
        return texts.BORROW_REFUSED["not_lendable"].format(kind="")
    if decision.code in (Code.LIMIT_REACHED, Code.KIND_LIMIT_REACHED):
        return texts.BORROW_REFUSED["limit_reached"].format(
            count=decision.count, limit=decision.limit
        )
    if decision.code is Code.OVERDUE:
        return texts.BORROW_REFUSED["overdue"].format(title=html.escape(result.title))
    if decision.code is Code.READER_INACTIVE:
        return texts.BORROW_REFUSED["inactive"]
    return texts.RENEW_REFUSED.get(decision.code.value, texts.NOT_ALLOWED)


def request_text(result: Result) -> str:
    title = html.escape(result.title)
    if result.outcome is Outcome.REFUSED:
        return refusal_text(result)
    if result.outcome is not Outcome.DONE or result.request is None:
        return texts.TITLE_NOT_FOUND
    if result.request is loans.RequestOutcome.PENDING:
        return texts.REQUEST_SENT.format(title=title)
    if result.request is loans.RequestOutcome.WAITING:
        return texts.REQUEST_WAITING.format(title=title, position=result.position)
    if result.request is loans.RequestOutcome.ALREADY_BORROWED:
        return texts.REQUEST_ALREADY_BORROWED.format(title=title)
    position = f", đứng thứ {result.position} trong hàng chờ" if result.position else ""
    return texts.REQUEST_ALREADY.format(title=title, position_part=position)


async def ask_to_borrow(update: Update, context: BotContext) -> None:
    """Ask for the title on the card: to the librarian, or into the waiting line."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if identity.reader_id is None:
        await query.answer(_TAGS.sub("", texts.NOT_LINKED), show_alert=True)
        return
    if not may(identity, Action.BORROW):
        await context.refuse(update, "borrow")
        return
    result = await context.circulation.request_title(
        identity, int(context.match[1]), context.now()
    )
    text = request_text(result)
    if query.message is not None and query.message.chat.type == ChatType.PRIVATE:
        await query.answer()
        await context.bot.send_message(query.message.chat.id, text)
    else:
        await query.answer(_TAGS.sub("", text)[:200], show_alert=True)


def my_books_view(
    name: str, my_loans: list[loans.LoanRow], requests: list[loans.RequestRow], today_iso: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Render the reader's loans, holds and requests with renew and cancel buttons."""
    if not my_loans and not requests:
        return texts.MY_BOOKS_EMPTY, None
    lines = [texts.MY_BOOKS_HEADER.format(name=html.escape(name))]
    rows: list[list[InlineKeyboardButton]] = []
    open_loans = [loan for loan in my_loans if loan.state == "open"]
    holds = [loan for loan in my_loans if loan.state == "held"]
    if open_loans:
        lines += ["", texts.MY_LOANS]
        for loan in open_loans:
            assert loan.due_on is not None
            overdue = texts.MY_OVERDUE if loan.due_on.isoformat() < today_iso else ""
            lines.append(
                texts.MY_LOAN.format(
                    title=html.escape(loan.title),
                    accession=html.escape(loan.accession),
                    due=texts.format_date(loan.due_on),
                    overdue=overdue,
                )
            )
            if not loan.whole_year:
                rows.append(
                    [
                        InlineKeyboardButton(
                            f"{texts.BUTTON_RENEW}: {_short(loan.title)}",
                            callback_data=f"{RENEW}:{loan.id}",
                        )
                    ]
                )
    if holds:
        lines += ["", texts.MY_HOLDS]
        for hold in holds:
            assert hold.held_until is not None
            lines.append(
                texts.MY_HOLD.format(
                    title=html.escape(hold.title),
                    accession=html.escape(hold.accession),
                    until=texts.format_date(hold.held_until),
                )
            )
            if hold.request_id is not None:
                rows.append([_cancel_button(hold.title, hold.request_id)])
    if requests:
        lines += ["", texts.MY_REQUESTS]
        for request in requests:
            title = html.escape(request.title)
            if request.status == "waiting":
                lines.append(texts.MY_WAITING.format(title=title, position=request.position))
            else:
                lines.append(texts.MY_PENDING.format(title=title))
            rows.append([_cancel_button(request.title, request.id)])
    return "\n".join(lines), InlineKeyboardMarkup(rows) if rows else None


def _cancel_button(title: str, request_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        f"{texts.BUTTON_CANCEL}: {_short(title)}", callback_data=f"{CANCEL}:{request_id}"
    )


def _short(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


async def my_books(update: Update, context: BotContext) -> None:
    """Show the reader's loans with due dates, holds, requests and places in line."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    if identity.reader_id is None:
        await message.reply_text(texts.NOT_LINKED)
        return
    text, markup = await _render_my_books(context, identity.reader_id, identity.reader_name)
    await message.reply_text(text, reply_markup=markup)


async def _render_my_books(
    context: BotContext, reader_id: int, name: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    my_loans = await loans.loans_of_reader(context.db, reader_id)
    requests = await loans.requests_of_reader(context.db, reader_id)
    return my_books_view(name, my_loans, requests, context.now().date().isoformat())


async def renew(update: Update, context: BotContext) -> None:
    """Renew one of the reader's own loans."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    result = await context.circulation.renew(identity, int(context.match[1]), context.now())
    await _answer_and_refresh(update, context, result, renewed=True)


async def cancel(update: Update, context: BotContext) -> None:
    """Withdraw one of the reader's own requests or places in line."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    result = await context.circulation.cancel(identity, int(context.match[1]), context.now())
    await _answer_and_refresh(update, context, result, renewed=False)


async def _answer_and_refresh(
    update: Update, context: BotContext, result: Result, *, renewed: bool
) -> None:
    query = update.callback_query
    assert query is not None
    if result.outcome is Outcome.NOT_YOURS:
        await context.refuse(update, "not_yours")
        return
    if result.outcome is Outcome.NOT_FOUND:
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if result.outcome is Outcome.REFUSED:
        await query.answer(_TAGS.sub("", refusal_text(result))[:200], show_alert=True)
        return
    title = html.escape(result.title)
    if renewed:
        assert result.due_on is not None
        done = texts.RENEWED.format(title=title, due=texts.format_date(result.due_on))
    else:
        done = texts.CANCELLED.format(title=title)
    await query.answer(_TAGS.sub("", done)[:200])
    identity = await context.identity(update)
    if query.message is not None and identity.reader_id is not None:
        text, markup = await _render_my_books(context, identity.reader_id, identity.reader_name)
        await context.bot.send_message(query.message.chat.id, done)
        await context.bot.send_message(query.message.chat.id, text, reply_markup=markup)


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("sachcuatoi", my_books),
        CallbackQueryHandler(ask_to_borrow, pattern=rf"^{BORROW}:(\d{{1,12}})$"),
        CallbackQueryHandler(renew, pattern=rf"^{RENEW}:(\d{{1,12}})$"),
        CallbackQueryHandler(cancel, pattern=rf"^{CANCEL}:(\d{{1,12}})$"),
    ]
