"""Update processing: different chats at once, each chat's updates strictly in order."""

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates PTB may hand over at once; most of them only wait for their chat's turn.
MAX_PENDING_UPDATES = 1024


def chat_key(update: object) -> int | None:
    """The chat (or, failing that, the user) whose updates must stay in order."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Runs updates of different chats concurrently and those of one chat one after another.

    A reader's two quick taps, or a librarian's dialog, are handled in order; a class of
    fifty students searching at once does not wait in one queue. An update waits for its
    chat's turn before it takes one of the running slots, so a busy group (its answers held
    back by Telegram's per-group limit) cannot fill the slots and stall every other chat.
    """

    def __init__(self, running: int = 4) -> None:
        super().__init__(MAX_PENDING_UPDATES)
        self.running = running
        self._slots = asyncio.BoundedSemaphore(running)
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = chat_key(update)
        if key is None:
            async with self._slots:
                await coroutine
            return
        lock = self._chat_locks.setdefault(key, asyncio.Lock())
        self._chat_users[key] = self._chat_users.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            self._chat_users[key] -= 1
            if not self._chat_users[key]:
                del self._chat_users[key], self._chat_locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
