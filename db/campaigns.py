"""Campaigns, their yearly runs, broadcasts, and the chats an audience reaches."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from db import outbox
from db.connection import Database
from db.outbox import NewMessage, from_db_time, to_db_time

_CAMPAIGN_COLUMNS = (
    "id, seed_key, day, month, title, message, audience, send_time, lead_days, status"
)
_EDITABLE = frozenset(
    {"title", "message", "day", "month", "audience", "send_time", "lead_days", "status"}
)
# Changing these changes what goes out, so an approval given before no longer holds.
_CONTENT = _EDITABLE - {"status"}


@dataclass(frozen=True)
class CampaignRecord:
    """A campaign as stored, with its books in order."""

    id: int
    seed_key: str | None
    day: int
    month: int
    title: str
    message: str
    audience: str
    send_time: str
    lead_days: int
    status: str
    book_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class NewCampaign:
    """A campaign to add: seeded from the calendar (seed_key) or by the librarian."""

    title: str
    day: int
    month: int
    message: str = ""
    audience: str = "classes"
    send_time: str = "07:30"
    lead_days: int = 3
    seed_key: str | None = None
    book_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class RunRecord:
    """One year's run of a campaign."""

    campaign_id: int
    year: int
    status: str
    batch: str
    recipients: int
    decided_by: int | None


@dataclass(frozen=True)
class Edit:
    """What an edit did: whether the campaign exists, and whether an approval was withdrawn."""

    found: bool
    unapproved: bool = False


@dataclass(frozen=True)
class NewBroadcast:
    """A broadcast to store: what, to whom, when and by whom."""

    audience: str
    text: str
    send_at: datetime
    created_by: int
    created_at: datetime
    kind: str = "message"
    photo: str | None = None
    book_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BroadcastRecord:
    """A broadcast as stored."""

    id: int
    kind: str
    audience: str
    text: str
    photo: str | None
    send_at: datetime
    status: str
    created_by: int
    recipients: int
    book_ids: tuple[int, ...] = field(default=())


@dataclass(frozen=True)
class BookFacts:
    """What a campaign or broadcast shows of a title: names, cover, copies on the shelf."""

    title_id: int
    title: str
    author: str
    cover_file_id: str | None
    on_shelf: int
    total: int


# --- campaigns -----------------------------------------------------------------------------


async def _books(db: Database, table: str, key: str, ids: Sequence[int]) -> dict[int, list[int]]:
    books: dict[int, list[int]] = {owner: [] for owner in ids}
    if not ids:
        return books
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(
        f"SELECT {key}, title_id FROM {table} WHERE {key} IN ({marks})"
        f" ORDER BY {key}, position, title_id",
        list(ids),
    )
    for row in rows:
        books[row[0]].append(int(row[1]))
    return books


def _campaign(row: aiosqlite.Row, book_ids: Iterable[int]) -> CampaignRecord:
    return CampaignRecord(
        id=row["id"],
        seed_key=row["seed_key"],
        day=row["day"],
        month=row["month"],
        title=row["title"],
        message=row["message"],
        audience=row["audience"],
        send_time=row["send_time"],
        lead_days=row["lead_days"],
        status=row["status"],
        book_ids=tuple(book_ids),
    )


async def list_campaigns(db: Database) -> list[CampaignRecord]:
    """Every campaign, by month and day."""
    rows = await db.fetchall(f"SELECT {_CAMPAIGN_COLUMNS} FROM campaign ORDER BY month, day, id")
    books = await _books(db, "campaign_book", "campaign_id", [row["id"] for row in rows])
    return [_campaign(row, books[row["id"]]) for row in rows]


async def get_campaign(db: Database, campaign_id: int) -> CampaignRecord | None:
    """The campaign with this id."""
    row = await db.fetchone(
        f"SELECT {_CAMPAIGN_COLUMNS} FROM campaign WHERE id = ?", (campaign_id,)
    )
    if row is None:
        return None
    books = await _books(db, "campaign_book", "campaign_id", [campaign_id])
    return _campaign(row, books[campaign_id])


