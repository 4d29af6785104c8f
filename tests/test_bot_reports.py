"""End to end: /baocao answers with a short text, a chart photo and an Excel workbook."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from PIL import Image

from bot import texts
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from db import accounts, visits
from tests.helpers import JSON, add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
DECEMBER = datetime(2026, 12, 2, 9, 0, tzinfo=HANOI)
STUDENT, PRINCIPAL = 7401, 7402


@pytest.fixture
async def seeded(bot: BotApplication) -> dict[str, int]:
    """Three readers and, in November 2026, five loans, two returns, scans and walk-ins."""
    set_clock(bot, DECEMBER)
    db = bot.bot_data.db
    ids = {
        "an": await add_reader(db, "HS9401", "Nguyễn Văn An", "6A"),
        "binh": await add_reader(db, "HS9402", "Trần Thị Bình", "7B"),
        "dung": await add_reader(db, "GV9401", "Phạm Thị Dung", category="teacher"),
    }
    copies = [row[0] for row in await db.fetchall("SELECT id FROM copy ORDER BY id LIMIT 6")]
    loans = [
        (copies[0], "an", "returned", "2026-11-03", "2026-11-17", "2026-11-10"),
        (copies[1], "an", "open", "2026-11-10", "2026-11-24", None),
        (copies[2], "binh", "open", "2026-11-12", "2026-12-10", None),
        (copies[3], "binh", "returned", "2026-11-20", "2026-12-04", "2026-11-27"),
        (copies[4], "dung", "open", "2026-11-25", "2027-05-25", None),
        (copies[5], "an", "open", "2026-10-20", "2026-11-03", None),
    ]
    async with db.transaction() as conn:
        for copy_id, who, state, loaned, due, returned in loans:
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (copy_id, ids[who], state, loaned, due, returned),
            )
        # The sample catalog has its own November entries: only two new copies here.
        await conn.execute("UPDATE copy SET acquired_on = NULL WHERE acquired_on >= '2026-09'")
        await conn.execute(
            "UPDATE copy SET acquired_on = '2026-11-15' WHERE id IN (?, ?)",
            (copies[0], copies[1]),
        )
    await visits.record_visit(db, ids["an"], date(2026, 11, 5), DECEMBER)
    await visits.record_visit(db, ids["binh"], date(2026, 11, 12), DECEMBER)
    await visits.add_walk_ins(db, "6A", 20, date(2026, 11, 18), LIBRARIAN_ID, DECEMBER)
    return ids


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def download(emulator: Emulator, file_id: str) -> bytes:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.root_url}/_emu/files/{file_id}")
    response.raise_for_status()
    return response.content


async def report_messages(emulator: Emulator, chat_id: int, after: int) -> list[JSON]:
    """Wait for the report's workbook in chat_id; return the bot's messages since after."""
    await wait_for_message(
        emulator,
        chat_id,
        lambda m: m["message_id"] > after and "document" in m,
    )
    return [m for m in emulator.messages(chat_id) if m["message_id"] > after]


def last_id(emulator: Emulator, chat_id: int) -> int:
    sent = emulator.messages(chat_id)
    return sent[-1]["message_id"] if sent else 0


def summary_rows(book: openpyxl.Workbook) -> dict[str, object]:
    return {
        str(row[0]): row[1]
        for row in book[texts.SHEET_SUMMARY].iter_rows(values_only=True)
        if row[0] is not None
    }


async def test_the_librarian_gets_text_chart_and_workbook_for_last_month(
    bot: BotApplication, emulator: Emulator, seeded: dict[str, int], librarian: ChatUser
) -> None:
    await librarian.send("/baocao")
    sent = await report_messages(emulator, LIBRARIAN_ID, 0)
    assert [("text" in m, "photo" in m, "document" in m) for m in sent] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    text, photo, document = sent
    summary = text["text"]
    assert "BÁO CÁO THỐNG KÊ THƯ VIỆN THÁNG 11/2026" in summary
    assert "Lượt mượn: 5" in summary and "lượt trả: 2" in summary
    # An: 03/11, 05/11 (scan), 10/11; Bình: 12/11, 20/11, 27/11; Dung: 25/11; and 20 walk-ins.
    assert "Lượt đến thư viện: 27" in summary and "20 lượt ghi theo lớp" in summary
    assert "Quá hạn đến hết ngày 30/11/2026: 2 bản" in summary
    assert "2 bản sách mới" in summary

    png = await download(emulator, photo["photo"][-1]["file_id"])
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width >= 1000 and image.height <= 1280

    assert document["document"]["file_name"] == "bao-cao-thu-vien-thang-11-2026.xlsx"
    book = openpyxl.load_workbook(
        io.BytesIO(await download(emulator, document["document"]["file_id"]))
    )
    assert texts.SHEET_CLASSES in book.sheetnames and texts.SHEET_ACQUISITIONS in book.sheetnames
    rows = summary_rows(book)
    assert rows[texts.SUMMARY_ROWS["loans"]] == 5
    assert rows[texts.SUMMARY_ROWS["returns"]] == 2
    assert rows[texts.SUMMARY_ROWS["walk_ins"]] == 20
    classes = {
        row[1]: row
        for row in book[texts.SHEET_CLASSES].iter_rows(values_only=True)
        if isinstance(row[0], int)
    }
    # 6A: An's 3 days, 20 walk-ins, 2 loans (the October loan is not November's).
    assert classes["6A"][4:8] == (3, 20, 23, 2)
    acquired = [
        row
        for row in book[texts.SHEET_ACQUISITIONS].iter_rows(values_only=True)
        if isinstance(row[0], int)
    ]
    assert len(acquired) == 2 and acquired[0][4] == datetime(2026, 11, 15)
    assert book[texts.SHEET_SUMMARY].page_setup.paperSize == 9


async def test_report_buttons_open_the_semester_and_other_months(
    bot: BotApplication, emulator: Emulator, seeded: dict[str, int], librarian: ChatUser
) -> None:
    await librarian.send("/baocao 11/2026")
    document = (await report_messages(emulator, LIBRARIAN_ID, 0))[-1]
    labels = [
        button["text"] for row in document["reply_markup"]["inline_keyboard"] for button in row
    ]
    assert labels == [
        "« Tháng 10/2026",
        "Tháng 12/2026 »",
        "Học kỳ I",
        "Cả năm",
        texts.BUTTON_REGISTERS,
    ]

    mark = last_id(emulator, LIBRARIAN_ID)
    await librarian.press(document, "Học kỳ I")
    semester = await report_messages(emulator, LIBRARIAN_ID, mark)
    assert "BÁO CÁO CÔNG TÁC THƯ VIỆN HỌC KỲ I" in semester[0]["text"]
    assert "Năm học 2026-2027" in semester[0]["text"]
    assert "Lượt mượn: 6" in semester[0]["text"]
    assert semester[-1]["document"]["file_name"] == "bao-cao-thu-vien-hoc-ky-1-2026-2027.xlsx"

    mark = last_id(emulator, LIBRARIAN_ID)
    await librarian.press(document, "Tháng 10/2026")
    october = await report_messages(emulator, LIBRARIAN_ID, mark)
    assert "THÁNG 10/2026" in october[0]["text"] and "Lượt mượn: 1" in october[0]["text"]


async def test_the_principal_gets_the_year_report(
    bot: BotApplication, emulator: Emulator, driver: Driver, seeded: dict[str, int]
) -> None:
    reader_id = await add_reader(bot.bot_data.db, "GV9402", "Nguyễn Minh Ngọc", category="teacher")
    await link_directly(bot.bot_data.db, PRINCIPAL, reader_id, DECEMBER)
    identity = await accounts.identity_of(bot.bot_data.db, PRINCIPAL, config_librarian=False)
    assert identity.account_id is not None
    await accounts.grant_role(bot.bot_data.db, identity.account_id, "principal", LIBRARIAN_ID)
    principal = driver.user(PRINCIPAL, "Thầy Ngọc")
    await principal.send("/baocao nam")
    sent = await report_messages(emulator, PRINCIPAL, 0)
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC THƯ VIỆN" in sent[0]["text"]
    assert "số liệu tính đến hết ngày 02/12/2026" in sent[0]["text"]
    book = openpyxl.load_workbook(
        io.BytesIO(await download(emulator, sent[-1]["document"]["file_id"]))
    )
    assert texts.SHEET_BY_MONTH in book.sheetnames
    assert summary_rows(book)[texts.SUMMARY_ROWS["loans"]] == 6
    offered = [b["text"] for row in sent[-1]["reply_markup"]["inline_keyboard"] for b in row]
    assert texts.BUTTON_REGISTERS not in offered


async def test_the_registers_open_from_a_report(
    bot: BotApplication, emulator: Emulator, seeded: dict[str, int], librarian: ChatUser
) -> None:
    await librarian.send("/baocao 11/2026")
    document = (await report_messages(emulator, LIBRARIAN_ID, 0))[-1]
    menu = await librarian.press(document, texts.BUTTON_REGISTERS)
    assert "2026-2027" in text_of(menu.messages)
    await librarian.press(menu.messages[-1], "cá biệt")
    register = await wait_for_message(
        emulator,
        LIBRARIAN_ID,
        lambda m: "ca-biet" in (m.get("document") or {}).get("file_name", ""),
        wait=30,
    )
    assert register["document"]["file_name"].endswith(".xlsx")


async def test_a_student_is_refused_reports_and_their_buttons(
    bot: BotApplication,
    emulator: Emulator,
    driver: Driver,
    seeded: dict[str, int],
    librarian: ChatUser,
) -> None:
    await link_directly(bot.bot_data.db, STUDENT, seeded["binh"], DECEMBER)
    student = driver.user(STUDENT, "Bình")
    assert text_of(await student.send("/baocao")) == texts.NOT_ALLOWED
    await librarian.send("/baocao")
    document = (await report_messages(emulator, LIBRARIAN_ID, 0))[-1]
    forged = await student.press(document, data="bc:m2026-10", forge=True)
    assert forged.show_alert and forged.answer == texts.NOT_ALLOWED
    assert not [m for m in emulator.messages(STUDENT) if "document" in m]


@pytest.mark.parametrize(
    ("command", "answer"),
    [
        ("/baocao 13/2026", "<code>/baocao 11/2026</code>"),
        ("/baocao " + "x" * 4000, "<code>/baocao 11/2026</code>"),
        ("/baocao 01/2027", "chưa bắt đầu"),
    ],
)
async def test_report_mistakes_get_a_clear_answer(
    bot: BotApplication, librarian: ChatUser, command: str, answer: str
) -> None:
    set_clock(bot, DECEMBER)
    reply = await librarian.send(command)
    assert len(reply) == 1
    assert answer.replace("<code>", "").replace("</code>", "") in reply[0]["text"]


async def test_a_forged_period_button_is_answered_kindly(
    bot: BotApplication, emulator: Emulator, seeded: dict[str, int], librarian: ChatUser
) -> None:
    await librarian.send("/baocao")
    document = (await report_messages(emulator, LIBRARIAN_ID, 0))[-1]
    for data in ("bc:m2026-13", "bc:y2031", "bc:zz"):
        forged = await librarian.press(document, data=data, forge=True)
        assert forged.show_alert and forged.answer == texts.BUTTON_EXPIRED


async def test_reports_stay_out_of_class_groups(
    bot: BotApplication, emulator: Emulator, seeded: dict[str, int], librarian: ChatUser
) -> None:
    group = -1001000007401
    emulator.add_group(group, "Lớp 6A", member_ids=[LIBRARIAN_ID], admin_ids=[LIBRARIAN_ID])
    reply = await librarian.send("/baocao", chat_id=group)
    assert text_of(reply) == texts.REPORT_PRIVATE_ONLY
    assert not [m for m in emulator.messages(group) if "document" in m or "photo" in m]
