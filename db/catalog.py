"""Catalog SQL: titles and copies, as records for title cards and as batches for imports."""

import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

import aiosqlite

from bot.core.accession import compact, parse_accession
from bot.core.textfold import normalize
from db.connection import Database

_DIGITS = re.compile(r"(\d+)")
# A bare number typed at the desk may be carried by a copy of every kind: SGK-, STK-, TN- …
MAX_CANDIDATES = 8
_COPY_COLUMNS = (
    "id, accession, title_id, status, location, acquired_on, price, source, donor, note"
)
_COMPACT_SQL = (
    "replace(replace(replace(replace(replace(accession, '-', ''), '.', ''), '/', ''),"
    " ' ', ''), '_', '')"
)


@dataclass(frozen=True)
class TitleRecord:
    """A title (đầu sách) as the bot shows it."""

    id: int
    title: str
    author: str
    publisher: str
    year: int | None
    isbn: str
    kind: str
    subject: str
    grade: int | None
    classification: str
    summary: str
    cover_file_id: str | None


@dataclass(frozen=True)
class CopyRecord:
    """A copy (bản sách) with its accession number (số ĐKCB) and where it is."""

    id: int
    accession: str
    title_id: int
    status: str
    location: str
    acquired_on: str | None
    price: int | None
    source: str
    donor: str
    note: str


@dataclass(frozen=True)
class TitleData:
    """The fields of a title that a register sets; group_key ties its copies to it."""

    title: str
    author: str
    publisher: str
    year: int | None
    isbn: str
    kind: str
    subject: str
    grade: int | None
    classification: str
    summary: str
    group_key: str


@dataclass(frozen=True)
class CopyData:
    """The fields of a copy that a register sets (never its status)."""

    accession: str
    title_id: int
    location: str
    acquired_on: str | None
    price: int | None
    source: str
    donor: str
    note: str


@dataclass(frozen=True)
class CatalogSnapshot:
    """Every title and copy as a register import compares them, read in one go."""

    titles: dict[int, TitleData]
    title_ids: dict[str, int]
    copies: dict[str, tuple[int, CopyData]]
    copy_counts: dict[int, int]


_TITLE_COLUMNS = (
    "title, author, publisher, year, isbn, kind, subject, grade, classification, summary"
)
_TITLE_DATA_COLUMNS = f"{_TITLE_COLUMNS}, group_key"
_COPY_DATA_COLUMNS = "accession, title_id, location, acquired_on, price, source, donor, note"
_title_values = attrgetter(*_TITLE_DATA_COLUMNS.split(", "))
_copy_values = attrgetter(*_COPY_DATA_COLUMNS.split(", "))


def _marks(count: int) -> str:
    return ", ".join("?" * count)


def accession_key(accession: str) -> str:
    """Return the form under which accession numbers are compared: trimmed, upper-case."""
    return " ".join(normalize(accession).split()).upper()


def natural_key(text: str) -> tuple[tuple[int, str], ...]:
    """Return a sort key that orders the numbers inside text by value: STK-2 before STK-10."""
    return tuple(
        (1, f"{int(part):020d}") if part.isdigit() else (0, part.casefold())
        for part in _DIGITS.split(text)
        if part
    )


async def get_title(db: Database, title_id: int) -> TitleRecord | None:
    """Return the title with this id, or None."""
    row = await db.fetchone(
        f"SELECT id, {_TITLE_COLUMNS}, cover_file_id FROM title WHERE id = ?", (title_id,)
    )
    return None if row is None else TitleRecord(*row)


async def copies_of_title(db: Database, title_id: int) -> list[CopyRecord]:
    """Return the copies of a title in natural accession order."""
    rows = await db.fetchall(
        "SELECT id, accession, title_id, status, location, acquired_on, price, source, donor,"
        " note FROM copy WHERE title_id = ?",
        (title_id,),
    )
    return sorted((CopyRecord(*row) for row in rows), key=lambda c: natural_key(c.accession))


