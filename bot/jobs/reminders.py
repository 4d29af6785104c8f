"""The daily reminders: readers before and after the due date, homeroom teachers, the digest.

One run is one transaction: it reads the open loans due soon or overdue, decides with
`bot.core.reminders` what each gets today, enqueues the messages under keys of the day
(`due:<reader>:<date>`, `homeroom:<class>:<date>:<chat>`, `digest:<iso-week>:<chat>`) and
records the steps sent and the day it ran, so a second run, or one after the clock moved back,
sends nothing twice, and a digest day the bot was down is known the next morning. Messages
made in the quiet hours wait in the outbox until they end.
"""

import html
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import aiosqlite

from bot import texts
from bot.circulation import message
from bot.config import Config
from bot.context import AppState, BotApplication, BotContext
from bot.core.calendar import WEEKDAY_NAMES
from bot.core.loan_rules import OpenLoanFacts, check_can_renew
from bot.core.reminders import (
    DEFAULT_SETTINGS,
    Day,
    DigestTurn,
    LoanStatus,
    Plan,
    ReminderSettings,
    Step,
    StepKind,
    catch_up_due,
    deliver_at,
    digest_turn,
    escalation_due_by,
    horizon,
    pages,
    plan_reminders,
    survey,
)
from bot.handlers.borrowing import RENEW
from db import accounts, outbox
from db import reminders as store
from db.connection import Database
from db.outbox import NewMessage
from db.privacy import log_access_in
from db.reminders import ReminderLoan

log = logging.getLogger(__name__)

READER, HOMEROOM, DIGEST = "reader", "homeroom", "digest"
DAILY_JOB = "daily-reminders"
CATCH_UP_JOB = "reminders-catch-up"
TITLE_LENGTH = 80
BUTTON_TITLE_LENGTH = 30
# A digest longer than this many loans ends with a count; the rest is in the registers.
DIGEST_LINES = 300
# Past this many loans a reader's reminder ends with a count, to stay one short message.
READER_LINES = 15
# A class list longer than this ends with a count (a class is some 45 students).
HOMEROOM_LINES = 100


@dataclass(frozen=True)
class RunReport:
    """What one run found and enqueued.

    loans: loans listed in the reader reminders newly enqueued; readers, homeroom, digest:
    messages newly enqueued of each kind; escalated: loans newly reported to their teachers.
    """

    loans: int = 0
    readers: int = 0
    homeroom: int = 0
    escalated: int = 0
    digest: int = 0

    @property
    def enqueued(self) -> int:
        """All messages newly enqueued."""
        return self.readers + self.homeroom + self.digest


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _title(loan: ReminderLoan) -> str:
    return html.escape(_short(loan.title, TITLE_LENGTH))


def _reminder_line(loan: ReminderLoan, step: Step) -> str:
    due = texts.format_date(loan.due_on)
    values = {"title": _title(loan), "accession": html.escape(loan.accession), "due": due}
    if step.kind is StepKind.BEFORE:
        weekday = WEEKDAY_NAMES[loan.due_on.weekday()]
        return texts.REMINDER_BEFORE.format(**{**values, "due": f"{weekday}, {due}"})
    if step.kind is StepKind.DUE:
        return texts.REMINDER_DUE.format(**values)
    return texts.REMINDER_OVERDUE.format(**values, days=step.days)


