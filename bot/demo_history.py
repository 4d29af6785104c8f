"""A believable school year for the demo: visits, loans, returns, overdue books, holds, requests.

Made from a fixed seed, so every start of the demo on the same day gives the same school, and
through the functions the bot itself uses (`db.loans`, `db.visits`, `db.suggestions`) under
the library's rules: a copy is on one open loan at most and only after it was entered in the
register, due dates come from the loan rules (open days only), a return comes after its loan,
and a reader blocked by an overdue book or at the loan limit borrows nothing that day.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot.config import Config
from bot.core.calendar import ONE_DAY, SchoolCalendar
from bot.core.loan_rules import (
    OpenLoanFacts,
    ReaderFacts,
    check_can_borrow,
    hold_until,
    late_days,
    loan_terms,
)
from bot.core.suggestions import Proposal
from db import loans, suggestions, visits
from db.catalog import load_snapshot
from db.connection import Database
from db.readers import ReaderRecord, load_readers_by_code

SEED = 2026
# The demo's today is at least this far into its school year, so last month has figures.
DAYS_INTO_YEAR = 30
# How often a reader of each kind comes to borrow on an open day, and how many are of it.
APPETITES = ((0.10, 0.25), (0.045, 0.45), (0.012, 0.30))
READ_IN_ROOM = 0.02
CLASS_VISIT_EVERY = 12
STUDENT_KINDS = (("Truyện", 0.68), ("STK", 0.32))
TEACHER_KINDS = (("STK", 0.45), ("Nghiệp vụ", 0.3), ("Truyện", 0.25))
# Readers whose last loan is still out, weeks late, at the demo's today (some of them in 6A).
LATE_READERS = 9
LATE_IN_CLASS = ("6A", 2)
HOLDS, PENDING, WAITING = 3, 4, 2
SUGGESTIONS = (
    (Proposal("Hoàng tử bé", "Antoine de Saint-Exupéry"), "Cô giáo giới thiệu, em muốn đọc."),
    (Proposal("Nhà giả kim", "Paulo Coelho"), "Nhiều bạn trong lớp muốn đọc."),
    (Proposal("Tôi là Bêtô", "Nguyễn Nhật Ánh"), ""),
    (Proposal("Doraemon tập 1", "Fujiko F. Fujio"), "Truyện tranh cho giờ ra chơi."),
    (Proposal("Bách khoa tri thức cho trẻ em", ""), "Để tìm hiểu khoa học."),
)


def is_school_day(day: date, calendar: SchoolCalendar) -> bool:
    """Whether day is an open day of a semester, some weeks into its school year."""
    year = calendar.school_year_of(day)
    return (
        calendar.is_open(day)
        and not calendar.is_long_break(day)
        and year.semester_of(day) is not None
        and (day - year.start).days >= DAYS_INTO_YEAR
    )


def demo_day(today: date, calendar: SchoolCalendar) -> date:
    """The demo's today: today when it is a school day, else the latest school day before it."""
    day = today
    while not is_school_day(day, calendar):
        day -= ONE_DAY
    return day


@dataclass
class _Loan:
    """An open loan of the history as it is being made."""

    loan_id: int
    copy_id: int
    title_id: int
    kind: str
    loaned_on: date
    due_on: date
    whole_year: bool
    returns_on: date | None


@dataclass
class _Reader:
    """A reader of the history: who they are, how keen, and what they have out."""

    record: ReaderRecord
    appetite: float
    open: list[_Loan] = field(default_factory=list)

    @property
    def grade(self) -> int | None:
        """The grade of a student's class (6 for 6A), None for staff."""
        first = self.record.class_name[:1]
        return int(first) if first.isdigit() else None

    @property
    def facts(self) -> ReaderFacts:
        """What the loan rules need to know about the reader."""
        record = self.record
        return ReaderFacts(record.category, record.disadvantaged, record.active, record.class_name)


