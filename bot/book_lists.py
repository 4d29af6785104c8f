"""Two printable Excel lists: books to acquire (for the principal) and a rotation batch."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from db.rotation import BatchItem, BatchRecord
from db.suggestions import AcquisitionRow

DATE_FORMAT = "DD/MM/YYYY"

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
class Heading:
    """Who the list is from and what it is: the rows above the table."""

    school: str
    library: str
    title: str
    lines: Sequence[str]
    made_on: date


def _title_block(sheet: Worksheet, heading: Heading, width: int) -> int:
    """Write the school, library, title and detail rows; return the table's header row."""
    rows = [
        (heading.school.upper(), _BOLD, _LEFT),
        (heading.library, _PLAIN, _LEFT),
        (heading.title, _TITLE, _CENTRE),
        *((line, _ITALIC, _CENTRE) for line in heading.lines),
    ]
    for number, (value, font, alignment) in enumerate(rows, start=1):
        cell = sheet.cell(row=number, column=1, value=value)
        cell.font, cell.alignment = font, alignment
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    sheet.row_dimensions[3].height = 24
    return len(rows) + 2


def _table(
    sheet: Worksheet,
    header_row: int,
    columns: Sequence[tuple[str, float, str]],
    rows: Sequence[Sequence[Any]],
) -> int:
    """Write the header and body with borders; return the last row written."""
    for index, (label, width, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=label)
        cell.font, cell.alignment, cell.border, cell.fill = _BOLD, _CENTRE, _BOX, _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + offset, column=index, value=value)
            cell.font, cell.border = _PLAIN, _BOX
            cell.number_format = columns[index - 1][2]
            cell.alignment = _LEFT if isinstance(value, str) else _CENTRE
    if not rows:
        cell = sheet.cell(row=header_row + 1, column=1, value=texts.BOOK_LIST_EMPTY)
        cell.font = _ITALIC
        return header_row + 1
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + len(rows)}"
    return header_row + len(rows)


def _signatures(
    sheet: Worksheet, row: int, width: int, made_on: date, signers: Sequence[tuple[str, str]]
) -> None:
    place = sheet.cell(
        row=row,
        column=width - 1,
        value=texts.BOOK_LIST_PLACE_DATE.format(
            day=f"{made_on.day:02d}", month=f"{made_on.month:02d}", year=made_on.year
        ),
    )
    place.font, place.alignment = _ITALIC, _CENTRE
    sheet.merge_cells(start_row=row, start_column=width - 1, end_row=row, end_column=width)
    (left_title, left_hint), (right_title, right_hint) = signers
    for title, hint, column in ((left_title, left_hint, 2), (right_title, right_hint, width - 1)):
        for offset, (value, font) in enumerate(((title, _BOLD), (hint, _ITALIC)), start=1):
            cell = sheet.cell(row=row + offset, column=column, value=value)
            cell.font, cell.alignment = font, _CENTRE
            if column == width - 1:
                sheet.merge_cells(
                    start_row=row + offset,
                    start_column=column,
                    end_row=row + offset,
                    end_column=width,
                )


def _finish(workbook: Workbook, sheet: Worksheet, header_row: int) -> bytes:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def acquisition_workbook(
    rows: Sequence[AcquisitionRow], *, school: str, library: str, made_on: date, zone: ZoneInfo
) -> bytes:
    """The list of books to acquire: those ordered, then the most wanted, as .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = texts.SUGGESTION_XLSX_SHEET
    columns = [
        (label, width, number_format)
        for label, width, number_format in zip(
            texts.SUGGESTION_XLSX_COLUMNS,
            (6, 44, 26, 12, 16, 14, 14, 48),
            ("0", "@", "@", "0", "@", DATE_FORMAT, DATE_FORMAT, "@"),
            strict=True,
        )
    ]
    heading = Heading(
        school=school,
        library=library,
        title=texts.SUGGESTION_XLSX_TITLE,
        lines=[texts.SUGGESTION_XLSX_MADE_ON.format(day=texts.format_date(made_on))],
        made_on=made_on,
    )
    header_row = _title_block(sheet, heading, len(columns))
    body = []
    for number, row in enumerate(rows, start=1):
        record = row.suggestion
        decided = record.decided_at.astimezone(zone).date() if record.decided_at else None
        body.append(
            [
                number,
                record.title,
                record.author,
                record.votes,
                texts.SUGGESTION_STATUS[record.status],
                record.created_at.astimezone(zone).date(),
                decided,
                "; ".join(row.reasons),
            ]
        )
    last = _table(sheet, header_row, columns, body)
    _signatures(sheet, last + 2, len(columns), made_on, texts.SUGGESTION_XLSX_SIGNERS)
    return _finish(workbook, sheet, header_row)


def acquisition_file_name(made_on: date) -> str:
    """The acquisition list's file name, plain ASCII."""
    return f"de-xuat-mua-sach-{made_on:%d-%m-%Y}.xlsx"


def rotation_workbook(
    batch: BatchRecord,
    items: Sequence[BatchItem],
    *,
    school: str,
    library: str,
    made_on: date,
) -> bytes:
    """The list of a rotation batch, to sign when handing it over and taking it back."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = texts.ROTATION_XLSX_SHEET.format(number=batch.id)
    columns = [
        (label, width, number_format)
        for label, width, number_format in zip(
            texts.ROTATION_XLSX_COLUMNS,
            (6, 14, 44, 26, 12, 14, 22),
            ("0", "@", "@", "@", "@", DATE_FORMAT, "@"),
            strict=True,
        )
    ]
    sent = texts.format_date(batch.sent_on) if batch.sent_on else texts.ROTATION_XLSX_NOT_SENT
    heading = Heading(
        school=school,
        library=library,
        title=texts.ROTATION_XLSX_TITLE,
        lines=[
            texts.ROTATION_XLSX_BATCH.format(
                number=batch.id, destination=batch.destination, count=len(items)
            ),
            texts.ROTATION_XLSX_DATES.format(sent=sent, due=texts.format_date(batch.return_on)),
        ],
        made_on=made_on,
    )
    header_row = _title_block(sheet, heading, len(columns))
    body = [
        [
            number,
            item.accession,
            item.title,
            item.author,
            item.kind,
            item.returned_on,
            texts.ROTATION_XLSX_BACK if item.returned_on else texts.ROTATION_XLSX_OUT,
        ]
        for number, item in enumerate(items, start=1)
    ]
    last = _table(sheet, header_row, columns, body)
    _signatures(sheet, last + 2, len(columns), made_on, texts.ROTATION_XLSX_SIGNERS)
    return _finish(workbook, sheet, header_row)


def rotation_file_name(batch: BatchRecord) -> str:
    """A batch list's file name, plain ASCII."""
    return f"luan-chuyen-dot-{batch.id}.xlsx"
