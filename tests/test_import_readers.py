"""`thuvien import-readers`: a class list or staff list becomes readers, all or nothing."""

import csv
import io
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from bot.demo import data_file
from bot.reader_import import import_readers
from db.connection import Database

TITLE = ["TRƯỜNG THCS NGUYỄN DU", "DANH SÁCH HỌC SINH LỚP {klass}", "Năm học 2026 - 2027"]
HEADER: list[object] = ["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Giới tính", "HCKK"]
CLASS_6A: list[list[object]] = [
    [1, "HS26001", "Nguyễn Minh An", "25/01/2015", "Nam", ""],
    [2, "HS26002", "Phan Nhật An", datetime(2015, 8, 11), "Nam", ""],
    [3, "HS26006", "Đỗ Kim Hương", "03/02/2015", "Nữ", "x"],
]
CLASS_6B: list[list[object]] = [
    [1, "HS26016", "Nguyễn Hà An", "22/08/2015", "Nữ", "hộ nghèo"],
    [2, "HS26019", "Bùi Bảo Minh", "12/07/2015", "Nam", ""],
]
STAFF: list[list[object]] = [
    ["Mã", "Họ và tên", "Chức vụ", "Môn dạy", "Chủ nhiệm lớp"],
    ["CB003", "Trần Mạnh Hùng", "Giáo viên", "Toán", "6a"],
    ["CB004", "Lê Thị Thu Hà", "Giáo viên", "Ngữ văn", "Lớp 6B"],
    ["CB014", "Nguyễn Thị Lan", "Nhân viên thư viện", "", ""],
]
Row = tuple[object, ...]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "thuvien.db") as database:
        yield database


def add_class_sheet(
    sheet: openpyxl.worksheet.worksheet.Worksheet,
    klass: str,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[object] = HEADER,
) -> None:
    """Write a class list under merged title rows, as a school's Excel file has it."""
    for line in TITLE:
        sheet.append([line.format(klass=klass)])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=6
        )
    sheet.append([])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))


def write_workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for klass, rows in sheets.items():
        add_class_sheet(workbook.create_sheet(klass), klass, rows)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",") -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows(
        ["" if cell is None else cell for cell in row] for row in rows
    )
    path.write_bytes(text.getvalue().encode("utf-8-sig"))
    return path


async def dump(db: Database) -> list[Row]:
    rows = await db.fetchall(
        "SELECT id, code, full_name, folded_name, category, class_name, birth_date, gender,"
        " disadvantaged, subject, position, homeroom_class, active FROM reader ORDER BY id"
    )
    return [tuple(row) for row in rows]


async def reader(db: Database, code: str) -> dict[str, object]:
    row = await db.fetchone("SELECT * FROM reader WHERE code = ?", (code,))
    assert row is not None, code
    return dict(row)


async def test_the_sample_class_list_imports_cleanly(db: Database) -> None:
    report = await import_readers(db, data_file("sample_readers.csv"))
    assert (report.errors, report.written) == ([], True)
    assert await db.fetchval("SELECT count(*) FROM reader WHERE category = 'student'") == 120
    assert await db.fetchval("SELECT count(*) FROM reader WHERE disadvantaged = 1") == 6
    classes = await db.fetchall("SELECT DISTINCT class_name FROM reader ORDER BY 1")
    assert [row[0] for row in classes] == ["6A", "6B", "7A", "7B", "8A", "8B", "9A", "9B"]
    an = await reader(db, "HS26001")
    assert (an["full_name"], an["folded_name"], an["birth_date"], an["gender"]) == (
        "Nguyễn Minh An",
        "nguyen minh an",
        "2015-01-25",
        "Nam",
    )
    assert "Học sinh: 120 mới, 0 cập nhật, 0 không đổi." in report.render()


async def test_the_sample_staff_list_imports_cleanly(db: Database) -> None:
    report = await import_readers(db, data_file("sample_staff.csv"))
    assert (report.errors, report.written) == ([], True)
    rows = await db.fetchall(
        "SELECT code, category, homeroom_class FROM reader WHERE homeroom_class <> '' ORDER BY 3"
    )
    assert [row["homeroom_class"] for row in rows] == [
        "6A",
        "6B",
        "7A",
        "7B",
        "8A",
        "8B",
        "9A",
        "9B",
    ]
    assert {row["category"] for row in rows} == {"teacher"}
    librarian = await reader(db, "CB014")
    assert (librarian["full_name"], librarian["category"], librarian["position"]) == (
        "Nguyễn Thị Lan",
        "staff",
        "Nhân viên thư viện",
    )
    assert (await reader(db, "CB013"))["category"] == "teacher"
    text = report.render()
    assert "Giáo viên: 13 mới" in text and "Nhân viên: 2 mới" in text


