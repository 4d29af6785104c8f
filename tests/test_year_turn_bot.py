"""End to end: the librarian turns the school year in chat; leavers, their books and the recall."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from bot import texts
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import year_turn as recall_job
from bot.reader_import import import_readers
from bot.services.year_turn import apply_turn
from db import accounts, groups
from db.connection import Database
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TURN_DAY = datetime(2027, 9, 6, 9, 0, tzinfo=HANOI)
AN, HA, TEACHER, STRANGER = 8101, 8102, 8104, 8109
GROUP_9A, GROUP_6A = -1008190001, -1008190002


def text(message: dict) -> str:
    return str(message.get("text") or message.get("caption") or "")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HANOI)


async def lend_directly(
    db: Database, reader_id: int, kind: str, due: date, *, whole_year: bool = False
) -> tuple[str, str]:
    """Put an open loan of a book of this kind on the reader; return (accession, title)."""
    row = await db.fetchone(
        "SELECT c.id, c.accession, t.title FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = ? AND c.status = 'on_shelf' ORDER BY c.id LIMIT 1",
        (kind,),
    )
    assert row is not None
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, whole_year)"
            " VALUES (?, ?, 'open', ?, ?, ?)",
            (row[0], reader_id, "2026-09-10", due.isoformat(), int(whole_year)),
        )
        await conn.execute("UPDATE copy SET status = 'on_loan' WHERE id = ?", (row[0],))
    return str(row[1]), str(row[2])


@dataclass(frozen=True)
class School:
    """The readers of the fixture and Hà's two loans (accession, title)."""

    an: int
    ha: int
    teacher: int
    story: tuple[str, str]
    textbook: tuple[str, str]


@pytest.fixture
async def school(bot: BotApplication, driver: Driver, emulator: Emulator) -> School:
    """Two 9A students (one linked, holding two books), a linked 6A student, 9A's teacher,
    and the class groups of 9A and 6A, on the first Monday of school year 2027-2028."""
    set_clock(bot, TURN_DAY)
    db = bot.bot_data.db
    an = await add_reader(db, "HS8101", "Nguyễn Minh An", "6A")
    ha = await add_reader(db, "HS8102", "Trần Thu Hà", "9A")
    await add_reader(db, "HS8103", "Lê Văn Bình", "9A")
    teacher = await add_reader(
        db, "GV8104", "Phạm Thu Hương", category="teacher", homeroom_class="9A"
    )
    driver.user(LIBRARIAN_ID, "Cô Lan")
    for user_id, reader_id in ((AN, an), (HA, ha), (TEACHER, teacher), (8105, None)):
        driver.user(user_id, f"Người {user_id}")
        if reader_id is not None:
            await link_directly(db, user_id, reader_id, TURN_DAY - timedelta(days=300))
    story = await lend_directly(db, ha, "STK", date(2027, 5, 20))
    textbook = await lend_directly(db, ha, "SGK", date(2027, 5, 25), whole_year=True)
    for chat_id, class_name, grade in ((GROUP_9A, "9A", 9), (GROUP_6A, "6A", 6)):
        emulator.add_group(chat_id, f"Lớp {class_name}", member_ids=[TEACHER, LIBRARIAN_ID])
        await groups.register_group(
            db,
            chat_id=chat_id,
            kind=groups.CLASS,
            title=f"Lớp {class_name}",
            registered_by=TEACHER,
            now=TURN_DAY,
            class_name=class_name,
            grade=grade,
        )
    return School(an, ha, teacher, story, textbook)


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def class_of(db: Database, code: str) -> tuple[str, int, str | None]:
    row = await db.fetchone(
        "SELECT class_name, active, left_on FROM reader WHERE code = ?", (code,)
    )
    assert row is not None
    return row[0], row[1], row[2]


async def outbox_size(db: Database) -> int:
    return int(await db.fetchval("SELECT count(*) FROM outbox"))


