"""The registers of Circular 16/2022 as printable Excel workbooks: `thuvien export`, /soluu."""

import asyncio
from collections import Counter
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from bot import texts
from bot.config import Config
from bot.core.calendar import SchoolCalendar, SchoolYear
from bot.core.register import KIND_SGK, KIND_SGV, KINDS, SOURCES
from bot.register_years import (
    REGISTER_NAMES,
    Period,
    capitalized,
    current_start_year,
    format_money,
    months_of,
    school_year_period,
)
from bot.workbook_style import DATE_FORMAT, FONT_NAME, NUMBER_FORMAT, fit_to_a4_width
from db import registers as sql
from db.connection import Database

# School name, blank, register title, school year, period, blank; the header follows.
TITLE_ROWS = 6
# Tables wider than this many characters print on A4 landscape.
LANDSCAPE_WIDTH = 100
# "Khác" (the last kind) takes every copy of no other kind, including unclassified ones.
NAMED_KINDS = KINDS[:-1]

H = texts.REGISTER_HEADERS
G = texts.REGISTER_GROUPS

T = TypeVar("T")


# --- the printed sheet -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a register: header, width in characters, look of its cells, header group."""

    header: str
    width: float
    look: str = "text"
    group: str = ""


@dataclass(frozen=True)
class Heading:
    """The title block above a register's table."""

    school: str
    title: str
    year_line: str
    period_line: str


def _named_styles() -> list[NamedStyle]:
    """The cell styles of every register; named styles keep a million styled cells cheap."""
    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)

    def style(
        name: str,
        *,
        size: int = 11,
        bold: bool = False,
        italic: bool = False,
        horizontal: str = "left",
        wrap: bool = False,
        border: bool = True,
        number_format: str = "General",
    ) -> NamedStyle:
        return NamedStyle(
            name=f"thuvien-{name}",
            font=Font(name=FONT_NAME, size=size, bold=bold, italic=italic),
            border=grid if border else Border(),
            alignment=Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap),
            number_format=number_format,
        )

    looks: dict[str, dict[str, Any]] = {
        "text": {"wrap": True},
        "center": {"horizontal": "center", "wrap": True},
        "date": {"horizontal": "center", "number_format": DATE_FORMAT},
        "number": {"horizontal": "right", "number_format": NUMBER_FORMAT},
    }
    styles = [style(look, **options) for look, options in looks.items()]
    styles += [style(f"total-{look}", bold=True, **options) for look, options in looks.items()]
    return [
        *styles,
        style("banner", bold=True),
        style("header", bold=True, horizontal="center", wrap=True),
        style("numbering", size=9, italic=True, horizontal="center"),
        style("school", size=12, bold=True, border=False),
        style("title", size=16, bold=True, horizontal="center", border=False),
        style("subtitle", size=12, italic=True, horizontal="center", border=False),
        style("sign", bold=True, horizontal="center", border=False),
        style("sign-note", italic=True, horizontal="center", border=False),
    ]


