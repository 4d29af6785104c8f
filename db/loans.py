"""Circulation SQL: borrow requests and waiting lines, holds, loans and returns.

Every function here runs inside the caller's transaction (`conn`), so that a change and the
push messages it causes (the outbox) commit together or not at all.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import aiosqlite

from db.connection import Database

ACTIVE_REQUEST = ("pending", "waiting", "held")


class RequestOutcome(StrEnum):
    """What asking for a title led to."""

    PENDING = "pending"
    WAITING = "waiting"
    ALREADY = "already"
    ALREADY_BORROWED = "already_borrowed"


@dataclass(frozen=True)
class RequestResult:
    outcome: RequestOutcome
    request_id: int | None = None
    position: int = 0


@dataclass(frozen=True)
class HoldResult:
    """A copy put aside for a reader (approval, a return, an expired hold)."""

    loan_id: int
    request_id: int
    reader_id: int
    copy_id: int
    accession: str
    title_id: int
    title: str
    held_until: date


@dataclass(frozen=True)
class LoanRow:
    """An open loan or hold with what screens and rules need."""

    id: int
    state: str
    copy_id: int
    accession: str
    title_id: int
    title: str
    kind: str
    reader_id: int
    loaned_on: date | None
    due_on: date | None
    held_until: date | None
    renewals: int
    request_id: int | None
    whole_year: bool


@dataclass(frozen=True)
class RequestRow:
    """A borrow request or place in line, with its title and reader."""

    id: int
    status: str
    title_id: int
    title: str
    reader_id: int
    reader_name: str
    class_name: str
    created_at: str
    position: int


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


_LOAN_SELECT = (
    "SELECT l.id, l.state, l.copy_id, c.accession, c.title_id, t.title, t.kind, l.reader_id,"
    " l.loaned_on, l.due_on, l.held_until, l.renewals, l.request_id, l.whole_year"
    " FROM loan l JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
)


def _loan(row: aiosqlite.Row) -> LoanRow:
    return LoanRow(
        id=row["id"],
        state=row["state"],
        copy_id=row["copy_id"],
        accession=row["accession"],
        title_id=row["title_id"],
        title=row["title"],
        kind=row["kind"],
        reader_id=row["reader_id"],
        loaned_on=_day(row["loaned_on"]),
        due_on=_day(row["due_on"]),
        held_until=_day(row["held_until"]),
        renewals=row["renewals"],
        request_id=row["request_id"],
        whole_year=bool(row["whole_year"]),
    )


def _request(row: aiosqlite.Row, position: int) -> RequestRow:
    return RequestRow(
        id=row["id"],
        status=row["status"],
        title_id=row["title_id"],
        title=row["title"],
        reader_id=row["reader_id"],
        reader_name=row["full_name"],
        class_name=row["class_name"],
        created_at=row["created_at"],
        position=position,
    )


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple) -> aiosqlite.Row | None:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def _all(conn: aiosqlite.Connection, sql: str, params: tuple) -> list[aiosqlite.Row]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def free_copies(conn: aiosqlite.Connection, title_id: int) -> int:
    """Copies on the shelf not already promised to pending requests."""
    row = await _one(
        conn,
        "SELECT (SELECT count(*) FROM copy WHERE title_id = ? AND status = 'on_shelf')"
        " - (SELECT count(*) FROM request WHERE title_id = ? AND status = 'pending')",
        (title_id, title_id),
    )
    return int(row[0]) if row else 0


async def line_position(conn: aiosqlite.Connection, request_id: int) -> int:
    """Place (1-based) of a waiting request in its title's line; 0 when not waiting."""
    row = await _one(
        conn,
        "SELECT CASE WHEN r.status = 'waiting' THEN (SELECT count(*) FROM request w"
        " WHERE w.title_id = r.title_id AND w.status = 'waiting' AND w.id <= r.id) ELSE 0 END"
        " FROM request r WHERE r.id = ?",
        (request_id,),
    )
    return int(row[0]) if row else 0


