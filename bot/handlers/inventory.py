"""Inventory by scanning (/kiemke): sessions, scans by QR link, typed list or photo, the report."""

import asyncio
import html
import io
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.circulation import class_part
from bot.circulation import message as push_message
from bot.context import BotContext
from bot.core.inventory import (
    MAX_BATCH,
    RECORDING,
    Finding,
    ScanOutcome,
    Scope,
    WriteOff,
    accession_from_code,
    parse_scope,
    split_accessions,
    write_off_tally,
)
from bot.core.roles import Action, may
from bot.handlers.common import (
    dialog_waiting,
    one_button,
    permitted,
    remove_buttons,
    shorten,
    typed_accessions,
)
from bot.handlers.desk import candidates_message, copy_card
from bot.services.desk import read_typed_list
from db import accounts, catalog, inventory, readers
from db.connection import Database
from db.inventory import ScanResult, SessionRecord

log = logging.getLogger(__name__)

# Scans are caught before the features' handlers (group 0), and only from people in a session:
# everyone else's text and photos go on to search and the other features untouched.
SESSION_GROUP = -7
END = "ivend"
CONFIRM_END = "ivend!"
CANCEL = "ivdel"
CONFIRM_CANCEL = "ivdel!"
REFRESH = "ivref"
LOST = "ivlost"
CONFIRM_LOST = "ivlost!"
COPY_CARD = "ivcard"
KEEP = "ivkeep"
PICK = "ivpick"
HELPER_VERBS = ("them", "bo")
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
DETAILED_BATCH = 20
MESSAGE_LIMIT = 4000
MISSING_LISTED = 30


def read_codes(data: bytes) -> list[str]:
    """Decode every QR code or barcode in an image; an unreadable image gives none."""
    # The decoder and Pillow load on the first photo, not at start.
    import zxingcpp
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                return []
            gray = (ImageOps.exif_transpose(image) or image).convert("L")
    except (OSError, ValueError, Image.DecompressionBombError):
        return []
    codes = []
    for barcode in zxingcpp.read_barcodes(gray):
        if barcode.text and barcode.text not in codes:
            codes.append(barcode.text)
    return codes


def _scope_text(scope: Scope) -> str:
    return texts.INVENTORY_SCOPE[scope.kind.value].format(value=html.escape(scope.value))


def _when(context: BotContext, moment: datetime) -> str:
    local = moment.astimezone(context.config.library.timezone)
    return f"{local:%H:%M} {texts.format_date(local.date())}"


async def _session_of(update: Update, context: BotContext) -> tuple[SessionRecord, bool] | None:
    """The open session the sender takes part in, and whether they lead it (a librarian)."""
    session = await inventory.open_session(context.db)
    if session is None:
        return None
    identity = await context.identity(update)
    if may(identity, Action.INVENTORY):
        return session, True
    if await inventory.is_helper(context.db, session.id, identity.user_id):
        return session, False
    return None


