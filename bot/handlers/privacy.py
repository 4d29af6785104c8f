"""Personal data in chat: parents' consent, /dulieucuatoi, a reader's file, erasure, the log."""

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.core.privacy import POSTPONE_DAYS
from bot.core.roles import Action, may
from bot.handlers.common import chat_id_of, permitted, remove_buttons
from bot.privacy_document import (
    audit_file,
    audit_line,
    held_data_file,
    held_data_html,
)
from bot.services import privacy
from bot.services.privacy import AUDIT_DAYS, ConsentResult, Outcome
from db.readers import ReaderRecord

log = logging.getLogger(__name__)

PREFIX = "pv"
CONSENT, WITHDRAW, FORGET, CANCEL = "cy", "wy", "fy", "no"
# A chat message holds 4096 characters; a reader's data longer than this goes as a file.
MESSAGE_ROOM = 3800
AUDIT_LINES = 40


def _class_part(reader: ReaderRecord) -> str:
    return f", lớp {html.escape(reader.class_name)}" if reader.class_name else ""


def _confirm(yes_label: str, verb: str, reader_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(yes_label, callback_data=f"{PREFIX}:{verb}:{reader_id}"),
                InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=f"{PREFIX}:{CANCEL}"),
            ]
        ]
    )


def _refusal(result: ConsentResult, query: str, homeroom: str) -> str:
    reader = result.reader
    if result.outcome is Outcome.NOT_A_STUDENT and reader is not None:
        return texts.CONSENT_NOT_A_STUDENT.format(name=html.escape(reader.full_name))
    if result.outcome is Outcome.OTHER_CLASS and reader is not None:
        return texts.CONSENT_OTHER_CLASS.format(
            name=html.escape(reader.full_name),
            class_name=html.escape(reader.class_name),
            homeroom=html.escape(homeroom),
        )
    return texts.READER_NOT_FOUND.format(query=html.escape(query[:60]))


async def ask_consent(update: Update, context: BotContext) -> None:
    """Ask the librarian or homeroom teacher to confirm a parent's consent: /dongy CODE."""
    await _ask_about_consent(update, context, CONSENT)


async def ask_withdrawal(update: Update, context: BotContext) -> None:
    """Ask to confirm that a parent withdraws their consent: /rutdongy CODE."""
    await _ask_about_consent(update, context, WITHDRAW)


async def _ask_about_consent(update: Update, context: BotContext, verb: str) -> None:
    message = update.effective_message
    assert message is not None
    if not await permitted(update, context, Action.RECORD_CONSENT, "record_consent"):
        return
    if not context.args:
        await message.reply_text(texts.CONSENT_USAGE if verb == CONSENT else texts.WITHDRAW_USAGE)
        return
    identity = await context.identity(update)
    code = " ".join(context.args)
    result = await privacy.consent_target(context.db, identity, code)
    if result.outcome is not Outcome.DONE or result.reader is None:
        await message.reply_text(_refusal(result, code, identity.homeroom_class))
        return
    reader = result.reader
    template, label = (
        (texts.CONSENT_CONFIRM, texts.BUTTON_CONSENT_YES)
        if verb == CONSENT
        else (texts.WITHDRAW_CONFIRM, texts.BUTTON_WITHDRAW_YES)
    )
    await message.reply_text(
        template.format(name=html.escape(reader.full_name), class_part=_class_part(reader)),
        reply_markup=_confirm(label, verb, reader.id),
    )