class RegisterBook:
    """A write-only workbook with the register styles, ready for its sheets."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)
        self.styles: dict[str, Any] = {}
        for named in _named_styles():
            self.workbook.add_named_style(named)
            # Once added, a named style carries its ids: cells copy them, skipping the lookup.
            self.styles[named.name] = named.as_tuple()

    def save(self, target: BinaryIO) -> None:
        """Write the workbook into target; it cannot be written to afterwards."""
        self.workbook.save(target)


class RegisterSheet:
    """One write-only sheet laid out as a printed register: title block, header, lines, totals
    and signatures; A4 fit to the page width, header rows repeated on every page.

    Columns past `printed` stay on screen but off the paper.
    """

    def __init__(
        self,
        book: RegisterBook,
        sheet_name: str,
        columns: Sequence[Column],
        heading: Heading,
        *,
        printed: int | None = None,
    ) -> None:
        self.ws = book.workbook.create_sheet(sheet_name[:31])
        self.styles = book.styles
        self.columns = tuple(columns)
        self.printed = printed or len(self.columns)
        self.row = 0
        self.lines = 0
        self.grouped = any(column.group for column in self.columns)
        self.header_row = TITLE_ROWS + 1
        self.numbering_row = self.header_row + (2 if self.grouped else 1)
        self._page_setup(heading.title)
        self._title_block(heading)
        self._header()

    def _page_setup(self, title: str) -> None:
        ws = self.ws
        for index, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        width = sum(column.width for column in self.columns[: self.printed])
        fit_to_a4_width(ws, landscape=width > LANDSCAPE_WIDTH)
        ws.print_options.horizontalCentered = True
        ws.page_margins = PageMargins(
            left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3
        )
        ws.oddFooter.center.text = texts.REGISTER_FOOTER.format(title=capitalized(title.lower()))
        ws.oddFooter.center.size = 9
        ws.oddFooter.center.font = FONT_NAME
        ws.print_title_rows = f"{self.header_row}:{self.numbering_row}"
        ws.freeze_panes = f"A{self.numbering_row + 1}"
        ws.row_dimensions[3].height = 24
        if self.grouped:
            ws.row_dimensions[self.header_row].height = 30
            ws.row_dimensions[self.header_row + 1].height = 45
        else:
            ws.row_dimensions[self.header_row].height = 48

    def cell(self, value: object, style: str) -> Cell:
        """A styled cell; text never turns into a formula and loses what XML cannot hold."""
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = Cell(self.ws, 1, 1, value, self.styles[f"thuvien-{style}"])
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        return cell

    def _append(self, cells: Sequence[object]) -> None:
        self.ws.append(list(cells))
        self.row += 1

    def _merge(self, first_column: int, last_column: int, first_row: int, last_row: int) -> None:
        self.ws.merged_cells.add(
            f"{get_column_letter(first_column)}{first_row}:"
            f"{get_column_letter(last_column)}{last_row}"
        )

    def _title_block(self, heading: Heading) -> None:
        self._append([self.cell(heading.school.upper(), "school")])
        self._append([])
        for text, style in (
            (heading.title, "title"),
            (heading.year_line, "subtitle"),
            (heading.period_line, "subtitle"),
        ):
            self._append([self.cell(text, style)])
            self._merge(1, self.printed, self.row, self.row)
        self._append([])

    def _header(self) -> None:
        columns = self.columns
        if not self.grouped:
            self._append([self.cell(column.header, "header") for column in columns])
        else:
            # A group's name spans its columns on the first row; an ungrouped header spans
            # both rows.
            top, bottom = [], []
            first = self.row + 1
            group_start = 1
            for number, column in enumerate(columns, 1):
                if not column.group:
                    top.append(self.cell(column.header, "header"))
                    bottom.append(self.cell(None, "header"))
                    self._merge(number, number, first, first + 1)
                    continue
                starts = number == 1 or columns[number - 2].group != column.group
                if starts:
                    group_start = number
                top.append(self.cell(column.group if starts else None, "header"))
                bottom.append(self.cell(column.header, "header"))
                if number == len(columns) or columns[number].group != column.group:
                    self._merge(group_start, number, first, first)
            self._append(top)
            self._append(bottom)
        self._append(
            [self.cell(f"({number})", "numbering") for number in range(1, len(columns) + 1)]
        )

    def line(self, values: Sequence[object]) -> None:
        """Write one line of the register."""
        self._append(
            [
                self.cell(value, column.look)
                for value, column in zip(values, self.columns, strict=True)
            ]
        )
        self.lines += 1

    def banner(self, text: str) -> None:
        """Write a bold line across the table, e.g. the class the lines below belong to."""
        width = len(self.columns)
        self._append(
            [self.cell(text, "banner"), *(self.cell(None, "banner") for _ in range(width - 1))]
        )
        self._merge(1, width, self.row, self.row)

    def total(self, label: str, values: Sequence[object], *, span: int = 1) -> None:
        """Write a bold totals line: label over the first span columns, then values."""
        label_cells = [self.cell(label, "total-text")]
        label_cells += [self.cell(None, "total-text") for _ in range(span - 1)]
        rest = [
            self.cell(value, f"total-{column.look}")
            for value, column in zip(values, self.columns[span:], strict=True)
        ]
        self._append([*label_cells, *rest])
        if span > 1:
            self._merge(1, span, self.row, self.row)

    def finish(self, today: date) -> None:
        """Write the date and the signatures under the table and set the printed area."""
        left = min(2, self.printed)
        right = max(self.printed - 2, left + 1)

        def at(column: int, value: object, style: str) -> list[object]:
            return [*([None] * (column - 1)), self.cell(value, style)]

        self._append([])
        day = texts.REGISTER_SIGN_DATE.format(day=today.day, month=today.month, year=today.year)
        self._append(at(right, day, "sign-note"))
        signer, approver = texts.REGISTER_SIGNERS
        self._append([*at(left, signer, "sign"), *at(right - left, approver, "sign")])
        note = texts.REGISTER_SIGN_HINT
        self._append([*at(left, note, "sign-note"), *at(right - left, note, "sign-note")])
        self.ws.print_area = f"A1:{get_column_letter(self.printed)}{self.row}"


# --- the registers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """A register written to a file: which one, for which school year, how many lines."""

    name: str
    title: str
    year: str
    lines: int
    path: Path


@dataclass(frozen=True)
class _Job:
    """What every register builder needs."""

    db: Database
    calendar: SchoolCalendar
    period: Period
    today: date
    school: str
    book: RegisterBook

    def sheet(
        self,
        title: str,
        sheet_name: str,
        columns: Sequence[Column],
        *,
        over_the_year: bool,
        printed: int | None = None,
    ) -> RegisterSheet:
        """A new sheet; over_the_year registers show the period, others the day of the data."""
        if over_the_year:
            period_line = texts.REGISTER_PERIOD.format(
                first=texts.format_date(self.period.first),
                last=texts.format_date(self.period.last),
            )
        else:
            period_line = texts.REGISTER_AS_OF.format(day=texts.format_date(self.today))
        heading = Heading(
            school=self.school,
            title=title,
            year_line=texts.REGISTER_SCHOOL_YEAR.format(year=self.period.name),
            period_line=period_line,
        )
        return RegisterSheet(self.book, sheet_name, columns, heading, printed=printed)


async def _feed(chunks: AsyncGenerator[list[T], None], write: Callable[[list[T]], None]) -> None:
    """Write the chunks as they arrive, each in a worker thread so the bot stays responsive."""
    async with aclosing(chunks) as source:
        async for chunk in source:
            await asyncio.to_thread(write, chunk)


def _sheet_name(name: str) -> str:
    return capitalized(texts.REGISTER_TITLES[name].lower())


async def _general_register(job: _Job) -> int:
    """Sổ đăng ký tổng quát: one line per intake batch, a subtotal per school year."""
    columns = [
        Column(H["batch_number"], 9, "center"),
        Column(H["acquired_on"], 12, "date"),
        Column(H["titles"], 9, "number"),
        Column(H["copies"], 9, "number"),
        Column(H["total_value"], 14, "number"),
        *(Column(kind, 8, "number", G["by_kind"]) for kind in KINDS),
        *(
            Column(texts.REGISTER_SOURCES[source], 9, "number", G["by_source"])
            for source in SOURCES
        ),
        Column(H["note"], 30, "text"),
    ]
    sheet = job.sheet(
        texts.REGISTER_TITLES["tong-quat"], _sheet_name("tong-quat"), columns, over_the_year=False
    )
    width = 2 + len(KINDS) + len(SOURCES)  # copies, value, kinds, sources
    year_sum = [0] * width
    grand = [0] * width
    current: SchoolYear | None = None
    number = 0

    async def close_year(year: SchoolYear) -> None:
        period = school_year_period(job.calendar, year.start.year)
        titles = await sql.titles_acquired(job.db, period.first, period.last)
        label = texts.REGISTER_YEAR_TOTAL.format(year=year.name)
        sheet.total(label, [titles, *year_sum, None], span=2)

    async with aclosing(sql.batches(job.db, NAMED_KINDS, SOURCES)) as chunks:
        async for chunk in chunks:
            for batch in chunk:
                year = (
                    None
                    if batch.acquired_on is None
                    else job.calendar.school_year_of(batch.acquired_on)
                )
                if current is not None and year != current:
                    await close_year(current)
                    year_sum = [0] * width
                current = year
                other = batch.copies - sum(batch.by_kind)
                figures = [batch.copies, batch.value, *batch.by_kind, other, *batch.by_source]
                year_sum = [a + b for a, b in zip(year_sum, figures, strict=True)]
                grand = [a + b for a, b in zip(grand, figures, strict=True)]
                notes = []
                if batch.acquired_on is None:
                    notes.append(texts.REGISTER_UNDATED)
                else:
                    number += 1
                if batch.donors == 1:
                    notes.append(texts.REGISTER_DONOR.format(donor=batch.first_donor))
                elif batch.donors > 1:
                    notes.append(
                        texts.REGISTER_DONORS.format(
                            donor=batch.first_donor, others=batch.donors - 1
                        )
                    )
                if batch.unpriced:
                    notes.append(texts.REGISTER_UNPRICED.format(count=batch.unpriced))
                sheet.line(
                    [
                        number if batch.acquired_on is not None else None,
                        batch.acquired_on,
                        batch.titles,
                        *figures,
                        "; ".join(notes),
                    ]
                )
    if current is not None:
        await close_year(current)
    titles = await sql.titles_acquired(job.db, None, None)
    sheet.total(texts.REGISTER_TOTAL, [titles, *grand, None], span=2)
    sheet.finish(job.today)
    return sheet.lines


async def _accession_register(job: _Job) -> int:
    """Sổ đăng ký cá biệt: one line per copy, in accession order; it re-imports as it is."""
    columns = [
        Column(H["acquired_on"], 11, "date"),
        Column(H["accession"], 12, "center"),
        Column(H["title"], 34, "text"),
        Column(H["author"], 20, "text"),
        Column(H["publisher"], 18, "text"),
        Column(H["year"], 8, "center"),
        Column(H["price"], 10, "number"),
        Column(H["subject"], 13, "text"),
        Column(H["batch"], 9, "center"),
        Column(H["status"], 11, "text"),
        Column(H["note"], 18, "text"),
        # On screen, not on paper: the rest of the catalog, so that the file re-imports whole.
        Column(H["classification"], 10, "center"),
        Column(H["kind"], 10, "center"),
        Column(H["grade"], 7, "center"),
        Column(H["source"], 11, "center"),
        Column(H["donor"], 18, "text"),
        Column(H["location"], 12, "text"),
        Column(H["isbn"], 15, "center"),
        Column(H["summary"], 40, "text"),
    ]
    sheet = job.sheet(
        texts.REGISTER_TITLES["ca-biet"],
        _sheet_name("ca-biet"),
        columns,
        over_the_year=False,
        printed=11,
    )
    value = 0

    def write(chunk: list[sql.CopyLine]) -> None:
        nonlocal value
        for copy in chunk:
            value += copy.price or 0
            sheet.line(
                [
                    copy.acquired_on,
                    copy.accession,
                    copy.title,
                    copy.author,
                    copy.publisher,
                    copy.year,
                    copy.price,
                    copy.subject,
                    copy.batch,
                    capitalized(texts.COPY_STATUS.get(copy.status, copy.status)),
                    copy.note,
                    copy.classification,
                    copy.kind,
                    copy.grade,
                    texts.REGISTER_SOURCES.get(copy.source, copy.source),
                    copy.donor,
                    copy.location,
                    copy.isbn,
                    copy.summary,
                ]
            )

    await _feed(sql.copy_lines(job.db), write)
    # The accession column stays empty: an import stops reading at this grand total.
    counted = texts.REGISTER_COPIES.format(count=sheet.lines)
    sheet.total(texts.REGISTER_TOTAL, [None, counted, None, None, None, value, *[None] * 12])
    sheet.finish(job.today)
    return sheet.lines


def _loan_notes(loan: sql.LoanLine) -> str:
    notes = []
    if loan.whole_year:
        notes.append(texts.REGISTER_WHOLE_YEAR_LOAN)
    if loan.renewals:
        notes.append(texts.REGISTER_RENEWED.format(count=loan.renewals))
    if loan.late_days:
        notes.append(texts.REGISTER_LATE.format(days=loan.late_days))
    if loan.state == "lost":
        notes.append(texts.REGISTER_LOST)
    return "; ".join(notes)


def _unit_price(low: int | None, high: int | None) -> object:
    if low is None or high is None or low == high:
        return low
    return f"{format_money(low)}–{format_money(high)}"


async def _textbook_register(job: _Job, name: str, kind: str, borrowers: str) -> int:
    """Sổ đăng ký SGK / SGV: each title by grade and subject, its copies, the year's loans."""
    columns = [
        Column(H["number"], 6, "center"),
        Column(H["title"], 36, "text"),
        Column(H["grade"], 7, "center"),
        Column(H["school_subject"], 14, "text"),
        Column(H["publisher"], 18, "text"),
        Column(H["year"], 8, "center"),
        Column(H["unit_price"], 11, "number"),
        *(
            Column(H[key], 8, "number", G["copies"])
            for key in ("total", "on_shelf", "out", "lost", "gone")
        ),
        Column(H["value"], 13, "number"),
        Column(H["loans"], 9, "number", G[borrowers]),
        Column(H["not_returned"], 9, "number", G[borrowers]),
        Column(H["note"], 16, "text"),
    ]
    sheet = job.sheet(texts.REGISTER_TITLES[name], _sheet_name(name), columns, over_the_year=False)
    sums = [0] * 8

    def write(chunk: list[sql.TitleHolding]) -> None:
        nonlocal sums
        for holding in chunk:
            figures = [
                holding.copies,
                holding.on_shelf,
                holding.out,
                holding.lost,
                holding.gone,
                holding.value,
                holding.loans,
                holding.not_returned,
            ]
            sums = [a + b for a, b in zip(sums, figures, strict=True)]
            sheet.line(
                [
                    sheet.lines + 1,
                    holding.title,
                    holding.grade,
                    holding.subject,
                    holding.publisher,
                    holding.year,
                    _unit_price(holding.min_price, holding.max_price),
                    *figures,
                    None,
                ]
            )

    period = job.period
    await _feed(sql.holdings(job.db, kind, period.first, period.last, borrowers), write)
    sheet.total(texts.REGISTER_TOTAL, [*[None] * 5, *sums, None], span=2)
    sheet.finish(job.today)
    return sheet.lines


