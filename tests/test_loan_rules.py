"""Loan rules: who may borrow what, due dates over the school calendar, renewals, recall."""

import dataclasses
import unicodedata
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.calendar import SATURDAY, SUNDAY, SchoolCalendar
from bot.core.loan_rules import (
    CATEGORIES,
    DEFAULT_POLICY,
    KINDS,
    Code,
    LoanPolicy,
    OpenLoanFacts,
    ReaderFacts,
    RecallItem,
    WholeYear,
    check_can_borrow,
    check_can_renew,
    due_date,
    hold_until,
    late_days,
    loan_terms,
    recall_list,
)

CALENDAR = SchoolCalendar()
STUDENT = ReaderFacts("student", class_name="7A")
POOR_STUDENT = ReaderFacts("student", disadvantaged=True, class_name="6B")
TEACHER = ReaderFacts("teacher")
STAFF = ReaderFacts("staff")
MONDAY = date(2026, 10, 5)


def with_student_rule(**changes: Any) -> LoanPolicy:
    """The default policy with the student STK rule changed."""
    student = DEFAULT_POLICY.categories["student"]
    rules = {**student.rules, "STK": dataclasses.replace(student.rules["STK"], **changes)}
    categories = {
        **DEFAULT_POLICY.categories,
        "student": dataclasses.replace(student, rules=rules),
    }
    return dataclasses.replace(DEFAULT_POLICY, categories=categories)


def loan(
    loan_id: int = 1,
    *,
    kind: str = "STK",
    category: str = "student",
    loaned_on: date = date(2026, 9, 28),
    due_on: date = date(2026, 10, 12),
    renewals: int = 0,
    whole_year: bool = False,
) -> OpenLoanFacts:
    return OpenLoanFacts(loan_id, category, kind, loaned_on, due_on, renewals, whole_year)


# The rules themselves


def test_every_category_has_a_rule_for_every_kind() -> None:
    for category in CATEGORIES:
        for kind in KINDS:
            assert DEFAULT_POLICY.rule_for(category, kind).period_days >= 1


def test_students_borrow_books_for_a_week_with_one_renewal() -> None:
    rule = DEFAULT_POLICY.rule_for("student", "Truyện")
    assert (rule.period_days, rule.renewals_allowed, rule.renewal_days) == (7, 1, 7)
    assert DEFAULT_POLICY.max_open_loans("student") == 3


def test_teachers_borrow_for_two_weeks_with_two_renewals() -> None:
    rule = DEFAULT_POLICY.rule_for("teacher", "STK")
    assert (rule.period_days, rule.renewals_allowed) == (14, 2)
    assert DEFAULT_POLICY.max_open_loans("teacher") == 10


def test_students_read_magazines_in_the_room() -> None:
    assert not DEFAULT_POLICY.rule_for("student", "Báo, tạp chí").lendable
    assert DEFAULT_POLICY.rule_for("teacher", "Báo, tạp chí").lendable


def test_teachers_books_are_for_teachers_and_staff_only() -> None:
    for kind in ("SGV", "Nghiệp vụ"):
        assert not DEFAULT_POLICY.rule_for("student", kind).lendable
        assert DEFAULT_POLICY.rule_for("teacher", kind).lendable
        assert DEFAULT_POLICY.rule_for("staff", kind).lendable


def test_an_unknown_or_missing_kind_follows_the_rule_for_other_books() -> None:
    other = DEFAULT_POLICY.rule_for("student", "Khác")
    assert DEFAULT_POLICY.rule_for("student", "") == other
    assert DEFAULT_POLICY.rule_for("student", "Từ điển") == other


def test_a_decomposed_kind_finds_its_rule() -> None:
    decomposed = unicodedata.normalize("NFD", "Báo, tạp chí")
    assert not DEFAULT_POLICY.rule_for("student", decomposed).lendable


def test_an_unknown_reader_category_is_refused() -> None:
    with pytest.raises(ValueError, match="parent"):
        DEFAULT_POLICY.rule_for("parent", "STK")


# Due dates


def test_a_week_loan_is_due_seven_library_days_later() -> None:
    # Tue … Sat is five library days, then Mon 12 and Tue 13.
    assert due_date(DEFAULT_POLICY, CALENDAR, STUDENT, "STK", MONDAY) == date(2026, 10, 13)