async def confirm_consent(update: Update, context: BotContext) -> None:
    """Record or withdraw the consent the person confirmed; the button's id is checked again."""
    query = update.callback_query
    assert query is not None and context.match is not None
    verb, reader_id = context.match[1], int(context.match[2])
    identity = await context.identity(update)
    if not may(identity, Action.RECORD_CONSENT):
        await context.refuse(update, "record_consent")
        return
    now = context.now()
    if verb == CONSENT:
        result = await privacy.record_consent(context.db, identity, reader_id, now)
    else:
        result = await privacy.withdraw_consent(context.db, identity, reader_id, now)
    await query.answer()
    if isinstance(query.message, Message):
        await remove_buttons(query.message)
    reader = result.reader
    if reader is None:
        await context.bot.send_message(chat_id_of(update), texts.BUTTON_EXPIRED)
        return
    if result.outcome in (Outcome.NOT_A_STUDENT, Outcome.OTHER_CLASS):
        await context.bot.send_message(
            chat_id_of(update), _refusal(result, reader.code, identity.homeroom_class)
        )
        return
    name = html.escape(reader.full_name)
    if verb == CONSENT:
        log.info("user %s recorded parent consent for reader %s", identity.user_id, reader_id)
        text = (
            texts.CONSENT_RECORDED.format(name=name, day=texts.format_date(now.date()))
            if result.outcome is Outcome.DONE
            else texts.CONSENT_ALREADY.format(name=name)
        )
    elif result.withdrawal is None:
        text = texts.WITHDRAW_NONE.format(name=name)
    else:
        log.info("user %s withdrew parent consent for reader %s", identity.user_id, reader_id)
        withdrawal = result.withdrawal
        text = texts.WITHDRAWN.format(name=name)
        if withdrawal.unlinked_user is not None:
            text += texts.WITHDRAWN_UNLINKED
            await context.refresh_command_menu(withdrawal.unlinked_user)
        if withdrawal.cancelled:
            text += texts.WITHDRAWN_CANCELLED.format(count=withdrawal.cancelled)
    await context.bot.send_message(chat_id_of(update), text)


async def cancel(update: Update, context: BotContext) -> None:
    """Drop a consent or erasure question: nothing changes."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if isinstance(query.message, Message):
        await remove_buttons(query.message)
    await context.bot.send_message(chat_id_of(update), texts.PRIVACY_CANCELLED)


async def my_data(update: Update, context: BotContext) -> None:
    """Show a linked reader what the library holds about them, and nothing about anyone else."""
    message = update.effective_message
    assert message is not None
    data = await privacy.my_data(context.db, await context.identity(update))
    if data is None:
        await message.reply_text(texts.MY_DATA_NOT_LINKED)
        return
    zone, today = context.config.library.timezone, context.now().date()
    text = held_data_html(data, zone, today)
    if len(text) <= MESSAGE_ROOM:
        await message.reply_text(text)
        return
    await message.reply_document(
        held_data_file(data, zone, today),
        filename=f"du-lieu-{data.reader['code']}.txt",
        caption=texts.MY_DATA_AS_FILE,
    )


async def reader_data(update: Update, context: BotContext) -> None:
    """Send the librarian a file of what is held about a reader, for a parent: /dulieu CODE."""
    message = update.effective_message
    assert message is not None
    if not await permitted(update, context, Action.READER_DATA, "reader_data"):
        return
    if not context.args:
        await message.reply_text(texts.READER_DATA_USAGE)
        return
    code = " ".join(context.args)
    identity = await context.identity(update)
    data = await privacy.reader_data(
        context.db, code, context.now(), done_by=identity.user_id, via="telegram"
    )
    if data is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(code[:60])))
        return
    log.info("user %s read the data of reader %s", identity.user_id, data.reader["id"])
    await message.reply_document(
        held_data_file(data, context.config.library.timezone, context.now().date()),
        filename=f"du-lieu-{data.reader['code']}.txt",
        caption=texts.READER_DATA_CAPTION.format(
            name=html.escape(data.reader["full_name"]), code=html.escape(data.reader["code"])
        ),
    )


async def ask_forget(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm erasing a reader's personal data: /xoadulieu CODE."""
    message = update.effective_message
    assert message is not None
    if not await permitted(update, context, Action.FORGET_READER, "forget_reader"):
        return
    if not context.args:
        await message.reply_text(texts.FORGET_USAGE)
        return
    code = " ".join(context.args)
    reader = await privacy.find_any_reader(context.db, code)
    if reader is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(code[:60])))
        return
    refusal = await _forget_refusal(context, reader)
    if refusal:
        await message.reply_text(refusal)
        return
    await message.reply_text(
        texts.FORGET_CONFIRM.format(
            name=html.escape(reader.full_name),
            code=html.escape(reader.code),
            class_part=_class_part(reader),
        ),
        reply_markup=_confirm(texts.BUTTON_FORGET_YES, FORGET, reader.id),
    )


async def _forget_refusal(context: BotContext, reader: ReaderRecord) -> str:
    """Why the reader cannot be erased now ("" when they can)."""
    status = await privacy.forget_status(context.db, reader.id)
    if status.forgotten:
        return texts.FORGET_ALREADY.format(code=html.escape(reader.code))
    if status.open_loans:
        return texts.FORGET_OPEN_LOANS.format(
            name=html.escape(reader.full_name), count=status.open_loans
        )
    return ""