async def _textbooks(job: _Job) -> int:
    """Sổ đăng ký SGK, and the textbooks lent to disadvantaged students in the year."""
    lines = await _textbook_register(job, "sgk", KIND_SGK, "disadvantaged")
    columns = [
        Column(H["number"], 6, "center"),
        Column(H["class_name"], 7, "center"),
        Column(H["full_name"], 24, "text"),
        Column(H["title"], 34, "text"),
        Column(H["accession"], 12, "center"),
        Column(H["loaned_on"], 11, "date"),
        Column(H["due_on"], 11, "date"),
        Column(H["returned_on"], 11, "date"),
        Column(H["signature"], 12, "text"),
        Column(H["note"], 18, "text"),
    ]
    sheet = job.sheet(
        texts.REGISTER_DISADVANTAGED_TITLE,
        texts.REGISTER_DISADVANTAGED_SHEET,
        columns,
        over_the_year=True,
    )

    def write(chunk: list[sql.LoanLine]) -> None:
        for loan in chunk:
            sheet.line(
                [
                    sheet.lines + 1,
                    loan.class_name,
                    loan.full_name,
                    loan.title,
                    loan.accession,
                    loan.loaned_on,
                    loan.due_on,
                    loan.returned_on,
                    None,
                    _loan_notes(loan),
                ]
            )

    period = job.period
    loans = sql.loan_lines(
        job.db, period.first, period.last, "disadvantaged", by_class=True, kind=KIND_SGK
    )
    await _feed(loans, write)
    sheet.total(
        texts.REGISTER_TOTAL, [texts.REGISTER_LOANS.format(count=sheet.lines), *[None] * 7], span=2
    )
    sheet.finish(job.today)
    return lines + sheet.lines


