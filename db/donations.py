"""The donation drive: its period, donated copies with their donor and class, the class board."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import aiosqlite

from bot.core.donations import TOP_DONORS, Drive
from bot.core.register import group_key
from db import catalog
from db.catalog import CopyData, TitleData
from db.connection import Database
from db.outbox import enqueue
from db.search import reindex_titles


class DonationOutcome(StrEnum):
    """How recording a donated copy ended."""

    SAVED = "saved"
    TAKEN = "taken"
    NO_TITLE = "no_title"


@dataclass(frozen=True)
class NewDonation:
    """A donated copy to catalogue: an existing title (title_id) or a new one (title, author)."""

    accession: str
    donor_name: str
    donated_on: date
    recorded_by: int
    title_id: int | None = None
    title: str = ""
    author: str = ""
    reader_id: int | None = None
    class_name: str = ""


@dataclass(frozen=True)
class DonationResult:
    """The outcome, with the copy and title written and whether the donor was thanked."""

    outcome: DonationOutcome
    copy_id: int | None = None
    title_id: int | None = None
    accession: str = ""
    thanked: bool = False


@dataclass(frozen=True)
class Board:
    """The drive's figures over a period: copies per class and the most generous donors."""

    total: int
    classes: list[tuple[str, int]]
    donors: list[tuple[str, str, int]]


def _drive(row: aiosqlite.Row) -> Drive:
    return Drive(
        id=row["id"],
        starts_on=date.fromisoformat(row["starts_on"]),
        ends_on=date.fromisoformat(row["ends_on"]),
    )


async def current_drive(db: Database, today: date) -> Drive | None:
    """The drive running today, if any."""
    row = await db.fetchone(
        "SELECT id, starts_on, ends_on FROM donation_drive WHERE starts_on <= ? AND ends_on >= ?"
        " ORDER BY id DESC LIMIT 1",
        (today.isoformat(), today.isoformat()),
    )
    return None if row is None else _drive(row)


async def start_drive(
    db: Database, today: date, ends_on: date, user_id: int
) -> tuple[Drive, bool]:
    """Start a drive from today to ends_on; (the running drive, False) when one already runs."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT id, starts_on, ends_on FROM donation_drive"
            " WHERE starts_on <= ? AND ends_on >= ? ORDER BY id DESC LIMIT 1",
            (today.isoformat(), today.isoformat()),
        ) as cursor:
            running = await cursor.fetchone()
        if running is not None:
            return _drive(running), False
        cursor = await conn.execute(
            "INSERT INTO donation_drive (starts_on, ends_on, started_by) VALUES (?, ?, ?)",
            (today.isoformat(), ends_on.isoformat(), user_id),
        )
        assert cursor.lastrowid is not None
        return Drive(cursor.lastrowid, today, ends_on), True


async def end_drive(db: Database, today: date, user_id: int) -> Drive | None:
    """End the running drive today (its last day); None when no drive runs."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE donation_drive SET ends_on = ?, ended_by = ?"
            " WHERE id = (SELECT id FROM donation_drive WHERE starts_on <= ? AND ends_on >= ?"
            " ORDER BY id DESC LIMIT 1)"
            " RETURNING id, starts_on, ends_on",
            (today.isoformat(), user_id, today.isoformat(), today.isoformat()),
        )
        row = await cursor.fetchone()
        await cursor.close()
    return None if row is None else _drive(row)


async def all_accessions(db: Database) -> list[str]:
    """Every accession number in the catalog (to number a new copy)."""
    return [row[0] for row in await db.fetchall("SELECT accession FROM copy")]


async def _usual_kind(conn: aiosqlite.Connection, accession: str) -> str:
    """The kind most copies numbered like this one have (TN- numbers are mostly stories)."""
    prefix = accession.rstrip("0123456789")
    if not prefix:
        return ""
    async with conn.execute(
        "SELECT t.kind FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE upper(substr(c.accession, 1, ?)) = upper(?) AND t.kind <> ''"
        " GROUP BY t.kind ORDER BY count(*) DESC, t.kind LIMIT 1",
        (len(prefix), prefix),
    ) as cursor:
        row = await cursor.fetchone()
    return "" if row is None else str(row[0])


