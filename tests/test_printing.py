"""Printable QR labels and reader cards: what a phone scans and what a person reads."""

import re
import unicodedata
from dataclasses import dataclass

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from bot.core.payloads import (
    COPY_PREFIX,
    MAX_PAYLOAD_LENGTH,
    accession_from_payload,
    copy_payload,
)
from bot.printing import (
    BOLD,
    CARD_SHEET,
    LABEL_SHEET,
    REGULAR,
    CopyLabel,
    ReaderCard,
    SheetLayout,
    fit_text,
    render_cards,
    render_labels,
)

BOT_LINK = "https://t.me/ThuVienNguyenDuBot?start="
DPI = 200
MM = 72 / 25.4
SCHOOL = "Trường THCS Nguyễn Du"
LIBRARY = "Thư viện Hoa Phượng"
TITLES = [
    "Dế Mèn phiêu lưu ký",
    "Toán 6 – Tập một (Kết nối tri thức với cuộc sống)",
    "Đắc nhân tâm",
    "Tôi thấy hoa vàng trên cỏ xanh",
    "Những tấm lòng cao cả",
]
NAMES = [
    "Nguyễn Thị Ánh Dương",
    "Đặng Quốc Bảo",
    "Trần Ngọc Khuê",
    "Lê Hoàng Yến Nhi",
    "Phạm Đức Thắng",
    "Vũ Thị Hải Yến",
]
PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
VIETNAMESE += "ùủũúụừửữứựỳỷỹýỵ"
VIETNAMESE += VIETNAMESE.upper() + "0123456789 -/.,()–"


@dataclass(frozen=True)
class Page:
    """One rendered page: the QR texts found on it, its text and its character boxes."""

    codes: tuple[str, ...]
    code_widths_mm: tuple[float, ...]
    text: str
    char_boxes: tuple[tuple[str, tuple[float, float, float, float]], ...]


def read_pages(pdf: bytes) -> list[Page]:
    """Render every page at DPI and read it back as a phone and a person would."""
    pages = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        widths = tuple(
            (barcode.position.top_right.x - barcode.position.top_left.x) / DPI * 25.4
            for barcode in found
        )
        text_page = page.get_textpage()
        boxes = tuple(
            (text_page.get_text_range(index, 1), text_page.get_charbox(index))
            for index in range(text_page.count_chars())
        )
        pages.append(Page(tuple(b.text for b in found), widths, text_page.get_text_range(), boxes))
    document.close()
    return pages


def collapsed(text: str) -> str:
    """Return text without whitespace, so that a wrapped line still matches."""
    return re.sub(r"\s+", "", text)


def assert_text_fits(page: Page, layout: SheetLayout) -> None:
    """Every printed character lies inside one cell and no two characters overlap."""
    cells = [layout.cell_box(slot) for slot in range(layout.per_page)]
    slack = 0.3
    by_cell: dict[int, list[tuple[str, tuple[float, float, float, float]]]] = {}
    for char, (left, bottom, right, top) in page.char_boxes:
        if not char.strip():
            continue
        homes = [
            slot
            for slot, (c_left, c_bottom, c_right, c_top) in enumerate(cells)
            if left >= c_left - slack
            and right <= c_right + slack
            and bottom >= c_bottom - slack
            and top <= c_top + slack
        ]
        assert homes, f"{char!r} at {(left, bottom, right, top)} is outside every cell"
        by_cell.setdefault(homes[0], []).append((char, (left, bottom, right, top)))
    assert by_cell
    for boxes in by_cell.values():
        for index, (char, (left, bottom, right, top)) in enumerate(boxes):
            for other, (o_left, o_bottom, o_right, o_top) in boxes[index + 1 :]:
                overlap_x = min(right, o_right) - max(left, o_left)
                overlap_y = min(top, o_top) - max(bottom, o_bottom)
                assert overlap_x <= slack or overlap_y <= slack, f"{char!r} overlaps {other!r}"


def make_labels(count: int) -> list[CopyLabel]:
    """Return count labels with plain and escaped accession numbers."""
    accessions = [f"STK-{n:05d}" for n in range(count - 3)]
    accessions += ["SGK 6/2024.01", "Truyện-Đ.07", "TK_2023.15"]
    return [
        CopyLabel(acc, TITLES[n % len(TITLES)], BOT_LINK + copy_payload(acc))
        for n, acc in enumerate(accessions)
    ]