async def seed_keys(db: Database) -> set[str]:
    """The keys of the calendar campaigns already seeded."""
    rows = await db.fetchall("SELECT seed_key FROM campaign WHERE seed_key IS NOT NULL")
    return {row[0] for row in rows}


async def _insert(conn: aiosqlite.Connection, campaign: NewCampaign) -> int | None:
    cursor = await conn.execute(
        "INSERT OR IGNORE INTO campaign (seed_key, day, month, title, message, audience,"
        " send_time, lead_days) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            campaign.seed_key,
            campaign.day,
            campaign.month,
            campaign.title,
            campaign.message,
            campaign.audience,
            campaign.send_time,
            campaign.lead_days,
        ),
    )
    if cursor.rowcount != 1:
        return None
    campaign_id = cursor.lastrowid
    assert campaign_id is not None
    await conn.executemany(
        "INSERT OR IGNORE INTO campaign_book (campaign_id, title_id, position) VALUES (?, ?, ?)",
        [(campaign_id, title_id, i) for i, title_id in enumerate(campaign.book_ids)],
    )
    return campaign_id


async def add_seeds(db: Database, campaigns: Sequence[NewCampaign]) -> int:
    """Add the calendar campaigns whose seed_key is not there yet; return how many."""
    async with db.transaction() as conn:
        added = [await _insert(conn, campaign) for campaign in campaigns]
    return sum(1 for campaign_id in added if campaign_id is not None)


async def create_campaign(db: Database, campaign: NewCampaign) -> int:
    """Add a campaign of the librarian's; return its id."""
    async with db.transaction() as conn:
        campaign_id = await _insert(conn, campaign)
    assert campaign_id is not None
    return campaign_id


async def _campaign_exists(conn: aiosqlite.Connection, campaign_id: int) -> bool:
    async with conn.execute("SELECT 1 FROM campaign WHERE id = ?", (campaign_id,)) as cur:
        return await cur.fetchone() is not None


async def _change_then_enqueue(
    db: Database, sql: str, params: Sequence[object], rows: Sequence[NewMessage]
) -> bool:
    """Run a conditional one-row change and, only if it took, enqueue rows in the same write."""
    async with db.transaction() as conn:
        cursor = await conn.execute(sql, params)
        if cursor.rowcount != 1:
            return False
        await outbox.enqueue_many(conn, rows)
    return True


async def _withdraw_approval(conn: aiosqlite.Connection, campaign_id: int) -> bool:
    cursor = await conn.execute(
        "UPDATE campaign_run SET status = 'previewed'"
        " WHERE campaign_id = ? AND status = 'approved'",
        (campaign_id,),
    )
    return cursor.rowcount > 0


async def update_campaign(db: Database, campaign_id: int, **changes: object) -> Edit:
    """Change some fields of a campaign; a change of content withdraws a pending approval."""
    unknown = set(changes) - _EDITABLE
    if unknown or not changes:
        raise ValueError(f"cannot edit {sorted(unknown) or 'nothing'}")
    names = sorted(changes)
    assignments = ", ".join(f"{name} = ?" for name in names)
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"UPDATE campaign SET {assignments} WHERE id = ?",
            [changes[name] for name in names] + [campaign_id],
        )
        if cursor.rowcount != 1:
            return Edit(found=False)
        unapproved = bool(_CONTENT & set(names)) and await _withdraw_approval(conn, campaign_id)
    return Edit(found=True, unapproved=unapproved)


async def add_campaign_book(db: Database, campaign_id: int, title_id: int) -> Edit:
    """Put a title at the end of the campaign's books (once); withdraws a pending approval."""
    async with db.transaction() as conn:
        if not await _campaign_exists(conn, campaign_id):
            return Edit(found=False)
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO campaign_book (campaign_id, title_id, position)"
            " SELECT ?, ?, coalesce(max(position) + 1, 0) FROM campaign_book"
            " WHERE campaign_id = ?",
            (campaign_id, title_id, campaign_id),
        )
        unapproved = cursor.rowcount == 1 and await _withdraw_approval(conn, campaign_id)
    return Edit(found=True, unapproved=unapproved)


