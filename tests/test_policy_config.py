"""Reading [calendar] and [loans] from TOML: defaults, overrides, one clear error per key."""

import tomllib
import unicodedata
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import ConfigError
from bot.core.loan_rules import DEFAULT_POLICY, WholeYear
from bot.core.policy_config import parse_calendar, parse_loan_policy

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


def toml(text: str) -> dict[str, Any]:
    return tomllib.loads(text)


def calendar_error(raw: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_calendar(raw)
    return caught.value


def loans_error(raw: dict[str, Any]) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_loan_policy(raw)
    return caught.value


# Defaults and the example file


def test_an_empty_loans_table_gives_the_default_policy() -> None:
    assert parse_loan_policy({}) == DEFAULT_POLICY


def test_an_empty_calendar_table_gives_the_2026_2027_defaults() -> None:
    calendar = parse_calendar({})
    assert calendar.closed_reason(date(2026, 10, 4)) == "Chủ nhật"
    assert calendar.closed_reason(date(2027, 2, 8)) == "Nghỉ Tết Nguyên đán"
    assert calendar.closed_reason(date(2027, 4, 16)) == "Giỗ Tổ Hùng Vương"
    assert calendar.closed_reason(date(2027, 4, 30)) is not None
    assert calendar.closed_reason(date(2027, 7, 1)) == "Nghỉ hè"
    assert calendar.is_open(date(2026, 10, 3))


def test_the_example_file_documents_the_default_loan_policy() -> None:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert parse_loan_policy(raw["loans"]) == DEFAULT_POLICY


def test_the_example_file_documents_the_default_calendar() -> None:
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    example = parse_calendar(raw["calendar"])
    default = parse_calendar({})
    day = date(2026, 6, 1)
    while day <= date(2027, 9, 30):
        assert example.closed_reason(day) == default.closed_reason(day), day
        assert example.is_long_break(day) == default.is_long_break(day), day
        day = date.fromordinal(day.toordinal() + 1)
    year = example.school_year_of(date(2026, 10, 1))
    assert year == default.school_year_of(date(2026, 10, 1))
    assert example.year_end_deadline(year) == date(2027, 5, 25)


# Calendar settings


@pytest.mark.parametrize("name", ["Thứ Bảy", "thu bay", "Thứ 7", "T7", "THỨ  BẢY"])
def test_saturdays_can_be_closed_by_any_usual_name(name: str) -> None:
    calendar = parse_calendar({"closed_weekdays": [name, "CN"]})
    assert calendar.closed_reason(date(2026, 10, 3)) == "Thứ Bảy"
    assert calendar.closed_reason(date(2026, 10, 4)) == "Chủ nhật"


def test_a_decomposed_weekday_name_is_understood() -> None:
    calendar = parse_calendar({"closed_weekdays": [unicodedata.normalize("NFD", "Chủ nhật")]})
    assert not calendar.is_open(date(2026, 10, 4))


def test_no_closed_weekday_opens_sundays() -> None:
    assert parse_calendar({"closed_weekdays": []}).is_open(date(2026, 10, 4))


def test_closed_days_and_ranges_are_read_with_their_reasons() -> None:
    calendar = parse_calendar(
        toml(
            """
            closed = [
                { from = 2027-02-03, to = 2027-02-16, reason = "Nghỉ Tết Nguyên đán" },
                { date = "20/11/2026", reason = "Ngày Nhà giáo Việt Nam" },
                { date = 2026-12-22 },
            ]
            """
        )
    )
    assert calendar.closed_reason(date(2027, 2, 16)) == "Nghỉ Tết Nguyên đán"
    assert calendar.is_open(date(2027, 2, 1))
    assert calendar.closed_reason(date(2026, 11, 20)) == "Ngày Nhà giáo Việt Nam"
    assert calendar.closed_reason(date(2026, 12, 22)) == "Thư viện nghỉ"
    assert calendar.is_long_break(date(2027, 2, 10))


def test_yearly_holidays_replace_the_default_ones() -> None:
    calendar = parse_calendar(
        toml('yearly_holidays = [{ day = "22/12", reason = "Ngày thành lập QĐND" }]')
    )
    assert calendar.closed_reason(date(2026, 12, 22)) == "Ngày thành lập QĐND"
    assert calendar.is_open(date(2027, 4, 30))


def test_extra_opening_days_and_summer_opening_are_read() -> None:
    calendar = parse_calendar(
        toml(
            """
            open_days = [2027-01-10, "17/01/2027"]
            summer_open = [{ from = 2027-06-07, to = 2027-07-16 }]
            """
        )
    )
    assert calendar.is_open(date(2027, 1, 10))
    assert calendar.is_open(date(2027, 1, 17))
    assert calendar.is_open(date(2027, 6, 7))
    assert calendar.closed_reason(date(2027, 7, 19)) == "Nghỉ hè"


def test_a_year_given_by_its_start_only_takes_the_usual_other_dates() -> None:
    calendar = parse_calendar(toml("years = [{ start = 2027-08-30 }]"))
    year = calendar.school_year_of(date(2027, 10, 1))
    assert (year.name, year.start, year.end) == ("2027-2028", date(2027, 8, 30), date(2028, 5, 31))
    assert calendar.year_end_deadline(year) == date(2028, 5, 25)


def test_a_fully_configured_year_is_read() -> None:
    calendar = parse_calendar(
        toml(
            """
            [[years]]
            start = "05/09/2026"
            semester1_end = 2027-01-09
            semester2_start = 2027-01-11
            end = 2027-05-28
            return_by = 2027-05-21
            """
        )
    )
    year = calendar.school_year_of(date(2027, 1, 10))
    assert year.semester_of(date(2027, 1, 10)) is None
    assert calendar.year_end_deadline(year) == date(2027, 5, 21)
    assert calendar.closed_reason(date(2027, 5, 29)) == "Nghỉ hè"


# Loan settings


def test_a_category_period_applies_to_every_kind_of_that_category() -> None:
    policy = parse_loan_policy(toml("[student]\nperiod_days = 10"))
    assert policy.rule_for("student", "Truyện").period_days == 10
    assert policy.rule_for("student", "SGK").period_days == 10
    assert policy.rule_for("teacher", "Truyện").period_days == 14


def test_a_kind_setting_wins_over_its_category() -> None:
    policy = parse_loan_policy(
        toml(
            """
            [student]
            period_days = 10
            [student."Truyện"]
            period_days = 5
            max_open_loans = 2
            """
        )
    )
    assert policy.rule_for("student", "Truyện").period_days == 5
    assert policy.rule_for("student", "Truyện").max_open_loans == 2
    assert policy.rule_for("student", "STK").period_days == 10


def test_a_kind_with_a_comma_is_written_quoted() -> None:
    policy = parse_loan_policy(toml('[teacher."Báo, tạp chí"]\nlendable = false'))
    assert not policy.rule_for("teacher", "Báo, tạp chí").lendable


def test_a_decomposed_kind_name_in_the_file_is_understood() -> None:
    name = unicodedata.normalize("NFD", "Nghiệp vụ")
    policy = parse_loan_policy({"staff": {name: {"lendable": False}}})
    assert not policy.rule_for("staff", "Nghiệp vụ").lendable


def test_kind_settings_keep_the_defaults_they_do_not_mention() -> None:
    policy = parse_loan_policy(toml("[student.SGK]\nrenewals_allowed = 0"))
    rule = policy.rule_for("student", "SGK")
    assert rule.whole_year is WholeYear.DISADVANTAGED
    assert rule.renewals_allowed == 0
    assert not policy.rule_for("student", "SGV").lendable


def test_whole_year_lending_can_be_changed() -> None:
    policy = parse_loan_policy(toml('[student.SGK]\nwhole_year = "always"'))
    assert policy.rule_for("student", "SGK").whole_year is WholeYear.ALWAYS


def test_library_wide_loan_settings_are_read() -> None:
    policy = parse_loan_policy(
        toml(
            """
            block_when_overdue_days = 0
            renew_when_overdue_days = 2
            hold_days = 3
            end_loans_at_year_end = false
            [teacher]
            max_open_loans = 20
            """
        )
    )
    assert policy.block_when_overdue_days == 0
    assert policy.renew_when_overdue_days == 2
    assert policy.hold_days == 3
    assert not policy.end_loans_at_year_end
    assert policy.max_open_loans("teacher") == 20
    assert policy.max_open_loans("student") == 3


# Errors name the key


def test_an_error_message_names_the_key_in_vietnamese() -> None:
    error = loans_error(toml("[student.STK]\nperiod_days = 0"))
    assert error.key == "loans.student.STK.period_days"
    assert str(error) == (
        "Cấu hình sai ở khóa 'loans.student.STK.period_days': phải từ 1 đến 365, không phải 0"
    )


@pytest.mark.parametrize("value", ['"7"', "true", "7.5"])
def test_a_period_that_is_not_a_whole_number_is_refused(value: str) -> None:
    error = loans_error(toml(f"[student.STK]\nperiod_days = {value}"))
    assert error.key == "loans.student.STK.period_days"
    assert "số nguyên" in str(error)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[student]\nmax_open_loans = 0", "loans.student.max_open_loans"),
        ("[teacher]\nrenewals_allowed = -1", "loans.teacher.renewals_allowed"),
        ("hold_days = 0", "loans.hold_days"),
        ("block_when_overdue_days = -1", "loans.block_when_overdue_days"),
        ('end_loans_at_year_end = "yes"', "loans.end_loans_at_year_end"),
        ('[staff.SGV]\nlendable = "no"', "loans.staff.SGV.lendable"),
        ('[teacher.SGV]\nwhole_year = "year"', "loans.teacher.SGV.whole_year"),
        ("[student.Truyen]\nperiod_days = 7", "loans.student.Truyen"),
        ("[student]\nperiod_day = 7", "loans.student.period_day"),
        ("[student.STK]\nperiods = 7", "loans.student.STK.periods"),
        ("[students]\nperiod_days = 7", "loans.students"),
        ('student = "all"', "loans.student"),
    ],
)
def test_a_wrong_loan_setting_names_its_key(text: str, key: str) -> None:
    assert loans_error(toml(text)).key == key


