"""A month report, a year report and the loans-register export over a year of 100,000 loans.

Each is timed (best of a few runs) and its Python heap peak measured with tracemalloc in a
separate run. The floors in the same run: the bare SQL count of the period's loans, and
openpyxl's write-only mode writing as many plain rows as the register, with no styles.
Run: .venv/bin/python -m bench.reports
"""

import asyncio
import io
import random
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from bot.charts import render_bar_chart
from bot.config import Config, parse_config
from bot.core.figures import Period, month_period, summarize, year_period
from bot.demo import data_file
from bot.handlers.reports import chart_of, summary_text
from bot.importing import import_books
from bot.registers import export_register
from bot.report_workbook import build_workbook
from db import figures, loans
from db.connection import Database
from tests.helpers import add_reader

HISTORY = 100_000
READERS = 1_500
SCANS = 40_000
RUNS = 3
LONG = 2.0
YEAR_START = date(2025, 9, 5)
SCHOOL_DAYS = 268
TODAY = date(2026, 6, 15)


async def seed(db: Database) -> None:
    """1,500 readers in 16 classes; a school year of loans, desk scans and class walk-ins."""
    reader_ids = [
        await add_reader(db, f"HS{n:05d}", f"Học sinh số {n}", f"{6 + n % 4}{'ABCD'[n // 4 % 4]}")
        for n in range(READERS)
    ]
    copies = [row[0] for row in await db.fetchall("SELECT id FROM copy")]
    rng = random.Random(11)
    rows = []
    for _ in range(HISTORY):
        loaned = YEAR_START + timedelta(days=rng.randrange(SCHOOL_DAYS))
        rows.append(
            (
                rng.choice(copies),
                rng.choice(reader_ids),
                loaned,
                loaned + timedelta(days=14),
                loaned + timedelta(days=rng.randrange(1, 21)),
            )
        )
    scans = {
        (rng.choice(reader_ids), YEAR_START + timedelta(days=rng.randrange(SCHOOL_DAYS)))
        for _ in range(SCANS)
    }
    async with db.transaction() as conn:
        await loans.record_past_loans(conn, rows)
        await conn.executemany(
            "INSERT INTO visit (reader_id, day, created_at) VALUES (?, ?, '')",
            [(reader_id, day.isoformat()) for reader_id, day in scans],
        )
        await conn.executemany(
            "INSERT INTO visit_count (day, class_name, visitors, recorded_by, created_at)"
            " VALUES (?, ?, ?, 1, '')",
            [
                (
                    (YEAR_START + timedelta(days=n)).isoformat(),
                    f"{6 + n % 4}{'ABCD'[n % 4]}",
                    1 + n % 30,
                )
                for n in range(0, SCHOOL_DAYS, 2)
            ],
        )


async def report(db: Database, config: Config, period: Period) -> tuple[int, int, int]:
    """Everything /baocao does for a period but the sending: count, draw, tabulate."""
    data = await figures.period_data(db, period.first, period.as_of(TODAY))
    result = summarize(period, TODAY, data, config.calendar.is_open)
    text = summary_text(result)
    png = render_bar_chart(chart_of(result, config.library.school))
    workbook = build_workbook(
        result, school=config.library.school, library=config.library.name, made_on=TODAY
    )
    return len(text), len(png), len(workbook)


async def bare_count(db: Database, period: Period) -> int:
    """The floor of the figures: one indexed count of the period's loans."""
    return int(
        await db.fetchval(
            "SELECT count(*) FROM loan WHERE loaned_on BETWEEN ? AND ?",
            (period.first.isoformat(), period.last.isoformat()),
        )
    )


def plain_rows(count: int) -> int:
    """The floor of the register: write-only openpyxl, one plain row of 10 cells per loan."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ")
    for n in range(count):
        sheet.append([n, "Học sinh số", "6A", "STK-00012", "Dế Mèn phiêu lưu ký", 1, 2, 3, 4, 5])
    buffer = io.BytesIO()
    book.save(buffer)
    return len(buffer.getvalue())


async def measure(work: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    """Best wall time (s) of up to RUNS runs, then the Python heap peak (MB) of a traced run.

    Work that takes longer than LONG seconds runs once: its time is far above the noise.
    """
    best = float("inf")
    result = None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = await work()
        best = min(best, time.perf_counter() - started)
        if best > LONG:
            break
    tracemalloc.start()
    await work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 1e6, result


async def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="thuvien-bench-reports-"))
    try:
        config = parse_config(
            {
                "database": {"path": str(workdir / "bench.db")},
                "library": {"name": "Thư viện (đo tốc độ)", "school": "Trường THCS Nguyễn Du"},
            },
            require_token=False,
        )
        async with Database(config.database_path) as db:
            await import_books(db, data_file("sample_catalog.csv"), progress=False)
            started = time.perf_counter()
            await seed(db)
            seeded = time.perf_counter() - started
            march = month_period(config.calendar, 2026, 3)
            year = year_period(config.calendar, 2025)
            march_loans = await bare_count(db, march)
            year_loans = await bare_count(db, year)

            async def register() -> int:
                export = await export_register(
                    db, config, "hs-muon", workdir / "so-muon.xlsx", today=TODAY, start_year=2025
                )
                return export.lines

            rows: list[tuple[str, float, float, str]] = []
            for name, work in (
                ("count of March's loans (floor)", lambda: bare_count(db, march)),
                ("month report (March 2026)", lambda: report(db, config, march)),
                ("count of the year's loans (floor)", lambda: bare_count(db, year)),
                ("year report (2025-2026)", lambda: report(db, config, year)),
                ("plain write-only rows (floor)", lambda: asyncio.to_thread(plain_rows, HISTORY)),
                ("loans register export (hs-muon)", register),
            ):
                seconds, peak, result = await measure(work)
                rows.append((name, seconds, peak, str(result)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        f"data: {READERS:,} readers, {HISTORY:,} loans over a school year, "
        f"{SCANS:,} desk scans; seeded in {seeded:.1f} s"
    )
    print(f"loans in March 2026: {march_loans:,}; in the year: {year_loans:,}")
    print(f"{'':<36}{'time (s)':>10}{'peak (MB)':>11}  result")
    for name, seconds, peak, result in rows:
        print(f"{name:<36}{seconds:>10.3f}{peak:>11.1f}  {result}")
    print("report result: (text characters, PNG bytes, .xlsx bytes); register: lines written")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
