"""Purchase suggestions: cleaning what readers type and deciding which suggestions are one book.

Two suggestions are the same book when their folded titles (no accents, đ→d, any case, any
word order) are close — a token-sort similarity of at least SIMILARITY — with the same numbers
in them (volume 1 is not volume 2), and their authors agree (either is missing, one's words
contain the other's, or they are as close as the titles).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from bot.core.textfold import fold, fold_words, normalize

SIMILARITY = 0.85
MAX_TITLE = 200
MAX_AUTHOR = 120
MAX_REASON = 500

_SPACES = re.compile(r"\s+")
_QUOTES = "\"'«»“”‘’`"
_SKIP_WORDS = frozenset({"bo qua", "boqua", "bq", "khong", "khong biet", "khong ro", "-", "skip"})


class Problem(StrEnum):
    """Why a typed value cannot be used."""

    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Proposal:
    """A book as a reader named it: title and author (empty when not known)."""

    title: str
    author: str = ""


def clean(text: str) -> str:
    """Return typed text in NFC, trimmed, with runs of whitespace and outer quotes removed."""
    return _SPACES.sub(" ", normalize(text)).strip().strip(_QUOTES).strip()


def check(text: str, limit: int) -> tuple[str, Problem | None]:
    """Clean a typed value and say what is wrong with it: no letter or digit, or too long."""
    value = clean(text)
    if not fold_words(value):
        return value, Problem.EMPTY
    if len(value) > limit:
        return value, Problem.TOO_LONG
    return value, None


def is_skip(text: str) -> bool:
    """Say whether the reader chose to skip an optional answer ("bỏ qua", "không biết"…)."""
    return " ".join(fold(text).split()).strip(".!") in _SKIP_WORDS


def _sorted_words(text: str) -> str:
    return " ".join(sorted(fold_words(text)))


def _numbers(text: str) -> frozenset[str]:
    return frozenset(word for word in fold_words(text) if any(ch.isdigit() for ch in word))


def similarity(a: str, b: str) -> float:
    """Token-sort similarity (0 to 1) of two texts folded: word order and accents do not count."""
    left, right = _sorted_words(a), _sorted_words(b)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    return SequenceMatcher(None, left, right, autojunk=False).ratio()


def authors_agree(a: str, b: str) -> bool:
    """Say whether two authors may be the same person (a missing author agrees with any)."""
    left, right = set(fold_words(a)), set(fold_words(b))
    if not left or not right or left <= right or right <= left:
        return True
    return similarity(a, b) >= SIMILARITY


def same_book(a: Proposal, b: Proposal) -> bool:
    """Say whether two suggestions name the same book."""
    if _numbers(a.title) != _numbers(b.title):
        return False
    return similarity(a.title, b.title) >= SIMILARITY and authors_agree(a.author, b.author)


def best_match(new: Proposal, known: Iterable[tuple[int, Proposal]]) -> int | None:
    """Return the id of the known suggestion closest to new among those naming the same book."""
    best: tuple[float, int] | None = None
    for suggestion_id, proposal in known:
        if not same_book(new, proposal):
            continue
        score = similarity(new.title, proposal.title)
        # Ties go to the oldest suggestion, so votes gather on one row.
        if best is None or score > best[0] or (score == best[0] and suggestion_id < best[1]):
            best = (score, suggestion_id)
    return None if best is None else best[1]


def merged_author(kept: str, typed: str) -> str:
    """The author a merged suggestion keeps: the one it had, or the first one given."""
    return kept or typed
