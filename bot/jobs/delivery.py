"""The delivery worker: drains the outbox into the Bot API within Telegram's flood limits.

It keeps the limits itself, whatever bot it is given: at most 30 messages in any second
overall (a send counts until a second after its answer; while running, sends are spread one
every 1/30 s), one message a second into one chat, 20 a minute into one group (negative chat
id). A 429 pauses that chat, or every send when the chat had no other recent message of ours
(then the flood is the bot's overall one); the row goes again after ``retry_after`` without
counting an attempt. Network errors, timeouts and 5xx are retried with exponential backoff
(2, 4, 8 … s) up to ``max_attempts``; 403 marks the row, and a reader's account, blocked;
400 and other refusals fail the row at once. ``db.outbox`` explains why a row in flight at a
crash is sent again (at-least-once).

Give it the Application's bot: its AIORateLimiter then counts the worker's sends together
with the handlers' answers, and never holds one back, because the worker already spaces
them below its limits. bench/bench_delivery.py, 3,000 messages with the emulator enforcing
Telegram's limits: worker alone 101 s, worker through the Application's AIORateLimiter
101 s, both with no 429, against a 100 s floor; the AIORateLimiter alone (it lets ~60
through in the first second) 122 s and 99 429s.
"""

import asyncio
import contextlib
import logging
import warnings
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from db import outbox
from db.connection import Database
from db.outbox import OutboxMessage

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

_IDLE_FLOOR = 0.005


def utc_now() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def retry_after_seconds(error: RetryAfter) -> float:
    """Return how long Telegram asked to wait, whichever type this PTB version reports."""
    with warnings.catch_warnings():
        # PTB 22 warns that retry_after becomes a timedelta; both types are handled here.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class SendWindow:
    """At most count sends in any window of seconds, the bot's overall limit.

    A send counts from the moment it starts until window seconds after its answer came back.
    Telegram counts it somewhere in between, so spacing by answers is safe whatever the
    network latency, at the price of one round trip per window.
    """

    def __init__(self, count: int, window: float) -> None:
        self.count = count
        self.window = window
        self._done: deque[float] = deque()
        self._in_flight = 0

    def _prune(self, now: float) -> None:
        while self._done and self._done[0] <= now - self.window:
            self._done.popleft()

    def room(self, now: float) -> int:
        """Return how many sends may start at now."""
        self._prune(now)
        return max(0, self.count - len(self._done) - self._in_flight)

    def begin(self) -> None:
        """Count a send that starts now."""
        self._in_flight += 1

    def end(self, now: float) -> None:
        """Count the send whose answer came back at now."""
        self._in_flight -= 1
        self._done.append(now)

    def free_at(self, now: float) -> float | None:
        """Return when the next send may start; None while only an answer can make room."""
        if self.room(now):
            return now
        first_to_leave = len(self._done) + self._in_flight - self.count
        return (
            self._done[first_to_leave] + self.window if first_to_leave < len(self._done) else None
        )


class ChatPacer:
    """Per-chat pacing: one message per interval in a chat, group_count per window in a group.

    A chat has at most one send in flight, and its interval runs from that send's answer.
    """

    def __init__(self, interval: float, group_count: int, group_window: float) -> None:
        self.interval = interval
        self.group_count = group_count
        self.group_window = group_window
        self._sent: dict[int, deque[float]] = {}
        self._in_flight: set[int] = set()
        self._paused: dict[int, float] = {}

    def _horizon(self, chat_id: int) -> float:
        return max(self.interval, self.group_window) if chat_id < 0 else self.interval

    def _prune(self, now: float) -> None:
        for chat_id in list(self._sent):
            times = self._sent[chat_id]
            while times and times[0] <= now - self._horizon(chat_id):
                times.popleft()
            if not times:
                del self._sent[chat_id]
        for chat_id, until in list(self._paused.items()):
            if until <= now:
                del self._paused[chat_id]

    def _ready_at(self, chat_id: int, now: float) -> float:
        ready = self._paused.get(chat_id, now)
        times = self._sent.get(chat_id)
        if times:
            ready = max(ready, times[-1] + self.interval)
            if chat_id < 0 and len(times) >= self.group_count:
                ready = max(ready, times[-self.group_count] + self.group_window)
        return ready

    def busy(self, now: float) -> set[int]:
        """Return the chats that may not receive a message at now."""
        self._prune(now)
        waiting = {
            chat_id
            for chat_id in self._sent.keys() | self._paused.keys()
            if self._ready_at(chat_id, now) > now
        }
        return waiting | self._in_flight

    def soonest(self, now: float) -> float | None:
        """Return when the first chat that waits (not for an answer) becomes free."""
        self._prune(now)
        times = [
            self._ready_at(chat_id, now)
            for chat_id in self._sent.keys() | self._paused.keys()
            if chat_id not in self._in_flight
        ]
        later = [moment for moment in times if moment > now]
        return min(later) if later else None

    def begin(self, chat_id: int) -> None:
        """Count a send into chat_id that starts now."""
        self._in_flight.add(chat_id)

    def end(self, chat_id: int, now: float) -> None:
        """Count the send into chat_id whose answer came back at now."""
        self._in_flight.discard(chat_id)
        self._sent.setdefault(chat_id, deque()).append(now)

    def recent(self, chat_id: int, now: float) -> int:
        """Return how many answered sends into chat_id are still inside its window at now."""
        since = now - self._horizon(chat_id)
        return sum(1 for moment in self._sent.get(chat_id, ()) if moment > since)

    def pause(self, chat_id: int, until: float) -> None:
        """Send nothing into chat_id before until."""
        self._paused[chat_id] = max(until, self._paused.get(chat_id, until))


