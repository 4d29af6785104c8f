"""End to end: a leaver's data goes a year after their last return, with a week's notice."""

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import Driver
from bot.emulator.server import Emulator
from bot.jobs.privacy import forget_leavers
from db.connection import Database
from tests.helpers import add_reader, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def day(text: str) -> datetime:
    return datetime.fromisoformat(f"{text}T06:15:00").replace(tzinfo=HANOI)


async def leaver(db: Database, code: str, name: str, left_on: str, loan: str | None) -> int:
    """A student who left on left_on; loan is 'open' or the day their last book came back."""
    reader_id = await add_reader(db, code, name, "9A")
    copy_id = await db.fetchval(
        "SELECT id FROM copy WHERE id NOT IN (SELECT copy_id FROM loan) ORDER BY id LIMIT 1"
    )
    async with db.transaction() as conn:
        await conn.execute("UPDATE reader SET left_on = ? WHERE id = ?", (left_on, reader_id))
        if loan == "open":
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on)"
                " VALUES (?, ?, 'open', '2025-05-10', '2025-05-24')",
                (copy_id, reader_id),
            )
        elif loan is not None:
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on)"
                " VALUES (?, ?, 'returned', '2025-05-10', '2025-05-24', ?)",
                (copy_id, reader_id, loan),
            )
    return reader_id


async def name_of(db: Database, reader_id: int) -> str:
    return str(await db.fetchval("SELECT full_name FROM reader WHERE id = ?", (reader_id,)))


async def test_a_leaver_is_anonymised_a_year_after_the_last_return_with_a_weeks_notice(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    db = bot.bot_data.db
    due = await leaver(db, "HS9901", "Âu Thị Hằng", "2025-06-01", "2025-06-20")
    kept = await leaver(db, "HS9902", "Ông Văn Lực", "2025-06-01", "2025-06-25")
    owing = await leaver(db, "HS9903", "Ninh Văn Quý", "2025-06-01", "open")
    recent = await leaver(db, "HS9904", "Từ Thị Yến", "2026-06-01", None)
    at_school = await add_reader(db, "HS9905", "Kha Văn Tài", "8A")

    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    await librarian.send("/start")
    run = await forget_leavers(bot.bot_data, day("2026-11-24"))
    assert run.forgotten == []
    notice = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Sắp ẩn danh" in (m.get("text") or "")
    )
    listed = notice["text"]
    assert "Âu Thị Hằng" in listed and "Ông Văn Lực" in listed and "/hoanxoa" in listed
    assert "Ninh Văn Quý" not in listed and "Từ Thị Yến" not in listed
    assert "Kha Văn Tài" not in listed

    # The librarian keeps one of them longer, for a reason that is recorded.
    set_clock(bot, day("2026-11-25"))
    answer = text_of(await librarian.send("/hoanxoa HS9902 còn nợ sách thư viện huyện"))
    assert "25/12/2026" in answer and "thư viện huyện" in answer
    assert await db.fetchval(
        "SELECT reason FROM forget_postponement WHERE reader_id = ?", (kept,)
    ) == ("còn nợ sách thư viện huyện")
    assert "đang học" in text_of(await librarian.send("/hoanxoa HS9905 thử"))
    assert "lý do" in text_of(await librarian.send("/hoanxoa HS9902"))

    # Less than a week after the notice nothing goes; a second run the same day sends nothing.
    assert (await forget_leavers(bot.bot_data, day("2026-11-28"))).forgotten == []
    assert await name_of(db, due) == "Âu Thị Hằng"

    run = await forget_leavers(bot.bot_data, day("2026-12-01"))
    assert run.forgotten == [f"AN-{due:06d}"]
    assert await name_of(db, due) == f"AN-{due:06d}"
    assert await name_of(db, kept) == "Ông Văn Lực"
    assert await name_of(db, owing) == "Ninh Văn Quý"
    assert await name_of(db, recent) == "Từ Thị Yến"
    assert await name_of(db, at_school) == "Kha Văn Tài"
    logged = await db.fetchall("SELECT via, action, reader_id FROM audit_log")
    assert [tuple(row) for row in logged] == [("system", "forget_reader", due)]

    # The postponed one is announced again a week before its new day, then goes.
    assert [
        item.leaver.reader_id
        for item in (await forget_leavers(bot.bot_data, day("2026-12-18"))).noticed
    ] == [kept]
    assert (await forget_leavers(bot.bot_data, day("2026-12-24"))).forgotten == []
    assert (await forget_leavers(bot.bot_data, day("2026-12-25"))).forgotten == [f"AN-{kept:06d}"]
