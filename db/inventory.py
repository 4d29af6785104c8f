"""Inventory SQL: sessions, scans, the inventory team, frozen findings and marking copies lost."""

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.core.inventory import (
    RECORDING,
    WRITTEN_OFF,
    Finding,
    ScanOutcome,
    Scope,
    ScopeKind,
    classify,
    scan_outcome,
    tally,
)
from db import outbox
from db.catalog import accession_key, natural_key
from db.connection import Database

_SESSION_COLUMNS = (
    "id, scope_kind, scope_value, state, started_by, starter_name, started_at, last_copy_id,"
    " closed_at, lost_marked"
)
_WRITTEN_OFF_SQL = ", ".join(f"'{status}'" for status in sorted(WRITTEN_OFF))


@dataclass(frozen=True)
class SessionRecord:
    """An inventory session (phiên kiểm kê)."""

    id: int
    scope: Scope
    state: str
    started_by: int
    starter_name: str
    started_at: datetime
    last_copy_id: int
    closed_at: datetime | None
    lost_marked: int | None


@dataclass(frozen=True)
class ScanResult:
    """One accession number of a scan or a typed batch, and what it did."""

    accession: str
    outcome: ScanOutcome
    copy_id: int | None = None
    title: str = ""
    status: str = ""
    reader_name: str = ""
    class_name: str = ""
    due_on: date | None = None
    seen_at: datetime | None = None


@dataclass(frozen=True)
class ReportLine:
    """One copy in the report of an ended session."""

    finding: Finding
    accession: str
    title: str
    author: str
    kind: str
    location: str
    status: str
    price: int | None
    seen_at: datetime | None
    seen_by: str
    reader_name: str
    class_name: str
    due_on: date | None


@dataclass(frozen=True)
class Helper:
    """A member of a session's inventory team."""

    user_id: int
    reader_id: int
    name: str


