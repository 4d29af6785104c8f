"""End to end: the collaborator team's meeting notices, answers, roll call and clean-up roster."""

import asyncio
import time as wall
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.context import BotApplication, BotContext
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import team as team_jobs
from tests.helpers import JSON, add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)
THURSDAY = date(2026, 11, 26)
FRIDAY = date(2026, 11, 27)
TEAM_GROUP = -1001000007400
HOA, AN, CHAU, STUDENT = 7401, 7402, 7403, 7404
MEMBERS = (HOA, AN, CHAU)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HANOI)


async def run_job(bot: BotApplication, moment: datetime) -> None:
    """Run the team job as the JobQueue would, with the bot's clock stopped at moment."""
    set_clock(bot, moment)
    await team_jobs.team_tick(BotContext(bot))


async def start_up_done(bot: BotApplication) -> None:
    """Wait for the job run at start-up to have planned its next run."""
    assert bot.job_queue is not None
    deadline = wall.monotonic() + 5
    while wall.monotonic() < deadline:
        jobs = bot.job_queue.get_jobs_by_name(team_jobs.JOB_NAME)
        now = datetime.now(HANOI)
        if jobs and all(job.next_t is not None and job.next_t > now for job in jobs):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the team job did not run at start-up")


async def drained(bot: BotApplication) -> None:
    """Wait until the delivery worker has sent everything in the outbox."""
    db = bot.bot_data.db
    deadline = wall.monotonic() + 8
    while await db.fetchval("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"):
        assert wall.monotonic() < deadline, "the outbox did not drain"
        await asyncio.sleep(0.02)


@dataclass(frozen=True)
class Sent:
    """What the team's chats and the librarian hold, and how many rows the outbox has."""

    chats: dict[int, int]
    rows: int


async def sent_so_far(bot: BotApplication, emulator: Emulator) -> Sent:
    await drained(bot)
    chats = (TEAM_GROUP, *MEMBERS, STUDENT, LIBRARIAN_ID)
    rows = await bot.bot_data.db.fetchval("SELECT count(*) FROM outbox")
    return Sent({chat: len(emulator.messages(chat)) for chat in chats}, rows)


@pytest.fixture
async def people(bot: BotApplication, driver: Driver, emulator: Emulator) -> dict[str, ChatUser]:
    """Three collaborators granted by the librarian, a student, and the registered team group."""
    await start_up_done(bot)
    set_clock(bot, at(MONDAY, 8))
    db = bot.bot_data.db
    for user_id, code, name, class_name, category in (
        (HOA, "GV7401", "Nguyễn Thị Hoa", "", "teacher"),
        (AN, "HS7402", "Trần Văn An", "8A", "student"),
        (CHAU, "HS7403", "Lê Minh Châu", "9B", "student"),
        (STUDENT, "HS7404", "Phạm Gia Huy", "6A", "student"),
    ):
        reader_id = await add_reader(db, code, name, class_name, category=category)
        await link_directly(db, user_id, reader_id, at(MONDAY, 8))
    users = {
        "hoa": driver.user(HOA, "Cô Hoa"),
        "an": driver.user(AN, "An"),
        "chau": driver.user(CHAU, "Châu"),
        "student": driver.user(STUDENT, "Huy"),
        "librarian": driver.user(LIBRARIAN_ID, "Cô Lan"),
    }
    librarian = users["librarian"]
    emulator.add_group(
        TEAM_GROUP,
        "Tổ cộng tác viên thư viện",
        member_ids=[*MEMBERS, STUDENT],
        admin_ids=[LIBRARIAN_ID],
    )
    registered = text_of(await librarian.send("/dangkynhom congtacvien", TEAM_GROUP))
    assert "Tổ cộng tác viên thư viện" in registered
    for code in ("GV7401", "HS7402", "HS7403"):
        granted = text_of(await librarian.send(f"/quyen them {code} congtacvien"))
        assert "Đã cấp quyền cộng tác viên thư viện" in granted
    return users


async def notice_in(emulator: Emulator, chat: int, part: str) -> JSON:
    return await wait_for_message(emulator, chat, lambda message: part in message.get("text", ""))


