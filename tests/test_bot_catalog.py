"""End to end: people search the catalog and open title cards through the real bot."""

import io
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PIL import Image

from bot import texts
from bot.context import BotApplication
from bot.demo import CLASS_GROUP_ID, LIBRARIAN_ID
from bot.emulator.driver import ChatUser, Driver
from bot.emulator.server import Emulator
from tests.helpers import add_reader, link_directly

STUDENT = 7001


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or m.get("caption") or "" for m in messages)


def button_labels(message: dict) -> list[str]:
    return [label for label, _ in Driver.buttons(message)]


@pytest.fixture
def student(driver: Driver) -> ChatUser:
    return driver.user(STUDENT, "Bảo")


async def test_start_greets_in_vietnamese_and_names_the_commands(
    student: ChatUser, emulator: Emulator
) -> None:
    replies = await student.send("/start")
    assert "Chào Bảo" in text_of(replies)
    assert "/tim" in text_of(replies) and "/huongdan" in text_of(replies)
    menus = emulator.calls("setMyCommands")
    assert menus and {c["command"] for c in menus[-1]["params"]["commands"]} >= {"tim", "huongdan"}


async def test_the_librarian_is_greeted_as_the_librarian_with_her_desk_commands(
    bot: BotApplication, driver: Driver
) -> None:
    librarian = driver.user(LIBRARIAN_ID, "Cô Lan")
    greeting = text_of(await librarian.send("/start"))
    assert greeting.startswith("Chào Cô Lan! Đây là bàn làm việc của cán bộ thư viện")
    for command in ("/duyet", "/chomuon", "/tra", "/thongbao", "/chiendich", "/kiemke"):
        assert command in greeting
    assert "không cần dấu" not in greeting and " em " not in greeting

    library = bot.bot_data.config.library
    bot.bot_data.config = replace(
        bot.bot_data.config, library=replace(library, librarian_address="cô")
    )
    assert text_of(await librarian.send("/start")).startswith("Chào cô Lan! Đây là bàn làm việc")


@pytest.mark.parametrize(
    ("category", "name", "gender", "hello", "you"),
    [
        ("student", "Nguyễn Văn An", "Nam", "Chào em An! Thư viện Trường", "em"),
        ("teacher", "Phạm Thu Hương", "Nữ", "Kính chào cô Hương! Thư viện Trường", "cô"),
        ("teacher", "Lê Đức Minh", "Nam", "Kính chào thầy Minh! Thư viện Trường", "thầy"),
        ("staff", "Trần Hà", "", "Kính chào thầy/cô Hà! Thư viện Trường", "thầy/cô"),
    ],
)
async def test_a_reader_is_greeted_as_em_or_as_thay_co_from_the_staff_list(
    bot: BotApplication,
    driver: Driver,
    category: str,
    name: str,
    gender: str,
    hello: str,
    you: str,
) -> None:
    db = bot.bot_data.db
    reader_id = await add_reader(
        db, "R7050", name, "6A" if category == "student" else "", category=category
    )
    async with db.transaction() as conn:
        await conn.execute("UPDATE reader SET gender = ? WHERE id = ?", (gender, reader_id))
    await link_directly(db, 7050, reader_id, datetime(2026, 11, 5, tzinfo=UTC))
    greeting = text_of(await driver.user(7050, "Telegram").send("/start"))
    assert greeting.startswith(hello)
    assert f"giúp {you} tìm sách" in greeting and "/sachcuatoi" in greeting
    assert "bạn " not in greeting.replace("bạn đọc", "") and "Mình" not in greeting


async def test_help_explains_search(student: ChatUser) -> None:
    replies = await student.send("/huongdan")
    assert "Tìm sách" in text_of(replies)


async def test_a_student_without_accents_finds_dac_nhan_tam(student: ChatUser) -> None:
    replies = await student.send("dac nhan tam")
    text = text_of(replies)
    assert "Đắc nhân tâm" in text
    assert "trên giá" in text


