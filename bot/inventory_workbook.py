"""The inventory report as an Excel workbook: a summary sheet and one sheet per finding."""

import io
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.core.inventory import Finding
from db.inventory import ReportLine, SessionRecord

DATE_FORMAT = "DD/MM/YYYY"
MOMENT_FORMAT = "DD/MM/YYYY HH:MM"
NUMBER_FORMAT = "#,##0"

_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_PLAIN = Font(name="Times New Roman", size=12)
_BOLD = Font(name="Times New Roman", size=12, bold=True)
_ITALIC = Font(name="Times New Roman", size=12, italic=True)
_TITLE = Font(name="Times New Roman", size=14, bold=True)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


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
        (document.school.upper(), _BOLD, _LEFT),
        (document.library, _PLAIN, _LEFT),
        (heading, _TITLE, _CENTRE),
        (
            texts.INVENTORY_XLSX_SESSION.format(number=session.id, scope=scope_name(document)),
            _ITALIC,
            _CENTRE,
        ),
        (
            texts.INVENTORY_XLSX_PERIOD.format(
                started=texts.format_date(session.started_at.astimezone(document.zone).date()),
                ended=texts.format_date(ended.astimezone(document.zone).date()),
            ),
            _ITALIC,
            _CENTRE,
        ),
    ]
    for number, (value, font, alignment) in enumerate(rows, start=1):
        cell = sheet.cell(row=number, column=1, value=value)
        cell.font, cell.alignment = font, alignment
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    sheet.row_dimensions[3].height = 24
    return len(rows) + 2


def _header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font, cell.alignment, cell.border, cell.fill = _BOLD, _CENTRE, _BOX, _HEADER_FILL


def _body_cell(sheet: Worksheet, row: int, column: int, value: Any, number_format: str) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font, cell.border, cell.number_format = _PLAIN, _BOX, number_format
    cell.alignment = _LEFT if isinstance(value, str) else _CENTRE


def _page_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
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
    _header(sheet, header_row, labels)
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for offset, line in enumerate(lines, start=1):
        row = header_row + offset
        _body_cell(sheet, row, 1, offset, "0")
        for index, column in enumerate(columns, start=2):
            _body_cell(sheet, row, index, column.value(line), column.number_format)
    if lines:
        last = get_column_letter(width)
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(lines)}"
    else:
        cell = sheet.cell(row=header_row + 1, column=1, value=texts.INVENTORY_XLSX_EMPTY)
        cell.font = _ITALIC
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
    _header(sheet, row, [texts.INVENTORY_XLSX_CONTENT, texts.INVENTORY_XLSX_COUNT])
    for finding in findings:
        row += 1
        _body_cell(sheet, row, 1, texts.INVENTORY_XLSX_FINDINGS[finding.value], "General")
        _body_cell(sheet, row, 2, counts.get(finding, 0), NUMBER_FORMAT)
    row += 1
    _body_cell(sheet, row, 1, texts.INVENTORY_XLSX_TOTAL, "General")
    _body_cell(sheet, row, 2, len(document.lines), NUMBER_FORMAT)
    for column in (1, 2):
        sheet.cell(row=row, column=column).font = _BOLD

    row += 2
    labels = [texts.INVENTORY_XLSX_KIND]
    labels += [texts.INVENTORY_XLSX_SHEETS[finding.value] for finding in findings]
    labels.append(texts.INVENTORY_XLSX_COUNT)
    _header(sheet, row, labels)
    by_kind: dict[str, Counter[Finding]] = {}
    for line in document.lines:
        by_kind.setdefault(line.kind, Counter())[line.finding] += 1
    for kind in sorted(by_kind):
        row += 1
        _body_cell(sheet, row, 1, kind or texts.INVENTORY_XLSX_NO_KIND, "General")
        for index, finding in enumerate(findings, start=2):
            _body_cell(sheet, row, index, by_kind[kind].get(finding, 0), NUMBER_FORMAT)
        _body_cell(sheet, row, width, sum(by_kind[kind].values()), NUMBER_FORMAT)

    row += 2
    team = sheet.cell(
        row=row, column=1, value=texts.INVENTORY_XLSX_TEAM.format(team=", ".join(document.team))
    )
    team.font, team.alignment = _PLAIN, _LEFT
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    row += 2
    _signatures(sheet, document, row, width)
    sheet.column_dimensions["A"].width = 48
    for index in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    _page_setup(sheet, header_row)


def _signatures(sheet: Worksheet, document: InventoryDocument, row: int, width: int) -> None:
    ended = (document.session.closed_at or document.session.started_at).astimezone(document.zone)
    day: date = ended.date()
    place = sheet.cell(
        row=row,
        column=width - 1,
        value=texts.INVENTORY_XLSX_PLACE_DATE.format(
            day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year
        ),
    )
    place.font, place.alignment = _ITALIC, _CENTRE
    sheet.merge_cells(start_row=row, start_column=width - 1, end_row=row, end_column=width)
    left, right = texts.INVENTORY_XLSX_SIGNATURES
    for (title, hint), column in ((left, 1), (right, width - 1)):
        heading = sheet.cell(row=row + 1, column=column, value=title)
        heading.font, heading.alignment = _BOLD, _CENTRE
        note = sheet.cell(row=row + 2, column=column, value=hint)
        note.font, note.alignment = _ITALIC, _CENTRE
        if column == width - 1:
            for offset in (1, 2):
                sheet.merge_cells(
                    start_row=row + offset,
                    start_column=column,
                    end_row=row + offset,
                    end_column=width,
                )


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
