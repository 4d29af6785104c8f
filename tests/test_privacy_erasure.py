"""Erasure for real: `thuvien forget-reader`, `thuvien reader-data`, and what must not change."""

import asyncio
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from bot.__main__ import main
from bot.config import load_config
from bot.core.figures import month_period, summarize
from bot.core.textfold import fold
from bot.register_years import REGISTER_NAMES
from bot.registers import export_register
from db import figures, outbox
from db.connection import Database
from tests.helpers import add_reader, link_directly

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOVEMBER = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
NAME, BIRTH = "Khổng Thị Diệu Linh", "2013-04-17"
USER = 876543219
CLASSMATE = "Phùng Văn Khải"


@pytest.fixture
def configured(tmp_path: Path, catalog_template: Path) -> Path:
    shutil.copy(catalog_template, tmp_path / "thuvien.db")
    config = tmp_path / "config.toml"
    config.write_text('[database]\npath = "thuvien.db"\n', encoding="utf-8")
    return config


async def _seed(path: Path) -> None:
    """A student with every kind of trace: card, phone, loans, words, a gift, pushes."""
    async with Database(path) as db:
        target = await add_reader(db, "HS8801", NAME, "8B")
        other = await add_reader(db, "HS8802", CLASSMATE, "8B")
        async with db.transaction() as conn:
            await conn.execute(
                "UPDATE reader SET birth_date = ?, gender = 'Nữ' WHERE id = ?", (BIRTH, target)
            )
        await link_directly(db, USER, target, NOVEMBER)
        copies = await db.fetchall(
            "SELECT c.id, c.title_id FROM copy c JOIN title t ON t.id = c.title_id"
            " WHERE t.kind = 'STK' ORDER BY c.id LIMIT 5"
        )
        async with db.transaction() as conn:
            for number, (copy_id, _) in enumerate(copies[:4]):
                reader = target if number < 3 else other
                await conn.execute(
                    "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on,"
                    " lent_by, note) VALUES (?, ?, 'returned', ?, '2026-11-20', ?, ?, ?)",
                    (
                        copy_id,
                        reader,
                        f"2026-11-0{number + 2}",
                        f"2026-11-1{number}",
                        USER if number == 0 else 5000,
                        f"{NAME} làm rách bìa" if reader == target else "",
                    ),
                )
            await conn.execute(
                "INSERT INTO visit (reader_id, day, created_at) VALUES (?, '2026-11-05', ?)",
                (target, "2026-11-05T01:00:00Z"),
            )
            cursor = await conn.execute(
                "INSERT INTO suggestion (title, created_at) VALUES ('Harry Potter', ?)",
                ("2026-11-06T01:00:00Z",),
            )
            await conn.execute(
                "INSERT INTO suggestion_vote (suggestion_id, reader_id, typed_title, reason,"
                " created_at) VALUES (?, ?, 'harry poter', ?, '2026-11-06T01:00:00Z')",
                (cursor.lastrowid, target, f"em {NAME} sinh {BIRTH} rất thích"),
            )
            gift_copy = copies[4][0]
            await conn.execute("UPDATE copy SET donor = ? WHERE id = ?", (NAME, gift_copy))
            await conn.execute(
                "INSERT INTO donation (copy_id, reader_id, donor_name, class_name, donated_on,"
                " recorded_by) VALUES (?, ?, ?, '8B', '2026-11-07', 5000)",
                (gift_copy, target, NAME),
            )
            await outbox.enqueue(
                conn,
                key="due:test:1",
                chat_id=USER,
                payload={"method": "sendMessage", "text": f"Chào {NAME}, sách sắp đến hạn"},
            )
            await outbox.enqueue(
                conn,
                key="homeroom:8B:test",
                chat_id=5555,
                payload={
                    "method": "sendMessage",
                    "text": f"Quá hạn lớp 8B:\n• {NAME} — Dế Mèn\n• {CLASSMATE} — Kính vạn hoa",
                },
            )


async def _figures_and_registers(config_path: Path, folder: Path) -> tuple[Any, dict[str, int]]:
    """The month's figures (names left out) and the line count of every register."""
    config = load_config(config_path, require_token=False)
    async with Database(config.database_path) as db:
        period = month_period(config.calendar, 2026, 11)
        data = await figures.period_data(db, period.first, period.last)
        report = summarize(period, NOVEMBER.date(), data, config.calendar.is_open)
        counts = (
            report.totals,
            report.by_grade,
            report.by_class,
            report.by_category,
            report.by_kind,
            report.top_titles,
            report.overdue,
            report.series,
            [(r.reader_id, r.visits, r.loans, r.returns) for r in report.top_readers],
        )
        lines = {}
        for name in REGISTER_NAMES:
            result = await export_register(
                db, config, name, folder / f"{name}.xlsx", today=NOVEMBER.date(), start_year=2026
            )
            lines[name] = result.lines
    return counts, lines


def _database_bytes(folder: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for suffix in ("", "-wal", "-shm")
        if (path := folder / f"thuvien.db{suffix}").exists()
    )


