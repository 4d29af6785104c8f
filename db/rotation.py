"""Book rotation (luân chuyển sách): batches of copies lent out until a return date, and back."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

import aiosqlite

from db.catalog import accession_key, natural_key
from db.connection import Database

OPEN = "open"
OUT = "out"
RETURNED = "returned"

_BATCH_COLUMNS = (
    "b.id, b.destination, b.class_name, b.return_on, b.status, b.created_by, b.sent_on,"
    " b.closed_on,"
    " (SELECT count(*) FROM rotation_item i WHERE i.batch_id = b.id) AS items,"
    " (SELECT count(*) FROM rotation_item i WHERE i.batch_id = b.id"
    "  AND i.returned_on IS NOT NULL) AS back"
)


class AddOutcome(StrEnum):
    """What adding one accession number to an open batch did."""

    ADDED = "added"
    ALREADY = "already"
    OTHER_BATCH = "other_batch"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


class BackOutcome(StrEnum):
    """What checking one accession number back in did."""

    BACK = "back"
    ALREADY_BACK = "already_back"
    NOT_IN_BATCH = "not_in_batch"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class BatchRecord:
    """A rotation batch with how many copies it holds and how many are back."""

    id: int
    destination: str
    class_name: str
    return_on: date
    status: str
    created_by: int
    sent_on: date | None
    closed_on: date | None
    items: int
    back: int

    @property
    def out(self) -> int:
        """Copies not back yet."""
        return self.items - self.back


@dataclass(frozen=True)
class ItemResult:
    """The outcome for one typed or scanned accession number."""

    accession: str
    outcome: str
    title: str = ""
    status: str = ""


@dataclass(frozen=True)
class BatchItem:
    """A copy of a batch, for the printed list."""

    accession: str
    title: str
    author: str
    kind: str
    returned_on: date | None


@dataclass(frozen=True)
class CloseResult:
    """A batch handed over: the copies that went out and those dropped (no longer on shelf)."""

    batch: BatchRecord
    sent: int
    dropped: list[str]


@dataclass(frozen=True)
class ReminderTarget:
    """A batch that is out, with the private chat of the librarian who made it."""

    batch: BatchRecord
    chat_id: int


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _batch(row: aiosqlite.Row) -> BatchRecord:
    return_on = _day(row["return_on"])
    assert return_on is not None
    return BatchRecord(
        id=row["id"],
        destination=row["destination"],
        class_name=row["class_name"],
        return_on=return_on,
        status=row["status"],
        created_by=row["created_by"],
        sent_on=_day(row["sent_on"]),
        closed_on=_day(row["closed_on"]),
        items=row["items"],
        back=row["back"],
    )


async def _get(conn: aiosqlite.Connection, batch_id: int) -> BatchRecord | None:
    async with conn.execute(
        f"SELECT {_BATCH_COLUMNS} FROM rotation_batch b WHERE b.id = ?", (batch_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else _batch(row)


async def get_batch(db: Database, batch_id: int) -> BatchRecord | None:
    """Return a batch with its counts."""
    return await _get(db.conn, batch_id)


async def active_batches(db: Database) -> list[BatchRecord]:
    """Batches being filled or out, the earliest return date first."""
    rows = await db.fetchall(
        f"SELECT {_BATCH_COLUMNS} FROM rotation_batch b WHERE b.status IN (?, ?)"
        " ORDER BY b.return_on, b.id",
        (OPEN, OUT),
    )
    return [_batch(row) for row in rows]


async def create_batch(
    db: Database,
    *,
    destination: str,
    class_name: str,
    return_on: date,
    user_id: int,
    now: datetime,
) -> BatchRecord:
    """Open a new batch to fill with copies."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO rotation_batch (destination, class_name, return_on, created_by,"
            " created_at) VALUES (?, ?, ?, ?, ?)",
            (
                destination,
                class_name,
                return_on.isoformat(),
                user_id,
                now.astimezone(UTC).isoformat(timespec="seconds"),
            ),
        )
        assert cursor.lastrowid is not None
        batch = await _get(conn, cursor.lastrowid)
    assert batch is not None
    return batch


async def _copy(conn: aiosqlite.Connection, accession: str) -> aiosqlite.Row | None:
    async with conn.execute(
        "SELECT c.id, c.accession, c.status, t.title FROM copy c"
        " JOIN title t ON t.id = c.title_id WHERE c.accession = ?",
        (accession_key(accession),),
    ) as cursor:
        return await cursor.fetchone()


async def add_copies(
    db: Database, batch_id: int, accessions: Sequence[str], now: datetime
) -> list[ItemResult] | None:
    """Add copies on the shelf to an open batch in one transaction; None if it is not open."""
    moment = now.astimezone(UTC).isoformat(timespec="seconds")
    results = []
    async with db.transaction() as conn:
        batch = await _get(conn, batch_id)
        if batch is None or batch.status != OPEN:
            return None
        for typed in accessions:
            copy = await _copy(conn, typed)
            if copy is None:
                results.append(ItemResult(typed, AddOutcome.UNKNOWN))
                continue
            async with conn.execute(
                "SELECT batch_id FROM rotation_item WHERE copy_id = ? AND returned_on IS NULL",
                (copy["id"],),
            ) as cursor:
                holder = await cursor.fetchone()
            if holder is not None:
                outcome = AddOutcome.ALREADY if holder[0] == batch_id else AddOutcome.OTHER_BATCH
            elif copy["status"] != "on_shelf":
                outcome = AddOutcome.UNAVAILABLE
            else:
                await conn.execute(
                    "INSERT INTO rotation_item (batch_id, copy_id, added_at) VALUES (?, ?, ?)",
                    (batch_id, copy["id"], moment),
                )
                outcome = AddOutcome.ADDED
            results.append(ItemResult(copy["accession"], outcome, copy["title"], copy["status"]))
    return results


