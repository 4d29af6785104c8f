"""A small, unmodified python-telegram-bot Application against the emulator, played by Driver."""

import asyncio
import html
import io
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest
from PIL import Image
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.emulator.driver import ChatUser, Driver, application_builder, run_application
from bot.emulator.server import Emulator

USER = 7101
TEACHER = 7102
GROUP = -1007100000001


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Repeat the text in bold, with a borrow button and a link button."""
    message = update.effective_message
    assert message is not None and message.text is not None
    buttons = [
        InlineKeyboardButton("Mượn sách", callback_data="borrow:7"),
        InlineKeyboardButton("Trang thư viện", url="https://thuvien.edu.vn"),
    ]
    await message.reply_html(
        f"Bạn viết: <b>{html.escape(message.text)}</b>",
        reply_markup=InlineKeyboardMarkup([buttons]),
    )


async def borrow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge the press with a toast and turn the message into a receipt."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer("Đã gửi yêu cầu mượn")
    await query.edit_message_text(f"Yêu cầu mượn sách số {query.data.split(':')[1]} đã gửi.")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a deep link with its payload."""
    assert update.effective_message is not None
    payload = context.args[0] if context.args else "trống"
    await update.effective_message.reply_text(f"Mở: {payload}")


async def search(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /tim with the words searched for."""
    assert update.effective_message is not None
    await update.effective_message.reply_text("Tìm: " + " ".join(context.args or []))


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the reply keyboard, or take it away with /an."""
    assert update.effective_message is not None
    if update.effective_message.text == "/an":
        await update.effective_message.reply_text("Đã ẩn", reply_markup=ReplyKeyboardRemove())
        return
    keyboard = ReplyKeyboardMarkup([["📚 Sách của tôi", "🔎 Tìm sách"]], resize_keyboard=True)
    await update.effective_message.reply_text("Chọn một mục:", reply_markup=keyboard)


async def in_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a group command in the sender's private chat."""
    assert update.effective_user is not None
    await context.bot.send_message(update.effective_user.id, "Thẻ thư viện của bạn")


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download the photo and send it back with its size."""
    message = update.effective_message
    assert message is not None and message.photo
    file = await message.photo[-1].get_file()
    data = await file.download_as_bytearray()
    await message.reply_photo(photo=bytes(data), caption=f"Nhận {len(data)} byte")


async def member_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remember where the bot was blocked, added or removed."""
    change = update.my_chat_member
    assert change is not None
    context.bot_data.setdefault("changes", []).append(
        (change.chat.id, change.new_chat_member.status)
    )


def build(emulator: Emulator) -> Application:  # type: ignore[type-arg]
    """The tiny bot under test."""
    application = application_builder(emulator).build()
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("tim", search))
    application.add_handler(CommandHandler(["menu", "an"], menu))
    application.add_handler(CommandHandler("the", in_private))
    application.add_handler(MessageHandler(filters.PHOTO, photo))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    application.add_handler(CallbackQueryHandler(borrow, pattern=r"^borrow:"))
    application.add_handler(ChatMemberHandler(member_change, ChatMemberHandler.MY_CHAT_MEMBER))
    return application


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 160), (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


async def eventually(check: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until ``check()`` holds (the bot handles updates in its own task)."""
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.02)


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emulator = Emulator()
    await emulator.start()
    emulator.add_group(GROUP, "Lớp 6A", member_ids=[USER], admin_ids=[TEACHER])
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def app(emulator: Emulator) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    async with run_application(build(emulator), poll_timeout=2) as application:
        yield application


@pytest.fixture
def driver(emulator: Emulator, app: Application) -> Driver:  # type: ignore[type-arg]
    return Driver(emulator)


@pytest.fixture
def user(driver: Driver) -> ChatUser:
    return driver.user(USER, "An", "an_6a")


async def test_text_round_trip(user: ChatUser) -> None:
    (reply,) = await user.send("Dế Mèn & <bạn>")
    assert reply["text"] == "Bạn viết: Dế Mèn & <bạn>"
    assert reply["entities"] == [{"type": "bold", "offset": 10, "length": 14}]
    assert user.buttons(reply) == [
        ("Mượn sách", "borrow:7"),
        ("Trang thư viện", "https://thuvien.edu.vn"),
    ]
    assert user.last_message() == reply


async def test_button_press_round_trip(user: ChatUser, emulator: Emulator) -> None:
    (reply,) = await user.send("Dế Mèn")
    pressed = await user.press(reply, "Mượn")
    assert pressed.answer == "Đã gửi yêu cầu mượn"
    assert pressed.show_alert is False
    (receipt,) = pressed.messages
    assert receipt["message_id"] == reply["message_id"]
    assert receipt["text"] == "Yêu cầu mượn sách số 7 đã gửi."
    assert "reply_markup" not in receipt
    assert [c["ok"] for c in emulator.calls("answerCallbackQuery")] == [True]
    with pytest.raises(AssertionError, match="no button"):
        await user.press(receipt, "Mượn")


async def test_deep_link_payload_reaches_start(user: ChatUser) -> None:
    (reply,) = await user.send("/start book_12")
    assert reply["text"] == "Mở: book_12"


async def test_photo_round_trip(user: ChatUser) -> None:
    image = png()
    (reply,) = await user.send_photo(image, caption="bìa")
    assert reply["caption"] == f"Nhận {len(image)} byte"
    assert (reply["photo"][-1]["width"], reply["photo"][-1]["height"]) == (120, 160)


async def test_group_commands_with_and_without_the_bot_name(user: ChatUser) -> None:
    (plain,) = await user.send("/tim dế mèn", chat_id=GROUP)
    assert plain["text"] == "Tìm: dế mèn"
    assert plain["chat"]["id"] == GROUP
    (named,) = await user.send("/tim@thuvien_demo_bot đắc nhân tâm", chat_id=GROUP)
    assert named["text"] == "Tìm: đắc nhân tâm"
    assert await user.send_silent("/tim@another_bot dế mèn", chat_id=GROUP, wait=0.3) == []


async def test_reply_keyboard_keys_can_be_tapped_until_removed(user: ChatUser) -> None:
    await user.send("/menu")
    assert user.keyboard() == ["📚 Sách của tôi", "🔎 Tìm sách"]
    (reply,) = await user.tap("📚 Sách của tôi")
    assert reply["text"] == "Bạn viết: 📚 Sách của tôi"
    assert reply["entities"] == [{"type": "bold", "offset": 10, "length": 15}]
    await user.send("/an")
    assert user.keyboard() == []
    with pytest.raises(AssertionError, match="no key"):
        await user.tap("📚 Sách của tôi")


async def test_a_group_command_answered_in_private_once_the_user_started_the_bot(
    emulator: Emulator,
    app: Application,  # type: ignore[type-arg]
) -> None:
    member = Driver(emulator, reply_timeout=1.0).user(USER, "An")
    with pytest.raises(AssertionError, match="bot can't initiate conversation with a user"):
        await member.send("/the", chat_id=GROUP, answer_chat=USER)
    await member.send("/start")
    (card,) = await member.send("/the", chat_id=GROUP, answer_chat=USER)
    assert (card["chat"]["id"], card["text"]) == (USER, "Thẻ thư viện của bạn")


async def test_plain_group_text_is_not_delivered(user: ChatUser, emulator: Emulator) -> None:
    assert await user.send_silent("chào cả lớp", chat_id=GROUP, wait=0.3) == []
    with pytest.raises(AssertionError, match="privacy mode"):
        await user.send("chào cả lớp", chat_id=GROUP)
    assert emulator.calls("sendMessage") == []


async def test_a_blocked_user_gives_forbidden_to_the_bot(
    app: Application,  # type: ignore[type-arg]
    user: ChatUser,
    emulator: Emulator,
) -> None:
    await user.send("chào")
    emulator.block_bot(USER)
    await eventually(lambda: (USER, "kicked") in app.bot_data.get("changes", []))
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(USER, "Nhắc hạn trả sách")


async def test_ptb_reads_chats_members_commands_and_files(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    bot = app.bot
    emulator.add_user(USER, "An")
    chat = await bot.get_chat(GROUP)
    assert (chat.title, chat.type) == ("Lớp 6A", "supergroup")
    assert (await bot.get_chat_member(GROUP, TEACHER)).status == "creator"
    assert (await bot.get_chat_member(GROUP, USER)).status == "member"
    assert [a.user.id for a in await bot.get_chat_administrators(GROUP)] == [TEACHER]
    commands = [BotCommand("tim", "Tìm sách"), BotCommand("muon", "Sách đang mượn")]
    assert await bot.set_my_commands(commands, scope=BotCommandScopeChat(USER), language_code="vi")
    assert emulator.my_commands({"type": "chat", "chat_id": USER}, "vi") == [
        {"command": "tim", "description": "Tìm sách"},
        {"command": "muon", "description": "Sách đang mượn"},
    ]
    assert await bot.get_my_commands(scope=BotCommandScopeChat(USER), language_code="vi") == tuple(
        commands
    )
    sent = await bot.send_document(USER, document=b"a,b\n", filename="so-muon.csv")
    assert sent.document is not None and sent.document.file_name == "so-muon.csv"
    file = await bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"a,b\n"
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=999)


async def test_faults_become_the_exceptions_ptb_raises_for_telegram(
    app: Application,  # type: ignore[type-arg]
    emulator: Emulator,
) -> None:
    emulator.add_user(USER, "An")
    emulator.inject_fault("sendMessage", "429", retry_after=3)
    with pytest.raises(RetryAfter) as flood:
        await app.bot.send_message(USER, "x")
    assert flood.value.retry_after in (3, timedelta(seconds=3))
    emulator.inject_fault("sendMessage", "502")
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await app.bot.send_message(USER, "x")
    emulator.inject_fault("sendMessage", "timeout")
    with pytest.raises(TimedOut):
        await app.bot.send_message(USER, "x", read_timeout=0.3)
    assert (await app.bot.send_message(USER, "x")).text == "x"


async def test_the_driver_explains_a_bot_that_stays_silent(
    emulator: Emulator,
    app: Application,  # type: ignore[type-arg]
) -> None:
    student = Driver(emulator, reply_timeout=0.5).user(USER, "An")
    emulator.inject_fault("sendMessage", "403")
    with pytest.raises(AssertionError) as failure:
        await student.send("chào")
    assert "sendMessage -> 403 Forbidden: bot was blocked by the user" in str(failure.value)


async def test_the_application_and_emulator_stop_quickly_without_leftover_tasks() -> None:
    emulator = Emulator()
    await emulator.start()
    started = time.monotonic()
    async with run_application(build(emulator), poll_timeout=10):
        await Driver(emulator).user(USER, "An").send("chào")
    await emulator.stop()
    assert time.monotonic() - started < 3.0
    await asyncio.sleep(0)
    leftover = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    assert leftover == []