async def confirm_forget(update: Update, context: BotContext) -> None:
    """Erase the reader the librarian confirmed, after checking again on the server."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await permitted(update, context, Action.FORGET_READER, "forget_reader"):
        return
    reader_id = int(context.match[1])
    await query.answer()
    if isinstance(query.message, Message):
        await remove_buttons(query.message)
    identity = await context.identity(update)
    outcome = await privacy.forget_checked(
        context.db, reader_id, context.now(), done_by=identity.user_id, via="telegram"
    )
    if outcome.forgotten is None:
        text = (
            texts.FORGET_OPEN_LOANS.format(
                name=html.escape(outcome.name), count=outcome.status.open_loans
            )
            if outcome.status.open_loans
            else texts.FORGET_ALREADY.format(code=html.escape(outcome.name))
            if outcome.status.forgotten
            else texts.BUTTON_EXPIRED
        )
    else:
        log.info("user %s erased reader %s", identity.user_id, reader_id)
        text = texts.FORGET_DONE.format(code=outcome.forgotten.code)
    await context.bot.send_message(chat_id_of(update), text)


async def postpone(update: Update, context: BotContext) -> None:
    """Put off a leaver's automatic anonymisation, with the reason: /hoanxoa CODE REASON."""
    message = update.effective_message
    assert message is not None
    if not await permitted(update, context, Action.FORGET_READER, "postpone_forget"):
        return
    args = context.args or []
    reason = " ".join(args[1:]).strip()
    if len(args) < 2 or not reason:
        await message.reply_text(texts.POSTPONE_USAGE.format(days=POSTPONE_DAYS))
        return
    identity = await context.identity(update)
    outcome, reader, until = await privacy.postpone(
        context.db, identity, args[0], reason[:300], context.now()
    )
    if reader is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(args[0][:60])))
    elif outcome is Outcome.NONE or until is None:
        await message.reply_text(
            texts.POSTPONE_NOT_LEAVER.format(name=html.escape(reader.full_name))
        )
    else:
        await message.reply_text(
            texts.POSTPONE_DONE.format(
                name=html.escape(reader.full_name),
                day=texts.format_date(until),
                reason=html.escape(reason[:300]),
            )
        )


async def audit_log(update: Update, context: BotContext) -> None:
    """Show the principal or librarian who saw or exported personal data, 30 days, and a file."""
    message = update.effective_message
    assert message is not None
    if not await permitted(update, context, Action.READ_AUDIT, "read_audit"):
        return
    zone = context.config.library.timezone
    entries = await privacy.audit_log(context.db, context.now())
    if not entries:
        await message.reply_text(texts.AUDIT_EMPTY.format(days=AUDIT_DAYS))
        return
    lines = [texts.AUDIT_HEADER.format(days=AUDIT_DAYS, count=len(entries))]
    lines += [audit_line(entry, zone) for entry in entries[:AUDIT_LINES]]
    if len(entries) > AUDIT_LINES:
        lines.append(texts.AUDIT_MORE.format(count=len(entries) - AUDIT_LINES))
    await message.reply_text("\n".join(lines))
    await message.reply_document(
        audit_file(entries, zone),
        filename=f"nhat-ky-du-lieu-{context.now().date().isoformat()}.csv",
        caption=texts.AUDIT_CAPTION.format(days=AUDIT_DAYS),
    )


def handlers() -> list[BaseHandler]:
    private = filters.ChatType.PRIVATE
    return [
        CommandHandler("dongy", ask_consent, private),
        CommandHandler("rutdongy", ask_withdrawal, private),
        CommandHandler("dulieucuatoi", my_data, private),
        CommandHandler("dulieu", reader_data, private),
        CommandHandler("xoadulieu", ask_forget, private),
        CommandHandler("hoanxoa", postpone, private),
        CommandHandler("nhatky", audit_log, private),
        CallbackQueryHandler(
            confirm_consent, pattern=rf"^{PREFIX}:({CONSENT}|{WITHDRAW}):(\d{{1,12}})$"
        ),
        CallbackQueryHandler(confirm_forget, pattern=rf"^{PREFIX}:{FORGET}:(\d{{1,12}})$"),
        CallbackQueryHandler(cancel, pattern=rf"^{PREFIX}:{CANCEL}$"),
    ]
