"""End to end: an inventory session by QR link, typed list and photo, its report and write-off."""

import io
import random
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
import qrcode
from openpyxl import load_workbook
from PIL import Image

from bot import texts
from bot.app import build_application, running
from bot.config import Config
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from db import accounts
from tests.helpers import JSON, add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MAY_28 = datetime(2027, 5, 28, 8, 0, tzinfo=HANOI)
STUDENT, HELPER = 7301, 7302
SCOPE = "STK-0000"  # STK-00001 … STK-00009


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def label_photo(bot: BotApplication, accession: str) -> bytes:
    """A phone photo of a printed label: the copy's deep link as a QR code, on a page."""
    link = f"https://t.me/{bot.bot_data.bot_username}?start=copy_{accession}"
    code = qrcode.make(link, border=4).get_image().convert("RGB").resize((420, 420))
    page = Image.new("RGB", (800, 600), (245, 245, 240))
    page.paste(code, (180, 90))
    return png(page)


async def status_of(bot: BotApplication, accession: str) -> str:
    return str(
        await bot.bot_data.db.fetchval("SELECT status FROM copy WHERE accession = ?", (accession,))
    )


async def scans(bot: BotApplication) -> int:
    return int(await bot.bot_data.db.fetchval("SELECT count(*) FROM inventory_scan"))


async def download(emulator: Emulator, document: JSON) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.root_url}/_emu/files/{document['file_id']}")
    response.raise_for_status()
    return response.content


async def test_a_session_by_link_list_and_photo_ends_in_a_report_and_a_write_off(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    db, circulation = bot.bot_data.db, bot.bot_data.circulation
    reader_id = await add_reader(db, "HS9701", "Lê Gia Bảo", "6A")
    for accession in ("STK-00004", "STK-00005"):
        lent = await circulation.lend(accession, reader_id, LIBRARIAN_ID, MAY_28)
        assert lent.due_on is not None
    for accession in ("STK-00006", "STK-00007"):
        await circulation.mark_copy(accession, "lost", "", MAY_28)

    opened = await librarian.send(f"/kiemke {SCOPE}")
    card = opened[-1]
    assert "Phiên kiểm kê #1" in card["text"] and "STK-0000" in card["text"]
    assert "Chưa thấy: 5" in card["text"]
    labels = [label for label, _ in Driver.buttons(card)]
    assert texts.BUTTON_INVENTORY_END in labels and texts.BUTTON_INVENTORY_CANCEL in labels

    by_link = await librarian.send("/start copy_STK-00001")
    assert "✅" in text_of(by_link) and "STK-00001" in text_of(by_link)
    assert "Đã quét 1/7" in text_of(by_link) and "Trạng thái" not in text_of(by_link)
    desk = await librarian.press(by_link[-1], texts.BUTTON_INVENTORY_COPY_CARD)
    assert texts.BUTTON_LEND in str(Driver.buttons(desk.messages[-1]))

    batch = text_of(
        await librarian.send("STK-00002, STK-00003\nSTK-00001 STK-99999 stk-00004 SGK-00001")
    )
    assert "Ghi nhận 3 bản mới trong 6" in batch and "STK-00001 — đã quét rồi" in batch
    assert "STK-99999" in batch and "không có trong danh mục" in batch
    assert "đang cho mượn (Lê Gia Bảo (6A)" in batch
    assert "SGK-00001" in batch and "ngoài phạm vi" in batch
    assert "Đã quét 4/7" in batch

    photo = text_of(await librarian.send_photo(label_photo(bot, "STK-00006")))
    assert "STK-00006" in photo and "đã mất" in photo and "Đã quét 5/7" in photo
    noise = random.Random(3)
    garbage = Image.frombytes("L", (320, 240), bytes(noise.randrange(256) for _ in range(76800)))
    unreadable = text_of(await librarian.send_photo(png(garbage)))
    assert "Không đọc được mã QR" in unreadable
    assert await scans(bot) == 5

    asked = await librarian.press(card, texts.BUTTON_INVENTORY_END)
    assert "Kết thúc phiên kiểm kê #1?" in text_of(asked.messages)
    await librarian.press(asked.messages[-1], texts.BUTTON_INVENTORY_CONFIRM_END)
    report = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Kết quả kiểm kê #1" in (m.get("text") or "")
    )
    summary = report["text"]
    assert "Có trên giá: 4" in summary and "1 bản sổ ghi đang cho mượn" in summary
    assert "Không tìm thấy: 2" in summary and "STK-00008, STK-00009" in summary
    assert "sổ ghi mất hoặc thanh lý: 1" in summary and "luân chuyển" in summary
    assert "Tổng: 8 bản" in summary and "28/05/2027" in summary
    sent = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "document" in m)
    assert sent["document"]["file_name"] == "kiem-ke-1-28-05-2027.xlsx"
    book = load_workbook(io.BytesIO(await download(emulator, sent["document"])))
    missing = [row[1] for row in book["Không tìm thấy"].values if row[0] and row[0] != "STT"]
    assert missing[-2:] == ["STK-00008", "STK-00009"]
    away = [row for row in book["Đang cho mượn"].values if row[1] == "STK-00005"]
    assert away and "Lê Gia Bảo" in away[0]
    assert "kết thúc" not in text_of(await librarian.send("STK-00008")).casefold()
    assert await scans(bot) == 5

    # STK-00009 goes out after the count: the write-off must leave it alone.
    await circulation.lend("STK-00009", reader_id, LIBRARIAN_ID, MAY_28)
    asked = await librarian.press(report, "Ghi mất 2 bản")
    assert "Ghi 1 bản" in text_of(asked.messages)
    done = await librarian.press(asked.messages[-1], "Xác nhận ghi mất 1 bản")
    assert "Đã ghi mất 1 bản" in text_of(done.messages) and "Bỏ qua 1 bản" in text_of(
        done.messages
    )
    assert await status_of(bot, "STK-00008") == "lost"
    assert await status_of(bot, "STK-00009") == "on_loan"
    assert await status_of(bot, "STK-00001") == "on_shelf"
    note = await db.fetchval("SELECT note FROM copy WHERE accession = 'STK-00008'")
    assert "Kiểm kê #1" in note
    again = await librarian.press(asked.messages[-1], data="ivlost!:1", forge=True)
    assert again.answer == texts.INVENTORY_LOST_DONE


