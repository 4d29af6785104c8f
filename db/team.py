"""The collaborator team's records: members, monthly meetings, answers, the clean-up roster."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import aiosqlite

from bot.core.team import Member
from db.connection import Database

PLANNED = "planned"
CANCELLED = "cancelled"
PRESENT = "present"
ABSENT = "absent"

_MEETING_COLUMNS = "id, month, day, at, agenda, status, revision, notified"


@dataclass(frozen=True)
class Meeting:
    """A month's meeting as stored: when, what about, and how far its notices went."""

    id: int
    month: str
    day: date
    at: time
    agenda: str
    status: str
    revision: int
    notified: int


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _meeting(row: aiosqlite.Row) -> Meeting:
    return Meeting(
        id=row["id"],
        month=row["month"],
        day=date.fromisoformat(row["day"]),
        at=time.fromisoformat(row["at"]),
        agenda=row["agenda"],
        status=row["status"],
        revision=row["revision"],
        notified=row["notified"],
    )


async def _one(conn: aiosqlite.Connection, sql: str, params: tuple) -> aiosqlite.Row | None:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def members(db: Database) -> list[Member]:
    """Accounts holding the collaborator role (readers who left excluded), unordered.

    A member who blocked the bot has no private chat to write to.
    """
    rows = await db.fetchall(
        "SELECT a.id, a.chat_id, a.blocked, coalesce(r.full_name, a.name) AS name"
        " FROM role_grant g JOIN account a ON a.id = g.account_id"
        " LEFT JOIN reader r ON r.id = a.reader_id"
        " WHERE g.role = 'collaborator' AND (r.id IS NULL OR r.active = 1)"
    )
    return [
        Member(row["id"], row["name"], None if row["blocked"] else int(row["chat_id"]))
        for row in rows
    ]


async def meeting_of_month(db: Database, month: str) -> Meeting | None:
    """The stored meeting of a month ("2026-11")."""
    row = await db.fetchone(
        f"SELECT {_MEETING_COLUMNS} FROM team_meeting WHERE month = ?", (month,)
    )
    return None if row is None else _meeting(row)


async def get_meeting(db: Database, meeting_id: int) -> Meeting | None:
    """The stored meeting with this id."""
    row = await db.fetchone(
        f"SELECT {_MEETING_COLUMNS} FROM team_meeting WHERE id = ?", (meeting_id,)
    )
    return None if row is None else _meeting(row)


async def read_meeting(conn: aiosqlite.Connection, meeting_id: int) -> Meeting | None:
    """Inside a transaction: the meeting with this id as it is now."""
    row = await _one(
        conn, f"SELECT {_MEETING_COLUMNS} FROM team_meeting WHERE id = ?", (meeting_id,)
    )
    return None if row is None else _meeting(row)


async def ensure_meeting(
    conn: aiosqlite.Connection, month: str, day: date, at: time, agenda: str, now: datetime
) -> Meeting:
    """Inside a transaction: the month's meeting, written down as planned if it was not yet."""
    await conn.execute(
        "INSERT OR IGNORE INTO team_meeting (month, day, at, agenda, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (month, day.isoformat(), at.strftime("%H:%M"), agenda, _iso(now)),
    )
    row = await _one(
        conn, f"SELECT {_MEETING_COLUMNS} FROM team_meeting WHERE month = ?", (month,)
    )
    assert row is not None
    return _meeting(row)


async def mark_notified(conn: aiosqlite.Connection, meeting_id: int, step: int) -> None:
    """Inside a transaction: record the last step sent for the meeting's current time."""
    await conn.execute("UPDATE team_meeting SET notified = ? WHERE id = ?", (step, meeting_id))


