"""Reading class lists and staff lists: headers, classes, names, marks and bad rows."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.class_list import (
    READER_ALIASES,
    STAFF,
    STUDENTS,
    ClassListError,
    ReaderList,
    class_from_title,
    detect_kind,
    find_reader_header,
    normalize_class,
    parse_female_mark,
    parse_flag,
    parse_gender,
    parse_reader_sheets,
    staff_category,
)
from bot.core.register import header_field, map_columns

TODAY = date(2026, 9, 5)
TITLE: list[list[object]] = [
    ["TRƯỜNG THCS NGUYỄN DU"],
    ["DANH SÁCH HỌC SINH LỚP 6A"],
    ["Năm học 2026 - 2027"],
    [],
]
HEADER: list[object] = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "HCKK"]
STAFF_HEADER: list[object] = ["STT", "Mã", "Họ và tên", "Chức vụ", "Môn dạy", "Chủ nhiệm lớp"]


def parse(rows: list[list[object]], *, name: str | None = None, kind: str = "auto") -> ReaderList:
    return parse_reader_sheets([(name, rows)], kind=kind, today=TODAY)


def problems(found: ReaderList) -> list[str]:
    return [str(problem) for problem in found.problems]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Họ và tên", "full_name"),
        ("HỌ VÀ TÊN", "full_name"),
        ("ho  ten", "full_name"),
        ("Tên học sinh", "full_name"),
        ("Họ (và tên đệm)", "family_name"),
        ("Họ đệm", "family_name"),
        ("Tên", "given_name"),
        ("Lớp", "class"),
        ("Mã học sinh", "code"),
        ("Mã HS", "code"),
        ("mã định danh", "code"),
        ("Mã số", "code"),
        ("Mã giáo viên", "code"),
        ("Mã cán bộ", "code"),
        ("Ngày, tháng, năm sinh", "birth_date"),
        ("Ngày sinh (dd/mm/yyyy)", "birth_date"),
        ("Giới tính", "gender"),
        ("Nữ", "female"),
        ("Hoàn cảnh khó khăn", "disadvantaged"),
        ("Hộ nghèo", "disadvantaged"),
        ("HCKK", "disadvantaged"),
        ("Diện chính sách", "disadvantaged"),
        ("Chức vụ", "position"),
        ("Môn dạy", "subject"),
        ("Môn", "subject"),
        ("Chủ nhiệm lớp", "homeroom"),
        ("GVCN", "homeroom"),
        ("Lớp chủ nhiệm", "homeroom"),
        ("STT", "number"),
    ],
)
def test_headers_match_in_any_case_accent_and_spacing(header: str, field: str) -> None:
    found = header_field(header, READER_ALIASES)
    assert found is not None and found[0] == field


def test_the_student_code_column_wins_over_the_national_id_and_a_bare_code() -> None:
    columns = map_columns(["Mã", "Mã định danh", "Mã học sinh", "Họ và tên"], READER_ALIASES)
    assert columns["code"] == 2


def test_register_headers_still_match_without_an_alias_table() -> None:
    assert header_field("Số ĐKCB") == ("accession", 0)
    assert header_field("Mã học sinh") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6A", "6A"),
        ("6a", "6A"),
        ("6 A", "6A"),
        ("6A1", "6A1"),
        ("6a1", "6A1"),
        ("Lớp 6A", "6A"),
        ("LỚP: 7B", "7B"),
        ("lop 9c", "9C"),
        ("6/1", "6/1"),
        ("12A10", "12A10"),
        (" 8 b ", "8B"),
    ],
)
def test_class_names_are_normalised(text: str, expected: str) -> None:
    assert normalize_class(text) == expected


@pytest.mark.parametrize("text", ["", "6", "A6", "Sheet1", "13A", "Khối 6", "6A, 6B", None])
def test_things_that_are_not_class_names_are_refused(text: str | None) -> None:
    assert normalize_class(text) is None


@given(
    grade=st.integers(1, 12),
    letter=st.sampled_from("ABCDEGHK"),
    number=st.sampled_from(["", "1", "2", "10"]),
    prefix=st.sampled_from(["", "Lớp ", "lop ", "LỚP: "]),
    gap=st.sampled_from(["", " "]),
    lower=st.booleans(),
)
def test_any_spelling_of_a_class_gives_the_one_canonical_name(
    grade: int, letter: str, number: str, prefix: str, gap: str, lower: bool
) -> None:
    spelled = f"{prefix}{grade}{gap}{letter.lower() if lower else letter}{number}"
    assert normalize_class(spelled) == f"{grade}{letter}{number}"


def test_the_class_comes_from_the_title_rows_then_the_sheet_name() -> None:
    assert class_from_title(TITLE, "Sheet1") == "6A"
    assert class_from_title([["Danh sách lớp 7a1 - năm học 2026-2027"]], None) == "7A1"
    assert class_from_title([["TRƯỜNG THCS NGUYỄN DU"]], "Lớp 8B") == "8B"
    assert class_from_title([["Danh sách học sinh khối 6"]], "Sheet1") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Nam", "Nam"), ("NỮ", "Nữ"), ("nu", "Nữ"), ("nam ", "Nam"), ("", ""), (None, "")],
)
def test_gender_cells_are_read(value: object, expected: str) -> None:
    assert parse_gender(value) == expected


def test_an_unreadable_gender_says_what_it_wanted() -> None:
    with pytest.raises(ValueError, match="giới tính “khác” không đọc được"):
        parse_gender("khác")


@pytest.mark.parametrize(
    ("value", "expected"), [("x", "Nữ"), ("X", "Nữ"), (1, "Nữ"), ("", "Nam"), (None, "Nam")]
)
def test_a_mark_in_the_female_column_means_female(value: object, expected: str) -> None:
    assert parse_female_mark(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("x", True),
        ("có", True),
        (1, True),
        ("Hộ nghèo", True),
        ("cận nghèo", True),
        ("Mồ côi cha", True),
        ("", False),
        (None, False),
        ("0", False),
        ("không", False),
    ],
)
def test_disadvantaged_marks(value: object, expected: bool) -> None:
    assert parse_flag(value) is expected


@pytest.mark.parametrize(
    ("subject", "position", "homeroom", "expected"),
    [
        ("Toán", "", "", "teacher"),
        ("", "Giáo viên", "", "teacher"),
        ("", "Tổ trưởng chuyên môn", "", "teacher"),
        ("", "Hiệu trưởng", "", "teacher"),
        ("", "Phó Hiệu trưởng", "", "teacher"),
        ("", "Tổng phụ trách Đội", "", "teacher"),
        ("", "GV", "", "teacher"),
        ("", "", "6A", "teacher"),
        ("", "Nhân viên thư viện", "", "staff"),
        ("", "Văn thư", "", "staff"),
        ("", "Kế toán", "", "staff"),
        ("", "", "", "staff"),
    ],
)
def test_staff_category(subject: str, position: str, homeroom: str, expected: str) -> None:
    assert staff_category(subject, position, homeroom) == expected


def test_a_class_list_under_title_rows_is_read() -> None:
    found = parse(
        [
            *TITLE,
            HEADER,
            [1, "HS001", "Nguyễn Minh An", "25/01/2015", "Nam", ""],
            [2, "HS002", "Đỗ Kim Hương", datetime(2015, 2, 3), "Nữ", "x"],
        ]
    )
    assert problems(found) == []
    (sheet,) = found.sheets
    assert (sheet.kind, sheet.header_row, sheet.title_class) == (STUDENTS, 5, "6A")
    first, second = found.entries
    assert (first.row, first.code, first.full_name, first.class_name) == (
        6,
        "HS001",
        "Nguyễn Minh An",
        "6A",
    )
    assert (first.birth_date, first.gender, first.disadvantaged) == ("2015-01-25", "Nam", False)
    assert (second.birth_date, second.gender, second.disadvantaged) == ("2015-02-03", "Nữ", True)
    assert first.given == {"birth_date", "gender", "disadvantaged"}


def test_a_class_column_wins_and_an_empty_cell_falls_back_to_the_title() -> None:
    found = parse(
        [
            ["DANH SÁCH HỌC SINH LỚP 6A"],
            ["Mã HS", "Họ tên", "Lớp"],
            ["HS001", "An", "6 b"],
            ["HS002", "Bình", ""],
        ]
    )
    assert [entry.class_name for entry in found.entries] == ["6B", "6A"]


def test_the_class_comes_from_the_sheet_name_when_the_title_has_none() -> None:
    found = parse([["Mã HS", "Họ tên"], ["HS001", "An"]], name="Lớp 7A")
    assert found.entries[0].class_name == "7A"


def test_a_class_list_with_no_class_anywhere_is_one_clear_problem() -> None:
    found = parse([["Mã HS", "Họ tên"], ["HS001", "An"], ["HS002", "Bình"]], name="Sheet1")
    assert found.entries == []
    assert problems(found) == [
        "Dòng 1: không biết học sinh ở lớp nào: thêm cột “Lớp”, hoặc ghi lớp ở dòng tên danh "
        "sách (ví dụ “DANH SÁCH HỌC SINH LỚP 6A”), hoặc đặt tên trang là tên lớp (ví dụ 6A)."
    ]


def test_a_list_without_a_code_column_is_one_clear_problem() -> None:
    found = parse([["STT", "Họ và tên", "Lớp"], [1, "An", "6A"]])
    assert len(found.problems) == 1
    assert "thiếu cột mã học sinh" in problems(found)[0]


def test_a_name_in_two_columns_is_joined() -> None:
    found = parse(
        [["Mã HS", "Họ (và tên đệm)", "Tên", "Lớp"], ["HS001", "Nguyễn Minh", "An", "6A"]]
    )
    assert found.entries[0].full_name == "Nguyễn Minh An"


def test_a_two_row_header_splits_the_name_under_a_merged_cell() -> None:
    found = parse(
        [
            ["STT", "Mã HS", "Họ và tên", None, "Lớp"],
            [None, None, "Họ đệm", "Tên", None],
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            [1, "HS001", "Phan Nhật", "An", "6A"],
        ]
    )
    assert problems(found) == []
    assert (found.entries[0].row, found.entries[0].full_name) == (4, "Phan Nhật An")


def test_a_two_row_header_with_every_merged_cell_filled_in() -> None:
    found = parse(
        [
            ["STT", "Mã HS", "Họ và tên", "Họ và tên", "Lớp"],
            ["STT", "Mã HS", "Họ đệm", "Tên", "Lớp"],
            [1, "HS001", "Phan Nhật", "An", "6A"],
        ]
    )
    assert found.entries[0].full_name == "Phan Nhật An"


def test_the_female_column_gives_the_gender() -> None:
    found = parse(
        [["Mã HS", "Họ tên", "Lớp", "Nữ"], ["A1", "An", "6A", ""], ["A2", "Hà", "6A", "x"]]
    )
    assert [entry.gender for entry in found.entries] == ["Nam", "Nữ"]


def test_totals_notes_signatures_and_blank_rows_are_not_readers() -> None:
    found = parse(
        [
            ["STT", "Mã HS", "Họ tên", "Lớp"],
            [1, "HS001", "An", "6A"],
            [None, None, None, None],
            [2, None, None, None],
            [3, "HS002", "Bình", "6A"],
            ["Tổng số: 2 học sinh", "Tổng số: 2 học sinh", "Tổng số: 2 học sinh", None],
            [None, None, "Ngày 5 tháng 9 năm 2026", None],
            [None, None, "Người lập biểu", "Hiệu trưởng"],
            [None, None, "Lê Thị Hoa", "Phạm Văn Thành"],
        ]
    )
    assert problems(found) == []
    assert [entry.code for entry in found.entries] == ["HS001", "HS002"]


@pytest.mark.parametrize(
    "footer",
    ["Tổng cộng", "Tổng: 35", "Ghi chú: HS in đậm là lớp trưởng", "GVCN: Trần Mạnh Hùng"],
)
def test_a_footer_line_without_a_code_ends_the_list(footer: str) -> None:
    found = parse(
        [["Mã HS", "Họ tên", "Lớp"], ["HS001", "An", "6A"], [None, footer], [None, "Chi", "6A"]]
    )
    assert (problems(found), len(found.entries)) == ([], 1)


def test_a_reader_with_a_code_below_the_signatures_is_still_read() -> None:
    found = parse(
        [
            ["Mã HS", "Họ tên", "Lớp"],
            ["HS001", "An", "6A"],
            [None, "Người lập biểu", "Hiệu trưởng"],
            [None, "Lê Thị Hoa", "Phạm Văn Thành"],
            ["HS002", "Bình", "6A"],
        ]
    )
    assert (problems(found), [entry.code for entry in found.entries]) == ([], ["HS001", "HS002"])


def test_a_principal_without_a_code_is_a_problem_not_a_signature() -> None:
    found = parse(
        [
            ["Mã", "Họ và tên", "Chức vụ"],
            ["", "Phạm Văn Thành", "Hiệu trưởng"],
            ["CB014", "Nguyễn Thị Lan", "Nhân viên thư viện"],
        ]
    )
    assert problems(found) == ["Dòng 2: thiếu mã cán bộ, giáo viên"]
    assert [entry.code for entry in found.entries] == ["CB014"]


def test_a_student_named_tong_is_not_a_footer() -> None:
    found = parse(
        [["Mã HS", "Họ tên", "Lớp"], ["HS001", "Tống Sơn", "6A"], ["", "Tống Văn Số", "6A"]]
    )
    assert [entry.full_name for entry in found.entries] == ["Tống Sơn"]
    assert problems(found) == ["Dòng 3: thiếu mã học sinh"]


def test_a_repeated_header_row_is_skipped() -> None:
    found = parse(
        [
            ["Mã HS", "Họ tên", "Lớp"],
            ["HS001", "An", "6A"],
            ["Mã HS", "Họ tên", "Lớp"],
            ["HS002", "B", "6A"],
        ]
    )
    assert problems(found) == []
    assert len(found.entries) == 2


def test_each_bad_row_is_named_with_its_row_and_reason() -> None:
    found = parse(
        [
            *TITLE,
            ["Mã HS", "Họ và tên", "Lớp", "Ngày sinh", "Giới tính"],
            ["HS001", "Nguyễn Minh An", "6A", "25/01/2015", "Nam"],
            ["", "Phan Nhật An", "6A", "11/08/2015", "Nam"],
            ["HS003", "", "6A", "11/01/2015", "Nam"],
            ["hs001", "Nguyễn Quang Dũng", "6A", "", "Nam"],
            ["HS005", "Phạm Duy Hải", "6A", "31/02/2015", "Nam"],
            ["HS006", "Đỗ Kim Hương", "lớp sáu", "", "Nữ"],
            ["HS007", "Lê Phương Ngân", "6A", "06/06/2030", "Nữ"],
            ["HS008", "Lý Diệu Ngọc", "6A", "", "khác"],
            ["HS009", "12345", "6A", "", ""],
            ["", "", "", "01/01/2015", ""],
        ]
    )
    assert [entry.code for entry in found.entries] == ["HS001"]
    assert problems(found) == [
        "Dòng 7: thiếu mã học sinh",
        "Dòng 8: thiếu họ và tên",
        "Dòng 9: mã hs001 trùng với dòng 6",
        "Dòng 10: ngày sinh “31/02/2015” không đọc được "
        "(cần dạng ngày/tháng/năm, ví dụ 25/01/2015)",
        "Dòng 11: lớp “lớp sáu” không phải tên lớp (ví dụ 6A, 6A1 hoặc Lớp 6A)",
        "Dòng 12: ngày sinh “06/06/2030” ở sau ngày hôm nay",
        "Dòng 13: giới tính “khác” không đọc được (cần Nam hoặc Nữ)",
        "Dòng 14: họ và tên “12345” không có chữ cái nào",
        "Dòng 15: thiếu mã học sinh; thiếu họ và tên",
    ]


def test_a_row_with_several_faults_lists_them_all() -> None:
    found = parse([["Mã HS", "Họ tên", "Lớp", "Ngày sinh"], ["", "An", "6", "hôm qua"]])
    assert problems(found) == [
        "Dòng 2: thiếu mã học sinh; lớp “6” không phải tên lớp (ví dụ 6A, 6A1 hoặc Lớp 6A); "
        "ngày sinh “hôm qua” không đọc được (cần dạng ngày/tháng/năm, ví dụ 25/01/2015)"
    ]


def test_a_student_without_a_class_cell_or_title_class_is_a_row_problem() -> None:
    found = parse([["Mã HS", "Họ tên", "Lớp"], ["HS001", "An", ""]], name="Sheet1")
    assert problems(found) == ["Dòng 2: thiếu lớp"]


def test_every_sheet_is_read_and_problems_name_their_sheet() -> None:
    sheet_a: list[list[object]] = [["DANH SÁCH LỚP 6A"], ["Mã HS", "Họ tên"], ["HS001", "An"]]
    sheet_b: list[list[object]] = [["Mã HS", "Họ tên"], ["HS002", "Bình"], ["HS001", "Chi"]]
    notes: list[list[object]] = [["Hướng dẫn: mỗi lớp một trang."]]
    found = parse_reader_sheets(
        [("Lớp 6A", sheet_a), ("6B", sheet_b), ("Hướng dẫn", notes)], today=TODAY
    )
    assert [sheet.name for sheet in found.sheets] == ["Lớp 6A", "6B"]
    assert [(e.code, e.class_name) for e in found.entries] == [("HS001", "6A"), ("HS002", "6B")]
    assert problems(found) == ["Trang “6B”, dòng 3: mã HS001 trùng với dòng 3 của trang “Lớp 6A”"]


def test_a_staff_list_is_told_from_its_headers() -> None:
    found = parse(
        [
            ["DANH SÁCH CÁN BỘ, GIÁO VIÊN, NHÂN VIÊN"],
            STAFF_HEADER,
            [1, "CB001", "Phạm Văn Thành", "Hiệu trưởng", "Toán", ""],
            [2, "CB003", "Trần Mạnh Hùng", "Giáo viên", "Toán", "lớp 6a"],
            [3, "CB014", "Nguyễn Thị Lan", "Nhân viên thư viện", "", ""],
            [4, "CB015", "Trịnh Thị Hạnh", "Văn thư", "", "6 lớp"],
        ]
    )
    assert found.sheets[0].kind == STAFF
    assert [(e.code, e.category, e.homeroom_class) for e in found.entries] == [
        ("CB001", "teacher", ""),
        ("CB003", "teacher", "6A"),
        ("CB014", "staff", ""),
    ]
    assert found.entries[0].given == {"position", "subject", "homeroom_class"}
    assert found.entries[1].class_name == ""
    assert problems(found) == ["Dòng 6: lớp chủ nhiệm “6 lớp” không phải tên lớp (ví dụ 6A)"]


def test_a_staff_row_without_a_code_says_so() -> None:
    found = parse([["Mã", "Họ và tên", "Chức vụ"], ["", "Nguyễn Thị Lan", "Văn thư"]])
    assert problems(found) == ["Dòng 2: thiếu mã cán bộ, giáo viên"]


@pytest.mark.parametrize(
    ("title", "header", "kind"),
    [
        ([], ["Mã HS", "Họ tên", "Lớp"], STUDENTS),
        ([], ["Mã", "Họ tên", "Chức vụ"], STAFF),
        ([], ["Mã", "Họ tên", "Môn dạy"], STAFF),
        ([], ["Mã", "Họ tên", "GVCN"], STAFF),
        ([], ["Mã giáo viên", "Họ tên"], STAFF),
        ([["DANH SÁCH GIÁO VIÊN"]], ["Mã", "Họ tên"], STAFF),
        ([["DANH SÁCH HỌC SINH LỚP 6A"]], ["Mã", "Họ tên", "Chức vụ"], STUDENTS),
        ([], ["Mã", "Họ tên", "Lớp", "Chức vụ"], STUDENTS),
        ([], ["Mã", "Họ tên"], STUDENTS),
    ],
)
def test_the_kind_of_list(title: list[list[object]], header: list[object], kind: str) -> None:
    assert detect_kind(map_columns(header, READER_ALIASES), header, title) == kind


def test_a_forced_kind_overrides_the_headers() -> None:
    found = parse([["Mã", "Họ và tên"], ["CB014", "Nguyễn Thị Lan"]], kind="staff")
    assert (found.sheets[0].kind, found.entries[0].category) == (STAFF, "staff")


def test_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        parse([["Mã", "Họ và tên"]], kind="teachers")


def test_no_header_says_which_columns_are_needed() -> None:
    with pytest.raises(ClassListError, match="Không tìm thấy dòng tiêu đề"):
        parse([["Bảng điểm"], ["Toán", "Văn"], [9, 8]])


def test_a_header_without_a_name_column_says_so() -> None:
    with pytest.raises(ClassListError, match="Dòng 2 trông như dòng tiêu đề nhưng thiếu cột họ"):
        find_reader_header([["DANH SÁCH"], ["STT", "Mã HS", "Lớp"]])


CELL = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-5, 80000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2100, 1, 1)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, max_size=8), max_size=12))
def test_any_cells_under_a_header_give_entries_or_problems_never_a_crash(
    rows: list[list[object]],
) -> None:
    found = parse([*TITLE, HEADER, *rows])
    numbers = [entry.row for entry in found.entries] + [p.row for p in found.problems]
    assert len(numbers) == len(set(numbers))
    assert all(6 <= (number or 0) <= 5 + len(rows) for number in numbers)
