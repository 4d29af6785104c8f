"""Read an accession register (sổ đăng ký cá biệt) from spreadsheet rows into clean entries."""

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import chain
from typing import TypeVar

from bot import texts
from bot.core.textfold import fold, normalize

KIND_SGK = "SGK"
KIND_SGV = "SGV"
KIND_STK = "STK"
KIND_STORY = "Truyện"
KIND_PERIODICAL = "Báo, tạp chí"
KIND_PROFESSIONAL = "Nghiệp vụ"
KIND_OTHER = "Khác"
KINDS = (KIND_SGK, KIND_SGV, KIND_STK, KIND_STORY, KIND_PERIODICAL, KIND_PROFESSIONAL, KIND_OTHER)

SOURCES = ("bought", "donated", "rotated_in")

HEADER_SCAN_ROWS = 30
MIN_YEAR = 1900

# Folded header (letters and digits only) → (field, rank); a lower rank wins when two
# columns claim the same field, e.g. "Nhà xuất bản" over "Nơi xuất bản".
HEADER_ALIASES: dict[str, tuple[str, int]] = {
    **dict.fromkeys(
        [
            "sodkcb",
            "sdkcb",
            "sodangkycabiet",
            "madkcb",
            "dkcb",
            "sodk",
            "sodangky",
            "madangkycabiet",
            "sodkcabiet",
            "socabiet",
        ],
        ("accession", 0),
    ),
    **dict.fromkeys(
        ["tensach", "nhande", "tentailieu", "tensachtailieu", "tensachbaotapchi", "tensachbao"],
        ("title", 0),
    ),
    **dict.fromkeys(["tacgia", "tentacgia"], ("author", 0)),
    **dict.fromkeys(["nhaxuatban", "nxb", "nhaxb"], ("publisher", 0)),
    **dict.fromkeys(["noixuatban", "noixb"], ("publisher", 1)),
    **dict.fromkeys(["namxuatban", "namxb"], ("year", 0)),
    "nam": ("year", 1),
    **dict.fromkeys(["giatien", "dongia", "giabia"], ("price", 0)),
    "gia": ("price", 1),
    "monloai": ("subject", 0),
    **dict.fromkeys(["mon", "monhoc"], ("subject", 1)),
    **dict.fromkeys(["kyhieuphanloai", "kihieuphanloai", "khpl"], ("classification", 0)),
    "phanloai": ("classification", 1),
    **dict.fromkeys(["ngayvaoso", "ngaynhap", "ngaynhapkho"], ("acquired_on", 0)),
    "ghichu": ("note", 0),
    **dict.fromkeys(["isbn", "maisbn", "soisbn"], ("isbn", 0)),
    **dict.fromkeys(["loai", "loaisach", "loaitailieu"], ("kind", 0)),
    **dict.fromkeys(["khoilop", "khoi", "lop"], ("grade", 0)),
    **dict.fromkeys(["kho", "vitri", "giasach", "kesach", "ke"], ("location", 0)),
    **dict.fromkeys(["nguon", "nguongoc", "nguonsach"], ("source", 0)),
    **dict.fromkeys(["nguoitang", "nguoibieu", "nguoitangbieu"], ("donor", 0)),
    **dict.fromkeys(["tomtat", "tomtatnoidung", "noidungtomtat"], ("summary", 0)),
}

