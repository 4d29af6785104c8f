"""Reminder SQL: open loans that may need a reminder, who receives them, what was sent.

The functions taking `conn` run inside the caller's transaction, so the reminders a run
records and the outbox rows it enqueues commit together.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TypeVar

import aiosqlite

from bot.core.reminders import ESCALATED

# Rows of (due date, rank) per statement, well under SQLite's limit on parameters.
_CHUNK = 400

T = TypeVar("T")


@dataclass(frozen=True)
class ReminderLoan:
    """An open loan with its reader, its book and the reminders already sent for its due date.

    chat_id: the reader's private chat (None: no linked account, or it blocked the bot).
    last_step: the highest reminder step sent for the current due date (0: none);
    escalated: already reported to the homeroom teacher for that due date.
    """

    loan_id: int
    reader_id: int
    reader_name: str
    class_name: str
    category: str
    title_id: int
    title: str
    kind: str
    accession: str
    loaned_on: date
    due_on: date
    renewals: int
    whole_year: bool
    chat_id: int | None
    last_step: int
    escalated: bool


@dataclass(frozen=True)
class OverdueCount:
    """How many overdue loans a class has (class_name '' for staff), and of how many readers."""

    class_name: str
    loans: int
    readers: int


_LAST_STEP = (
    "(SELECT max(s.step) FROM reminder_sent s WHERE s.loan_id = l.id"
    f" AND s.due_on = l.due_on AND s.step < {ESCALATED})"
)
_NOT_ESCALATED = (
    "NOT EXISTS (SELECT 1 FROM reminder_sent s WHERE s.loan_id = l.id"
    f" AND s.due_on = l.due_on AND s.step = {ESCALATED})"
)


def _select(account_join: str, *, picked: bool = False) -> str:
    # picked: the loans come from a "pick" table (id, total, n) chosen before, in its order.
    source = "pick JOIN loan l ON l.id = pick.id" if picked else "loan l"
    return (
        "SELECT l.id, l.reader_id, r.full_name, r.class_name, r.category, c.title_id, t.title,"
        " t.kind, c.accession, l.loaned_on, l.due_on, l.renewals, l.whole_year, a.chat_id,"
        f" {_LAST_STEP}, NOT {_NOT_ESCALATED}{', pick.total' if picked else ''}"
        f" FROM {source} JOIN reader r ON r.id = l.reader_id JOIN copy c ON c.id = l.copy_id"
        f" JOIN title t ON t.id = c.title_id {account_join} account a"
        " ON a.reader_id = l.reader_id AND a.blocked = 0"
    )


_ORDER = "r.class_name = '', r.class_name, r.folded_name, l.reader_id, l.due_on, l.id"


def _loan(row: aiosqlite.Row) -> ReminderLoan:
    return ReminderLoan(
        loan_id=row[0],
        reader_id=row[1],
        reader_name=row[2],
        class_name=row[3],
        category=row[4],
        title_id=row[5],
        title=row[6],
        kind=row[7],
        accession=row[8],
        loaned_on=date.fromisoformat(row[9]),
        due_on=date.fromisoformat(row[10]),
        renewals=row[11],
        whole_year=bool(row[12]),
        chat_id=row[13],
        last_step=row[14] or 0,
        escalated=bool(row[15]),
    )


async def _loans(
    conn: aiosqlite.Connection, sql: str, params: Sequence[object]
) -> list[ReminderLoan]:
    async with conn.execute(sql, params) as cursor:
        return [_loan(row) for row in await cursor.fetchall()]


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


async def open_due_dates(conn: aiosqlite.Connection, last_due: date) -> list[date]:
    """The distinct due dates of open loans, up to last_due."""
    async with conn.execute(
        "SELECT DISTINCT due_on FROM loan WHERE state = 'open' AND due_on <= ?",
        (last_due.isoformat(),),
    ) as cursor:
        return [date.fromisoformat(row[0]) for row in await cursor.fetchall()]


async def loans_to_remind(
    conn: aiosqlite.Connection, ranks: Mapping[date, int]
) -> list[ReminderLoan]:
    """Open loans of readers with a chat, due on one of these dates, whose step is not sent.

    ranks: due date → the step a loan due then reaches today; loans already sent that step
    or a later one for their due date are left out.
    """
    found: list[ReminderLoan] = []
    for chunk in _chunks(sorted(ranks.items())):
        values = ", ".join("(?, ?)" for _ in chunk)
        params = [part for due, rank in chunk for part in (due.isoformat(), rank)]
        found += await _loans(
            conn,
            f"WITH due (due_on, rank) AS (VALUES {values}) "
            + _select("JOIN")
            + " JOIN due ON due.due_on = l.due_on WHERE l.state = 'open'"
            " AND NOT EXISTS (SELECT 1 FROM reminder_sent s WHERE s.loan_id = l.id"
            f" AND s.due_on = l.due_on AND s.step >= due.rank AND s.step < {ESCALATED})",
            params,
        )
    return found


_HAS_TEACHER = (
    "upper(r.class_name) IN (SELECT upper(h.homeroom_class) FROM reader h"
    " JOIN account ha ON ha.reader_id = h.id"
    " WHERE h.active = 1 AND h.homeroom_class <> '' AND ha.blocked = 0)"
)


async def classes_to_escalate(conn: aiosqlite.Connection, due_by: date) -> list[str]:
    """Classes with an open loan due by due_by not yet reported, whose teacher has a chat."""
    async with conn.execute(
        "SELECT DISTINCT r.class_name FROM loan l JOIN reader r ON r.id = l.reader_id"
        " WHERE l.state = 'open' AND l.due_on <= ? AND r.class_name <> ''"
        # A leaver's class is their last one: the year-end recall tells that year's teacher.
        f" AND r.left_on IS NULL AND {_HAS_TEACHER}"
        f" AND {_NOT_ESCALATED} ORDER BY r.class_name",
        (due_by.isoformat(),),
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def record_escalated(
    conn: aiosqlite.Connection, due_by: date, class_names: Sequence[str], sent_on: date
) -> int:
    """Record the open loans due by due_by of these classes as reported; return how many."""
    if not class_names:
        return 0
    marks = ", ".join("?" * len(class_names))
    async with conn.execute(
        "INSERT OR IGNORE INTO reminder_sent (loan_id, due_on, step, sent_on)"
        f" SELECT l.id, l.due_on, {ESCALATED}, ? FROM loan l JOIN reader r ON r.id = l.reader_id"
        f" WHERE l.state = 'open' AND l.due_on <= ? AND r.class_name IN ({marks})"
        " AND r.left_on IS NULL",
        (sent_on.isoformat(), due_by.isoformat(), *class_names),
    ) as cursor:
        return cursor.rowcount


async def overdue_loans(
    conn: aiosqlite.Connection, due_by: date, *, class_name: str | None = None, limit: int
) -> tuple[list[ReminderLoan], int]:
    """The first limit open loans due by due_by, by class and reader name, and their total.

    class_name: only that class, as stored.
    """
    clause = " AND r.class_name = ? AND r.left_on IS NULL" if class_name is not None else ""
    params: list[object] = [due_by.isoformat()]
    if class_name is not None:
        params.append(class_name)
    async with conn.execute(
        "WITH pick AS (SELECT l.id, count(*) OVER () AS total,"
        f" row_number() OVER (ORDER BY {_ORDER}) AS n"
        " FROM loan l JOIN reader r ON r.id = l.reader_id"
        f" WHERE l.state = 'open' AND l.due_on <= ?{clause} ORDER BY n LIMIT ?) "
        + _select("LEFT JOIN", picked=True)
        + " ORDER BY pick.n",
        [*params, limit],
    ) as cursor:
        rows = list(await cursor.fetchall())
    return [_loan(row) for row in rows], rows[0][16] if rows else 0


async def overdue_counts(conn: aiosqlite.Connection, due_by: date) -> list[OverdueCount]:
    """Open loans due by due_by counted per class (staff, class '', last)."""
    async with conn.execute(
        "SELECT r.class_name, count(*), count(DISTINCT l.reader_id) FROM loan l"
        " JOIN reader r ON r.id = l.reader_id WHERE l.state = 'open' AND l.due_on <= ?"
        " GROUP BY r.class_name ORDER BY r.class_name = '', r.class_name",
        (due_by.isoformat(),),
    ) as cursor:
        return [OverdueCount(row[0], row[1], row[2]) for row in await cursor.fetchall()]


async def existing_keys(conn: aiosqlite.Connection, keys: Sequence[str]) -> set[str]:
    """The keys among these that the outbox already holds (sent or not)."""
    found: set[str] = set()
    for chunk in _chunks(keys):
        marks = ", ".join("?" * len(chunk))
        async with conn.execute(
            f"SELECT key FROM outbox WHERE key IN ({marks})", tuple(chunk)
        ) as cursor:
            found.update(row[0] for row in await cursor.fetchall())
    return found


async def homeroom_chats(conn: aiosqlite.Connection) -> dict[str, list[int]]:
    """The private chats of active homeroom teachers, by their class in upper case."""
    async with conn.execute(
        "SELECT upper(r.homeroom_class), a.chat_id FROM reader r"
        " JOIN account a ON a.reader_id = r.id"
        " WHERE r.active = 1 AND r.homeroom_class <> '' AND a.blocked = 0"
        " ORDER BY a.chat_id"
    ) as cursor:
        rows = await cursor.fetchall()
    chats: dict[str, list[int]] = {}
    for class_name, chat_id in rows:
        chats.setdefault(class_name, []).append(int(chat_id))
    return chats


async def titles_with_waiting(conn: aiosqlite.Connection) -> set[int]:
    """Titles someone asked for or waits for (their loans may not be renewed)."""
    async with conn.execute(
        "SELECT DISTINCT title_id FROM request WHERE status IN ('pending', 'waiting')"
    ) as cursor:
        return {int(row[0]) for row in await cursor.fetchall()}


async def record_sent(
    conn: aiosqlite.Connection, steps: Iterable[tuple[int, date, int]], sent_on: date
) -> None:
    """Record reminder steps (loan, its due date, step) as sent on sent_on."""
    await conn.executemany(
        "INSERT OR IGNORE INTO reminder_sent (loan_id, due_on, step, sent_on) VALUES (?, ?, ?, ?)",
        [
            (loan_id, due_on.isoformat(), step, sent_on.isoformat())
            for loan_id, due_on, step in steps
        ],
    )


async def seed_open_loans(
    conn: aiosqlite.Connection, rows: Iterable[tuple[int, int, date, date]]
) -> None:
    """Record open loans in bulk (copy, reader, loaned, due), as synthetic data does."""
    values = [
        (copy_id, reader_id, loaned.isoformat(), due.isoformat())
        for copy_id, reader_id, loaned, due in rows
    ]
    await conn.executemany(
        "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on)"
        " VALUES (?, ?, 'open', ?, ?)",
        values,
    )
    await conn.executemany(
        "UPDATE copy SET status = 'on_loan' WHERE id = ?", [(row[0],) for row in values]
    )


async def last_run_before(conn: aiosqlite.Connection, day: date) -> date | None:
    """The latest day before day on which the reminders ran."""
    async with conn.execute(
        "SELECT max(day) FROM reminder_run WHERE day < ?", (day.isoformat(),)
    ) as cursor:
        row = await cursor.fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


async def record_run(conn: aiosqlite.Connection, day: date, now: datetime) -> None:
    """Record that the reminders ran on day (the first run of a day is kept)."""
    await conn.execute(
        "INSERT OR IGNORE INTO reminder_run (day, ran_at) VALUES (?, ?)",
        (day.isoformat(), now.astimezone(UTC).isoformat(timespec="seconds")),
    )