async def _leader(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    return await permitted(update, context, Action.INVENTORY, "inventory")


async def _card(
    context: BotContext, session: SessionRecord, *, leader: bool
) -> tuple[str, InlineKeyboardMarkup]:
    counts = await inventory.live_tally(context.db, session)
    team = await inventory.helpers(context.db, session.id)
    text = texts.INVENTORY_CARD.format(
        number=session.id,
        scope=_scope_text(session.scope),
        started=_when(context, session.started_at),
        starter=html.escape(session.starter_name),
        team=html.escape(", ".join(h.name for h in team)) or texts.INVENTORY_NO_TEAM,
        found=counts[Finding.FOUND],
        missing=counts[Finding.MISSING],
        away=counts[Finding.AWAY],
        written_off=counts[Finding.SEEN_WRITTEN_OFF],
    )
    refresh_row = [
        InlineKeyboardButton(
            texts.BUTTON_INVENTORY_REFRESH, callback_data=f"{REFRESH}:{session.id}"
        )
    ]
    if not leader:
        return text, InlineKeyboardMarkup([refresh_row])
    rows = [
        [
            InlineKeyboardButton(texts.BUTTON_INVENTORY_END, callback_data=f"{END}:{session.id}"),
            InlineKeyboardButton(
                texts.BUTTON_INVENTORY_CANCEL, callback_data=f"{CANCEL}:{session.id}"
            ),
        ],
        refresh_row,
    ]
    return text, InlineKeyboardMarkup(rows)


async def inventory_command(update: Update, context: BotContext) -> None:
    """Open a session (optionally scoped), show the open one, or manage its helpers."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    args = context.args or []
    if not may(identity, Action.INVENTORY):
        taking_part = await _session_of(update, context)
        if taking_part is None or args:
            await context.refuse(update, "inventory")
            return
        text, markup = await _card(context, taking_part[0], leader=False)
        await message.reply_text(text, reply_markup=markup)
        return
    if args and args[0].casefold() in HELPER_VERBS:
        await _manage_helper(update, context, args)
        return
    session = await inventory.open_session(context.db)
    if session is not None:
        if args:
            await message.reply_text(
                texts.INVENTORY_ALREADY_OPEN.format(
                    number=session.id, scope=_scope_text(session.scope)
                )
            )
        text, markup = await _card(context, session, leader=True)
        await message.reply_text(text, reply_markup=markup)
        return
    await _start(update, context, " ".join(args))


async def _start(update: Update, context: BotContext, argument: str) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    kinds = await inventory.book_kinds(context.db)
    scope = parse_scope(argument, kinds)
    if scope is None:
        await message.reply_text(
            texts.INVENTORY_BAD_SCOPE.format(
                scope=html.escape(argument[:40]), kinds=html.escape(", ".join(kinds))
            )
        )
        return
    if await inventory.count_scope(context.db, scope) == 0:
        await message.reply_text(texts.INVENTORY_EMPTY_SCOPE.format(scope=_scope_text(scope)))
        return
    session = await inventory.start_session(
        context.db, scope, user.id, user.full_name, context.now()
    )
    if session is None:
        session = await inventory.open_session(context.db)
        if session is None:
            await message.reply_text(texts.INVENTORY_CLOSED)
            return
    else:
        log.info("user %s opened inventory session %s (%s)", user.id, session.id, scope)
        await message.reply_text(texts.INVENTORY_STARTED)
    text, markup = await _card(context, session, leader=True)
    await message.reply_text(text, reply_markup=markup)


async def _manage_helper(update: Update, context: BotContext, args: Sequence[str]) -> None:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if len(args) != 2:
        await message.reply_text(texts.INVENTORY_USAGE)
        return
    session = await inventory.open_session(context.db)
    if session is None:
        await message.reply_text(texts.INVENTORY_HELPER_NO_SESSION)
        return
    reader = await readers.find_reader_by_code(context.db, args[1][:40])
    if reader is None:
        await message.reply_text(texts.READER_NOT_FOUND.format(query=html.escape(args[1][:40])))
        return
    name = html.escape(reader.full_name)
    account = await accounts.account_of_reader(context.db, reader.id)
    if account is None:
        await message.reply_text(texts.READER_NOT_LINKED.format(name=name))
        return
    fields = {"name": name, "number": session.id}
    if args[0].casefold() == "bo":
        removed = await inventory.remove_helper(context.db, session.id, account.user_id)
        template = texts.INVENTORY_HELPER_REMOVED if removed else texts.INVENTORY_HELPER_MISSING
        await message.reply_text(template.format(**fields))
        return
    notice = push_message(
        texts.INVENTORY_HELPER_INVITED.format(
            librarian=html.escape(user.full_name),
            number=session.id,
            scope=_scope_text(session.scope),
        )
    )
    helper = inventory.Helper(account.user_id, reader.id, reader.full_name)
    added = await inventory.add_helper(
        context.db, session.id, helper, user.id, context.now(), notice
    )
    if added:
        log.info("user %s added helper %s to inventory %s", user.id, reader.id, session.id)
        context.bot_data.delivery.notify()
    template = texts.INVENTORY_HELPER_ADDED if added else texts.INVENTORY_HELPER_ALREADY
    await message.reply_text(template.format(**fields))


def _scan_line(context: BotContext, result: ScanResult) -> str:
    title = shorten(result.title, 48)
    return texts.INVENTORY_SCAN[result.outcome.value].format(
        accession=html.escape(result.accession[:40]),
        title=html.escape(title),
        status=texts.COPY_STATUS.get(result.status, result.status),
        reader=html.escape(result.reader_name),
        class_part=class_part(result.class_name),
        due=texts.format_date(result.due_on) if result.due_on else "—",
        seen_at=_when(context, result.seen_at) if result.seen_at else "—",
    )


def _fit(lines: list[str], footer: str) -> str:
    """Join lines under Telegram's limit, saying how many were left out."""
    kept: list[str] = []
    size = len(footer) + 40
    for line in lines:
        if size + len(line) + 1 > MESSAGE_LIMIT:
            kept.append(texts.INVENTORY_BATCH_MORE.format(count=len(lines) - len(kept)))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join([*kept, footer])


async def _record(
    update: Update,
    context: BotContext,
    session: SessionRecord,
    accessions: Sequence[str],
    *,
    leader: bool,
) -> None:
    """Record the accession numbers, then confirm each or sum the batch up."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and user is not None
    if len(accessions) > MAX_BATCH:
        await message.reply_text(
            texts.INVENTORY_BATCH_TOO_MANY.format(count=len(accessions), limit=MAX_BATCH)
        )
        return
    typed = await read_typed_list(context.db, accessions)
    if typed.ambiguous:
        question, choices = await candidates_message(
            context, typed.ambiguous, lambda copy: f"{PICK}:{session.id}:{copy.id}"
        )
        await message.reply_text(question, reply_markup=choices)
        if not typed.accessions:
            return
    accessions = typed.accessions
    results = await inventory.record_scans(context.db, session, accessions, user.id, context.now())
    seen, expected = await inventory.progress(context.db, session)
    footer = texts.INVENTORY_PROGRESS.format(seen=seen, expected=expected)
    markup = None
    if len(results) == 1:
        only = results[0]
        text = f"{_scan_line(context, only)}\n{footer}"
        if leader and only.copy_id is not None:
            markup = one_button(texts.BUTTON_INVENTORY_COPY_CARD, f"{COPY_CARD}:{only.copy_id}")
        await message.reply_text(text, reply_markup=markup)
        return
    recorded = sum(result.outcome in RECORDING for result in results)
    shown = [
        result
        for result in results
        if len(results) <= DETAILED_BATCH or result.outcome is not ScanOutcome.RECORDED
    ]
    header = texts.INVENTORY_BATCH_HEADER.format(recorded=recorded, total=len(results))
    lines = [header, *(_scan_line(context, result) for result in shown)]
    await message.reply_text(_fit(lines, footer))


async def record_copy_scan(update: Update, context: BotContext, accession: str) -> bool:
    """A copy's QR link scanned by someone in an open session: record it; False otherwise."""
    taking_part = await _session_of(update, context)
    if taking_part is None:
        return False
    session, leader = taking_part
    await _record(update, context, session, [accession], leader=leader)
    return True


async def pick_copy(update: Update, context: BotContext) -> None:
    """Record the copy chosen for a typed number that several copies carry."""
    query = update.callback_query
    assert query is not None and context.match is not None
    taking_part = await _session_of(update, context)
    if taking_part is None or taking_part[0].id != int(context.match[1]):
        await query.answer(texts.INVENTORY_CLOSED, show_alert=True)
        return
    copy = await catalog.get_copy(context.db, int(context.match[2]))
    await query.answer()
    if copy is not None:
        session, leader = taking_part
        await _record(update, context, session, [copy.accession], leader=leader)


async def scan_text(update: Update, context: BotContext) -> None:
    """Accession numbers typed by someone in a session: record them all at once."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if dialog_waiting(update, context, SESSION_GROUP):
        return
    taking_part = await _session_of(update, context)
    if taking_part is None:
        return
    session, leader = taking_part
    await _record(update, context, session, split_accessions(message.text), leader=leader)
    raise ApplicationHandlerStop


async def scan_photo(update: Update, context: BotContext) -> None:
    """A photo of labels from someone in a session: decode every code and record the copies."""
    message = update.effective_message
    assert message is not None
    if dialog_waiting(update, context, SESSION_GROUP):
        return
    taking_part = await _session_of(update, context)
    if taking_part is None:
        return
    session, leader = taking_part
    picture = message.photo[-1] if message.photo else message.document
    assert picture is not None
    if (picture.file_size or 0) > MAX_PHOTO_BYTES:
        await message.reply_text(texts.INVENTORY_PHOTO_TOO_BIG)
        raise ApplicationHandlerStop
    data = await (await context.bot.get_file(picture.file_id)).download_as_bytearray()
    codes = await asyncio.to_thread(read_codes, bytes(data))
    accessions = [a for a in (accession_from_code(code) for code in codes) if a is not None]
    if not codes:
        await message.reply_text(texts.INVENTORY_PHOTO_UNREADABLE)
    elif not accessions:
        await message.reply_text(texts.INVENTORY_PHOTO_NOT_LABEL)
    else:
        await _record(update, context, session, accessions, leader=leader)
    raise ApplicationHandlerStop


async def _open_session_from(update: Update, context: BotContext) -> SessionRecord | None:
    """The open session a button names; a closed one is answered kindly."""
    query = update.callback_query
    assert query is not None and context.match is not None
    session = await inventory.get_session(context.db, int(context.match[1]))
    if session is None or session.state != "open":
        await query.answer(texts.INVENTORY_CLOSED, show_alert=True)
        return None
    return session


async def refresh(update: Update, context: BotContext) -> None:
    """Redraw the session card with the current counts."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    leader = may(identity, Action.INVENTORY)
    session = await inventory.get_session(context.db, int(context.match[1]))
    if not leader and (
        session is None or not await inventory.is_helper(context.db, session.id, identity.user_id)
    ):
        await context.refuse(update, "inventory")
        return
    if session is None or session.state != "open":
        await query.answer(texts.INVENTORY_CLOSED, show_alert=True)
        return
    await query.answer()
    text, markup = await _card(context, session, leader=leader)
    if isinstance(query.message, Message):
        # Pressed twice with nothing scanned in between, the edit changes nothing: the one
        # error handler answers that quietly.
        await query.message.edit_text(text, reply_markup=markup)


async def ask_end(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm ending the session."""
    await _ask(
        update, context, texts.INVENTORY_ASK_END, texts.BUTTON_INVENTORY_CONFIRM_END, CONFIRM_END
    )


async def ask_cancel(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm dropping the session."""
    await _ask(
        update,
        context,
        texts.INVENTORY_ASK_CANCEL,
        texts.BUTTON_INVENTORY_CONFIRM_CANCEL,
        CONFIRM_CANCEL,
    )


async def _ask(
    update: Update, context: BotContext, template: str, label: str, prefix: str
) -> None:
    query = update.callback_query
    assert query is not None
    if not await _leader(update, context):
        return
    session = await _open_session_from(update, context)
    if session is None:
        return
    await query.answer()
    seen, _ = await inventory.progress(context.db, session)
    counts = await inventory.live_tally(context.db, session)
    if isinstance(query.message, Message):
        await query.message.reply_text(
            template.format(
                number=session.id,
                seen=seen,
                missing=counts[Finding.MISSING],
                away=counts[Finding.AWAY],
            ),
            reply_markup=_confirm(label, f"{prefix}:{session.id}"),
        )


def _confirm(label: str, data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=data),
                InlineKeyboardButton(texts.BUTTON_CANCEL, callback_data=KEEP),
            ]
        ]
    )


