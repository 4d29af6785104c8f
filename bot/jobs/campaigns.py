"""Campaign previews and sends, scheduled broadcasts, their delivery reports; the seed calendar.

Every schedule lives in SQLite: a campaign's day and time, a run's approval, a broadcast's
send time. The JobQueue only holds one-shot wake-ups computed from those rows (rebuilt at
start and after every change) and a watcher that reports finished batches. Each wake-up runs
the same idempotent pass, so a pass that runs twice, or after a restart, sends nothing twice:
outbox keys and conditional status updates decide.
"""

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import Application, Job

from bot import texts, views
from bot.circulation import message
from bot.context import AppState, BotContext
from bot.core.campaigns import (
    Audience,
    AudienceKind,
    Due,
    Timing,
    current_year,
    due,
    fits,
    format_clock,
    next_wakeup,
    occurrence,
    parse_audience,
    parse_clock,
    seed_calendar,
    send_moment,
    title_matches,
)
from db import campaigns as store
from db import catalog, groups, outbox
from db.campaigns import BookFacts, BroadcastRecord, CampaignRecord, NewCampaign
from db.connection import Database
from db.outbox import NewMessage
from db.search import search_titles

log = logging.getLogger(__name__)

REPORT_WATCH = "campaign-reports"
CATCH_UP = "campaigns-catch-up"
CAMPAIGN_JOB = "campaign-at-{id}"
BROADCAST_JOB = "broadcast-at-{id}"
REPORT_INTERVAL = 2.0

DeepLink = Callable[[str], str]
# Any Application of ours: the one built by bot.app, or one a callback context hands over.
AnyApplication = Application[Any, Any, Any, Any, AppState, Any]


# --- what recipients read ------------------------------------------------------------------


def audience_name(audience: Audience) -> str:
    """Name an audience in words."""
    return texts.AUDIENCE_NAMES[audience.kind].format(value=html.escape(audience.value))


def book_lines(books: list[BookFacts], deep_link: DeepLink) -> list[str]:
    """The numbered book list of a campaign or broadcast, each with its share link."""
    return [
        texts.BOOK_LINE.format(
            number=number,
            title=html.escape(book.title),
            author=f" — {html.escape(book.author)}" if book.author else "",
            availability=views.availability(book.on_shelf, book.total),
            link=html.escape(deep_link(f"book_{book.title_id}")),
        )
        for number, book in enumerate(books, 1)
    ]


def compose(heading: str, body: str, books: list[BookFacts], deep_link: DeepLink) -> str:
    """Heading, the (already escaped) body and the book list, as one HTML text."""
    parts = [heading]
    if body:
        parts.append(body)
    if books:
        parts.append("\n".join([texts.BOOKS_HEADING, *book_lines(books, deep_link)]))
    return "\n\n".join(parts)


def payload(
    text: str, photo: str | None, buttons: list[list[dict[str, str]]] | None = None
) -> dict[str, Any]:
    """A Bot API payload: the photo with the text as caption when it fits one, else text only."""
    body: dict[str, Any]
    if photo and fits(text, caption=True):
        body = {"method": "sendPhoto", "photo": photo, "caption": text, "parse_mode": "HTML"}
    else:
        body = {"method": "sendMessage", "text": text, "parse_mode": "HTML"}
    if buttons:
        body["reply_markup"] = {"inline_keyboard": buttons}
    return body


def first_cover(books: list[BookFacts]) -> str | None:
    """The cover of the first book that has one."""
    return next((book.cover_file_id for book in books if book.cover_file_id), None)


def campaign_text(campaign: CampaignRecord, books: list[BookFacts], deep_link: DeepLink) -> str:
    """The text a campaign's recipients read."""
    heading = texts.CAMPAIGN_HEADING.format(title=html.escape(campaign.title))
    return compose(heading, html.escape(campaign.message), books, deep_link)


def unreached_note(audience: Audience, count: int) -> str:
    """For an audience that reaches nobody, why and what to do; else nothing."""
    if count:
        return ""
    return texts.CAMPAIGN_PREVIEW_NOBODY.format(
        audience=audience_name(audience), advice=views.audience_advice(audience)
    )


async def campaign_payload(db: Database, campaign: CampaignRecord, deep_link: DeepLink) -> dict:
    """The message a campaign sends today: text, book list, a cover when there is one."""
    books = await store.book_facts(db, campaign.book_ids)
    return payload(campaign_text(campaign, books, deep_link), first_cover(books))


