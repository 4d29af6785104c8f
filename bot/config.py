"""Typed configuration read once from TOML; a wrong key stops start-up with one clear message."""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.calendar import SchoolCalendar
from bot.core.loan_rules import LoanPolicy
from bot.core.policy_config import parse_calendar, parse_loan_policy
from bot.core.reminders import DEFAULT_SETTINGS as REMINDER_DEFAULTS
from bot.core.reminders import ReminderSettings, parse_reminder_settings
from bot.core.team import TeamSettings, parse_team_config

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_BASE_FILE_URL = "https://api.telegram.org/file/bot"
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
            opening_hours=_str(
                library, "library.opening_hours", default="Thứ Hai – Thứ Sáu, 7:00 – 16:30"
            ),
            librarians=frozenset(librarians),
        ),
        accounts=AccountsConfig(
            link_token_days=_int(accounts, "accounts.link_token_days", default=30, low=1)
        ),
        delivery=DeliveryConfig(
            rate_per_second=_int(delivery, "delivery.rate_per_second", default=30, low=1)
        ),
        privacy=PrivacyConfig(
            require_parent_consent=_bool(privacy, "privacy.require_parent_consent", default=True),
            keep_after_leaving_days=_int(
                privacy, "privacy.keep_after_leaving_days", default=365, low=1
            ),
        ),
        calendar=parse_calendar(_table(raw, "calendar")),
        loans=parse_loan_policy(_table(raw, "loans")),
        team=parse_team_config(_table(raw, "team")),
        reminders=parse_reminder_settings(_table(raw, "reminders")),
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


def _url(table: dict[str, Any], key: str, default: str) -> str:
    value = _str(table, key, default=default).rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(key, f"'{value}' không phải địa chỉ http(s)")
    return value
