"""The wording rules: forms of address, publishers as people say them, round limits."""

import pytest

from bot.core.wording import (
    capitalised,
    configured_address,
    form_of_address,
    round_limit,
    short_publisher,
)


@pytest.mark.parametrize(
    ("category", "gender", "configured", "expected"),
    [
        ("student", "", "", "em"),
        ("student", "Nam", "", "em"),
        ("student", "Nữ", "", "em"),
        ("teacher", "Nam", "", "thầy"),
        ("teacher", "Nữ", "", "cô"),
        ("teacher", "nu", "", "cô"),
        ("staff", "NỮ ", "", "cô"),
        ("teacher", "", "", "thầy/cô"),
        ("teacher", "khác", "", "thầy/cô"),
        (None, "", "", "thầy/cô"),
        ("teacher", "Nam", "Cô", "cô"),
        ("teacher", "", "chị", "chị"),
        ("teacher", "", "ông chủ", "thầy/cô"),
    ],
)
def test_a_reader_is_addressed_by_role_gender_and_configured_form(
    category: str | None, gender: str, configured: str, expected: str
) -> None:
    assert form_of_address(category, gender, configured) == expected


def test_only_known_forms_can_be_configured_and_they_start_sentences() -> None:
    assert configured_address("  THẦY ") == "thầy"
    assert configured_address("Co") == "cô"
    assert configured_address("mày") == ""
    assert capitalised("cô") == "Cô" and capitalised("thầy/cô") == "Thầy/cô"
    assert capitalised("em") == "Em"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("Nhà xuất bản Kim Đồng", "NXB Kim Đồng"),
        ("Nhà xuất bản Giáo dục Việt Nam", "NXB Giáo dục Việt Nam"),
        ("nhà xuất bản: Trẻ", "NXB Trẻ"),
        ("NXB Kim Đồng", "NXB Kim Đồng"),
        ("Nxb. Hội Nhà văn", "NXB Hội Nhà văn"),
        ("N.X.B Văn học", "NXB Văn học"),
        ("Kim Đồng", "NXB Kim Đồng"),
        ("  Nhà   xuất bản   Phụ nữ ", "NXB Phụ nữ"),
        ("Công ty Văn hóa Đông A", "Công ty Văn hóa Đông A"),
        ("Trung tâm Học liệu", "Trung tâm Học liệu"),
        ("Nhà xuất bản", ""),
        ("", ""),
    ],
)
def test_publishers_are_shown_as_people_say_them(stored: str, shown: str) -> None:
    assert short_publisher(stored) == shown


@pytest.mark.parametrize(
    ("room", "stated"),
    [(4046, 4000), (4094, 4000), (1014, 1000), (970, 900), (500, 500), (123, 120), (42, 42)],
)
def test_limits_are_stated_in_round_numbers_within_the_room(room: int, stated: int) -> None:
    assert round_limit(room) == stated
    assert round_limit(room) <= room