def test_a_due_date_that_falls_on_sunday_moves_to_monday() -> None:
    policy = with_student_rule(period_days=6)
    # Six calendar days after Monday 05/10 is Sunday 11/10.
    assert due_date(policy, CALENDAR, STUDENT, "STK", MONDAY) == date(2026, 10, 12)


def test_with_saturdays_closed_a_week_loan_skips_two_weekends() -> None:
    calendar = SchoolCalendar(closed_weekdays={SATURDAY, SUNDAY})
    assert due_date(DEFAULT_POLICY, calendar, STUDENT, "STK", MONDAY) == date(2026, 10, 14)


def test_a_loan_over_tet_is_due_after_tet() -> None:
    due = due_date(DEFAULT_POLICY, CALENDAR, STUDENT, "Truyện", date(2027, 1, 29))
    assert due == date(2027, 2, 19)
    assert CALENDAR.is_open(due)


def test_a_whole_year_sgk_loan_is_due_at_the_year_end_deadline() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, POOR_STUDENT, "SGK", date(2026, 9, 7))
    assert terms.due_on == date(2027, 5, 25)
    assert terms.whole_year


def test_textbooks_lent_in_august_are_for_the_coming_year() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, POOR_STUDENT, "SGK", date(2026, 8, 24))
    assert (terms.due_on, terms.whole_year) == (date(2027, 5, 25), True)


def test_an_sgk_loan_to_a_student_who_is_not_disadvantaged_lasts_a_week() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, STUDENT, "SGK", MONDAY)
    assert (terms.due_on, terms.whole_year) == (date(2026, 10, 13), False)


def test_teachers_keep_their_textbooks_and_teachers_books_for_the_year() -> None:
    for kind in ("SGK", "SGV"):
        terms = loan_terms(DEFAULT_POLICY, CALENDAR, TEACHER, kind, MONDAY)
        assert (terms.due_on, terms.whole_year) == (date(2027, 5, 25), True)


def test_staff_borrow_teachers_books_for_two_weeks() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, STAFF, "SGV", MONDAY)
    assert (terms.due_on, terms.whole_year) == (date(2026, 10, 21), False)


def test_a_loan_near_the_year_end_is_due_by_the_deadline() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, STUDENT, "STK", date(2027, 5, 20))
    assert (terms.due_on, terms.shortened) == (date(2027, 5, 25), True)


def test_a_loan_just_before_the_deadline_is_not_shortened_when_it_fits() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, STUDENT, "STK", date(2027, 5, 14))
    assert (terms.due_on, terms.shortened) == (date(2027, 5, 22), False)


def test_a_loan_after_the_deadline_is_due_on_the_last_open_day_of_the_year() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, STUDENT, "STK", date(2027, 5, 26))
    assert (terms.due_on, terms.shortened) == (date(2027, 5, 31), True)


def test_a_loan_made_on_the_deadline_itself_is_due_on_the_last_open_day() -> None:
    for reader, kind in ((STUDENT, "STK"), (POOR_STUDENT, "SGK")):
        terms = loan_terms(DEFAULT_POLICY, CALENDAR, reader, kind, date(2027, 5, 25))
        assert (terms.due_on, terms.whole_year) == (date(2027, 5, 31), False)


def test_a_loan_on_the_last_day_of_the_year_runs_over_the_summer() -> None:
    due = due_date(DEFAULT_POLICY, CALENDAR, STUDENT, "STK", date(2027, 5, 31))
    assert due == date(2027, 9, 13)


def test_loans_may_run_over_the_year_end_when_configured() -> None:
    policy = dataclasses.replace(DEFAULT_POLICY, end_loans_at_year_end=False)
    terms = loan_terms(policy, CALENDAR, STUDENT, "STK", date(2027, 5, 20))
    assert (terms.due_on, terms.shortened) == (date(2027, 5, 28), False)


def test_a_whole_year_textbook_lent_after_the_deadline_is_an_ordinary_loan() -> None:
    terms = loan_terms(DEFAULT_POLICY, CALENDAR, POOR_STUDENT, "SGK", date(2027, 5, 26))
    assert (terms.due_on, terms.whole_year) == (date(2027, 5, 31), False)


def test_a_due_date_for_a_kind_the_reader_may_not_borrow_is_an_error() -> None:
    with pytest.raises(ValueError, match="Báo, tạp chí"):
        due_date(DEFAULT_POLICY, CALENDAR, STUDENT, "Báo, tạp chí", MONDAY)


# May this reader borrow?


