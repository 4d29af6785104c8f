"""Typed configuration read once from TOML; a wrong key stops start-up with one clear message."""

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.calendar import WEEKDAY_NAMES, SchoolCalendar
from bot.core.loan_rules import LoanPolicy
from bot.core.policy_config import parse_calendar, parse_loan_policy
from bot.core.reminders import DEFAULT_SETTINGS as REMINDER_DEFAULTS
from bot.core.reminders import ReminderSettings, parse_reminder_settings
from bot.core.team import TeamSettings, parse_team_config
from bot.core.textfold import fold
from bot.core.wording import CONFIGURABLE, configured_address

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
DEFAULT_HOURS = "7:00 – 11:00 và 13:30 – 16:30"
TOKEN_ENV = "THUVIEN_TELEGRAM_TOKEN"
CONFIG_ENV = "THUVIEN_CONFIG"


class ConfigError(Exception):
    """A configuration problem, named by its key, fit to show as the only line at start-up."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"Cấu hình sai ở khóa '{key}': {problem}")
        self.key = key


class Secret:
    """A string that never shows itself in logs, reprs or tracebacks."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass(frozen=True)
class TelegramConfig:
    """How to reach the Bot API."""

    token: Secret
    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = DEFAULT_BASE_FILE_URL
    bot_username: str = ""
    rate_limit: bool = True


@dataclass(frozen=True)
class LibraryConfig:
    """Who the library is and who runs it."""

    name: str
    school: str
    timezone: ZoneInfo
    opening_hours: str
    librarians: frozenset[int]
    # How the bot calls the librarian ("cô", "thầy" …); empty: by name, no gender assumed.
    librarian_address: str = ""


@dataclass(frozen=True)
class AccountsConfig:
    """How readers link their chat accounts."""

    link_token_days: int = 30


@dataclass(frozen=True)
class PrivacyConfig:
    """Children's personal data: parents' consent, and how long a leaver's data is kept."""

    require_parent_consent: bool = True
    keep_after_leaving_days: int = 365


@dataclass(frozen=True)
class DeliveryConfig:
    """How fast the outbox is drained: Telegram allows about 30 messages a second."""

    rate_per_second: int = 30


@dataclass(frozen=True)
class YearConfig:
    """The school year's turn: the day (day, month) the year-end recall of books starts."""

    recall_from: tuple[int, int] = (25, 5)


@dataclass(frozen=True)
class Config:
    """The whole configuration of one running bot."""

    telegram: TelegramConfig
    database_path: Path
    library: LibraryConfig
    accounts: AccountsConfig = AccountsConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    privacy: PrivacyConfig = PrivacyConfig()
    calendar: SchoolCalendar = field(default_factory=lambda: parse_calendar({}))
    loans: LoanPolicy = field(default_factory=lambda: parse_loan_policy({}))
    team: TeamSettings = field(default_factory=TeamSettings)
    reminders: ReminderSettings = REMINDER_DEFAULTS
    year: YearConfig = YearConfig()
    source: Path | None = field(default=None, compare=False)


def find_config_path(cli_path: str | None) -> Path:
    """Return --config, else $THUVIEN_CONFIG, else ./config.toml."""
    if cli_path:
        return Path(cli_path)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return Path("config.toml")


