"""The librarian's figures: periods over the school calendar, and counts on a seeded database."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import SchoolCalendar, SchoolYear
from bot.core.figures import (
    Acquisition,
    Bucket,
    DayCount,
    KindCount,
    PeriodData,
    PeriodError,
    PeriodKind,
    ReaderActivity,
    TitleCount,
    buckets,
    grade_of,
    last_full_month,
    month_period,
    neighbours,
    parse_day,
    parse_period,
    period_from_token,
    semester_period,
    series,
    summarize,
    thousands,
    walk_in_class,
    walk_in_visitors,
    year_period,
)
from db import figures, visits
from db.connection import Database
from tests.helpers import add_reader

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = SchoolCalendar()
TODAY = date(2026, 11, 24)


def always_open(day: date) -> bool:
    return True


# --- periods -------------------------------------------------------------------------------


def test_the_default_month_is_the_last_full_one() -> None:
    november = last_full_month(CALENDAR, date(2026, 12, 2))
    assert (november.first, november.last) == (date(2026, 11, 1), date(2026, 11, 30))
    assert november.school_year == "2026-2027"
    december = last_full_month(CALENDAR, date(2027, 1, 15))
    assert (december.year, december.number, december.last) == (2026, 12, date(2026, 12, 31))


def test_february_ends_on_its_last_day() -> None:
    assert month_period(CALENDAR, 2028, 2).last == date(2028, 2, 29)
    assert month_period(CALENDAR, 2027, 2).last == date(2027, 2, 28)


def test_semesters_and_year_follow_the_standard_frame() -> None:
    first = semester_period(CALENDAR, 2026, 1)
    second = semester_period(CALENDAR, 2026, 2)
    year = year_period(CALENDAR, 2026)
    assert (first.first, first.last) == (date(2026, 9, 5), date(2027, 1, 17))
    assert (second.first, second.last) == (date(2027, 1, 18), date(2027, 5, 31))
    assert (year.first, year.last) == (date(2026, 9, 5), date(2027, 5, 31))
    assert first.roman == "I" and second.roman == "II" and year.roman == ""


def test_semesters_follow_a_configured_school_year() -> None:
    configured = SchoolYear(
        start=date(2026, 9, 1),
        semester1_end=date(2027, 1, 9),
        semester2_start=date(2027, 1, 12),
        end=date(2027, 5, 25),
        return_by=date(2027, 5, 20),
    )
    calendar = SchoolCalendar(years=[configured])
    assert semester_period(calendar, 2026, 1).last == date(2027, 1, 9)
    assert semester_period(calendar, 2026, 2).first == date(2027, 1, 12)
    assert year_period(calendar, 2026).last == date(2027, 5, 25)
    # A month of the summer reports into the school year that has just ended.
    assert month_period(calendar, 2027, 7).school_year == "2026-2027"
    assert month_period(calendar, 2026, 9).school_year == "2026-2027"


@pytest.mark.parametrize(
    ("args", "kind", "first", "last"),
    [
        ([], PeriodKind.MONTH, date(2026, 10, 1), date(2026, 10, 31)),
        (["11/2026"], PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        (["9-2026"], PeriodKind.MONTH, date(2026, 9, 1), date(2026, 9, 30)),
        (["11"], PeriodKind.MONTH, date(2026, 11, 1), date(2026, 11, 30)),
        (["12"], PeriodKind.MONTH, date(2025, 12, 1), date(2025, 12, 31)),
        (["HK1"], PeriodKind.SEMESTER, date(2026, 9, 5), date(2027, 1, 17)),
        (["hkii"], PeriodKind.SEMESTER, date(2026, 1, 18), date(2026, 5, 31)),
        (["nam"], PeriodKind.YEAR, date(2026, 9, 5), date(2027, 5, 31)),
    ],
)
def test_report_arguments_name_a_period(
    args: list[str], kind: PeriodKind, first: date, last: date
) -> None:
    period = parse_period(args, CALENDAR, TODAY)
    assert (period.kind, period.first, period.last) == (kind, first, last)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["13/2026"], "format"),
        (["0"], "format"),
        (["12/2026"], "future"),
        (["11/1999"], "format"),
        (["hk3"], "format"),
        (["tháng", "11"], "format"),
        (["📚"], "format"),
        (["x" * 5000], "format"),
    ],
)
def test_what_is_not_a_period_is_refused(args: list[str], code: str) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_period(args, CALENDAR, TODAY)
    assert refused.value.code == code


def test_a_period_runs_up_to_today_while_it_is_under_way() -> None:
    year = parse_period(["nam"], CALENDAR, TODAY)
    assert year.as_of(TODAY) == TODAY
    assert month_period(CALENDAR, 2026, 10).as_of(TODAY) == date(2026, 10, 31)


def test_tokens_name_the_same_period_again() -> None:
    for period in (
        month_period(CALENDAR, 2026, 11),
        semester_period(CALENDAR, 2026, 1),
        semester_period(CALENDAR, 2025, 2),
        year_period(CALENDAR, 2025),
    ):
        assert period_from_token(period.token, CALENDAR, TODAY) == period


@pytest.mark.parametrize(
    "token", ["m2026-13", "m2026-00", "s2026-3", "y1999", "m2026-12", "s2026-2", "x", "m2026-1"]
)
def test_forged_or_future_tokens_name_nothing(token: str) -> None:
    assert period_from_token(token, CALENDAR, TODAY) is None


def test_buttons_lead_to_months_around_and_the_periods_begun() -> None:
    november = month_period(CALENDAR, 2026, 11)
    around = neighbours(CALENDAR, november, date(2026, 12, 2))
    assert around.previous_month.token == "m2026-10"
    assert around.next_month is not None and around.next_month.token == "m2026-12"
    assert around.semester1 is not None and around.semester1.token == "s2026-1"
    assert around.semester2 is None
    assert around.year.token == "y2026"
    current = neighbours(CALENDAR, month_period(CALENDAR, 2026, 11), TODAY)
    assert current.next_month is None


def test_a_month_splits_into_monday_weeks_and_a_year_into_months() -> None:
    weeks = buckets(month_period(CALENDAR, 2026, 11), date(2026, 12, 2))
    assert [(b.first.day, b.last.day) for b in weeks] == [
        (1, 1),
        (2, 8),
        (9, 15),
        (16, 22),
        (23, 29),
        (30, 30),
    ]
    assert weeks[1].label == "02–08/11"
    months = buckets(year_period(CALENDAR, 2025), TODAY)
    assert [b.label for b in months][:2] == ["09/2025", "10/2025"]
    assert len(months) == 9 and months[0].first == date(2025, 9, 5)
    assert months[-1].last == date(2026, 5, 31)
    so_far = buckets(month_period(CALENDAR, 2026, 11), TODAY)
    assert so_far[-1].last == TODAY


def test_daily_counts_add_up_into_their_buckets() -> None:
    periods = [
        Bucket("a", date(2026, 11, 1), date(2026, 11, 1)),
        Bucket("b", date(2026, 11, 2), date(2026, 11, 8)),
    ]
    days = [
        DayCount(date(2026, 10, 31), visits=5),
        DayCount(date(2026, 11, 1), visits=1, walk_ins=10, loans=2),
        DayCount(date(2026, 11, 3), visits=2, loans=1, returns=4),
        DayCount(date(2026, 11, 8), returns=1),
        DayCount(date(2026, 11, 9), loans=7),
    ]
    points = series(periods, days)
    assert [(p.visits, p.loans, p.returns) for p in points] == [(11, 2, 0), (2, 1, 5)]


# --- small rules ---------------------------------------------------------------------------


def test_grades_come_from_class_names() -> None:
    assert [grade_of(name) for name in ("6A", "7A1", "8/2", "10C", "", "Lớp chọn")] == [
        6,
        7,
        8,
        10,
        None,
        None,
    ]


def test_counts_are_written_with_dots() -> None:
    assert thousands(1234567) == "1.234.567" and thousands(12) == "12"


def test_walk_in_classes_are_known_classes_or_look_like_one() -> None:
    known = ["6A", "7A1"]
    assert walk_in_class("6a", known) == "6A"
    assert walk_in_class("Lớp 7a1", known) == "7A1"
    assert walk_in_class("9C", known) == "9C"
    assert walk_in_class("xyz", known) is None
    assert walk_in_class("🙂", known) is None
    assert walk_in_class("6" * 5000, known) is None


def test_walk_in_numbers_run_from_one_to_two_hundred() -> None:
    assert [walk_in_visitors(text) for text in ("1", "12", "200")] == [1, 12, 200]
    for text in ("0", "201", "-3", "1.5", "mười", "١٢", "9" * 5000):
        assert walk_in_visitors(text) is None


def test_a_day_without_a_year_is_the_latest_one_so_far() -> None:
    assert parse_day("25/11", TODAY) == date(2025, 11, 25)
    assert parse_day("24/11", TODAY) == TODAY
    assert parse_day("3/9", TODAY) == date(2026, 9, 3)
    assert parse_day("25/12", TODAY) == date(2025, 12, 25)
    assert parse_day("01-10-2026", TODAY) == date(2026, 10, 1)
    for text, code in (
        ("31/02", "format"),
        ("hôm qua", "format"),
        ("25/11/2027", "future"),
        ("01/01/2025", "too_old"),
    ):
        with pytest.raises(PeriodError) as refused:
            parse_day(text, TODAY)
        assert refused.value.code == code


# --- adding up -----------------------------------------------------------------------------


def reader(
    reader_id: int,
    class_name: str,
    *,
    category: str = "student",
    visits: int = 0,
    loans: int = 0,
    returns: int = 0,
    active: bool = True,
) -> ReaderActivity:
    return ReaderActivity(
        reader_id, f"Bạn đọc {reader_id}", class_name, category, active, visits, loans, returns
    )


def test_counts_add_up_by_class_grade_category_and_kind() -> None:
    data = PeriodData(
        readers=[
            reader(1, "6A", visits=3, loans=2, returns=1),
            reader(2, "6B", visits=1, loans=4),
            reader(3, "7A", visits=0),
            reader(4, "", category="teacher", visits=2, loans=1, returns=1),
            reader(5, "6A", visits=1, loans=1, active=False),
        ],
        walk_ins={"6A": 10, "8C": 5},
        kinds=[KindCount("STK", 3, 1), KindCount("Truyện", 4, 1), KindCount("lạ", 1, 0)],
        top_titles=[TitleCount(1, "Dế Mèn", "Tô Hoài", "Truyện", 4)],
        days=[],
        overdue=2,
        acquisitions=[
            Acquisition("STK-1", "A", "STK", date(2026, 11, 2), "bought", "", 30000),
            Acquisition("STK-2", "A", "STK", date(2026, 11, 2), "donated", "Hội CMHS", None),
        ],
    )
    report = summarize(month_period(CALENDAR, 2026, 11), date(2026, 12, 2), data, always_open)
    totals = report.totals
    assert (totals.readers, totals.visitors, totals.visits, totals.walk_ins) == (4, 4, 7, 15)
    assert (totals.loans, totals.returns, totals.all_visits) == (8, 2, 22)
    classes = {line.key: line.tally for line in report.by_class}
    assert list(classes) == ["6A", "6B", "7A", "8C"]
    assert (classes["6A"].visits, classes["6A"].walk_ins, classes["6A"].loans) == (4, 10, 3)
    assert classes["6A"].readers == 1
    grades = {line.key: line.tally for line in report.by_grade}
    assert list(grades) == ["6", "7", "8"]
    assert grades["6"].loans == 7 and grades["8"].all_visits == 5
    categories = {line.key: line.tally for line in report.by_category}
    assert categories["student"].walk_ins == 15 and categories["teacher"].loans == 1
    assert categories["staff"].readers == 0
    assert [(line.key, line.tally.loans) for line in report.by_kind] == [
        ("STK", 3),
        ("Truyện", 4),
        ("Khác", 1),
    ]
    assert [r.reader_id for r in report.top_readers] == [2, 1, 4, 5]
    assert [line.key for line in report.top_classes] == ["6B", "6A", "8C"]
    assert report.open_days == 30 and report.overdue == 2
    assert (report.acquired.copies, report.acquired.value) == (2, 30000)
    assert [(a.key, a.copies) for a in report.acquired_by_source] == [
        ("bought", 1),
        ("donated", 1),
    ]


def test_open_days_follow_the_calendar() -> None:
    november = month_period(CALENDAR, 2026, 11)
    empty = PeriodData([], {}, [], [], [], 0, [])
    report = summarize(november, date(2026, 12, 2), empty, CALENDAR.is_open)
    # November 2026 has five Sundays and no holiday.
    assert report.open_days == 25
    assert report.totals.all_visits == 0 and report.top_readers == []


# --- counts on a database ------------------------------------------------------------------


NOW = datetime(2026, 12, 2, 9, 0, tzinfo=HANOI)


async def seeded(path: Path) -> tuple[Database, dict[str, int]]:
    """Readers of 6A, 6B and a teacher; loans, returns, scans and walk-ins around November."""
    db = Database(path)
    await db.open()
    ids = {
        "an": await add_reader(db, "HS1", "Nguyễn Văn An", "6A"),
        "binh": await add_reader(db, "HS2", "Trần Thị Bình", "6A"),
        "chi": await add_reader(db, "HS3", "Lê Minh Chi", "6B"),
        "dung": await add_reader(db, "GV1", "Phạm Thị Dung", category="teacher"),
    }
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO title (id, title, author, kind, group_key) VALUES"
            " (1, 'Dế Mèn phiêu lưu ký', 'Tô Hoài', 'Truyện', 'a'),"
            " (2, 'Toán 6', '', 'SGK', 'b'), (3, 'Đắc nhân tâm', 'Dale Carnegie', 'STK', 'c')"
        )
        await conn.execute(
            "INSERT INTO copy (id, accession, title_id, acquired_on, price, source) VALUES"
            " (1, 'TR-1', 1, '2026-10-31', 40000, 'bought'),"
            " (2, 'TR-2', 1, '2026-11-01', 40000, 'bought'),"
            " (3, 'SGK-1', 2, '2026-11-30', 15000, 'donated'),"
            " (4, 'STK-1', 3, '2026-12-01', 90000, 'bought'),"
            " (5, 'TR-3', 1, NULL, NULL, 'bought')"
        )
        loans = [
            # copy, reader, state, loaned_on, due_on, returned_on
            (1, "an", "returned", "2026-10-31", "2026-11-14", "2026-11-03"),
            (2, "an", "returned", "2026-11-03", "2026-11-17", "2026-11-20"),
            (1, "binh", "open", "2026-11-10", "2026-11-24", None),
            (3, "chi", "returned", "2026-11-30", "2026-12-14", "2026-12-01"),
            (4, "dung", "open", "2026-11-05", "2026-11-30", None),
            (5, "chi", "returned", "2026-11-01", "2026-11-15", "2026-12-05"),
            (2, "binh", "open", "2026-12-01", "2026-12-15", None),
        ]
        for copy_id, who, state, loaned, due, returned in loans:
            await conn.execute(
                "INSERT INTO loan (copy_id, reader_id, state, loaned_on, due_on, returned_on)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (copy_id, ids[who], state, loaned, due, returned),
            )
        await conn.execute(
            "INSERT INTO loan (copy_id, reader_id, state, held_until) VALUES (5, ?, 'held', ?)",
            (ids["dung"], "2026-11-12"),
        )
    return db, ids


async def test_sql_counts_on_a_seeded_database(tmp_path: Path) -> None:
    db, ids = await seeded(tmp_path / "figures.db")
    try:
        # A scan on a day of a loan adds nothing; two scans on one day count once.
        assert await visits.record_visit(db, ids["an"], date(2026, 11, 3), NOW) == (
            visits.VisitOutcome.ALREADY
        )
        assert await visits.record_visit(db, ids["an"], date(2026, 11, 5), NOW) == (
            visits.VisitOutcome.COUNTED
        )
        assert await visits.record_visit(db, ids["an"], date(2026, 11, 5), NOW) == (
            visits.VisitOutcome.ALREADY
        )
        await visits.record_visit(db, ids["chi"], date(2026, 10, 30), NOW)
        await visits.record_visit(db, ids["chi"], date(2026, 11, 30), NOW)
        await visits.add_walk_ins(db, "6B", 12, date(2026, 11, 9), 1, NOW)
        await visits.add_walk_ins(db, "7A", 8, date(2026, 11, 9), 1, NOW)
        await visits.add_walk_ins(db, "7A", 3, date(2026, 12, 1), 1, NOW)

        data = await figures.period_data(db, date(2026, 11, 1), date(2026, 11, 30))
    finally:
        await db.close()

    by_id = {r.reader_id: r for r in data.readers}
    # An: returned 03/11 (and borrowed that day), scanned 05/11, returned 20/11.
    assert (by_id[ids["an"]].visits, by_id[ids["an"]].loans, by_id[ids["an"]].returns) == (
        3,
        1,
        2,
    )
    assert (by_id[ids["binh"]].visits, by_id[ids["binh"]].loans) == (1, 1)
    # Chi: borrowed 01/11 and 30/11, scanned 30/11 too: two days.
    assert (by_id[ids["chi"]].visits, by_id[ids["chi"]].loans, by_id[ids["chi"]].returns) == (
        2,
        2,
        0,
    )
    assert (by_id[ids["dung"]].visits, by_id[ids["dung"]].loans) == (1, 1)
    assert data.walk_ins == {"6B": 12, "7A": 8}
    kinds = {k.kind: (k.loans, k.returns) for k in data.kinds}
    assert kinds == {"Truyện": (3, 2), "SGK": (1, 0), "STK": (1, 0)}
    assert [(t.title, t.loans) for t in data.top_titles] == [
        ("Dế Mèn phiêu lưu ký", 3),
        ("Toán 6", 1),
        ("Đắc nhân tâm", 1),
    ]
    # At the end of 30/11: Bình (due 24/11) and Chi's TR-3 (due 15/11, back 05/12) are late;
    # Dung's loan is due that very day, so not yet.
    assert data.overdue == 2
    assert [a.accession for a in data.acquisitions] == ["TR-2", "SGK-1"]
    assert data.acquisitions[1].acquired_on == date(2026, 11, 30)
    days = {d.day: d for d in data.days}
    assert days[date(2026, 11, 3)].visits == 1 and days[date(2026, 11, 3)].loans == 1
    assert days[date(2026, 11, 3)].returns == 1
    assert days[date(2026, 11, 9)].walk_ins == 20
    assert days[date(2026, 11, 30)].visits == 1
    assert min(days) == date(2026, 11, 1) and max(days) == date(2026, 11, 30)
    assert sum(d.visits for d in data.days) == sum(r.visits for r in data.readers)

    report = summarize(month_period(CALENDAR, 2026, 11), NOW.date(), data, CALENDAR.is_open)
    assert report.totals.all_visits == 7 + 20
    assert [line.key for line in report.by_class] == ["6A", "6B", "7A"]


async def test_a_walk_in_count_is_undone_once(tmp_path: Path) -> None:
    async with Database(tmp_path / "walk.db") as db:
        counted = await visits.add_walk_ins(db, "6A", 12, date(2026, 11, 24), 5000, NOW)
        assert await visits.walk_ins_on(db, date(2026, 11, 24)) == 12
        undone = await visits.undo_walk_ins(db, counted.id)
        assert undone is not None and (undone.class_name, undone.visitors) == ("6A", 12)
        assert await visits.undo_walk_ins(db, counted.id) is None
        assert await visits.walk_ins_on(db, date(2026, 11, 24)) == 0
