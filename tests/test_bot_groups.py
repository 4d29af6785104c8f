"""End to end: class and team groups join, register, unregister, leave and migrate."""

import asyncio
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from telegram import Update

from bot import texts
from bot.circulation import message
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.handlers.groups import school_class
from db import groups, outbox
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
TEACHER, STUDENT, OTHER_TEACHER = 7201, 7202, 7203
CLASS_GROUP = -1001000007201


@pytest.fixture
async def people(bot: BotApplication, driver: Driver, emulator: Emulator) -> dict[str, ChatUser]:
    """A homeroom teacher of 6A, a 6A student and the teacher of 7B, linked; the 6A group."""
    set_clock(bot, NOW)
    db = bot.bot_data.db
    teacher = await add_reader(
        db, "GV7201", "Trần Mạnh Hùng", category="teacher", homeroom_class="6A"
    )
    student = await add_reader(db, "HS7202", "Lê Gia Bảo", "6A")
    other = await add_reader(
        db, "GV7203", "Lê Thị Thu Hà", category="teacher", homeroom_class="7B"
    )
    for user_id, reader_id in ((TEACHER, teacher), (STUDENT, student), (OTHER_TEACHER, other)):
        await link_directly(db, user_id, reader_id, NOW)
    users = {
        "teacher": driver.user(TEACHER, "Thầy Hùng"),
        "student": driver.user(STUDENT, "Bảo"),
        "other": driver.user(OTHER_TEACHER, "Cô Hà"),
        "librarian": driver.user(LIBRARIAN_ID, "Cô Lan"),
    }
    emulator.add_group(
        CLASS_GROUP,
        "Lớp 6A – THCS Nguyễn Du",
        member_ids=[STUDENT, OTHER_TEACHER, LIBRARIAN_ID],
        admin_ids=[TEACHER],
    )
    return users


