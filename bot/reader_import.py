"""Import class lists and staff lists (.xlsx, .csv) as readers: `thuvien import-readers`."""

import asyncio
import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl

from bot import texts
from bot.core.class_list import (
    AUTO,
    KINDS,
    STUDENT,
    STUDENTS,
    ClassListError,
    ReaderEntry,
    ReaderList,
    ReaderProblem,
    SheetResult,
    find_reader_header,
    parse_reader_sheets,
    staff_category,
)
from bot.core.register import Problem, RegisterError
from bot.importing import (
    EXCEL_SUFFIXES,
    MAX_ERRORS_SHOWN,
    ZIP_MAGIC,
    Tally,
    choose_delimiter,
    csv_rows,
    decode_text,
    file_bytes,
    problem_lines,
)
from db import privacy, readers
from db.connection import Database
from db.readers import ReaderData, ReaderRecord, reader_code_key, reader_data

CATEGORY_WORDS = {"student": "học sinh", "teacher": "giáo viên", "staff": "nhân viên"}

CATEGORIES = ("student", "teacher", "staff")


@dataclass
class ReaderPlan:
    """The writes that bring the readers in line with a list, and the rows that clash."""

    new: list[ReaderData] = field(default_factory=list)
    changed: list[tuple[int, ReaderData]] = field(default_factory=list)
    unchanged: list[ReaderData] = field(default_factory=list)
    problems: list[ReaderProblem] = field(default_factory=list)
    absent: int = 0
    absent_classes: list[str] = field(default_factory=list)

    def tallies(self) -> dict[str, Tally]:
        """Return new / updated / unchanged counts per reader category."""
        counts = {category: Tally() for category in CATEGORIES}
        for data in self.new:
            counts[data.category].new += 1
        for _, data in self.changed:
            counts[data.category].updated += 1
        for data in self.unchanged:
            counts[data.category].unchanged += 1
        return counts


@dataclass
class ReaderImportReport:
    """What a reader import read, found wrong and changed; render() says it in Vietnamese."""

    path: Path
    dry_run: bool = False
    allow_errors: bool = False
    sheets: list[SheetResult] = field(default_factory=list)
    good_rows: int = 0
    errors: list[Problem] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)
    absent: int = 0
    absent_classes: list[str] = field(default_factory=list)
    written: bool = False
    consents: int = 0

    @property
    def row_errors(self) -> list[Problem]:
        return [problem for problem in self.errors if problem.row is not None]

    @property
    def changed(self) -> bool:
        return any(tally.new or tally.updated for tally in self.tallies.values())

    def render(self, max_errors: int = MAX_ERRORS_SHOWN) -> str:
        """Return the summary a librarian reads after the import."""
        lines = [texts.READERS_IMPORT_REPORT_SOURCE.format(name=self.path.name)]
        if self.errors and not self.row_errors:
            lines.append(texts.BOOKS_IMPORT_REPORT_FAILED)
            lines.extend(str(problem) for problem in self.errors)
            return "\n".join(lines)
        lines.extend(_sheet_line(sheet, several=len(self.sheets) > 1) for sheet in self.sheets)
        lines.append(
            texts.READERS_IMPORT_REPORT_ROWS.format(good=self.good_rows, bad=len(self.row_errors))
        )
        applied = self.written or (self.dry_run and (self.allow_errors or not self.errors))
        if applied:
            for category, tally in self.tallies.items():
                if tally.new or tally.updated or tally.unchanged:
                    label = texts.READERS_IMPORT_CATEGORY_LABELS[category]
                    lines.append(
                        texts.READERS_IMPORT_REPORT_CATEGORY.format(label=label, **vars(tally))
                    )
            if self.absent:
                classes = ", ".join(self.absent_classes)
                lines.append(
                    texts.READERS_IMPORT_REPORT_KEPT.format(count=self.absent, classes=classes)
                )
        if self.dry_run:
            lines.append(texts.BOOKS_IMPORT_REPORT_DRY_RUN)
        elif self.written:
            lines.append(
                texts.BOOKS_IMPORT_REPORT_WRITTEN
                if self.changed
                else texts.READERS_IMPORT_REPORT_UNCHANGED
            )
            if self.consents:
                lines.append(texts.READERS_IMPORT_REPORT_CONSENTS.format(count=self.consents))
        if self.errors:
            heading = (
                texts.BOOKS_IMPORT_REPORT_SKIPPED
                if self.allow_errors
                else texts.BOOKS_IMPORT_REPORT_REJECTED
            )
            lines.extend(problem_lines(heading, self.errors, max_errors))
        return "\n".join(lines)

    def take(self, plan: ReaderPlan) -> None:
        """Record what a plan would write and the rows it refuses."""
        self.errors.extend(plan.problems)
        self.good_rows -= len(plan.problems)
        self.tallies = plan.tallies()
        self.absent = plan.absent
        self.absent_classes = plan.absent_classes


