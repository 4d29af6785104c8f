"""Printable A4 sheets: QR labels for book copies and reader cards (records in, PDF bytes out)."""

import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

Box = tuple[float, float, float, float]  # left, bottom, right, top in PDF points

# Be Vietnam Pro (SIL OFL 1.1, see data/fonts/OFL.txt) is committed with the code so that a
# fresh machine prints Vietnamese without a system font; the PDF embeds only the glyphs used.
_FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts"
REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"
_FONT_FILES = {REGULAR: "BeVietnamPro-Regular.ttf", BOLD: "BeVietnamPro-Bold.ttf"}

_LEADING = 1.2
_SIZE_STEP = 0.25
_WRAP_SHRINK = 0.85
_ELLIPSIS = "…"

_INK = HexColor("#1F3A68")
_MUTED = HexColor("#555555")
_BORDER = HexColor("#B8B8B8")
_BAND = HexColor("#E4ECF7")

_CARD_PAD = 3.5 * mm

# Pieces of a word that a line may end after, so STK-0001|2 never happens when STK-|00012 can.
_BREAK_AFTER = re.compile(r"[^-/._]*[-/._]+|[^-/._]+")


@dataclass(frozen=True)
class CopyLabel:
    """One copy's sticker: its accession number, a short title and its deep link."""

    accession: str
    short_title: str
    link: str


@dataclass(frozen=True)
class ReaderCard:
    """One reader's card: who they are and the one-time deep link that binds their Telegram."""

    full_name: str
    class_name: str
    code: str
    category_label: str
    link: str
    expires: str


@dataclass(frozen=True)
class SheetLayout:
    """A grid of equal cells centred on an A4 page; lengths in PDF points."""

    cell_width: float
    cell_height: float
    columns: int
    rows: int
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_page(self) -> int:
        """Return how many cells one page holds."""
        return self.columns * self.rows

    def cell_box(self, slot: int) -> Box:
        """Return (left, bottom, right, top) of the slot-th cell on a page, row by row."""
        page_width, page_height = A4
        grid_width = self.columns * self.cell_width + (self.columns - 1) * self.gap_x
        grid_height = self.rows * self.cell_height + (self.rows - 1) * self.gap_y
        row, column = divmod(slot, self.columns)
        left = (page_width - grid_width) / 2 + column * (self.cell_width + self.gap_x)
        top = page_height - (page_height - grid_height) / 2 - row * (self.cell_height + self.gap_y)
        return left, top - self.cell_height, left + self.cell_width, top


# The pitch of the common 3 × 8 A4 sticker sheets (63.5 × 33.9 mm, 2.5 mm between columns).
LABEL_SHEET = SheetLayout(63.5 * mm, 33.9 * mm, columns=3, rows=8, gap_x=2.5 * mm)
# ID-1 cards (the size of a bank card) touching each other, so one straight cut separates two.
CARD_SHEET = SheetLayout(85.6 * mm, 54.0 * mm, columns=2, rows=5)


@dataclass(frozen=True)
class FittedText:
    """Text broken into lines at one font size, ready to draw inside a box."""

    font: str
    size: float
    lines: tuple[str, ...]

    @property
    def leading(self) -> float:
        """Return the distance between two baselines."""
        return self.size * _LEADING

    @property
    def height(self) -> float:
        """Return the height from the top of the first line to the bottom of the last."""
        return _block_height(self.font, self.size, len(self.lines))


def fit_text(
    text: str,
    *,
    font: str,
    width: float,
    max_size: float,
    min_size: float,
    max_lines: int,
    height: float | None = None,
    one_line_min: float | None = None,
    wrapped_max: float | None = None,
) -> FittedText:
    """Return text in NFC at the largest size that fits the box, truncated with … at min_size.

    One line is preferred from max_size down to one_line_min (85 % of max_size unless given);
    failing that the text wraps, from wrapped_max (max_size unless given) down to min_size,
    into at most max_lines lines (fewer if height is given; always at least one).
    """
    _register_fonts()
    text = " ".join(unicodedata.normalize("NFC", text).split())
    line_limit = max_lines
    if height is not None:
        line_limit = min(max_lines, _lines_that_fit(font, min_size, height))
    line_limit = max(line_limit, 1)
    # A name or title on one slightly smaller line reads better than the same words wrapped.
    if one_line_min is None:
        one_line_min = max_size * _WRAP_SHRINK
    for size in _sizes(max_size, max(min_size, one_line_min)):
        fits_height = height is None or _block_height(font, size, 1) <= height
        if fits_height and pdfmetrics.stringWidth(text, font, size) <= width:
            return FittedText(font, size, (text,))
    fitting = [
        FittedText(font, size, tuple(lines))
        for size in _sizes(min(max_size, wrapped_max or max_size), min_size)
        if len(lines := _wrap(text, font, size, width)) <= line_limit
        and (height is None or _block_height(font, size, len(lines)) <= height)
    ]
    if fitting:
        # Within 15 % of the largest size that fits, fewer lines win: they read as one unit.
        close = [fit for fit in fitting if fit.size >= fitting[0].size * _WRAP_SHRINK]
        return min(close, key=lambda fit: (len(fit.lines), -fit.size))
    lines = _wrap(text, font, min_size, width)[:line_limit]
    lines[-1] = _with_ellipsis(lines[-1], font, min_size, width)
    return FittedText(font, min_size, tuple(lines))