async def ask_for_title(
    conn: aiosqlite.Connection, reader_id: int, title_id: int, now_iso: str
) -> RequestResult:
    """Ask to borrow: pending when a copy is free, else a place in the waiting line."""
    existing = await _one(
        conn,
        "SELECT id FROM request WHERE reader_id = ? AND title_id = ?"
        " AND status IN ('pending', 'waiting', 'held')",
        (reader_id, title_id),
    )
    if existing is not None:
        return RequestResult(
            RequestOutcome.ALREADY, existing[0], await line_position(conn, existing[0])
        )
    borrowed = await _one(
        conn,
        "SELECT 1 FROM loan l JOIN copy c ON c.id = l.copy_id"
        " WHERE l.reader_id = ? AND c.title_id = ? AND l.state = 'open'",
        (reader_id, title_id),
    )
    if borrowed is not None:
        return RequestResult(RequestOutcome.ALREADY_BORROWED)
    status = "pending" if await free_copies(conn, title_id) > 0 else "waiting"
    cursor = await conn.execute(
        "INSERT INTO request (reader_id, title_id, status, created_at) VALUES (?, ?, ?, ?)",
        (reader_id, title_id, status, now_iso),
    )
    request_id = cursor.lastrowid
    assert request_id is not None
    if status == "pending":
        return RequestResult(RequestOutcome.PENDING, request_id)
    return RequestResult(RequestOutcome.WAITING, request_id, await line_position(conn, request_id))


async def get_request(conn: aiosqlite.Connection, request_id: int) -> RequestRow | None:
    row = await _one(
        conn,
        "SELECT q.id, q.status, q.title_id, t.title, q.reader_id, r.full_name, r.class_name,"
        " q.created_at FROM request q JOIN title t ON t.id = q.title_id"
        " JOIN reader r ON r.id = q.reader_id WHERE q.id = ?",
        (request_id,),
    )
    if row is None:
        return None
    return _request(row, await line_position(conn, request_id))


async def hold_copy_for(
    conn: aiosqlite.Connection,
    request_id: int,
    held_until: date,
    *,
    decided_by: int | None,
    now_iso: str,
) -> HoldResult | None:
    """Put a copy of the request's title aside for its reader; None when no copy is free."""
    request = await get_request(conn, request_id)
    if request is None or request.status not in ("pending", "waiting"):
        return None
    copy = await _one(
        conn,
        "SELECT id, accession FROM copy WHERE title_id = ? AND status = 'on_shelf'"
        " ORDER BY accession LIMIT 1",
        (request.title_id,),
    )
    if copy is None:
        return None
    cursor = await conn.execute(
        "INSERT INTO loan (copy_id, reader_id, request_id, state, held_until)"
        " VALUES (?, ?, ?, 'held', ?)",
        (copy["id"], request.reader_id, request_id, held_until.isoformat()),
    )
    await conn.execute("UPDATE copy SET status = 'held' WHERE id = ?", (copy["id"],))
    await conn.execute(
        "UPDATE request SET status = 'held', decided_at = ?, decided_by = coalesce(?, decided_by)"
        " WHERE id = ?",
        (now_iso, decided_by, request_id),
    )
    assert cursor.lastrowid is not None
    return HoldResult(
        loan_id=cursor.lastrowid,
        request_id=request_id,
        reader_id=request.reader_id,
        copy_id=copy["id"],
        accession=copy["accession"],
        title_id=request.title_id,
        title=request.title,
        held_until=held_until,
    )


async def move_to_line(conn: aiosqlite.Connection, request_id: int) -> int:
    """Turn a pending request into a place in the waiting line; return the place."""
    await conn.execute(
        "UPDATE request SET status = 'waiting' WHERE id = ? AND status = 'pending'", (request_id,)
    )
    return await line_position(conn, request_id)


async def close_request(
    conn: aiosqlite.Connection,
    request_id: int,
    status: str,
    *,
    now_iso: str,
    decided_by: int | None = None,
    reason: str = "",
) -> bool:
    """End an active request (refused, cancelled, expired, fulfilled); False if not active."""
    cursor = await conn.execute(
        "UPDATE request SET status = ?, decided_at = ?, decided_by = coalesce(?, decided_by),"
        " reason = ? WHERE id = ? AND status IN ('pending', 'waiting', 'held')",
        (status, now_iso, decided_by, reason, request_id),
    )
    return cursor.rowcount == 1


async def release_hold_of_request(conn: aiosqlite.Connection, request_id: int) -> int | None:
    """Cancel the hold made for a request and put its copy back; return the title id."""
    row = await _one(
        conn,
        "SELECT l.id, l.copy_id, c.title_id FROM loan l JOIN copy c ON c.id = l.copy_id"
        " WHERE l.request_id = ? AND l.state = 'held'",
        (request_id,),
    )
    if row is None:
        return None
    await conn.execute("UPDATE loan SET state = 'cancelled' WHERE id = ?", (row["id"],))
    await conn.execute("UPDATE copy SET status = 'on_shelf' WHERE id = ?", (row["copy_id"],))
    return int(row["title_id"])