def test_a_student_with_no_loans_may_borrow_and_learns_the_due_date() -> None:
    decision = check_can_borrow(DEFAULT_POLICY, STUDENT, "Truyện", MONDAY, [], CALENDAR)
    assert decision.allowed
    assert decision.code is Code.OK
    assert decision.due_on == date(2026, 10, 13)
    assert not decision.whole_year


def test_an_inactive_reader_may_not_borrow() -> None:
    reader = dataclasses.replace(STUDENT, active=False)
    decision = check_can_borrow(DEFAULT_POLICY, reader, "Truyện", MONDAY, [], CALENDAR)
    assert (decision.allowed, decision.code) == (False, Code.READER_INACTIVE)


def test_a_student_may_not_take_a_magazine_home() -> None:
    decision = check_can_borrow(DEFAULT_POLICY, STUDENT, "Báo, tạp chí", MONDAY, [], CALENDAR)
    assert decision.code is Code.NOT_LENDABLE


def test_the_fourth_open_loan_of_a_student_is_refused() -> None:
    loans = [loan(i) for i in range(1, 4)]
    decision = check_can_borrow(DEFAULT_POLICY, STUDENT, "Truyện", MONDAY, loans, CALENDAR)
    assert (decision.code, decision.count, decision.limit) == (Code.LIMIT_REACHED, 3, 3)


def test_the_third_open_loan_of_a_student_is_allowed() -> None:
    loans = [loan(i) for i in range(1, 3)]
    assert check_can_borrow(DEFAULT_POLICY, STUDENT, "Truyện", MONDAY, loans, CALENDAR).allowed


def test_whole_year_textbooks_do_not_count_toward_the_limit() -> None:
    textbooks = [loan(i, kind="SGK", due_on=date(2027, 5, 25), whole_year=True) for i in range(12)]
    for kind in ("Truyện", "SGK"):
        decision = check_can_borrow(
            DEFAULT_POLICY, POOR_STUDENT, kind, MONDAY, textbooks, CALENDAR
        )
        assert decision.allowed
    sgk = check_can_borrow(DEFAULT_POLICY, POOR_STUDENT, "SGK", MONDAY, textbooks, CALENDAR)
    assert sgk.whole_year


def test_a_whole_year_textbook_is_lent_even_when_the_limit_is_reached() -> None:
    loans = [loan(i) for i in range(1, 4)]
    decision = check_can_borrow(DEFAULT_POLICY, POOR_STUDENT, "SGK", MONDAY, loans, CALENDAR)
    assert decision.allowed


def test_a_kind_cap_refuses_the_next_loan_of_that_kind() -> None:
    policy = with_student_rule(max_open_loans=1)
    decision = check_can_borrow(policy, STUDENT, "STK", MONDAY, [loan(1)], CALENDAR)
    assert (decision.code, decision.count, decision.limit) == (Code.KIND_LIMIT_REACHED, 1, 1)
    assert check_can_borrow(policy, STUDENT, "Truyện", MONDAY, [loan(1)], CALENDAR).allowed


def test_a_loan_overdue_by_three_library_days_does_not_block() -> None:
    # Due Friday 02/10: Sat 03, Mon 05, Tue 06 are three library days late.
    overdue = loan(7, due_on=date(2026, 10, 2))
    decision = check_can_borrow(
        DEFAULT_POLICY, STUDENT, "Truyện", date(2026, 10, 6), [overdue], CALENDAR
    )
    assert decision.allowed


def test_a_loan_overdue_by_four_library_days_blocks_borrowing() -> None:
    overdue = loan(7, due_on=date(2026, 10, 2))
    decision = check_can_borrow(
        DEFAULT_POLICY, STUDENT, "Truyện", date(2026, 10, 7), [overdue], CALENDAR
    )
    assert decision.code is Code.OVERDUE
    assert (decision.loan_id, decision.overdue_days, decision.limit) == (7, 4, 3)


def test_the_most_overdue_loan_is_the_one_named() -> None:
    loans = [loan(1, due_on=date(2026, 10, 1)), loan(2, due_on=date(2026, 9, 21))]
    decision = check_can_borrow(DEFAULT_POLICY, TEACHER, "STK", date(2026, 10, 7), loans, CALENDAR)
    assert decision.loan_id == 2


def test_with_zero_tolerance_any_overdue_loan_blocks() -> None:
    policy = dataclasses.replace(DEFAULT_POLICY, block_when_overdue_days=0)
    overdue = loan(7, due_on=date(2026, 10, 5))
    decision = check_can_borrow(policy, STUDENT, "Truyện", date(2026, 10, 6), [overdue], CALENDAR)
    assert (decision.code, decision.overdue_days) == (Code.OVERDUE, 1)


