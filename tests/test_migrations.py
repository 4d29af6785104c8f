"""Numbered migrations: applied once, recorded, safe on an empty database and on one with data."""

import sqlite3
from pathlib import Path

import pytest

from db.connection import Database, migration_files


async def test_migrations_apply_to_an_empty_database_and_are_recorded(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    applied = await db.open()
    try:
        assert applied == [version for version, _, _ in migration_files()]
        assert await db.applied_versions() == set(applied)
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
    finally:
        await db.close()


async def test_reopening_applies_nothing_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    async with Database(path) as db, db.transaction() as conn:
        await conn.execute(
            "INSERT INTO title (id, title, group_key) VALUES (1, 'Dế Mèn phiêu lưu ký', 'k')"
        )
    db = Database(path)
    assert await db.open() == []
    try:
        assert await db.fetchval("SELECT title FROM title WHERE id = 1") == "Dế Mèn phiêu lưu ký"
    finally:
        await db.close()


async def test_pending_migrations_apply_over_existing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_version, _, first_sql = migration_files()[0]
    with sqlite3.connect(path) as raw:
        raw.executescript(first_sql)
        raw.execute(
            "CREATE TABLE schema_migration (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT 'x')"
        )
        raw.execute(
            "INSERT INTO schema_migration (version, name) VALUES (?, 'x')", (first_version,)
        )
        raw.execute("INSERT INTO title (id, title, group_key) VALUES (7, 'Mắt biếc', 'mb')")
    async with Database(path) as db:
        assert await db.applied_versions() == {v for v, _, _ in migration_files()}
        assert await db.fetchval("SELECT title FROM title WHERE id = 7") == "Mắt biếc"


async def test_a_failed_write_transaction_leaves_nothing(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        try:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO title (title, group_key) VALUES ('A', 'a')")
                await conn.execute("INSERT INTO title (title, group_key) VALUES ('B', 'a')")
        except sqlite3.IntegrityError:
            pass
        assert await db.fetchval("SELECT count(*) FROM title") == 0


async def test_the_change_stamp_moves_with_our_commits_and_other_processes_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("db.connection.OUTSIDE_CHECK_SECONDS", 0.0)
    async with Database(tmp_path / "a.db") as db:
        first = await db.change_stamp()
        assert await db.change_stamp() == first
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO title (title, group_key) VALUES ('A', 'a')")
        second = await db.change_stamp()
        assert second != first
        with sqlite3.connect(tmp_path / "a.db") as other:
            other.execute("INSERT INTO title (title, group_key) VALUES ('B', 'b')")
        assert await db.change_stamp() != second


async def test_a_transaction_that_changed_nothing_keeps_the_change_stamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("db.connection.OUTSIDE_CHECK_SECONDS", 0.0)
    async with Database(tmp_path / "a.db") as db:
        before = await db.change_stamp()
        async with db.transaction() as conn:
            await conn.execute("UPDATE title SET title = 'X' WHERE id = -1")
        assert await db.change_stamp() == before
