"""Turn what a person typed into a safe search plan: tokens, typo candidates, an FTS5 MATCH."""

import bisect
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import accumulate, combinations

from bot.core.accession import parse_accession
from bot.core.textfold import fold

MAX_TOKENS = 12
MAX_TOKEN_LENGTH = 64
# Folding and tokenising a 5,000-character paste is wasted work: 12 tokens fit well within this.
MAX_QUERY_CHARS = 1_000
MIN_QUERY_CHARS = 2
MIN_FUZZY_LENGTH = 3
LONG_TOKEN = 8
# Typo guesses per token: each is one more document list for FTS5 to read, so a first try
# keeps to the likeliest few and the second try (after nothing was found) looks further.
MAX_FUZZY_CANDIDATES = 5
MAX_RELAXED_CANDIDATES = 12
# How much more often the words of one title occur together than independent words would.
CORRELATION = 50

# Bumped whenever the terms index_text writes change, so an index built by older rules is
# rebuilt (db.search does it on first use).
INDEX_RULES = 1

# Column weights of bm25 over title_fts(title, author, subject): title ≫ author > subject.
BM25_WEIGHTS = (10.0, 4.0, 1.0)
RANK_FUNCTION = "bm25({}, {}, {})".format(*BM25_WEIGHTS)

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# A word and the + or # after it is one term, spelled out in letters the index keeps.
_TERM = re.compile(r"[0-9a-z]+(?:[+#]+(?![0-9a-z+#]))?")
_SPELLED = str.maketrans({"+": "plus", "#": "sharp"})
# Words joined without spaces where one is a single letter are a name: X-Men, Q&A, A.I.
_JOINED = re.compile(r"(?<![0-9a-z])[0-9a-z]+(?:[-&./'][0-9a-z]+){1,3}(?![0-9a-z])")
_JOINERS = re.compile(r"[-&./']")
_JOINING = re.compile(r"[0-9a-z][-&./'+#]")
_WORDS = re.compile(r"[0-9a-z]+")
_ISBN_SHAPE = re.compile(r"(?:isbn:?)?[\s\d-]+[xX]?", re.IGNORECASE)
# VNI puts a digit after the letter it marks (1-5 tones, 6-9 hats, horn, breve and đ);
# a syllable has one tone at most, which tells SGK12 from d9a81c.
_VNI = re.compile(r"[a-z]+(?:[1-9]{1,2}[a-z]*)+")
_VNI_TONES = re.compile(r"[1-5]")
_DIGITS = re.compile(r"[0-9]")
# Telex doubles a letter for its hat or đ, adds w for a horn or breve, and a tone key after
# the vowel: the key is s/f/r/x/j, followed only by the syllable's final consonants.
_TELEX_DOUBLED = re.compile(r"([adeo])\1")
_TELEX_HORN = re.compile(r"(?<=[aou])w")
_TELEX_TONE = re.compile(r"([aeiouy][a-z]*?)[sfrxj]([cghmnpt]*)$")


class Outcome(StrEnum):
    """What became of a search, so the bot knows what to say."""

    OK = "ok"
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    NOTHING_FOUND = "nothing_found"


@dataclass(frozen=True)
class ParsedQuery:
    """The searchable parts of what a person typed.

    tokens are its terms; names those of them typed on purpose as they are (x-men as xmen,
    c++ as cplusplus): they match only themselves, never a typo guess.
    """

    tokens: tuple[str, ...]
    accessions: tuple[str, ...]
    isbns: tuple[str, ...]
    names: frozenset[str] = frozenset()

    @property
    def outcome(self) -> Outcome | None:
        """EMPTY or TOO_SHORT when there is nothing to search in the words, else None."""
        if not self.tokens:
            return Outcome.EMPTY
        if sum(len(token) for token in self.tokens) < MIN_QUERY_CHARS:
            return Outcome.TOO_SHORT
        return None


@dataclass(frozen=True)
class Term:
    """A search term: its folded text, the words it stands for, and if it is a name."""

    text: str
    words: tuple[str, ...]
    # Typed on purpose as it is (x-men, q&a, c++): it matches itself only, never a typo guess.
    name: bool = False


