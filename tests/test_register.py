"""Reading an accession register's rows: headers, cells, bad rows, grouping into titles."""

import contextlib
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.register import (
    KIND_OTHER,
    KIND_PERIODICAL,
    KIND_PROFESSIONAL,
    KIND_SGK,
    KIND_SGV,
    KIND_STK,
    KIND_STORY,
    Problem,
    RegisterError,
    clean_text,
    find_header,
    group_key,
    header_field,
    kind_from_accession,
    map_columns,
    normalize_isbn,
    normalize_kind,
    normalize_source,
    parse_date,
    parse_grade,
    parse_price,
    parse_register,
    parse_year,
)

HEADER: list[object] = [
    "STT",
    "Số ĐKCB",
    "Tên sách",
    "Tác giả",
    "Nhà xuất bản",
    "Năm xuất bản",
    "Giá tiền",
]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Số ĐKCB", "accession"),
        ("SO DKCB", "accession"),
        ("số đăng ký cá biệt", "accession"),
        ("Mã ĐKCB", "accession"),
        ("ĐKCB", "accession"),
        ("Số ĐK", "accession"),
        ("Số\nĐKCB", "accession"),
        ("TEN SACH", "title"),
        ("Nhan đề", "title"),
        ("Tên tài liệu", "title"),
        ("Tên sách - tài liệu", "title"),
        ("tác  giả", "author"),
        ("NXB", "publisher"),
        ("Nơi XB", "publisher"),
        ("Năm XB", "year"),
        ("Năm", "year"),
        ("Giá tiền (đồng)", "price"),
        ("Đơn giá", "price"),
        ("Giá", "price"),
        ("Giá sách", "location"),
        ("Môn loại", "subject"),
        ("Ký hiệu phân loại", "classification"),
        ("Phân loại", "classification"),
        ("Ngày vào sổ", "acquired_on"),
        ("Ngày nhập", "acquired_on"),
        ("Ghi chú", "note"),
        ("ISBN", "isbn"),
        ("Loại sách", "kind"),
        ("Khối/lớp", "grade"),
        ("Vị trí", "location"),
        ("Nguồn gốc", "source"),
        ("Người tặng", "donor"),
        ("Tóm tắt", "summary"),
    ],
)
def test_headers_match_in_any_spelling(header: str, field: str) -> None:
    found = header_field(header)
    assert found is not None and found[0] == field


def test_unknown_headers_are_ignored() -> None:
    assert header_field("STT") is None
    assert header_field("") is None
    assert header_field(None) is None


def test_publishing_house_wins_over_place_of_publication_in_any_order() -> None:
    assert map_columns(["Nơi xuất bản", "Nhà xuất bản"])["publisher"] == 1
    assert map_columns(["Nhà xuất bản", "Nơi xuất bản"])["publisher"] == 0


def test_header_is_the_row_naming_most_columns_under_title_rows() -> None:
    rows: list[list[object]] = [
        ["SỔ ĐĂNG KÝ CÁ BIỆT"],
        ["Trường THCS Nguyễn Du", None, "Năm học 2024-2025"],
        [],
        ["Số ĐKCB", "Tên sách"],
        ["Số ĐKCB", "Tên sách", "Tác giả", "Năm xuất bản"],
    ]
    index, columns = find_header(rows)
    assert index == 4
    assert columns == {"accession": 0, "title": 1, "author": 2, "year": 3}


def test_no_header_names_the_columns_expected() -> None:
    with pytest.raises(RegisterError, match=r"Số ĐKCB.*Tên sách"):
        find_header([["Họ và tên", "Lớp"], ["Nguyễn Văn An", "6A"]])


def test_a_header_without_accession_column_says_so() -> None:
    with pytest.raises(RegisterError, match=r"Dòng 2 .*thiếu cột số ĐKCB\."):
        find_header([["Sổ sách"], ["Tên sách", "Tác giả", "Năm xuất bản"]])


def test_an_empty_sheet_has_no_header() -> None:
    with pytest.raises(RegisterError):
        find_header([])


@pytest.mark.parametrize("value", [2021, 2021.0, "2021", " 2021 "])
def test_year_reads_numbers_and_text(value: object) -> None:
    assert parse_year(value, latest=2026) == 2021


@pytest.mark.parametrize("value", [None, "", "-"])
def test_an_empty_year_is_none(value: object) -> None:
    assert parse_year(value, latest=2026) is None


def test_an_unreadable_year_is_a_problem_quoting_it() -> None:
    with pytest.raises(ValueError, match="năm xuất bản “hai nghìn” không đọc được"):
        parse_year("hai nghìn", latest=2026)


@pytest.mark.parametrize("value", [1850, "1899", 2027, 2021.5, "20211"])
def test_a_year_outside_1900_to_next_year_is_a_problem(value: object) -> None:
    with pytest.raises(ValueError, match="năm xuất bản"):
        parse_year(value, latest=2026)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2024, 9, 5),
        date(2024, 9, 5),
        "05/09/2024",
        "5/9/2024",
        "5/9/24",
        "05-09-2024",
        "05.09.2024",
        "2024-09-05",
        "05/09/2024 00:00:00",
        "ngày 5 tháng 9 năm 2024",
        45540,
    ],
)
def test_dates_read_to_iso(value: object) -> None:
    assert parse_date(value) == "2024-09-05"


