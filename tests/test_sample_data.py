"""The demo's sample register, class list and staff list are well-formed and consistent."""

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.config import parse_config
from bot.demo import (
    LIBRARIAN_ID,
    SCHOOL_HOURS,
    STUDENT_ID,
    TEACHER_ID,
    DemoStack,
    demo_clock,
    load_sample_data,
    running_demo,
)
from bot.demo_history import demo_day, is_school_day
from bot.emulator.driver import Driver
from db.connection import Database
from tests.helpers import JSON, text_of, wait_for_message

DATA = Path(__file__).resolve().parents[1] / "bot" / "data"

CATALOG_HEADER = [
    "Số ĐKCB",
    "Tên sách",
    "Tác giả",
    "Nhà xuất bản",
    "Năm xuất bản",
    "Giá tiền",
    "Môn loại",
    "Loại",
    "Khối",
    "Ngày vào sổ",
    "Kho",
    "Nguồn",
    "Người tặng",
    "ISBN",
    "Ghi chú",
]
READERS_HEADER = [
    "Mã học sinh",
    "Họ và tên",
    "Lớp",
    "Ngày sinh",
    "Giới tính",
    "Hoàn cảnh khó khăn",
    "Phụ huynh đồng ý",
]
STAFF_HEADER = ["Mã", "Họ và tên", "Chức vụ", "Môn dạy", "Chủ nhiệm lớp"]

PREFIX_OF_KIND = {
    "SGK": "SGK",
    "SGV": "SGV",
    "STK": "STK",
    "Truyện": "TN",
    "Nghiệp vụ": "NV",
    "Báo, tạp chí": "BTC",
}
CLASSES = ("6A", "6B", "7A", "7B", "8A", "8B", "9A", "9B")
ACCESSION = re.compile(r"^[A-Z]+-\d{5}$")
PRICE = re.compile(r"^(\d+|\d{1,3}(\.\d{3})+đ)$")
# School year 2026–2027: grade 6 was born in 2015, grade 9 in 2012.
BIRTH_YEAR_OF_GRADE = {grade: 2021 - grade for grade in range(6, 10)}


