"""The pure personal-data rules: what counts as consent, who may record it, when data goes."""

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.core.class_list import parse_reader_sheets
from bot.core.privacy import (
    anonymous_code,
    consent_from_cell,
    forget_day,
    forget_due_on,
    is_anonymous,
    may_link,
    may_record_consent,
    needs_notice,
    ready_to_forget,
    without_name,
)
from bot.services.privacy import plan_forgetting
from db.privacy import Leaver

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize(
    ("cell", "consent"),
    [
        ("05/09/2026", "2026-09-05"),
        ("5/9/2026", "2026-09-05"),
        ("2026-09-05", "2026-09-05"),
        (datetime(2026, 9, 5, 0, 0), "2026-09-05"),
        (date(2026, 9, 5), "2026-09-05"),
        ("có", "2026-11-24"),
        ("Có", "2026-11-24"),
        ("co", "2026-11-24"),
        ("x", "2026-11-24"),
        (" X ", "2026-11-24"),
        ("", None),
        (None, None),
        ("không", None),
        ("chưa", None),
        ("đồng ý?", None),
        ("1", None),
        ("31/02/2026", None),
        ("01/12/2026", None),
        (date(2027, 1, 1), None),
    ],
)
def test_only_a_date_or_co_or_x_is_a_parents_consent(cell: object, consent: str | None) -> None:
    assert consent_from_cell(cell, TODAY) == consent


def test_a_class_list_column_phu_huynh_dong_y_is_read_for_each_student() -> None:
    rows = [
        ["STT", "Mã học sinh", "Họ và tên", "Lớp", "Phụ huynh đồng ý", "Địa chỉ"],
        [1, "HS1", "Lê Văn A", "6A", "07/09/2026", "12 Lê Lợi"],
        [2, "HS2", "Lê Văn B", "6A", "có", ""],
        [3, "HS3", "Lê Văn C", "6A", "", ""],
        [4, "HS4", "Lê Văn D", "6A", "không", ""],
    ]
    found = parse_reader_sheets([(None, rows)], today=TODAY)
    consents = {entry.code: entry.parent_consent for entry in found.entries}
    assert consents == {"HS1": "2026-09-07", "HS2": "2026-11-24", "HS3": None, "HS4": None}
    # The consent column is a record of its own, never a field written onto the reader.
    assert all("parent_consent" not in entry.given for entry in found.entries)


def test_only_students_wait_for_a_parents_consent() -> None:
    assert not may_link("student", required=True, consent_recorded=False)
    assert may_link("student", required=True, consent_recorded=True)
    assert may_link("student", required=False, consent_recorded=False)
    assert may_link("teacher", required=True, consent_recorded=False)
    assert may_link("staff", required=True, consent_recorded=False)


def test_a_homeroom_teacher_records_consent_for_their_own_class_only() -> None:
    def may(librarian: bool, homeroom: str, reader_class: str, category: str = "student") -> bool:
        return may_record_consent(
            librarian=librarian,
            homeroom_class=homeroom,
            reader_class=reader_class,
            reader_category=category,
        )

    assert may(False, "6A", "6A") and may(False, "6a", "6A")
    assert not may(False, "6A", "6B") and not may(False, "", "6A") and not may(False, "", "")
    assert may(True, "", "9C")
    assert not may(True, "", "", "teacher")


def test_the_anonymous_code_says_nothing_of_the_reader() -> None:
    assert anonymous_code(42) == "AN-000042"
    assert is_anonymous("AN-000042") and not is_anonymous("HS26001")


def test_a_name_is_replaced_as_a_whole_word_only() -> None:
    text = "• Nguyễn Minh An — Dế Mèn\n• Nguyễn Minh Anh — Kính vạn hoa\n(Nguyễn Minh An)"
    assert without_name(text, "Nguyễn Minh An", "AN-000001") == (
        "• AN-000001 — Dế Mèn\n• Nguyễn Minh Anh — Kính vạn hoa\n(AN-000001)"
    )
    assert without_name("abc", "  ", "x") == "abc"


def test_a_leaver_is_due_a_year_after_leaving_or_the_last_return_whichever_is_later() -> None:
    assert forget_due_on(date(2026, 5, 31), None, 365) == date(2027, 5, 31)
    assert forget_due_on(date(2026, 5, 31), date(2026, 6, 10), 365) == date(2027, 6, 10)
    assert forget_due_on(date(2026, 5, 31), date(2026, 1, 10), 30) == date(2026, 6, 30)
    assert forget_day(date(2027, 5, 31), None) == date(2027, 5, 31)
    assert forget_day(date(2027, 5, 31), date(2027, 7, 1)) == date(2027, 7, 1)
    assert forget_day(date(2027, 5, 31), date(2027, 1, 1)) == date(2027, 5, 31)


def test_the_librarian_is_told_a_week_before_and_nothing_goes_without_that_week() -> None:
    planned = date(2027, 6, 10)
    assert not needs_notice(date(2027, 6, 2), planned, None)
    assert needs_notice(date(2027, 6, 3), planned, None)
    assert not needs_notice(date(2027, 6, 3), planned, date(2027, 6, 3))
    assert not ready_to_forget(date(2027, 6, 10), planned, None)
    assert ready_to_forget(date(2027, 6, 10), planned, date(2027, 6, 3))
    assert not ready_to_forget(date(2027, 6, 9), planned, date(2027, 6, 1))
    # Told late (the bot was off): still a full week after the notice.
    assert not ready_to_forget(date(2027, 6, 20), planned, date(2027, 6, 15))
    assert ready_to_forget(date(2027, 6, 22), planned, date(2027, 6, 15))


def test_the_daily_plan_sorts_leavers_into_notices_and_erasures() -> None:
    def leaver(reader_id: int, last: date | None, postponed: date | None = None) -> Leaver:
        return Leaver(
            reader_id,
            f"HS{reader_id}",
            "Tên",
            "9A",
            date(2025, 5, 31),
            last,
            postponed,
            frozenset(),
        )

    leavers = [
        leaver(1, date(2025, 6, 1)),
        leaver(2, date(2025, 6, 1)),
        leaver(3, date(2025, 6, 1), postponed=date(2026, 12, 31)),
        leaver(4, date(2026, 6, 1)),
    ]
    noticed = {1: date(2026, 11, 10), 2: None, 3: date(2026, 11, 10), 4: None}
    plan = plan_forgetting(leavers, TODAY, 365, noticed)
    assert [item.leaver.reader_id for item in plan.ready] == [1]
    assert [item.leaver.reader_id for item in plan.notices] == [2]
    assert plan.notices[0].planned == date(2026, 6, 1)


def test_privacy_keys_default_to_consent_required_and_a_year(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("", encoding="utf-8")
    config = load_config(tmp_path / "a.toml", require_token=False)
    assert config.privacy.require_parent_consent is True
    assert config.privacy.keep_after_leaving_days == 365
    example = load_config(Path("config.example.toml"), require_token=False)
    assert example.privacy == config.privacy


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[privacy]\nrequire_parent_consent = "có"\n', "privacy.require_parent_consent"),
        ("[privacy]\nkeep_after_leaving_days = 0\n", "privacy.keep_after_leaving_days"),
        ('[privacy]\nkeep_after_leaving_days = "1 năm"\n', "privacy.keep_after_leaving_days"),
        ('privacy = "x"\n', "privacy"),
    ],
)
def test_a_wrong_privacy_key_is_named(tmp_path: Path, text: str, key: str) -> None:
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path / "a.toml", require_token=False)
    assert error.value.key == key
