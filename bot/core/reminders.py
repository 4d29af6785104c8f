"""Reminder rules: which reminder each open loan gets today, quiet hours, the weekly digest."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, NoReturn

from bot.core.calendar import MONDAY, ONE_DAY, SchoolCalendar
from bot.core.policy_config import WEEKDAY_ALIASES
from bot.core.textfold import fold

BEFORE_RANK = 1
DUE_RANK = 2
FIRST_OVERDUE_RANK = 3
# Stored in place of a step when a loan was reported to the homeroom teacher.
ESCALATED = 100
MAX_OVERDUE_STEPS = 10

# Telegram takes 4096 characters; the rest is room for a page number.
PAGE_LIMIT = 4000


class StepKind(StrEnum):
    """The kinds of reminder a reader gets about one loan."""

    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ReminderSettings:
    """When and how readers are reminded.

    run_at: the daily run. before_days: library days before the due date for the early
    reminder (0: none). overdue_days: library days late of each overdue reminder, increasing;
    a loan past the last one is reported to the homeroom teacher. Nothing is delivered from
    quiet_start to quiet_end (the window may run over midnight; equal times: no quiet hours).
    digest_weekday: the weekday of the librarians' weekly digest (see `digest_turn`).
    """

    run_at: time = time(7, 0)
    before_days: int = 2
    overdue_days: tuple[int, ...] = (1, 3, 7)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(6, 30)
    digest_weekday: int = MONDAY

    def __post_init__(self) -> None:
        if self.before_days < 0:
            raise ValueError("số ngày nhắc trước hạn không được âm")
        if not 1 <= len(self.overdue_days) <= MAX_OVERDUE_STEPS:
            raise ValueError(f"cần từ 1 đến tối đa {MAX_OVERDUE_STEPS} mốc nhắc quá hạn")
        if self.overdue_days[0] < 1 or any(
            a >= b for a, b in zip(self.overdue_days, self.overdue_days[1:], strict=False)
        ):
            raise ValueError("các mốc nhắc quá hạn phải là số dương, tăng dần, ví dụ [1, 3, 7]")
        if not 0 <= self.digest_weekday <= 6:
            raise ValueError("ngày gửi tổng hợp phải từ 0 (Thứ Hai) đến 6 (Chủ nhật)")

    @property
    def last_overdue_days(self) -> int:
        """Library days late after which the homeroom teacher is told."""
        return self.overdue_days[-1]


DEFAULT_SETTINGS = ReminderSettings()


@dataclass(frozen=True)
class Step:
    """A reminder about one loan: its kind, its order among steps, and the days it counts.

    days: library days left before the due date (BEFORE), 0 (DUE), library days late (OVERDUE).
    """

    kind: StepKind
    rank: int
    days: int


def _before(left: int, settings: ReminderSettings) -> Step | None:
    if settings.before_days and left <= settings.before_days:
        return Step(StepKind.BEFORE, BEFORE_RANK, left)
    return None


def _overdue(late: int, settings: ReminderSettings) -> Step | None:
    reached = [index for index, days in enumerate(settings.overdue_days) if late >= days]
    if not reached:
        return None
    return Step(StepKind.OVERDUE, FIRST_OVERDUE_RANK + reached[-1], late)


def step_on(
    due_on: date, today: date, calendar: SchoolCalendar, settings: ReminderSettings
) -> Step | None:
    """Return the furthest reminder step a loan due on due_on has reached today, if any."""
    if today < due_on:
        return _before(calendar.library_days_between(today, due_on), settings)
    if today == due_on:
        return Step(StepKind.DUE, DUE_RANK, 0)
    return _overdue(calendar.library_days_between(due_on, today), settings)


@dataclass(frozen=True)
class Day:
    """What today means for the due dates in play.

    steps: the reminder step a loan due on each date gets today, where one is allowed (on a
    long break only due dates inside it, and no overdue step). late: library days late of
    each overdue due date. quiet_day: today is in a long break (nothing is escalated).
    """

    today: date
    steps: Mapping[date, Step]
    late: Mapping[date, int]
    quiet_day: bool

    def due_by(self, days: int) -> date | None:
        """The latest due date at least days library days late; earlier ones are later still."""
        return max((due for due, late in self.late.items() if late >= days), default=None)


def survey(
    today: date,
    calendar: SchoolCalendar,
    settings: ReminderSettings,
    due_dates: Iterable[date],
) -> Day:
    """Work out today's step and lateness of every due date, walking the calendar once."""
    wanted = set(due_dates)
    if not wanted:
        return Day(today, {}, {}, calendar.is_long_break(today))
    quiet_day = calendar.is_long_break(today)
    counted: dict[date, int] = {}
    # Open days after each past due date up to today, and up to each future one from today.
    open_days, day = 0, today
    while day > min(wanted):
        open_days += calendar.is_open(day)
        day -= ONE_DAY
        counted[day] = open_days
    open_days, day = 0, today
    while day < max(wanted):
        day += ONE_DAY
        open_days += calendar.is_open(day)
        counted[day] = open_days
    steps: dict[date, Step] = {}
    late: dict[date, int] = {}
    for due in wanted:
        if due < today:
            step = _overdue(counted[due], settings)
            if counted[due]:
                late[due] = counted[due]
        elif due == today:
            step = Step(StepKind.DUE, DUE_RANK, 0)
        else:
            step = _before(counted[due], settings)
        if step is None:
            continue
        if quiet_day and (step.kind is StepKind.OVERDUE or not calendar.is_long_break(due)):
            continue
        steps[due] = step
    return Day(today, steps, late, quiet_day)


