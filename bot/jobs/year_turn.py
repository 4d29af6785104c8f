"""The daily year-end recall job: from the recall's first day, ask the books back once a year."""

import logging

from bot.context import AppState, BotApplication, BotContext
from bot.services.year_turn import RecallReport, run_recall

log = logging.getLogger(__name__)

DAILY_JOB = "year-end-recall"
START_JOB = "year-end-recall-at-start"


async def send_recall(state: AppState) -> RecallReport:
    """Run the recall at the bot's clock and wake the delivery worker."""
    now = state.clock()
    report = await run_recall(state.db, state.config, now)
    if report.readers or report.teachers or report.librarians:
        state.delivery.notify()
        log.info(
            "year-end recall of %s: %d reader, %d teacher, %d librarian messages",
            now.date().isoformat(),
            report.readers,
            report.teachers,
            report.librarians,
        )
    return report


async def daily_recall(context: BotContext) -> None:
    """Send what the recall asks today (the daily job; a run that finds all sent sends none)."""
    await send_recall(context.bot_data)


def schedule(application: BotApplication) -> None:
    """Run the recall daily at the reminders' time, and once at start-up."""
    job_queue = application.job_queue
    assert job_queue is not None
    for name in (DAILY_JOB, START_JOB):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    config = application.bot_data.config
    job_queue.run_daily(
        daily_recall,
        config.reminders.run_at.replace(tzinfo=config.library.timezone),
        name=DAILY_JOB,
        job_kwargs={"misfire_grace_time": None},
    )
    job_queue.run_once(daily_recall, 0, name=START_JOB)