async def find_copy(db: Database, accession: str) -> CopyRecord | None:
    """Return the copy with this accession number, compared trimmed and without case."""
    row = await db.fetchone(
        "SELECT id, accession, title_id, status, location, acquired_on, price, source, donor,"
        " note FROM copy WHERE accession = ?",
        (accession_key(accession),),
    )
    return None if row is None else CopyRecord(*row)


async def find_copies(db: Database, typed: str) -> list[CopyRecord]:
    """Return the copies an accession number typed as people type it may name.

    tn00159, TN 00159 and tn-159 all name TN-00159; a bare 159 names every copy numbered 159.
    One copy is the answer, several are candidates to choose from (at most MAX_CANDIDATES,
    in accession order), none means no such copy. The exact number always wins.
    """
    exact = await find_copy(db, typed)
    if exact is not None:
        return [exact]
    parsed = parse_accession(typed)
    if parsed is None:
        return []
    rows: list[aiosqlite.Row] = []
    if parsed.prefix:
        rows = await db.fetchall(
            f"SELECT {_COPY_COLUMNS} FROM copy"
            " WHERE accession IN (SELECT value FROM json_each(?))",
            (json.dumps(parsed.spellings()),),
        )
    if not rows and parsed.number is not None:
        rows = await db.fetchall(
            f"SELECT {_COPY_COLUMNS} FROM copy WHERE accession LIKE ?",
            (f"%{parsed.number}",),
        )
    if not rows:
        rows = await db.fetchall(
            f"SELECT {_COPY_COLUMNS} FROM copy WHERE {_COMPACT_SQL} = ?",
            (compact(parsed.text),),
        )
    found = [CopyRecord(*row) for row in rows if parsed.matches(row["accession"])]
    return sorted(found, key=lambda c: natural_key(c.accession))[:MAX_CANDIDATES]


async def resolve_accessions(db: Database, typed: Sequence[str]) -> list[list[CopyRecord]]:
    """Return, for each typed accession number of a list, the copies it may name (see above).

    The numbers typed exactly as stored, most of a scanned or pasted list, take one query.
    """
    keys = [accession_key(text) for text in typed]
    rows = await db.fetchall(
        f"SELECT {_COPY_COLUMNS} FROM copy WHERE accession IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(set(keys))),),
    )
    exact = {accession_key(row["accession"]): CopyRecord(*row) for row in rows}
    resolved = []
    for text, key in zip(typed, keys, strict=True):
        copy = exact.get(key)
        resolved.append([copy] if copy is not None else await find_copies(db, text))
    return resolved


async def count_catalog(db: Database) -> tuple[int, int]:
    """Return (number of titles, number of copies)."""
    titles = await db.fetchval("SELECT count(*) FROM title")
    copies = await db.fetchval("SELECT count(*) FROM copy")
    return titles, copies


async def load_snapshot(conn: aiosqlite.Connection) -> CatalogSnapshot:
    """Read every title and copy for an import to compare against."""
    titles: dict[int, TitleData] = {}
    title_ids: dict[str, int] = {}
    async with conn.execute(f"SELECT id, {_TITLE_DATA_COLUMNS} FROM title") as cursor:
        for row in await cursor.fetchall():
            data = TitleData(*row[1:])
            titles[row[0]] = data
            title_ids[data.group_key] = row[0]
    copies: dict[str, tuple[int, CopyData]] = {}
    copy_counts: dict[int, int] = {}
    async with conn.execute(f"SELECT id, {_COPY_DATA_COLUMNS} FROM copy") as cursor:
        for row in await cursor.fetchall():
            copy = CopyData(*row[1:])
            copies[accession_key(copy.accession)] = (row[0], copy)
            copy_counts[copy.title_id] = copy_counts.get(copy.title_id, 0) + 1
    return CatalogSnapshot(titles, title_ids, copies, copy_counts)