async def test_the_notice_three_days_before_reaches_the_group_and_each_member_once(
    bot: BotApplication, emulator: Emulator, people: dict[str, ChatUser]
) -> None:
    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(MONDAY, 23, 59))
    assert await sent_so_far(bot, emulator) == before
    await run_job(bot, at(TUESDAY, 7))
    for chat in (TEAM_GROUP, *MEMBERS):
        notice = await notice_in(emulator, chat, "Thông báo họp Tổ cộng tác viên thư viện")
        assert "Thứ Sáu, 27/11/2026 lúc 15:30" in notice["text"]
        assert "Phòng thư viện" in notice["text"]
        # The November meeting reviews November and shares out December's tasks of the plan.
        assert "tháng 12:" in notice["text"]
        assert "Quân đội nhân dân Việt Nam 22/12" in notice["text"]
        assert [label for label, _ in Driver.buttons(notice)] == ["✅ Có mặt", "❌ Vắng"]
    assert "Thông báo họp" not in text_of(emulator.messages(STUDENT))

    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(TUESDAY, 7))
    await run_job(bot, at(date(2026, 11, 25), 18))
    assert await sent_so_far(bot, emulator) == before
    keys = await bot.bot_data.db.fetchall("SELECT key FROM outbox WHERE key LIKE 'meeting:%'")
    assert sorted(row[0].rsplit(":", 1)[1] for row in keys) == sorted(
        str(chat) for chat in (TEAM_GROUP, *MEMBERS)
    )
    assert all(row[0].split(":")[2] == "before" for row in keys)


async def test_members_answer_for_themselves_and_the_librarian_gets_the_roll_call(
    bot: BotApplication, emulator: Emulator, people: dict[str, ChatUser]
) -> None:
    await run_job(bot, at(TUESDAY, 7))
    in_group = await notice_in(emulator, TEAM_GROUP, "Thông báo họp")
    in_private = await notice_in(emulator, AN, "Thông báo họp")
    hoa, an, student = people["hoa"], people["an"], people["student"]

    assert (await hoa.press(in_group, "Có mặt")).answer == texts.TEAM_ANSWER_SAVED["present"]
    assert (await an.press(in_private, "Vắng")).answer == texts.TEAM_ANSWER_SAVED["absent"]
    changed = await hoa.press(in_group, "Vắng")
    assert changed.answer == texts.TEAM_ANSWER_CHANGED["absent"]
    assert (await hoa.press(in_group, "Có mặt")).answer == texts.TEAM_ANSWER_CHANGED["present"]

    refused = await student.press(in_group, "Có mặt")
    assert refused.answer == texts.NOT_ALLOWED and refused.show_alert
    forged = await hoa.press(in_group, data="tm:in:987654", forge=True)
    assert forged.answer == texts.BUTTON_EXPIRED
    db = bot.bot_data.db
    assert await db.fetchval("SELECT count(*) FROM team_answer") == 2

    await run_job(bot, at(FRIDAY, 7))
    morning = await notice_in(emulator, TEAM_GROUP, "Hôm nay họp")
    assert "15:30" in morning["text"] and Driver.buttons(morning)
    await run_job(bot, at(FRIDAY, 15, 30))
    roll = await notice_in(emulator, LIBRARIAN_ID, "Điểm danh họp")
    assert "27/11/2026 lúc 15:30" in roll["text"]
    assert "Có mặt (1): Nguyễn Thị Hoa" in roll["text"]
    assert "Vắng (1): Trần Văn An" in roll["text"]
    assert "Chưa trả lời (1): Lê Minh Châu" in roll["text"]

    late = await an.press(in_private, "Có mặt")
    assert late.answer == texts.TEAM_MEETING_OVER
    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(FRIDAY, 16))
    assert await sent_so_far(bot, emulator) == before


