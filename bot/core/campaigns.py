"""The campaign calendar and broadcast rules: audiences, yearly dates, due previews and sends."""

import contextlib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import takewhile

from bot.core.class_list import normalize_class
from bot.core.textfold import fold, fold_words

GRADES = (6, 7, 8, 9)
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_TITLE = 120
MAX_MESSAGE = 3000
MAX_BOOKS = 8
DEFAULT_SEND_TIME = time(7, 30)
DEFAULT_LEAD_DAYS = 3
MAX_LEAD_DAYS = 30
MAX_SCHEDULE_AHEAD = timedelta(days=366)

# Statuses of one year's run of a campaign (table campaign_run).
PREVIEWED = "previewed"
APPROVED = "approved"
SKIPPED = "skipped"
SENDING = "sending"
SENT = "sent"
DECIDABLE = frozenset({PREVIEWED, APPROVED, SKIPPED})


class AudienceKind(StrEnum):
    """Who a campaign or a broadcast goes to."""

    CLASSES = "classes"
    GRADE = "grade"
    CLASS = "class"
    TEACHERS = "teachers"
    COLLABORATORS = "collaborators"
    READERS = "readers"


CAMPAIGN_AUDIENCES = (
    AudienceKind.CLASSES,
    AudienceKind.GRADE,
    AudienceKind.TEACHERS,
    AudienceKind.READERS,
)
BROADCAST_AUDIENCES = tuple(AudienceKind)


@dataclass(frozen=True)
class Audience:
    """An audience: a kind, and the grade ("6") or the class ("6A") it names, if any."""

    kind: AudienceKind
    value: str = ""

    @property
    def code(self) -> str:
        """The text stored for this audience, read back by parse_audience."""
        return f"{self.kind}:{self.value}" if self.value else str(self.kind)

    @property
    def grade(self) -> int | None:
        return int(self.value) if self.kind is AudienceKind.GRADE else None

    @property
    def class_name(self) -> str | None:
        return self.value if self.kind is AudienceKind.CLASS else None


def parse_audience(code: str) -> Audience:
    """Read an audience code ("classes", "grade:6", "class:6A" …); ValueError if wrong."""
    kind_text, _, value = code.partition(":")
    try:
        kind = AudienceKind(kind_text)
    except ValueError:
        raise ValueError(f"unknown audience {code!r}") from None
    if kind is AudienceKind.GRADE:
        if not value.isdigit() or int(value) not in GRADES:
            raise ValueError(f"no grade {value!r}")
        return Audience(kind, str(int(value)))
    if kind is AudienceKind.CLASS:
        class_name = parse_class(value)
        if class_name is None:
            raise ValueError(f"no class {value!r}")
        return Audience(kind, class_name)
    if value:
        raise ValueError(f"audience {kind} takes no value")
    return Audience(kind)


def parse_class(text: str) -> str | None:
    """Return a lower-secondary class name ("6A", "9A1") from what a person typed, or None."""
    class_name = normalize_class(text[:20])
    if class_name is None or not class_name[0].isdigit():
        return None
    grade = int("".join(takewhile(str.isdigit, class_name)))
    return class_name if grade in GRADES else None


# --- dates and times -----------------------------------------------------------------------

_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2})\s*(?:[:hg.]\s*(\d{2})?)?\s*$")
_WHEN = re.compile(
    r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\s+(?:luc\s+)?(.+?)\s*$"
)


def occurrence(day: int, month: int, year: int) -> date:
    """The date of a yearly day and month in year (29/02 falls on 28/02 in common years)."""
    try:
        return date(year, month, day)
    except ValueError:
        if (day, month) == (29, 2):
            return date(year, 2, 28)
        raise


def parse_day_month(text: str) -> tuple[int, int]:
    """Read "20/11" as (20, 11); ValueError unless it is a day of the calendar."""
    match = _DAY_MONTH.match(text[:20])
    if match is None:
        raise ValueError("not dd/mm")
    day, month = int(match[1]), int(match[2])
    date(2028, month, day)  # a leap year: 29/02 is a day, 30/02 and 31/04 are not
    return day, month


def parse_clock(text: str) -> time:
    """Read a time of day: "7:30", "07:30", "7h30", "7h"; ValueError otherwise."""
    match = _CLOCK.match(fold(text[:20]))
    if match is None:
        raise ValueError("not hh:mm")
    return time(int(match[1]), int(match[2] or 0))


def format_clock(moment: time) -> str:
    """Show a time of day as hh:mm."""
    return moment.strftime("%H:%M")