@dataclass(frozen=True)
class _Copy:
    """A copy of the register as lending needs it: its title, kind, grade and entry day."""

    copy_id: int
    title_id: int
    kind: str
    grade: int | None
    acquired_on: date


@dataclass(frozen=True)
class History:
    """What the history holds: loans made, still open, overdue, visits, holds and requests."""

    first: date
    today: date
    loans: int
    open_loans: int
    overdue: int
    visits: int
    holds: int
    requests: int


class _School:
    """The library's state while the year is replayed day by day."""

    def __init__(
        self, conn: aiosqlite.Connection, config: Config, librarian: int, seed: int
    ) -> None:
        self.conn = conn
        self.config = config
        self.calendar = config.calendar
        self.librarian = librarian
        self.rng = random.Random(seed)
        self.copies: dict[str, list[_Copy]] = {}
        self.weights: dict[int, float] = {}
        self.out: set[int] = set()
        self.returns: dict[date, list[tuple[_Reader, _Loan]]] = {}
        self.loans = 0

    async def load(self) -> None:
        """Read the register's copies and give each title its popularity."""
        snapshot = await load_snapshot(self.conn)
        for copy_id, data in snapshot.copies.values():
            title = snapshot.titles[data.title_id]
            acquired = date.fromisoformat(data.acquired_on) if data.acquired_on else date.min
            copy = _Copy(copy_id, data.title_id, title.kind, title.grade, acquired)
            self.copies.setdefault(title.kind, []).append(copy)
        for kind_copies in self.copies.values():
            kind_copies.sort(key=lambda copy: copy.copy_id)
        # A few titles are read by everyone, most by a few: the top-titles chart has a shape.
        for title_id in sorted(snapshot.titles):
            self.weights[title_id] = self.rng.random() ** 3 + 0.01

    def free_copy(self, kind: str, day: date, grade: int | None = None) -> _Copy | None:
        """A copy of a popular title of kind on the shelf on day, of the grade if it has one."""
        shelf = [
            c
            for c in self.copies.get(kind, ())
            if c.acquired_on <= day and (grade is None or c.grade in (None, grade))
        ]
        for _ in range(6):
            if not shelf:
                return None
            pick = self.rng.choices(shelf, [self.weights[c.title_id] for c in shelf])[0]
            if pick.copy_id not in self.out:
                return pick
        return None

    def may_borrow(self, reader: _Reader, kind: str, day: date) -> bool:
        """Whether the loan rules let the reader borrow a book of kind on day."""
        facts = [
            OpenLoanFacts(
                loan.loan_id,
                reader.record.category,
                loan.kind,
                loan.loaned_on,
                loan.due_on,
                whole_year=loan.whole_year,
            )
            for loan in reader.open
        ]
        decision = check_can_borrow(
            self.config.loans, reader.facts, kind, day, facts, self.calendar
        )
        return decision.allowed

    def planned_return(self, due: date, day: date) -> date:
        """When a loan comes back: mostly before its due date, some days or weeks late."""
        draw = self.rng.random()
        period = max(1, self.calendar.library_days_between(day, due))
        if draw < 0.72:
            return self.calendar.add_library_days(day, self.rng.randint(1, period))
        if draw < 0.92:
            return self.calendar.add_library_days(due, self.rng.randint(1, 5))
        return self.calendar.add_library_days(due, self.rng.randint(6, 20))

    async def lend(
        self,
        reader: _Reader,
        copy: _Copy,
        day: date,
        *,
        returns: bool = True,
        back_after: int | None = None,
    ) -> _Loan:
        """Lend the copy on day by the loan rules, and plan when it comes back."""
        terms = loan_terms(self.config.loans, self.calendar, reader.facts, copy.kind, day)
        loan_id = await loans.open_loan(
            self.conn,
            copy.copy_id,
            reader.record.id,
            day,
            terms.due_on,
            whole_year=terms.whole_year,
            lent_by=self.librarian,
        )
        back = None
        if back_after is not None:
            back = self.calendar.add_library_days(day, back_after)
        elif terms.whole_year:
            # Textbooks lent for the year come back in the fortnight before they are due.
            back = self.calendar.add_library_days(
                terms.due_on - timedelta(days=16), self.rng.randint(0, 8)
            )
        elif returns:
            back = self.planned_return(terms.due_on, day)
        loan = _Loan(
            loan_id,
            copy.copy_id,
            copy.title_id,
            copy.kind,
            day,
            terms.due_on,
            terms.whole_year,
            back,
        )
        reader.open.append(loan)
        self.out.add(copy.copy_id)
        if back is not None:
            self.returns.setdefault(back, []).append((reader, loan))
        self.loans += 1
        return loan

    async def take_back(self, day: date) -> None:
        """Record the returns planned for day."""
        for reader, loan in self.returns.pop(day, []):
            await loans.close_loan(
                self.conn, loan.loan_id, day, late_days(self.calendar, loan.due_on, day)
            )
            reader.open.remove(loan)
            self.out.discard(loan.copy_id)

    def kind_for(self, reader: _Reader) -> str:
        """The kind of book the reader comes for: stories and reference books, mostly."""
        choices = STUDENT_KINDS if reader.record.category == "student" else TEACHER_KINDS
        return self.rng.choices([k for k, _ in choices], [w for _, w in choices])[0]

    async def borrow(
        self,
        reader: _Reader,
        day: date,
        *,
        returns: bool = True,
        back_after: int | None = None,
    ) -> bool:
        """Lend the reader a book they came for, if one is free and the rules allow it."""
        kind = self.kind_for(reader)
        copy = self.free_copy(kind, day, reader.grade)
        if copy is None or not self.may_borrow(reader, kind, day):
            return False
        await self.lend(reader, copy, day, returns=returns, back_after=back_after)
        return True

    async def textbooks_for_the_year(self, readers: Sequence[_Reader], day: date) -> None:
        """Students in hardship take their grade's textbooks for the year on its first day."""
        for reader in readers:
            if not reader.record.disadvantaged or reader.grade is None:
                continue
            taken: set[int] = set()
            for copy in self.copies.get("SGK", ()):
                wanted = copy.grade == reader.grade and copy.title_id not in taken
                if wanted and copy.copy_id not in self.out and copy.acquired_on <= day:
                    await self.lend(reader, copy, day)
                    taken.add(copy.title_id)