async def test_the_librarian_previews_and_confirms_the_new_year_once(
    bot: BotApplication,
    driver: Driver,
    emulator: Emulator,
    school: School,
    librarian: ChatUser,
) -> None:
    db = bot.bot_data.db
    student = driver.user(AN, "An")
    refused = await student.send("/namhocmoi")
    assert texts.NOT_ALLOWED in text_of(refused)

    answer = await librarian.send("/namhocmoi")
    preview = next(m for m in answer if "XEM TRƯỚC" in (m.get("text") or ""))
    assert "năm học 2027-2028" in preview["text"]
    assert "Lên lớp: 1 (6→7: 1)" in preview["text"]
    assert "Ra trường: 2 (học xong lớp 9: 2" in preview["text"]
    assert "còn giữ sách: 1 em, 2 cuốn (sách giáo khoa mượn cả năm: 1)" in preview["text"]
    assert "1 nhóm lên lớp mới, 1 nhóm thôi nhận tin" in preview["text"]
    assert len(preview["text"]) < 4096
    details = next(m for m in answer if m.get("document"))
    assert details["document"]["file_name"] == "chuyen-nam-hoc-2027-2028.txt"
    async with httpx.AsyncClient() as client:
        response = await client.get(
            f"{emulator.root_url}/_emu/files/{details['document']['file_id']}"
        )
    listing = response.content.decode("utf-8")
    assert "HS8101 Nguyễn Minh An: 6A → 7A" in listing
    assert "HS8103 Lê Văn Bình (9A): học xong lớp 9" in listing
    assert f"{school.story[0]} {school.story[1]}" in listing
    assert "Nhóm lớp 9A: thôi nhận tin" in listing
    # The preview changed nothing.
    assert await class_of(db, "HS8101") == ("6A", 1, None)
    assert await class_of(db, "HS8102") == ("9A", 1, None)
    before = await outbox_size(db)

    confirm_data = next(data for label, data in librarian.buttons(preview) if "Xác nhận" in label)
    forged = await librarian.press(preview, data="yt:2027:0123456789", forge=True)
    assert "Dữ liệu đã thay đổi" in (forged.answer or "") and forged.show_alert
    intruder = await student.press(refused[-1], data=confirm_data, forge=True)
    assert texts.NOT_ALLOWED in (intruder.answer or "")
    assert await class_of(db, "HS8101") == ("6A", 1, None)
    assert await outbox_size(db) == before

    applied = await librarian.press(preview, "Xác nhận")
    assert any("Đã chuyển sang năm học 2027-2028" in text(m) for m in applied.messages)
    assert await class_of(db, "HS8101") == ("7A", 1, None)
    assert await class_of(db, "HS8102") == ("9A", 0, "2027-09-06")
    assert await class_of(db, "HS8103") == ("9A", 0, "2027-09-06")
    assert await db.fetchval("SELECT homeroom_class FROM reader WHERE code = 'GV8104'") == ""
    moved = await groups.get_group(db, GROUP_6A)
    assert moved is not None and (moved.class_name, moved.grade) == ("7A", 7)
    assert await groups.get_group(db, GROUP_9A) is None
    after = await outbox_size(db)

    again = await librarian.press(preview, data=confirm_data, forge=True)
    assert "đã được chuyển rồi" in (again.answer or "")
    assert await outbox_size(db) == after
    assert await db.fetchval("SELECT count(*) FROM year_turn") == 1
    assert await class_of(db, "HS8101") == ("7A", 1, None)

    story_accession, story_title = school.story
    textbook_accession = school.textbook[0]
    homeroom = await wait_for_message(emulator, TEACHER, lambda m: "ra trường" in text(m))
    assert "Trần Thu Hà" in homeroom["text"] and story_accession in homeroom["text"]
    assert textbook_accession in homeroom["text"] and "Lê Văn Bình" not in homeroom["text"]
    mine = await wait_for_message(emulator, HA, lambda m: "hoàn thành chương trình" in text(m))
    assert story_title[:30] in mine["text"]
    report = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "em ra trường" in text(m))
    assert "2 em ra trường" in report["text"] and story_accession in report["text"]
    retired = await wait_for_message(emulator, GROUP_9A, lambda m: "không còn nữa" in text(m))
    assert "lớp 9A" in retired["text"]
    await wait_for_message(emulator, GROUP_6A, lambda m: "lên lớp 7A" in text(m))