def load_config(path: Path, *, require_token: bool = True) -> Config:
    """Read and check the TOML file at path."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            "--config", f"không tìm thấy tệp {path} (chép config.example.toml thành config.toml)"
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("--config", f"tệp {path} không phải TOML hợp lệ: {exc}") from None
    return parse_config(raw, source=path, require_token=require_token)


def parse_config(
    raw: dict[str, Any], *, source: Path | None = None, require_token: bool = True
) -> Config:
    """Build a Config from parsed TOML, naming the first wrong key."""
    telegram = _table(raw, "telegram")
    database = _table(raw, "database")
    library = _table(raw, "library")
    accounts = _table(raw, "accounts")
    delivery = _table(raw, "delivery")
    privacy = _table(raw, "privacy")

    token = os.environ.get(TOKEN_ENV) or _str(telegram, "telegram.token", default="")
    if require_token and not token:
        raise ConfigError(
            "telegram.token", f"chưa có token (hoặc đặt biến môi trường {TOKEN_ENV})"
        )
    base_url = _url(telegram, "telegram.base_url", DEFAULT_BASE_URL)
    base_file_url = _url(telegram, "telegram.base_file_url", DEFAULT_BASE_FILE_URL)

    db_path = Path(_str(database, "database.path", default="thuvien.db"))
    if source is not None and not db_path.is_absolute():
        db_path = source.parent / db_path

    tz_name = _str(library, "library.timezone", default="Asia/Ho_Chi_Minh")
    try:
        timezone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError("library.timezone", f"không biết múi giờ '{tz_name}'") from None
    librarians = library.get("librarians", [])
    if not isinstance(librarians, list) or not all(
        isinstance(uid, int) and not isinstance(uid, bool) and uid > 0 for uid in librarians
    ):
        raise ConfigError("library.librarians", "phải là danh sách số id Telegram, ví dụ [123456]")
    calendar = parse_calendar(_table(raw, "calendar"))
    librarian_address = _str(library, "library.librarian_address", default="")
    if librarian_address.strip() and not configured_address(librarian_address):
        raise ConfigError(
            "library.librarian_address",
            f"cách xưng hô '{librarian_address}' chưa dùng được; chọn một trong: "
            + ", ".join(f'"{form}"' for form in CONFIGURABLE)
            + ", hoặc để trống",
        )
    return Config(
        telegram=TelegramConfig(
            Secret(token),
            base_url,
            base_file_url,
            _str(telegram, "telegram.bot_username", default="").lstrip("@"),
            _bool(telegram, "telegram.rate_limit", default=True),
        ),
        database_path=db_path,
        library=LibraryConfig(
            name=_str(library, "library.name", default="Thư viện trường"),
            school=_str(library, "library.school", default=""),
            timezone=timezone,
            opening_hours=_opening_hours(library, calendar),
            librarians=frozenset(librarians),
            librarian_address=configured_address(librarian_address),
        ),
        accounts=AccountsConfig(
            link_token_days=_int(accounts, "accounts.link_token_days", default=30, low=1)
        ),
        delivery=DeliveryConfig(
            rate_per_second=_int(delivery, "delivery.rate_per_second", default=30, low=1)
        ),
        calendar=calendar,
        privacy=PrivacyConfig(
            require_parent_consent=_bool(privacy, "privacy.require_parent_consent", default=True),
            keep_after_leaving_days=_int(
                privacy, "privacy.keep_after_leaving_days", default=365, low=1
            ),
        ),
        loans=parse_loan_policy(_table(raw, "loans")),
        team=parse_team_config(_table(raw, "team")),
        reminders=parse_reminder_settings(_table(raw, "reminders")),
        year=YearConfig(recall_from=_day_month(_table(raw, "year"), "year.recall_from", (25, 5))),
        source=source,
    )


def _table(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(key, "phải là một bảng [" + key + "]")
    return value


def _str(table: dict[str, Any], key: str, *, default: str) -> str:
    value = table.get(key.rsplit(".", 1)[1], default)
    if not isinstance(value, str):
        raise ConfigError(key, "phải là chuỗi trong dấu ngoặc kép")
    return value.strip()


def _bool(table: dict[str, Any], key: str, *, default: bool) -> bool:
    value = table.get(key.rsplit(".", 1)[1], default)
    if not isinstance(value, bool):
        raise ConfigError(key, "phải là true hoặc false")
    return value


def _int(table: dict[str, Any], key: str, *, default: int, low: int) -> int:
    value = table.get(key.rsplit(".", 1)[1], default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise ConfigError(key, f"phải là số nguyên từ {low} trở lên")
    return value


def _day_month(table: dict[str, Any], key: str, default: tuple[int, int]) -> tuple[int, int]:
    value = _str(table, key, default=f"{default[0]:02d}/{default[1]:02d}")
    match = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{1,2})", value)
    try:
        # 2001 is no leap year: a day that is not there every year is refused.
        day = date(2001, int(match[2]), int(match[1])) if match else None
    except ValueError:
        day = None
    if day is None or not 1 <= day.month <= 5:
        raise ConfigError(
            key, f"'{value}' phải là ngày/tháng trong học kỳ II (tháng 1 đến 5), ví dụ \"25/05\""
        )
    return day.day, day.month


def _url(table: dict[str, Any], key: str, default: str) -> str:
    value = _str(table, key, default=default).rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(key, f"'{value}' không phải địa chỉ http(s)")
    return value


def default_opening_hours(calendar: SchoolCalendar) -> str:
    """The opening hours shown when none are configured: the calendar's open weekdays."""
    return f"{weekdays_text(_open_weekdays(calendar))}: {DEFAULT_HOURS}"


