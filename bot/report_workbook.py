"""The figures as an Excel workbook: one sheet per table, a title block, ready to print on A4."""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot import texts
from bot.core.figures import Line, PeriodKind, Report, Tally
from bot.report_text import (
    grade_label,
    heading,
    per_open_day,
    school_year_line,
    span_line,
)
from bot.workbook_style import (
    BOLD,
    BOX,
    CENTRE,
    DATE_FORMAT,
    HEADER_FILL,
    ITALIC,
    LEFT,
    NUMBER_FORMAT,
    PLAIN,
    TITLE,
    fit_to_a4_width,
    place_date,
)

DECIMAL_FORMAT = "#,##0.0"

_RIGHT = Alignment(horizontal="right", vertical="center")


@dataclass(frozen=True)
class _Column:
    title: str
    width: float
    number_format: str = ""


class _Sheet:
    """A write-only sheet with the report's title block, a header row and boxed cells."""

    def __init__(
        self,
        workbook: Workbook,
        name: str,
        columns: Sequence[_Column],
        *,
        landscape: bool = False,
    ) -> None:
        sheet = workbook.create_sheet(name)
        assert isinstance(sheet, WriteOnlyWorksheet)
        self.sheet = sheet
        self.columns = columns
        self.row = 0
        for index, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        fit_to_a4_width(sheet, landscape=landscape)
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.5
        sheet.page_margins.top = sheet.page_margins.bottom = 0.6
        sheet.oddFooter.center.text = "&P/&N"

    def cell(
        self,
        value: object,
        *,
        font: Font = PLAIN,
        alignment: Alignment | None = None,
        boxed: bool = False,
        fill: PatternFill | None = None,
        number_format: str = "",
    ) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.font = font
        if isinstance(value, date):
            cell.number_format = DATE_FORMAT
            cell.alignment = CENTRE
        elif number_format:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        elif isinstance(value, int | float):
            cell.alignment = _RIGHT
        if boxed:
            cell.border = BOX
        if fill is not None:
            cell.fill = fill
        return cell

    def append(self, cells: Iterable[object]) -> None:
        self.sheet.append(list(cells))
        self.row += 1

    def merged_line(self, text: str, font: Font, alignment: Alignment = CENTRE) -> None:
        """A line of text across every column."""
        self.append([self.cell(text, font=font, alignment=alignment)])
        last = get_column_letter(len(self.columns))
        self.sheet.merged_cells.add(f"A{self.row}:{last}{self.row}")

    def title_block(self, school: str, library: str, report: Report, subtitle: str) -> None:
        self.append([self.cell(school.upper(), font=BOLD, alignment=LEFT)])
        self.append([self.cell(library, font=PLAIN, alignment=LEFT)])
        self.append([])
        self.merged_line(heading(report.period), TITLE)
        self.merged_line(f"{subtitle} – {school_year_line(report.period)}", BOLD)
        self.merged_line(span_line(report), ITALIC)
        self.append([])
        self.header()

    def header(self) -> None:
        self.append(
            self.cell(column.title, font=BOLD, alignment=CENTRE, boxed=True, fill=HEADER_FILL)
            for column in self.columns
        )
        self.sheet.print_title_rows = f"{self.row}:{self.row}"

    def data(self, values: Sequence[object], *, bold: bool = False) -> None:
        self.append(
            self.cell(
                value,
                font=BOLD if bold else PLAIN,
                boxed=True,
                number_format=column.number_format,
                alignment=LEFT if isinstance(value, str) else None,
            )
            for column, value in zip(self.columns, values, strict=True)
        )


_TALLY_COLUMNS = [_Column(title, 12, NUMBER_FORMAT) for title in texts.TALLY_COLUMNS]


def _tally_values(tally: Tally) -> list[int]:
    return [
        tally.readers,
        tally.visitors,
        tally.visits,
        tally.walk_ins,
        tally.all_visits,
        tally.loans,
        tally.returns,
    ]


