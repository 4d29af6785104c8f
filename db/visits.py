"""Reading-room visits: desk-QR scans of linked readers and walk-ins counted by class."""

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from db.connection import Database


class VisitOutcome(StrEnum):
    """What a desk-QR scan led to."""

    COUNTED = "counted"
    ALREADY = "already"


@dataclass(frozen=True)
class WalkIns:
    """Readers without an account the librarian counted for a class on a day."""

    id: int
    day: date
    class_name: str
    visitors: int
    recorded_by: int


async def record_visit(db: Database, reader_id: int, day: date, now: datetime) -> VisitOutcome:
    """Count the reader's visit on day, unless a scan, loan or return already counts it."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT 1 FROM loan WHERE reader_id = ? AND (loaned_on = ? OR returned_on = ?)"
            " LIMIT 1",
            (reader_id, day.isoformat(), day.isoformat()),
        ) as cursor:
            if await cursor.fetchone() is not None:
                return VisitOutcome.ALREADY
        cursor = await conn.execute(
            "INSERT INTO visit (reader_id, day, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (reader_id, day) DO NOTHING",
            (reader_id, day.isoformat(), now.isoformat(timespec="seconds")),
        )
    return VisitOutcome.COUNTED if cursor.rowcount == 1 else VisitOutcome.ALREADY


async def add_walk_ins(
    db: Database, class_name: str, visitors: int, day: date, recorded_by: int, now: datetime
) -> WalkIns:
    """Record visitors of a class on day, counted by the librarian."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO visit_count (day, class_name, visitors, recorded_by, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                day.isoformat(),
                class_name,
                visitors,
                recorded_by,
                now.isoformat(timespec="seconds"),
            ),
        )
    assert cursor.lastrowid is not None
    return WalkIns(cursor.lastrowid, day, class_name, visitors, recorded_by)


async def undo_walk_ins(db: Database, count_id: int) -> WalkIns | None:
    """Take back a walk-in count; None when it is gone already."""
    async with (
        db.transaction() as conn,
        conn.execute(
            "DELETE FROM visit_count WHERE id = ?"
            " RETURNING id, day, class_name, visitors, recorded_by",
            (count_id,),
        ) as cursor,
    ):
        rows = list(await cursor.fetchall())
    if not rows:
        return None
    row = rows[0]
    return WalkIns(
        row["id"],
        date.fromisoformat(row["day"]),
        row["class_name"],
        row["visitors"],
        row["recorded_by"],
    )


async def walk_ins_on(db: Database, day: date) -> int:
    """How many walk-ins the librarian has counted on day."""
    value = await db.fetchval(
        "SELECT coalesce(sum(visitors), 0) FROM visit_count WHERE day = ?", (day.isoformat(),)
    )
    return int(value)


async def reader_class_names(db: Database) -> list[str]:
    """The class names readers are enrolled in, as the class lists spell them."""
    rows = await db.fetchall(
        "SELECT DISTINCT class_name FROM reader WHERE class_name <> '' ORDER BY class_name"
    )
    return [row[0] for row in rows]
