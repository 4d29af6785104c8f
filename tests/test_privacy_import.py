"""A class list's "Phụ huynh đồng ý" column records consent; its other columns stay out."""

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from bot.__main__ import main

PHONE = "0912345678"


@pytest.fixture
def configured(tmp_path: Path, catalog_template: Path) -> Path:
    shutil.copy(catalog_template, tmp_path / "thuvien.db")
    config = tmp_path / "config.toml"
    config.write_text('[database]\npath = "thuvien.db"\n', encoding="utf-8")
    return config


def class_list(path: Path) -> Path:
    """A 7A list as a school keeps it: title rows, merged title, a consent and a phone column."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["TRƯỜNG THCS NGUYỄN DU"])
    sheet.append(["DANH SÁCH HỌC SINH LỚP 7A — NĂM HỌC 2026-2027"])
    sheet.merge_cells("A2:F2")
    sheet.append([])
    sheet.append(["STT", "Mã học sinh", "Họ và tên", "Ngày sinh", "Phụ huynh đồng ý", "SĐT PH"])
    sheet.append([1, "HS7701", "Đặng Thu Trang", "03/04/2013", datetime(2026, 9, 8), PHONE])
    sheet.append([2, "HS7702", "Lê Quốc Việt", "12/12/2013", "x", ""])
    sheet.append([3, "HS7703", "Trịnh Bảo Ngọc", "01/01/2013", "", ""])
    sheet.append([4, "HS7704", "Phó Đức Thịnh", "05/05/2013", "không đồng ý", ""])
    sheet.append([])
    sheet.append(["", "", "Người lập danh sách"])
    book.save(path)
    return path


def test_a_class_list_records_consent_where_the_parent_agreed_and_stores_no_phone(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = class_list(tmp_path / "lop-7a.xlsx")
    assert main(["import-readers", str(listing), "--config", str(configured)]) == 0
    assert "ghi nhận mới cho 2 học sinh" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        rows = conn.execute(
            "SELECT r.code, c.given_on, c.source, c.note FROM parent_consent c"
            " JOIN reader r ON r.id = c.reader_id ORDER BY r.code"
        ).fetchall()
    assert rows[0] == ("HS7701", "2026-09-08", "class_list", "lop-7a.xlsx")
    assert [row[0] for row in rows] == ["HS7701", "HS7702"]
    assert PHONE.encode() not in (tmp_path / "thuvien.db").read_bytes()
    # The same list again records nothing twice.
    assert main(["import-readers", str(listing), "--config", str(configured)]) == 0
    assert "ghi nhận mới" not in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        assert conn.execute("SELECT count(*) FROM parent_consent").fetchone() == (2,)
