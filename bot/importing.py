"""Import an accession register (.xlsx, .csv) into the catalog: `thuvien import-books`."""

import asyncio
import codecs
import csv
import io
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

import openpyxl
from tqdm import tqdm

from bot import texts
from bot.core.register import (
    HEADER_SCAN_ROWS,
    Entry,
    Problem,
    Register,
    RegisterError,
    find_header,
    parse_register,
)
from db import catalog
from db.catalog import CatalogSnapshot, CopyData, TitleData
from db.connection import Database

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
CSV_ENCODINGS = ("utf-8-sig", "cp1258", "cp1252")
CSV_DELIMITERS = ",;\t|"
MAX_ERRORS_SHOWN = 50

T = TypeVar("T")
HeaderFinder = Callable[[Sequence[Sequence[object]]], tuple[int, dict[str, int]]]


@dataclass
class Tally:
    """How many records of one kind an import creates, changes, leaves alone or removes."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0


@dataclass
class ImportReport:
    """What an import read, found wrong and changed; render() says it in Vietnamese."""

    path: Path
    dry_run: bool = False
    allow_errors: bool = False
    sheet: str | None = None
    header_row: int | None = None
    good_rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    titles: Tally = field(default_factory=Tally)
    copies: Tally = field(default_factory=Tally)
    written: bool = False

    @property
    def row_errors(self) -> list[Problem]:
        return [problem for problem in self.errors if problem.row is not None]

    def render(self, max_errors: int = MAX_ERRORS_SHOWN) -> str:
        """Return the summary a librarian reads after the import."""
        source = texts.BOOKS_IMPORT_REPORT_SOURCE.format(name=self.path.name)
        if self.sheet:
            source += texts.BOOKS_IMPORT_REPORT_SHEET.format(sheet=self.sheet)
        if self.header_row:
            source += texts.BOOKS_IMPORT_REPORT_HEADER_ROW.format(row=self.header_row)
        lines = [source]
        if self.errors and not self.row_errors:
            lines.append(texts.BOOKS_IMPORT_REPORT_FAILED)
            lines.extend(str(problem) for problem in self.errors)
            return "\n".join(lines)
        lines.append(
            texts.BOOKS_IMPORT_REPORT_ROWS.format(good=self.good_rows, bad=len(self.row_errors))
        )
        applied = self.written or (self.dry_run and (self.allow_errors or not self.errors))
        if applied:
            titles = texts.BOOKS_IMPORT_REPORT_TITLES.format(**vars(self.titles))
            if self.titles.removed:
                titles += texts.BOOKS_IMPORT_REPORT_TITLES_REMOVED.format(
                    removed=self.titles.removed
                )
            lines.append(titles + ".")
            lines.append(texts.BOOKS_IMPORT_REPORT_COPIES.format(**vars(self.copies)))
        if self.dry_run and applied:
            lines.append(texts.BOOKS_IMPORT_REPORT_DRY_RUN)
        elif self.written:
            changed = any(
                (tally.new, tally.updated, tally.removed) != (0, 0, 0)
                for tally in (self.titles, self.copies)
            )
            lines.append(
                texts.BOOKS_IMPORT_REPORT_WRITTEN
                if changed
                else texts.BOOKS_IMPORT_REPORT_UNCHANGED
            )
        if self.errors:
            if self.allow_errors and applied:
                heading = texts.BOOKS_IMPORT_REPORT_SKIPPED
            else:
                heading = (
                    texts.BOOKS_IMPORT_REPORT_REJECTED_DRY_RUN
                    if self.dry_run
                    else texts.BOOKS_IMPORT_REPORT_REJECTED
                )
            lines.extend(problem_lines(heading, self.errors, max_errors))
        return "\n".join(lines)


def problem_lines(heading: str, problems: Sequence[Problem], max_errors: int) -> list[str]:
    """Return the heading with the count, the first max_errors problems and how many more."""
    lines = [heading.format(count=len(problems))]
    lines.extend(f"  {problem}" for problem in problems[:max_errors])
    if len(problems) > max_errors:
        lines.append(
            texts.BOOKS_IMPORT_REPORT_MORE_ERRORS.format(count=len(problems) - max_errors)
        )
    return lines


@dataclass
class ImportPlan:
    """The writes that bring the catalog in line with a register."""

    new_titles: list[tuple[int, TitleData]] = field(default_factory=list)
    changed_titles: list[tuple[int, TitleData]] = field(default_factory=list)
    unchanged_titles: int = 0
    new_copies: list[CopyData] = field(default_factory=list)
    changed_copies: list[tuple[int, CopyData]] = field(default_factory=list)
    unchanged_copies: int = 0
    emptied_titles: list[int] = field(default_factory=list)


async def import_books(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    allow_errors: bool = False,
    progress: bool = True,
) -> ImportReport:
    """Import a register into the catalog in one transaction, or write nothing.

    Rows with problems block the whole import unless allow_errors; dry_run only counts.
    """
    report = ImportReport(path=path, dry_run=dry_run, allow_errors=allow_errors)
    try:
        register, report.sheet = await asyncio.to_thread(read_register, path, progress=progress)
    except RegisterError as exc:
        report.errors.append(Problem(None, str(exc)))
        return report
    report.header_row = register.header_row
    report.good_rows = len(register.entries)
    report.errors.extend(register.problems)
    if not register.entries and not register.problems:
        report.errors.append(Problem(None, texts.BOOKS_IMPORT_NO_BOOK_ROWS))
    if not register.entries or (report.errors and not allow_errors):
        return report
    if dry_run:
        _count(report, plan_import(register.entries, await catalog.load_snapshot(db.conn)))
        return report
    from db.search import reindex_titles

    async with db.transaction() as conn:
        plan = plan_import(register.entries, await catalog.load_snapshot(conn))
        await catalog.insert_titles(conn, plan.new_titles)
        await catalog.update_titles(conn, plan.changed_titles)
        await catalog.insert_copies(conn, plan.new_copies)
        await catalog.update_copies(conn, plan.changed_copies)
        removed = await catalog.delete_titles_without_copies(conn, plan.emptied_titles)
        touched = [title_id for title_id, _ in (*plan.new_titles, *plan.changed_titles)]
        if touched or removed:
            await reindex_titles(conn, sorted({*touched, *removed}))
    plan.emptied_titles = removed
    _count(report, plan)
    report.written = True
    return report


def _count(report: ImportReport, plan: ImportPlan) -> None:
    report.titles = Tally(
        new=len(plan.new_titles),
        updated=len(plan.changed_titles),
        unchanged=plan.unchanged_titles,
        removed=len(plan.emptied_titles),
    )
    report.copies = Tally(
        new=len(plan.new_copies),
        updated=len(plan.changed_copies),
        unchanged=plan.unchanged_copies,
    )


def plan_import(entries: Sequence[Entry], snapshot: CatalogSnapshot) -> ImportPlan:
    """Work out which titles and copies to create, change and delete for these entries.

    The same accession number is the same copy. A title whose copies all move to one new
    key keeps its id (so its links, cover and waiting line survive a corrected name).
    """
    plan = ImportPlan()
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.group_key, []).append(entry)
    next_id = max(snapshot.titles, default=0) + 1
    title_of_group: dict[str, int] = {}
    for key, members in groups.items():
        data = _title_data(key, members)
        title_id = snapshot.title_ids.get(key) or _renamed_title(members, snapshot, groups)
        if title_id is None:
            plan.new_titles.append((next_id, data))
            title_of_group[key] = next_id
            next_id += 1
            continue
        title_of_group[key] = title_id
        old = snapshot.titles[title_id]
        merged = _merge_title(old, data)
        if merged == old:
            plan.unchanged_titles += 1
        else:
            plan.changed_titles.append((title_id, merged))
    left: Counter[int] = Counter()
    for entry in entries:
        title_id = title_of_group[entry.group_key]
        found = snapshot.copies.get(catalog.accession_key(entry.accession))
        if found is None:
            plan.new_copies.append(_new_copy(entry, title_id))
            continue
        copy_id, old_copy = found
        merged_copy = _merge_copy(old_copy, entry, title_id)
        if merged_copy == old_copy:
            plan.unchanged_copies += 1
            continue
        plan.changed_copies.append((copy_id, merged_copy))
        if old_copy.title_id != title_id:
            left[old_copy.title_id] += 1
    kept = set(title_of_group.values())
    plan.emptied_titles = sorted(
        title_id
        for title_id, gone in left.items()
        if title_id not in kept and snapshot.copy_counts.get(title_id, 0) <= gone
    )
    return plan


def _first_filled(values: Iterable[T]) -> T | None:
    return next((value for value in values if value not in ("", None)), None)


def _title_data(key: str, members: Sequence[Entry]) -> TitleData:
    first = members[0]
    return TitleData(
        title=first.title,
        author=first.author,
        publisher=first.publisher,
        year=first.year,
        isbn=_first_filled(entry.isbn for entry in members) or "",
        kind=_first_filled(entry.kind for entry in members) or "",
        subject=_first_filled(entry.subject for entry in members) or "",
        grade=_first_filled(entry.grade for entry in members),
        classification=_first_filled(entry.classification for entry in members) or "",
        summary=_first_filled(entry.summary for entry in members) or "",
        group_key=key,
    )


def _merge_title(old: TitleData, new: TitleData) -> TitleData:
    """Return the title as the register has it; what the register leaves empty stays."""
    return TitleData(
        title=new.title,
        author=new.author,
        publisher=new.publisher,
        year=new.year,
        isbn=new.isbn or old.isbn,
        kind=new.kind or old.kind,
        subject=new.subject or old.subject,
        grade=new.grade if new.grade is not None else old.grade,
        classification=new.classification or old.classification,
        summary=new.summary or old.summary,
        group_key=new.group_key,
    )


def _renamed_title(
    members: Sequence[Entry], snapshot: CatalogSnapshot, groups: dict[str, list[Entry]]
) -> int | None:
    """Return the old title whose copies are exactly these entries, if its key is free."""
    old_ids = set()
    for entry in members:
        found = snapshot.copies.get(catalog.accession_key(entry.accession))
        if found is None:
            return None
        old_ids.add(found[1].title_id)
    if len(old_ids) != 1:
        return None
    old_id = old_ids.pop()
    old = snapshot.titles.get(old_id)
    if old is None or old.group_key in groups:
        return None
    return old_id if snapshot.copy_counts.get(old_id) == len(members) else None


def _new_copy(entry: Entry, title_id: int) -> CopyData:
    return CopyData(
        accession=entry.accession,
        title_id=title_id,
        location=entry.location,
        acquired_on=entry.acquired_on,
        price=entry.price,
        source=entry.source or ("donated" if entry.donor else "bought"),
        donor=entry.donor,
        note=entry.note,
    )


def _merge_copy(old: CopyData, entry: Entry, title_id: int) -> CopyData:
    """Return the copy as the register has it; what the register leaves empty stays."""
    return CopyData(
        accession=entry.accession,
        title_id=title_id,
        location=entry.location or old.location,
        acquired_on=entry.acquired_on or old.acquired_on,
        price=entry.price if entry.price is not None else old.price,
        source=entry.source or old.source,
        donor=entry.donor or old.donor,
        note=entry.note or old.note,
    )


def read_register(path: Path, *, progress: bool = False) -> tuple[Register, str | None]:
    """Read a register file into entries and problems; return it with its sheet name.

    Raises RegisterError with a Vietnamese message for any file that cannot be read.
    """
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise RegisterError(texts.BOOKS_IMPORT_OLD_EXCEL.format(name=name))
    if suffix not in (*EXCEL_SUFFIXES, ".csv"):
        raise RegisterError(texts.BOOKS_IMPORT_WRONG_EXTENSION.format(name=name))
    data = file_bytes(path)
    show = progress and sys.stderr.isatty()
    # A workbook saved under a .csv name is still a workbook: read what it is.
    if suffix in EXCEL_SUFFIXES or data.startswith(ZIP_MAGIC):
        return _read_workbook(data, name, show)
    return _read_csv(data, name, show), None


def _progress(rows: Iterable[Sequence[object]], total: int | None, show: bool) -> tqdm:
    return tqdm(
        rows,
        total=total,
        desc=texts.BOOKS_IMPORT_PROGRESS_READING,
        unit=" dòng",
        file=sys.stderr,
        disable=not show,
        leave=False,
    )


def file_bytes(path: Path) -> bytes:
    """Return a register or reader list file's bytes; RegisterError says why not, in Vietnamese."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise RegisterError(texts.BOOKS_IMPORT_FILE_MISSING.format(name=path)) from None
    except IsADirectoryError:
        reason = texts.BOOKS_IMPORT_IS_A_FOLDER
    except PermissionError:
        reason = texts.BOOKS_IMPORT_NO_PERMISSION
    except OSError as exc:
        reason = texts.BOOKS_IMPORT_SYSTEM_ERROR.format(error=exc.strerror or exc)
    else:
        if not data.strip():
            raise RegisterError(texts.BOOKS_IMPORT_FILE_EMPTY.format(name=name))
        return data
    raise RegisterError(texts.BOOKS_IMPORT_FILE_UNREADABLE.format(name=name, reason=reason))


