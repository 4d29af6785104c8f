"""The Circular 16 registers in Excel: layout, known lines, the sổ ĐKCB round trip, /soluu."""

import io
import shutil
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.__main__ import main
from bot.config import Config, parse_config
from bot.context import BotApplication
from bot.core.calendar import SchoolCalendar
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.importing import import_books
from bot.register_years import (
    REGISTER_NAMES,
    file_name,
    months_of,
    parse_school_year,
    school_year_period,
)
from bot.registers import Export, export_register, monthly_figures, year_figures
from db import loans as loan_sql
from db import registers as sql
from db.catalog import find_copy, natural_key
from db.connection import Database
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 11, 27)
SCHOOL = "Trường THCS Nguyễn Du"
STUDENT = 7301
GROUP = -1001000007301


# --- school years ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2025-2026", " 2025 – 2026 ", "2025/2026"])
def test_a_school_year_is_read_in_the_usual_spellings(text: str) -> None:
    assert parse_school_year(text) == 2025


@pytest.mark.parametrize("text", ["2025-2027", "2025", "năm nay", "😀" * 3000, "", "1800-1801"])
def test_anything_else_is_not_a_school_year(text: str) -> None:
    with pytest.raises(ValueError, match="Năm học"):
        parse_school_year(text)


def test_a_school_year_counts_from_the_summer_before_it() -> None:
    period = school_year_period(SchoolCalendar(), 2025)
    assert (period.first, period.last, period.name) == (
        date(2025, 6, 1),
        date(2026, 5, 31),
        "2025-2026",
    )
    months = months_of(period)
    assert len(months) == 12 and months[0] == (2025, 6) and months[-1] == (2026, 5)
    assert file_name("ca-biet", 2025) == "so-dang-ky-ca-biet-2025-2026.xlsx"


def test_monthly_figures_count_visits_only_with_a_visits_table() -> None:
    months = [(2025, 10), (2025, 11)]
    loans = [
        sql.LoanCount("2025-10", "student", 7, "STK", 2),
        sql.LoanCount("2025-10", "teacher", 0, "SGV", 1),
        sql.LoanCount("2025-11", "student", 6, "", 1),
        sql.LoanCount("2024-10", "student", 6, "STK", 9),
    ]
    activity = [
        sql.Activity("2025-10", "student", 3, 2),
        sql.Activity("2025-10", "teacher", 1, 1),
        sql.Activity("2025-11", "student", 1, 1),
    ]
    counted = {"2025-10": 30}
    with_visits = monthly_figures(
        months, loans, {"2025-10": 2}, activity, counted, with_visits=True
    )
    october = with_visits["2025-10"]
    assert october.visits == {"student": 33, "teacher": 1}
    assert october.readers == {"student": 2, "teacher": 1}
    assert october.loans == {"student": 2, "teacher": 1}
    assert october.by_grade == {7: 2} and october.by_kind == {"STK": 2, "SGV": 1}
    assert october.returns == 2
    assert with_visits["2025-11"].by_kind == {"Khác": 1}
    without = monthly_figures(months, loans, {}, activity, counted, with_visits=False)
    assert not without["2025-10"].visits and without["2025-10"].readers["student"] == 2
    year = year_figures(with_visits, [sql.Activity("", "student", 4, 2)])
    assert year.readers == {"student": 2} and year.loans["student"] == 3
    assert year.visits["student"] == 34


# --- the registers from a real database --------------------------------------------------------


def register_config(database: Path) -> Config:
    return parse_config(
        {"library": {"school": SCHOOL}, "database": {"path": str(database)}},
        require_token=False,
    )


async def copy_id(db: Database, accession: str) -> int:
    found = await find_copy(db, accession)
    assert found is not None
    return found.id


