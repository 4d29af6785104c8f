"""Reminders of rotation batches: to the librarian who made a batch, 3 days before its return
date and on the day (or the first run after), each once under ``rotation:<batch>:<step>``."""

import html
import logging
from datetime import datetime, time

from bot import texts
from bot.circulation import message
from bot.context import AppState, BotApplication, BotContext
from bot.core.rotation import reminder_step
from bot.handlers.rotation import CHECK_IN
from db import rotation as store
from db.outbox import NewMessage, enqueue_many

log = logging.getLogger(__name__)

REMINDER_JOB = "rotation-reminders"
CATCH_UP_JOB = "rotation-reminders-catch-up"
REMINDER_TIME = time(7, 0)
# A restart at night does not wake the librarian; the next morning's run sends the reminder.
LATEST_CATCH_UP = time(21, 0)


async def send_reminders(state: AppState, now: datetime) -> int:
    """Enqueue the reminders due today for every batch that is out; return how many are new."""
    today = now.date()
    rows = []
    for target in await store.reminder_targets(state.db):
        batch = target.batch
        step = reminder_step(today, batch.return_on)
        if step is None:
            continue
        text = texts.ROTATION_REMINDER[step.value].format(
            number=batch.id,
            destination=html.escape(batch.destination),
            due=texts.format_date(batch.return_on),
            out=batch.out,
            items=batch.items,
        )
        label = texts.BUTTON_ROTATION_CHECK_IN.format(number=batch.id)
        payload = message(text, [[(label, f"{CHECK_IN}:{batch.id}")]])
        rows.append(NewMessage(f"rotation:{batch.id}:{step.value}", target.chat_id, payload))
    if not rows:
        return 0
    async with state.db.transaction() as conn:
        sent = await enqueue_many(conn, rows)
    if sent:
        state.delivery.notify()
        log.info("%d rotation reminders enqueued", sent)
    return sent


async def daily_reminders(context: BotContext) -> None:
    """Send today's rotation reminders (the daily job)."""
    await send_reminders(context.bot_data, context.now())


async def catch_up(context: BotContext) -> None:
    """At start-up, send reminders the daily run missed while the bot was down."""
    now = context.now()
    if REMINDER_TIME <= now.time() < LATEST_CATCH_UP:
        await send_reminders(context.bot_data, now)


def schedule(application: BotApplication) -> None:
    """Rebuild the daily reminder job and its start-up catch-up."""
    job_queue = application.job_queue
    assert job_queue is not None
    for name in (REMINDER_JOB, CATCH_UP_JOB):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    zone = application.bot_data.config.library.timezone
    job_queue.run_daily(
        daily_reminders,
        REMINDER_TIME.replace(tzinfo=zone),
        name=REMINDER_JOB,
        job_kwargs={"misfire_grace_time": None},
    )
    job_queue.run_once(catch_up, 0, name=CATCH_UP_JOB)