@pytest.mark.parametrize("value", ["31/02/2024", "13/13/2020", "hôm qua", "2024", 12.5, 123])
def test_an_unreadable_date_is_a_problem_quoting_it(value: object) -> None:
    with pytest.raises(ValueError, match=r"ngày vào sổ “.+” không đọc được"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "price"),
    [
        (45000, 45000),
        (45000.0, 45000),
        ("45000", 45000),
        ("45.000đ", 45000),
        ("45,000 VNĐ", 45000),
        ("45.000 đồng", 45000),
        ("45 000 đ", 45000),
        ("1.250.000", 1250000),
        ("45.000,00", 45000),
        ("45000.0", 45000),
        ("1,250,000.00", 1250000),
        ("0", 0),
    ],
)
def test_prices_read_to_whole_dong(value: object, price: int) -> None:
    assert parse_price(value) == price


@pytest.mark.parametrize("value", ["bốn lăm nghìn", "-5000", -5000, "45.00.0", "12.5", "x"])
def test_an_unreadable_price_is_a_problem(value: object) -> None:
    with pytest.raises(ValueError, match=r"giá tiền “.+” không đọc được"):
        parse_price(value)


@pytest.mark.parametrize(("value", "grade"), [(7, 7), ("Lớp 7", 7), ("6-9", None), ("", None)])
def test_grade_is_a_single_number(value: object, grade: int | None) -> None:
    assert parse_grade(value) == grade


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("SGK", KIND_SGK),
        ("Sách giáo khoa", KIND_SGK),
        ("sách giáo viên", KIND_SGV),
        ("Sách tham khảo", KIND_STK),
        ("Truyện tranh", KIND_STORY),
        ("Báo, tạp chí", KIND_PERIODICAL),
        ("Tạp chí", KIND_PERIODICAL),
        ("Báo", KIND_PERIODICAL),
        ("Sách nghiệp vụ", KIND_PROFESSIONAL),
        ("Từ điển", KIND_OTHER),
        ("", ""),
    ],
)
def test_kinds_normalise_to_the_canonical_set(text: str, kind: str) -> None:
    assert normalize_kind(text) == kind


@pytest.mark.parametrize(
    ("accession", "kind"),
    [
        ("SGK-00012", KIND_SGK),
        ("SGV-1", KIND_SGV),
        ("STK00012", KIND_STK),
        ("TN-001", KIND_STORY),
        ("NV-3", KIND_PROFESSIONAL),
        ("BTC-15", KIND_PERIODICAL),
        ("BÁO-15", KIND_PERIODICAL),
        ("12345", ""),
        ("ABC-1", ""),
    ],
)
def test_kind_comes_from_the_accession_prefix(accession: str, kind: str) -> None:
    assert kind_from_accession(accession) == kind


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Mua", "bought"),
        ("Tặng", "donated"),
        ("Biếu", "donated"),
        ("tặng/biếu", "donated"),
        ("Luân chuyển", "rotated_in"),
        ("", ""),
        ("Hội khuyến học", None),
    ],
)
def test_sources_normalise(text: str, source: str | None) -> None:
    assert normalize_source(text) == source


def test_text_is_nfc_with_whitespace_collapsed() -> None:
    decomposed = unicodedata.normalize("NFD", "  Dế Mèn\tphiêu   lưu ký ")
    assert clean_text(decomposed) == "Dế Mèn phiêu lưu ký"
    assert clean_text(2021.0) == "2021"


def test_isbn_keeps_digits_when_it_has_ten_or_thirteen() -> None:
    assert normalize_isbn("ISBN 978-604-2-12345-6") == "9786042123456"
    assert normalize_isbn(9786042123456) == "9786042123456"
    assert normalize_isbn("đang cập nhật") == "đang cập nhật"