async def wait_until(check, wait: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + wait
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never became true")
        await asyncio.sleep(0.05)


def test_class_names_of_the_school_only() -> None:
    assert school_class("6a") == ("6A", 6)
    assert school_class("Lớp 9A2") == ("9A2", 9)
    assert school_class("8/3") == ("8/3", 8)
    assert school_class("12A") is None and school_class("5B") is None
    assert school_class("📚") is None and school_class("x" * 4000) is None


async def test_the_bot_added_to_a_group_greets_it_and_explains_how_to_register(
    bot: BotApplication, driver: Driver, emulator: Emulator
) -> None:
    group = -1001000007299
    emulator.add_group(group, "Lớp 7A", member_ids=[STUDENT], admin_ids=[TEACHER], with_bot=False)
    emulator.add_bot_to_group(group, TEACHER)
    hello = await wait_for_message(emulator, group, lambda m: "/dangkylop" in m["text"])
    assert "Chào cả nhóm" in hello["text"] and "/dangkynhom congtacvien" in hello["text"]
    assert await groups.get_group(bot.bot_data.db, group) is None


async def test_the_homeroom_teacher_registers_the_class_group(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    reply = text_of(await people["teacher"].send("/dangkylop 6a", CLASS_GROUP))
    assert "nhóm lớp 6A" in reply
    assert "phát động đọc sách" in reply and "góp sách" in reply
    db = bot.bot_data.db
    group = await groups.get_group(db, CLASS_GROUP)
    assert group is not None and (group.kind, group.class_name, group.grade) == ("class", "6A", 6)
    assert group.registered_by == TEACHER and group.title == "Lớp 6A – THCS Nguyễn Du"
    assert await groups.class_group_chats(db) == [CLASS_GROUP]
    assert await groups.class_group_chats(db, grade=6) == [CLASS_GROUP]
    assert await groups.class_group_chats(db, class_name="6a") == [CLASS_GROUP]
    assert await groups.class_group_chats(db, grade=7) == []
    assert await groups.team_group_chats(db) == []


async def test_a_student_or_the_teacher_of_another_class_is_refused(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    assert texts.NOT_ALLOWED in text_of(await people["student"].send("/dangkylop 6A", CLASS_GROUP))
    assert texts.NOT_ALLOWED in text_of(await people["other"].send("/dangkylop 6A", CLASS_GROUP))
    assert await groups.get_group(bot.bot_data.db, CLASS_GROUP) is None
    await people["teacher"].send("/dangkylop 6A", CLASS_GROUP)
    # The teacher of 7B may not take over 6A's group by naming 7B.
    assert texts.NOT_ALLOWED in text_of(await people["other"].send("/dangkylop 7B", CLASS_GROUP))
    group = await groups.get_group(bot.bot_data.db, CLASS_GROUP)
    assert group is not None and group.class_name == "6A"


async def test_bad_class_names_get_a_clear_answer_and_write_nothing(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    teacher = people["teacher"]
    assert "/dangkylop 6A" in text_of(await teacher.send("/dangkylop", CLASS_GROUP))
    assert "khối 6 đến khối 9" in text_of(await teacher.send("/dangkylop 12A", CLASS_GROUP))
    assert "khối 6 đến khối 9" in text_of(await teacher.send("/dangkylop 🐉🐉", CLASS_GROUP))
    long = text_of(await teacher.send("/dangkylop " + "x" * 4000, CLASS_GROUP))
    assert "khối 6 đến khối 9" in long and len(long) < 300
    assert "/dangkylop 6A" in text_of(await teacher.send("/dangkylop 6A 7B", CLASS_GROUP))
    assert await groups.get_group(bot.bot_data.db, CLASS_GROUP) is None


async def test_registering_in_a_private_chat_points_to_the_group(
    people: dict[str, ChatUser],
) -> None:
    assert "dùng trong nhóm" in text_of(await people["teacher"].send("/dangkylop 6A"))
    assert "dùng trong nhóm" in text_of(await people["librarian"].send("/dangkynhom congtacvien"))


async def test_only_the_librarian_registers_the_team_group(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    teacher, librarian = people["teacher"], people["librarian"]
    refused = await teacher.send("/dangkynhom congtacvien", CLASS_GROUP)
    assert texts.NOT_ALLOWED in text_of(refused)
    assert "/dangkynhom congtacvien" in text_of(await librarian.send("/dangkynhom", CLASS_GROUP))
    reply = text_of(await librarian.send("/dangkynhom congtacvien", CLASS_GROUP))
    assert "Tổ cộng tác viên" in reply and "họp tổ" in reply
    db = bot.bot_data.db
    assert await groups.team_group_chats(db) == [CLASS_GROUP]
    assert await groups.class_group_chats(db) == []
    # A team group is the librarian's: the homeroom teacher can neither undo nor replace it.
    assert texts.NOT_ALLOWED in text_of(await teacher.send("/huydangky", CLASS_GROUP))
    assert texts.NOT_ALLOWED in text_of(await teacher.send("/dangkylop 6A", CLASS_GROUP))
    assert await groups.team_group_chats(db) == [CLASS_GROUP]


async def test_unregistering_needs_the_same_permission(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    teacher, student = people["teacher"], people["student"]
    assert texts.GROUP_NOT_REGISTERED in text_of(await teacher.send("/huydangky", CLASS_GROUP))
    await teacher.send("/dangkylop 6A", CLASS_GROUP)
    assert texts.NOT_ALLOWED in text_of(await student.send("/huydangky", CLASS_GROUP))
    assert texts.NOT_ALLOWED in text_of(await people["other"].send("/huydangky", CLASS_GROUP))
    assert await groups.class_group_chats(bot.bot_data.db) == [CLASS_GROUP]
    assert texts.GROUP_UNREGISTERED in text_of(await teacher.send("/huydangky", CLASS_GROUP))
    assert await groups.get_group(bot.bot_data.db, CLASS_GROUP) is None
    await people["librarian"].send("/dangkylop 6A", CLASS_GROUP)
    assert await groups.class_group_chats(bot.bot_data.db) == [CLASS_GROUP]


async def test_a_group_that_removes_the_bot_is_marked_inactive(
    bot: BotApplication, people: dict[str, ChatUser], emulator: Emulator
) -> None:
    db = bot.bot_data.db
    await people["teacher"].send("/dangkylop 6A", CLASS_GROUP)
    emulator.remove_bot_from_group(CLASS_GROUP, TEACHER)

    async def inactive() -> bool:
        group = await groups.get_group(db, CLASS_GROUP)
        return group is not None and not group.active

    await wait_until(inactive)
    assert await groups.class_group_chats(db) == []
    emulator.add_bot_to_group(CLASS_GROUP, TEACHER)
    await wait_for_message(emulator, CLASS_GROUP, lambda m: "Chào cả nhóm" in m["text"])
    assert await groups.class_group_chats(db) == []
    await people["teacher"].send("/dangkylop 6A", CLASS_GROUP)
    assert await groups.class_group_chats(db) == [CLASS_GROUP]


async def test_a_group_that_answers_403_is_marked_inactive(
    bot: BotApplication, people: dict[str, ChatUser], emulator: Emulator
) -> None:
    db = bot.bot_data.db
    await people["teacher"].send("/dangkylop 6A", CLASS_GROUP)
    emulator.inject_fault("sendMessage", "403", chat_id=CLASS_GROUP)
    async with db.transaction() as conn:
        await outbox.enqueue(
            conn, key="test:403", chat_id=CLASS_GROUP, payload=message("Giới thiệu sách mới")
        )
    bot.bot_data.delivery.notify()

    async def blocked() -> bool:
        row = await outbox.get(db, "test:403")
        return row is not None and row.status == "blocked"

    await wait_until(blocked)
    assert await groups.class_group_chats(db) == []


async def test_a_group_that_becomes_a_supergroup_keeps_its_registration(
    bot: BotApplication, people: dict[str, ChatUser]
) -> None:
    db = bot.bot_data.db
    await people["teacher"].send("/dangkylop 6A", CLASS_GROUP)
    supergroup = -1001000007202
    migrated = Update.de_json(
        {
            "update_id": 900_001,
            "message": {
                "message_id": 900,
                "date": int(NOW.timestamp()),
                "chat": {"id": CLASS_GROUP, "type": "group", "title": "Lớp 6A"},
                "from": {"id": TEACHER, "is_bot": False, "first_name": "Thầy Hùng"},
                "migrate_to_chat_id": supergroup,
            },
        },
        bot.bot,
    )
    await bot.process_update(migrated)
    assert await groups.get_group(db, CLASS_GROUP) is None
    moved = await groups.get_group(db, supergroup)
    assert moved is not None and moved.class_name == "6A" and moved.active
    assert await groups.class_group_chats(db, class_name="6A") == [supergroup]
    # The same news from the supergroup's side changes nothing more.
    assert not await groups.migrate_group(db, CLASS_GROUP, supergroup)
    assert await groups.class_group_chats(db) == [supergroup]
