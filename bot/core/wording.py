"""How the bot words things for people: forms of address, publishers, limits in round numbers."""

import re
from enum import StrEnum

from bot.core.textfold import fold, normalize


class Address(StrEnum):
    """How the bot calls the person it writes to (the form, not yet capitalised)."""

    STUDENT = "em"
    MALE_TEACHER = "thầy"
    FEMALE_TEACHER = "cô"
    TEACHER = "thầy/cô"


# What a staff list's "Giới tính" or "Xưng hô" column may hold, folded; anything else is unknown.
_MALE = frozenset({"nam", "thay", "ong", "m", "male"})
_FEMALE = frozenset({"nu", "co", "ba", "f", "female"})
# Forms of address a school may configure for its librarian (or write in a staff list).
CONFIGURABLE = ("thầy", "cô", "anh", "chị", "bạn", "thầy/cô")


def form_of_address(category: str | None, gender: str = "", configured: str = "") -> str:
    """The form of address for a reader: "em" for a student, "thầy"/"cô" for staff.

    A configured form (the librarian's in the config) wins, then a form written where the staff
    list keeps the gender (a "Xưng hô" column: "cô", "anh" …); a teacher whose gender is not
    known is "thầy/cô", never guessed.
    """
    chosen = configured_address(configured)
    if chosen:
        return chosen
    if category == "student":
        return Address.STUDENT
    written = configured_address(gender)
    if written:
        return written
    folded = fold(gender).strip(" .")
    if folded in _MALE:
        return Address.MALE_TEACHER
    if folded in _FEMALE:
        return Address.FEMALE_TEACHER
    return Address.TEACHER


def configured_address(text: str) -> str:
    """A configured form of address in its written form ("Cô" → "cô"), or "" if not one."""
    wanted = fold(text).strip(" .")
    return next((form for form in CONFIGURABLE if fold(form) == wanted), "")


def given_name(full_name: str) -> str:
    """The name a Vietnamese is called by: the last word ("Nguyễn Thị Lan" → "Lan")."""
    words = normalize(full_name).split()
    return words[-1] if words else ""


def capitalised(form: str) -> str:
    """The form of address at the start of a sentence ("cô" → "Cô", "thầy/cô" → "Thầy/cô")."""
    return form[:1].upper() + form[1:]


# "Nhà xuất bản", "NXB", "Nxb.", "N.X.B" before a publisher's own name (folded text).
_PUBLISHER_PREFIX = re.compile(r"^(?:nha\s+xuat\s+ban|n\.?\s*x\.?\s*b\.?)\s*[:.\-–]?\s*")
# Names that are not a publishing house: a company, a centre, a university's press office …
_NOT_A_HOUSE = ("cong ty", "cty", "tong cong ty", "trung tam", "vien ", "hoi ", "truong ")


def short_publisher(name: str) -> str:
    """A publisher as readers say it: "Nhà xuất bản Kim Đồng" → "NXB Kim Đồng".

    A name with no prefix is a house's own name ("Kim Đồng" → "NXB Kim Đồng"), unless it names
    a company or an institution, which stays as written.
    """
    text = " ".join(normalize(name).split())
    if not text:
        return ""
    folded = fold(text)
    prefix = _PUBLISHER_PREFIX.match(folded)
    if prefix is not None:
        rest = _cut_folded_prefix(text, prefix.end())
        return f"NXB {rest}" if rest else ""
    if folded.startswith(_NOT_A_HOUSE):
        return text
    return f"NXB {text}"


def _cut_folded_prefix(text: str, folded_length: int) -> str:
    """What follows the first folded_length folded characters of text (folding keeps lengths)."""
    kept = len(text)
    for index in range(len(text) + 1):
        if len(fold(text[:index])) >= folded_length:
            kept = index
            break
    return text[kept:].strip(" :.-–")


def round_limit(room: int) -> int:
    """The largest round number within room, to state as a limit: 4046 → 4000, 970 → 900.

    The real check stays the exact room; a person is told a number they can remember.
    """
    step = 100 if room >= 500 else 10 if room >= 100 else 1
    return room - room % step
