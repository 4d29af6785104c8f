"""The Bot API emulator over HTTP: long polling, Telegram's refusals, files, faults, limits."""

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from bot.emulator.html_check import (
    EntityParseError,
    entities_to_html,
    find_entities,
    parse_html,
    parse_markdown_v2,
)
from bot.emulator.server import Emulator

USER = 501
OTHER = 502
GROUP = -1001234567890


def png(width: int = 200, height: int = 100) -> bytes:
    """A real PNG image."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


class Api:
    """Calls the emulator the way python-telegram-bot does (form fields, JSON-encoded values)."""

    def __init__(self, emulator: Emulator, client: httpx.AsyncClient) -> None:
        self.emulator = emulator
        self.client = client
        self.url = f"{emulator.base_url}{emulator.token}"

    async def raw(
        self, method: str, files: dict[str, Any] | None = None, **params: Any
    ) -> httpx.Response:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        return await self.client.post(f"{self.url}/{method}", data=data, files=files)

    async def __call__(
        self, method: str, files: dict[str, Any] | None = None, **params: Any
    ) -> Any:
        response = await self.raw(method, files, **params)
        body = response.json()
        assert response.status_code == 200 and body["ok"], body
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str]:
        response = await self.raw(method, **params)
        body = response.json()
        assert not body["ok"] and body["error_code"] == response.status_code, body
        return response.status_code, body["description"]


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emulator = Emulator(fault_timeout=5.0)
    await emulator.start()
    emulator.add_user(USER, "An", "Nguyễn", "an_6a")
    emulator.add_group(GROUP, "Lớp 6A", member_ids=[USER, OTHER], admin_ids=[OTHER])
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


@pytest.fixture
def api(emulator: Emulator, client: httpx.AsyncClient) -> Api:
    return Api(emulator, client)


# --- the Bot API envelope ------------------------------------------------------------------


async def test_get_me_describes_the_bot(api: Api) -> None:
    me = await api("getMe")
    assert me["id"] == 7000000001
    assert me["is_bot"] is True
    assert me["first_name"] == "Thư viện"
    assert me["username"] == "thuvien_demo_bot"
    assert me["can_join_groups"] is True
    assert me["supports_inline_queries"] is False


async def test_method_names_are_case_insensitive_and_get_works(
    api: Api, client: httpx.AsyncClient
) -> None:
    assert (await api("GETME"))["id"] == 7000000001
    response = await client.get(f"{api.url}/sendMessage", params={"chat_id": USER, "text": "hi"})
    assert response.json()["result"]["text"] == "hi"


async def test_a_json_body_is_accepted(api: Api, client: httpx.AsyncClient) -> None:
    markup = {"inline_keyboard": [[{"text": "Mượn", "callback_data": "b:1"}]]}
    response = await client.post(
        f"{api.url}/sendMessage", json={"chat_id": USER, "text": "xin", "reply_markup": markup}
    )
    assert response.json()["result"]["reply_markup"] == markup


async def test_a_wrong_token_is_unauthorized_and_an_unknown_method_not_found(
    api: Api, client: httpx.AsyncClient, emulator: Emulator
) -> None:
    response = await client.post(f"{emulator.base_url}123:wrong/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert await api.error("sendTelepathy") == (404, "Not Found")


# --- getUpdates ----------------------------------------------------------------------------


async def test_long_polling_waits_for_the_timeout_when_nothing_comes(api: Api) -> None:
    started = time.monotonic()
    assert await api("getUpdates", timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2.0


async def test_long_polling_answers_as_soon_as_an_update_arrives(
    api: Api, emulator: Emulator
) -> None:
    async def user_writes() -> None:
        await asyncio.sleep(0.2)
        emulator.send_text(USER, "chào")

    started = time.monotonic()
    _, updates = await asyncio.gather(user_writes(), api("getUpdates", timeout=10))
    assert 0.15 <= time.monotonic() - started < 1.5
    assert updates[0]["message"]["text"] == "chào"


async def test_an_offset_confirms_earlier_updates(api: Api, emulator: Emulator) -> None:
    emulator.send_text(USER, "một")
    emulator.send_text(USER, "hai")
    first = await api("getUpdates")
    assert [u["message"]["text"] for u in first] == ["một", "hai"]
    assert await api("getUpdates") == first
    rest = await api("getUpdates", offset=first[0]["update_id"] + 1)
    assert [u["message"]["text"] for u in rest] == ["hai"]
    assert await api("getUpdates", offset=first[1]["update_id"] + 1, timeout=0) == []
    assert emulator.pending_updates == 0


async def test_limit_and_negative_offset(api: Api, emulator: Emulator) -> None:
    for n in range(5):
        emulator.send_text(USER, f"tin {n}")
    assert len(await api("getUpdates", limit=2)) == 2
    last_two = await api("getUpdates", offset=-2)
    assert [u["message"]["text"] for u in last_two] == ["tin 3", "tin 4"]


async def test_allowed_updates_filters_later_updates(api: Api, emulator: Emulator) -> None:
    await api("getUpdates", allowed_updates=["callback_query"])
    emulator.send_text(USER, "không được giao")
    assert await api("getUpdates") == []
    await api("getUpdates", allowed_updates=[])
    emulator.send_text(USER, "được giao")
    assert len(await api("getUpdates")) == 1


async def test_a_second_poller_ends_the_first_with_conflict(api: Api) -> None:
    first = asyncio.create_task(api.error("getUpdates", timeout=5))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(api("getUpdates", timeout=0))
    code, description = await asyncio.wait_for(first, 2)
    assert code == 409
    assert description.startswith("Conflict: terminated by other getUpdates request")
    assert await second == []


async def test_stopping_the_server_ends_a_long_poll(emulator: Emulator, api: Api) -> None:
    poll = asyncio.create_task(api.raw("getUpdates", timeout=30))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await emulator.stop()
    assert time.monotonic() - started < 2.0
    response = await asyncio.wait_for(poll, 2)
    assert response.json()["result"] == []


# --- sending and what Telegram refuses -----------------------------------------------------


async def test_a_sent_message_is_complete_bot_api_json(api: Api) -> None:
    sent = await api(
        "sendMessage",
        chat_id=USER,
        text="<b>Dế Mèn</b> phiêu lưu ký",
        parse_mode="HTML",
        protect_content=True,
        link_preview_options={"is_disabled": True},
    )
    assert sent["from"]["id"] == 7000000001
    assert sent["chat"] == {
        "id": USER,
        "type": "private",
        "first_name": "An",
        "last_name": "Nguyễn",
        "username": "an_6a",
    }
    assert sent["text"] == "Dế Mèn phiêu lưu ký"
    assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 6}]
    assert sent["has_protected_content"] is True
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert isinstance(sent["date"], int)
    again = await api("sendMessage", chat_id=USER, text="tiếp", reply_parameters={"message_id": 1})
    assert again["message_id"] == sent["message_id"] + 1
    assert again["reply_to_message"]["message_id"] == 1


async def test_message_ids_count_per_chat(api: Api) -> None:
    first = await api("sendMessage", chat_id=USER, text="a")
    group = await api("sendMessage", chat_id=GROUP, text="b")
    assert (first["message_id"], group["message_id"]) == (1, 1)
    assert (await api("sendMessage", chat_id=USER, text="c"))["message_id"] == 2


@pytest.mark.parametrize("text", ["", "   \n ", "<b></b>", "<i>  </i>"])
async def test_empty_text_is_refused(api: Api, text: str) -> None:
    assert await api.error("sendMessage", chat_id=USER, text=text, parse_mode="HTML") == (
        400,
        "Bad Request: message text is empty",
    )


async def test_length_is_counted_in_utf16_after_parsing(api: Api) -> None:
    assert await api(
        "sendMessage", chat_id=USER, text="<b>" + "a" * 4096 + "</b>", parse_mode="HTML"
    )
    too_long = (400, "Bad Request: message is too long")
    assert await api.error("sendMessage", chat_id=USER, text="a" * 4097) == too_long
    assert await api.error("sendMessage", chat_id=USER, text="📚" * 2049) == too_long
    assert await api.error(
        "sendPhoto", chat_id=USER, photo="https://example.com/a.jpg", caption="c" * 1025
    ) == (400, "Bad Request: message caption is too long")


@pytest.mark.parametrize(
    ("button", "description"),
    [
        ({"text": "x", "callback_data": "đ" * 33}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "callback_data": ""}, "BUTTON_DATA_INVALID"),
        ({"text": "x", "url": "không phải url"}, "BUTTON_URL_INVALID"),
        ({"text": "x", "url": "javascript:alert(1)"}, "BUTTON_URL_INVALID"),
        ({"text": "x"}, "text buttons are unallowed in the inline keyboard"),
    ],
)
async def test_bad_buttons_are_refused(api: Api, button: dict[str, str], description: str) -> None:
    markup = {"inline_keyboard": [[button]]}
    assert await api.error("sendMessage", chat_id=USER, text="x", reply_markup=markup) == (
        400,
        f"Bad Request: {description}",
    )


async def test_callback_data_of_64_bytes_and_url_buttons_pass(api: Api) -> None:
    markup = {
        "inline_keyboard": [
            [{"text": "a", "callback_data": "đ" * 32}],
            [
                {"text": "b", "url": "https://thuvien.edu.vn/sach?id=1"},
                {"text": "c", "url": "t.me/x"},
            ],
        ]
    }
    sent = await api("sendMessage", chat_id=USER, text="x", reply_markup=markup)
    assert sent["reply_markup"] == markup


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("dòng 1<br>dòng 2", 'Unsupported start tag "br" at byte offset'),
        ("<b>đậm", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'expected "</b>", found "</i>"'),
        ("3 < 5", 'Unsupported start tag "" at byte offset 2'),
        ("x </b>", "Unexpected end tag at byte offset 2"),
        ("AT&T", "Character '&' at byte offset 2"),
        ("a &nbsp; b", "Character '&'"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<a href=x/y>", "Unexpected end of name token"),
        ("<a href=x y>", "Expected equal sign in declaration of an attribute"),
        ("<b", "Unclosed start tag"),
    ],
)
async def test_malformed_html_is_refused(api: Api, html: str, reason: str) -> None:
    code, description = await api.error("sendMessage", chat_id=USER, text=html, parse_mode="HTML")
    assert code == 400
    assert description.startswith("Bad Request: can't parse entities: ")
    assert reason in description


async def test_well_formed_html_gives_entities(api: Api) -> None:
    text = (
        "<b>B</b> <strong>S</strong> <i>I</i> <u>U</u> <s>X</s> <tg-spoiler>P</tg-spoiler> "
        '<span class="tg-spoiler">Q</span> <a href="https://x.vn/?a=1&amp;b=2">L</a> '
        "<code>c</code> "
        '<pre><code class="language-python">p</code></pre> <blockquote expandable>q</blockquote> '
        "&lt;&gt;&amp;&quot;&#8364;&#x1F4DA;"
    )
    sent = await api("sendMessage", chat_id=USER, text=text, parse_mode="html")
    assert sent["text"].endswith('<>&"€📚')
    kinds = [e["type"] for e in sent["entities"]]
    assert kinds == [
        "bold",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "expandable_blockquote",
    ]
    link = sent["entities"][7]
    assert link["url"] == "https://x.vn/?a=1&b=2"
    assert sent["entities"][9]["language"] == "python"


async def test_markdown_v2_is_parsed_and_unescaped_characters_refused(api: Api) -> None:
    sent = await api("sendMessage", chat_id=USER, text="*Đậm* và \\.", parse_mode="MarkdownV2")
    assert sent["text"] == "Đậm và ."
    assert sent["entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    _, description = await api.error(
        "sendMessage", chat_id=USER, text="Hạn trả: 22.11.", parse_mode="MarkdownV2"
    )
    assert description == (
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped "
        "with the preceding '\\'"
    )
    assert (await api.error("sendMessage", chat_id=USER, text="x", parse_mode="BBCode"))[0] == 400


async def test_sending_into_unknown_blocked_and_foreign_chats(
    api: Api, emulator: Emulator
) -> None:
    assert await api.error("sendMessage", chat_id=999, text="x") == (
        400,
        "Bad Request: chat not found",
    )
    emulator.block_bot(USER)
    assert await api.error("sendMessage", chat_id=USER, text="x") == (
        403,
        "Forbidden: bot was blocked by the user",
    )
    emulator.add_user(OTHER, "Bình", started=False)
    assert await api.error("sendMessage", chat_id=OTHER, text="x") == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    emulator.remove_bot_from_group(GROUP, OTHER)
    assert await api.error("sendMessage", chat_id=GROUP, text="x") == (
        403,
        "Forbidden: bot was kicked from the supergroup chat",
    )
    basic = -4455
    emulator.add_group(basic, "Tổ TCTVTV", member_ids=[OTHER], supergroup=False)
    emulator.remove_bot_from_group(basic, OTHER)
    assert await api.error("sendMessage", chat_id=basic, text="x") == (
        403,
        "Forbidden: bot was kicked from the group chat",
    )


async def test_blocking_and_removal_reach_the_bot_as_my_chat_member(
    api: Api, emulator: Emulator
) -> None:
    emulator.block_bot(USER)
    emulator.remove_bot_from_group(GROUP, OTHER)
    updates = await api("getUpdates")
    changes = [u["my_chat_member"] for u in updates]
    assert [(c["chat"]["id"], c["new_chat_member"]["status"]) for c in changes] == [
        (USER, "kicked"),
        (GROUP, "kicked"),
    ]
    assert changes[0]["old_chat_member"]["status"] == "member"


async def test_adding_the_bot_to_a_group_sends_my_chat_member_then_a_service_message(
    api: Api, emulator: Emulator
) -> None:
    group = -1009
    emulator.add_group(group, "Lớp 7B", member_ids=[USER], with_bot=False)
    assert await api.error("sendMessage", chat_id=group, text="x") == (
        403,
        "Forbidden: bot is not a member of the supergroup chat",
    )
    emulator.add_bot_to_group(group, USER)
    first, second = await api("getUpdates")
    assert first["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert first["my_chat_member"]["from"]["id"] == USER
    assert second["message"]["new_chat_members"][0]["id"] == 7000000001
    assert await api("sendMessage", chat_id=group, text="Xin chào lớp 7B")
    with pytest.raises(ValueError, match="already in group"):
        emulator.add_bot_to_group(group, USER)


# --- editing, deleting, callbacks ----------------------------------------------------------


async def test_editing_to_the_same_content_is_not_modified(api: Api, emulator: Emulator) -> None:
    markup = {"inline_keyboard": [[{"text": "Mượn", "callback_data": "b:1"}]]}
    sent = await api(
        "sendMessage", chat_id=USER, text="<b>Sách</b>", parse_mode="HTML", reply_markup=markup
    )
    same = {"chat_id": USER, "message_id": sent["message_id"], "parse_mode": "HTML"}
    not_modified = (
        400,
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )
    assert (
        await api.error("editMessageText", text="<b>Sách</b>", reply_markup=markup, **same)
        == not_modified
    )
    edited = await api("editMessageText", text="<b>Sách</b>", **same)
    assert "reply_markup" not in edited
    assert edited["edit_date"] >= sent["date"]
    assert emulator.messages(USER)[0]["text"] == "Sách"
    assert emulator.messages(USER)[0].get("reply_markup") is None
    assert (
        await api.error("editMessageReplyMarkup", chat_id=USER, message_id=sent["message_id"])
        == not_modified
    )
    assert await api.error("editMessageText", chat_id=USER, message_id=99, text="x") == (
        400,
        "Bad Request: message to edit not found",
    )


async def test_edits_and_deletes_show_in_messages_and_events(api: Api, emulator: Emulator) -> None:
    seq = emulator.last_seq
    first = await api("sendMessage", chat_id=USER, text="một")
    second = await api(
        "sendPhoto", files={"photo": ("a.png", png(), "image/png")}, chat_id=USER, caption="ảnh"
    )
    await api("editMessageCaption", chat_id=USER, message_id=second["message_id"], caption="bìa")
    await api("deleteMessage", chat_id=USER, message_id=first["message_id"])
    assert [m.get("caption") for m in emulator.messages(USER)] == ["bìa"]
    events = emulator.events_after(seq)
    assert [e["type"] for e in events] == ["message", "message", "edit", "delete"]
    assert [e["seq"] for e in events] == list(range(seq + 1, seq + 5))
    assert await api.error("deleteMessage", chat_id=USER, message_id=first["message_id"]) == (
        400,
        "Bad Request: message to delete not found",
    )
    assert await api.error(
        "editMessageText", chat_id=USER, message_id=second["message_id"], text="x"
    ) == (400, "Bad Request: there is no text in the message to edit")


async def test_callback_queries_are_answered_once(api: Api, emulator: Emulator) -> None:
    markup = {"inline_keyboard": [[{"text": "Mượn", "callback_data": "b:1"}]]}
    sent = await api("sendMessage", chat_id=USER, text="Sách", reply_markup=markup)
    with pytest.raises(ValueError, match="no button"):
        emulator.press_button(USER, USER, sent["message_id"], "b:2")
    query_id = emulator.press_button(USER, USER, sent["message_id"], "b:1")
    (update,) = await api("getUpdates")
    query = update["callback_query"]
    assert query["id"] == query_id and query["data"] == "b:1"
    assert query["message"]["message_id"] == sent["message_id"]
    assert await api("answerCallbackQuery", callback_query_id=query_id, text="Đã ghi nhận")
    too_old = (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )
    assert await api.error("answerCallbackQuery", callback_query_id=query_id) == too_old
    assert await api.error("answerCallbackQuery", callback_query_id="42") == too_old
    answer = emulator.events_after(0)[-1]
    assert (answer["type"], answer["text"], answer["show_alert"]) == (
        "callback_answer",
        "Đã ghi nhận",
        False,
    )
    forged = emulator.press_button(USER, USER, sent["message_id"], "b:999", forge=True)
    assert forged != query_id


# --- files ---------------------------------------------------------------------------------


async def test_uploaded_photo_and_document_can_be_downloaded(
    api: Api, client: httpx.AsyncClient, emulator: Emulator
) -> None:
    image = png(400, 300)
    photo_response = await api.raw(
        "sendPhoto", files={"photo": ("cover.png", image, "image/png")}, chat_id=USER
    )
    photo = photo_response.json()["result"]["photo"]
    assert [(p["width"], p["height"]) for p in photo] == [(90, 68), (400, 300)]
    file = await api("getFile", file_id=photo[-1]["file_id"])
    download = await client.get(f"{emulator.base_file_url}{emulator.token}/{file['file_path']}")
    assert download.content == image
    assert download.headers["content-type"] == "image/png"

    sheet = b"PK\x03\x04 not really a spreadsheet"
    document_response = await api.raw(
        "sendDocument",
        files={"document": ("muon-tra.xlsx", sheet, "application/octet-stream")},
        chat_id=USER,
        caption="Sổ mượn trả",
    )
    document = document_response.json()["result"]["document"]
    assert document["file_name"] == "muon-tra.xlsx"
    assert document["mime_type"].startswith("application/vnd.openxmlformats")
    assert document["file_size"] == len(sheet)
    file = await api("getFile", file_id=document["file_id"])
    download = await client.get(f"{emulator.base_file_url}{emulator.token}/{file['file_path']}")
    assert download.content == sheet

    again = await api("sendDocument", chat_id=USER, document=document["file_id"])
    assert again["document"]["file_id"] == document["file_id"]
    by_url = await api("sendPhoto", chat_id=USER, photo="https://example.com/bia.jpg")
    assert by_url["photo"][0]["file_id"]
    assert await api.error("sendPhoto", chat_id=USER, photo=document["file_id"]) == (
        400,
        "Bad Request: can't use file of type Document as Photo",
    )
    assert await api.error("sendPhoto", chat_id=USER, photo="không-có") == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )
    garbage = await api.raw(
        "sendPhoto", files={"photo": ("x.png", b"not an image", "image/png")}, chat_id=USER
    )
    assert garbage.json()["description"] == "Bad Request: IMAGE_PROCESS_FAILED"


async def test_a_user_photo_reaches_the_bot_and_its_file_is_served(
    api: Api, client: httpx.AsyncClient, emulator: Emulator
) -> None:
    image = png()
    sent = emulator.send_photo(USER, image, caption="bìa sách")
    (update,) = await api("getUpdates")
    assert update["message"]["caption"] == "bìa sách"
    file = await api("getFile", file_id=update["message"]["photo"][-1]["file_id"])
    download = await client.get(f"{emulator.base_file_url}{emulator.token}/{file['file_path']}")
    assert download.content == image
    assert sent["photo"] == update["message"]["photo"]


async def test_copy_and_forward_carry_the_content(api: Api, emulator: Emulator) -> None:
    post = emulator.send_photo(USER, png(), caption="Giới thiệu sách: Dế Mèn")
    copied = await api(
        "copyMessage", chat_id=GROUP, from_chat_id=USER, message_id=post["message_id"]
    )
    (in_group,) = emulator.messages(GROUP)
    assert in_group["message_id"] == copied["message_id"]
    assert (in_group["caption"], in_group["photo"]) == (post["caption"], post["photo"])
    forwarded = await api(
        "forwardMessage", chat_id=GROUP, from_chat_id=USER, message_id=post["message_id"]
    )
    assert forwarded["forward_origin"]["sender_user"]["id"] == USER
    assert await api.error("copyMessage", chat_id=GROUP, from_chat_id=USER, message_id=99) == (
        400,
        "Bad Request: message to copy not found",
    )


# --- commands, chats -----------------------------------------------------------------------


async def test_commands_are_stored_per_scope_and_language(api: Api, emulator: Emulator) -> None:
    student = [{"command": "tim", "description": "Tìm sách"}]
    librarian = [{"command": "duyet", "description": "Duyệt yêu cầu"}]
    await api("setMyCommands", commands=student)
    await api("setMyCommands", commands=student, language_code="vi")
    await api("setMyCommands", commands=librarian, scope={"type": "chat", "chat_id": USER})
    assert await api("getMyCommands") == student
    assert await api("getMyCommands", scope={"type": "chat", "chat_id": USER}) == librarian
    assert await api("getMyCommands", scope={"type": "all_group_chats"}) == []
    assert emulator.my_commands({"type": "chat", "chat_id": USER}) == librarian
    assert emulator.my_commands(language_code="vi") == student
    assert emulator.visible_commands(USER) == librarian
    assert emulator.visible_commands(OTHER, GROUP) == student
    await api("deleteMyCommands", scope={"type": "chat", "chat_id": USER})
    assert emulator.visible_commands(USER) == student
    bad = [{"command": "Tìm", "description": "x"}]
    assert await api.error("setMyCommands", commands=bad) == (
        400,
        "Bad Request: BOT_COMMAND_INVALID",
    )


async def test_chat_and_member_queries(api: Api, emulator: Emulator) -> None:
    chat = await api("getChat", chat_id=GROUP)
    assert (chat["type"], chat["title"]) == ("supergroup", "Lớp 6A")
    owner = await api("getChatMember", chat_id=GROUP, user_id=OTHER)
    assert owner["status"] == "creator"
    member = await api("getChatMember", chat_id=GROUP, user_id=USER)
    assert member["status"] == "member"
    admins = await api("getChatAdministrators", chat_id=GROUP)
    assert [a["user"]["id"] for a in admins] == [OTHER]
    assert (await api("getChat", chat_id=USER))["first_name"] == "An"
    assert await api.error("getChatAdministrators", chat_id=USER) == (
        400,
        "Bad Request: there are no administrators in the private chat",
    )
    assert await api("sendChatAction", chat_id=USER, action="typing")
    assert emulator.chat_action(USER) == "typing"
    assert await api("setChatMenuButton", chat_id=USER, menu_button={"type": "commands"})
    assert emulator.menu_button(USER) == {"type": "commands"}
    assert await api("setMyDescription", description="Thư viện trường THCS", language_code="vi")
    assert emulator.bot_text("description", "vi") == "Thư viện trường THCS"
    assert await api("getMyDescription", language_code="vi") == {
        "description": "Thư viện trường THCS"
    }
    post = await api("sendMessage", chat_id=GROUP, text="Sách mới tháng 11")
    assert await api.error("pinChatMessage", chat_id=GROUP, message_id=post["message_id"]) == (
        400,
        "Bad Request: not enough rights to manage pinned messages in the chat",
    )
    note = await api("sendMessage", chat_id=USER, text="Hạn trả 22/11/2026")
    assert await api("pinChatMessage", chat_id=USER, message_id=note["message_id"])
    assert emulator.pinned_message_id(USER) == note["message_id"]
    assert await api("leaveChat", chat_id=GROUP)
    assert await api.error("sendMessage", chat_id=GROUP, text="x") == (
        403,
        "Forbidden: bot is not a member of the supergroup chat",
    )


# --- privacy mode --------------------------------------------------------------------------


async def test_privacy_mode_in_groups(api: Api, emulator: Emulator) -> None:
    emulator.send_text(USER, "chào cả lớp", chat_id=GROUP)
    emulator.send_text(USER, "/tim@another_bot dế mèn", chat_id=GROUP)
    command = emulator.send_text(USER, "/tim dế mèn", chat_id=GROUP)
    emulator.send_text(USER, "/tim@ThuVien_Demo_Bot dế mèn", chat_id=GROUP)
    emulator.send_text(USER, "hỏi @thuvien_demo_bot nhé", chat_id=GROUP)
    bot_post = await api("sendMessage", chat_id=GROUP, text="Sách mới")
    emulator.send_text(USER, "hay quá", chat_id=GROUP, reply_to=bot_post["message_id"])
    emulator.send_text(USER, "trả lời bạn", chat_id=GROUP, reply_to=command["message_id"])
    texts = [u["message"]["text"] for u in await api("getUpdates")]
    assert texts == [
        "/tim dế mèn",
        "/tim@ThuVien_Demo_Bot dế mèn",
        "hỏi @thuvien_demo_bot nhé",
        "hay quá",
    ]
    assert command["entities"] == [{"type": "bot_command", "offset": 0, "length": 4}]
    assert emulator.message_view(GROUP, command["message_id"] - 1)["delivered"] is False


async def test_deep_link_start_has_a_bot_command_entity(api: Api, emulator: Emulator) -> None:
    sent = emulator.send_text(USER, "/start book_12")
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    addressed = emulator.send_text(USER, "/start@thuvien_demo_bot")
    assert addressed["entities"][0]["length"] == len("/start@thuvien_demo_bot")


# --- faults and limits ---------------------------------------------------------------------


async def test_injected_faults_are_answered_in_order(api: Api, emulator: Emulator) -> None:
    emulator.inject_fault("sendMessage", "429", retry_after=7)
    emulator.inject_fault("*", "500")
    emulator.inject_fault("sendMessage", "502", chat_id=GROUP)
    emulator.inject_fault("sendMessage", "403", count=2)
    response = await api.raw("sendMessage", chat_id=USER, text="x")
    assert response.status_code == 429
    assert response.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 7",
        "parameters": {"retry_after": 7},
    }
    assert await api.error("getMe") == (500, "Internal Server Error")
    assert await api.error("sendMessage", chat_id=GROUP, text="x") == (502, "Bad Gateway")
    for _ in range(2):
        assert (await api.error("sendMessage", chat_id=USER, text="x"))[0] == 403
    assert await api("sendMessage", chat_id=USER, text="x")
    assert [c.get("fault") for c in emulator.calls("sendMessage")] == [
        "429",
        "502",
        "403",
        "403",
        None,
    ]
    with pytest.raises(ValueError):
        emulator.inject_fault("sendMesage", "429")


async def test_a_timeout_fault_holds_the_request_past_the_client_timeout(
    api: Api, emulator: Emulator
) -> None:
    emulator.inject_fault("sendMessage", "timeout")
    async with httpx.AsyncClient(timeout=0.3) as impatient:
        with pytest.raises(httpx.ReadTimeout):
            await Api(emulator, impatient)("sendMessage", chat_id=USER, text="x")
    assert emulator.messages(USER) == []
    emulator.inject_fault("sendMessage", "timeout")
    held = asyncio.create_task(api.raw("sendMessage", chat_id=USER, text="x"))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await emulator.stop()
    assert time.monotonic() - started < 2.0
    assert (await asyncio.wait_for(held, 2)).status_code == 504


@pytest.fixture
async def strict(client: httpx.AsyncClient) -> AsyncIterator[Api]:
    """An emulator that enforces Telegram's flood limits."""
    emulator = Emulator(enforce_limits=True)
    await emulator.start()
    emulator.add_user(USER, "An")
    emulator.add_group(GROUP, "Lớp 6A", member_ids=[USER])
    try:
        yield Api(emulator, client)
    finally:
        await emulator.stop()


