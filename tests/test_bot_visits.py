"""End to end: the desk QR counts a reader once a day; the librarian counts walk-ins by class."""

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.__main__ import main
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from tests.helpers import add_reader, link_directly, set_clock, text_of
from tests.test_printing import read_pages

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
STUDENT, STRANGER = 7301, 7302


@pytest.fixture
async def student(bot: BotApplication, driver: Driver) -> ChatUser:
    set_clock(bot, TUESDAY)
    reader_id = await add_reader(bot.bot_data.db, "HS9301", "Lê Gia Bảo", "6A")
    await link_directly(bot.bot_data.db, STUDENT, reader_id, TUESDAY)
    return driver.user(STUDENT, "Bảo")


@pytest.fixture
def librarian(bot: BotApplication, driver: Driver) -> ChatUser:
    set_clock(bot, TUESDAY)
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def visit_days(bot: BotApplication) -> list[str]:
    rows = await bot.bot_data.db.fetchall("SELECT day FROM visit ORDER BY day")
    return [row[0] for row in rows]


async def walk_ins(bot: BotApplication) -> list[tuple[str, str, int]]:
    rows = await bot.bot_data.db.fetchall(
        "SELECT day, class_name, visitors FROM visit_count ORDER BY id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


async def test_scanning_the_desk_qr_twice_a_day_counts_once(
    bot: BotApplication, student: ChatUser
) -> None:
    first = text_of(await student.send("/start visit"))
    assert "Đã ghi lượt đến thư viện" in first and "Lê Gia Bảo" in first
    assert "24/11/2026" in first
    again = text_of(await student.send("/start visit"))
    assert "đã được ghi rồi" in again
    assert await visit_days(bot) == ["2026-11-24"]

    set_clock(bot, TUESDAY + timedelta(days=1))
    assert "Đã ghi lượt đến" in text_of(await student.send("/start visit"))
    assert await visit_days(bot) == ["2026-11-24", "2026-11-25"]


async def test_someone_without_a_linked_card_is_asked_to_link_it(
    bot: BotApplication, driver: Driver
) -> None:
    set_clock(bot, TUESDAY)
    stranger = driver.user(STRANGER, "Khách")
    answer = text_of(await stranger.send("/start visit"))
    assert "liên kết với thẻ bạn đọc" in answer
    assert await visit_days(bot) == []


async def test_the_librarian_counts_walk_ins_and_can_undo_them(
    bot: BotApplication, librarian: ChatUser
) -> None:
    await add_reader(bot.bot_data.db, "HS9302", "Trần Thu Hà", "7A1")
    counted = (await librarian.send("/luotdoc 6a 12"))[-1]
    assert "12 lượt đọc của lớp 6A ngày 24/11/2026" in counted["text"]
    earlier = text_of(await librarian.send("/luotdoc lớp 7a1 5 20/11"))
    assert "5 lượt đọc của lớp 7A1 ngày 20/11/2026" in earlier
    assert await walk_ins(bot) == [("2026-11-24", "6A", 12), ("2026-11-20", "7A1", 5)]

    undone = await librarian.press(counted, texts.BUTTON_UNDO_WALK_INS)
    assert "Đã hoàn tác" in text_of(undone.messages)
    assert await walk_ins(bot) == [("2026-11-20", "7A1", 5)]
    data = counted["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    twice = await librarian.press(counted, data=data, forge=True)
    assert twice.show_alert and twice.answer == texts.WALK_INS_GONE
    assert await walk_ins(bot) == [("2026-11-20", "7A1", 5)]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/luotdoc", "Ghi lượt đọc của học sinh chưa có tài khoản"),
        ("/luotdoc 6A", "Ghi lượt đọc của học sinh chưa có tài khoản"),
        ("/luotdoc xyz 12", "không phải tên lớp"),
        ("/luotdoc 🙂 12", "không phải tên lớp"),
        ("/luotdoc " + "6" * 4000 + " 12", "không phải tên lớp"),
        ("/luotdoc 6A 500", "từ 1 đến 200"),
        ("/luotdoc 6A 0", "từ 1 đến 200"),
        ("/luotdoc 6A mười", "từ 1 đến 200"),
        ("/luotdoc 6A 12 31/02", "Không đọc được ngày"),
        ("/luotdoc 6A 12 25/12/2026", "chưa đến"),
        ("/luotdoc 6A 12 01/01/2025", "hơn một năm"),
    ],
)
async def test_walk_in_mistakes_get_a_clear_answer_and_write_nothing(
    bot: BotApplication, librarian: ChatUser, command: str, answer: str
) -> None:
    reply = text_of(await librarian.send(command))
    assert answer in reply and len(reply) < 400
    assert await walk_ins(bot) == []


async def test_a_student_may_not_count_walk_ins_nor_undo_a_count(
    bot: BotApplication, student: ChatUser, librarian: ChatUser
) -> None:
    assert text_of(await student.send("/luotdoc 6A 12")) == texts.NOT_ALLOWED
    counted = (await librarian.send("/luotdoc 6A 30"))[-1]
    data = counted["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    forged = await student.press(counted, data=data, forge=True)
    assert forged.show_alert and forged.answer == texts.NOT_ALLOWED
    assert await walk_ins(bot) == [("2026-11-24", "6A", 30)]


def test_the_desk_qr_sheet_scans_to_the_visit_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[telegram]\nbot_username = "thuvien_truong_bot"\n'
        '[library]\nname = "Thư viện Hoa Phượng"\nschool = "Trường THCS Nguyễn Du"\n',
        encoding="utf-8",
    )
    output = tmp_path / "ban-doc.pdf"
    assert main(["desk-qr", "--config", str(config), "--output", str(output)]) == 0
    assert str(output) in capsys.readouterr().out
    pages = read_pages(output.read_bytes())
    assert len(pages) == 1
    assert pages[0].codes == ("https://t.me/thuvien_truong_bot?start=visit",)
    assert pages[0].code_widths_mm[0] > 100
    assert "Quét mã để ghi lượt đến thư viện" in pages[0].text
    assert "TRƯỜNG THCS NGUYỄN DU" in pages[0].text