def term_groups(text: str) -> list[Term]:
    """Return the folded [a-z0-9] search terms of text.

    Most terms are a word standing for itself. A word with + or # after it is one term
    (c++ → cplusplus, c# → csharp), so that it does not match every c. Words joined by
    - & . / or ' where one is a single letter form a name (x-men → xmen, q&a → qa) that
    stands for its words too.
    """
    folded = fold(text)
    if not _JOINING.search(folded):
        return [Term(word, (word,)) for word in _WORDS.findall(folded)]
    terms: list[Term] = []
    for chunk in folded.split():
        names = [m.span() for m in _JOINED.finditer(chunk) if _is_name(m[0])]
        name: tuple[int, int] | None = None
        words: list[str] = []
        for match in _TERM.finditer(chunk):
            term = match[0].translate(_SPELLED)
            within = next((span for span in names if span[0] <= match.start() < span[1]), None)
            if within is not None and within == name:
                words.append(term)
                continue
            if words:
                terms.append(_term(words, name is not None))
            name, words = within, [term]
            if term != match[0]:
                terms.append(Term(term, (term,), name=True))
                name, words = None, []
        if words:
            terms.append(_term(words, name is not None))
    return terms


def _term(words: list[str], joined: bool) -> Term:
    return Term("".join(words), tuple(words), name=joined)


def _is_name(joined: str) -> bool:
    return any(len(word) == 1 and word.isalpha() for word in _JOINERS.split(joined))


def query_tokens(text: str) -> tuple[str, ...]:
    """Return the first MAX_TOKENS search terms of text, each cut to MAX_TOKEN_LENGTH."""
    terms = term_groups(text[:MAX_QUERY_CHARS])
    return tuple(term.text[:MAX_TOKEN_LENGTH] for term in terms[:MAX_TOKENS])


def query_names(text: str) -> frozenset[str]:
    """Return the search terms of text that are names (x-men, q&a) or carry a symbol (c++)."""
    terms = term_groups(text[:MAX_QUERY_CHARS])
    return frozenset(term.text[:MAX_TOKEN_LENGTH] for term in terms[:MAX_TOKENS] if term.name)


def accession_candidates(text: str) -> tuple[str, ...]:
    """Return the accession numbers text may mean: itself, and STK-12 as STK-00012, STK12 …"""
    parsed = parse_accession(text)
    return parsed.spellings() if parsed is not None else ()


def isbn_candidates(text: str) -> tuple[str, ...]:
    """Return the bare ISBN-10 and ISBN-13 forms text stands for, or () if it is no ISBN."""
    text = text.strip()
    if not _ISBN_SHAPE.fullmatch(text):
        return ()
    bare = re.sub(r"[^0-9X]", "", text.upper().removeprefix("ISBN"))
    if len(bare) == 10 and bare[:9].isdigit():
        return (bare, _isbn13(bare[:9]))
    if len(bare) == 13 and bare.isdigit():
        return (bare, _isbn10(bare[3:12])) if bare.startswith("978") else (bare,)
    return ()


