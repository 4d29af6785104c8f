"""Catalog search in SQLite: keep title_fts in step with titles, and answer what people type."""

import asyncio
import json
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import aiosqlite

from bot.core.search import (
    INDEX_RULES,
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
    series_order,
    series_sort_key,
)
from db.connection import Database

# At most this many matching titles are ranked: enough for any sensible query.
MAX_RANKED = 1_000
# The best of them by bm25 are re-ordered in Python by closeness to what was typed.
RERANK_WINDOW = 40
MAX_LIMIT = 100
RESULT_CACHE_SIZE = 512


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
    # More titles matched than MAX_RANKED: total counts those ranked; ask for more words.
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
# Recent results per open database (query, limit, offset → change stamp, result).
_result_caches: weakref.WeakKeyDictionary[
    Database, OrderedDict[tuple[str, int, int], tuple[tuple[int, int], SearchResult]]
] = weakref.WeakKeyDictionary()


async def reindex_titles(conn: aiosqlite.Connection, title_ids: Iterable[int]) -> None:
    """Rewrite the title_fts rows of these titles from the title table (drop those gone).

    Runs inside the caller's transaction.
    """
    wanted = sorted({int(title_id) for title_id in title_ids})
    if not wanted:
        return
    ids = json.dumps(wanted)
    await conn.execute(
        "DELETE FROM title_fts WHERE rowid IN (SELECT value FROM json_each(?))", (ids,)
    )
    rows = await conn.execute_fetchall(
        "SELECT id, title, author, subject, kind, classification FROM title"
        " WHERE id IN (SELECT value FROM json_each(?))",
        (ids,),
    )
    await conn.execute(
        "DELETE FROM title_key WHERE title_id IN (SELECT value FROM json_each(?))", (ids,)
    )
    indexed = [
        (row[0], index_text(row[1]), index_text(row[2]), index_text(row[3], row[4], row[5]))
        for row in rows
    ]
    await conn.executemany(
        "INSERT INTO title_fts (rowid, title, author, subject) VALUES (?, ?, ?, ?)", indexed
    )
    await conn.executemany(
        "INSERT INTO title_key (title_id, key) VALUES (?, ?)",
        [(title_id, title) for title_id, title, _, _ in indexed],
    )
    await conn.execute("UPDATE title_fts_generation SET generation = generation + 1")


async def rebuild_if_stale(db: Database) -> bool:
    """Reindex every title when the index was built by older rules; True if it was."""
    async with db.transaction() as conn:
        rows = list(await conn.execute_fetchall("SELECT version FROM title_fts_rules"))
        if rows and rows[0][0] >= INDEX_RULES:
            return False
        ids = await conn.execute_fetchall("SELECT id FROM title")
        await reindex_titles(conn, [row[0] for row in ids])
        await conn.execute("UPDATE title_fts_rules SET version = ?", (INDEX_RULES,))
    return True


async def _vocabulary(db: Database) -> Vocabulary:
    """Return the indexed words, reloaded only when a reindex has happened since."""
    conn = db.conn
    ((generation,),) = await _rows(db, "SELECT generation FROM title_fts_generation", ())
    known = _dictionaries.get(conn)
    if known is not None and known.generation == generation:
        return known.vocabulary
    lock = _loading.setdefault(conn, asyncio.Lock())
    async with lock:
        known = _dictionaries.get(conn)
        if known is None and await rebuild_if_stale(db):
            ((generation,),) = await _rows(db, "SELECT generation FROM title_fts_generation", ())
        if known is None or known.generation != generation:
            rows = await _rows(db, "SELECT term, doc FROM title_fts_vocab", ())
            ((titles,),) = await _rows(db, "SELECT count(*) FROM title_key", ())
            vocabulary = Vocabulary({row[0]: row[1] for row in rows}, titles)
            known = _Dictionary(generation, vocabulary)
            _dictionaries[conn] = known
    return known.vocabulary