def _read_workbook(data: bytes, name: str, show: bool) -> tuple[Register, str]:
    """Parse the first sheet (the active one first) that has a register header."""
    broken = RegisterError(texts.BOOKS_IMPORT_BROKEN_XLSX.format(name=name))
    # openpyxl raises anything from BadZipFile to KeyError or XML errors on a damaged
    # file; all of them mean "broken file".
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        active = workbook.active
        sheets = [active, *(sheet for sheet in workbook.worksheets if sheet is not active)]
    except Exception as exc:
        raise broken from exc
    try:
        first_problem: RegisterError | None = None
        for sheet in sheets:
            if not hasattr(sheet, "iter_rows"):  # a chart sheet has no cells
                continue
            total = sheet.max_row
            # Some programs write a wrong sheet size; read_only mode would trust it.
            sheet.reset_dimensions()
            cells = _guarded(sheet.iter_rows(values_only=True), broken)
            with _progress(cells, total, show) as bar:
                # One iterator for the head and the rest: each iter(bar) starts afresh.
                rows = iter(bar)
                head = list(islice(rows, HEADER_SCAN_ROWS))
                try:
                    find_header(head)
                except RegisterError as exc:
                    first_problem = first_problem or exc
                    continue
                return parse_register(chain(head, rows)), sheet.title
        no_header = texts.REGISTER_NO_HEADER.format(rows=HEADER_SCAN_ROWS)
        raise first_problem or RegisterError(no_header)
    finally:
        workbook.close()


