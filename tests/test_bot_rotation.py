"""End to end: a rotation batch goes out to a class book corner, is reminded of and comes back."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

from bot import texts
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import rotation as rotation_jobs
from tests.helpers import JSON, add_reader, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = datetime(2026, 11, 20, 9, 0, tzinfo=HANOI)
THREE_DAYS_BEFORE = datetime(2026, 11, 24, 7, 0, tzinfo=HANOI)
RETURN_DAY = datetime(2026, 11, 27, 7, 0, tzinfo=HANOI)
STUDENT = 7601
COPIES = ["TN-00001", "TN-00002", "TN-00003", "TN-00004"]


@pytest.fixture
def librarian(bot: BotApplication, driver: Driver) -> ChatUser:
    set_clock(bot, FRIDAY)
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def statuses(bot: BotApplication, accessions: list[str]) -> list[str]:
    return [
        str(await bot.bot_data.db.fetchval("SELECT status FROM copy WHERE accession = ?", (a,)))
        for a in accessions
    ]


async def download(emulator: Emulator, document: JSON) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.root_url}/_emu/files/{document['file_id']}")
    response.raise_for_status()
    return response.content


async def open_batch(librarian: ChatUser, destination: str, due: str) -> list[JSON]:
    menu = (await librarian.send("/luanchuyen"))[-1]
    asked = await librarian.press(menu, texts.BUTTON_ROTATION_NEW)
    assert "luân chuyển đến đâu" in text_of(asked.messages)
    assert "Hạn trả" in text_of(await librarian.send(destination))
    return await librarian.send(due)


async def test_a_batch_goes_out_and_comes_back_with_the_statuses_and_a_list(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser
) -> None:
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS7601", "Lê Gia Bảo", "6A")
    lent = await bot.bot_data.circulation.lend("TN-00005", reader_id, LIBRARIAN_ID, FRIDAY)
    assert lent.accession == "TN-00005"

    opened = text_of(await open_batch(librarian, "6a", "27/11/2026"))
    assert "Đã mở đợt luân chuyển #1: Tủ sách lớp 6A, hạn trả 27/11/2026" in opened
    added = text_of(await librarian.send("TN-00001 TN-00002,\nTN-00003 TN-00005 ZZ-999"))
    assert "Đã thêm 3/5 bản" in added
    assert "TN-00005" in added and "đang cho mượn" in added and "ZZ-999" in added
    scanned = await librarian.send("/start copy_TN-00004")
    assert "Đã thêm 1/1 bản. Đợt này đang có 4 bản" in text_of(scanned)
    assert "đã có trong đợt này" in text_of(await librarian.send("TN-00001"))
    assert await statuses(bot, COPIES) == ["on_shelf"] * 4

    asked = await librarian.press(scanned[-1], "Giao đợt này")
    handed = await librarian.press(asked.messages[-1], texts.BUTTON_ROTATION_CONFIRM_CLOSE)
    assert "Đã giao đợt #1: 4 bản đến Tủ sách lớp 6A" in text_of(handed.messages)
    document = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "document" in m)
    assert document["document"]["file_name"] == "luan-chuyen-dot-1.xlsx"
    sheet = load_workbook(io.BytesIO(await download(emulator, document["document"]))).active
    assert sheet is not None
    assert sheet["A3"].value == "DANH SÁCH SÁCH LUÂN CHUYỂN"
    assert "Ngày giao: 20/11/2026 — hạn trả: 27/11/2026" in str(sheet["A5"].value)
    assert [cell.value for cell in sheet[7]] == list(texts.ROTATION_XLSX_COLUMNS)
    assert [sheet.cell(row=row, column=2).value for row in range(8, 12)] == COPIES
    assert await statuses(bot, COPIES) == ["rotated_out"] * 4
    refused = await bot.bot_data.circulation.lend("TN-00001", reader_id, LIBRARIAN_ID, FRIDAY)
    assert refused.status == "rotated_out"

    set_clock(bot, THREE_DAYS_BEFORE)
    assert await rotation_jobs.send_reminders(bot.bot_data, THREE_DAYS_BEFORE) == 1
    assert await rotation_jobs.send_reminders(bot.bot_data, THREE_DAYS_BEFORE) == 0
    set_clock(bot, RETURN_DAY)
    assert await rotation_jobs.send_reminders(bot.bot_data, RETURN_DAY) == 1
    assert await rotation_jobs.send_reminders(bot.bot_data, RETURN_DAY) == 0
    keys = [
        row[0] for row in await db.fetchall("SELECT key FROM outbox WHERE key LIKE 'rotation:%'")
    ]
    assert sorted(keys) == ["rotation:1:before", "rotation:1:due"]
    reminder = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "đã đến hạn" in m.get("text", "")
    )
    assert "Còn 4/4 bản chưa về" in reminder["text"]

    receiving = await librarian.press(reminder, "Nhận lại đợt #1")
    assert "còn 4 bản chưa về" in text_of(receiving.messages)
    back = text_of(await librarian.send("TN-00001 TN-00002 TN-00009"))
    assert "Đã nhận lại 2/3 bản" in back and "không thuộc đợt này" in back
    assert "Còn 2/4 bản chưa về" in back
    scanned_back = await librarian.send("/start copy_TN-00003")
    assert "Còn 1/4 bản chưa về" in text_of(scanned_back)
    done = await librarian.press(scanned_back[-1], texts.BUTTON_ROTATION_DONE)
    assert "còn 1/4 bản chưa về" in text_of(done.messages) and "TN-00004" in text_of(done.messages)
    assert await statuses(bot, COPIES) == ["on_shelf"] * 3 + ["rotated_out"]

    searched = text_of(await librarian.send("TN-00004"))
    assert "Đã nhận lại" not in searched
    assert await statuses(bot, COPIES[3:]) == ["rotated_out"]
    menu = (await librarian.send("/luanchuyen"))[-1]
    assert "còn 1/4 bản chưa về" in menu["text"]
    await librarian.press(menu, "Nhận lại đợt #1")
    finished = text_of(await librarian.send("TN-00004"))
    assert "Đợt #1 đã về đủ 4 bản" in finished
    assert await statuses(bot, COPIES) == ["on_shelf"] * 4
    assert await db.fetchval("SELECT status FROM rotation_batch WHERE id = 1") == "returned"
    set_clock(bot, datetime(2026, 11, 28, 7, 0, tzinfo=HANOI))
    assert await rotation_jobs.send_reminders(bot.bot_data, RETURN_DAY) == 0


async def test_students_forged_buttons_and_bad_input_are_refused(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    opened = await open_batch(librarian, "Thư viện Hà Nội", "15/12/2026")
    assert "Thư viện Hà Nội, hạn trả 15/12/2026" in text_of(opened)
    await librarian.send("TN-00001")
    student = driver.user(STUDENT, "Bảo")
    assert texts.NOT_ALLOWED in text_of(await student.send("/luanchuyen"))
    for data in ("lc:close!:1", "lc:drop!:1", "lc:in:1", "lc:print:1", "lc:new", "lc:pause:1"):
        forged = await student.press(opened[-1], data=data, forge=True)
        assert forged.answer == texts.NOT_ALLOWED, data
    scanned = text_of(await student.send("/start copy_TN-00002"))
    assert "Đã thêm" not in scanned
    assert await bot.bot_data.db.fetchval("SELECT count(*) FROM rotation_item") == 1

    gone = await librarian.press(opened[-1], data="lc:close!:999", forge=True)
    assert gone.answer == texts.ROTATION_NOT_OPEN
    paused = await librarian.press(opened[-1], data="lc:pause:0", forge=True)
    assert paused.answer == texts.ROTATION_NOT_OPEN and not paused.messages
    pressed = await librarian.press(opened[-1], data="lc:in:1", forge=True)
    assert pressed.answer == texts.ROTATION_NOT_OUT
    assert await statuses(bot, ["TN-00001"]) == ["on_shelf"]

    menu = (await librarian.send("/luanchuyen"))[-1]
    asked = await librarian.press(menu, texts.BUTTON_ROTATION_NEW)
    assert asked.messages
    assert "tối đa 100 ký tự" in text_of(await librarian.send("📚📚"))
    await librarian.send("7b")
    assert "Không đọc được ngày" in text_of(await librarian.send("x" * 4000))
    assert "phải sau hôm nay" in text_of(await librarian.send("19/11/2026"))
    await librarian.send("/huy")
    assert await bot.bot_data.db.fetchval("SELECT count(*) FROM rotation_batch") == 1

    asked_drop = await librarian.press(menu, "Hủy đợt")
    dropped = await librarian.press(asked_drop.messages[-1], texts.BUTTON_ROTATION_CONFIRM_DROP)
    assert "Đã hủy đợt luân chuyển #1" in text_of(dropped.messages)
    assert await bot.bot_data.db.fetchval("SELECT count(*) FROM rotation_batch") == 0


async def test_a_batch_takes_numbers_as_typed_and_its_confirms_can_be_cancelled(
    bot: BotApplication, librarian: ChatUser
) -> None:
    await open_batch(librarian, "6a", "27/11/2026")
    added = text_of(await librarian.send("tn1 TN 00002 tn-3"))
    assert "Đã thêm 3/3 bản" in added
    asked = await librarian.send("159")
    question = asked[-1]
    assert "có ở 2 bản" in question["text"]
    picked = await librarian.press(question, "TN-00159")
    assert "Đã thêm 1/1 bản. Đợt này đang có 4 bản" in text_of(picked.messages)
    batch = picked.messages[-1]
    for button, confirm_label in (
        ("Giao đợt này", texts.BUTTON_ROTATION_CONFIRM_CLOSE),
        (texts.BUTTON_ROTATION_DROP, texts.BUTTON_ROTATION_CONFIRM_DROP),
    ):
        confirm = (await librarian.press(batch, button)).messages[-1]
        assert [label for label, _ in Driver.buttons(confirm)] == [
            confirm_label,
            texts.BUTTON_CANCEL,
        ]
        kept = await librarian.press(confirm, texts.BUTTON_CANCEL)
        assert texts.CONFIRM_DROPPED in text_of(kept.messages)
    assert (
        await statuses(bot, ["TN-00001", "TN-00002", "TN-00003", "TN-00159"]) == ["on_shelf"] * 4
    )
    assert await bot.bot_data.db.fetchval("SELECT status FROM rotation_batch") == "open"
    assert "Đã thêm 1/1 bản. Đợt này đang có 5 bản" in text_of(await librarian.send("tn 00004"))
