"""The librarian's figures: report periods over the school calendar and how counts add up."""

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from bot.core.calendar import SchoolCalendar, SchoolYear
from bot.core.class_list import normalize_class
from bot.core.loan_rules import KINDS, canonical_kind

ONE_DAY = timedelta(days=1)
TOP_TITLES = 10
TOP_READERS = 10
TOP_CLASSES = 10
FIRST_YEAR, LAST_YEAR = 2000, 2100
CATEGORIES = ("student", "teacher", "staff")
_ROMAN = {1: "I", 2: "II"}

_MONTH_ARG = re.compile(r"^(\d{1,2})(?:[/.-](\d{4}))?$")
_SEMESTER_ARG = re.compile(r"^hk(1|2|i|ii)$")
_YEAR_ARGS = frozenset({"nam", "canam", "namhoc"})
_TOKEN = re.compile(r"^(?:m(\d{4})-(\d{2})|s(\d{4})-([12])|y(\d{4}))$")
_GRADE = re.compile(r"^\s*(\d{1,2})")
_DAY_ARG = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$")
_VISITORS_ARG = re.compile(r"^[0-9]{1,3}$")
MAX_WALK_INS = 200
WALK_INS_DAYS_BACK = 366


class PeriodKind(StrEnum):
    """What a report covers: a calendar month, a semester or the whole school year."""

    MONTH = "m"
    SEMESTER = "s"
    YEAR = "y"


class PeriodError(ValueError):
    """A period a person asked for that cannot be reported; code says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Period:
    """The days a report covers, from first to last inclusive.

    number is the month (1–12) of a month, 1 or 2 for a semester, 0 for a year; year is
    the calendar year of a month and the start year of a semester's or year's school year.
    """

    kind: PeriodKind
    first: date
    last: date
    year: int
    number: int
    school_year: str

    @property
    def token(self) -> str:
        """A short id for callback data: m2026-11, s2026-1, y2026."""
        if self.kind is PeriodKind.MONTH:
            return f"m{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.SEMESTER:
            return f"s{self.year}-{self.number}"
        return f"y{self.year}"

    @property
    def roman(self) -> str:
        """The semester as the school writes it (I, II); empty for other periods."""
        return _ROMAN.get(self.number, "") if self.kind is PeriodKind.SEMESTER else ""

    def as_of(self, today: date) -> date:
        """The last day the figures can hold: the period's end, or today while it runs."""
        return min(self.last, today)

    def days(self, today: date) -> Iterable[date]:
        """Every day of the period up to as_of(today)."""
        day, last = self.first, self.as_of(today)
        while day <= last:
            yield day
            day += ONE_DAY


def school_year_starting(calendar: SchoolCalendar, start_year: int) -> SchoolYear:
    """The school year that starts in start_year, as the calendar configures it."""
    # 1 January always lies inside the year that started the previous September.
    return calendar.school_year_of(date(start_year + 1, 1, 1))


def reference_year(calendar: SchoolCalendar, day: date) -> SchoolYear:
    """The school year a day reports into: summer days belong to the year just ended."""
    year = calendar.school_year_of(day)
    if day < year.start:
        return school_year_starting(calendar, year.start.year - 1)
    return year


def month_period(calendar: SchoolCalendar, year: int, month: int) -> Period:
    """The calendar month month/year."""
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12:
        raise PeriodError("format")
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(
        PeriodKind.MONTH,
        first,
        following - ONE_DAY,
        year,
        month,
        reference_year(calendar, first).name,
    )


def semester_period(calendar: SchoolCalendar, start_year: int, semester: int) -> Period:
    """Semester 1 or 2 of the school year that starts in start_year."""
    if not FIRST_YEAR <= start_year <= LAST_YEAR or semester not in (1, 2):
        raise PeriodError("format")
    school_year = school_year_starting(calendar, start_year)
    if semester == 1:
        first, last = school_year.start, school_year.semester1_end
    else:
        first, last = school_year.semester2_start, school_year.end
    return Period(PeriodKind.SEMESTER, first, last, start_year, semester, school_year.name)


def year_period(calendar: SchoolCalendar, start_year: int) -> Period:
    """The whole school year that starts in start_year."""
    if not FIRST_YEAR <= start_year <= LAST_YEAR:
        raise PeriodError("format")
    school_year = school_year_starting(calendar, start_year)
    return Period(
        PeriodKind.YEAR, school_year.start, school_year.end, start_year, 0, school_year.name
    )


def last_full_month(calendar: SchoolCalendar, today: date) -> Period:
    """The month before today's month: the one a monthly report is made for."""
    previous = today.replace(day=1) - ONE_DAY
    return month_period(calendar, previous.year, previous.month)


