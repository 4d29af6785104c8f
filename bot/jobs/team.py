"""The collaborator team's push messages: meeting notices, the roll call, the clean-up roster.

One job, named ``team``, does whatever is due at the moment it runs and then plans its next
run from the meetings in the database and the rules of ``bot.core.team``; it runs once at
start-up, which both catches up on what a stop missed and rebuilds the schedule. Every
message goes through the outbox under a unique key (``meeting:<id>:<step>:<chat>``,
``roster:<iso-week>:<chat>``), and a meeting records the last step it sent, so running the job
twice sends nothing twice. The roster names who was written down for the day when it was
announced (``bot.services.roster``).
"""

import html
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite
from telegram.ext import JobQueue

from bot import texts
from bot.circulation import message
from bot.config import Config
from bot.context import AppState, BotApplication, BotContext
from bot.core import team as rules
from bot.core.calendar import WEEKDAY_NAMES
from bot.core.team import Member, Step, TeamSettings
from bot.services.roster import roster_weeks
from db import accounts, groups, outbox
from db import team as team_db
from db.outbox import NewMessage
from db.team import Meeting

log = logging.getLogger(__name__)

JOB_NAME = "team"
ANSWER = "tm"
PRESENT, ABSENT = "in", "out"
# Names listed per answer in the roll call, so that it stays one message whatever the team.
ROLL_NAMES = 40
# A job woken a little late still finds its moment reached.
WAKE_MARGIN = timedelta(seconds=1)


def settings_of(config: Config) -> TeamSettings:
    """The [team] settings of the configuration."""
    return config.team


@dataclass(frozen=True)
class Planned:
    """A month's meeting as it stands: stored, or (meeting None) what the rule says."""

    month: str
    day: date
    at: time
    agenda: str
    meeting: Meeting | None = None

    def start(self, zone: ZoneInfo) -> datetime:
        """When the meeting begins, in the library's time zone."""
        return datetime.combine(self.day, self.at, zone)


def _months(today: date, before: int, after: int) -> list[tuple[int, int]]:
    current = (today.year, today.month)
    found = [current]
    for _ in range(before):
        found.insert(0, rules.previous_month(*found[0]))
    for _ in range(after):
        found.append(rules.following_month(*found[-1]))
    return found


async def month_meeting(state: AppState, year: int, month: int) -> Planned | None:
    """The month's meeting unless it is cancelled or the library is closed all month long."""
    key = rules.month_key(year, month)
    stored = await team_db.meeting_of_month(state.db, key)
    if stored is not None:
        if stored.status == team_db.CANCELLED:
            return None
        return Planned(key, stored.day, stored.at, stored.agenda, stored)
    settings = settings_of(state.config)
    day = rules.meeting_day(year, month, settings, state.config.calendar)
    if day is None:
        return None
    return Planned(key, day, settings.meeting_time, rules.default_agenda(month))


async def upcoming_meeting(state: AppState, now: datetime) -> Planned | None:
    """The next meeting that has not begun yet (a moved one may come before another month's)."""
    zone = state.config.library.timezone
    ahead = []
    for year, month in _months(now.date(), 1, 2):
        planned = await month_meeting(state, year, month)
        if planned is not None and planned.start(zone) > now:
            ahead.append(planned)
    return min(ahead, key=lambda planned: planned.start(zone), default=None)


async def write_down(state: AppState, planned: Planned, now: datetime) -> Meeting:
    """Store a meeting the rule planned (a stored one is returned as it is now)."""
    async with state.db.transaction() as conn:
        return await team_db.ensure_meeting(
            conn, planned.month, planned.day, planned.at, planned.agenda, now
        )


# --- rendering ----------------------------------------------------------------------------------


def when_parts(day: date, at: time) -> dict[str, str]:
    """The weekday, date and time of a meeting as the texts show them."""
    return {
        "weekday": WEEKDAY_NAMES[day.weekday()],
        "day": texts.format_date(day),
        "at": at.strftime("%H:%M"),
    }


def meeting_text(header: str, planned: Planned, settings: TeamSettings) -> str:
    """A meeting's time, place and agenda under one of the TEAM_HEADERS."""
    return texts.TEAM_MEETING.format(
        header=texts.TEAM_HEADERS[header].format(month=int(planned.month[5:])),
        place=html.escape(settings.meeting_place),
        agenda=html.escape(planned.agenda),
        **when_parts(planned.day, planned.at),
    )


def answer_buttons(meeting_id: int) -> list[tuple[str, str]]:
    """The Có mặt / Vắng row under a meeting notice."""
    return [
        (texts.BUTTON_TEAM_PRESENT, f"{ANSWER}:{PRESENT}:{meeting_id}"),
        (texts.BUTTON_TEAM_ABSENT, f"{ANSWER}:{ABSENT}:{meeting_id}"),
    ]


def as_planned(meeting: Meeting) -> Planned:
    """A stored meeting seen as planned."""
    return Planned(meeting.month, meeting.day, meeting.at, meeting.agenda, meeting)