async def test_the_roster_on_thursday_names_the_member_on_duty_and_turns_go_round(
    bot: BotApplication, emulator: Emulator, people: dict[str, ChatUser]
) -> None:
    await run_job(bot, at(THURSDAY, 6, 59))
    assert "Trực vệ sinh" not in text_of(emulator.messages(TEAM_GROUP))
    await run_job(bot, at(THURSDAY, 7))
    post = await notice_in(emulator, TEAM_GROUP, "Trực vệ sinh thư viện Thứ Sáu 27/11/2026")
    # By given name: An, Châu, Hoa.
    assert "Phân công: Trần Văn An." in post["text"]
    duty = await notice_in(emulator, AN, "đến lượt trực vệ sinh")
    assert "Thứ Sáu 27/11/2026" in duty["text"]
    for other in (HOA, CHAU):
        assert "trực vệ sinh" not in text_of(emulator.messages(other))
    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(THURSDAY, 7))
    await run_job(bot, at(FRIDAY, 6))
    assert await sent_so_far(bot, emulator) == before

    await run_job(bot, at(date(2026, 12, 3), 7))
    second = await notice_in(emulator, TEAM_GROUP, "Thứ Sáu 04/12/2026")
    assert "Phân công: Lê Minh Châu." in second["text"]

    set_clock(bot, at(date(2026, 12, 3), 9))
    roster = text_of(await people["hoa"].send("/lichtruc"))
    assert "Thứ Sáu 04/12/2026: Lê Minh Châu" in roster
    assert "Thứ Sáu 11/12/2026: Nguyễn Thị Hoa" in roster
    assert "Thứ Sáu 18/12/2026: Trần Văn An" in roster
    assert "Thứ Sáu 25/12/2026: Lê Minh Châu" in roster

    # Across Tết the closed Fridays are shown and skipped; nobody loses a turn.
    set_clock(bot, at(date(2027, 1, 25), 9))
    tet = text_of(await people["librarian"].send("/lichtruc"))
    assert "Thứ Sáu 29/01/2027: Nguyễn Thị Hoa" in tet
    assert "Thứ Sáu 05/02/2027: thư viện nghỉ (Nghỉ Tết Nguyên đán)" in tet
    assert "Thứ Sáu 12/02/2027: thư viện nghỉ" in tet
    assert "Thứ Sáu 19/02/2027: Trần Văn An" in tet
    assert texts.NOT_ALLOWED in text_of(await people["student"].send("/lichtruc"))


async def test_the_roster_keeps_the_announced_order_after_a_thursday_the_bot_was_down(
    bot: BotApplication, emulator: Emulator, people: dict[str, ChatUser]
) -> None:
    announced = text_of(await people["hoa"].send("/lichtruc"))
    assert "Thứ Sáu 27/11/2026: Trần Văn An" in announced
    assert "Thứ Sáu 04/12/2026: Lê Minh Châu" in announced
    assert "Thứ Sáu 11/12/2026: Nguyễn Thị Hoa" in announced
    # A member whose given name comes first in the rotation joins after the announcement.
    db = bot.bot_data.db
    binh = await add_reader(db, "HS7405", "Bùi Thị Bình", "7A")
    await link_directly(db, 7405, binh, at(MONDAY, 9))
    granted = text_of(await people["librarian"].send("/quyen them HS7405 congtacvien"))
    assert "Đã cấp quyền cộng tác viên thư viện" in granted
    # The bot was down from Monday to the next Thursday morning: 27/11 was never posted.
    await run_job(bot, at(date(2026, 12, 3), 7))
    post = await notice_in(emulator, TEAM_GROUP, "Trực vệ sinh thư viện Thứ Sáu 04/12/2026")
    assert "Phân công: Lê Minh Châu." in post["text"]
    await notice_in(emulator, CHAU, "Thứ Sáu 04/12/2026 đến lượt trực vệ sinh")
    assert "Trực vệ sinh thư viện Thứ Sáu 27/11/2026" not in text_of(emulator.messages(TEAM_GROUP))
    await run_job(bot, at(date(2026, 12, 10), 7))
    third = await notice_in(emulator, TEAM_GROUP, "Thứ Sáu 11/12/2026")
    assert "Phân công: Nguyễn Thị Hoa." in third["text"]
    # The new member's turn comes after the weeks already announced.
    later = text_of(await people["hoa"].send("/lichtruc"))
    assert "Thứ Sáu 18/12/2026: Trần Văn An" in later
    assert "Thứ Sáu 25/12/2026: Bùi Thị Bình" in later


