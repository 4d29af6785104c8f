"""The look the library's printed Excel lists share: fonts, boxes, title block, A4 page."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Times New Roman"
DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"
A4_PAPER = 9

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
PLAIN = Font(name=FONT_NAME, size=12)
BOLD = Font(name=FONT_NAME, size=12, bold=True)
ITALIC = Font(name=FONT_NAME, size=12, italic=True)
TITLE = Font(name=FONT_NAME, size=14, bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def place_date(template: str, day: date) -> str:
    """Fill a "Ngày … tháng … năm …" line with day, month and year as the school writes them."""
    return template.format(day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)


def fit_to_a4_width(sheet: Worksheet | WriteOnlyWorksheet, *, landscape: bool) -> None:
    """Print the sheet on A4, as wide as the page and as many pages long as it takes."""
    sheet.page_setup.paperSize = A4_PAPER
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def write_title_block(
    sheet: Worksheet, rows: Sequence[tuple[str, Font, Alignment]], width: int
) -> int:
    """Write the title rows, each merged across width columns; return the table's header row."""
    for number, (value, font, alignment) in enumerate(rows, start=1):
        cell = sheet.cell(row=number, column=1, value=value)
        cell.font, cell.alignment = font, alignment
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
    sheet.row_dimensions[3].height = 24
    return len(rows) + 2


def write_header(sheet: Worksheet, row: int, labels: Sequence[str]) -> None:
    """Write a table's header row: bold, centred, boxed and shaded."""
    for column, label in enumerate(labels, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font, cell.alignment, cell.border, cell.fill = BOLD, CENTRE, BOX, HEADER_FILL


def write_body_cell(
    sheet: Worksheet, row: int, column: int, value: Any, number_format: str
) -> None:
    """Write a boxed table cell: text to the left, numbers and dates centred."""
    cell = sheet.cell(row=row, column=column, value=value)
    cell.font, cell.border, cell.number_format = PLAIN, BOX, number_format
    cell.alignment = LEFT if isinstance(value, str) else CENTRE


def close_table(sheet: Worksheet, header_row: int, count: int, width: int, empty: str) -> None:
    """Put a filter on a table of count lines, or say empty under its header when it has none."""
    if count:
        last = get_column_letter(width)
        sheet.auto_filter.ref = f"A{header_row}:{last}{header_row + count}"
    else:
        cell = sheet.cell(row=header_row + 1, column=1, value=empty)
        cell.font = ITALIC


def write_signatures(
    sheet: Worksheet,
    row: int,
    width: int,
    place_and_date: str,
    signers: Sequence[tuple[str, str]],
    *,
    left_column: int,
) -> None:
    """Write the place and date, then two signers' titles and hints, the right one merged."""
    right_column = width - 1
    place = sheet.cell(row=row, column=right_column, value=place_and_date)
    place.font, place.alignment = ITALIC, CENTRE
    sheet.merge_cells(start_row=row, start_column=right_column, end_row=row, end_column=width)
    (left_title, left_hint), (right_title, right_hint) = signers
    for title, hint, column in (
        (left_title, left_hint, left_column),
        (right_title, right_hint, right_column),
    ):
        for offset, (value, font) in enumerate(((title, BOLD), (hint, ITALIC)), start=1):
            cell = sheet.cell(row=row + offset, column=column, value=value)
            cell.font, cell.alignment = font, CENTRE
            if column == right_column:
                sheet.merge_cells(
                    start_row=row + offset,
                    start_column=column,
                    end_row=row + offset,
                    end_column=width,
                )
