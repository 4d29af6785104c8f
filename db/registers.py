"""Register SQL: the rows of the Circular 16 registers, streamed in chunks from one cursor."""

from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import aiosqlite

from db.connection import Database

CHUNK = 1000

T = TypeVar("T")

# Registers list an accession number's copies in natural order (STK-2 before STK-10):
# the prefix, then the shorter number, then the text.
_NATURAL_ACCESSION = "rtrim(c.accession, '0123456789'), length(c.accession), c.accession"
# Classes by grade first (6A … 9B); readers without a class come last.
_CLASS_ORDER = (
    "r.class_name = '', CAST(r.class_name AS INTEGER), length(r.class_name), r.class_name"
)


@dataclass(frozen=True, slots=True)
class CopyLine:
    """One copy with its title, as a line of the accession register (sổ đăng ký cá biệt)."""

    acquired_on: date | None
    accession: str
    title: str
    author: str
    publisher: str
    year: int | None
    price: int | None
    subject: str
    batch: int | None
    status: str
    note: str
    classification: str
    kind: str
    grade: int | None
    source: str
    donor: str
    location: str
    isbn: str
    summary: str


@dataclass(frozen=True, slots=True)
class Batch:
    """The copies that entered the library on one day (one line of the general register)."""

    acquired_on: date | None
    titles: int
    copies: int
    value: int
    unpriced: int
    by_kind: tuple[int, ...]
    by_source: tuple[int, ...]
    donors: int
    first_donor: str


@dataclass(frozen=True, slots=True)
class TitleHolding:
    """A title with its copies by status and the loans of the year to the chosen borrowers."""

    title: str
    grade: int | None
    subject: str
    publisher: str
    year: int | None
    min_price: int | None
    max_price: int | None
    copies: int
    value: int
    on_shelf: int
    out: int
    lost: int
    gone: int
    loans: int
    not_returned: int


@dataclass(frozen=True, slots=True)
class LoanLine:
    """One loan as a line of a lending register."""

    loaned_on: date
    full_name: str
    category: str
    class_name: str
    subject: str
    position: str
    title: str
    accession: str
    due_on: date | None
    returned_on: date | None
    state: str
    renewals: int
    whole_year: bool
    late_days: int | None


@dataclass(frozen=True, slots=True)
class LoanCount:
    """Loans of one month by one category of reader, grade (0 if none) and kind of book."""

    month: str
    category: str
    grade: int
    kind: str
    loans: int


@dataclass(frozen=True, slots=True)
class Activity:
    """Reader-days (visits) and distinct readers of one category in one month ("" = the span)."""

    month: str
    category: str
    reader_days: int
    readers: int


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


async def _chunks(
    db: Database,
    sql: str,
    params: Sequence[Any],
    make: Callable[[aiosqlite.Row], T],
    chunk: int,
) -> AsyncGenerator[list[T], None]:
    """Yield the rows of one query, chunk rows at a time, as records."""
    async with db.conn.execute(sql, params) as cursor:
        while rows := await cursor.fetchmany(chunk):
            yield [make(row) for row in rows]


async def table_exists(db: Database, name: str) -> bool:
    """Whether the schema has this table (features added by later migrations are optional)."""
    found = await db.fetchval(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    )
    return found is not None


def _copy_line(row: aiosqlite.Row) -> CopyLine:
    return CopyLine(
        acquired_on=_day(row["acquired_on"]),
        accession=row["accession"],
        title=row["title"],
        author=row["author"],
        publisher=row["publisher"],
        year=row["year"],
        price=row["price"],
        subject=row["subject"],
        batch=row["batch"],
        status=row["status"],
        note=row["note"],
        classification=row["classification"],
        kind=row["kind"],
        grade=row["grade"],
        source=row["source"],
        donor=row["donor"],
        location=row["location"],
        isbn=row["isbn"],
        summary=row["summary"],
    )


def copy_lines(db: Database, *, chunk: int = CHUNK) -> AsyncGenerator[list[CopyLine], None]:
    """Every copy in natural accession order, with its batch number in the general register."""
    sql = (
        "SELECT c.acquired_on, c.accession, t.title, t.author, t.publisher, t.year, c.price,"
        " t.subject, c.status, c.note, t.classification, t.kind, t.grade, c.source, c.donor,"
        " c.location, t.isbn, t.summary,"
        " CASE WHEN c.acquired_on IS NULL THEN NULL ELSE"
        "  dense_rank() OVER (PARTITION BY c.acquired_on IS NULL ORDER BY c.acquired_on)"
        " END AS batch"
        " FROM copy c JOIN title t ON t.id = c.title_id"
        f" ORDER BY {_NATURAL_ACCESSION}"
    )
    return _chunks(db, sql, (), _copy_line, chunk)


