"""Parents' consent, the access audit log, what is held about a reader, and forgetting them."""

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import aiosqlite

from bot.core.privacy import anonymous_code, may_link, without_name
from bot.core.textfold import fold
from db.connection import Database

# Columns that hold a chat user id in any table: their values are the erased person's too.
_USER_COLUMNS = frozenset({"user_id", "chat_id"})
# Tables whose user ids erasure handles row by row (the account itself, the outbox payloads).
_HANDLED_TABLES = frozenset({"account", "outbox"})
_CANCELLED = "cancelled: parent consent withdrawn"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ConsentRecord:
    """A parent's consent as recorded, withdrawn or not."""

    id: int
    reader_id: int
    given_on: str
    source: str
    recorded_by: int | None
    recorded_by_name: str
    recorded_at: str
    note: str
    withdrawn_at: str | None
    withdrawn_by_name: str
    withdrawn_source: str | None


_CONSENT_SELECT = (
    "SELECT c.id, c.reader_id, c.given_on, c.source, c.recorded_by, c.recorded_at, c.note,"
    " c.withdrawn_at, c.withdrawn_source,"
    " coalesce((SELECT coalesce(r.full_name, a.name) FROM account a LEFT JOIN reader r"
    "  ON r.id = a.reader_id WHERE a.channel = 'telegram' AND a.user_id = c.recorded_by),"
    "  '') AS recorded_by_name,"
    " coalesce((SELECT coalesce(r.full_name, a.name) FROM account a LEFT JOIN reader r"
    "  ON r.id = a.reader_id WHERE a.channel = 'telegram' AND a.user_id = c.withdrawn_by),"
    "  '') AS withdrawn_by_name"
    " FROM parent_consent c"
)


def _consent(row: aiosqlite.Row) -> ConsentRecord:
    return ConsentRecord(
        id=row["id"],
        reader_id=row["reader_id"],
        given_on=row["given_on"],
        source=row["source"],
        recorded_by=row["recorded_by"],
        recorded_by_name=row["recorded_by_name"],
        recorded_at=row["recorded_at"],
        note=row["note"],
        withdrawn_at=row["withdrawn_at"],
        withdrawn_by_name=row["withdrawn_by_name"],
        withdrawn_source=row["withdrawn_source"],
    )