def broadcast_text(library: str, text: str, books: list[BookFacts], deep_link: DeepLink) -> str:
    """The text of a librarian's broadcast (text is as typed, escaped here)."""
    heading = texts.BROADCAST_HEADING.format(library=html.escape(library))
    return compose(heading, html.escape(text), books, deep_link)


async def book_intro(db: Database, title_id: int, deep_link: DeepLink) -> dict | None:
    """A title introduced to readers: what it is, its cover, whether it is on the shelf, its link.

    Readers get no accession numbers or shelf marks: those are the librarian's. The summary is
    cut shorter when that lets the text stay the cover's caption; None if the title is gone.
    """
    title = await catalog.get_title(db, title_id)
    facts = await store.book_facts(db, [title_id])
    if title is None or not facts:
        return None
    link = deep_link(f"book_{title_id}")
    button = [[{"text": texts.BUTTON_OPEN_BOOK, "url": link}]]
    for summary_length in views.INTRO_SUMMARY_LENGTHS:
        text = views.book_introduction(
            title, facts[0].on_shelf, facts[0].total, link, summary_length
        )
        if not title.cover_file_id or fits(text, caption=True):
            break
    return payload(text, title.cover_file_id, button)


async def broadcast_payload(
    db: Database, library: str, broadcast: BroadcastRecord, deep_link: DeepLink
) -> dict | None:
    """What a broadcast sends; None for a book introduction whose title is gone."""
    if broadcast.kind == "book":
        return await book_intro(db, broadcast.book_ids[0], deep_link)
    books = await store.book_facts(db, broadcast.book_ids)
    text = broadcast_text(library, broadcast.text, books, deep_link)
    return payload(text, broadcast.photo or first_cover(books))


# --- who receives --------------------------------------------------------------------------


async def audience_chats(db: Database, audience: Audience) -> list[int]:
    """The chats an audience reaches now: registered groups, or linked accounts."""
    if audience.kind in (AudienceKind.CLASSES, AudienceKind.GRADE, AudienceKind.CLASS):
        return await groups.class_group_chats(
            db, grade=audience.grade, class_name=audience.class_name
        )
    if audience.kind is AudienceKind.TEACHERS:
        return await store.teacher_chats(db)
    if audience.kind is AudienceKind.COLLABORATORS:
        people = await store.collaborator_chats(db)
        return sorted(set(people) | set(await groups.team_group_chats(db)))
    return await store.reader_chats(db)


# --- the calendar --------------------------------------------------------------------------


def timing_of(campaign: CampaignRecord) -> Timing:
    """A campaign's yearly timing."""
    return Timing(
        campaign.day, campaign.month, parse_clock(campaign.send_time), campaign.lead_days
    )


def run_date(campaign: CampaignRecord, year: int) -> str:
    """The date of year's run, dd/mm/yyyy."""
    return texts.format_date(occurrence(campaign.day, campaign.month, year))


async def seed(db: Database) -> int:
    """Add the calendar campaigns not seeded yet, each with the catalog titles it names."""
    present = await store.seed_keys(db)
    new = []
    for entry in seed_calendar(texts.CAMPAIGN_CALENDAR):
        if entry.key in present:
            continue
        book_ids: list[int] = []
        for wanted in entry.book_titles:
            result = await search_titles(db, wanted, limit=5)
            found = next((hit for hit in result.hits if title_matches(wanted, hit.title)), None)
            if found is not None and found.title_id not in book_ids:
                book_ids.append(found.title_id)
        new.append(
            NewCampaign(
                title=entry.title,
                day=entry.day,
                month=entry.month,
                message=entry.message,
                audience=entry.audience.code,
                seed_key=entry.key,
                book_ids=tuple(book_ids),
            )
        )
    added = await store.add_seeds(db, new) if new else 0
    if added:
        log.info("seeded %d campaigns of the calendar", added)
    return added


def decision_buttons(campaign_id: int, year: int) -> list[list[tuple[str, str]]]:
    """Duyệt / Bỏ qua / Sửa for year's run of a campaign."""
    return [
        [
            (texts.BUTTON_APPROVE_RUN, f"cp:ok:{campaign_id}:{year}"),
            (texts.BUTTON_SKIP_RUN, f"cp:no:{campaign_id}:{year}"),
        ],
        [(texts.BUTTON_EDIT_RUN, f"cp:s:{campaign_id}")],
    ]


