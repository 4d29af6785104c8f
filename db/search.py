"""Catalog search in SQLite: keep title_fts in step with titles, and answer what people type."""

import asyncio
import json
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.search import (
    RANK_FUNCTION,
    Candidate,
    Outcome,
    ParsedQuery,
    QueryPlan,
    Vocabulary,
    index_text,
    parse_query,
    plan_query,
    rank_candidates,
)
from db.connection import Database

# The best matches by bm25 are re-ordered by closeness to the query; later pages keep bm25 order.
RERANK_WINDOW = 50
MAX_RANKED = 1_000
MAX_LIMIT = 100


@dataclass(frozen=True)
class TitleHit:
    """A title found by a search, with how many of its copies are on the shelf."""

    title_id: int
    title: str
    author: str
    publisher: str
    year: int | None
    kind: str
    on_shelf: int
    total: int


@dataclass(frozen=True)
class SearchResult:
    """One page of a search: the hits, how many there are in all, and what became of it."""

    query: str
    outcome: Outcome
    hits: list[TitleHit]
    total: int
    exact_copy: str | None = None
    corrected: bool = False
    # More titles match than MAX_RANKED: only a pool of them is ranked and counted in total.
    capped: bool = False


@dataclass
class _Dictionary:
    generation: int
    vocabulary: Vocabulary


