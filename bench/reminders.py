"""Selecting today's reminders among 100,000 open loans, against the 1 s target.

The floor in the same run is reading the open loans themselves (bare SQL, same connection).
Then the whole daily run (selection, renewal checks, messages into the outbox) on a first day,
when every overdue loan still needs its reminder, and on the day after.
Run: .venv/bin/python -m bench.reminders
"""

import asyncio
import random
import shutil
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config, parse_config
from bot.core.reminders import DEFAULT_SETTINGS
from bot.jobs.reminders import run_reminders, select_reminders
from db import accounts, catalog, privacy, readers
from db import reminders as store
from db.connection import Database

OPEN_LOANS = 100_000
TITLES = 2_000
STUDENTS = 10_000
LINKED = 1_000
CLASSES = [f"{grade}{letter}" for grade in range(6, 10) for letter in "ABCDEFGHIJ"]
TODAY = datetime(2026, 11, 24, 7, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
TARGET = 1.0


async def seed(db: Database) -> None:
    """Titles, one copy per open loan, 10,000 students, 40 homeroom teachers, 100,000 loans."""
    rng = random.Random(11)
    titles = [
        (
            n + 1,
            catalog.TitleData(
                title=f"Sách tham khảo số {n}",
                author="Tác giả",
                publisher="NXB Giáo dục",
                year=2020,
                isbn="",
                kind="STK",
                subject="Văn học",
                grade=None,
                classification="",
                summary="",
                group_key=f"bench-{n}",
            ),
        )
        for n in range(TITLES)
    ]
    copies = [
        catalog.CopyData(f"STK-{n:06d}", n % TITLES + 1, "", None, None, "bought", "", "")
        for n in range(OPEN_LOANS)
    ]
    people = [
        readers.ReaderData(f"HS{n:05d}", f"Học sinh {n}", "student", CLASSES[n % len(CLASSES)])
        for n in range(STUDENTS)
    ] + [
        readers.ReaderData(f"GV{n:03d}", f"Giáo viên {n}", "teacher", homeroom_class=name)
        for n, name in enumerate(CLASSES)
    ]
    async with db.transaction() as conn:
        await catalog.insert_titles(conn, titles)
        await catalog.insert_copies(conn, copies)
        await readers.insert_readers(conn, people)
    copy_ids = [row[0] for row in await db.fetchall("SELECT id FROM copy ORDER BY id")]
    student_ids = [
        row[0] for row in await db.fetchall("SELECT id FROM reader WHERE category = 'student'")
    ]
    loans = []
    for copy_id in copy_ids:
        due = TODAY.date() + timedelta(days=rng.randrange(-40, 31))
        loans.append((copy_id, rng.choice(student_ids), due - timedelta(days=14), due))
    async with db.transaction() as conn:
        await store.seed_open_loans(conn, loans)
    linked = [
        row[0] for row in await db.fetchall("SELECT id FROM reader WHERE category = 'teacher'")
    ]
    linked += student_ids[:LINKED]
    tokens = await accounts.issue_link_tokens(db, linked, TODAY, timedelta(days=1))
    for token in tokens:
        # A student links only with a parent's consent on record, as a class list gives it.
        await privacy.record_consent(
            db,
            token.reader_id,
            given_on=TODAY.date(),
            source="class_list",
            recorded_by=None,
            now=TODAY,
        )
        user_id = 800_000 + token.reader_id
        account = await accounts.touch_account(db, user_id, user_id, str(user_id))
        await accounts.link_with_token(db, token.token, account, TODAY)


async def time_floor(db: Database) -> tuple[float, int]:
    started = time.perf_counter()
    rows = await db.fetchall("SELECT id, reader_id, due_on FROM loan WHERE state = 'open'")
    return time.perf_counter() - started, len(rows)


async def time_selection(db: Database, config: Config, now: datetime) -> tuple[float, int, int]:
    """The selection alone, as the daily run makes it: rules on due dates, then the loans."""
    started = time.perf_counter()
    async with db.transaction() as conn:
        selection = await select_reminders(conn, config, DEFAULT_SETTINGS, now.date())
    elapsed = time.perf_counter() - started
    return elapsed, len(selection.plan.steps), len(selection.classes)


async def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="thuvien-bench-"))
    rows: list[tuple[str, float, int, str, int | None]] = []
    try:
        config = parse_config(
            {"database": {"path": str(workdir / "bench.db")}, "library": {"librarians": [1]}},
            require_token=False,
        )
        async with Database(config.database_path) as db:
            await seed(db)
            floor, open_loans = await time_floor(db)
            selections = []
            for name, now in (("first day", TODAY), ("next day", TODAY + timedelta(days=1))):
                elapsed, reminded, classes = await time_selection(db, config, now)
                selections.append(elapsed)
                rows.append((f"select, {name}", elapsed, reminded, f"{classes} classes", None))
                started = time.perf_counter()
                report = await run_reminders(db, config, DEFAULT_SETTINGS, now)
                elapsed = time.perf_counter() - started
                rows.append(
                    (
                        f"whole run, {name}",
                        elapsed,
                        report.loans,
                        f"{report.escalated:,} loans",
                        report.enqueued,
                    )
                )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    worst = max(selections)
    print(
        f"open loans: {open_loans:,}; {STUDENTS:,} students in {len(CLASSES)} classes,"
        f" {LINKED:,} of them and every homeroom teacher with a chat"
    )
    print(f"{'':<32}{'time (s)':>10}{'reminded':>10}{'to GVCN':>14}{'messages':>10}")
    print(f"{'floor: read the open loans':<32}{floor:>10.3f}{open_loans:>10,}")
    for name, elapsed, reminded, escalated, messages in rows:
        tail = f"{messages:>10,}" if messages is not None else ""
        print(f"{name:<32}{elapsed:>10.3f}{reminded:>10,}{escalated:>14}{tail}")
    verdict = "within" if worst <= TARGET else "OVER"
    print(f"target: selection ≤ {TARGET:.1f} s — {verdict} (worst {worst:.3f} s)")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