def _team_chats(team: list[Member], group_chats: list[int]) -> list[int]:
    """The team's groups, then each reachable member's private chat."""
    private = [member.chat_id for member in team if member.chat_id is not None]
    return list(dict.fromkeys([*group_chats, *private]))


def _notices(
    meeting: Meeting, token: str, text: str, chats: list[int], buttons: bool
) -> list[NewMessage]:
    rows = [[*answer_buttons(meeting.id)]] if buttons else None
    return [
        NewMessage(f"meeting:{meeting.id}:{token}:{chat}", chat, message(text, rows))
        for chat in chats
    ]


def roll_text(meeting: Meeting, team: list[Member], given: dict[int, str]) -> str:
    """The attendance list: present, absent, no answer, names in rotation order."""
    ordered = sorted(team, key=lambda member: rules.rotation_key(member.account_id, member.name))
    lines = [texts.TEAM_ROLL_HEADER.format(**when_parts(meeting.day, meeting.at))]
    for answer, label in texts.TEAM_ROLL_LABELS.items():
        names = [
            html.escape(member.name)
            for member in ordered
            if given.get(member.account_id, "none") == answer
        ]
        shown = ", ".join(names[:ROLL_NAMES]) if names else texts.TEAM_ROLL_NOBODY
        if len(names) > ROLL_NAMES:
            shown += texts.TEAM_ROLL_MORE.format(count=len(names) - ROLL_NAMES)
        lines.append(texts.TEAM_ROLL_GROUP.format(label=label, count=len(names), names=shown))
    return "".join(lines)


def answer_counts(team: list[Member], given: dict[int, str]) -> dict[str, int]:
    """How many members answered present, absent, or nothing yet."""
    counts = dict.fromkeys(texts.TEAM_ROLL_LABELS, 0)
    for member in team:
        counts[given.get(member.account_id, "none")] += 1
    return counts


# --- what is due now ----------------------------------------------------------------------------


async def _meeting_step(
    state: AppState, planned: Planned, now: datetime, team: list[Member], group_chats: list[int]
) -> int:
    settings = settings_of(state.config)
    zone = state.config.library.timezone
    async with state.db.transaction() as conn:
        meeting = await team_db.ensure_meeting(
            conn, planned.month, planned.day, planned.at, planned.agenda, now
        )
        step = rules.due_step(as_planned(meeting).start(zone), settings, now)
        if meeting.status != team_db.PLANNED or step is None or step <= meeting.notified:
            return 0
        token = rules.step_token(step, meeting.revision)
        if step is Step.START:
            rows = await _roll_call(state, conn, meeting, token, team)
        else:
            header = "before" if step is Step.BEFORE else "morning"
            text = meeting_text(header, as_planned(meeting), settings) + texts.TEAM_ASK_ANSWER
            rows = _notices(meeting, token, text, _team_chats(team, group_chats), buttons=True)
        added = await outbox.enqueue_many(conn, rows)
        await team_db.mark_notified(conn, meeting.id, step)
    log.info("meeting %s: step %s, %d messages", meeting.id, token, added)
    return added


async def _roll_call(
    state: AppState, conn: aiosqlite.Connection, meeting: Meeting, token: str, team: list[Member]
) -> list[NewMessage]:
    if not team:
        return []
    text = roll_text(meeting, team, await team_db.answers(conn, meeting.id))
    librarians = await accounts.librarian_chats(conn, state.config.library.librarians)
    return _notices(meeting, token, text, librarians, buttons=False)


async def _roster(
    state: AppState, now: datetime, team: list[Member], group_chats: list[int]
) -> int:
    settings = settings_of(state.config)
    day = rules.roster_due_day(now, settings)
    if day is None or not team or not state.config.calendar.is_open(day):
        return 0
    week = rules.week_key(day)
    # The day was written down when /lichtruc showed it, or is now: its post names the same.
    await roster_weeks(state.db, state.config, day, 1, team)
    chats = {member.account_id: member.chat_id for member in team}
    async with state.db.transaction() as conn:
        on_duty = await team_db.week_duties(conn, week)
        parts = {"weekday": WEEKDAY_NAMES[day.weekday()], "day": texts.format_date(day)}
        names = ", ".join(f"<b>{html.escape(duty.name)}</b>" for duty in on_duty)
        rows = [
            NewMessage(
                f"roster:{week}:{chat}",
                chat,
                message(texts.TEAM_ROSTER_POST.format(names=names, **parts)),
            )
            for chat in group_chats
        ]
        for duty in on_duty:
            chat = chats.get(duty.account_id)
            if chat is not None:
                text = texts.TEAM_ROSTER_PRIVATE.format(name=html.escape(duty.name), **parts)
                rows.append(NewMessage(f"roster:{week}:{chat}", chat, message(text)))
        added = await outbox.enqueue_many(conn, rows)
    if added:
        log.info("roster %s: %d messages", week, added)
    return added