async def test_the_last_word_is_a_prefix_while_typing(student: ChatUser) -> None:
    replies = await student.send("de me")
    assert "Dế Mèn phiêu lưu ký" in text_of(replies)


async def test_a_small_typo_still_finds_the_title(student: ChatUser) -> None:
    replies = await student.send("nguyen nhat anhh")
    assert "Nguyễn Nhật Ánh" in text_of(replies)


async def test_a_result_button_opens_the_title_card_with_copies_and_share_link(
    student: ChatUser,
) -> None:
    results = await student.send("de men phieu luu ky")
    pressed = await student.press(results[-1], "Dế Mèn")
    card = text_of(pressed.messages)
    assert "Tô Hoài" in card
    assert "\nNXB Kim Đồng\n" in card and "Nhà xuất bản" not in card
    assert "STK-" in card or "TN-" in card
    assert "https://t.me/thuvien_demo_bot?start=book_" in card


async def test_a_share_link_opens_the_same_card(student: ChatUser) -> None:
    results = await student.send("de men phieu luu ky")
    card = text_of((await student.press(results[-1], "Dế Mèn")).messages)
    payload = card.split("?start=")[1].split()[0]
    opened = await student.send(f"/start {payload}")
    assert text_of(opened) == card


async def test_unknown_or_missing_deep_links_are_answered_kindly(student: ChatUser) -> None:
    assert texts.TITLE_NOT_FOUND in text_of(await student.send("/start book_999999999"))
    assert "không còn dùng được" in text_of(await student.send("/start xyz<script>"))


async def test_results_come_five_to_a_page_with_buttons_to_turn(student: ChatUser) -> None:
    first = (await student.send("toan"))[-1]
    assert "Trang 1/" in first["text"]
    assert len([b for b in button_labels(first) if b[0].isdigit()]) == 5
    second = await student.press(first, "Sau »")
    page_two = second.messages[-1]
    assert page_two["message_id"] == first["message_id"]
    assert "Trang 2/" in page_two["text"]
    back = await student.press(page_two, "« Trước")
    assert "Trang 1/" in back.messages[-1]["text"]


async def test_search_by_accession_number_finds_the_copy(student: ChatUser) -> None:
    replies = await student.send("STK-00001")
    assert "Kết quả" in text_of(replies)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "dac AND (",
        "c++",
        "-x",
        "title:x",
        "NEAR(a b)",
        "'; DROP TABLE title; --",
        "😀📚🔥",
        "a" * 4000,
        "đ" * 3000,
        "*",
        "<b>không đóng",
    ],
)
async def test_no_input_breaks_the_search(student: ChatUser, query: str) -> None:
    replies = await student.send(query)
    assert replies
    assert texts.ERROR not in text_of(replies)


async def test_in_a_group_only_commands_are_answered(
    driver: Driver, emulator: Emulator, bot: BotApplication
) -> None:
    emulator.add_group(CLASS_GROUP_ID, "Lớp 6A", member_ids=[STUDENT])
    student = driver.user(STUDENT, "Bảo")
    assert await student.send_silent("de men", chat_id=CLASS_GROUP_ID) == []
    replies = await student.send("/tim de men", chat_id=CLASS_GROUP_ID)
    assert "Dế Mèn" in text_of(replies)
    addressed = await student.send("/tim@thuvien_demo_bot dac nhan tam", chat_id=CLASS_GROUP_ID)
    assert "Đắc nhân tâm" in text_of(addressed)
    assert await student.send_silent("/tim@another_bot de men", chat_id=CLASS_GROUP_ID) == []


