"""Updates per second for /tim through the emulator, against a PTB echo bot on the same emulator.

Both bots run unmodified python-telegram-bot over HTTP against one emulator, without a rate
limiter (Telegram's 30 messages/s would cap both alike). Each sends one reply per update.
Run: .venv/bin/python -m bench.roundtrip
"""

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import ContextTypes, MessageHandler, filters

from bot.app import build_application, running
from bot.demo import data_file, demo_config
from bot.emulator.driver import application_builder, run_application
from bot.emulator.server import Emulator
from bot.importing import import_books
from db.connection import Database

UPDATES = 600
USERS = 30
TARGET_RATIO = 0.7
QUERIES = [
    "/tim de men", "/tim dac nhan tam", "/tim nguyen nhat anh", "/tim toan 6", "/tim harry",
    "/tim hoang tu be", "/tim khoa hoc tu nhien", "/tim mat biec", "/tim tieng anh 7",
    "/tim lich su", "/tim truyen co tich", "/tim kinh van hoa",
]  # fmt: skip


async def drive(emulator: Emulator, texts: list[str]) -> float:
    """Queue every update, wait for as many bot replies; return updates per second."""
    before = len(emulator.calls("sendMessage"))
    for user in range(USERS):
        emulator.add_user(900_000 + user, f"Bạn {user}")
    seq = emulator.last_seq
    started = time.perf_counter()
    for n, text in enumerate(texts):
        emulator.send_text(900_000 + n % USERS, text)
    while len(emulator.calls("sendMessage")) - before < len(texts):
        events = await emulator.wait_events(seq, 1.0)
        if events:
            seq = events[-1]["seq"]
    return len(texts) / (time.perf_counter() - started)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(update.effective_message.text or "")


async def echo_rate(texts: list[str]) -> float:
    emulator = Emulator()
    await emulator.start()
    try:
        application = application_builder(emulator).build()
        application.add_handler(MessageHandler(filters.TEXT, echo))
        async with run_application(application):
            await drive(emulator, texts[:50])
            return await drive(emulator, texts)
    finally:
        await emulator.stop()


async def bot_rate(texts: list[str], workdir: Path) -> float:
    emulator = Emulator()
    await emulator.start()
    try:
        config = demo_config(emulator, workdir / "bench.db")
        async with Database(config.database_path) as db:
            await import_books(db, data_file("sample_catalog.csv"), progress=False)
        application = build_application(config, rate_limit=False)
        async with running(application):
            await drive(emulator, texts[:50])
            return await drive(emulator, texts)
    finally:
        await emulator.stop()


async def main() -> int:
    texts = [QUERIES[n % len(QUERIES)] for n in range(UPDATES)]
    workdir = Path(tempfile.mkdtemp(prefix="thuvien-bench-"))
    try:
        ours = await bot_rate(texts, workdir)
        floor = await echo_rate(texts)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = ours / floor
    print(f"updates: {UPDATES} from {USERS} users, replies awaited through the emulator")
    print(f"{'bot':<28}{'updates/s':>12}")
    print(f"{'PTB echo bot (floor)':<28}{floor:>12.1f}")
    print(f"{'Thư viện bot, /tim':<28}{ours:>12.1f}")
    verdict = "met" if ratio >= TARGET_RATIO else "MISSED"
    print(f"ratio {ratio:.2f} (target ≥ {TARGET_RATIO}): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
