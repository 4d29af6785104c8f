"""Small shared helpers for end-to-end tests: seeding readers, waiting for pushed messages."""

import asyncio
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.context import BotApplication
from bot.core.textfold import fold
from bot.emulator.server import Emulator
from db import accounts, privacy
from db.connection import Database

JSON = dict[str, Any]


async def add_reader(
    db: Database,
    code: str,
    name: str,
    class_name: str = "",
    *,
    category: str = "student",
    disadvantaged: bool = False,
    homeroom_class: str = "",
) -> int:
    """Insert one reader as the class-list import would; return its id."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO reader (code, full_name, folded_name, category, class_name,"
            " disadvantaged, homeroom_class) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, name, fold(name), category, class_name, int(disadvantaged), homeroom_class),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def record_parent_consent(db: Database, reader_id: int, now: datetime) -> None:
    """Record a parent's consent for a seeded reader, as a class list's column would."""
    await privacy.record_consent(
        db, reader_id, given_on=now.date(), source="class_list", recorded_by=None, now=now
    )


async def link_directly(db: Database, user_id: int, reader_id: int, now: datetime) -> None:
    """Link a chat user to a reader the way a scanned card does, without the chat round trip.

    A student's parent's consent is recorded first (a student is linked only with it).
    """
    await record_parent_consent(db, reader_id, now)
    account_id = await accounts.touch_account(db, user_id, user_id, str(user_id))
    token = await accounts.issue_link_token(db, reader_id, now, timedelta(days=1))
    result = await accounts.link_with_token(db, token.token, account_id, now)
    assert result.outcome is accounts.LinkOutcome.LINKED


async def wait_for_message(
    emulator: Emulator,
    chat_id: int,
    predicate: Callable[[JSON], bool],
    wait: float = 8.0,
) -> JSON:
    """Wait until the bot has sent into chat_id a message the predicate accepts."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for message in emulator.messages(chat_id):
            if predicate(message):
                return message
        await asyncio.sleep(0.05)
    texts = [m.get("text") or m.get("caption") for m in emulator.messages(chat_id)]
    raise AssertionError(f"no matching message in chat {chat_id}; it holds {texts}")


def text_of(messages: list[JSON]) -> str:
    return "\n".join(m.get("text") or m.get("caption") or "" for m in messages)


def set_clock(bot: BotApplication, moment: datetime) -> None:
    """Stop the bot's clock at moment (in the library's time zone)."""
    zone = bot.bot_data.config.library.timezone
    bot.bot_data.clock = lambda: moment.astimezone(zone)