async def _teacher_textbooks(job: _Job) -> int:
    """Sổ đăng ký SGV: each teacher's book by grade and subject, with the year's loans."""
    return await _textbook_register(job, "sgv", KIND_SGV, "staff")


async def _lending_register(job: _Job, name: str) -> int:
    """Sổ theo dõi GV / HS mượn sách: one line per loan of the year (students by class)."""
    students = name == "hs-muon"
    who = Column(H["class_name"], 7, "center") if students else Column(H["teaches"], 16, "text")
    columns = [
        Column(H["number"], 6, "center"),
        Column(H["loaned_on"], 11, "date"),
        Column(H["full_name"], 24, "text"),
        who,
        Column(H["title"], 34, "text"),
        Column(H["accession"], 12, "center"),
        Column(H["due_on"], 11, "date"),
        Column(H["returned_on"], 11, "date"),
        Column(H["signature"], 12, "text"),
        Column(H["note"], 18, "text"),
    ]
    sheet = job.sheet(texts.REGISTER_TITLES[name], _sheet_name(name), columns, over_the_year=True)
    current_class: str | None = None

    def write(chunk: list[sql.LoanLine]) -> None:
        nonlocal current_class
        for loan in chunk:
            if students and loan.class_name != current_class:
                current_class = loan.class_name
                sheet.banner(
                    texts.REGISTER_CLASS.format(class_name=loan.class_name)
                    if loan.class_name
                    else texts.REGISTER_NO_CLASS
                )
            sheet.line(
                [
                    sheet.lines + 1,
                    loan.loaned_on,
                    loan.full_name,
                    loan.class_name
                    if students
                    else ", ".join(filter(None, (loan.subject, loan.position))),
                    loan.title,
                    loan.accession,
                    loan.due_on,
                    loan.returned_on,
                    None,
                    _loan_notes(loan),
                ]
            )

    period = job.period
    borrowers = "students" if students else "staff"
    await _feed(
        sql.loan_lines(job.db, period.first, period.last, borrowers, by_class=students), write
    )
    sheet.total(
        texts.REGISTER_TOTAL, [texts.REGISTER_LOANS.format(count=sheet.lines), *[None] * 7], span=2
    )
    sheet.finish(job.today)
    return sheet.lines


