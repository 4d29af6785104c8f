"""Circulation: requests, approvals, holds, desk lending, returns and renewals.

Each operation is one transaction that also enqueues the push messages it causes, so a
change and its notices commit together. No Telegram types: payloads are Bot API JSON.
"""

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import aiosqlite

from bot import texts
from bot.config import Config
from bot.core.loan_rules import (
    Decision,
    OpenLoanFacts,
    ReaderFacts,
    check_can_borrow,
    check_can_renew,
    hold_until,
    late_days,
    loan_terms,
)
from bot.core.roles import Identity
from db import accounts, catalog, loans, readers
from db.connection import Database
from db.loans import HoldResult, LoanRow, RequestOutcome
from db.outbox import enqueue
from db.readers import ReaderRecord

APPROVE = "ap"
REFUSE = "rf"
REFUSE_WITH = "rr"


class Outcome(StrEnum):
    """How a circulation operation ended, for the handler to put into words."""

    DONE = "done"
    REFUSED = "refused"
    NOT_FOUND = "not_found"
    NOT_YOURS = "not_yours"
    NOT_PENDING = "not_pending"
    MOVED_TO_LINE = "moved_to_line"
    ON_LOAN = "on_loan"
    HELD_FOR_OTHER = "held_for_other"
    UNAVAILABLE = "unavailable"
    NOT_ON_LOAN = "not_on_loan"


@dataclass(frozen=True)
class Result:
    """What happened, with the facts a reply needs."""

    outcome: Outcome
    request: RequestOutcome | None = None
    decision: Decision | None = None
    title: str = ""
    position: int = 0
    accession: str = ""
    due_on: date | None = None
    held_until: date | None = None
    late_days: int = 0
    reader: ReaderRecord | None = None
    next_reader: ReaderRecord | None = None
    status: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def message(text: str, buttons: list[list[tuple[str, str]]] | None = None) -> dict[str, Any]:
    """A sendMessage payload for the outbox, with optional inline buttons (text, data)."""
    payload: dict[str, Any] = {"method": "sendMessage", "text": text, "parse_mode": "HTML"}
    if buttons:
        payload["reply_markup"] = {
            "inline_keyboard": [
                [{"text": label, "callback_data": data} for label, data in row] for row in buttons
            ]
        }
    return payload


def class_part(class_name: str) -> str:
    return f" ({html.escape(class_name)})" if class_name else ""


def facts_of(reader: ReaderRecord) -> ReaderFacts:
    return ReaderFacts(
        category=reader.category,
        disadvantaged=reader.disadvantaged,
        active=reader.active,
        class_name=reader.class_name,
        left=reader.left_on is not None,
    )


def loan_facts(reader: ReaderRecord, loan: LoanRow) -> OpenLoanFacts:
    assert loan.loaned_on is not None and loan.due_on is not None
    return OpenLoanFacts(
        loan_id=loan.id,
        category=reader.category,
        kind=loan.kind,
        loaned_on=loan.loaned_on,
        due_on=loan.due_on,
        renewals=loan.renewals,
        whole_year=loan.whole_year,
    )


