"""The school calendar: which days the library is open, and counting in library days."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")

SUMMER_REASON = "Nghỉ hè"
TET_REASON = "Nghỉ Tết Nguyên đán"
DEFAULT_CLOSED_REASON = "Thư viện nghỉ"

# A closed stretch this long or longer is a break during which reminders stay quiet.
LONG_BREAK_DAYS = 3

# The MOET frame when a year is not configured: khai giảng 05/09, semester I finished
# before 18/01, the year finished by 31/05; textbooks back by 25/05 for the inventory.
YEAR_START = (9, 5)
SEMESTER1_END = (1, 17)
SEMESTER2_START = (1, 18)
YEAR_END = (5, 31)
RETURN_BY = (5, 25)


@dataclass(frozen=True)
class DayRange:
    """Consecutive days from first to last inclusive, with why they are special."""

    first: date
    last: date
    reason: str = DEFAULT_CLOSED_REASON

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"ngày kết thúc {self.last:%d/%m/%Y} trước ngày bắt đầu {self.first:%d/%m/%Y}"
            )

    @property
    def length(self) -> int:
        """Number of days in the range."""
        return (self.last - self.first).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    def days(self) -> Iterable[date]:
        """Every day of the range, in order."""
        return (self.first + timedelta(days=i) for i in range(self.length))


@dataclass(frozen=True)
class YearlyHoliday:
    """A holiday on the same solar day every year (e.g. 30/04)."""

    month: int
    day: int
    reason: str

    def __post_init__(self) -> None:
        # 2000 is a leap year, so 29/02 is accepted and simply absent in other years.
        date(2000, self.month, self.day)


@dataclass(frozen=True)
class SchoolYear:
    """One school year: its two semesters and the day textbooks must be back."""

    start: date
    semester1_end: date
    semester2_start: date
    end: date
    return_by: date

    def __post_init__(self) -> None:
        if self.end.year != self.start.year + 1:
            raise ValueError(
                f"năm học phải bắt đầu trong năm {self.start.year} và kết thúc trong năm "
                f"{self.start.year + 1}, nhưng kết thúc ngày {self.end:%d/%m/%Y}"
            )
        if not self.start <= self.semester1_end < self.semester2_start <= self.end:
            raise ValueError(
                "cần ngày bắt đầu ≤ hết học kỳ I < bắt đầu học kỳ II ≤ ngày kết thúc năm học"
            )
        if not self.start <= self.return_by <= self.end:
            raise ValueError("hạn trả sách cuối năm phải nằm trong năm học")

    @property
    def name(self) -> str:
        """The usual name, e.g. "2026-2027"."""
        return f"{self.start.year}-{self.end.year}"

    def semester_of(self, day: date) -> int | None:
        """Return 1 or 2 for a day of a semester, None outside both."""
        if self.start <= day <= self.semester1_end:
            return 1
        if self.semester2_start <= day <= self.end:
            return 2
        return None


@lru_cache(maxsize=64)
def standard_year(start_year: int) -> SchoolYear:
    """The school year starting in start_year under the usual MOET frame."""
    following = start_year + 1
    return SchoolYear(
        start=date(start_year, *YEAR_START),
        semester1_end=date(following, *SEMESTER1_END),
        semester2_start=date(following, *SEMESTER2_START),
        end=date(following, *YEAR_END),
        return_by=date(following, *RETURN_BY),
    )


DEFAULT_CLOSED_WEEKDAYS = frozenset({SUNDAY})

DEFAULT_YEARLY_HOLIDAYS = (
    YearlyHoliday(1, 1, "Tết Dương lịch"),
    YearlyHoliday(4, 30, "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    YearlyHoliday(5, 1, "Ngày Quốc tế Lao động"),
    YearlyHoliday(9, 2, "Quốc khánh"),
)

# School year 2026–2027: Tết Đinh Mùi is 06/02/2027; Giỗ Tổ (10/3 âm lịch) is 16/04/2027.
DEFAULT_CLOSED = (
    DayRange(date(2026, 9, 1), date(2026, 9, 1), "Nghỉ lễ Quốc khánh"),
    DayRange(date(2027, 2, 1), date(2027, 2, 12), TET_REASON),
    DayRange(date(2027, 4, 16), date(2027, 4, 16), "Giỗ Tổ Hùng Vương"),
)


def _check_order(earlier: SchoolYear, later: SchoolYear) -> None:
    if earlier.end >= later.start:
        raise ValueError(
            f"năm học {earlier.name} kết thúc ngày {earlier.end:%d/%m/%Y}, không trước ngày "
            f"bắt đầu năm học {later.name} ({later.start:%d/%m/%Y})"
        )


class SchoolCalendar:
    """When the library is open: school years, weekly closed days, holidays, breaks, summer.

    A closed day wins over everything but an explicit extra opening day; inside the summer
    the library is closed except in the configured summer opening ranges, where the weekly
    closed days and holidays still apply. Instances are immutable.
    """

    def __init__(
        self,
        *,
        closed_weekdays: Iterable[int] = DEFAULT_CLOSED_WEEKDAYS,
        yearly_holidays: Iterable[YearlyHoliday] = DEFAULT_YEARLY_HOLIDAYS,
        closed: Iterable[DayRange] = DEFAULT_CLOSED,
        open_days: Iterable[date] = (),
        summer_open: Iterable[DayRange] = (),
        years: Iterable[SchoolYear] = (),
    ) -> None:
        weekdays = frozenset(closed_weekdays)
        if not weekdays <= set(range(7)):
            raise ValueError("ngày trong tuần phải từ 0 (Thứ Hai) đến 6 (Chủ nhật)")
        if len(weekdays) == 7:
            raise ValueError("thư viện không thể nghỉ cả bảy ngày trong tuần")
        self._closed_weekdays = weekdays
        self._holidays = {(h.month, h.day): h.reason for h in yearly_holidays}
        self._closed: dict[date, str] = {}
        self._long_break_days: set[date] = set()
        for period in closed:
            for day in period.days():
                self._closed.setdefault(day, period.reason)
                if period.length >= LONG_BREAK_DAYS:
                    self._long_break_days.add(day)
        self._open_days = frozenset(open_days)
        self._summer_open = tuple(summer_open)
        self._years: dict[int, SchoolYear] = {}
        for year in years:
            if year.start.year in self._years:
                raise ValueError(f"năm học {year.name} được khai báo hai lần")
            self._years[year.start.year] = year
        for year in self._years.values():
            _check_order(self._year_starting(year.start.year - 1), year)
            _check_order(year, self._year_starting(year.end.year))

    @property
    def closed_weekdays(self) -> frozenset[int]:
        """The weekdays (0 = Monday) the library is closed every week."""
        return self._closed_weekdays

    def _year_starting(self, start_year: int) -> SchoolYear:
        return self._years.get(start_year) or standard_year(start_year)

    def school_year_of(self, day: date) -> SchoolYear:
        """Return the school year a day belongs to; a summer day belongs to the coming year."""
        previous = self._year_starting(day.year - 1)
        return previous if day <= previous.end else self._year_starting(day.year)

    def in_summer(self, day: date) -> bool:
        """Whether day lies between the end of one school year and the start of the next."""
        return day < self.school_year_of(day).start

    def _summer_closes(self, day: date) -> bool:
        return self.in_summer(day) and not any(day in period for period in self._summer_open)

    def closed_reason(self, day: date) -> str | None:
        """Return why the library is closed on day (Vietnamese), or None when it is open."""
        if day in self._open_days:
            return None
        reason = self._closed.get(day) or self._holidays.get((day.month, day.day))
        if reason:
            return reason
        if self._summer_closes(day):
            return SUMMER_REASON
        if day.weekday() in self._closed_weekdays:
            return WEEKDAY_NAMES[day.weekday()]
        return None

    def is_open(self, day: date) -> bool:
        """Whether the library lends and takes back books on day."""
        return self.closed_reason(day) is None

    def is_long_break(self, day: date) -> bool:
        """Whether day is inside a configured break of several days or the summer holidays."""
        if day in self._open_days:
            return False
        return day in self._long_break_days or self._summer_closes(day)

    def next_open_day(self, day: date) -> date:
        """Return day itself when open, else the first open day after it."""
        while not self.is_open(day):
            day += ONE_DAY
        return day

    def add_library_days(self, start: date, n: int) -> date:
        """Return the n-th open day after start (n = 0: the next open day from start on)."""
        if n < 0:
            raise ValueError("số ngày phải không âm")
        if n == 0:
            return self.next_open_day(start)
        day = start
        while n:
            day += ONE_DAY
            if self.is_open(day):
                n -= 1
        return day

    def library_days_between(self, a: date, b: date) -> int:
        """Count the open days after a up to and including b (0 when b is not after a)."""
        count = 0
        day = a + ONE_DAY
        while day <= b:
            if self.is_open(day):
                count += 1
            day += ONE_DAY
        return count

    def _last_open_on_or_before(self, limit: date, floor: date) -> date:
        day = limit
        while day >= floor:
            if self.is_open(day):
                return day
            day -= ONE_DAY
        # Only a year configured with no open day at all gets here.
        return self.next_open_day(limit)

    def year_end_deadline(self, year: SchoolYear) -> date:
        """The day textbooks lent for the year must be back: the last open day by return_by."""
        return self._last_open_on_or_before(year.return_by, year.start)

    def last_open_day(self, year: SchoolYear) -> date:
        """The last day of the school year on which the library is open."""
        return self._last_open_on_or_before(year.end, year.start)