class WhenError(ValueError):
    """Why a send time was refused: 'format', 'past' or 'too_far'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_send_moment(text: str, now: datetime) -> datetime:
    """Read "dd/mm hh:mm" (or "dd/mm/yyyy hh:mm") as a future moment in now's time zone.

    Without a year, the date is the nearest one: in December, 05/01 is next January, while
    yesterday stays yesterday (and is refused as past).
    """
    match = _WHEN.match(fold(text[:40]))
    if match is None:
        raise WhenError("format")
    try:
        clock = parse_clock(match[4])
    except ValueError:
        raise WhenError("format") from None
    day, month = int(match[1]), int(match[2])
    years = [int(match[3])] if match[3] else [now.year - 1, now.year, now.year + 1]
    candidates = []
    for year in years:
        with contextlib.suppress(ValueError):
            candidates.append(datetime.combine(date(year, month, day), clock, tzinfo=now.tzinfo))
    if not candidates:
        raise WhenError("format")
    moment = min(candidates, key=lambda candidate: abs(candidate - now))
    if moment <= now:
        raise WhenError("past")
    if moment - now > MAX_SCHEDULE_AHEAD:
        raise WhenError("too_far")
    return moment


# --- the yearly calendar -------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """When a campaign comes back: day and month every year, send time, days of preview."""

    day: int
    month: int
    send_time: time = DEFAULT_SEND_TIME
    lead_days: int = DEFAULT_LEAD_DAYS


class Due(StrEnum):
    """What a campaign needs at a given moment."""

    NOTHING = "nothing"
    PREVIEW = "preview"
    SEND = "send"


def send_moment(timing: Timing, year: int, now: datetime) -> datetime:
    """When year's run goes out, in now's time zone."""
    day = occurrence(timing.day, timing.month, year)
    return datetime.combine(day, timing.send_time, tzinfo=now.tzinfo)


def preview_moment(timing: Timing, year: int, now: datetime) -> datetime:
    """When the librarian gets year's preview: lead days before, at the send time."""
    return send_moment(timing, year, now) - timedelta(days=timing.lead_days)


def current_year(timing: Timing, now: datetime) -> int:
    """The year of the run that is coming or under way today (the date not yet over)."""
    today = now.date()
    if occurrence(timing.day, timing.month, today.year) >= today:
        return today.year
    return today.year + 1


def due(timing: Timing, year: int, now: datetime, run_status: str | None) -> Due:
    """What year's run needs at now: a preview once its window opens, the send once approved.

    A send missed while the bot was down still goes the same day, never later.
    """
    if now < preview_moment(timing, year, now):
        return Due.NOTHING
    if now < send_moment(timing, year, now):
        return Due.PREVIEW if run_status is None else Due.NOTHING
    if now.date() == occurrence(timing.day, timing.month, year) and run_status == APPROVED:
        return Due.SEND
    return Due.NOTHING


def next_wakeup(timing: Timing, now: datetime) -> datetime:
    """The next moment at which the campaign may need something."""
    year = current_year(timing, now)
    for moment in (preview_moment(timing, year, now), send_moment(timing, year, now)):
        if now < moment:
            return moment
    return preview_moment(timing, year + 1, now)


def next_occurrence(day: int, month: int, today: date) -> date:
    """The next date (today included) of a yearly day and month."""
    this_year = occurrence(day, month, today.year)
    return this_year if this_year >= today else occurrence(day, month, today.year + 1)


# --- the seeded calendar -------------------------------------------------------------------


@dataclass(frozen=True)
class SeedCampaign:
    """A campaign of the built-in calendar, with the catalog titles it suggests."""

    key: str
    day: int
    month: int
    audience: Audience
    title: str
    message: str
    book_titles: tuple[str, ...]


def seed_calendar(
    rows: Iterable[tuple[str, str, str, str, str, tuple[str, ...]]],
) -> list[SeedCampaign]:
    """Read the calendar rows (key, "dd/mm", audience code, title, message, book titles)."""
    seeds = []
    for key, day_month, audience, title, message, books in rows:
        day, month = parse_day_month(day_month)
        if not title or len(title) > MAX_TITLE or len(message) > MAX_MESSAGE:
            raise ValueError(f"campaign {key}: title or message out of bounds")
        parsed = parse_audience(audience)
        if parsed.kind not in CAMPAIGN_AUDIENCES:
            raise ValueError(f"campaign {key}: audience {audience} is not for campaigns")
        seeds.append(SeedCampaign(key, day, month, parsed, title, message, books[:MAX_BOOKS]))
    return seeds


def title_matches(wanted: str, found: str) -> bool:
    """Whether a catalog title found by a search is the one the calendar names."""
    return fold_words(found) == fold_words(wanted)


# --- message size --------------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")


def visible_length(html_text: str) -> int:
    """Telegram's length of an HTML message: its text without tags, in UTF-16 code units."""
    plain = html.unescape(_TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def fits(html_text: str, *, caption: bool) -> bool:
    """Whether the text fits one message, or one photo caption."""
    return visible_length(html_text) <= (MAX_CAPTION if caption else MAX_TEXT)