def render_labels(labels: Sequence[CopyLabel], *, school: str) -> bytes:
    """Return an A4 PDF of QR stickers, 24 to a page, one for each copy given."""
    if not labels:
        raise ValueError("no copy labels to print")
    canvas, buffer = _new_canvas(f"Nhãn QR bản sách – {school}", school)
    for index, label in enumerate(labels):
        slot = index % LABEL_SHEET.per_page
        if index and slot == 0:
            canvas.showPage()
        _draw_label(canvas, LABEL_SHEET.cell_box(slot), label, school)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_cards(cards: Sequence[ReaderCard], *, school: str, library: str) -> bytes:
    """Return an A4 PDF of reader cards, 10 to a page, each with its one-time linking QR."""
    if not cards:
        raise ValueError("no reader cards to print")
    canvas, buffer = _new_canvas(f"Thẻ bạn đọc – {school}", library)
    for index, card in enumerate(cards):
        slot = index % CARD_SHEET.per_page
        if index and slot == 0:
            _draw_cut_marks(canvas, CARD_SHEET)
            canvas.showPage()
        _draw_card(canvas, CARD_SHEET.cell_box(slot), card, school, library)
    _draw_cut_marks(canvas, CARD_SHEET)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def render_desk_qr(link: str, *, school: str, library: str) -> bytes:
    """Return a one-page A4 PDF for the library desk: a big QR that records a reader's visit."""
    page_width, page_height = A4
    margin = 20 * mm
    width = page_width - 2 * margin
    centre = page_width / 2
    canvas, buffer = _new_canvas(f"Mã QR lượt đến thư viện – {school}", library)
    school_text = fit_text(
        school.upper(), font=BOLD, width=width, max_size=20, min_size=10, max_lines=2
    )
    y = _draw_lines(canvas, school_text, centre, page_height - margin, _INK, centred=True)
    library_text = fit_text(
        library, font=REGULAR, width=width, max_size=16, min_size=9, max_lines=2
    )
    y = _draw_lines(canvas, library_text, centre, y - 3 * mm, _INK, centred=True)
    call = fit_text(
        "Quét mã để ghi lượt đến thư viện",
        font=BOLD,
        width=width,
        max_size=30,
        min_size=16,
        max_lines=2,
    )
    y = _draw_lines(canvas, call, centre, y - 14 * mm, black, centred=True)
    qr_side = 150 * mm
    _draw_qr(canvas, link, centre - qr_side / 2, y - 8 * mm - qr_side, qr_side)
    y -= 8 * mm + qr_side + 6 * mm
    for line, colour in (
        ("Mở Telegram hoặc camera điện thoại, quét mã rồi bấm Bắt đầu.", black),
        ("Mỗi ngày chỉ cần quét một lần; mượn hay trả sách cũng được tính.", black),
        (link, _MUTED),
    ):
        fitted = fit_text(line, font=REGULAR, width=width, max_size=13, min_size=8, max_lines=2)
        y = _draw_lines(canvas, fitted, centre, y, colour, centred=True) - 2.5 * mm
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_label(canvas: Canvas, box: Box, label: CopyLabel, school: str) -> None:
    left, bottom, right, top = box
    canvas.setStrokeColor(_BORDER)
    canvas.setLineWidth(0.4)
    canvas.roundRect(left, bottom, right - left, top - bottom, 2 * mm, stroke=1, fill=0)

    qr_side = (top - bottom) - 2 * 1.2 * mm
    _draw_qr(canvas, label.link, left + 1.2 * mm, bottom + 1.2 * mm, qr_side)

    text_left = left + 1.2 * mm + qr_side + 0.6 * mm
    width = right - 2.2 * mm - text_left
    y = top - 2.6 * mm
    floor = bottom + 2.4 * mm

    school_text = fit_text(
        school, font=REGULAR, width=width, max_size=6.5, min_size=5, max_lines=2
    )
    y = _draw_lines(canvas, school_text, text_left, y, _MUTED) - 1.6 * mm
    accession = fit_text(
        label.accession,
        font=BOLD,
        width=width,
        max_size=15,
        min_size=5,
        max_lines=4,
        one_line_min=9,
        wrapped_max=11,
    )
    y = _draw_lines(canvas, accession, text_left, y, black) - 1.4 * mm
    canvas.setStrokeColor(_BORDER)
    canvas.setLineWidth(0.3)
    canvas.line(text_left, y + 0.7 * mm, text_left + width, y + 0.7 * mm)
    title = fit_text(
        label.short_title,
        font=REGULAR,
        width=width,
        max_size=7.5,
        min_size=5.5,
        max_lines=3,
        height=y - floor,
    )
    _draw_lines(canvas, title, text_left, y, black)