def test_an_unknown_kind_error_lists_the_kinds() -> None:
    error = loans_error(toml("[student.Truyen]\nperiod_days = 7"))
    assert "Truyện" in str(error)
    assert "Báo, tạp chí" in str(error)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('closed_weekdays = ["Thứ Tám"]', "calendar.closed_weekdays[1]"),
        ("closed_weekdays = [7]", "calendar.closed_weekdays[1]"),
        ('closed_weekdays = "CN"', "calendar.closed_weekdays"),
        ("closed = [{ from = 2027-02-12, to = 2027-02-01 }]", "calendar.closed[1]"),
        ('closed = [{ date = 2026-11-20 }, { reason = "Tết" }]', "calendar.closed[2]"),
        (
            "closed = [{ date = 2026-11-20, from = 2026-11-20, to = 2026-11-21 }]",
            "calendar.closed[1]",
        ),
        ('closed = [{ date = "31/02/2027" }]', "calendar.closed[1].date"),
        ('closed = [{ date = "next monday" }]', "calendar.closed[1].date"),
        ("closed = [{ date = 2026-11-20T08:00:00 }]", "calendar.closed[1].date"),
        ('closed = [{ date = 2026-11-20, reason = "" }]', "calendar.closed[1].reason"),
        ('closed = [{ date = 2026-11-20, why = "x" }]', "calendar.closed[1].why"),
        ('closed = ["2026-11-20"]', "calendar.closed[1]"),
        ('yearly_holidays = [{ day = "31/02", reason = "x" }]', "calendar.yearly_holidays[1].day"),
        ('yearly_holidays = [{ day = "30-04", reason = "x" }]', "calendar.yearly_holidays[1].day"),
        ('yearly_holidays = [{ day = "30/04" }]', "calendar.yearly_holidays[1]"),
        ('open_days = ["mai"]', "calendar.open_days[1]"),
        ("summer_open = [{ from = 2027-06-07 }]", "calendar.summer_open[1]"),
        ("years = [{ end = 2027-05-31 }]", "calendar.years[1]"),
        ("years = [{ start = 2026-09-05, end = 2028-05-31 }]", "calendar.years[1]"),
        ("years = [{ start = 2026-09-05, holidays = 3 }]", "calendar.years[1].holidays"),
        ("years = [{ start = 2026-09-05 }, { start = 2026-08-30 }]", "calendar.years"),
        ("holidays = []", "calendar.holidays"),
    ],
)
def test_a_wrong_calendar_setting_names_its_key(text: str, key: str) -> None:
    assert calendar_error(toml(text)).key == key


def test_a_library_closed_all_week_is_refused() -> None:
    days = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
    error = calendar_error({"closed_weekdays": days})
    assert error.key == "calendar.closed_weekdays"
    assert "bảy ngày" in str(error)


def test_a_year_running_into_the_next_one_is_refused() -> None:
    error = calendar_error(
        toml("years = [{ start = 2026-09-05, end = 2027-09-10, return_by = 2027-05-25 }]")
    )
    assert error.key == "calendar.years"
    assert "2027-2028" in str(error)


def test_a_date_time_where_a_date_is_expected_is_refused() -> None:
    error = calendar_error({"open_days": [datetime(2027, 1, 10, 8, 0)]})
    assert error.key == "calendar.open_days[1]"
    assert "01/02/2027" in str(error)
