"""The team's rules: the meeting day, its notices, the roster's rotation, the [team] table."""

import unicodedata
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError
from bot.core.calendar import FRIDAY, THURSDAY, DayRange, SchoolCalendar
from bot.core.policy_config import parse_calendar
from bot.core.team import (
    AGENDA_LIMIT,
    DEFAULT_SETTINGS,
    LAST,
    Member,
    MoveProblem,
    RotationKey,
    Step,
    TeamSettings,
    check_agenda,
    cleanup_days,
    default_agenda,
    due_step,
    meeting_day,
    next_on_duty,
    next_wakeup,
    parse_new_time,
    parse_team_config,
    plan_roster,
    roster_due_day,
    rotation_key,
    rule_day,
    step_moments,
    step_token,
    week_key,
)

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = parse_calendar({})
TEAM = [
    Member(1, "Nguyễn Thị Hoa"),
    Member(2, "Trần Văn An"),
    Member(3, "Lê Minh Châu"),
    Member(4, "Phạm Quốc Bảo"),
    Member(5, "Đỗ Thu Dung"),
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), HANOI)


def key_of(member: Member) -> RotationKey:
    return rotation_key(member.account_id, member.name)


# --- the meeting day ---------------------------------------------------------------------------


def test_the_meeting_is_on_the_last_friday_of_the_month() -> None:
    assert meeting_day(2026, 11, DEFAULT_SETTINGS, CALENDAR) == date(2026, 11, 27)
    assert meeting_day(2026, 10, DEFAULT_SETTINGS, CALENDAR) == date(2026, 10, 30)
    assert meeting_day(2027, 3, DEFAULT_SETTINGS, CALENDAR) == date(2027, 3, 26)


def test_a_last_friday_on_a_holiday_moves_to_the_open_day_before() -> None:
    # 30/04/2027 is a Friday and a public holiday.
    assert rule_day(2027, 4, DEFAULT_SETTINGS) == date(2027, 4, 30)
    assert meeting_day(2027, 4, DEFAULT_SETTINGS, CALENDAR) == date(2027, 4, 29)


def test_a_closed_stretch_at_the_end_of_the_month_moves_the_meeting_before_it() -> None:
    calendar = SchoolCalendar(closed=[DayRange(date(2027, 1, 26), date(2027, 1, 30), "Nghỉ")])
    assert meeting_day(2027, 1, DEFAULT_SETTINGS, calendar) == date(2027, 1, 25)


def test_no_meeting_in_a_month_the_library_is_closed_all_along() -> None:
    assert meeting_day(2027, 6, DEFAULT_SETTINGS, CALENDAR) is None
    assert meeting_day(2027, 7, DEFAULT_SETTINGS, CALENDAR) is None


def test_a_first_friday_on_new_year_moves_to_the_next_open_day_of_the_month() -> None:
    first_friday = TeamSettings(meeting_week=1)
    assert rule_day(2027, 1, first_friday) == date(2027, 1, 1)
    assert meeting_day(2027, 1, first_friday, CALENDAR) == date(2027, 1, 2)


def test_the_nth_weekday_rule() -> None:
    second_wednesday = TeamSettings(meeting_weekday=2, meeting_week=2)
    assert rule_day(2026, 11, second_wednesday) == date(2026, 11, 11)
    assert rule_day(2026, 12, TeamSettings(meeting_week=4)) == date(2026, 12, 25)


# --- notices -----------------------------------------------------------------------------------


def test_notices_go_three_days_before_and_on_the_morning_then_the_roll_at_the_start() -> None:
    start = at(date(2026, 11, 27), 15, 30)
    assert step_moments(start, DEFAULT_SETTINGS) == {
        Step.BEFORE: at(date(2026, 11, 24), 7),
        Step.MORNING: at(date(2026, 11, 27), 7),
        Step.START: start,
    }
    timeline = [
        (at(date(2026, 11, 24), 6, 59), None),
        (at(date(2026, 11, 24), 7), Step.BEFORE),
        (at(date(2026, 11, 26), 20), Step.BEFORE),
        (at(date(2026, 11, 27), 7), Step.MORNING),
        (at(date(2026, 11, 27), 15, 29), Step.MORNING),
        (at(date(2026, 11, 27), 15, 30), Step.START),
        (at(date(2026, 11, 27), 23, 59), Step.START),
        (at(date(2026, 11, 28), 0), None),
    ]
    for now, expected in timeline:
        assert due_step(start, DEFAULT_SETTINGS, now) == expected, now


def test_without_an_early_notice_only_the_morning_one_goes() -> None:
    settings = TeamSettings(notice_days_before=0)
    start = at(date(2026, 11, 27), 15, 30)
    assert Step.BEFORE not in step_moments(start, settings)
    assert due_step(start, settings, at(date(2026, 11, 26), 8)) is None


def test_an_early_meeting_gets_its_morning_notice_before_it_starts() -> None:
    start = at(date(2026, 11, 27), 6, 30)
    assert step_moments(start, DEFAULT_SETTINGS)[Step.MORNING] == start
    assert due_step(start, DEFAULT_SETTINGS, at(date(2026, 11, 27), 6, 45)) == Step.START


