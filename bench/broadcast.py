"""Benchmark: a librarian's /thongbao to 3,000 linked readers against Telegram's 30 messages/s.

Builds on bench/bench_delivery.py, which times the delivery worker alone on outbox rows it
writes itself. Here the whole path is timed as production runs it: `thuvien run` as its own
process (AIORateLimiter on, 30 messages/s), the librarian composing the broadcast through the
emulator, the rows written by the bot, delivered by its worker, and the report it sends back.
The emulator enforces Telegram's limits (429 with retry_after past 30/s, 1/s per chat).

Prints the time from "Gửi ngay" to the last delivery against the floor (recipients / 30),
the 429s the bot drew, duplicates (a chat with more than one copy), losses (a chat with none
once the bot reports the broadcast done) and the report the librarian got.

    .venv/bin/python -m bench.broadcast [--recipients 3000]
"""

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import start_process, stop_process, wait_until_polling
from bot import texts
from bot.demo import LIBRARIAN_ID, data_file
from bot.emulator.driver import Driver
from bot.emulator.server import Emulator
from bot.importing import import_books
from db import accounts, privacy, readers
from db.connection import Database
from db.readers import ReaderData

TELEGRAM_RATE = 30
TARGET_RATIO = 1.05
FIRST_USER = 200_001


def write_config(path: Path, emulator: Emulator, database: Path) -> Path:
    """A production-like config.toml: Telegram's pacing on, the default delivery rate."""
    path.write_text(
        "[telegram]\n"
        f'token = "{emulator.token}"\n'
        f'base_url = "{emulator.base_url}"\n'
        f'base_file_url = "{emulator.base_file_url}"\n'
        "rate_limit = true\n"
        "[database]\n"
        f'path = "{database}"\n'
        "[library]\n"
        'name = "Thư viện (đo tốc độ)"\n'
        f"librarians = [{LIBRARIAN_ID}]\n",
        encoding="utf-8",
    )
    return path


async def prepare(database: Path, emulator: Emulator, recipients: int) -> list[int]:
    """The sample catalog and `recipients` students, each linked as a scanned card links."""
    users = list(range(FIRST_USER, FIRST_USER + recipients))
    now = datetime.now(UTC)
    async with Database(database) as db:
        report = await import_books(db, data_file("sample_catalog.csv"), progress=False)
        assert not report.errors, report.render()
        async with db.transaction() as conn:
            await readers.insert_readers(
                conn,
                [ReaderData(f"B{user}", f"Học sinh {user}", "student", "9A") for user in users],
            )
        for user in users:
            reader = await readers.find_reader_by_code(db, f"B{user}")
            assert reader is not None
            account_id = await accounts.touch_account(db, user, user, f"Học sinh {user}")
            token = await accounts.issue_link_token(db, reader.id, now, timedelta(days=1))
            # A student links only with a parent's consent on record, as a class list gives it.
            await privacy.record_consent(
                db, reader.id, given_on=now.date(), source="class_list", recorded_by=None, now=now
            )
            await accounts.link_with_token(db, token.token, account_id, now)
            emulator.add_user(user, f"Học sinh {user}")
    return users


async def compose_and_send(emulator: Emulator) -> None:
    """Play the librarian: /thongbao to every linked reader, no photo, no book, Gửi ngay."""
    librarian = Driver(emulator, reply_timeout=30).user(LIBRARIAN_ID, "Cô Lan")
    await librarian.send("/start")
    asked = (await librarian.send("/thongbao"))[-1]
    await librarian.press(asked, texts.AUDIENCE_BUTTONS["readers"])
    photo_question = await librarian.send("Thư viện mở cửa phục vụ cả thứ Bảy tuần này.")
    books = await librarian.press(photo_question[-1], texts.BUTTON_SKIP)
    previewed = await librarian.press(books.messages[-1], texts.BUTTON_DONE)
    ask = previewed.messages[-1]
    send_now = dict(Driver.buttons(ask))[texts.BUTTON_SEND_NOW]
    # Pressed without waiting for answers to settle: the clock starts with the press.
    emulator.press_button(LIBRARIAN_ID, LIBRARIAN_ID, ask["message_id"], send_now)


async def run(recipients: int, directory: Path) -> bool:
    emulator = Emulator(enforce_limits=True)
    await emulator.start()
    database = directory / "thuvien.db"
    config = write_config(directory / "config.toml", emulator, database)
    try:
        setup = time.monotonic()
        users = await prepare(database, emulator, recipients)
        wanted = set(users)
        print(f"{recipients} linked readers prepared in {time.monotonic() - setup:.1f} s")
        process = start_process("bot", "run", "--config", str(config))
        try:
            await wait_until_polling(emulator, 0)
            await compose_and_send(emulator)
            started = time.monotonic()
            last_delivery = started
            delivered = 0
            while True:
                calls = emulator.calls("sendMessage")
                now_delivered = len({c["params"]["chat_id"] for c in calls if c["ok"]} & wanted)
                if now_delivered != delivered:
                    delivered, last_delivery = now_delivered, time.monotonic()
                reports = [
                    m
                    for m in emulator.messages(LIBRARIAN_ID)
                    if "đã gửi xong" in m.get("text", "")
                ]
                if reports:
                    break
                if time.monotonic() - last_delivery > 120:
                    raise RuntimeError(f"no delivery for 2 minutes ({delivered} delivered)")
                await asyncio.sleep(0.2)
        finally:
            stop_process(process)
    finally:
        await emulator.stop()
    elapsed = last_delivery - started
    floor = recipients / TELEGRAM_RATE
    per_chat = Counter(len(emulator.messages(user)) for user in users)
    duplicates = sum(count - 1 for count in per_chat.elements() if count > 1)
    lost = per_chat.get(0, 0)
    floods = Counter(
        "readers" if call["params"]["chat_id"] in wanted else "librarian"
        for call in emulator.calls("sendMessage")
        if call["error_code"] == 429
    )
    print(
        f"broadcast to {recipients} readers: {elapsed:6.1f} s, floor {floor:6.1f} s"
        f" ({elapsed / floor:5.1%}), 429s drawn: {floods['readers']} on readers' chats"
        f" + {floods['librarian']} on the librarian's, duplicates: {duplicates},"
        f" lost: {lost}"
    )
    print("report to the librarian: " + reports[-1]["text"].replace("\n", " · "))
    ok = elapsed <= TARGET_RATIO * floor and duplicates == 0 and lost == 0
    print(
        f"target ≤ {TARGET_RATIO * floor:.0f} s, 0 duplicates, 0 lost: {'met' if ok else 'MISSED'}"
    )
    return ok


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        await run(args.recipients, Path(directory))


if __name__ == "__main__":
    asyncio.run(main())