def _isbn13(nine: str) -> str:
    body = "978" + nine
    total = sum(int(digit) * (1 if i % 2 == 0 else 3) for i, digit in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _isbn10(nine: str) -> str:
    check = (11 - sum(int(digit) * (10 - i) for i, digit in enumerate(nine)) % 11) % 11
    return nine + ("X" if check == 10 else str(check))


def parse_query(text: str) -> ParsedQuery:
    """Split what a person typed into folded tokens and accession / ISBN look-ups."""
    return ParsedQuery(
        tokens=query_tokens(text),
        accessions=accession_candidates(text),
        isbns=isbn_candidates(text),
        names=query_names(text),
    )


def edit_distance(a: str, b: str, limit: int) -> int:
    """Return the optimal-string-alignment distance of a and b, or limit + 1 if above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[-1], limit + 1)


def single_edits(word: str) -> set[str]:
    """Return every string one deletion, transposition, substitution or insertion from word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {left + right[1:] for left, right in splits if right}
    edits |= {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    edits |= {left + ch + right[1:] for left, right in splits if right for ch in _LETTERS}
    edits |= {left + ch + right for left, right in splits for ch in _LETTERS}
    edits.discard(word)
    return edits


def slip_rank(typed: str, word: str) -> int:
    """Rank how likely typed is a slip for word: a key pressed twice, two keys swapped, a
    letter missed or added, then anything else (a wrong key, two slips, a keyboard scheme).
    """
    if len(typed) == len(word) + 1:
        extra = [i for i in range(len(typed)) if typed[:i] + typed[i + 1 :] == word]
        if any(i and typed[i - 1] == typed[i] for i in extra):
            return 0
        return 2 if extra else 4
    if len(typed) == len(word):
        differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(differ) == 2 and differ[1] == differ[0] + 1:
            return 1 if typed[differ[0]] == word[differ[1]] else 4
        return 3 if len(differ) == 1 else 4
    return 2 if len(word) == len(typed) + 1 else 4


def deletions(word: str, depth: int) -> set[str]:
    """Return the strings made from word by deleting up to depth letters (word included)."""
    found = {word}
    for count in range(1, min(depth, len(word)) + 1):
        for kept in combinations(range(len(word)), len(word) - count):
            found.add("".join(word[i] for i in kept))
    return found


def keyboard_variants(token: str) -> set[str]:
    """Return token read as Telex or VNI keystrokes whose accents were never applied.

    ddawcs (Telex) and d9a81c (VNI) both give dac; the caller keeps only indexed words.
    """
    variants = set()
    if _VNI.fullmatch(token) and not token.isalpha() and len(_VNI_TONES.findall(token)) <= 1:
        variants.add(_DIGITS.sub("", token))
    elif len(token) >= MIN_FUZZY_LENGTH and token.isalpha():
        telex = _TELEX_DOUBLED.sub(r"\1", token)
        telex = _TELEX_HORN.sub("", telex).replace("w", "u")
        variants.add(_TELEX_TONE.sub(r"\1\2", telex))
    variants.discard(token)
    return {variant for variant in variants if len(variant) >= MIN_QUERY_CHARS}


class Vocabulary:
    """The indexed terms with their document counts, for exact, prefix and typo look-ups."""

    def __init__(self, terms: Mapping[str, int], titles: int | None = None) -> None:
        self.docs = dict(terms)
        self.titles = max(self.docs.values(), default=0) if titles is None else titles
        self._sorted = sorted(self.docs)
        self._cumulative = list(accumulate((self.docs[term] for term in self._sorted), initial=0))
        self._deletion_index: dict[str, set[str]] | None = None

    def __contains__(self, term: object) -> bool:
        return term in self.docs

    def _prefix_range(self, prefix: str) -> tuple[int, int]:
        start = bisect.bisect_left(self._sorted, prefix)
        return start, bisect.bisect_left(self._sorted, prefix + "\x7f", start)

    def has_prefix(self, prefix: str) -> bool:
        """Tell whether some term starts with prefix."""
        start, end = self._prefix_range(prefix)
        return end > start

    def documents(self, alternative: "Alternative") -> int:
        """Return at most how many titles hold a word the alternative matches."""
        if not alternative.prefix:
            return self.docs.get(alternative.term, 0)
        start, end = self._prefix_range(alternative.term)
        return self._cumulative[end] - self._cumulative[start]

    def estimate(self, plan: "QueryPlan") -> int:
        """Return a rough upper bound of how many titles the plan matches.

        No more than its rarest token; and, since the words of a title go together,
        CORRELATION times what independent words would give.
        """
        counts = [sum(self.documents(alt) for alt in token.alternatives) for token in plan.tokens]
        if not counts or not self.titles:
            return 0
        independent = self.titles * math.prod(min(n / self.titles, 1.0) for n in counts)
        return min(min(counts), math.ceil(CORRELATION * independent))

    def _long_term_deletions(self) -> dict[str, set[str]]:
        # Only terms that can be two edits from a LONG_TOKEN query need this index, and
        # Vietnamese syllables are rarely that long, so it stays small.
        if self._deletion_index is None:
            index: dict[str, set[str]] = {}
            for term in self.docs:
                if len(term) >= LONG_TOKEN - 2 and term.isalpha():
                    for deleted in deletions(term, 2):
                        index.setdefault(deleted, set()).add(term)
            self._deletion_index = index
        return self._deletion_index

    def near(self, token: str, limit: int = MAX_FUZZY_CANDIDATES) -> list[tuple[str, int]]:
        """Return (term, distance) of terms a small typo away from token, likeliest first."""
        found: dict[str, int] = {}
        if len(token) >= LONG_TOKEN and token.isalpha():
            index = self._long_term_deletions()
            pool: set[str] = set()
            for deleted in deletions(token, 2):
                pool |= index.get(deleted, set())
            for term in pool:
                distance = edit_distance(token, term, 2)
                if 0 < distance <= 2:
                    found[term] = distance
        elif len(token) >= MIN_FUZZY_LENGTH and token.isalpha():
            found = {term: 1 for term in single_edits(token) if term in self.docs}
        for term in keyboard_variants(token):
            if term in self.docs:
                found.setdefault(term, 1)
        ranked = sorted(
            found.items(),
            key=lambda item: (item[1], slip_rank(token, item[0]), -self.docs[item[0]], item[0]),
        )
        return ranked[:limit]


@dataclass(frozen=True)
class Alternative:
    """One way a query token may match an indexed word."""

    term: str
    prefix: bool = False
    distance: int = 0

    def matches(self, word: str) -> bool:
        return word.startswith(self.term) if self.prefix else word == self.term

    def closeness(self, word: str) -> float:
        """Return how well word fits this alternative: 1 for the very word, less for guesses."""
        if self.distance:
            return 0.75 if self.distance == 1 else 0.6
        if self.prefix and word != self.term:
            return 0.9
        return 1.0

    def expression(self) -> str:
        return f'"{self.term}"*' if self.prefix else f'"{self.term}"'


@dataclass(frozen=True)
class TokenPlan:
    """A query token and the alternatives it is searched by."""

    token: str
    alternatives: tuple[Alternative, ...]

    def expression(self) -> str:
        parts = [alternative.expression() for alternative in self.alternatives]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


@dataclass(frozen=True)
class QueryPlan:
    """The alternatives of every token and the FTS5 MATCH expression built from them."""

    tokens: tuple[TokenPlan, ...]
    corrected: bool

    @property
    def expression(self) -> str:
        return " AND ".join(token.expression() for token in self.tokens)

    @property
    def title_starts(self) -> list[str]:
        """The folded title starts the person may have meant: the first alternative of each
        token but the last, then each alternative of the last one."""
        *before, last = self.tokens
        typed = "".join(token.alternatives[0].term + " " for token in before)
        return [typed + alternative.term for alternative in last.alternatives]


def _token_plan(
    token: str, last: bool, vocabulary: Vocabulary, relaxed: bool, name: bool
) -> TokenPlan:
    alternatives: list[Alternative] = []
    if last and vocabulary.has_prefix(token):
        alternatives.append(Alternative(token, prefix=True))
    elif token in vocabulary:
        alternatives.append(Alternative(token))
    if name:
        return TokenPlan(token, tuple(alternatives))
    if relaxed or not alternatives:
        limit = MAX_RELAXED_CANDIDATES if relaxed else MAX_FUZZY_CANDIDATES
        alternatives.extend(
            Alternative(term, distance=d) for term, d in vocabulary.near(token, limit)
        )
    if not alternatives and vocabulary.has_prefix(token):
        # A word left unfinished before the next one: an abbreviation rather than a typo.
        alternatives.append(Alternative(token, prefix=True))
    return TokenPlan(token, tuple(alternatives))


def plan_query(
    tokens: Sequence[str],
    vocabulary: Vocabulary,
    *,
    relaxed: bool = False,
    names: Collection[str] = (),
) -> QueryPlan | None:
    """Return the plan that finds titles holding every token, or None if one cannot match.

    The last token matches as a prefix (the person may still be typing); earlier tokens match
    whole words, or when they are no indexed word, the words a small typo away. A relaxed plan
    adds the typo neighbours of every token, for a second try when the first found nothing.
    Names (x-men, c++) match only as typed.
    """
    plans = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        plan = _token_plan(token, last, vocabulary, relaxed, token in names)
        if not plan.alternatives:
            return None
        plans.append(plan)
    if not plans:
        return None
    corrected = any(alt.distance for plan in plans for alt in plan.alternatives)
    return QueryPlan(tuple(plans), corrected)


def fts_expression(tokens: Sequence[str], *, last_prefix: bool = True) -> str:
    """Return the plain MATCH of tokens as they are, the last one as a prefix."""
    plans = [
        TokenPlan(token, (Alternative(token, prefix=last_prefix and i == len(tokens) - 1),))
        for i, token in enumerate(tokens)
    ]
    return QueryPlan(tuple(plans), corrected=False).expression


@dataclass(frozen=True)
class Candidate:
    """A matched title as the index holds it, to be ordered by closeness to the query."""

    title_id: int
    bm25: float
    title_words: Sequence[str]
    author_words: Sequence[str]
    subject_words: Sequence[str]
    on_shelf: int


class _Masks(dict[str, int]):
    """Which tokens of a plan each word fits (bit k for token k), filled in on first use."""

    def __init__(self, plan: QueryPlan) -> None:
        super().__init__()
        # Per token: the closeness of each whole word it matches, and the prefixes it has.
        self.whole = [
            {alt.term: alt.closeness(alt.term) for alt in token.alternatives if not alt.prefix}
            for token in plan.tokens
        ]
        self.prefixes = [
            [alt for alt in token.alternatives if alt.prefix] for token in plan.tokens
        ]
        self.closeness: dict[str, tuple[float, ...]] = {}

    def _fit(self, k: int, word: str) -> float:
        fit = self.whole[k].get(word, 0.0)
        for alternative in self.prefixes[k]:
            if alternative.matches(word):
                fit = max(fit, alternative.closeness(word))
        return fit

    def __missing__(self, word: str) -> int:
        closeness = tuple(self._fit(k, word) for k in range(len(self.whole)))
        mask = self[word] = sum(1 << k for k, fit in enumerate(closeness) if fit)
        if mask:
            self.closeness[word] = closeness
        return mask


class Scorer:
    """Orders candidates by bm25 and closeness to one plan, remembering how words fit it."""

    def __init__(self, plan: QueryPlan) -> None:
        self.count = len(plan.tokens)
        self.full = (1 << self.count) - 1
        self.masks = _Masks(plan)

    def _in_order(self, masks: Sequence[int]) -> bool:
        count = self.count
        return any(
            all(masks[start + k] >> k & 1 for k in range(count))
            for start in range(len(masks) - count + 1)
        )

    def key(self, candidate: Candidate) -> tuple[bool, bool, float, int]:
        """Return the sort key of a candidate: exact title first, then titles holding every
        word (an author or subject matching a word ranks below them), boosted bm25, then id.

        bm25 is negative (lower is better), so every boost multiplies it by more than one;
        closeness (how many words were guessed rather than typed) scales it down. The words
        in order in the title, or two or more in order in the author (a name typed whole),
        weigh most.
        """
        lookup = self.masks.__getitem__
        title = list(map(lookup, candidate.title_words))
        author = list(map(lookup, candidate.author_words))
        words = (*candidate.title_words, *candidate.author_words, *candidate.subject_words)
        fitting = [self.masks.closeness[word] for word in set(words) if lookup(word)]
        closeness = sum(max((fit[k] for fit in fitting), default=0.0) for k in range(self.count))
        union = 0
        for mask in title:
            union |= mask
        ordered = self._in_order(title)
        boost = (
            1.0
            + 0.6 * (union == self.full)
            + 0.5 * ordered
            + 1.5 * (self.count > 1 and self._in_order(author))
            + 0.1 * (candidate.on_shelf > 0)
        )
        exact = ordered and len(title) == self.count
        in_title = union == self.full
        score = candidate.bm25 * boost * closeness / self.count
        return (not exact, not in_title, score, candidate.title_id)


def rank_candidates(plan: QueryPlan, candidates: Sequence[Candidate]) -> list[Candidate]:
    """Order candidates by closeness to plan: the best first, ties by title id."""
    return sorted(candidates, key=Scorer(plan).key)


def index_text(*parts: str) -> str:
    """Return the search terms of parts, space-separated: the text an index column holds.

    A joined name is held as its words and then whole (x men xmen), so both spellings find it.
    """
    terms: list[str] = []
    for part in parts:
        for term in term_groups(part):
            terms.extend(term.words if len(term.words) == 1 else (*term.words, term.text))
    return " ".join(terms)


# Series numbers: "Tập một", "Tập 2", "T.3", "Quyển IV", "Phần 5" (folded words). Phan and
# Nam are names too, so after phần (and t., vol., số) only a numeral counts.
_WORD_MARKERS = frozenset({"tap", "quyen", "cuon"})
_NUMERAL_MARKERS = frozenset({"phan", "t", "vol", "volume", "so"})
_NUMBER_WORDS = {
    "mot": 1,
    "hai": 2,
    "ba": 3,
    "bon": 4,
    "tu": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_UNITS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
# Most titles carry no series number: this finds those that may, without splitting the others.
_MARKED = re.compile(
    r"\b(?:tap|quyen|cuon|phan|t|vol|volume|so)"
    r" (?:\d|[ivx]+\b|(?:mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)\b)"
)
# Titles whose words before the series number start with this many alike are one series.
SERIES_COMMON_WORDS = 2

Stem = tuple[tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True)
class Volume:
    """Where a title sits in a numbered series: the words around its number, and the number."""

    before: tuple[str, ...]
    number: int
    after: tuple[str, ...]

    @property
    def stem(self) -> Stem:
        return self.before, self.after


def _numeral(word: str) -> int | None:
    if word.isdigit() and len(word) <= 4:
        return int(word)
    roman = _ROMAN.fullmatch(word)
    if word and roman:
        return 10 * len(roman[1]) + _ROMAN_UNITS.get(roman[2], 0)
    return None


def _number_words(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """Read a number spelled in words at words[i] (một … mười, mười hai, hai mươi)."""
    value = _NUMBER_WORDS.get(words[i])
    if value is None:
        return None
    following = _NUMBER_WORDS.get(words[i + 1], 0) if i + 1 < len(words) else 0
    if value == 10 and 0 < following < 10:
        return 10 + following, 2
    if value < 10 and following == 10:
        return value * 10, 2
    return value, 1


def volume_of(words: Sequence[str]) -> Volume | None:
    """Return the series number a title's folded words carry (Tập một, T.2, Quyển IV …)."""
    for i, word in enumerate(words[:-1]):
        found: tuple[int, int] | None = None
        if word in _WORD_MARKERS or word in _NUMERAL_MARKERS:
            numeral = _numeral(words[i + 1])
            found = (numeral, 1) if numeral is not None else None
        if found is None and word in _WORD_MARKERS:
            found = _number_words(words, i + 1)
        if found is None:
            continue
        value, used = found
        after = words[i + 1 + used :]
        # The index holds T.2 also whole (t2): that is the same number, not a subtitle.
        if after and after[0] == word + words[i + 1]:
            after = after[1:]
        return Volume(tuple(words[:i]), value, tuple(after))
    return None


def series_sort_key(key: str) -> tuple[int, str, int]:
    """Return a sort key for a folded title that puts a series' volumes side by side, in
    number order, where the shortest titles come first (Toán 6 - Tập một, Tập hai, … Tập 10).
    """
    volume = volume_of(key.split()) if _MARKED.search(key) else None
    if volume is None:
        return len(key), key, 0
    stem = " ".join((*volume.before, "#", *volume.after))
    return len(stem), stem, volume.number


def series_order(titles: Sequence[tuple[int, str]]) -> list[int]:
    """Return the ids of ranked (id, folded title) with each numbered series in number order.

    The volumes of a series keep the places the ranking gave them, but fill them in order:
    Tập một before Tập hai. Titles are one series when the words before and after their
    numbers are the same (Toán 6 - Tập một / Tập hai (Cánh Diều)), or, for a series whose
    volumes have names of their own (Harry Potter và … - Tập 1), when the words after are
    the same and those before start alike.
    """
    volumes = {
        title_id: volume
        for title_id, key in titles
        if _MARKED.search(key) and (volume := volume_of(key.split())) is not None
    }
    if len(volumes) < 2:
        return [title_id for title_id, _ in titles]
    alike: dict[Stem, list[int]] = {}
    for title_id, volume in volumes.items():
        alike.setdefault(volume.stem, []).append(title_id)
    stems = {title_id: volume.stem for title_id, volume in volumes.items()}
    alone = sorted(stem for stem, ids in alike.items() if len(ids) == 1)
    for i, (before, after) in enumerate(alone):
        neighbours = [alone[j] for j in (i - 1, i + 1) if 0 <= j < len(alone)]
        shared = max(
            (_common(before, other) for other, other_after in neighbours if other_after == after),
            default=0,
        )
        if shared >= SERIES_COMMON_WORDS:
            stems[alike[(before, after)][0]] = (before[:shared], after)
    series: dict[Stem, list[int]] = {}
    for title_id, _ in titles:
        if title_id in stems:
            series.setdefault(stems[title_id], []).append(title_id)
    order = [title_id for title_id, _ in titles]
    place = {title_id: i for i, title_id in enumerate(order)}
    for members in series.values():
        if len(members) > 1:
            by_number = sorted(members, key=lambda title_id: volumes[title_id].number)
            for spot, title_id in zip(sorted(place[m] for m in members), by_number, strict=True):
                order[spot] = title_id
    return order


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count
