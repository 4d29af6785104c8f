"""End to end: readers suggest books, similar ones merge, the librarian decides and exports."""

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
from tests.helpers import JSON, add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
AN, BINH, STRANGER = 7401, 7402, 7403


@pytest.fixture
async def students(bot: BotApplication, driver: Driver) -> dict[str, ChatUser]:
    """Two linked students of 6A and 7B."""
    set_clock(bot, NOW)
    db = bot.bot_data.db
    for user_id, code, name, class_name in (
        (AN, "HS7401", "Nguyễn Văn An", "6A"),
        (BINH, "HS7402", "Trần Thị Bình", "7B"),
    ):
        reader_id = await add_reader(db, code, name, class_name)
        await link_directly(db, user_id, reader_id, NOW)
    return {"an": driver.user(AN, "An"), "binh": driver.user(BINH, "Bình")}


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def suggest(student: ChatUser, title: str, author: str, reason: str | None) -> str:
    """Go through /degoisach; reason None presses «Bỏ qua»; return the bot's last answer."""
    assert "tên sách" in text_of(await student.send("/degoisach"))
    asked = await student.send(title)
    assert "tác giả" in text_of(asked)
    asked = await student.send(author)
    assert "Vì sao" in text_of(asked)
    if reason is None:
        return text_of((await student.press(asked[-1], texts.BUTTON_SKIP)).messages)
    return text_of(await student.send(reason))


async def votes(bot: BotApplication) -> list[tuple[str, int]]:
    rows = await bot.bot_data.db.fetchall(
        "SELECT s.title, count(v.reader_id) FROM suggestion s"
        " LEFT JOIN suggestion_vote v ON v.suggestion_id = s.id GROUP BY s.id ORDER BY s.id"
    )
    return [(row[0], row[1]) for row in rows]


async def download(emulator: Emulator, document: JSON) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.root_url}/_emu/files/{document['file_id']}")
    response.raise_for_status()
    return response.content


async def test_the_same_book_in_another_spelling_merges_and_each_reader_counts_once(
    bot: BotApplication, students: dict[str, ChatUser]
) -> None:
    first = await suggest(students["an"], "Bắt trẻ đồng xanh", "J. D. Salinger", None)
    assert "đã có 1 người đề xuất cuốn này" in first and "Cảm ơn em!" in first
    again = await suggest(students["an"], "bat tre dong xanh", "bỏ qua", "Truyện hay")
    assert "Em đã đề xuất cuốn Bắt trẻ đồng xanh rồi" in again
    assert "đã có 1 người đề xuất cuốn này" in again
    other = await suggest(students["binh"], "BAT TRE DONG  XANH", "Salinger", "Cô giới thiệu")
    assert "đã có 2 người đề xuất cuốn này" in other
    assert await votes(bot) == [("Bắt trẻ đồng xanh", 2)]
    author = await bot.bot_data.db.fetchval("SELECT author FROM suggestion")
    assert author == "J. D. Salinger"


async def test_a_teacher_is_asked_as_co_and_a_student_as_em_throughout(
    bot: BotApplication, driver: Driver, students: dict[str, ChatUser]
) -> None:
    db = bot.bot_data.db
    teacher_id = await add_reader(db, "GV7410", "Phạm Thu Hương", category="teacher")
    async with db.transaction() as conn:
        await conn.execute("UPDATE reader SET gender = 'Nữ' WHERE id = ?", (teacher_id,))
    await link_directly(db, 7410, teacher_id, NOW)
    teacher = driver.user(7410, "Hương")
    asked = text_of(await teacher.send("/degoisach"))
    assert asked.splitlines()[1].startswith("Cô muốn thư viện mua cuốn sách nào?")
    assert "nếu cô đổi ý" in asked
    assert "nếu cô không nhớ" in text_of(await teacher.send("Dạy học qua dự án"))
    assert "Vì sao cô muốn đọc" in text_of(await teacher.send("bỏ qua"))
    thanked = text_of(await teacher.send("Chuẩn bị cho tổ chuyên môn"))
    assert "Cảm ơn cô!" in thanked and "thư viện sẽ báo cô" in thanked

    student = text_of(await students["an"].send("/degoisach"))
    assert "Em muốn thư viện mua" in student and "nếu em đổi ý" in student
    for text in (asked, thanked, student):
        assert "bạn " not in text.replace("bạn đọc", "")


