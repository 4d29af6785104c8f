"""End to end: the campaign calendar — /chiendich, edits, previews, approval and the send."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from bot import texts
from bot.context import BotApplication, BotContext
from bot.core.campaigns import parse_audience
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from bot.jobs import campaigns as campaign_jobs
from db import campaigns, groups, outbox
from tests.helpers import add_reader, link_directly, set_clock, text_of, wait_for_message

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
# No campaign of the calendar is in its preview window on EDIT_DAY, so no push interleaves.
EDIT_DAY = datetime(2026, 11, 5, 10, 0, tzinfo=HANOI)
PREVIEW_DAY = datetime(2026, 11, 17, 7, 30, tzinfo=HANOI)
TEACHERS_DAY = datetime(2026, 11, 20, 7, 30, tzinfo=HANOI)
GROUP_6A, GROUP_6B, GROUP_7A = -1002000000601, -1002000000602, -1002000000701
STUDENT = 7301


@pytest.fixture
async def librarian(bot: BotApplication, driver: Driver) -> ChatUser:
    """The librarian, who has opened the bot (so previews can reach her)."""
    set_clock(bot, EDIT_DAY)
    user = driver.user(LIBRARIAN_ID, "Cô Lan")
    await user.send("/start")
    return user


@pytest.fixture
async def class_groups(bot: BotApplication, emulator: Emulator, librarian: ChatUser) -> list[int]:
    """Three class groups: 6A registered with /dangkylop in the group, 6B and 7A directly."""
    for chat_id, name in ((GROUP_6A, "6A"), (GROUP_6B, "6B"), (GROUP_7A, "7A")):
        emulator.add_group(chat_id, f"Lớp {name}", member_ids=[LIBRARIAN_ID])
    answer = await librarian.send("/dangkylop 6A", GROUP_6A)
    assert "6A" in text_of(answer)
    for chat_id, name, grade in ((GROUP_6B, "6B", 6), (GROUP_7A, "7A", 7)):
        await groups.register_group(
            bot.bot_data.db,
            chat_id=chat_id,
            kind=groups.CLASS,
            class_name=name,
            grade=grade,
            title=f"Lớp {name}",
            registered_by=LIBRARIAN_ID,
            now=PREVIEW_DAY,
        )
    return [GROUP_6A, GROUP_6B, GROUP_7A]


async def teachers_day(bot: BotApplication) -> campaigns.CampaignRecord:
    every = await campaigns.list_campaigns(bot.bot_data.db)
    return next(c for c in every if c.seed_key == "nha-giao-viet-nam")


async def run_pass(bot: BotApplication, moment: datetime) -> campaign_jobs.PassResult:
    set_clock(bot, moment)
    return await campaign_jobs.run_pass(BotContext(bot), moment)


async def open_teachers_day(librarian: ChatUser) -> dict:
    listing = (await librarian.send("/chiendich"))[-1]
    opened = await librarian.press(listing, "20/11 Tri ân")
    return opened.messages[-1]


async def test_the_calendar_is_seeded_once_with_books_found_in_the_catalog(
    bot: BotApplication,
) -> None:
    db = bot.bot_data.db
    seeded = await campaigns.list_campaigns(db)
    assert len(seeded) == len(texts.CAMPAIGN_CALENDAR)
    assert all(
        c.status == "active" and c.send_time == "07:30" and c.lead_days == 3 for c in seeded
    )
    uncle_ho = next(c for c in seeded if (c.day, c.month) == (19, 5))
    books = await campaigns.book_facts(db, uncle_ho.book_ids)
    assert "Búp sen xanh" in [book.title for book in books]
    assert all(c.book_ids for c in seeded)
    assert await campaign_jobs.seed(db) == 0
    assert len(await campaigns.list_campaigns(db)) == len(seeded)


async def test_chiendich_lists_the_year_by_coming_date_for_the_librarian_only(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, EDIT_DAY)
    listing = (await librarian.send("/chiendich"))[-1]
    text = listing["text"]
    order = [text.index(day) for day in ("20/11/2026", "22/12/2026", "03/02/2027", "19/05/2027")]
    assert order == sorted(order)
    assert text.index("20/10/2027") > text.index("25/05/2027")
    assert all(len(data.encode()) <= 64 for _, data in Driver.buttons(listing))
    assert texts.BUTTON_NEW_CAMPAIGN in [label for label, _ in Driver.buttons(listing)]

    student = driver.user(STUDENT, "Bảo")
    assert texts.NOT_ALLOWED in text_of(await student.send("/chiendich"))
    forged = await student.press(listing, data="cp:ok:1:2026", forge=True)
    assert forged.answer == texts.NOT_ALLOWED
    missing = await librarian.press(listing, data="cp:o:999999", forge=True)
    assert missing.answer == texts.CAMPAIGN_NOT_FOUND


async def test_the_librarian_edits_a_campaign_in_short_conversations(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, EDIT_DAY)
    card = await open_teachers_day(librarian)
    assert "Gương Nhà giáo Thủ đô" in card["text"] and "07:30" in card["text"]

    await librarian.press(card, texts.BUTTON_EDIT_TITLE)
    assert "tối đa 120" in text_of(await librarian.send("x" * 4000))
    campaign = await teachers_day(bot)
    assert campaign.title.startswith("Tri ân")
    renamed = await librarian.send("Tháng tri ân thầy cô")
    card = renamed[-1]
    assert "Tháng tri ân thầy cô" in card["text"]

    await librarian.press(card, texts.BUTTON_EDIT_TIME)
    assert "không phải giờ" in text_of(await librarian.send("25 giờ"))
    card = (await librarian.send("8h15"))[-1]
    assert "08:15" in card["text"]

    await librarian.press(card, texts.BUTTON_EDIT_DATE)
    assert "không phải ngày" in text_of(await librarian.send("31/11"))
    card = (await librarian.send("19/11"))[-1]
    assert "19/11" in card["text"]

    asked = await librarian.press(card, texts.BUTTON_EDIT_AUDIENCE)
    grades = await librarian.press(asked.messages[-1], texts.AUDIENCE_BUTTONS["grade"])
    chosen = await librarian.press(grades.messages[-1], "Khối 6")
    card, warning = chosen.messages[-2], chosen.messages[-1]
    assert "Gửi tới: các nhóm lớp khối 6" in card["text"]
    assert "chưa gửi được tới các nhóm lớp khối 6" in warning["text"]
    assert "chưa có nhóm lớp nào của khối 6 đăng ký nhận tin" in warning["text"]
    assert "gõ /dangkylop 6A ngay trong nhóm đó" in warning["text"]
    again = await librarian.press(warning, texts.BUTTON_EDIT_AUDIENCE)
    assert texts.AUDIENCE_BUTTONS["readers"] in text_of(
        [{"text": " ".join(label for label, _ in Driver.buttons(again.messages[-1]))}]
    )

    await librarian.press(card, texts.BUTTON_ADD_BOOK)
    found = (await librarian.send("de men phieu luu"))[-1]
    added = await librarian.press(found, "Dế Mèn phiêu lưu ký")
    card = added.messages[-1]
    assert "Dế Mèn phiêu lưu ký" in card["text"]

    menu = await librarian.press(card, texts.BUTTON_REMOVE_BOOK)
    removed = await librarian.press(menu.messages[-1], "Người thầy đầu tiên")
    assert "Người thầy đầu tiên" not in removed.messages[-1]["text"]

    paused = await librarian.press(removed.messages[-1], texts.BUTTON_PAUSE)
    assert texts.CAMPAIGN_STATUS["paused"] in paused.messages[-1]["text"]
    campaign = await teachers_day(bot)
    assert (campaign.day, campaign.month, campaign.send_time) == (19, 11, "08:15")
    assert campaign.audience == "grade:6" and campaign.status == "paused"
    books = [book.title for book in await campaigns.book_facts(bot.bot_data.db, campaign.book_ids)]
    assert "Dế Mèn phiêu lưu ký" in books and "Người thầy đầu tiên" not in books


async def test_a_button_pressed_twice_is_answered_quietly(
    bot: BotApplication, librarian: ChatUser, emulator: Emulator
) -> None:
    card = await open_teachers_day(librarian)
    campaign = await teachers_day(bot)
    await librarian.press(card, texts.BUTTON_PAUSE)
    # The second press arrives from the same card, as a double tap would: nothing to change.
    again = await librarian.press(card, data=f"cp:st:{campaign.id}:paused", forge=True)
    assert not again.show_alert and again.answer in (None, "")
    assert texts.ERROR not in text_of(librarian.messages())
    assert (await teachers_day(bot)).status == "paused"


async def test_a_message_too_long_or_not_text_is_refused_and_nothing_is_written(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, EDIT_DAY)
    before = await teachers_day(bot)
    card = await open_teachers_day(librarian)
    await librarian.press(card, texts.BUTTON_EDIT_MESSAGE)
    assert "tối đa 3000" in text_of(await librarian.send("Đọc sách 📚 " * 300))
    assert "Cần gõ bằng chữ" in text_of(await librarian.send_photo(_png()))
    assert texts.CANCELLED_DIALOG in text_of(await librarian.send("/huy"))
    assert await teachers_day(bot) == before
    answer = await librarian.send("de men")
    assert "Kết quả" in text_of(answer), "after /huy, text is a catalog search again"


async def test_a_new_campaign_is_added_in_three_questions(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, EDIT_DAY)
    listing = (await librarian.send("/chiendich"))[-1]
    await librarian.press(listing, texts.BUTTON_NEW_CAMPAIGN)
    await librarian.send("Tuần lễ sách khoa học")
    await librarian.send("15/03")
    card = (await librarian.send("Cùng khám phá thế giới qua những cuốn sách khoa học!"))[-1]
    assert "Tuần lễ sách khoa học" in card["text"] and "15/03" in card["text"]
    made = [c for c in await campaigns.list_campaigns(bot.bot_data.db) if c.seed_key is None]
    assert [(c.title, c.day, c.month, c.audience) for c in made] == [
        ("Tuần lễ sách khoa học", 15, 3, "classes")
    ]


async def test_preview_approval_and_send_reach_every_class_group_exactly_once(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    campaign = await teachers_day(bot)
    early = await run_pass(bot, PREVIEW_DAY.replace(hour=7, minute=29))
    assert early.previews == 0
    assert (await run_pass(bot, PREVIEW_DAY)).previews >= 1
    ask = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Bản xem trước" in (m.get("text") or "")
    )
    assert "3 nơi nhận" in ask["text"] and "20/11/2026" in ask["text"]
    assert "chưa gửi được" not in ask["text"]
    preview = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Gương Nhà giáo Thủ đô" in (m.get("text") or "")
    )
    assert (await run_pass(bot, PREVIEW_DAY)).previews == 0
    approved = await librarian.press(ask, texts.BUTTON_APPROVE_RUN)
    assert "Đã duyệt" in text_of(approved.messages)

    assert (await run_pass(bot, TEACHERS_DAY.replace(minute=29))).campaigns == 0
    assert (await run_pass(bot, TEACHERS_DAY)).campaigns == 1
    assert (await run_pass(bot, TEACHERS_DAY)).campaigns == 0
    for chat_id in class_groups:
        sent = await wait_for_message(
            emulator, chat_id, lambda m: "Tri ân" in (m.get("text") or "")
        )
        assert sent["text"] == preview["text"]
        assert "start=book_" in str(sent.get("entities")) and "Người thầy đầu tiên" in sent["text"]
        key = f"campaign:{campaign.id}:2026:{chat_id}"
        assert (await outbox.get(bot.bot_data.db, key)) is not None
    report = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "đã gửi xong" in (m.get("text") or "")
    )
    assert "3 thành công" in report["text"]
    for chat_id in class_groups:
        assert len(emulator.messages(chat_id)) == 1 + (chat_id == GROUP_6A)


async def test_a_skipped_or_unanswered_campaign_sends_nothing(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    await run_pass(bot, PREVIEW_DAY)
    ask = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Bản xem trước" in (m.get("text") or "")
    )
    skipped = await librarian.press(ask, texts.BUTTON_SKIP_RUN)
    assert "bỏ qua" in text_of(skipped.messages)
    assert (await run_pass(bot, TEACHERS_DAY)).campaigns == 0
    army_day = datetime(2026, 12, 22, 7, 30, tzinfo=HANOI)
    await run_pass(bot, datetime(2026, 12, 19, 7, 30, tzinfo=HANOI))
    assert (await run_pass(bot, army_day)).campaigns == 0
    assert emulator.messages(GROUP_7A) == []


async def test_an_edit_after_approval_needs_approval_again(
    bot: BotApplication, librarian: ChatUser, class_groups: list[int]
) -> None:
    set_clock(bot, EDIT_DAY)
    card = await open_teachers_day(librarian)
    approved = await librarian.press(card, texts.BUTTON_APPROVE_RUN)
    note, card = approved.messages
    assert "Đã duyệt" in note["text"] and texts.RUN_STATUS["approved"] in card["text"]
    await librarian.press(card, texts.BUTTON_EDIT_TITLE)
    saved = await librarian.send("Ngày Nhà giáo Việt Nam")
    assert "cần duyệt lại" in text_of(saved)
    assert (await run_pass(bot, TEACHERS_DAY)).campaigns == 0


async def test_a_late_approval_on_the_day_still_sends_and_a_cover_goes_as_a_photo(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser, class_groups: list[int]
) -> None:
    db = bot.bot_data.db
    campaign = await teachers_day(bot)
    photo = emulator.send_photo(LIBRARIAN_ID, _png())
    cover = photo["photo"][-1]["file_id"]
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE title SET cover_file_id = ? WHERE id = ?", (cover, campaign.book_ids[0])
        )
    set_clock(bot, TEACHERS_DAY.replace(hour=9))
    card = await open_teachers_day(librarian)
    await librarian.press(card, texts.BUTTON_APPROVE_RUN)
    for chat_id in class_groups:
        sent = await wait_for_message(emulator, chat_id, lambda m: "photo" in m)
        assert "Tri ân" in sent["caption"]


async def test_teachers_and_linked_readers_are_audiences_too(bot: BotApplication) -> None:
    db = bot.bot_data.db
    teacher = await add_reader(db, "GV9001", "Cô Mai", category="teacher")
    student = await add_reader(db, "HS9301", "Lê Gia Bảo", "6A")
    await link_directly(db, 7401, teacher, PREVIEW_DAY)
    await link_directly(db, STUDENT, student, PREVIEW_DAY)
    chats = campaign_jobs.audience_chats
    assert await chats(db, parse_audience("teachers")) == [7401]
    assert set(await chats(db, parse_audience("readers"))) == {7401, STUDENT}
    assert await chats(db, parse_audience("collaborators")) == []
    lifelong = next(
        c for c in await campaigns.list_campaigns(db) if c.seed_key == "hoc-tap-suot-doi"
    )
    assert lifelong.audience == "readers"


async def test_jobs_are_rebuilt_from_the_database_at_start(bot: BotApplication) -> None:
    queue = bot.job_queue
    assert queue is not None
    names = {job.name for job in queue.jobs()}
    for campaign in await campaigns.list_campaigns(bot.bot_data.db):
        assert f"campaign-at-{campaign.id}" in names


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (90, 120), (200, 60, 40)).save(buffer, "PNG")
    return buffer.getvalue()


async def test_a_campaign_audience_that_reaches_groups_is_saved_without_a_warning(
    bot: BotApplication, librarian: ChatUser, class_groups: list[int]
) -> None:
    set_clock(bot, EDIT_DAY)
    card = await open_teachers_day(librarian)
    asked = await librarian.press(card, texts.BUTTON_EDIT_AUDIENCE)
    chosen = await librarian.press(asked.messages[-1], texts.AUDIENCE_BUTTONS["readers"])
    assert "chưa gửi được tới tất cả bạn đọc đã liên kết" in chosen.messages[-1]["text"]
    assert "quét mã QR trên thẻ" in chosen.messages[-1]["text"]
    asked = await librarian.press(chosen.messages[-1], texts.BUTTON_EDIT_AUDIENCE)
    chosen = await librarian.press(asked.messages[-1], texts.AUDIENCE_BUTTONS["classes"])
    assert "Gửi tới: tất cả các nhóm lớp" in chosen.messages[-1]["text"]
    assert "chưa gửi được" not in text_of(chosen.messages)
    assert (await teachers_day(bot)).audience == "classes"


async def test_a_campaign_preview_for_no_registered_group_says_how_to_register_one(
    bot: BotApplication, emulator: Emulator, librarian: ChatUser
) -> None:
    card = await open_teachers_day(librarian)
    shown = await librarian.press(card, texts.BUTTON_PREVIEW)
    note = shown.messages[-1]["text"]
    assert "(0 nơi nhận)" in note and "chưa gửi được tới tất cả các nhóm lớp" in note
    assert "gõ /dangkylop 6A ngay trong nhóm đó" in note
    assert (await run_pass(bot, PREVIEW_DAY)).previews >= 1
    ask = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Bản xem trước" in (m.get("text") or "")
    )
    assert "chưa có nhóm lớp nào đăng ký nhận tin" in ask["text"]