async def test_a_class_list_under_merged_title_rows_takes_its_class_from_the_title(
    db: Database, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    add_class_sheet(sheet, "6A", CLASS_6A)
    workbook.save(tmp_path / "lop6a.xlsx")
    report = await import_readers(db, tmp_path / "lop6a.xlsx")
    assert report.errors == [] and report.written
    rows = await dump(db)
    assert [(row[1], row[5]) for row in rows] == [
        ("HS26001", "6A"),
        ("HS26002", "6A"),
        ("HS26006", "6A"),
    ]
    assert rows[1][6] == "2015-08-11"
    assert rows[2][7:9] == ("Nữ", 1)
    assert "Danh sách học sinh lớp 6A, dòng tiêu đề 5." in report.render()


async def test_merged_cells_fill_the_class_down_and_split_the_name(
    db: Database, tmp_path: Path
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["DANH SÁCH HỌC SINH KHỐI 6"])
    sheet.merge_cells("A1:F1")
    sheet.append(["STT", "Mã HS", "Họ và tên", None, "Lớp", "Nữ"])
    sheet.append([None, None, "Họ đệm", "Tên", None, None])
    sheet.merge_cells("C2:D2")
    for column in "ABEF":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.append([1, "HS1", "Nguyễn Hà", "An", "6 A", "x"])
    sheet.append([2, "HS2", "Bùi Bảo", "Minh", None, None])
    sheet.append([3, "HS3", "Cao Anh", "Minh", "6B", None])
    sheet.merge_cells("E4:E5")
    workbook.save(tmp_path / "khoi6.xlsx")
    report = await import_readers(db, tmp_path / "khoi6.xlsx")
    assert report.errors == [], report.render()
    rows = await dump(db)
    assert [(row[2], row[5], row[7]) for row in rows] == [
        ("Nguyễn Hà An", "6A", "Nữ"),
        ("Bùi Bảo Minh", "6A", "Nam"),
        ("Cao Anh Minh", "6B", "Nam"),
    ]


async def test_every_class_sheet_of_a_workbook_is_read(db: Database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "khoi6.xlsx", {"6A": CLASS_6A, "6B": CLASS_6B})
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Hướng dẫn").append(["Mỗi lớp một trang, mã học sinh ở cột B."])
    hidden = workbook.create_sheet("Cũ")
    add_class_sheet(hidden, "5A", [[1, "HS1", "Ẩn Danh", "", "", ""]])
    hidden.sheet_state = "hidden"
    workbook.save(path)
    report = await import_readers(db, path)
    assert report.errors == [] and report.written
    rows = await dump(db)
    assert [(row[1], row[5], row[8]) for row in rows] == [
        ("HS26001", "6A", 0),
        ("HS26002", "6A", 0),
        ("HS26006", "6A", 1),
        ("HS26016", "6B", 1),
        ("HS26019", "6B", 0),
    ]
    text = report.render()
    assert "Trang “6A”: danh sách học sinh lớp 6A, dòng tiêu đề 5, 3 dòng đúng." in text
    assert "Trang “6B”: danh sách học sinh lớp 6B, dòng tiêu đề 5, 2 dòng đúng." in text


async def test_a_sheet_named_for_its_class_needs_no_class_column(
    db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "x.csv", [["Mã HS", "Họ tên"], ["HS1", "An"]])
    report = await import_readers(db, path)
    assert "không biết học sinh ở lớp nào" in report.render()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Lớp 7B"
    sheet.append(["Mã HS", "Họ tên"])
    sheet.append(["HS1", "An"])
    workbook.save(tmp_path / "7b.xlsx")
    report = await import_readers(db, tmp_path / "7b.xlsx")
    assert report.written
    assert (await reader(db, "HS1"))["class_name"] == "7B"


async def test_a_two_column_name_is_joined(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "6a.csv",
        [["Mã HS", "Họ (và tên đệm)", "Tên", "Lớp"], ["HS1", "Nguyễn Minh", "An", "6A"]],
        delimiter=";",
    )
    report = await import_readers(db, path)
    assert report.written, report.render()
    assert (await reader(db, "HS1"))["full_name"] == "Nguyễn Minh An"


BAD_ROWS: list[tuple[list[object], str]] = [
    ([4, "", "Phạm Duy Hải", "31/08/2015", "Nam", ""], "Dòng 9: thiếu mã học sinh"),
    ([4, "HS26010", "", "31/08/2015", "Nam", ""], "Dòng 9: thiếu họ và tên"),
    (
        [4, "hs26001", "Phạm Duy Hải", "31/08/2015", "Nam", ""],
        "Dòng 9: mã hs26001 trùng với dòng 6",
    ),
    (
        [4, "HS26010", "Phạm Duy Hải", "31/13/2015", "Nam", ""],
        "Dòng 9: ngày sinh “31/13/2015” không đọc được "
        "(cần dạng ngày/tháng/năm, ví dụ 25/01/2015)",
    ),
    (
        [4, "HS26010", "Phạm Duy Hải", "31/08/2015", "Nam", "", "sáu a"],
        "Dòng 9: lớp “sáu a” không phải tên lớp (ví dụ 6A, 6A1 hoặc Lớp 6A)",
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
async def test_one_bad_row_stops_the_whole_import(
    db: Database, tmp_path: Path, bad: list[object], message: str
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if len(bad) > len(HEADER):
        rows = [*([*row, "6A"] for row in CLASS_6A), bad]
        add_class_sheet(sheet, "6A", rows, header=[*HEADER, "Lớp"])
    else:
        add_class_sheet(sheet, "6A", [*CLASS_6A, bad])
    workbook.save(tmp_path / "6a.xlsx")
    report = await import_readers(db, tmp_path / "6a.xlsx")
    assert [str(problem) for problem in report.errors] == [message]
    assert not report.written
    assert await dump(db) == []
    text = report.render()
    assert "❌ Không ghi gì vì có 1 dòng lỗi" in text and message in text


async def test_allow_errors_writes_the_good_rows(db: Database, tmp_path: Path) -> None:
    rows = [*CLASS_6A, [4, "", "Phạm Duy Hải", "", "", ""]]
    path = write_workbook(tmp_path / "6a.xlsx", {"6A": rows})
    report = await import_readers(db, path, allow_errors=True)
    assert report.written
    assert len(await dump(db)) == 3
    text = report.render()
    assert "Dòng: 3 đúng, 1 lỗi." in text
    assert "⚠️ Bỏ qua 1 dòng lỗi (--allow-errors):\n  Dòng 9: thiếu mã học sinh" in text


async def test_importing_the_same_file_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "khoi6.xlsx", {"6A": CLASS_6A, "6B": CLASS_6B})
    await import_readers(db, path)
    before = await dump(db)
    report = await import_readers(db, path)
    assert await dump(db) == before
    assert report.written and report.tallies["student"].unchanged == 5
    assert "Học sinh: 0 mới, 0 cập nhật, 5 không đổi." in report.render()
    assert "không có gì thay đổi" in report.render()


async def test_a_new_list_updates_readers_in_place_and_leaves_out_no_one(
    db: Database, tmp_path: Path
) -> None:
    await import_readers(db, write_workbook(tmp_path / "a.xlsx", {"6A": CLASS_6A}))
    ids = {row[1]: row[0] for row in await dump(db)}
    await db.conn.execute("UPDATE reader SET active = 0 WHERE code = 'HS26006'")
    corrected: list[list[object]] = [
        [1, "HS26001", "Nguyễn Minh  Ân", "25/01/2015", "Nam", "cận nghèo"],
        [2, "HS26006", "Đỗ Kim Hương", "03/02/2015", "Nữ", "x"],
        [3, "HS26099", "Dương Kim Lan", "10/10/2015", "Nữ", ""],
    ]
    report = await import_readers(db, write_workbook(tmp_path / "b.xlsx", {"6A": corrected}))
    assert report.written
    rows = {row[1]: row for row in await dump(db)}
    assert rows["HS26001"][0] == ids["HS26001"]
    assert rows["HS26001"][2:4] == ("Nguyễn Minh Ân", "nguyen minh an")
    assert rows["HS26001"][8] == 1
    assert rows["HS26006"][12] == 1
    assert rows["HS26002"][12] == 1 and rows["HS26002"][5] == "6A"
    text = report.render()
    assert "Học sinh: 1 mới, 2 cập nhật, 0 không đổi." in text
    assert "1 học sinh lớp 6A có trong cơ sở dữ liệu nhưng không có trong danh sách này" in text


async def test_a_list_without_a_column_keeps_what_an_earlier_list_said(
    db: Database, tmp_path: Path
) -> None:
    await import_readers(db, write_workbook(tmp_path / "a.xlsx", {"6A": CLASS_6A}))
    moved = write_csv(
        tmp_path / "b.csv", [["Mã HS", "Họ tên", "Lớp"], ["HS26006", "Đỗ Kim Hương", "7A"]]
    )
    report = await import_readers(db, moved)
    assert report.written
    hương = await reader(db, "HS26006")
    assert (hương["class_name"], hương["birth_date"], hương["gender"]) == (
        "7A",
        "2015-02-03",
        "Nữ",
    )
    assert hương["disadvantaged"] == 1


async def test_a_staff_list_sets_and_clears_homeroom_classes(db: Database, tmp_path: Path) -> None:
    report = await import_readers(db, write_csv(tmp_path / "gv.csv", STAFF))
    assert report.written, report.render()
    assert [(row[1], row[4], row[11]) for row in await dump(db)] == [
        ("CB003", "teacher", "6A"),
        ("CB004", "teacher", "6B"),
        ("CB014", "staff", ""),
    ]
    next_year: list[list[object]] = [
        STAFF[0],
        ["CB003", "Trần Mạnh Hùng", "Giáo viên", "Toán", ""],
        STAFF[3],
    ]
    report = await import_readers(db, write_csv(tmp_path / "gv2.csv", next_year))
    rows = await dump(db)
    assert [(row[1], row[11]) for row in rows] == [("CB003", ""), ("CB004", "6B"), ("CB014", "")]
    assert "Giáo viên: 0 mới, 1 cập nhật, 0 không đổi." in report.render()


async def test_a_staff_code_that_belongs_to_a_student_is_refused(
    db: Database, tmp_path: Path
) -> None:
    await import_readers(db, write_workbook(tmp_path / "6a.xlsx", {"6A": CLASS_6A}))
    before = await dump(db)
    clash: list[list[object]] = [
        STAFF[0],
        ["HS26001", "Trần Mạnh Hùng", "Giáo viên", "Toán", "6A"],
        STAFF[3],
    ]
    report = await import_readers(db, write_csv(tmp_path / "gv.csv", clash))
    assert not report.written
    assert await dump(db) == before
    assert [str(problem) for problem in report.errors] == [
        "Dòng 2: mã HS26001 đã là mã của Nguyễn Minh An (học sinh) trong cơ sở dữ liệu; "
        "học sinh và cán bộ, giáo viên không được dùng chung mã"
    ]


async def test_a_dry_run_counts_but_writes_nothing(db: Database, tmp_path: Path) -> None:
    report = await import_readers(db, data_file("sample_staff.csv"), dry_run=True)
    assert not report.written
    assert await dump(db) == []
    assert report.tallies["teacher"].new == 13
    text = report.render()
    assert "Giáo viên: 13 mới" in text and "Chạy thử (--dry-run): chưa ghi gì" in text


async def test_kind_can_be_forced(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [["Mã", "Họ và tên"], ["NV01", "Nguyễn Thị Lan"]])
    report = await import_readers(db, path, kind="staff")
    assert report.written
    assert (await reader(db, "NV01"))["category"] == "staff"
    with pytest.raises(ValueError, match="kind"):
        await import_readers(db, path, kind="giáo viên")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "hong.xlsx",
            b"PK\x03\x04 not really a workbook",
            "Tệp hong.xlsx không mở được như tệp Excel .xlsx",
        ),
        ("rong.csv", b"", "Tệp rong.csv rỗng, không có dữ liệu."),
        ("rong.xlsx", b"  \n", "Tệp rong.xlsx rỗng, không có dữ liệu."),
        ("cu.xls", b"\xd0\xcf\x11\xe0", "Tệp cu.xls là dạng Excel 97–2003 (.xls) cũ."),
        ("ds.pdf", b"%PDF-1.4", "Tệp ds.pdf không phải danh sách dạng .xlsx hoặc .csv."),
        ("diem.csv", "Họ tên;Toán;Văn\nAn;9;8\n".encode(), "Không tìm thấy dòng tiêu đề"),
        ("chi_tieu_de.csv", "Mã HS,Họ tên,Lớp\n".encode(), "không có dòng nào dưới dòng tiêu đề"),
    ],
)
async def test_a_file_that_cannot_be_read_gives_a_clear_reason_and_writes_nothing(
    db: Database, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    report = await import_readers(db, path)
    assert not report.written
    assert await dump(db) == []
    text = report.render()
    assert "❌ Không nhập được." in text and message in text


async def test_a_missing_file_is_named(db: Database, tmp_path: Path) -> None:
    report = await import_readers(db, tmp_path / "khong_co.xlsx")
    assert "Không tìm thấy tệp" in report.render() and not report.written


async def test_a_folder_gets_a_vietnamese_reason(db: Database, tmp_path: Path) -> None:
    (tmp_path / "lop6a.xlsx").mkdir()
    report = await import_readers(db, tmp_path / "lop6a.xlsx")
    assert "Không đọc được tệp lop6a.xlsx: đây là thư mục, không phải tệp." in report.render()
    assert not report.written