async def _pinned(db: Database, parsed: ParsedQuery) -> tuple[list[int], str | None]:
    """Return the titles an accession number or ISBN names, and the accession if one matched."""
    if parsed.accessions:
        rows = await _rows(
            db,
            "SELECT accession, title_id FROM copy"
            " WHERE accession IN (SELECT value FROM json_each(?))",
            (json.dumps(parsed.accessions),),
        )
        if rows:
            order = {accession: i for i, accession in enumerate(parsed.accessions)}
            best = min(rows, key=lambda row: order.get(row[0].upper(), len(order)))
            return [best[1]], best[0]
    if parsed.isbns:
        rows = await _rows(
            db,
            "SELECT id FROM title WHERE isbn IN (SELECT value FROM json_each(?)) ORDER BY id",
            (json.dumps(parsed.isbns),),
        )
        return [row[0] for row in rows], None
    return [], None


async def _details(db: Database, title_ids: Sequence[int]) -> dict[int, aiosqlite.Row]:
    """Return the shown fields, copy counts and indexed words of these titles."""
    rows = await _rows(
        db,
        "SELECT t.id, t.title, t.author, t.publisher, t.year, t.kind,"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id AND c.status = 'on_shelf'),"
        " (SELECT count(*) FROM copy c WHERE c.title_id = t.id"
        "  AND c.status NOT IN ('withdrawn', 'lost')),"
        " f.title, f.author, f.subject"
        " FROM title t LEFT JOIN title_fts f ON f.rowid = t.id"
        " WHERE t.id IN (SELECT value FROM json_each(?))",
        (json.dumps(list(title_ids)),),
    )
    return {row[0]: row for row in rows}


def _hit(row: aiosqlite.Row) -> TitleHit:
    return TitleHit(*row[:8])


async def _rows(db: Database, sql: str, params: Sequence[object]) -> list[aiosqlite.Row]:
    """Run one query in a single trip to the database thread (search runs several per call)."""
    return list(await db.conn.execute_fetchall(sql, params))


def _closest(
    plan: QueryPlan, ranked: Sequence[aiosqlite.Row], details: dict[int, aiosqlite.Row]
) -> list[int]:
    """Return the ids of ranked re-ordered by closeness to the plan and copies on the shelf,
    each numbered series in number order."""
    candidates = [
        Candidate(
            title_id=row[0],
            bm25=row[1],
            title_words=(details[row[0]][8] or "").split(),
            author_words=(details[row[0]][9] or "").split(),
            subject_words=(details[row[0]][10] or "").split(),
            on_shelf=details[row[0]][6],
        )
        for row in ranked
        if row[0] in details
    ]
    ranked_ids = [candidate.title_id for candidate in rank_candidates(plan, candidates)]
    return series_order([(title_id, details[title_id][8] or "") for title_id in ranked_ids])


