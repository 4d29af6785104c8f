"""Inventory rules: the session's scope, what a scan means, and what each copy turns out to be."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, urlsplit

from bot.core.accession import compact, parse_accession, split_accession_list
from bot.core.payloads import COPY_PREFIX, accession_from_payload
from bot.core.textfold import fold_words, normalize

WRITTEN_OFF = frozenset({"lost", "withdrawn"})
AWAY_STATUSES = frozenset({"on_loan", "rotated_out"})
MAX_BATCH = 500

_PREFIX = re.compile(r"[A-Za-z0-9][A-Za-z0-9./-]{0,19}")
_HAS_LETTER = re.compile(r"[A-Za-z]")


class Finding(StrEnum):
    """What the inventory concluded about one copy of its scope."""

    FOUND = "found"
    MISSING = "missing"
    SEEN_WRITTEN_OFF = "seen_written_off"
    AWAY = "away"


class ScanOutcome(StrEnum):
    """What one scanned or typed accession number did to the session."""

    RECORDED = "recorded"
    ON_LOAN = "on_loan"
    MARKED_AWAY = "marked_away"
    DUPLICATE = "duplicate"
    UNKNOWN = "unknown"
    OUT_OF_SCOPE = "out_of_scope"


RECORDING = frozenset({ScanOutcome.RECORDED, ScanOutcome.ON_LOAN, ScanOutcome.MARKED_AWAY})


class ScopeKind(StrEnum):
    """How a session chooses its copies."""

    ALL = "all"
    KIND = "kind"
    PREFIX = "prefix"


@dataclass(frozen=True)
class Scope:
    """The copies an inventory session counts: all, one kind of book, or an accession prefix."""

    kind: ScopeKind = ScopeKind.ALL
    value: str = ""

    def covers(self, accession: str, book_kind: str) -> bool:
        """Say whether a copy with this accession number and book kind is in the scope."""
        if self.kind is ScopeKind.KIND:
            return book_kind == self.value
        if self.kind is ScopeKind.PREFIX:
            return normalize(accession).strip().upper().startswith(self.value)
        return True


def parse_scope(argument: str, kinds: Iterable[str]) -> Scope | None:
    """Read the scope typed after /kiemke: a known kind (accents optional), else a prefix."""
    if not argument.strip():
        return Scope()
    words = fold_words(argument)
    for kind in kinds:
        if kind and fold_words(kind) == words:
            return Scope(ScopeKind.KIND, kind)
    text = normalize(argument).strip()
    if _PREFIX.fullmatch(text):
        return Scope(ScopeKind.PREFIX, text.upper())
    return None


def split_accessions(text: str) -> list[str]:
    """Split a message into the accession numbers it lists (spaces, commas, new lines)."""
    return split_accession_list(text)


def is_accession_like(token: str) -> bool:
    """Say whether a word could be an accession number rather than a word to search for.

    Letters with digits (tn159, TN-00159), or a number of three digits or more.
    """
    return not any(ch.isspace() for ch in token) and _typed_accession(token)


def _typed_accession(token: str) -> bool:
    """Like is_accession_like, also for a prefix typed apart from its number (TN 00159)."""
    if parse_accession(token) is None or len(compact(token)) < 2:
        return False
    return bool(_HAS_LETTER.search(token)) or len(compact(token)) >= 3


def looks_like_accessions(text: str) -> bool:
    """Say whether a whole message is a list of accession numbers (not a catalog search)."""
    tokens = split_accessions(text)
    return bool(tokens) and all(_typed_accession(token) for token in tokens)


def accession_from_code(text: str) -> str | None:
    """The accession number a decoded label stands for: a copy deep link or the bare number.

    Links to other things (a reader card, a title) are not copies and give None.
    """
    text = normalize(text).strip()
    if text.startswith(("http://", "https://", "tg://")):
        payload = parse_qs(urlsplit(text).query).get("start", [""])[0]
        if not payload.startswith(COPY_PREFIX):
            return None
        try:
            return accession_from_payload(payload)
        except ValueError:
            return None
    return text if is_accession_like(text) else None


def scan_outcome(
    *, known: bool, in_scope: bool, already_seen: bool, status: str, open_loan: bool
) -> ScanOutcome:
    """Decide what a scan of one copy means for the session (and whether it is recorded)."""
    if not known:
        return ScanOutcome.UNKNOWN
    if not in_scope:
        return ScanOutcome.OUT_OF_SCOPE
    if already_seen:
        return ScanOutcome.DUPLICATE
    if open_loan:
        return ScanOutcome.ON_LOAN
    if status in WRITTEN_OFF or status in AWAY_STATUSES:
        return ScanOutcome.MARKED_AWAY
    return ScanOutcome.RECORDED


def classify(*, status: str, seen: bool, open_loan: bool) -> Finding | None:
    """What a copy of the scope turns out to be when the session ends.

    None: not seen and already written off (lost or withdrawn), so nothing to report.
    """
    if seen:
        return Finding.SEEN_WRITTEN_OFF if status in WRITTEN_OFF else Finding.FOUND
    if status in WRITTEN_OFF:
        return None
    if open_loan or status in AWAY_STATUSES:
        return Finding.AWAY
    return Finding.MISSING


def tally(findings: Iterable[Finding | None]) -> dict[Finding, int]:
    """Count the findings, every kind present (zero when none)."""
    counts = Counter(finding for finding in findings if finding is not None)
    return {finding: counts.get(finding, 0) for finding in Finding}


class WriteOff(StrEnum):
    """What the write-off button may do now with a copy the session did not find."""

    MARK = "mark"
    HELD = "held"
    LENT = "lent"
    CHANGED = "changed"


# The write-off marks only copies nobody has: the statuses a shelf copy can have unseen.
MARKABLE_STATUSES = frozenset({"on_shelf", "damaged"})


def write_off(status: str, loan_state: str | None) -> WriteOff:
    """Decide whether a missing copy, as it stands now, may be written off as lost.

    A copy held for a reader is kept for them (it waits at the desk, not on the shelf); one
    lent or re-marked since the count is no longer missing. db.inventory marks by this rule.
    """
    if loan_state == "open":
        return WriteOff.LENT
    if loan_state == "held":
        return WriteOff.HELD
    return WriteOff.MARK if status in MARKABLE_STATUSES else WriteOff.CHANGED


def write_off_tally(standing: Iterable[tuple[str, str | None]]) -> dict[WriteOff, int]:
    """Count the missing copies (status, open loan or hold) by what the write-off may do."""
    counts = Counter(write_off(status, loan_state) for status, loan_state in standing)
    return {kind: counts.get(kind, 0) for kind in WriteOff}