async def test_the_librarian_edits_the_agenda_moves_and_cancels_the_meeting(
    bot: BotApplication, emulator: Emulator, people: dict[str, ChatUser]
) -> None:
    librarian, hoa = people["librarian"], people["hoa"]
    shown = (await librarian.send("/hopctv"))[-1]
    assert "tháng 11" in shown["text"] and "27/11/2026 lúc 15:30" in shown["text"]
    assert "0 có mặt, 0 vắng, 3 chưa trả lời" in shown["text"]
    labels = [label for label, _ in Driver.buttons(shown)]
    assert labels == ["✏️ Sửa nội dung", "🕒 Đổi giờ", "🚫 Hủy buổi họp"]

    asked = await librarian.press(shown, "Sửa nội dung")
    assert "nội dung mới" in text_of(asked.messages)
    too_long = text_of(await librarian.send("📚" * 2000))
    assert "không quá 3000 ký tự" in too_long and "4000" in too_long
    new_agenda = "1. Chuẩn bị Ngày sách Việt Nam 📚\n2. Phân công viết bài <giới thiệu sách>"
    assert "Đã lưu nội dung mới" in text_of(await librarian.send(new_agenda))

    await run_job(bot, at(TUESDAY, 7))
    notice = await notice_in(emulator, TEAM_GROUP, "Thông báo họp")
    assert "Phân công viết bài <giới thiệu sách>" in notice["text"]
    assert "Quân đội" not in notice["text"]
    await hoa.press(notice, "Có mặt")

    # A member sees the meeting and may answer, but has no librarian's buttons.
    member_view = (await hoa.send("/hopctv"))[-1]
    assert [label for label, _ in Driver.buttons(member_view)] == ["✅ Có mặt", "❌ Vắng"]
    meeting_id = Driver.buttons(member_view)[0][1].rsplit(":", 1)[1]
    forged = await hoa.press(member_view, data=f"tm:move:{meeting_id}", forge=True)
    assert forged.answer == texts.NOT_ALLOWED

    set_clock(bot, at(TUESDAY, 10))
    shown = (await librarian.send("/hopctv"))[-1]
    assert "1 có mặt, 0 vắng, 2 chưa trả lời" in shown["text"]
    await librarian.press(shown, "Đổi giờ")
    assert "Chưa hiểu ngày giờ" in text_of(await librarian.send("thứ bảy nhé"))
    assert "đã qua" in text_of(await librarian.send("20/11 09:00"))
    moved = text_of(await librarian.send("28/11 9h"))
    assert "Thứ Bảy, 28/11/2026 lúc 09:00" in moved and "đã được báo giờ mới" in moved
    for chat in (TEAM_GROUP, *MEMBERS):
        change = await notice_in(emulator, chat, "Đổi giờ họp")
        assert "28/11/2026 lúc 09:00" in change["text"] and Driver.buttons(change)
    db = bot.bot_data.db
    assert await db.fetchval("SELECT count(*) FROM team_answer") == 0

    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(TUESDAY, 10))
    assert await sent_so_far(bot, emulator) == before
    await run_job(bot, at(date(2026, 11, 28), 7))
    morning = await notice_in(emulator, TEAM_GROUP, "Hôm nay họp")
    assert "28/11/2026 lúc 09:00" in morning["text"]

    set_clock(bot, at(date(2026, 11, 28), 8))
    shown = (await librarian.send("/hopctv"))[-1]
    confirm = (await librarian.press(shown, "Hủy buổi họp")).messages[-1]
    kept = await librarian.press(confirm, "Không")
    assert texts.TEAM_CANCEL_KEPT in text_of(kept.messages)
    confirm = (await librarian.press(shown, "Hủy buổi họp")).messages[-1]
    done = await librarian.press(confirm, "Có, hủy")
    assert "Đã hủy buổi họp 28/11/2026" in text_of(done.messages)
    await notice_in(emulator, TEAM_GROUP, "Hủy buổi họp")
    await notice_in(emulator, CHAU, "Hủy buổi họp")

    before = await sent_so_far(bot, emulator)
    await run_job(bot, at(date(2026, 11, 28), 9))
    assert await sent_so_far(bot, emulator) == before
    assert "Điểm danh" not in text_of(emulator.messages(LIBRARIAN_ID))
    # The next meeting is December's.
    assert "25/12/2026 lúc 15:30" in text_of(await librarian.send("/hopctv"))


async def test_outsiders_cannot_see_or_change_the_team_s_meeting(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    student = people["student"]
    refusal = (await student.send("/hopctv"))[-1]
    assert texts.NOT_ALLOWED in refusal["text"]
    shown = (await people["librarian"].send("/hopctv"))[-1]
    meeting_id = Driver.buttons(shown)[0][1].rsplit(":", 1)[1]
    for action in ("edit", "move", "cancel", "cancelok", "in", "out"):
        pressed = await student.press(refusal, data=f"tm:{action}:{meeting_id}", forge=True)
        assert pressed.answer == texts.NOT_ALLOWED and pressed.show_alert
    db = bot.bot_data.db
    assert await db.fetchval("SELECT status FROM team_meeting") == "planned"
    assert await db.fetchval("SELECT count(*) FROM team_answer") == 0
