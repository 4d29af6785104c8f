"""The command line: `thuvien new-year` previews, applies once, and explains a wrong year."""

import asyncio
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.__main__ import main
from bot.config import load_config
from db.connection import Database
from tests.helpers import add_reader

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[database]\npath = "thuvien.db"\n[library]\nlibrarians = [5000]\n', encoding="utf-8"
    )
    return path


def this_year(config_path: Path) -> str:
    """The school year of today, the only one a turn may go into."""
    config = load_config(config_path, require_token=False)
    return config.calendar.school_year_of(datetime.now(HANOI).date()).name


def seed(config_path: Path) -> None:
    asyncio.run(_seed(config_path))


async def _seed(config_path: Path) -> None:
    async with Database(config_path.parent / "thuvien.db") as db:
        await add_reader(db, "HS001", "Nguyễn Minh An", "6A")
        await add_reader(db, "HS002", "Lê Văn Bình", "6A")
        await add_reader(db, "HS003", "Trần Thu Hà", "6B")
        await add_reader(db, "HS004", "Phạm Đức Huy", "9A")
        await add_reader(db, "HS005", "Đỗ Khánh Linh", "8 A")
        await add_reader(db, "GV01", "Vũ Thị Hoa", category="teacher", homeroom_class="6A")


def classes(config_path: Path) -> dict[str, tuple[str, int, str | None, str]]:
    return asyncio.run(_classes(config_path))


async def _classes(config_path: Path) -> dict[str, tuple[str, int, str | None, str]]:
    async with Database(config_path.parent / "thuvien.db") as db:
        rows = await db.fetchall(
            "SELECT code, class_name, active, left_on, homeroom_class FROM reader ORDER BY code"
        )
    return {row[0]: (row[1], row[2], row[3], row[4]) for row in rows}


def test_a_dry_run_lists_everything_and_changes_nothing(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(config_path)
    before = classes(config_path)
    year = this_year(config_path)
    assert main(["new-year", year, "--dry-run", "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert f"Chuyển sang năm học {year} — XEM TRƯỚC" in out
    assert "Lên lớp: 4 (6→7: 3, 8→9: 1)" in out
    assert "HS005 Đỗ Khánh Linh: 8 A → 9A" in out
    assert "HS004 Phạm Đức Huy (9A): học xong lớp 9" in out
    assert "không có --dry-run" in out
    assert classes(config_path) == before


def test_applied_twice_the_second_time_changes_nothing(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(config_path)
    year = this_year(config_path)
    assert main(["new-year", year, "--config", str(config_path)]) == 0
    assert f"Đã chuyển sang năm học {year}" in capsys.readouterr().out
    after = classes(config_path)
    today = datetime.now(HANOI).date().isoformat()
    assert after["HS001"] == ("7A", 1, None, "")
    assert after["HS004"] == ("9A", 0, today, "")
    assert after["GV01"][3] == ""
    assert main(["new-year", year, "--config", str(config_path)]) == 0
    captured = capsys.readouterr()
    assert "đã được chuyển rồi" in captured.err and "Traceback" not in captured.err
    assert classes(config_path) == after


@pytest.mark.parametrize("year", ["2026", "2026-2028", "hai nghìn", "2026/2027/2028", "x" * 5000])
def test_a_bad_year_is_explained_in_vietnamese(
    config_path: Path, capsys: pytest.CaptureFixture[str], year: str
) -> None:
    assert main(["new-year", year, "--config", str(config_path)]) == 2
    err = capsys.readouterr().err
    assert "không đúng. Hãy viết dạng 2026-2027" in err and "Traceback" not in err


def test_a_year_still_to_come_is_refused(
    config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    start = int(this_year(config_path)[:4]) + 1
    assert main(["new-year", f"{start}-{start + 1}", "--config", str(config_path)]) == 1
    assert "chưa tới" in capsys.readouterr().err


def new_lists(folder: Path) -> list[Path]:
    """The new year's lists: 7A in its title, grade 6 with a class column, and the staff."""
    seventh = openpyxl.Workbook()
    sheet = seventh.active
    assert sheet is not None
    sheet.append(["DANH SÁCH HỌC SINH LỚP 7A"])
    sheet.merge_cells("A1:C1")
    sheet.append(["STT", "Mã học sinh", "Họ và tên"])
    sheet.append([1, "HS001", "Nguyễn Minh An"])
    seventh.save(folder / "lop-7a.xlsx")
    sixth = openpyxl.Workbook()
    sheet = sixth.active
    assert sheet is not None
    sheet.append(["STT", "Mã HS", "Họ và tên", "Lớp"])
    sheet.append([1, "HS003", "Trần Thu Hà", "6B"])
    sheet.append([2, "HS010", "Võ Ngọc Mai", "6a"])
    sheet.append(["Tổng cộng: 2 học sinh"])
    sixth.save(folder / "khoi-6.xlsx")
    (folder / "can-bo.csv").write_text(
        "Mã GV,Họ và tên,Môn dạy,Chủ nhiệm lớp\nGV01,Vũ Thị Hoa,Toán,7A\n", encoding="utf-8"
    )
    return [folder / "lop-7a.xlsx", folder / "khoi-6.xlsx", folder / "can-bo.csv"]


def test_new_lists_decide_repeats_leavers_newcomers_and_homerooms(
    config_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(config_path)
    year = this_year(config_path)
    lists = [str(path) for path in new_lists(tmp_path)]
    assert main(["new-year", year, *lists, "--config", str(config_path)]) == 0
    out = capsys.readouterr().out
    assert "Ở lại lớp theo danh sách mới: 1" in out and "Học sinh mới (theo danh sách): 1" in out
    assert "không có trong danh sách mới: 1" in out
    after = classes(config_path)
    today = datetime.now(HANOI).date().isoformat()
    assert after["HS001"] == ("7A", 1, None, "")
    # Grade 7 has lists and Bình is on none of them; grade 9 has none, so Linh moves up.
    assert after["HS002"] == ("6A", 0, today, "")
    assert after["HS003"] == ("6B", 1, None, "")
    assert after["HS005"] == ("9A", 1, None, "")
    assert after["HS010"] == ("6A", 1, None, "")
    assert after["GV01"][3] == "7A"


def test_a_broken_list_stops_the_turn_and_writes_nothing(
    config_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(config_path)
    before = classes(config_path)
    broken = tmp_path / "lop-7a.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert (
        main(["new-year", this_year(config_path), str(broken), "--config", str(config_path)]) == 1
    )
    err = capsys.readouterr().err
    assert "lop-7a.xlsx" in err and "Traceback" not in err
    assert classes(config_path) == before
