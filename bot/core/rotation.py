"""Book rotation's rules: where a batch goes, its return date, and which reminder is due."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.class_list import normalize_class
from bot.core.textfold import normalize

REMINDER_DAYS_BEFORE = 3
MAX_DAYS_AHEAD = 366
MAX_DESTINATION = 100
GRADES = range(6, 10)

_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$")
_SPACES = re.compile(r"\s+")


class ReminderStep(StrEnum):
    """The librarian's reminders for a batch that is out."""

    BEFORE = "before"
    DUE = "due"


class DayProblem(StrEnum):
    """Why a typed return date is refused."""

    FORMAT = "format"
    PAST = "past"
    TOO_FAR = "too_far"


class DayError(ValueError):
    """A typed date that cannot be used, with the reason."""

    def __init__(self, problem: DayProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Destination:
    """Where a batch goes: a class book corner (class_name set) or a library named by text."""

    name: str
    class_name: str = ""


def reminder_step(today: date, return_on: date) -> ReminderStep | None:
    """The reminder due for a batch still out: 3 days before the return date, then on it."""
    if today >= return_on:
        return ReminderStep.DUE
    if today >= return_on - timedelta(days=REMINDER_DAYS_BEFORE):
        return ReminderStep.BEFORE
    return None


def parse_future_day(text: str, today: date, *, max_days: int = MAX_DAYS_AHEAD) -> date:
    """Read 30/11 or 30/11/2026 as a day after today; without a year, the next such day."""
    match = _DAY.match(normalize(text).strip())
    if match is None:
        raise DayError(DayProblem.FORMAT)
    day, month = int(match[1]), int(match[2])
    if match[3]:
        year = int(match[3]) + (2000 if len(match[3]) == 2 else 0)
        years = [year]
    else:
        years = [today.year, today.year + 1]
    found = None
    for year in years:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if match[3] or found > today:
            break
    if found is None:
        raise DayError(DayProblem.FORMAT)
    if found <= today:
        raise DayError(DayProblem.PAST)
    if (found - today).days > max_days:
        raise DayError(DayProblem.TOO_FAR)
    return found


def destination_of(text: str) -> Destination | None:
    """Read where a batch goes: "6A" is that class's book corner, other text names a library."""
    name = _SPACES.sub(" ", normalize(text)).strip()
    # A place has a name with letters in it: "0", "-1" or "00:00" is a slip, not a library.
    if not any(letter.isalpha() for letter in name) or len(name) > MAX_DESTINATION:
        return None
    class_name = normalize_class(name)
    grade = re.match(r"\d+", class_name) if class_name else None
    if class_name is not None and grade is not None and int(grade[0]) in GRADES:
        return Destination(name="", class_name=class_name)
    return Destination(name=name)
