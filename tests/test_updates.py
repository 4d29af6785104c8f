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
    processor = PerChatUpdateProcessor(running=16)
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


async def test_a_busy_chat_waiting_for_its_turn_holds_no_slot_from_other_chats() -> None:
    processor = PerChatUpdateProcessor(running=4)
    release = asyncio.Event()
    done: list[str] = []

    async def slow(name: str) -> None:
        await release.wait()
        done.append(name)

    async def quick(name: str) -> None:
        done.append(name)

    # A group flooded with eight updates, its first one held up (by the per-group limit).
    group = [
        asyncio.create_task(processor.process_update(update_in(-100, n), slow(f"group {n}")))
        for n in range(8)
    ]
    await asyncio.sleep(0.01)
    await asyncio.wait_for(processor.process_update(update_in(7, 100), quick("reader")), 1.0)
    assert done == ["reader"]
    release.set()
    await asyncio.gather(*group)
    assert done[1:] == [f"group {n}" for n in range(8)]


def test_updates_without_chat_or_user_have_no_key() -> None:
    assert chat_key(Update(5)) is None
    assert chat_key(object()) is None