def _guarded(
    rows: Iterable[Sequence[object]], broken: RegisterError
) -> Iterator[Sequence[object]]:
    """Yield the rows openpyxl streams, turning its failures on a damaged sheet into broken."""
    try:
        yield from rows
    except Exception as exc:
        raise broken from exc


def decode_text(data: bytes, name: str) -> str:
    """Return the text of a CSV file: UTF-16 by its BOM, else UTF-8, cp1258 or cp1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise RegisterError(texts.BOOKS_IMPORT_UNKNOWN_ENCODING.format(name=name)) from None
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RegisterError(texts.BOOKS_IMPORT_UNKNOWN_ENCODING.format(name=name))


def csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """Return a reader over the rows of CSV text split at delimiter."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def choose_delimiter(text: str, find: HeaderFinder = find_header) -> str:
    """Return the delimiter under which the text shows the fullest header that find finds.

    csv.Sniffer's guess is tried first; raises the header problem if none shows one.
    """
    try:
        sniffed = csv.Sniffer().sniff(text[:65536], delimiters=CSV_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    candidates = [sniffed, *(d for d in CSV_DELIMITERS if d != sniffed)]
    best: tuple[int, str] | None = None
    first_problem: RegisterError | None = None
    for delimiter in candidates:
        try:
            _, columns = find(list(islice(csv_rows(text, delimiter), HEADER_SCAN_ROWS)))
        except RegisterError as exc:
            first_problem = first_problem or exc
            continue
        if best is None or len(columns) > best[0]:
            best = (len(columns), delimiter)
    if best is None:
        assert first_problem is not None
        raise first_problem
    return best[1]


def _read_csv(data: bytes, name: str, show: bool) -> Register:
    text = decode_text(data, name)
    try:
        delimiter = choose_delimiter(text)
        records = list(csv_rows(text, delimiter))
        with _progress(records, len(records), show) as rows:
            return parse_register(rows)
    except csv.Error as exc:
        raise RegisterError(texts.BOOKS_IMPORT_BROKEN_CSV.format(name=name, reason=exc)) from None
