"""Purchase suggestions: readers' votes merged per book, the librarian's decisions, the list."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from bot.core.search import index_text
from bot.core.suggestions import Proposal, best_match, merged_author
from db.connection import Database
from db.outbox import enqueue
from db.search import search_titles

OPEN = "open"
ORDERED = "ordered"
LATER = "later"
DECLINED = "declined"
STATUSES = (OPEN, ORDERED, LATER, DECLINED)
# Catalog titles a suggestion is compared with: the best few the search ranks for its words.
MATCH_CANDIDATES = 5

_COLUMNS = (
    "s.id, s.title, s.author, s.status, s.created_at, s.decided_at,"
    " (SELECT count(*) FROM suggestion_vote v WHERE v.suggestion_id = s.id) AS votes"
)


@dataclass(frozen=True)
class SuggestionRecord:
    """A suggested book with how many readers want it."""

    id: int
    title: str
    author: str
    status: str
    votes: int
    created_at: datetime
    decided_at: datetime | None


@dataclass(frozen=True)
class VoteResult:
    """What became of a reader's suggestion.

    merged: it joined an existing suggestion; counted: the reader's vote is new (a reader who
    suggests the same book again is not counted twice).
    """

    suggestion: SuggestionRecord
    merged: bool
    counted: bool


@dataclass(frozen=True)
class CatalogMatch:
    """The catalog title a suggestion names, as the catalog writes it, and its copies held."""

    title_id: int
    title: str
    author: str
    copies: int


@dataclass(frozen=True)
class AcquisitionRow:
    """A line of the acquisition list, with the reasons readers gave and the catalog's title."""

    suggestion: SuggestionRecord
    reasons: list[str]
    held: CatalogMatch | None = None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _record(row: aiosqlite.Row) -> SuggestionRecord:
    created = _moment(row["created_at"])
    assert created is not None
    return SuggestionRecord(
        id=row["id"],
        title=row["title"],
        author=row["author"],
        status=row["status"],
        votes=row["votes"],
        created_at=created,
        decided_at=_moment(row["decided_at"]),
    )


async def _get(conn: aiosqlite.Connection, suggestion_id: int) -> SuggestionRecord | None:
    async with conn.execute(
        f"SELECT {_COLUMNS} FROM suggestion s WHERE s.id = ?", (suggestion_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else _record(row)


async def get_suggestion(db: Database, suggestion_id: int) -> SuggestionRecord | None:
    """Return one suggestion with its vote count."""
    return await _get(db.conn, suggestion_id)


async def suggest(
    db: Database, proposal: Proposal, reason: str, reader_id: int, now: datetime
) -> VoteResult:
    """Record a reader's suggestion in one transaction, merged into a similar one if any.

    Declined suggestions are not merged into: asking again later starts a new one.
    """
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT id, title, author FROM suggestion WHERE status <> ?", (DECLINED,)
        ) as cursor:
            known = [(row[0], Proposal(row[1], row[2])) for row in await cursor.fetchall()]
        match = best_match(proposal, known)
        if match is None:
            cursor = await conn.execute(
                "INSERT INTO suggestion (title, author, created_at) VALUES (?, ?, ?)",
                (proposal.title, proposal.author, _iso(now)),
            )
            assert cursor.lastrowid is not None
            suggestion_id = cursor.lastrowid
        else:
            suggestion_id = match
            kept = dict(known)[match]
            await conn.execute(
                "UPDATE suggestion SET author = ? WHERE id = ?",
                (merged_author(kept.author, proposal.author), match),
            )
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO suggestion_vote (suggestion_id, reader_id, typed_title,"
            " reason, created_at) VALUES (?, ?, ?, ?, ?)",
            (suggestion_id, reader_id, proposal.title, reason, _iso(now)),
        )
        counted = cursor.rowcount == 1
        record = await _get(conn, suggestion_id)
    assert record is not None
    return VoteResult(record, merged=match is not None, counted=counted)


async def ranked(
    db: Database, statuses: Sequence[str] = (OPEN, LATER), *, limit: int = 20
) -> list[SuggestionRecord]:
    """Suggestions of these statuses, the most wanted first (open before later on a tie)."""
    marks = ", ".join("?" * len(statuses))
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM suggestion s WHERE s.status IN ({marks})"
        " ORDER BY votes DESC, s.status = 'later', s.id LIMIT ?",
        (*statuses, limit),
    )
    return [_record(row) for row in rows]


