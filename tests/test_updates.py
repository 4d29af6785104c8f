"""The update processor keeps one chat's updates in order and lets chats run side by side."""

import asyncio

from telegram import Chat, Message, Update, User

from bot.updates import PerChatUpdateProcessor, chat_key


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, "private")
    user = User(chat_id, "An", is_bot=False)
    message = Message(update_id, None, chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id, message=message)


async def test_one_chat_runs_in_order_and_other_chats_overlap() -> None:
    processor = PerChatUpdateProcessor(16)
    log: list[str] = []

    async def work(name: str, delay: float) -> None:
        log.append(f"start {name}")
        await asyncio.sleep(delay)
        log.append(f"end {name}")

    await asyncio.gather(
        processor.do_process_update(update_in(1, 1), work("a1", 0.05)),
        processor.do_process_update(update_in(1, 2), work("a2", 0.0)),
        processor.do_process_update(update_in(2, 3), work("b1", 0.0)),
    )
    assert log.index("end a1") < log.index("start a2")
    assert log.index("start b1") < log.index("end a1")
    assert not processor._chat_locks and not processor._chat_users


def test_updates_without_chat_or_user_have_no_key() -> None:
    assert chat_key(Update(5)) is None
    assert chat_key(object()) is None