async def next_in_line(conn: aiosqlite.Connection, title_id: int) -> int | None:
    """The oldest waiting request for the title."""
    row = await _one(
        conn,
        "SELECT id FROM request WHERE title_id = ? AND status = 'waiting' ORDER BY id LIMIT 1",
        (title_id,),
    )
    return None if row is None else int(row[0])


async def pending_requests(db: Database, *, limit: int = 20) -> list[RequestRow]:
    """Requests waiting for the librarian's decision, oldest first."""
    rows = await db.fetchall(
        "SELECT q.id, q.status, q.title_id, t.title, q.reader_id, r.full_name, r.class_name,"
        " q.created_at FROM request q JOIN title t ON t.id = q.title_id"
        " JOIN reader r ON r.id = q.reader_id WHERE q.status = 'pending' ORDER BY q.id LIMIT ?",
        (limit,),
    )
    return [_request(row, 0) for row in rows]


async def requests_of_reader(db: Database, reader_id: int) -> list[RequestRow]:
    """The reader's pending and waiting requests with their places in line."""
    rows = await db.fetchall(
        "SELECT q.id, q.status, q.title_id, t.title, q.reader_id, r.full_name, r.class_name,"
        " q.created_at, CASE WHEN q.status = 'waiting' THEN (SELECT count(*) FROM request w"
        " WHERE w.title_id = q.title_id AND w.status = 'waiting' AND w.id <= q.id) ELSE 0 END"
        " AS position FROM request q JOIN title t ON t.id = q.title_id"
        " JOIN reader r ON r.id = q.reader_id"
        " WHERE q.reader_id = ? AND q.status IN ('pending', 'waiting') ORDER BY q.id",
        (reader_id,),
    )
    return [_request(row, row["position"]) for row in rows]


async def loans_of_reader(db: Database, reader_id: int) -> list[LoanRow]:
    """The reader's open loans and holds, soonest due first."""
    rows = await db.fetchall(
        _LOAN_SELECT + " WHERE l.reader_id = ? AND l.state IN ('held', 'open')"
        " ORDER BY l.state DESC, coalesce(l.due_on, l.held_until), l.id",
        (reader_id,),
    )
    return [_loan(row) for row in rows]


async def get_loan(conn: aiosqlite.Connection, loan_id: int) -> LoanRow | None:
    row = await _one(conn, _LOAN_SELECT + " WHERE l.id = ?", (loan_id,))
    return None if row is None else _loan(row)


async def active_loan_of_copy(conn: aiosqlite.Connection, copy_id: int) -> LoanRow | None:
    """The open loan or hold on a copy, if any."""
    row = await _one(
        conn, _LOAN_SELECT + " WHERE l.copy_id = ? AND l.state IN ('held', 'open')", (copy_id,)
    )
    return None if row is None else _loan(row)


async def open_loan(
    conn: aiosqlite.Connection,
    copy_id: int,
    reader_id: int,
    loaned_on: date,
    due_on: date,
    *,
    whole_year: bool,
    lent_by: int,
) -> int:
    """Lend a copy: turn the reader's hold on it into a loan, or open a new loan."""
    hold = await _one(
        conn,
        "SELECT id, request_id FROM loan WHERE copy_id = ? AND reader_id = ? AND state = 'held'",
        (copy_id, reader_id),
    )
    if hold is not None:
        await conn.execute(
            "UPDATE loan SET state = 'open', loaned_on = ?, due_on = ?, whole_year = ?,"
            " lent_by = ? WHERE id = ?",
            (loaned_on.isoformat(), due_on.isoformat(), whole_year, lent_by, hold["id"]),
        )
        await conn.execute(
            "UPDATE request SET status = 'fulfilled' WHERE id = ?", (hold["request_id"],)
        )
        loan_id = int(hold["id"])
    else:
        cursor = await conn.execute(
            "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, whole_year, lent_by)"
            " VALUES (?, ?, 'open', ?, ?, ?, ?)",
            (copy_id, reader_id, loaned_on.isoformat(), due_on.isoformat(), whole_year, lent_by),
        )
        assert cursor.lastrowid is not None
        loan_id = cursor.lastrowid
        # A reader who asked for this title and takes a copy at the desk no longer waits.
        await conn.execute(
            "UPDATE request SET status = 'fulfilled' WHERE reader_id = ? AND status IN"
            " ('pending', 'waiting') AND title_id = (SELECT title_id FROM copy WHERE id = ?)",
            (reader_id, copy_id),
        )
    await conn.execute("UPDATE copy SET status = 'on_loan' WHERE id = ?", (copy_id,))
    return loan_id


