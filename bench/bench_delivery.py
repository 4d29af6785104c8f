"""Benchmark: a broadcast through the outbox against Telegram's 30 messages/s floor.

Runs the delivery worker against the emulator with Telegram's limits switched on, once per
way of limiting: the worker alone with a plain Bot, the worker with the Application's
ExtBot and its AIORateLimiter (as bot/app.py builds it), and the AIORateLimiter alone (the
worker's own limits opened wide). Prints the time, the floor and the 429s drawn.

    .venv/bin/python -m bench.bench_delivery --messages 3000
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from telegram import Bot
from telegram.ext import AIORateLimiter, ExtBot

from bot.emulator.server import Emulator
from bot.jobs.delivery import DeliveryWorker
from db import outbox
from db.connection import Database
from db.outbox import NewMessage, from_db_time

MODES = ("worker", "worker+aiorl", "aiorl")


def make_bot(mode: str, emulator: Emulator) -> Bot:
    if mode == "worker":
        return Bot(emulator.token, emulator.base_url, emulator.base_file_url)
    return ExtBot(
        emulator.token,
        emulator.base_url,
        emulator.base_file_url,
        rate_limiter=AIORateLimiter(max_retries=3),
    )


async def run(mode: str, messages: int, directory: Path) -> None:
    emulator = Emulator(enforce_limits=True)
    await emulator.start()
    for user_id in range(1, messages + 1):
        emulator.add_user(user_id, f"Học sinh {user_id}")
    try:
        async with Database(directory / f"{mode}.db") as db, make_bot(mode, emulator) as bot:
            payload = {"method": "sendMessage", "text": "Sách mới tháng 11", "parse_mode": "HTML"}
            async with db.transaction() as conn:
                await outbox.enqueue_many(
                    conn,
                    (
                        NewMessage(f"b:{uid}", uid, payload, batch="b")
                        for uid in range(1, messages + 1)
                    ),
                )
            rate = 10_000 if mode == "aiorl" else 30
            worker = DeliveryWorker(db, bot, rate_per_second=rate)
            started = time.monotonic()
            await worker.start()
            while True:
                report = await outbox.batch_report(db, "b")
                if report["pending"] == report["sending"] == 0:
                    break
                await asyncio.sleep(0.05)
            elapsed = time.monotonic() - started
            await worker.stop()
            sent_at = {
                row["chat_id"]: from_db_time(row["sent_at"]).timestamp()
                for row in await db.fetchall("SELECT chat_id, sent_at FROM outbox")
            }
    finally:
        await emulator.stop()
    calls = emulator.calls("sendMessage")
    floods = sum(1 for call in calls if call["error_code"] == 429)
    # From Telegram storing a message to the worker holding its answer: a kill in this gap
    # (plus the 'sent' commit, a fraction of a millisecond) is what sends a message twice.
    gaps = sorted(
        sent_at[call["params"]["chat_id"]] - call["time"] for call in calls if call["ok"]
    )
    window = (
        f"  answer gap mean {1000 * statistics.mean(gaps):.2f} ms,"
        f" median {1000 * statistics.median(gaps):.2f} ms,"
        f" p99 {1000 * gaps[int(0.99 * len(gaps))]:.2f} ms"
    )
    floor = messages / 30
    print(
        f"{mode:13} {messages} messages in {elapsed:6.1f} s"
        f"  floor {floor:6.1f} s  ({elapsed / floor:5.1%})  429s drawn: {floods:3}"
        f"  sent {report['sent']}{window}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--mode", choices=MODES, action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        for mode in args.mode or MODES:
            await run(mode, args.messages, Path(directory))


if __name__ == "__main__":
    asyncio.run(main())
