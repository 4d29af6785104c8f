"""The outbox: one row per push message, sent once by its key, surviving restarts.

A row moves ``pending`` → ``sending`` (claimed by the delivery worker just before its Bot API
call) → ``sent`` | ``pending`` again (retry later) | ``failed`` | ``blocked``.

Delivery is **at-least-once**. Telegram offers no idempotency key and no way to ask which
messages a bot has sent, so a row found ``sending`` after a crash is ambiguous: its request
may or may not have reached Telegram. ``recover_in_flight`` puts such rows back to
``pending`` and they are sent again, because a lost reminder or announcement is worse than a
rare duplicate. The ambiguous window is kept as small as we can make it:

- the worker claims only rows it can send at once (one per chat, no more than its free send
  slots and rate room), so a claimed row is not left waiting behind a rate limit;
- ``mark_sent`` runs right after each successful call, in its own small transaction; there is
  no batching of confirmations. With the WAL journal a commit survives SIGKILL of the process.

A kill therefore loses nothing, and duplicates a message only if it lands between Telegram
storing it and the commit that follows. bench/bench_delivery.py measures that gap at about
1.3 ms (median; the emulator sharing the process) plus a commit of about 0.3 ms, so at 30
messages a second a SIGKILL at a random moment sends one message twice about 5 % of the
time. A kill fired the instant Telegram stores a message always lands in the gap.

All times are stored as UTC ISO strings of one fixed width, so that they compare as text.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import aiosqlite

from db.connection import Database

STATUSES = ("pending", "sending", "sent", "failed", "blocked")
_INTERRUPTED = "interrupted by a restart; sent again"


@dataclass(frozen=True)
class OutboxMessage:
    """A push message as stored: its recipient, Bot API payload and delivery state."""

    id: int
    key: str
    chat_id: int
    payload: dict[str, Any]
    not_before: datetime
    status: str
    attempts: int
    batch: str
    last_error: str = ""


@dataclass(frozen=True)
class NewMessage:
    """A push message to enqueue: a unique key, the chat and the Bot API payload."""

    key: str
    chat_id: int
    payload: dict[str, Any]
    not_before: datetime | None = None
    batch: str = ""


def to_db_time(moment: datetime) -> str:
    """Return moment as the fixed-width UTC text the outbox stores and compares."""
    if moment.tzinfo is None:
        raise ValueError("outbox times must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_db_time(text: str) -> datetime:
    """Read a time stored by to_db_time."""
    return datetime.fromisoformat(text).astimezone(UTC)


def _row(values: NewMessage) -> tuple[str, int, str, str, str]:
    not_before = values.not_before or datetime.now(UTC)
    payload = json.dumps(values.payload, ensure_ascii=False, separators=(",", ":"))
    return (values.key, values.chat_id, payload, to_db_time(not_before), values.batch)


def _message(row: aiosqlite.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        key=row["key"],
        chat_id=row["chat_id"],
        payload=json.loads(row["payload"]),
        not_before=from_db_time(row["not_before"]),
        status=row["status"],
        attempts=row["attempts"],
        batch=row["batch"],
        last_error=row["last_error"],
    )


_INSERT = (
    "INSERT OR IGNORE INTO outbox (key, chat_id, payload, not_before, batch)"
    " VALUES (?, ?, ?, ?, ?)"
)


async def enqueue(
    conn: aiosqlite.Connection,
    *,
    key: str,
    chat_id: int,
    payload: dict[str, Any],
    not_before: datetime | None = None,
    batch: str = "",
) -> bool:
    """Add a message inside the caller's transaction; False when its key is already there.

    Without not_before the message is due now (the wall clock, UTC).
    """
    row = _row(NewMessage(key, chat_id, payload, not_before, batch))
    async with conn.execute(_INSERT, row) as cursor:
        return cursor.rowcount == 1


async def enqueue_many(conn: aiosqlite.Connection, rows: Iterable[NewMessage]) -> int:
    """Add many messages inside the caller's transaction; return how many were new."""
    before = conn.total_changes
    await conn.executemany(_INSERT, [_row(row) for row in rows])
    return conn.total_changes - before


