"""The counts behind the librarian's figures: visits, loans, returns, overdue, new copies.

A visit is a reader in the library on a day: a desk-QR scan, a loan or a return that day,
each reader counted once a day; walk-ins the librarian counted by class are added on top.
"""

from datetime import date
from typing import Any

from bot.core.figures import (
    TOP_TITLES,
    Acquisition,
    DayCount,
    KindCount,
    PeriodData,
    ReaderActivity,
    TitleCount,
)
from db.connection import Database

_READER_DAYS = (
    "SELECT reader_id, day FROM visit WHERE day BETWEEN :first AND :last"
    " UNION SELECT reader_id, loaned_on FROM loan WHERE loaned_on BETWEEN :first AND :last"
    " UNION SELECT reader_id, returned_on FROM loan WHERE returned_on BETWEEN :first AND :last"
)

_READERS = (
    f"WITH days (reader_id, day) AS ({_READER_DAYS}),"
    " came AS (SELECT reader_id, count(*) AS n FROM days GROUP BY reader_id),"
    " lent AS (SELECT reader_id, count(*) AS n FROM loan"
    "  WHERE loaned_on BETWEEN :first AND :last GROUP BY reader_id),"
    " back AS (SELECT reader_id, count(*) AS n FROM loan"
    "  WHERE returned_on BETWEEN :first AND :last GROUP BY reader_id)"
    " SELECT r.id, r.full_name, r.class_name, r.category, r.active,"
    "  coalesce(came.n, 0) AS visits, coalesce(lent.n, 0) AS loans,"
    "  coalesce(back.n, 0) AS returns"
    " FROM reader r LEFT JOIN came ON came.reader_id = r.id"
    " LEFT JOIN lent ON lent.reader_id = r.id LEFT JOIN back ON back.reader_id = r.id"
    " WHERE r.active = 1 OR came.n IS NOT NULL OR lent.n IS NOT NULL OR back.n IS NOT NULL"
    " ORDER BY r.id"
)

_WALK_INS = (
    "SELECT class_name, sum(visitors) FROM visit_count WHERE day BETWEEN :first AND :last"
    " GROUP BY class_name"
)

_KINDS = (
    "SELECT t.kind,"
    " coalesce(sum(l.loaned_on BETWEEN :first AND :last), 0) AS loans,"
    " coalesce(sum(l.returned_on BETWEEN :first AND :last), 0) AS returns"
    " FROM loan l JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
    " WHERE l.loaned_on BETWEEN :first AND :last OR l.returned_on BETWEEN :first AND :last"
    " GROUP BY t.kind"
)

_TOP_TITLES = (
    "SELECT t.id, t.title, t.author, t.kind, count(*) AS loans"
    " FROM loan l JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
    " WHERE l.loaned_on BETWEEN :first AND :last"
    " GROUP BY t.id ORDER BY loans DESC, t.title, t.id LIMIT :top"
)

_DAYS = (
    "SELECT day, sum(visits) AS visits, sum(walk_ins) AS walk_ins, sum(loans) AS loans,"
    " sum(returns) AS returns FROM ("
    f"  SELECT day, 1 AS visits, 0 AS walk_ins, 0 AS loans, 0 AS returns FROM ({_READER_DAYS})"
    "  UNION ALL SELECT day, 0, visitors, 0, 0 FROM visit_count"
    "   WHERE day BETWEEN :first AND :last"
    "  UNION ALL SELECT loaned_on, 0, 0, 1, 0 FROM loan WHERE loaned_on BETWEEN :first AND :last"
    "  UNION ALL SELECT returned_on, 0, 0, 0, 1 FROM loan"
    "   WHERE returned_on BETWEEN :first AND :last"
    " ) GROUP BY day ORDER BY day"
)

# Overdue at the end of :last: lent by then, due before it, and not back by its end.
_OVERDUE = (
    "SELECT count(*) FROM loan WHERE state IN ('open', 'returned')"
    " AND loaned_on <= :last AND due_on < :last"
    " AND (returned_on IS NULL OR returned_on > :last)"
)

_ACQUISITIONS = (
    "SELECT c.accession, t.title, t.kind, c.acquired_on, c.source, c.donor, c.price"
    " FROM copy c JOIN title t ON t.id = c.title_id"
    " WHERE c.acquired_on BETWEEN :first AND :last ORDER BY c.acquired_on, c.accession"
)


async def period_data(db: Database, first: date, last: date) -> PeriodData:
    """Read every count a report needs for the days first to last inclusive."""
    span: dict[str, Any] = {"first": first.isoformat(), "last": last.isoformat()}
    readers = [
        ReaderActivity(
            reader_id=row["id"],
            full_name=row["full_name"],
            class_name=row["class_name"],
            category=row["category"],
            active=bool(row["active"]),
            visits=row["visits"],
            loans=row["loans"],
            returns=row["returns"],
        )
        for row in await db.fetchall(_READERS, span)
    ]
    walk_ins = {row[0]: int(row[1]) for row in await db.fetchall(_WALK_INS, span)}
    kinds = [
        KindCount(row["kind"], row["loans"], row["returns"])
        for row in await db.fetchall(_KINDS, span)
    ]
    top_titles = [
        TitleCount(row["id"], row["title"], row["author"], row["kind"], row["loans"])
        for row in await db.fetchall(_TOP_TITLES, {**span, "top": TOP_TITLES})
    ]
    days = [
        DayCount(
            date.fromisoformat(row["day"]),
            row["visits"],
            row["walk_ins"],
            row["loans"],
            row["returns"],
        )
        for row in await db.fetchall(_DAYS, span)
    ]
    overdue = int(await db.fetchval(_OVERDUE, {"last": span["last"]}))
    acquisitions = [
        Acquisition(
            accession=row["accession"],
            title=row["title"],
            kind=row["kind"],
            acquired_on=date.fromisoformat(row["acquired_on"]),
            source=row["source"],
            donor=row["donor"],
            price=row["price"],
        )
        for row in await db.fetchall(_ACQUISITIONS, span)
    ]
    return PeriodData(readers, walk_ins, kinds, top_titles, days, overdue, acquisitions)