async def test_the_librarian_orders_the_most_wanted_book_and_every_suggester_is_told(
    bot: BotApplication,
    emulator: Emulator,
    students: dict[str, ChatUser],
    librarian: ChatUser,
) -> None:
    await suggest(students["an"], "Bắt trẻ đồng xanh", "bỏ qua", None)
    await suggest(students["binh"], "bat tre dong xanh", "J. D. Salinger", "Muốn đọc thử")
    await suggest(students["binh"], "Mật mã Tây Tạng", "Hà Mã", None)

    listing = (await librarian.send("/degoisach"))[-1]
    assert "2 chờ quyết định" in listing["text"]
    lines = listing["text"].splitlines()
    assert "Bắt trẻ đồng xanh" in lines[2] and "2 người đề xuất" in lines[2]
    assert "Mật mã Tây Tạng" in lines[3]
    suggestion_id = await bot.bot_data.db.fetchval(
        "SELECT id FROM suggestion WHERE title = 'Bắt trẻ đồng xanh'"
    )
    pressed = await librarian.press(listing, f"Mua #{suggestion_id}")
    assert "Đã đặt mua — đã báo cho 2 người đề xuất" in text_of(pressed.messages)
    for chat in (AN, BINH):
        notice = await wait_for_message(emulator, chat, lambda m: "đã đặt mua" in m["text"])
        assert "Bắt trẻ đồng xanh" in notice["text"]
    assert (
        await bot.bot_data.db.fetchval(
            "SELECT count(*) FROM outbox WHERE key LIKE ?",
            (f"suggestion:{suggestion_id}:ordered:%",),
        )
        == 2
    )
    same = await librarian.press(listing, data=f"dx:{suggestion_id}:o", forge=True)
    assert same.answer == texts.SUGGESTION_SAME_DECISION

    exported = await librarian.press(listing, texts.BUTTON_SUGGESTION_EXPORT)
    assert exported.answer is None
    document = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "document" in m)
    assert document["document"]["file_name"] == "de-xuat-mua-sach-24-11-2026.xlsx"
    book = load_workbook(io.BytesIO(await download(emulator, document["document"])))
    sheet = book.active
    assert sheet is not None
    assert sheet["A1"].value == "TRƯỜNG THCS NGUYỄN DU"
    assert sheet["A3"].value == "DANH SÁCH ĐỀ NGHỊ BỔ SUNG SÁCH"
    assert "24/11/2026" in str(sheet["A4"].value)
    header = [cell.value for cell in sheet[6]]
    assert header == list(texts.SUGGESTION_XLSX_COLUMNS)
    ordered = [cell.value for cell in sheet[7]]
    assert ordered[1:6] == ["Bắt trẻ đồng xanh", "J. D. Salinger", None, 2, "Đã đặt mua"]
    assert ordered[6].date() == NOW.date() and sheet["G7"].number_format == "DD/MM/YYYY"
    assert ordered[8] == "Muốn đọc thử" and ordered[9] is None
    assert sheet["B8"].value == "Mật mã Tây Tạng" and sheet["F8"].value == "Chờ quyết định"


async def test_a_title_typed_without_accents_is_listed_with_the_catalogs_spelling(
    bot: BotApplication,
    emulator: Emulator,
    students: dict[str, ChatUser],
    librarian: ChatUser,
) -> None:
    db = bot.bot_data.db
    held = await db.fetchval(
        "SELECT count(*) FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.title = 'Dế Mèn phiêu lưu ký' AND c.status NOT IN ('lost', 'withdrawn')"
    )
    assert held >= 1
    saved = await suggest(students["an"], "de men phieu luu", "to hoai", "Muốn đọc lại")
    assert "de men phieu luu" in saved
    await suggest(students["binh"], "Mat ma tay tang", "bỏ qua", None)
    assert await votes(bot) == [("de men phieu luu", 1), ("Mat ma tay tang", 1)]

    listing = (await librarian.send("/degoisach"))[-1]
    lines = listing["text"].splitlines()
    dế_mèn = next(line for line in lines if "de men phieu luu" in line)
    assert f"📚 Dế Mèn phiêu lưu ký: đã có trong thư viện: {held} bản" in dế_mèn
    tây_tạng = next(line for line in lines if "Mat ma tay tang" in line)
    assert "📚" not in tây_tạng and "đã có" not in tây_tạng

    await librarian.press(listing, texts.BUTTON_SUGGESTION_EXPORT)
    document = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "document" in m)
    sheet = load_workbook(io.BytesIO(await download(emulator, document["document"]))).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=7, max_row=8, values_only=True)}
    assert rows["Dế Mèn phiêu lưu ký"][2:4] == ("Tô Hoài", held)
    assert rows["Dế Mèn phiêu lưu ký"][9] == "de men phieu luu"
    assert rows["Mat ma tay tang"][2:4] == (None, None)


async def test_students_and_forged_buttons_cannot_decide_or_export(
    bot: BotApplication,
    emulator: Emulator,
    students: dict[str, ChatUser],
    librarian: ChatUser,
) -> None:
    await suggest(students["an"], "Bắt trẻ đồng xanh", "bỏ qua", None)
    suggestion_id = await bot.bot_data.db.fetchval("SELECT id FROM suggestion")
    listing = (await librarian.send("/degoisach"))[-1]

    forged = await students["binh"].press(listing, data=f"dx:{suggestion_id}:d", forge=True)
    assert forged.answer == texts.NOT_ALLOWED and forged.show_alert
    exported = await students["binh"].press(listing, data="dx:xls", forge=True)
    assert exported.answer == texts.NOT_ALLOWED
    assert not [m for m in emulator.messages(BINH) if "document" in m]
    gone = await librarian.press(listing, data="dx:999999:o", forge=True)
    assert gone.answer == texts.SUGGESTION_GONE
    nonsense = await librarian.press(listing, data=f"dx:{suggestion_id}:z", forge=True)
    assert nonsense.answer == texts.BUTTON_EXPIRED
    assert await bot.bot_data.db.fetchval("SELECT status FROM suggestion") == "open"
    assert (
        await bot.bot_data.db.fetchval("SELECT count(*) FROM outbox WHERE key LIKE 'suggestion:%'")
        == 0
    )


async def test_bad_input_is_answered_and_nothing_is_written(
    bot: BotApplication, driver: Driver, students: dict[str, ChatUser]
) -> None:
    an = students["an"]
    await an.send("/degoisach")
    assert "dài quá" in text_of(await an.send("x" * 4000))
    assert "Chưa thấy tên sách" in text_of(await an.send("📚🙂"))
    in_library = await an.send("hoang tu be")
    assert "Thư viện đã có cuốn" in text_of(in_library)
    assert [label for label, _ in an.buttons(in_library[-1])] == [
        texts.BUTTON_SUGGESTION_SEE_TITLE
    ]
    await an.send("/degoisach")
    await an.send("Bắt trẻ đồng xanh")
    await an.send("/huy")
    stranger = driver.user(STRANGER, "Khách")
    assert "chưa liên kết" in text_of(await stranger.send("/degoisach"))
    assert await votes(bot) == []
