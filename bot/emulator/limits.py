"""Telegram's flood limits and the test fault queue of the Bot API emulator."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

FAULT_KINDS = frozenset({"429", "500", "502", "timeout", "403"})


@dataclass(slots=True)
class Fault:
    """A failure the emulator answers instead of running a matching Bot API call."""

    method: str
    kind: str
    count: int
    chat_id: int | None
    retry_after: int


class FaultQueue:
    """Faults waiting for their calls, matched in the order they were injected."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self, method: str, kind: str, count: int, chat_id: int | None, retry_after: int
    ) -> None:
        """Queue ``count`` failures of ``kind`` for ``method`` ("*" = any) and ``chat_id``."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(FAULT_KINDS)}")
        if count < 1:
            raise ValueError("a fault needs count >= 1")
        self._faults.append(Fault(method.lower(), kind, count, chat_id, max(1, retry_after)))

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """Use up one matching fault for a call of ``method`` (lower case) into ``chat_id``."""
        if not self._faults:
            return None
        for fault in self._faults:
            if fault.method not in ("*", method):
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.count -= 1
            if fault.count == 0:
                self._faults.remove(fault)
            return fault
        return None


class RateLimiter:
    """Telegram's limits on sending: per bot per second, per group per minute, per private chat."""

    def __init__(
        self,
        per_second: int = 30,
        per_group_minute: int = 20,
        private_rate: float = 1.0,
        private_burst: int = 5,
    ) -> None:
        self.per_second = per_second
        self.per_group_minute = per_group_minute
        self.private_rate = private_rate
        self.private_burst = private_burst
        self._recent: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._private: dict[int, tuple[float, float]] = {}

    def _tokens(self, chat_id: int, now: float) -> float:
        tokens, last = self._private.get(chat_id, (float(self.private_burst), now))
        return min(float(self.private_burst), tokens + (now - last) * self.private_rate)

    def retry_after(self, chat_id: int, is_group: bool, now: float) -> int | None:
        """Return the seconds to wait before one more message into ``chat_id``, None if allowed."""
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        waits: list[float] = []
        if len(self._recent) >= self.per_second:
            waits.append(self._recent[len(self._recent) - self.per_second] + 1.0 - now)
        if is_group:
            sent = self._groups.get(chat_id)
            if sent is not None:
                while sent and sent[0] <= now - 60.0:
                    sent.popleft()
                if len(sent) >= self.per_group_minute:
                    waits.append(sent[len(sent) - self.per_group_minute] + 60.0 - now)
        else:
            tokens = self._tokens(chat_id, now)
            if tokens < 1.0:
                waits.append((1.0 - tokens) / self.private_rate)
        if not waits:
            return None
        return max(1, math.ceil(max(waits)))

    def record(self, chat_id: int, is_group: bool, now: float) -> None:
        """Count one message sent into ``chat_id``."""
        self._recent.append(now)
        if is_group:
            self._groups.setdefault(chat_id, deque()).append(now)
        else:
            self._private[chat_id] = (self._tokens(chat_id, now) - 1.0, now)
