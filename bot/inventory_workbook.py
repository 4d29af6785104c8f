"""The inventory report as an Excel workbook: a summary sheet and one sheet per finding."""

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.core.inventory import Finding
from bot.workbook_style import (
    BOLD,
    CENTRE,
    DATE_FORMAT,
    ITALIC,
    LEFT,
    NUMBER_FORMAT,
    PLAIN,
    TITLE,
    close_table,
    fit_to_a4_width,
    place_date,
    write_body_cell,
    write_header,
    write_signatures,
    write_title_block,
)
from db.inventory import ReportLine, SessionRecord

MOMENT_FORMAT = "DD/MM/YYYY HH:MM"


@dataclass(frozen=True)
class InventoryDocument:
    """Everything the workbook shows: the session, its frozen findings and who took part."""

    session: SessionRecord
    lines: Sequence[ReportLine]
    school: str
    library: str
    team: Sequence[str]
    zone: ZoneInfo


@dataclass(frozen=True)
class _Column:
    key: str
    width: float
    value: Callable[[ReportLine], Any]
    number_format: str = "General"


def scope_name(document: InventoryDocument) -> str:
    """The session's scope in words, without HTML."""
    scope = document.session.scope
    return texts.INVENTORY_SCOPE[scope.kind.value].format(value=scope.value)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    # Excel cells hold no time zone: write the library's wall-clock time.
    return None if moment is None else moment.astimezone(zone).replace(tzinfo=None)


def _status(line: ReportLine) -> str:
    return texts.COPY_STATUS.get(line.status, line.status)


def _on_loan_note(line: ReportLine) -> str:
    if not line.reader_name:
        return ""
    return texts.INVENTORY_XLSX_ON_LOAN_NOTE.format(
        reader=line.reader_name,
        class_part=f" ({line.class_name})" if line.class_name else "",
        due=texts.format_date(line.due_on) if line.due_on else "—",
    )


def _columns(finding: Finding, zone: ZoneInfo) -> list[_Column]:
    common = [
        _Column("accession", 14, lambda line: line.accession),
        _Column("title", 42, lambda line: line.title),
        _Column("author", 24, lambda line: line.author),
        _Column("kind", 12, lambda line: line.kind),
        _Column("location", 14, lambda line: line.location),
        _Column("price", 12, lambda line: line.price, NUMBER_FORMAT),
    ]
    status = _Column("status", 18, _status)
    seen_at = _Column("seen_at", 18, lambda line: _local(line.seen_at, zone), MOMENT_FORMAT)
    seen_by = _Column("seen_by", 20, lambda line: line.seen_by)
    if finding is Finding.FOUND:
        return [*common, seen_at, seen_by, _Column("note", 36, _on_loan_note)]
    if finding is Finding.SEEN_WRITTEN_OFF:
        return [*common, status, seen_at, seen_by]
    if finding is Finding.AWAY:
        return [
            *common,
            status,
            _Column("reader", 24, lambda line: line.reader_name),
            _Column("class_name", 8, lambda line: line.class_name),
            _Column("due_on", 12, lambda line: line.due_on, DATE_FORMAT),
        ]
    return [*common, status]


def _title_block(sheet: Worksheet, document: InventoryDocument, heading: str, width: int) -> int:
    """Write the school, heading, session and period rows; return the next free row."""
    session = document.session
    ended = session.closed_at or session.started_at
    rows = [
        (document.school.upper(), BOLD, LEFT),
        (document.library, PLAIN, LEFT),
        (heading, TITLE, CENTRE),
        (
            texts.INVENTORY_XLSX_SESSION.format(number=session.id, scope=scope_name(document)),
            ITALIC,
            CENTRE,
        ),
        (
            texts.INVENTORY_XLSX_PERIOD.format(
                started=texts.format_date(session.started_at.astimezone(document.zone).date()),
                ended=texts.format_date(ended.astimezone(document.zone).date()),
            ),
            ITALIC,
            CENTRE,
        ),
    ]
    return write_title_block(sheet, rows, width)