async def _text_page(
    db: Database,
    plan: QueryPlan,
    vocabulary: Vocabulary,
    offset: int,
    limit: int,
    pinned: Sequence[int],
) -> tuple[list[int], int, bool, dict[int, aiosqlite.Row]]:
    """Return the ids of one page of the titles matching plan, their number, if capped, and
    the details fetched on the way.

    Titles that start with the typed words come first, the shortest first (the exact title
    leads, a series in number order), then the others by bm25 and closeness. FTS5's bm25 costs
    about a microsecond per matching title plus a pass over each word's document list, so
    past MAX_RANKED matches (two letters, very common words) only the newest are ranked.
    """
    # Sorting a whole key range by length would cost more than the search: the shortest
    # come first among the first MAX_RANKED in key order (an exact title is first of all).
    keyed = await _rows(
        db,
        "SELECT DISTINCT k.title_id, k.key FROM json_each(?) s"
        " JOIN title_key k ON k.key >= s.value AND k.key < s.value || char(127)"
        " WHERE k.title_id NOT IN (SELECT value FROM json_each(?))"
        " ORDER BY k.key, k.title_id LIMIT ?",
        (json.dumps(plan.title_starts), json.dumps(list(pinned)), MAX_RANKED + 1),
    )
    capped = len(keyed) > MAX_RANKED
    keyed = sorted(keyed[:MAX_RANKED], key=lambda row: (len(row[1]), row[1], row[0]))
    # A series is put in number order where a page may show: reading series numbers costs
    # a few microseconds a title, too much for a thousand of them.
    window = offset + limit + RERANK_WINDOW
    shown = sorted(keyed[:window], key=lambda row: (series_sort_key(row[1]), row[0]))
    starts = series_order([(row[0], row[1]) for row in shown])
    starts += [row[0] for row in keyed[window:]]
    room = MAX_RANKED - len(starts)
    excluded = json.dumps([*pinned, *starts])
    threshold, known = 0, None
    # A page among the titles that start with the words only needs the others counted.
    rank_others = offset + limit > len(starts)
    if room and (vocabulary.estimate(plan) > room or not rank_others):
        ((count, oldest),) = await _rows(
            db,
            "SELECT count(*), min(rowid) FROM (SELECT rowid FROM title_fts"
            " WHERE title_fts MATCH ? AND rowid NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY rowid DESC LIMIT ?)",
            (plan.expression, excluded, room + 1),
        )
        known = min(count, room)
        if count > room:
            capped, threshold = True, oldest + 1
    ranked: list[aiosqlite.Row] = []
    fetch = max(RERANK_WINDOW, offset + limit - len(starts))
    if room and rank_others and known != 0:
        ranked = await _rows(
            db,
            "SELECT rowid, rank FROM title_fts"
            " WHERE title_fts MATCH ? AND rank MATCH ? AND rowid >= ?"
            " AND rowid NOT IN (SELECT value FROM json_each(?))"
            " ORDER BY rank, rowid LIMIT ?",
            (plan.expression, RANK_FUNCTION, threshold, excluded, fetch),
        )
    if known is not None:
        others = known
    elif len(ranked) < fetch:
        others = len(ranked)
    else:
        ((count,),) = await _rows(
            db,
            "SELECT count(*) FROM (SELECT 1 FROM title_fts WHERE title_fts MATCH ?"
            " AND rowid NOT IN (SELECT value FROM json_each(?)) LIMIT ?)",
            (plan.expression, excluded, room + 1),
        )
        others, capped = min(count, room), capped or count > room
    order = [*starts, *(row[0] for row in ranked)]
    head = ranked[:RERANK_WINDOW]
    details: dict[int, aiosqlite.Row] = {}
    if head and offset < len(starts) + len(head) and offset + limit > len(starts):
        details = await _details(db, [*starts[offset:], *(row[0] for row in head)])
        order[len(starts) : len(starts) + len(head)] = _closest(plan, head, details)
    return order[offset : offset + limit], len(starts) + others, capped, details


async def search_titles(
    db: Database, query: str, *, limit: int = 5, offset: int = 0
) -> SearchResult:
    """Find titles by words of their title, author or subject, by accession number or ISBN.

    Accents, case and small typos do not matter; the last word may be unfinished. A copy's
    accession number or a title's ISBN puts that title first. Never raises on odd input.
    The same query asked again while nothing was written (a class searching the book just
    announced) is answered from memory.
    """
    cache = _result_caches.setdefault(db, OrderedDict())
    key = (query, limit, offset)
    stamp = await db.change_stamp()
    cached = cache.get(key)
    if cached is not None and cached[0] == stamp:
        cache.move_to_end(key)
        return cached[1]
    result = await _search_titles(db, query, limit=limit, offset=offset)
    cache[key] = (stamp, result)
    if len(cache) > RESULT_CACHE_SIZE:
        cache.popitem(last=False)
    return result


async def _search_titles(db: Database, query: str, *, limit: int, offset: int) -> SearchResult:
    limit = min(max(limit, 1), MAX_LIMIT)
    offset = max(offset, 0)
    parsed = parse_query(query)
    pinned, exact_copy = await _pinned(db, parsed)
    page = pinned[offset : offset + limit]
    found = 0
    details: dict[int, aiosqlite.Row] = {}
    corrected = capped = False
    if parsed.outcome is None:
        vocabulary = await _vocabulary(db)
        text_offset = max(offset - len(pinned), 0)
        for relaxed in (False, True):
            plan = plan_query(parsed.tokens, vocabulary, relaxed=relaxed, names=parsed.names)
            if plan is None:
                continue
            ids, found, capped, details = await _text_page(
                db, plan, vocabulary, text_offset, limit - len(page), pinned
            )
            if found:
                page = [*page, *ids]
                corrected = plan.corrected
                break
    missing = [title_id for title_id in page if title_id not in details]
    if missing:
        details.update(await _details(db, missing))
    total = len(pinned) + found
    return SearchResult(
        query=query,
        outcome=Outcome.OK if total else parsed.outcome or Outcome.NOTHING_FOUND,
        hits=[_hit(details[title_id]) for title_id in page if title_id in details],
        total=total,
        exact_copy=exact_copy,
        corrected=corrected,
        capped=capped,
    )