def test_a_moved_meeting_starts_new_steps() -> None:
    assert step_token(Step.BEFORE, 0) == "before"
    assert step_token(Step.MORNING, 2) == "morning2"


# --- the month's tasks ---------------------------------------------------------------------------


def test_every_month_has_an_agenda_from_the_plan_that_fits_a_message() -> None:
    for month in range(1, 13):
        agenda = default_agenda(month)
        assert f"tháng {month}" in agenda
        assert len(agenda) <= AGENDA_LIMIT
        assert unicodedata.is_normalized("NFC", agenda)
        assert check_agenda(agenda) == agenda


def test_the_november_meeting_plans_december() -> None:
    agenda = default_agenda(11)
    assert "tháng 12:" in agenda
    assert "Quân đội nhân dân Việt Nam 22/12" in agenda
    assert "Vệ sinh, sắp xếp lại thư viện vào thứ Sáu hằng tuần." in agenda
    assert "tháng 1:" in default_agenda(12)


def test_an_agenda_must_have_text_and_fit() -> None:
    assert check_agenda("  \n ") is None
    assert check_agenda("x" * (AGENDA_LIMIT + 1)) is None
    # Telegram counts an emoji as two: 1,600 of them do not fit.
    assert check_agenda("📚" * 1600) is None
    assert check_agenda("📚" * 1500) == "📚" * 1500
    typed = unicodedata.normalize("NFD", "  Họp bàn Ngày sách Việt Nam 📚 ")
    assert check_agenda(typed) == "Họp bàn Ngày sách Việt Nam 📚"


# --- the clean-up roster -------------------------------------------------------------------------


def test_members_take_turns_by_given_name() -> None:
    order = [next_on_duty(TEAM, None, 5)[i].name for i in range(5)]
    assert order == [
        "Trần Văn An",
        "Phạm Quốc Bảo",
        "Lê Minh Châu",
        "Đỗ Thu Dung",
        "Nguyễn Thị Hoa",
    ]
    after_chau = next_on_duty(TEAM, key_of(TEAM[2]), 2)
    assert [m.name for m in after_chau] == ["Đỗ Thu Dung", "Nguyễn Thị Hoa"]
    assert [m.name for m in next_on_duty(TEAM, key_of(TEAM[0]), 1)] == ["Trần Văn An"]


def test_a_small_team_is_on_duty_together() -> None:
    assert len(next_on_duty(TEAM[:2], None, 3)) == 2
    assert next_on_duty([], None, 1) == []


def test_closed_fridays_are_skipped_and_use_nobody_s_turn() -> None:
    # Tết 2027: the library is closed from 01/02 to 12/02.
    days = cleanup_days(date(2027, 1, 25), 5, DEFAULT_SETTINGS)
    assert days[0] == date(2027, 1, 29)
    weeks = plan_roster(days, CALENDAR, TEAM, None, 1, {})
    assert [w.closed_reason is not None for w in weeks] == [False, True, True, False, False]
    assert weeks[1].on_duty == () and "Tết" in (weeks[1].closed_reason or "")
    assert [w.on_duty[0].name for w in weeks if w.on_duty] == [
        "Trần Văn An",
        "Phạm Quốc Bảo",
        "Lê Minh Châu",
    ]


def test_the_rotation_is_fair_across_the_months_of_a_school_year() -> None:
    """Month after month, each plan going on after the last one posted, as the job does."""
    counts: Counter[int] = Counter()
    last_turn: dict[int, int] = {}
    gaps: set[int] = set()
    after: RotationKey | None = None
    turn = 0
    month_start = date(2026, 9, 1)
    while month_start < date(2027, 6, 1):
        next_month = (month_start + timedelta(days=32)).replace(day=1)
        days = [
            d
            for d in cleanup_days(month_start, 6, DEFAULT_SETTINGS)
            if d < next_month and CALENDAR.is_open(d)
        ]
        for week in plan_roster(days, CALENDAR, TEAM, after, 2, {}):
            for member in week.on_duty:
                counts[member.account_id] += 1
                if member.account_id in last_turn:
                    gaps.add(turn - last_turn[member.account_id])
                last_turn[member.account_id] = turn
            after = key_of(week.on_duty[-1])
            turn += 1
        month_start = next_month
    assert sum(counts.values()) == 2 * turn and turn > 30
    assert max(counts.values()) - min(counts.values()) <= 1
    # Two a week out of five: everyone comes back after two or three weeks, never sooner.
    assert gaps <= {2, 3}


def test_what_was_posted_stays_and_the_rotation_goes_on_after_it() -> None:
    days = cleanup_days(date(2026, 11, 23), 3, DEFAULT_SETTINGS)
    posted = {days[0]: [TEAM[4]]}
    weeks = plan_roster(days, CALENDAR, TEAM, None, 1, posted)
    assert [w.on_duty[0].name for w in weeks] == [
        "Đỗ Thu Dung",
        "Nguyễn Thị Hoa",
        "Trần Văn An",
    ]


