"""Reminder rules: which step each loan reaches, once per due date, quiet hours, settings."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import ConfigError
from bot.core.calendar import SchoolCalendar
from bot.core.reminders import (
    DEFAULT_SETTINGS,
    ESCALATED,
    DigestTurn,
    LoanStatus,
    Plan,
    ReminderSettings,
    Step,
    StepKind,
    catch_up_due,
    deliver_at,
    digest_turn,
    escalation_due_by,
    horizon,
    in_quiet_hours,
    iso_week,
    pages,
    parse_reminder_settings,
    plan_reminders,
    step_on,
    survey,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = SchoolCalendar()
MON = date(2026, 11, 23)
TUE, WED, THU, FRI, SAT, SUN = (MON + timedelta(days=n) for n in range(1, 7))
NEXT_MON = MON + timedelta(days=7)
TET_DAY = date(2027, 2, 3)


def loan(due: date, *, loan_id: int = 1, loaned: date | None = None, last: int = 0) -> LoanStatus:
    return LoanStatus(
        loan_id=loan_id, loaned_on=loaned or due - timedelta(days=30), due_on=due, last_rank=last
    )


def plan(today: date, loans: list[LoanStatus], rules: ReminderSettings = DEFAULT_SETTINGS) -> Plan:
    day = survey(today, CALENDAR, rules, [item.due_on for item in loans])
    return plan_reminders(day, loans)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HANOI)


# --- which step a due date has reached ----------------------------------------------------


def test_the_early_reminder_comes_two_library_days_before_skipping_sunday() -> None:
    assert step_on(NEXT_MON, THU, CALENDAR, DEFAULT_SETTINGS) is None
    assert step_on(NEXT_MON, FRI, CALENDAR, DEFAULT_SETTINGS) == Step(StepKind.BEFORE, 1, 2)
    assert step_on(NEXT_MON, SUN, CALENDAR, DEFAULT_SETTINGS) == Step(StepKind.BEFORE, 1, 1)


def test_no_early_reminder_when_before_days_is_zero() -> None:
    never_early = ReminderSettings(before_days=0)
    assert step_on(NEXT_MON, SAT, CALENDAR, never_early) is None
    assert horizon(SAT, CALENDAR, never_early) == SAT
    assert horizon(FRI, CALENDAR, DEFAULT_SETTINGS) == NEXT_MON


def test_the_due_day_has_its_own_step() -> None:
    assert step_on(TUE, TUE, CALENDAR, DEFAULT_SETTINGS) == Step(StepKind.DUE, 2, 0)


def test_overdue_steps_follow_library_days_late() -> None:
    def rank(day: date) -> int | None:
        step = step_on(TUE, day, CALENDAR, DEFAULT_SETTINGS)
        return None if step is None else step.rank

    assert rank(WED) == 3  # 1 day late
    assert rank(THU) == 3  # 2 days: still the first overdue step
    assert rank(FRI) == 4  # 3 days
    assert rank(SUN) == 4  # Sunday is closed: 4 days, as on Saturday
    assert rank(date(2026, 12, 1)) == 4  # 6 days
    assert rank(date(2026, 12, 2)) == 5  # 7 days: the last step
    step = step_on(TUE, date(2026, 12, 10), CALENDAR, DEFAULT_SETTINGS)
    assert step == Step(StepKind.OVERDUE, 5, 14)


def test_a_day_after_the_due_date_that_is_closed_is_not_late() -> None:
    assert step_on(SAT, SUN, CALENDAR, DEFAULT_SETTINGS) is None
    day = survey(SUN, CALENDAR, DEFAULT_SETTINGS, [SAT])
    assert day.late == {} and day.steps == {} and day.due_by(1) is None


# --- the plan of a day --------------------------------------------------------------------


def test_a_step_already_sent_is_not_sent_again_but_the_next_one_is() -> None:
    assert plan(WED, [loan(TUE, last=3)]).steps == {}
    assert plan(FRI, [loan(TUE, last=3)]).steps[1] == Step(StepKind.OVERDUE, 4, 3)


def test_after_the_clock_moves_back_no_earlier_step_is_sent() -> None:
    assert plan(WED, [loan(TUE, last=4)]).steps == {}
    assert plan(TUE, [loan(TUE, last=3)]).steps == {}


def test_a_step_missed_while_the_bot_was_down_is_sent_at_the_next_run() -> None:
    assert plan(SAT, [loan(TUE, last=2)]).steps[1] == Step(StepKind.OVERDUE, 4, 4)


def test_nothing_is_sent_on_the_day_of_the_loan() -> None:
    assert plan(FRI, [loan(NEXT_MON, loaned=FRI)]).steps == {}
    assert plan(SAT, [loan(NEXT_MON, loaned=FRI)]).steps[1].kind is StepKind.BEFORE


def test_loans_the_last_overdue_step_late_go_to_the_homeroom_teacher() -> None:
    six_late, seven_late = date(2026, 12, 1), date(2026, 12, 2)
    dues = [TUE, WED, THU]
    assert (
        escalation_due_by(survey(six_late, CALENDAR, DEFAULT_SETTINGS, dues), DEFAULT_SETTINGS)
        is None
    )
    day = survey(seven_late, CALENDAR, DEFAULT_SETTINGS, dues)
    assert day.late == {TUE: 7, WED: 6, THU: 5}
    assert escalation_due_by(day, DEFAULT_SETTINGS) == TUE
    assert day.due_by(6) == WED and day.due_by(8) is None
    sooner = ReminderSettings(overdue_days=(1, 5))
    assert escalation_due_by(day, sooner) == THU


def test_loans_due_on_one_day_share_the_decision_and_keep_their_own_history() -> None:
    loans = [loan(TUE, loan_id=n, last=3 if n % 2 else 0) for n in range(1, 7)]
    assert sorted(plan(WED, loans).steps) == [2, 4, 6]


def test_a_long_break_reminds_only_due_dates_inside_it() -> None:
    assert CALENDAR.is_long_break(TET_DAY)
    inside = loan(date(2027, 2, 5), loan_id=1)
    today = loan(TET_DAY, loan_id=2)
    after = loan(date(2027, 2, 15), loan_id=3)
    overdue = loan(date(2027, 1, 20), loan_id=4)
    decided = plan(TET_DAY, [inside, today, after, overdue])
    assert {loan_id: step.kind for loan_id, step in decided.steps.items()} == {
        1: StepKind.BEFORE,
        2: StepKind.DUE,
    }
    day = survey(TET_DAY, CALENDAR, DEFAULT_SETTINGS, [overdue.due_on])
    assert day.quiet_day and day.late[overdue.due_on] >= 7
    assert escalation_due_by(day, DEFAULT_SETTINGS) is None


def test_the_summer_is_a_long_break_too() -> None:
    summer = date(2027, 7, 15)
    assert plan(summer, [loan(date(2027, 5, 20))]).steps == {}
    day = survey(summer, CALENDAR, DEFAULT_SETTINGS, [date(2027, 5, 20)])
    assert escalation_due_by(day, DEFAULT_SETTINGS) is None


@settings(max_examples=60, deadline=None)
@given(
    due_offset=st.integers(min_value=-20, max_value=20),
    moves=st.lists(st.integers(min_value=-3, max_value=4), min_size=1, max_size=40),
)
def test_whatever_the_clock_does_each_step_is_sent_at_most_once_in_order(
    due_offset: int, moves: list[int]
) -> None:
    due = CALENDAR.next_open_day(MON + timedelta(days=due_offset))
    loaned = due - timedelta(days=25)
    last, sent = 0, []
    today = MON
    for move in moves:
        today += timedelta(days=move)
        decided = plan(today, [loan(due, loaned=loaned, last=last)])
        if 1 in decided.steps:
            sent.append(decided.steps[1].rank)
            last = decided.steps[1].rank
    assert sent == sorted(set(sent))
    assert len(sent) <= 2 + len(DEFAULT_SETTINGS.overdue_days)


@settings(max_examples=40, deadline=None)
@given(
    today=st.dates(min_value=date(2026, 9, 1), max_value=date(2027, 8, 31)),
    offsets=st.lists(st.integers(min_value=-120, max_value=10), min_size=1, max_size=12),
)
def test_the_survey_of_many_due_dates_agrees_with_the_rule_for_one(
    today: date, offsets: list[int]
) -> None:
    dues = [today + timedelta(days=offset) for offset in offsets]
    day = survey(today, CALENDAR, DEFAULT_SETTINGS, dues)
    assert day.quiet_day == CALENDAR.is_long_break(today)
    for due in dues:
        step = step_on(due, today, CALENDAR, DEFAULT_SETTINGS)
        late = CALENDAR.library_days_between(due, today)
        assert day.late.get(due, 0) == late
        if not day.quiet_day:
            assert day.steps.get(due) == step
        elif due in day.steps:
            assert day.steps[due] == step and CALENDAR.is_long_break(due)


# --- weekly digest ------------------------------------------------------------------------


def test_the_digest_goes_on_its_weekday_only_whatever_ran_before() -> None:
    assert digest_turn(MON, CALENDAR, DEFAULT_SETTINGS, None) == DigestTurn(MON)
    assert digest_turn(MON, CALENDAR, DEFAULT_SETTINGS, SAT - timedelta(days=7)) == DigestTurn(MON)
    for day in (WED, THU, FRI, SAT, SUN):
        assert digest_turn(day, CALENDAR, DEFAULT_SETTINGS, day - timedelta(days=3)) is None
    wednesday = ReminderSettings(digest_weekday=2)
    assert digest_turn(TUE, CALENDAR, wednesday, MON) is None
    assert digest_turn(WED, CALENDAR, wednesday, None) == DigestTurn(WED)
    assert digest_turn(date(2027, 2, 1), CALENDAR, DEFAULT_SETTINGS, None) is None
    assert iso_week(MON) == "2026-W48" and iso_week(date(2027, 1, 1)) == "2026-W53"


def test_a_digest_day_the_bot_was_down_goes_late_the_next_day_only() -> None:
    late = digest_turn(TUE, CALENDAR, DEFAULT_SETTINGS, SAT - timedelta(days=7))
    assert late == DigestTurn(MON, late=True) and late.week == "2026-W48"
    # The bot ran on the digest day: nothing was missed.
    assert digest_turn(TUE, CALENDAR, DEFAULT_SETTINGS, MON) is None
    # A bot that never ran before was not down: a new install sends nothing on a Tuesday.
    assert digest_turn(TUE, CALENDAR, DEFAULT_SETTINGS, None) is None
    assert digest_turn(WED, CALENDAR, DEFAULT_SETTINGS, SAT - timedelta(days=7)) is None
    # A Sunday digest missed goes on Monday, in the week of that Sunday.
    sunday = ReminderSettings(digest_weekday=6)
    missed = digest_turn(NEXT_MON, CALENDAR, sunday, FRI)
    assert missed == DigestTurn(SUN, late=True) and missed.week == "2026-W48"
    # A digest day inside Tết had no digest to miss.
    assert digest_turn(date(2027, 2, 2), CALENDAR, DEFAULT_SETTINGS, date(2027, 1, 29)) is None


# --- quiet hours --------------------------------------------------------------------------


def test_quiet_hours_over_midnight_push_messages_to_the_morning() -> None:
    assert deliver_at(at(TUE, 22), DEFAULT_SETTINGS) == at(WED, 6, 30)
    assert deliver_at(at(TUE, 21), DEFAULT_SETTINGS) == at(WED, 6, 30)
    assert deliver_at(at(TUE, 5), DEFAULT_SETTINGS) == at(TUE, 6, 30)
    assert deliver_at(at(TUE, 6, 30), DEFAULT_SETTINGS) == at(TUE, 6, 30)
    assert deliver_at(at(TUE, 20, 59), DEFAULT_SETTINGS) == at(TUE, 20, 59)


def test_quiet_hours_inside_one_day_and_none_at_all() -> None:
    lunch = ReminderSettings(quiet_start=time(11, 30), quiet_end=time(13, 30))
    assert deliver_at(at(TUE, 12), lunch) == at(TUE, 13, 30)
    assert deliver_at(at(TUE, 14), lunch) == at(TUE, 14)
    assert not in_quiet_hours(time(23), lunch)
    never = ReminderSettings(quiet_start=time(0), quiet_end=time(0))
    assert not in_quiet_hours(time(3), never) and deliver_at(at(TUE, 3), never) == at(TUE, 3)


def test_a_late_start_catches_up_only_while_the_day_can_still_be_delivered() -> None:
    assert not catch_up_due(at(TUE, 6, 59), DEFAULT_SETTINGS)
    assert catch_up_due(at(TUE, 7), DEFAULT_SETTINGS)
    assert catch_up_due(at(TUE, 15, 45), DEFAULT_SETTINGS)
    assert not catch_up_due(at(TUE, 21, 30), DEFAULT_SETTINGS)
    early = ReminderSettings(run_at=time(6))
    assert catch_up_due(at(TUE, 6, 10), early)


# --- long lists ---------------------------------------------------------------------------


def test_pages_keep_every_line_whole_and_under_the_limit() -> None:
    lines = [f"• dòng số {n} " + "x" * (n % 40) for n in range(300)]
    result = pages("Tiêu đề", lines, limit=500)
    assert len(result) > 1 and all(len(page) <= 500 for page in result)
    assert "\n".join(result).split("\n") == ["Tiêu đề", *lines]
    assert pages("Tiêu đề", []) == ["Tiêu đề"]


# --- the [reminders] table ----------------------------------------------------------------


def test_settings_default_and_read_from_the_table() -> None:
    assert parse_reminder_settings({}) == DEFAULT_SETTINGS
    parsed = parse_reminder_settings(
        {
            "time": "06:45",
            "before_days": 1,
            "overdue_days": [2, 5],
            "quiet_start": time(22, 0),
            "quiet_end": "6h00",
            "digest_weekday": "Thứ Sáu",
        }
    )
    assert parsed == ReminderSettings(
        run_at=time(6, 45),
        before_days=1,
        overdue_days=(2, 5),
        quiet_start=time(22),
        quiet_end=time(6),
        digest_weekday=4,
    )
    assert parsed.last_overdue_days == 5


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"hour": "07:00"}, "reminders.hour"),
        ({"time": "7 giờ"}, "reminders.time"),
        ({"time": "25:00"}, "reminders.time"),
        ({"quiet_end": 630}, "reminders.quiet_end"),
        ({"before_days": -1}, "reminders.before_days"),
        ({"before_days": True}, "reminders.before_days"),
        ({"overdue_days": []}, "reminders.overdue_days"),
        ({"overdue_days": [1, "3"]}, "reminders.overdue_days[2]"),
        ({"overdue_days": [3, 1]}, "reminders"),
        ({"digest_weekday": "Thứ Tám"}, "reminders.digest_weekday"),
    ],
)
def test_a_wrong_setting_names_its_key(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_reminder_settings(raw)
    assert caught.value.key == key


def test_overdue_steps_are_few_enough_to_stay_below_the_escalation_mark() -> None:
    with pytest.raises(ValueError, match="tối đa"):
        ReminderSettings(overdue_days=tuple(range(1, 12)))
    longest = ReminderSettings(overdue_days=tuple(range(1, 11)))
    assert step_on(MON, date(2027, 1, 30), CALENDAR, longest).rank < ESCALATED  # type: ignore[union-attr]
