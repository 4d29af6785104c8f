"""Build the school calendar and the loan policy from the [calendar] and [loans] TOML tables."""

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NoReturn

from bot.core.calendar import (
    DEFAULT_CLOSED,
    DEFAULT_CLOSED_REASON,
    DEFAULT_CLOSED_WEEKDAYS,
    DEFAULT_YEARLY_HOLIDAYS,
    WEEKDAY_NAMES,
    DayRange,
    SchoolCalendar,
    SchoolYear,
    YearlyHoliday,
    standard_year,
)
from bot.core.loan_rules import (
    CATEGORIES,
    DEFAULT_POLICY,
    KINDS,
    CategoryRules,
    LoanPolicy,
    LoanRule,
    WholeYear,
)
from bot.core.textfold import fold, normalize

CALENDAR_KEYS = frozenset(
    {"closed_weekdays", "yearly_holidays", "closed", "open_days", "summer_open", "years"}
)
YEAR_KEYS = frozenset({"start", "semester1_end", "semester2_start", "end", "return_by"})
RANGE_KEYS = frozenset({"date", "from", "to", "reason"})
HOLIDAY_KEYS = frozenset({"day", "reason"})

LOANS_KEYS = frozenset(
    {"block_when_overdue_days", "renew_when_overdue_days", "hold_days", "end_loans_at_year_end"}
)
PERIOD_KEYS = ("period_days", "renewals_allowed", "renewal_days")
CATEGORY_KEYS = frozenset({"max_open_loans", *PERIOD_KEYS})
KIND_KEYS = frozenset({"lendable", "max_open_loans", "whole_year", *PERIOD_KEYS})

# (smallest, largest) accepted for each number; the upper ends only catch typing slips.
BOUNDS = {
    "block_when_overdue_days": (0, 365),
    "renew_when_overdue_days": (0, 365),
    "hold_days": (1, 30),
    "period_days": (1, 365),
    "renewal_days": (1, 365),
    "renewals_allowed": (0, 20),
    "max_open_loans": (1, 200),
}

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DM = re.compile(r"(\d{1,2})/(\d{1,2})")


def _weekday_aliases() -> dict[str, int]:
    aliases = {fold(name): number for number, name in enumerate(WEEKDAY_NAMES)}
    for number in range(6):
        aliases[f"thu {number + 2}"] = number
        aliases[f"t{number + 2}"] = number
    aliases["cn"] = 6
    return aliases


WEEKDAY_ALIASES = _weekday_aliases()


def _fail(key: str, problem: str) -> NoReturn:
    # bot.config imports this module; importing it here keeps the cycle safe in either order.
    from bot.config import ConfigError

    raise ConfigError(key, problem)


def _only_keys(table: Mapping[str, Any], key: str, allowed: frozenset[str]) -> None:
    for name in table:
        if name not in allowed:
            _fail(f"{key}.{name}", "khóa không được hỗ trợ; dùng: " + ", ".join(sorted(allowed)))


