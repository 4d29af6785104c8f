"""Readers: students, teachers and staff, looked up by code, name and class."""

from dataclasses import dataclass

import aiosqlite

from bot.core.textfold import fold
from db.connection import Database

_COLUMNS = (
    "id, code, full_name, category, class_name, birth_date, gender, disadvantaged, subject,"
    " position, homeroom_class, active"
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
    )


async def get_reader(db: Database, reader_id: int) -> ReaderRecord | None:
    row = await db.fetchone(f"SELECT {_COLUMNS} FROM reader WHERE id = ?", (reader_id,))
    return None if row is None else _record(row)


async def find_reader_by_code(db: Database, code: str) -> ReaderRecord | None:
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM reader WHERE code = ? AND active = 1", (code.strip(),)
    )
    return None if row is None else _record(row)


async def find_readers(db: Database, query: str, *, limit: int = 8) -> list[ReaderRecord]:
    """Find active readers by code, or by folded name words and an optional class (e.g. 6A)."""
    words = fold(query).split()
    if not words:
        return []
    exact = await find_reader_by_code(db, query)
    if exact is not None:
        return [exact]
    classes = [w.upper() for w in words if any(ch.isdigit() for ch in w)]
    names = [w for w in words if not any(ch.isdigit() for ch in w)]
    clauses = ["active = 1"]
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
