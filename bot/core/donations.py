"""The donation drive's rules: numbering donated copies and when the class board goes out."""

import re
from calendar import monthrange
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import SchoolCalendar
from bot.core.textfold import normalize

DEFAULT_WIDTH = 5
MAX_PREFIX = 12
TOP_DONORS = 10

_NUMBERED = re.compile(r"^(.*?)(\d+)$")
_NEW_PREFIX = re.compile(r"^[A-Za-z]{1,10}[-./]?$")
_SEPARATORS = "-./ "


@dataclass(frozen=True)
class Drive:
    """A donation drive, from its first to its last day (inclusive)."""

    id: int
    starts_on: date
    ends_on: date

    def active_on(self, day: date) -> bool:
        """Say whether the drive runs on day."""
        return self.starts_on <= day <= self.ends_on


def split_accession(accession: str) -> tuple[str, str] | None:
    """Split "TN-00012" into ("TN-", "00012"); None when it does not end in digits."""
    match = _NUMBERED.match(accession.strip())
    return None if match is None else (match[1], match[2])


def prefix_counts(accessions: Iterable[str]) -> list[tuple[str, int]]:
    """The prefixes of numbered accession numbers with how many copies use each, most first."""
    counts: Counter[str] = Counter()
    for accession in accessions:
        parts = split_accession(accession)
        if parts is not None and parts[0]:
            counts[parts[0].upper()] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def next_accession(prefix: str, accessions: Iterable[str]) -> str:
    """The number after the highest one of this prefix, as wide as the widest in use."""
    highest, width = 0, 0
    wanted = prefix.upper()
    for accession in accessions:
        parts = split_accession(accession)
        if parts is not None and parts[0].upper() == wanted:
            highest = max(highest, int(parts[1]))
            width = max(width, len(parts[1]))
    return f"{wanted}{highest + 1:0{width or DEFAULT_WIDTH}d}"


def typed_prefix(text: str, known: Iterable[str]) -> str | None:
    """Read a prefix the librarian typed ("tn", "TN-"): a known one, else a new one like "TV-"."""
    typed = normalize(text).strip().upper()
    bare = typed.rstrip(_SEPARATORS)
    for prefix in known:
        if bare and prefix.upper().rstrip(_SEPARATORS) == bare:
            return prefix.upper()
    if len(typed) <= MAX_PREFIX and _NEW_PREFIX.match(typed):
        return typed if typed[-1] in _SEPARATORS else f"{typed}-"
    return None


def board_day(year: int, month: int, calendar: SchoolCalendar) -> date:
    """The day a month's board goes out: the month's last open library day (else its last day)."""
    last = date(year, month, monthrange(year, month)[1])
    day = last
    while day.month == month:
        if calendar.is_open(day):
            return day
        day -= timedelta(days=1)
    return last


def board_due(today: date, drive: Drive | None, calendar: SchoolCalendar) -> bool:
    """Say whether this month's class board is due today: during a drive, from the board day
    of the month (or on the drive's last day) on."""
    if drive is None or not drive.active_on(today):
        return False
    return today == drive.ends_on or today >= board_day(today.year, today.month, calendar)


def month_key(day: date) -> str:
    """The yyyy-mm a board belongs to."""
    return f"{day.year:04d}-{day.month:02d}"