async def test_a_private_only_command_in_a_group_points_to_the_private_chat(
    driver: Driver, emulator: Emulator, bot: BotApplication
) -> None:
    emulator.add_group(CLASS_GROUP_ID, "Lớp 6A", member_ids=[STUDENT])
    student = driver.user(STUDENT, "Bảo")
    for command in ("/thongbao", "/kiemke@thuvien_demo_bot", "/tangsach", "/luanchuyen"):
        replies = await student.send(command, chat_id=CLASS_GROUP_ID)
        name = command.removeprefix("/").split("@")[0]
        assert texts.COMMAND_PRIVATE_ONLY.format(command=name) in text_of(replies)
        assert Driver.buttons(replies[-1]) == [
            (texts.BUTTON_OPEN_PRIVATE, "https://t.me/thuvien_demo_bot")
        ]
    assert await student.send_silent("/quayso", chat_id=CLASS_GROUP_ID) == []
    assert await student.send_silent("/thongbao@another_bot", chat_id=CLASS_GROUP_ID) == []


async def test_an_unknown_command_or_nothing_to_cancel_gets_an_answer(student: ChatUser) -> None:
    unknown = text_of(await student.send("/khongcolenhnay"))
    assert texts.UNKNOWN_COMMAND.format(command="khongcolenhnay") == unknown
    assert text_of(await student.send("/huy")) == texts.NOTHING_TO_CANCEL
    addressed = text_of(await student.send("/Xem_<b>@thuvien_demo_bot"))
    assert addressed == texts.UNKNOWN_COMMAND.format(command="xem_")


async def test_bidi_and_invisible_characters_are_not_quoted_back(student: ChatUser) -> None:
    reply = text_of(await student.send("\u202exyzq\u200b qwv\u2066"))
    assert "«xyzq qwv»" in reply
    assert not {"\u202e", "\u200b", "\u2066"} & set(reply)
    invisible = text_of(await student.send("/start copy__AAAA"))
    assert "\x00" not in invisible


async def test_a_photo_or_file_nobody_waits_for_gets_an_answer(student: ChatUser) -> None:
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), "white").save(picture, format="PNG")
    photo = text_of(await student.send_photo(picture.getvalue()))
    assert photo == texts.ATTACHMENT_NOT_USED
    document = text_of(await student.send_file(b"a,b\n", "danh-sach.csv", "text/csv"))
    assert document == texts.ATTACHMENT_NOT_USED


async def test_forged_buttons_are_refused_politely(student: ChatUser, emulator: Emulator) -> None:
    results = await student.send("de men")
    message = results[-1]
    for data in ("t:abc", "zz", "sp:99999", "t:" + "9" * 12):
        pressed = await student.press(message, data=data, forge=True)
        assert texts.ERROR not in (pressed.answer or "")
        assert pressed.answer or pressed.messages


