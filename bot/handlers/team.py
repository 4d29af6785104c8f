"""The collaborator team: /hopctv, Có mặt / Vắng, the librarian's changes, /lichtruc."""

import html
import logging
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import texts
from bot.context import BotContext
from bot.core import team as rules
from bot.core.calendar import WEEKDAY_NAMES
from bot.core.roles import Action, Identity, may
from bot.handlers.common import permitted
from bot.handlers.dialogs import DIALOG_TIMEOUT, dialog
from bot.jobs import team as notices
from bot.jobs.team import ABSENT, ANSWER, PRESENT
from bot.services.roster import roster_weeks
from db import team as team_db
from db.team import Meeting

log = logging.getLogger(__name__)

EDIT, MOVE, CANCEL, CANCEL_YES, CANCEL_NO = "edit", "move", "cancel", "cancelok", "keep"
TYPING_AGENDA, TYPING_TIME = range(2)
ROSTER_WEEKS = 4
EDITED = "team_meeting"
ANSWERS = {PRESENT: team_db.PRESENT, ABSENT: team_db.ABSENT}


def _markup(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _time_example(meeting: Meeting) -> str:
    return f"{meeting.day:%d/%m} {meeting.at:%H:%M}"


async def _meeting_ahead(context: BotContext, meeting_id: int) -> Meeting | str:
    """The meeting if it can still change or be answered; else the answer to show."""
    meeting = await team_db.get_meeting(context.db, meeting_id)
    if meeting is None:
        return texts.BUTTON_EXPIRED
    if meeting.status == team_db.CANCELLED:
        return texts.TEAM_MEETING_CANCELLED
    start = notices.as_planned(meeting).start(context.config.library.timezone)
    if start <= context.now():
        return texts.TEAM_MEETING_OVER
    return meeting


async def _view(context: BotContext, identity: Identity, meeting: Meeting) -> str:
    """The meeting as /hopctv shows it; the librarian also sees the answers so far."""
    settings = notices.settings_of(context.config)
    text = notices.meeting_text("view", notices.as_planned(meeting), settings)
    if may(identity, Action.MANAGE_TEAM):
        team = await team_db.members(context.db)
        counts = notices.answer_counts(team, await team_db.answers_of(context.db, meeting.id))
        text += texts.TEAM_VIEW_ANSWERS.format(**counts)
    return text


async def show_meeting(update: Update, context: BotContext) -> None:
    """Show the next meeting: to a member with Có mặt / Vắng, to the librarian with changes."""
    message = update.effective_message
    assert message is not None
    identity = await context.identity(update)
    if not may(identity, Action.SEE_TEAM):
        await context.refuse(update, "see_team")
        return
    now = context.now()
    planned = await notices.upcoming_meeting(context.bot_data, now)
    if planned is None:
        await message.reply_text(texts.TEAM_NO_MEETING)
        return
    meeting = await notices.write_down(context.bot_data, planned, now)
    private = message.chat.type == ChatType.PRIVATE
    rows: list[list[tuple[str, str]]] = []
    if may(identity, Action.ANSWER_MEETING):
        rows.append(notices.answer_buttons(meeting.id))
    if private and may(identity, Action.MANAGE_TEAM):
        rows.append(
            [
                (texts.BUTTON_TEAM_EDIT, f"{ANSWER}:{EDIT}:{meeting.id}"),
                (texts.BUTTON_TEAM_MOVE, f"{ANSWER}:{MOVE}:{meeting.id}"),
            ]
        )
        rows.append([(texts.BUTTON_TEAM_CANCEL, f"{ANSWER}:{CANCEL}:{meeting.id}")])
    text = await _view(context, identity, meeting)
    await message.reply_text(text, reply_markup=_markup(rows))


async def answer(update: Update, context: BotContext) -> None:
    """Record a member's own Có mặt / Vắng; a second tap changes it."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.ANSWER_MEETING) or identity.account_id is None:
        await context.refuse(update, "answer_meeting")
        return
    found = await _meeting_ahead(context, int(context.match[2]))
    if isinstance(found, str):
        await query.answer(found, show_alert=True)
        return
    chosen = ANSWERS[context.match[1]]
    before = await team_db.record_answer(
        context.db, found.id, identity.account_id, chosen, context.now()
    )
    log.info("account %s answers %s to meeting %s", identity.account_id, chosen, found.id)
    changed = before is not None and before != chosen
    await query.answer((texts.TEAM_ANSWER_CHANGED if changed else texts.TEAM_ANSWER_SAVED)[chosen])


async def _librarian_meeting(update: Update, context: BotContext) -> Meeting | None:
    """For a librarian's button: the meeting it names, if it can still change."""
    query = update.callback_query
    assert query is not None and context.match is not None
    if not await _manager(update, context):
        return None
    found = await _meeting_ahead(context, int(context.match[1]))
    if isinstance(found, str):
        await query.answer(found, show_alert=True)
        return None
    await query.answer()
    return found


async def _ask_change(
    update: Update, context: BotContext, question: Callable[[Meeting], str], state: int
) -> int:
    """Ask the librarian the question about the meeting a button names and wait in state."""
    meeting = await _librarian_meeting(update, context)
    chat = update.effective_chat
    if meeting is None or chat is None or context.user_data is None:
        return ConversationHandler.END
    context.user_data[EDITED] = meeting.id
    await context.bot.send_message(chat.id, question(meeting))
    return state


async def ask_agenda(update: Update, context: BotContext) -> int:
    """Ask the librarian for the meeting's new agenda."""
    return await _ask_change(
        update,
        context,
        lambda meeting: texts.TEAM_ASK_AGENDA.format(
            day=texts.format_date(meeting.day), limit=rules.AGENDA_LIMIT
        ),
        TYPING_AGENDA,
    )


async def ask_time(update: Update, context: BotContext) -> int:
    """Ask the librarian for the meeting's new day and time."""
    return await _ask_change(
        update,
        context,
        lambda meeting: texts.TEAM_ASK_TIME.format(example=_time_example(meeting)),
        TYPING_TIME,
    )


async def _manager(update: Update, context: BotContext) -> bool:
    """True for a librarian; anyone else is refused and logged."""
    return await permitted(update, context, Action.MANAGE_TEAM, "manage_team")


async def _edited_meeting(update: Update, context: BotContext) -> Meeting | None:
    """The meeting the librarian is changing, if it still can be; the dialog ends either way."""
    message = update.effective_message
    assert message is not None
    meeting_id = (context.user_data or {}).pop(EDITED, None)
    found = await _meeting_ahead(context, meeting_id) if meeting_id else texts.BUTTON_EXPIRED
    if isinstance(found, str):
        await message.reply_text(found)
        return None
    return found


async def save_agenda(update: Update, context: BotContext) -> int:
    """Replace the meeting's agenda with the librarian's message."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None
    if not await _manager(update, context):
        return ConversationHandler.END
    agenda = rules.check_agenda(message.text)
    if agenda is None:
        await message.reply_text(
            texts.TEAM_AGENDA_BAD.format(
                limit=rules.AGENDA_LIMIT, length=rules.telegram_length(message.text)
            )
        )
        return TYPING_AGENDA
    meeting = await _edited_meeting(update, context)
    if meeting is None:
        return ConversationHandler.END
    saved = await team_db.set_agenda(context.db, meeting.id, agenda, user.id, context.now())
    if saved is None:
        await message.reply_text(texts.TEAM_MEETING_CANCELLED)
        return ConversationHandler.END
    log.info("meeting %s: agenda changed by %s", saved.id, user.id)
    await message.reply_text(texts.TEAM_AGENDA_SAVED.format(day=texts.format_date(saved.day)))
    return ConversationHandler.END


async def save_time(update: Update, context: BotContext) -> int:
    """Move the meeting to the day and time the librarian typed."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None
    if not await _manager(update, context):
        return ConversationHandler.END
    now = context.now()
    moment = rules.parse_new_time(message.text[:100], now)
    if isinstance(moment, rules.MoveProblem):
        meeting_id = (context.user_data or {}).get(EDITED)
        stored = await team_db.get_meeting(context.db, meeting_id) if meeting_id else None
        if stored is None:
            await message.reply_text(texts.BUTTON_EXPIRED)
            return ConversationHandler.END
        problem = texts.TEAM_TIME_BAD[moment.value]
        await message.reply_text(problem.format(example=_time_example(stored)))
        return TYPING_TIME
    meeting = await _edited_meeting(update, context)
    if meeting is None:
        return ConversationHandler.END
    change = await notices.move_meeting(context.bot_data, meeting.id, moment, user.id, now)
    if change is None:
        await message.reply_text(texts.TEAM_MEETING_OVER)
        return ConversationHandler.END
    moved = change.meeting
    log.info("meeting %s moved to %s %s by %s", moved.id, moved.day, moved.at, user.id)
    reply = texts.TEAM_MOVED.format(**notices.when_parts(moved.day, moved.at))
    if change.told:
        reply += texts.TEAM_MOVED_TOLD
    reason = context.config.calendar.closed_reason(moved.day)
    if reason is not None:
        reply += texts.TEAM_MOVED_CLOSED.format(reason=html.escape(reason))
    await message.reply_text(reply)
    notices.run_soon(context)
    return ConversationHandler.END


async def leave_dialog(update: Update, context: BotContext) -> int:
    """Leave the meeting change without changing anything."""
    message = update.effective_message
    if context.user_data is not None:
        context.user_data.pop(EDITED, None)
    if message is not None:
        await message.reply_text(texts.CANCELLED_DIALOG)
    return ConversationHandler.END


async def ask_cancel(update: Update, context: BotContext) -> None:
    """Ask the librarian to confirm cancelling the meeting."""
    meeting = await _librarian_meeting(update, context)
    chat = update.effective_chat
    if meeting is None or chat is None:
        return
    rows = [
        [
            (texts.BUTTON_TEAM_CANCEL_YES, f"{ANSWER}:{CANCEL_YES}:{meeting.id}"),
            (texts.BUTTON_TEAM_CANCEL_NO, f"{ANSWER}:{CANCEL_NO}:{meeting.id}"),
        ]
    ]
    await context.bot.send_message(
        chat.id,
        texts.TEAM_ASK_CANCEL.format(**notices.when_parts(meeting.day, meeting.at)),
        reply_markup=_markup(rows),
    )


async def confirm_cancel(update: Update, context: BotContext) -> None:
    """Cancel the meeting (members already told are told it is off), or keep it."""
    query = update.callback_query
    assert query is not None and context.match is not None
    identity = await context.identity(update)
    if not may(identity, Action.MANAGE_TEAM):
        await context.refuse(update, "manage_team")
        return
    if context.match[1] == CANCEL_NO:
        await query.answer()
        await _replace(query.message, texts.TEAM_CANCEL_KEPT)
        return
    change = await notices.cancel_meeting(
        context.bot_data, int(context.match[2]), identity.user_id, context.now()
    )
    if change is None:
        await query.answer(texts.TEAM_MEETING_OVER, show_alert=True)
        return
    await query.answer()
    log.info("meeting %s cancelled by %s", change.meeting.id, identity.user_id)
    note = texts.TEAM_CANCEL_DONE.format(day=texts.format_date(change.meeting.day))
    await _replace(query.message, note + (texts.TEAM_CANCEL_TOLD if change.told else ""))
    notices.run_soon(context)


async def _replace(message: object, text: str) -> None:
    if isinstance(message, Message):
        await message.edit_text(text)


def roster_text(weeks: list[rules.RosterWeek], has_members: bool) -> str:
    """The coming clean-up days with who is on duty, or why nobody is."""
    lines = [texts.TEAM_ROSTER_HEADER.format(weeks=len(weeks))]
    for week in weeks:
        parts = {"weekday": WEEKDAY_NAMES[week.day.weekday()]}
        parts["day"] = texts.format_date(week.day)
        if week.closed_reason is not None:
            lines.append(
                texts.TEAM_ROSTER_CLOSED.format(reason=html.escape(week.closed_reason), **parts)
            )
            continue
        names = ", ".join(f"<b>{html.escape(member.name)}</b>" for member in week.on_duty)
        lines.append(
            texts.TEAM_ROSTER_LINE.format(names=names or texts.TEAM_ROSTER_NOBODY, **parts)
        )
    lines.append(texts.TEAM_ROSTER_FOOTER if has_members else texts.TEAM_NO_MEMBERS)
    return "\n".join(lines)


async def show_roster(update: Update, context: BotContext) -> None:
    """Show who cleans the library on each of the coming clean-up days."""
    message = update.effective_message
    assert message is not None
    if not may(await context.identity(update), Action.SEE_TEAM):
        await context.refuse(update, "see_team")
        return
    team = await team_db.members(context.db)
    weeks = await roster_weeks(
        context.db, context.config, context.now().date(), ROSTER_WEEKS, team
    )
    await message.reply_text(roster_text(weeks, bool(team)))


def _editing_dialog() -> ConversationHandler:
    prefix = rf"^{ANSWER}:"
    return dialog(
        entry_points=[
            CallbackQueryHandler(ask_agenda, pattern=rf"{prefix}{EDIT}:(\d{{1,12}})$"),
            CallbackQueryHandler(ask_time, pattern=rf"{prefix}{MOVE}:(\d{{1,12}})$"),
        ],
        states={
            TYPING_AGENDA: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_agenda)],
            TYPING_TIME: [MessageHandler(filters.TEXT & ~filters.COMMAND, save_time)],
        },
        fallbacks=[CommandHandler("huy", leave_dialog)],
        name="team_meeting",
        conversation_timeout=DIALOG_TIMEOUT,
    )


def handlers() -> list[BaseHandler]:
    """The team's commands, buttons and the librarian's dialog, in the order they are tried."""
    editing = _editing_dialog()
    return [
        editing,
        CommandHandler("hopctv", show_meeting),
        CommandHandler("lichtruc", show_roster),
        CallbackQueryHandler(answer, pattern=rf"^{ANSWER}:({PRESENT}|{ABSENT}):(\d{{1,12}})$"),
        CallbackQueryHandler(ask_cancel, pattern=rf"^{ANSWER}:{CANCEL}:(\d{{1,12}})$"),
        CallbackQueryHandler(
            confirm_cancel, pattern=rf"^{ANSWER}:({CANCEL_YES}|{CANCEL_NO}):(\d{{1,12}})$"
        ),
    ]