def retry_after(description: str) -> int:
    prefix = "Too Many Requests: retry after "
    assert description.startswith(prefix), description
    return int(description[len(prefix) :])


async def test_a_private_chat_allows_a_short_burst_then_429(strict: Api) -> None:
    for n in range(5):
        assert await strict("sendMessage", chat_id=USER, text=f"burst {n}")
    response = await strict.raw("sendMessage", chat_id=USER, text="one too many")
    body = response.json()
    assert response.status_code == 429
    assert body["parameters"]["retry_after"] == retry_after(body["description"]) >= 1


async def test_a_group_gets_twenty_messages_a_minute(strict: Api) -> None:
    for n in range(20):
        assert await strict("sendMessage", chat_id=GROUP, text=f"group {n}")
    code, description = await strict.error("sendMessage", chat_id=GROUP, text="21st")
    assert code == 429
    assert 50 <= retry_after(description) <= 60


async def test_the_bot_gets_thirty_messages_a_second(strict: Api) -> None:
    for user_id in range(1000, 1031):
        strict.emulator.add_user(user_id, "Học sinh")
    for user_id in range(1000, 1030):
        assert await strict("sendMessage", chat_id=user_id, text="x")
    code, description = await strict.error("sendMessage", chat_id=1030, text="31st")
    assert (code, retry_after(description)) == (429, 1)


