"""End to end: the daily reminders reach readers, homeroom teachers and the librarian once."""

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.context import BotApplication
from bot.core.reminders import DEFAULT_SETTINGS
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import reminders
from bot.jobs.delivery import DeliveryWorker
from db import outbox
from db import reminders as store
from db.connection import Database
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = date(2026, 11, 24)
THURSDAY = date(2026, 11, 26)
STUDENT, CLASSMATE, TEACHER = 7301, 7302, 7303


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HANOI)


def reminder_texts(emulator: Emulator, chat_id: int) -> list[str]:
    return [m["text"] for m in emulator.messages(chat_id) if "Nhắc trả sách" in m["text"]]


async def lend(db: Database, reader_id: int, loaned: date, due: date) -> tuple[int, str]:
    """Put an open loan of a reference book (renewable for students) on the reader."""
    row = await db.fetchone(
        "SELECT c.id, t.title FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = 'STK' AND c.status = 'on_shelf' ORDER BY c.id LIMIT 1"
    )
    assert row is not None
    async with db.transaction() as conn:
        await store.seed_open_loans(conn, [(row[0], reader_id, loaned, due)])
    loan_id = await db.fetchval(
        "SELECT id FROM loan WHERE copy_id = ? AND state = 'open'", (row[0],)
    )
    return int(loan_id), str(row[1])


@pytest.fixture
async def readers(bot: BotApplication, driver: Driver) -> dict[str, int]:
    """A 6A student and the homeroom teacher of 6A, both linked, and an unlinked classmate."""
    set_clock(bot, at(TUESDAY, 7))
    db = bot.bot_data.db
    student = await add_reader(db, "HS7301", "Lê Gia Bảo", "6A")
    classmate = await add_reader(db, "HS7302", "Phan Nhật An", "6A")
    teacher = await add_reader(
        db, "GV7303", "Trần Mạnh Hùng", category="teacher", homeroom_class="6A"
    )
    await link_directly(db, STUDENT, student, at(TUESDAY, 7))
    await link_directly(db, TEACHER, teacher, at(TUESDAY, 7))
    driver.user(STUDENT, "Bảo")
    driver.user(TEACHER, "Thầy Hùng")
    driver.user(LIBRARIAN_ID, "Cô Lan")
    return {"student": student, "classmate": classmate, "teacher": teacher}


@pytest.fixture
def student(driver: Driver) -> ChatUser:
    return driver.user(STUDENT, "Bảo")


async def test_a_reminder_before_the_due_date_offers_renewal_and_the_button_renews(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int], student: ChatUser
) -> None:
    db = bot.bot_data.db
    loan_id, title = await lend(db, readers["student"], date(2026, 11, 17), THURSDAY)
    report = await reminders.send_reminders(bot.bot_data)
    assert (report.loans, report.readers) == (1, 1)
    reminder = await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])
    assert "Lê Gia Bảo" in reminder["text"] and title[:40] in reminder["text"]
    assert "sắp đến hạn trả: Thứ Năm, 26/11/2026" in reminder["text"]
    assert [data for _, data in student.buttons(reminder)] == [f"rn:{loan_id}"]

    pressed = await student.press(reminder, texts.BUTTON_RENEW)
    assert "Đã gia hạn" in (pressed.answer or "")
    new_due = await db.fetchval("SELECT due_on FROM loan WHERE id = ?", (loan_id,))
    assert new_due == "2026-12-04"

    # The new due date has reminders of its own.
    set_clock(bot, at(date(2026, 12, 2), 7))
    assert (await reminders.send_reminders(bot.bot_data)).readers == 1
    await wait_for_message(emulator, STUDENT, lambda m: "Thứ Sáu, 04/12/2026" in m["text"])


async def test_one_message_lists_every_loan_concerned_and_overdue_ones_cannot_be_renewed(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int], student: ChatUser
) -> None:
    db = bot.bot_data.db
    due_today, _ = await lend(db, readers["student"], date(2026, 11, 16), TUESDAY)
    late, _ = await lend(db, readers["student"], date(2026, 11, 10), date(2026, 11, 20))
    await lend(db, readers["student"], date(2026, 11, 20), date(2026, 12, 10))
    await reminders.send_reminders(bot.bot_data)
    reminder = await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])
    assert "hôm nay (24/11/2026) là hạn trả" in reminder["text"]
    assert "quá hạn 3 ngày (hạn trả 20/11/2026)" in reminder["text"]
    assert reminder["text"].count("•") == 2
    assert [data for _, data in student.buttons(reminder)] == [f"rn:{due_today}"]
    forged = await student.press(reminder, data=f"rn:{late}", forge=True)
    assert "quá hạn" in (forged.answer or "")
    assert len(reminder_texts(emulator, STUDENT)) == 1