async def close_loan(
    conn: aiosqlite.Connection, loan_id: int, returned_on: date, late_days: int
) -> None:
    """Record a return and put the copy back on the shelf."""
    await conn.execute(
        "UPDATE loan SET state = 'returned', returned_on = ?, late_days = ? WHERE id = ?",
        (returned_on.isoformat(), late_days, loan_id),
    )
    await conn.execute(
        "UPDATE copy SET status = 'on_shelf' WHERE id = (SELECT copy_id FROM loan WHERE id = ?)",
        (loan_id,),
    )


async def extend_loan(conn: aiosqlite.Connection, loan_id: int, due_on: date) -> None:
    await conn.execute(
        "UPDATE loan SET due_on = ?, renewals = renewals + 1 WHERE id = ? AND state = 'open'",
        (due_on.isoformat(), loan_id),
    )


async def someone_waiting(conn: aiosqlite.Connection, title_id: int) -> bool:
    row = await _one(
        conn,
        "SELECT 1 FROM request WHERE title_id = ? AND status IN ('waiting', 'pending') LIMIT 1",
        (title_id,),
    )
    return row is not None


async def expired_holds(conn: aiosqlite.Connection, today: date) -> list[LoanRow]:
    rows = await _all(
        conn, _LOAN_SELECT + " WHERE l.state = 'held' AND l.held_until < ?", (today.isoformat(),)
    )
    return [_loan(row) for row in rows]


async def expire_hold(conn: aiosqlite.Connection, loan: LoanRow, now_iso: str) -> None:
    """End an uncollected hold: the copy goes back, the request expires."""
    await conn.execute("UPDATE loan SET state = 'expired' WHERE id = ?", (loan.id,))
    await conn.execute("UPDATE copy SET status = 'on_shelf' WHERE id = ?", (loan.copy_id,))
    if loan.request_id is not None:
        await close_request(conn, loan.request_id, "expired", now_iso=now_iso)


async def set_copy_status(
    conn: aiosqlite.Connection, copy_id: int, status: str, note: str
) -> None:
    """Mark a copy lost or damaged (closing its loan as lost when it was out)."""
    await conn.execute(
        "UPDATE loan SET state = CASE state WHEN 'open' THEN 'lost' ELSE 'cancelled' END,"
        " note = ? WHERE copy_id = ? AND state IN ('held', 'open')",
        (note, copy_id),
    )
    await conn.execute(
        "UPDATE copy SET status = ?, note = ? WHERE id = ?", (status, note, copy_id)
    )


async def open_loans_of_reader(conn: aiosqlite.Connection, reader_id: int) -> list[LoanRow]:
    rows = await _all(
        conn, _LOAN_SELECT + " WHERE l.reader_id = ? AND l.state = 'open'", (reader_id,)
    )
    return [_loan(row) for row in rows]


async def whole_year_loans(db: Database, due_on: date) -> list[tuple[LoanRow, str, str]]:
    """Open whole-year loans (textbooks lent for the year) due by a day, with the reader."""
    rows = await db.fetchall(
        "SELECT l.id, l.state, l.copy_id, c.accession, c.title_id, t.title, t.kind, l.reader_id,"
        " l.loaned_on, l.due_on, l.held_until, l.renewals, l.request_id, l.whole_year,"
        " r.full_name,"
        " r.class_name FROM loan l JOIN copy c ON c.id = l.copy_id"
        " JOIN title t ON t.id = c.title_id JOIN reader r ON r.id = l.reader_id"
        " WHERE l.state = 'open' AND l.whole_year = 1 AND l.due_on <= ?"
        " ORDER BY r.class_name, r.folded_name, c.accession",
        (due_on.isoformat(),),
    )
    return [(_loan(row), row["full_name"], row["class_name"]) for row in rows]


async def requeue_request(conn: aiosqlite.Connection, request_id: int) -> None:
    """Put a request whose held copy was lost back in the line, keeping its place."""
    await conn.execute(
        "UPDATE request SET status = 'waiting' WHERE id = ? AND status = 'held'", (request_id,)
    )


async def record_past_loans(
    conn: aiosqlite.Connection, rows: list[tuple[int, int, date, date, date]]
) -> None:
    """Record closed loans (copy, reader, loaned, due, returned), e.g. from an old register."""
    await conn.executemany(
        "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on, late_days)"
        " VALUES (?, ?, 'returned', ?, ?, ?, 0)",
        [
            (copy_id, reader_id, loaned.isoformat(), due.isoformat(), returned.isoformat())
            for copy_id, reader_id, loaned, due, returned in rows
        ],
    )