@pytest.fixture
async def library(tmp_path: Path, catalog_template: Path) -> AsyncIterator[Database]:
    """The sample catalog with a few readers, their loans of 2025-2026 and one from before."""
    path = tmp_path / "thuvien.db"
    shutil.copy(catalog_template, path)
    async with Database(path) as db:
        bao = await add_reader(db, "HS9101", "Lê Gia Bảo", "6A", disadvantaged=True)
        ha = await add_reader(db, "HS9102", "Trần Thu Hà", "7B")
        thanh = await add_reader(db, "GV9101", "Phạm Văn Thành", category="teacher")
        async with db.transaction() as conn:
            await conn.execute(
                "UPDATE reader SET subject = 'Toán', position = 'Tổ trưởng' WHERE id = ?",
                (thanh,),
            )
            textbook = await loan_sql.open_loan(
                conn,
                await copy_id(db, "SGK-00001"),
                bao,
                date(2025, 8, 20),
                date(2026, 5, 25),
                whole_year=True,
                lent_by=LIBRARIAN_ID,
            )
            assert textbook
            await loan_sql.record_past_loans(
                conn,
                [
                    (
                        await copy_id(db, "STK-00012"),
                        bao,
                        date(2025, 9, 15),
                        date(2025, 9, 29),
                        date(2025, 9, 26),
                    ),
                    (
                        await copy_id(db, "TN-00001"),
                        ha,
                        date(2025, 10, 6),
                        date(2025, 10, 20),
                        date(2025, 10, 23),
                    ),
                    (
                        await copy_id(db, "SGV-00001"),
                        thanh,
                        date(2025, 9, 10),
                        date(2025, 10, 10),
                        date(2025, 10, 9),
                    ),
                    (
                        await copy_id(db, "TN-00001"),
                        ha,
                        date(2024, 10, 1),
                        date(2024, 10, 15),
                        date(2024, 10, 10),
                    ),
                ],
            )
            await conn.execute(
                "UPDATE loan SET late_days = 3 WHERE loaned_on = '2025-10-06'",
            )
            await conn.execute(
                "UPDATE loan SET renewals = 1 WHERE loaned_on = '2025-09-10'",
            )
            if await sql.table_exists(db, "visit"):
                await conn.execute(
                    "INSERT INTO visit (reader_id, day, created_at) VALUES (?, ?, ?)",
                    (ha, "2025-10-02", "2025-10-02T01:00:00Z"),
                )
            if await sql.table_exists(db, "visit_count"):
                await conn.execute(
                    "INSERT INTO visit_count (day, class_name, visitors, recorded_by,"
                    " created_at) VALUES ('2025-10-03', '6A', 30, ?, '2025-10-03T02:00:00Z')",
                    (LIBRARIAN_ID,),
                )
        yield db


async def export(db: Database, name: str, folder: Path) -> tuple[Export, openpyxl.Workbook]:
    path = folder / file_name(name, 2025)
    result = await export_register(
        db, register_config(Path(db.path)), name, path, today=TODAY, start_year=2025
    )
    return result, openpyxl.load_workbook(path)


