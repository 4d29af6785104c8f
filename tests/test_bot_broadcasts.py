"""End to end: /thongbao broadcasts, the book of the month, faults and a SIGKILL mid-broadcast."""

import asyncio
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot import texts
from bot.config import ConfigError, parse_config
from bot.context import BotApplication, BotContext
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import campaigns as campaign_jobs
from bot.jobs.campaigns import BROADCAST_JOB
from db import campaigns, groups
from db.connection import Database
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 5, 10, 0, tzinfo=HANOI)
GROUP_6A, GROUP_6B, GROUP_7A = -1003000000601, -1003000000602, -1003000000701
STUDENT = 7501


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """The emulator, holding a "timeout" fault for one second instead of thirty."""
    emulator = Emulator(fault_timeout=1.0)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def librarian(bot: BotApplication, driver: Driver) -> ChatUser:
    set_clock(bot, NOW)
    user = driver.user(LIBRARIAN_ID, "Cô Lan")
    await user.send("/start")
    return user


@pytest.fixture
async def class_groups(bot: BotApplication, emulator: Emulator) -> list[int]:
    for chat_id, name, grade in ((GROUP_6A, "6A", 6), (GROUP_6B, "6B", 6), (GROUP_7A, "7A", 7)):
        emulator.add_group(chat_id, f"Lớp {name}", member_ids=[LIBRARIAN_ID])
        await groups.register_group(
            bot.bot_data.db,
            chat_id=chat_id,
            kind=groups.CLASS,
            class_name=name,
            grade=grade,
            title=f"Lớp {name}",
            registered_by=LIBRARIAN_ID,
            now=NOW,
        )
    return [GROUP_6A, GROUP_6B, GROUP_7A]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (30, 90, 200)).save(buffer, "PNG")
    return buffer.getvalue()


async def compose(librarian: ChatUser, audience: str, text: str) -> list[dict]:
    """Start /thongbao, pick an audience button and type the text; return the photo question."""
    asked = (await librarian.send("/thongbao"))[-1]
    picked = await librarian.press(asked, texts.AUDIENCE_BUTTONS[audience])
    assert "Gõ nội dung" in text_of(picked.messages)
    return await librarian.send(text)


async def test_a_broadcast_to_a_grade_with_photo_and_books_goes_once_to_each_group(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    asked = (await librarian.send("/thongbao"))[-1]
    grades = await librarian.press(asked, texts.AUDIENCE_BUTTONS["grade"])
    chosen = await librarian.press(grades.messages[-1], "Khối 6")
    assert "khối 6" in text_of(chosen.messages)
    photo_question = await librarian.send("Thư viện có sách mới <b>tháng 11</b> & quà nhỏ!")
    assert "ảnh" in text_of(photo_question)
    books_question = await librarian.send_photo(png())
    assert "Gõ tên sách" in text_of(books_question)
    found = (await librarian.send("de men"))[-1]
    added = await librarian.press(found, "Dế Mèn phiêu lưu ký")
    assert "Đã thêm" in text_of(added.messages)
    previewed = await librarian.press(added.messages[-1], texts.BUTTON_DONE)
    preview, ask = previewed.messages[-2], previewed.messages[-1]
    assert "photo" in preview
    assert "&lt;b&gt;tháng 11&lt;/b&gt; &amp;" not in preview["caption"]
    assert "<b>tháng 11</b> & quà nhỏ!" in preview["caption"]
    assert "Dế Mèn phiêu lưu ký" in preview["caption"] and "2 nơi nhận" in ask["text"]
    queued = await librarian.press(ask, texts.BUTTON_SEND_NOW)
    assert "Đã xếp 2 tin" in text_of(queued.messages)

    for chat_id in (GROUP_6A, GROUP_6B):
        sent = await wait_for_message(emulator, chat_id, lambda m: "photo" in m)
        assert sent["caption"] == preview["caption"]
    report = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "đã gửi xong" in (m.get("text") or "")
    )
    assert "2 nơi nhận" in report["text"] and "2 thành công" in report["text"]
    assert [len(emulator.messages(chat)) for chat in class_groups] == [1, 1, 0]


