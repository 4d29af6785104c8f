"""Two printable Excel lists: books to acquire (for the principal) and a rotation batch."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.workbook_style import (
    BOLD,
    CENTRE,
    DATE_FORMAT,
    ITALIC,
    LEFT,
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
from db.rotation import BatchItem, BatchRecord
from db.suggestions import AcquisitionRow


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
        (heading.school.upper(), BOLD, LEFT),
        (heading.library, PLAIN, LEFT),
        (heading.title, TITLE, CENTRE),
        *((line, ITALIC, CENTRE) for line in heading.lines),
    ]
    return write_title_block(sheet, rows, width)


def _table(
    sheet: Worksheet,
    header_row: int,
    columns: Sequence[tuple[str, float, str]],
    rows: Sequence[Sequence[Any]],
) -> int:
    """Write the header and body with borders; return the last row written."""
    write_header(sheet, header_row, [label for label, _, _ in columns])
    for index, (_, width, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for offset, values in enumerate(rows, start=1):
        for index, value in enumerate(values, start=1):
            write_body_cell(sheet, header_row + offset, index, value, columns[index - 1][2])
    close_table(sheet, header_row, len(rows), len(columns), texts.BOOK_LIST_EMPTY)
    return header_row + max(len(rows), 1)


def _signatures(
    sheet: Worksheet, row: int, width: int, made_on: date, signers: Sequence[tuple[str, str]]
) -> None:
    place = place_date(texts.BOOK_LIST_PLACE_DATE, made_on)
    write_signatures(sheet, row, width, place, signers, left_column=2)


def _finish(workbook: Workbook, sheet: Worksheet, header_row: int) -> bytes:
    fit_to_a4_width(sheet, landscape=True)
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
            (6, 44, 26, 12, 12, 16, 14, 14, 48, 30),
            ("0", "@", "@", "0", "0", "@", DATE_FORMAT, DATE_FORMAT, "@", "@"),
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
        held = row.held
        # The catalog's spelling (with its accents) names the book; what was typed stays beside.
        title = held.title if held else record.title
        body.append(
            [
                number,
                title,
                (held.author if held else "") or record.author,
                held.copies if held else None,
                record.votes,
                texts.SUGGESTION_STATUS[record.status],
                record.created_at.astimezone(zone).date(),
                decided,
                "; ".join(row.reasons),
                record.title if record.title != title else "",
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