def shift_month(calendar: SchoolCalendar, period: Period, months: int) -> Period:
    """The month months after (or before, when negative) a month period."""
    index = period.year * 12 + period.number - 1 + months
    return month_period(calendar, index // 12, index % 12 + 1)


def latest_started(calendar: SchoolCalendar, today: date, make: Callable[[int], Period]) -> Period:
    """Of the periods make(start year) gives, the latest one that has already begun."""
    start_year = reference_year(calendar, today).start.year
    period = make(start_year)
    return period if period.first <= today else make(start_year - 1)


def parse_period(args: Sequence[str], calendar: SchoolCalendar, today: date) -> Period:
    """Read /baocao's argument: none, 11/2026, 11, hk1, hk2 or nam; PeriodError if not one."""
    if not args:
        return last_full_month(calendar, today)
    if len(args) > 1:
        raise PeriodError("format")
    text = args[0].strip().casefold()
    if match := _MONTH_ARG.match(text):
        month = int(match[1])
        if not 1 <= month <= 12:
            raise PeriodError("format")
        if match[2] is not None:
            period = month_period(calendar, int(match[2]), month)
        else:
            year = today.year if month <= today.month else today.year - 1
            period = month_period(calendar, year, month)
    elif match := _SEMESTER_ARG.match(text):
        semester = 1 if match[1] in ("1", "i") else 2
        return latest_started(
            calendar, today, lambda start: semester_period(calendar, start, semester)
        )
    elif text in _YEAR_ARGS:
        return latest_started(calendar, today, lambda start: year_period(calendar, start))
    else:
        raise PeriodError("format")
    if period.first > today:
        raise PeriodError("future")
    return period


def period_from_token(token: str, calendar: SchoolCalendar, today: date) -> Period | None:
    """The period a button's token names, or None when it is malformed or still to come."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    try:
        if match[1]:
            period = month_period(calendar, int(match[1]), int(match[2]))
        elif match[3]:
            period = semester_period(calendar, int(match[3]), int(match[4]))
        else:
            period = year_period(calendar, int(match[5]))
    except PeriodError:
        return None
    return period if period.first <= today else None


@dataclass(frozen=True)
class Neighbours:
    """The periods a report offers as buttons (None: not begun yet)."""

    previous_month: Period
    next_month: Period | None
    semester1: Period | None
    semester2: Period | None
    year: Period


def neighbours(calendar: SchoolCalendar, period: Period, today: date) -> Neighbours:
    """Where a report's buttons lead: months around it, the semesters and year it lies in."""
    if period.kind is PeriodKind.MONTH:
        previous_month = shift_month(calendar, period, -1)
        following = shift_month(calendar, period, 1)
        start_year = reference_year(calendar, period.first).start.year
    else:
        start_year = period.year
        # From a semester or a year, the month buttons lead to its last month so far.
        anchor = period.as_of(today)
        previous_month = month_period(calendar, anchor.year, anchor.month)
        following = None
    semester1 = semester_period(calendar, start_year, 1)
    semester2 = semester_period(calendar, start_year, 2)
    return Neighbours(
        previous_month=previous_month,
        next_month=following if following is not None and following.first <= today else None,
        semester1=semester1 if semester1.first <= today else None,
        semester2=semester2 if semester2.first <= today else None,
        year=year_period(calendar, start_year),
    )


@dataclass(frozen=True)
class Bucket:
    """A stretch of a period the chart and the time table show as one bar: a week or a month."""

    label: str
    first: date
    last: date


def buckets(period: Period, today: date) -> list[Bucket]:
    """Split a period up to today: a month into Monday-to-Sunday weeks, longer ones by month."""
    last = period.as_of(today)
    found: list[Bucket] = []
    day = period.first
    while day <= last:
        if period.kind is PeriodKind.MONTH:
            end = min(day + timedelta(days=6 - day.weekday()), last)
            label = f"{day:%d}–{end:%d/%m}"
        else:
            following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
            end = min(following - ONE_DAY, last)
            label = f"{day:%m/%Y}"
        found.append(Bucket(label, day, end))
        day = end + ONE_DAY
    return found


def grade_of(class_name: str) -> int | None:
    """The grade a class belongs to: 6 for 6A, 6A1 or 6/1; None without one."""
    match = _GRADE.match(class_name)
    return int(match[1]) if match else None


def thousands(number: int) -> str:
    """Write a count the Vietnamese way: 1.234.567."""
    return f"{number:,}".replace(",", ".")


def walk_in_class(text: str, known: Iterable[str]) -> str | None:
    """The class a walk-in count is for: a class readers are in, or one that looks like a class."""
    by_key = {name.casefold(): name for name in known}
    typed = text.strip().casefold()
    if typed in by_key:
        return by_key[typed]
    normalized = normalize_class(text)
    if normalized is None:
        return None
    return by_key.get(normalized.casefold(), normalized)


def walk_in_visitors(text: str) -> int | None:
    """How many walk-ins a count holds (1 to MAX_WALK_INS), None when text is not one."""
    if not _VISITORS_ARG.match(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_WALK_INS else None


def parse_day(text: str, today: date) -> date:
    """Read 25/11 or 25/11/2026; without a year, the latest such day not after today.

    Raises PeriodError: "format" for what is not a date, "future" for a day after today,
    "too_old" for one more than WALK_INS_DAYS_BACK days ago.
    """
    match = _DAY_ARG.match(text.strip())
    if match is None:
        raise PeriodError("format")
    day, month = int(match[1]), int(match[2])
    years = [int(match[3])] if match[3] else [today.year, today.year - 1]
    found = None
    for year in years:
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if match[3] or found <= today:
            break
    if found is None:
        raise PeriodError("format")
    if found > today:
        raise PeriodError("future")
    if (today - found).days > WALK_INS_DAYS_BACK:
        raise PeriodError("too_old")
    return found


@dataclass(frozen=True)
class ReaderActivity:
    """One reader's counts in a period: days in the library, loans and returns."""

    reader_id: int
    full_name: str
    class_name: str
    category: str
    active: bool
    visits: int
    loans: int
    returns: int


@dataclass(frozen=True)
class KindCount:
    """Loans and returns of one kind of book (as stored on the title)."""

    kind: str
    loans: int
    returns: int


@dataclass(frozen=True)
class TitleCount:
    """How often a title was lent in the period."""

    title_id: int
    title: str
    author: str
    kind: str
    loans: int


@dataclass(frozen=True)
class DayCount:
    """One day's visits (readers with an account, and counted walk-ins), loans and returns."""

    day: date
    visits: int = 0
    walk_ins: int = 0
    loans: int = 0
    returns: int = 0


@dataclass(frozen=True)
class Acquisition:
    """A copy that entered the collection in the period."""

    accession: str
    title: str
    kind: str
    acquired_on: date
    source: str
    donor: str
    price: int | None


@dataclass(frozen=True)
class PeriodData:
    """What the database holds about a period, before it is added up."""

    readers: Sequence[ReaderActivity]
    walk_ins: dict[str, int]
    kinds: Sequence[KindCount]
    top_titles: Sequence[TitleCount]
    days: Sequence[DayCount]
    overdue: int
    acquisitions: Sequence[Acquisition]


@dataclass(frozen=True)
class Tally:
    """Counts for one line of a table: a class, a grade, a category, a kind, or all."""

    readers: int = 0
    visitors: int = 0
    visits: int = 0
    walk_ins: int = 0
    loans: int = 0
    returns: int = 0

    @property
    def all_visits(self) -> int:
        """Visits of readers with an account plus the walk-ins the librarian counted."""
        return self.visits + self.walk_ins

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(
            self.readers + other.readers,
            self.visitors + other.visitors,
            self.visits + other.visits,
            self.walk_ins + other.walk_ins,
            self.loans + other.loans,
            self.returns + other.returns,
        )


@dataclass(frozen=True)
class Line:
    """A labelled row of a table."""

    key: str
    tally: Tally


@dataclass(frozen=True)
class AcquisitionLine:
    """New copies of one kind or from one source, and what they cost."""

    key: str
    copies: int
    value: int


@dataclass(frozen=True)
class SeriesPoint:
    """A bucket's counts, for the chart and the time table."""

    bucket: Bucket
    visits: int
    loans: int
    returns: int


@dataclass(frozen=True)
class Report:
    """Everything a monthly, semester or year report shows, added up."""

    period: Period
    as_of: date
    open_days: int
    totals: Tally
    by_grade: list[Line]
    by_class: list[Line]
    by_category: list[Line]
    by_kind: list[Line]
    top_titles: list[TitleCount]
    top_readers: list[ReaderActivity]
    top_classes: list[Line]
    series: list[SeriesPoint]
    overdue: int
    acquisitions: list[Acquisition]
    acquired_by_kind: list[AcquisitionLine]
    acquired_by_source: list[AcquisitionLine]

    @property
    def acquired(self) -> AcquisitionLine:
        """All new copies of the period together."""
        return AcquisitionLine(
            "",
            sum(line.copies for line in self.acquired_by_kind),
            sum(line.value for line in self.acquired_by_kind),
        )


def _tally(reader: ReaderActivity) -> Tally:
    return Tally(
        readers=int(reader.active),
        visitors=int(reader.visits > 0),
        visits=reader.visits,
        loans=reader.loans,
        returns=reader.returns,
    )


def _class_key(class_name: str) -> tuple[int, str]:
    grade = grade_of(class_name)
    return (grade if grade is not None else 99, class_name)


def summarize(
    period: Period, today: date, data: PeriodData, is_open: Callable[[date], bool]
) -> Report:
    """Add the period's counts up by class, grade, category and kind, and rank the busiest."""
    by_class: dict[str, Tally] = defaultdict(Tally)
    by_category: dict[str, Tally] = {category: Tally() for category in CATEGORIES}
    totals = Tally()
    for reader in data.readers:
        tally = _tally(reader)
        totals += tally
        by_category[reader.category] = by_category.get(reader.category, Tally()) + tally
        if reader.class_name:
            by_class[reader.class_name] += tally
    walk_ins = sum(data.walk_ins.values())
    totals += Tally(walk_ins=walk_ins)
    by_category["student"] += Tally(walk_ins=walk_ins)
    for class_name, visitors in data.walk_ins.items():
        by_class[class_name] += Tally(walk_ins=visitors)
    class_lines = [Line(name, by_class[name]) for name in sorted(by_class, key=_class_key)]
    by_grade: dict[str, Tally] = defaultdict(Tally)
    for line in class_lines:
        grade = grade_of(line.key)
        by_grade[str(grade) if grade is not None else ""] += line.tally
    kinds: dict[str, Tally] = {}
    for kind_count in data.kinds:
        kind = canonical_kind(kind_count.kind)
        kinds[kind] = kinds.get(kind, Tally()) + Tally(
            loans=kind_count.loans, returns=kind_count.returns
        )
    active_readers = [r for r in data.readers if r.loans or r.visits]
    top_readers = sorted(
        active_readers, key=lambda r: (-r.loans, -r.visits, r.full_name, r.reader_id)
    )[:TOP_READERS]
    busy_classes = [line for line in class_lines if line.tally.loans or line.tally.all_visits]
    top_classes = sorted(
        busy_classes,
        key=lambda line: (-line.tally.loans, -line.tally.all_visits, _class_key(line.key)),
    )
    return Report(
        period=period,
        as_of=period.as_of(today),
        open_days=sum(1 for day in period.days(today) if is_open(day)),
        totals=totals,
        by_grade=[
            Line(key, by_grade[key])
            for key in sorted(by_grade, key=lambda k: (k == "", int(k or 0)))
        ],
        by_class=class_lines,
        by_category=[Line(key, tally) for key, tally in by_category.items()],
        by_kind=[Line(kind, kinds[kind]) for kind in KINDS if kind in kinds],
        top_titles=list(data.top_titles[:TOP_TITLES]),
        top_readers=top_readers,
        top_classes=top_classes[:TOP_CLASSES],
        series=series(buckets(period, today), data.days),
        overdue=data.overdue,
        acquisitions=list(data.acquisitions),
        acquired_by_kind=_acquired_by(data.acquisitions, lambda a: canonical_kind(a.kind), KINDS),
        acquired_by_source=_acquired_by(
            data.acquisitions, lambda a: a.source, ("bought", "donated", "rotated_in")
        ),
    )


def series(periods: Sequence[Bucket], days: Iterable[DayCount]) -> list[SeriesPoint]:
    """Add daily counts up into the buckets that hold their days."""
    firsts = [bucket.first for bucket in periods]
    sums = [[0, 0, 0] for _ in periods]
    for count in days:
        index = bisect_right(firsts, count.day) - 1
        if index < 0 or count.day > periods[index].last:
            continue
        sums[index][0] += count.visits + count.walk_ins
        sums[index][1] += count.loans
        sums[index][2] += count.returns
    return [
        SeriesPoint(bucket, visits, loans, returns)
        for bucket, (visits, loans, returns) in zip(periods, sums, strict=True)
    ]


def _acquired_by(
    acquisitions: Iterable[Acquisition], key: Callable[[Acquisition], str], order: Sequence[str]
) -> list[AcquisitionLine]:
    copies: dict[str, int] = defaultdict(int)
    value: dict[str, int] = defaultdict(int)
    for acquisition in acquisitions:
        name = key(acquisition)
        copies[name] += 1
        value[name] += acquisition.price or 0
    ordered = [name for name in order if name in copies]
    ordered += sorted(name for name in copies if name not in order)
    return [AcquisitionLine(name, copies[name], value[name]) for name in ordered]