def batches(
    db: Database, kinds: Sequence[str], sources: Sequence[str], *, chunk: int = CHUNK
) -> AsyncGenerator[list[Batch], None]:
    """The intake batches (copies by acquisition date) in date order, undated last.

    by_kind counts the copies of each of kinds, by_source of each of sources.
    """
    kind_sums = "".join(", sum(t.kind = ?)" for _ in kinds)
    source_sums = "".join(", sum(c.source = ?)" for _ in sources)
    sql = (
        "SELECT c.acquired_on, count(DISTINCT c.title_id), count(*),"
        " coalesce(sum(c.price), 0), count(*) - count(c.price),"
        " count(DISTINCT nullif(c.donor, '')), coalesce(min(nullif(c.donor, '')), '')"
        f"{kind_sums}{source_sums}"
        " FROM copy c JOIN title t ON t.id = c.title_id"
        " GROUP BY c.acquired_on ORDER BY c.acquired_on IS NULL, c.acquired_on"
    )
    split = 7 + len(kinds)

    def make(row: aiosqlite.Row) -> Batch:
        return Batch(
            acquired_on=_day(row[0]),
            titles=row[1],
            copies=row[2],
            value=row[3],
            unpriced=row[4],
            donors=row[5],
            first_donor=row[6],
            by_kind=tuple(row[7:split]),
            by_source=tuple(row[split:]),
        )

    return _chunks(db, sql, (*kinds, *sources), make, chunk)


async def titles_acquired(db: Database, first: date | None, last: date | None) -> int:
    """How many distinct titles have copies acquired between first and last (None: ever)."""
    if first is None or last is None:
        return int(await db.fetchval("SELECT count(DISTINCT title_id) FROM copy"))
    return int(
        await db.fetchval(
            "SELECT count(DISTINCT title_id) FROM copy WHERE acquired_on BETWEEN ? AND ?",
            (first.isoformat(), last.isoformat()),
        )
    )


_BORROWERS = {
    "disadvantaged": "r.category = 'student' AND r.disadvantaged = 1",
    "staff": "r.category IN ('teacher', 'staff')",
    "students": "r.category = 'student'",
}


def holdings(
    db: Database,
    kind: str,
    first: date,
    last: date,
    borrowers: str,
    *,
    chunk: int = CHUNK,
) -> AsyncGenerator[list[TitleHolding], None]:
    """The titles of one kind by grade, subject and name, with copies and the period's loans.

    Loans count when made between first and last to borrowers ("disadvantaged" or "staff").
    """
    sql = (
        "SELECT t.title, t.grade, t.subject, t.publisher, t.year, h.min_price, h.max_price,"
        " h.copies, h.value, h.on_shelf, h.out, h.lost, h.gone,"
        " coalesce(b.loans, 0), coalesce(b.not_returned, 0)"
        " FROM title t"
        " JOIN (SELECT title_id, min(price) AS min_price, max(price) AS max_price,"
        "  count(*) AS copies, coalesce(sum(price), 0) AS value,"
        "  sum(status = 'on_shelf') AS on_shelf, sum(status IN ('on_loan', 'held')) AS out,"
        "  sum(status IN ('lost', 'damaged')) AS lost,"
        "  sum(status IN ('withdrawn', 'rotated_out')) AS gone"
        "  FROM copy GROUP BY title_id) h ON h.title_id = t.id"
        " LEFT JOIN (SELECT c.title_id, count(*) AS loans,"
        "  sum(l.state IN ('open', 'lost')) AS not_returned"
        "  FROM loan l JOIN copy c ON c.id = l.copy_id JOIN reader r ON r.id = l.reader_id"
        f"  WHERE l.loaned_on BETWEEN ? AND ? AND {_BORROWERS[borrowers]}"
        "  GROUP BY c.title_id) b ON b.title_id = t.id"
        " WHERE t.kind = ?"
        " ORDER BY t.grade IS NULL, t.grade, t.subject, t.title, t.id"
    )
    return _chunks(
        db,
        sql,
        (first.isoformat(), last.isoformat(), kind),
        lambda row: TitleHolding(*row),
        chunk,
    )


def _loan_line(row: aiosqlite.Row) -> LoanLine:
    return LoanLine(
        loaned_on=date.fromisoformat(row["loaned_on"]),
        full_name=row["full_name"],
        category=row["category"],
        class_name=row["class_name"],
        subject=row["subject"],
        position=row["position"],
        title=row["title"],
        accession=row["accession"],
        due_on=_day(row["due_on"]),
        returned_on=_day(row["returned_on"]),
        state=row["state"],
        renewals=row["renewals"],
        whole_year=bool(row["whole_year"]),
        late_days=row["late_days"],
    )


