"""Read class lists (danh sách học sinh) and staff lists (cán bộ, giáo viên) into clean readers."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain, islice

from bot import texts
from bot.core.privacy import consent_from_cell
from bot.core.register import (
    HEADER_SCAN_ROWS,
    Problem,
    RegisterError,
    clean_text,
    header_field,
    header_key,
    is_column_numbers,
    map_columns,
    parse_date,
)
from bot.core.textfold import fold

AUTO = "auto"
STUDENTS = "students"
STAFF = "staff"
KINDS = (AUTO, STUDENTS, STAFF)

STUDENT = "student"
TEACHER = "teacher"
STAFF_MEMBER = "staff"

MALE = "Nam"
FEMALE = "Nữ"

# Folded header (letters and digits only) → (field, rank); a lower rank wins when two
# columns claim the same field, e.g. "Mã học sinh" over "Mã định danh".
READER_ALIASES: dict[str, tuple[str, int]] = {
    **dict.fromkeys(
        [
            "mahocsinh",
            "mahs",
            "masohocsinh",
            "magiaovien",
            "magv",
            "macanbo",
            "macb",
            "manhanvien",
            "manv",
            "macanbogiaovien",
            "macbgv",
            "madocgia",
            "mabandoc",
            "mathe",
        ],
        ("code", 0),
    ),
    **dict.fromkeys(
        ["madinhdanh", "madinhdanhhocsinh", "madinhdanhbogddt", "maso", "masocanbo"],
        ("code", 1),
    ),
    "ma": ("code", 2),
    **dict.fromkeys(
        [
            "hovaten",
            "hoten",
            "tenhocsinh",
            "hotenhocsinh",
            "hovatenhocsinh",
            "hotengiaovien",
            "hovatengiaovien",
            "hotencanbo",
            "hovatencanbo",
            "hotencanbogiaovien",
            "hovatencanbogiaovien",
            "tengiaovien",
            "tencanbo",
        ],
        ("full_name", 0),
    ),
    **dict.fromkeys(
        ["ho", "hodem", "hovadem", "hotendem", "hovatendem", "holot", "hovatenlot"],
        ("family_name", 0),
    ),
    "ten": ("given_name", 0),
    **dict.fromkeys(["lop", "tenlop", "lophoc"], ("class", 0)),
    **dict.fromkeys(["ngaysinh", "ngaythangnamsinh", "sinhngay"], ("birth_date", 0)),
    **dict.fromkeys(["gioitinh", "phai", "gt"], ("gender", 0)),
    "nu": ("female", 0),
    **dict.fromkeys(
        [
            "hoancanhkhokhan",
            "hckk",
            "giadinhkhokhan",
            "hongheo",
            "hocanngheo",
            "hongheocanngheo",
            "dienchinhsach",
            "doituongchinhsach",
            "chinhsach",
            "khokhan",
        ],
        ("disadvantaged", 0),
    ),
    **dict.fromkeys(["chucvu", "chucdanh", "chucvuchucdanh"], ("position", 0)),
    **dict.fromkeys(["monday", "mongiangday", "bomon", "monhocgiangday"], ("subject", 0)),
    **dict.fromkeys(["mon", "monhoc"], ("subject", 1)),
    **dict.fromkeys(
        [
            "chunhiemlop",
            "chunhiem",
            "gvcn",
            "gvcnlop",
            "lopchunhiem",
            "cnlop",
            "lopcn",
            "giaovienchunhiem",
        ],
        ("homeroom", 0),
    ),
    **dict.fromkeys(["stt", "tt", "sothutu"], ("number", 0)),
    **dict.fromkeys(
        ["phuhuynhdongy", "phdongy", "phuhuynhdaky", "dongycuaphuhuynh"], ("parent_consent", 0)
    ),
}
_STUDENT_HEADERS = frozenset(
    {"mahocsinh", "mahs", "masohocsinh", "madinhdanhhocsinh", "tenhocsinh", "hotenhocsinh"}
    | {"hovatenhocsinh"}
)
_STAFF_HEADERS = frozenset(
    {"magiaovien", "magv", "macanbo", "macb", "manhanvien", "manv", "macanbogiaovien", "macbgv"}
    | {"masocanbo", "hotengiaovien", "hovatengiaovien", "hotencanbo", "hovatencanbo"}
    | {"hotencanbogiaovien", "hovatencanbogiaovien", "tengiaovien", "tencanbo"}
)
_NAME_FIELDS = ("full_name", "family_name", "given_name")
_STAFF_FIELDS = frozenset({"position", "subject", "homeroom"})

_CLASS = re.compile(r"^(\d{1,2})\s*([a-z]{1,2})\s*[-.]?\s*(\d{0,2})$")
_SLASH_CLASS = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})$")
_CLASS_PREFIX = re.compile(r"^lop\s*:?\s*")
_CLASS_IN_TEXT = re.compile(r"\blop\s*:?\s*(\d{1,2}(?:\s*[a-z]{1,2}\s*\d{0,2}|\s*/\s*\d{1,2}))\b")
_STUDENT_TITLE = re.compile(r"\bhoc sinh\b")
_STAFF_TITLE = re.compile(r"\b(giao vien|can bo|nhan vien|cbgv|cb gv|gv nv)\b")
_TEACHER_POSITION = re.compile(
    r"\b(giao vien|gv|to truong|to pho|hieu truong|pho hieu truong|ht|pht|tong phu trach|tpt)\b"
)
# A totals line, a note or the signature block under the list (never a reader's row).
_FOOTER = re.compile(
    r"^(tong so\b|tong cong\b|tong\s*[:\d]|cong\s*[:\d]|nguoi lap|hieu truong|pho hieu truong"
    r"|xac nhan|(\(\s*)?k[yi] (ten|va ghi)|ban giam hieu|t/?m\b|ngay \d{1,2} thang"
    r"|giao vien chu nhiem|gvcn\b|danh sach (nay )?co|ghi chu|chu y|luu y)"
)
_NO_MARKS = frozenset({"", "-", "–", "—", "/", "0", "khong", "k", "no", "binh thuong"})
_FEMALE_MARKS = frozenset({"x", "1", "co", "nu", "v", "✓", "√", "true"})
_NO_FEMALE_MARKS = frozenset({"", "-", "0", "khong", "nam"})
_GENDERS = {
    "nam": MALE,
    "m": MALE,
    "trai": MALE,
    "male": MALE,
    "nu": FEMALE,
    "f": FEMALE,
    "gai": FEMALE,
    "female": FEMALE,
}
_DASHES = frozenset({"-", "–", "—", "/"})
_EMPTY_CLASS = _DASHES | {"", "khong"}
_LETTER = re.compile(r"[^\W\d_]")


class ClassListError(RegisterError):
    """The file as a whole cannot be read as a reader list; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class ReaderProblem(Problem):
    """A reason a row cannot be imported, with its sheet when the workbook has several."""

    sheet: str | None = None

    def __str__(self) -> str:
        if self.sheet is None or self.row is None:
            return super().__str__()
        return texts.CLASS_LIST_SHEET_ROW_PROBLEM.format(
            sheet=self.sheet, row=self.row, reason=self.reason
        )