def reader_message(
    config: Config,
    items: list[tuple[ReminderLoan, Step]],
    today: date,
    waiting: set[int],
) -> tuple[str, list[list[tuple[str, str]]]]:
    """The reminder of one reader: the loans concerned, a renew button where allowed."""
    lines = [texts.REMINDER_HEADER.format(name=html.escape(items[0][0].reader_name))]
    buttons: list[list[tuple[str, str]]] = []
    for loan, step in items[:READER_LINES]:
        lines.append(_reminder_line(loan, step))
        facts = OpenLoanFacts(
            loan_id=loan.loan_id,
            category=loan.category,
            kind=loan.kind,
            loaned_on=loan.loaned_on,
            due_on=loan.due_on,
            renewals=loan.renewals,
            whole_year=loan.whole_year,
        )
        decision = check_can_renew(
            config.loans, config.calendar, facts, today, loan.title_id in waiting
        )
        if decision.allowed:
            label = f"{texts.BUTTON_RENEW}: {_short(loan.title, BUTTON_TITLE_LENGTH)}"
            buttons.append([(label, f"{RENEW}:{loan.loan_id}")])
    if len(items) > READER_LINES:
        lines.append(texts.REMINDER_MORE.format(count=len(items) - READER_LINES))
    lines += ["", texts.REMINDER_FOOTER.format(hours=html.escape(config.library.opening_hours))]
    if buttons:
        lines.append(texts.REMINDER_CAN_RENEW)
    return "\n".join(lines), buttons


@dataclass(frozen=True)
class Selection:
    """Today's decision.

    day: what today means for each due date in play. remind: loans of readers with a chat
    whose step may be new, and plan: the step each of them gets. escalate_by and classes:
    loans due by that date, not yet reported, go to the homeroom teachers of these classes.
    """

    day: Day
    remind: list[ReminderLoan]
    plan: Plan
    escalate_by: date | None
    classes: list[str]


async def select_reminders(
    conn: aiosqlite.Connection, config: Config, settings: ReminderSettings, today: date
) -> Selection:
    """Find the loans that need something today and decide, with the rules, what.

    The rules run on the distinct due dates first, so that SQL reads only the loans of
    readers with a chat whose step is new, and the classes with a loan to report.
    """
    due_dates = await store.open_due_dates(conn, horizon(today, config.calendar, settings))
    day = survey(today, config.calendar, settings, due_dates)
    ranks = {due: step.rank for due, step in day.steps.items()}
    remind = await store.loans_to_remind(conn, ranks) if ranks else []
    plan = plan_reminders(
        day,
        (LoanStatus(loan.loan_id, loan.loaned_on, loan.due_on, loan.last_step) for loan in remind),
    )
    escalate_by = escalation_due_by(day, settings)
    classes = await store.classes_to_escalate(conn, escalate_by) if escalate_by else []
    return Selection(day, remind, plan, escalate_by, classes)


@dataclass(frozen=True)
class Outgoing:
    """A message a run means to send: its kind, key, chat and payload, and what it delivers.

    steps: reminder steps (loan, due date, step); reports_class: the class whose overdue
    loans it reports to their homeroom teacher.
    """

    kind: str
    key: str
    chat_id: int
    payload: dict[str, Any]
    steps: tuple[tuple[int, date, int], ...] = ()
    reports_class: str = ""


async def _reader_messages(
    conn: aiosqlite.Connection, config: Config, selection: Selection
) -> list[Outgoing]:
    by_reader: dict[int, list[tuple[ReminderLoan, Step]]] = {}
    for loan in selection.remind:
        step = selection.plan.steps.get(loan.loan_id)
        if step is not None and loan.chat_id is not None:
            by_reader.setdefault(loan.reader_id, []).append((loan, step))
    if not by_reader:
        return []
    today = selection.day.today
    waiting = await store.titles_with_waiting(conn)
    found = []
    for reader_id, items in by_reader.items():
        items.sort(key=lambda item: (item[0].due_on, item[0].accession))
        chat_id = items[0][0].chat_id
        assert chat_id is not None
        text, buttons = reader_message(config, items, today, waiting)
        found.append(
            Outgoing(
                kind=READER,
                key=f"due:{reader_id}:{today.isoformat()}",
                chat_id=chat_id,
                payload=message(text, buttons),
                steps=tuple((loan.loan_id, loan.due_on, step.rank) for loan, step in items),
            )
        )
    return found


def _list_line(template: str, loan: ReminderLoan, day: Day, new: str = "") -> str:
    return template.format(
        new=new,
        reader=html.escape(loan.reader_name),
        title=_title(loan),
        accession=html.escape(loan.accession),
        due=texts.format_date(loan.due_on),
        days=day.late[loan.due_on],
    )


