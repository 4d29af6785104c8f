"""A Telegram Bot API emulator on 127.0.0.1 that python-telegram-bot talks to unmodified."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import mimetypes
import re
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.emulator.html_check import (
    EntityParseError,
    check_entities,
    entities_to_html,
    find_entities,
    parse_text,
    trim_text,
    utf16_len,
)
from bot.emulator.limits import FAULT_KINDS, Fault, FaultQueue, RateLimiter
from bot.emulator.protocol import (
    JSON,
    ApiError,
    Params,
    Upload,
    bad_request,
    check_reply_markup,
    image_size,
    inline_buttons,
    read_params,
)

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "7000000001:TEST-token-for-the-emulator-0000"
DEFAULT_BOT_ID = 7000000001
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
MAX_REQUEST_BYTES = 52 * 1024 * 1024

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

# Telegram leaves these out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_ADMIN_RIGHTS: JSON = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_pin_messages": True,
    "can_manage_topics": False,
}
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")
_CONTENT_KEYS = ("text", "entities", "photo", "document", "caption", "caption_entities")
_PHOTO_EXTENSIONS = {"jpeg": "jpg", "png": "png", "gif": "gif", "webp": "webp"}
_SCOPES_WITHOUT_CHAT = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)
_SCOPES_WITH_CHAT = frozenset({"chat", "chat_administrators", "chat_member"})

CommandKey = tuple[str, int, int, str]
Handler = Callable[[Params], Any]


@dataclass(slots=True, eq=False)
class _Message:
    """One message in a chat, from the bot or from a user, in its current state."""

    chat_id: int
    message_id: int
    from_bot: bool
    data: JSON
    markup: JSON | None
    seq: int = 0
    edited: bool = False
    deleted: bool = False
    delivered: bool = True


@dataclass(slots=True, eq=False)
class _Chat:
    """A private chat or a group and what the bot may do in it."""

    id: int
    type: str
    public: JSON
    members: set[int] = field(default_factory=set)
    admins: list[int] = field(default_factory=list)
    bot_status: str = "left"
    bot_removed: bool = False
    messages: dict[int, _Message] = field(default_factory=dict)
    next_message_id: int = 1
    keyboard: JSON | None = None
    pinned: int | None = None
    menu_button: JSON | None = None
    last_action: str | None = None

    @property
    def is_group(self) -> bool:
        return self.type != "private"


@dataclass(slots=True, eq=False)
class _File:
    """An uploaded file (bytes) or a URL the bot sent, reachable by file_id and file_path."""

    file_id: str
    unique_id: str
    kind: str
    data: bytes | None
    url: str | None
    file_path: str
    mime_type: str
    file_name: str | None = None
    sizes: list[JSON] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


@dataclass(slots=True)
class _Callback:
    """A button press waiting for answerCallbackQuery."""

    chat_id: int
    message_id: int
    answered: bool = False


def _json_response(body: Any, status: int = 200) -> web.Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return web.Response(body=text.encode(), status=status, content_type="application/json")


def _slice16(text: str, offset: int, length: int) -> str:
    if text.isascii():
        return text[offset : offset + length]
    return text.encode("utf-16-le")[2 * offset : 2 * (offset + length)].decode("utf-16-le")


class Emulator:
    """An in-process Telegram Bot API server with users, groups and a control API."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "thuvien_demo_bot",
        enforce_limits: bool = False,
        static_dir: Path | None = None,
        privacy_mode: bool = True,
        fault_timeout: float = 30.0,
        bot_first_name: str = "Thư viện",
    ) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot_id = int(prefix) if prefix.isdigit() else DEFAULT_BOT_ID
        self.bot_username = bot_username
        self.enforce_limits = enforce_limits
        self.static_dir = static_dir
        self.privacy_mode = privacy_mode
        self.fault_timeout = fault_timeout
        self.limiter = RateLimiter()
        self._bot_user: JSON = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self._users: dict[int, JSON] = {}
        self._chats: dict[int, _Chat] = {}
        self._files: dict[str, _File] = {}
        self._file_paths: dict[str, _File] = {}
        self._callbacks: dict[str, _Callback] = {}
        self._commands: dict[CommandKey, list[JSON]] = {}
        self._bot_texts: dict[tuple[str, str], str] = {}
        self._default_menu_button: JSON = {"type": "commands"}
        self._faults = FaultQueue()
        self._updates: deque[JSON] = deque()
        self._next_update_id = 100_000_001
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        self._update_signal = asyncio.Event()
        self._events: list[JSON] = []
        self._event_signal = asyncio.Event()
        self._closing = asyncio.Event()
        self._calls: list[JSON] = []
        self._ids = itertools.count(1)
        self._warned_methods: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in (
                ("getMe", self._get_me),
                ("logOut", self._true),
                ("close", self._true),
                ("deleteWebhook", self._delete_webhook),
                ("setWebhook", self._set_webhook),
                ("getWebhookInfo", self._get_webhook_info),
                ("getUpdates", self._get_updates),
                ("sendMessage", self._send_message),
                ("sendPhoto", self._send_photo),
                ("sendDocument", self._send_document),
                ("copyMessage", self._copy_message),
                ("forwardMessage", self._forward_message),
                ("editMessageText", self._edit_message_text),
                ("editMessageCaption", self._edit_message_caption),
                ("editMessageReplyMarkup", self._edit_message_reply_markup),
                ("deleteMessage", self._delete_message),
                ("deleteMessages", self._delete_messages),
                ("answerCallbackQuery", self._answer_callback_query),
                ("getFile", self._get_file),
                ("setMyCommands", self._set_my_commands),
                ("getMyCommands", self._get_my_commands),
                ("deleteMyCommands", self._delete_my_commands),
                ("setMyDescription", self._setter("description", 512)),
                ("getMyDescription", self._getter("description")),
                ("setMyShortDescription", self._setter("short_description", 120)),
                ("getMyShortDescription", self._getter("short_description")),
                ("setMyName", self._setter("name", 64)),
                ("getMyName", self._getter("name")),
                ("getChat", self._get_chat),
                ("getChatMember", self._get_chat_member),
                ("getChatAdministrators", self._get_chat_administrators),
                ("getChatMemberCount", self._get_chat_member_count),
                ("sendChatAction", self._send_chat_action),
                ("setChatMenuButton", self._set_chat_menu_button),
                ("getChatMenuButton", self._get_chat_menu_button),
                ("leaveChat", self._leave_chat),
                ("pinChatMessage", self._pin_chat_message),
                ("unpinChatMessage", self._unpin_chat_message),
            )
        }

    # --- server life ----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen on ``host``:``port`` (0 = a free port)."""
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file_download)
        app.router.add_get("/_emu/state", self._ctl_state)
        app.router.add_post("/_emu/send", self._ctl_send)
        app.router.add_post("/_emu/press", self._ctl_press)
        app.router.add_post("/_emu/upload", self._ctl_upload)
        app.router.add_get("/_emu/messages", self._ctl_messages)
        app.router.add_get("/_emu/events", self._ctl_events)
        app.router.add_get("/_emu/commands", self._ctl_commands)
        app.router.add_get("/_emu/files/{file_id}", self._ctl_file)
        if self.static_dir is not None:
            app.router.add_get("/", self._static_index)
            app.router.add_get("/{path:.+}", self._static_file)
        # A client that gives up (PTB stopping its long poll) cancels its handler, and a
        # short shutdown timeout keeps stop() from waiting on a held "timeout" fault.
        runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None
        )
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        self._host = host
        self._port = runner.addresses[0][1]
        self._closing.clear()

    async def stop(self) -> None:
        """Wake every waiting request and close the server."""
        self._closing.set()
        self._signal_updates()
        self._signal_events()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def root_url(self) -> str:
        """``http://HOST:PORT`` of the running server."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """The value for ``ApplicationBuilder().base_url`` (PTB appends the token)."""
        return f"{self.root_url}/bot"

    @property
    def base_file_url(self) -> str:
        """The value for ``ApplicationBuilder().base_file_url``."""
        return f"{self.root_url}/file/bot"

    @property
    def bot_user(self) -> JSON:
        """The bot as a Bot API User."""
        return dict(self._bot_user)

    # --- users and groups -----------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "vi",
        *,
        started: bool = True,
    ) -> JSON:
        """Create or update a user; ``started`` = they have a private chat with the bot."""
        if user_id <= 0:
            raise ValueError("a user id is a positive number")
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        public: JSON = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            user["last_name"] = public["last_name"] = last_name
        if username:
            user["username"] = public["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        chat = self._chats.get(user_id)
        if chat is None:
            status = "member" if started else "left"
            self._chats[user_id] = _Chat(user_id, "private", public, bot_status=status)
        else:
            chat.public = public
            if started and chat.bot_status == "left":
                chat.bot_status = "member"
        return dict(user)

    def _ensure_user(self, user_id: int) -> JSON:
        user = self._users.get(user_id)
        if user is None:
            self.add_user(user_id, f"Người dùng {user_id}", started=False)
            user = self._users[user_id]
        return user

    def add_group(
        self,
        chat_id: int,
        title: str,
        member_ids: Iterable[int] = (),
        admin_ids: Iterable[int] = (),
        supergroup: bool = True,
        *,
        with_bot: bool = True,
    ) -> JSON:
        """Create a group (negative id; first admin = owner); with_bot=False keeps the bot out."""
        if chat_id >= 0:
            raise ValueError("a group id is negative (supergroups start with -100)")
        if chat_id in self._chats:
            raise ValueError(f"chat {chat_id} already exists")
        kind = "supergroup" if supergroup else "group"
        chat = _Chat(chat_id, kind, {"id": chat_id, "title": title, "type": kind})
        chat.admins = list(dict.fromkeys(admin_ids))
        for user_id in itertools.chain(member_ids, chat.admins):
            self._ensure_user(user_id)
            chat.members.add(user_id)
        if with_bot:
            chat.bot_status = "member"
        self._chats[chat_id] = chat
        return dict(chat.public)

    def _group(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None or not chat.is_group:
            raise ValueError(f"unknown group {chat_id}; create it with add_group first")
        return chat

    def _bot_member(self, chat: _Chat) -> JSON:
        member: JSON = {"user": self._bot_user, "status": chat.bot_status}
        if chat.bot_status == "administrator":
            member.update(_ADMIN_RIGHTS)
        elif chat.bot_status == "kicked":
            member["until_date"] = 0
        return member

    def _member_update(self, chat: _Chat, by: JSON, old: JSON) -> None:
        self._enqueue(
            "my_chat_member",
            {
                "chat": chat.public,
                "from": by,
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": self._bot_member(chat),
            },
        )

    def add_bot_to_group(self, chat_id: int, by_user_id: int, *, as_admin: bool = False) -> None:
        """Let a user add the bot: queue my_chat_member and the new_chat_members message."""
        chat = self._group(chat_id)
        if chat.bot_status in ("member", "administrator"):
            raise ValueError(
                f"the bot is already in group {chat_id}; create it with add_group(..., "
                "with_bot=False) to have the bot added later"
            )
        user = self._ensure_user(by_user_id)
        chat.members.add(by_user_id)
        old = self._bot_member(chat)
        chat.bot_status = "administrator" if as_admin else "member"
        chat.bot_removed = False
        self._member_update(chat, user, old)
        self._user_message(user, chat, {"new_chat_members": [self._bot_user]})

    def remove_bot_from_group(self, chat_id: int, by_user_id: int) -> None:
        """Let a user remove the bot: queue my_chat_member; later sends get 403."""
        chat = self._group(chat_id)
        if chat.bot_status not in ("member", "administrator"):
            raise ValueError(f"the bot is not in group {chat_id}")
        user = self._ensure_user(by_user_id)
        old = self._bot_member(chat)
        chat.bot_status = "kicked" if chat.type == "supergroup" else "left"
        chat.bot_removed = True
        self._member_update(chat, user, old)
        self._user_message(user, chat, {"left_chat_member": self._bot_user}, deliver=False)

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: queue my_chat_member "kicked"; later sends get 403."""
        user = self._ensure_user(user_id)
        chat = self._chats[user_id]
        if chat.bot_status == "kicked":
            return
        old = self._bot_member(chat) if chat.bot_status == "member" else None
        chat.bot_status = "kicked"
        self._member_update(chat, user, old or {"user": self._bot_user, "status": "member"})

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks (restarts) the bot: queue my_chat_member "member"."""
        user = self._ensure_user(user_id)
        chat = self._chats[user_id]
        if chat.bot_status != "kicked":
            return
        old = self._bot_member(chat)
        chat.bot_status = "member"
        self._member_update(chat, user, old)

    # --- what users do --------------------------------------------------------------------

    def _user_chat(self, user_id: int, chat_id: int | None) -> tuple[JSON, _Chat]:
        user = self._ensure_user(user_id)
        if chat_id is None or chat_id == user_id:
            chat = self._chats[user_id]
            if chat.bot_status == "kicked":
                self.unblock_bot(user_id)
            chat.bot_status = "member"
            return user, chat
        chat = self._group(chat_id)
        chat.members.add(user_id)
        return user, chat

    def _reply_data(self, chat: _Chat, reply_to: int | None) -> JSON | None:
        if reply_to is None:
            return None
        target = chat.messages.get(reply_to)
        if target is None or target.deleted:
            raise ValueError(f"no message {reply_to} in chat {chat.id} to reply to")
        return {k: v for k, v in target.data.items() if k != "reply_to_message"}

    def send_text(
        self, user_id: int, text: str, chat_id: int | None = None, *, reply_to: int | None = None
    ) -> JSON:
        """A user sends ``text`` (private chat by default); return the Message."""
        if not text.strip():
            raise ValueError("a message needs some text")
        if utf16_len(text) > MAX_TEXT:
            raise ValueError("a message holds at most 4096 characters")
        user, chat = self._user_chat(user_id, chat_id)
        content: JSON = {"text": text}
        entities = find_entities(text)
        if entities:
            content["entities"] = entities
        reply = self._reply_data(chat, reply_to)
        if reply is not None:
            content["reply_to_message"] = reply
        return self._user_message(user, chat, content).data

    def send_photo(
        self, user_id: int, data: bytes, caption: str = "", chat_id: int | None = None
    ) -> JSON:
        """A user sends a photo with an optional caption; return the Message."""
        user, chat = self._user_chat(user_id, chat_id)
        try:
            sizes = self._store_photo(data)
        except ApiError as exc:
            raise ValueError(exc.description) from None
        return self._user_message(user, chat, {"photo": sizes, **self._user_caption(caption)}).data

    def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        mime_type: str,
        caption: str = "",
        chat_id: int | None = None,
    ) -> JSON:
        """A user sends a file with an optional caption; return the Message."""
        user, chat = self._user_chat(user_id, chat_id)
        stored = self._new_file(
            "document", data, None, mime_type, file_name, _extension(file_name)
        )
        document = self._document_json(stored)
        content = {"document": document, **self._user_caption(caption)}
        return self._user_message(user, chat, content).data

    @staticmethod
    def _user_caption(caption: str) -> JSON:
        if not caption:
            return {}
        if utf16_len(caption) > MAX_CAPTION:
            raise ValueError("a caption holds at most 1024 characters")
        content: JSON = {"caption": caption}
        entities = find_entities(caption)
        if entities:
            content["caption_entities"] = entities
        return content

    def _user_message(
        self, user: JSON, chat: _Chat, content: JSON, *, deliver: bool = True
    ) -> _Message:
        data: JSON = {
            "message_id": self._next_message_id(chat),
            "from": user,
            "chat": chat.public,
            "date": int(time.time()),
            **content,
        }
        delivered = deliver and self._reaches_bot(chat, data)
        message = _Message(chat.id, data["message_id"], False, data, None, delivered=delivered)
        chat.messages[message.message_id] = message
        if delivered:
            self._enqueue("message", data)
        self._emit("message", message)
        return message

    def _reaches_bot(self, chat: _Chat, data: JSON) -> bool:
        """Apply Telegram's privacy mode: what a bot in a group gets to see."""
        if not chat.is_group:
            return True
        if chat.bot_status not in ("member", "administrator"):
            return False
        if not self.privacy_mode or chat.bot_status == "administrator":
            return True
        if "new_chat_members" in data or "left_chat_member" in data:
            return True
        reply = data.get("reply_to_message")
        if reply is not None and reply.get("from", {}).get("id") == self.bot_id:
            return True
        text: str = data.get("text") or data.get("caption") or ""
        entities: list[JSON] = data.get("entities") or data.get("caption_entities") or []
        for entity in entities:
            piece = _slice16(text, entity["offset"], entity["length"])
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                addressee = piece.partition("@")[2]
                return not addressee or addressee.lower() == self.bot_username.lower()
            if entity["type"] == "mention" and piece[1:].lower() == self.bot_username.lower():
                return True
        return False

    def press_button(
        self,
        user_id: int,
        chat_id: int,
        message_id: int,
        callback_data: str,
        *,
        forge: bool = False,
    ) -> str:
        """A user presses an inline button; queue the callback_query and return its id."""
        user = self._ensure_user(user_id)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}")
        message = chat.messages.get(message_id)
        live = message is not None and not message.deleted
        if not forge:
            if message is None or not live:
                raise ValueError(f"no message {message_id} in chat {chat_id}")
            buttons = inline_buttons(message.data.get("reply_markup"))
            if not any(button.get("callback_data") == callback_data for button in buttons):
                offered = [(b.get("text"), b.get("callback_data")) for b in buttons]
                raise ValueError(
                    f"message {message_id} in chat {chat_id} has no button with callback_data "
                    f"{callback_data!r}; its buttons: {offered}"
                )
        if chat.is_group and chat.bot_status not in ("member", "administrator"):
            raise ValueError(f"the bot is not in group {chat_id}")
        if not chat.is_group and chat.bot_status == "kicked":
            raise ValueError(f"user {chat_id} blocked the bot")
        query_id = str(4_000_000_000_000_000_000 + next(self._ids))
        shown: JSON = (
            message.data
            if message is not None and live
            else {"chat": chat.public, "message_id": message_id, "date": 0}
        )
        self._callbacks[query_id] = _Callback(chat_id, message_id)
        self._enqueue(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "message": shown,
                "chat_instance": str(abs(chat_id) * 7 + 1_000_000_007),
                "data": callback_data,
            },
        )
        return query_id

    # --- reading what happened ------------------------------------------------------------

    def messages(self, chat_id: int) -> list[JSON]:
        """What the bot sent into ``chat_id``, current state, deleted ones left out, in order."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [
            copy.deepcopy(m.data) for m in chat.messages.values() if m.from_bot and not m.deleted
        ]

    def message(self, chat_id: int, message_id: int) -> JSON | None:
        """The current state of one message (bot's or user's), None if unknown or deleted."""
        chat = self._chats.get(chat_id)
        found = chat.messages.get(message_id) if chat is not None else None
        if found is None or found.deleted:
            return None
        return copy.deepcopy(found.data)

    def history(self, chat_id: int) -> list[JSON]:
        """Both sides of a chat as the demo page shows them (deleted ones flagged)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [self._view(m) for m in chat.messages.values()]

    def message_view(self, chat_id: int, message_id: int) -> JSON | None:
        """One message as the demo page shows it, with ``delivered`` for user messages."""
        chat = self._chats.get(chat_id)
        found = chat.messages.get(message_id) if chat is not None else None
        return self._view(found) if found is not None else None

    @property
    def last_seq(self) -> int:
        """The seq of the latest event (0 before any)."""
        return len(self._events)

    def events_after(self, seq: int) -> list[JSON]:
        """Every visible change after ``seq``: message, edit, delete, callback_answer."""
        return self._events[max(seq, 0) :]

    async def wait_events(self, after_seq: int, timeout: float) -> list[JSON]:  # noqa: ASYNC109
        """Return the events after ``after_seq``, waiting up to ``timeout`` s for the first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if len(self._events) > after_seq:
                return self.events_after(after_seq)
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event_signal.wait(), remaining)

    def user(self, user_id: int) -> JSON | None:
        """The Bot API User for ``user_id``, None if the emulator does not know them."""
        found = self._users.get(user_id)
        return dict(found) if found is not None else None

    def group_info(self, chat_id: int) -> JSON | None:
        """A group with its members, admins and the bot's status, None if unknown."""
        chat = self._chats.get(chat_id)
        return self._group_view(chat) if chat is not None and chat.is_group else None

    @property
    def call_count(self) -> int:
        """How many Bot API calls the emulator has answered (the length of the call log)."""
        return len(self._calls)

    def calls(self, method: str | None = None) -> list[JSON]:
        """The Bot API calls so far: method, params, ok, error, error_code (and fault)."""
        if method is None:
            return list(self._calls)
        wanted = method.lower()
        return [call for call in self._calls if call["method"].lower() == wanted]

    def inject_fault(
        self,
        method: str,
        kind: str,
        count: int = 1,
        chat_id: int | None = None,
        retry_after: int = 1,
    ) -> None:
        """Make the next ``count`` calls of ``method`` ("*" = any) fail with ``kind``."""
        if method != "*" and method.lower() not in self._methods:
            raise ValueError(f"the emulator has no Bot API method {method!r}")
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        self._faults.add(method, kind, count, chat_id, retry_after)

    @property
    def pending_updates(self) -> int:
        """How many updates wait for the bot to fetch or confirm them."""
        return len(self._updates)

    def keyboard(self, chat_id: int) -> JSON | None:
        """The reply keyboard the bot last set in ``chat_id`` (None once removed)."""
        chat = self._chats.get(chat_id)
        return copy.deepcopy(chat.keyboard) if chat is not None else None

    def chat_action(self, chat_id: int) -> str | None:
        """The last sendChatAction into ``chat_id``."""
        chat = self._chats.get(chat_id)
        return chat.last_action if chat is not None else None

    def pinned_message_id(self, chat_id: int) -> int | None:
        """The message the bot pinned in ``chat_id``."""
        chat = self._chats.get(chat_id)
        return chat.pinned if chat is not None else None

    def menu_button(self, chat_id: int | None = None) -> JSON:
        """The menu button of a private chat, or the default one."""
        chat = self._chats.get(chat_id) if chat_id is not None else None
        if chat is not None and chat.menu_button is not None:
            return dict(chat.menu_button)
        return dict(self._default_menu_button)

    def bot_text(self, kind: str, language_code: str = "") -> str:
        """The bot's description, short_description or name for a language."""
        return self._bot_texts.get((kind, language_code), "")

    # --- commands -------------------------------------------------------------------------

    @property
    def commands(self) -> dict[CommandKey, list[JSON]]:
        """Stored command lists keyed by (scope type, chat id or 0, user id or 0, language)."""
        return copy.deepcopy(self._commands)

    def my_commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The commands set for exactly this scope and language (like getMyCommands)."""
        try:
            key = self._scope_key(scope)
        except ApiError as exc:
            raise ValueError(exc.description) from None
        return copy.deepcopy(self._commands.get((*key, language_code), []))

    def visible_commands(
        self, user_id: int, chat_id: int | None = None, language_code: str | None = None
    ) -> list[JSON]:
        """The command menu a user sees in a chat, resolved through scopes like Telegram."""
        chat = self._chats.get(user_id if chat_id is None else chat_id)
        user = self._users.get(user_id)
        language = (
            language_code if language_code is not None else (user or {}).get("language_code", "")
        )
        if chat is None or not chat.is_group:
            chat_key = chat.id if chat is not None else user_id
            order = [("chat", chat_key, 0), ("all_private_chats", 0, 0), ("default", 0, 0)]
        else:
            is_admin = user_id in chat.admins
            order = [("chat_member", chat.id, user_id)]
            if is_admin:
                order.append(("chat_administrators", chat.id, 0))
            order.append(("chat", chat.id, 0))
            if is_admin:
                order.append(("all_chat_administrators", 0, 0))
            order += [("all_group_chats", 0, 0), ("default", 0, 0)]
        for scope in order:
            for lang in dict.fromkeys((language, "")):
                found = self._commands.get((*scope, lang))
                if found:
                    return copy.deepcopy(found)
        return []

    # --- events and updates ---------------------------------------------------------------

    def _signal_updates(self) -> None:
        self._update_signal.set()
        self._update_signal = asyncio.Event()

    def _signal_events(self) -> None:
        self._event_signal.set()
        self._event_signal = asyncio.Event()

    def _enqueue(self, kind: str, payload: JSON) -> None:
        allowed = self._allowed
        if (kind not in allowed) if allowed is not None else (kind in _OPT_IN_UPDATES):
            return
        self._updates.append({"update_id": self._next_update_id, kind: payload})
        self._next_update_id += 1
        self._signal_updates()

    def _emit(self, kind: str, message: _Message) -> None:
        seq = len(self._events) + 1
        message.seq = seq
        self._events.append(
            {
                "seq": seq,
                "type": kind,
                "chat_id": message.chat_id,
                "message_id": message.message_id,
                "from_bot": message.from_bot,
                "message": self._view(message),
                "api": message.data,
            }
        )
        self._signal_events()

    def _emit_answer(self, callback: _Callback, query_id: str, params: Params) -> None:
        seq = len(self._events) + 1
        self._events.append(
            {
                "seq": seq,
                "type": "callback_answer",
                "chat_id": callback.chat_id,
                "message_id": callback.message_id,
                "from_bot": True,
                "callback_query_id": query_id,
                "text": params.text("text") or None,
                "show_alert": params.flag("show_alert"),
                "url": params.text("url"),
            }
        )
        self._signal_events()

    def _view(self, message: _Message) -> JSON:
        data = message.data
        text = data.get("text")
        caption = data.get("caption")
        photo = data.get("photo")
        document = data.get("document")
        reply = data.get("reply_to_message")
        view: JSON = {
            "seq": message.seq,
            "chat_id": message.chat_id,
            "message_id": message.message_id,
            "from_bot": message.from_bot,
            "from": data.get("from"),
            "date": data.get("date"),
            "text": text,
            "html": entities_to_html(text, data.get("entities")) if text is not None else None,
            "caption": caption,
            "caption_html": (
                entities_to_html(caption, data.get("caption_entities"))
                if caption is not None
                else None
            ),
            "photo_url": f"/_emu/files/{photo[-1]['file_id']}" if photo else None,
            "document": None,
            "reply_markup": message.markup,
            "reply_to_message_id": reply.get("message_id") if reply else None,
            "service": self._service_text(data),
            "edited": message.edited,
            "deleted": message.deleted,
            "delivered": message.delivered,
        }
        if document:
            view["document"] = {
                "file_name": document.get("file_name"),
                "mime_type": document.get("mime_type"),
                "file_size": document.get("file_size"),
                "url": f"/_emu/files/{document['file_id']}",
            }
        return view

    @staticmethod
    def _service_text(data: JSON) -> str | None:
        who = data.get("from", {}).get("first_name", "")
        if "new_chat_members" in data:
            names = ", ".join(u.get("first_name", "") for u in data["new_chat_members"])
            return f"{who} đã thêm {names} vào nhóm"
        if "left_chat_member" in data:
            return f"{who} đã xóa {data['left_chat_member'].get('first_name', '')} khỏi nhóm"
        return None

    # --- HTTP: the Bot API ----------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        requested = request.match_info["method"]
        entry = self._methods.get(requested.lower())
        if entry is None:
            if requested not in self._warned_methods:
                self._warned_methods.add(requested)
                log.warning("the emulator does not implement Bot API method %s", requested)
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        method, handler = entry
        try:
            params = await read_params(request)
        except ApiError as exc:
            return _json_response(exc.payload(), exc.code)
        chat_id = params.values.get("chat_id")
        fault = self._faults.take(method.lower(), chat_id if isinstance(chat_id, int) else None)
        if fault is not None:
            return await self._answer_fault(method, params, fault)
        try:
            result = handler(params)
            if asyncio.iscoroutine(result):
                result = await result
        except ApiError as exc:
            self._log_call(method, params, exc)
            return _json_response(exc.payload(), exc.code)
        self._log_call(method, params, None)
        return _json_response({"ok": True, "result": result})

    def _log_call(
        self, method: str, params: Params, error: ApiError | None, fault: str | None = None
    ) -> None:
        entry: JSON = {
            "method": method,
            "params": params.log_view(),
            "ok": error is None,
            "error": error.description if error else None,
            "error_code": error.code if error else None,
            "time": time.time(),
        }
        if fault is not None:
            entry["fault"] = fault
        self._calls.append(entry)
        log.debug("%s %s", method, "ok" if error is None else error.description)

    async def _answer_fault(self, method: str, params: Params, fault: Fault) -> web.Response:
        if fault.kind == "timeout":
            error = ApiError(504, "Gateway Timeout")
            self._log_call(method, params, error, fault.kind)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.fault_timeout)
            return _json_response(error.payload(), error.code)
        if fault.kind == "429":
            seconds = fault.retry_after
            error = ApiError(429, f"Too Many Requests: retry after {seconds}", seconds)
        elif fault.kind == "403":
            error = ApiError(403, "Forbidden: bot was blocked by the user")
        elif fault.kind == "500":
            error = ApiError(500, "Internal Server Error")
        else:
            error = ApiError(502, "Bad Gateway")
        self._log_call(method, params, error, fault.kind)
        return _json_response(error.payload(), error.code)

    async def _handle_file_download(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(401, "Unauthorized").payload(), 401)
        stored = self._file_paths.get(request.match_info["path"])
        if stored is None:
            return _json_response(ApiError(404, "Not Found").payload(), 404)
        return self._file_response(stored)

    @staticmethod
    def _file_response(stored: _File) -> web.StreamResponse:
        if stored.data is None:
            raise web.HTTPFound(stored.url or "/")
        return web.Response(body=stored.data, content_type=stored.mime_type)

    # --- Bot API: plumbing ----------------------------------------------------------------

    def _chat_from(self, params: Params, name: str = "chat_id") -> _Chat:
        value = params.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        chat = self._chats.get(value) if isinstance(value, int) else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    @staticmethod
    def _check_can_send(chat: _Chat) -> None:
        if not chat.is_group:
            if chat.bot_status == "kicked":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if chat.bot_status != "member":
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            return
        if chat.bot_status in ("member", "administrator"):
            return
        place = f"{chat.type} chat"
        if chat.bot_status == "kicked" or chat.bot_removed:
            raise ApiError(403, f"Forbidden: bot was kicked from the {place}")
        raise ApiError(403, f"Forbidden: bot is not a member of the {place}")

    def _check_flood(self, chat: _Chat) -> None:
        if not self.enforce_limits:
            return
        wait = self.limiter.retry_after(chat.id, chat.is_group, time.monotonic())
        if wait is not None:
            raise ApiError(429, f"Too Many Requests: retry after {wait}", wait)

    def _formatted(
        self, params: Params, field_name: str, entities_name: str, limit: int, *, required: bool
    ) -> tuple[str, list[JSON]]:
        raw = params.text(field_name) or ""
        explicit = params.obj(entities_name)
        try:
            if explicit is not None:
                text, entities = raw, check_entities(raw, explicit)
            else:
                text, entities = parse_text(raw, params.text("parse_mode"))
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        text, entities = trim_text(text, entities)
        if required and not text:
            raise bad_request("message text is empty")
        if utf16_len(text) > limit:
            raise bad_request("message is too long" if required else "message caption is too long")
        return text, self._with_users(find_entities(text, entities))

    def _with_users(self, entities: list[JSON]) -> list[JSON]:
        if not any(e["type"] == "text_mention" for e in entities):
            return entities
        kept: list[JSON] = []
        for entity in entities:
            if entity["type"] == "text_mention":
                user = self._users.get(entity.get("user", {}).get("id", 0))
                if user is None:
                    continue
                entity = {**entity, "user": user}
            kept.append(entity)
        return kept

    def _caption(self, params: Params) -> JSON:
        caption, entities = self._formatted(
            params, "caption", "caption_entities", MAX_CAPTION, required=False
        )
        content: JSON = {}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        if params.flag("show_caption_above_media"):
            content["show_caption_above_media"] = True
        return content

    def _reply_target(self, chat: _Chat, params: Params) -> JSON | None:
        reply = params.obj("reply_parameters")
        allow_missing = params.flag("allow_sending_without_reply")
        if isinstance(reply, dict):
            target_id = reply.get("message_id")
            allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
            source = self._chats.get(reply.get("chat_id", chat.id)) or chat
        elif reply is not None:
            raise bad_request("can't parse reply parameters JSON object")
        else:
            target_id = params.integer("reply_to_message_id")
            source = chat
        if target_id is None:
            return None
        target = source.messages.get(target_id) if isinstance(target_id, int) else None
        if target is None or target.deleted:
            if allow_missing:
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in target.data.items() if k != "reply_to_message"}

    def _next_message_id(self, chat: _Chat) -> int:
        message_id = chat.next_message_id
        chat.next_message_id += 1
        return message_id

    def _send(self, chat: _Chat, params: Params, content: JSON, markup: JSON | None) -> JSON:
        """Store a message from the bot and tell the watchers."""
        reply = self._reply_target(chat, params)
        data: JSON = {
            "message_id": self._next_message_id(chat),
            "from": self._bot_user,
            "chat": chat.public,
            "date": int(time.time()),
        }
        if reply is not None:
            data["reply_to_message"] = reply
        data.update(content)
        if markup is not None and "inline_keyboard" in markup:
            data["reply_markup"] = markup
        if params.flag("protect_content"):
            data["has_protected_content"] = True
        if markup is not None and "keyboard" in markup:
            chat.keyboard = markup
        elif markup is not None and markup.get("remove_keyboard"):
            chat.keyboard = None
        message = _Message(chat.id, data["message_id"], True, data, markup)
        chat.messages[message.message_id] = message
        if self.enforce_limits:
            self.limiter.record(chat.id, chat.is_group, time.monotonic())
        self._emit("message", message)
        return data

    def _sendable(self, params: Params) -> _Chat:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        self._check_flood(chat)
        return chat

    @staticmethod
    def _link_preview(params: Params) -> JSON | None:
        options = params.obj("link_preview_options")
        if isinstance(options, dict):
            return options
        if params.flag("disable_web_page_preview"):
            return {"is_disabled": True}
        return None

    # --- files ----------------------------------------------------------------------------

    def _new_file(
        self,
        kind: str,
        data: bytes | None,
        url: str | None,
        mime_type: str,
        file_name: str | None,
        extension: str,
    ) -> _File:
        number = next(self._ids)
        prefix = "AgAC" if kind == "photo" else "BQAC"
        folder = "photos" if kind == "photo" else "documents"
        stored = _File(
            file_id=f"{prefix}AgIAAxkBAAE{number:08d}",
            unique_id=f"AQAD{number:08d}",
            kind=kind,
            data=data,
            url=url,
            file_path=f"{folder}/file_{number}{extension}",
            mime_type=mime_type,
            file_name=file_name,
        )
        self._files[stored.file_id] = stored
        self._file_paths[stored.file_path] = stored
        return stored

    def _store_photo(self, data: bytes) -> list[JSON]:
        if len(data) > MAX_PHOTO_BYTES:
            raise bad_request("file is too big")
        info = image_size(data)
        if info is None:
            raise bad_request("IMAGE_PROCESS_FAILED")
        width, height, image_format = info
        if width + height > 10_000 or max(width, height) > 20 * min(width, height):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
        extension = _PHOTO_EXTENSIONS.get(image_format, "jpg")
        mime_type = "image/jpeg" if extension == "jpg" else f"image/{extension}"
        dimensions = []
        longest = max(width, height)
        if longest > 90:
            scale = 90 / longest
            dimensions.append((max(1, round(width * scale)), max(1, round(height * scale))))
        dimensions.append((width, height))
        sizes: list[JSON] = []
        files: list[_File] = []
        for w, h in dimensions:
            stored = self._new_file("photo", data, None, mime_type, None, f".{extension}")
            files.append(stored)
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.unique_id,
                    "width": w,
                    "height": h,
                    "file_size": len(data),
                }
            )
        for stored in files:
            stored.sizes = sizes
        return sizes

    def _input_photo(self, value: Upload | str | None) -> list[JSON]:
        if value is None or value == "":
            raise bad_request("there is no photo in the request")
        if isinstance(value, Upload):
            return self._store_photo(value.data)
        known = self._files.get(value)
        if known is not None:
            if known.kind != "photo":
                raise bad_request("can't use file of type Document as Photo")
            return known.sizes
        if value.startswith(("http://", "https://")):
            stored = self._new_file("photo", None, value, "image/jpeg", None, ".jpg")
            stored.sizes = [
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.unique_id,
                    "width": 0,
                    "height": 0,
                }
            ]
            return stored.sizes
        raise bad_request("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _document_json(stored: _File) -> JSON:
        document: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "mime_type": stored.mime_type,
        }
        if stored.file_name:
            document["file_name"] = stored.file_name
        if stored.data is not None:
            document["file_size"] = len(stored.data)
        return document

    def _input_document(self, value: Upload | str | None) -> JSON:
        if value is None or value == "":
            raise bad_request("there is no document in the request")
        if isinstance(value, Upload):
            mime_type = value.content_type
            if mime_type == "application/octet-stream":
                mime_type = mimetypes.guess_type(value.file_name)[0] or mime_type
            stored = self._new_file(
                "document",
                value.data,
                None,
                mime_type,
                value.file_name,
                _extension(value.file_name),
            )
            return self._document_json(stored)
        known = self._files.get(value)
        if known is not None:
            if known.kind != "document":
                raise bad_request("can't use file of type Photo as Document")
            return self._document_json(known)
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1].split("?", 1)[0] or "file"
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            stored = self._new_file("document", None, value, mime_type, name, _extension(name))
            return self._document_json(stored)
        raise bad_request("wrong file identifier/HTTP URL specified")

    # --- Bot API: methods -----------------------------------------------------------------

    def _true(self, params: Params) -> bool:
        return True

    def _get_me(self, params: Params | None = None) -> JSON:
        return {
            **self._bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: Params) -> bool:
        if params.flag("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: Params) -> bool:
        raise bad_request("webhooks are not supported by the emulator; use getUpdates")

    def _get_webhook_info(self, params: Params) -> JSON:
        return {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _confirm(self, offset: int) -> None:
        if offset < 0:
            while len(self._updates) > -offset:
                self._updates.popleft()
            return
        while self._updates and self._updates[0]["update_id"] < offset:
            self._updates.popleft()

    async def _get_updates(self, params: Params) -> list[JSON]:
        offset = params.integer("offset")
        limit = params.integer("limit")
        timeout = params.number("timeout") or 0.0
        allowed = params.obj("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad_request("can't parse allowed_updates JSON object")
            self._allowed = frozenset(allowed) if allowed else None
        limit = 100 if limit is None else min(max(limit, 1), 100)
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal_updates()
        if offset is not None:
            self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, CONFLICT)
            if self._updates:
                return list(itertools.islice(self._updates, limit))
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return []
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._update_signal.wait(), remaining)

    def _send_message(self, params: Params) -> JSON:
        chat = self._sendable(params)
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT, required=True)
        markup = check_reply_markup(params.obj("reply_markup"))
        content: JSON = {"text": text}
        if entities:
            content["entities"] = entities
        preview = self._link_preview(params)
        if preview is not None:
            content["link_preview_options"] = preview
        return self._send(chat, params, content, markup)

    def _send_photo(self, params: Params) -> JSON:
        chat = self._sendable(params)
        caption = self._caption(params)
        markup = check_reply_markup(params.obj("reply_markup"))
        photo = self._input_photo(params.file("photo"))
        content: JSON = {"photo": photo, **caption}
        if params.flag("has_spoiler"):
            content["has_media_spoiler"] = True
        return self._send(chat, params, content, markup)

    def _send_document(self, params: Params) -> JSON:
        chat = self._sendable(params)
        caption = self._caption(params)
        markup = check_reply_markup(params.obj("reply_markup"))
        document = self._input_document(params.file("document"))
        return self._send(chat, params, {"document": document, **caption}, markup)

    def _source_message(self, params: Params, what: str) -> _Message:
        source = self._chat_from(params, "from_chat_id")
        message_id = params.integer("message_id")
        found = source.messages.get(message_id) if message_id is not None else None
        if found is None or found.deleted:
            raise bad_request(f"message to {what} not found")
        return found

    def _copy_message(self, params: Params) -> JSON:
        chat = self._sendable(params)
        original = self._source_message(params, "copy")
        content = {k: original.data[k] for k in _CONTENT_KEYS if k in original.data}
        if "caption" in params.values:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self._caption(params))
        markup = check_reply_markup(params.obj("reply_markup"))
        return {"message_id": self._send(chat, params, content, markup)["message_id"]}

    def _forward_message(self, params: Params) -> JSON:
        chat = self._sendable(params)
        original = self._source_message(params, "forward")
        content = {k: original.data[k] for k in _CONTENT_KEYS if k in original.data}
        content["forward_origin"] = {
            "type": "user",
            "sender_user": original.data["from"],
            "date": original.data["date"],
        }
        return self._send(chat, params, content, None)

    def _editable(self, params: Params) -> tuple[_Chat, _Message]:
        if params.text("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._chat_from(params)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        self._check_can_send(chat)
        found = chat.messages.get(message_id)
        if found is None or found.deleted:
            raise bad_request("message to edit not found")
        if not found.from_bot:
            raise bad_request("message can't be edited")
        return chat, found

    def _apply_edit(self, message: _Message, data: JSON, markup: JSON | None) -> JSON:
        data["edit_date"] = int(time.time())
        message.data = data
        message.markup = markup
        message.edited = True
        self._emit("edit", message)
        return data

    def _edit_message_text(self, params: Params) -> JSON:
        _, message = self._editable(params)
        if "text" not in message.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT, required=True)
        markup = check_reply_markup(params.obj("reply_markup"), inline_only=True)
        old = message.data
        if (
            text == old["text"]
            and entities == old.get("entities", [])
            and markup == old.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        data = {
            k: v
            for k, v in old.items()
            if k not in ("text", "entities", "reply_markup", "link_preview_options")
        }
        data["text"] = text
        if entities:
            data["entities"] = entities
        preview = self._link_preview(params)
        if preview is not None:
            data["link_preview_options"] = preview
        if markup is not None:
            data["reply_markup"] = markup
        return self._apply_edit(message, data, markup)

    def _edit_message_caption(self, params: Params) -> JSON:
        _, message = self._editable(params)
        old = message.data
        if "photo" not in old and "document" not in old:
            raise bad_request("there is no caption in the message to edit")
        caption = self._caption(params)
        markup = check_reply_markup(params.obj("reply_markup"), inline_only=True)
        if (
            caption.get("caption") == old.get("caption")
            and caption.get("caption_entities") == old.get("caption_entities")
            and markup == old.get("reply_markup")
        ):
            raise bad_request(NOT_MODIFIED)
        data = {
            k: v
            for k, v in old.items()
            if k not in ("caption", "caption_entities", "reply_markup", "show_caption_above_media")
        }
        data.update(caption)
        if markup is not None:
            data["reply_markup"] = markup
        return self._apply_edit(message, data, markup)

    def _edit_message_reply_markup(self, params: Params) -> JSON:
        _, message = self._editable(params)
        markup = check_reply_markup(params.obj("reply_markup"), inline_only=True)
        if markup == message.data.get("reply_markup"):
            raise bad_request(NOT_MODIFIED)
        data = {k: v for k, v in message.data.items() if k != "reply_markup"}
        if markup is not None:
            data["reply_markup"] = markup
        return self._apply_edit(message, data, markup)

    def _delete_one(self, chat: _Chat, message_id: int | None) -> None:
        found = chat.messages.get(message_id) if message_id is not None else None
        if found is None or found.deleted:
            raise bad_request("message to delete not found")
        if not found.from_bot and chat.is_group and chat.bot_status != "administrator":
            raise bad_request("message can't be deleted")
        found.deleted = True
        self._emit("delete", found)

    def _delete_message(self, params: Params) -> bool:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        self._delete_one(chat, params.integer("message_id"))
        return True

    def _delete_messages(self, params: Params) -> bool:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        ids = params.obj("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must contain 1-100 identifiers")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete_one(chat, message_id if isinstance(message_id, int) else None)
        return True

    def _answer_callback_query(self, params: Params) -> bool:
        query_id = params.text("callback_query_id") or ""
        callback = self._callbacks.get(query_id)
        if callback is None or callback.answered:
            raise bad_request(QUERY_TOO_OLD)
        if len(params.text("text") or "") > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        callback.answered = True
        self._emit_answer(callback, query_id, params)
        return True

    def _get_file(self, params: Params) -> JSON:
        stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        result: JSON = {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            result["file_size"] = stored.size
        return result

    def _scope_key(self, scope: Any) -> tuple[str, int, int]:
        if scope is None:
            return ("default", 0, 0)
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in _SCOPES_WITHOUT_CHAT:
            return (kind, 0, 0)
        if kind not in _SCOPES_WITH_CHAT:
            raise bad_request("wrong BotCommandScope type specified")
        chat_id = scope.get("chat_id")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        if kind == "chat":
            return (kind, chat.id, 0)
        if not chat.is_group:
            raise bad_request("can't use this scope in a private chat")
        if kind == "chat_member":
            user_id = scope.get("user_id")
            if not isinstance(user_id, int) or user_id not in self._users:
                raise bad_request("user not found")
            return (kind, chat.id, user_id)
        return (kind, chat.id, 0)

    def _commands_key(self, params: Params) -> CommandKey:
        return (*self._scope_key(params.obj("scope")), params.text("language_code") or "")

    def _set_my_commands(self, params: Params) -> bool:
        commands = params.obj("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        cleaned: list[JSON] = []
        for command in commands:
            if not isinstance(command, dict):
                raise bad_request("can't parse BotCommand JSON object")
            name, description = command.get("command"), command.get("description")
            if not isinstance(name, str) or not _COMMAND_NAME.match(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = self._commands_key(params)
        if cleaned:
            self._commands[key] = cleaned
        else:
            self._commands.pop(key, None)
        return True

    def _get_my_commands(self, params: Params) -> list[JSON]:
        return copy.deepcopy(self._commands.get(self._commands_key(params), []))

    def _delete_my_commands(self, params: Params) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    def _setter(self, kind: str, limit: int) -> Handler:
        def set_text(params: Params) -> bool:
            value = params.text(kind) or ""
            if len(value) > limit:
                raise bad_request(f"{kind} is too long")
            self._bot_texts[(kind, params.text("language_code") or "")] = value
            return True

        return set_text

    def _getter(self, kind: str) -> Handler:
        def get_text(params: Params) -> JSON:
            language = params.text("language_code") or ""
            found = self._bot_texts.get((kind, language)) or self._bot_texts.get((kind, ""), "")
            if kind == "name" and not found:
                found = self._bot_user["first_name"]
            return {kind: found}

        return get_text

    def _get_chat(self, params: Params) -> JSON:
        chat = self._chat_from(params)
        info: JSON = {
            **chat.public,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }
        if chat.is_group:
            info["permissions"] = {"can_send_messages": True, "can_send_photos": True}
            if chat.pinned is not None and chat.pinned in chat.messages:
                info["pinned_message"] = chat.messages[chat.pinned].data
        return info

    def _member_json(self, chat: _Chat, user_id: int) -> JSON:
        if user_id == self.bot_id:
            return self._bot_member(chat)
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        if not chat.is_group:
            return {"user": user, "status": "member" if user_id == chat.id else "left"}
        if chat.admins and chat.admins[0] == user_id:
            return {"user": user, "status": "creator", "is_anonymous": False}
        if user_id in chat.admins:
            return {"user": user, "status": "administrator", **_ADMIN_RIGHTS}
        return {"user": user, "status": "member" if user_id in chat.members else "left"}

    def _get_chat_member(self, params: Params) -> JSON:
        chat = self._chat_from(params)
        user_id = params.integer("user_id")
        if user_id is None:
            raise bad_request("user_id is empty")
        if chat.is_group:
            self._check_can_send(chat)
        return self._member_json(chat, user_id)

    def _get_chat_administrators(self, params: Params) -> list[JSON]:
        chat = self._chat_from(params)
        if not chat.is_group:
            raise bad_request("there are no administrators in the private chat")
        self._check_can_send(chat)
        admins = [self._member_json(chat, user_id) for user_id in chat.admins]
        if chat.bot_status == "administrator":
            admins.append(self._bot_member(chat))
        return admins

    def _get_chat_member_count(self, params: Params) -> int:
        chat = self._chat_from(params)
        if not chat.is_group:
            return 2
        bot_in = chat.bot_status in ("member", "administrator")
        return len(chat.members) + (1 if bot_in else 0)

    def _send_chat_action(self, params: Params) -> bool:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        action = params.text("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        chat.last_action = action
        return True

    def _set_chat_menu_button(self, params: Params) -> bool:
        button = params.obj("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "commands",
            "web_app",
            "default",
        ):
            raise bad_request("can't parse menu button JSON object")
        if "chat_id" in params.values:
            chat = self._chat_from(params)
            if chat.is_group:
                raise bad_request("menu button can be changed only in private chats")
            chat.menu_button = button
        else:
            self._default_menu_button = (
                button if button["type"] != "default" else {"type": "commands"}
            )
        return True

    def _get_chat_menu_button(self, params: Params) -> JSON:
        if "chat_id" in params.values:
            return self.menu_button(self._chat_from(params).id)
        return dict(self._default_menu_button)

    def _leave_chat(self, params: Params) -> bool:
        chat = self._chat_from(params)
        if not chat.is_group:
            raise bad_request("chat member status can't be changed in private chats")
        self._check_can_send(chat)
        old = self._bot_member(chat)
        chat.bot_status = "left"
        self._member_update(chat, self._bot_user, old)
        return True

    def _pin_chat_message(self, params: Params) -> bool:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        message_id = params.integer("message_id")
        found = chat.messages.get(message_id) if message_id is not None else None
        if found is None or found.deleted:
            raise bad_request("message to pin not found")
        if chat.is_group and chat.bot_status != "administrator":
            raise bad_request("not enough rights to manage pinned messages in the chat")
        chat.pinned = found.message_id
        return True

    def _unpin_chat_message(self, params: Params) -> bool:
        chat = self._chat_from(params)
        self._check_can_send(chat)
        if chat.is_group and chat.bot_status != "administrator":
            raise bad_request("not enough rights to manage pinned messages in the chat")
        chat.pinned = None
        return True

    # --- HTTP: the control API for the demo page ------------------------------------------

    def _state(self) -> JSON:
        users = []
        for user in self._users.values():
            chat = self._chats[user["id"]]
            users.append(
                {
                    **user,
                    "started": chat.bot_status != "left",
                    "blocked": chat.bot_status == "kicked",
                }
            )
        groups = [self._group_view(chat) for chat in self._chats.values() if chat.is_group]
        return {"bot": self._get_me(), "users": users, "groups": groups}

    @staticmethod
    def _group_view(chat: _Chat) -> JSON:
        return {
            **chat.public,
            "members": sorted(chat.members),
            "admins": list(chat.admins),
            "bot_status": chat.bot_status,
        }

    async def _ctl_state(self, request: web.Request) -> web.Response:
        return _json_response(self._state())

    @staticmethod
    async def _body(request: web.Request) -> JSON:
        try:
            body = await request.json()
        except ValueError:
            raise web.HTTPBadRequest(
                text='{"error": "a JSON object is expected"}', content_type="application/json"
            ) from None
        if not isinstance(body, dict):
            raise web.HTTPBadRequest(
                text='{"error": "a JSON object is expected"}', content_type="application/json"
            )
        return body

    async def _ctl_send(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        try:
            sent = self.send_text(
                int(body["user_id"]),
                str(body["text"]),
                _optional_int(body.get("chat_id")),
                reply_to=_optional_int(body.get("reply_to_message_id")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            return _json_response({"error": _describe(exc)}, 400)
        return _json_response(
            {"message": self.message_view(sent["chat"]["id"], sent["message_id"])}
        )

    async def _ctl_press(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        try:
            query_id = self.press_button(
                int(body["user_id"]),
                int(body["chat_id"]),
                int(body["message_id"]),
                str(body["data"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            return _json_response({"error": _describe(exc)}, 400)
        return _json_response({"callback_query_id": query_id})

    async def _ctl_upload(self, request: web.Request) -> web.Response:
        try:
            form = await request.post()
            upload = form.get("file")
            if not isinstance(upload, web.FileField):
                raise ValueError("the form needs a file")
            user_id = int(str(form["user_id"]))
            chat_id = _optional_int(form.get("chat_id"))
            caption = str(form.get("caption", ""))
            data = upload.file.read()
            name = upload.filename or "file"
            mime_type = upload.content_type or mimetypes.guess_type(name)[0] or ""
            as_photo = form.get("as") != "document" and mime_type.startswith("image/")
            if as_photo and image_size(data) is not None:
                sent = self.send_photo(user_id, data, caption, chat_id)
            else:
                mime_type = mime_type or "application/octet-stream"
                sent = self.send_document(user_id, data, name, mime_type, caption, chat_id)
        except (KeyError, TypeError, ValueError) as exc:
            return _json_response({"error": _describe(exc)}, 400)
        return _json_response(
            {"message": self.message_view(sent["chat"]["id"], sent["message_id"])}
        )

    async def _ctl_messages(self, request: web.Request) -> web.Response:
        try:
            chat_id = int(request.query["chat_id"])
            user_id = _optional_int(request.query.get("user_id"))
        except (KeyError, ValueError) as exc:
            return _json_response({"error": _describe(exc)}, 400)
        chat = self._chats.get(chat_id)
        viewer = user_id if user_id is not None else chat_id
        return _json_response(
            {
                "messages": self.history(chat_id),
                "last_seq": self.last_seq,
                "keyboard": chat.keyboard if chat is not None else None,
                "commands": self.visible_commands(viewer, chat_id) if viewer > 0 else [],
            }
        )

    async def _ctl_commands(self, request: web.Request) -> web.Response:
        try:
            user_id = int(request.query["user_id"])
            chat_id = _optional_int(request.query.get("chat_id"))
        except (KeyError, ValueError) as exc:
            return _json_response({"error": _describe(exc)}, 400)
        return _json_response({"commands": self.visible_commands(user_id, chat_id)})

    async def _ctl_events(self, request: web.Request) -> web.Response:
        try:
            after = int(request.query.get("after", "0"))
            timeout = min(max(float(request.query.get("timeout", "25")), 0.0), 60.0)
            chat_id = _optional_int(request.query.get("chat_id"))
        except ValueError as exc:
            return _json_response({"error": _describe(exc)}, 400)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        events: list[JSON] = []
        while not events:
            found = await self.wait_events(after, max(deadline - loop.time(), 0.0))
            if not found:
                break
            after = found[-1]["seq"]
            events = [
                {k: v for k, v in e.items() if k != "api"}
                for e in found
                if chat_id is None or e["chat_id"] == chat_id
            ]
        return _json_response({"events": events, "last_seq": self.last_seq})

    async def _ctl_file(self, request: web.Request) -> web.StreamResponse:
        stored = self._files.get(request.match_info["file_id"])
        if stored is None:
            return _json_response({"error": "no such file"}, 404)
        return self._file_response(stored)

    async def _static_index(self, request: web.Request) -> web.StreamResponse:
        return self._static("index.html")

    async def _static_file(self, request: web.Request) -> web.StreamResponse:
        return self._static(request.match_info["path"])

    def _static(self, relative: str) -> web.StreamResponse:
        assert self.static_dir is not None
        root = self.static_dir.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            raise web.HTTPNotFound()
        # Python's MIME table does not know fonts everywhere; the page's emoji font is one.
        if target.suffix == ".ttf":
            return web.FileResponse(target, headers={"Content-Type": "font/ttf"})
        return web.FileResponse(target)


def _extension(file_name: str) -> str:
    suffix = Path(file_name).suffix
    return suffix if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix) else ""


def _optional_int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    return int(str(value))


def _describe(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing field {exc.args[0]!r}"
    return str(exc)
