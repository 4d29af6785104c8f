"""End to end: linking cards, asking for books, approvals, the desk, returns and the line."""

import asyncio
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.context import BotApplication
from bot.demo import LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from db import accounts
from tests.helpers import (
    add_reader,
    link_directly,
    record_parent_consent,
    set_clock,
    text_of,
    wait_for_message,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=HANOI)
STUDENT, OTHER = 7101, 7102


@pytest.fixture
async def linked_student(bot: BotApplication, driver: Driver) -> ChatUser:
    set_clock(bot, TUESDAY)
    reader_id = await add_reader(bot.bot_data.db, "HS9001", "Lê Gia Bảo", "6A")
    await link_directly(bot.bot_data.db, STUDENT, reader_id, TUESDAY)
    return driver.user(STUDENT, "Bảo")


@pytest.fixture
def librarian(driver: Driver) -> ChatUser:
    return driver.user(LIBRARIAN_ID, "Cô Lan")


async def single_copy_title(bot: BotApplication) -> tuple[int, str]:
    row = await bot.bot_data.db.fetchone(
        "SELECT c.title_id, c.accession FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = 'STK' GROUP BY c.title_id HAVING count(*) = 1 ORDER BY c.title_id LIMIT 1"
    )
    assert row is not None
    return int(row[0]), str(row[1])


async def open_card(user: ChatUser, title_id: int) -> dict:
    return (await user.send(f"/start book_{title_id}"))[-1]


