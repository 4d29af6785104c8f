"""Plays users against the emulator in tests: send text, press buttons, read the bot's answers."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from bot.emulator.protocol import inline_buttons
from bot.emulator.server import Emulator

JSON = dict[str, Any]


def application_builder(emulator: Emulator) -> ApplicationBuilder:  # type: ignore[type-arg]
    """An ApplicationBuilder with the emulator's token, base_url and base_file_url set."""
    return (
        ApplicationBuilder()
        .token(emulator.token)
        .base_url(emulator.base_url)
        .base_file_url(emulator.base_file_url)
    )


@asynccontextmanager
async def run_application(
    application: Application,  # type: ignore[type-arg]
    *,
    poll_timeout: int = 10,
) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run an Application polling the emulator (no poll interval); stop it cleanly on exit."""
    updater = application.updater
    if updater is None:
        raise ValueError("the Application needs an Updater to poll the emulator")
    await application.initialize()
    try:
        await updater.start_polling(poll_interval=0, timeout=poll_timeout)
        await application.start()
        try:
            yield application
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                await application.stop()
    finally:
        await application.shutdown()


def buttons(message: JSON) -> list[tuple[str, str]]:
    """The inline buttons of a message as (text, callback data or URL), row by row."""
    return [
        (str(b.get("text")), str(b.get("callback_data", b.get("url", ""))))
        for b in inline_buttons(message.get("reply_markup"))
    ]


@dataclass(slots=True)
class PressResult:
    """What pressing an inline button brought: the callback answer and the changed messages."""

    answer: str | None
    show_alert: bool
    url: str | None
    messages: list[JSON] = field(default_factory=list)


class Driver:
    """Creates the users a test plays and holds the waiting rules they share."""

    def __init__(
        self, emulator: Emulator, reply_timeout: float = 5.0, settle: float = 0.15
    ) -> None:
        self.emulator = emulator
        self.reply_timeout = reply_timeout
        self.settle = settle

    @staticmethod
    def buttons(message: JSON) -> list[tuple[str, str]]:
        """The inline buttons of a message as (text, callback data or URL)."""
        return buttons(message)

    def user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str = "vi",
    ) -> ChatUser:
        """A person to play; created in the emulator (with a private chat) if new."""
        if self.emulator.user(user_id) is None:
            self.emulator.add_user(user_id, first_name, last_name, username, language_code)
        return ChatUser(self, user_id, first_name, username)


class ChatUser:
    """One person talking to the bot: every action waits for the bot's answer and returns it."""

    def __init__(
        self, driver: Driver, user_id: int, first_name: str, username: str | None
    ) -> None:
        self.driver = driver
        self.user_id = user_id
        self.first_name = first_name
        self.username = username

    @property
    def emulator(self) -> Emulator:
        """The emulator this user talks through."""
        return self.driver.emulator

    # --- acting ---------------------------------------------------------------------------

    async def send(
        self,
        text: str,
        chat_id: int | None = None,
        *,
        reply_to: int | None = None,
        answer_chat: int | None = None,
    ) -> list[JSON]:
        """Send ``text``; wait for the bot's answer; return its new or edited messages.

        The answer is awaited in the chat written to, or in ``answer_chat`` for a bot that
        answers a group command in private.
        """
        seq, calls = self.emulator.last_seq, self.emulator.call_count
        sent = self.emulator.send_text(self.user_id, text, chat_id, reply_to=reply_to)
        self._require_delivered(sent, repr(text))
        target = sent["chat"]["id"] if answer_chat is None else answer_chat
        return await self._answer(target, seq, calls, f"the message {text!r}")

    async def tap(self, key: str, chat_id: int | None = None) -> list[JSON]:
        """Tap a key of the reply keyboard the bot set (it sends the key's text); await answers."""
        keys = self.keyboard(chat_id)
        if key not in keys:
            raise AssertionError(f"no key {key!r} on the keyboard of chat {chat_id}: {keys}")
        return await self.send(key, chat_id)

    def keyboard(self, chat_id: int | None = None) -> list[str]:
        """The keys of the reply keyboard shown in this user's private chat (or ``chat_id``)."""
        markup = self.emulator.keyboard(self.user_id if chat_id is None else chat_id) or {}
        return [
            key if isinstance(key, str) else str(key.get("text"))
            for row in markup.get("keyboard", [])
            for key in row
        ]

    async def send_silent(
        self, text: str, chat_id: int | None = None, wait: float = 0.5
    ) -> list[JSON]:
        """Send ``text`` and return whatever the bot sent into that chat within ``wait`` s."""
        seq = self.emulator.last_seq
        sent = self.emulator.send_text(self.user_id, text, chat_id)
        await asyncio.sleep(wait)
        return self._changes(sent["chat"]["id"], self.emulator.events_after(seq))

    async def send_photo(
        self, data: bytes, caption: str = "", chat_id: int | None = None
    ) -> list[JSON]:
        """Send a photo; wait for and return the bot's answer in that chat."""
        seq, calls = self.emulator.last_seq, self.emulator.call_count
        sent = self.emulator.send_photo(self.user_id, data, caption, chat_id)
        self._require_delivered(sent, "a photo")
        return await self._answer(sent["chat"]["id"], seq, calls, "a photo")

    async def send_file(
        self,
        data: bytes,
        file_name: str,
        mime_type: str = "application/octet-stream",
        caption: str = "",
        chat_id: int | None = None,
    ) -> list[JSON]:
        """Send a document; wait for and return the bot's answer in that chat."""
        seq, calls = self.emulator.last_seq, self.emulator.call_count
        sent = self.emulator.send_document(
            self.user_id, data, file_name, mime_type, caption, chat_id
        )
        self._require_delivered(sent, f"the file {file_name!r}")
        return await self._answer(sent["chat"]["id"], seq, calls, f"the file {file_name!r}")

    async def press(
        self,
        message: JSON,
        button_text: str | None = None,
        *,
        data: str | None = None,
        forge: bool = False,
    ) -> PressResult:
        """Press the inline button with (part of) this text or this exact data; await answers.

        ``forge=True`` sends ``data`` even if no button carries it, as a tampered client could.
        """
        chat_id = message["chat"]["id"]
        if forge:
            if data is None:
                raise ValueError("a forged press needs the data to send")
            button: JSON = {"text": "(forged)", "callback_data": data}
        else:
            current = self.emulator.message(chat_id, message["message_id"])
            if current is None:
                raise AssertionError(
                    f"message {message['message_id']} is gone from chat {chat_id}"
                )
            button = _find_button(current, button_text, data)
        if "callback_data" not in button:
            raise AssertionError(
                f"button {button['text']!r} is not a callback button ({button}); nothing to press"
            )
        seq, calls = self.emulator.last_seq, self.emulator.call_count
        query_id = self.emulator.press_button(
            self.user_id, chat_id, message["message_id"], button["callback_data"], forge=forge
        )

        def answered(event: JSON) -> bool:
            return event.get("callback_query_id") == query_id

        what = f"the button {button['text']!r} ({button['callback_data']!r})"
        events = await self._wait(chat_id, seq, calls, what, answered)
        answer = next(e for e in events if answered(e))
        return PressResult(
            answer=answer["text"],
            show_alert=answer["show_alert"],
            url=answer["url"],
            messages=self._changes(chat_id, events),
        )

    # --- reading --------------------------------------------------------------------------

    def messages(self, chat_id: int | None = None) -> list[JSON]:
        """What the bot has sent into this user's private chat (or ``chat_id``), current state."""
        return self.emulator.messages(self.user_id if chat_id is None else chat_id)

    def last_message(self, chat_id: int | None = None) -> JSON:
        """The bot's latest message in this user's private chat (or ``chat_id``)."""
        target = self.user_id if chat_id is None else chat_id
        sent = self.emulator.messages(target)
        if not sent:
            raise AssertionError(f"the bot has sent nothing into chat {target}")
        return sent[-1]

    @staticmethod
    def buttons(message: JSON) -> list[tuple[str, str]]:
        """The inline buttons of a message as (text, callback data or URL)."""
        return buttons(message)

    # --- waiting --------------------------------------------------------------------------

    def _require_delivered(self, sent: JSON, what: str) -> None:
        chat = sent["chat"]
        view = self.emulator.message_view(chat["id"], sent["message_id"])
        if view is None or view["delivered"]:
            return
        group = self.emulator.group_info(chat["id"]) or {}
        if group.get("bot_status") not in ("member", "administrator"):
            reason = (
                f"the bot is not in group {chat['id']} (status {group.get('bot_status')!r}); "
                "call emulator.add_bot_to_group first"
            )
        else:
            reason = (
                "privacy mode: in a group the bot only gets commands, mentions of "
                f"@{self.emulator.bot_username} and replies to its own messages"
            )
        raise AssertionError(f"{what} was not delivered to the bot: {reason}")

    async def _answer(self, chat_id: int, seq: int, calls: int, what: str) -> list[JSON]:
        def first_reply(event: JSON) -> bool:
            return event["chat_id"] == chat_id and event["type"] != "callback_answer"

        events = await self._wait(chat_id, seq, calls, what, first_reply)
        return self._changes(chat_id, events)

    async def _wait(
        self,
        chat_id: int,
        seq: int,
        calls: int,
        what: str,
        first: Callable[[JSON], bool],
    ) -> list[JSON]:
        """Wait for the first bot event matching ``first``, then for ``settle`` s of quiet."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.driver.reply_timeout
        collected: list[JSON] = []
        after = seq
        seen = False
        while True:
            timeout = self.driver.settle if seen else deadline - loop.time()
            found = (
                await self.emulator.wait_events(after, max(timeout, 0.0)) if timeout > 0 else []
            )
            if not found:
                if seen:
                    return collected
                raise AssertionError(self._silence_report(chat_id, what, calls))
            after = found[-1]["seq"]
            bot_events = [e for e in found if e["from_bot"]]
            collected.extend(bot_events)
            seen = seen or any(first(e) for e in bot_events)

    def _silence_report(self, chat_id: int, what: str, calls: int) -> str:
        emulator = self.emulator
        lines = [
            f"the bot did not answer {what} from user {self.user_id} in chat {chat_id} "
            f"within {self.driver.reply_timeout:g} s"
        ]
        failed = [c for c in emulator.calls()[calls:] if not c["ok"]]
        for call in failed:
            lines.append(f"  {call['method']} -> {call['error_code']} {call['error']}")
        if not emulator.calls("getUpdates"):
            lines.append(
                f"  nobody polls getUpdates: is the Application running on {emulator.base_url}?"
            )
        elif emulator.pending_updates:
            lines.append(
                f"  {emulator.pending_updates} update(s) still wait to be fetched: "
                "is a handler stuck, or did polling stop?"
            )
        return "\n".join(lines)

    @staticmethod
    def _changes(chat_id: int, events: list[JSON]) -> list[JSON]:
        """The bot's messages in ``chat_id`` created or edited by ``events``, latest state."""
        latest: dict[int, JSON] = {}
        for event in events:
            if not event["from_bot"] or event["chat_id"] != chat_id:
                continue
            if event["type"] in ("message", "edit"):
                latest[event["message_id"]] = event["api"]
            elif event["type"] == "delete":
                latest.pop(event["message_id"], None)
        return [copy.deepcopy(message) for message in latest.values()]


def _find_button(message: JSON, text: str | None, data: str | None) -> JSON:
    buttons = inline_buttons(message.get("reply_markup"))
    offered = [(b.get("text"), b.get("callback_data", b.get("url"))) for b in buttons]
    if data is not None:
        matches = [b for b in buttons if b.get("callback_data") == data]
    elif text is not None:
        matches = [b for b in buttons if b.get("text") == text] or [
            b for b in buttons if text.casefold() in str(b.get("text", "")).casefold()
        ]
    else:
        matches = buttons
    if len(matches) == 1:
        return matches[0]
    wanted = f"data {data!r}" if data is not None else f"text {text!r}"
    if not matches:
        raise AssertionError(
            f"no button with {wanted} in message {message['message_id']}: {offered}"
        )
    raise AssertionError(f"{len(matches)} buttons match {wanted}; be more precise: {offered}")