def _moment(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _session(row: aiosqlite.Row) -> SessionRecord:
    return SessionRecord(
        id=row["id"],
        scope=Scope(ScopeKind(row["scope_kind"]), row["scope_value"]),
        state=row["state"],
        started_by=row["started_by"],
        starter_name=row["starter_name"],
        started_at=datetime.fromisoformat(row["started_at"]),
        last_copy_id=row["last_copy_id"],
        closed_at=_moment(row["closed_at"]),
        lost_marked=row["lost_marked"],
    )


def _scope_filter(scope: Scope) -> tuple[str, list[Any]]:
    """A condition on copy c and title t that keeps the scope's copies."""
    if scope.kind is ScopeKind.KIND:
        return "t.kind = ?", [scope.value]
    if scope.kind is ScopeKind.PREFIX:
        return "upper(substr(c.accession, 1, ?)) = ?", [len(scope.value), scope.value]
    return "1", []


async def _fetchall(conn: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


async def open_session(db: Database) -> SessionRecord | None:
    """Return the library's open session, if any."""
    row = await db.fetchone(
        f"SELECT {_SESSION_COLUMNS} FROM inventory_session WHERE state = 'open'"
    )
    return None if row is None else _session(row)


async def get_session(db: Database, session_id: int) -> SessionRecord | None:
    """Return the session with this id, or None."""
    row = await db.fetchone(
        f"SELECT {_SESSION_COLUMNS} FROM inventory_session WHERE id = ?", (session_id,)
    )
    return None if row is None else _session(row)


async def book_kinds(db: Database) -> list[str]:
    """Return the kinds of book (SGK, STK, Truyện…) the catalog holds."""
    rows = await db.fetchall("SELECT DISTINCT kind FROM title WHERE kind <> '' ORDER BY kind")
    return [row[0] for row in rows]


async def count_scope(db: Database, scope: Scope) -> int:
    """Return how many copies the scope covers."""
    where, params = _scope_filter(scope)
    return int(
        await db.fetchval(
            f"SELECT count(*) FROM copy c JOIN title t ON t.id = c.title_id WHERE {where}",
            params,
        )
    )


async def start_session(
    db: Database, scope: Scope, user_id: int, name: str, now: datetime
) -> SessionRecord | None:
    """Open a session; None when another session of the library is still open."""
    try:
        async with db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO inventory_session (scope_kind, scope_value, started_by,"
                " starter_name, started_at, last_copy_id)"
                " VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM copy))",
                (scope.kind.value, scope.value, user_id, name, now.isoformat(timespec="seconds")),
            )
    except sqlite3.IntegrityError:
        return None
    assert cursor.lastrowid is not None
    return await get_session(db, cursor.lastrowid)


async def is_helper(db: Database, session_id: int, user_id: int) -> bool:
    """Say whether the user is on the session's inventory team."""
    row = await db.fetchone(
        "SELECT 1 FROM inventory_helper WHERE session_id = ? AND user_id = ?",
        (session_id, user_id),
    )
    return row is not None


async def add_helper(
    db: Database,
    session_id: int,
    helper: Helper,
    added_by: int,
    now: datetime,
    notice: dict[str, Any],
) -> bool:
    """Put a linked reader on the open session's team and queue the invitation; False if there."""
    moment = now.isoformat(timespec="seconds")
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO inventory_helper (session_id, user_id, reader_id, added_by, added_at)"
            " SELECT ?, ?, ?, ?, ? WHERE EXISTS"
            " (SELECT 1 FROM inventory_session WHERE id = ? AND state = 'open')"
            " ON CONFLICT DO NOTHING",
            (session_id, helper.user_id, helper.reader_id, added_by, moment, session_id),
        )
        if cursor.rowcount != 1:
            return False
        for chat_id in await _helper_chats(conn, session_id, [helper.user_id]):
            await outbox.enqueue(
                conn,
                key=f"inventory:{session_id}:helper:{helper.user_id}:{moment}",
                chat_id=chat_id,
                payload=notice,
            )
    return True


async def remove_helper(db: Database, session_id: int, user_id: int) -> bool:
    """Take a member off the session's team; False if they were not on it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM inventory_helper WHERE session_id = ? AND user_id = ?",
            (session_id, user_id),
        )
    return cursor.rowcount == 1


async def helpers(db: Database, session_id: int) -> list[Helper]:
    """Return the session's team, by name."""
    rows = await db.fetchall(
        "SELECT h.user_id, h.reader_id, r.full_name FROM inventory_helper h"
        " JOIN reader r ON r.id = h.reader_id WHERE h.session_id = ? ORDER BY r.folded_name",
        (session_id,),
    )
    return [Helper(row[0], row[1], row[2]) for row in rows]


async def _helper_chats(
    conn: aiosqlite.Connection, session_id: int, user_ids: Sequence[int] | None = None
) -> list[int]:
    rows = await _fetchall(
        conn,
        "SELECT a.chat_id, h.user_id FROM inventory_helper h JOIN account a"
        " ON a.channel = 'telegram' AND a.user_id = h.user_id AND a.blocked = 0"
        " WHERE h.session_id = ?",
        (session_id,),
    )
    return [row[0] for row in rows if user_ids is None or row[1] in user_ids]


async def record_scans(
    db: Database, session: SessionRecord, accessions: Sequence[str], user_id: int, now: datetime
) -> list[ScanResult]:
    """Record a batch of accession numbers as seen, in one transaction; say what each did."""
    keys = [accession_key(accession) for accession in accessions]
    unique = sorted(set(keys))
    moment = now.isoformat(timespec="seconds")
    results: list[ScanResult] = []
    async with db.transaction() as conn:
        rows = await _fetchall(
            conn,
            "SELECT c.id, c.accession, c.status, t.title, t.kind, l.id AS loan_id,"
            " r.full_name, r.class_name, l.due_on, s.seen_at"
            " FROM copy c JOIN title t ON t.id = c.title_id"
            " LEFT JOIN loan l ON l.copy_id = c.id AND l.state = 'open'"
            " LEFT JOIN reader r ON r.id = l.reader_id"
            " LEFT JOIN inventory_scan s ON s.session_id = ? AND s.copy_id = c.id"
            f" WHERE c.accession IN ({', '.join('?' * len(unique))})",
            [session.id, *unique],
        )
        found = {accession_key(row["accession"]): row for row in rows}
        seen_now: dict[str, datetime] = {}
        inserts = []
        for typed, key in zip(accessions, keys, strict=True):
            row = found.get(key)
            if row is None:
                results.append(ScanResult(typed, ScanOutcome.UNKNOWN))
                continue
            seen_at = seen_now.get(key) or _moment(row["seen_at"])
            outcome = scan_outcome(
                known=True,
                in_scope=session.scope.covers(row["accession"], row["kind"]),
                already_seen=seen_at is not None,
                status=row["status"],
                open_loan=row["loan_id"] is not None,
            )
            if outcome in RECORDING:
                seen_now[key] = now
                inserts.append((session.id, row["id"], moment, user_id))
            results.append(
                ScanResult(
                    accession=row["accession"],
                    outcome=outcome,
                    copy_id=row["id"],
                    title=row["title"],
                    status=row["status"],
                    reader_name=row["full_name"] or "",
                    class_name=row["class_name"] or "",
                    due_on=_day(row["due_on"]),
                    seen_at=seen_at,
                )
            )
        await conn.executemany(
            "INSERT INTO inventory_scan (session_id, copy_id, seen_at, seen_by)"
            " VALUES (?, ?, ?, ?)",
            inserts,
        )
    return results


async def _scope_rows(conn: aiosqlite.Connection, session: SessionRecord) -> list[Any]:
    """Each copy the session counts: id, status, open loan, whether it was seen."""
    where, params = _scope_filter(session.scope)
    return await _fetchall(
        conn,
        "SELECT c.id, c.status, l.id AS loan_id, s.copy_id IS NOT NULL AS seen"
        " FROM copy c JOIN title t ON t.id = c.title_id"
        " LEFT JOIN loan l ON l.copy_id = c.id AND l.state = 'open'"
        " LEFT JOIN inventory_scan s ON s.session_id = ? AND s.copy_id = c.id"
        f" WHERE (c.id <= ? OR s.copy_id IS NOT NULL) AND {where}",
        [session.id, session.last_copy_id, *params],
    )


async def progress(db: Database, session: SessionRecord) -> tuple[int, int]:
    """Return (copies seen, copies the scope expects to exist: not written off)."""
    where, params = _scope_filter(session.scope)
    seen = await db.fetchval(
        "SELECT count(*) FROM inventory_scan WHERE session_id = ?", (session.id,)
    )
    expected = await db.fetchval(
        "SELECT count(*) FROM copy c JOIN title t ON t.id = c.title_id"
        f" WHERE c.id <= ? AND c.status NOT IN ({_WRITTEN_OFF_SQL}) AND {where}",
        [session.last_copy_id, *params],
    )
    return int(seen), int(expected)


async def live_tally(db: Database, session: SessionRecord) -> dict[Finding, int]:
    """What the session would conclude if it ended now (missing = not seen yet)."""
    rows = await _scope_rows(db.conn, session)
    return tally(
        classify(
            status=row["status"], seen=bool(row["seen"]), open_loan=row["loan_id"] is not None
        )
        for row in rows
    )


async def end_session(
    db: Database, session_id: int, user_id: int, now: datetime, notice: dict[str, Any]
) -> bool:
    """Close the open session, freezing a finding for every copy; False if it was not open."""
    async with db.transaction() as conn:
        row = await _fetchall(
            conn, f"SELECT {_SESSION_COLUMNS} FROM inventory_session WHERE id = ?", [session_id]
        )
        if not row or row[0]["state"] != "open":
            return False
        session = _session(row[0])
        findings = []
        for copy in await _scope_rows(conn, session):
            finding = classify(
                status=copy["status"],
                seen=bool(copy["seen"]),
                open_loan=copy["loan_id"] is not None,
            )
            if finding is not None:
                findings.append(
                    (session_id, copy["id"], finding.value, copy["status"], copy["loan_id"])
                )
        await conn.executemany(
            "INSERT INTO inventory_finding (session_id, copy_id, finding, status, loan_id)"
            " VALUES (?, ?, ?, ?, ?)",
            findings,
        )
        await _close(conn, session_id, "ended", user_id, now, notice)
    return True


async def cancel_session(
    db: Database, session_id: int, user_id: int, now: datetime, notice: dict[str, Any]
) -> bool:
    """Drop the open session without a report; False if it was not open."""
    async with db.transaction() as conn:
        rows = await _fetchall(
            conn, "SELECT 1 FROM inventory_session WHERE id = ? AND state = 'open'", [session_id]
        )
        if not rows:
            return False
        await _close(conn, session_id, "cancelled", user_id, now, notice)
    return True


async def _close(
    conn: aiosqlite.Connection,
    session_id: int,
    state: str,
    user_id: int,
    now: datetime,
    notice: dict[str, Any],
) -> None:
    await conn.execute(
        "UPDATE inventory_session SET state = ?, closed_by = ?, closed_at = ? WHERE id = ?",
        (state, user_id, now.isoformat(timespec="seconds"), session_id),
    )
    for chat_id in await _helper_chats(conn, session_id):
        await outbox.enqueue(
            conn, key=f"inventory:{session_id}:closed:{chat_id}", chat_id=chat_id, payload=notice
        )


async def report(db: Database, session_id: int) -> list[ReportLine]:
    """Return the frozen findings of an ended session with what the report shows of each copy."""
    rows = await db.fetchall(
        "SELECT f.finding, c.accession, t.title, t.author, t.kind, c.location, f.status,"
        " c.price, s.seen_at,"
        " coalesce(sr.full_name, CASE WHEN s.seen_by = ss.started_by THEN ss.starter_name END,"
        "          sa.name, '') AS seen_by,"
        " coalesce(r.full_name, '') AS reader_name, coalesce(r.class_name, '') AS class_name,"
        " l.due_on"
        " FROM inventory_finding f"
        " JOIN inventory_session ss ON ss.id = f.session_id"
        " JOIN copy c ON c.id = f.copy_id JOIN title t ON t.id = c.title_id"
        " LEFT JOIN inventory_scan s ON s.session_id = f.session_id AND s.copy_id = f.copy_id"
        " LEFT JOIN account sa ON sa.channel = 'telegram' AND sa.user_id = s.seen_by"
        " LEFT JOIN reader sr ON sr.id = sa.reader_id"
        " LEFT JOIN loan l ON l.id = f.loan_id"
        " LEFT JOIN reader r ON r.id = l.reader_id"
        " WHERE f.session_id = ?",
        (session_id,),
    )
    lines = [
        ReportLine(
            finding=Finding(row["finding"]),
            accession=row["accession"],
            title=row["title"],
            author=row["author"],
            kind=row["kind"],
            location=row["location"],
            status=row["status"],
            price=row["price"],
            seen_at=_moment(row["seen_at"]),
            seen_by=row["seen_by"],
            reader_name=row["reader_name"],
            class_name=row["class_name"],
            due_on=_day(row["due_on"]),
        )
        for row in rows
    ]
    return sorted(lines, key=lambda line: natural_key(line.accession))


_MARKABLE = (
    " FROM copy WHERE id IN (SELECT copy_id FROM inventory_finding"
    " WHERE session_id = ? AND finding = 'missing')"
    " AND status IN ('on_shelf', 'damaged')"
    " AND NOT EXISTS (SELECT 1 FROM loan l WHERE l.copy_id = copy.id"
    " AND l.state IN ('held', 'open'))"
)


async def missing_standing(db: Database, session_id: int) -> list[tuple[str, str | None]]:
    """Return how each copy the session found missing stands now: (status, loan or hold)."""
    rows = await db.fetchall(
        "SELECT c.status, (SELECT l.state FROM loan l WHERE l.copy_id = c.id"
        "  AND l.state IN ('held', 'open') ORDER BY l.state = 'open' DESC LIMIT 1)"
        " FROM inventory_finding f JOIN copy c ON c.id = f.copy_id"
        " WHERE f.session_id = ? AND f.finding = 'missing'",
        (session_id,),
    )
    return [(row[0], row[1]) for row in rows]


async def markable_missing(db: Database, session_id: int) -> int:
    """How many missing copies of the session could still be marked lost (nobody has them)."""
    return int(await db.fetchval("SELECT count(*)" + _MARKABLE, (session_id,)))


async def mark_missing_lost(
    db: Database, session_id: int, now: datetime, note: str
) -> tuple[int, int] | None:
    """Mark the session's missing copies lost in one transaction: (marked, skipped).

    Copies lent, held or already re-marked since the session ended are skipped; None when the
    session is not ended or its missing copies were marked already.
    """
    async with db.transaction() as conn:
        rows = await _fetchall(
            conn,
            "SELECT (SELECT count(*) FROM inventory_finding WHERE session_id = s.id"
            " AND finding = 'missing') FROM inventory_session s"
            " WHERE s.id = ? AND s.state = 'ended' AND s.lost_marked IS NULL",
            [session_id],
        )
        if not rows:
            return None
        missing = int(rows[0][0])
        cursor = await conn.execute(
            "UPDATE copy SET status = 'lost',"
            " note = CASE WHEN note = '' THEN ? ELSE note || '; ' || ? END"
            " WHERE id IN (SELECT id" + _MARKABLE + ")",
            (note, note, session_id),
        )
        marked = cursor.rowcount
        await conn.execute(
            "UPDATE inventory_session SET lost_marked = ?, lost_marked_at = ? WHERE id = ?",
            (marked, now.isoformat(timespec="seconds"), session_id),
        )
    return marked, missing - marked
