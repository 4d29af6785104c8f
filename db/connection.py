"""The one owner of the SQLite connection: pragmas, migrations and transactions."""

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

Params = Sequence[Any] | dict[str, Any]

OUTSIDE_CHECK_SECONDS = 1.0


def migration_files() -> list[tuple[int, str, str]]:
    """Return (version, name, sql) of every numbered migration, in order."""
    found = []
    for entry in resources.files("db.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """One aiosqlite connection in WAL mode; writes are serialised, one transaction each."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None
        self._write_lock = asyncio.Lock()
        self.writes = 0
        self._outside_version = 0
        self._outside_checked = -OUTSIDE_CHECK_SECONDS

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self, *, migrate: bool = True) -> list[int]:
        """Connect, set the pragmas and apply pending migrations; return those applied."""
        self._conn = await aiosqlite.connect(self.path, isolation_level=None)
        self._conn.row_factory = aiosqlite.Row
        await self._conn.execute("PRAGMA journal_mode = WAL")
        await self._conn.execute("PRAGMA foreign_keys = ON")
        await self._conn.execute("PRAGMA busy_timeout = 10000")
        await self._conn.execute("PRAGMA synchronous = NORMAL")
        return await self.migrate() if migrate else []

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> "Database":
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def applied_versions(self) -> set[int]:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
        )
        rows = await self.fetchall("SELECT version FROM schema_migration")
        return {row["version"] for row in rows}

    async def migrate(self) -> list[int]:
        """Apply every migration not yet recorded, each in its own transaction."""
        done = await self.applied_versions()
        applied = []
        for version, name, sql in migration_files():
            if version in done:
                continue
            async with self._write_lock:
                script = (
                    f"BEGIN IMMEDIATE;\n{sql}\n;"
                    f"INSERT INTO schema_migration (version, name) VALUES ({version}, '{name}');"
                    "\nCOMMIT;"
                )
                try:
                    await self.conn.executescript(script)
                except Exception:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise
            self.writes += 1
            log.info("applied migration %04d_%s", version, name)
            applied.append(version)
        return applied

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """Run the block as one write transaction; roll back everything if it raises."""
        async with self._write_lock:
            changes_before = self.conn.total_changes
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.execute("ROLLBACK")
                raise
            else:
                await self.conn.execute("COMMIT")
                # A transaction that changed nothing (a claim that found nothing due) leaves
                # what was read from the database valid.
                if self.conn.total_changes != changes_before:
                    self.writes += 1

    async def change_stamp(self) -> tuple[int, int]:
        """A value that changes when the data may have: our commits, or another process's.

        Another process's writes (an import from the command line) are looked for at most
        once a second, so what is cached against the stamp may lag them by that much.
        """
        now = time.monotonic()
        if now - self._outside_checked >= OUTSIDE_CHECK_SECONDS:
            self._outside_version = int(await self.fetchval("PRAGMA data_version"))
            self._outside_checked = now
        return self.writes, self._outside_version

    async def fetchall(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    async def executemany(self, sql: str, rows: Iterable[Params]) -> None:
        """Run one statement for many rows inside the caller's transaction."""
        await self.conn.executemany(sql, rows)