def _moment(day: date, zone: ZoneInfo, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), zone)


async def make_history(
    db: Database,
    config: Config,
    today: date,
    *,
    librarian: int,
    quiet: Sequence[str] = (),
    seed: int = SEED,
) -> History:
    """Replay the school year up to the day before today: loans and returns, visits, requests.

    quiet: codes of readers with a short, tidy story instead (the demo's own people): two
    books read and brought back on time, and one out now, due in a couple of days.
    """
    zone = config.library.timezone
    first = config.calendar.school_year_of(today).start
    days = [first + timedelta(days=n) for n in range((today - first).days)]
    days = [day for day in days if config.calendar.is_open(day)]
    walk_ins: list[tuple[date, str, int]] = []
    room: list[tuple[int, date]] = []
    async with db.transaction() as conn:
        school = _School(conn, config, librarian, seed)
        await school.load()
        records = sorted((await load_readers_by_code(conn)).values(), key=lambda r: r.id)
        quiet_codes = {code.upper() for code in quiet}
        readers, tidy = [], []
        for record in records:
            if not record.active:
                continue
            if record.code.upper() in quiet_codes:
                tidy.append(_Reader(record, 0.0))
                continue
            appetite = school.rng.choices(
                [rate for rate, _ in APPETITES], [share for _, share in APPETITES]
            )[0]
            readers.append(_Reader(record, appetite))
        students = [reader for reader in readers if reader.record.category == "student"]
        waiting_late = set(map(id, _late_readers(school.rng, students)))
        late_from = len(days) - 22
        story = {10: 3, 30: 4, len(days) - 5: None}
        classes = sorted({reader.record.class_name for reader in students})
        if days:
            await school.textbooks_for_the_year(students, days[0])
        for index, day in enumerate(days):
            await school.take_back(day)
            if index in story:
                for reader in tidy:
                    back = story[index]
                    await school.borrow(reader, day, returns=back is not None, back_after=back)
            for reader in readers:
                came = False
                if index >= late_from and id(reader) in waiting_late:
                    came = await school.borrow(reader, day, returns=False)
                    if came:
                        waiting_late.discard(id(reader))
                elif school.rng.random() < reader.appetite:
                    came = await school.borrow(reader, day)
                if not came and school.rng.random() < READ_IN_ROOM:
                    room.append((reader.record.id, day))
            for number, class_name in enumerate(classes):
                if (index + number) % CLASS_VISIT_EVERY == 0:
                    walk_ins.append((day, class_name, school.rng.randint(12, 38)))
        holds, requests = await _requests(school, students, today, zone)
        open_loans = [loan for reader in (*readers, *tidy) for loan in reader.open]
    for reader_id, day in room:
        await visits.record_visit(db, reader_id, day, _moment(day, zone))
    for day, class_name, count in walk_ins:
        await visits.add_walk_ins(db, class_name, count, day, librarian, _moment(day, zone, 14))
    for index, (proposal, reason) in enumerate(SUGGESTIONS if students else ()):
        suggester = students[(index * 17) % len(students)].record.id
        moment = _moment(days[-(index * 9 + 3)] if len(days) > 60 else today, zone)
        await suggestions.suggest(db, proposal, reason, suggester, moment)
    return History(
        first=first,
        today=today,
        loans=school.loans,
        open_loans=len(open_loans),
        overdue=sum(1 for loan in open_loans if loan.due_on < today),
        visits=len(room) + sum(count for _, _, count in walk_ins),
        holds=holds,
        requests=requests,
    )