async def _preview(
    context: BotContext, campaign: CampaignRecord, year: int, now: datetime
) -> bool:
    db = context.db
    audience = parse_audience(campaign.audience)
    exact = await campaign_payload(db, campaign, context.deep_link)
    count = len(await audience_chats(db, audience))
    ask = message(
        texts.CAMPAIGN_PREVIEW_ASK.format(
            title=html.escape(campaign.title),
            time=campaign.send_time,
            date=run_date(campaign, year),
            audience=audience_name(audience),
            count=count,
        )
        + unreached_note(audience, count),
        decision_buttons(campaign.id, year),
    )
    rows = []
    for chat in await store.started_librarian_chats(db, context.config.library.librarians):
        rows.append(NewMessage(f"campaign-preview:{campaign.id}:{year}:{chat}", chat, exact))
        rows.append(NewMessage(f"campaign-ask:{campaign.id}:{year}:{chat}", chat, ask))
    return await store.record_preview(db, campaign.id, year, now, rows)


async def _send(context: BotContext, campaign: CampaignRecord, year: int, now: datetime) -> bool:
    db = context.db
    chats = await audience_chats(db, parse_audience(campaign.audience))
    body = await campaign_payload(db, campaign, context.deep_link)
    batch = f"campaign:{campaign.id}:{year}"
    rows = [NewMessage(f"{batch}:{chat}", chat, body, batch=batch) for chat in chats]
    return await store.start_run(db, campaign.id, year, batch, rows, now)


async def start_broadcast(context: BotContext, broadcast: BroadcastRecord) -> int | None:
    """Enqueue a broadcast to its audience as it is now; None if it was already started."""
    db = context.db
    body = await broadcast_payload(db, context.config.library.name, broadcast, context.deep_link)
    chats = await audience_chats(db, parse_audience(broadcast.audience)) if body else []
    batch = f"broadcast:{broadcast.id}"
    rows = [NewMessage(f"{batch}:{chat}", chat, body, batch=batch) for chat in chats if body]
    if not await store.start_broadcast(db, broadcast.id, rows):
        return None
    context.bot_data.delivery.notify()
    ensure_report_watch(context.application)
    return len(rows)


@dataclass(frozen=True)
class PassResult:
    """What one pass did."""

    previews: int = 0
    campaigns: int = 0
    broadcasts: int = 0


async def run_pass(context: BotContext, now: datetime) -> PassResult:
    """Send the previews and the approved campaigns due at now, and the due broadcasts."""
    db = context.db
    previews = sends = 0
    active = [c for c in await store.list_campaigns(db) if c.status == "active"]
    runs = await store.runs_in_years(db, (now.year, now.year + 1))
    for campaign in active:
        timing = timing_of(campaign)
        year = current_year(timing, now)
        run = runs.get((campaign.id, year))
        needed = due(timing, year, now, run.status if run else None)
        if needed is Due.PREVIEW:
            previews += await _preview(context, campaign, year, now)
        elif needed is Due.SEND:
            sends += await _send(context, campaign, year, now)
    started = 0
    for broadcast in await store.due_broadcasts(db, now):
        started += await start_broadcast(context, broadcast) is not None
    if previews or sends:
        context.bot_data.delivery.notify()
    if sends or started:
        ensure_report_watch(context.application)
    await replan(context.application, now)
    return PassResult(previews, sends, started)


# --- reports -------------------------------------------------------------------------------


def _report_fields(counts: dict[str, int]) -> dict[str, int]:
    return {
        "sent": counts["sent"],
        "failed": counts["failed"],
        "blocked": counts["blocked"],
        "total": sum(counts.values()),
    }