_NOT_WORD = re.compile(r"[^0-9a-z]+")
_PARENTHESISED = re.compile(r"\([^)]*\)")
_SPACES = re.compile(r"\s+")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
# A grand total ends the table (signatures may follow); a page subtotal is only skipped.
_GRAND_TOTALS = ("tongcong", "tongso")
_SUBTOTALS = frozenset({"cong", "congtrang", "congdon"})
_ACCESSION_PREFIX = re.compile(r"^([^\W\d_]+)")
_PREFIX_KINDS = {
    "sgk": KIND_SGK,
    "sgv": KIND_SGV,
    "stk": KIND_STK,
    "tn": KIND_STORY,
    "tt": KIND_STORY,
    "truyen": KIND_STORY,
    "nv": KIND_PROFESSIONAL,
    "snv": KIND_PROFESSIONAL,
    "btc": KIND_PERIODICAL,
    "bao": KIND_PERIODICAL,
    "bc": KIND_PERIODICAL,
    "tc": KIND_PERIODICAL,
}
# Checked in order: "sách giáo viên" must not fall under "giáo khoa", nor "báo" under others.
_KIND_WORDS = (
    (("sgv", "giaovien"), KIND_SGV),
    (("sgk", "giaokhoa"), KIND_SGK),
    (("stk", "thamkhao"), KIND_STK),
    (("truyen", "tn"), KIND_STORY),
    (("nghiepvu", "nv", "snv"), KIND_PROFESSIONAL),
    (("bao", "tapchi", "btc"), KIND_PERIODICAL),
)
_SOURCE_WORDS = (
    (("tang", "bieu", "quyengop", "ungho"), "donated"),
    (("luanchuyen", "chuyenden"), "rotated_in"),
    (("mua", "cap", "ngansach"), "bought"),
)
_EMPTY_MARKS = frozenset({"-", "–", "—"})
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_WORDY_DATE = re.compile(r"^ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_CURRENCY = re.compile(r"(vnd|dong|d|vn)$")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
# Đồng have no fractions: "45000.0" or "45.000,00" are whole, "12.5" is ambiguous.
_ZERO_CENTS = re.compile(r"^(\d{1,3}(\.\d{3})*|\d+),0{1,2}$|^(\d{1,3}(,\d{3})*|\d+)\.0{1,2}$")
_PLAIN = re.compile(r"^\d+$")
_NUMBERS = re.compile(r"\d+")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIALS = range(20000, 80000)
# Titles, authors and publishers repeat down a register: fold each spelling once.
_fold = lru_cache(maxsize=1 << 16)(fold)


T = TypeVar("T")


class RegisterError(ValueError):
    """The file as a whole cannot be read as a register; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Problem:
    """A reason a row (or, with row None, the whole file) cannot be imported."""

    row: int | None
    reason: str

    def __str__(self) -> str:
        return (
            self.reason
            if self.row is None
            else texts.REGISTER_ROW_PROBLEM.format(row=self.row, reason=self.reason)
        )


@dataclass(frozen=True)
class Entry:
    """One copy as the register describes it, cleaned; empty text and None mean "not given"."""

    row: int
    accession: str
    title: str
    author: str = ""
    publisher: str = ""
    year: int | None = None
    isbn: str = ""
    kind: str = ""
    subject: str = ""
    grade: int | None = None
    classification: str = ""
    summary: str = ""
    location: str = ""
    acquired_on: str | None = None
    price: int | None = None
    source: str = ""
    donor: str = ""
    note: str = ""
    group_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        key = group_key(self.title, self.author, self.publisher, self.year)
        object.__setattr__(self, "group_key", key)


@dataclass
class Register:
    """What a register holds: where its header is, the good entries and the bad rows."""

    header_row: int
    columns: dict[str, int]
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def group_key(title: str, author: str, publisher: str, year: int | None) -> str:
    """Return the key under which copies are one title: folded title|author|publisher|year."""
    parts = (_fold(clean_text(title)), _fold(clean_text(author)), _fold(clean_text(publisher)))
    return "|".join((*parts, "" if year is None else str(year)))


def clean_text(value: object) -> str:
    """Return a cell as NFC text with runs of whitespace collapsed; numbers lose a trailing .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    return " ".join(normalize(str(value)).split())


def header_key(text: object) -> str:
    """Return a header folded to bare letters and digits, for matching in any spelling."""
    return _NOT_WORD.sub("", fold(clean_text(text)))


def header_field(
    text: object, aliases: Mapping[str, tuple[str, int]] = HEADER_ALIASES
) -> tuple[str, int] | None:
    """Return the (field, rank) a header cell names, or None for a column we do not know."""
    key = header_key(text)
    if not key:
        return None
    found = aliases.get(key)
    if found is None and "(" in str(text):
        found = aliases.get(header_key(_PARENTHESISED.sub("", str(text))))
    return found


def map_columns(
    cells: Sequence[object], aliases: Mapping[str, tuple[str, int]] = HEADER_ALIASES
) -> dict[str, int]:
    """Return field → column index for a header row; the best-ranked, leftmost column wins."""
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(cells):
        found = header_field(cell, aliases)
        if found is None:
            continue
        name, rank = found
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)
    return {name: index for name, (_, index) in best.items()}


