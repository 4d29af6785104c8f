"""Year turn SQL: the students and groups it moves, the leavers it marks, the recall it sends.

Functions taking `conn` run inside the caller's transaction, so a year turn's writes and the
notices they cause commit together.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import aiosqlite

from db.connection import Database


@dataclass(frozen=True)
class TurnStudent:
    """A student at school now, as the year turn sees them."""

    id: int
    code: str
    full_name: str
    class_name: str


@dataclass(frozen=True)
class HeldLoan:
    """An open loan of a leaver or a whole-year loan, with its reader and their chat.

    left: the reader has left the school; homeroom_id: the homeroom teacher of a leaver's
    last class when they left; chat_id: the reader's private chat (None: none or blocked).
    """

    loan_id: int
    reader_id: int
    reader_name: str
    category: str
    class_name: str
    left: bool
    homeroom_id: int | None
    title: str
    accession: str
    due_on: date
    whole_year: bool
    chat_id: int | None


@dataclass(frozen=True)
class Teacher:
    """A homeroom teacher: their reader id, name, class and private chat (None: no account)."""

    reader_id: int
    full_name: str
    homeroom_class: str
    chat_id: int | None


async def last_applied(conn: aiosqlite.Connection) -> int | None:
    """The first calendar year of the latest school year turned into, None before any."""
    async with conn.execute("SELECT max(start_year) FROM year_turn") as cursor:
        row = await cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])


async def last_applied_year(db: Database) -> int | None:
    """last_applied outside a transaction (a preview)."""
    return await last_applied(db.conn)


async def current_students(conn: aiosqlite.Connection) -> list[TurnStudent]:
    """Students at school now (active, not left), by class and name."""
    async with conn.execute(
        "SELECT id, code, full_name, class_name FROM reader"
        " WHERE category = 'student' AND active = 1 AND left_on IS NULL"
        " ORDER BY class_name, folded_name, id"
    ) as cursor:
        rows = await cursor.fetchall()
    return [TurnStudent(row[0], row[1], row[2], row[3]) for row in rows]


async def class_groups(conn: aiosqlite.Connection) -> list[tuple[int, str]]:
    """Every registered class group (chat id, class), paused ones too."""
    async with conn.execute(
        "SELECT chat_id, class_name FROM chat_group WHERE kind = 'class' ORDER BY class_name"
    ) as cursor:
        return [(int(row[0]), str(row[1])) for row in await cursor.fetchall()]


async def homeroom_teachers(conn: aiosqlite.Connection) -> list[Teacher]:
    """Active readers heading a class now, with their chat."""
    async with conn.execute(
        "SELECT r.id, r.full_name, r.homeroom_class, a.chat_id FROM reader r"
        " LEFT JOIN account a ON a.reader_id = r.id AND a.blocked = 0"
        " WHERE r.active = 1 AND r.homeroom_class <> '' ORDER BY r.id"
    ) as cursor:
        rows = await cursor.fetchall()
    return [Teacher(row[0], row[1], row[2], row[3]) for row in rows]


async def teachers_by_id(conn: aiosqlite.Connection, ids: Sequence[int]) -> dict[int, Teacher]:
    """Readers by id with their chat (the homeroom teachers recorded for leavers)."""
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    async with conn.execute(
        "SELECT r.id, r.full_name, r.homeroom_class, a.chat_id FROM reader r"
        f" LEFT JOIN account a ON a.reader_id = r.id AND a.blocked = 0 WHERE r.id IN ({marks})",
        tuple(ids),
    ) as cursor:
        rows = await cursor.fetchall()
    return {row[0]: Teacher(row[0], row[1], row[2], row[3]) for row in rows}


_HELD = (
    "SELECT l.id, l.reader_id, r.full_name, r.category, r.class_name, r.left_on IS NOT NULL,"
    " yl.homeroom_id, t.title, c.accession, l.due_on, l.whole_year, a.chat_id"
    " FROM loan l JOIN reader r ON r.id = l.reader_id JOIN copy c ON c.id = l.copy_id"
    " JOIN title t ON t.id = c.title_id"
    " LEFT JOIN year_turn_leaver yl ON yl.reader_id = r.id"
    " LEFT JOIN account a ON a.reader_id = r.id AND a.blocked = 0"
    " WHERE l.state = 'open'"
)
_HELD_ORDER = " ORDER BY r.class_name, r.folded_name, r.id, l.due_on, c.accession"


def _held(row: aiosqlite.Row) -> HeldLoan:
    return HeldLoan(
        loan_id=row[0],
        reader_id=row[1],
        reader_name=row[2],
        category=row[3],
        class_name=row[4],
        left=bool(row[5]),
        homeroom_id=row[6],
        title=row[7],
        accession=row[8],
        due_on=date.fromisoformat(row[9]),
        whole_year=bool(row[10]),
        chat_id=row[11],
    )


async def open_loans_of(conn: aiosqlite.Connection, reader_ids: Sequence[int]) -> list[HeldLoan]:
    """The open loans of these readers, by class and name."""
    found: list[HeldLoan] = []
    for start in range(0, len(reader_ids), 400):
        chunk = tuple(reader_ids[start : start + 400])
        marks = ", ".join("?" * len(chunk))
        async with conn.execute(
            _HELD + f" AND l.reader_id IN ({marks})" + _HELD_ORDER, chunk
        ) as cursor:
            found += [_held(row) for row in await cursor.fetchall()]
    return found


async def recall_loans(conn: aiosqlite.Connection, deadline: date) -> list[HeldLoan]:
    """What the year-end recall asks back: whole-year loans due by the deadline, and every
    open loan of a reader who has left."""
    async with conn.execute(
        _HELD
        + " AND ((l.whole_year = 1 AND l.due_on <= ?) OR r.left_on IS NOT NULL)"
        + _HELD_ORDER,
        (deadline.isoformat(),),
    ) as cursor:
        return [_held(row) for row in await cursor.fetchall()]


async def leavers_loans(db: Database) -> list[HeldLoan]:
    """Open loans of readers who have left, outside a transaction (the /thuhoi list)."""
    async with db.conn.execute(_HELD + " AND r.left_on IS NOT NULL" + _HELD_ORDER) as cursor:
        return [_held(row) for row in await cursor.fetchall()]


async def record_turn(
    conn: aiosqlite.Connection,
    *,
    year: str,
    start_year: int,
    applied_at: str,
    applied_by: int | None,
    counts: tuple[int, int, int, int],
) -> bool:
    """Record a year turn (promoted, repeated, left, newcomers); False if already recorded."""
    async with conn.execute(
        "INSERT OR IGNORE INTO year_turn (year, start_year, applied_at, applied_by, promoted,"
        " repeated, left_count, newcomers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (year, start_year, applied_at, applied_by, *counts),
    ) as cursor:
        return cursor.rowcount == 1


async def move_students(conn: aiosqlite.Connection, moves: Sequence[tuple[int, str]]) -> None:
    """Put students (reader id, new class) in their class of the new year."""
    await conn.executemany(
        "UPDATE reader SET class_name = ? WHERE id = ? AND class_name <> ?",
        [(new_class, reader_id, new_class) for reader_id, new_class in moves],
    )


async def mark_leavers(
    conn: aiosqlite.Connection,
    leavers: Sequence[tuple[int, int | None]],
    *,
    year: str,
    left_on: date,
) -> None:
    """Record readers (id, homeroom teacher of their last class) as gone from the school.

    Their class stays their last class; they stop being active readers on that day.
    """
    await conn.executemany(
        "UPDATE reader SET active = 0, left_on = ? WHERE id = ? AND left_on IS NULL",
        [(left_on.isoformat(), reader_id) for reader_id, _ in leavers],
    )
    await conn.executemany(
        "INSERT INTO year_turn_leaver (reader_id, year, homeroom_id) VALUES (?, ?, ?)"
        " ON CONFLICT (reader_id) DO UPDATE SET year = excluded.year,"
        " homeroom_id = excluded.homeroom_id",
        [(reader_id, year, homeroom_id) for reader_id, homeroom_id in leavers],
    )


async def cancel_requests_of(
    conn: aiosqlite.Connection, reader_ids: Sequence[int], *, now_iso: str, reason: str
) -> int:
    """Close the pending requests and places in line of these readers; return how many."""
    total = 0
    for start in range(0, len(reader_ids), 400):
        chunk = tuple(reader_ids[start : start + 400])
        marks = ", ".join("?" * len(chunk))
        async with conn.execute(
            "UPDATE request SET status = 'cancelled', decided_at = ?, reason = ?"
            f" WHERE status IN ('pending', 'waiting') AND reader_id IN ({marks})",
            (now_iso, reason, *chunk),
        ) as cursor:
            total += cursor.rowcount
    return total


async def clear_homerooms(conn: aiosqlite.Connection) -> int:
    """End every homeroom assignment (they belong to a school year); return how many."""
    async with conn.execute(
        "UPDATE reader SET homeroom_class = '' WHERE homeroom_class <> ''"
    ) as cursor:
        return cursor.rowcount


async def move_group(
    conn: aiosqlite.Connection, chat_id: int, class_name: str, grade: int
) -> None:
    """Register a class group as the class its cohort moved up to."""
    await conn.execute(
        "UPDATE chat_group SET class_name = ?, grade = ? WHERE chat_id = ? AND kind = 'class'",
        (class_name, grade, chat_id),
    )


async def retire_group(conn: aiosqlite.Connection, chat_id: int) -> None:
    """Forget a class group whose class no longer exists."""
    await conn.execute("DELETE FROM chat_group WHERE chat_id = ? AND kind = 'class'", (chat_id,))