async def set_agenda(
    db: Database, meeting_id: int, agenda: str, by: int, now: datetime
) -> Meeting | None:
    """Replace a planned meeting's agenda; None when it is gone or cancelled."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE team_meeting SET agenda = ?, changed_by = ?, updated_at = ?"
            " WHERE id = ? AND status = 'planned'",
            (agenda, by, _iso(now), meeting_id),
        )
        if cursor.rowcount != 1:
            return None
        return await read_meeting(conn, meeting_id)


async def move_meeting(
    conn: aiosqlite.Connection,
    meeting_id: int,
    day: date,
    at: time,
    notified: int,
    by: int,
    now: datetime,
) -> Meeting:
    """Inside a transaction: set a new time, clear the answers given for the old one."""
    await conn.execute(
        "UPDATE team_meeting SET day = ?, at = ?, revision = revision + 1, notified = ?,"
        " changed_by = ?, updated_at = ? WHERE id = ?",
        (day.isoformat(), at.strftime("%H:%M"), notified, by, _iso(now), meeting_id),
    )
    await conn.execute("DELETE FROM team_answer WHERE meeting_id = ?", (meeting_id,))
    meeting = await read_meeting(conn, meeting_id)
    assert meeting is not None
    return meeting


async def cancel_meeting(
    conn: aiosqlite.Connection, meeting_id: int, by: int, now: datetime
) -> None:
    """Inside a transaction: mark the meeting cancelled."""
    await conn.execute(
        "UPDATE team_meeting SET status = 'cancelled', changed_by = ?, updated_at = ?"
        " WHERE id = ?",
        (by, _iso(now), meeting_id),
    )


async def record_answer(
    db: Database, meeting_id: int, account_id: int, answer: str, now: datetime
) -> str | None:
    """Store a member's answer; return the answer it replaced, if any."""
    async with db.transaction() as conn:
        row = await _one(
            conn,
            "SELECT answer FROM team_answer WHERE meeting_id = ? AND account_id = ?",
            (meeting_id, account_id),
        )
        await conn.execute(
            "INSERT INTO team_answer (meeting_id, account_id, answer, answered_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id, account_id) DO UPDATE SET"
            " answer = excluded.answer, answered_at = excluded.answered_at",
            (meeting_id, account_id, answer, _iso(now)),
        )
    return None if row is None else str(row[0])


async def answers(conn: aiosqlite.Connection, meeting_id: int) -> dict[int, str]:
    """Inside a transaction: each account's answer to the meeting."""
    async with conn.execute(
        "SELECT account_id, answer FROM team_answer WHERE meeting_id = ?", (meeting_id,)
    ) as cursor:
        return {int(row[0]): str(row[1]) for row in await cursor.fetchall()}


async def answers_of(db: Database, meeting_id: int) -> dict[int, str]:
    """Each account's answer to the meeting."""
    rows = await db.fetchall(
        "SELECT account_id, answer FROM team_answer WHERE meeting_id = ?", (meeting_id,)
    )
    return {int(row[0]): str(row[1]) for row in rows}


@dataclass(frozen=True)
class Duty:
    """A member on duty for a clean-up day, written down when announced (/lichtruc) or posted.

    What is written down is what is posted later, so the order announced holds even when the
    bot was down on a posting day or the team changed in between.
    """

    day: date
    account_id: int
    name: str


async def duties_between(conn: aiosqlite.Connection, first: date, last: date) -> list[Duty]:
    """Inside a transaction: who is on duty on the days from first to last, by day and position."""
    async with conn.execute(
        "SELECT day, account_id, name FROM team_duty WHERE day BETWEEN ? AND ?"
        " ORDER BY day, position",
        (first.isoformat(), last.isoformat()),
    ) as cursor:
        rows = await cursor.fetchall()
    return [Duty(date.fromisoformat(row[0]), int(row[1]), str(row[2])) for row in rows]


async def last_duty_before(conn: aiosqlite.Connection, day: date) -> Duty | None:
    """Inside a transaction: the member written down last before day; the rotation goes on."""
    row = await _one(
        conn,
        "SELECT day, account_id, name FROM team_duty WHERE day < ?"
        " ORDER BY day DESC, position DESC LIMIT 1",
        (day.isoformat(),),
    )
    return None if row is None else Duty(date.fromisoformat(row[0]), int(row[1]), str(row[2]))


async def week_duties(conn: aiosqlite.Connection, week: str) -> list[Duty]:
    """Inside a transaction: the members already posted for an ISO week, by position."""
    async with conn.execute(
        "SELECT day, account_id, name FROM team_duty WHERE week = ? ORDER BY position", (week,)
    ) as cursor:
        rows = await cursor.fetchall()
    return [Duty(date.fromisoformat(row[0]), int(row[1]), str(row[2])) for row in rows]


async def record_duties(
    conn: aiosqlite.Connection, week: str, day: date, on_duty: list[Member]
) -> None:
    """Inside a transaction: write down who is on duty for the week's clean-up day.

    A day already written down keeps its members.
    """
    await conn.executemany(
        "INSERT OR IGNORE INTO team_duty (week, day, position, account_id, name)"
        " VALUES (?, ?, ?, ?, ?)",
        [
            (week, day.isoformat(), position, member.account_id, member.name)
            for position, member in enumerate(on_duty)
        ],
    )