def _late_readers(rng: random.Random, students: list[_Reader]) -> list[_Reader]:
    class_name, in_class = LATE_IN_CLASS
    of_class = [reader for reader in students if reader.record.class_name == class_name]
    others = [reader for reader in students if reader.record.class_name != class_name]
    chosen = rng.sample(of_class, min(in_class, len(of_class)))
    return chosen + rng.sample(others, min(LATE_READERS - len(chosen), len(others)))


async def _requests(
    school: _School, students: list[_Reader], today: date, zone: ZoneInfo
) -> tuple[int, int]:
    """Yesterday's asks: some approved and held, some waiting for the librarian or in line."""
    conn, calendar = school.conn, school.calendar
    yesterday = today - ONE_DAY
    asked_at = _moment(yesterday, zone, 15).isoformat(timespec="seconds")
    askers = [reader for reader in students if not reader.open]
    school.rng.shuffle(askers)
    holds = requests = 0
    for reader in askers[: HOLDS + PENDING]:
        copy = school.free_copy("Truyện", yesterday)
        if copy is None:
            continue
        asked = await loans.ask_for_title(conn, reader.record.id, copy.title_id, asked_at)
        if asked.request_id is None or asked.outcome is not loans.RequestOutcome.PENDING:
            continue
        requests += 1
        if holds < HOLDS:
            until = hold_until(calendar, yesterday, school.config.loans.hold_days)
            hold = await loans.hold_copy_for(
                conn, asked.request_id, until, decided_by=school.librarian, now_iso=asked_at
            )
            if hold is not None:
                school.out.add(hold.copy_id)
                holds += 1
    lent_out = [reader.open[0].title_id for reader in students if reader.open]
    for reader in askers[HOLDS + PENDING : HOLDS + PENDING + WAITING]:
        for title_id in lent_out:
            if await loans.free_copies(conn, title_id) == 0:
                asked = await loans.ask_for_title(conn, reader.record.id, title_id, asked_at)
                requests += asked.outcome is loans.RequestOutcome.WAITING
                break
    return holds, requests