def rows_of(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def line_with(sheet: Worksheet, value: object) -> tuple[object, ...]:
    found = [row for row in rows_of(sheet) if value in row]
    assert len(found) == 1, f"{value!r} is on {len(found)} lines of {sheet.title}"
    return found[0]


def header_texts(sheet: Worksheet) -> set[object]:
    return {cell for row in rows_of(sheet)[6:8] for cell in row if cell is not None}


@pytest.mark.parametrize("name", REGISTER_NAMES)
async def test_every_register_is_a_printable_workbook(
    library: Database, tmp_path: Path, name: str
) -> None:
    result, book = await export(library, name, tmp_path)
    assert result.year == "2025-2026" and result.path.name == file_name(name, 2025)
    for sheet in book.worksheets:
        rows = rows_of(sheet)
        assert rows[0][0] == SCHOOL.upper()
        assert rows[3][0] == "Năm học 2025-2026"
        assert str(rows[2][0]).startswith(("SỔ ", "DANH SÁCH"))
        assert sheet.page_setup.paperSize == 9
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows in ("$7:$8", "$7:$9")
        assert sheet.freeze_panes in ("A9", "A10")
        assert all(sheet.column_dimensions[c].width >= 6 for c in ("A", "B", "C"))
        assert "&P" in sheet.oddFooter.center.text
        first_header = sheet.cell(7, 1)
        assert first_header.border.left.style == "thin" and first_header.font.bold
        assert texts.REGISTER_SIGNERS[0] in rows[-2]
    assert book.worksheets[0].title == texts.REGISTER_TITLES[name].capitalize()


async def test_the_accession_register_has_one_dated_line_per_copy(
    library: Database, tmp_path: Path
) -> None:
    result, book = await export(library, "ca-biet", tmp_path)
    sheet = book.active
    assert result.lines == 831
    assert {"Ngày vào sổ", "Số ĐKCB", "Tên sách", "Tác giả", "Giá tiền (đồng)"} <= header_texts(
        sheet
    )
    line = line_with(sheet, "STK-00012")
    assert line[0] == datetime(2020, 9, 14) and line[2:7] == (
        "Vũ trụ",
        "Carl Sagan",
        "Nhà xuất bản Thế giới",
        2019,
        200000,
    )
    assert sheet.cell(9, 1).number_format == "DD/MM/YYYY"
    accessions = [str(row[1]) for row in rows_of(sheet)[8 : 8 + 831]]
    assert accessions == sorted(accessions, key=natural_key)
    assert sheet.print_area == "'Sổ đăng ký cá biệt'!$A$1:$K$844"


async def test_an_exported_accession_register_imports_back_to_the_same_catalog(
    library: Database, tmp_path: Path
) -> None:
    async with library.transaction() as conn:
        await conn.execute(
            "UPDATE title SET summary = 'Một cuốn sách về vũ trụ.', classification = '52',"
            " isbn = '9786041234567' WHERE id = (SELECT title_id FROM copy"
            " WHERE accession = 'STK-00012')"
        )
        await conn.execute(
            "UPDATE title SET title = '=1+1 vui học toán' WHERE id = (SELECT title_id FROM copy"
            " WHERE accession = 'TN-00001')"
        )
        await conn.execute(
            "UPDATE copy SET price = NULL, acquired_on = NULL, note = 'Bìa rách'"
            " WHERE accession = 'SGK-00002'"
        )
    result, _ = await export(library, "ca-biet", tmp_path)
    fields = (
        "c.accession, t.title, t.author, t.publisher, t.year, t.isbn, t.kind, t.subject,"
        " t.grade, t.classification, t.summary, c.location, c.acquired_on, c.price, c.source,"
        " c.donor, c.note"
    )
    query = f"SELECT {fields} FROM copy c JOIN title t ON t.id = c.title_id ORDER BY c.accession"
    original = [tuple(row) for row in await library.fetchall(query)]
    async with Database(tmp_path / "fresh.db") as fresh:
        report = await import_books(fresh, result.path, progress=False)
        assert report.written and not report.errors, report.render()
        imported = [tuple(row) for row in await fresh.fetchall(query)]
        titles = await fresh.fetchval("SELECT count(*) FROM title")
    assert titles == await library.fetchval("SELECT count(*) FROM title")
    assert len(imported) == len(original) == 831
    for before, after in zip(original, imported, strict=True):
        assert before == after


async def test_the_general_register_groups_copies_by_intake_day(
    library: Database, tmp_path: Path
) -> None:
    async with library.transaction() as conn:
        await conn.execute(
            "UPDATE copy SET acquired_on = NULL, price = NULL WHERE accession = 'TN-00001'"
        )
    _, book = await export(library, "tong-quat", tmp_path)
    sheet = book.active
    assert {"Ngày vào sổ", "Số đầu sách", "SGK", "Mua", "Tặng"} <= header_texts(sheet)
    # 06/08/2021: the two copies of one science textbook (SGK-00001, -00002), bought.
    rows = rows_of(sheet)
    batch = next(row for row in rows if row[1] == datetime(2021, 8, 6))
    assert batch[2:6] == (1, 2, 78000, 2) and batch[12] == 2
    grand = line_with(sheet, texts.REGISTER_TOTAL)
    assert grand[2:4] == (443, 831)
    assert line_with(sheet, "Cộng năm học 2021-2022")[3] == 74
    undated = line_with(sheet, "Chưa ghi ngày vào sổ; 1 bản chưa có giá")
    assert undated[:5] == (None, None, 1, 1, 0) and rows.index(undated) == rows.index(grand) - 1


async def test_the_textbook_register_shows_the_loans_to_disadvantaged_students(
    library: Database, tmp_path: Path
) -> None:
    result, book = await export(library, "sgk", tmp_path)
    titles, lent = book.worksheets
    line = line_with(titles, "Khoa học tự nhiên 6 (Kết nối tri thức với cuộc sống)")
    copies = await library.fetchval(
        "SELECT count(*) FROM copy WHERE title_id = (SELECT title_id FROM copy"
        " WHERE accession = 'SGK-00001')"
    )
    assert line[2] == 6 and line[6] == 39000 and line[7] == copies
    assert line[9] == 1 and line[13:15] == (1, 1)
    assert lent.title == texts.REGISTER_DISADVANTAGED_SHEET
    assert rows_of(lent)[8][1:8] == (
        "6A",
        "Lê Gia Bảo",
        "Khoa học tự nhiên 6 (Kết nối tri thức với cuộc sống)",
        "SGK-00001",
        datetime(2025, 8, 20),
        datetime(2026, 5, 25),
        None,
    )
    assert rows_of(lent)[8][9] == texts.REGISTER_WHOLE_YEAR_LOAN
    assert result.lines == len([r for r in rows_of(titles)[9:] if isinstance(r[0], int)]) + 1


async def test_the_teacher_register_lists_the_year_s_loans_of_staff(
    library: Database, tmp_path: Path
) -> None:
    result, book = await export(library, "gv-muon", tmp_path)
    sheet = book.active
    assert result.lines == 1
    assert rows_of(sheet)[8] == (
        1,
        datetime(2025, 9, 10),
        "Phạm Văn Thành",
        "Toán, Tổ trưởng",
        "Khoa học tự nhiên 6 - Sách giáo viên (Kết nối tri thức với cuộc sống)",
        "SGV-00001",
        datetime(2025, 10, 10),
        datetime(2025, 10, 9),
        None,
        "Gia hạn 1 lần",
    )
    _, sgv = await export(library, "sgv", tmp_path)
    line = line_with(sgv.active, rows_of(sheet)[8][4])
    assert line[13:15] == (1, 0)


async def test_the_student_register_goes_class_by_class_within_the_year(
    library: Database, tmp_path: Path
) -> None:
    result, book = await export(library, "hs-muon", tmp_path)
    rows = rows_of(book.active)[8:]
    assert result.lines == 3
    assert [row[0] for row in rows[:5]] == ["Lớp 6A", 1, 2, "Lớp 7B", 3]
    assert [row[1] for row in rows[1:3]] == [datetime(2025, 8, 20), datetime(2025, 9, 15)]
    assert rows[4][2:8] == (
        "Trần Thu Hà",
        "7B",
        "Lều chõng",
        "TN-00001",
        datetime(2025, 10, 20),
        datetime(2025, 10, 23),
    )
    assert rows[4][9] == "Trả muộn 3 ngày"
    assert rows[5][0] == texts.REGISTER_TOTAL and rows[5][2] == "3 lượt mượn"


async def test_the_statistics_count_each_month_of_the_school_year(
    library: Database, tmp_path: Path
) -> None:
    result, book = await export(library, "thong-ke", tmp_path)
    sheet = book.active
    rows = rows_of(sheet)
    assert result.lines == 12
    assert [row[0] for row in rows[9:21]][:2] == ["06/2025", "07/2025"]
    assert rows[20][0] == "05/2026"
    october = line_with(sheet, "10/2025")
    with_visits = await sql.table_exists(library, "visit")
    # Hà came on 02/10 (scan), 06/10 (loan), 23/10 (return); Thành returned on 09/10;
    # 30 pupils of 6A were counted on 03/10.
    expected_visits = (34, 33, 1, 0) if with_visits else (0, 0, 0, 0)
    assert october[1:5] == expected_visits
    assert october[5:9] == (2, 1, 1, 0)
    assert october[9:13] == (1, 1, 0, 0) and october[13] == 2
    grades = [cell for cell in rows[7][14:] if str(cell).startswith("Khối")]
    assert grades == ["Khối 6", "Khối 7"]
    assert october[14:16] == (0, 1)
    year = line_with(sheet, texts.REGISTER_WHOLE_YEAR)
    assert year[5:9] == (3, 2, 1, 0) and year[9:13] == (4, 3, 1, 0) and year[13] == 3


async def test_loans_stream_in_chunks_in_register_order(library: Database) -> None:
    chunks = [
        chunk
        async for chunk in sql.loan_lines(
            library, date(2025, 6, 1), date(2026, 5, 31), "students", by_class=True, chunk=2
        )
    ]
    assert [len(chunk) for chunk in chunks] == [2, 1]
    assert [line.accession for chunk in chunks for line in chunk] == [
        "SGK-00001",
        "STK-00012",
        "TN-00001",
    ]


# --- the command line ------------------------------------------------------------------------


@pytest.fixture
def configured(tmp_path: Path, library: Database) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[library]\nschool = "{SCHOOL}"\n[database]\npath = "{library.path}"\n',
        encoding="utf-8",
    )
    return config