async def _homeroom_messages(
    conn: aiosqlite.Connection, settings: ReminderSettings, selection: Selection
) -> list[Outgoing]:
    day, escalate_by = selection.day, selection.escalate_by
    if escalate_by is None or not selection.classes:
        return []
    teachers = await store.homeroom_chats(conn)
    found = []
    for class_name in selection.classes:
        chats = teachers.get(class_name.upper(), [])
        if not chats:
            continue
        items, total = await store.overdue_loans(
            conn, escalate_by, class_name=class_name, limit=HOMEROOM_LINES
        )
        header = texts.HOMEROOM_HEADER.format(
            class_name=html.escape(class_name),
            day=texts.format_date(day.today),
            days=settings.last_overdue_days,
        )
        lines = [
            _list_line(
                texts.HOMEROOM_LINE, loan, day, "" if loan.escalated else texts.HOMEROOM_NEW
            )
            for loan in items
        ]
        if total > len(items):
            lines.append(texts.LIST_MORE.format(count=total - len(items)))
        for chat_id in chats:
            await log_access_in(
                conn,
                at=datetime.now(UTC),
                done_by=chat_id,
                via="system",
                action="overdue_list",
                detail=class_name,
                key=f"homeroom:{class_name}:{day.today.isoformat()}:{chat_id}",
            )
            for number, page in enumerate(pages(header, lines), 1):
                part = f":{number}" if number > 1 else ""
                found.append(
                    Outgoing(
                        kind=HOMEROOM,
                        key=f"homeroom:{class_name}:{day.today.isoformat()}:{chat_id}{part}",
                        chat_id=chat_id,
                        payload=message(page),
                        reports_class=class_name,
                    )
                )
    return found


def digest_header(turn: DigestTurn, today: date, count: int, readers: int) -> str:
    """The digest's first lines: its week, the overdue total, and why it comes late."""
    monday = turn.day - timedelta(days=turn.day.weekday())
    header = texts.DIGEST_HEADER.format(
        first=texts.format_date(monday),
        last=texts.format_date(monday + timedelta(days=6)),
        count=count,
        readers=readers,
        day=texts.format_date(today),
    )
    if turn.late:
        late = texts.DIGEST_LATE.format(
            weekday=WEEKDAY_NAMES[turn.day.weekday()], day=texts.format_date(turn.day)
        )
        header = f"{late}\n{header}"
    return header


async def digest_pages(
    conn: aiosqlite.Connection, day: Day, turn: DigestTurn | None = None
) -> list[str]:
    """The librarians' weekly list of every overdue loan, by class, staff last."""
    due_by = day.due_by(1)
    if due_by is None:
        return []
    counts = await store.overdue_counts(conn, due_by)
    items, total = await store.overdue_loans(conn, due_by, limit=DIGEST_LINES)
    # A reader belongs to one class, so the classes' reader counts add up.
    readers = sum(count.readers for count in counts)
    header = digest_header(turn or DigestTurn(day.today), day.today, total, readers)
    by_class = {count.class_name: count.loans for count in counts}
    lines: list[str] = []
    group: str | None = None
    for loan in items:
        if loan.class_name != group:
            group = loan.class_name
            name = html.escape(group) if group else texts.DIGEST_STAFF
            lines.append(texts.DIGEST_CLASS.format(group=name, count=by_class.get(group, 0)))
        lines.append(_list_line(texts.DIGEST_LINE, loan, day))
    if total > len(items):
        lines.append(texts.LIST_MORE.format(count=total - len(items)))
    return pages(header, lines)