async def keep(update: Update, context: BotContext) -> None:
    """Leave a confirm step (end, drop, write off) without doing anything."""
    query = update.callback_query
    assert query is not None
    if not await _leader(update, context):
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(texts.CONFIRM_DROPPED)


async def _close(
    update: Update,
    context: BotContext,
    close: Callable[[Database, int, int, datetime, dict[str, Any]], Awaitable[bool]],
    verb: str,
) -> int | None:
    """Close the session a confirmed button names and tell its team; its id, or None."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _leader(update, context):
        return None
    session_id = int(context.match[1])
    notice = push_message(texts.INVENTORY_HELPER_CLOSED.format(number=session_id))
    user_id = query.from_user.id
    if not await close(context.db, session_id, user_id, context.now(), notice):
        await query.answer(texts.INVENTORY_CLOSED, show_alert=True)
        return None
    log.info("user %s %s inventory session %s", user_id, verb, session_id)
    context.bot_data.delivery.notify()
    await query.answer()
    return session_id


async def confirm_cancel(update: Update, context: BotContext) -> None:
    """Drop the session after confirmation; the team is told."""
    query = update.callback_query
    assert query is not None
    session_id = await _close(update, context, inventory.cancel_session, "cancelled")
    if session_id is not None and isinstance(query.message, Message):
        await query.message.edit_text(texts.INVENTORY_CANCELLED.format(number=session_id))


async def confirm_end(update: Update, context: BotContext) -> None:
    """End the session after confirmation: freeze the findings, send the text and the workbook."""
    query = update.callback_query
    assert query is not None
    session_id = await _close(update, context, inventory.end_session, "ended")
    if session_id is not None and isinstance(query.message, Message):
        await remove_buttons(query.message)
        await _send_report(query.message.chat.id, context, session_id)


async def _send_report(chat_id: int, context: BotContext, session_id: int) -> None:
    session = await inventory.get_session(context.db, session_id)
    assert session is not None and session.closed_at is not None
    lines = await inventory.report(context.db, session_id)
    counts = {finding: 0 for finding in Finding}
    for line in lines:
        counts[line.finding] += 1
    on_loan = sum(1 for line in lines if line.finding is Finding.FOUND and line.reader_name)
    missing = [line.accession for line in lines if line.finding is Finding.MISSING]
    text = texts.INVENTORY_REPORT.format(
        number=session.id,
        scope=_scope_text(session.scope),
        started=_when(context, session.started_at),
        ended=_when(context, session.closed_at),
        found=counts[Finding.FOUND],
        found_on_loan=texts.INVENTORY_FOUND_ON_LOAN.format(count=on_loan) if on_loan else "",
        missing=counts[Finding.MISSING],
        written_off=counts[Finding.SEEN_WRITTEN_OFF],
        away=counts[Finding.AWAY],
        total=len(lines),
    )
    if missing:
        listed = ", ".join(html.escape(a) for a in missing[:MISSING_LISTED])
        if len(missing) > MISSING_LISTED:
            listed += texts.INVENTORY_MORE.format(count=len(missing) - MISSING_LISTED)
        text += texts.INVENTORY_MISSING_LIST.format(accessions=listed)
    if counts[Finding.AWAY]:
        text += texts.INVENTORY_AWAY_NOTE.format(away=counts[Finding.AWAY])
    write_offs = write_off_tally(await inventory.missing_standing(context.db, session.id))
    markable = await inventory.markable_missing(context.db, session.id)
    if markable != counts[Finding.MISSING]:
        reasons = [
            texts.INVENTORY_GAP_REASONS[kind.value].format(count=write_offs[kind])
            for kind in (WriteOff.HELD, WriteOff.LENT, WriteOff.CHANGED)
            if write_offs[kind]
        ]
        text += texts.INVENTORY_WRITE_OFF_GAP.format(
            markable=markable, missing=counts[Finding.MISSING], reasons="; ".join(reasons)
        )
    markup = None
    if markable:
        label = texts.BUTTON_INVENTORY_MARK_LOST.format(count=markable)
        markup = one_button(label, f"{LOST}:{session.id}")
    await context.bot.send_message(chat_id, text, reply_markup=markup)
    team = [
        session.starter_name,
        *(h.name for h in await inventory.helpers(context.db, session.id)),
    ]
    # openpyxl loads on the first report, not at start: it is a large part of the bot's memory.
    from bot.inventory_workbook import InventoryDocument, file_name, inventory_workbook

    document = InventoryDocument(
        session=session,
        lines=lines,
        school=context.config.library.school,
        library=context.config.library.name,
        team=team,
        zone=context.config.library.timezone,
    )
    workbook = await asyncio.to_thread(inventory_workbook, document)
    await context.bot.send_document(
        chat_id,
        document=workbook,
        filename=file_name(session, context.config.library.timezone),
        caption=texts.INVENTORY_REPORT_CAPTION.format(
            number=session.id, scope=_scope_text(session.scope)
        ),
    )


async def ask_lost(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm marking the session's missing copies lost."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _leader(update, context):
        return
    session = await inventory.get_session(context.db, int(context.match[1]))
    if session is None or session.state != "ended":
        await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
        return
    if session.lost_marked is not None:
        await query.answer(texts.INVENTORY_LOST_DONE, show_alert=True)
        return
    count = await inventory.markable_missing(context.db, session.id)
    if not count:
        await query.answer(texts.INVENTORY_LOST_NONE, show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        label = texts.BUTTON_INVENTORY_CONFIRM_LOST.format(count=count)
        await query.message.reply_text(
            texts.INVENTORY_ASK_LOST.format(count=count, number=session.id),
            reply_markup=_confirm(label, f"{CONFIRM_LOST}:{session.id}"),
        )


async def confirm_lost(update: Update, context: BotContext) -> None:
    """Mark the missing copies lost, in one transaction, and say how many."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _leader(update, context):
        return
    session_id = int(context.match[1])
    now = context.now()
    note = texts.INVENTORY_LOST_NOTE.format(number=session_id, day=texts.format_date(now.date()))
    outcome = await inventory.mark_missing_lost(context.db, session_id, now, note)
    if outcome is None:
        await query.answer(texts.INVENTORY_LOST_DONE, show_alert=True)
        return
    marked, skipped = outcome
    log.info(
        "user %s marked %s copies lost (inventory %s)", query.from_user.id, marked, session_id
    )
    await query.answer()
    text = texts.INVENTORY_LOST_MARKED.format(marked=marked, number=session_id)
    if skipped:
        text += texts.INVENTORY_LOST_SKIPPED.format(skipped=skipped)
    if isinstance(query.message, Message):
        await query.message.edit_text(text)