async def test_cancel_changes_nothing(
    bot: BotApplication, school: School, librarian: ChatUser
) -> None:
    answer = await librarian.send("/namhocmoi 2027-2028")
    preview = next(m for m in answer if "XEM TRƯỚC" in (m.get("text") or ""))
    in_group = text_of(await librarian.send("/namhocmoi", GROUP_6A))
    assert "tin nhắn riêng" in in_group and "Nguyễn Minh An" not in in_group
    cancelled = await librarian.press(preview, "Hủy")
    assert texts.YEAR_TURN_CANCELLED in text_of(cancelled.messages)
    assert await class_of(bot.bot_data.db, "HS8101") == ("6A", 1, None)
    assert "chưa tới" in text_of(await librarian.send("/namhocmoi 2028-2029"))
    assert "không đúng" in text_of(await librarian.send("/namhocmoi 2027/2029 😀"))


async def test_a_leaver_cannot_borrow_or_link_and_a_promoted_student_is_found_in_the_new_class(
    bot: BotApplication, driver: Driver, school: School, librarian: ChatUser
) -> None:
    db, config = bot.bot_data.db, bot.bot_data.config
    report = await apply_turn(db, config, "2027-2028", TURN_DAY)
    assert report.changes_made
    title_id, accession = await single_copy_title(db)

    leaver = driver.user(HA, "Hà")
    card = (await leaver.send(f"/start book_{title_id}"))[-1]
    asked = await leaver.press(card, texts.BUTTON_BORROW)
    assert "Em đã ra trường" in text_of(asked.messages)
    assert await db.fetchval("SELECT count(*) FROM request") == 0
    own = text_of(await leaver.send("/sachcuatoi"))
    assert school.story[0] in own

    token = await accounts.issue_link_token(db, school.ha, TURN_DAY, timedelta(days=3))
    newcomer_phone = driver.user(STRANGER, "Máy mới")
    linking = await newcomer_phone.send(f"/start link_{token.token}")
    assert texts.LINK_REFUSED["left"] in text_of(linking)
    assert (await accounts.identity_of(db, STRANGER, config_librarian=False)).reader_id is None
    assert "đã ra trường" in text_of(await librarian.send("/lienket HS8102"))

    await librarian.send(f"/chomuon {accession}")
    desk = text_of(await librarian.send("Trần Thu Hà"))
    assert "đã ra trường ngày 06/09/2027" in desk and "không cho mượn" in desk
    loans_of_copy = await db.fetchval(
        "SELECT count(*) FROM loan l JOIN copy c ON c.id = l.copy_id WHERE c.accession = ?",
        (accession,),
    )
    assert loans_of_copy == 0

    await librarian.send(f"/chomuon {accession}")
    lent = text_of(await librarian.send("An 7A"))
    assert "Nguyễn Minh An" in lent and "(7A)" in lent

    returned = text_of(await librarian.send(f"/tra {school.story[0]}"))
    assert "Trần Thu Hà" in returned


async def single_copy_title(db: Database) -> tuple[int, str]:
    row = await db.fetchone(
        "SELECT c.title_id, c.accession FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = 'STK' AND c.status = 'on_shelf'"
        " GROUP BY c.title_id HAVING count(*) = 1 ORDER BY c.title_id LIMIT 1"
    )
    assert row is not None
    return int(row[0]), str(row[1])