class DeliveryWorker:
    """Sends due outbox rows through a bot, in the background or one pass at a time.

    ``stats`` counts what came of the sends since it was made: sent, retries, flood_waits,
    failed, blocked.
    """

    def __init__(
        self,
        db: Database,
        bot: Bot,
        *,
        rate_per_second: int = 30,
        group_per_minute: int = 20,
        group_window: float = 60.0,
        chat_interval: float = 1.0,
        concurrency: int = 12,
        max_attempts: int = 10,
        backoff: float = 2.0,
        max_backoff: float = 600.0,
        send_timeout: float | None = None,
        poll_interval: float = 1.0,
        clock: Clock = utc_now,
    ) -> None:
        self._db = db
        self._bot = bot
        self._overall = SendWindow(rate_per_second, 1.0)
        self._chats = ChatPacer(chat_interval, group_per_minute, group_window)
        self._concurrency = concurrency
        self._max_attempts = max_attempts
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._send_timeout = send_timeout
        self._poll_interval = poll_interval
        self._clock = clock
        self._paused_until = 0.0
        self._in_flight: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None
        self.stats: Counter[str] = Counter()

    @property
    def running(self) -> bool:
        """Whether the background loop is on."""
        return self._loop_task is not None and not self._loop_task.done()

    async def start(self) -> None:
        """Put back rows a crash left in flight, then drain the outbox in the background."""
        if self.running:
            return
        recovered = await outbox.recover_in_flight(self._db)
        if recovered:
            log.warning(
                "%d outbox messages were in flight at the last stop: sending again", recovered
            )
        self._stopping = False
        self._loop_task = asyncio.create_task(self._run(), name="outbox-delivery")

    async def stop(self) -> None:
        """Stop claiming rows and let the sends in flight finish and record their outcome."""
        self._stopping = True
        self._wake.set()
        if self._loop_task is not None:
            await self._loop_task
            self._loop_task = None
        if self._in_flight:
            await asyncio.wait(set(self._in_flight))
        log.info("outbox delivery stopped after %s", dict(self.stats) or "no sends")

    def notify(self) -> None:
        """Wake the worker now: call it after committing new outbox rows."""
        self._wake.set()

    async def drain_once(self, now: datetime) -> int:
        """Send everything due that the limits allow at the instant now; return how many went."""
        if self.running:
            raise RuntimeError("drain_once is for a worker that was not started")
        sent_before = self.stats["sent"]
        while True:
            started = await self._dispatch(now, lambda: now)
            if not started:
                break
            await asyncio.wait(started)
        return self.stats["sent"] - sent_before

    async def _run(self) -> None:
        # Running, the worker spreads its sends evenly (one per spacing) instead of bursting
        # up to the window: answers do not pile up, so each 'sent' commit follows its answer
        # at once, and Telegram sees a steady stream.
        spacing = self._overall.window / self._overall.count
        next_start = 0.0
        while not self._stopping:
            self._wake.clear()
            now = self._clock()
            moment = now.timestamp()
            try:
                if moment < next_start:
                    delay = next_start - moment
                elif await self._dispatch(now, self._clock, most=1):
                    on_time = moment - next_start < spacing
                    next_start = (next_start if on_time else moment) + spacing
                    continue
                else:
                    delay = await self._idle_delay(now)
            except Exception:
                log.exception("outbox delivery pass failed; trying again shortly")
                delay = self._poll_interval
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _dispatch(
        self, now: datetime, clock: Clock, most: int | None = None
    ) -> list[asyncio.Task[None]]:
        """Claim what can go at now (no more than most) and start sending it."""
        moment = now.timestamp()
        if moment < self._paused_until:
            return []
        room = min(self._concurrency - len(self._in_flight), self._overall.room(moment))
        if most is not None:
            room = min(room, most)
        claimed = await outbox.claim_due(self._db, now, room, skip_chats=self._chats.busy(moment))
        started = []
        for message in claimed:
            self._overall.begin()
            self._chats.begin(message.chat_id)
            task = asyncio.create_task(self._deliver(message, clock))
            self._in_flight.add(task)
            task.add_done_callback(self._finished)
            started.append(task)
        return started

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._in_flight.discard(task)
        self._wake.set()

    async def _idle_delay(self, now: datetime) -> float:
        """Return how long nothing can be sent, capped by the poll interval."""
        moment = now.timestamp()
        if moment < self._paused_until:
            return max(_IDLE_FLOOR, min(self._poll_interval, self._paused_until - moment))
        if len(self._in_flight) >= self._concurrency:
            return self._poll_interval
        candidates = [self._poll_interval]
        overall_free = self._overall.free_at(moment)
        # Room now is no reason to wake soon: only a full window holds back what is due.
        if overall_free is not None and overall_free > moment:
            candidates.append(overall_free - moment)
        due = await outbox.next_due(self._db)
        if due is not None and due > now:
            candidates.append((due - now).total_seconds())
        chat_free = self._chats.soonest(moment)
        if chat_free is not None:
            candidates.append(chat_free - moment)
        return max(_IDLE_FLOOR, min(candidates))

    async def _deliver(self, message: OutboxMessage, clock: Clock) -> None:
        """Send one claimed row and record what came of it."""
        try:
            await self._attempt(message, clock)
        except Exception:
            # The row stays 'sending' and goes again after a restart; the worker keeps on.
            log.exception("recording the outcome of outbox message %s failed", message.key)

    async def _attempt(self, message: OutboxMessage, clock: Clock) -> None:
        try:
            sent = await self._call(message, clock)
        except RetryAfter as error:
            await self._flood_wait(message, retry_after_seconds(error), str(error), clock())
        except Forbidden as error:
            self.stats["blocked"] += 1
            log.info("chat %s refuses the bot: %s", message.chat_id, error)
            await outbox.mark_blocked(self._db, message.id, str(error))
        except ChatMigrated as error:
            await self._give_up(message, f"chat migrated to {error.new_chat_id}")
        except BadRequest as error:
            await self._give_up(message, str(error))
        except (NetworkError, InvalidToken) as error:
            # A timeout may hide a delivered message; resending is the at-least-once choice.
            await self._retry(message, f"{type(error).__name__}: {error}", clock())
        except TelegramError as error:
            await self._give_up(message, f"{type(error).__name__}: {error}")
        except (KeyError, TypeError, ValueError) as error:
            await self._give_up(message, f"bad payload: {error!r}")
        else:
            await outbox.mark_sent(self._db, message.id, sent.message_id, clock())
            self.stats["sent"] += 1

    async def _flood_wait(
        self, message: OutboxMessage, seconds: float, error: str, now: datetime
    ) -> None:
        self.stats["flood_waits"] += 1
        until = now + timedelta(seconds=seconds)
        self._chats.pause(message.chat_id, until.timestamp())
        # One message of ours in the chat's window means the flood is not the chat's own.
        everything = self._chats.recent(message.chat_id, now.timestamp()) <= 1
        if everything:
            self._paused_until = max(self._paused_until, until.timestamp())
        log.warning(
            "429 for chat %s: pausing %s for %.1f s",
            message.chat_id,
            "every send" if everything else "this chat",
            seconds,
        )
        await outbox.mark_retry(self._db, message.id, until, error, count=False)

    async def _retry(self, message: OutboxMessage, error: str, now: datetime) -> None:
        attempts = message.attempts + 1
        if attempts >= self._max_attempts:
            await self._give_up(message, error)
            return
        self.stats["retries"] += 1
        delay = min(self._max_backoff, self._backoff * 2 ** (attempts - 1))
        log.info("outbox %s: %s; attempt %d again in %.0f s", message.key, error, attempts, delay)
        await outbox.mark_retry(self._db, message.id, now + timedelta(seconds=delay), error)

    async def _give_up(self, message: OutboxMessage, error: str) -> None:
        self.stats["failed"] += 1
        log.warning("outbox %s to chat %s failed: %s", message.key, message.chat_id, error)
        await outbox.mark_failed(self._db, message.id, error)

    async def _call(self, message: OutboxMessage, clock: Clock) -> Message:
        """Send the row, counting the call against the limits until its answer is back."""
        try:
            return await self._send(message)
        finally:
            answered = clock().timestamp()
            self._overall.end(answered)
            self._chats.end(message.chat_id, answered)

    async def _send(self, message: OutboxMessage) -> Message:
        """Make the Bot API call the payload describes."""
        payload = message.payload
        options: dict[str, Any] = {}
        if "parse_mode" in payload:
            options["parse_mode"] = payload["parse_mode"]
        if payload.get("reply_markup"):
            options["reply_markup"] = InlineKeyboardMarkup.de_json(payload["reply_markup"])
        if self._send_timeout is not None:
            options["read_timeout"] = self._send_timeout
        method = payload.get("method")
        if method == "sendMessage":
            return await self._bot.send_message(message.chat_id, payload["text"], **options)
        if method == "sendPhoto":
            return await self._bot.send_photo(
                message.chat_id, payload["photo"], caption=payload.get("caption"), **options
            )
        if method == "sendDocument":
            return await self._bot.send_document(
                message.chat_id, payload["document"], caption=payload.get("caption"), **options
            )
        raise ValueError(f"unknown method {method!r}")