def _draw_card(canvas: Canvas, box: Box, card: ReaderCard, school: str, library: str) -> None:
    left, bottom, right, top = box
    band_bottom = top - 11.5 * mm
    canvas.setFillColor(_BAND)
    canvas.rect(left, band_bottom, right - left, top - band_bottom, stroke=0, fill=1)
    # Square edges: the cards touch, so each border is also the line the guillotine follows.
    canvas.setStrokeColor(_BORDER)
    canvas.setLineWidth(0.5)
    canvas.rect(left, bottom, right - left, top - bottom, stroke=1, fill=0)

    inner = (left + _CARD_PAD, bottom + 2.4 * mm, right - _CARD_PAD, top - 2.6 * mm)
    _draw_card_header(canvas, inner, school, library)
    note_top = _draw_card_note(canvas, inner, card.expires)
    body = (inner[0], note_top + 1.2 * mm, inner[2], band_bottom - 1.2 * mm)
    _draw_card_body(canvas, body, card)


def _draw_card_header(canvas: Canvas, inner: Box, school: str, library: str) -> None:
    left, _, right, top = inner
    width = right - left
    centre = (left + right) / 2
    school_text = fit_text(
        school.upper(), font=BOLD, width=width, max_size=8.5, min_size=5.5, max_lines=1
    )
    y = _draw_lines(canvas, school_text, centre, top, _INK, centred=True)
    library_text = fit_text(
        library, font=REGULAR, width=width, max_size=7.5, min_size=5.5, max_lines=1
    )
    _draw_lines(canvas, library_text, centre, y - 0.8 * mm, _INK, centred=True)


def _draw_card_note(canvas: Canvas, inner: Box, expires: str) -> float:
    """Draw the two-line linking note at the foot of the card and return its top."""
    left, bottom, right, _ = inner
    # Broken where the sentence pauses, not wherever the width happens to run out.
    parts = [
        fit_text(part, font=REGULAR, width=right - left, max_size=7, min_size=5, max_lines=1)
        for part in (
            "Quét mã để liên kết tài khoản Telegram",
            f"(dùng một lần, hết hạn {expires})",
        )
    ]
    note = FittedText(
        REGULAR, min(part.size for part in parts), tuple(part.lines[0] for part in parts)
    )
    note_top = bottom + note.height
    _draw_lines(canvas, note, (left + right) / 2, note_top, _MUTED, centred=True)
    return note_top


def _draw_card_body(canvas: Canvas, body: Box, card: ReaderCard) -> None:
    left, bottom, right, top = body
    qr_side = min(31 * mm, top - bottom + 2 * mm)
    # The QR's own quiet zone is white, so it may reach into the padding.
    qr_left = right - qr_side + 2 * mm
    _draw_qr(canvas, card.link, qr_left, (top + bottom - qr_side) / 2, qr_side)

    width = qr_left - 0.5 * mm - left
    heading = fit_text("THẺ BẠN ĐỌC", font=BOLD, width=width, max_size=13, min_size=8, max_lines=1)
    y = _draw_lines(canvas, heading, left, top - 1.0 * mm, _INK) - 1.6 * mm
    name = fit_text(
        card.full_name,
        font=BOLD,
        width=width,
        max_size=11,
        min_size=7,
        max_lines=2,
        wrapped_max=10,
    )
    y = _draw_lines(canvas, name, left, y, black) - 1.2 * mm
    details = [
        f"{caption}: {value}"
        for caption, value in (
            ("Lớp", card.class_name),
            ("Mã bạn đọc", card.code),
            ("Đối tượng", card.category_label),
        )
        if value.strip()
    ]
    gap = 0.6 * mm
    line_height = (y - bottom - gap * (len(details) - 1)) / max(len(details), 1)
    # One size for all detail lines, set by the longest, so they read as one block.
    size = min(
        (
            fit_text(
                line,
                font=REGULAR,
                width=width,
                max_size=8,
                min_size=5.5,
                max_lines=1,
                height=line_height,
            ).size
            for line in details
        ),
        default=8,
    )
    for line in details:
        fitted = fit_text(
            line, font=REGULAR, width=width, max_size=size, min_size=size, max_lines=1
        )
        y = _draw_lines(canvas, fitted, left, y, black) - gap