def test_days_of_tet_do_not_make_a_loan_overdue() -> None:
    overdue = loan(7, due_on=date(2027, 1, 29))
    decision = check_can_borrow(
        DEFAULT_POLICY, STUDENT, "Truyện", date(2027, 2, 15), [overdue], CALENDAR
    )
    assert decision.allowed


def test_an_inactive_reader_is_told_before_the_kind_is_checked() -> None:
    reader = dataclasses.replace(STUDENT, active=False)
    decision = check_can_borrow(DEFAULT_POLICY, reader, "Báo, tạp chí", MONDAY, [], CALENDAR)
    assert decision.code is Code.READER_INACTIVE


# Renewals


def test_renewal_adds_the_renewal_days_to_the_due_date() -> None:
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, loan(), date(2026, 10, 9), False)
    assert decision.allowed
    assert decision.due_on == date(2026, 10, 20)
    assert (decision.count, decision.limit) == (1, 1)


def test_renewal_on_the_due_day_is_allowed() -> None:
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, loan(), date(2026, 10, 12), False)
    assert decision.allowed


def test_renewal_is_refused_when_someone_is_waiting() -> None:
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, loan(), date(2026, 10, 9), True)
    assert (decision.allowed, decision.code) == (False, Code.SOMEONE_WAITING)


def test_renewal_is_refused_when_renewals_are_used_up() -> None:
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, loan(renewals=1), MONDAY, False)
    assert (decision.code, decision.count, decision.limit) == (Code.NO_RENEWALS_LEFT, 1, 1)


def test_a_teacher_may_renew_twice() -> None:
    teacher_loan = loan(category="teacher", renewals=1)
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, teacher_loan, MONDAY, False)
    assert decision.allowed
    assert decision.due_on == date(2026, 10, 28)
    assert (decision.count, decision.limit) == (2, 2)


def test_renewal_is_refused_once_the_loan_is_overdue() -> None:
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, loan(), date(2026, 10, 13), False)
    assert (decision.code, decision.overdue_days, decision.limit) == (Code.OVERDUE, 1, 0)


def test_renewal_within_the_grace_days_counts_from_today() -> None:
    policy = dataclasses.replace(DEFAULT_POLICY, renew_when_overdue_days=2)
    decision = check_can_renew(policy, CALENDAR, loan(), date(2026, 10, 14), False)
    assert decision.allowed
    assert decision.due_on == date(2026, 10, 22)


def test_whole_year_loans_are_not_renewable() -> None:
    textbook = loan(kind="SGK", due_on=date(2027, 5, 25), whole_year=True)
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, textbook, MONDAY, False)
    assert (decision.code, decision.due_on) == (Code.WHOLE_YEAR, date(2027, 5, 25))


def test_renewal_near_the_year_end_stops_at_the_deadline() -> None:
    near_end = loan(loaned_on=date(2027, 5, 12), due_on=date(2027, 5, 20))
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, near_end, date(2027, 5, 19), False)
    assert (decision.code, decision.due_on) == (Code.OK, date(2027, 5, 25))


def test_renewal_is_refused_when_the_loan_is_already_due_at_the_deadline() -> None:
    at_deadline = loan(loaned_on=date(2027, 5, 18), due_on=date(2027, 5, 25))
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, at_deadline, date(2027, 5, 24), False)
    assert (decision.code, decision.due_on) == (Code.YEAR_END, date(2027, 5, 25))


def test_renewal_of_a_kind_no_longer_lent_is_refused() -> None:
    magazine = loan(kind="Báo, tạp chí")
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, magazine, MONDAY, False)
    assert decision.code is Code.NOT_LENDABLE


# Late days and holds


def test_a_return_on_the_due_day_is_not_late() -> None:
    assert late_days(CALENDAR, date(2026, 10, 12), date(2026, 10, 12)) == 0


def test_an_early_return_is_not_late() -> None:
    assert late_days(CALENDAR, date(2026, 10, 12), date(2026, 10, 1)) == 0


def test_late_days_skip_sunday() -> None:
    assert late_days(CALENDAR, date(2026, 10, 9), date(2026, 10, 12)) == 2


def test_late_days_over_a_holiday_count_only_open_days() -> None:
    # Sat 30/01, Sat 13/02 and Mon 15/02; the two weeks of Tết do not count.
    assert late_days(CALENDAR, date(2027, 1, 29), date(2027, 2, 15)) == 3