async def test_without_enforcement_nothing_is_limited(api: Api) -> None:
    for n in range(25):
        assert await api("sendMessage", chat_id=GROUP, text=f"{n}")


# --- the control API -----------------------------------------------------------------------


async def test_control_api_send_press_messages_and_state(
    client: httpx.AsyncClient, emulator: Emulator, api: Api
) -> None:
    root = emulator.root_url
    state = (await client.get(f"{root}/_emu/state")).json()
    assert state["bot"]["username"] == "thuvien_demo_bot"
    assert {u["id"] for u in state["users"]} == {USER, OTHER}
    assert state["groups"][0]["id"] == GROUP and state["groups"][0]["bot_status"] == "member"

    sent = (
        await client.post(f"{root}/_emu/send", json={"user_id": USER, "text": "de men"})
    ).json()
    assert sent["message"]["text"] == "de men" and sent["message"]["from_bot"] is False
    markup = {"inline_keyboard": [[{"text": "Mượn", "callback_data": "b:1"}]]}
    bot_message = await api(
        "sendMessage",
        chat_id=USER,
        text="<b>Dế Mèn</b> &amp; <a href='https://x.vn'>bạn</a>",
        parse_mode="HTML",
        reply_markup=markup,
    )
    listing = (await client.get(f"{root}/_emu/messages", params={"chat_id": USER})).json()
    user_view, bot_view = listing["messages"]
    assert user_view["html"] == "de men"
    assert bot_view["from_bot"] is True
    assert bot_view["html"] == '<b>Dế Mèn</b> &amp; <a href="https://x.vn">bạn</a>'
    assert bot_view["reply_markup"] == markup
    assert listing["last_seq"] == emulator.last_seq

    pressed = await client.post(
        f"{root}/_emu/press",
        json={
            "user_id": USER,
            "chat_id": USER,
            "message_id": bot_message["message_id"],
            "data": "b:1",
        },
    )
    query_id = pressed.json()["callback_query_id"]
    updates = await api("getUpdates")
    assert updates[-1]["callback_query"]["id"] == query_id
    refused = await client.post(
        f"{root}/_emu/press",
        json={
            "user_id": USER,
            "chat_id": USER,
            "message_id": bot_message["message_id"],
            "data": "zz",
        },
    )
    assert refused.status_code == 400 and "no button" in refused.json()["error"]