def find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]]:
    """Return (index in rows, columns) of the header row; raise RegisterError if there is none.

    The header is the row naming the most known columns among those that name both the
    accession number and the title.
    """
    best: tuple[int, dict[str, int]] | None = None
    near_miss: tuple[int, dict[str, int]] | None = None
    for index, cells in enumerate(rows):
        columns = map_columns(cells)
        if "accession" in columns and "title" in columns:
            if best is None or len(columns) > len(best[1]):
                best = (index, columns)
        elif len(columns) >= 2 and (near_miss is None or len(columns) > len(near_miss[1])):
            near_miss = (index, columns)
    if best is not None:
        return best
    if near_miss is not None:
        index, columns = near_miss
        missing = [
            label
            for name, label in (
                ("accession", texts.REGISTER_ACCESSION_COLUMN),
                ("title", texts.REGISTER_TITLE_COLUMN),
            )
            if name not in columns
        ]
        raise RegisterError(
            texts.REGISTER_HEADER_LACKS.format(
                row=index + 1, missing=texts.REGISTER_AND.join(missing)
            )
        )
    raise RegisterError(texts.REGISTER_NO_HEADER.format(rows=HEADER_SCAN_ROWS))


def parse_year(value: object, *, latest: int) -> int | None:
    """Return a publication year, None when empty; raise ValueError unless 1900..latest."""
    text = clean_text(value)
    if not text or text in _EMPTY_MARKS:
        return None
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(texts.REGISTER_BAD_YEAR.format(value=text))
    if not (len(text) == 4 and text.isdigit()):
        raise ValueError(texts.REGISTER_BAD_YEAR.format(value=text))
    year = int(text)
    if not MIN_YEAR <= year <= latest:
        raise ValueError(
            texts.REGISTER_YEAR_OUT_OF_RANGE.format(value=text, low=MIN_YEAR, high=latest)
        )
    return year


def parse_date(value: object) -> str | None:
    """Return a date as ISO yyyy-mm-dd, None when empty; raise ValueError if unreadable.

    Takes Excel dates, Excel serial numbers and text as dd/mm/yyyy, d/m/yy, dd-mm-yyyy,
    dd.mm.yyyy, yyyy-mm-dd or "ngày 5 tháng 9 năm 2024".
    """
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = clean_text(value)
    if not text or text in _EMPTY_MARKS:
        return None
    problem = ValueError(texts.REGISTER_BAD_DATE.format(value=text))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or value != int(value) or int(value) not in _EXCEL_SERIALS:
            raise problem
        return (_EXCEL_EPOCH + timedelta(days=int(value))).isoformat()
    plain = _TIME_TAIL.sub("", text).strip()
    if match := _DMY.match(plain):
        day, month, year = (int(part) for part in match.groups())
        if len(match[3]) == 2:
            year += 2000 if year <= date.today().year % 100 + 1 else 1900
    elif match := _YMD.match(plain):
        year, month, day = (int(part) for part in match.groups())
    elif match := _WORDY_DATE.match(" ".join(fold(plain).replace(",", " ").split())):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise problem
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise problem from None
    if parsed.year < MIN_YEAR:
        raise problem
    return parsed.isoformat()