async def test_a_student_is_refused_and_forged_buttons_change_nothing(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS9702", "Trần Thu Hà", "7B")
    await link_directly(db, STUDENT, reader_id, MAY_28)
    student = driver.user(STUDENT, "Hà")
    assert texts.NOT_ALLOWED in text_of(await student.send("/kiemke"))
    assert await db.fetchval("SELECT count(*) FROM inventory_session") == 0

    card = (await librarian.send(f"/kiemke {SCOPE}"))[-1]
    await librarian.send("STK-00001")
    for data in ("ivend!:1", "ivdel!:1", "ivlost!:1", "ivend:1", "ivref:1", "ivcard:1"):
        pressed = await student.press(card, data=data, forge=True)
        assert pressed.answer == texts.NOT_ALLOWED, data
    assert texts.NOT_ALLOWED in text_of(await student.send("/kiemke them HS9702"))
    searched = text_of(await student.send("STK-00002"))
    assert "Kết quả cho" in searched and "Đã quét" not in searched
    label = text_of(await student.send("/start copy_STK-00003"))
    assert "Các bản sách" in label and "Đã quét" not in label
    assert await scans(bot) == 1
    assert await db.fetchval("SELECT state FROM inventory_session WHERE id = 1") == "open"


async def test_a_helper_scans_only_while_the_session_is_open(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    db = bot.bot_data.db
    teacher_id = await add_reader(db, "GV9701", "Ngô Thị Mai", category="teacher")
    assert "Chưa có phiên" in text_of(await librarian.send("/kiemke them GV9701"))
    card = (await librarian.send(f"/kiemke {SCOPE}"))[-1]
    assert "chưa liên kết" in text_of(await librarian.send("/kiemke them GV9701"))
    await link_directly(db, HELPER, teacher_id, MAY_28)
    helper = driver.user(HELPER, "Mai")
    assert "Đã mời Ngô Thị Mai" in text_of(await librarian.send("/kiemke them GV9701"))
    assert "đã ở trong" in text_of(await librarian.send("/kiemke them GV9701"))
    await wait_for_message(emulator, HELPER, lambda m: "nhờ giúp kiểm kê" in m["text"])

    scanned = await helper.send("/start copy_STK-00002")
    assert "✅" in text_of(scanned) and not Driver.buttons(scanned[-1])
    own = (await helper.send("/kiemke"))[-1]
    assert "Ngô Thị Mai" in own["text"] and "Đã thấy: 1" in own["text"]
    assert [label for label, _ in Driver.buttons(own)] == [texts.BUTTON_INVENTORY_REFRESH]
    assert texts.NOT_ALLOWED in text_of(await helper.send("/kiemke STK"))
    forged = await helper.press(own, data="ivend!:1", forge=True)
    assert forged.answer == texts.NOT_ALLOWED
    await helper.send("STK-00003")
    refreshed = await helper.press(own, texts.BUTTON_INVENTORY_REFRESH)
    assert "Đã thấy: 2" in text_of(refreshed.messages)

    asked = await librarian.press(card, texts.BUTTON_INVENTORY_CANCEL)
    cancelled = await librarian.press(asked.messages[-1], texts.BUTTON_INVENTORY_CONFIRM_CANCEL)
    assert "Đã hủy phiên kiểm kê #1" in text_of(cancelled.messages)
    await wait_for_message(emulator, HELPER, lambda m: "đã đóng" in m["text"])
    after = text_of(await helper.send("STK-00004"))
    assert "Kết quả cho" in after and "Đã quét" not in after
    closed = await librarian.press(card, texts.BUTTON_INVENTORY_END)
    assert closed.answer == texts.INVENTORY_CLOSED
    assert await scans(bot) == 2


async def test_one_session_at_a_time_and_bad_input_writes_nothing(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    db = bot.bot_data.db
    assert "Không hiểu phạm vi" in text_of(await librarian.send("/kiemke 💥 " + "x" * 3000))
    assert "Không có bản sách nào thuộc" in text_of(await librarian.send("/kiemke ZZZ-"))
    assert await db.fetchval("SELECT count(*) FROM inventory_session") == 0
    assert "Phiên kiểm kê #1" in text_of(await librarian.send("/kiemke truyen"))
    busy = text_of(await librarian.send("/kiemke SGK"))
    assert "Đang có phiên kiểm kê #1" in busy and "loại sách «Truyện»" in busy
    too_many = text_of(await librarian.send(" ".join(f"T{n}" for n in range(1, 502))))
    assert "501 số ĐKCB" in too_many
    assert await scans(bot) == 0
    big = text_of(await librarian.send("\n".join(f"TN-{n:05d}" for n in range(1, 301))))
    assert "Ghi nhận 300 bản mới" in big
    assert len(big) < 4096
    assert await scans(bot) == 300
    assert "Kết quả cho" in text_of(await librarian.send("de men phieu luu ky"))


async def test_the_lending_dialog_keeps_its_reader_code_during_a_session(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    await add_reader(bot.bot_data.db, "HS9703", "Phạm Minh Khôi", "8A")
    await librarian.send(f"/kiemke {SCOPE}")
    assert "Cho ai mượn" in text_of(await librarian.send("/chomuon STK-00003"))
    lent = text_of(await librarian.send("HS9703"))
    assert "Đã cho" in lent and "Phạm Minh Khôi" in lent
    assert await scans(bot) == 0
    assert "đang cho mượn" in text_of(await librarian.send("STK-00003"))


async def test_a_photo_for_a_notice_goes_to_the_notice_during_a_session(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    await librarian.send(f"/kiemke {SCOPE}")
    asked = (await librarian.send("/thongbao"))[-1]
    warned = await librarian.press(asked, texts.AUDIENCE_BUTTONS["readers"])
    await librarian.press(warned.messages[-1], texts.BUTTON_COMPOSE_ANYWAY)
    assert "ảnh" in text_of(await librarian.send("Tuần sau thư viện kiểm kê, nghỉ mượn 2 ngày."))
    answer = await librarian.send_photo(label_photo(bot, "STK-00003"))
    assert "Gõ tên sách" in text_of(answer)
    assert await scans(bot) == 0


async def test_a_session_survives_a_restart(
    emulator: Emulator, config: Config, tmp_path: Path
) -> None:
    driver = Driver(emulator)
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    async with running(build_application(config), poll_timeout=1):
        await librarian.send(f"/kiemke {SCOPE}")
        assert "Đã quét 1/9" in text_of(await librarian.send("/start copy_STK-00001"))
    async with running(build_application(config), poll_timeout=1):
        assert "Đã quét 2/9" in text_of(await librarian.send("STK-00002"))
        duplicate = text_of(await librarian.send("STK-00001"))
        assert "đã quét rồi" in duplicate


async def test_typed_numbers_as_people_type_them_and_a_bare_number_to_pick(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    await librarian.send("/kiemke")
    batch = text_of(await librarian.send("stk1, STK 00002\nstk-3 tn00010"))
    assert "Ghi nhận 4 bản mới trong 4" in batch
    assert await scans(bot) == 4
    asked = await librarian.send("159 stk-4")
    question = next(m for m in asked if "có ở 2 bản" in m["text"])
    assert [label.split(" — ")[0] for label, _ in Driver.buttons(question)] == [
        "SGK-00159",
        "TN-00159",
    ]
    assert "STK-00004" in text_of(asked) and await scans(bot) == 5
    picked = await librarian.press(question, "TN-00159")
    assert "✅ TN-00159" in text_of(picked.messages)
    recorded = await bot.bot_data.db.fetchall(
        "SELECT c.accession FROM inventory_scan s JOIN copy c ON c.id = s.copy_id"
    )
    assert "TN-00159" in {row[0] for row in recorded}
    assert "SGK-00159" not in {row[0] for row in recorded}


async def test_ending_says_why_the_write_off_counts_fewer_than_the_missing(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, MAY_28)
    db, circulation = bot.bot_data.db, bot.bot_data.circulation
    reader_id = await add_reader(db, "HS9711", "Trịnh Bảo Ngọc", "7C")
    await link_directly(db, STUDENT, reader_id, MAY_28)
    await circulation.lend("STK-00004", reader_id, LIBRARIAN_ID, MAY_28)
    held_title = await db.fetchval(
        "SELECT title_id FROM copy WHERE accession = 'STK-00001'"
        " AND (SELECT count(*) FROM copy c WHERE c.title_id = copy.title_id) = 1"
    )
    assert held_title is not None
    identity = await accounts.identity_of(db, STUDENT, config_librarian=False)
    await circulation.request_title(identity, held_title, MAY_28)
    request_id = await db.fetchval("SELECT id FROM request WHERE reader_id = ?", (reader_id,))
    await circulation.approve(request_id, LIBRARIAN_ID, MAY_28)
    assert await status_of(bot, "STK-00001") == "held"

    opened = await librarian.send(f"/kiemke {SCOPE}")
    card = next(m for m in opened if "Phiên kiểm kê #1" in (m.get("text") or ""))
    await librarian.send("STK-00002 STK-00003")
    asked = await librarian.press(card, texts.BUTTON_INVENTORY_END)
    question = asked.messages[-1]
    assert "6 bản không tìm thấy" in question["text"]
    assert "1 bản đang cho mượn hoặc luân chuyển không bị tính là mất" in question["text"]
    kept = await librarian.press(question, texts.BUTTON_CANCEL)
    assert texts.CONFIRM_DROPPED in text_of(kept.messages)
    assert await db.fetchval("SELECT state FROM inventory_session") == "open"

    asked = await librarian.press(card, texts.BUTTON_INVENTORY_END)
    await librarian.press(asked.messages[-1], texts.BUTTON_INVENTORY_CONFIRM_END)
    report = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Kết quả kiểm kê #1" in (m.get("text") or "")
    )
    summary = report["text"]
    assert "Không tìm thấy: 6" in summary
    assert "Nút «Ghi mất» tính 5 trong 6 bản không tìm thấy" in summary
    assert "1 bản đang được giữ cho bạn đọc" in summary
    assert [label for label, _ in Driver.buttons(report)] == ["Ghi mất 5 bản"]

    asked = await librarian.press(report, "Ghi mất 5 bản")
    confirm = asked.messages[-1]
    assert "Ghi 5 bản" in confirm["text"]
    assert texts.BUTTON_CANCEL in [label for label, _ in Driver.buttons(confirm)]
    await librarian.press(confirm, texts.BUTTON_CANCEL)
    assert await db.fetchval("SELECT count(*) FROM copy WHERE status = 'lost'") == 0

    asked = await librarian.press(report, "Ghi mất 5 bản")
    done = await librarian.press(asked.messages[-1], "Xác nhận ghi mất 5 bản")
    assert "Đã ghi mất 5 bản" in text_of(done.messages)
    assert await status_of(bot, "STK-00001") == "held"
    assert await status_of(bot, "STK-00004") == "on_loan"