async def _teacher_loans(job: _Job) -> int:
    return await _lending_register(job, "gv-muon")


async def _student_loans(job: _Job) -> int:
    return await _lending_register(job, "hs-muon")


CATEGORIES = ("student", "teacher", "staff")


@dataclass
class MonthFigures:
    """What the readers' statistics register shows for one month (or the whole year)."""

    visits: Counter[str]
    readers: Counter[str]
    loans: Counter[str]
    returns: int
    by_grade: Counter[int]
    by_kind: Counter[str]

    def values(self, grades: Sequence[int]) -> list[int]:
        """The figures in the order of the register's columns after the month."""
        row: list[int] = []
        for counter in (self.visits, self.readers, self.loans):
            row += [sum(counter[c] for c in CATEGORIES), *(counter[c] for c in CATEGORIES)]
        row.append(self.returns)
        row += [self.by_grade[grade] for grade in grades]
        row += [self.by_kind[kind] for kind in KINDS]
        return row


def _empty_figures() -> MonthFigures:
    return MonthFigures(Counter(), Counter(), Counter(), 0, Counter(), Counter())


def monthly_figures(
    months: Sequence[tuple[int, int]],
    loans: Sequence[sql.LoanCount],
    returns: dict[str, int],
    activity: Sequence[sql.Activity],
    counted: dict[str, int],
    *,
    with_visits: bool,
) -> dict[str, MonthFigures]:
    """Gather the figures of every month (key yyyy-mm) from the grouped counts.

    Visits are reader-days plus the visitors counted by class (as students); without a
    visits table they stay zero. Readers are distinct within a month and category.
    """
    figures = {f"{year:04d}-{month:02d}": _empty_figures() for year, month in months}
    for count in loans:
        month = figures.get(count.month)
        if month is None:
            continue
        month.loans[count.category] += count.loans
        if count.category == "student" and count.grade:
            month.by_grade[count.grade] += count.loans
        month.by_kind[count.kind if count.kind in NAMED_KINDS else KINDS[-1]] += count.loans
    for key, number in returns.items():
        if key in figures:
            figures[key].returns = number
    for row in activity:
        month = figures.get(row.month)
        if month is None:
            continue
        month.readers[row.category] += row.readers
        if with_visits:
            month.visits[row.category] += row.reader_days
    for key, number in counted.items():
        if key in figures and with_visits:
            figures[key].visits["student"] += number
    return figures


