"""The database itself keeps a copy on at most one open loan or hold."""

import sqlite3
from pathlib import Path

import pytest

from db.connection import Database
from tests.helpers import add_reader


async def seeded(tmp_path: Path) -> tuple[Database, int, int, int]:
    db = Database(tmp_path / "loans.db")
    await db.open()
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO title (id, title, group_key) VALUES (1, 'Mắt biếc', 'k')")
        await conn.execute("INSERT INTO copy (id, accession, title_id) VALUES (1, 'STK-1', 1)")
    first = await add_reader(db, "HS1", "Nguyễn An", "6A")
    second = await add_reader(db, "HS2", "Trần Bình", "6A")
    return db, 1, first, second


@pytest.mark.parametrize(
    ("state_a", "state_b"), [("open", "open"), ("held", "open"), ("held", "held")]
)
async def test_a_second_open_loan_or_hold_on_a_copy_is_rejected_by_the_database(
    tmp_path: Path, state_a: str, state_b: str
) -> None:
    db, copy_id, first, second = await seeded(tmp_path)
    try:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state) VALUES (?, ?, ?)",
                (copy_id, first, state_a),
            )
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO loan (copy_id, reader_id, state) VALUES (?, ?, ?)",
                    (copy_id, second, state_b),
                )
        assert await db.fetchval("SELECT count(*) FROM loan") == 1
    finally:
        await db.close()


async def test_closed_loans_do_not_block_a_new_one(tmp_path: Path) -> None:
    db, copy_id, first, second = await seeded(tmp_path)
    try:
        async with db.transaction() as conn:
            for state in ("returned", "expired", "cancelled"):
                await conn.execute(
                    "INSERT INTO loan (copy_id, reader_id, state) VALUES (?, ?, ?)",
                    (copy_id, first, state),
                )
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state) VALUES (?, ?, 'open')",
                (copy_id, second),
            )
        assert await db.fetchval("SELECT count(*) FROM loan") == 4
    finally:
        await db.close()


async def test_a_reader_has_one_active_request_per_title(tmp_path: Path) -> None:
    db, _, first, _ = await seeded(tmp_path)
    try:
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO request (reader_id, title_id, status, created_at)"
                " VALUES (?, 1, 'pending', 'x')",
                (first,),
            )
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO request (reader_id, title_id, status, created_at)"
                    " VALUES (?, 1, 'waiting', 'x')",
                    (first,),
                )
    finally:
        await db.close()
