"""Lend + return cycles per second through the bot, and /sachcuatoi latency over 100,000 loans.

The floor in the same run is /huongdan, an answer that touches no table.
Run: .venv/bin/python -m bench.circulation
"""

import asyncio
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from bench.common import unlimited
from bot.app import build_application, running
from bot.demo import LIBRARIAN_ID, data_file, demo_config
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.importing import import_books
from db import loans
from db.connection import Database
from tests.helpers import add_reader, link_directly

HISTORY = 100_000
READERS = 1_500
CYCLES = 60
LATENCY_SAMPLES = 60
NOW = datetime(2026, 11, 24, 9, 0).astimezone()


async def seed(db: Database) -> tuple[list[int], list[str]]:
    """1,500 readers and 100,000 returned loans spread over the last school year."""
    reader_ids = [
        await add_reader(db, f"HS{n:05d}", f"Học sinh số {n}", f"{6 + n % 4}{'ABCD'[n % 4]}")
        for n in range(READERS)
    ]
    copies = await db.fetchall("SELECT id, accession FROM copy WHERE status = 'on_shelf'")
    rng = random.Random(7)
    start = date(2025, 9, 5)
    rows = []
    for _ in range(HISTORY):
        loaned = start + timedelta(days=rng.randrange(260))
        rows.append(
            (
                rng.choice(copies)["id"],
                rng.choice(reader_ids),
                loaned,
                loaned + timedelta(days=10),
                loaned + timedelta(days=rng.randrange(3, 14)),
            )
        )
    async with db.transaction() as conn:
        await loans.record_past_loans(conn, rows)
    stk = [c["accession"] for c in copies if c["accession"].startswith(("STK-", "TN-"))]
    return reader_ids, stk


async def timed(user: ChatUser, text: str) -> float:
    started = time.perf_counter()
    await user.send(text)
    return (time.perf_counter() - started) * 1000


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="thuvien-bench-"))
    emulator = Emulator()
    await emulator.start()
    try:
        config = demo_config(emulator, workdir / "bench.db")
        async with Database(config.database_path) as db:
            await import_books(db, data_file("sample_catalog.csv"), progress=False)
            reader_ids, accessions = await seed(db)
            await link_directly(db, 990_001, reader_ids[0], NOW)
        application = build_application(unlimited(config))
        async with running(application):
            application.bot_data.clock = lambda: NOW
            driver = Driver(emulator, settle=0.0)
            librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
            reader = driver.user(990_001, "Bạn đọc")
            started = time.perf_counter()
            for n in range(CYCLES):
                accession = accessions[n]
                await librarian.send(f"/chomuon {accession}")
                await librarian.send(f"HS{(n + 1) % READERS:05d}")
                await librarian.send(f"/tra {accession}")
            cycles = CYCLES / (time.perf_counter() - started)
            done = await application.bot_data.db.fetchval(
                "SELECT count(*) FROM loan WHERE lent_by = ? AND state = 'returned'",
                (LIBRARIAN_ID,),
            )
            if done != CYCLES:
                raise SystemExit(f"only {done} of {CYCLES} lend + return cycles went through")
            mine = [await timed(reader, "/sachcuatoi") for _ in range(LATENCY_SAMPLES)]
            floor = [await timed(reader, "/huongdan") for _ in range(LATENCY_SAMPLES)]
    finally:
        await emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"history: {HISTORY:,} returned loans, {READERS:,} readers")
    print(f"lend + return through the bot: {cycles:.1f} cycles/s (3 updates each)")
    print(f"{'reply latency (ms)':<28}{'p50':>8}{'p99':>8}")
    for name, samples in (("/huongdan (floor)", floor), ("/sachcuatoi", mine)):
        print(f"{name:<28}{statistics.median(samples):>8.1f}{percentile(samples, 0.99):>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