async def close_batch(db: Database, batch_id: int, today: date) -> CloseResult | None:
    """Hand an open batch over: its copies become rotated_out; copies no longer on the shelf
    (lent or held since they were added) are dropped from it. None if the batch is not open."""
    async with db.transaction() as conn:
        batch = await _get(conn, batch_id)
        if batch is None or batch.status != OPEN:
            return None
        async with conn.execute(
            "SELECT c.id, c.accession FROM rotation_item i JOIN copy c ON c.id = i.copy_id"
            " WHERE i.batch_id = ? AND c.status <> 'on_shelf'",
            (batch_id,),
        ) as cursor:
            gone = list(await cursor.fetchall())
        await conn.executemany(
            "DELETE FROM rotation_item WHERE batch_id = ? AND copy_id = ?",
            [(batch_id, row[0]) for row in gone],
        )
        cursor = await conn.execute(
            "UPDATE copy SET status = 'rotated_out'"
            " WHERE id IN (SELECT copy_id FROM rotation_item WHERE batch_id = ?)",
            (batch_id,),
        )
        sent = cursor.rowcount
        await conn.execute(
            "UPDATE rotation_batch SET status = ?, sent_on = ? WHERE id = ?",
            (OUT, today.isoformat(), batch_id),
        )
        closed = await _get(conn, batch_id)
    assert closed is not None
    dropped = sorted((row[1] for row in gone), key=natural_key)
    return CloseResult(closed, sent, dropped)


async def cancel_batch(db: Database, batch_id: int) -> bool:
    """Drop a batch still being filled (its copies never left); False if it is not open."""
    async with db.transaction() as conn:
        batch = await _get(conn, batch_id)
        if batch is None or batch.status != OPEN:
            return False
        await conn.execute("DELETE FROM rotation_item WHERE batch_id = ?", (batch_id,))
        await conn.execute("DELETE FROM rotation_batch WHERE id = ?", (batch_id,))
    return True


async def check_in(
    db: Database, batch_id: int, accessions: Sequence[str], today: date
) -> tuple[list[ItemResult], BatchRecord] | None:
    """Take copies of a batch that is out back onto the shelf, in one transaction.

    The batch becomes 'returned' when its last copy is back. None if it is not out.
    """
    results = []
    async with db.transaction() as conn:
        batch = await _get(conn, batch_id)
        if batch is None or batch.status != OUT:
            return None
        for typed in accessions:
            copy = await _copy(conn, typed)
            if copy is None:
                results.append(ItemResult(typed, BackOutcome.UNKNOWN))
                continue
            async with conn.execute(
                "SELECT returned_on FROM rotation_item WHERE batch_id = ? AND copy_id = ?",
                (batch_id, copy["id"]),
            ) as cursor:
                item = await cursor.fetchone()
            if item is None:
                outcome = BackOutcome.NOT_IN_BATCH
            elif item[0] is not None:
                outcome = BackOutcome.ALREADY_BACK
            else:
                await conn.execute(
                    "UPDATE rotation_item SET returned_on = ? WHERE batch_id = ? AND copy_id = ?",
                    (today.isoformat(), batch_id, copy["id"]),
                )
                await conn.execute(
                    "UPDATE copy SET status = 'on_shelf' WHERE id = ? AND status = 'rotated_out'",
                    (copy["id"],),
                )
                outcome = BackOutcome.BACK
            results.append(ItemResult(copy["accession"], outcome, copy["title"], copy["status"]))
        await conn.execute(
            "UPDATE rotation_batch SET status = ?, closed_on = ? WHERE id = ? AND NOT EXISTS"
            " (SELECT 1 FROM rotation_item WHERE batch_id = ? AND returned_on IS NULL)",
            (RETURNED, today.isoformat(), batch_id, batch_id),
        )
        updated = await _get(conn, batch_id)
    assert updated is not None
    return results, updated


async def batch_items(db: Database, batch_id: int) -> list[BatchItem]:
    """The copies of a batch in natural accession order."""
    rows = await db.fetchall(
        "SELECT c.accession, t.title, t.author, t.kind, i.returned_on FROM rotation_item i"
        " JOIN copy c ON c.id = i.copy_id JOIN title t ON t.id = c.title_id"
        " WHERE i.batch_id = ?",
        (batch_id,),
    )
    items = [BatchItem(row[0], row[1], row[2], row[3], _day(row[4])) for row in rows]
    return sorted(items, key=lambda item: natural_key(item.accession))


async def reminder_targets(db: Database) -> list[ReminderTarget]:
    """Batches that are out, each with the chat of the librarian who made it."""
    rows = await db.fetchall(
        f"SELECT {_BATCH_COLUMNS}, coalesce(a.chat_id, b.created_by) AS chat_id"
        " FROM rotation_batch b LEFT JOIN account a"
        " ON a.channel = 'telegram' AND a.user_id = b.created_by"
        " WHERE b.status = ? ORDER BY b.return_on, b.id",
        (OUT,),
    )
    return [ReminderTarget(_batch(row), int(row["chat_id"])) for row in rows]
