"""The outbox table: a key is enqueued once, due rows are claimed once, outcomes are kept."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from db import outbox
from db.connection import Database
from db.outbox import NewMessage

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def text(body: str) -> dict[str, str]:
    return {"method": "sendMessage", "text": body, "parse_mode": "HTML"}


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "outbox.db") as database:
        yield database


async def test_the_same_key_is_enqueued_once(db: Database) -> None:
    async with db.transaction() as conn:
        first = await outbox.enqueue(conn, key="due:loan42", chat_id=7, payload=text("a"))
        second = await outbox.enqueue(conn, key="due:loan42", chat_id=7, payload=text("b"))
    assert (first, second) == (True, False)
    assert await db.fetchval("SELECT count(*) FROM outbox") == 1
    message = await outbox.get(db, "due:loan42")
    assert message is not None
    assert message.payload["text"] == "a"
    assert message.status == "pending"


async def test_enqueue_commits_or_rolls_back_with_the_callers_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await outbox.enqueue(conn, key="k", chat_id=1, payload=text("x"))
            raise RuntimeError("the business write failed")
    assert await db.fetchval("SELECT count(*) FROM outbox") == 0


async def test_enqueue_many_counts_only_new_keys(db: Database) -> None:
    rows = [NewMessage(f"b:{n}", n, text("Sách mới"), T0, "b") for n in range(1, 6)]
    async with db.transaction() as conn:
        assert await outbox.enqueue_many(conn, rows) == 5
    async with db.transaction() as conn:
        assert await outbox.enqueue_many(conn, [*rows[3:], NewMessage("b:9", 9, {})]) == 1
    assert (await outbox.batch_report(db, "b"))["pending"] == 5


async def test_vietnamese_payload_round_trips(db: Database) -> None:
    body = "Đắc nhân tâm — hạn trả 22/11/2026"
    async with db.transaction() as conn:
        await outbox.enqueue(conn, key="k", chat_id=1, payload=text(body), not_before=T0)
    [message] = await outbox.claim_due(db, T0, 10)
    assert message.payload["text"] == body
    assert message.not_before == T0


async def test_naive_times_are_refused(db: Database) -> None:
    async with db.transaction() as conn:
        with pytest.raises(ValueError):
            await outbox.enqueue(
                conn, key="k", chat_id=1, payload={}, not_before=datetime(2026, 1, 1)
            )


async def test_claim_takes_due_rows_oldest_first_and_only_once(db: Database) -> None:
    async with db.transaction() as conn:
        for n, offset in [(1, 30), (2, 10), (3, 20), (4, 90)]:
            not_before = T0 + timedelta(seconds=offset)
            await outbox.enqueue(conn, key=f"k{n}", chat_id=n, payload={}, not_before=not_before)
    now = T0 + timedelta(seconds=60)
    claimed = await outbox.claim_due(db, now, 10)
    assert [m.key for m in claimed] == ["k2", "k3", "k1"]
    assert {m.status for m in claimed} == {"sending"}
    assert await outbox.claim_due(db, now, 10) == []
    assert (await outbox.batch_report(db, ""))["sending"] == 3


async def test_claim_respects_the_limit_skipped_chats_and_one_row_per_chat(db: Database) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_many(
            conn,
            [
                NewMessage("a1", 1, {}, T0),
                NewMessage("a2", 1, {}, T0 + timedelta(seconds=1)),
                NewMessage("g1", -100, {}, T0),
                NewMessage("c1", 3, {}, T0 + timedelta(seconds=2)),
                NewMessage("d1", 4, {}, T0 + timedelta(seconds=3)),
            ],
        )
    now = T0 + timedelta(seconds=10)
    first = await outbox.claim_due(db, now, 2, skip_chats=[-100])
    assert [m.key for m in first] == ["a1", "c1"]
    second = await outbox.claim_due(db, now, 10)
    assert [m.key for m in second] == ["g1", "a2", "d1"]


async def test_outcomes_are_recorded(db: Database) -> None:
    async with db.transaction() as conn:
        for n in range(4):
            await outbox.enqueue(conn, key=f"k{n}", chat_id=n + 1, payload={}, not_before=T0)
    ids = [m.id for m in await outbox.claim_due(db, T0, 10)]
    later = T0 + timedelta(seconds=4)
    await outbox.mark_sent(db, ids[0], 555, T0)
    await outbox.mark_retry(db, ids[1], later, "Bad Gateway (502)")
    await outbox.mark_retry(db, ids[2], later, "Flood control exceeded", count=False)
    await outbox.mark_failed(db, ids[3], "Bad Request: chat not found")
    sent = await db.fetchone("SELECT * FROM outbox WHERE id = ?", (ids[0],))
    assert sent is not None
    assert (sent["status"], sent["message_id"]) == ("sent", 555)
    retried = await outbox.get(db, "k1")
    flooded = await outbox.get(db, "k2")
    failed = await outbox.get(db, "k3")
    assert retried is not None and flooded is not None and failed is not None
    assert (retried.status, retried.attempts, retried.not_before) == ("pending", 1, later)
    assert (flooded.status, flooded.attempts) == ("pending", 0)
    assert (failed.status, failed.last_error) == ("failed", "Bad Request: chat not found")
    assert await outbox.claim_due(db, T0 + timedelta(seconds=3), 10) == []
    assert await outbox.next_due(db) == later
    assert len(await outbox.claim_due(db, later, 10)) == 2


async def test_an_outcome_does_not_touch_a_row_that_is_not_in_flight(db: Database) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue(conn, key="k", chat_id=1, payload={}, not_before=T0)
    [message] = await outbox.claim_due(db, T0, 1)
    await outbox.mark_sent(db, message.id, 1, T0)
    await outbox.mark_failed(db, message.id, "late timeout")
    stored = await outbox.get(db, "k")
    assert stored is not None
    assert stored.status == "sent"


async def test_blocked_marks_the_private_account_but_no_group(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO account (user_id, chat_id) VALUES (11, 11), (12, 12)")
        await outbox.enqueue(conn, key="p", chat_id=11, payload={}, not_before=T0)
        await outbox.enqueue(conn, key="g", chat_id=-11, payload={}, not_before=T0)
    for message in await outbox.claim_due(db, T0, 10):
        await outbox.mark_blocked(db, message.id, "Forbidden: bot was blocked by the user")
    blocked = await db.fetchall("SELECT user_id, blocked FROM account ORDER BY user_id")
    assert [tuple(row) for row in blocked] == [(11, 1), (12, 0)]
    assert (await outbox.batch_report(db, ""))["blocked"] == 2


async def test_rows_in_flight_at_a_crash_go_back_in_line(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    async with Database(path) as db:
        async with db.transaction() as conn:
            for n in range(3):
                await outbox.enqueue(conn, key=f"k{n}", chat_id=n + 1, payload={}, not_before=T0)
        await outbox.claim_due(db, T0, 2)
    async with Database(path) as db:
        assert await outbox.recover_in_flight(db) == 2
        assert await outbox.recover_in_flight(db) == 0
        report = await outbox.batch_report(db, "")
        assert report == {"pending": 3, "sending": 0, "sent": 0, "failed": 0, "blocked": 0}
        assert len(await outbox.claim_due(db, T0, 10)) == 3


async def test_a_long_line_for_one_waiting_chat_does_not_hide_the_rows_behind_it(
    db: Database,
) -> None:
    async with db.transaction() as conn:
        await outbox.enqueue_many(
            conn,
            [NewMessage(f"g{n}", -5, {}, T0 + timedelta(seconds=n)) for n in range(100)]
            + [NewMessage("late", 8, {}, T0 + timedelta(seconds=200))],
        )
    now = T0 + timedelta(seconds=300)
    assert [m.key for m in await outbox.claim_due(db, now, 1, skip_chats=[-5])] == ["late"]
    assert [m.key for m in await outbox.claim_due(db, now, 5)] == ["g0"]
