"""Updates per second for /tim through the emulator, against PTB's echo bot on the same emulator.

Each bot runs as its own process (as in production: `thuvien run`), polling an emulator that
this process hosts and drives. Neither bot paces for Telegram's flood limits (30 messages/s
would cap both alike). Each answers every update with one message. The twelve queries repeat,
as when a class searches the book just announced: the bot answers a repeat from its result
cache while nothing was written.
Run: .venv/bin/python -m bench.roundtrip
"""

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.common import start_process, stop_process, wait_until_polling, write_config
from bot.demo import LIBRARIAN_ID, data_file
from bot.emulator.server import Emulator
from bot.importing import import_books
from db.connection import Database

UPDATES = 1_000
USERS = 40
TARGET_RATIO = 0.7
TARGET_RSS_MB = 120
IDLE_SECONDS = 3
QUERIES = [
    "/tim de men", "/tim dac nhan tam", "/tim nguyen nhat anh", "/tim toan 6", "/tim harry",
    "/tim hoang tu be", "/tim khoa hoc tu nhien", "/tim mat biec", "/tim tieng anh 7",
    "/tim lich su", "/tim truyen co tich", "/tim kinh van hoa",
]  # fmt: skip


async def drive(emulator: Emulator, texts: list[str]) -> float:
    """Queue every update, wait for as many bot replies; return updates per second."""
    before = len(emulator.calls("sendMessage"))
    seq = emulator.last_seq
    started = time.perf_counter()
    for n, text in enumerate(texts):
        emulator.send_text(900_000 + n % USERS, text)
    while len(emulator.calls("sendMessage")) - before < len(texts):
        events = await emulator.wait_events(seq, 1.0)
        if events:
            seq = events[-1]["seq"]
    return len(texts) / (time.perf_counter() - started)


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS line")


async def measure(command: list[str], emulator: Emulator, texts: list[str]) -> tuple[float, float]:
    """Updates per second under load, and resident memory when idle after start."""
    process = start_process(*command)
    try:
        await wait_until_polling(emulator, len(emulator.calls("getUpdates")))
        await asyncio.sleep(IDLE_SECONDS)
        idle = rss_mb(process.pid)
        await drive(emulator, texts[:50])
        return await drive(emulator, texts), idle
    finally:
        stop_process(process)


async def main() -> int:
    texts = [QUERIES[n % len(QUERIES)] for n in range(UPDATES)]
    workdir = Path(tempfile.mkdtemp(prefix="thuvien-bench-"))
    emulator = Emulator()
    await emulator.start()
    try:
        for user in range(USERS):
            emulator.add_user(900_000 + user, f"Bạn {user}")
        database = workdir / "bench.db"
        async with Database(database) as db:
            await import_books(db, data_file("sample_catalog.csv"), progress=False)
        config = write_config(workdir / "config.toml", emulator, database, LIBRARIAN_ID)
        ours, ours_rss = await measure(["bot", "run", "--config", str(config)], emulator, texts)
        floor, floor_rss = await measure(
            ["bench.echo_bot", emulator.token, emulator.base_url], emulator, texts
        )
    finally:
        await emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = ours / floor
    print(f"updates: {UPDATES} from {USERS} users; each bot in its own process")
    print(f"{'bot':<28}{'updates/s':>12}{'idle RSS MB':>14}")
    print(f"{'PTB echo bot (floor)':<28}{floor:>12.1f}{floor_rss:>14.1f}")
    print(f"{'Thư viện bot, /tim':<28}{ours:>12.1f}{ours_rss:>14.1f}")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO}): {verdict}")
    rss_verdict = "met" if ours_rss <= TARGET_RSS_MB else "MISSED"
    print(f"idle RSS {ours_rss:.1f} MB (target ≤ {TARGET_RSS_MB} MB): {rss_verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