async def test_a_scheduled_broadcast_is_listed_cancellable_and_goes_at_its_time(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    for text in ("Nhắc trả sách trước kỳ nghỉ", "Ngày hội đọc sách"):
        photo_question = await compose(librarian, "classes", text)
        books_question = await librarian.press(photo_question[-1], texts.BUTTON_SKIP)
        previewed = await librarian.press(books_question.messages[-1], texts.BUTTON_DONE)
        when = await librarian.press(previewed.messages[-1], texts.BUTTON_SCHEDULE)
        assert "Gửi lúc nào" in text_of(when.messages)
        assert "Chưa đọc được" in text_of(await librarian.send("mai nhé"))
        assert "đã qua" in text_of(await librarian.send("04/11 07:30"))
        scheduled = await librarian.send("06/11 07:30")
        assert "07:30 ngày 06/11/2026" in text_of(scheduled)
    first, _ = await campaigns.scheduled_broadcasts(db)
    queue = bot.job_queue
    assert queue is not None
    for job in queue.get_jobs_by_name(BROADCAST_JOB.format(id=first.id)):
        job.schedule_removal()
    await campaign_jobs.schedule(bot)
    assert queue.get_jobs_by_name(BROADCAST_JOB.format(id=first.id)), "rebuilt from the DB"

    listing = await librarian.send("/thongbao")
    assert "Nhắc trả sách" in text_of(listing) and "Ngày hội đọc sách" in text_of(listing)
    cancelled = await librarian.press(listing[0], f"Hủy #{first.id}")
    assert f"Đã hủy thông báo hẹn giờ #{first.id}" in text_of(cancelled.messages)
    again = await librarian.press(listing[0], f"Hủy #{first.id}")
    assert again.answer == texts.BROADCAST_NOT_CANCELLABLE
    assert not queue.get_jobs_by_name(BROADCAST_JOB.format(id=first.id))
    await librarian.send("/huy")

    context = BotContext(bot)
    set_clock(bot, datetime(2026, 11, 6, 7, 29, tzinfo=HANOI))
    assert (await campaign_jobs.run_pass(context, bot.bot_data.clock())).broadcasts == 0
    set_clock(bot, datetime(2026, 11, 6, 7, 30, tzinfo=HANOI))
    assert (await campaign_jobs.run_pass(context, bot.bot_data.clock())).broadcasts == 1
    assert (await campaign_jobs.run_pass(context, bot.bot_data.clock())).broadcasts == 0
    for chat_id in class_groups:
        sent = await wait_for_message(emulator, chat_id, lambda m: "Ngày hội" in m.get("text", ""))
        assert "Nhắc trả sách" not in text_of(emulator.messages(chat_id))
        assert sent["text"].startswith("📣 Thư viện")
    await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "3 thành công" in m.get("text", ""))


async def test_texts_too_long_for_a_message_or_a_caption_are_refused_politely(
    bot: BotApplication, librarian: ChatUser, class_groups: list[int]
) -> None:
    asked = (await librarian.send("/thongbao"))[-1]
    picked = await librarian.press(asked, texts.AUDIENCE_BUTTONS["classes"])
    assert "(tối đa 4000 ký tự)" in text_of(picked.messages)
    refused = await librarian.send("Sách " * 819)
    assert "tối đa 4000" in text_of(refused) and "Rút gọn" in text_of(refused)
    photo_question = await librarian.send("Sách hay " * 200)
    assert "ảnh" in text_of(photo_question)
    too_long = await librarian.send_photo(png())
    stated = re.search(r"khoảng (\d+) ký tự", text_of(too_long))
    assert stated is not None and int(stated[1]) % 100 == 0 and int(stated[1]) <= 1024
    assert "chờ một ảnh" in text_of(await librarian.send("đây"))
    books_question = await librarian.press(too_long[-1], texts.BUTTON_SKIP)
    previewed = await librarian.press(books_question.messages[-1], texts.BUTTON_DONE)
    assert "photo" not in previewed.messages[-2]
    dropped = await librarian.press(previewed.messages[-1], texts.BUTTON_DISCARD)
    assert texts.BROADCAST_DISCARDED in text_of(dropped.messages)
    assert await campaigns.scheduled_broadcasts(bot.bot_data.db) == []