async def insert_titles(
    conn: aiosqlite.Connection, titles: Sequence[tuple[int, TitleData]]
) -> None:
    """Insert new titles with the ids given."""
    await conn.executemany(
        f"INSERT INTO title (id, {_TITLE_DATA_COLUMNS}) VALUES ({_marks(12)})",
        [(title_id, *_title_values(data)) for title_id, data in titles],
    )


async def update_titles(
    conn: aiosqlite.Connection, titles: Sequence[tuple[int, TitleData]]
) -> None:
    """Overwrite the register fields of existing titles (never the cover)."""
    assignments = ", ".join(f"{name} = ?" for name in _TITLE_DATA_COLUMNS.split(", "))
    await conn.executemany(
        f"UPDATE title SET {assignments} WHERE id = ?",
        [(*_title_values(data), title_id) for title_id, data in titles],
    )


async def insert_copies(conn: aiosqlite.Connection, copies: Sequence[CopyData]) -> None:
    """Insert new copies, on the shelf."""
    await conn.executemany(
        f"INSERT INTO copy ({_COPY_DATA_COLUMNS}, status) VALUES ({_marks(8)}, 'on_shelf')",
        [_copy_values(data) for data in copies],
    )


async def update_copies(
    conn: aiosqlite.Connection, copies: Sequence[tuple[int, CopyData]]
) -> None:
    """Overwrite the register fields of existing copies, leaving their status alone."""
    assignments = ", ".join(f"{name} = ?" for name in _COPY_DATA_COLUMNS.split(", "))
    await conn.executemany(
        f"UPDATE copy SET {assignments} WHERE id = ?",
        [(*_copy_values(data), copy_id) for copy_id, data in copies],
    )


async def delete_titles_without_copies(
    conn: aiosqlite.Connection, title_ids: Iterable[int]
) -> list[int]:
    """Delete those of the titles that have no copy left and nothing else refers to.

    Returns the ids deleted; a title that a request still names stays, empty.
    """
    deleted = []
    for title_id in title_ids:
        try:
            cursor = await conn.execute(
                "DELETE FROM title WHERE id = ? AND NOT EXISTS"
                " (SELECT 1 FROM copy WHERE title_id = ?)",
                (title_id, title_id),
            )
        except sqlite3.IntegrityError:
            continue
        if cursor.rowcount:
            deleted.append(title_id)
    return deleted


async def get_copy(db: Database, copy_id: int) -> CopyRecord | None:
    """Return the copy with this id, or None."""
    row = await db.fetchone(
        "SELECT id, accession, title_id, status, location, acquired_on, price, source, donor,"
        " note FROM copy WHERE id = ?",
        (copy_id,),
    )
    return None if row is None else CopyRecord(*row)


@dataclass(frozen=True)
class LabelRow:
    """A copy with its title, for printing labels."""

    accession: str
    title: str


async def copies_for_labels(
    db: Database, *, first: str | None = None, last: str | None = None, kind: str | None = None
) -> list[LabelRow]:
    """Copies to label: an accession range (natural order, same prefix) or one kind."""
    if kind is not None:
        rows = await db.fetchall(
            "SELECT c.accession, t.title FROM copy c JOIN title t ON t.id = c.title_id"
            " WHERE t.kind = ? AND c.status NOT IN ('withdrawn', 'lost')",
            (kind,),
        )
    else:
        rows = await db.fetchall(
            "SELECT c.accession, t.title FROM copy c JOIN title t ON t.id = c.title_id"
            " WHERE c.status NOT IN ('withdrawn', 'lost')"
        )
    found = [LabelRow(row["accession"], row["title"]) for row in rows]
    if first is not None or last is not None:
        low = natural_key(accession_key(first or last or ""))
        high = natural_key(accession_key(last or first or ""))
        found = [row for row in found if low <= natural_key(row.accession) <= high]
    return sorted(found, key=lambda row: natural_key(row.accession))