def _draw_lines(
    canvas: Canvas,
    text: FittedText,
    x: float,
    top: float,
    color: Color,
    *,
    centred: bool = False,
) -> float:
    """Draw text hanging from top and return the y of its bottom edge."""
    ascent, _ = pdfmetrics.getAscentDescent(text.font, text.size)
    canvas.setFont(text.font, text.size)
    canvas.setFillColor(color)
    baseline = top - ascent
    for line in text.lines:
        if centred:
            canvas.drawCentredString(x, baseline, line)
        else:
            canvas.drawString(x, baseline, line)
        baseline -= text.leading
    return top - text.height


def _draw_qr(canvas: Canvas, data: str, x: float, y: float, side: float) -> None:
    """Draw data as a vector QR code filling a side × side square, quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    quiet = 4
    module = side / (len(matrix) + 2 * quiet)
    canvas.setFillColor(white)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    # One path of row runs, filled once: abutting separate squares leave hairline seams.
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = y + side - (quiet + row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + (quiet + start) * module, row_y, (column - start) * module, module)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_cut_marks(canvas: Canvas, layout: SheetLayout) -> None:
    """Draw short marks in the page margin along every cut line of the grid."""
    page_width, page_height = A4
    grid_left, _, _, grid_top = layout.cell_box(0)
    _, grid_bottom, grid_right, _ = layout.cell_box(layout.per_page - 1)
    length = 4 * mm
    offset = 1.5 * mm
    canvas.setStrokeColor(_MUTED)
    canvas.setLineWidth(0.3)
    xs = [grid_left + c * layout.cell_width for c in range(layout.columns + 1)]
    ys = [grid_top - r * layout.cell_height for r in range(layout.rows + 1)]
    for x in xs:
        canvas.line(x, grid_top + offset, x, min(grid_top + offset + length, page_height))
        canvas.line(x, grid_bottom - offset, x, max(grid_bottom - offset - length, 0))
    for y in ys:
        canvas.line(grid_left - offset, y, max(grid_left - offset - length, 0), y)
        canvas.line(grid_right + offset, y, min(grid_right + offset + length, page_width), y)


def _new_canvas(title: str, author: str) -> tuple[Canvas, io.BytesIO]:
    _register_fonts()
    buffer = io.BytesIO()
    # invariant: no timestamp or random id, so the same records give the same bytes.
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(unicodedata.normalize("NFC", title))
    canvas.setAuthor(unicodedata.normalize("NFC", author))
    canvas.setCreator("Thư viện bot")
    return canvas, buffer


@cache
def _register_fonts() -> None:
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(_FONT_DIR / file_name)))


def _sizes(largest: float, smallest: float) -> list[float]:
    sizes = []
    size = largest
    while size > smallest:
        sizes.append(size)
        size -= _SIZE_STEP
    return [*sizes, smallest]


def _block_height(font: str, size: float, line_count: int) -> float:
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    return ascent - descent + (line_count - 1) * size * _LEADING


def _lines_that_fit(font: str, size: float, height: float) -> int:
    ascent, descent = pdfmetrics.getAscentDescent(font, size)
    return int((height - (ascent - descent)) // (size * _LEADING)) + 1


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than width, after a space or - / . _ where possible."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        for index, piece in enumerate(_BREAK_AFTER.findall(word)):
            glue = " " if index == 0 and current else ""
            if pdfmetrics.stringWidth(current + glue + piece, font, size) <= width:
                current += glue + piece
                continue
            if current:
                lines.append(current)
            current = ""
            for char in piece:
                if current and pdfmetrics.stringWidth(current + char, font, size) > width:
                    lines.append(current)
                    current = ""
                current += char
    lines.append(current)
    return lines


def _with_ellipsis(line: str, font: str, size: float, width: float) -> str:
    """Return line cut short enough that it still fits width with … after it."""
    line = line.rstrip()
    while line and pdfmetrics.stringWidth(line + _ELLIPSIS, font, size) > width:
        line = line[:-1].rstrip()
    return line + _ELLIPSIS