def test_the_cli_writes_a_register_into_a_folder(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    args = ["export", "hs-muon", "--year", "2025-2026", "--config", str(configured)]
    assert main([*args, "--output", str(folder)]) == 0
    written = folder / "so-theo-doi-hoc-sinh-muon-sach-2025-2026.xlsx"
    assert "3 dòng" in capsys.readouterr().out
    assert openpyxl.load_workbook(written).active["A3"].value == texts.REGISTER_TITLES["hs-muon"]


def test_the_cli_refuses_a_wrong_year_register_or_path(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "ca-biet", "--year", "2025-2030", "--config", str(configured)]) == 2
    assert "2025-2030" in capsys.readouterr().err
    assert main(["export", "so-no", "--config", str(configured)]) == 2
    assert "ca-biet" in capsys.readouterr().err
    nowhere = configured.parent / "missing" / "so.xlsx"
    assert main(["export", "sgv", "--config", str(configured), "--output", str(nowhere)]) == 1
    assert "Không ghi được tệp" in capsys.readouterr().err and not nowhere.parent.exists()


# --- the bot ---------------------------------------------------------------------------------


async def download(emulator: Emulator, message: dict) -> openpyxl.Workbook:
    url = f"{emulator.root_url}/_emu/files/{message['document']['file_id']}"
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    response.raise_for_status()
    path = Path(message["document"]["file_name"])
    assert path.suffix == ".xlsx"
    return openpyxl.load_workbook(io.BytesIO(response.content))