async def remove_campaign_book(db: Database, campaign_id: int, title_id: int) -> Edit:
    """Take a title off the campaign's books; withdraws a pending approval."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM campaign_book WHERE campaign_id = ? AND title_id = ?",
            (campaign_id, title_id),
        )
        if cursor.rowcount != 1:
            return Edit(found=False)
        unapproved = await _withdraw_approval(conn, campaign_id)
    return Edit(found=True, unapproved=unapproved)


# --- yearly runs ---------------------------------------------------------------------------


def _run(row: aiosqlite.Row) -> RunRecord:
    return RunRecord(
        campaign_id=row["campaign_id"],
        year=row["year"],
        status=row["status"],
        batch=row["batch"],
        recipients=row["recipients"],
        decided_by=row["decided_by"],
    )


_RUN_COLUMNS = "campaign_id, year, status, batch, recipients, decided_by"


async def runs_in_years(db: Database, years: Iterable[int]) -> dict[tuple[int, int], RunRecord]:
    """Every run of these years, by (campaign id, year)."""
    wanted = sorted(set(years))
    marks = ",".join("?" * len(wanted))
    rows = await db.fetchall(
        f"SELECT {_RUN_COLUMNS} FROM campaign_run WHERE year IN ({marks})", wanted
    )
    return {(row["campaign_id"], row["year"]): _run(row) for row in rows}


async def get_run(db: Database, campaign_id: int, year: int) -> RunRecord | None:
    """The run of the campaign in year, if it has begun."""
    row = await db.fetchone(
        f"SELECT {_RUN_COLUMNS} FROM campaign_run WHERE campaign_id = ? AND year = ?",
        (campaign_id, year),
    )
    return None if row is None else _run(row)


async def record_preview(
    db: Database, campaign_id: int, year: int, now: datetime, rows: Sequence[NewMessage]
) -> bool:
    """Start year's run with its preview messages; False (nothing sent) if it had begun."""
    return await _change_then_enqueue(
        db,
        "INSERT OR IGNORE INTO campaign_run (campaign_id, year, status, updated_at)"
        " VALUES (?, ?, 'previewed', ?)",
        (campaign_id, year, to_db_time(now)),
        rows,
    )


async def decide_run(
    db: Database, campaign_id: int, year: int, status: str, user_id: int, now: datetime
) -> str | None:
    """Approve or skip year's run (before it is sent); return the status it ends with.

    None when the campaign does not exist. A run already sending or sent keeps its status.
    """
    async with db.transaction() as conn:
        if not await _campaign_exists(conn, campaign_id):
            return None
        await conn.execute(
            "INSERT INTO campaign_run (campaign_id, year, status, decided_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (campaign_id, year) DO UPDATE SET"
            " status = excluded.status, decided_by = excluded.decided_by,"
            " updated_at = excluded.updated_at"
            " WHERE campaign_run.status IN ('previewed', 'approved', 'skipped')",
            (campaign_id, year, status, user_id, to_db_time(now)),
        )
        async with conn.execute(
            "SELECT status FROM campaign_run WHERE campaign_id = ? AND year = ?",
            (campaign_id, year),
        ) as cur:
            row = await cur.fetchone()
    assert row is not None
    return str(row[0])


async def start_run(
    db: Database,
    campaign_id: int,
    year: int,
    batch: str,
    rows: Sequence[NewMessage],
    now: datetime,
) -> bool:
    """Enqueue an approved run's messages as one batch; False if it was not approved."""
    return await _change_then_enqueue(
        db,
        "UPDATE campaign_run SET status = 'sending', batch = ?, recipients = ?,"
        " updated_at = ? WHERE campaign_id = ? AND year = ? AND status = 'approved'",
        (batch, len(rows), to_db_time(now), campaign_id, year),
        rows,
    )


