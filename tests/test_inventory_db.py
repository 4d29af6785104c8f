"""Inventory SQL on a real catalog: one open session, frozen findings, a one-time write-off."""

import asyncio
import shutil
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.inventory import Finding, Scope, ScopeKind
from db import inventory
from db.connection import Database

NOW = datetime(2027, 5, 31, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
NOTICE = {"method": "sendMessage", "text": "Phiên kiểm kê đã đóng."}
SCOPE = Scope(ScopeKind.PREFIX, "STK-0000")


@pytest.fixture
async def db(catalog_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    path = tmp_path / "inventory.db"
    shutil.copy(catalog_template, path)
    async with Database(path) as database:
        yield database


async def test_two_librarians_opening_at_once_get_one_session(db: Database) -> None:
    opened = await asyncio.gather(
        *(inventory.start_session(db, Scope(), n, f"Cô {n}", NOW) for n in range(5))
    )
    assert sum(session is not None for session in opened) == 1
    assert await db.fetchval("SELECT count(*) FROM inventory_session") == 1


async def test_copies_catalogued_after_the_start_are_not_missing(db: Database) -> None:
    session = await inventory.start_session(db, SCOPE, 1, "Cô Lan", NOW)
    assert session is not None
    title_id = await db.fetchval("SELECT title_id FROM copy WHERE accession = 'STK-00001'")
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO copy (accession, title_id) VALUES ('STK-00000', ?)", (title_id,)
        )
    await inventory.record_scans(db, session, ["STK-00001"], 1, NOW)
    assert await inventory.end_session(db, session.id, 1, NOW, NOTICE)
    assert not await inventory.end_session(db, session.id, 1, NOW, NOTICE)
    lines = await inventory.report(db, session.id)
    assert [line.accession for line in lines if line.finding is Finding.FOUND] == ["STK-00001"]
    missing = [line.accession for line in lines if line.finding is Finding.MISSING]
    assert "STK-00000" not in missing and len(missing) == 8


async def test_missing_copies_are_written_off_once(db: Database) -> None:
    session = await inventory.start_session(db, SCOPE, 1, "Cô Lan", NOW)
    assert session is not None
    await inventory.record_scans(db, session, [f"STK-0000{n}" for n in range(1, 8)], 1, NOW)
    await inventory.end_session(db, session.id, 1, NOW, NOTICE)
    assert await inventory.markable_missing(db, session.id) == 2
    assert await inventory.mark_missing_lost(db, session.id, NOW, "Kiểm kê") == (2, 0)
    assert await inventory.mark_missing_lost(db, session.id, NOW, "Kiểm kê") is None
    rows = await db.fetchall(
        "SELECT accession, status FROM copy WHERE accession LIKE 'STK-0000%' ORDER BY accession"
    )
    assert [row["status"] for row in rows] == ["on_shelf"] * 7 + ["lost"] * 2
