"""The year turn service on a real database: a whole school, the line, leavers coming back."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.core.textfold import fold
from bot.reader_import import import_readers
from bot.services.year_turn import TurnOutcome, apply_turn, preview_turn, summary_text
from db import loans
from db.connection import Database
from tests.helpers import add_reader, link_directly

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TURN_DAY = datetime(2027, 9, 6, 9, 0, tzinfo=HANOI)
LETTERS = "ABCDEFGH"


async def whole_school(db: Database) -> None:
    """Four grades of eight classes of 45: 1,440 students, every grade-9 one holding a book."""
    async with db.transaction() as conn:
        await conn.executemany(
            "INSERT INTO reader (code, full_name, folded_name, category, class_name)"
            " VALUES (?, ?, ?, 'student', ?)",
            [
                (
                    f"HS{grade}{letter}{n:02d}",
                    f"Nguyễn Văn {letter}{n}",
                    fold(f"nguyen van {n}"),
                    f"{grade}{letter}",
                )
                for grade in range(6, 10)
                for letter in LETTERS
                for n in range(45)
            ],
        )
        await conn.execute(
            "INSERT INTO reader (code, full_name, folded_name, category, homeroom_class)"
            " VALUES ('GV9A', 'Trần Thị Hoa', 'tran thi hoa', 'teacher', '9A')"
        )
        await conn.execute(
            "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on)"
            " SELECT c.id, r.id, 'open', '2027-05-10', '2027-05-20'"
            " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM copy) c"
            " JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM reader"
            "       WHERE class_name LIKE '9%') r ON r.n = c.n"
        )


async def test_a_whole_school_preview_fits_one_message_and_notices_are_paged(
    config: Config, tmp_path: Path
) -> None:
    async with Database(config.database_path) as db:
        await whole_school(db)
        teacher = await db.fetchval("SELECT id FROM reader WHERE code = 'GV9A'")
        await link_directly(db, 9001, int(teacher), TURN_DAY)
        holding = int(await db.fetchval("SELECT count(*) FROM loan WHERE state = 'open'"))
        assert holding > 100
        preview = await preview_turn(db, config, "2027-2028", TURN_DAY.date())
        assert preview.outcome is TurnOutcome.PREVIEW
        text = summary_text(preview)
        assert len(text) < 1500, text
        assert "Lên lớp: 1080 (6→7: 360, 7→8: 360, 8→9: 360)" in text
        assert "Ra trường: 360" in text
        applied = await apply_turn(db, config, "2027-2028", TURN_DAY)
        assert applied.outcome is TurnOutcome.APPLIED
        rows = await db.fetchall("SELECT key, payload FROM outbox WHERE chat_id = 9001")
        assert len(rows) >= 2 and all(len(json.loads(row[1])["text"]) <= 4096 for row in rows)
        listed = "\n".join(json.loads(row[1])["text"] for row in rows)
        nines = await db.fetchval(
            "SELECT count(*) FROM loan l JOIN reader r ON r.id = l.reader_id"
            " WHERE r.class_name = '9A' AND l.state = 'open'"
        )
        assert listed.count("•") == nines
        assert await db.fetchval("SELECT count(*) FROM reader WHERE left_on = '2027-09-06'") == 360


async def test_a_leavers_place_in_line_is_given_up_and_a_list_brings_a_leaver_back(
    config: Config, tmp_path: Path
) -> None:
    async with Database(config.database_path) as db:
        leaver = await add_reader(db, "HS901", "Lý Thanh Tâm", "9B")
        title_id = int(await db.fetchval("SELECT id FROM title ORDER BY id LIMIT 1"))
        async with db.transaction() as conn:
            await loans.ask_for_title(conn, leaver, title_id, TURN_DAY.isoformat())
        night = TURN_DAY.replace(hour=22)
        assert (await apply_turn(db, config, "2027-2028", night)).changes_made
        # Applied at night from the command line: the librarian's notice waits for the morning.
        waiting = await db.fetchval(
            "SELECT not_before FROM outbox WHERE key = 'yearturn:2027-2028:librarian:5000'"
        )
        assert waiting.startswith("2027-09-06T23:30")
        status = await db.fetchval("SELECT status FROM request WHERE reader_id = ?", (leaver,))
        assert status == "cancelled"
        csv = tmp_path / "lop-9b.csv"
        csv.write_bytes("Mã HS,Họ và tên,Lớp\nHS901,Lý Thanh Tâm,9B\n".encode())
        report = await import_readers(db, csv)
        assert report.written
        row = await db.fetchone("SELECT active, left_on FROM reader WHERE id = ?", (leaver,))
        assert (row[0], row[1]) == (1, None)