async def sending_runs(db: Database) -> list[RunRecord]:
    """Runs whose messages are being delivered."""
    rows = await db.fetchall(
        f"SELECT {_RUN_COLUMNS} FROM campaign_run WHERE status = 'sending'"
        " ORDER BY campaign_id, year"
    )
    return [_run(row) for row in rows]


async def finish_run(
    db: Database, campaign_id: int, year: int, reports: Sequence[NewMessage], now: datetime
) -> bool:
    """Close a delivered run and enqueue its reports; False if someone closed it already."""
    return await _change_then_enqueue(
        db,
        "UPDATE campaign_run SET status = 'sent', updated_at = ?"
        " WHERE campaign_id = ? AND year = ? AND status = 'sending'",
        (to_db_time(now), campaign_id, year),
        reports,
    )


# --- broadcasts ----------------------------------------------------------------------------

_BROADCAST_COLUMNS = "id, kind, audience, text, photo, send_at, status, created_by, recipients"


def _broadcast(row: aiosqlite.Row, book_ids: Iterable[int]) -> BroadcastRecord:
    return BroadcastRecord(
        id=row["id"],
        kind=row["kind"],
        audience=row["audience"],
        text=row["text"],
        photo=row["photo"],
        send_at=from_db_time(row["send_at"]),
        status=row["status"],
        created_by=row["created_by"],
        recipients=row["recipients"],
        book_ids=tuple(book_ids),
    )


async def _broadcasts(db: Database, where: str, params: Sequence[object]) -> list[BroadcastRecord]:
    rows = await db.fetchall(
        f"SELECT {_BROADCAST_COLUMNS} FROM broadcast WHERE {where} ORDER BY send_at, id", params
    )
    books = await _books(db, "broadcast_book", "broadcast_id", [row["id"] for row in rows])
    return [_broadcast(row, books[row["id"]]) for row in rows]


async def create_broadcast(db: Database, broadcast: NewBroadcast) -> int:
    """Store a broadcast, scheduled for its send_at; return its id."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO broadcast (kind, audience, text, photo, send_at, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                broadcast.kind,
                broadcast.audience,
                broadcast.text,
                broadcast.photo,
                to_db_time(broadcast.send_at),
                broadcast.created_by,
                to_db_time(broadcast.created_at),
            ),
        )
        broadcast_id = cursor.lastrowid
        assert broadcast_id is not None
        await conn.executemany(
            "INSERT OR IGNORE INTO broadcast_book (broadcast_id, title_id, position)"
            " VALUES (?, ?, ?)",
            [(broadcast_id, title_id, i) for i, title_id in enumerate(broadcast.book_ids)],
        )
    return broadcast_id


async def get_broadcast(db: Database, broadcast_id: int) -> BroadcastRecord | None:
    """The broadcast with this id."""
    found = await _broadcasts(db, "id = ?", (broadcast_id,))
    return found[0] if found else None


async def scheduled_broadcasts(db: Database) -> list[BroadcastRecord]:
    """Broadcasts waiting for their send time, soonest first."""
    return await _broadcasts(db, "status = 'scheduled'", ())


async def due_broadcasts(db: Database, now: datetime) -> list[BroadcastRecord]:
    """Scheduled broadcasts whose send time has come."""
    return await _broadcasts(db, "status = 'scheduled' AND send_at <= ?", (to_db_time(now),))


async def sending_broadcasts(db: Database) -> list[BroadcastRecord]:
    """Broadcasts whose messages are being delivered."""
    return await _broadcasts(db, "status = 'sending'", ())


async def cancel_broadcast(db: Database, broadcast_id: int) -> bool:
    """Cancel a scheduled broadcast; False if it is no longer scheduled."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE broadcast SET status = 'cancelled' WHERE id = ? AND status = 'scheduled'",
            (broadcast_id,),
        )
        return cursor.rowcount == 1