def _total(lines: Sequence[Line]) -> Tally:
    total = Tally()
    for line in lines:
        total += line.tally
    return total


class _Builder:
    """Writes one report's sheets into a write-only workbook."""

    def __init__(self, report: Report, school: str, library: str, made_on: date) -> None:
        self.report = report
        self.school = school
        self.library = library
        self.made_on = made_on
        self.workbook = Workbook(write_only=True)

    def sheet(self, name: str, columns: Sequence[_Column], *, landscape: bool = False) -> _Sheet:
        sheet = _Sheet(self.workbook, name, columns, landscape=landscape)
        sheet.title_block(self.school, self.library, self.report, name)
        return sheet

    def build(self) -> bytes:
        self.summary()
        self.tally_sheet(
            texts.SHEET_CLASSES,
            [_Column(texts.COLUMN_CLASS, 10)],
            [([line.key], line.tally) for line in self.report.by_class],
        )
        self.tally_sheet(
            texts.SHEET_GRADES,
            [_Column(texts.COLUMN_GRADE, 14)],
            [([grade_label(line.key)], line.tally) for line in self.report.by_grade],
        )
        self.tally_sheet(
            texts.SHEET_CATEGORIES,
            [_Column(texts.COLUMN_CATEGORY, 20)],
            [
                ([texts.REPORT_CATEGORIES.get(line.key, line.key)], line.tally)
                for line in self.report.by_category
            ],
        )
        self.kinds()
        self.titles()
        self.readers()
        self.top_classes()
        self.series()
        self.acquisitions()
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    def summary(self) -> None:
        report = self.report
        columns = [
            _Column(texts.SUMMARY_COLUMNS[0], 52),
            _Column(texts.SUMMARY_COLUMNS[1], 16, NUMBER_FORMAT),
            _Column(texts.SUMMARY_COLUMNS[2], 30),
        ]
        sheet = _Sheet(self.workbook, texts.SHEET_SUMMARY, columns)
        sheet.append(
            [
                sheet.cell(self.school.upper(), font=BOLD, alignment=CENTRE),
                sheet.cell(texts.REPORT_NATION, font=BOLD, alignment=CENTRE),
            ]
        )
        sheet.sheet.merged_cells.add(f"B{sheet.row}:C{sheet.row}")
        sheet.append(
            [
                sheet.cell(self.library, alignment=CENTRE),
                sheet.cell(texts.REPORT_MOTTO, font=BOLD, alignment=CENTRE),
            ]
        )
        sheet.sheet.merged_cells.add(f"B{sheet.row}:C{sheet.row}")
        sheet.append([])
        sheet.merged_line(heading(report.period), TITLE)
        sheet.merged_line(school_year_line(report.period), BOLD)
        sheet.merged_line(span_line(report), ITALIC)
        sheet.append([])
        sheet.header()
        rows = texts.SUMMARY_ROWS
        totals = report.totals
        sheet.data([texts.REPORT_SECTION_READERS, None, None], bold=True)
        sheet.data([rows["readers"], totals.readers, None])
        for line in report.by_category:
            name = texts.REPORT_CATEGORIES.get(line.key, line.key)
            sheet.data([rows["category"].format(category=name), line.tally.readers, None])
        sheet.data([rows["visitors"], totals.visitors, None])
        sheet.data([rows["visits"], totals.all_visits, None])
        sheet.data([rows["linked"], totals.visits, None])
        sheet.data([rows["walk_ins"], totals.walk_ins, None])
        sheet.data([rows["open_days"], report.open_days, None])
        sheet.append(
            [
                sheet.cell(rows["per_day"], boxed=True, alignment=LEFT),
                sheet.cell(per_open_day(report), boxed=True, number_format=DECIMAL_FORMAT),
                sheet.cell(None, boxed=True),
            ]
        )
        sheet.data([texts.REPORT_SECTION_CIRCULATION, None, None], bold=True)
        sheet.data([rows["loans"], totals.loans, None])
        for line in report.by_kind:
            sheet.data([rows["kind_loans"].format(kind=line.key), line.tally.loans, None])
        sheet.data([rows["returns"], totals.returns, None])
        as_of = texts.format_date(report.as_of)
        sheet.data([rows["overdue"].format(as_of=as_of), report.overdue, None])
        sheet.data([texts.REPORT_SECTION_ACQUISITIONS, None, None], bold=True)
        sheet.data([rows["copies"], report.acquired.copies, None])
        for acquired in report.acquired_by_kind:
            sheet.data([rows["kind_copies"].format(kind=acquired.key), acquired.copies, None])
        for acquired in report.acquired_by_source:
            source = texts.REPORT_SOURCES.get(acquired.key, acquired.key)
            sheet.data([rows["source_copies"].format(source=source), acquired.copies, None])
        sheet.data([rows["value"], report.acquired.value, None])
        self.signatures(sheet)

    def signatures(self, sheet: _Sheet) -> None:
        sheet.append([])
        place = place_date(texts.REPORT_PLACE_DATE, self.made_on)
        sheet.append([None, sheet.cell(place, font=ITALIC, alignment=CENTRE)])
        sheet.sheet.merged_cells.add(f"B{sheet.row}:C{sheet.row}")
        maker, approver = texts.REPORT_SIGNERS
        sheet.append(
            [
                sheet.cell(maker, font=BOLD, alignment=CENTRE),
                sheet.cell(approver, font=BOLD, alignment=CENTRE),
            ]
        )
        sheet.sheet.merged_cells.add(f"B{sheet.row}:C{sheet.row}")
        sheet.append(
            [
                sheet.cell(texts.REPORT_SIGN_HINT, font=ITALIC, alignment=CENTRE),
                sheet.cell(texts.REPORT_SIGN_HINT, font=ITALIC, alignment=CENTRE),
            ]
        )
        sheet.sheet.merged_cells.add(f"B{sheet.row}:C{sheet.row}")

    def tally_sheet(
        self,
        name: str,
        key_columns: list[_Column],
        rows: Sequence[tuple[list[object], Tally]],
    ) -> None:
        columns = [_Column(texts.COLUMN_NUMBER, 6), *key_columns, *_TALLY_COLUMNS]
        sheet = self.sheet(name, columns, landscape=True)
        total = Tally()
        for number, (keys, tally) in enumerate(rows, 1):
            sheet.data([number, *keys, *_tally_values(tally)])
            total += tally
        padding = [None] * (len(key_columns) - 1)
        sheet.data([None, texts.REPORT_TOTAL, *padding, *_tally_values(total)], bold=True)

    def kinds(self) -> None:
        columns = [
            _Column(texts.COLUMN_NUMBER, 6),
            _Column(texts.COLUMN_KIND, 24),
            _Column(texts.COLUMN_LOANS, 14, NUMBER_FORMAT),
            _Column(texts.COLUMN_RETURNS, 14, NUMBER_FORMAT),
        ]
        sheet = self.sheet(texts.SHEET_KINDS, columns)
        for number, line in enumerate(self.report.by_kind, 1):
            sheet.data([number, line.key, line.tally.loans, line.tally.returns])
        total = _total(self.report.by_kind)
        sheet.data([None, texts.REPORT_TOTAL, total.loans, total.returns], bold=True)

    def titles(self) -> None:
        columns = [
            _Column(texts.COLUMN_NUMBER, 6),
            _Column(texts.COLUMN_TITLE, 48),
            _Column(texts.COLUMN_AUTHOR, 28),
            _Column(texts.COLUMN_KIND, 14),
            _Column(texts.COLUMN_LOANS, 12, NUMBER_FORMAT),
        ]
        sheet = self.sheet(texts.SHEET_TITLES, columns, landscape=True)
        for number, title in enumerate(self.report.top_titles, 1):
            sheet.data([number, title.title, title.author, title.kind, title.loans])

    def readers(self) -> None:
        columns = [
            _Column(texts.COLUMN_NUMBER, 6),
            _Column(texts.COLUMN_READER, 30),
            _Column(texts.COLUMN_CLASS, 10),
            _Column(texts.COLUMN_CATEGORY, 18),
            _Column(texts.COLUMN_LOANS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_RETURNS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_VISITS, 12, NUMBER_FORMAT),
        ]
        sheet = self.sheet(texts.SHEET_READERS, columns, landscape=True)
        for number, reader in enumerate(self.report.top_readers, 1):
            sheet.data(
                [
                    number,
                    reader.full_name,
                    reader.class_name,
                    texts.REPORT_CATEGORIES.get(reader.category, reader.category),
                    reader.loans,
                    reader.returns,
                    reader.visits,
                ]
            )

    def top_classes(self) -> None:
        columns = [
            _Column(texts.COLUMN_NUMBER, 6),
            _Column(texts.COLUMN_CLASS, 10),
            _Column(texts.COLUMN_LOANS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_RETURNS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_VISITS, 12, NUMBER_FORMAT),
        ]
        sheet = self.sheet(texts.SHEET_TOP_CLASSES, columns)
        for number, line in enumerate(self.report.top_classes, 1):
            tally = line.tally
            sheet.data([number, line.key, tally.loans, tally.returns, tally.all_visits])

    def series(self) -> None:
        by_month = self.report.period.kind is not PeriodKind.MONTH
        columns = [
            _Column(texts.COLUMN_NUMBER, 6),
            _Column(texts.COLUMN_MONTH if by_month else texts.COLUMN_WEEK, 14),
            _Column(texts.COLUMN_FROM, 14),
            _Column(texts.COLUMN_TO, 14),
            _Column(texts.COLUMN_VISITS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_LOANS, 12, NUMBER_FORMAT),
            _Column(texts.COLUMN_RETURNS, 12, NUMBER_FORMAT),
        ]
        name = texts.SHEET_BY_MONTH if by_month else texts.SHEET_BY_WEEK
        sheet = self.sheet(name, columns)
        visits = loans = returns = 0
        for number, point in enumerate(self.report.series, 1):
            bucket = point.bucket
            sheet.data(
                [
                    number,
                    bucket.label,
                    bucket.first,
                    bucket.last,
                    point.visits,
                    point.loans,
                    point.returns,
                ]
            )
            visits, loans, returns = (
                visits + point.visits,
                loans + point.loans,
                returns + point.returns,
            )
        sheet.data([None, texts.REPORT_TOTAL, None, None, visits, loans, returns], bold=True)

    def acquisitions(self) -> None:
        widths = (6, 14, 44, 14, 14, 16, 22, 14)
        columns = [
            _Column(title, width, NUMBER_FORMAT if title == texts.ACQUISITION_COLUMNS[-1] else "")
            for title, width in zip(texts.ACQUISITION_COLUMNS, widths, strict=True)
        ]
        sheet = self.sheet(texts.SHEET_ACQUISITIONS, columns, landscape=True)
        for number, copy in enumerate(self.report.acquisitions, 1):
            sheet.data(
                [
                    number,
                    copy.accession,
                    copy.title,
                    copy.kind,
                    copy.acquired_on,
                    texts.REPORT_SOURCES.get(copy.source, copy.source),
                    copy.donor,
                    copy.price,
                ]
            )
        acquired = self.report.acquired
        sheet.data(
            [None, texts.REPORT_TOTAL, None, None, None, None, None, acquired.value],
            bold=True,
        )


def build_workbook(report: Report, *, school: str, library: str, made_on: date) -> bytes:
    """Return the report as .xlsx bytes, written row by row (openpyxl write-only mode)."""
    return _Builder(report, school, library, made_on).build()
