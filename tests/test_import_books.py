"""`thuvien import-books`: a librarian's Excel or CSV register becomes titles and copies."""

import csv
import io
import unicodedata
import zipfile
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from bot.importing import import_books
from db import catalog
from db.connection import Database

HEADER: list[object] = [
    "STT", "Ngày vào sổ", "Số ĐKCB", "Tên sách", "Tác giả", "Nhà xuất bản", "Năm xuất bản",
    "Giá tiền", "Môn loại", "Ghi chú",
]  # fmt: skip
BOOKS: list[list[object]] = [
    [1, datetime(2024, 9, 5), "STK-00001", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2019,
     45000, "Văn học", ""],
    [2, "06/09/2024", "STK-00002", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2019,
     "45.000đ", "Văn học", ""],
    [3, "6/9/24", "SGK-00010", "Toán 6 - Tập một", "Hà Huy Khoái", "Giáo dục Việt Nam", "2021",
     "22,000 VNĐ", "Toán", "Cho học sinh khó khăn mượn"],
    [4, None, "TN-00003", "Đắc nhân tâm", "Dale Carnegie", "Tổng hợp TP.HCM", 2016, None, "",
     ""],
]  # fmt: skip
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, title_rows: int = 0) -> Path:
    """Save rows as a register sheet, under title_rows merged title lines."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Sổ ĐKCB"
    lines = [["SỔ ĐĂNG KÝ CÁ BIỆT"], ["Trường THCS Nguyễn Du — Năm học 2024-2025"], []]
    for index in range(title_rows):
        sheet.append(lines[index % len(lines)])
        if lines[index % len(lines)]:
            sheet.merge_cells(start_row=index + 1, start_column=1, end_row=index + 1, end_column=8)
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter).writerows(
        ["" if cell is None else cell for cell in row] for row in rows
    )
    if encoding == "cp1258":
        path.write_bytes(b"".join(cp1258(char) for char in text.getvalue()))
    else:
        path.write_bytes(text.getvalue().encode(encoding))
    return path


def cp1258(char: str) -> bytes:
    """Encode as Windows-1258 does: letters with their vowel marks, then a separate tone mark."""
    try:
        return char.encode("cp1258")
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(mark for mark in decomposed if mark in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in TONE_MARKS))
        return (base + tones).encode("cp1258")


async def dump(db: Database) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    titles = await db.fetchall("SELECT * FROM title ORDER BY id")
    copies = await db.fetchall("SELECT * FROM copy ORDER BY id")
    return [tuple(row) for row in titles], [tuple(row) for row in copies]


def messages(report: object) -> list[str]:
    return [str(problem) for problem in report.errors]  # type: ignore[attr-defined]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "thuvien.db") as database:
        yield database


async def test_register_under_merged_title_rows_imports_every_copy(
    db: Database, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS], title_rows=3)
    report = await import_books(db, path, progress=False)
    assert report.errors == []
    assert report.written
    assert (report.sheet, report.header_row) == ("Sổ ĐKCB", 4)
    assert (report.titles.new, report.copies.new) == (3, 4)
    assert await catalog.count_catalog(db) == (3, 4)
    first = await catalog.find_copy(db, "STK-00001")
    second = await catalog.find_copy(db, "STK-00002")
    third = await catalog.find_copy(db, "SGK-00010")
    assert first is not None and second is not None and third is not None
    assert (first.acquired_on, first.price, first.status) == ("2024-09-05", 45000, "on_shelf")
    assert (second.acquired_on, second.price) == ("2024-09-06", 45000)
    assert (third.acquired_on, third.price, third.note) == (
        "2024-09-06",
        22000,
        "Cho học sinh khó khăn mượn",
    )
    assert first.title_id == second.title_id != third.title_id
    title = await catalog.get_title(db, first.title_id)
    assert title is not None
    assert (title.title, title.author, title.publisher, title.year, title.subject, title.kind) == (
        "Dế Mèn phiêu lưu ký",
        "Tô Hoài",
        "Kim Đồng",
        2019,
        "Văn học",
        "STK",
    )


async def test_columns_in_any_order_with_accentless_capital_headers(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["GIA TIEN", "TAC GIA", "MOT COT LA", "TEN SACH", "SO DKCB", "NAM XB"],
        ["45.000đ", "Tô Hoài", "x", "Dế Mèn phiêu lưu ký", "tn-1", 2019],
    ]
    report = await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert report.errors == []
    copy = await catalog.find_copy(db, "TN-1")
    assert copy is not None and copy.price == 45000
    title = await catalog.get_title(db, copy.title_id)
    assert title is not None
    assert (title.title, title.author, title.year, title.kind) == (
        "Dế Mèn phiêu lưu ký",
        "Tô Hoài",
        2019,
        "Truyện",
    )


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
async def test_every_row_of_a_long_register_is_read(
    db: Database, tmp_path: Path, suffix: str
) -> None:
    rows = [HEADER, *([n, None, f"STK-{n}", f"Sách số {n}"] for n in range(1, 101))]
    writer = write_xlsx if suffix == ".xlsx" else write_csv
    report = await import_books(db, writer(tmp_path / f"so{suffix}", rows), progress=False)
    assert report.errors == []
    assert await catalog.count_catalog(db) == (100, 100)


async def test_copies_group_into_titles_by_folded_title_author_publisher_and_year(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Tác giả", "NXB", "Năm XB"],
        ["TN-1", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2019],
        ["TN-2", "DẾ MÈN  PHIÊU LƯU KÝ", "tô hoài", "Kim Đồng", "2019"],
        ["TN-3", "Dế Mèn phiêu lưu ký", "Tô Hoài", "Kim Đồng", 2021],
    ]
    report = await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert (report.titles.new, report.copies.new) == (2, 3)
    one, two, three = [await catalog.find_copy(db, f"TN-{n}") for n in (1, 2, 3)]
    assert one is not None and two is not None and three is not None
    assert one.title_id == two.title_id != three.title_id
    title = await catalog.get_title(db, one.title_id)
    assert title is not None and title.title == "Dế Mèn phiêu lưu ký"


async def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["SỔ ĐĂNG KÝ CÁ BIỆT"],
        ["Số ĐKCB", "Tên sách", "Năm xuất bản", "Ngày vào sổ", "Giá tiền"],
        ["STK-00012", "Toán 6", 2021, "05/09/2024", 22000],
        ["", "Văn 6", 2021, "", ""],
        ["STK-00013", "", 2021, "", ""],
        ["stk-00012", "Toán 7", 2022, "", ""],
        ["STK-00014", "Sử 6", "hai nghìn", "", ""],
        ["STK-00015", "Địa 6", 2021, "hôm qua", ""],
        ["STK-00016", "GDCD 6", 2021, "", "miễn phí"],
    ]
    report = await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert messages(report) == [
        "Dòng 4: thiếu số ĐKCB",
        "Dòng 5: thiếu tên sách",
        "Dòng 6: số ĐKCB STK-00012 trùng với dòng 3",
        "Dòng 7: năm xuất bản “hai nghìn” không đọc được",
        "Dòng 8: ngày vào sổ “hôm qua” không đọc được (cần dạng ngày/tháng/năm, ví dụ 05/09/2024)",
        "Dòng 9: giá tiền “miễn phí” không đọc được",
    ]
    assert not report.written
    assert await catalog.count_catalog(db) == (0, 0)
    text = report.render()
    assert "Không ghi gì vì có 6 dòng lỗi" in text
    assert "Dòng 6: số ĐKCB STK-00012 trùng với dòng 3" in text


async def test_allow_errors_writes_the_good_rows_only(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Năm xuất bản"],
        ["STK-1", "Toán 6", 2021],
        ["STK-2", "Văn 6", "hai nghìn"],
        ["STK-3", "Sử 6", 2021],
    ]
    path = write_xlsx(tmp_path / "so.xlsx", rows)
    report = await import_books(db, path, allow_errors=True, progress=False)
    assert report.written
    assert messages(report) == ["Dòng 3: năm xuất bản “hai nghìn” không đọc được"]
    assert await catalog.count_catalog(db) == (2, 2)
    assert await catalog.find_copy(db, "STK-2") is None
    assert "Bỏ qua 1 dòng lỗi" in report.render()


async def test_importing_the_same_file_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS], title_rows=2)
    await import_books(db, path, progress=False)
    before = await dump(db)
    report = await import_books(db, path, progress=False)
    assert (report.titles.new, report.titles.updated, report.titles.unchanged) == (0, 0, 3)
    assert (report.copies.new, report.copies.updated, report.copies.unchanged) == (0, 0, 4)
    assert await dump(db) == before
    assert "không có gì thay đổi" in report.render()


async def test_a_changed_row_updates_its_copy_in_place_and_keeps_its_status(
    db: Database, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS])
    await import_books(db, path, progress=False)
    before = await catalog.find_copy(db, "STK-00002")
    assert before is not None
    async with db.transaction() as conn:
        await conn.execute("UPDATE copy SET status = 'on_loan' WHERE id = ?", (before.id,))
    changed = [list(row) for row in BOOKS]
    changed[1][7] = "50.000đ"
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *changed])
    report = await import_books(db, path, progress=False)
    assert (report.copies.new, report.copies.updated, report.copies.unchanged) == (0, 1, 3)
    after = await catalog.find_copy(db, "stk-00002 ")
    assert after is not None
    assert (after.id, after.price, after.status) == (before.id, 50000, "on_loan")
    assert await catalog.count_catalog(db) == (3, 4)


async def test_a_corrected_title_moves_the_copy_and_drops_the_emptied_title(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Tác giả"],
        ["TN-1", "Dế Mèn phiêu lưu ký", "Tô Hoài"],
        ["TN-2", "De men phieu luu ki", "Tô Hoài"],
    ]
    await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert await catalog.count_catalog(db) == (2, 2)
    wrong = await catalog.find_copy(db, "TN-2")
    assert wrong is not None
    rows[2][1] = "Dế Mèn phiêu lưu ký"
    report = await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert (report.copies.updated, report.titles.removed) == (1, 1)
    assert await catalog.count_catalog(db) == (1, 2)
    assert await catalog.get_title(db, wrong.title_id) is None
    assert (
        await db.fetchval("SELECT count(*) FROM title_fts WHERE rowid = ?", (wrong.title_id,)) == 0
    )


async def test_a_title_corrected_for_all_its_copies_keeps_its_id(
    db: Database, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Tác giả"],
        ["TN-1", "Dac nhan tam", "Dale Carnegie"],
        ["TN-2", "Dac nhan tam", "Dale Carnegie"],
    ]
    await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    before = await catalog.find_copy(db, "TN-1")
    assert before is not None
    for row in rows[1:]:
        row[1] = "Đắc nhân tâm"
    report = await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    assert (report.titles.new, report.titles.updated, report.titles.removed) == (0, 1, 0)
    title = await catalog.get_title(db, before.title_id)
    assert title is not None and title.title == "Đắc nhân tâm"
    assert await catalog.count_catalog(db) == (1, 2)


async def test_imported_titles_are_in_the_search_index(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS])
    await import_books(db, path, progress=False)
    indexed = await db.fetchall("SELECT rowid FROM title_fts ORDER BY rowid")
    titles = await db.fetchall("SELECT id FROM title ORDER BY id")
    assert [row[0] for row in indexed] == [row[0] for row in titles]


async def test_a_dry_run_counts_the_changes_and_writes_nothing(
    db: Database, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS])
    report = await import_books(db, path, dry_run=True, progress=False)
    assert (report.titles.new, report.copies.new) == (3, 4)
    assert not report.written
    assert await catalog.count_catalog(db) == (0, 0)
    assert "chưa ghi gì" in report.render()


async def test_a_dry_run_after_an_import_finds_the_update(db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *BOOKS])
    await import_books(db, path, progress=False)
    before = await dump(db)
    changed = [list(row) for row in BOOKS]
    changed[0][9] = "Bìa rách"
    path = write_xlsx(tmp_path / "so.xlsx", [HEADER, *changed])
    report = await import_books(db, path, dry_run=True, progress=False)
    assert (report.copies.updated, report.copies.unchanged) == (1, 3)
    assert await dump(db) == before


async def test_a_broken_xlsx_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, *BOOKS]).read_bytes()
    path.write_bytes(good[: len(good) // 2])
    report = await import_books(db, path, progress=False)
    assert messages(report) == [
        "Tệp so.xlsx không mở được như tệp Excel .xlsx: tệp bị hỏng hoặc không phải tệp Excel. "
        "Hãy mở bằng Excel, lưu lại dạng .xlsx rồi nhập lại."
    ]
    assert "Không nhập được" in report.render()


async def test_a_sheet_damaged_half_way_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    rows = [HEADER, *([n, None, f"STK-{n}", f"Sách số {n}"] for n in range(1, 201))]
    good = write_xlsx(tmp_path / "good.xlsx", rows)
    path = tmp_path / "so.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) * 3 // 4]
            target.writestr(item, content)
    report = await import_books(db, path, progress=False)
    assert "không mở được như tệp Excel" in messages(report)[0]
    assert await catalog.count_catalog(db) == (0, 0)


async def test_text_under_an_xlsx_name_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "so.xlsx"
    path.write_text("Số ĐKCB,Tên sách\nSTK-1,Toán 6\n", encoding="utf-8")
    report = await import_books(db, path, progress=False)
    assert "không mở được như tệp Excel" in messages(report)[0]


@pytest.mark.parametrize("name", ["so.csv", "so.xlsx"])
async def test_an_empty_file_is_a_clear_error(db: Database, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    report = await import_books(db, path, progress=False)
    assert messages(report) == [f"Tệp {name} rỗng, không có dữ liệu."]


async def test_a_header_without_books_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "so.csv", [["Số ĐKCB", "Tên sách"]])
    report = await import_books(db, path, progress=False)
    assert messages(report) == ["Sổ không có dòng sách nào dưới dòng tiêu đề."]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("so.txt", "không phải sổ đăng ký dạng .xlsx hoặc .csv"), ("so.xls", "Excel 97–2003")],
)
async def test_a_wrong_extension_is_a_clear_error(
    db: Database, tmp_path: Path, name: str, expected: str
) -> None:
    path = tmp_path / name
    path.write_text("Số ĐKCB,Tên sách\nSTK-1,Toán 6\n", encoding="utf-8")
    report = await import_books(db, path, progress=False)
    assert expected in messages(report)[0]


async def test_a_missing_file_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    report = await import_books(db, tmp_path / "khong-co.xlsx", progress=False)
    assert messages(report)[0].startswith("Không tìm thấy tệp")


async def test_a_folder_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    (tmp_path / "so.csv").mkdir()
    report = await import_books(db, tmp_path / "so.csv", progress=False)
    assert messages(report) == ["Không đọc được tệp so.csv: đây là thư mục, không phải tệp."]


async def test_a_sheet_without_a_register_header_names_what_is_expected(
    db: Database, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "so.xlsx", [["Họ và tên", "Lớp"], ["Nguyễn Văn An", "6A"]])
    report = await import_books(db, path, progress=False)
    (message,) = messages(report)
    assert "Không tìm thấy dòng tiêu đề" in message and "“Số ĐKCB”" in message


async def test_a_cp1258_csv_with_semicolons_reads_correctly(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Số ĐKCB", "Tên sách", "Tác giả", "Giá tiền"],
        ["TN-1", "Đắc nhân tâm", "Dale Carnegie", "86.000đ"],
        ["SGK-2", "Tiếng Việt 1", "Nguyễn Minh Thuyết", "15.000"],
    ]
    path = write_csv(tmp_path / "so.csv", rows, encoding="cp1258", delimiter=";")
    report = await import_books(db, path, progress=False)
    assert report.errors == []
    copy = await catalog.find_copy(db, "TN-1")
    assert copy is not None and copy.price == 86000
    title = await catalog.get_title(db, copy.title_id)
    assert title is not None and title.title == "Đắc nhân tâm"
    other = await catalog.find_copy(db, "SGK-2")
    assert other is not None
    other_title = await catalog.get_title(db, other.title_id)
    assert other_title is not None
    assert (other_title.title, other_title.author) == ("Tiếng Việt 1", "Nguyễn Minh Thuyết")


async def test_a_utf8_csv_with_bom_reads_its_first_header(db: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = [["Số ĐKCB", "Tên sách"], ["STK-1", "Toán 6"]]
    path = write_csv(tmp_path / "so.csv", rows, encoding="utf-8-sig")
    report = await import_books(db, path, progress=False)
    assert report.errors == []
    assert await catalog.count_catalog(db) == (1, 1)


async def test_a_csv_in_no_known_encoding_is_a_clear_error(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "so.csv"
    path.write_bytes(b"S\x81 DKCB,T\x90n s\x81ch\nSTK-1,To\x81n\n")
    report = await import_books(db, path, progress=False)
    assert "bảng mã không đọc được" in messages(report)[0]


async def test_copies_of_a_title_come_in_natural_accession_order(
    db: Database, tmp_path: Path
) -> None:
    rows = [["Số ĐKCB", "Tên sách"], *([f"STK-{n}", "Toán 6"] for n in (10, 2, 1, 33))]
    await import_books(db, write_xlsx(tmp_path / "so.xlsx", rows), progress=False)
    copy = await catalog.find_copy(db, "stk-1")
    assert copy is not None
    copies = await catalog.copies_of_title(db, copy.title_id)
    assert [c.accession for c in copies] == ["STK-1", "STK-2", "STK-10", "STK-33"]