def test_a_newcomer_takes_their_place_in_the_order_without_skipping_anyone() -> None:
    newcomer = Member(6, "Vũ Hải Bình")
    after_bao = key_of(TEAM[3])
    assert next_on_duty([*TEAM, newcomer], after_bao, 1) == [newcomer]
    assert next_on_duty(TEAM, key_of(newcomer), 1)[0].name == "Lê Minh Châu"


def test_the_roster_is_posted_from_thursday_morning_until_friday_ends() -> None:
    thursday = date(2026, 11, 26)
    assert thursday.weekday() == THURSDAY
    assert roster_due_day(at(thursday, 6, 59), DEFAULT_SETTINGS) is None
    assert roster_due_day(at(thursday, 7), DEFAULT_SETTINGS) == date(2026, 11, 27)
    assert roster_due_day(at(date(2026, 11, 27), 22), DEFAULT_SETTINGS) == date(2026, 11, 27)
    assert roster_due_day(at(date(2026, 11, 28), 7), DEFAULT_SETTINGS) is None
    assert week_key(date(2026, 11, 27)) == "2026-W48"
    assert week_key(date(2027, 1, 1)) == "2026-W53"


def test_the_next_wakeup_is_the_earliest_moment_ahead() -> None:
    now = at(date(2026, 11, 24), 7)
    moments = [now - timedelta(hours=1), now, now + timedelta(hours=3), now + timedelta(days=1)]
    assert next_wakeup(moments, now) == now + timedelta(hours=3)
    assert next_wakeup([now], now) is None


# --- the librarian's new time --------------------------------------------------------------------


def test_a_new_time_is_read_in_the_ways_people_type_it() -> None:
    now = at(date(2026, 11, 24), 9)
    assert parse_new_time("28/11 09:00", now) == at(date(2026, 11, 28), 9)
    assert parse_new_time("28/11 15h30", now) == at(date(2026, 11, 28), 15, 30)
    assert parse_new_time(" 3/12 8h ", now) == at(date(2026, 12, 3), 8)
    assert parse_new_time("03/12/2026 14 giờ 15", now) == at(date(2026, 12, 3), 14, 15)
    december = at(date(2026, 12, 28), 9)
    assert parse_new_time("05/01 15:30", december) == at(date(2027, 1, 5), 15, 30)


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("mai nhé", MoveProblem.FORMAT),
        ("28/11", MoveProblem.FORMAT),
        ("", MoveProblem.FORMAT),
        ("😀" * 50, MoveProblem.FORMAT),
        ("31/02 10:00", MoveProblem.DATE),
        ("28/11 25:00", MoveProblem.DATE),
        ("28/11 10:75", MoveProblem.DATE),
        ("01/11 10:00", MoveProblem.PAST),
        ("24/11 08:00", MoveProblem.PAST),
        ("24/11/2028 08:00", MoveProblem.FAR),
    ],
)
def test_a_bad_new_time_is_refused_with_its_reason(typed: str, problem: MoveProblem) -> None:
    assert parse_new_time(typed, at(date(2026, 11, 24), 9)) is problem


# --- the [team] table ----------------------------------------------------------------------------


def test_an_empty_team_table_keeps_the_defaults() -> None:
    assert parse_team_config({}) == DEFAULT_SETTINGS
    assert DEFAULT_SETTINGS.meeting_weekday == FRIDAY and DEFAULT_SETTINGS.meeting_week == LAST
    assert DEFAULT_SETTINGS.meeting_time == time(15, 30)


def test_the_team_table_is_read() -> None:
    settings = parse_team_config(
        {
            "meeting_weekday": "Thứ Năm",
            "meeting_week": "cuối",
            "meeting_time": "14:00",
            "meeting_place": "Phòng họp tầng 2",
            "notice_days_before": 2,
            "notice_time": time(6, 45),
            "cleanup_weekday": "T6",
            "cleanup_per_week": 2,
        }
    )
    assert settings == TeamSettings(
        meeting_weekday=THURSDAY,
        meeting_week=LAST,
        meeting_time=time(14, 0),
        meeting_place="Phòng họp tầng 2",
        notice_days_before=2,
        notice_time=time(6, 45),
        cleanup_weekday=FRIDAY,
        cleanup_per_week=2,
    )
    assert parse_team_config({"meeting_week": 2}).meeting_week == 2


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ({"meeting_day": "Thứ Sáu"}, "team.meeting_day"),
        ({"meeting_weekday": "Thứ Tám"}, "team.meeting_weekday"),
        ({"meeting_week": 5}, "team.meeting_week"),
        ({"meeting_week": True}, "team.meeting_week"),
        ({"meeting_time": "25:00"}, "team.meeting_time"),
        ({"notice_time": 7}, "team.notice_time"),
        ({"meeting_place": ""}, "team.meeting_place"),
        ({"notice_days_before": -1}, "team.notice_days_before"),
        ({"cleanup_per_week": 0}, "team.cleanup_per_week"),
        ({"cleanup_weekday": 4}, "team.cleanup_weekday"),
    ],
)
def test_a_wrong_team_key_is_named(raw: dict, key: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_team_config(raw)
    assert error.value.key == key