async def count_by_status(db: Database) -> dict[str, int]:
    """How many suggestions each status holds (every status present)."""
    rows = await db.fetchall("SELECT status, count(*) FROM suggestion GROUP BY status")
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({row[0]: row[1] for row in rows})
    return counts


async def decide(
    db: Database,
    suggestion_id: int,
    status: str,
    librarian_id: int,
    now: datetime,
    notice: dict[str, Any],
) -> tuple[SuggestionRecord, int] | None:
    """Set a suggestion's status and tell each suggester with a linked chat, in one transaction.

    Returns the suggestion and how many notices were enqueued (keys
    ``suggestion:<id>:<status>:<reader>``), or None when there is no such suggestion.
    """
    if status not in STATUSES or status == OPEN:
        raise ValueError(f"not a decision: {status!r}")
    async with db.transaction() as conn:
        if await _get(conn, suggestion_id) is None:
            return None
        await conn.execute(
            "UPDATE suggestion SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
            (status, _iso(now), librarian_id, suggestion_id),
        )
        async with conn.execute(
            "SELECT v.reader_id, a.chat_id FROM suggestion_vote v"
            " JOIN account a ON a.reader_id = v.reader_id AND a.blocked = 0"
            " WHERE v.suggestion_id = ? ORDER BY v.created_at",
            (suggestion_id,),
        ) as cursor:
            voters = list(await cursor.fetchall())
        sent = 0
        for reader_id, chat_id in voters:
            sent += await enqueue(
                conn,
                key=f"suggestion:{suggestion_id}:{status}:{reader_id}",
                chat_id=chat_id,
                payload=notice,
            )
        record = await _get(conn, suggestion_id)
    assert record is not None
    return record, sent


async def acquisition_list(db: Database, *, most_wanted: int = 50) -> list[AcquisitionRow]:
    """The list for the principal: every ordered book, then the most wanted undecided ones."""
    ordered = await ranked(db, (ORDERED,), limit=1_000)
    wanted = await ranked(db, (OPEN, LATER), limit=most_wanted)
    result = []
    for record in (*ordered, *wanted):
        rows = await db.fetchall(
            "SELECT reason FROM suggestion_vote WHERE suggestion_id = ? AND reason <> ''"
            " ORDER BY created_at",
            (record.id,),
        )
        result.append(AcquisitionRow(record, [row[0] for row in rows]))
    held = await catalog_matches(db, [row.suggestion for row in result])
    return [replace(row, held=held.get(row.suggestion.id)) for row in result]


async def catalog_matches(
    db: Database, records: Sequence[SuggestionRecord]
) -> dict[int, CatalogMatch]:
    """For each suggestion naming a catalog title (typed without accents, or bought since), it.

    The catalog is searched for the typed title and a hit counts only when it is the same book
    by the rule that merges suggestions (bot.core.suggestions.same_book).
    """
    found: dict[int, CatalogMatch] = {}
    for record in records:
        result = await search_titles(db, record.title, limit=MATCH_CANDIDATES)
        hits = {hit.title_id: hit for hit in result.hits}
        chosen = best_match(
            Proposal(record.title, record.author),
            [(hit.title_id, Proposal(hit.title, hit.author)) for hit in result.hits],
        )
        if chosen is not None:
            hit = hits[chosen]
            found[record.id] = CatalogMatch(hit.title_id, hit.title, hit.author, hit.total)
    return found


async def library_title(db: Database, title: str) -> int | None:
    """The catalog title with exactly these words (accents and case aside), if the library has
    one."""
    value = await db.fetchval(
        "SELECT title_id FROM title_key WHERE key = ? ORDER BY title_id LIMIT 1",
        (index_text(title),),
    )
    return None if value is None else int(value)