async def _digest_messages(
    conn: aiosqlite.Connection, config: Config, settings: ReminderSettings, day: Day
) -> list[Outgoing]:
    last_run = await store.last_run_before(conn, day.today)
    turn = digest_turn(day.today, config.calendar, settings, last_run)
    if turn is None:
        return []
    week = turn.week
    chats = await accounts.librarian_chats(conn, config.library.librarians)
    done = await store.existing_keys(conn, [f"digest:{week}:{chat_id}" for chat_id in chats])
    chats = [chat_id for chat_id in chats if f"digest:{week}:{chat_id}" not in done]
    report = await digest_pages(conn, day, turn) if chats else []
    return [
        Outgoing(
            kind=DIGEST,
            key=f"digest:{week}:{chat_id}" + (f":{number}" if number > 1 else ""),
            chat_id=chat_id,
            payload=message(page),
        )
        for chat_id in chats
        for number, page in enumerate(report, 1)
    ]


async def run_reminders(
    db: Database, config: Config, settings: ReminderSettings, now: datetime
) -> RunReport:
    """Decide and enqueue today's reminders in one transaction; return what was enqueued.

    A message whose key is already in the outbox is not sent again, and the steps it
    carries are recorded only with a message that goes.
    """
    today = now.date()
    held_until = deliver_at(now, settings)
    # Outside quiet hours a message is due at once, by the outbox's own clock.
    not_before = held_until if held_until != now else None
    async with db.transaction() as conn:
        selection = await select_reminders(conn, config, settings, today)
        outgoing = [
            *await _reader_messages(conn, config, selection),
            *await _homeroom_messages(conn, settings, selection),
            *await _digest_messages(conn, config, settings, selection.day),
        ]
        present = await store.existing_keys(conn, [item.key for item in outgoing])
        new = [item for item in outgoing if item.key not in present]
        await outbox.enqueue_many(
            conn,
            [NewMessage(item.key, item.chat_id, item.payload, not_before) for item in new],
        )
        await store.record_sent(conn, [step for item in new for step in item.steps], today)
        await store.record_run(conn, today, now)
        reported = sorted({item.reports_class for item in new if item.reports_class})
        escalated = (
            await store.record_escalated(conn, selection.escalate_by, reported, today)
            if selection.escalate_by and reported
            else 0
        )
    kinds = Counter(item.kind for item in new)
    return RunReport(
        loans=sum(len(item.steps) for item in new if item.kind == READER),
        readers=kinds[READER],
        homeroom=kinds[HOMEROOM],
        escalated=escalated,
        digest=kinds[DIGEST],
    )


async def send_reminders(
    state: AppState, settings: ReminderSettings = DEFAULT_SETTINGS
) -> RunReport:
    """Run today's reminders at the bot's clock and wake the delivery worker."""
    now = state.clock()
    report = await run_reminders(state.db, state.config, settings, now)
    if report.enqueued:
        state.delivery.notify()
    log.info(
        "reminders of %s: %d loans, %d reader, %d homeroom (%d loans), %d digest messages",
        now.date().isoformat(),
        report.loans,
        report.readers,
        report.homeroom,
        report.escalated,
        report.digest,
    )
    return report


def _settings(context: BotContext) -> ReminderSettings:
    assert context.job is not None and isinstance(context.job.data, ReminderSettings)
    return context.job.data


async def daily_reminders(context: BotContext) -> None:
    """Send today's reminders (the daily job)."""
    await send_reminders(context.bot_data, _settings(context))


async def catch_up(context: BotContext) -> None:
    """At start-up, run today's reminders if the daily time passed while the bot was down."""
    settings = _settings(context)
    if catch_up_due(context.now(), settings):
        await send_reminders(context.bot_data, settings)


def schedule(application: BotApplication, settings: ReminderSettings = DEFAULT_SETTINGS) -> None:
    """Rebuild the daily reminder job, and catch up on today's run when it was missed."""
    job_queue = application.job_queue
    assert job_queue is not None
    for name in (DAILY_JOB, CATCH_UP_JOB):
        for job in job_queue.get_jobs_by_name(name):
            job.schedule_removal()
    zone = application.bot_data.config.library.timezone
    job_queue.run_daily(
        daily_reminders,
        settings.run_at.replace(tzinfo=zone),
        name=DAILY_JOB,
        data=settings,
        job_kwargs={"misfire_grace_time": None},
    )
    job_queue.run_once(catch_up, 0, name=CATCH_UP_JOB, data=settings)
