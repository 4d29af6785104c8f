"""Updates per second for /tim through the emulator, against PTB's echo bot on the same emulator.

Each bot runs as its own process (as in production: `thuvien run`), polling an emulator that
this process hosts and drives. Neither bot paces for Telegram's flood limits (30 messages/s
would cap both alike). Each answers every update with one message. The twelve queries repeat,
as when a class searches the book just announced: the bot answers a repeat from its result
cache while nothing was written. The two bots take turns over several rounds, and the medians
are compared, because one run on a shared machine can be off by a quarter.
Run: .venv/bin/python -m bench.roundtrip
"""

import asyncio
import shutil
import statistics
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
ROUNDS = 5
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
        commands = {
            "ours": ["bot", "run", "--config", str(config)],
            "floor": ["bench.echo_bot", emulator.token, emulator.base_url],
        }
        rates: dict[str, list[float]] = {"ours": [], "floor": []}
        rss: dict[str, float] = {}
        for round_number in range(ROUNDS):
            # Alternate who goes first, so a drift in the machine's load hits both alike.
            order = ["ours", "floor"] if round_number % 2 == 0 else ["floor", "ours"]
            for name in order:
                rate, idle = await measure(commands[name], emulator, texts)
                rates[name].append(rate)
                rss.setdefault(name, idle)
    finally:
        await emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    ours, floor = statistics.median(rates["ours"]), statistics.median(rates["floor"])
    ours_rss = rss["ours"]
    ratio = ours / floor
    print(f"updates: {UPDATES} from {USERS} users, {ROUNDS} rounds; each bot in its own process")
    print(f"{'bot':<28}{'median/s':>10}{'rounds, updates/s':>30}{'idle RSS MB':>14}")
    for name, label in (("floor", "PTB echo bot (floor)"), ("ours", "Thư viện bot, /tim")):
        each = " ".join(f"{rate:.0f}" for rate in rates[name])
        median = statistics.median(rates[name])
        print(f"{label:<28}{median:>10.1f}{each:>30}{rss[name]:>14.1f}")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO}): {verdict}")
    rss_verdict = "met" if ours_rss <= TARGET_RSS_MB else "MISSED"
    print(f"idle RSS {ours_rss:.1f} MB (target ≤ {TARGET_RSS_MB} MB): {rss_verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
