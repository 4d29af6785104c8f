"""Catalog search in SQLite: keep title_fts in step with titles, and answer what people type."""

import asyncio
import json
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.search import (
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

# At most this many matching titles are ranked: enough for any sensible query.
MAX_RANKED = 300
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
    # More titles matched than MAX_RANKED: total counts the ones ranked; ask for more words.
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
            titles = await db.fetchval("SELECT count(*) FROM title")
            vocabulary = Vocabulary({row[0]: row[1] for row in rows}, titles)
            known = _Dictionary(generation, vocabulary)
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


async def _details(db: Database, title_ids: Sequence[int]) -> dict[int, TitleHit]:
    """Return the shown fields and copy counts of these titles."""
    rows = await db.fetchall(
        "SELECT t.id, t.title, t.author, t.publisher, t.year, t.kind,"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id AND c.status = 'on_shelf'),"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id"
        "  AND c.status NOT IN ('withdrawn', 'lost'))"
        " FROM title t WHERE t.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(title_ids)),),
    )
    return {row[0]: TitleHit(*row) for row in rows}


async def _newest_matches(db: Database, expression: str, excluded: str) -> list[Candidate]:
    """Return up to MAX_RANKED + 1 titles matching expression, newest first, as candidates."""
    rows = await db.fetchall(
        "SELECT f.rowid, f.title, f.author, f.subject,"
        " (SELECT count(*) FROM copy c WHERE c.title_id = f.rowid AND c.status = 'on_shelf')"
        " FROM title_fts f WHERE title_fts MATCH ?"
        " AND f.rowid NOT IN (SELECT value FROM json_each(?))"
        " ORDER BY f.rowid DESC LIMIT ?",
        (expression, excluded, MAX_RANKED + 1),
    )
    return [
        Candidate(row[0], (row[1].split(), row[2].split(), row[3].split()), row[4]) for row in rows
    ]


async def _text_matches(
    db: Database, plan: QueryPlan, exclude: Sequence[int]
) -> tuple[list[Candidate], bool]:
    """Return the titles to rank for plan, and whether more matched than could be ranked.

    FTS5 only finds the titles; ranking them here spares its bm25, which reads every
    document list of the query's words and so costs tens of milliseconds for common ones.
    Past MAX_RANKED matches, the titles holding every word in their title come first, then
    the newest of the others.
    """
    excluded = json.dumps(list(exclude))
    found = await _newest_matches(db, plan.expression, excluded)
    if len(found) <= MAX_RANKED:
        return found, False
    in_title = await _newest_matches(db, plan.title_expression, excluded)
    chosen = {candidate.title_id for candidate in in_title}
    pool = in_title + [candidate for candidate in found if candidate.title_id not in chosen]
    return pool[:MAX_RANKED], True


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
    ranked: list[int] = []
    corrected = capped = False
    if parsed.outcome is None:
        vocabulary = await _vocabulary(db)
        for relaxed in (False, True):
            plan = plan_query(parsed.tokens, vocabulary, relaxed=relaxed)
            if plan is None:
                continue
            candidates, capped = await _text_matches(db, plan, pinned)
            if candidates:
                ordered = rank_candidates(plan, vocabulary, candidates)
                ranked = [candidate.title_id for candidate in ordered]
                corrected = plan.corrected
                break
    page = [*pinned, *ranked][offset : offset + limit]
    details = await _details(db, page) if page else {}
    total = len(pinned) + len(ranked)
    return SearchResult(
        query=query,
        outcome=Outcome.OK if total else parsed.outcome or Outcome.NOTHING_FOUND,
        hits=[details[title_id] for title_id in page if title_id in details],
        total=total,
        exact_copy=exact_copy,
        corrected=corrected,
        capped=capped,
    )
