"""The school calendar: open and closed days, counting library days, school years, breaks."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.calendar import (
    SATURDAY,
    SUNDAY,
    DayRange,
    SchoolCalendar,
    SchoolYear,
    YearlyHoliday,
)

CALENDAR = SchoolCalendar()
SATURDAYS_CLOSED = SchoolCalendar(closed_weekdays={SATURDAY, SUNDAY})


def year_2026(**changes: date) -> SchoolYear:
    fields = {
        "start": date(2026, 9, 5),
        "semester1_end": date(2027, 1, 17),
        "semester2_start": date(2027, 1, 18),
        "end": date(2027, 5, 31),
        "return_by": date(2027, 5, 25),
    }
    fields.update(changes)
    return SchoolYear(**fields)


# Open and closed days


def test_sunday_is_closed_and_named() -> None:
    assert not CALENDAR.is_open(date(2026, 10, 4))
    assert CALENDAR.closed_reason(date(2026, 10, 4)) == "Chủ nhật"


def test_saturday_is_open_by_default() -> None:
    assert CALENDAR.is_open(date(2026, 10, 3))
    assert CALENDAR.closed_reason(date(2026, 10, 3)) is None


def test_saturday_is_closed_when_configured() -> None:
    assert SATURDAYS_CLOSED.closed_reason(date(2026, 10, 3)) == "Thứ Bảy"


def test_tet_days_are_closed_with_their_reason() -> None:
    for day in (date(2027, 2, 1), date(2027, 2, 6), date(2027, 2, 12)):
        assert CALENDAR.closed_reason(day) == "Nghỉ Tết Nguyên đán"
    assert CALENDAR.is_open(date(2027, 1, 30))
    assert CALENDAR.is_open(date(2027, 2, 13))


def test_a_holiday_reason_wins_over_sunday() -> None:
    assert CALENDAR.closed_reason(date(2027, 2, 7)) == "Nghỉ Tết Nguyên đán"


def test_hung_kings_day_is_closed() -> None:
    assert CALENDAR.closed_reason(date(2027, 4, 16)) == "Giỗ Tổ Hùng Vương"


def test_yearly_holidays_are_closed_every_year() -> None:
    assert CALENDAR.closed_reason(date(2027, 4, 30)) == (
        "Ngày Giải phóng miền Nam, thống nhất đất nước"
    )
    assert CALENDAR.closed_reason(date(2027, 5, 1)) == "Ngày Quốc tế Lao động"
    assert CALENDAR.closed_reason(date(2028, 1, 1)) == "Tết Dương lịch"
    assert CALENDAR.closed_reason(date(2031, 4, 30)) == (
        "Ngày Giải phóng miền Nam, thống nhất đất nước"
    )


def test_summer_is_closed() -> None:
    assert CALENDAR.closed_reason(date(2027, 6, 1)) == "Nghỉ hè"
    assert CALENDAR.closed_reason(date(2027, 8, 31)) == "Nghỉ hè"
    assert CALENDAR.closed_reason(date(2026, 9, 4)) == "Nghỉ hè"


def test_the_first_and_last_days_of_the_year_are_open() -> None:
    assert CALENDAR.is_open(date(2026, 9, 5))
    assert CALENDAR.is_open(date(2027, 5, 31))


def test_summer_opening_opens_weekdays_but_not_sundays() -> None:
    calendar = SchoolCalendar(summer_open=[DayRange(date(2027, 6, 7), date(2027, 7, 16))])
    assert calendar.is_open(date(2027, 6, 7))
    assert calendar.closed_reason(date(2027, 6, 13)) == "Chủ nhật"
    assert calendar.closed_reason(date(2027, 7, 17)) == "Nghỉ hè"
    assert calendar.closed_reason(date(2027, 6, 5)) == "Nghỉ hè"


def test_an_extra_opening_day_opens_a_sunday() -> None:
    calendar = SchoolCalendar(open_days=[date(2027, 1, 10)])
    assert calendar.is_open(date(2027, 1, 10))
    assert not CALENDAR.is_open(date(2027, 1, 10))


def test_a_closed_day_with_no_reason_gets_a_plain_one() -> None:
    calendar = SchoolCalendar(closed=[DayRange(date(2026, 11, 20), date(2026, 11, 20))])
    assert calendar.closed_reason(date(2026, 11, 20)) == "Thư viện nghỉ"


def test_the_first_listed_reason_wins_when_closed_ranges_overlap() -> None:
    calendar = SchoolCalendar(
        closed=[
            DayRange(date(2026, 11, 16), date(2026, 11, 20), "Hội thi"),
            DayRange(date(2026, 11, 20), date(2026, 11, 20), "Ngày Nhà giáo"),
        ]
    )
    assert calendar.closed_reason(date(2026, 11, 20)) == "Hội thi"


# Moving to open days and counting library days


def test_next_open_day_of_an_open_day_is_itself() -> None:
    assert CALENDAR.next_open_day(date(2026, 10, 5)) == date(2026, 10, 5)


def test_next_open_day_after_a_sunday_is_monday() -> None:
    assert CALENDAR.next_open_day(date(2026, 10, 4)) == date(2026, 10, 5)


def test_next_open_day_inside_tet_is_the_saturday_after() -> None:
    assert CALENDAR.next_open_day(date(2027, 2, 3)) == date(2027, 2, 13)


def test_next_open_day_in_summer_is_the_first_school_day() -> None:
    # 05/09/2027 is a Sunday.
    assert CALENDAR.next_open_day(date(2027, 7, 1)) == date(2027, 9, 6)


def test_one_library_day_after_friday_is_saturday() -> None:
    assert CALENDAR.add_library_days(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_one_library_day_after_saturday_skips_sunday() -> None:
    assert CALENDAR.add_library_days(date(2026, 10, 10), 1) == date(2026, 10, 12)


def test_with_saturdays_closed_friday_plus_one_is_monday() -> None:
    assert SATURDAYS_CLOSED.add_library_days(date(2026, 10, 9), 1) == date(2026, 10, 12)


def test_zero_library_days_is_the_next_open_day() -> None:
    assert CALENDAR.add_library_days(date(2026, 10, 5), 0) == date(2026, 10, 5)
    assert CALENDAR.add_library_days(date(2026, 10, 4), 0) == date(2026, 10, 5)


def test_counting_from_a_closed_day_starts_the_next_day() -> None:
    assert CALENDAR.add_library_days(date(2026, 10, 4), 1) == date(2026, 10, 5)


def test_seven_library_days_over_tet_end_after_tet() -> None:
    # Sat 30/01, Sat 13/02, Mon 15/02 … Fri 19/02.
    assert CALENDAR.add_library_days(date(2027, 1, 29), 7) == date(2027, 2, 19)


def test_negative_library_days_are_refused() -> None:
    with pytest.raises(ValueError):
        CALENDAR.add_library_days(date(2026, 10, 5), -1)


def test_library_days_between_a_day_and_itself_is_zero() -> None:
    assert CALENDAR.library_days_between(date(2026, 10, 5), date(2026, 10, 5)) == 0


def test_library_days_between_is_zero_backwards() -> None:
    assert CALENDAR.library_days_between(date(2026, 10, 9), date(2026, 10, 5)) == 0


def test_library_days_from_friday_to_monday_skip_sunday() -> None:
    assert CALENDAR.library_days_between(date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_library_days_over_tet_count_only_open_days() -> None:
    assert CALENDAR.library_days_between(date(2027, 1, 29), date(2027, 2, 15)) == 3


def test_library_days_over_the_summer_count_nothing_of_the_summer() -> None:
    assert CALENDAR.library_days_between(date(2027, 5, 31), date(2027, 9, 6)) == 1


# Leap years


def test_the_29th_of_february_is_a_library_day_in_a_leap_year() -> None:
    assert CALENDAR.add_library_days(date(2028, 2, 28), 1) == date(2028, 2, 29)
    assert CALENDAR.library_days_between(date(2028, 2, 26), date(2028, 3, 1)) == 3


def test_a_yearly_holiday_on_the_29th_of_february_only_closes_leap_years() -> None:
    calendar = SchoolCalendar(yearly_holidays=[YearlyHoliday(2, 29, "Ngày hội")])
    assert calendar.closed_reason(date(2028, 2, 29)) == "Ngày hội"
    assert calendar.is_open(date(2027, 2, 27))
    assert calendar.add_library_days(date(2027, 2, 27), 1) == date(2027, 3, 1)


# School years


def test_a_day_in_october_belongs_to_the_year_that_started_in_september() -> None:
    year = CALENDAR.school_year_of(date(2026, 10, 1))
    assert year.name == "2026-2027"
    assert (year.start, year.end) == (date(2026, 9, 5), date(2027, 5, 31))


def test_the_last_day_of_may_still_belongs_to_the_ending_year() -> None:
    assert CALENDAR.school_year_of(date(2027, 5, 31)).name == "2026-2027"


def test_a_summer_day_belongs_to_the_coming_year() -> None:
    assert CALENDAR.school_year_of(date(2027, 6, 1)).name == "2027-2028"
    assert CALENDAR.school_year_of(date(2026, 8, 20)).name == "2026-2027"


def test_an_unconfigured_year_follows_the_ministry_frame() -> None:
    year = CALENDAR.school_year_of(date(2030, 11, 1))
    assert year.name == "2030-2031"
    assert year.start == date(2030, 9, 5)
    assert year.semester1_end == date(2031, 1, 17)
    assert year.semester2_start == date(2031, 1, 18)
    assert year.end == date(2031, 5, 31)


def test_a_configured_year_is_used_for_its_days() -> None:
    calendar = SchoolCalendar(years=[year_2026(start=date(2026, 8, 24), end=date(2027, 5, 28))])
    assert calendar.is_open(date(2026, 8, 24))
    assert calendar.closed_reason(date(2027, 5, 29)) == "Nghỉ hè"
    assert calendar.school_year_of(date(2027, 5, 29)).name == "2027-2028"


def test_semesters_are_told_apart() -> None:
    year = CALENDAR.school_year_of(date(2026, 10, 1))
    assert year.semester_of(date(2027, 1, 17)) == 1
    assert year.semester_of(date(2027, 1, 18)) == 2
    assert year.semester_of(date(2027, 6, 2)) is None


def test_summer_days_are_in_summer_and_school_days_are_not() -> None:
    assert CALENDAR.in_summer(date(2027, 7, 1))
    assert not CALENDAR.in_summer(date(2027, 3, 1))


# Year-end deadline


def test_the_default_year_end_deadline_is_the_25th_of_may() -> None:
    year = CALENDAR.school_year_of(date(2026, 10, 1))
    assert CALENDAR.year_end_deadline(year) == date(2027, 5, 25)


def test_a_deadline_on_a_sunday_moves_back_to_saturday() -> None:
    calendar = SchoolCalendar(years=[year_2026(return_by=date(2027, 5, 23))])
    year = calendar.school_year_of(date(2026, 10, 1))
    assert calendar.year_end_deadline(year) == date(2027, 5, 22)


def test_a_deadline_on_a_closed_weekend_moves_back_to_friday() -> None:
    calendar = SchoolCalendar(
        closed_weekdays={SATURDAY, SUNDAY}, years=[year_2026(return_by=date(2027, 5, 23))]
    )
    year = calendar.school_year_of(date(2026, 10, 1))
    assert calendar.year_end_deadline(year) == date(2027, 5, 21)


def test_a_deadline_on_a_holiday_moves_back_before_it() -> None:
    calendar = SchoolCalendar(years=[year_2026(return_by=date(2027, 5, 1))])
    year = calendar.school_year_of(date(2026, 10, 1))
    assert calendar.year_end_deadline(year) == date(2027, 4, 29)


def test_a_year_with_no_open_day_before_its_deadline_uses_the_next_open_day() -> None:
    calendar = SchoolCalendar(
        closed=[DayRange(date(2026, 9, 5), date(2027, 5, 30), "Sửa chữa thư viện")],
        years=[year_2026(return_by=date(2027, 5, 25))],
    )
    year = calendar.school_year_of(date(2026, 10, 1))
    assert calendar.year_end_deadline(year) == date(2027, 5, 31)


def test_the_last_open_day_of_a_year_ending_on_sunday_is_saturday() -> None:
    calendar = SchoolCalendar(years=[year_2026(end=date(2027, 5, 30))])
    year = calendar.school_year_of(date(2026, 10, 1))
    assert calendar.last_open_day(year) == date(2027, 5, 29)


# Long breaks


def test_tet_is_a_long_break() -> None:
    assert CALENDAR.is_long_break(date(2027, 2, 3))


def test_summer_is_a_long_break() -> None:
    assert CALENDAR.is_long_break(date(2027, 7, 1))


def test_a_sunday_or_a_single_holiday_is_not_a_long_break() -> None:
    assert not CALENDAR.is_long_break(date(2026, 10, 4))
    assert not CALENDAR.is_long_break(date(2027, 4, 16))


def test_a_school_day_is_not_a_long_break() -> None:
    assert not CALENDAR.is_long_break(date(2026, 10, 5))


def test_a_three_day_closure_is_a_long_break_and_two_days_are_not() -> None:
    calendar = SchoolCalendar(
        closed=[
            DayRange(date(2026, 11, 16), date(2026, 11, 18), "Hội thi"),
            DayRange(date(2026, 12, 1), date(2026, 12, 2), "Kiểm kê giữa năm"),
        ]
    )
    assert calendar.is_long_break(date(2026, 11, 18))
    assert not calendar.is_long_break(date(2026, 12, 1))


def test_summer_opening_days_are_not_a_long_break() -> None:
    calendar = SchoolCalendar(summer_open=[DayRange(date(2027, 6, 7), date(2027, 7, 16))])
    assert not calendar.is_long_break(date(2027, 6, 8))
    assert calendar.is_long_break(date(2027, 7, 20))


def test_an_extra_opening_day_inside_a_break_is_not_a_long_break() -> None:
    calendar = SchoolCalendar(open_days=[date(2027, 2, 12)])
    assert calendar.is_open(date(2027, 2, 12))
    assert not calendar.is_long_break(date(2027, 2, 12))


# Refusing impossible calendars


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="trước ngày bắt đầu"):
        DayRange(date(2027, 2, 12), date(2027, 2, 1))


def test_a_school_year_must_end_the_year_after_it_starts() -> None:
    with pytest.raises(ValueError, match="năm học"):
        year_2026(end=date(2028, 5, 31))


def test_semesters_must_come_in_order() -> None:
    with pytest.raises(ValueError, match="học kỳ"):
        year_2026(semester2_start=date(2027, 1, 10))


def test_the_return_deadline_must_lie_inside_the_year() -> None:
    with pytest.raises(ValueError, match="hạn trả"):
        year_2026(return_by=date(2027, 6, 15))


def test_a_library_closed_every_day_of_the_week_is_refused() -> None:
    with pytest.raises(ValueError, match="bảy ngày"):
        SchoolCalendar(closed_weekdays=range(7))


def test_a_year_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="hai lần"):
        SchoolCalendar(years=[year_2026(), year_2026(end=date(2027, 5, 30))])


def test_a_year_running_into_the_next_is_refused() -> None:
    following = SchoolYear(
        start=date(2027, 8, 20),
        semester1_end=date(2028, 1, 15),
        semester2_start=date(2028, 1, 17),
        end=date(2028, 5, 31),
        return_by=date(2028, 5, 25),
    )
    with pytest.raises(ValueError, match="2027-2028"):
        SchoolCalendar(years=[year_2026(end=date(2027, 8, 25)), following])


def test_a_year_starting_before_the_previous_one_ends_is_refused() -> None:
    early = SchoolYear(
        start=date(2027, 5, 20),
        semester1_end=date(2028, 1, 15),
        semester2_start=date(2028, 1, 17),
        end=date(2028, 5, 31),
        return_by=date(2028, 5, 25),
    )
    with pytest.raises(ValueError, match="2026-2027"):
        SchoolCalendar(years=[early])


# Properties

days = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))
ranges = st.builds(
    lambda first, length: DayRange(first, first + timedelta(days=length)),
    days,
    st.integers(min_value=0, max_value=20),
)
calendars = st.builds(
    lambda weekdays, closed: SchoolCalendar(closed_weekdays=weekdays, closed=closed),
    st.frozensets(st.integers(min_value=0, max_value=6), max_size=5),
    st.lists(ranges, max_size=4),
)
counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=150, deadline=None)
@given(calendars, days, counts)
def test_adding_library_days_lands_on_an_open_day_that_many_open_days_later(
    calendar: SchoolCalendar, start: date, n: int
) -> None:
    result = calendar.add_library_days(start, n)
    assert calendar.is_open(result)
    assert result >= start
    if n:
        assert calendar.library_days_between(start, result) == n
        assert calendar.library_days_between(start, result - timedelta(days=1)) == n - 1


@settings(max_examples=150, deadline=None)
@given(calendars, days, days, counts, counts)
def test_adding_library_days_is_monotonic(
    calendar: SchoolCalendar, first: date, second: date, m: int, n: int
) -> None:
    early, late = sorted((first, second))
    fewer, more = sorted((m, n))
    assert calendar.add_library_days(early, fewer) <= calendar.add_library_days(early, more)
    assert calendar.add_library_days(early, n) <= calendar.add_library_days(late, n)


@settings(max_examples=150, deadline=None)
@given(calendars, days, st.integers(0, 200), st.integers(0, 200))
def test_library_days_add_up_over_consecutive_spans(
    calendar: SchoolCalendar, start: date, first: int, second: int
) -> None:
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)
    assert calendar.library_days_between(start, middle) + calendar.library_days_between(
        middle, end
    ) == calendar.library_days_between(start, end)


@settings(max_examples=150, deadline=None)
@given(calendars, days)
def test_next_open_day_is_the_first_open_day_from_the_given_day(
    calendar: SchoolCalendar, day: date
) -> None:
    found = calendar.next_open_day(day)
    assert calendar.is_open(found)
    assert calendar.library_days_between(day - timedelta(days=1), found) == 1