def test_a_book_kept_over_the_summer_is_late_only_by_school_days() -> None:
    assert late_days(CALENDAR, date(2027, 5, 25), date(2027, 9, 7)) == 7


def test_a_copy_is_held_for_two_library_days() -> None:
    assert hold_until(CALENDAR, date(2026, 10, 9), DEFAULT_POLICY.hold_days) == date(2026, 10, 12)


def test_a_hold_approved_before_tet_lasts_until_after_tet() -> None:
    assert hold_until(CALENDAR, date(2027, 1, 29), 2) == date(2027, 2, 13)


# Year-end recall


def test_recall_lists_whole_year_loans_due_by_the_deadline_most_urgent_first() -> None:
    loans = [
        loan(1, kind="SGK", due_on=date(2027, 5, 25), whole_year=True),
        loan(2, kind="STK", due_on=date(2027, 5, 20)),
        loan(3, kind="SGK", due_on=date(2026, 5, 25), whole_year=True),
        loan(4, kind="SGK", due_on=date(2028, 5, 25), whole_year=True),
    ]
    recall = recall_list(CALENDAR, loans, date(2027, 5, 17))
    assert recall.deadline == date(2027, 5, 25)
    assert recall.days_left == 7
    assert [item.loan_id for item in recall.items] == [3, 1]
    assert recall.items[1] == RecallItem(1, date(2027, 5, 25), days_left=7, overdue_days=0)
    assert recall.items[0].days_left == 0
    assert recall.items[0].overdue_days > 0


def test_recall_after_the_deadline_shows_days_late() -> None:
    textbook = loan(1, kind="SGK", due_on=date(2027, 5, 25), whole_year=True)
    recall = recall_list(CALENDAR, [textbook], date(2027, 5, 27))
    assert recall.days_left == 0
    assert recall.items == (RecallItem(1, date(2027, 5, 25), days_left=0, overdue_days=2),)


def test_recall_with_no_whole_year_loans_is_empty() -> None:
    recall = recall_list(CALENDAR, [loan(2)], date(2027, 5, 17))
    assert recall.items == ()


# Properties

loan_days = st.dates(min_value=date(2026, 6, 1), max_value=date(2029, 8, 31))
lendable_pairs = st.sampled_from(
    [
        (category, kind)
        for category in CATEGORIES
        for kind in KINDS
        if DEFAULT_POLICY.rule_for(category, kind).lendable
    ]
)
weekly = st.sampled_from([frozenset({SUNDAY}), frozenset({SATURDAY, SUNDAY})])


@settings(max_examples=200, deadline=None)
@given(loan_days, lendable_pairs, st.booleans(), weekly)
def test_a_due_date_is_always_an_open_day_after_the_loan_day(
    day: date, pair: tuple[str, str], disadvantaged: bool, closed_weekdays: frozenset[int]
) -> None:
    calendar = SchoolCalendar(closed_weekdays=closed_weekdays)
    category, kind = pair
    reader = ReaderFacts(category, disadvantaged=disadvantaged)
    due = due_date(DEFAULT_POLICY, calendar, reader, kind, day)
    assert calendar.is_open(due)
    assert due > day


@settings(max_examples=200, deadline=None)
@given(loan_days, st.integers(0, 10), st.booleans())
def test_an_allowed_renewal_moves_the_due_date_to_a_later_open_day(
    today: date, days_before_due: int, teacher: bool
) -> None:
    due = CALENDAR.add_library_days(today, days_before_due)
    category = "teacher" if teacher else "student"
    open_loan = loan(category=category, loaned_on=today - timedelta(days=10), due_on=due)
    decision = check_can_renew(DEFAULT_POLICY, CALENDAR, open_loan, today, False)
    if decision.allowed:
        assert decision.due_on is not None
        assert decision.due_on > due
        assert CALENDAR.is_open(decision.due_on)
    else:
        assert decision.code is Code.YEAR_END


def test_whole_year_rules_are_the_documented_ones() -> None:
    assert DEFAULT_POLICY.rule_for("student", "SGK").whole_year is WholeYear.DISADVANTAGED
    assert DEFAULT_POLICY.rule_for("teacher", "SGV").whole_year is WholeYear.ALWAYS
    assert DEFAULT_POLICY.rule_for("staff", "SGK").whole_year is WholeYear.NEVER
