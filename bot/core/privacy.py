"""Personal data rules: parents' consent, who may record it, when a leaver is forgotten.

Law 91/2025/QH15 and Decree 356/2025/NĐ-CP treat anyone under 16 as a child: the library
links a student's chat account only with a parent's recorded consent (never a default yes),
and keeps a leaver's data only as long as its purpose lasts.
"""

import re
from datetime import date, datetime, timedelta

from bot.core.textfold import fold

STUDENT = "student"
# The librarian hears a week ahead which leavers are about to be anonymised.
NOTICE_DAYS = 7
# /hoanxoa postpones a leaver's anonymisation by this many days.
POSTPONE_DAYS = 30
ANONYMOUS_PREFIX = "AN-"

# What a "Phụ huynh đồng ý" cell holds when it is not a date: only these mean yes.
_YES_MARKS = frozenset({"co", "x"})
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def needs_parent_consent(category: str, required: bool) -> bool:
    """Say whether linking this reader's chat account waits for a parent's consent."""
    return required and category == STUDENT


def may_link(category: str, required: bool, consent_recorded: bool) -> bool:
    """Say whether a reader of this category may link a chat account now."""
    return consent_recorded or not needs_parent_consent(category, required)


def consent_from_cell(value: object, today: date) -> str | None:
    """The ISO day of a parent's consent a class-list cell records, or None for no consent.

    A date (not in the future) is the day the parent agreed; "có" or "x" is consent given
    by the list on the day it is imported. Anything else, or an empty cell, is no consent.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat() if value <= today else None
    text = " ".join(str(value if value is not None else "").split())
    if not text:
        return None
    if fold(text) in _YES_MARKS:
        return today.isoformat()
    for pattern in _DATE_FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day.isoformat() if day <= today else None
    return None


def may_record_consent(
    *, librarian: bool, homeroom_class: str, reader_class: str, reader_category: str
) -> bool:
    """Say whether someone may record or withdraw a parent's consent for this reader.

    The librarian may for any student; a homeroom teacher only for a student of their class.
    """
    if reader_category != STUDENT:
        return False
    if librarian:
        return True
    return bool(homeroom_class) and homeroom_class.casefold() == reader_class.casefold()


def anonymous_code(reader_id: int) -> str:
    """The code an anonymised reader keeps: says nothing about who they were."""
    return f"{ANONYMOUS_PREFIX}{reader_id:06d}"


def is_anonymous(code: str) -> bool:
    """Say whether a reader code is one that anonymisation gave."""
    return re.fullmatch(rf"{ANONYMOUS_PREFIX}\d{{6}}", code) is not None


def without_name(text: str, name: str, replacement: str) -> str:
    """The text with every whole-word occurrence of name replaced (An, not Anh)."""
    if not name.strip():
        return text
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", replacement, text)


def forget_due_on(left_on: date, last_closed: date | None, keep_days: int) -> date:
    """The day a leaver with no loan open is anonymised: keep_days after leaving or last return."""
    start = max(left_on, last_closed) if last_closed is not None else left_on
    return start + timedelta(days=keep_days)


def forget_day(due_on: date, postponed_until: date | None) -> date:
    """The day anonymisation is planned for, after any postponement."""
    return max(due_on, postponed_until) if postponed_until is not None else due_on


def needs_notice(today: date, planned: date, noticed_on: date | None) -> bool:
    """Say whether the librarian must now be told of a planned anonymisation."""
    return noticed_on is None and today >= planned - timedelta(days=NOTICE_DAYS)


def ready_to_forget(today: date, planned: date, noticed_on: date | None) -> bool:
    """Say whether a leaver is anonymised today: due, and the librarian had a week's notice."""
    return (
        noticed_on is not None
        and today >= planned
        and today >= noticed_on + timedelta(days=NOTICE_DAYS)
    )
