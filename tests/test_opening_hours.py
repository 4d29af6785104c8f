"""The opening hours readers are shown agree with the calendar the due dates follow."""

from datetime import date
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import ConfigError, load_config, named_weekdays, parse_config

SATURDAY = date(2026, 11, 28)


def test_the_default_hours_and_the_default_calendar_both_open_on_saturday() -> None:
    config = parse_config({}, require_token=False)
    assert config.calendar.is_open(SATURDAY)
    assert named_weekdays(config.library.opening_hours) == frozenset(range(6))
    assert config.library.opening_hours.startswith("Thứ Hai – Thứ Bảy")


def test_closing_on_saturday_without_hours_shows_monday_to_friday() -> None:
    config = parse_config(
        {"calendar": {"closed_weekdays": ["Thứ Bảy", "Chủ nhật"]}}, require_token=False
    )
    assert not config.calendar.is_open(SATURDAY)
    assert config.library.opening_hours.startswith("Thứ Hai – Thứ Sáu:")


def test_the_example_config_names_the_days_its_calendar_opens() -> None:
    config = load_config(Path("config.example.toml"), require_token=False)
    assert named_weekdays(config.library.opening_hours) == frozenset(
        day for day in range(7) if config.calendar.is_open(SATURDAY.replace(day=23 + day))
    )


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Thứ Hai – Thứ Sáu: 7:00 – 11:00 và 13:30 – 16:30", {0, 1, 2, 3, 4}),
        ("T2 - T7, 7h-16h30", {0, 1, 2, 3, 4, 5}),
        ("thu 2 den thu 7", {0, 1, 2, 3, 4, 5}),
        ("Thứ Hai, Thứ Tư, Thứ Sáu", {0, 2, 4}),
        ("Thứ Hai – Chủ nhật", set(range(7))),
    ],
)
def test_weekdays_are_read_as_schools_write_them(text: str, days: set[int]) -> None:
    assert named_weekdays(text) == frozenset(days)


@pytest.mark.parametrize(
    "text", ["7:00 – 16:30", "Thứ Hai – Thứ Sáu, sáng Thứ Bảy", "Thứ Hai – Thứ Bảy (Thứ Bảy nghỉ)"]
)
def test_a_text_too_subtle_to_read_is_left_alone(text: str) -> None:
    assert named_weekdays(text) is None
    config = parse_config({"library": {"opening_hours": text}}, require_token=False)
    assert config.library.opening_hours == text


def test_hours_that_disagree_with_the_calendar_stop_start_up_naming_the_key() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config(
            {"library": {"opening_hours": "Thứ Hai – Thứ Sáu: 7:00 – 16:30"}},
            require_token=False,
        )
    assert raised.value.key == "library.opening_hours"
    assert "Thứ Hai – Thứ Sáu" in str(raised.value) and "Thứ Hai – Thứ Bảy" in str(raised.value)


def test_the_command_line_says_so_in_one_vietnamese_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[library]\nopening_hours = "Thứ Hai – Thứ Bảy"\n'
        '[calendar]\nclosed_weekdays = ["Thứ Bảy", "Chủ nhật"]\n',
        encoding="utf-8",
    )
    assert main(["migrate", "--config", str(path)]) != 0
    err = capsys.readouterr().err
    assert "library.opening_hours" in err and "Traceback" not in err
