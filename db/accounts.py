"""Chat accounts, their link to a reader, role grants and one-time link tokens."""

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import aiosqlite

from bot.core.roles import Identity
from db.connection import Database
from db.privacy import consent_allows_link


class LinkOutcome(StrEnum):
    """How an attempt to link an account with a token ended."""

    LINKED = "linked"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    LEFT = "left"
    NO_CONSENT = "no_consent"


@dataclass(frozen=True)
class LinkResult:
    """The outcome of a link attempt, with the reader when it worked."""

    outcome: LinkOutcome
    reader_id: int | None = None
    reader_name: str = ""
    class_name: str = ""


@dataclass(frozen=True)
class LinkToken:
    """A single-use token that proves who the holder of a reader card is."""

    token: str
    reader_id: int
    expires_at: datetime


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


async def touch_account(db: Database, user_id: int, chat_id: int, name: str) -> int:
    """Create or refresh the account of a chat user; return its id."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO account (user_id, chat_id, name) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, user_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, name = excluded.name, blocked = 0",
            (user_id, chat_id, name),
        )
        async with conn.execute(
            "SELECT id FROM account WHERE channel = 'telegram' AND user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
    assert row is not None
    return int(row[0])


async def identity_of(db: Database, user_id: int, *, config_librarian: bool) -> Identity:
    """Return what the server knows about this chat user."""
    row = await db.fetchone(
        "SELECT a.id AS account_id, r.id AS reader_id, r.full_name, r.category, r.class_name,"
        " r.homeroom_class,"
        " (SELECT group_concat(role) FROM role_grant g WHERE g.account_id = a.id) AS granted"
        " FROM account a LEFT JOIN reader r ON r.id = a.reader_id"
        # A leaver still sees and returns their books; the loan rules refuse them the rest.
        " AND (r.active = 1 OR r.left_on IS NOT NULL)"
        " WHERE a.channel = 'telegram' AND a.user_id = ?",
        (user_id,),
    )
    if row is None:
        return Identity(user_id=user_id, config_librarian=config_librarian)
    return Identity(
        user_id=user_id,
        account_id=row["account_id"],
        reader_id=row["reader_id"],
        reader_name=row["full_name"] or "",
        category=row["category"],
        class_name=row["class_name"] or "",
        homeroom_class=row["homeroom_class"] or "",
        granted=frozenset((row["granted"] or "").split(",")) - {""},
        config_librarian=config_librarian,
    )


async def issue_link_token(
    db: Database, reader_id: int, now: datetime, valid_for: timedelta
) -> LinkToken:
    """Create a new random token for the reader; earlier unused ones stop working."""
    return (await issue_link_tokens(db, [reader_id], now, valid_for))[0]


async def issue_link_tokens(
    db: Database, reader_ids: list[int], now: datetime, valid_for: timedelta
) -> list[LinkToken]:
    """Create tokens for many readers in one transaction (printing a class's cards)."""
    expires = now + valid_for
    tokens = [LinkToken(secrets.token_urlsafe(18), rid, expires) for rid in reader_ids]
    async with db.transaction() as conn:
        await conn.executemany(
            "UPDATE link_token SET expires_at = ? WHERE reader_id = ? AND used_at IS NULL"
            " AND expires_at > ?",
            [(_iso(now), rid, _iso(now)) for rid in reader_ids],
        )
        await conn.executemany(
            "INSERT INTO link_token (token, reader_id, created_at, expires_at)"
            " VALUES (?, ?, ?, ?)",
            [(t.token, t.reader_id, _iso(now), _iso(expires)) for t in tokens],
        )
    return tokens


async def link_with_token(
    db: Database,
    token: str,
    account_id: int,
    now: datetime,
    *,
    require_parent_consent: bool = True,
) -> LinkResult:
    """Spend the token to link the account to its reader, or say why not; all or nothing.

    A student is linked only with a parent's consent recorded (unless the config waives it).
    """
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT t.reader_id, t.expires_at, t.used_at, r.full_name, r.class_name, r.left_on"
            " FROM link_token t JOIN reader r ON r.id = t.reader_id"
            " WHERE t.token = ? AND (r.active = 1 OR r.left_on IS NOT NULL)",
            (token,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return LinkResult(LinkOutcome.UNKNOWN)
        if row["left_on"] is not None:
            return LinkResult(LinkOutcome.LEFT)
        if row["used_at"] is not None:
            return LinkResult(LinkOutcome.USED)
        if row["expires_at"] <= _iso(now):
            return LinkResult(LinkOutcome.EXPIRED)
        reader_id = row["reader_id"]
        if not await consent_allows_link(conn, reader_id, require_parent_consent):
            return LinkResult(
                LinkOutcome.NO_CONSENT, reader_id, row["full_name"], row["class_name"]
            )
        await conn.execute(
            "UPDATE account SET reader_id = NULL, linked_at = NULL WHERE reader_id = ?",
            (reader_id,),
        )
        await conn.execute(
            "UPDATE account SET reader_id = ?, linked_at = ? WHERE id = ?",
            (reader_id, _iso(now), account_id),
        )
        await conn.execute(
            "UPDATE link_token SET used_at = ?, account_id = ? WHERE token = ?",
            (_iso(now), account_id, token),
        )
    return LinkResult(LinkOutcome.LINKED, reader_id, row["full_name"], row["class_name"])


async def grant_role(db: Database, account_id: int, role: str, granted_by: int) -> bool:
    """Grant a role; return False when the account already had it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO role_grant (account_id, role, granted_by) VALUES (?, ?, ?)",
            (account_id, role, granted_by),
        )
        return cursor.rowcount == 1


async def revoke_role(db: Database, account_id: int, role: str) -> bool:
    """Remove a role; return False when the account did not have it."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM role_grant WHERE account_id = ? AND role = ?", (account_id, role)
        )
        return cursor.rowcount == 1


@dataclass(frozen=True)
class AccountRecord:
    """A chat account as stored."""

    id: int
    user_id: int
    chat_id: int
    reader_id: int | None
    blocked: bool


async def account_of_reader(db: Database, reader_id: int) -> AccountRecord | None:
    """Return the account linked to the reader, if any."""
    row = await db.fetchone(
        "SELECT id, user_id, chat_id, reader_id, blocked FROM account WHERE reader_id = ?",
        (reader_id,),
    )
    if row is None:
        return None
    return AccountRecord(
        row["id"], row["user_id"], row["chat_id"], row["reader_id"], bool(row["blocked"])
    )


async def reader_chat(conn: aiosqlite.Connection, reader_id: int) -> int | None:
    """Inside a transaction: the private chat of the reader's account, unless blocked."""
    async with conn.execute(
        "SELECT chat_id FROM account WHERE reader_id = ? AND blocked = 0", (reader_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return None if row is None else int(row[0])


async def librarian_chats(conn: aiosqlite.Connection, config_ids: frozenset[int]) -> list[int]:
    """Inside a transaction: private chats of the config's librarians and granted ones."""
    async with conn.execute(
        "SELECT a.chat_id FROM account a JOIN role_grant g ON g.account_id = a.id"
        " WHERE g.role = 'librarian' AND a.blocked = 0"
    ) as cursor:
        granted = {int(row[0]) for row in await cursor.fetchall()}
    return sorted(granted | set(config_ids))


async def reader_of_token(db: Database, token: str, now: datetime) -> int | None:
    """The reader of a still-valid token, without spending it (a card shown at the desk)."""
    value = await db.fetchval(
        "SELECT reader_id FROM link_token WHERE token = ? AND used_at IS NULL AND expires_at > ?",
        (token, _iso(now)),
    )
    return None if value is None else int(value)
