"""Registers to Excel over a school year of 100,000 loans: time, peak memory, event-loop stalls.

Floors in the same run: the bare SQL cursor over the same loans, and openpyxl's write-only
mode writing the same number of plain, unstyled rows.
Run: .venv/bin/python -m bench.registers
"""

import asyncio
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from bot.config import parse_config
from bot.core.textfold import fold
from bot.demo import data_file
from bot.importing import import_books
from bot.register_years import school_year_period
from bot.registers import export_register
from db import registers as sql
from db.connection import Database

LOANS = 100_000
STUDENTS = 1_500
STAFF = 60
START_YEAR = 2025
TODAY = date(2026, 5, 31)


async def seed(db: Database) -> None:
    """1,500 students, 60 staff and 100,000 loans over the school year, most returned."""
    readers = [
        (f"HS{n:05d}", f"Học sinh số {n}", "student", f"{6 + n % 4}{'ABCD'[n // 4 % 4]}")
        for n in range(STUDENTS)
    ] + [(f"GV{n:03d}", f"Giáo viên số {n}", "teacher", "") for n in range(STAFF)]
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO reader (code, full_name, folded_name, category, class_name)"
            " VALUES (?, ?, ?, ?, ?)",
            [(code, name, fold(name), category, klass) for code, name, category, klass in readers],
        )
        reader_ids = [
            row[0] for row in await (await conn.execute("SELECT id FROM reader")).fetchall()
        ]
        copy_ids = [row[0] for row in await (await conn.execute("SELECT id FROM copy")).fetchall()]
        first = date(START_YEAR, 9, 5)
        rows = []
        for n in range(LOANS):
            lent = first + timedelta(days=n * 260 // LOANS)
            returned = None if n >= LOANS - 500 else (lent + timedelta(days=7)).isoformat()
            rows.append(
                (
                    copy_ids[n % len(copy_ids)],
                    reader_ids[(n * 7) % len(reader_ids)],
                    "open" if returned is None else "returned",
                    lent.isoformat(),
                    (lent + timedelta(days=14)).isoformat(),
                    returned,
                )
            )
        await conn.executemany(
            "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


async def loop_stalls(work: Awaitable[object]) -> tuple[object, float]:
    """Run work while a 10 ms ticker measures the longest time the event loop was held."""
    worst = 0.0
    done = False

    async def tick() -> None:
        nonlocal worst
        loop = asyncio.get_running_loop()
        while not done:
            before = loop.time()
            await asyncio.sleep(0.01)
            worst = max(worst, loop.time() - before - 0.01)

    ticker = asyncio.create_task(tick())
    try:
        result = await work
    finally:
        done = True
        await ticker
    return result, worst


async def measure(label: str, run: Callable[[], Awaitable[object]], *, memory: bool) -> None:
    started = time.perf_counter()
    result, stall = await loop_stalls(run())
    elapsed = time.perf_counter() - started
    line = f"{label:<44} {elapsed:7.2f} s   longest loop stall {stall * 1000:6.0f} ms"
    if memory:
        tracemalloc.start()
        await run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        line += f"   peak Python memory {peak / 2**20:6.1f} MiB"
    print(line + (f"   ({result})" if result is not None else ""))


async def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="bench-registers-"))
    try:
        database = folder / "bench.db"
        config = parse_config(
            {"library": {"school": "Trường THCS Đo Tốc Độ"}, "database": {"path": str(database)}},
            require_token=False,
        )
        async with Database(database) as db:
            await import_books(db, data_file("sample_catalog.csv"), progress=False)
            await seed(db)
            period = school_year_period(config.calendar, START_YEAR)
            print(f"{LOANS:,} loans, {STUDENTS:,} students, {STAFF} staff, sample catalog")

            async def bare_sql() -> str:
                count = 0
                async for chunk in sql.loan_lines(
                    db, period.first, period.last, "students", by_class=True
                ):
                    count += len(chunk)
                return f"{count:,} rows"

            def bare_openpyxl() -> str:
                book = Workbook(write_only=True)
                sheet = book.create_sheet("x")
                for n in range(LOANS):
                    sheet.append(
                        [n, TODAY, "Học sinh", "6A", "Sách", "STK-1", TODAY, TODAY, None, ""]
                    )
                book.save(folder / "floor.xlsx")
                return f"{LOANS:,} rows"

            async def floor_openpyxl() -> str:
                return await asyncio.to_thread(bare_openpyxl)

            def exporting(name: str) -> Callable[[], Awaitable[object]]:
                async def run() -> str:
                    path = folder / f"{name}.xlsx"
                    result = await export_register(
                        db, config, name, path, today=TODAY, start_year=START_YEAR
                    )
                    return f"{result.lines:,} lines, {path.stat().st_size / 2**20:.1f} MiB"

                return run

            await measure("floor: SQL cursor, students' loans", bare_sql, memory=False)
            await measure("floor: openpyxl write-only, plain rows", floor_openpyxl, memory=False)
            for name in ("hs-muon", "gv-muon", "thong-ke", "ca-biet", "tong-quat"):
                await measure(f"export {name}", exporting(name), memory=name == "hs-muon")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
