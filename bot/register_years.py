"""Which Circular 16 registers there are, their file names and school years.

What the /soluu menu needs, apart from the exporter in bot.registers, which loads openpyxl.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot import texts
from bot.core.calendar import SchoolCalendar, SchoolYear

REGISTER_NAMES = tuple(texts.REGISTER_TITLES)
FILE_STEMS = {
    "tong-quat": "so-dang-ky-tong-quat",
    "ca-biet": "so-dang-ky-ca-biet",
    "sgk": "so-dang-ky-sach-giao-khoa",
    "sgv": "so-dang-ky-sach-giao-vien",
    "gv-muon": "so-theo-doi-giao-vien-muon-sach",
    "hs-muon": "so-theo-doi-hoc-sinh-muon-sach",
    "thong-ke": "so-thong-ke-ban-doc",
}
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
ONE_DAY = timedelta(days=1)
_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{4})\s*$")


@dataclass(frozen=True)
class Period:
    """A school year and the days that count towards it.

    They run from the day after the previous year ends (the summer before it, when
    textbooks go out) to its last day.
    """

    year: SchoolYear
    first: date
    last: date

    @property
    def name(self) -> str:
        return self.year.name


def parse_school_year(text: str) -> int:
    """Return the first calendar year of a school year written like 2025-2026.

    Raises ValueError (with the Vietnamese message) for anything else.
    """
    match = _SCHOOL_YEAR.match(text)
    if match is None:
        raise ValueError(texts.REGISTER_BAD_SCHOOL_YEAR.format(text=text.strip()[:40]))
    start, end = int(match[1]), int(match[2])
    if end != start + 1 or not EARLIEST_YEAR <= start <= LATEST_YEAR:
        raise ValueError(texts.REGISTER_BAD_SCHOOL_YEAR.format(text=text.strip()[:40]))
    return start


def current_start_year(calendar: SchoolCalendar, today: date) -> int:
    """The first calendar year of the school year today belongs to (summer: the coming one)."""
    return calendar.school_year_of(today).start.year


def school_year_period(calendar: SchoolCalendar, start_year: int) -> Period:
    """The school year starting in start_year and the days that count towards it."""
    year = calendar.school_year_of(date(start_year + 1, 1, 1))
    previous = calendar.school_year_of(date(start_year, 1, 1))
    return Period(year, previous.end + ONE_DAY, year.end)


def months_of(period: Period) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, in order."""
    months = []
    year, month = period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def file_name(name: str, start_year: int) -> str:
    """The file a register is saved as, e.g. so-dang-ky-ca-biet-2025-2026.xlsx."""
    return f"{FILE_STEMS[name]}-{start_year}-{start_year + 1}.xlsx"


def format_money(amount: int) -> str:
    """Show whole đồng with dots between thousands, as Vietnamese write it: 45.000."""
    return f"{amount:,}".replace(",", ".")


def capitalized(text: str) -> str:
    """Return text with its first letter in upper case and the rest untouched."""
    return text[:1].upper() + text[1:]
