"""Readers: students, teachers and staff, looked up by code, name and class."""

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.textfold import fold
from db.connection import Database

_COLUMNS = (
    "id, code, full_name, category, class_name, birth_date, gender, disadvantaged, subject,"
    " position, homeroom_class, active, left_on"
)


@dataclass(frozen=True)
class ReaderRecord:
    """One reader as stored."""

    id: int
    code: str
    full_name: str
    category: str
    class_name: str
    birth_date: str | None
    gender: str
    disadvantaged: bool
    subject: str
    position: str
    homeroom_class: str
    active: bool
    left_on: str | None = None


def _record(row: aiosqlite.Row) -> ReaderRecord:
    return ReaderRecord(
        id=row["id"],
        code=row["code"],
        full_name=row["full_name"],
        category=row["category"],
        class_name=row["class_name"],
        birth_date=row["birth_date"],
        gender=row["gender"],
        disadvantaged=bool(row["disadvantaged"]),
        subject=row["subject"],
        position=row["position"],
        homeroom_class=row["homeroom_class"],
        active=bool(row["active"]),
        left_on=row["left_on"],
    )


async def get_reader(db: Database, reader_id: int) -> ReaderRecord | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM reader WHERE id = ?", (reader_id,))
    return None if row is None else _record(row)


def _present(include_left: bool) -> str:
    return "(active = 1 OR left_on IS NOT NULL)" if include_left else "active = 1"


async def find_reader_by_code(
    db: Database, code: str, *, include_left: bool = False
) -> ReaderRecord | None:
    """Find an active reader (or one who left the school, with include_left) by code."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM reader WHERE code = ? AND {_present(include_left)}",
        (code.strip(),),
    )
    return None if row is None else _record(row)


async def find_readers(
    db: Database, query: str, *, limit: int = 8, include_left: bool = False
) -> list[ReaderRecord]:
    """Find active readers by code, or by folded name words and an optional class (e.g. 6A).

    include_left: readers who left the school are found too (the desk says why they are
    refused, instead of not knowing them).
    """
    words = fold(query).split()
    if not words:
        return []
    exact = await find_reader_by_code(db, query, include_left=include_left)
    if exact is not None:
        return [exact]
    classes = [w.upper() for w in words if any(ch.isdigit() for ch in w)]
    names = [w for w in words if not any(ch.isdigit() for ch in w)]
    clauses = [_present(include_left)]
    params: list[object] = []
    for name in names[:6]:
        clauses.append("(' ' || folded_name || ' ') LIKE ?")
        params.append(f"% {name}%")
    if classes:
        clauses.append(f"upper(class_name) IN ({', '.join('?' for _ in classes)})")
        params.extend(classes)
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM reader WHERE {' AND '.join(clauses)}"
        " ORDER BY class_name, folded_name LIMIT ?",
        (*params, limit),
    )
    return [_record(row) for row in rows]


async def readers_of_class(db: Database, class_name: str | None) -> list[ReaderRecord]:
    """Return active readers of a class (all readers when class_name is None), by name."""
    if class_name is None:
        rows = await db.fetchall(
            f"SELECT {_COLUMNS} FROM reader WHERE active = 1 ORDER BY class_name, folded_name"
        )
    else:
        rows = await db.fetchall(
            f"SELECT {_COLUMNS} FROM reader WHERE active = 1 AND upper(class_name) = upper(?)"
            " ORDER BY folded_name",
            (class_name,),
        )
    return [_record(row) for row in rows]


@dataclass(frozen=True)
class ReaderData:
    """The fields of a reader that a class or staff list sets (never the id)."""

    code: str
    full_name: str
    category: str
    class_name: str = ""
    birth_date: str | None = None
    gender: str = ""
    disadvantaged: bool = False
    subject: str = ""
    position: str = ""
    homeroom_class: str = ""
    active: bool = True


_DATA_COLUMNS = (
    "code",
    "full_name",
    "folded_name",
    "category",
    "class_name",
    "birth_date",
    "gender",
    "disadvantaged",
    "subject",
    "position",
    "homeroom_class",
    "active",
)
# The reader code is UNIQUE COLLATE NOCASE, which folds ASCII letters only.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def reader_code_key(code: str) -> str:
    """Return the form under which SQLite's NOCASE compares reader codes."""
    return code.translate(_ASCII_LOWER)


def reader_data(record: ReaderRecord) -> ReaderData:
    """Return the importable fields of a stored reader."""
    return ReaderData(
        code=record.code,
        full_name=record.full_name,
        category=record.category,
        class_name=record.class_name,
        birth_date=record.birth_date,
        gender=record.gender,
        disadvantaged=record.disadvantaged,
        subject=record.subject,
        position=record.position,
        homeroom_class=record.homeroom_class,
        active=record.active,
    )


async def load_readers_by_code(conn: aiosqlite.Connection) -> dict[str, ReaderRecord]:
    """Return every reader, active or not, keyed by reader_code_key(code), for an import."""
    async with conn.execute(f"SELECT {_COLUMNS} FROM reader") as cursor:
        rows = await cursor.fetchall()
    return {reader_code_key(row["code"]): _record(row) for row in rows}


def _data_values(data: ReaderData) -> tuple[object, ...]:
    return (
        data.code,
        data.full_name,
        fold(data.full_name),
        data.category,
        data.class_name,
        data.birth_date,
        data.gender,
        int(data.disadvantaged),
        data.subject,
        data.position,
        data.homeroom_class,
        int(data.active),
    )


async def insert_readers(conn: aiosqlite.Connection, readers: Sequence[ReaderData]) -> None:
    """Insert new readers inside the caller's transaction."""
    await conn.executemany(
        f"INSERT INTO reader ({', '.join(_DATA_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(_DATA_COLUMNS))})",
        [_data_values(data) for data in readers],
    )


async def update_readers(
    conn: aiosqlite.Connection, readers: Sequence[tuple[int, ReaderData]]
) -> None:
    """Rewrite readers in place (same id, so accounts, loans and cards stay linked).

    A reader on a list is at school: one who had left is back, and left_on is cleared.
    """
    assignments = ", ".join(f"{column} = ?" for column in _DATA_COLUMNS) + ", left_on = NULL"
    await conn.executemany(
        f"UPDATE reader SET {assignments} WHERE id = ?",
        [(*_data_values(data), reader_id) for reader_id, data in readers],
    )
