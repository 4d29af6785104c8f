"""End to end, as the law asks: parents' consent, withdrawal, /dulieucuatoi, who saw what."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from bot import texts
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from db import accounts, outbox
from db.connection import Database
from tests.helpers import (
    JSON,
    add_reader,
    link_directly,
    record_parent_consent,
    set_clock,
    text_of,
    wait_for_message,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
STUDENT, CLASSMATE, HOMEROOM, PRINCIPAL = 7301, 7302, 7303, 7304


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def card_link(librarian: ChatUser, code: str) -> str:
    """The token of a fresh link the librarian asks for (as printed on a card)."""
    caption = text_of(await librarian.send(f"/lienket {code}"))
    token = re.search(r"start=link_([A-Za-z0-9_-]+)", caption)
    assert token is not None, caption
    return token[1]


async def linked_reader(db: Database, user_id: int) -> int | None:
    return (await accounts.identity_of(db, user_id, config_librarian=False)).reader_id


async def consents(db: Database, reader_id: int) -> list[dict]:
    rows = await db.fetchall(
        "SELECT source, recorded_by, withdrawn_at, withdrawn_by FROM parent_consent"
        " WHERE reader_id = ? ORDER BY id",
        (reader_id,),
    )
    return [dict(row) for row in rows]


async def download(emulator: Emulator, document: JSON) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.root_url}/_emu/files/{document['file_id']}")
    response.raise_for_status()
    return response.content


async def test_a_student_without_a_parents_consent_cannot_link_a_phone(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS7301", "Lò Thị Mây", "6A")
    token = await card_link(librarian, "HS7301")
    student = driver.user(STUDENT, "Mây")
    answer = text_of(await student.send(f"/start link_{token}"))
    assert "phụ huynh" in answer and "đồng ý" in answer and "Đã liên kết" not in answer
    assert await linked_reader(db, STUDENT) is None
    unused = await db.fetchval("SELECT used_at FROM link_token WHERE token = ?", (token,))
    assert unused is None
    # What works without a linked account keeps working: searching the catalog.
    assert "Dế Mèn" in text_of(await student.send("de men"))
    # Once the parent's consent is recorded, the very same card links.
    await record_parent_consent(db, reader_id, TUESDAY)
    assert "Đã liên kết" in text_of(await student.send(f"/start link_{token}"))
    assert await linked_reader(db, STUDENT) == reader_id


async def test_a_teacher_links_without_any_parent_consent(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "GV7301", "Đinh Văn Tùng", category="teacher")
    token = await card_link(librarian, "GV7301")
    teacher = driver.user(HOMEROOM, "Thầy Tùng")
    assert "Đã liên kết" in text_of(await teacher.send(f"/start link_{token}"))
    assert await linked_reader(db, HOMEROOM) == reader_id
    assert await consents(db, reader_id) == []


async def test_the_librarian_records_consent_only_after_confirming(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS7302", "Vi Văn Sơn", "7B")
    asked = await librarian.send("/dongy HS7302")
    assert "Vi Văn Sơn" in text_of(asked)
    cancelled = await librarian.press(asked[-1], texts.BUTTON_CANCEL)
    assert texts.PRIVACY_CANCELLED in text_of(cancelled.messages)
    assert await consents(db, reader_id) == []
    asked = await librarian.send("/dongy HS7302")
    confirmed = await librarian.press(asked[-1], texts.BUTTON_CONSENT_YES)
    assert "Đã ghi nhận" in text_of(confirmed.messages)
    assert await consents(db, reader_id) == [
        {
            "source": "librarian",
            "recorded_by": LIBRARIAN_ID,
            "withdrawn_at": None,
            "withdrawn_by": None,
        }
    ]
    again = await librarian.press(
        (await librarian.send("/dongy HS7302"))[-1], texts.BUTTON_CONSENT_YES
    )
    assert "từ trước" in text_of(again.messages)
    assert len(await consents(db, reader_id)) == 1
    token = await card_link(librarian, "HS7302")
    assert "Đã liên kết" in text_of(await driver.user(STUDENT, "Sơn").send(f"/start link_{token}"))


async def test_a_homeroom_teacher_cannot_record_consent_for_another_class(
    bot: BotApplication, driver: Driver
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    teacher_id = await add_reader(
        db, "GV7302", "Hà Thị Thu", category="teacher", homeroom_class="6A"
    )
    await link_directly(db, HOMEROOM, teacher_id, TUESDAY)
    own = await add_reader(db, "HS7303", "Lục Văn Nam", "6A")
    other = await add_reader(db, "HS7304", "Nông Thị Hoa", "7C")
    teacher = driver.user(HOMEROOM, "Cô Thu")
    answer = await teacher.send("/dongy HS7304")
    refused = text_of(answer)
    assert "chủ nhiệm" in refused and "7C" in refused
    # A forged confirm button for the other class changes nothing either.
    forged = await teacher.press(answer[-1], data=f"pv:cy:{other}", forge=True)
    assert "7C" in text_of(forged.messages)
    assert await consents(db, other) == []
    asked = await teacher.send("/dongy HS7303")
    await teacher.press(asked[-1], texts.BUTTON_CONSENT_YES)
    assert await consents(db, own) == [
        {"source": "homeroom", "recorded_by": HOMEROOM, "withdrawn_at": None, "withdrawn_by": None}
    ]
    # A student may not record consent at all (not even for themselves).
    await link_directly(db, STUDENT, own, TUESDAY)
    student = driver.user(STUDENT, "Nam")
    assert texts.NOT_ALLOWED in text_of(await student.send("/dongy HS7304"))
    assert await consents(db, other) == []


async def test_withdrawing_consent_unlinks_at_once_and_stops_push(
    bot: BotApplication, driver: Driver, emulator: Emulator, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS7305", "Triệu Văn Đông", "8A")
    await link_directly(db, STUDENT, reader_id, TUESDAY)
    later = datetime.now(HANOI) + timedelta(seconds=2)
    async with db.transaction() as conn:
        await outbox.enqueue(
            conn,
            key="test:withdraw:reminder",
            chat_id=STUDENT,
            payload={"method": "sendMessage", "text": "Nhắc: sắp đến hạn trả sách"},
            not_before=later,
        )
    asked = await librarian.send("/rutdongy HS7305")
    assert "Triệu Văn Đông" in text_of(asked)
    done = await librarian.press(asked[-1], texts.BUTTON_WITHDRAW_YES)
    said = text_of(done.messages)
    assert "rút lại" in said and "hủy liên kết" in said and "1 tin" in said
    assert await linked_reader(db, STUDENT) is None
    row = await outbox.get(db, "test:withdraw:reminder")
    assert row is not None and row.status == "failed"
    [consent] = await consents(db, reader_id)
    assert consent["withdrawn_at"] is not None and consent["withdrawn_by"] == LIBRARIAN_ID
    student = driver.user(STUDENT, "Đông")
    assert "chưa liên kết" in text_of(await student.send("/sachcuatoi"))
    await student.send("/start")
    assert not any(
        "Nhắc: sắp đến hạn" in (m.get("text") or "") for m in emulator.messages(STUDENT)
    )
    # The student's old card does not link again without a new consent.
    token = await card_link(librarian, "HS7305")
    assert "phụ huynh" in text_of(await student.send(f"/start link_{token}"))
    assert await linked_reader(db, STUDENT) is None


async def seed_two_classmates(bot: BotApplication) -> tuple[int, int]:
    """Two students of 6A, each with a loan, a request and a suggestion of their own."""
    db = bot.bot_data.db
    mine = await add_reader(db, "HS7306", "Mã Thị Lan Anh", "6A")
    theirs = await add_reader(db, "HS7307", "Hầu Văn Páo", "6A")
    await link_directly(db, STUDENT, mine, TUESDAY)
    await link_directly(db, CLASSMATE, theirs, TUESDAY)
    rows = await db.fetchall(
        "SELECT c.id, t.id, t.title FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = 'STK' GROUP BY t.id ORDER BY t.id LIMIT 2"
    )
    async with db.transaction() as conn:
        for reader, (copy_id, title_id, _) in zip((mine, theirs), rows, strict=True):
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on)"
                " VALUES (?, ?, 'open', '2026-11-20', '2026-12-04')",
                (copy_id, reader),
            )
            await conn.execute("UPDATE copy SET status = 'on_loan' WHERE id = ?", (copy_id,))
            await conn.execute(
                "INSERT INTO request (reader_id, title_id, status, created_at)"
                " VALUES (?, ?, 'cancelled', '2026-11-19T02:00:00+00:00')",
                (reader, title_id),
            )
    return mine, theirs


async def test_my_data_shows_nothing_about_anyone_else(
    bot: BotApplication, driver: Driver
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    await seed_two_classmates(bot)
    titles = [
        row[0]
        for row in await db.fetchall(
            "SELECT t.title FROM loan l JOIN copy c ON c.id = l.copy_id"
            " JOIN title t ON t.id = c.title_id ORDER BY l.id"
        )
    ]
    student = driver.user(STUDENT, "Lan Anh")
    shown = text_of(await student.send("/dulieucuatoi"))
    assert "Mã Thị Lan Anh" in shown and "HS7306" in shown and "6A" in shown
    assert titles[0] in shown and "Đồng ý ngày 24/11/2026" in shown
    assert "Hầu Văn Páo" not in shown and "HS7307" not in shown and titles[1] not in shown
    stranger = driver.user(7399, "Người lạ")
    assert "chưa liên kết" in text_of(await stranger.send("/dulieucuatoi"))


async def test_the_librarian_answers_a_parent_with_a_file_and_it_is_logged(
    bot: BotApplication, driver: Driver, emulator: Emulator, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    await seed_two_classmates(bot)
    await librarian.send("/start")
    sent = await librarian.send("/dulieu HS7307")
    document = sent[-1]["document"]
    assert document["file_name"] == "du-lieu-HS7307.txt"
    content = (await download(emulator, document)).decode("utf-8-sig")
    assert "Hầu Văn Páo" in content and "Mã Thị Lan Anh" not in content
    assert "2 ngày làm việc" in content
    student = driver.user(STUDENT, "Lan Anh")
    assert texts.NOT_ALLOWED in text_of(await student.send("/dulieu HS7307"))
    log = await bot.bot_data.db.fetchall("SELECT done_by, action, reader_id FROM audit_log")
    assert [tuple(row) for row in log] == [
        (LIBRARIAN_ID, "reader_data", await reader_id_of(bot, "HS7307"))
    ]


async def reader_id_of(bot: BotApplication, code: str) -> int:
    return int(await bot.bot_data.db.fetchval("SELECT id FROM reader WHERE code = ?", (code,)))


async def test_the_principal_reads_who_exported_the_registers(
    bot: BotApplication, driver: Driver, emulator: Emulator, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    principal_reader = await add_reader(db, "GV7309", "Lương Văn Chính", category="teacher")
    await link_directly(db, PRINCIPAL, principal_reader, TUESDAY)
    identity = await accounts.identity_of(db, PRINCIPAL, config_librarian=False)
    assert identity.account_id is not None
    await accounts.grant_role(db, identity.account_id, "principal", LIBRARIAN_ID)
    await librarian.send("/start")
    menu = await librarian.send("/soluu")
    await librarian.press(menu[-1], "học sinh mượn")
    await wait_for_message(
        emulator,
        LIBRARIAN_ID,
        lambda m: (m.get("document") or {}).get("file_name", "").endswith(".xlsx"),
        wait=30,
    )
    principal = driver.user(PRINCIPAL, "Thầy Chính")
    answer = await principal.send("/nhatky")
    shown = text_of(answer)
    assert "Cô Lan" in shown and "xuất sổ" in shown and "24/11/2026" in shown
    assert answer[-1]["document"]["file_name"].endswith(".csv")
    table = (await download(emulator, answer[-1]["document"])).decode("utf-8-sig")
    assert "Cô Lan" in table and "xuất sổ" in table
    student_id = await add_reader(db, "HS7310", "Sầm Văn Tú", "9A")
    await link_directly(db, STUDENT, student_id, TUESDAY)
    assert texts.NOT_ALLOWED in text_of(await driver.user(STUDENT, "Tú").send("/nhatky"))


async def test_erasing_in_chat_asks_first_and_a_cancel_keeps_everything(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS7311", "Bế Thị Ngà", "9B")
    await link_directly(db, STUDENT, reader_id, TUESDAY)
    asked = await librarian.send("/xoadulieu HS7311")
    assert "Bế Thị Ngà" in text_of(asked) and "Không thể hoàn tác" in text_of(asked)
    await librarian.press(asked[-1], texts.BUTTON_CANCEL)
    assert await db.fetchval("SELECT full_name FROM reader WHERE id = ?", (reader_id,)) == (
        "Bế Thị Ngà"
    )
    assert await linked_reader(db, STUDENT) == reader_id
    asked = await librarian.send("/xoadulieu HS7311")
    done = await librarian.press(asked[-1], texts.BUTTON_FORGET_YES)
    assert f"AN-{reader_id:06d}" in text_of(done.messages)
    row = await db.fetchone(
        "SELECT code, full_name, forgotten_on FROM reader WHERE id = ?", (reader_id,)
    )
    assert row is not None and tuple(row) == (
        f"AN-{reader_id:06d}",
        f"AN-{reader_id:06d}",
        "2026-11-24",
    )
    assert await linked_reader(db, STUDENT) is None
    # While the bot runs (its WAL open), the name is in none of the database files.
    path = bot.bot_data.config.database_path
    for suffix in ("", "-wal", "-shm"):
        file = path.with_name(path.name + suffix)
        assert not file.exists() or "Bế Thị Ngà".encode() not in file.read_bytes()
    student = driver.user(STUDENT, "Ngà")
    assert "chưa liên kết" in text_of(await student.send("/dulieucuatoi"))
    # A second press of the old button erases nothing twice and says so.
    again = await librarian.press(asked[-1], data=f"pv:fy:{reader_id}", forge=True)
    assert "đã được xóa" in text_of(again.messages)