async def report_finished(context: BotContext, now: datetime) -> int:
    """Close the batches fully delivered and tell the librarians; return how many closed."""
    db = context.db
    closed = 0
    for run in await store.sending_runs(db):
        counts = await outbox.batch_report(db, run.batch)
        if counts["pending"] or counts["sending"]:
            continue
        campaign = await store.get_campaign(db, run.campaign_id)
        assert campaign is not None
        fields = _report_fields(counts)
        if fields["total"]:
            text = texts.CAMPAIGN_REPORT.format(
                title=html.escape(campaign.title), date=run_date(campaign, run.year), **fields
            )
        else:
            text = texts.CAMPAIGN_NO_RECIPIENTS.format(
                title=html.escape(campaign.title),
                date=run_date(campaign, run.year),
                audience=audience_name(parse_audience(campaign.audience)),
            )
        chats = await store.started_librarian_chats(db, context.config.library.librarians)
        reports = [
            NewMessage(f"campaign-report:{run.campaign_id}:{run.year}:{chat}", chat, message(text))
            for chat in chats
        ]
        closed += await store.finish_run(db, run.campaign_id, run.year, reports, now)
    for broadcast in await store.sending_broadcasts(db):
        counts = await outbox.batch_report(db, f"broadcast:{broadcast.id}")
        if counts["pending"] or counts["sending"]:
            continue
        text = texts.BROADCAST_REPORT.format(id=broadcast.id, **_report_fields(counts))
        # A private chat's id is its user's id.
        chat = broadcast.created_by
        report = NewMessage(f"broadcast-report:{broadcast.id}", chat, message(text))
        closed += await store.finish_broadcast(db, broadcast.id, [report])
    if closed:
        context.bot_data.delivery.notify()
    return closed


async def _still_sending(db: Database) -> bool:
    return bool(await store.sending_runs(db) or await store.sending_broadcasts(db))


async def _watch_reports(context: BotContext) -> None:
    """Report finished batches; stop watching once nothing is being delivered."""
    await report_finished(context, context.now())
    if not await _still_sending(context.db) and isinstance(context.job, Job):
        context.job.schedule_removal()


def ensure_report_watch(application: AnyApplication) -> None:
    """Watch the batches under way until each is reported."""
    queue = application.job_queue
    assert queue is not None
    if not queue.get_jobs_by_name(REPORT_WATCH):
        queue.run_repeating(
            _watch_reports, REPORT_INTERVAL, first=REPORT_INTERVAL, name=REPORT_WATCH
        )


# --- the JobQueue --------------------------------------------------------------------------


async def _wake(context: BotContext) -> None:
    """A campaign or broadcast has something due: run the pass."""
    await run_pass(context, context.now())


def _set_job(application: AnyApplication, name: str, moment: datetime, now: datetime) -> None:
    queue = application.job_queue
    assert queue is not None
    delay = max(0.0, (moment - now).total_seconds())
    due_at = datetime.now(UTC) + timedelta(seconds=delay)
    existing = queue.get_jobs_by_name(name)
    planned = existing[0].next_t if len(existing) == 1 else None
    if planned is not None and abs((planned - due_at).total_seconds()) < 1:
        return
    for job in existing:
        job.schedule_removal()
    queue.run_once(_wake, delay, name=name, job_kwargs={"misfire_grace_time": None})


async def replan(application: AnyApplication, now: datetime) -> None:
    """Rebuild the wake-ups from the database: one per active campaign and scheduled broadcast."""
    queue = application.job_queue
    assert queue is not None
    db = application.bot_data.db
    wanted: set[str] = set()
    for campaign in await store.list_campaigns(db):
        if campaign.status == "active":
            name = CAMPAIGN_JOB.format(id=campaign.id)
            wanted.add(name)
            _set_job(application, name, next_wakeup(timing_of(campaign), now), now)
    for broadcast in await store.scheduled_broadcasts(db):
        name = BROADCAST_JOB.format(id=broadcast.id)
        wanted.add(name)
        _set_job(application, name, broadcast.send_at, now)
    for job in queue.jobs():
        name = job.name or ""
        stale = name.startswith(("campaign-at-", "broadcast-at-")) and name not in wanted
        if stale:
            job.schedule_removal()


async def _catch_up(context: BotContext) -> None:
    """At start: do what fell due while the bot was down, and report batches still going."""
    await run_pass(context, context.now())
    if await _still_sending(context.db):
        ensure_report_watch(context.application)


async def schedule(application: AnyApplication) -> None:
    """Seed the calendar, rebuild the wake-ups from the database, catch up at once."""
    context = BotContext(application)
    await seed(context.db)
    await replan(application, context.now())
    assert application.job_queue is not None
    application.job_queue.run_once(_catch_up, 0, name=CATCH_UP)


def next_send(campaign: CampaignRecord, now: datetime) -> tuple[int, datetime]:
    """The year and moment of the campaign's coming run."""
    timing = timing_of(campaign)
    year = current_year(timing, now)
    return year, send_moment(timing, year, now)


def send_time_text(campaign: CampaignRecord) -> str:
    """The campaign's send time, hh:mm."""
    return format_clock(parse_clock(campaign.send_time))