async def test_reply_keyboards_stay_until_removed_and_show_on_the_page(
    client: httpx.AsyncClient, emulator: Emulator, api: Api
) -> None:
    keyboard = {"keyboard": [["📚 Sách của tôi"], [{"text": "🔎 Tìm"}]], "resize_keyboard": True}
    sent = await api("sendMessage", chat_id=USER, text="Chọn", reply_markup=keyboard)
    assert "reply_markup" not in sent
    await api("setMyCommands", commands=[{"command": "tim", "description": "Tìm sách"}])
    page = (
        await client.get(f"{emulator.root_url}/_emu/messages", params={"chat_id": USER})
    ).json()
    assert page["keyboard"] == keyboard
    assert page["messages"][0]["reply_markup"] == keyboard
    assert page["commands"] == [{"command": "tim", "description": "Tìm sách"}]
    menu = await client.get(f"{emulator.root_url}/_emu/commands", params={"user_id": USER})
    assert menu.json()["commands"] == page["commands"]
    await api("sendMessage", chat_id=USER, text="Ẩn", reply_markup={"remove_keyboard": True})
    assert emulator.keyboard(USER) is None
    assert await api.error(
        "sendMessage", chat_id=USER, text="x", reply_markup={"keyboard": 1}
    ) == (
        400,
        "Bad Request: can't parse reply keyboard markup JSON object",
    )