async def consent_allows_link(conn: aiosqlite.Connection, reader_id: int, required: bool) -> bool:
    """Inside the link transaction: say whether the reader may link a chat account now."""
    async with conn.execute(
        "SELECT r.category, EXISTS (SELECT 1 FROM parent_consent c WHERE c.reader_id = r.id"
        " AND c.withdrawn_at IS NULL) FROM reader r WHERE r.id = ?",
        (reader_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return row is not None and may_link(row[0], required, bool(row[1]))


async def consent_history(db: Database, reader_id: int) -> list[ConsentRecord]:
    """Every consent of the reader, the current one last."""
    rows = await db.fetchall(
        f"{_CONSENT_SELECT} WHERE c.reader_id = ? ORDER BY c.id", (reader_id,)
    )
    return [_consent(row) for row in rows]


async def current_consent(db: Database, reader_id: int) -> ConsentRecord | None:
    """The reader's consent in force, if any."""
    row = await db.fetchone(
        f"{_CONSENT_SELECT} WHERE c.reader_id = ? AND c.withdrawn_at IS NULL", (reader_id,)
    )
    return None if row is None else _consent(row)


async def _insert_consent(
    conn: aiosqlite.Connection,
    reader_id: int,
    *,
    given_on: str,
    source: str,
    recorded_by: int | None,
    now: datetime,
    note: str,
) -> bool:
    cursor = await conn.execute(
        "INSERT INTO parent_consent (reader_id, given_on, source, recorded_by, recorded_at, note)"
        " SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM parent_consent"
        "  WHERE reader_id = ? AND withdrawn_at IS NULL)",
        (reader_id, given_on, source, recorded_by, _iso(now), note, reader_id),
    )
    return cursor.rowcount == 1


async def record_consent(
    db: Database,
    reader_id: int,
    *,
    given_on: date,
    source: str,
    recorded_by: int | None,
    now: datetime,
    note: str = "",
) -> bool:
    """Record a parent's consent; False when one is already in force (nothing changes)."""
    async with db.transaction() as conn:
        return await _insert_consent(
            conn,
            reader_id,
            given_on=given_on.isoformat(),
            source=source,
            recorded_by=recorded_by,
            now=now,
            note=note,
        )


async def record_list_consents(
    conn: aiosqlite.Connection, consents: Sequence[tuple[str, str]], now: datetime, note: str
) -> int:
    """Inside an import: record (reader code, ISO day) consents of a class list; return new."""
    recorded = 0
    for code, given_on in consents:
        async with conn.execute(
            "SELECT id FROM reader WHERE code = ? AND category = 'student'", (code,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is not None and await _insert_consent(
            conn,
            int(row[0]),
            given_on=given_on,
            source="class_list",
            recorded_by=None,
            now=now,
            note=note,
        ):
            recorded += 1
    return recorded


@dataclass(frozen=True)
class Withdrawal:
    """What withdrawing a consent did: the chat user unlinked and the pushes cancelled."""

    withdrawn: bool
    unlinked_user: int | None = None
    cancelled: int = 0


async def withdraw_consent(
    db: Database, reader_id: int, *, by: int, source: str, now: datetime
) -> Withdrawal:
    """Withdraw the consent, unlink the reader's account and cancel its pending pushes, at once."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE parent_consent SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_source = ?"
            " WHERE reader_id = ? AND withdrawn_at IS NULL",
            (_iso(now), by, source, reader_id),
        )
        if cursor.rowcount == 0:
            return Withdrawal(False)
        async with conn.execute(
            "SELECT user_id, chat_id FROM account WHERE reader_id = ?", (reader_id,)
        ) as found:
            account = await found.fetchone()
        cancelled = 0
        if account is not None:
            await conn.execute(
                "UPDATE account SET reader_id = NULL, linked_at = NULL WHERE reader_id = ?",
                (reader_id,),
            )
            cancel = await conn.execute(
                "UPDATE outbox SET status = 'failed', last_error = ?"
                " WHERE chat_id = ? AND status = 'pending'",
                (_CANCELLED, account["chat_id"]),
            )
            cancelled = cancel.rowcount
        await conn.execute(
            "UPDATE link_token SET expires_at = ? WHERE reader_id = ? AND used_at IS NULL"
            " AND expires_at > ?",
            (_iso(now), reader_id, _iso(now)),
        )
    return Withdrawal(True, None if account is None else int(account["user_id"]), cancelled)


# --- the audit log --------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log, with who did it and whose data it was, as known today."""

    at: str
    done_by: int
    via: str
    actor: str
    action: str
    detail: str
    reader_code: str
    reader_name: str


async def log_access_in(
    conn: aiosqlite.Connection,
    *,
    at: datetime,
    done_by: int,
    via: str,
    action: str,
    detail: str = "",
    reader_id: int | None = None,
    actor: str = "",
    key: str | None = None,
) -> None:
    """Inside the caller's transaction: write who saw or exported whose data (once per key)."""
    await conn.execute(
        "INSERT OR IGNORE INTO audit_log (at, done_by, via, actor, action, detail, reader_id, key)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (_iso(at), done_by, via, actor, action, detail, reader_id, key),
    )


async def log_access(
    db: Database,
    *,
    at: datetime,
    done_by: int,
    via: str,
    action: str,
    detail: str = "",
    reader_id: int | None = None,
    actor: str = "",
) -> None:
    """Write one line of the audit log in its own transaction."""
    async with db.transaction() as conn:
        await log_access_in(
            conn,
            at=at,
            done_by=done_by,
            via=via,
            action=action,
            detail=detail,
            reader_id=reader_id,
            actor=actor,
        )


async def audit_entries(db: Database, since: datetime) -> list[AuditEntry]:
    """The audit log from since on, newest first."""
    rows = await db.fetchall(
        "SELECT l.at, l.done_by, l.via, l.action, l.detail,"
        " coalesce(nullif(l.actor, ''), (SELECT coalesce(r.full_name, nullif(a.name, ''))"
        "  FROM account a LEFT JOIN reader r ON r.id = a.reader_id"
        "  WHERE a.channel = 'telegram' AND a.user_id = l.done_by AND l.done_by <> 0),"
        "  '') AS actor,"
        " coalesce(s.code, '') AS reader_code, coalesce(s.full_name, '') AS reader_name"
        " FROM audit_log l LEFT JOIN reader s ON s.id = l.reader_id"
        " WHERE l.at >= ? ORDER BY l.at DESC, l.id DESC",
        (_iso(since),),
    )
    return [
        AuditEntry(
            at=row["at"],
            done_by=row["done_by"],
            via=row["via"],
            actor=row["actor"],
            action=row["action"],
            detail=row["detail"],
            reader_code=row["reader_code"],
            reader_name=row["reader_name"],
        )
        for row in rows
    ]


# --- what the library holds about a reader --------------------------------------------------


@dataclass(frozen=True)
class HeldLoan:
    """A loan or hold of the reader, with its book."""

    title: str
    accession: str
    state: str
    loaned_on: str | None
    due_on: str | None
    returned_on: str | None
    note: str = ""


@dataclass(frozen=True)
class HeldRequest:
    """A borrow request or place in line of the reader."""

    title: str
    status: str
    created_at: str


@dataclass(frozen=True)
class HeldSuggestion:
    """A book the reader suggested, as they typed it."""

    typed_title: str
    reason: str
    created_at: str


@dataclass
class HeldData:
    """Everything the library holds about one reader (and nothing about anyone else)."""

    reader: dict[str, Any]
    account_name: str = ""
    linked_at: str | None = None
    roles: list[str] = field(default_factory=list)
    loans: list[HeldLoan] = field(default_factory=list)
    requests: list[HeldRequest] = field(default_factory=list)
    suggestions: list[HeldSuggestion] = field(default_factory=list)
    donations: int = 0
    visits: int = 0
    consents: list[ConsentRecord] = field(default_factory=list)


async def held_data(db: Database, reader_id: int) -> HeldData | None:
    """Gather what is stored about the reader."""
    reader = await db.fetchone(
        "SELECT id, code, full_name, category, class_name, birth_date, gender, disadvantaged,"
        " subject, position, homeroom_class, left_on, created_at, forgotten_on"
        " FROM reader WHERE id = ?",
        (reader_id,),
    )
    if reader is None:
        return None
    data = HeldData(reader=dict(reader))
    account = await db.fetchone(
        "SELECT id, name, linked_at FROM account WHERE reader_id = ?", (reader_id,)
    )
    if account is not None:
        data.account_name, data.linked_at = account["name"], account["linked_at"]
        data.roles = [
            row[0]
            for row in await db.fetchall(
                "SELECT role FROM role_grant WHERE account_id = ? ORDER BY role", (account["id"],)
            )
        ]
    data.loans = [
        HeldLoan(row[0], row[1], row[2], row[3], row[4], row[5], row[6])
        for row in await db.fetchall(
            "SELECT t.title, c.accession, l.state, l.loaned_on, l.due_on, l.returned_on, l.note"
            " FROM loan l JOIN copy c ON c.id = l.copy_id JOIN title t ON t.id = c.title_id"
            " WHERE l.reader_id = ? ORDER BY coalesce(l.loaned_on, l.held_until) DESC, l.id DESC",
            (reader_id,),
        )
    ]
    data.requests = [
        HeldRequest(row[0], row[1], row[2])
        for row in await db.fetchall(
            "SELECT t.title, q.status, q.created_at FROM request q"
            " JOIN title t ON t.id = q.title_id WHERE q.reader_id = ? ORDER BY q.id DESC",
            (reader_id,),
        )
    ]
    data.suggestions = [
        HeldSuggestion(row[0], row[1], row[2])
        for row in await db.fetchall(
            "SELECT typed_title, reason, created_at FROM suggestion_vote WHERE reader_id = ?"
            " ORDER BY created_at DESC",
            (reader_id,),
        )
    ]
    data.donations = int(
        await db.fetchval("SELECT count(*) FROM donation WHERE reader_id = ?", (reader_id,))
    )
    data.visits = int(
        await db.fetchval("SELECT count(*) FROM visit WHERE reader_id = ?", (reader_id,))
    )
    data.consents = await consent_history(db, reader_id)
    return data


# --- forgetting a reader --------------------------------------------------------------------


@dataclass(frozen=True)
class Forgotten:
    """What erasing a reader did: their anonymous code and how many messages were scrubbed."""

    code: str
    accounts: int
    messages: int
    compacted: bool = True


async def _user_columns(conn: aiosqlite.Connection) -> list[tuple[str, str]]:
    """(table, column) of every column that may hold a chat user id, outside FTS tables."""
    async with conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%fts%'"
        " AND name <> 'schema_migration' ORDER BY name"
    ) as cursor:
        tables = [row[0] for row in await cursor.fetchall()]
    found: list[tuple[str, str]] = []
    for table in tables:
        if table in _HANDLED_TABLES:
            continue
        async with conn.execute(f"PRAGMA table_info({table})") as cursor:
            columns = [row[1] for row in await cursor.fetchall()]
        found.extend(
            (table, column)
            for column in columns
            if column in _USER_COLUMNS or column.endswith("_by")
        )
    return found


def _scrub(value: Any, name: str, label: str) -> Any:
    if isinstance(value, str):
        return without_name(value, name, label)
    if isinstance(value, list):
        return [_scrub(item, name, label) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, name, label) for key, item in value.items()}
    return value


async def _scrub_outbox(
    conn: aiosqlite.Connection, chats: Iterable[int], name: str, label: str
) -> int:
    """Empty the reader's own messages and take their name out of everyone else's."""
    changed = 0
    for chat_id in chats:
        cursor = await conn.execute(
            "UPDATE outbox SET chat_id = 0, payload = '{}', last_error = '',"
            " status = CASE WHEN status IN ('pending', 'sending') THEN 'failed' ELSE status END"
            " WHERE chat_id = ?",
            (chat_id,),
        )
        changed += cursor.rowcount
    async with conn.execute(
        "SELECT id, payload FROM outbox WHERE instr(payload, ?) > 0", (name,)
    ) as cursor:
        rows = list(await cursor.fetchall())
    for row in rows:
        payload = _scrub(json.loads(row["payload"]), name, label)
        await conn.execute(
            "UPDATE outbox SET payload = ? WHERE id = ?",
            (json.dumps(payload, ensure_ascii=False, separators=(",", ":")), row["id"]),
        )
    return changed + len(rows)


async def forget_reader(
    db: Database, reader_id: int, now: datetime, *, compact_files: bool = True
) -> Forgotten | None:
    """Erase the reader's personal data for good; loans and visits stay, counted anonymously.

    Name, birth date, gender, chat accounts, link tokens, consents and what they wrote go;
    the row keeps its category, class and disadvantaged flag (the registers count by them)
    under an anonymous code. Deleted content is overwritten (secure_delete), the WAL is
    checkpointed and truncated and the file vacuumed, so none of it stays in the files
    (compact_files=False leaves that to the caller, who forgets several readers at once).
    """
    await db.conn.execute("PRAGMA secure_delete = ON")
    label = anonymous_code(reader_id)
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT full_name, forgotten_on FROM reader WHERE id = ?", (reader_id,)
        ) as cursor:
            reader = await cursor.fetchone()
        if reader is None:
            return None
        name = reader["full_name"]
        async with conn.execute(
            "SELECT id, user_id, chat_id FROM account WHERE reader_id = ? OR (reader_id IS NULL"
            " AND id IN (SELECT account_id FROM link_token WHERE reader_id = ?))",
            (reader_id, reader_id),
        ) as cursor:
            accounts = list(await cursor.fetchall())
        account_ids = [row["id"] for row in accounts]
        users = sorted({row["user_id"] for row in accounts} | {row["chat_id"] for row in accounts})
        messages = await _scrub_outbox(conn, users, name, label)
        for table in ("role_grant", "team_answer", "team_duty"):
            await conn.executemany(
                f"DELETE FROM {table} WHERE account_id = ?", [(i,) for i in account_ids]
            )
        await conn.executemany(
            "UPDATE account SET user_id = -id, chat_id = 0, name = '', reader_id = NULL,"
            " linked_at = NULL, blocked = 1 WHERE id = ?",
            [(i,) for i in account_ids],
        )
        for statement in (
            "DELETE FROM link_token WHERE reader_id = ?",
            "DELETE FROM parent_consent WHERE reader_id = ?",
            "DELETE FROM forget_notice WHERE reader_id = ?",
            "DELETE FROM forget_postponement WHERE reader_id = ?",
            "DELETE FROM inventory_helper WHERE reader_id = ?",
            "UPDATE suggestion_vote SET typed_title = '', reason = '' WHERE reader_id = ?",
            "UPDATE loan SET note = '' WHERE reader_id = ?",
            "UPDATE request SET reason = '' WHERE reader_id = ?",
            # A place in line of someone who is no longer a person helps nobody.
            "UPDATE request SET status = 'cancelled' WHERE reader_id = ?"
            " AND status IN ('pending', 'waiting')",
            "UPDATE copy SET donor = :label WHERE id IN"
            " (SELECT copy_id FROM donation WHERE reader_id = :id)",
            "UPDATE donation SET donor_name = :label WHERE reader_id = :id",
        ):
            params: dict[str, Any] | tuple[int] = (
                {"label": label, "id": reader_id} if ":label" in statement else (reader_id,)
            )
            await conn.execute(statement, params)
        if users:
            marks = ", ".join("?" for _ in users)
            for table, column in await _user_columns(conn):
                await conn.execute(
                    f"UPDATE OR IGNORE {table} SET {column} = 0 WHERE {column} IN ({marks})",
                    users,
                )
                await conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", users)
        await conn.execute(
            "UPDATE reader SET code = :label, full_name = :label, folded_name = :folded,"
            " birth_date = NULL, gender = '', subject = '', position = '', homeroom_class = '',"
            " forgotten_on = coalesce(forgotten_on, :today) WHERE id = :id",
            {
                "label": label,
                "folded": fold(label),
                "today": now.date().isoformat(),
                "id": reader_id,
            },
        )
    compacted = await compact(db) if compact_files else False
    return Forgotten(label, len(account_ids), messages, compacted)


@dataclass(frozen=True)
class ForgetStatus:
    """Whether a reader is already forgotten, and how many loans or holds they have open."""

    forgotten: bool
    open_loans: int


async def forget_status(db: Database, reader_id: int) -> ForgetStatus:
    """Say whether the reader can be erased now (no open loan or hold, not erased yet)."""
    row = await db.fetchone(
        "SELECT forgotten_on IS NOT NULL AS forgotten, (SELECT count(*) FROM loan"
        " WHERE reader_id = reader.id AND state IN ('open', 'held')) AS open_loans"
        " FROM reader WHERE id = ?",
        (reader_id,),
    )
    return (
        ForgetStatus(bool(row["forgotten"]), int(row["open_loans"]))
        if row
        else ForgetStatus(False, 0)
    )


async def compact(db: Database) -> bool:
    """Leave no erased byte in the files: vacuum, then checkpoint and truncate the WAL.

    Returns False when another process (the running bot, for the command line) kept the
    file busy past the busy timeout: the rows are erased, the files are cleaned next time.
    """
    try:
        await db.conn.execute("VACUUM")
        busy = await db.fetchone("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.OperationalError:
        return False
    return busy is not None and busy[0] == 0


# --- leavers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaver:
    """A leaver whose data is still held, with what decides when it is anonymised."""

    reader_id: int
    code: str
    full_name: str
    class_name: str
    left_on: date
    last_closed: date | None
    postponed_until: date | None
    notices: frozenset[date]


async def leavers_without_loans(db: Database) -> list[Leaver]:
    """Readers who left, are not yet forgotten and have no loan or hold open."""
    rows = await db.fetchall(
        "SELECT r.id, r.code, r.full_name, r.class_name, r.left_on,"
        " (SELECT max(coalesce(l.returned_on, l.loaned_on)) FROM loan l"
        "  WHERE l.reader_id = r.id) AS last_closed,"
        " (SELECT max(p.until_on) FROM forget_postponement p WHERE p.reader_id = r.id)"
        "  AS postponed,"
        " (SELECT group_concat(n.due_on || '=' || n.noticed_on) FROM forget_notice n"
        "  WHERE n.reader_id = r.id) AS notices"
        " FROM reader r WHERE r.left_on IS NOT NULL AND r.forgotten_on IS NULL"
        " AND NOT EXISTS (SELECT 1 FROM loan o WHERE o.reader_id = r.id"
        "  AND o.state IN ('open', 'held'))"
        " ORDER BY r.class_name, r.folded_name"
    )
    return [
        Leaver(
            reader_id=row["id"],
            code=row["code"],
            full_name=row["full_name"],
            class_name=row["class_name"],
            left_on=date.fromisoformat(row["left_on"][:10]),
            last_closed=date.fromisoformat(row["last_closed"][:10])
            if row["last_closed"]
            else None,
            postponed_until=date.fromisoformat(row["postponed"]) if row["postponed"] else None,
            notices=frozenset(
                date.fromisoformat(pair.split("=")[0])
                for pair in (row["notices"] or "").split(",")
                if pair
            ),
        )
        for row in rows
    ]


async def noticed_on(db: Database, reader_id: int, due_on: date) -> date | None:
    """The day the librarian was told of this planned anonymisation, if they were."""
    value = await db.fetchval(
        "SELECT noticed_on FROM forget_notice WHERE reader_id = ? AND due_on = ?",
        (reader_id, due_on.isoformat()),
    )
    return None if value is None else date.fromisoformat(value)


async def record_notices(
    conn: aiosqlite.Connection, planned: Sequence[tuple[int, date]], today: date
) -> None:
    """Inside the notice's transaction: remember which planned days the librarian was told."""
    await conn.executemany(
        "INSERT OR IGNORE INTO forget_notice (reader_id, due_on, noticed_on) VALUES (?, ?, ?)",
        [(reader_id, due.isoformat(), today.isoformat()) for reader_id, due in planned],
    )


async def postpone(
    db: Database, reader_id: int, until: date, reason: str, by: int, now: datetime
) -> None:
    """Record that a leaver's anonymisation waits until a day, and why."""
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO forget_postponement (reader_id, until_on, reason, recorded_by,"
            " recorded_at) VALUES (?, ?, ?, ?, ?)",
            (reader_id, until.isoformat(), reason, by, _iso(now)),
        )