@dataclass(frozen=True)
class ReaderEntry:
    """One reader as a list gives them; `given` names the optional fields it has columns for."""

    sheet: str | None
    row: int
    code: str
    full_name: str
    category: str
    class_name: str = ""
    birth_date: str | None = None
    gender: str = ""
    disadvantaged: bool = False
    subject: str = ""
    position: str = ""
    homeroom_class: str = ""
    given: frozenset[str] = frozenset()
    # The ISO day of a parent's consent the list records (a student's "Phụ huynh đồng ý").
    parent_consent: str | None = None


@dataclass
class SheetResult:
    """What one sheet held: its kind, header row, the class its title names, its readers."""

    name: str | None
    kind: str
    header_row: int
    title_class: str | None = None
    entries: list[ReaderEntry] = field(default_factory=list)
    problems: list[ReaderProblem] = field(default_factory=list)


@dataclass
class ReaderList:
    """Every sheet read from a file, with all good entries and all problems."""

    sheets: list[SheetResult] = field(default_factory=list)

    @property
    def entries(self) -> list[ReaderEntry]:
        return [entry for sheet in self.sheets for entry in sheet.entries]

    @property
    def problems(self) -> list[ReaderProblem]:
        return [problem for sheet in self.sheets for problem in sheet.problems]


def normalize_class(value: object) -> str | None:
    """Return a class name as "6A", "6A1" or "6/1" from "6a", "6 A", "Lớp 6A"…; None if not one."""
    text = _CLASS_PREFIX.sub("", fold(clean_text(value)).strip())
    if match := _CLASS.match(text):
        grade, letters, number = match.groups()
        return f"{int(grade)}{letters.upper()}{number}" if 1 <= int(grade) <= 12 else None
    if match := _SLASH_CLASS.match(text):
        grade, number = match.groups()
        return f"{int(grade)}/{int(number)}" if 1 <= int(grade) <= 12 else None
    return None