def test_group_key_ignores_case_accents_and_spacing_but_not_year() -> None:
    a = group_key("Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2019)
    b = group_key("DẾ MÈN  PHIÊU LƯU KÝ", "tô hoài", "kim đồng", 2019)
    assert a == b == "de men phieu luu ky|to hoai|kim dong|2019"
    assert group_key("Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2020) != a


def test_rows_become_entries_with_spreadsheet_row_numbers() -> None:
    rows: list[list[object]] = [
        ["SỔ ĐĂNG KÝ CÁ BIỆT"],
        HEADER,
        [1, " stk-2 ", "Toán  6", "Hà Huy Khoái", "Giáo dục", "2021", "22.000đ"],
        [],
        [2, "TN-7", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2019, 45000],
    ]
    register = parse_register(rows)
    assert register.header_row == 2
    assert [(e.row, e.accession, e.title, e.kind) for e in register.entries] == [
        (3, "STK-2", "Toán 6", KIND_STK),
        (5, "TN-7", "Dế Mèn phiêu lưu ký", KIND_STORY),
    ]
    assert register.entries[0].price == 22000
    assert register.problems == []


def test_each_bad_row_is_reported_with_its_reason() -> None:
    rows: list[list[object]] = [
        HEADER,
        [1, "STK-1", "Toán 6", "", "", "", ""],
        [2, "", "Văn 6", "", "", "", ""],
        [3, "STK-3", "", "", "", "", ""],
        [4, "stk-1", "Toán 7", "", "", "", ""],
        [5, "STK-5", "Sử 6", "", "", "hai nghìn", ""],
        [6, "STK-6", "Địa 6", "", "", "", "bốn lăm"],
        [7, None, None, "Nguyễn Du", "", "", ""],
    ]
    register = parse_register(rows, latest_year=2026)
    assert [str(problem) for problem in register.problems] == [
        "Dòng 3: thiếu số ĐKCB",
        "Dòng 4: thiếu tên sách",
        "Dòng 5: số ĐKCB STK-1 trùng với dòng 2",
        "Dòng 6: năm xuất bản “hai nghìn” không đọc được",
        "Dòng 7: giá tiền “bốn lăm” không đọc được",
        "Dòng 8: thiếu số ĐKCB và tên sách",
    ]
    assert [entry.accession for entry in register.entries] == ["STK-1"]


def test_a_row_with_several_problems_names_them_all() -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Ngày vào sổ", "Năm"],
        ["", "Toán 6", "32/1/2020", "x1"],
    ]
    (problem,) = parse_register(rows).problems
    assert problem == Problem(
        2,
        "thiếu số ĐKCB; năm xuất bản “x1” không đọc được; "
        "ngày vào sổ “32/1/2020” không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/09/2024)",
    )


def test_rows_with_only_a_running_number_are_blank() -> None:
    rows: list[list[object]] = [HEADER, [1, "STK-1", "Toán 6"], [2], [3, None, None, None]]
    register = parse_register(rows)
    assert len(register.entries) == 1
    assert register.problems == []


def test_the_totals_row_ends_the_table_and_subtotals_are_skipped() -> None:
    rows: list[list[object]] = [
        HEADER,
        [1, "STK-1", "Toán 6", "", "", "", 22000],
        ["Cộng trang", None, None, None, None, None, 22000],
        [2, "STK-2", "Văn 6", "", "", "", 20000],
        ["Tổng cộng", None, None, None, None, None, 42000],
        [None, None, "Người lập sổ"],
        [None, None, "(ký, ghi rõ họ tên)"],
    ]
    register = parse_register(rows)
    assert [entry.accession for entry in register.entries] == ["STK-1", "STK-2"]
    assert register.problems == []


def test_a_two_row_header_and_a_column_number_row_are_read_as_header() -> None:
    rows: list[list[object]] = [
        ["Ngày vào sổ", "Số ĐKCB", "Tên sách", "Tác giả", "Xuất bản", None, None, "Giá tiền"],
        [None, None, None, None, "Nơi XB", "Nhà XB", "Năm XB"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"],
        ["05/09/2024", "STK-1", "Toán 6", "Hà Huy Khoái", "Hà Nội", "Giáo dục", 2021, 22000],
    ]
    register = parse_register(rows)
    (entry,) = register.entries
    assert (entry.row, entry.publisher, entry.year, entry.acquired_on) == (
        4,
        "Giáo dục",
        2021,
        "2024-09-05",
    )
    assert register.problems == []


def test_a_kind_column_wins_over_the_prefix_and_an_empty_one_falls_back_to_it() -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Loại"],
        ["STK-1", "Dế Mèn", "Truyện"],
        ["STK-2", "Toán", ""],
    ]
    assert [entry.kind for entry in parse_register(rows).entries] == [KIND_STORY, KIND_STK]


def test_an_unknown_source_is_kept_in_the_note() -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Nguồn", "Ghi chú"],
        ["STK-1", "Toán", "Hội khuyến học", "Mới"],
    ]
    (entry,) = parse_register(rows).entries
    assert (entry.source, entry.note) == ("", "Mới; Nguồn: Hội khuyến học")


@given(st.text(max_size=30))
def test_cell_parsers_only_ever_raise_value_error(text: str) -> None:
    for parse in (parse_price, parse_date, lambda value: parse_year(value, latest=2026)):
        with contextlib.suppress(ValueError):
            parse(text)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["đ", " VNĐ", " đồng", ""]))
def test_grouped_prices_read_back(amount: int, currency: str) -> None:
    assert parse_price(f"{amount:,}".replace(",", ".") + currency) == amount
    assert parse_price(f"{amount:,}" + currency) == amount


@given(st.text(max_size=40))
def test_clean_text_is_nfc_and_single_spaced(text: str) -> None:
    cleaned = clean_text(text)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == " ".join(cleaned.split())
