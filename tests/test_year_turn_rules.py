"""The year turn's rules: who moves up, who repeats, who leaves, which class groups retire."""

from datetime import date

import pytest

from bot.config import ConfigError, parse_config
from bot.core.calendar import SchoolCalendar, standard_year
from bot.core.loan_rules import DEFAULT_POLICY, Code, ReaderFacts, check_can_borrow
from bot.core.year_turn import (
    Move,
    YearCheck,
    check_year,
    grade_of,
    plan_groups,
    plan_students,
    plan_year_turn,
    promoted_class,
    recall_running,
    recall_start,
)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("6A", "7A"),
        ("8C", "9C"),
        ("6A1", "7A1"),
        ("7/2", "8/2"),
        ("8 A", "9A"),
        ("lớp 7b", "8B"),
        ("9A", None),
        ("9/3", None),
        ("Lớp chọn", None),
        ("", None),
    ],
)
def test_a_class_moves_up_one_grade_keeping_its_letter(old: str, new: str | None) -> None:
    assert promoted_class(old) == new


def test_grades_are_read_from_real_class_names() -> None:
    assert [grade_of(name) for name in ("6A1", "7/2", "8 A", "9C", "abc")] == [6, 7, 8, 9, None]


def test_without_lists_every_student_moves_up_and_grade_nine_leaves() -> None:
    turns, covered = plan_students([(1, "6A"), (2, "8C"), (3, "9A"), (4, "7/2")])
    assert covered == frozenset()
    assert [(t.reader_id, t.new_class, t.move) for t in turns] == [
        (1, "7A", Move.PROMOTED),
        (2, "9C", Move.PROMOTED),
        (3, "9A", Move.LEFT_FINAL),
        (4, "8/2", Move.PROMOTED),
    ]


def test_the_new_list_wins_a_repeated_grade_and_a_changed_class() -> None:
    turns, covered = plan_students(
        [(1, "6A"), (2, "7B"), (3, "9A"), (4, "6B")], {1: "6A", 2: "8D", 3: "9A", 4: "7B"}
    )
    moves = {t.reader_id: (t.new_class, t.move) for t in turns}
    assert moves[1] == ("6A", Move.REPEATED)
    assert moves[2] == ("8D", Move.MOVED)
    assert moves[3] == ("9A", Move.REPEATED)
    assert moves[4] == ("7B", Move.PROMOTED)
    assert covered == {6, 7, 8, 9}


def test_a_student_absent_from_the_lists_of_their_next_grade_leaves() -> None:
    turns, covered = plan_students([(1, "6A"), (2, "7A"), (3, "6B")], {1: "7A"})
    moves = {t.reader_id: t.move for t in turns}
    # Grade 7 has lists: 6B's student is on none of them. Grade 8 has no list at all.
    assert moves == {1: Move.PROMOTED, 2: Move.PROMOTED, 3: Move.LEFT_ABSENT}
    assert covered == {7}


def test_an_unreadable_class_stays_as_it_is_for_the_librarian_to_fix() -> None:
    turns, _ = plan_students([(5, "Lớp chọn")])
    assert (turns[0].new_class, turns[0].move) == ("Lớp chọn", Move.UNREADABLE)


def test_class_groups_follow_their_cohort_up_and_retire_when_no_class_is_left() -> None:
    groups = plan_groups([(-1, "6A"), (-2, "9A"), (-3, "8D")], frozenset({"7A", "9C"}))
    assert [(g.chat_id, g.new_class, g.grade) for g in groups] == [
        (-1, "7A", 7),
        (-2, None, None),
        (-3, None, None),
    ]


def test_a_whole_plan_counts_leavers_and_newcomer_classes_keep_groups() -> None:
    plan = plan_year_turn(
        [(1, "5A"), (2, "9A")], [(-5, "5A"), (-6, "9A")], newcomer_classes=["6B"]
    )
    assert [t.reader_id for t in plan.leavers] == [2]
    assert plan.classes_after(["6B"]) == {"6A", "6B"}
    assert [(g.chat_id, g.new_class) for g in plan.groups] == [(-5, "6A"), (-6, None)]


def test_the_digest_changes_with_the_plan_and_the_year() -> None:
    one = plan_year_turn([(1, "6A")])
    two = plan_year_turn([(1, "6B")])
    assert one.digest("2026-2027") == plan_year_turn([(1, "6A")]).digest("2026-2027")
    assert one.digest("2026-2027") != two.digest("2026-2027")
    assert one.digest("2026-2027") != one.digest("2027-2028")
    assert len(one.digest("2026-2027")) == 10


def test_only_the_current_school_year_is_turned_into_and_only_once() -> None:
    current = standard_year(2026)
    assert check_year(2026, current, None) is YearCheck.OK
    assert check_year(2026, current, 2025) is YearCheck.OK
    assert check_year(2026, current, 2026) is YearCheck.ALREADY
    assert check_year(2025, current, 2026) is YearCheck.EARLIER
    assert check_year(2027, current, None) is YearCheck.FUTURE
    assert check_year(2025, current, None) is YearCheck.PAST


def test_the_recall_starts_on_its_day_and_stops_with_the_year() -> None:
    year = standard_year(2026)
    assert recall_start(year, (25, 5)) == date(2027, 5, 25)
    assert not recall_running(year, (25, 5), date(2027, 5, 24))
    assert recall_running(year, (25, 5), date(2027, 5, 25))
    assert recall_running(year, (25, 5), date(2027, 5, 31))
    assert not recall_running(year, (25, 5), date(2027, 6, 1))
    assert recall_start(year, (10, 5)) == date(2027, 5, 10)


def test_a_leaver_may_not_borrow_whatever_else_holds() -> None:
    facts = ReaderFacts(category="student", class_name="9A", left=True)
    decision = check_can_borrow(
        DEFAULT_POLICY, facts, "STK", date(2027, 9, 6), [], SchoolCalendar()
    )
    assert decision.code is Code.LEFT_SCHOOL and not decision.allowed
    assert check_can_borrow(
        DEFAULT_POLICY,
        ReaderFacts(category="student"),
        "STK",
        date(2027, 9, 6),
        [],
        SchoolCalendar(),
    ).allowed


@pytest.mark.parametrize("value", ["25/05", "1/5", "15 / 04"])
def test_the_recall_day_is_read_from_the_config(value: str) -> None:
    day, month = (int(part) for part in value.replace(" ", "").split("/"))
    assert parse_config(
        {"year": {"recall_from": value}}, require_token=False
    ).year.recall_from == (
        day,
        month,
    )
    assert parse_config({}, require_token=False).year.recall_from == (25, 5)


@pytest.mark.parametrize("value", ["31/06", "25-05", "29/02", "01/09", "", "x" * 300])
def test_a_wrong_recall_day_names_its_key(value: str) -> None:
    with pytest.raises(ConfigError, match=r"year\.recall_from"):
        parse_config({"year": {"recall_from": value}}, require_token=False)
    with pytest.raises(ConfigError, match=r"year\.recall_from"):
        parse_config({"year": {"recall_from": 25}}, require_token=False)