def test_after_forget_reader_the_name_is_nowhere_in_the_database_file(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed(tmp_path / "thuvien.db"))
    before = asyncio.run(_figures_and_registers(configured, tmp_path))
    traces = [NAME, fold(NAME), BIRTH, "17/04/2013", str(USER)]
    found = _database_bytes(tmp_path)
    assert all(trace.encode() in found for trace in traces[:3])
    # The running bot keeps its connection open (so the WAL stays) while the CLI erases.
    running_bot = sqlite3.connect(tmp_path / "thuvien.db")
    try:
        assert main(["forget-reader", "HS8801", "--yes", "--config", str(configured)]) == 0
        assert "AN-" in capsys.readouterr().out
        raw = _database_bytes(tmp_path)
        for trace in traces:
            assert trace.encode() not in raw, f"{trace!r} is still in the database files"
        assert CLASSMATE.encode() in raw
        tables = [
            row[0]
            for row in running_bot.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE"
                " VIRTUAL%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'title_fts_%'"
            )
        ]
        for table in tables:
            columns = [row[1] for row in running_bot.execute(f"PRAGMA table_info({table})")]
            for column in columns:
                hits = running_bot.execute(
                    f"SELECT count(*) FROM {table} WHERE {column} = ? OR {column} = ?"
                    f" OR instr({column}, ?) > 0",
                    (USER, str(USER), NAME),
                ).fetchone()[0]
                assert hits == 0, f"{table}.{column} still holds the reader"
        forgotten = running_bot.execute(
            "SELECT code, full_name, birth_date, gender, class_name FROM reader"
            " WHERE code LIKE 'AN-%'"
        ).fetchall()
        assert len(forgotten) == 1 and forgotten[0][2:] == (None, "", "8B")
    finally:
        running_bot.close()
    after = asyncio.run(_figures_and_registers(configured, tmp_path))
    assert after == before
    sheet = openpyxl.load_workbook(tmp_path / "hs-muon.xlsx").worksheets[0]
    cells = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert any(cell.startswith("AN-") for cell in cells) and NAME not in " ".join(cells)
    assert CLASSMATE in " ".join(cells)


def test_forget_reader_asks_first_and_without_an_answer_changes_nothing(
    configured: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    asyncio.run(_seed(tmp_path / "thuvien.db"))
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # noqa: SIM115
    assert main(["forget-reader", "HS8801", "--config", str(configured)]) == 1
    assert "Chưa xác nhận" in capsys.readouterr().err
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        assert conn.execute("SELECT count(*) FROM reader WHERE full_name = ?", (NAME,)).fetchone()
    monkeypatch.setattr("builtins.input", lambda prompt: "xoa")
    assert main(["forget-reader", "HS8801", "--config", str(configured)]) == 0
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        assert conn.execute(
            "SELECT count(*) FROM reader WHERE full_name = ?", (NAME,)
        ).fetchone() == (0,)


def test_forget_reader_refuses_a_reader_with_a_book_still_out(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async def lend() -> None:
        async with Database(tmp_path / "thuvien.db") as db:
            reader = await add_reader(db, "HS8803", "Lâm Văn Bình", "9A")
            copy_id = await db.fetchval("SELECT id FROM copy ORDER BY id LIMIT 1")
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on)"
                    " VALUES (?, ?, 'open', '2026-11-20', '2026-12-04')",
                    (copy_id, reader),
                )

    asyncio.run(lend())
    assert main(["forget-reader", "HS8803", "--yes", "--config", str(configured)]) == 1
    assert "còn 1 cuốn" in capsys.readouterr().err
    assert main(["forget-reader", "KHONG-CO", "--yes", "--config", str(configured)]) == 1
    assert "Không có bạn đọc" in capsys.readouterr().err
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        assert conn.execute("SELECT count(*) FROM reader WHERE code = 'HS8803'").fetchone() == (1,)


def test_reader_data_writes_the_parents_file_and_the_log_says_who(
    configured: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed(tmp_path / "thuvien.db"))
    output = tmp_path / "cho-phu-huynh.txt"
    assert (
        main(["reader-data", "HS8801", "--config", str(configured), "--output", str(output)]) == 0
    )
    assert str(output) in capsys.readouterr().out
    content = output.read_text(encoding="utf-8-sig")
    assert NAME in content and "17/04/2013" in content and "8B" in content
    assert (
        "harry poter" in content
        and "đã mượn trước đây (3)" in content
        and "làm rách bìa" in content
    )
    assert CLASSMATE not in content
    with sqlite3.connect(tmp_path / "thuvien.db") as conn:
        logged = conn.execute("SELECT via, action, actor <> '' FROM audit_log").fetchall()
    assert logged == [("cli", "reader_data", 1)]


def test_registers_exported_before_erasure_keep_the_names(
    configured: Path, tmp_path: Path
) -> None:
    asyncio.run(_seed(tmp_path / "thuvien.db"))
    archive = tmp_path / "luu-tru"
    archive.mkdir()
    asyncio.run(_figures_and_registers(configured, archive))
    assert main(["forget-reader", "HS8801", "--yes", "--config", str(configured)]) == 0
    sheet = openpyxl.load_workbook(archive / "hs-muon.xlsx").worksheets[0]
    cells = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert NAME in cells