def _table(value: object, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _fail(key, "phải là một bảng, ví dụ { from = 2027-02-01, to = 2027-02-12 }")
    return value


def _list(table: Mapping[str, Any], name: str, key: str) -> list[Any]:
    value = table[name]
    if not isinstance(value, list):
        _fail(key, "phải là một danh sách trong dấu ngoặc vuông [ ]")
    return value


def _date(value: object, key: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        text = value.strip()
        match = _DMY.fullmatch(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                return date(year, month, day)
            return date.fromisoformat(text)
        except ValueError:
            pass
    _fail(key, f'“{value}” không phải ngày; viết 2027-02-01 hoặc "01/02/2027"')


def _day_month(value: object, key: str) -> tuple[int, int]:
    match = _DM.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        day, month = (int(part) for part in match.groups())
        return month, day
    _fail(key, f'“{value}” không phải ngày/tháng; viết "30/04"')


def _text(value: object, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(key, "phải là một chuỗi không rỗng trong dấu ngoặc kép")
    return normalize(value.strip())


def _int(table: Mapping[str, Any], name: str, key: str) -> int:
    value = table[name]
    low, high = BOUNDS[name]
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(key, "phải là một số nguyên")
    if not low <= value <= high:
        _fail(key, f"phải từ {low} đến {high}, không phải {value}")
    return value


def _bool(table: Mapping[str, Any], name: str, key: str) -> bool:
    value = table[name]
    if not isinstance(value, bool):
        _fail(key, "phải là true hoặc false")
    return value


def _range(value: object, key: str, default_reason: str) -> DayRange:
    table = _table(value, key)
    _only_keys(table, key, RANGE_KEYS)
    if "date" in table:
        if "from" in table or "to" in table:
            _fail(key, "dùng hoặc date, hoặc from và to, không dùng cả hai")
        first = last = _date(table["date"], f"{key}.date")
    elif "from" in table and "to" in table:
        first = _date(table["from"], f"{key}.from")
        last = _date(table["to"], f"{key}.to")
    else:
        _fail(key, "cần date = một ngày, hoặc from và to cho một khoảng ngày")
    reason = _text(table["reason"], f"{key}.reason") if "reason" in table else default_reason
    try:
        return DayRange(first, last, reason)
    except ValueError as exc:
        _fail(key, str(exc))


def _weekdays(raw: Mapping[str, Any]) -> frozenset[int]:
    if "closed_weekdays" not in raw:
        return DEFAULT_CLOSED_WEEKDAYS
    key = "calendar.closed_weekdays"
    weekdays = set()
    for index, value in enumerate(_list(raw, "closed_weekdays", key), 1):
        name = " ".join(fold(value).split()) if isinstance(value, str) else None
        if name not in WEEKDAY_ALIASES:
            _fail(
                f"{key}[{index}]",
                f'“{value}” không phải ngày trong tuần; viết "Thứ Bảy", "Chủ nhật"…',
            )
        weekdays.add(WEEKDAY_ALIASES[name])
    if len(weekdays) == 7:
        _fail(key, "thư viện không thể nghỉ cả bảy ngày trong tuần")
    return frozenset(weekdays)


def _holidays(raw: Mapping[str, Any]) -> tuple[YearlyHoliday, ...]:
    if "yearly_holidays" not in raw:
        return DEFAULT_YEARLY_HOLIDAYS
    holidays = []
    for index, value in enumerate(_list(raw, "yearly_holidays", "calendar.yearly_holidays"), 1):
        key = f"calendar.yearly_holidays[{index}]"
        table = _table(value, key)
        _only_keys(table, key, HOLIDAY_KEYS)
        if "day" not in table or "reason" not in table:
            _fail(key, 'cần day = "ngày/tháng" và reason = "tên ngày lễ"')
        month, day = _day_month(table["day"], f"{key}.day")
        try:
            holidays.append(YearlyHoliday(month, day, _text(table["reason"], f"{key}.reason")))
        except ValueError:
            _fail(f"{key}.day", f"“{table['day']}” không có trong năm")
    return tuple(holidays)


def _ranges(
    raw: Mapping[str, Any], name: str, default: tuple[DayRange, ...], reason: str
) -> tuple[DayRange, ...]:
    if name not in raw:
        return default
    key = f"calendar.{name}"
    return tuple(
        _range(value, f"{key}[{index}]", reason)
        for index, value in enumerate(_list(raw, name, key), 1)
    )


def _year(value: object, key: str) -> SchoolYear:
    table = _table(value, key)
    _only_keys(table, key, YEAR_KEYS)
    if "start" not in table:
        _fail(key, "cần start = ngày bắt đầu năm học, ví dụ 2026-09-05")
    start = _date(table["start"], f"{key}.start")
    standard = standard_year(start.year)
    fields = {
        name: _date(table[name], f"{key}.{name}") if name in table else getattr(standard, name)
        for name in YEAR_KEYS
    }
    try:
        return SchoolYear(**fields)
    except ValueError as exc:
        _fail(key, str(exc))


def parse_calendar(raw: Mapping[str, Any]) -> SchoolCalendar:
    """Build the school calendar from the [calendar] table; a missing key keeps its default."""
    _only_keys(raw, "calendar", CALENDAR_KEYS)
    open_days: tuple[date, ...] = ()
    if "open_days" in raw:
        open_days = tuple(
            _date(value, f"calendar.open_days[{index}]")
            for index, value in enumerate(_list(raw, "open_days", "calendar.open_days"), 1)
        )
    years: tuple[SchoolYear, ...] = ()
    if "years" in raw:
        years = tuple(
            _year(value, f"calendar.years[{index}]")
            for index, value in enumerate(_list(raw, "years", "calendar.years"), 1)
        )
    closed_weekdays = _weekdays(raw)
    yearly_holidays = _holidays(raw)
    closed = _ranges(raw, "closed", DEFAULT_CLOSED, DEFAULT_CLOSED_REASON)
    summer_open = _ranges(raw, "summer_open", (), "")
    try:
        return SchoolCalendar(
            closed_weekdays=closed_weekdays,
            yearly_holidays=yearly_holidays,
            closed=closed,
            open_days=open_days,
            summer_open=summer_open,
            years=years,
        )
    except ValueError as exc:
        # Weekdays are checked above, so what the calendar refuses is the list of years.
        _fail("calendar.years", str(exc))


def _kind_values(table: Mapping[str, Any], key: str) -> dict[str, Any]:
    _only_keys(table, key, KIND_KEYS)
    values: dict[str, Any] = {
        name: _int(table, name, f"{key}.{name}")
        for name in (*PERIOD_KEYS, "max_open_loans")
        if name in table
    }
    if "lendable" in table:
        values["lendable"] = _bool(table, "lendable", f"{key}.lendable")
    if "whole_year" in table:
        choice = table["whole_year"]
        if choice not in {option.value for option in WholeYear}:
            _fail(
                f"{key}.whole_year",
                'phải là "never" (không), "always" (luôn cho mượn cả năm) hoặc '
                '"disadvantaged" (cả năm cho học sinh có hoàn cảnh khó khăn)',
            )
        values["whole_year"] = WholeYear(choice)
    return values


def _category(raw: Mapping[str, Any], category: str) -> CategoryRules:
    key = f"loans.{category}"
    base = DEFAULT_POLICY.categories[category]
    table = _table(raw.get(category, {}), key)
    kinds: dict[str, Mapping[str, Any]] = {}
    for name, value in table.items():
        if isinstance(value, Mapping):
            kind = normalize(name)
            if kind not in KINDS:
                _fail(f"{key}.{name}", "không phải loại sách; các loại: " + ", ".join(KINDS))
            kinds[kind] = value
        elif name not in CATEGORY_KEYS:
            _fail(
                f"{key}.{name}",
                "khóa không được hỗ trợ; dùng: "
                + ", ".join(sorted(CATEGORY_KEYS))
                + ", hoặc một bảng cho một loại sách",
            )
    shared = {name: _int(table, name, f"{key}.{name}") for name in PERIOD_KEYS if name in table}
    rules: dict[str, LoanRule] = {}
    for kind in KINDS:
        own = _kind_values(_table(kinds.get(kind, {}), f"{key}.{kind}"), f"{key}.{kind}")
        rules[kind] = dataclasses.replace(base.rules[kind], **{**shared, **own})
    max_open_loans = (
        _int(table, "max_open_loans", f"{key}.max_open_loans")
        if "max_open_loans" in table
        else base.max_open_loans
    )
    return CategoryRules(max_open_loans=max_open_loans, rules=rules)


def parse_loan_policy(raw: Mapping[str, Any]) -> LoanPolicy:
    """Build the loan policy from the [loans] table, over the defaults of DEFAULT_POLICY.

    A kind's own key wins over its category's, which wins over the default for that kind.
    """
    _only_keys(raw, "loans", LOANS_KEYS | set(CATEGORIES))
    values: dict[str, Any] = {
        name: _int(raw, name, f"loans.{name}")
        for name in ("block_when_overdue_days", "renew_when_overdue_days", "hold_days")
        if name in raw
    }
    if "end_loans_at_year_end" in raw:
        values["end_loans_at_year_end"] = _bool(
            raw, "end_loans_at_year_end", "loans.end_loans_at_year_end"
        )
    categories = {category: _category(raw, category) for category in CATEGORIES}
    return dataclasses.replace(DEFAULT_POLICY, categories=categories, **values)
