"""`thuvien labels` and `thuvien cards`: PDFs whose QR codes open the right deep links."""

import asyncio
import shutil
from pathlib import Path

import pytest

from bot.__main__ import main
from db.connection import Database
from tests.helpers import add_reader
from tests.test_printing import read_pages


@pytest.fixture
def configured(tmp_path: Path, catalog_template: Path) -> Path:
    shutil.copy(catalog_template, tmp_path / "thuvien.db")
    config = tmp_path / "config.toml"
    config.write_text(
        '[telegram]\nbot_username = "thuvien_truong_bot"\n'
        '[library]\nschool = "Trường THCS Nguyễn Du"\n',
        encoding="utf-8",
    )
    return config


def test_labels_for_a_range_scan_to_copy_links(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "nhan.pdf"
    code = main(
        [
            "labels",
            "--from",
            "STK-00001",
            "--to",
            "STK-00030",
            "--config",
            str(configured),
            "--output",
            str(output),
        ]
    )
    assert code == 0
    assert "30 nhãn" in capsys.readouterr().out
    codes = [c for page in read_pages(output.read_bytes()) for c in page.codes]
    expected = {f"https://t.me/thuvien_truong_bot?start=copy_STK-{n:05d}" for n in range(1, 31)}
    assert set(codes) == expected


def test_labels_default_to_the_current_directory(
    configured: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["labels", "--kind", "Nghiệp vụ", "--config", str(configured)]) == 0
    assert (tmp_path / "nhan-sach.pdf").exists()
    assert str(tmp_path / "nhan-sach.pdf") in capsys.readouterr().out


def test_no_matching_copies_is_a_clear_message(
    configured: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["labels", "--from", "ZZZ-1", "--to", "ZZZ-2", "--config", str(configured)]) == 1
    assert "Không có bản sách nào" in capsys.readouterr().err


def test_cards_of_a_class_carry_fresh_single_use_links(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def seed() -> None:
        async with Database(tmp_path / "thuvien.db") as db:
            await add_reader(db, "HS1", "Nguyễn Thị Ánh Dương", "6A")
            await add_reader(db, "HS2", "Đặng Quốc Bảo", "6A")
            await add_reader(db, "HS3", "Lê Văn Tám", "7B")

    asyncio.run(seed())
    output = tmp_path / "the.pdf"
    assert (
        main(["cards", "--class", "6A", "--config", str(configured), "--output", str(output)]) == 0
    )
    assert "2 thẻ bạn đọc" in capsys.readouterr().out
    pages = read_pages(output.read_bytes())
    links = [c for page in pages for c in page.codes]
    assert len(links) == 2
    assert all(link.startswith("https://t.me/thuvien_truong_bot?start=link_") for link in links)
    assert "Nguyễn Thị Ánh Dương" in pages[0].text

    async def tokens() -> int:
        async with Database(tmp_path / "thuvien.db") as db:
            return int(await db.fetchval("SELECT count(*) FROM link_token WHERE used_at IS NULL"))

    assert asyncio.run(tokens()) == 2
