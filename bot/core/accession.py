"""Accession numbers (số ĐKCB) as people type them: tn00159, TN 00159, tn-159, or just 159."""

import re
from dataclasses import dataclass

from bot.core.textfold import normalize

MAX_LENGTH = 40
# A register pads numbers to five digits (TN-00159); the look-up tries widths up to this.
MAX_WIDTH = 8
SEPARATORS = ("-", "", ".", "/", " ", "_")

# Letters, an optional separator, then the number: the shape of nearly every school's register.
_NUMBERED = re.compile(r"([A-Z]{1,10})?\s*[-./_#]?\s*(\d{1,9})")
# Anything else that could still be an accession number: letters and digits, at least one digit.
_FREE = re.compile(r"(?=[^\d]*\d)[A-Z0-9][A-Z0-9 ./_\-]{0,39}")
_COMPACT = re.compile(r"[\s./_\-]")
_LIST_SEPARATORS = re.compile(r"[\s,;]+")
_LETTERS = re.compile(r"[A-Za-z]{1,10}")
_NUMBER = re.compile(r"[-./_#]?\d{1,9}")
# In a typed list "tin 6" is more likely a search than copy TIN-6: a number joins the word
# before it when it is written as a register writes it (two digits or more).
_LISTED_NUMBER = re.compile(r"[-./_#]?\d{2,9}")


@dataclass(frozen=True)
class TypedAccession:
    """An accession number as typed: the text, and its prefix and number when it has that shape.

    A bare number (prefix "") may stand for a copy of any prefix; the desk asks which when
    several copies carry it.
    """

    text: str
    prefix: str
    number: int | None

    @property
    def bare(self) -> bool:
        """Say whether only a number was typed."""
        return self.number is not None and not self.prefix

    def spellings(self) -> tuple[str, ...]:
        """Return the stored forms this may be: itself, and TN-159 as TN-00159, TN00159 …"""
        found = [self.text]
        if self.prefix and self.number is not None:
            digits = str(self.number)
            for width in range(len(digits), MAX_WIDTH + 1):
                padded = digits.zfill(width)
                found.extend(self.prefix + separator + padded for separator in SEPARATORS)
        return tuple(dict.fromkeys(found))

    def matches(self, accession: str) -> bool:
        """Say whether a stored accession number is what this stands for."""
        stored = parse_accession(accession)
        if stored is None:
            return False
        if stored.text == self.text or compact(stored.text) == compact(self.text):
            return True
        if self.number is None or stored.number != self.number:
            return False
        return self.bare or stored.prefix == self.prefix


def compact(text: str) -> str:
    """Return an accession number without its separators: TN-00159 → TN00159."""
    return _COMPACT.sub("", text)


def parse_accession(text: str) -> TypedAccession | None:
    """Read what a person typed as an accession number, or None if it cannot be one."""
    text = " ".join(normalize(text).split()).upper()
    if not text or len(text) > MAX_LENGTH:
        return None
    numbered = _NUMBERED.fullmatch(text)
    if numbered:
        return TypedAccession(text, numbered[1] or "", int(numbered[2]))
    if _FREE.fullmatch(text):
        return TypedAccession(text, "", None)
    return None


def split_accession_list(text: str) -> list[str]:
    """Split a typed list into its accession numbers, keeping "TN 00159" as one.

    Numbers are separated by spaces, commas, semicolons or new lines; a word of letters
    only followed by a number of two digits or more is that number's prefix.
    """
    tokens = [token for token in _LIST_SEPARATORS.split(normalize(text)) if token]
    joined: list[str] = []
    for token in tokens:
        if joined and _LETTERS.fullmatch(joined[-1]) and _LISTED_NUMBER.fullmatch(token):
            joined[-1] = f"{joined[-1]} {token}"
        else:
            joined.append(token)
    return joined


def take_accession(words: list[str]) -> tuple[str, list[str]]:
    """Split command words into the accession number they start with and the rest (a note)."""
    if len(words) >= 2 and _LETTERS.fullmatch(words[0]) and _NUMBER.fullmatch(words[1]):
        return f"{words[0]} {words[1]}", words[2:]
    if not words:
        return "", []
    return words[0], words[1:]
