"""The donation drive's class board: once a month during a drive, to every class group.

The board goes out on the month's last open library day (or the drive's last day), under the
key ``donations:<yyyy-mm>:<chat>``, so a second run, a restart or ending the drive the same
day sends nothing twice.
"""

import html
import logging
from datetime import date, datetime, time

from bot import texts
from bot.circulation import message
from bot.config import Config
from bot.context import AppState, BotApplication, BotContext
from bot.core.donations import Drive, board_due, month_key
from db import donations as store
from db import groups
from db.connection import Database
from db.outbox import NewMessage, enqueue_many

log = logging.getLogger(__name__)

BOARD_JOB = "donations-board"
CATCH_UP_JOB = "donations-board-catch-up"
BOARD_TIME = time(16, 0)
# A restart late in the evening does not post into class groups; the next day's run will.
LATEST_POST = time(20, 0)
MEDALS = ("🥇", "🥈", "🥉")
BOARD_CLASSES = 12


async def board_text(db: Database, config: Config, today: date, drive: Drive | None) -> str:
    """The board as it stands today: this school year's copies per class and top donors."""
    year = config.calendar.school_year_of(today)
    figures = await store.board(db, year.start, min(today, year.end))
    month = await store.board(db, today.replace(day=1), today, top=0)
    lines = [
        texts.DONATION_BOARD_HEADER.format(
            month=f"{today.month:02d}/{today.year}", year=year.name
        ),
    ]
    if not figures.total:
        lines.append(texts.DONATION_BOARD_EMPTY)
    else:
        lines.append(texts.DONATION_BOARD_TOTAL.format(total=figures.total, month=month.total))
        if figures.classes:
            lines.append(texts.DONATION_BOARD_CLASSES)
            for rank, (class_name, count) in enumerate(figures.classes[:BOARD_CLASSES], 1):
                mark = MEDALS[rank - 1] if rank <= len(MEDALS) else f"{rank}."
                lines.append(
                    texts.DONATION_BOARD_CLASS.format(
                        mark=mark, class_name=html.escape(class_name), count=count
                    )
                )
        if figures.donors:
            lines.append(texts.DONATION_BOARD_DONORS)
            lines += [
                texts.DONATION_BOARD_DONOR.format(
                    name=html.escape(name),
                    class_part=f" ({html.escape(class_name)})" if class_name else "",
                    count=count,
                )
                for name, class_name, count in figures.donors
            ]
    if drive is not None and drive.active_on(today):
        lines.append(texts.DONATION_BOARD_RUNNING.format(until=texts.format_date(drive.ends_on)))
    return "\n".join(lines)


async def post_boards(state: AppState, now: datetime) -> int:
    """Enqueue this month's board to every class group if it is due; return how many are new."""
    today = now.date()
    db, config = state.db, state.config
    drive = await store.current_drive(db, today)
    if not board_due(today, drive, config.calendar):
        return 0
    chats = await groups.class_group_chats(db)
    if not chats:
        return 0
    payload = message(await board_text(db, config, today, drive))
    key = month_key(today)
    rows = [NewMessage(f"donations:{key}:{chat}", chat, payload) for chat in chats]
    async with db.transaction() as conn:
        sent = await enqueue_many(conn, rows)
    if sent:
        state.delivery.notify()
        log.info("donation board of %s enqueued to %d class groups", key, sent)
    return sent


async def daily_board(context: BotContext) -> None:
    """Post the month's board when it is due (the daily job)."""
    await post_boards(context.bot_data, context.now())


async def catch_up(context: BotContext) -> None:
    """At start-up, post a due board the daily run missed while the bot was down."""
    now = context.now()
    if BOARD_TIME <= now.time() < LATEST_POST:
        await post_boards(context.bot_data, now)


def schedule(application: BotApplication) -> None:
    """Rebuild the daily board job and its start-up catch-up."""
    job_queue = application.job_queue
    assert job_queue is not None
    for name in (BOARD_JOB, CATCH_UP_JOB):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    zone = application.bot_data.config.library.timezone
    job_queue.run_daily(
        daily_board,
        BOARD_TIME.replace(tzinfo=zone),
        name=BOARD_JOB,
        job_kwargs={"misfire_grace_time": None},
    )
    job_queue.run_once(catch_up, 0, name=CATCH_UP_JOB)