async def send_due(state: AppState, now: datetime) -> int:
    """Enqueue every team message due at now; return how many are new."""
    team = await team_db.members(state.db)
    group_chats = await groups.team_group_chats(state.db)
    if not team and not group_chats:
        return 0
    settings = settings_of(state.config)
    zone = state.config.library.timezone
    added = 0
    for year, month in _months(now.date(), 1, 1):
        planned = await month_meeting(state, year, month)
        if planned is None:
            continue
        step = rules.due_step(planned.start(zone), settings, now)
        if step is None or (planned.meeting is not None and step <= planned.meeting.notified):
            continue
        added += await _meeting_step(state, planned, now, team, group_chats)
    added += await _roster(state, now, team, group_chats)
    if added:
        state.delivery.notify()
    return added


async def next_run(state: AppState, now: datetime) -> datetime:
    """The next moment something of the team may fall due."""
    settings = settings_of(state.config)
    zone = state.config.library.timezone
    moments = rules.roster_moments(now, settings)
    for year, month in _months(now.date(), 1, 2):
        planned = await month_meeting(state, year, month)
        if planned is not None:
            moments += rules.step_moments(planned.start(zone), settings).values()
    when = rules.next_wakeup(moments, now)
    # The roster's next post is always at least a few days ahead.
    assert when is not None
    return when


# --- the librarian's changes --------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change the librarian made to a meeting, and whether the team was told about it."""

    meeting: Meeting
    told: bool


async def _everyone(state: AppState) -> list[int]:
    """The chats a meeting notice goes to: the team's groups and its members."""
    return _team_chats(await team_db.members(state.db), await groups.team_group_chats(state.db))


def _still_ahead(meeting: Meeting | None, zone: ZoneInfo, now: datetime) -> Meeting | None:
    if meeting is None or meeting.status != team_db.PLANNED:
        return None
    return meeting if as_planned(meeting).start(zone) > now else None


async def move_meeting(
    state: AppState, meeting_id: int, moment: datetime, by: int, now: datetime
) -> Change | None:
    """Move a meeting that has not begun; a team already told gets the new time at once.

    None when the meeting is gone, cancelled or already begun.
    """
    settings = settings_of(state.config)
    zone = state.config.library.timezone
    local = moment.astimezone(zone)
    chats = await _everyone(state)
    async with state.db.transaction() as conn:
        meeting = _still_ahead(await team_db.read_meeting(conn, meeting_id), zone, now)
        if meeting is None:
            return None
        told = meeting.notified > 0
        # The notice of the change stands for whichever notice is due by now.
        covered = rules.due_step(local, settings, now) if told else None
        moved = await team_db.move_meeting(
            conn,
            meeting.id,
            local.date(),
            local.time().replace(second=0, microsecond=0),
            int(covered or 0),
            by,
            now,
        )
        if told:
            text = meeting_text("moved", as_planned(moved), settings) + texts.TEAM_ASK_ANSWER_AGAIN
            token = f"moved{moved.revision}"
            await outbox.enqueue_many(conn, _notices(moved, token, text, chats, buttons=True))
    if told:
        state.delivery.notify()
    return Change(moved, told)


async def cancel_meeting(
    state: AppState, meeting_id: int, by: int, now: datetime
) -> Change | None:
    """Cancel a meeting that has not begun; a team already told is told it is off.

    None when the meeting is gone, cancelled or already begun.
    """
    zone = state.config.library.timezone
    chats = await _everyone(state)
    async with state.db.transaction() as conn:
        meeting = _still_ahead(await team_db.read_meeting(conn, meeting_id), zone, now)
        if meeting is None:
            return None
        told = meeting.notified > 0
        await team_db.cancel_meeting(conn, meeting.id, by, now)
        if told:
            text = texts.TEAM_CANCELLED.format(**when_parts(meeting.day, meeting.at))
            rows = _notices(meeting, "cancel", text, chats, buttons=False)
            await outbox.enqueue_many(conn, rows)
    if told:
        state.delivery.notify()
    return Change(meeting, told)


# --- the job ------------------------------------------------------------------------------------


async def team_tick(context: BotContext) -> None:
    """Send what is due for the team now, then plan the next run."""
    now = context.now()
    await send_due(context.bot_data, now)
    await plan_next_run(context, now)


async def plan_next_run(context: BotContext, now: datetime) -> None:
    """Replace the team job by one at the next moment something may fall due."""
    when = await next_run(context.bot_data, now)
    _replace_job(context.job_queue, when - now + WAKE_MARGIN)


def run_soon(context: BotContext) -> None:
    """Run the team job now, after the librarian changed a meeting."""
    _replace_job(context.job_queue, timedelta(0))


def _replace_job(queue: JobQueue[Any] | None, delay: timedelta) -> None:
    assert queue is not None
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    # The delay counts from the bot's clock, which tests stop; a moment would use the wall's.
    queue.run_once(team_tick, delay, name=JOB_NAME, job_kwargs={"misfire_grace_time": None})


def schedule(application: BotApplication) -> None:
    """At start-up: catch up on what is due, which also rebuilds the schedule."""
    _replace_job(application.job_queue, timedelta(0))