def parse_price(value: object) -> int | None:
    """Return a price in whole đồng, None when empty; raise ValueError if unreadable.

    Takes numbers and text such as "45.000đ", "45,000 VNĐ", "45000" or "45.000,00".
    """
    text = clean_text(value)
    if not text or text in _EMPTY_MARKS:
        return None
    problem = ValueError(texts.REGISTER_BAD_PRICE.format(value=text))
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value < 0:
            raise problem
        return round(value)
    compact = _CURRENCY.sub("", fold(text).replace(" ", "")).rstrip(".")
    if _PLAIN.match(compact):
        return int(compact)
    if _GROUPED.match(compact):
        return int(re.sub(r"[.,]", "", compact))
    if _ZERO_CENTS.match(compact):
        return int(re.sub(r"[.,]", "", re.sub(r"[.,]0{1,2}$", "", compact)))
    raise problem


def parse_grade(value: object) -> int | None:
    """Return the one grade (1–12) a cell names, as in "7" or "Lớp 7"; None otherwise."""
    numbers = _NUMBERS.findall(clean_text(value))
    if len(numbers) == 1 and 1 <= int(numbers[0]) <= 12:
        return int(numbers[0])
    return None


@lru_cache(maxsize=1024)
def normalize_kind(text: object) -> str:
    """Return the canonical kind (SGK, SGV, STK, Truyện, Báo, tạp chí, Nghiệp vụ, Khác)."""
    key = header_key(text)
    if not key:
        return ""
    for words, kind in _KIND_WORDS:
        # Abbreviations count only at the start: "tn" inside "Tin học" names no kind.
        if any(key.startswith(word) if len(word) <= 3 else word in key for word in words):
            return kind
    return KIND_OTHER


def kind_from_accession(accession: str) -> str:
    """Return the kind an accession prefix names (SGK-0012 → SGK), or "" if it names none."""
    match = _ACCESSION_PREFIX.match(accession)
    return _PREFIX_KINDS.get(_fold(match[1]), "") if match else ""


@lru_cache(maxsize=1024)
def normalize_source(text: object) -> str | None:
    """Return bought, donated or rotated_in for a source cell; "" if empty, None if unknown."""
    key = header_key(text)
    if not key:
        return ""
    for words, source in _SOURCE_WORDS:
        if any(word in key for word in words):
            return source
    return None


def normalize_isbn(value: object) -> str:
    """Return an ISBN as bare digits (and X) when it has 10 or 13 of them, else cleaned text."""
    text = clean_text(value)
    bare = re.sub(r"[^0-9X]", "", re.sub(r"^ISBN:?", "", text.upper()))
    return bare if len(bare) in (10, 13) else text


def is_column_numbers(cells: Sequence[object]) -> bool:
    filled = [clean_text(cell) for cell in cells if clean_text(cell)]
    return len(filled) >= 3 and all(_COLUMN_NUMBER.match(cell) for cell in filled)


def _totals_row(cells: Sequence[object]) -> str | None:
    """Return "grand" or "sub" when a row's first filled cell is a totals label, else None."""
    first = next((cell for cell in cells if clean_text(cell)), None)
    if not isinstance(first, str):
        return None
    key = header_key(first)
    if key == "tong" or key.startswith(_GRAND_TOTALS):
        return "grand"
    return "sub" if key in _SUBTOTALS else None


def _attempt(parse: Callable[[], T], reasons: list[str]) -> T | None:
    """Return what parse gives, or None after adding its complaint to reasons."""
    try:
        return parse()
    except ValueError as exc:
        reasons.append(str(exc))
        return None