async def test_control_api_events_long_poll(client: httpx.AsyncClient, emulator: Emulator) -> None:
    root = emulator.root_url
    started = time.monotonic()
    quiet = (
        await client.get(
            f"{root}/_emu/events", params={"after": emulator.last_seq, "timeout": 0.5}
        )
    ).json()
    assert quiet["events"] == [] and time.monotonic() - started >= 0.45

    async def later() -> None:
        await asyncio.sleep(0.2)
        emulator.send_text(USER, "có ai không")

    after = emulator.last_seq
    _, response = await asyncio.gather(
        later(), client.get(f"{root}/_emu/events", params={"after": after, "timeout": 10})
    )
    body = response.json()
    (event,) = body["events"]
    assert event["type"] == "message" and event["message"]["text"] == "có ai không"
    assert event["seq"] == body["last_seq"] == after + 1
    assert "api" not in event


async def test_control_api_upload_and_files(
    client: httpx.AsyncClient, emulator: Emulator, api: Api
) -> None:
    root = emulator.root_url
    image = png()
    response = await client.post(
        f"{root}/_emu/upload",
        data={"user_id": str(USER), "caption": "bìa"},
        files={"file": ("bia.png", image, "image/png")},
    )
    view = response.json()["message"]
    assert view["caption"] == "bìa"
    assert (await client.get(root + view["photo_url"])).content == image
    response = await client.post(
        f"{root}/_emu/upload",
        data={"user_id": str(USER), "chat_id": str(GROUP)},
        files={"file": ("ds.csv", b"a,b\n1,2\n", "text/csv")},
    )
    document = response.json()["message"]["document"]
    assert document["file_name"] == "ds.csv"
    served = await client.get(root + document["url"])
    assert served.content == b"a,b\n1,2\n" and served.headers["content-type"].startswith(
        "text/csv"
    )
    assert len(await api("getUpdates")) == 1