async def test_only_a_librarian_broadcasts_and_forged_buttons_change_nothing(
    bot: BotApplication, driver: Driver, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    photo_question = await compose(librarian, "classes", "Họp tổ chuyên môn")
    student = driver.user(STUDENT, "Bảo")
    assert texts.NOT_ALLOWED in text_of(await student.send("/thongbao"))
    message = photo_question[-1]
    for data in ("gt:1", "tbx:1", "cp:as:1:readers"):
        forged = await student.press(message, data=data, forge=True)
        assert forged.answer == texts.NOT_ALLOWED
    stale = await student.press(message, data="tb:now", forge=True)
    assert stale.answer == texts.BUTTON_EXPIRED
    assert await db.fetchval("SELECT count(*) FROM broadcast") == 0


async def test_a_class_without_a_group_is_flagged_when_chosen_and_the_draft_survives(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    asked = (await librarian.send("/thongbao"))[-1]
    await librarian.press(asked, texts.AUDIENCE_BUTTONS["class"])
    warned = (await librarian.send("6c"))[-1]
    assert "Chưa gửi được tới nhóm lớp 6C: nhóm này chưa đăng ký" in warned["text"]
    assert "gõ /dangkylop 6C ngay trong nhóm đó" in warned["text"]
    assert "Gõ nội dung" not in text_of(emulator.messages(LIBRARIAN_ID)[-1:])
    labels = [label for label, _ in Driver.buttons(warned)]
    assert texts.BUTTON_RECHECK in labels and texts.AUDIENCE_BUTTONS["classes"] in labels
    too_soon = await librarian.press(warned, texts.BUTTON_RECHECK)
    assert too_soon.answer == texts.BROADCAST_STILL_NO_RECIPIENTS

    writing = await librarian.press(warned, texts.BUTTON_COMPOSE_ANYWAY)
    assert "Gõ nội dung" in text_of(writing.messages)
    await librarian.send("Lớp 6C đến thư viện nhận sách giáo khoa chiều thứ Năm")
    books_question = await librarian.send_photo(png())
    assert "Gõ tên sách" in text_of(books_question)
    found = (await librarian.send("de men"))[-1]
    added = await librarian.press(found, "Dế Mèn phiêu lưu ký")
    previewed = await librarian.press(added.messages[-1], texts.BUTTON_DONE)
    preview, warning = previewed.messages[-2], previewed.messages[-1]
    assert "photo" in preview and "chiều thứ Năm" in preview["caption"]
    assert "Chưa gửi được tới nhóm lớp 6C" in warning["text"]
    assert texts.BUTTON_SEND_NOW not in [label for label, _ in Driver.buttons(warning)]
    assert texts.BUTTON_COMPOSE_ANYWAY not in [label for label, _ in Driver.buttons(warning)]

    group_6c = -1003000000603
    emulator.add_group(group_6c, "Lớp 6C", member_ids=[LIBRARIAN_ID])
    assert "6C" in text_of(await librarian.send("/dangkylop 6C", group_6c))
    rechecked = await librarian.press(warning, texts.BUTTON_RECHECK)
    preview, ask = rechecked.messages[-2], rechecked.messages[-1]
    assert "chiều thứ Năm" in preview["caption"] and "Dế Mèn" in preview["caption"]
    assert "nhóm lớp 6C (1 nơi nhận)" in ask["text"]

    other = await librarian.press(ask, texts.BUTTON_CHANGE_AUDIENCE)
    assert "vẫn giữ nguyên" in text_of(other.messages)
    everyone = await librarian.press(other.messages[-1], texts.AUDIENCE_BUTTONS["classes"])
    preview, ask = everyone.messages[-2], everyone.messages[-1]
    assert "chiều thứ Năm" in preview["caption"] and "Dế Mèn" in preview["caption"]
    assert "tất cả các nhóm lớp (4 nơi nhận)" in ask["text"]
    queued = await librarian.press(ask, texts.BUTTON_SEND_NOW)
    assert "Đã xếp 4 tin" in text_of(queued.messages)
    for chat_id in (*class_groups, group_6c):
        sent = await wait_for_message(emulator, chat_id, lambda m: "photo" in m)
        assert "chiều thứ Năm" in sent["caption"] and "Dế Mèn" in sent["caption"]
    assert await db.fetchval("SELECT count(*) FROM broadcast") == 1


async def test_a_book_introduction_to_nobody_yet_is_kept_for_another_audience(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    title_id = await db.fetchval("SELECT id FROM title WHERE title = 'Hoàng tử bé'")
    card = (await librarian.send(f"/start book_{title_id}"))[-1]
    asked = await librarian.press(card, texts.BUTTON_PROMOTE)
    warned = await librarian.press(asked.messages[-1], texts.AUDIENCE_BUTTONS["teachers"])
    warning = warned.messages[-1]
    assert "giáo viên" in warning["text"] and "/lienket mã-giáo-viên" in warning["text"]
    assert texts.BUTTON_DISCARD in [label for label, _ in Driver.buttons(warning)]
    previewed = await librarian.press(warning, texts.AUDIENCE_BUTTONS["classes"])
    assert "Hoàng tử bé" in previewed.messages[-2]["text"]
    assert "3 nơi nhận" in previewed.messages[-1]["text"]
    for audience, advice in (
        ("readers", "quét mã QR trên thẻ"),
        ("collaborators", "/dangkynhom congtacvien"),
    ):
        other = await librarian.press(previewed.messages[-1], texts.BUTTON_CHANGE_AUDIENCE)
        warned = await librarian.press(other.messages[-1], texts.AUDIENCE_BUTTONS[audience])
        assert advice in warned.messages[-1]["text"]
        previewed = await librarian.press(warned.messages[-1], texts.AUDIENCE_BUTTONS["classes"])
    await librarian.press(previewed.messages[-1], texts.BUTTON_SEND_NOW)
    for chat_id in class_groups:
        await wait_for_message(emulator, chat_id, lambda m: "Hoàng tử bé" in m["text"])


async def test_the_book_of_the_month_goes_from_a_title_card_in_one_tap(
    bot: BotApplication,
    emulator: Emulator,
    driver: Driver,
    librarian: ChatUser,
    class_groups: list[int],
) -> None:
    db = bot.bot_data.db
    title_id = await db.fetchval("SELECT id FROM title WHERE title = 'Hoàng tử bé'")
    summary = "Một phi công lạc giữa sa mạc Sahara gặp một hoàng tử nhỏ đến từ tiểu tinh cầu B612."
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE title SET summary = ?, cover_file_id = ? WHERE id = ?",
            (summary, "https://bia-sach.example/hoang-tu-be.jpg", title_id),
        )
        await conn.execute(
            "UPDATE copy SET status = 'on_loan' WHERE accession = 'TN-00144'",
        )
    copies = await db.fetchval("SELECT count(*) FROM copy WHERE title_id = ?", (title_id,))
    card = (await librarian.send(f"/start book_{title_id}"))[-1]
    assert "TN-00143" in card["text"], "the librarian's card lists the copies"
    student = driver.user(STUDENT, "Bảo")
    student_card = (await student.send(f"/start book_{title_id}"))[-1]
    assert texts.BUTTON_PROMOTE not in [label for label, _ in Driver.buttons(student_card)]
    asked = await librarian.press(card, texts.BUTTON_PROMOTE)
    assert "Giới thiệu «Hoàng tử bé»" in text_of(asked.messages)
    previewed = await librarian.press(asked.messages[-1], texts.AUDIENCE_BUTTONS["classes"])
    preview = previewed.messages[-2]
    assert "photo" in preview and "Hoàng tử bé" in preview["caption"]
    queued = await librarian.press(previewed.messages[-1], texts.BUTTON_SEND_NOW)
    assert "Đã xếp 3 tin" in text_of(queued.messages)
    link = f"https://t.me/thuvien_demo_bot?start=book_{title_id}"
    for chat_id in class_groups:
        sent = await wait_for_message(emulator, chat_id, lambda m: "photo" in m)
        caption = sent["caption"]
        assert caption == preview["caption"]
        assert caption.startswith("📣 Thư viện giới thiệu sách\n\n📖 Hoàng tử bé\n")
        assert "✍️ Antoine de Saint-Exupéry" in caption
        assert "🏢 NXB Hội Nhà văn" in caption and "Nhà xuất bản" not in caption
        assert summary in caption
        assert f"Còn {copies - 1}/{copies} bản trên giá" in caption
        assert f"Chia sẻ: {link}" in caption
        assert "TN-00" not in caption and "Kho" not in caption and "Các bản sách" not in caption
        assert (texts.BUTTON_OPEN_BOOK, link) in Driver.buttons(sent)


async def test_faults_during_a_broadcast_to_sixty_readers_lose_and_double_nothing(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    db = bot.bot_data.db
    readers = list(range(8001, 8061))
    for user_id in readers:
        reader_id = await add_reader(db, f"HS{user_id}", f"Học sinh {user_id}", "8A")
        await link_directly(db, user_id, reader_id, NOW)
        driver.user(user_id, f"Học sinh {user_id}")
    faults = {
        "429": readers[0:3],
        "500": readers[3:5],
        "502": readers[5:6],
        "timeout": readers[6:8],
        "403": readers[8:10],
    }
    for kind, chats in faults.items():
        for chat_id in chats:
            emulator.inject_fault("sendMessage", kind, chat_id=chat_id, retry_after=1)
    photo_question = await compose(librarian, "readers", "Thư viện mở cửa cả thứ Bảy tuần này")
    books = await librarian.press(photo_question[-1], texts.BUTTON_SKIP)
    previewed = await librarian.press(books.messages[-1], texts.BUTTON_DONE)
    assert "60 nơi nhận" in text_of(previewed.messages)
    await librarian.press(previewed.messages[-1], texts.BUTTON_SEND_NOW)

    report = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "đã gửi xong" in (m.get("text") or ""), wait=30
    )
    assert "✅ 58 thành công" in report["text"]
    assert "❌ 0 không gửi được" in report["text"] and "🚫 2 đã chặn bot" in report["text"]
    for user_id in readers:
        expected = 0 if user_id in faults["403"] else 1
        assert len(emulator.messages(user_id)) == expected, user_id
    failed_calls = Counter(
        call["fault"] for call in emulator.calls("sendMessage") if call.get("fault")
    )
    assert failed_calls == {kind: len(chats) for kind, chats in faults.items()}
    for user_id in faults["403"]:
        assert await db.fetchval("SELECT blocked FROM account WHERE user_id = ?", (user_id,)) == 1
    assert "Soạn thông báo" in text_of(await librarian.send("/thongbao")), "the bot is still up"


async def test_a_broadcast_opened_during_a_campaign_edit_takes_the_typing(
    bot: BotApplication, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    before = {c.id: c.title for c in await campaigns.list_campaigns(db)}
    listing = (await librarian.send("/chiendich"))[-1]
    card = (await librarian.press(listing, "20/11")).messages[-1]
    await librarian.press(card, texts.BUTTON_EDIT_TITLE)
    photo_question = await compose(librarian, "classes", "Tuần sau thư viện kiểm kê")
    assert "ảnh" in text_of(photo_question)
    assert {c.id: c.title for c in await campaigns.list_campaigns(db)} == before


def test_the_delivery_rate_comes_from_the_config() -> None:
    assert parse_config({}, require_token=False).delivery.rate_per_second == 30
    fast = parse_config({"delivery": {"rate_per_second": 400}}, require_token=False)
    assert fast.delivery.rate_per_second == 400
    with pytest.raises(ConfigError, match=r"delivery\.rate_per_second"):
        parse_config({"delivery": {"rate_per_second": 0}}, require_token=False)


# --- a real process killed in the middle of a broadcast ------------------------------------

RECIPIENTS = 1000
KILL_AFTER = 300
FAST_RATE = 400
# The delivery worker's default concurrency: with that many sends held, it starts no more.
HELD_SENDS = 12


def _write_config(path: Path, emulator: Emulator, database: Path) -> Path:
    path.write_text(
        "[telegram]\n"
        f'token = "{emulator.token}"\n'
        f'base_url = "{emulator.base_url}"\n'
        f'base_file_url = "{emulator.base_file_url}"\n'
        "rate_limit = false\n"
        "[database]\n"
        f'path = "{database}"\n'
        "[library]\n"
        'name = "Thư viện (thử tắt đột ngột)"\n'
        f"librarians = [{LIBRARIAN_ID}]\n"
        "[delivery]\n"
        f"rate_per_second = {FAST_RATE}\n",
        encoding="utf-8",
    )
    return path


def _start_bot(config: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(config)],
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=sink,
            stderr=sink,
        )


async def _until(condition: Callable[[], object], wait: float, what: str) -> None:
    deadline = time.monotonic() + wait
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def _link_many(database: Path, emulator: Emulator) -> list[int]:
    """RECIPIENTS readers, each linked to a chat account, as imports and card scans leave them."""
    users = list(range(100_001, 100_001 + RECIPIENTS))
    async with Database(database) as db, db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO reader (code, full_name, folded_name, category, class_name)"
            " VALUES (?, ?, ?, 'student', '9A')",
            [(f"K{user}", f"Học sinh {user}", f"hoc sinh {user}") for user in users],
        )
        await conn.executemany(
            "INSERT INTO account (user_id, chat_id, name, reader_id, linked_at)"
            " SELECT ?, ?, ?, id, '2026-11-01T00:00:00+00:00' FROM reader WHERE code = ?",
            [(user, user, f"Học sinh {user}", f"K{user}") for user in users],
        )
    for user in users:
        emulator.add_user(user, f"Học sinh {user}")
    return users


async def test_a_bot_killed_mid_broadcast_restarts_and_every_reader_gets_it_once(
    tmp_path: Path, catalog_template: Path
) -> None:
    """SIGKILL in the middle of a 1,000-reader broadcast, start again: each gets it once.

    Delivery is at-least-once (db/outbox.py): a kill landing between Telegram storing a
    message and the commit that follows would send that one message twice. To assert
    exactly once, the test first holds Telegram's answers (every send then in flight is one
    Telegram has not stored), so the kill finds rows in flight but none in that gap.
    """
    emulator = Emulator(fault_timeout=1.0)
    await emulator.start()
    database = tmp_path / "thuvien.db"
    shutil.copy(catalog_template, database)
    users = await _link_many(database, emulator)
    config = _write_config(tmp_path / "config.toml", emulator, database)
    log = tmp_path / "bot.log"
    process = _start_bot(config, log)
    try:
        await _until(lambda: emulator.calls("getUpdates"), 30, "the bot to poll")
        librarian = Driver(emulator, reply_timeout=15).user(LIBRARIAN_ID, "Cô Lan")
        await librarian.send("/start")
        photo_question = await compose(librarian, "readers", "Thư viện nghỉ chiều thứ Sáu")
        books = await librarian.press(photo_question[-1], texts.BUTTON_SKIP)
        previewed = await librarian.press(books.messages[-1], texts.BUTTON_DONE)
        assert f"{RECIPIENTS} nơi nhận" in text_of(previewed.messages)
        ask = previewed.messages[-1]
        send_now = dict(Driver.buttons(ask))[texts.BUTTON_SEND_NOW]
        # Pressed without waiting for the answers to settle: deliveries start at once.
        emulator.press_button(LIBRARIAN_ID, LIBRARIAN_ID, ask["message_id"], send_now)

        recipients = set(users)

        def delivered() -> int:
            calls = emulator.calls("sendMessage")
            return len({c["params"]["chat_id"] for c in calls if c["ok"]} & recipients)

        await _until(lambda: delivered() >= KILL_AFTER, 30, f"{KILL_AFTER} deliveries")
        calls = len(emulator.calls("sendMessage"))
        emulator.inject_fault("sendMessage", "timeout", count=HELD_SENDS)
        await _until(
            lambda: any(c.get("fault") for c in emulator.calls("sendMessage")[calls:]),
            10,
            "a held send",
        )
        await asyncio.sleep(0.3)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        at_kill = delivered()
        assert KILL_AFTER <= at_kill < RECIPIENTS
        async with Database(database) as db:
            in_flight = await db.fetchval("SELECT count(*) FROM outbox WHERE status = 'sending'")
        assert in_flight >= 1

        process = _start_bot(config, log)
        await wait_for_message(
            emulator, LIBRARIAN_ID, lambda m: "đã gửi xong" in (m.get("text") or ""), wait=40
        )
        counts = Counter(len(emulator.messages(user)) for user in users)
        assert counts == {1: RECIPIENTS}, f"per-chat message counts: {counts}"
        report = next(m for m in emulator.messages(LIBRARIAN_ID) if "đã gửi xong" in m["text"])
        assert f"✅ {RECIPIENTS} thành công" in report["text"]
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        await emulator.stop()