def make_cards(count: int) -> list[ReaderCard]:
    """Return count reader cards with Vietnamese names, one teacher without a class."""
    return [
        ReaderCard(
            full_name=NAMES[n % len(NAMES)],
            class_name="" if n == 0 else f"{6 + n % 4}A{n % 3 + 1}",
            code=f"HS{n:04d}",
            category_label="Giáo viên" if n == 0 else "Học sinh",
            link=f"{BOT_LINK}link_tok{n:02d}Xy9-Qz_8LmN4pRsT",
            expires="30/09/2026",
        )
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def labels() -> list[CopyLabel]:
    return make_labels(30)


@pytest.fixture(scope="module")
def label_pages(labels: list[CopyLabel]) -> list[Page]:
    return read_pages(render_labels(labels, school=SCHOOL))


@pytest.fixture(scope="module")
def cards() -> list[ReaderCard]:
    return make_cards(12)


@pytest.fixture(scope="module")
def card_pages(cards: list[ReaderCard]) -> list[Page]:
    return read_pages(render_cards(cards, school=SCHOOL, library=LIBRARY))


def test_thirty_labels_fill_two_pages_and_every_qr_scans_to_its_copy(
    labels: list[CopyLabel], label_pages: list[Page]
) -> None:
    assert len(label_pages) == 2
    per_page = LABEL_SHEET.per_page
    for number, page in enumerate(label_pages):
        expected = [label.link for label in labels[number * per_page : (number + 1) * per_page]]
        assert sorted(page.codes) == sorted(expected)


def test_label_qr_codes_are_at_least_20_mm_wide(label_pages: list[Page]) -> None:
    widths = [width for page in label_pages for width in page.code_widths_mm]
    assert len(widths) == 30
    assert min(widths) >= 20


def test_labels_print_school_accession_numbers_and_titles(
    labels: list[CopyLabel], label_pages: list[Page]
) -> None:
    printed = collapsed("".join(page.text for page in label_pages))
    for label in labels:
        assert collapsed(label.accession) in printed
    for title in ["Dế Mèn phiêu lưu ký", "Đắc nhân tâm", "Những tấm lòng cao cả"]:
        assert collapsed(title) in printed
    assert printed.count(collapsed(SCHOOL)) == 30


def test_label_text_stays_inside_its_sticker(label_pages: list[Page]) -> None:
    for page in label_pages:
        assert_text_fits(page, LABEL_SHEET)


def test_twelve_cards_fill_two_pages_and_every_qr_links_its_reader(
    cards: list[ReaderCard], card_pages: list[Page]
) -> None:
    assert len(card_pages) == 2
    assert sorted(card_pages[0].codes) == sorted(card.link for card in cards[:10])
    assert sorted(card_pages[1].codes) == sorted(card.link for card in cards[10:])
    assert min(width for page in card_pages for width in page.code_widths_mm) >= 20


def test_cards_print_vietnamese_names_with_their_accents(
    cards: list[ReaderCard], card_pages: list[Page]
) -> None:
    text = "".join(page.text for page in card_pages)
    assert unicodedata.is_normalized("NFC", text)
    for name in ["Nguyễn Thị Ánh Dương", "Đặng Quốc Bảo"]:
        assert name in text
    assert text.count("THẺ BẠN ĐỌC") == 12
    assert text.count(SCHOOL.upper()) == 12
    assert text.count(LIBRARY) == 12
    for card in cards:
        assert f"Mã bạn đọc: {card.code}" in text
    assert "Đối tượng: Giáo viên" in text
    assert "Lớp: 7A2" in text
    assert "Lớp: \r\n" not in text
    assert collapsed(
        "Quét mã để liên kết tài khoản Telegram (dùng một lần, hết hạn 30/09/2026)"
    ) in collapsed(text)


def test_card_text_stays_inside_its_card(card_pages: list[Page]) -> None:
    for page in card_pages:
        assert_text_fits(page, CARD_SHEET)


def test_overlong_names_titles_and_numbers_shrink_or_wrap_and_still_scan() -> None:
    long_accession = "STK-2024-LOP6-" + "9" * 45
    labels = [
        CopyLabel(
            long_accession,
            "Truyện cổ tích Việt Nam chọn lọc dành cho thiếu nhi, tập hai: " * 3,
            BOT_LINK + copy_payload(long_accession),
        ),
        CopyLabel("Đ", "Ỷ", BOT_LINK + copy_payload("Đ")),
    ]
    school = "Trường Trung học cơ sở Nguyễn Văn Trỗi, phường Hoàng Văn Thụ, quận Hoàng Mai"
    [label_page] = read_pages(render_labels(labels, school=school))
    assert sorted(label_page.codes) == sorted(label.link for label in labels)
    assert collapsed(long_accession) in collapsed(label_page.text)
    assert_text_fits(label_page, LABEL_SHEET)

    card = ReaderCard(
        full_name="Công Tằng Tôn Nữ Thị Huyền Trang Phương Thảo Ngọc Diễm Kiều",
        class_name="9A10 – Chuyên Toán (lớp chất lượng cao)",
        code="HS-2024-000123456789",
        category_label="Học sinh diện chính sách (mượn sách giáo khoa cả năm)",
        link=BOT_LINK + "link_" + "x" * 59,
        expires="31/12/2026",
    )
    [card_page] = read_pages(render_cards([card], school=school, library=LIBRARY * 3))
    assert card_page.codes == (card.link,)
    assert_text_fits(card_page, CARD_SHEET)


def test_decomposed_input_prints_composed_text() -> None:
    name = unicodedata.normalize("NFD", "Đặng Quốc Bảo")
    card = ReaderCard(name, "6A1", "HS0001", "Học sinh", BOT_LINK + "link_abc", "01/06/2026")
    [page] = read_pages(render_cards([card], school=SCHOOL, library=LIBRARY))
    assert "Đặng Quốc Bảo" in page.text


def test_nothing_to_print_is_refused() -> None:
    with pytest.raises(ValueError, match="no copy labels"):
        render_labels([], school=SCHOOL)
    with pytest.raises(ValueError, match="no reader cards"):
        render_cards([], school=SCHOOL, library=LIBRARY)


def test_same_records_give_the_same_pdf() -> None:
    labels = make_labels(4)
    assert render_labels(labels, school=SCHOOL) == render_labels(labels, school=SCHOOL)


def test_safe_accession_number_stays_readable_in_the_payload() -> None:
    assert copy_payload("STK-00012") == "copy_STK-00012"
    assert accession_from_payload("copy_STK-00012") == "STK-00012"


def test_unsafe_accession_number_is_escaped() -> None:
    payload = copy_payload("SGK 6/2024.01")
    assert PAYLOAD.fullmatch(payload)
    assert payload.startswith("copy__")
    assert accession_from_payload(payload) == "SGK 6/2024.01"


@given(st.from_regex(r"[A-Za-z0-9-]{1,59}", fullmatch=True))
def test_every_safe_accession_is_sent_plain(accession: str) -> None:
    assert copy_payload(accession) == COPY_PREFIX + accession


@given(st.text(min_size=1, max_size=10).filter(str.isprintable))
def test_short_accession_numbers_round_trip(accession: str) -> None:
    payload = copy_payload(accession)
    assert PAYLOAD.fullmatch(payload)
    assert accession_from_payload(payload) == accession


@given(st.text(min_size=1, max_size=80))
def test_any_accession_round_trips_or_is_refused_as_too_long_or_invisible(accession: str) -> None:
    try:
        payload = copy_payload(accession)
    except ValueError:
        too_long = len(accession.encode("utf-8")) * 4 / 3 + len("copy__") > MAX_PAYLOAD_LENGTH
        assert too_long or not accession.isprintable()
        return
    assert PAYLOAD.fullmatch(payload)
    assert accession_from_payload(payload) == accession


@given(
    st.one_of(
        st.text(),
        st.from_regex(r"copy__?[A-Za-z0-9_-]{0,60}", fullmatch=True),
    )
)
def test_a_payload_is_one_copy_or_refused(payload: str) -> None:
    try:
        accession = accession_from_payload(payload)
    except ValueError:
        return
    assert copy_payload(accession) == payload


@pytest.mark.parametrize(
    "payload",
    ["link_abc", "copy_", "copy__", "copy__U1RL", "copy_a b", "copy__AAAA", "copy__4oCuYQ"],
)
def test_foreign_or_malformed_payloads_are_refused(payload: str) -> None:
    with pytest.raises(ValueError):
        accession_from_payload(payload)


@given(
    text=st.text(alphabet=VIETNAMESE, max_size=120),
    width=st.floats(min_value=60, max_value=250),
    max_size=st.floats(min_value=8, max_value=16),
    max_lines=st.integers(min_value=1, max_value=4),
    height=st.none() | st.floats(min_value=20, max_value=80),
    font=st.sampled_from([REGULAR, BOLD]),
)
def test_fitted_text_never_leaves_its_box(
    text: str, width: float, max_size: float, max_lines: int, height: float | None, font: str
) -> None:
    fitted = fit_text(
        unicodedata.normalize("NFD", text),
        font=font,
        width=width,
        max_size=max_size,
        min_size=6,
        max_lines=max_lines,
        height=height,
    )
    assert 6 <= fitted.size <= max_size
    assert 1 <= len(fitted.lines) <= max_lines
    assert all(pdfmetrics.stringWidth(line, font, fitted.size) <= width for line in fitted.lines)
    if height is not None:
        assert fitted.height <= height
    words = " ".join(unicodedata.normalize("NFC", text).split())
    if fitted.lines[-1].endswith("…"):
        assert collapsed(words).startswith(collapsed("".join(fitted.lines))[:-1])
    else:
        assert collapsed("".join(fitted.lines)) == collapsed(words)