def class_from_title(rows: Sequence[Sequence[object]], sheet_name: str | None) -> str | None:
    """Return the class that the title rows ("DANH SÁCH HỌC SINH LỚP 6A") or sheet name give."""
    for cells in rows:
        for cell in cells:
            if match := _CLASS_IN_TEXT.search(" ".join(fold(clean_text(cell)).split())):
                found = normalize_class(match[1])
                if found is not None:
                    return found
    return normalize_class(sheet_name) if sheet_name else None


def staff_category(subject: str, position: str, homeroom_class: str) -> str:
    """Return "teacher" for one who teaches, heads a class or leads the school, else "staff"."""
    if subject or homeroom_class:
        return TEACHER
    words = " ".join(re.findall(r"[0-9a-z]+", fold(position)))
    return TEACHER if _TEACHER_POSITION.search(words) else STAFF_MEMBER


def parse_gender(value: object) -> str:
    """Return "Nam" or "Nữ" for a gender cell, "" when empty; raise ValueError if unreadable."""
    text = clean_text(value)
    key = header_key(text)
    if not key or text in _DASHES:
        return ""
    if key in _GENDERS:
        return _GENDERS[key]
    raise ValueError(texts.CLASS_LIST_BAD_GENDER.format(value=text))


def parse_female_mark(value: object) -> str:
    """Return "Nữ" for a marked cell of a "Nữ" column and "Nam" for an empty one."""
    text = clean_text(value)
    key = " ".join(fold(text).split())
    if key in _FEMALE_MARKS:
        return FEMALE
    if key in _NO_FEMALE_MARKS:
        return MALE
    raise ValueError(texts.CLASS_LIST_BAD_FEMALE_MARK.format(value=text))


def parse_flag(value: object) -> bool:
    """Say whether a "hoàn cảnh khó khăn" cell marks the reader (x, có, 1, hộ nghèo, a note)."""
    return " ".join(fold(clean_text(value)).split()) not in _NO_MARKS


def _is_header_like(cells: Sequence[object]) -> bool:
    """Say whether every filled cell of a row is a column name (a header continued or repeated)."""
    filled = [cell for cell in cells if clean_text(cell)]
    return bool(filled) and all(header_field(cell, READER_ALIASES) for cell in filled)


def _has_name(columns: dict[str, int]) -> bool:
    return any(name in columns for name in _NAME_FIELDS)


def find_reader_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]]:
    """Return (index in rows, columns) of the header; raise ClassListError if there is none.

    The header is the row naming the most known columns among those naming a name column.
    """
    best: tuple[int, dict[str, int]] | None = None
    near_miss: int | None = None
    near_size = 0
    for index, cells in enumerate(rows):
        columns = map_columns(cells, READER_ALIASES)
        if len(columns) < 2:
            continue
        if _has_name(columns):
            if best is None or len(columns) > len(best[1]):
                best = (index, columns)
        elif len(columns) > near_size:
            near_miss, near_size = index, len(columns)
    if best is not None:
        return best
    if near_miss is not None:
        raise ClassListError(texts.CLASS_LIST_HEADER_LACKS_NAME.format(row=near_miss + 1))
    raise ClassListError(texts.CLASS_LIST_NO_HEADER.format(rows=HEADER_SCAN_ROWS))


def _continue_header(cells: Sequence[object], columns: dict[str, int]) -> bool:
    """Fold a second header row ("Họ và tên" over "Họ đệm | Tên") into columns; say if it was."""
    if is_column_numbers(cells):
        return True
    if not _is_header_like(cells):
        return False
    for name, index in map_columns(cells, READER_ALIASES).items():
        columns.setdefault(name, index)
    split = {columns.get("family_name"), columns.get("given_name")} - {None}
    if columns.get("full_name") in split:
        del columns["full_name"]
    return True