def _page_setup(sheet: Worksheet, header_row: int) -> None:
    fit_to_a4_width(sheet, landscape=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _finding_sheet(
    workbook: Workbook, document: InventoryDocument, finding: Finding, lines: list[ReportLine]
) -> None:
    sheet = workbook.create_sheet(texts.INVENTORY_XLSX_SHEETS[finding.value])
    columns = _columns(finding, document.zone)
    width = len(columns) + 1
    heading = texts.INVENTORY_XLSX_LIST_TITLE.format(
        what=texts.INVENTORY_XLSX_FINDINGS[finding.value].upper()
    )
    header_row = _title_block(sheet, document, heading, width)
    labels = [texts.INVENTORY_XLSX_COLUMNS["number"]]
    labels += [texts.INVENTORY_XLSX_COLUMNS[column.key] for column in columns]
    write_header(sheet, header_row, labels)
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for offset, line in enumerate(lines, start=1):
        row = header_row + offset
        write_body_cell(sheet, row, 1, offset, "0")
        for index, column in enumerate(columns, start=2):
            write_body_cell(sheet, row, index, column.value(line), column.number_format)
    close_table(sheet, header_row, len(lines), width, texts.INVENTORY_XLSX_EMPTY)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    _page_setup(sheet, header_row)


def _summary_sheet(workbook: Workbook, document: InventoryDocument) -> None:
    sheet = workbook.active
    assert sheet is not None
    sheet.title = texts.INVENTORY_XLSX_SHEETS["summary"]
    findings = list(Finding)
    width = len(findings) + 2
    row = header_row = _title_block(sheet, document, texts.INVENTORY_XLSX_TITLE, width)
    counts = Counter(line.finding for line in document.lines)
    write_header(sheet, row, [texts.INVENTORY_XLSX_CONTENT, texts.INVENTORY_XLSX_COUNT])
    for finding in findings:
        row += 1
        write_body_cell(sheet, row, 1, texts.INVENTORY_XLSX_FINDINGS[finding.value], "General")
        write_body_cell(sheet, row, 2, counts.get(finding, 0), NUMBER_FORMAT)
    row += 1
    write_body_cell(sheet, row, 1, texts.INVENTORY_XLSX_TOTAL, "General")
    write_body_cell(sheet, row, 2, len(document.lines), NUMBER_FORMAT)
    for column in (1, 2):
        sheet.cell(row=row, column=column).font = BOLD

    row += 2
    labels = [texts.INVENTORY_XLSX_KIND]
    labels += [texts.INVENTORY_XLSX_SHEETS[finding.value] for finding in findings]
    labels.append(texts.INVENTORY_XLSX_COUNT)
    write_header(sheet, row, labels)
    by_kind: dict[str, Counter[Finding]] = {}
    for line in document.lines:
        by_kind.setdefault(line.kind, Counter())[line.finding] += 1
    for kind in sorted(by_kind):
        row += 1
        write_body_cell(sheet, row, 1, kind or texts.INVENTORY_XLSX_NO_KIND, "General")
        for index, finding in enumerate(findings, start=2):
            write_body_cell(sheet, row, index, by_kind[kind].get(finding, 0), NUMBER_FORMAT)
        write_body_cell(sheet, row, width, sum(by_kind[kind].values()), NUMBER_FORMAT)

    row += 2
    team = sheet.cell(
        row=row, column=1, value=texts.INVENTORY_XLSX_TEAM.format(team=", ".join(document.team))
    )
    team.font, team.alignment = PLAIN, LEFT
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    row += 2
    _signatures(sheet, document, row, width)
    sheet.column_dimensions["A"].width = 48
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    _page_setup(sheet, header_row)


def _signatures(sheet: Worksheet, document: InventoryDocument, row: int, width: int) -> None:
    ended = (document.session.closed_at or document.session.started_at).astimezone(document.zone)
    place = place_date(texts.INVENTORY_XLSX_PLACE_DATE, ended.date())
    write_signatures(sheet, row, width, place, texts.INVENTORY_XLSX_SIGNATURES, left_column=1)


def inventory_workbook(document: InventoryDocument) -> bytes:
    """Build the report of an ended session as .xlsx bytes."""
    workbook = Workbook()
    _summary_sheet(workbook, document)
    for finding in Finding:
        lines = [line for line in document.lines if line.finding is finding]
        _finding_sheet(workbook, document, finding, lines)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(session: SessionRecord, zone: ZoneInfo) -> str:
    """The workbook's file name, plain ASCII so every phone and computer keeps it."""
    ended = (session.closed_at or session.started_at).astimezone(zone)
    return f"kiem-ke-{session.id}-{ended:%d-%m-%Y}.xlsx"
