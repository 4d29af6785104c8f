"""The wording rules: forms of address, publishers as people say them, round limits."""

import re

import pytest

from bot import texts
from bot.config import ConfigError, parse_config
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


def test_the_librarians_form_of_address_is_configured_and_checked() -> None:
    assert parse_config({}, require_token=False).library.librarian_address == ""
    configured = parse_config({"library": {"librarian_address": "Cô"}}, require_token=False)
    assert configured.library.librarian_address == "cô"
    with pytest.raises(ConfigError, match=r"library\.librarian_address") as refused:
        parse_config({"library": {"librarian_address": "sếp"}}, require_token=False)
    assert "thầy/cô" in str(refused.value)


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    return []


# "bạn" stays only as a word of its own: a reader (bạn đọc), friends (bạn bè), girls (bạn nữ),
# the placeholder of a reader code (mã-bạn-đọc), a book's title, the configurable form.
_BAN_KEPT = re.compile(
    r"bạn[ -]đọc|bạn bè|bạn nữ|Tôi tài giỏi, bạn cũng thế!|\"bạn\"", re.IGNORECASE
)
_BAN = re.compile(r"\bbạn\b", re.IGNORECASE)
# "mình" as the bot's "I" is gone; as "oneself" it stays ("thấy mình lớn lên").
_MINH = re.compile(r"\bmình\b(?! lớn lên)", re.IGNORECASE)


def test_no_text_calls_a_reader_ban_or_the_bot_minh() -> None:
    every = [text for name in dir(texts) for text in _strings(getattr(texts, name))]
    assert len(every) > 500
    called_ban = [text for text in every if _BAN.search(_BAN_KEPT.sub("", text))]
    assert called_ban == []
    assert [text for text in every if _MINH.search(text)] == []