def detect_kind(
    columns: dict[str, int], header: Sequence[object], title_rows: Sequence[Sequence[object]]
) -> str:
    """Return "students" or "staff" for a sheet, from its header first, then its title rows."""
    keys = {header_key(cell) for cell in header}
    if "class" in columns or "disadvantaged" in columns or keys & _STUDENT_HEADERS:
        return STUDENTS
    title = " ".join(
        " ".join(re.findall(r"[0-9a-z/]+", fold(clean_text(cell))))
        for cells in title_rows
        for cell in cells
    )
    if _STUDENT_TITLE.search(title) or _CLASS_IN_TEXT.search(title):
        return STUDENTS
    if _STAFF_FIELDS & columns.keys() or keys & _STAFF_HEADERS or _STAFF_TITLE.search(title):
        return STAFF
    return STUDENTS


def _is_footer(cells: Sequence[object]) -> bool:
    return any(
        _FOOTER.match(" ".join(fold(clean_text(cell)).replace(":", " : ").split()))
        for cell in cells
        if isinstance(cell, str)
    )


class ReaderListParser:
    """Turn the rows of every sheet into entries and problems; a code counts once per file."""

    def __init__(self, *, kind: str = AUTO, today: date | None = None) -> None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        self.kind = kind
        self.today = today or date.today()
        self.first_seen: dict[str, tuple[str | None, int]] = {}

    def parse_sheet(self, name: str | None, rows: Iterable[Sequence[object]]) -> SheetResult:
        """Read one sheet (its first row is row 1) into entries and problems.

        Raises ClassListError, saying why, when the sheet has no reader list header.
        """
        iterator = iter(rows)
        head = list(islice(iterator, HEADER_SCAN_ROWS))
        index, columns = find_reader_header(head)
        above = head[:index]
        kind = self.kind if self.kind != AUTO else detect_kind(columns, head[index], above)
        result = SheetResult(
            name=name, kind=kind, header_row=index + 1, title_class=class_from_title(above, name)
        )
        first_data = index + 1
        for cells in head[index + 1 : index + 3]:
            if not _continue_header(cells, columns):
                break
            first_data += 1
        if "code" not in columns:
            reason = (
                texts.CLASS_LIST_NO_CODE_COLUMN_STUDENTS
                if kind == STUDENTS
                else texts.CLASS_LIST_NO_CODE_COLUMN_STAFF
            )
            result.problems.append(ReaderProblem(result.header_row, reason, name))
            return result
        if kind == STUDENTS and "class" not in columns and result.title_class is None:
            result.problems.append(
                ReaderProblem(result.header_row, texts.CLASS_LIST_NO_CLASS_ANYWHERE, name)
            )
            return result
        ended = False
        for number, cells in enumerate(chain(head[first_data:], iterator), start=first_data + 1):
            ended = self._parse_row(result, columns, number, cells, ended=ended)
        return result

    def _parse_row(
        self,
        sheet: SheetResult,
        columns: dict[str, int],
        number: int,
        cells: Sequence[object],
        *,
        ended: bool,
    ) -> bool:
        """Add the row's entry or problem to the sheet; return whether the list has ended.

        After a totals line or the signatures, rows without a code (the signers' names)
        are ignored, but a row with a code is still a reader: none is dropped unseen.
        """
        width = len(cells)
        raw = {name: cells[index] for name, index in columns.items() if index < width}
        text = {name: clean_text(value) for name, value in raw.items()}
        code = text.get("code", "")
        full_name = text.get("full_name") or " ".join(
            filter(None, (text.get("family_name", ""), text.get("given_name", "")))
        )
        if _is_footer(cells) and all(
            not value or _is_footer([value]) for value in (code, full_name)
        ):
            return True
        if not code and (ended or not (full_name or text.get("birth_date"))):
            return ended
        if _is_header_like(cells):
            return ended
        reasons: list[str] = []
        if not code:
            reasons.append(
                texts.CLASS_LIST_MISSING_STUDENT_CODE
                if sheet.kind == STUDENTS
                else texts.CLASS_LIST_MISSING_STAFF_CODE
            )
        else:
            reasons.extend(self._duplicate(sheet.name, number, code))
        if not full_name:
            reasons.append(texts.CLASS_LIST_MISSING_NAME)
        elif not _LETTER.search(full_name):
            reasons.append(texts.CLASS_LIST_NOT_A_NAME.format(value=full_name))
        given: set[str] = set()
        class_name = subject = position = homeroom_class = ""
        disadvantaged = False
        consent: str | None = None
        if sheet.kind == STUDENTS:
            category = STUDENT
            class_name = _student_class(text.get("class", ""), sheet.title_class, reasons)
            if "disadvantaged" in columns:
                given.add("disadvantaged")
                disadvantaged = parse_flag(raw.get("disadvantaged"))
            consent = consent_from_cell(raw.get("parent_consent"), self.today)
        else:
            subject, position = text.get("subject", ""), text.get("position", "")
            given.update(name for name in ("subject", "position") if name in columns)
            if "homeroom" in columns:
                given.add("homeroom_class")
                homeroom_class = _homeroom(text.get("homeroom", ""), reasons)
            category = staff_category(subject, position, homeroom_class)
        birth_date: str | None = None
        gender = ""
        if "birth_date" in columns:
            given.add("birth_date")
            birth_date = self._birth_date(raw.get("birth_date"), reasons)
        if "gender" in columns or "female" in columns:
            given.add("gender")
            gender = _gender(raw, reasons)
        if reasons:
            sheet.problems.append(ReaderProblem(number, "; ".join(reasons), sheet.name))
            return ended
        sheet.entries.append(
            ReaderEntry(
                sheet=sheet.name,
                row=number,
                code=code,
                full_name=full_name,
                category=category,
                class_name=class_name,
                birth_date=birth_date,
                gender=gender,
                disadvantaged=disadvantaged,
                subject=subject,
                position=position,
                homeroom_class=homeroom_class,
                given=frozenset(given),
                parent_consent=consent,
            )
        )
        return ended

    def _duplicate(self, sheet: str | None, number: int, code: str) -> list[str]:
        first_sheet, first = self.first_seen.setdefault(code.casefold(), (sheet, number))
        if (first_sheet, first) == (sheet, number):
            return []
        if first_sheet == sheet:
            return [texts.CLASS_LIST_DUPLICATE_CODE.format(code=code, first=first)]
        return [
            texts.CLASS_LIST_DUPLICATE_CODE_ELSEWHERE.format(
                code=code, first=first, sheet=first_sheet
            )
        ]

    def _birth_date(self, value: object, reasons: list[str]) -> str | None:
        try:
            parsed = parse_date(value)
        except ValueError:
            reasons.append(texts.CLASS_LIST_BAD_BIRTH_DATE.format(value=clean_text(value)))
            return None
        if parsed is not None and parsed > self.today.isoformat():
            reasons.append(texts.CLASS_LIST_FUTURE_BIRTH_DATE.format(value=clean_text(value)))
            return None
        return parsed