async def _title_for(conn: aiosqlite.Connection, donation: NewDonation) -> tuple[int, bool] | None:
    """The title the copy belongs to, created when new; (id, created)."""
    if donation.title_id is not None:
        async with conn.execute("SELECT id FROM title WHERE id = ?", (donation.title_id,)) as c:
            found = await c.fetchone()
        return None if found is None else (int(found[0]), False)
    key = group_key(donation.title, donation.author, "", None)
    async with conn.execute("SELECT id FROM title WHERE group_key = ?", (key,)) as cursor:
        found = await cursor.fetchone()
    if found is not None:
        return int(found[0]), False
    async with conn.execute("SELECT coalesce(max(id), 0) + 1 FROM title") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    title_id = int(row[0])
    data = TitleData(
        title=donation.title,
        author=donation.author,
        publisher="",
        year=None,
        isbn="",
        kind=await _usual_kind(conn, donation.accession),
        subject="",
        grade=None,
        classification="",
        summary="",
        group_key=key,
    )
    await catalog.insert_titles(conn, [(title_id, data)])
    return title_id, True


async def record_donation(
    db: Database, donation: NewDonation, thanks: dict[str, Any] | None
) -> DonationResult:
    """Catalogue a donated copy with its donor in one transaction, thanking a linked donor.

    A new title is created (and indexed for search) unless one with the same title and
    author exists; the thanks goes out under the key ``donation:<copy id>``.
    """
    accession = catalog.accession_key(donation.accession)
    async with db.transaction() as conn:
        async with conn.execute("SELECT 1 FROM copy WHERE accession = ?", (accession,)) as c:
            if await c.fetchone() is not None:
                return DonationResult(DonationOutcome.TAKEN, accession=accession)
        title = await _title_for(conn, donation)
        if title is None:
            return DonationResult(DonationOutcome.NO_TITLE, accession=accession)
        title_id, created = title
        copy = CopyData(
            accession=accession,
            title_id=title_id,
            location="",
            acquired_on=donation.donated_on.isoformat(),
            price=None,
            source="donated",
            donor=donation.donor_name,
            note="",
        )
        await catalog.insert_copies(conn, [copy])
        async with conn.execute("SELECT id FROM copy WHERE accession = ?", (accession,)) as c:
            row = await c.fetchone()
        assert row is not None
        copy_id = int(row[0])
        await conn.execute(
            "INSERT INTO donation (copy_id, reader_id, donor_name, class_name, donated_on,"
            " recorded_by) VALUES (?, ?, ?, ?, ?, ?)",
            (
                copy_id,
                donation.reader_id,
                donation.donor_name,
                donation.class_name,
                donation.donated_on.isoformat(),
                donation.recorded_by,
            ),
        )
        if created:
            await reindex_titles(conn, [title_id])
        thanked = False
        if thanks is not None and donation.reader_id is not None:
            async with conn.execute(
                "SELECT chat_id FROM account WHERE reader_id = ? AND blocked = 0",
                (donation.reader_id,),
            ) as cursor:
                chat = await cursor.fetchone()
            if chat is not None:
                thanked = await enqueue(
                    conn, key=f"donation:{copy_id}", chat_id=int(chat[0]), payload=thanks
                )
    return DonationResult(DonationOutcome.SAVED, copy_id, title_id, accession, thanked)


async def board(db: Database, first: date, last: date, *, top: int = TOP_DONORS) -> Board:
    """Copies donated from first to last (inclusive): per class, and the top donors by name."""
    span = (first.isoformat(), last.isoformat())
    total = await db.fetchval(
        "SELECT count(*) FROM donation WHERE donated_on BETWEEN ? AND ?", span
    )
    classes = await db.fetchall(
        "SELECT class_name, count(*) AS n FROM donation"
        " WHERE donated_on BETWEEN ? AND ? AND class_name <> ''"
        " GROUP BY upper(class_name) ORDER BY n DESC, class_name",
        span,
    )
    donors = await db.fetchall(
        "SELECT min(donor_name), min(class_name), count(*) AS n FROM donation"
        " WHERE donated_on BETWEEN ? AND ?"
        " GROUP BY coalesce('r' || reader_id, 'n' || donor_name || '|' || upper(class_name))"
        " ORDER BY n DESC, min(donor_name) LIMIT ?",
        (*span, top),
    )
    return Board(
        total=int(total),
        classes=[(row[0], int(row[1])) for row in classes],
        donors=[(row[0], row[1], int(row[2])) for row in donors],
    )