def year_figures(
    months: dict[str, MonthFigures], year_activity: Sequence[sql.Activity]
) -> MonthFigures:
    """The whole year: sums of the months, but readers counted once over the year."""
    total = _empty_figures()
    for month in months.values():
        total.visits.update(month.visits)
        total.loans.update(month.loans)
        total.returns += month.returns
        total.by_grade.update(month.by_grade)
        total.by_kind.update(month.by_kind)
    for row in year_activity:
        total.readers[row.category] += row.readers
    return total


async def _statistics(job: _Job) -> int:
    """Sổ thống kê bạn đọc: visits, readers, loans and returns per month of the school year."""
    db, period = job.db, job.period
    with_visits = await sql.table_exists(db, "visit")
    loans = await sql.loan_counts(db, period.first, period.last)
    grades = sorted(
        {*await sql.student_grades(db)}
        | {c.grade for c in loans if c.category == "student" and 1 <= c.grade <= 12}
    )
    counted = (
        await sql.counted_visitors(db, period.first, period.last)
        if with_visits and await sql.table_exists(db, "visit_count")
        else {}
    )
    months = months_of(period)
    figures = monthly_figures(
        months,
        loans,
        await sql.return_counts(db, period.first, period.last),
        await sql.activity(db, period.first, period.last, with_visits=with_visits, by_month=True),
        counted,
        with_visits=with_visits,
    )
    year_activity = await sql.activity(
        db, period.first, period.last, with_visits=with_visits, by_month=False
    )
    people = [H["total"], *(texts.REGISTER_CATEGORIES[c] for c in CATEGORIES)]
    columns = [
        Column(H["month"], 10, "center"),
        *(Column(label, 8, "number", G["visits"]) for label in people),
        *(Column(label, 8, "number", G["readers"]) for label in people),
        *(Column(label, 8, "number", G["loans"]) for label in people),
        Column(H["returns"], 8, "number"),
        *(Column(texts.REGISTER_GRADE.format(grade=g), 7, "number", G["grades"]) for g in grades),
        *(Column(kind, 8, "number", G["kinds"]) for kind in KINDS),
    ]
    sheet = job.sheet(
        texts.REGISTER_TITLES["thong-ke"], _sheet_name("thong-ke"), columns, over_the_year=True
    )
    for (year, month), month_figures in zip(months, figures.values(), strict=True):
        sheet.line(
            [texts.REGISTER_MONTH.format(month=month, year=year), *month_figures.values(grades)]
        )
    sheet.total(texts.REGISTER_WHOLE_YEAR, year_figures(figures, year_activity).values(grades))
    sheet.finish(job.today)
    return sheet.lines