class Circulation:
    """The library's circulation desk, shared by every channel."""

    def __init__(self, db: Database, config: Config, notify: Callable[[], None]) -> None:
        self.db = db
        self.config = config
        self.notify = notify

    def _iso(self, now: datetime) -> str:
        return now.isoformat(timespec="seconds")

    def _date(self, day: date) -> str:
        return texts.format_date(day)

    async def _reader(self, reader_id: int) -> ReaderRecord | None:
        return await readers.get_reader(self.db, reader_id)

    async def _push(
        self, conn: aiosqlite.Connection, key: str, chat_id: int | None, payload: dict[str, Any]
    ) -> None:
        if chat_id is not None:
            await enqueue(conn, key=key, chat_id=chat_id, payload=payload)

    async def _push_reader(
        self, conn: aiosqlite.Connection, key: str, reader_id: int, payload: dict[str, Any]
    ) -> None:
        await self._push(conn, key, await accounts.reader_chat(conn, reader_id), payload)

    async def _check_borrow(self, reader: ReaderRecord, kind: str, today: date) -> Decision:
        open_loans = await loans.open_loans_of_reader(self.db.conn, reader.id)
        return check_can_borrow(
            self.config.loans,
            facts_of(reader),
            kind,
            today,
            [loan_facts(reader, loan) for loan in open_loans],
            self.config.calendar,
        )

    async def request_title(self, identity: Identity, title_id: int, now: datetime) -> Result:
        """A reader asks for a title: the librarian is asked, or the reader joins the line."""
        title = await catalog.get_title(self.db, title_id)
        if title is None or identity.reader_id is None:
            return Result(Outcome.NOT_FOUND)
        reader = await self._reader(identity.reader_id)
        if reader is None:
            return Result(Outcome.NOT_FOUND)
        decision = await self._check_borrow(reader, title.kind, now.date())
        if not decision.allowed:
            return Result(Outcome.REFUSED, decision=decision, title=title.title)
        async with self.db.transaction() as conn:
            asked = await loans.ask_for_title(conn, reader.id, title_id, self._iso(now))
            if asked.outcome is RequestOutcome.PENDING:
                on_shelf = await loans.free_copies(conn, title_id) + 1
                text = texts.NEW_REQUEST_FOR_LIBRARIAN.format(
                    request_id=asked.request_id,
                    reader=html.escape(reader.full_name),
                    class_part=class_part(reader.class_name),
                    title=html.escape(title.title),
                    on_shelf=on_shelf,
                )
                buttons = [
                    [
                        (texts.BUTTON_APPROVE, f"{APPROVE}:{asked.request_id}"),
                        (texts.BUTTON_REFUSE, f"{REFUSE}:{asked.request_id}"),
                    ]
                ]
                for chat_id in await accounts.librarian_chats(
                    conn, self.config.library.librarians
                ):
                    await self._push(
                        conn,
                        f"request:{asked.request_id}:{chat_id}",
                        chat_id,
                        message(text, buttons),
                    )
        self.notify()
        return Result(
            Outcome.DONE, request=asked.outcome, title=title.title, position=asked.position
        )

    async def _serve_line(
        self, conn: aiosqlite.Connection, title_id: int, today: date, now: datetime
    ) -> list[HoldResult]:
        """Give copies back on the shelf to the next readers in line."""
        served = []
        until = hold_until(self.config.calendar, today, self.config.loans.hold_days)
        while (request_id := await loans.next_in_line(conn, title_id)) is not None:
            hold = await loans.hold_copy_for(
                conn, request_id, until, decided_by=None, now_iso=self._iso(now)
            )
            if hold is None:
                break
            served.append(hold)
            await self._push_reader(
                conn,
                f"turn:{request_id}",
                hold.reader_id,
                message(
                    texts.YOUR_TURN.format(
                        title=html.escape(hold.title),
                        accession=html.escape(hold.accession),
                        until=self._date(until),
                    )
                ),
            )
        return served

    async def approve(self, request_id: int, librarian_id: int, now: datetime) -> Result:
        """Approve a pending request: hold a copy, or move the request into the line."""
        today = now.date()
        until = hold_until(self.config.calendar, today, self.config.loans.hold_days)
        async with self.db.transaction() as conn:
            request = await loans.get_request(conn, request_id)
            if request is None:
                return Result(Outcome.NOT_FOUND)
            if request.status != "pending":
                return Result(Outcome.NOT_PENDING, title=request.title)
            hold = await loans.hold_copy_for(
                conn, request_id, until, decided_by=librarian_id, now_iso=self._iso(now)
            )
            if hold is None:
                position = await loans.move_to_line(conn, request_id)
                await self._push_reader(
                    conn,
                    f"approved-line:{request_id}",
                    request.reader_id,
                    message(
                        texts.REQUEST_WAITING.format(
                            title=html.escape(request.title), position=position
                        )
                    ),
                )
                outcome = Result(Outcome.MOVED_TO_LINE, title=request.title, position=position)
            else:
                await self._push_reader(
                    conn,
                    f"approved:{request_id}",
                    request.reader_id,
                    message(
                        texts.REQUEST_APPROVED_FOR_READER.format(
                            title=html.escape(request.title),
                            accession=html.escape(hold.accession),
                            until=self._date(until),
                            hours=html.escape(self.config.library.opening_hours),
                        )
                    ),
                )
                outcome = Result(
                    Outcome.DONE,
                    title=request.title,
                    accession=hold.accession,
                    held_until=until,
                    extra={"reader_name": request.reader_name},
                )
        self.notify()
        return outcome

    async def refuse(
        self, request_id: int, reason_code: str, librarian_id: int, now: datetime
    ) -> Result:
        """Refuse a pending request with one of the stock reasons; the reader is told."""
        reason = texts.REFUSAL_REASONS.get(reason_code)
        if reason is None:
            return Result(Outcome.NOT_FOUND)
        async with self.db.transaction() as conn:
            request = await loans.get_request(conn, request_id)
            if request is None:
                return Result(Outcome.NOT_FOUND)
            closed = request.status == "pending" and await loans.close_request(
                conn,
                request_id,
                "refused",
                now_iso=self._iso(now),
                decided_by=librarian_id,
                reason=reason,
            )
            if not closed:
                return Result(Outcome.NOT_PENDING, title=request.title)
            await self._push_reader(
                conn,
                f"refused:{request_id}",
                request.reader_id,
                message(
                    texts.REQUEST_REFUSED_FOR_READER.format(
                        title=html.escape(request.title), reason=html.escape(reason)
                    )
                ),
            )
        self.notify()
        return Result(Outcome.DONE, title=request.title, extra={"reason": reason})

    async def cancel(self, identity: Identity, request_id: int, now: datetime) -> Result:
        """The reader withdraws a request or leaves the line; a held copy goes to the next."""
        async with self.db.transaction() as conn:
            request = await loans.get_request(conn, request_id)
            if request is None or request.status not in loans.ACTIVE_REQUEST:
                return Result(Outcome.NOT_FOUND)
            if request.reader_id != identity.reader_id:
                return Result(Outcome.NOT_YOURS)
            title_id = await loans.release_hold_of_request(conn, request_id)
            await loans.close_request(conn, request_id, "cancelled", now_iso=self._iso(now))
            if title_id is not None:
                await self._serve_line(conn, title_id, now.date(), now)
        self.notify()
        return Result(Outcome.DONE, title=request.title)

    async def renew(self, identity: Identity, loan_id: int, now: datetime) -> Result:
        """Extend the reader's own loan when the rules allow it."""
        reader = await self._reader(identity.reader_id) if identity.reader_id else None
        async with self.db.transaction() as conn:
            loan = await loans.get_loan(conn, loan_id)
            if loan is None or loan.state != "open":
                return Result(Outcome.NOT_FOUND)
            if reader is None or loan.reader_id != reader.id:
                return Result(Outcome.NOT_YOURS)
            decision = check_can_renew(
                self.config.loans,
                self.config.calendar,
                loan_facts(reader, loan),
                now.date(),
                await loans.someone_waiting(conn, loan.title_id),
            )
            if not decision.allowed or decision.due_on is None:
                return Result(Outcome.REFUSED, decision=decision, title=loan.title)
            await loans.extend_loan(conn, loan_id, decision.due_on)
        return Result(Outcome.DONE, title=loan.title, due_on=decision.due_on)

    async def lend(
        self, accession: str, reader_id: int, librarian_id: int, now: datetime
    ) -> Result:
        """Lend a copy at the desk (the reader's hold on it, if any, becomes the loan)."""
        copy = await catalog.find_copy(self.db, accession)
        reader = await self._reader(reader_id)
        if copy is None or reader is None:
            return Result(Outcome.NOT_FOUND)
        title = await catalog.get_title(self.db, copy.title_id)
        assert title is not None
        today = now.date()
        decision = await self._check_borrow(reader, title.kind, today)
        if not decision.allowed:
            return Result(Outcome.REFUSED, decision=decision, title=title.title, reader=reader)
        terms = loan_terms(
            self.config.loans, self.config.calendar, facts_of(reader), title.kind, today
        )
        async with self.db.transaction() as conn:
            active = await loans.active_loan_of_copy(conn, copy.id)
            if active is not None and active.state == "open":
                return Result(Outcome.ON_LOAN, accession=copy.accession, title=title.title)
            if active is not None and active.reader_id != reader.id:
                holder = await self._reader(active.reader_id)
                return Result(
                    Outcome.HELD_FOR_OTHER,
                    accession=copy.accession,
                    title=title.title,
                    reader=holder,
                )
            if active is None and copy.status != "on_shelf":
                return Result(
                    Outcome.UNAVAILABLE,
                    accession=copy.accession,
                    title=title.title,
                    status=copy.status,
                )
            loan_id = await loans.open_loan(
                conn,
                copy.id,
                reader.id,
                today,
                terms.due_on,
                whole_year=terms.whole_year,
                lent_by=librarian_id,
            )
            await self._push_reader(
                conn,
                f"lent:{loan_id}",
                reader.id,
                message(
                    texts.LENT_FOR_READER.format(
                        title=html.escape(title.title),
                        accession=html.escape(copy.accession),
                        due=self._date(terms.due_on),
                    )
                ),
            )
        self.notify()
        return Result(
            Outcome.DONE,
            title=title.title,
            accession=copy.accession,
            due_on=terms.due_on,
            reader=reader,
        )

    async def take_back(self, accession: str, now: datetime) -> Result:
        """Record a return; the copy goes to the next reader in line, if any."""
        copy = await catalog.find_copy(self.db, accession)
        if copy is None:
            return Result(Outcome.NOT_FOUND)
        today = now.date()
        async with self.db.transaction() as conn:
            loan = await loans.active_loan_of_copy(conn, copy.id)
            if loan is None or loan.state != "open" or loan.due_on is None:
                return Result(Outcome.NOT_ON_LOAN, accession=copy.accession)
            late = late_days(self.config.calendar, loan.due_on, today)
            await loans.close_loan(conn, loan.id, today, late)
            served = await self._serve_line(conn, loan.title_id, today, now)
        self.notify()
        return Result(
            Outcome.DONE,
            title=loan.title,
            accession=copy.accession,
            late_days=late,
            reader=await self._reader(loan.reader_id),
            next_reader=await self._reader(served[0].reader_id) if served else None,
        )

    async def mark_copy(self, accession: str, status: str, note: str, now: datetime) -> Result:
        """Mark a copy lost or damaged; a hold on it goes back to the line."""
        copy = await catalog.find_copy(self.db, accession)
        if copy is None or status not in ("lost", "damaged"):
            return Result(Outcome.NOT_FOUND)
        async with self.db.transaction() as conn:
            active = await loans.active_loan_of_copy(conn, copy.id)
            await loans.set_copy_status(conn, copy.id, status, note)
            if active is not None and active.state == "held" and active.request_id is not None:
                await loans.requeue_request(conn, active.request_id)
                await self._serve_line(conn, copy.title_id, now.date(), now)
        self.notify()
        return Result(Outcome.DONE, accession=copy.accession, status=status)

    async def expire_holds(self, now: datetime) -> int:
        """End holds nobody collected in time and pass their copies down the line."""
        today = now.date()
        async with self.db.transaction() as conn:
            expired = await loans.expired_holds(conn, today)
            for hold in expired:
                await loans.expire_hold(conn, hold, self._iso(now))
            for title_id in {hold.title_id for hold in expired}:
                await self._serve_line(conn, title_id, today, now)
        if expired:
            self.notify()
        return len(expired)