def staff_list(path: Path) -> Path:
    """A staff list as schools keep it: title rows, a merged heading, a GVCN column, a footer."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TRƯỜNG THCS NGUYỄN DU"])
    sheet.append(["DANH SÁCH CÁN BỘ, GIÁO VIÊN NĂM HỌC 2027-2028"])
    sheet.merge_cells("A2:E2")
    sheet.append([])
    sheet.append(["STT", "Mã CB", "Họ và tên", "Môn dạy", "Chủ nhiệm lớp"])
    sheet.append([1, "GV8105", "Đỗ Văn Nam", "Toán", "7A"])
    sheet.append([2, "GV8104", "Phạm Thu Hương", "Ngữ văn", "6A"])
    sheet.append(["Tổng số: 2"])
    book.save(path)
    return path


def class_list(path: Path) -> Path:
    """The new 6A: a newcomer, no code column name surprises, the class in the title."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["DANH SÁCH HỌC SINH LỚP 6A NĂM HỌC 2027-2028"])
    sheet.append(["STT", "Mã học sinh", "Họ và tên", "Ngày sinh"])
    sheet.append([1, "HS8201", "Võ Ngọc Mai", "03/04/2016"])
    book.save(path)
    return path


async def test_lists_imported_after_the_turn_set_homerooms_and_the_recall_starts_on_25_5(
    bot: BotApplication,
    driver: Driver,
    emulator: Emulator,
    school: School,
    tmp_path: Path,
) -> None:
    db, config = bot.bot_data.db, bot.bot_data.config
    assert (await apply_turn(db, config, "2027-2028", TURN_DAY)).changes_made
    staff = await import_readers(db, staff_list(tmp_path / "can-bo.xlsx"))
    pupils = await import_readers(db, class_list(tmp_path / "lop-6a.xlsx"))
    assert staff.written and pupils.written, (staff.render(), pupils.render())
    assert await class_of(db, "HS8201") == ("6A", 1, None)
    new_teacher = await db.fetchval("SELECT id FROM reader WHERE code = 'GV8105'")
    await link_directly(db, 8105, int(new_teacher), TURN_DAY)
    assert await db.fetchval("SELECT homeroom_class FROM reader WHERE code = 'GV8104'") == "6A"
    # An, now in 7A, gets her textbook for the year.
    textbook, _ = await lend_directly(db, school.an, "SGK", date(2028, 5, 25), whole_year=True)

    set_clock(bot, at(date(2028, 5, 24)))
    assert not (await recall_job.send_recall(bot.bot_data)).running
    set_clock(bot, at(date(2028, 5, 25)))
    first = await recall_job.send_recall(bot.bot_data)
    assert first.running and (first.readers, first.teachers, first.librarians) == (2, 2, 1)

    student = await wait_for_message(emulator, AN, lambda m: "Thu hồi sách" in text(m))
    assert textbook in student["text"] and "Em mang trả" in student["text"]
    assert "25/05/2028" in student["text"]
    leaver = await wait_for_message(emulator, HA, lambda m: "Thu hồi sách" in text(m))
    assert "đã ra trường" in leaver["text"] and school.story[0] in leaver["text"]
    homeroom = await wait_for_message(emulator, 8105, lambda m: "lớp 7A" in text(m))
    assert "Nguyễn Minh An" in homeroom["text"] and textbook in homeroom["text"]
    old_teacher = await wait_for_message(
        emulator, TEACHER, lambda m: "Thu hồi sách" in text(m) and "lớp cũ" in text(m)
    )
    assert "Trần Thu Hà" in old_teacher["text"]
    summary = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Bắt đầu thu hồi sách" in text(m)
    )
    assert "Trần Thu Hà" in summary["text"]

    set_clock(bot, at(date(2028, 5, 26)))
    again = await recall_job.send_recall(bot.bot_data)
    assert (again.readers, again.teachers, again.librarians) == (0, 0, 0)
    recall_texts = [m for m in emulator.messages(AN) if "Thu hồi sách" in text(m)]
    assert len(recall_texts) == 1

    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    listing = text_of(await librarian.send("/thuhoi"))
    assert textbook in listing and "đã ra trường còn giữ sách" in listing