def loan_lines(
    db: Database,
    first: date,
    last: date,
    borrowers: str,
    *,
    by_class: bool = False,
    kind: str | None = None,
    chunk: int = CHUNK,
) -> AsyncGenerator[list[LoanLine], None]:
    """The loans made between first and last, by date or by class then date.

    borrowers is "students", "staff" or "disadvantaged" (students); kind limits the books.
    """
    kind_filter = "" if kind is None else " AND t.kind = ?"
    order = f"{_CLASS_ORDER}, l.loaned_on, l.id" if by_class else "l.loaned_on, l.id"
    sql = (
        "SELECT l.loaned_on, r.full_name, r.category, r.class_name, r.subject, r.position,"
        " t.title, c.accession, l.due_on, l.returned_on, l.state, l.renewals, l.whole_year,"
        " l.late_days"
        " FROM loan l JOIN reader r ON r.id = l.reader_id"
        " JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
        f" WHERE l.loaned_on BETWEEN ? AND ? AND {_BORROWERS[borrowers]}{kind_filter}"
        f" ORDER BY {order}"
    )
    params: list[Any] = [first.isoformat(), last.isoformat()]
    if kind is not None:
        params.append(kind)
    return _chunks(db, sql, params, _loan_line, chunk)


async def student_grades(db: Database) -> list[int]:
    """The grades (1–12) of the school's classes, from the students' class names."""
    rows = await db.fetchall(
        "SELECT DISTINCT CAST(class_name AS INTEGER) FROM reader WHERE category = 'student'"
    )
    return sorted(row[0] for row in rows if 1 <= row[0] <= 12)


async def loan_counts(db: Database, first: date, last: date) -> list[LoanCount]:
    """Loans made between first and last by month, category, grade and kind of book."""
    rows = await db.fetchall(
        "SELECT substr(l.loaned_on, 1, 7), r.category,"
        " CASE WHEN r.category = 'student' THEN CAST(r.class_name AS INTEGER) ELSE 0 END,"
        " t.kind, count(*)"
        " FROM loan l JOIN reader r ON r.id = l.reader_id"
        " JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
        " WHERE l.loaned_on BETWEEN ? AND ?"
        " GROUP BY 1, 2, 3, 4",
        (first.isoformat(), last.isoformat()),
    )
    return [LoanCount(*row) for row in rows]


async def return_counts(db: Database, first: date, last: date) -> dict[str, int]:
    """Returns made between first and last, by month (yyyy-mm)."""
    rows = await db.fetchall(
        "SELECT substr(returned_on, 1, 7), count(*) FROM loan"
        " WHERE returned_on BETWEEN ? AND ? GROUP BY 1",
        (first.isoformat(), last.isoformat()),
    )
    return {row[0]: row[1] for row in rows}


async def activity(
    db: Database, first: date, last: date, *, with_visits: bool, by_month: bool
) -> list[Activity]:
    """Reader-days and distinct readers by category (and month) between first and last.

    A reader's day counts once whether they borrowed, returned or (with_visits) scanned in.
    """
    visits = " UNION SELECT reader_id, day FROM visit WHERE day BETWEEN ?1 AND ?2"
    month = "substr(d.day, 1, 7)" if by_month else "''"
    rows = await db.fetchall(
        "WITH days (reader_id, day) AS ("
        " SELECT reader_id, loaned_on FROM loan WHERE loaned_on BETWEEN ?1 AND ?2"
        " UNION SELECT reader_id, returned_on FROM loan WHERE returned_on BETWEEN ?1 AND ?2"
        f"{visits if with_visits else ''})"
        f" SELECT {month}, r.category, count(*), count(DISTINCT d.reader_id)"
        " FROM days d JOIN reader r ON r.id = d.reader_id GROUP BY 1, 2",
        (first.isoformat(), last.isoformat()),
    )
    return [Activity(*row) for row in rows]


async def counted_visitors(db: Database, first: date, last: date) -> dict[str, int]:
    """Visitors the librarian counted class by class, by month (yyyy-mm)."""
    rows = await db.fetchall(
        "SELECT substr(day, 1, 7), sum(visitors) FROM visit_count"
        " WHERE day BETWEEN ? AND ? GROUP BY 1",
        (first.isoformat(), last.isoformat()),
    )
    return {row[0]: row[1] for row in rows}