async def test_the_librarian_gets_a_register_as_a_document(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    set_clock(bot, datetime(2025, 11, 27, 9, 0, tzinfo=HANOI))
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    menu = (await librarian.send("/soluu"))[-1]
    assert "2025-2026" in menu["text"]
    assert len(ChatUser.buttons(menu)) == len(REGISTER_NAMES)
    pressed = await librarian.press(menu, "Sổ đăng ký cá biệt")
    assert pressed.answer == texts.REGISTER_PREPARING
    sent = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "document" in m)
    assert sent["document"]["file_name"] == "so-dang-ky-ca-biet-2025-2026.xlsx"
    assert "831 dòng" in sent["caption"]
    book = await download(emulator, sent)
    assert book.active["A3"].value == "SỔ ĐĂNG KÝ CÁ BIỆT"


async def test_another_school_year_is_chosen_by_name_and_checked(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    set_clock(bot, datetime(2025, 11, 27, 9, 0, tzinfo=HANOI))
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    menu = (await librarian.send("/soluu 2024-2025"))[-1]
    assert "2024-2025" in menu["text"]
    assert all(data.endswith(":2024") for _, data in ChatUser.buttons(menu))
    wrong = text_of(await librarian.send("/soluu <b>2024-2030</b>"))
    assert "&lt;b&gt;" not in wrong and "<b>2024-2030</b>" in wrong
    assert "2090-2091" in text_of(await librarian.send("/soluu 2090-2091"))
    forged = await librarian.press(menu, data="sl:no-such:2024", forge=True)
    assert forged.answer == texts.BUTTON_EXPIRED
    assert not any("document" in m for m in emulator.messages(LIBRARIAN_ID))


async def test_registers_are_offered_only_in_a_private_chat(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    emulator.add_group(GROUP, "Lớp 6A", member_ids=[LIBRARIAN_ID], admin_ids=[LIBRARIAN_ID])
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    answer = await librarian.send("/soluu", chat_id=GROUP)
    assert text_of(answer) == texts.REGISTERS_PRIVATE_ONLY
    assert not ChatUser.buttons(answer[-1])


async def test_a_student_gets_no_register(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    now = datetime(2025, 11, 27, 9, 0, tzinfo=HANOI)
    set_clock(bot, now)
    reader_id = await add_reader(bot.bot_data.db, "HS9201", "Đỗ Khánh Linh", "8A")
    await link_directly(bot.bot_data.db, STUDENT, reader_id, now)
    student = driver.user(STUDENT, "Linh")
    assert texts.NOT_ALLOWED in text_of(await student.send("/soluu"))
    menu = (await student.send("/start"))[-1]
    forged = await student.press(menu, data="sl:hs-muon:2025", forge=True)
    assert forged.answer == texts.NOT_ALLOWED
    assert not any("document" in m for m in emulator.messages(STUDENT))
