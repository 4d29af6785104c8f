"""Reading-room visits: the desk QR (/start visit) and walk-ins counted by class (/luotdoc)."""

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import texts
from bot.context import BotContext
from bot.core.figures import PeriodError, parse_day, walk_in_class, walk_in_visitors
from bot.core.roles import Action, may
from bot.core.textfold import fold
from db import visits

UNDO = "lh"
_SHOWN_INPUT = 30


async def record_desk_visit(update: Update, context: BotContext) -> None:
    """Count a linked reader's visit today; anyone else is asked to link their card first."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    if identity.reader_id is None:
        await message.reply_text(texts.VISIT_NOT_LINKED)
        return
    now = context.now()
    outcome = await visits.record_visit(context.db, identity.reader_id, now.date(), now)
    template = (
        texts.VISIT_COUNTED if outcome is visits.VisitOutcome.COUNTED else texts.VISIT_ALREADY
    )
    await message.reply_text(
        template.format(name=html.escape(identity.reader_name), day=texts.format_date(now.date()))
    )


def _shown(value: str) -> str:
    return html.escape(value[:_SHOWN_INPUT] + ("…" if len(value) > _SHOWN_INPUT else ""))


async def count_walk_ins(update: Update, context: BotContext) -> None:
    """Record readers without an account that a class sent to the library: /luotdoc 6A 12."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    if not may(identity, Action.COUNT_VISITS):
        await context.refuse(update, "count_visits")
        return
    args = context.args or []
    # "/luotdoc lớp 6A 12" reads as naturally as "/luotdoc 6A 12".
    if args and fold(args[0]) == "lop":
        args = args[1:]
    if len(args) not in (2, 3):
        await message.reply_text(texts.WALK_INS_USAGE)
        return
    class_name = walk_in_class(args[0], await visits.reader_class_names(context.db))
    if class_name is None:
        await message.reply_text(texts.WALK_INS_BAD_CLASS.format(value=_shown(args[0])))
        return
    visitors = walk_in_visitors(args[1])
    if visitors is None:
        await message.reply_text(texts.WALK_INS_BAD_NUMBER)
        return
    now = context.now()
    day = now.date()
    if len(args) == 3:
        try:
            day = parse_day(args[2], now.date())
        except PeriodError as error:
            if error.code == "format":
                await message.reply_text(texts.WALK_INS_BAD_DATE.format(value=_shown(args[2])))
            else:
                template = (
                    texts.WALK_INS_FUTURE if error.code == "future" else (texts.WALK_INS_TOO_OLD)
                )
                await message.reply_text(template.format(day=_shown(args[2])))
            return
    counted = await visits.add_walk_ins(
        context.db, class_name, visitors, day, identity.user_id, now
    )
    total = await visits.walk_ins_on(context.db, day)
    await message.reply_text(
        texts.WALK_INS_RECORDED.format(
            visitors=visitors,
            class_name=html.escape(class_name),
            day=texts.format_date(day),
            total=total,
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        texts.BUTTON_UNDO_WALK_INS, callback_data=f"{UNDO}:{counted.id}"
                    )
                ]
            ]
        ),
    )


async def undo_walk_ins(update: Update, context: BotContext) -> None:
    """Take back a walk-in count from its Hoàn tác button."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not may(await context.identity(update), Action.COUNT_VISITS):
        await context.refuse(update, "count_visits")
        return
    undone = await visits.undo_walk_ins(context.db, int(context.match[1]))
    if undone is None:
        await query.answer(texts.WALK_INS_GONE, show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            texts.WALK_INS_UNDONE.format(
                visitors=undone.visitors,
                class_name=html.escape(undone.class_name),
                day=texts.format_date(undone.day),
            )
        )


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("luotdoc", count_walk_ins),
        CallbackQueryHandler(undo_walk_ins, pattern=rf"^{UNDO}:(\d{{1,12}})$"),
    ]
