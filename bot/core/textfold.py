"""Folding Vietnamese text to the accent-free form that search indexes and queries use."""

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
_WORD = re.compile(r"[0-9a-z]+")


def normalize(text: str) -> str:
    """Return text in NFC, the one form stored and shown."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Return text without tone and vowel marks, with đ as d, casefolded."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_D_MAP).casefold()


def fold_words(text: str) -> list[str]:
    """Return the folded words (letters and digits) of text, in order."""
    return _WORD.findall(fold(text))