async def show_copy_card(update: Update, context: BotContext) -> None:
    """Open the desk card of a copy scanned during a session."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not may(await context.identity(update), Action.DESK):
        await context.refuse(update, "desk")
        return
    copy = await catalog.get_copy(context.db, int(context.match[1]))
    await query.answer()
    if copy is not None and isinstance(query.message, Message):
        text, markup = await copy_card(context, copy)
        await query.message.reply_text(text, reply_markup=markup)


def handlers() -> list[BaseHandler]:
    """The /kiemke command and the session's buttons."""
    return [
        CommandHandler("kiemke", inventory_command, filters.ChatType.PRIVATE),
        CallbackQueryHandler(refresh, pattern=rf"^{REFRESH}:(\d{{1,12}})$"),
        CallbackQueryHandler(ask_end, pattern=rf"^{END}:(\d{{1,12}})$"),
        CallbackQueryHandler(confirm_end, pattern=rf"^{CONFIRM_END}:(\d{{1,12}})$"),
        CallbackQueryHandler(ask_cancel, pattern=rf"^{CANCEL}:(\d{{1,12}})$"),
        CallbackQueryHandler(confirm_cancel, pattern=rf"^{CONFIRM_CANCEL}:(\d{{1,12}})$"),
        CallbackQueryHandler(ask_lost, pattern=rf"^{LOST}:(\d{{1,12}})$"),
        CallbackQueryHandler(confirm_lost, pattern=rf"^{CONFIRM_LOST}:(\d{{1,12}})$"),
        CallbackQueryHandler(show_copy_card, pattern=rf"^{COPY_CARD}:(\d{{1,12}})$"),
        CallbackQueryHandler(keep, pattern=rf"^{KEEP}$"),
        CallbackQueryHandler(pick_copy, pattern=rf"^{PICK}:(\d{{1,12}}):(\d{{1,12}})$"),
    ]


def session_handlers() -> list[BaseHandler]:
    """Scans by text and photo; register in SESSION_GROUP, before every other feature."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    return [
        MessageHandler(typed_accessions(), scan_text),
        MessageHandler(private & (filters.PHOTO | filters.Document.IMAGE), scan_photo),
    ]
