"""The daily look at leavers: a week's notice to the librarian, then anonymisation.

Runs once a day at 06:15 (before the library opens) and not at start-up: anonymising is not
urgent, and a VACUUM at start would hold the database while the first users write.
"""

import logging
from datetime import datetime, time

from bot.context import AppState, BotApplication, BotContext
from bot.privacy_document import notice_text
from bot.services.privacy import ForgetRun, run_forgetting

log = logging.getLogger(__name__)

FORGET_JOB = "privacy-forget-leavers"
FORGET_TIME = time(6, 15)


async def forget_leavers(state: AppState, now: datetime) -> ForgetRun:
    """Tell the librarian who is due within a week and anonymise those told a week ago."""
    keep_days = state.config.privacy.keep_after_leaving_days
    run = await run_forgetting(
        state.db,
        now,
        keep_days,
        state.config.library.librarians,
        lambda leavers: notice_text(leavers, keep_days),
    )
    if run.noticed:
        state.delivery.notify()
    if run.noticed or run.forgotten:
        log.info("leavers: %d announced, %d anonymised", len(run.noticed), len(run.forgotten))
    return run


async def daily_forget(context: BotContext) -> None:
    """Run the daily look at leavers (the job's callback)."""
    await forget_leavers(context.bot_data, context.now())


def schedule(application: BotApplication) -> None:
    """Rebuild the daily job."""
    job_queue = application.job_queue
    assert job_queue is not None
    for job in job_queue.get_jobs_by_name(FORGET_JOB):
        job.schedule_removal()
    zone = application.bot_data.config.library.timezone
    job_queue.run_daily(
        daily_forget,
        FORGET_TIME.replace(tzinfo=zone),
        name=FORGET_JOB,
        job_kwargs={"misfire_grace_time": None},
    )