def _sheet_line(sheet: SheetResult, *, several: bool) -> str:
    if sheet.kind != STUDENTS:
        what = texts.READERS_IMPORT_WHAT_STAFF
    elif sheet.title_class:
        what = texts.READERS_IMPORT_WHAT_CLASS.format(class_name=sheet.title_class)
    else:
        what = texts.READERS_IMPORT_WHAT_STUDENTS
    if several and sheet.name is not None:
        return texts.READERS_IMPORT_REPORT_SHEET.format(
            sheet=sheet.name, what=what, row=sheet.header_row, count=len(sheet.entries)
        )
    return texts.READERS_IMPORT_REPORT_ONLY_SHEET.format(
        what=what[0].upper() + what[1:], row=sheet.header_row
    )


async def import_readers(
    db: Database,
    path: Path,
    *,
    kind: str = AUTO,
    dry_run: bool = False,
    allow_errors: bool = False,
) -> ReaderImportReport:
    """Import a class list or staff list in one transaction, or write nothing.

    kind is "auto" (told by the headers), "students" or "staff". Bad rows block the whole
    import unless allow_errors; dry_run only counts. The same code is the same reader,
    updated in place; readers missing from the file are left as they are.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    report = ReaderImportReport(path=path, dry_run=dry_run, allow_errors=allow_errors)
    try:
        found = await asyncio.to_thread(read_reader_list, path, kind=kind)
    except RegisterError as exc:
        report.errors.append(Problem(None, str(exc)))
        return report
    entries = found.entries
    report.sheets = found.sheets
    report.good_rows = len(entries)
    report.errors.extend(found.problems)
    if not entries:
        if not found.problems:
            report.errors.append(Problem(None, texts.READERS_IMPORT_NO_READER_ROWS))
        return report
    if dry_run or (report.errors and not allow_errors):
        report.take(plan_readers(entries, await readers.load_readers_by_code(db.conn)))
        return report
    async with db.transaction() as conn:
        plan = plan_readers(entries, await readers.load_readers_by_code(conn))
        report.take(plan)
        if plan.problems and not allow_errors:
            return report
        await readers.insert_readers(conn, plan.new)
        await readers.update_readers(conn, plan.changed)
        consents = [(e.code, e.parent_consent) for e in entries if e.parent_consent]
        report.consents = await privacy.record_list_consents(
            conn, consents, datetime.now(UTC), path.name
        )
    report.written = True
    return report


def plan_readers(
    entries: Sequence[ReaderEntry], existing: Mapping[str, ReaderRecord]
) -> ReaderPlan:
    """Work out which readers to create and which to update for these entries.

    The same code (letters in any case) is the same reader. A column the list does not
    have leaves that field as it was; a list always makes its readers active again.
    """
    plan = ReaderPlan()
    seen: set[str] = set()
    for entry in entries:
        key = reader_code_key(entry.code)
        seen.add(key)
        old = existing.get(key)
        if old is not None and (old.category == STUDENT) != (entry.category == STUDENT):
            reason = texts.READERS_IMPORT_CATEGORY_CLASH.format(
                code=old.code, name=old.full_name, was=CATEGORY_WORDS[old.category]
            )
            plan.problems.append(ReaderProblem(entry.row, reason, entry.sheet))
            continue
        data = merge_reader(entry, old)
        if old is None:
            plan.new.append(data)
        elif data == reader_data(old):
            plan.unchanged.append(data)
        else:
            plan.changed.append((old.id, data))
    classes = {entry.class_name for entry in entries if entry.category == STUDENT}
    absent = [
        record
        for key, record in existing.items()
        if record.active
        and record.category == STUDENT
        and record.class_name in classes
        and key not in seen
    ]
    plan.absent = len(absent)
    plan.absent_classes = sorted({record.class_name for record in absent})
    return plan


def merge_reader(entry: ReaderEntry, old: ReaderRecord | None) -> ReaderData:
    """Return the reader as the list has it; fields the list has no column for stay."""
    base = (
        ReaderData(code=entry.code, full_name=entry.full_name, category=entry.category)
        if old is None
        else reader_data(old)
    )
    given: dict[str, Any] = {name: getattr(entry, name) for name in entry.given}
    data = replace(base, full_name=entry.full_name, active=True, **given)
    if entry.category == STUDENT:
        return replace(data, category=STUDENT, class_name=entry.class_name)
    return replace(data, category=staff_category(data.subject, data.position, data.homeroom_class))


def read_reader_list(path: Path, *, kind: str = AUTO) -> ReaderList:
    """Read a class or staff list file into readers and problems.

    Raises RegisterError (or its ClassListError) with a Vietnamese message for any file
    that cannot be read as a list.
    """
    return parse_reader_sheets(read_sheets(path), kind=kind)


def read_sheets(path: Path) -> list[tuple[str | None, list[list[Any]]]]:
    """Return (sheet name, rows) of every visible sheet; a CSV file is one unnamed sheet."""
    name = path.name
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ClassListError(texts.BOOKS_IMPORT_OLD_EXCEL.format(name=name))
    if suffix not in (*EXCEL_SUFFIXES, ".csv"):
        raise ClassListError(texts.READERS_IMPORT_WRONG_EXTENSION.format(name=name))
    data = file_bytes(path)
    # A workbook saved under a .csv name is still a workbook: read what it is.
    if suffix in EXCEL_SUFFIXES or data.startswith(ZIP_MAGIC):
        return _workbook_sheets(data, name)
    return [(None, _csv_sheet(data, name))]


def _workbook_sheets(data: bytes, name: str) -> list[tuple[str | None, list[list[Any]]]]:
    # Not read-only: merged cells (a class name merged down its rows, a "Họ và tên" over
    # two columns) are only known in a fully loaded sheet. Class lists are small.
    # openpyxl raises anything from BadZipFile to KeyError or XML errors on a damaged file.
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:
        raise ClassListError(texts.BOOKS_IMPORT_BROKEN_XLSX.format(name=name)) from exc
    try:
        return [
            (sheet.title, _unmerged_rows(sheet))
            for sheet in workbook.worksheets
            if sheet.sheet_state == "visible"
        ]
    except Exception as exc:
        raise ClassListError(texts.BOOKS_IMPORT_BROKEN_XLSX.format(name=name)) from exc
    finally:
        workbook.close()


def _unmerged_rows(sheet: Any) -> list[list[Any]]:
    """Return a sheet's values with each merged range's value in every cell it covers."""
    rows = [list(cells) for cells in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > len(rows) or merged.min_col > len(rows[merged.min_row - 1]):
            continue
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for cells in rows[merged.min_row - 1 : merged.max_row]:
            for column in range(merged.min_col - 1, min(merged.max_col, len(cells))):
                cells[column] = value
    return rows


def _csv_sheet(data: bytes, name: str) -> list[list[Any]]:
    text = decode_text(data, name)
    try:
        return list(csv_rows(text, choose_delimiter(text, find_reader_header)))
    except csv.Error as exc:
        raise ClassListError(texts.BOOKS_IMPORT_BROKEN_CSV.format(name=name, reason=exc)) from None