def _gender(raw: dict[str, object], reasons: list[str]) -> str:
    try:
        if clean_text(raw.get("gender")) or "female" not in raw:
            return parse_gender(raw.get("gender"))
        return parse_female_mark(raw.get("female"))
    except ValueError as exc:
        reasons.append(str(exc))
        return ""


def _student_class(value: str, title_class: str | None, reasons: list[str]) -> str:
    if fold(value) in _EMPTY_CLASS:
        if title_class is None:
            reasons.append(texts.CLASS_LIST_MISSING_CLASS)
            return ""
        return title_class
    found = normalize_class(value)
    if found is None:
        reasons.append(texts.CLASS_LIST_BAD_CLASS.format(value=value))
        return ""
    return found


def _homeroom(value: str, reasons: list[str]) -> str:
    if fold(value) in _EMPTY_CLASS:
        return ""
    found = normalize_class(value)
    if found is None:
        reasons.append(texts.CLASS_LIST_BAD_HOMEROOM.format(value=value))
        return ""
    return found


def parse_reader_sheets(
    sheets: Iterable[tuple[str | None, Iterable[Sequence[object]]]],
    *,
    kind: str = AUTO,
    today: date | None = None,
) -> ReaderList:
    """Read every sheet that holds a class or staff list; sheets without a header are skipped.

    Raises ClassListError when no sheet has a header. Problems name their sheet only when
    more than one sheet was read.
    """
    parser = ReaderListParser(kind=kind, today=today)
    found = ReaderList()
    first_error: ClassListError | None = None
    for name, rows in sheets:
        try:
            found.sheets.append(parser.parse_sheet(name, rows))
        except ClassListError as exc:
            first_error = first_error or exc
    if not found.sheets:
        raise first_error or ClassListError(
            texts.CLASS_LIST_NO_HEADER.format(rows=HEADER_SCAN_ROWS)
        )
    if len(found.sheets) == 1:
        only = found.sheets[0]
        only.problems = [replace(problem, sheet=None) for problem in only.problems]
        only.entries = [replace(entry, sheet=None) for entry in only.entries]
    return found