async def test_a_card_token_links_once_and_never_again(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    reader_id = await add_reader(bot.bot_data.db, "HS9002", "Trần Thu Hà", "7B")
    await record_parent_consent(bot.bot_data.db, reader_id, TUESDAY)
    issued = await librarian.send("/lienket HS9002")
    caption = text_of(issued)
    assert "Trần Thu Hà" in caption and issued[-1].get("photo")
    token = re.search(r"start=link_([A-Za-z0-9_-]+)", caption)
    assert token is not None
    student = driver.user(STUDENT, "Hà")
    linked = await student.send(f"/start link_{token[1]}")
    assert "Đã liên kết" in text_of(linked) and "Trần Thu Hà" in text_of(linked)
    intruder = driver.user(OTHER, "Kẻ lạ")
    again = await intruder.send(f"/start link_{token[1]}")
    assert "đã được dùng" in text_of(again)
    assert (
        await accounts.identity_of(bot.bot_data.db, OTHER, config_librarian=False)
    ).reader_id is None
    assert "không đúng" in text_of(await intruder.send("/start link_notarealtoken123"))


async def test_an_expired_token_is_refused_and_changes_nothing(
    bot: BotApplication, driver: Driver
) -> None:
    reader_id = await add_reader(bot.bot_data.db, "HS9003", "Phạm Minh Khôi", "8A")
    token = await accounts.issue_link_token(
        bot.bot_data.db, reader_id, TUESDAY, timedelta(days=30)
    )
    set_clock(bot, TUESDAY + timedelta(days=31))
    student = driver.user(STUDENT, "Khôi")
    assert "hết hạn" in text_of(await student.send(f"/start link_{token.token}"))
    identity = await accounts.identity_of(bot.bot_data.db, STUDENT, config_librarian=False)
    assert identity.reader_id is None


async def test_menus_follow_roles(
    bot: BotApplication, emulator: Emulator, linked_student: ChatUser, librarian: ChatUser
) -> None:
    await linked_student.send("/start")
    await librarian.send("/start")
    student_menu = {
        c["command"] for c in emulator.my_commands({"type": "chat", "chat_id": STUDENT})
    }
    librarian_menu = {
        c["command"] for c in emulator.my_commands({"type": "chat", "chat_id": LIBRARIAN_ID})
    }
    assert "sachcuatoi" in student_menu and "duyet" not in student_menu
    assert {"duyet", "chomuon", "tra"} <= librarian_menu


async def test_request_approve_lend_renew_return(
    bot: BotApplication, emulator: Emulator, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, accession = await single_copy_title(bot)
    card = await open_card(linked_student, title_id)
    asked = await linked_student.press(card, texts.BUTTON_BORROW)
    assert "Đã gửi yêu cầu" in text_of(asked.messages)

    request = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Yêu cầu mượn mới" in (m.get("text") or "")
    )
    assert "Lê Gia Bảo" in request["text"] and "(6A)" in request["text"]
    approved = await librarian.press(request, "Duyệt")
    assert "Đã duyệt" in text_of(approved.messages)
    notice = await wait_for_message(
        emulator, STUDENT, lambda m: "đã được duyệt" in (m.get("text") or "")
    )
    assert accession in notice["text"] and "/" in notice["text"]

    mine = text_of(await linked_student.send("/sachcuatoi"))
    assert "Đang giữ, chờ đến lấy" in mine and accession in mine

    asked_reader = await librarian.send(f"/chomuon {accession}")
    assert "Cho ai mượn" in text_of(asked_reader)
    lent = await librarian.send("bao 6a")
    assert (
        "Đã cho" in text_of(lent) and "Lê Gia Bảo" in text_of(lent) and "Hạn trả" in text_of(lent)
    )
    await wait_for_message(
        emulator, STUDENT, lambda m: "Thư viện vừa cho mượn" in (m.get("text") or "")
    )

    my_books = (await linked_student.send("/sachcuatoi"))[-1]
    assert "Đang mượn" in my_books["text"] and "hạn trả" in my_books["text"]
    renewed = await linked_student.press(my_books, texts.BUTTON_RENEW)
    assert "Đã gia hạn" in (renewed.answer or "")
    again = (await linked_student.send("/sachcuatoi"))[-1]
    refused = await linked_student.press(again, texts.BUTTON_RENEW)
    assert "hết số lần" in (refused.answer or "")

    returned = await librarian.send(f"/tra {accession}")
    assert "Đã nhận trả" in text_of(returned)
    assert texts.MY_BOOKS_EMPTY in text_of(await linked_student.send("/sachcuatoi"))


async def test_the_line_passes_a_returned_copy_to_the_next_reader(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    title_id, accession = await single_copy_title(bot)
    first_id = await add_reader(db, "HS9101", "Nguyễn An", "6A")
    second_id = await add_reader(db, "HS9102", "Đỗ Bình", "6B")
    await link_directly(db, STUDENT, first_id, TUESDAY)
    await link_directly(db, OTHER, second_id, TUESDAY)
    first, second = driver.user(STUDENT, "An"), driver.user(OTHER, "Bình")
    await librarian.send(f"/chomuon {accession}")
    await librarian.send("HS9101")
    card = await open_card(second, title_id)
    assert texts.BUTTON_WAIT in [label for label, _ in Driver.buttons(card)]
    waiting = await second.press(card, texts.BUTTON_WAIT)
    assert "đứng thứ <b>1</b>" in text_of(waiting.messages) or "đứng thứ 1" in text_of(
        waiting.messages
    )
    assert "hàng chờ, thứ 1" in text_of(await second.send("/sachcuatoi"))
    returned = await librarian.send(f"/tra {accession}")
    assert "Đỗ Bình" in text_of(returned)
    await wait_for_message(emulator, OTHER, lambda m: "Đã đến lượt" in (m.get("text") or ""))
    del first


async def test_a_refusal_reaches_the_reader_with_its_reason(
    bot: BotApplication, emulator: Emulator, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, _ = await single_copy_title(bot)
    await linked_student.press(await open_card(linked_student, title_id), texts.BUTTON_BORROW)
    queue = (await librarian.send("/duyet"))[-1]
    assert "Lê Gia Bảo" in queue["text"]
    reasons = await librarian.press(queue, "Từ chối")
    chosen = await librarian.press(reasons.messages[-1], "Bản sách cần sửa chữa")
    assert "Đã từ chối" in text_of(chosen.messages)
    await wait_for_message(
        emulator,
        STUDENT,
        lambda m: "chưa được duyệt" in (m.get("text") or "") and "sửa chữa" in m["text"],
    )


async def test_readers_cannot_do_the_librarians_work_or_touch_others_requests(
    bot: BotApplication,
    emulator: Emulator,
    driver: Driver,
    linked_student: ChatUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    db = bot.bot_data.db
    title_id, accession = await single_copy_title(bot)
    other_id = await add_reader(db, "HS9201", "Vũ Cường", "9A")
    await link_directly(db, OTHER, other_id, TUESDAY)
    other = driver.user(OTHER, "Cường")
    await other.press(await open_card(other, title_id), texts.BUTTON_BORROW)
    request_id = await db.fetchval("SELECT id FROM request WHERE reader_id = ?", (other_id,))
    card = await open_card(linked_student, title_id)
    for data in (f"ap:{request_id}", f"rr:{request_id}:busy", f"cx:{request_id}"):
        pressed = await linked_student.press(card, data=data, forge=True)
        assert (
            pressed.answer in (texts.NOT_ALLOWED, texts.NOT_YOURS)
            or pressed.answer == texts.NOT_ALLOWED
        )
    assert await db.fetchval("SELECT status FROM request WHERE id = ?", (request_id,)) == "pending"
    assert texts.NOT_ALLOWED in text_of(await linked_student.send(f"/chomuon {accession}"))
    assert texts.NOT_ALLOWED in text_of(await linked_student.send("/duyet"))
    assert texts.NOT_ALLOWED in text_of(await linked_student.send("/lienket HS9201"))
    copy_label = text_of(await linked_student.send(f"/start copy_{accession}"))
    assert "Cho mượn" not in copy_label and "Các bản sách" in copy_label
    assert "refused" in caplog.text


async def test_fifty_readers_ask_for_the_last_copy_at_once(
    bot: BotApplication, emulator: Emulator, driver: Driver
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    title_id, _ = await single_copy_title(bot)
    users = []
    for n in range(50):
        reader_id = await add_reader(db, f"HS95{n:02d}", f"Học sinh {n:02d}", "7A")
        await link_directly(db, 8000 + n, reader_id, TUESDAY)
        users.append(driver.user(8000 + n, f"HS{n}"))
    cards = [await open_card(user, title_id) for user in users]
    for user, card in zip(users, cards, strict=True):
        data = dict(Driver.buttons(card))[texts.BUTTON_BORROW]
        emulator.press_button(user.user_id, card["chat"]["id"], card["message_id"], data)
    for _ in range(200):
        count = await db.fetchval("SELECT count(*) FROM request WHERE title_id = ?", (title_id,))
        if count == 50:
            break
        await asyncio.sleep(0.05)
    rows = await db.fetchall(
        "SELECT q.status, r.code FROM request q JOIN reader r ON r.id = q.reader_id"
        " WHERE q.title_id = ? ORDER BY q.id",
        (title_id,),
    )
    assert [row["status"] for row in rows] == ["pending"] + ["waiting"] * 49
    assert [row["code"] for row in rows] == [f"HS95{n:02d}" for n in range(50)]


async def test_an_uncollected_hold_expires_and_goes_to_the_next_reader(
    bot: BotApplication, emulator: Emulator, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    title_id, accession = await single_copy_title(bot)
    first_id = await add_reader(db, "HS9301", "Hồ Xuân", "6A")
    second_id = await add_reader(db, "HS9302", "Lý Thu", "6A")
    await link_directly(db, STUDENT, first_id, TUESDAY)
    await link_directly(db, OTHER, second_id, TUESDAY)
    first, second = driver.user(STUDENT, "Xuân"), driver.user(OTHER, "Thu")
    await first.press(await open_card(first, title_id), texts.BUTTON_BORROW)
    await second.press(await open_card(second, title_id), texts.BUTTON_WAIT)
    request = await wait_for_message(
        emulator, LIBRARIAN_ID, lambda m: "Hồ Xuân" in (m.get("text") or "")
    )
    await librarian.press(request, "Duyệt")
    later = TUESDAY + timedelta(days=7)
    expired = await bot.bot_data.circulation.expire_holds(later)
    assert expired == 1
    await wait_for_message(emulator, OTHER, lambda m: "Đã đến lượt" in (m.get("text") or ""))
    held = await db.fetchval(
        "SELECT r.code FROM loan l JOIN reader r ON r.id = l.reader_id"
        " WHERE l.state = 'held' AND l.copy_id = (SELECT id FROM copy WHERE accession = ?)",
        (accession,),
    )
    assert held == "HS9302"


async def test_a_copy_marked_lost_leaves_circulation(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    _, accession = await single_copy_title(bot)
    card = (await librarian.send(f"/start copy_{accession}"))[-1]
    assert "Cho mượn" in str(Driver.buttons(card))
    asked = await librarian.press(card, "Báo mất")
    confirmed = await librarian.press(asked.messages[-1], "Xác nhận")
    assert "đã mất" in text_of(confirmed.messages)
    status = await bot.bot_data.db.fetchval(
        "SELECT status FROM copy WHERE accession = ?", (accession,)
    )
    assert status == "lost"
    noted = await librarian.send(f"/hong {accession} rách bìa")
    assert "hư hỏng" in text_of(noted)
    assert (
        await bot.bot_data.db.fetchval("SELECT note FROM copy WHERE accession = ?", (accession,))
        == "rách bìa"
    )


async def test_the_librarian_grants_and_removes_roles(
    bot: BotApplication, driver: Driver, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    teacher_id = await add_reader(db, "GV9001", "Ngô Thị Mai", category="teacher")
    assert "chưa liên kết" in text_of(await librarian.send("/quyen them GV9001 congtacvien"))
    await link_directly(db, OTHER, teacher_id, TUESDAY)
    granted = await librarian.send("/quyen them GV9001 congtacvien")
    assert "Đã cấp quyền cộng tác viên thư viện" in text_of(granted)
    assert "đã có quyền" in text_of(await librarian.send("/quyen them GV9001 congtacvien"))
    identity = await accounts.identity_of(db, OTHER, config_librarian=False)
    assert "collaborator" in identity.granted
    assert "Đã bỏ quyền" in text_of(await librarian.send("/quyen bo GV9001 congtacvien"))
    assert "Cấp hoặc bỏ quyền" in text_of(await librarian.send("/quyen them GV9001 thuthu"))
    teacher = driver.user(OTHER, "Mai")
    assert texts.NOT_ALLOWED in text_of(await teacher.send("/quyen them GV9001 congtacvien"))


async def test_scanning_a_reader_card_at_the_desk_picks_the_reader_without_spending_it(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    reader_id = await add_reader(db, "HS9401", "Mai Anh Tuấn", "9B")
    token = await accounts.issue_link_token(db, reader_id, TUESDAY, timedelta(days=30))
    _, accession = await single_copy_title(bot)
    await librarian.send(f"/chomuon {accession}")
    lent = await librarian.send(f"/start link_{token.token}")
    assert "Mai Anh Tuấn" in text_of(lent) and "Đã cho" in text_of(lent)
    assert (
        await db.fetchval("SELECT used_at FROM link_token WHERE token = ?", (token.token,)) is None
    )
    assert (await accounts.identity_of(db, LIBRARIAN_ID, config_librarian=True)).reader_id is None


async def test_a_disadvantaged_student_borrows_textbooks_for_the_year_and_they_are_recalled(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    db = bot.bot_data.db
    await add_reader(db, "HS9501", "Hà Thị Nhung", "6B", disadvantaged=True)
    accession = await db.fetchval(
        "SELECT c.accession FROM copy c JOIN title t ON t.id = c.title_id"
        " WHERE t.kind = 'SGK' AND c.status = 'on_shelf' ORDER BY c.id LIMIT 1"
    )
    await librarian.send(f"/chomuon {accession}")
    lent = text_of(await librarian.send("HS9501"))
    assert "25/05/2027" in lent
    recall = text_of(await librarian.send("/thuhoi"))
    assert "Hà Thị Nhung" in recall and accession in recall and "25/05/2027" in recall


async def test_a_reader_leaves_the_line(
    bot: BotApplication, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, accession = await single_copy_title(bot)
    await librarian.send(f"/chomuon {accession}")
    await add_reader(bot.bot_data.db, "HS9601", "Tạ Minh", "6A")
    await librarian.send("HS9601")
    await linked_student.press(await open_card(linked_student, title_id), texts.BUTTON_WAIT)
    mine = (await linked_student.send("/sachcuatoi"))[-1]
    left = await linked_student.press(mine, texts.BUTTON_CANCEL)
    assert "Đã hủy" in (left.answer or "")
    assert texts.MY_BOOKS_EMPTY in text_of(await linked_student.send("/sachcuatoi"))


async def test_help_lists_the_commands_of_each_role(
    linked_student: ChatUser, librarian: ChatUser
) -> None:
    student_help = text_of(await linked_student.send("/huongdan"))
    assert "/sachcuatoi" in student_help and "/duyet" not in student_help
    assert "/duyet" in text_of(await librarian.send("/huongdan"))


async def test_search_results_show_a_loan_at_once(
    bot: BotApplication, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, accession = await single_copy_title(bot)
    title = await bot.bot_data.db.fetchval("SELECT title FROM title WHERE id = ?", (title_id,))
    before = text_of(await linked_student.send(title))
    assert "Còn 1/1 bản trên giá" in before
    await librarian.send(f"/chomuon {accession}")
    await librarian.send("HS9001")
    after = text_of(await linked_student.send(title))
    assert "Hết bản trên giá" in after


# The desk reads accession numbers as people type them.


async def copy_status(bot: BotApplication, accession: str) -> str:
    return str(
        await bot.bot_data.db.fetchval("SELECT status FROM copy WHERE accession = ?", (accession,))
    )


@pytest.mark.parametrize("typed", ["tn00159", "TN 00159", "tn-159", "TN-00159", "tn.159"])
async def test_the_desk_takes_an_accession_number_as_it_is_typed(
    bot: BotApplication, librarian: ChatUser, typed: str
) -> None:
    answer = text_of(await librarian.send(f"/tra {typed}"))
    assert answer == "Bản TN-00159 không có ai đang mượn."


async def test_a_bare_number_one_copy_carries_names_that_copy(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    await add_reader(bot.bot_data.db, "HS9301", "Đặng Thu Trang", "7A")
    asked = text_of(await librarian.send("/chomuon 300"))
    assert "Cho ai mượn TN-00300" in asked
    lent = text_of(await librarian.send("HS9301"))
    assert "Đã cho" in lent and "TN-00300" in lent
    assert "Đã nhận trả TN-00300" in text_of(await librarian.send("/tra 00300"))


async def test_a_bare_number_several_copies_carry_offers_them_to_pick(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    await add_reader(bot.bot_data.db, "HS9302", "Hồ Minh Quân", "8B")
    offered = (await librarian.send("/chomuon 159"))[-1]
    labels = [label for label, _ in Driver.buttons(offered)]
    assert "có ở 2 bản" in offered["text"]
    assert [label.split(" — ")[0] for label in labels] == ["SGK-00159", "TN-00159"]
    picked = await librarian.press(offered, "TN-00159")
    assert "Cho ai mượn TN-00159" in text_of(picked.messages)
    lent = text_of(await librarian.send("HS9302"))
    assert "Hồ Minh Quân" in lent and "TN-00159" in lent
    assert await copy_status(bot, "TN-00159") == "on_loan"
    assert await copy_status(bot, "SGK-00159") == "on_shelf"


async def test_a_bare_number_to_mark_keeps_its_note_for_the_copy_picked(
    bot: BotApplication, librarian: ChatUser
) -> None:
    offered = (await librarian.send("/hong 159 rách bìa"))[-1]
    marked = await librarian.press(offered, "SGK-00159")
    assert "Đã ghi SGK-00159 là «hư hỏng»" in text_of(marked.messages)
    row = await bot.bot_data.db.fetchone(
        "SELECT status, note FROM copy WHERE accession = 'SGK-00159'"
    )
    assert row is not None and row["status"] == "damaged" and "rách bìa" in row["note"]
    assert await copy_status(bot, "TN-00159") == "on_shelf"


async def test_a_number_no_copy_carries_is_said_plainly(
    bot: BotApplication, librarian: ChatUser
) -> None:
    assert "Không có bản sách nào" in text_of(await librarian.send("/tra tn-99999"))
    assert "Không có bản sách nào" in text_of(await librarian.send("/chomuon 99999"))
    assert "Gõ kèm số ĐKCB" in text_of(await librarian.send("/mat"))


# /chomuon says what stands in the way before asking for a reader.


async def test_lending_a_copy_on_loan_says_who_has_it_and_asks_no_reader(
    bot: BotApplication, librarian: ChatUser
) -> None:
    set_clock(bot, TUESDAY)
    await add_reader(bot.bot_data.db, "HS9401", "Lý Hải Yến", "9A")
    await librarian.send("/chomuon TN-00301")
    await librarian.send("HS9401")
    again = await librarian.send("/chomuon tn301")
    said = text_of(again)
    assert "đang được mượn" in said and "Lý Hải Yến" in said and "(9A)" in said
    assert "hạn trả" in said and "/2026" in said
    assert "Cho ai mượn" not in said
    assert texts.BUTTON_RETURN in [label for label, _ in Driver.buttons(again[-1])]
    # The next words are a search again, not a reader for the copy.
    assert "Đã cho" not in text_of(await librarian.send("HS9401"))


@pytest.mark.parametrize("status", ["lost", "damaged", "withdrawn", "rotated_out"])
async def test_lending_a_copy_written_off_or_away_says_so_and_asks_no_reader(
    bot: BotApplication, librarian: ChatUser, status: str
) -> None:
    async with bot.bot_data.db.transaction() as conn:
        await conn.execute("UPDATE copy SET status = ? WHERE accession = 'TN-00302'", (status,))
    said = text_of(await librarian.send("/chomuon tn 302"))
    assert f"«{texts.COPY_STATUS[status]}»" in said and "không cho mượn được" in said
    assert "Cho ai mượn" not in said


async def test_lending_a_held_copy_names_the_reader_it_waits_for(
    bot: BotApplication, emulator: Emulator, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, accession = await single_copy_title(bot)
    await linked_student.press(await open_card(linked_student, title_id), texts.BUTTON_BORROW)
    queue = (await librarian.send("/duyet"))[-1]
    await librarian.press(queue, "Duyệt")
    asked = await librarian.send(f"/chomuon {accession}")
    said = text_of(asked)
    assert said.index("đang được giữ cho Lê Gia Bảo") < said.index("Cho ai mượn")
    notice = next(m for m in asked if "đang được giữ" in m["text"])
    lent = await librarian.press(notice, "Cho Lê Gia Bảo mượn")
    assert "Đã cho Lê Gia Bảo" in text_of(lent.messages)


async def test_marking_from_a_copy_card_can_be_cancelled(
    bot: BotApplication, librarian: ChatUser
) -> None:
    card = (await librarian.send("/start copy_TN-00303"))[-1]
    asked = await librarian.press(card, texts.BUTTON_LOST)
    confirm = asked.messages[-1]
    assert [label for label, _ in Driver.buttons(confirm)] == [
        texts.BUTTON_CONFIRM,
        texts.BUTTON_CANCEL,
    ]
    dropped = await librarian.press(confirm, texts.BUTTON_CANCEL)
    assert texts.CONFIRM_DROPPED in text_of(dropped.messages)
    assert await copy_status(bot, "TN-00303") == "on_shelf"


async def test_refusing_a_request_can_be_cancelled_and_it_still_waits(
    bot: BotApplication, linked_student: ChatUser, librarian: ChatUser
) -> None:
    title_id, _ = await single_copy_title(bot)
    await linked_student.press(await open_card(linked_student, title_id), texts.BUTTON_BORROW)
    queue = (await librarian.send("/duyet"))[-1]
    reasons = (await librarian.press(queue, "Từ chối")).messages[-1]
    assert texts.BUTTON_CANCEL in [label for label, _ in Driver.buttons(reasons)]
    kept = await librarian.press(reasons, texts.BUTTON_CANCEL)
    assert texts.REFUSAL_DROPPED in text_of(kept.messages)
    status = await bot.bot_data.db.fetchval("SELECT status FROM request")
    assert status == "pending"
    assert "Lê Gia Bảo" in text_of(await librarian.send("/duyet"))
