"""The demo's sample register, class list and staff list are well-formed and consistent."""

import csv
import re
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pytest

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