BUILDERS: dict[str, Callable[[_Job], Awaitable[int]]] = {
    "tong-quat": _general_register,
    "ca-biet": _accession_register,
    "sgk": _textbooks,
    "sgv": _teacher_textbooks,
    "gv-muon": _teacher_loans,
    "hs-muon": _student_loans,
    "thong-ke": _statistics,
}


async def export_register(
    db: Database,
    config: Config,
    name: str,
    destination: Path,
    *,
    today: date,
    start_year: int | None = None,
) -> Export:
    """Write one register for a school year (default: today's) to destination (.xlsx).

    Raises LookupError (Vietnamese message) for an unknown register name.
    """
    build = BUILDERS.get(name)
    if build is None:
        raise LookupError(
            texts.REGISTER_UNKNOWN.format(name=name, names=", ".join(REGISTER_NAMES))
        )
    start = current_start_year(config.calendar, today) if start_year is None else start_year
    period = school_year_period(config.calendar, start)
    book = RegisterBook()
    job = _Job(
        db=db,
        calendar=config.calendar,
        period=period,
        today=today,
        school=config.library.school or config.library.name,
        book=book,
    )
    # Opened first, so that a path that cannot be written fails before any work is done.
    with destination.open("wb") as target:
        try:
            lines = await build(job)
            await asyncio.to_thread(book.save, target)
        except BaseException:
            target.close()
            await asyncio.to_thread(destination.unlink, missing_ok=True)
            raise
    return Export(name, texts.REGISTER_TITLES[name], period.name, lines, destination)
