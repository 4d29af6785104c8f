"""Personal data use cases: parents' consent, a reader's data, erasure, leavers, the audit log."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.privacy import (
    POSTPONE_DAYS,
    STUDENT,
    forget_day,
    forget_due_on,
    may_record_consent,
    needs_notice,
    ready_to_forget,
)
from bot.core.roles import Action, Identity, Role, may, roles_of
from db import outbox, privacy, readers
from db.accounts import librarian_chats
from db.connection import Database
from db.privacy import AuditEntry, ForgetStatus, Forgotten, HeldData, Leaver, Withdrawal
from db.readers import ReaderRecord

AUDIT_DAYS = 30


class Outcome(StrEnum):
    """How a consent, erasure or postponement request ended."""

    DONE = "done"
    ALREADY = "already"
    NONE = "none"
    NOT_FOUND = "not_found"
    NOT_A_STUDENT = "not_a_student"
    NOT_ALLOWED = "not_allowed"
    OTHER_CLASS = "other_class"
    FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class ConsentResult:
    """The outcome, the reader it concerned and, for a withdrawal, what it undid."""

    outcome: Outcome
    reader: ReaderRecord | None = None
    withdrawal: Withdrawal | None = None


def _consent_source(identity: Identity) -> str:
    return "librarian" if Role.LIBRARIAN in roles_of(identity) else "homeroom"


async def consent_target(db: Database, identity: Identity, code: str) -> ConsentResult:
    """Check that identity may record or withdraw consent for the reader with this code."""
    if not may(identity, Action.RECORD_CONSENT):
        return ConsentResult(Outcome.NOT_ALLOWED)
    reader = await readers.find_reader_by_code(db, code)
    return _check_target(identity, reader)


async def consent_target_by_id(db: Database, identity: Identity, reader_id: int) -> ConsentResult:
    """The same check for a reader named by id (a button's data comes from the client)."""
    if not may(identity, Action.RECORD_CONSENT):
        return ConsentResult(Outcome.NOT_ALLOWED)
    reader = await readers.get_reader(db, reader_id)
    return _check_target(identity, reader if reader is not None and reader.active else None)


def _check_target(identity: Identity, reader: ReaderRecord | None) -> ConsentResult:
    if reader is None:
        return ConsentResult(Outcome.NOT_FOUND)
    if reader.category != STUDENT:
        return ConsentResult(Outcome.NOT_A_STUDENT, reader)
    if not may_record_consent(
        librarian=Role.LIBRARIAN in roles_of(identity),
        homeroom_class=identity.homeroom_class,
        reader_class=reader.class_name,
        reader_category=reader.category,
    ):
        return ConsentResult(Outcome.OTHER_CLASS, reader)
    return ConsentResult(Outcome.DONE, reader)


async def record_consent(
    db: Database, identity: Identity, reader_id: int, now: datetime
) -> ConsentResult:
    """Record, after the confirm, that the student's parent agreed (told to this person today)."""
    checked = await consent_target_by_id(db, identity, reader_id)
    if checked.outcome is not Outcome.DONE or checked.reader is None:
        return checked
    recorded = await privacy.record_consent(
        db,
        reader_id,
        given_on=now.date(),
        source=_consent_source(identity),
        recorded_by=identity.user_id,
        now=now,
    )
    return ConsentResult(Outcome.DONE if recorded else Outcome.ALREADY, checked.reader)


async def withdraw_consent(
    db: Database, identity: Identity, reader_id: int, now: datetime
) -> ConsentResult:
    """Withdraw the consent at the parent's request: unlink the phone and stop its pushes."""
    checked = await consent_target_by_id(db, identity, reader_id)
    if checked.outcome is not Outcome.DONE or checked.reader is None:
        return checked
    withdrawal = await privacy.withdraw_consent(
        db, reader_id, by=identity.user_id, source=_consent_source(identity), now=now
    )
    if not withdrawal.withdrawn:
        return ConsentResult(Outcome.NONE, checked.reader)
    return ConsentResult(Outcome.DONE, checked.reader, withdrawal)


async def my_data(db: Database, identity: Identity) -> HeldData | None:
    """What the library holds about the linked reader asking (None when not linked)."""
    if identity.reader_id is None:
        return None
    return await privacy.held_data(db, identity.reader_id)


async def reader_data(
    db: Database, code: str, now: datetime, *, done_by: int, via: str, actor: str = ""
) -> HeldData | None:
    """What is held about the reader with this code, for a parent's request; the view is logged."""
    reader = await find_any_reader(db, code)
    if reader is None:
        return None
    data = await privacy.held_data(db, reader.id)
    await privacy.log_access(
        db,
        at=now,
        done_by=done_by,
        via=via,
        action="reader_data",
        reader_id=reader.id,
        actor=actor,
    )
    return data


async def find_any_reader(db: Database, code: str) -> ReaderRecord | None:
    """The reader with this code, at school or not (a leaver's parent may ask too)."""
    found = await db.fetchval("SELECT id FROM reader WHERE code = ?", (code.strip(),))
    return None if found is None else await readers.get_reader(db, int(found))


@dataclass(frozen=True)
class ForgetOutcome:
    """What an erasure request did: the erasure, or the status that stopped it."""

    forgotten: Forgotten | None
    status: ForgetStatus
    name: str = ""


async def forget_status(db: Database, reader_id: int) -> ForgetStatus:
    """Whether the reader is erased already and how many loans they still have open."""
    return await privacy.forget_status(db, reader_id)


async def forget_checked(
    db: Database, reader_id: int, now: datetime, *, done_by: int, via: str, actor: str = ""
) -> ForgetOutcome:
    """Erase the reader unless a loan is still open or they are erased already."""
    reader = await readers.get_reader(db, reader_id)
    if reader is None:
        return ForgetOutcome(None, ForgetStatus(False, 0))
    status = await privacy.forget_status(db, reader_id)
    if status.forgotten:
        # Asked again (the files were busy the first time): finish cleaning them.
        await privacy.compact(db)
    if status.forgotten or status.open_loans:
        return ForgetOutcome(None, status, reader.full_name)
    done = await forget(db, reader_id, now, done_by=done_by, via=via, actor=actor)
    return ForgetOutcome(done, status, reader.full_name)


async def forget(
    db: Database, reader_id: int, now: datetime, *, done_by: int, via: str, actor: str = ""
) -> Forgotten | None:
    """Erase a reader's personal data for good and write who did it in the audit log."""
    done = await privacy.forget_reader(db, reader_id, now)
    if done is not None:
        await privacy.log_access(
            db,
            at=now,
            done_by=done_by,
            via=via,
            action="forget_reader",
            reader_id=reader_id,
            actor=actor,
        )
    return done


async def postpone(
    db: Database, identity: Identity, code: str, reason: str, now: datetime
) -> tuple[Outcome, ReaderRecord | None, date | None]:
    """Put off a leaver's automatic anonymisation by POSTPONE_DAYS, for a recorded reason."""
    if not may(identity, Action.FORGET_READER):
        return Outcome.NOT_ALLOWED, None, None
    reader = await find_any_reader(db, code)
    if reader is None:
        return Outcome.NOT_FOUND, None, None
    if reader.left_on is None:
        return Outcome.NONE, reader, None
    until = now.date() + timedelta(days=POSTPONE_DAYS)
    await privacy.postpone(db, reader.id, until, reason, identity.user_id, now)
    return Outcome.DONE, reader, until


async def record_view(
    db: Database,
    now: datetime,
    *,
    done_by: int,
    via: str,
    action: str,
    detail: str = "",
    actor: str = "",
) -> None:
    """Write in the audit log that someone viewed or exported others' personal data."""
    await privacy.log_access(
        db, at=now, done_by=done_by, via=via, action=action, detail=detail, actor=actor
    )


async def audit_log(db: Database, now: datetime, days: int = AUDIT_DAYS) -> list[AuditEntry]:
    """The audit log of the last days."""
    return await privacy.audit_entries(db, now - timedelta(days=days))


# --- leavers: notice a week ahead, then anonymise -------------------------------------------


@dataclass(frozen=True)
class PlannedLeaver:
    """A leaver and the day their data is planned to go."""

    leaver: Leaver
    planned: date


@dataclass
class ForgetPlan:
    """Today's work: leavers to announce to the librarian, and those to anonymise."""

    notices: list[PlannedLeaver] = field(default_factory=list)
    ready: list[PlannedLeaver] = field(default_factory=list)


def plan_forgetting(
    leavers: Iterable[Leaver], today: date, keep_days: int, noticed: dict[int, date | None]
) -> ForgetPlan:
    """Sort leavers into those to announce and those due today (noticed: reader → notice day)."""
    plan = ForgetPlan()
    for leaver in leavers:
        due = forget_due_on(leaver.left_on, leaver.last_closed, keep_days)
        planned = PlannedLeaver(leaver, forget_day(due, leaver.postponed_until))
        notice = noticed.get(leaver.reader_id)
        if needs_notice(today, planned.planned, notice):
            plan.notices.append(planned)
        elif ready_to_forget(today, planned.planned, notice):
            plan.ready.append(planned)
    return plan


@dataclass(frozen=True)
class ForgetRun:
    """What one daily run did."""

    noticed: list[PlannedLeaver]
    forgotten: list[str]


async def run_forgetting(
    db: Database,
    now: datetime,
    keep_days: int,
    config_librarians: frozenset[int],
    notice_text: "Callable[[list[PlannedLeaver]], str]",
) -> ForgetRun:
    """Tell the librarian of leavers due within a week; anonymise those told a week ago."""
    today = now.date()
    leavers = await privacy.leavers_without_loans(db)
    noticed: dict[int, date | None] = {}
    for leaver in leavers:
        due = forget_day(
            forget_due_on(leaver.left_on, leaver.last_closed, keep_days), leaver.postponed_until
        )
        noticed[leaver.reader_id] = await privacy.noticed_on(db, leaver.reader_id, due)
    plan = plan_forgetting(leavers, today, keep_days, noticed)
    if plan.notices:
        async with db.transaction() as conn:
            await privacy.record_notices(
                conn, [(item.leaver.reader_id, item.planned) for item in plan.notices], today
            )
            for chat_id in await librarian_chats(conn, config_librarians):
                await outbox.enqueue(
                    conn,
                    key=f"forget-notice:{today.isoformat()}:{chat_id}",
                    chat_id=chat_id,
                    payload={
                        "method": "sendMessage",
                        "text": notice_text(plan.notices),
                        "parse_mode": "HTML",
                    },
                )
    forgotten = []
    for item in plan.ready:
        done = await privacy.forget_reader(db, item.leaver.reader_id, now, compact_files=False)
        if done is not None:
            await privacy.log_access(
                db,
                at=now,
                done_by=0,
                via="system",
                action="forget_reader",
                reader_id=item.leaver.reader_id,
            )
            forgotten.append(done.code)
    if forgotten:
        await privacy.compact(db)
    return ForgetRun(plan.notices, forgotten)