async def claim_due(
    db: Database, now: datetime, limit: int, *, skip_chats: Iterable[int] = ()
) -> list[OutboxMessage]:
    """Mark as 'sending' and return up to limit due messages, oldest first, one per chat.

    Chats in skip_chats (paused or at their rate limit) are left for later.
    """
    if limit <= 0:
        return []
    taken_chats = set(skip_chats)
    claimed: list[OutboxMessage] = []
    # Pages along the outbox_due index, so a claim costs what it takes, not the queue's size.
    page = 2 * limit + 16
    after = ("", 0)
    async with db.transaction() as conn:
        while len(claimed) < limit:
            async with conn.execute(
                "SELECT * FROM outbox WHERE status = 'pending' AND not_before <= ?"
                " AND (not_before, id) > (?, ?) ORDER BY not_before, id LIMIT ?",
                (to_db_time(now), *after, page),
            ) as cursor:
                rows = list(await cursor.fetchall())
            for row in rows:
                if row["chat_id"] not in taken_chats and len(claimed) < limit:
                    taken_chats.add(row["chat_id"])
                    claimed.append(replace(_message(row), status="sending"))
            if len(rows) < page:
                break
            after = (rows[-1]["not_before"], rows[-1]["id"])
        await conn.executemany(
            "UPDATE outbox SET status = 'sending' WHERE id = ?", [(row.id,) for row in claimed]
        )
    return claimed


async def next_due(db: Database) -> datetime | None:
    """Return when the earliest pending message becomes due, or None when none is pending."""
    value = await db.fetchval("SELECT min(not_before) FROM outbox WHERE status = 'pending'")
    return None if value is None else from_db_time(value)


async def mark_sent(
    db: Database, message_id: int, telegram_message_id: int, now: datetime
) -> None:
    """Record that Telegram accepted the message (its own id kept for later edits)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'sent', message_id = ?, sent_at = ?, last_error = ''"
            " WHERE id = ? AND status = 'sending'",
            (telegram_message_id, to_db_time(now), message_id),
        )


async def mark_retry(
    db: Database, message_id: int, not_before: datetime, error: str, *, count: bool = True
) -> None:
    """Put the message back in line until not_before; count=False for a flood wait (429)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'pending', not_before = ?, last_error = ?,"
            " attempts = attempts + ? WHERE id = ? AND status = 'sending'",
            (to_db_time(not_before), error, int(count), message_id),
        )


async def mark_failed(db: Database, message_id: int, error: str) -> None:
    """Give the message up for good, keeping the reason."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1"
            " WHERE id = ? AND status = 'sending'",
            (error, message_id),
        )


async def mark_blocked(db: Database, message_id: int, error: str) -> None:
    """Record that the chat refuses the bot; a private chat's account is marked blocked."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = 'blocked', last_error = ?, attempts = attempts + 1"
            " WHERE id = ? AND status = 'sending'",
            (error, message_id),
        )
        # Only private chats (positive ids) belong to one account.
        await conn.execute(
            "UPDATE account SET blocked = 1 WHERE chat_id > 0"
            " AND chat_id = (SELECT chat_id FROM outbox WHERE id = ?)",
            (message_id,),
        )


async def recover_in_flight(db: Database) -> int:
    """At start-up, put rows a crash left 'sending' back in line; return how many.

    Call it only while no worker runs on this database: one worker owns delivery.
    """
    async with (
        db.transaction() as conn,
        conn.execute(
            "UPDATE outbox SET status = 'pending', last_error = ? WHERE status = 'sending'",
            (_INTERRUPTED,),
        ) as cursor,
    ):
        return cursor.rowcount


async def get(db: Database, key: str) -> OutboxMessage | None:
    """Return the message stored under key."""
    row = await db.fetchone("SELECT * FROM outbox WHERE key = ?", (key,))
    return None if row is None else _message(row)


async def batch_report(db: Database, batch: str) -> dict[str, int]:
    """Count a broadcast's messages per status (every status present, zero when none)."""
    rows = await db.fetchall(
        "SELECT status, count(*) FROM outbox WHERE batch = ? GROUP BY status", (batch,)
    )
    report = dict.fromkeys(STATUSES, 0)
    report.update({row[0]: row[1] for row in rows})
    return report