async def test_running_the_job_twice_or_after_the_clock_moved_back_sends_once(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    db = bot.bot_data.db
    await lend(db, readers["student"], date(2026, 11, 10), date(2026, 11, 19))
    first = await reminders.send_reminders(bot.bot_data)
    again = await reminders.send_reminders(bot.bot_data)
    set_clock(bot, at(TUESDAY, 16))
    later = await reminders.send_reminders(bot.bot_data)
    set_clock(bot, at(TUESDAY - timedelta(days=1), 7))
    moved_back = await reminders.send_reminders(bot.bot_data)
    assert first.readers == 1
    # Monday is the digest's day, and no digest went out that week: only it may go then.
    assert again.enqueued == later.enqueued == moved_back.readers == 0
    await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])
    await asyncio.sleep(0.3)
    assert len(reminder_texts(emulator, STUDENT)) == 1


async def test_after_the_last_overdue_step_the_homeroom_teacher_gets_the_class_list(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    db = bot.bot_data.db
    seven_late = date(2026, 11, 16)
    _, title = await lend(db, readers["classmate"], date(2026, 11, 2), seven_late)
    other = await add_reader(db, "HS7399", "Ngô Bảo Châu", "7B")
    await lend(db, other, date(2026, 11, 2), seven_late)
    await lend(db, readers["student"], date(2026, 11, 16), date(2026, 11, 20))
    report = await reminders.send_reminders(bot.bot_data)
    assert (report.homeroom, report.escalated) == (1, 1)
    notice = await wait_for_message(
        emulator, TEACHER, lambda m: "Sách quá hạn của lớp 6A" in m["text"]
    )
    assert "🆕 Phan Nhật An" in notice["text"] and title[:40] in notice["text"]
    assert "quá hạn 7 ngày" in notice["text"]
    assert "Ngô Bảo Châu" not in notice["text"] and "Lê Gia Bảo" not in notice["text"]

    set_clock(bot, at(TUESDAY + timedelta(days=1), 7))
    assert (await reminders.send_reminders(bot.bot_data)).homeroom == 0
    # A new loan past the last step brings a new list, the one already reported unmarked.
    await lend(db, readers["student"], date(2026, 11, 3), seven_late + timedelta(days=1))
    set_clock(bot, at(TUESDAY + timedelta(days=2), 7))
    assert (await reminders.send_reminders(bot.bot_data)).escalated == 1
    second = await wait_for_message(emulator, TEACHER, lambda m: "🆕 Lê Gia Bảo" in m["text"])
    assert "🆕 Phan Nhật An" not in second["text"] and "Phan Nhật An" in second["text"]
    lists = [m for m in emulator.messages(TEACHER) if "Sách quá hạn" in m["text"]]
    assert len(lists) == 2


async def test_the_librarian_gets_one_digest_a_week(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    db = bot.bot_data.db
    monday = date(2026, 11, 30)
    await lend(db, readers["student"], date(2026, 11, 10), date(2026, 11, 19))
    await lend(db, readers["classmate"], date(2026, 11, 10), date(2026, 11, 25))
    await lend(db, readers["teacher"], date(2026, 11, 2), date(2026, 11, 16))
    set_clock(bot, at(monday, 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 1
    digest = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "tổng hợp tuần" in m["text"])
    assert "30/11/2026 – 06/12/2026" in digest["text"]
    text = digest["text"]
    assert "3 cuốn quá hạn của 3 bạn đọc" in text
    assert text.index("6A (2 cuốn)") < text.index("Lê Gia Bảo") < text.index("Phan Nhật An")
    assert text.index("Phan Nhật An") < text.index("Giáo viên, nhân viên (1 cuốn)")
    assert "Trần Mạnh Hùng" in text and "quá hạn 12 ngày" in text
    set_clock(bot, at(monday + timedelta(days=1), 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 0


def digests(emulator: Emulator) -> list[str]:
    return [m["text"] for m in emulator.messages(LIBRARIAN_ID) if "tổng hợp tuần" in m["text"]]


async def test_a_start_up_on_another_day_than_the_digest_day_sends_no_digest(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    await lend(bot.bot_data.db, readers["student"], date(2026, 11, 10), date(2026, 11, 19))
    set_clock(bot, at(THURSDAY, 9))
    reminders.schedule(bot)
    await wait_for_message(emulator, STUDENT, lambda m: "quá hạn" in m["text"])
    set_clock(bot, at(THURSDAY + timedelta(days=1), 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 0
    await asyncio.sleep(0.3)
    assert digests(emulator) == []


async def test_a_digest_missed_while_the_bot_was_down_goes_once_the_next_morning_and_says_so(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    monday = date(2026, 11, 30)
    await lend(bot.bot_data.db, readers["student"], date(2026, 11, 10), date(2026, 11, 19))
    set_clock(bot, at(monday - timedelta(days=2), 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 0
    # Down from Saturday evening to Tuesday morning: the bot starts again at 07:30.
    set_clock(bot, at(monday + timedelta(days=1), 7, 30))
    reminders.schedule(bot)
    late = await wait_for_message(emulator, LIBRARIAN_ID, lambda m: "tổng hợp tuần" in m["text"])
    assert "gửi muộn vì bot không chạy hôm Thứ Hai 30/11/2026" in late["text"]
    assert "30/11/2026 – 06/12/2026" in late["text"] and "Lê Gia Bảo" in late["text"]
    assert (await reminders.send_reminders(bot.bot_data)).digest == 0
    set_clock(bot, at(monday + timedelta(days=2), 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 0
    set_clock(bot, at(monday + timedelta(days=7), 7))
    assert (await reminders.send_reminders(bot.bot_data)).digest == 1
    await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "07/12/2026 – 13/12/2026" in m["text"]
    )
    assert len(digests(emulator)) == 2 and "gửi muộn" not in digests(emulator)[-1]


async def test_in_quiet_hours_nothing_is_sent_until_the_morning(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    state = bot.bot_data
    # Delivery follows the test's clock here, so that "the morning" can come.
    await state.delivery.stop()
    state.delivery = DeliveryWorker(
        state.db, bot.bot, clock=lambda: state.clock().astimezone(UTC), poll_interval=0.1
    )
    await state.delivery.start()
    await lend(state.db, readers["student"], date(2026, 11, 17), THURSDAY)
    set_clock(bot, at(TUESDAY, 22))
    assert (await reminders.send_reminders(state)).readers == 1
    row = await outbox.get(state.db, f"due:{readers['student']}:2026-11-24")
    assert row is not None and row.not_before == at(TUESDAY + timedelta(days=1), 6, 30)
    await asyncio.sleep(0.5)
    assert reminder_texts(emulator, STUDENT) == []
    set_clock(bot, at(TUESDAY + timedelta(days=1), 6, 31))
    await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])


async def test_a_long_break_sends_nothing_unless_a_due_date_falls_in_it(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    db = bot.bot_data.db
    tet = date(2027, 2, 3)
    await lend(db, readers["student"], date(2027, 1, 18), date(2027, 1, 22))
    await lend(db, readers["student"], date(2027, 1, 26), date(2027, 2, 15))
    await lend(db, readers["classmate"], date(2027, 1, 5), date(2027, 1, 12))
    set_clock(bot, at(tet, 7))
    assert (await reminders.send_reminders(bot.bot_data)).enqueued == 0
    await lend(db, readers["student"], date(2027, 1, 20), date(2027, 2, 4))
    report = await reminders.send_reminders(bot.bot_data)
    assert (report.loans, report.readers, report.homeroom, report.digest) == (1, 1, 0, 0)
    reminder = await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])
    assert reminder["text"].count("•") == 1 and "04/02/2027" in reminder["text"]


async def test_the_schedule_is_rebuilt_at_start_and_a_missed_run_is_caught_up(
    bot: BotApplication, emulator: Emulator, readers: dict[str, int]
) -> None:
    assert bot.job_queue is not None
    await lend(bot.bot_data.db, readers["student"], date(2026, 11, 17), THURSDAY)
    set_clock(bot, at(TUESDAY, 22))
    reminders.schedule(bot)
    await asyncio.sleep(0.5)
    assert await outbox.get(bot.bot_data.db, f"due:{readers['student']}:2026-11-24") is None

    set_clock(bot, at(TUESDAY, 15))
    reminders.schedule(bot)
    daily = bot.job_queue.get_jobs_by_name(reminders.DAILY_JOB)
    assert len(daily) == 1 and daily[0].data == DEFAULT_SETTINGS
    assert daily[0].next_t is not None
    assert daily[0].next_t.astimezone(HANOI).time() == time(7, 0)
    await wait_for_message(emulator, STUDENT, lambda m: "Nhắc trả sách" in m["text"])
    assert "Thứ Năm, 26/11/2026" in text_of(emulator.messages(STUDENT))