async def start_broadcast(db: Database, broadcast_id: int, rows: Sequence[NewMessage]) -> bool:
    """Enqueue a scheduled broadcast's messages as one batch; False if it was not scheduled."""
    return await _change_then_enqueue(
        db,
        "UPDATE broadcast SET status = 'sending', recipients = ?"
        " WHERE id = ? AND status = 'scheduled'",
        (len(rows), broadcast_id),
        rows,
    )


async def finish_broadcast(db: Database, broadcast_id: int, reports: Sequence[NewMessage]) -> bool:
    """Close a delivered broadcast and enqueue its report; False if it was closed already."""
    return await _change_then_enqueue(
        db,
        "UPDATE broadcast SET status = 'done' WHERE id = ? AND status = 'sending'",
        (broadcast_id,),
        reports,
    )


# --- who an audience reaches ---------------------------------------------------------------


async def _chats(db: Database, sql: str, params: Sequence[object] = ()) -> list[int]:
    return [int(row[0]) for row in await db.fetchall(sql, params)]


async def reader_chats(db: Database) -> list[int]:
    """Private chats of every account linked to an active reader, unless blocked."""
    return await _chats(
        db,
        "SELECT a.chat_id FROM account a JOIN reader r ON r.id = a.reader_id"
        " WHERE r.active = 1 AND a.blocked = 0 ORDER BY a.chat_id",
    )


async def teacher_chats(db: Database) -> list[int]:
    """Private chats of teachers and staff (by their reader record or a teacher grant)."""
    return await _chats(
        db,
        "SELECT a.chat_id FROM account a LEFT JOIN reader r ON r.id = a.reader_id"
        " WHERE a.blocked = 0 AND ((r.active = 1 AND r.category IN ('teacher', 'staff'))"
        " OR EXISTS (SELECT 1 FROM role_grant g WHERE g.account_id = a.id"
        " AND g.role = 'teacher')) ORDER BY a.chat_id",
    )


async def collaborator_chats(db: Database) -> list[int]:
    """Private chats of the accounts granted the collaborator role, unless blocked."""
    return await _chats(
        db,
        "SELECT a.chat_id FROM account a JOIN role_grant g ON g.account_id = a.id"
        " WHERE g.role = 'collaborator' AND a.blocked = 0 ORDER BY a.chat_id",
    )


async def started_librarian_chats(db: Database, config_ids: frozenset[int]) -> list[int]:
    """Private chats of the librarians who have opened the bot (Telegram refuses the others)."""
    marks = ",".join("?" * len(config_ids)) or "NULL"
    return await _chats(
        db,
        "SELECT DISTINCT a.chat_id FROM account a WHERE a.blocked = 0 AND a.channel = 'telegram'"
        f" AND (a.user_id IN ({marks}) OR EXISTS (SELECT 1 FROM role_grant g"
        " WHERE g.account_id = a.id AND g.role = 'librarian')) ORDER BY a.chat_id",
        sorted(config_ids),
    )


# --- books ---------------------------------------------------------------------------------


async def book_facts(db: Database, title_ids: Sequence[int]) -> list[BookFacts]:
    """The titles in this order (missing ones left out), with copies on the shelf and in all."""
    if not title_ids:
        return []
    marks = ",".join("?" * len(title_ids))
    rows = await db.fetchall(
        "SELECT t.id, t.title, t.author, t.cover_file_id,"
        " count(c.id) FILTER (WHERE c.status = 'on_shelf') AS on_shelf,"
        " count(c.id) FILTER (WHERE c.status NOT IN ('lost', 'withdrawn')) AS total"
        f" FROM title t LEFT JOIN copy c ON c.title_id = t.id WHERE t.id IN ({marks})"
        " GROUP BY t.id",
        list(title_ids),
    )
    found = {
        row["id"]: BookFacts(
            row["id"], row["title"], row["author"], row["cover_file_id"], row[4], row[5]
        )
        for row in rows
    }
    return [found[title_id] for title_id in title_ids if title_id in found]


async def title_exists(db: Database, title_id: int) -> bool:
    """Whether the catalog holds this title."""
    return await db.fetchval("SELECT 1 FROM title WHERE id = ?", (title_id,)) is not None