def weekdays_text(days: frozenset[int]) -> str:
    """Weekdays as a school writes them: runs as "Thứ Hai – Thứ Sáu", the rest by name."""
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        WEEKDAY_NAMES[run[0]]
        if len(run) == 1
        else f"{WEEKDAY_NAMES[run[0]]} – {WEEKDAY_NAMES[run[-1]]}"
        for run in runs
    )


_WEEKDAY = r"(?:thu\s*(?:hai|ba|tu|nam|sau|bay|[2-7])|chu\s*nhat|cn|t[2-7])"
_WEEKDAY_WORD = re.compile(rf"\b{_WEEKDAY}\b")
_RANGE_BETWEEN = re.compile(r"\s*(?:[-–—]|den|toi)\s*")
# Words that make a text about days too subtle to read here ("Thứ Bảy nghỉ", "sáng Thứ Bảy").
_UNREADABLE = re.compile(r"\b(?:nghi|dong cua|sang|chieu|tru)\b")
_WEEKDAY_NUMBERS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}


def _weekday_number(word: str) -> int:
    word = " ".join(word.split())
    if word in ("cn", "chu nhat", "chunhat"):
        return 6
    last = word.removeprefix("thu").strip() if word.startswith("thu") else word[1:]
    return int(last) - 2 if last.isdigit() else _WEEKDAY_NUMBERS[last]


def named_weekdays(text: str) -> frozenset[int] | None:
    """The weekdays an opening-hours text says the library opens, or None when it cannot tell.

    Reads ranges ("Thứ Hai – Thứ Sáu", "T2 đến T7") and single days ("Chủ nhật"); a text
    naming no day, or one with words like "nghỉ" or "sáng", is not read.
    """
    folded = fold(text)
    if _UNREADABLE.search(folded):
        return None
    found = list(_WEEKDAY_WORD.finditer(folded))
    if not found:
        return None
    days: set[int] = set()
    index = 0
    while index < len(found):
        first = _weekday_number(found[index][0])
        following = found[index + 1] if index + 1 < len(found) else None
        between = folded[found[index].end() : following.start()] if following else ""
        if following is not None and _RANGE_BETWEEN.fullmatch(between):
            last = _weekday_number(following[0])
            days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
            index += 2
        else:
            days.add(first)
            index += 1
    return frozenset(days)


def _open_weekdays(calendar: SchoolCalendar) -> frozenset[int]:
    return frozenset(range(7)) - calendar.closed_weekdays


def _opening_hours(library: dict[str, Any], calendar: SchoolCalendar) -> str:
    if "opening_hours" not in library:
        return default_opening_hours(calendar)
    text = _str(library, "library.opening_hours", default="")
    named = named_weekdays(text)
    opened = _open_weekdays(calendar)
    if named is not None and named != opened:
        raise ConfigError(
            "library.opening_hours",
            f"ghi thư viện mở {weekdays_text(named)}, nhưng lịch ([calendar] closed_weekdays)"
            f" mở {weekdays_text(opened)}; sửa một trong hai cho khớp",
        )
    return text