_dictionaries: weakref.WeakKeyDictionary[aiosqlite.Connection, _Dictionary] = (
    weakref.WeakKeyDictionary()
)
_loading: weakref.WeakKeyDictionary[aiosqlite.Connection, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


async def reindex_titles(conn: aiosqlite.Connection, title_ids: Iterable[int]) -> None:
    """Rewrite the title_fts rows of these titles from the title table (drop those gone).

    Runs inside the caller's transaction.
    """
    ids = json.dumps(sorted({int(title_id) for title_id in title_ids}))
    await conn.execute(
        "DELETE FROM title_fts WHERE rowid IN (SELECT value FROM json_each(?))", (ids,)
    )
    rows = await conn.execute_fetchall(
        "SELECT id, title, author, subject, kind, classification FROM title"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    await conn.executemany(
        "INSERT INTO title_fts (rowid, title, author, subject) VALUES (?, ?, ?, ?)",
        [
            (row[0], index_text(row[1]), index_text(row[2]), index_text(row[3], row[4], row[5]))
            for row in rows
        ],
    )
    await conn.execute("UPDATE title_fts_generation SET generation = generation + 1")


async def _vocabulary(db: Database) -> Vocabulary:
    """Return the indexed words, reloaded only when a reindex has happened since."""
    conn = db.conn
    generation = await db.fetchval("SELECT generation FROM title_fts_generation")
    known = _dictionaries.get(conn)
    if known is not None and known.generation == generation:
        return known.vocabulary
    lock = _loading.setdefault(conn, asyncio.Lock())
    async with lock:
        known = _dictionaries.get(conn)
        if known is None or known.generation != generation:
            rows = await db.fetchall("SELECT term, doc FROM title_fts_vocab")
            known = _Dictionary(generation, Vocabulary({row[0]: row[1] for row in rows}))
            _dictionaries[conn] = known
    return known.vocabulary


async def _pinned(db: Database, parsed: ParsedQuery) -> tuple[list[int], str | None]:
    """Return the titles an accession number or ISBN names, and the accession if one matched."""
    if parsed.accessions:
        rows = await db.fetchall(
            "SELECT accession, title_id FROM copy"
            " WHERE accession IN (SELECT value FROM json_each(?))",
            (json.dumps(parsed.accessions),),
        )
        if rows:
            order = {accession: i for i, accession in enumerate(parsed.accessions)}
            best = min(rows, key=lambda row: order.get(row[0].upper(), len(order)))
            return [best[1]], best[0]
    if parsed.isbns:
        rows = await db.fetchall(
            "SELECT id FROM title WHERE isbn IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(parsed.isbns),),
        )
        return [row[0] for row in rows], None
    return [], None


async def _details(db: Database, title_ids: Sequence[int]) -> dict[int, aiosqlite.Row]:
    """Return the shown fields, the indexed words and the copy counts of these titles."""
    rows = await db.fetchall(
        "SELECT t.id, t.title, t.author, t.publisher, t.year, t.kind,"
        " f.title AS title_words, f.author || ' ' || f.subject AS other_words,"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id AND c.status = 'on_shelf')"
        "  AS on_shelf,"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id"
        "  AND c.status NOT IN ('withdrawn', 'lost')) AS copies"
        " FROM title t LEFT JOIN title_fts f ON f.rowid = t.id"
        " WHERE t.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(title_ids)),),
    )
    return {row["id"]: row for row in rows}


def _hit(row: aiosqlite.Row) -> TitleHit:
    return TitleHit(
        title_id=row["id"],
        title=row["title"],
        author=row["author"],
        publisher=row["publisher"],
        year=row["year"],
        kind=row["kind"],
        on_shelf=row["on_shelf"],
        total=row["copies"],
    )


async def _newest(db: Database, expression: str, excluded: str) -> list[int]:
    """Return the ids of up to MAX_RANKED + 1 titles matching expression, newest first."""
    rows = await db.fetchall(
        "SELECT rowid FROM title_fts WHERE title_fts MATCH ?"
        " AND rowid NOT IN (SELECT value FROM json_each(?))"
        " ORDER BY rowid DESC LIMIT ?",
        (expression, excluded, MAX_RANKED + 1),
    )
    return [row[0] for row in rows]


async def _text_page(
    db: Database,
    plan: QueryPlan,
    vocabulary: Vocabulary,
    offset: int,
    limit: int,
    exclude: Sequence[int],
) -> tuple[list[TitleHit], int, bool]:
    """Return one page of the titles matching plan, best first, their number, and if capped.

    bm25 costs about a microsecond per matching title, so a query matching more than
    MAX_RANKED titles (two letters, very common words) ranks a pool of that many: the titles
    holding every word in their title if there are any, else the newest matches.
    """
    expression = plan.expression
    excluded = json.dumps(list(exclude))
    threshold, pool_size, capped = 0, None, False
    if vocabulary.estimate(plan) > MAX_RANKED:
        newest = await _newest(db, expression, excluded)
        if len(newest) > MAX_RANKED:
            capped = True
            in_title = await _newest(db, plan.title_expression, excluded)
            if in_title:
                expression, newest = plan.title_expression, in_title
        if len(newest) > MAX_RANKED:
            threshold = newest[MAX_RANKED - 1]
        pool_size = min(len(newest), MAX_RANKED)
    fetch = max(RERANK_WINDOW, offset + limit)
    ranked = await db.fetchall(
        "SELECT rowid, rank FROM title_fts"
        " WHERE title_fts MATCH ? AND rank MATCH ? AND rowid >= ?"
        " AND rowid NOT IN (SELECT value FROM json_each(?))"
        " ORDER BY rank, rowid LIMIT ?",
        (expression, RANK_FUNCTION, threshold, excluded, fetch),
    )
    if len(ranked) < fetch:
        total = len(ranked)
    elif pool_size is not None:
        total = pool_size
    else:
        total = await db.fetchval(
            "SELECT count(*) FROM title_fts WHERE title_fts MATCH ?"
            " AND rowid NOT IN (SELECT value FROM json_each(?))",
            (expression, excluded),
        )
    head, tail = ranked[:RERANK_WINDOW], [row[0] for row in ranked[RERANK_WINDOW:]]
    details: dict[int, aiosqlite.Row] = {}
    order = [row[0] for row in head]
    if offset < len(head):
        details = await _details(db, order)
        candidates = [
            Candidate(
                title_id=row[0],
                bm25=row[1],
                title_words=tuple(details[row[0]]["title_words"].split()),
                other_words=tuple(details[row[0]]["other_words"].split()),
                on_shelf=details[row[0]]["on_shelf"],
            )
            for row in head
            if row[0] in details
        ]
        order = [candidate.title_id for candidate in rank_candidates(plan, candidates)]
    page = (order + tail)[offset : offset + limit]
    missing = [title_id for title_id in page if title_id not in details]
    if missing:
        details.update(await _details(db, missing))
    hits = [_hit(details[title_id]) for title_id in page if title_id in details]
    return hits, total, capped


async def search_titles(
    db: Database, query: str, *, limit: int = 5, offset: int = 0
) -> SearchResult:
    """Find titles by words of their title, author or subject, by accession number or ISBN.

    Accents, case and small typos do not matter; the last word may be unfinished. A copy's
    accession number or a title's ISBN puts that title first. Never raises on odd input.
    """
    limit = min(max(limit, 1), MAX_LIMIT)
    offset = max(offset, 0)
    parsed = parse_query(query)
    pinned, exact_copy = await _pinned(db, parsed)
    hits: list[TitleHit] = []
    if offset < len(pinned):
        shown = pinned[offset : offset + limit]
        details = await _details(db, shown)
        hits = [_hit(details[title_id]) for title_id in shown if title_id in details]
    text_total, corrected, capped = 0, False, False
    if parsed.outcome is None:
        vocabulary = await _vocabulary(db)
        text_offset = max(offset - len(pinned), 0)
        text_limit = limit - len(hits)
        for relaxed in (False, True):
            plan = plan_query(parsed.tokens, vocabulary, relaxed=relaxed)
            if plan is None:
                continue
            text_hits, text_total, capped = await _text_page(
                db, plan, vocabulary, text_offset, text_limit, pinned
            )
            if text_total:
                hits.extend(text_hits)
                corrected = plan.corrected
                break
    total = len(pinned) + text_total
    outcome = Outcome.OK if total else parsed.outcome or Outcome.NOTHING_FOUND
    return SearchResult(
        query=query,
        outcome=outcome,
        hits=hits,
        total=total,
        exact_copy=exact_copy,
        corrected=corrected,
        capped=capped,
    )