async def test_static_page_is_served(tmp_path: Path, client: httpx.AsyncClient) -> None:
    (tmp_path / "index.html").write_text("<h1>Thư viện</h1>", encoding="utf-8")
    (tmp_path / "app.js").write_text("console.log(1)", encoding="utf-8")
    emulator = Emulator(static_dir=tmp_path)
    await emulator.start()
    try:
        root = emulator.root_url
        assert "Thư viện" in (await client.get(root + "/")).text
        assert (await client.get(root + "/app.js")).text == "console.log(1)"
        assert (await client.get(root + "/../etc/passwd")).status_code == 404
        assert (await client.get(root + "/missing.css")).status_code == 404
    finally:
        await emulator.stop()


# --- the formatting rules themselves ------------------------------------------------------


def test_offsets_are_utf16_code_units() -> None:
    text, entities = parse_html("📚 <b>Đắc nhân tâm</b>")
    assert text == "📚 Đắc nhân tâm"
    assert entities == [{"type": "bold", "offset": 3, "length": 12}]
    found = find_entities("📚 /tim @thuvien_demo_bot https://thuvien.edu.vn.")
    assert [(e["type"], e["offset"], e["length"]) for e in found] == [
        ("bot_command", 3, 4),
        ("mention", 8, 17),
        ("url", 26, 22),
    ]


def test_html_rendering_for_the_page_is_safe() -> None:
    entities = [
        {"type": "text_link", "offset": 0, "length": 1, "url": "javascript:alert(1)"},
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "italic", "offset": 2, "length": 3},
    ]
    assert entities_to_html("<a>&b", entities) == "<b>&lt;a<i>&gt;</i></b><i>&amp;b</i>"


def test_markdown_v2_errors_name_the_entity() -> None:
    with pytest.raises(EntityParseError, match="Can't find end of Bold entity at byte offset 0"):
        parse_markdown_v2("*đậm")
    text, entities = parse_markdown_v2("[trang](https://x.vn) `m\\`a` __u__ ||s||")
    assert text == "trang m`a u s"
    assert [e["type"] for e in entities] == ["text_link", "code", "underline", "spoiler"]