@dataclass(frozen=True)
class LoanStatus:
    """What the rules need about one open loan: its dates and the last step sent for them.

    last_rank: the highest step already sent for this due date (0: none).
    """

    loan_id: int
    loaned_on: date
    due_on: date
    last_rank: int = 0


@dataclass(frozen=True)
class Plan:
    """Today's reminders: the step each loan's reader gets."""

    steps: Mapping[int, Step]


def plan_reminders(day: Day, loans: Iterable[LoanStatus]) -> Plan:
    """Decide today's reminders: each loan's step moves only forward, once per due date.

    A step already sent (or a later one) is not sent again, so running twice on one day or
    after the clock moved back sends nothing twice; a step missed while the bot was down is
    sent at the next run. No reminder goes out on the day a loan was lent. day must cover
    the loans' due dates.
    """
    steps: dict[int, Step] = {}
    for loan in loans:
        step = day.steps.get(loan.due_on)
        if step is not None and loan.loaned_on < day.today and step.rank > loan.last_rank:
            steps[loan.loan_id] = step
    return Plan(steps=steps)


def escalation_due_by(day: Day, settings: ReminderSettings) -> date | None:
    """Loans due by this date, not yet reported, go to their homeroom teacher today.

    They are at least the last overdue step late. None: nothing is reported today (a long
    break, or no loan that late).
    """
    return None if day.quiet_day else day.due_by(settings.last_overdue_days)


def horizon(today: date, calendar: SchoolCalendar, settings: ReminderSettings) -> date:
    """The latest due date that can get a reminder today."""
    return (
        calendar.add_library_days(today, settings.before_days) if settings.before_days else today
    )


@dataclass(frozen=True)
class DigestTurn:
    """The weekly digest a run sends: the digest day it belongs to, and whether it is late."""

    day: date
    late: bool = False

    @property
    def week(self) -> str:
        """The ISO week the digest covers, which keys it once a week."""
        return iso_week(self.day)


def digest_turn(
    today: date, calendar: SchoolCalendar, settings: ReminderSettings, last_run: date | None
) -> DigestTurn | None:
    """The weekly digest today's run sends, if any (its key keeps it to once a week).

    On the digest weekday, outside long breaks. On the next day only when the digest day
    passed without a run although the reminders ran before it (the bot was down): the digest
    then goes late. A run on any other day, a start-up catch-up included, sends none.
    last_run: the latest day before today on which the reminders ran (None: never).
    """
    if today.weekday() == settings.digest_weekday:
        return None if calendar.is_long_break(today) else DigestTurn(today)
    missed = today - ONE_DAY
    if missed.weekday() != settings.digest_weekday or last_run is None or last_run >= missed:
        return None
    if calendar.is_long_break(missed) or calendar.is_long_break(today):
        return None
    return DigestTurn(missed, late=True)


