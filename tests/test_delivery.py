"""The delivery worker sends every outbox row once, within the limits, through faults."""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.emulator.server import Emulator
from bot.jobs.delivery import ChatPacer, DeliveryWorker, SendWindow
from db import outbox
from db.connection import Database
from db.outbox import NewMessage

GROUP = -1001234567


class FakeClock:
    """A clock the test moves by hand; it starts at the real time so enqueued rows are due."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC) + timedelta(seconds=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def text(body: str, **extra: Any) -> dict[str, Any]:
    return {"method": "sendMessage", "text": body, "parse_mode": "HTML", **extra}


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    emulator = Emulator(fault_timeout=1.0)
    await emulator.start()
    for user_id in range(1, 301):
        emulator.add_user(user_id, f"Học sinh {user_id}")
    emulator.add_group(GROUP, "Lớp 7A", with_bot=True)
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def tg(emu: Emulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
        yield bot


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "thuvien.db") as database:
        yield database


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_worker(db: Database, tg: Bot, clock: FakeClock) -> Callable[..., DeliveryWorker]:
    def make(**options: Any) -> DeliveryWorker:
        options.setdefault("clock", clock)
        options.setdefault("send_timeout", 0.3)
        return DeliveryWorker(db, tg, **options)

    return make


async def put(db: Database, *rows: NewMessage) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_many(conn, rows)


def texts(emu: Emulator, chat_id: int) -> list[str]:
    return [message.get("text") or message.get("caption", "") for message in emu.messages(chat_id)]


async def eventually(check: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.02)


# --- the limiters on their own ----------------------------------------------------------


def test_the_send_window_counts_sends_in_flight_and_until_a_window_after_the_answer() -> None:
    window = SendWindow(3, 1.0)
    assert window.room(0.0) == 3
    for _ in range(3):
        window.begin()
    assert window.room(0.0) == 0
    assert window.free_at(0.0) is None
    window.end(0.25)
    window.end(0.5)
    window.end(0.5)
    assert window.room(1.0) == 0
    assert window.free_at(1.0) == 1.25
    assert window.room(1.25) == 1
    assert window.room(1.5) == 3


def test_the_chat_pacer_spaces_a_chat_and_caps_a_group_per_window() -> None:
    pacer = ChatPacer(interval=1.0, group_count=2, group_window=10.0)
    pacer.begin(5)
    pacer.begin(GROUP)
    assert pacer.busy(0.0) == {5, GROUP}
    pacer.end(5, 0.1)
    pacer.end(GROUP, 0.1)
    assert pacer.busy(1.0) == {5, GROUP}
    assert pacer.busy(1.1) == set()
    pacer.begin(GROUP)
    pacer.end(GROUP, 1.2)
    assert pacer.busy(5.0) == {GROUP}
    assert pacer.soonest(5.0) == pytest.approx(10.1)
    assert pacer.busy(10.1) == set()
    pacer.pause(7, 20.0)
    assert pacer.busy(19.9) == {7}
    assert pacer.busy(20.0) == set()


async def test_an_idle_worker_waits_the_poll_interval_and_writes_nothing(
    db: Database, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    worker = make_worker(poll_interval=1.0)
    stamp = await db.change_stamp()
    assert await worker._dispatch(clock(), clock) == []
    assert await worker._idle_delay(clock()) == 1.0
    assert await db.change_stamp() == stamp


# --- delivery through the emulator ------------------------------------------------------


async def test_a_key_enqueued_twice_is_delivered_once(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    for body in ("Sách <b>Dế Mèn</b> đã về", "lần hai"):
        async with db.transaction() as conn:
            await outbox.enqueue(conn, key="hold:42", chat_id=1, payload=text(body))
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 1
    assert await worker.drain_once(clock.advance(5)) == 0
    assert texts(emu, 1) == ["Sách Dế Mèn đã về"]
    sent = await outbox.get(db, "hold:42")
    assert sent is not None
    assert sent.status == "sent"


async def test_a_batch_of_200_reaches_each_reader_once_at_30_a_second(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    readers = range(1, 201)
    await put(
        db,
        *(
            NewMessage(f"intro:7:{uid}", uid, text("Giới thiệu sách"), batch="intro:7")
            for uid in readers
        ),
    )
    worker = make_worker()
    per_second = []
    while (await outbox.batch_report(db, "intro:7"))["pending"]:
        per_second.append(await worker.drain_once(clock.now))
        clock.advance(1)
    assert per_second == [30] * 6 + [20]
    assert all(texts(emu, uid) == ["Giới thiệu sách"] for uid in readers)
    report = await outbox.batch_report(db, "intro:7")
    assert report == {"pending": 0, "sending": 0, "sent": 200, "failed": 0, "blocked": 0}


async def test_a_group_gets_no_more_than_its_share_per_window(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    await put(db, *(NewMessage(f"g:{n}", GROUP, text(f"Tin {n}")) for n in range(7)))
    worker = make_worker(group_per_minute=3, group_window=2.0, chat_interval=0.0)
    assert await worker.drain_once(clock.now) == 3
    assert await worker.drain_once(clock.advance(1.9)) == 0
    assert await worker.drain_once(clock.advance(0.2)) == 3
    assert await worker.drain_once(clock.advance(2.1)) == 1
    assert texts(emu, GROUP) == [f"Tin {n}" for n in range(7)]


async def test_a_private_chat_gets_one_message_a_second(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    await put(db, NewMessage("a", 9, text("một")), NewMessage("b", 9, text("hai")))
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 1
    assert await worker.drain_once(clock.advance(0.5)) == 0
    assert await worker.drain_once(clock.advance(0.6)) == 1
    assert texts(emu, 9) == ["một", "hai"]


async def test_a_flood_wait_pauses_every_send_until_retry_after(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    emu.inject_fault("sendMessage", "429", chat_id=1, retry_after=1)
    await put(db, NewMessage("a", 1, text("một")))
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 0
    await put(db, NewMessage("b", 2, text("hai")))
    assert await worker.drain_once(clock.advance(0.9)) == 0
    assert await worker.drain_once(clock.advance(0.2)) == 2
    assert texts(emu, 1) == ["một"]
    assert texts(emu, 2) == ["hai"]
    retried = await outbox.get(db, "a")
    assert retried is not None
    assert retried.attempts == 0


async def test_a_flood_wait_in_a_busy_group_pauses_only_that_group(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    await put(db, NewMessage("g1", GROUP, text("một")))
    worker = make_worker(chat_interval=0.0)
    assert await worker.drain_once(clock.now) == 1
    emu.inject_fault("sendMessage", "429", chat_id=GROUP, retry_after=5)
    await put(db, NewMessage("g2", GROUP, text("hai")))
    assert await worker.drain_once(clock.advance(1)) == 0
    await put(db, NewMessage("p", 3, text("riêng")))
    assert await worker.drain_once(clock.advance(1)) == 1
    assert await worker.drain_once(clock.advance(4)) == 1
    assert texts(emu, GROUP) == ["một", "hai"]


async def test_a_flood_wait_is_honoured_by_the_running_worker(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker]
) -> None:
    emu.inject_fault("sendMessage", "429", chat_id=4, retry_after=1)
    worker = make_worker(clock=lambda: datetime.now(UTC))
    await worker.start()
    try:
        await put(db, NewMessage("k", 4, text("Nhắc trả sách")))
        worker.notify()
        await eventually(lambda: bool(emu.messages(4)))
    finally:
        await worker.stop()
    refused, accepted = emu.calls("sendMessage")
    assert refused["error_code"] == 429
    assert accepted["ok"]
    assert accepted["time"] - refused["time"] >= 1.0
    assert texts(emu, 4) == ["Nhắc trả sách"]


async def test_server_errors_and_timeouts_are_retried_with_backoff(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    emu.inject_fault("sendMessage", "500", chat_id=1)
    emu.inject_fault("sendMessage", "502", chat_id=1)
    emu.inject_fault("sendMessage", "timeout", chat_id=2)
    await put(db, NewMessage("a", 1, text("một")), NewMessage("b", 2, text("hai")))
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 0
    timed_out = await outbox.get(db, "b")
    assert timed_out is not None
    assert (timed_out.status, timed_out.attempts) == ("pending", 1)
    assert timed_out.last_error.startswith("TimedOut")
    assert await worker.drain_once(clock.advance(1.9)) == 0
    assert await worker.drain_once(clock.advance(0.1)) == 1
    assert await worker.drain_once(clock.advance(3.9)) == 0
    assert await worker.drain_once(clock.advance(0.1)) == 1
    assert texts(emu, 1) == ["một"]
    assert texts(emu, 2) == ["hai"]
    sent = await outbox.get(db, "a")
    assert sent is not None
    assert sent.attempts == 2


async def test_a_message_gives_up_after_max_attempts(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    emu.inject_fault("sendMessage", "502", count=3, chat_id=1)
    await put(db, NewMessage("a", 1, text("một")))
    worker = make_worker(max_attempts=3, backoff=1.0)
    for _ in range(3):
        assert await worker.drain_once(clock.advance(10)) == 0
    failed = await outbox.get(db, "a")
    assert failed is not None
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert len(emu.calls("sendMessage")) == 3


async def test_a_reader_who_blocked_the_bot_is_marked_and_not_retried(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO account (user_id, chat_id) VALUES (5, 5), (6, 6)")
    emu.block_bot(5)
    emu.inject_fault("sendMessage", "403", chat_id=6)
    await put(db, NewMessage("a", 5, text("một")), NewMessage("b", 6, text("hai")))
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 0
    assert await worker.drain_once(clock.advance(60)) == 0
    assert len(emu.calls("sendMessage")) == 2
    blocked = await db.fetchall("SELECT blocked FROM account ORDER BY user_id")
    assert [row[0] for row in blocked] == [1, 1]
    assert (await outbox.batch_report(db, ""))["blocked"] == 2


async def test_refusals_fail_at_once(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    emu.remove_bot_from_group(GROUP, 1)
    await put(
        db,
        NewMessage("unknown", 987654, text("?")),
        NewMessage("long", 1, text("x" * 5000)),
        NewMessage("kicked", GROUP, text("Chiến dịch tháng 11")),
        NewMessage("odd", 2, {"method": "sendSticker", "sticker": "x"}),
    )
    worker = make_worker()
    assert await worker.drain_once(clock.now) == 0
    assert await worker.drain_once(clock.advance(60)) == 0
    states = {
        key: (message.status, message.last_error)
        for key in ("unknown", "long", "kicked", "odd")
        if (message := await outbox.get(db, key)) is not None
    }
    assert states["unknown"] == ("failed", "Chat not found")
    assert states["long"][0] == "failed"
    assert states["kicked"] == ("blocked", "Forbidden: bot was kicked from the supergroup chat")
    assert states["odd"] == ("failed", "bad payload: ValueError(\"unknown method 'sendSticker'\")")
    assert len(emu.calls("sendMessage")) == 3


async def test_photos_documents_and_buttons_are_sent_as_the_payload_says(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker], clock: FakeClock
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Mượn", callback_data="borrow:7")]])
    await put(
        db,
        NewMessage("t", 1, text("Sách mới", reply_markup=keyboard.to_dict())),
        NewMessage(
            "p",
            2,
            {
                "method": "sendPhoto",
                "photo": "https://example.org/bia.jpg",
                "caption": "Bìa <i>Tắt đèn</i>",
                "parse_mode": "HTML",
            },
        ),
        NewMessage(
            "d",
            3,
            {
                "method": "sendDocument",
                "document": "https://example.org/ds.xlsx",
                "caption": "Danh sách",
            },
        ),
    )
    assert await make_worker().drain_once(clock.now) == 3
    [with_buttons] = emu.messages(1)
    assert with_buttons["reply_markup"] == keyboard.to_dict()
    assert texts(emu, 2) == ["Bìa Tắt đèn"]
    [document] = emu.messages(3)
    assert document["document"]["file_name"] == "ds.xlsx"


# --- restarts ---------------------------------------------------------------------------


async def test_pending_rows_survive_a_restart_and_are_sent_once(
    tmp_path: Path, emu: Emulator, tg: Bot
) -> None:
    path = tmp_path / "restart.db"
    async with Database(path) as first:
        await put(
            first, *(NewMessage(f"k{uid}", uid, text("Hạn trả 22/11/2026")) for uid in (1, 2))
        )
    async with Database(path) as second:
        worker = DeliveryWorker(second, tg)
        await worker.start()
        try:
            await eventually(lambda: bool(emu.messages(1)) and bool(emu.messages(2)))
        finally:
            await worker.stop()
        assert (await outbox.batch_report(second, ""))["sent"] == 2
    assert texts(emu, 1) == texts(emu, 2) == ["Hạn trả 22/11/2026"]


async def test_rows_in_flight_at_a_crash_are_sent_again_after_the_restart(
    tmp_path: Path, emu: Emulator, tg: Bot
) -> None:
    """At-least-once: a claimed row may or may not have reached Telegram; it goes again."""
    path = tmp_path / "crash.db"
    async with Database(path) as first:
        await put(first, *(NewMessage(f"k{uid}", uid, text("Tin")) for uid in (1, 2, 3)))
        in_flight = await outbox.claim_due(first, datetime.now(UTC) + timedelta(seconds=1), 2)
        # The process dies after Telegram accepted the first row and before its 'sent' commit.
        await tg.send_message(in_flight[0].chat_id, "Tin")
    async with Database(path) as second:
        worker = DeliveryWorker(second, tg)
        await worker.start()
        try:
            await eventually(lambda: all(emu.messages(uid) for uid in (1, 2, 3)))
        finally:
            await worker.stop()
        assert (await outbox.batch_report(second, ""))["sent"] == 3
    assert [len(emu.messages(uid)) for uid in (1, 2, 3)] == [2, 1, 1]


# --- in real time -----------------------------------------------------------------------


async def test_the_worker_stays_up_through_faults_and_reaches_everyone_once(
    db: Database, emu: Emulator, make_worker: Callable[..., DeliveryWorker]
) -> None:
    emu.inject_fault("sendMessage", "500", count=3)
    emu.inject_fault("sendMessage", "timeout", chat_id=20)
    emu.inject_fault("sendMessage", "429", chat_id=30, retry_after=1)
    emu.block_bot(40)
    await put(
        db,
        *(
            NewMessage(f"n:{uid}", uid, text("Họp TCTVTV thứ Sáu"), batch="n")
            for uid in range(1, 61)
        ),
    )
    worker = make_worker(clock=lambda: datetime.now(UTC), backoff=0.2)
    await worker.start()
    try:
        await eventually(
            lambda: sum(bool(emu.messages(uid)) for uid in range(1, 61)) == 59, within=8
        )
        assert worker.running
    finally:
        await worker.stop()
    assert all(len(emu.messages(uid)) == 1 for uid in range(1, 61) if uid != 40)
    report = await outbox.batch_report(db, "n")
    assert (report["sent"], report["blocked"]) == (59, 1)


async def test_300_messages_within_telegrams_limits_draw_no_flood_errors(
    emu: Emulator, db: Database, make_worker: Callable[..., DeliveryWorker]
) -> None:
    emu.enforce_limits = True
    await put(
        db,
        *(
            NewMessage(f"c:{uid}", uid, text("Tháng 11: đọc sách"), batch="c")
            for uid in range(1, 301)
        ),
    )
    worker = make_worker(clock=lambda: datetime.now(UTC))
    started = time.monotonic()
    await worker.start()
    try:
        await eventually(
            lambda: sum(bool(emu.messages(uid)) for uid in range(1, 301)) == 300, within=15
        )
    finally:
        await worker.stop()
    elapsed = time.monotonic() - started
    floods = [call for call in emu.calls("sendMessage") if call["error_code"] == 429]
    assert floods == []
    assert 9.0 <= elapsed < 12.0
    assert all(len(emu.messages(uid)) == 1 for uid in range(1, 301))