async def test_an_error_is_logged_and_the_person_told_kindly_and_the_bot_goes_on(
    student: ChatUser, bot: BotApplication, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.bot_data.db.conn.execute("ALTER TABLE copy RENAME TO copy_gone")
    with caplog.at_level(logging.ERROR):
        replies = await student.send("de men")
    assert texts.ERROR in text_of(replies)
    assert any(record.exc_info for record in caplog.records)
    await bot.bot_data.db.conn.execute("ALTER TABLE copy_gone RENAME TO copy")
    assert "Dế Mèn" in text_of(await student.send("de men"))


async def test_the_token_never_appears_in_logs(
    student: ChatUser, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await student.send("/start")
        await student.send("de men")
    assert emulator.token not in caplog.text
    assert emulator.token.split(":")[1] not in caplog.text


async def test_an_empty_or_one_letter_query_asks_for_more(student: ChatUser) -> None:
    assert texts.SEARCH_EMPTY_QUERY in text_of(await student.send("?!…"))
    for lone in ("d", "đ", "X", "c ++", "(a)"):
        answer = text_of(await student.send(lone))
        assert "Chỉ một chữ cái" in answer and "tin 6" in answer, lone


async def test_an_accession_number_is_pinned_first_and_named(student: ChatUser) -> None:
    replies = await student.send("stk-1")
    assert "STK-00001" in text_of(replies)


async def add_titles(bot: BotApplication, titles: list[tuple[str, str, str]]) -> None:
    """Add titles with one copy each, as a register import would (title, author, accession)."""
    from db.search import reindex_titles

    async with bot.bot_data.db.transaction() as conn:
        ids = []
        for title, author, accession in titles:
            cursor = await conn.execute(
                "INSERT INTO title (title, author, kind, group_key) VALUES (?, ?, 'STK', ?)",
                (title, author, f"test|{title}"),
            )
            assert cursor.lastrowid is not None
            ids.append(cursor.lastrowid)
            await conn.execute(
                "INSERT INTO copy (accession, title_id) VALUES (?, ?)", (accession, ids[-1])
            )
        await reindex_titles(conn, ids)


def hit_titles(message: dict) -> list[str]:
    return [label.split(". ", 1)[1] for label in button_labels(message) if label[0].isdigit()]


async def test_short_queries_that_mean_a_title_are_searched(
    bot: BotApplication, student: ChatUser
) -> None:
    await add_titles(
        bot,
        [
            ("Lập trình C++ cơ bản", "Phạm Văn Ất", "STK-90001"),
            ("Lập trình C# cho người mới", "Nhiều tác giả", "STK-90002"),
            ("Ngôn ngữ lập trình C", "Quách Tuấn Ngọc", "STK-90003"),
            ("X-Men: Thế hệ mới", "Stan Lee", "STK-90004"),
            ("Q&A: 100 câu hỏi về vũ trụ", "Nhiều tác giả", "STK-90005"),
            ("Vật lí 9", "Vũ Quang", "STK-90006"),
        ],
    )
    cases = {
        "c++": ["Lập trình C++ cơ bản"],
        "C#": ["Lập trình C# cho người mới"],
        "lap trinh c++": ["Lập trình C++ cơ bản"],
        "x-men": ["X-Men: Thế hệ mới"],
        "Q&A": ["Q&A: 100 câu hỏi về vũ trụ"],
        "Vật lí 9": ["Vật lí 9"],
    }
    for query, expected in cases.items():
        reply = (await student.send(query))[-1]
        assert hit_titles(reply) == expected, query
        assert texts.SEARCH_CORRECTED not in reply["text"], query
    tin = hit_titles((await student.send("Tin 6"))[-1])
    assert tin and all(title.startswith("Tin học 6") for title in tin)
    assert hit_titles((await student.send("Tin học 6"))[-1]) == tin
    habits = hit_titles((await student.send("7 thoi quen"))[-1])
    assert habits and all(title.startswith("7 thói quen") for title in habits)
    # A language called C is no C++ book, and a search for it finds no other title with a c.
    assert hit_titles((await student.send("ngon ngu lap trinh c"))[-1]) == ["Ngôn ngữ lập trình C"]


async def test_a_numbered_series_comes_in_order(student: ChatUser) -> None:
    reply = (await student.send("toan 6"))[-1]
    titles = hit_titles(reply)
    assert titles[:2] == ["Toán 6 - Tập một (Cánh Diều)", "Toán 6 - Tập hai (Cánh Diều)"]
    first = (await student.send("harry potter"))[-1]
    second = (await student.press(first, "Sau »")).messages[-1]
    page = first["text"] + second["text"]
    numbers = [page.index(f"- Tập {n}") for n in range(1, 8)]
    assert numbers == sorted(numbers)
    assert page.index("hòn đá phù thủy - Tập 1") < page.index("bảo bối tử thần - Tập 7")
    doraemon = hit_titles((await student.send("doraemon"))[-1])
    assert doraemon == [f"Doraemon - Tập {n}" for n in range(1, 5)]


async def test_an_author_matching_a_word_ranks_below_every_title_match(
    student: ChatUser,
) -> None:
    first = (await student.send("toan 6"))[-1]
    titles = hit_titles(first)
    while "Sau »" in button_labels(first):
        first = (await student.press(first, "Sau »")).messages[-1]
        titles += hit_titles(first)
    civics = [i for i, title in enumerate(titles) if title.startswith("Giáo dục công dân 6")]
    maths = [i for i, title in enumerate(titles) if "Toán 6" in title]
    assert civics and maths and max(maths) < min(civics)
