"""End to end: donated copies catalogued in chat with their donor, thanks, the drive's board."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.context import BotApplication
from bot.core.donations import next_accession
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import donations as board_jobs
from db import donations, groups
from db.search import search_titles
from tests.helpers import JSON, add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
BOARD_DAY = datetime(2026, 11, 30, 16, 0, tzinfo=HANOI)
AN, BINH = 7501, 7502
CLASS_GROUP = -1001000007501


@pytest.fixture
async def readers(bot: BotApplication, driver: Driver) -> dict[str, int]:
    """A linked 6A student (An) and a linked 7B student (Bình)."""
    set_clock(bot, NOW)
    db = bot.bot_data.db
    an = await add_reader(db, "HS7501", "Nguyễn Văn An", "6A")
    binh = await add_reader(db, "HS7502", "Trần Thị Bình", "7B")
    await link_directly(db, AN, an, NOW)
    await link_directly(db, BINH, binh, NOW)
    driver.user(AN, "An")
    return {"an": an, "binh": binh}


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def next_number(bot: BotApplication, prefix: str) -> str:
    return next_accession(prefix, await donations.all_accessions(bot.bot_data.db))


async def copy_row(bot: BotApplication, accession: str) -> JSON:
    row = await bot.bot_data.db.fetchone(
        "SELECT c.source, c.donor, c.status, c.acquired_on, t.title, t.author, t.kind,"
        " d.class_name, d.reader_id FROM copy c JOIN title t ON t.id = c.title_id"
        " LEFT JOIN donation d ON d.copy_id = c.id WHERE c.accession = ?",
        (accession,),
    )
    assert row is not None
    return dict(row)


async def donate_new_title(librarian: ChatUser) -> list[JSON]:
    """An (6A) gives "Bắt trẻ đồng xanh", a title the catalog lacks; return the last answers."""
    assert "Ai tặng sách" in text_of(await librarian.send("/tangsach"))
    donors = await librarian.send("an 6a")
    await librarian.press(donors[-1], "Nguyễn Văn An")
    found = await librarian.send("Bắt trẻ đồng xanh")
    asked = await librarian.press(found[-1], "Đầu sách mới")
    assert "tác giả" in text_of(asked.messages)
    numbers = await librarian.send("J. D. Salinger")
    confirm = await librarian.press(numbers[-1], data="tg:a:0")
    assert "Kiểm tra lại" in text_of(confirm.messages)
    return (await librarian.press(confirm.messages[-1], texts.BUTTON_DONATION_SAVE)).messages


async def test_a_donated_copy_of_a_new_title_is_catalogued_and_the_donor_thanked(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int], librarian: ChatUser
) -> None:
    expected = await next_number(bot, "TN-")
    saved = text_of(await donate_new_title(librarian))
    assert f"Đã ghi bản {expected}" in saved and "Nguyễn Văn An (6A)" in saved
    assert "Đã gửi lời cảm ơn" in saved
    copy = await copy_row(bot, expected)
    assert copy == {
        "source": "donated",
        "donor": "Nguyễn Văn An",
        "status": "on_shelf",
        "acquired_on": "2026-11-24",
        "title": "Bắt trẻ đồng xanh",
        "author": "J. D. Salinger",
        "kind": "Truyện",
        "class_name": "6A",
        "reader_id": readers["an"],
    }
    thanks = await wait_for_message(emulator, AN, lambda m: "Cảm ơn" in m["text"])
    assert "Bắt trẻ đồng xanh" in thanks["text"] and expected in thanks["text"]
    found = await search_titles(bot.bot_data.db, "bat tre dong xanh")
    assert [hit.title for hit in found.hits][:1] == ["Bắt trẻ đồng xanh"]


async def test_a_donor_outside_the_reader_list_gives_a_copy_of_a_title_already_there(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int], librarian: ChatUser
) -> None:
    await librarian.send("/tangsach")
    donors = await librarian.send("Phụ huynh em Lan")
    assert "Không có bạn đọc nào khớp" in text_of(donors)
    asked = await librarian.press(donors[-1], "Ghi tên")
    assert "học lớp nào" in text_of(asked.messages)
    assert "không phải tên một lớp" in text_of(await librarian.send("lớp 12"))
    await librarian.send("7b")
    found = await librarian.send("de men phieu luu ky")
    picked = await librarian.press(found[-1], data=librarian.buttons(found[-1])[0][1])
    assert "Số ĐKCB" in text_of(picked.messages)
    assert "không phải số ĐKCB" in text_of(await librarian.send("xin chào"))
    assert "đã là của bản sách khác" in text_of(await librarian.send("TN-00001"))
    expected = await next_number(bot, "STK-")
    offered = await librarian.send("stk")
    assert [label for label, _ in librarian.buttons(offered[-1])] == [expected]
    confirm = await librarian.press(offered[-1], expected)
    saved = await librarian.press(confirm.messages[-1], texts.BUTTON_DONATION_SAVE)
    assert "Phụ huynh em Lan (7B)" in text_of(saved.messages)
    assert "cảm ơn" not in text_of(saved.messages)
    copy = await copy_row(bot, expected)
    assert (copy["source"], copy["donor"], copy["class_name"], copy["reader_id"]) == (
        "donated",
        "Phụ huynh em Lan",
        "7B",
        None,
    )
    assert copy["title"].startswith("Dế Mèn phiêu lưu ký")

    more = await librarian.press(saved.messages[-1], "Ghi tiếp")
    assert "Phụ huynh em Lan" in text_of(more.messages) and "Sách gì" in text_of(more.messages)
    await librarian.send("/huy")


async def test_the_monthly_board_reaches_the_class_groups_once(
    bot: BotApplication,
    emulator: Emulator,
    driver: Driver,
    readers: dict[str, int],
    librarian: ChatUser,
) -> None:
    db = bot.bot_data.db
    emulator.add_group(CLASS_GROUP, "Lớp 6A", member_ids=[AN], admin_ids=[LIBRARIAN_ID])
    await groups.register_group(
        db,
        chat_id=CLASS_GROUP,
        kind=groups.CLASS,
        title="Lớp 6A",
        registered_by=LIBRARIAN_ID,
        now=NOW,
        class_name="6A",
        grade=6,
    )
    started = text_of(await librarian.send("/quyengop batdau 15/12/2026"))
    assert "từ 24/11/2026 đến 15/12/2026" in started and "Đã gửi tới 1 nhóm lớp" in started
    await wait_for_message(emulator, CLASS_GROUP, lambda m: "phát động" in m["text"])
    await donate_new_title(librarian)

    set_clock(bot, BOARD_DAY)
    assert await board_jobs.post_boards(bot.bot_data, BOARD_DAY) == 1
    assert await board_jobs.post_boards(bot.bot_data, BOARD_DAY) == 0
    board = await wait_for_message(
        emulator, CLASS_GROUP, lambda m: "Bảng vinh danh tháng" in m["text"]
    )
    assert "tháng 11/2026" in board["text"] and "🥇 Lớp 6A: 1 cuốn" in board["text"]
    assert "Nguyễn Văn An (6A): 1 cuốn" in board["text"]
    assert (
        await db.fetchval(
            "SELECT count(*) FROM outbox WHERE key = ?", (f"donations:2026-11:{CLASS_GROUP}",)
        )
        == 1
    )
    an = driver.user(AN, "An")
    assert "Lớp 6A: 1 cuốn" in text_of(await an.send("/quyengop", CLASS_GROUP))

    assert texts.NOT_ALLOWED in text_of(await an.send("/quyengop ketthuc"))
    ended = text_of(await librarian.send("/quyengop ketthuc"))
    assert "Đã kết thúc đợt quyên góp (từ 24/11/2026 đến 30/11/2026)" in ended
    assert "Bảng vinh danh đã gửi" not in ended
    set_clock(bot, datetime(2026, 12, 1, 9, 0, tzinfo=HANOI))
    assert await donations.current_drive(db, datetime(2026, 12, 1).date()) is None
    assert "Không có đợt" in text_of(await librarian.send("/quyengop ketthuc"))


async def test_students_cannot_record_donations_or_run_the_drive(
    bot: BotApplication,
    emulator: Emulator,
    driver: Driver,
    readers: dict[str, int],
    librarian: ChatUser,
) -> None:
    an = driver.user(AN, "An")
    assert texts.NOT_ALLOWED in text_of(await an.send("/tangsach"))
    assert texts.NOT_ALLOWED in text_of(await an.send("/quyengop batdau"))
    listing = (await librarian.send("/tangsach"))[-1]
    forged_save = await an.press(listing, data="tg:ok", forge=True)
    assert forged_save.answer == texts.BUTTON_EXPIRED
    forged_more = await an.press(listing, data="tg:more", forge=True)
    assert forged_more.answer == texts.NOT_ALLOWED
    assert "Bấm một số gợi ý" not in text_of(emulator.messages(AN))
    assert await bot.bot_data.db.fetchval("SELECT count(*) FROM donation") == 0
    assert await bot.bot_data.db.fetchval("SELECT count(*) FROM donation_drive") == 0


async def test_save_pressed_on_a_message_without_buttons_still_confirms(
    bot: BotApplication, readers: dict[str, int], librarian: ChatUser
) -> None:
    bare = (await librarian.send("/tangsach"))[-1]
    donors = await librarian.send("Phụ huynh em Lan")
    await librarian.press(donors[-1], "Ghi tên")
    await librarian.send("7b")
    found = await librarian.send("de men phieu luu ky")
    picked = await librarian.press(found[-1], data=librarian.buttons(found[-1])[0][1])
    expected = await next_number(bot, "STK-")
    offered = await librarian.send("stk")
    await librarian.press(offered[-1], expected)
    # The press comes from a message that never had buttons: taking them off changes nothing.
    assert not librarian.buttons(bare)
    saved = await librarian.press(bare, data="tg:ok", forge=True)
    assert f"Đã ghi bản {expected}" in text_of(saved.messages)
    assert (await copy_row(bot, expected))["donor"] == "Phụ huynh em Lan"
    assert picked.messages