class RegisterParser:
    """Turn the rows under a known header into entries and problems, row by row."""

    def __init__(self, columns: dict[str, int], *, latest_year: int) -> None:
        self.columns = columns
        self.latest_year = latest_year
        self.first_seen: dict[str, int] = {}
        self.finished = False

    def parse(self, number: int, cells: Sequence[object]) -> Entry | Problem | None:
        """Return the entry a row holds, its problem, or None for a blank or totals row."""
        if self.finished:
            return None
        width = len(cells)
        raw = {name: cells[index] for name, index in self.columns.items() if index < width}
        text = {name: clean_text(value) for name, value in raw.items()}
        accession = text.get("accession", "").upper()
        title = text.get("title", "")
        if not accession:
            totals = _totals_row(cells)
            if totals is not None:
                self.finished = totals == "grand"
                return None
            if not any(text.values()):
                return None
        reasons: list[str] = []
        if not accession:
            reasons.append(
                texts.REGISTER_MISSING_BOTH if not title else texts.REGISTER_MISSING_ACCESSION
            )
        elif not title:
            reasons.append(texts.REGISTER_MISSING_TITLE)
        if accession:
            first = self.first_seen.setdefault(accession, number)
            if first != number:
                reasons.append(
                    texts.REGISTER_DUPLICATE_ACCESSION.format(accession=accession, first=first)
                )
        year = _attempt(lambda: parse_year(raw.get("year"), latest=self.latest_year), reasons)
        acquired_on = _attempt(lambda: parse_date(raw.get("acquired_on")), reasons)
        price = _attempt(lambda: parse_price(raw.get("price")), reasons)
        if reasons:
            return Problem(number, "; ".join(reasons))
        raw_source = text.get("source", "")
        source = normalize_source(raw_source)
        note = text.get("note", "")
        if source is None:
            note = "; ".join(
                filter(None, (note, texts.REGISTER_SOURCE_NOTE.format(value=raw_source)))
            )
            source = ""
        kind = normalize_kind(text.get("kind")) or kind_from_accession(accession)
        return Entry(
            row=number,
            accession=accession,
            title=title,
            author=text.get("author", ""),
            publisher=text.get("publisher", ""),
            year=year,
            isbn=normalize_isbn(raw.get("isbn")),
            kind=kind,
            subject=text.get("subject", ""),
            grade=parse_grade(raw.get("grade")),
            classification=text.get("classification", ""),
            summary=text.get("summary", ""),
            location=text.get("location", ""),
            acquired_on=acquired_on,
            price=price,
            source=source,
            donor=text.get("donor", ""),
            note=note,
        )


def parse_register(
    rows: Iterable[Sequence[object]], *, latest_year: int | None = None
) -> Register:
    """Read the rows of a sheet (first row is row 1) into a Register.

    Raises RegisterError when no header row is found among the first rows.
    """
    latest = latest_year if latest_year is not None else date.today().year + 1
    iterator = iter(rows)
    head: list[Sequence[object]] = []
    for cells in iterator:
        head.append(cells)
        if len(head) == HEADER_SCAN_ROWS:
            break
    header_index, columns = find_header(head)
    register = Register(header_row=header_index + 1, columns=columns)
    below = [
        _header_continuation(cells, columns) for cells in head[header_index + 1 : header_index + 3]
    ]
    parser = RegisterParser(columns, latest_year=latest)
    number = header_index + 1
    for cells in chain(below, head[header_index + 3 :], iterator):
        number += 1
        result = parser.parse(number, cells)
        if isinstance(result, Entry):
            register.entries.append(result)
        elif isinstance(result, Problem):
            register.problems.append(result)
    return register


def _header_continuation(cells: Sequence[object], columns: dict[str, int]) -> Sequence[object]:
    """Return a row just under the header, or () if it continues the header.

    Registers often have a second header row (“Xuất bản” over “Nơi XB | Nhà XB | Năm XB”),
    whose fields join the columns, or a row numbering the columns “(1) (2) (3)…”.
    """
    if is_column_numbers(cells):
        return ()
    taken = set(columns.values())
    extra = {
        name: index
        for name, index in map_columns(cells).items()
        if name not in columns and index not in taken
    }
    holds_book = any(
        clean_text(cells[columns[name]])
        for name in ("accession", "title")
        if columns[name] < len(cells)
    )
    if extra and not holds_book:
        columns.update(extra)
        return ()
    return cells