def iso_week(day: date) -> str:
    """The ISO week of day, e.g. "2026-W48", for once-a-week keys."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def in_quiet_hours(moment: time, settings: ReminderSettings) -> bool:
    """Whether a time of day lies in the quiet hours."""
    start, end = settings.quiet_start, settings.quiet_end
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def deliver_at(moment: datetime, settings: ReminderSettings) -> datetime:
    """Return when a message made at moment may be delivered: moment, or the end of quiet hours."""
    clock = moment.time()
    if not in_quiet_hours(clock, settings):
        return moment
    day = moment.date()
    if clock >= settings.quiet_end:
        day += timedelta(days=1)
    return datetime.combine(day, settings.quiet_end, tzinfo=moment.tzinfo)


def catch_up_due(now: datetime, settings: ReminderSettings) -> bool:
    """Whether a bot starting at now missed today's run and can still deliver it today."""
    if now.time() < settings.run_at:
        return False
    return deliver_at(now, settings).date() == now.date()


def pages(header: str, lines: Sequence[str], limit: int = PAGE_LIMIT) -> list[str]:
    """Split header and lines into messages of at most limit characters, never inside a line.

    A line longer than limit (none of ours is) goes alone on its page, whole.
    """
    result: list[str] = []
    current = header
    for line in lines:
        if len(current) + 1 + len(line) > limit:
            result.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    result.append(current)
    return result


# --- the [reminders] configuration table -------------------------------------------------

REMINDER_KEYS = frozenset(
    {"time", "before_days", "overdue_days", "quiet_start", "quiet_end", "digest_weekday"}
)
_CLOCK = re.compile(r"(\d{1,2})[:hg](\d{2})")


def _fail(key: str, problem: str) -> NoReturn:
    # bot.config imports the core modules; importing it here keeps the cycle safe.
    from bot.config import ConfigError

    raise ConfigError(key, problem)


def _time(value: object, key: str) -> time:
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    match = _CLOCK.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        hour, minute = int(match[1]), int(match[2])
        if hour < 24 and minute < 60:
            return time(hour, minute)
    _fail(key, f'“{value}” không phải giờ trong ngày; viết "07:00"')


def _count(value: object, key: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        _fail(key, f"phải là số nguyên từ {low} đến {high}")
    return value


def _weekday(value: object, key: str) -> int:
    if isinstance(value, str):
        name = " ".join(fold(value).split())
        if name in WEEKDAY_ALIASES:
            return WEEKDAY_ALIASES[name]
    _fail(key, f'“{value}” không phải ngày trong tuần; viết "Thứ Hai"')


def parse_reminder_settings(raw: Mapping[str, Any]) -> ReminderSettings:
    """Build the reminder settings from the [reminders] table; a missing key keeps its default."""
    for name in raw:
        if name not in REMINDER_KEYS:
            _fail(
                f"reminders.{name}",
                "khóa không được hỗ trợ; dùng: " + ", ".join(sorted(REMINDER_KEYS)),
            )
    values: dict[str, Any] = {}
    if "time" in raw:
        values["run_at"] = _time(raw["time"], "reminders.time")
    for name in ("quiet_start", "quiet_end"):
        if name in raw:
            values[name] = _time(raw[name], f"reminders.{name}")
    if "before_days" in raw:
        values["before_days"] = _count(raw["before_days"], "reminders.before_days", 0, 30)
    if "overdue_days" in raw:
        steps = raw["overdue_days"]
        if not isinstance(steps, list) or not steps:
            _fail("reminders.overdue_days", "phải là danh sách số ngày, ví dụ [1, 3, 7]")
        values["overdue_days"] = tuple(
            _count(days, f"reminders.overdue_days[{index}]", 1, 365)
            for index, days in enumerate(steps, 1)
        )
    if "digest_weekday" in raw:
        values["digest_weekday"] = _weekday(raw["digest_weekday"], "reminders.digest_weekday")
    try:
        return ReminderSettings(**values)
    except ValueError as exc:
        _fail("reminders", str(exc))
