"""The donation drive's and book rotation's rules: numbering, the board's day, reminders, dates."""

from datetime import date

import pytest

from bot.core.calendar import SchoolCalendar
from bot.core.donations import (
    Drive,
    board_day,
    board_due,
    month_key,
    next_accession,
    prefix_counts,
    split_accession,
    typed_prefix,
)
from bot.core.rotation import (
    DayError,
    DayProblem,
    Destination,
    ReminderStep,
    destination_of,
    parse_future_day,
    reminder_step,
)

CALENDAR = SchoolCalendar()


def test_accession_numbers_split_into_prefix_and_digits() -> None:
    assert split_accession("TN-00012") == ("TN-", "00012")
    assert split_accession("STK.7") == ("STK.", "7")
    assert split_accession("123") == ("", "123")
    assert split_accession("TN-") is None


def test_prefixes_are_counted_most_used_first() -> None:
    accessions = ["TN-00001", "tn-00002", "STK-00001", "123", "SGK-1", "SGK-2", "SGK-3"]
    assert prefix_counts(accessions) == [("SGK-", 3), ("TN-", 2), ("STK-", 1)]


def test_the_next_number_follows_the_highest_and_keeps_the_width() -> None:
    accessions = ["TN-00009", "TN-00331", "tn-00012", "STK-00158", "TV-01"]
    assert next_accession("TN-", accessions) == "TN-00332"
    assert next_accession("tn-", accessions) == "TN-00332"
    assert next_accession("TV-", accessions) == "TV-02"
    assert next_accession("BT-", accessions) == "BT-00001"
    assert next_accession("TN-", ["TN-99999"]) == "TN-100000"


def test_a_typed_prefix_matches_a_known_one_or_becomes_a_new_one() -> None:
    known = ["TN-", "STK-", "SGK."]
    assert typed_prefix("tn", known) == "TN-"
    assert typed_prefix(" TN- ", known) == "TN-"
    assert typed_prefix("sgk", known) == "SGK."
    assert typed_prefix("tv", known) == "TV-"
    assert typed_prefix("TN-00001", known) is None
    assert typed_prefix("sách tặng", known) is None
    assert typed_prefix("", known) is None


def test_the_board_goes_out_on_the_last_open_day_of_the_month() -> None:
    # 29/11/2026 is a Sunday (closed) and 30/11 a Monday.
    assert board_day(2026, 11, CALENDAR) == date(2026, 11, 30)
    # 31/01/2027 is a Sunday: the board goes out on Saturday 30/01.
    assert board_day(2027, 1, CALENDAR) == date(2027, 1, 30)
    assert month_key(date(2026, 11, 30)) == "2026-11"


def test_the_board_is_due_only_during_a_drive_from_the_board_day_or_on_its_last_day() -> None:
    drive = Drive(1, date(2026, 11, 2), date(2026, 12, 20))
    assert not board_due(date(2026, 11, 27), drive, CALENDAR)
    assert board_due(date(2026, 11, 30), drive, CALENDAR)
    assert board_due(date(2026, 12, 20), drive, CALENDAR)
    assert not board_due(date(2026, 12, 31), drive, CALENDAR)
    assert not board_due(date(2026, 11, 30), None, CALENDAR)
    ended_early = Drive(2, date(2026, 11, 2), date(2026, 11, 18))
    assert board_due(date(2026, 11, 18), ended_early, CALENDAR)
    assert not board_due(date(2026, 11, 30), ended_early, CALENDAR)


def test_rotation_reminders_come_three_days_before_then_on_the_day() -> None:
    due = date(2026, 11, 27)
    assert reminder_step(date(2026, 11, 23), due) is None
    assert reminder_step(date(2026, 11, 24), due) is ReminderStep.BEFORE
    assert reminder_step(date(2026, 11, 26), due) is ReminderStep.BEFORE
    assert reminder_step(due, due) is ReminderStep.DUE
    assert reminder_step(date(2026, 12, 5), due) is ReminderStep.DUE


def test_a_return_date_is_read_as_a_day_after_today() -> None:
    today = date(2026, 11, 24)
    assert parse_future_day("27/11/2026", today) == date(2026, 11, 27)
    assert parse_future_day("27/11", today) == date(2026, 11, 27)
    assert parse_future_day("5/1", today) == date(2027, 1, 5)
    assert parse_future_day("05-01-27", today) == date(2027, 1, 5)
    assert parse_future_day("29/02/2028", date(2027, 12, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("hôm qua", DayProblem.FORMAT),
        ("31/02/2027", DayProblem.FORMAT),
        ("📅", DayProblem.FORMAT),
        ("x" * 5000, DayProblem.FORMAT),
        ("24/11/2026", DayProblem.PAST),
        ("01/11/2026", DayProblem.PAST),
        ("25/11/2030", DayProblem.TOO_FAR),
    ],
)
def test_a_bad_return_date_says_why(typed: str, problem: DayProblem) -> None:
    with pytest.raises(DayError) as raised:
        parse_future_day(typed, date(2026, 11, 24))
    assert raised.value.problem is problem


def test_a_class_name_means_its_book_corner_and_other_text_a_library() -> None:
    assert destination_of("6a") == Destination(name="", class_name="6A")
    assert destination_of("Lớp 9A2") == Destination(name="", class_name="9A2")
    assert destination_of("  Thư viện   Hà Nội ") == Destination(name="Thư viện Hà Nội")
    assert destination_of("12A") == Destination(name="12A")
    assert destination_of("📚") is None
    for slip in ("0", "-1", "00:00", "123"):
        assert destination_of(slip) is None, slip
    assert destination_of("x" * 5000) is None