@cache
def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Return the header and the rows of a sample CSV file."""
    with (DATA / name).open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def catalog() -> list[dict[str, str]]:
    return read("sample_catalog.csv")[1]


def readers() -> list[dict[str, str]]:
    return read("sample_readers.csv")[1]


def staff() -> list[dict[str, str]]:
    return read("sample_staff.csv")[1]


def parse_day(text: str) -> date:
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", text), text
    return datetime.strptime(text, "%d/%m/%Y").date()


def price_of(text: str) -> int:
    assert PRICE.match(text), text
    return int(text.removesuffix("đ").replace(".", ""))


def isbn13_is_valid(isbn: str) -> bool:
    digits = isbn.replace("-", "")
    if not re.fullmatch(r"97[89]\d{10}", digits):
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("sample_catalog.csv", CATALOG_HEADER),
        ("sample_readers.csv", READERS_HEADER),
        ("sample_staff.csv", STAFF_HEADER),
    ],
)
def test_files_have_the_agreed_header_and_no_ragged_rows(name: str, header: list[str]) -> None:
    found, rows = read(name)
    assert found == header
    assert rows
    assert all(None not in row and None not in row.values() for row in rows)


@pytest.mark.parametrize("name", ["sample_catalog.csv", "sample_readers.csv", "sample_staff.csv"])
def test_all_text_is_nfc_and_trimmed(name: str) -> None:
    header, rows = read(name)
    for cell in [*header, *(value for row in rows for value in row.values())]:
        assert unicodedata.is_normalized("NFC", cell), repr(cell)
        assert cell == cell.strip(), repr(cell)


def test_catalog_holds_enough_distinct_titles_and_copies() -> None:
    rows = catalog()
    assert len({row["Tên sách"] for row in rows}) >= 320
    assert 700 <= len(rows) <= 900


def test_accession_numbers_are_unique_and_well_formed() -> None:
    numbers = [row["Số ĐKCB"] for row in catalog()]
    assert all(ACCESSION.match(number) for number in numbers)
    assert [n for n, count in Counter(numbers).items() if count > 1] == []


def test_accession_prefix_matches_kind_and_numbers_run_without_gaps() -> None:
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for row in catalog():
        prefix, number = row["Số ĐKCB"].split("-")
        assert PREFIX_OF_KIND[row["Loại"]] == prefix, row["Số ĐKCB"]
        by_prefix[prefix].append(int(number))
    assert set(by_prefix) == set(PREFIX_OF_KIND.values())
    for numbers in by_prefix.values():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))


def test_every_copy_names_title_author_publisher_and_year() -> None:
    for row in catalog():
        for column in ("Tên sách", "Tác giả", "Nhà xuất bản", "Năm xuất bản"):
            assert row[column], (row["Số ĐKCB"], column)
        assert 1900 <= int(row["Năm xuất bản"]) <= 2026, row["Số ĐKCB"]


def test_copies_of_a_title_share_its_description_and_number_one_to_six() -> None:
    described: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in catalog():
        described[row["Tên sách"]].add(
            tuple(row[c] for c in ("Tác giả", "Nhà xuất bản", "Năm xuất bản", "Loại", "Khối"))
        )
    assert all(len(descriptions) == 1 for descriptions in described.values())
    copies = Counter(row["Tên sách"] for row in catalog())
    assert all(1 <= count <= 6 for count in copies.values())


def test_register_dates_are_dd_mm_yyyy_and_not_before_publication() -> None:
    for row in catalog():
        day = parse_day(row["Ngày vào sổ"])
        assert date(2019, 1, 1) <= day <= date(2026, 12, 31), row["Số ĐKCB"]
        assert day.year >= int(row["Năm xuất bản"]), row["Số ĐKCB"]


def test_prices_are_whole_dong_in_both_written_forms() -> None:
    texts = [row["Giá tiền"] for row in catalog()]
    assert all(10_000 <= price_of(text) <= 500_000 for text in texts)
    assert any(text.endswith("đ") for text in texts)
    assert any(text.isdigit() for text in texts)


def test_grades_are_given_for_textbooks_and_only_six_to_nine() -> None:
    for row in catalog():
        assert row["Khối"] in ("", "6", "7", "8", "9"), row["Số ĐKCB"]
        if row["Loại"] in ("SGK", "SGV"):
            assert row["Khối"], row["Số ĐKCB"]
            assert f" {row['Khối']} " in f" {row['Tên sách']} ", row["Số ĐKCB"]


def test_donated_copies_name_their_donor_and_bought_ones_do_not() -> None:
    rows = catalog()
    assert {row["Nguồn"] for row in rows} <= {"Mua", "Tặng", "Luân chuyển"}
    for row in rows:
        assert bool(row["Người tặng"]) == (row["Nguồn"] == "Tặng"), row["Số ĐKCB"]
    assert sum(row["Nguồn"] == "Tặng" for row in rows) >= 30


def test_isbns_when_given_are_valid() -> None:
    assert all(isbn13_is_valid(row["ISBN"]) for row in catalog() if row["ISBN"])


def test_reader_codes_are_unique_and_classes_complete() -> None:
    rows = readers()
    codes = [row["Mã học sinh"] for row in rows]
    assert all(re.fullmatch(r"HS26\d{3}", code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert {row["Lớp"] for row in rows} == set(CLASSES)
    assert 100 <= len(rows) <= 140


def test_readers_are_born_in_the_year_of_their_grade() -> None:
    for row in readers():
        born = parse_day(row["Ngày sinh"])
        assert born.year == BIRTH_YEAR_OF_GRADE[int(row["Lớp"][0])], row["Mã học sinh"]
        assert row["Giới tính"] in ("Nam", "Nữ")
        assert len(row["Họ và tên"].split()) >= 2


def test_a_few_readers_are_marked_disadvantaged() -> None:
    marks = [row["Hoàn cảnh khó khăn"] for row in readers()]
    assert set(marks) <= {"", "x"}
    assert 1 <= marks.count("x") <= len(marks) // 10


def test_each_class_has_exactly_one_homeroom_teacher() -> None:
    rows = staff()
    homerooms = Counter(row["Chủ nhiệm lớp"] for row in rows if row["Chủ nhiệm lớp"])
    assert homerooms == Counter(CLASSES)
    assert all(row["Môn dạy"] for row in rows if row["Chủ nhiệm lớp"])


def test_staff_include_a_librarian_and_a_principal_with_unique_codes() -> None:
    rows = staff()
    codes = [row["Mã"] for row in rows]
    assert len(set(codes)) == len(codes)
    roles = Counter(row["Chức vụ"] for row in rows)
    assert roles["Nhân viên thư viện"] == 1
    assert roles["Hiệu trưởng"] == 1
    reader_codes = {row["Mã học sinh"] for row in readers()}
    assert reader_codes.isdisjoint(codes)


# --- the demo's school year ----------------------------------------------------------------

# The tests on the demo share one demo, started once, in the module's event loop.
IN_DEMO = pytest.mark.asyncio(loop_scope="module")
DEMO_NOW = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def demo(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DemoStack]:
    """The demo as `make demo` starts it, its clock stopped on Tuesday 24/11/2026, 09:00."""
    async with running_demo(tmp_path_factory.mktemp("demo"), clock=lambda: DEMO_NOW) as stack:
        yield stack


def figure(text: str, label: str) -> int:
    found = re.search(rf"{label}: ([\d.]+)", text)
    assert found is not None, text
    return int(found[1].replace(".", ""))


async def report(driver: Driver, command: str) -> list[JSON]:
    """Ask for a report as the librarian; return its text, chart and workbook messages."""
    before = driver.emulator.messages(LIBRARIAN_ID)
    after = before[-1]["message_id"] if before else 0
    await driver.user(LIBRARIAN_ID, "Cô Lan").send(command)
    await wait_for_message(
        driver.emulator, LIBRARIAN_ID, lambda m: m["message_id"] > after and "document" in m
    )
    return [m for m in driver.emulator.messages(LIBRARIAN_ID) if m["message_id"] > after][-3:]


@IN_DEMO
@pytest.mark.parametrize(
    ("command", "heading"),
    [("/baocao", "THÁNG 10/2026"), ("/baocao hk1", "HỌC KỲ I")],
)
async def test_the_demo_reports_last_month_and_the_semester_with_real_figures(
    demo: DemoStack, command: str, heading: str
) -> None:
    driver = Driver(demo.emulator)
    text, photo, document = await report(driver, command)
    summary = text["text"]
    assert heading in summary
    assert figure(summary, "Lượt mượn") >= 100 and figure(summary, "lượt trả") >= 100
    assert figure(summary, "Lượt đến thư viện") >= 300
    assert "Sách được mượn nhiều nhất" in summary
    assert "photo" in photo and "document" in document


@IN_DEMO
async def test_the_demo_registers_have_rows(demo: DemoStack) -> None:
    driver = Driver(demo.emulator)
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    menu = (await librarian.send("/soluu"))[-1]
    await librarian.press(menu, "Sổ theo dõi học sinh mượn sách")
    sent = await wait_for_message(
        demo.emulator, LIBRARIAN_ID, lambda m: "học sinh mượn sách" in m.get("caption", "")
    )
    rows = re.search(r"\((\d+) dòng\)", sent["caption"])
    assert rows is not None and int(rows[1]) >= 300


@IN_DEMO
async def test_the_demo_people_get_their_reminders_at_start_up(demo: DemoStack) -> None:
    student = await wait_for_message(
        demo.emulator, STUDENT_ID, lambda m: "Nhắc trả sách" in m.get("text", "")
    )
    assert "sắp đến hạn trả" in student["text"] and "Gia hạn" in str(student["reply_markup"])
    overdue = await wait_for_message(
        demo.emulator, TEACHER_ID, lambda m: "Sách quá hạn của lớp 6A" in m.get("text", "")
    )
    assert overdue["text"].count("•") >= 2 and "quá hạn" in overdue["text"]


@IN_DEMO
async def test_the_demo_librarian_has_requests_to_approve(demo: DemoStack) -> None:
    librarian = Driver(demo.emulator).user(LIBRARIAN_ID, "Cô Lan")
    pending = text_of(await librarian.send("/duyet"))
    assert "Yêu cầu đang chờ duyệt (4)" in pending
    db = demo.application.bot_data.db
    held = await db.fetchval("SELECT count(*) FROM loan WHERE state = 'held'")
    waiting = await db.fetchval("SELECT count(*) FROM request WHERE status = 'waiting'")
    assert held >= 2 and waiting >= 1


@IN_DEMO
async def test_the_demo_history_keeps_the_library_rules(demo: DemoStack) -> None:
    db = demo.application.bot_data.db
    calendar = demo.config.calendar
    rows = await db.fetchall("SELECT copy_id, state, loaned_on, due_on, returned_on FROM loan")
    assert len(rows) >= 400
    active = Counter(row["copy_id"] for row in rows if row["state"] in ("open", "held"))
    assert max(active.values()) == 1
    for row in rows:
        if row["state"] == "held":
            continue
        loaned, due = date.fromisoformat(row["loaned_on"]), date.fromisoformat(row["due_on"])
        assert calendar.is_open(loaned) and calendar.is_open(due) and loaned < due
        assert loaned < DEMO_NOW.date()
        if row["returned_on"] is not None:
            back = date.fromisoformat(row["returned_on"])
            assert loaned < back < DEMO_NOW.date() and calendar.is_open(back)
    states = Counter(row["state"] for row in rows)
    overdue = sum(
        1 for row in rows if row["state"] == "open" and row["due_on"] < DEMO_NOW.date().isoformat()
    )
    assert states["returned"] > states["open"] > 0 and overdue >= 5
    on_loan = await db.fetchval("SELECT count(*) FROM copy WHERE status = 'on_loan'")
    assert on_loan == states["open"]


@IN_DEMO
async def test_the_demo_history_is_the_same_at_every_start(
    demo: DemoStack, tmp_path: Path
) -> None:
    config = replace(demo.config, database_path=tmp_path / "again.db")
    await load_sample_data(config, DEMO_NOW)
    query = (
        "SELECT copy_id, reader_id, state, loaned_on, due_on, returned_on FROM loan ORDER BY id"
    )
    async with Database(config.database_path) as again:
        assert [tuple(row) for row in await again.fetchall(query)] == [
            tuple(row) for row in await demo.application.bot_data.db.fetchall(query)
        ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 24), date(2026, 11, 24)),
        (date(2026, 11, 29), date(2026, 11, 28)),
        (date(2027, 2, 8), date(2027, 1, 30)),
        (date(2027, 7, 15), date(2027, 5, 31)),
        (date(2026, 9, 10), date(2026, 5, 30)),
    ],
)
def test_the_demo_day_is_a_school_day_whatever_the_real_date(today: date, expected: date) -> None:
    calendar = parse_config({}, require_token=False).calendar
    day = demo_day(today, calendar)
    assert day == expected and calendar.is_open(day) and not calendar.is_long_break(day)


def test_the_demo_clock_runs_on_a_school_day_in_opening_hours_whatever_the_real_date() -> None:
    config = parse_config({}, require_token=False)
    now = demo_clock(config)()
    assert is_school_day(now.date(), config.calendar)
    assert SCHOOL_HOURS[0] <= now.time() <= SCHOOL_HOURS[1]
    assert now.date() <= datetime.now(config.library.timezone).date()
