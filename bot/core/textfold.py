"""Folding Vietnamese text to the accent-free form that search indexes and queries use."""

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})
# Control characters, bidirectional overrides and invisible marks, typed or pasted into a
# name or a notice, would reverse or hide the rest of a line wherever it is shown. Tabs and
# line breaks stay, and so do the joiners that emoji are built with.
_INVISIBLE = dict.fromkeys(
    [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200B,
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)
_WORD = re.compile(r"[0-9a-z]+")


def normalize(text: str) -> str:
    """Return text in NFC, the one form stored and shown, without control or bidi marks."""
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def fold(text: str) -> str:
    """Return text without tone and vowel marks, with đ as d, casefolded."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_D_MAP).casefold()


def fold_words(text: str) -> list[str]:
    """Return the folded words (letters and digits) of text, in order."""
    return _WORD.findall(fold(text))
